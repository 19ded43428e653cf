/* species.h - the mobile species of a run as the engine lists them and the
 * tissue transports them: vesicle populations (one per product and size bin)
 * and the soluble mediators I, R, T, G, M (docs/sources.md M2).  The engine
 * builds the list and the coefficients (engine/species.c); the tissue reads
 * it for its per-voxel transport. */
#ifndef EXO_SPECIES_H
#define EXO_SPECIES_H

#include <exoskin/exo_params.h>

#include <stdbool.h>

enum { EXO_MED_I, EXO_MED_R, EXO_MED_T, EXO_MED_G, EXO_MED_M, EXO_MED_COUNT };

typedef struct {
    char name[64];
    bool vesicle;     /* else a soluble mediator */
    int product;      /* vesicles: product index */
    int mediator;     /* mediators: EXO_MED_* */
    double diameter;  /* [um] */
    double weight;    /* [1] share of the product's vesicles in this size bin */
} exo_species_meta;

/* Free diffusivity of a vesicle of diameter d [um] in interstitial fluid
 * (Stokes-Einstein) [um^2/h]. */
double exo__stokes_einstein(const exo_paramset *p, double d);

#endif
