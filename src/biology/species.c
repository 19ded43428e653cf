/* species.c - what the transported species share below the engine and the
 * tissue (species.h): the free diffusivity of a vesicle (Stokes-Einstein,
 * docs/model.md; docs/sources.md M2). */
#include "biology/species.h"

#define KB 1.380649e-23 /* [J/K] Boltzmann constant (exact, SI 2019) */
#define PI 3.14159265358979323846

double exo__stokes_einstein(const exo_paramset *p, double d)
{
    /* SI inside: d [um] -> m; D [m^2/s] -> [um^2/h] */
    double D_si = KB * p->v[EXO_P_T_BODY] / (3.0 * PI * p->v[EXO_P_ETA_ISF] * d * 1e-6);
    return D_si * 1e12 * 3600.0;
}
