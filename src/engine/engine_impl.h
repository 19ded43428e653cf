/* engine_impl.h - internals shared by the files of src/engine/: the species
 * list and its coefficients, on top of the result layout (result.h). */
#ifndef EXO_ENGINE_IMPL_H
#define EXO_ENGINE_IMPL_H

#include "biology/biology.h"
#include "biology/species.h"
#include "column/column.h"
#include "engine/result.h"

exo_status exo__species_list(exo_ctx *ctx, const exo_config *cfg, exo_species_meta **out, int *count);
void exo__species_coeffs(const exo_config *cfg, const exo_grid *g, const exo_species_meta *sp,
                         bool occluded, exo_coeffs *c);
double exo__sc_diffusivity(const exo_paramset *p, double d, bool occluded);

#endif
