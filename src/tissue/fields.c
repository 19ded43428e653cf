/* fields.c - the recorded 3D fields of tissue-mode arms as files of a run
 * folder: fields_xz.csv, the vertical section through the middle row of the
 * block (every voxel column of that row, every depth cell) at every profile
 * time, vesicles and inflammation (mediator I) with their units.
 *
 * HOOK (docs/tissue.md): the HDF5 fields with an XDMF sidecar and the PNG
 * sections come from src/tissue/tissue_io.c and tissue_figures.c
 * (exo__tissue_write_h5 and friends, another slice); when they land they are
 * called here with res->tissue.vesicles / inflammation (n_prof x nx*ny*nz,
 * x fastest), the depth grid res->grid and the times res->prof_t. */
#include "tissue.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

exo_status exo__tissue_write_fields(exo_ctx *ctx, const exo_result *r, const char *dir)
{
    bool any = false;
    for (int a = 0; a < r->n_arms; a++)
        any = any || r->arms[a].tissue.present;
    if (!any)
        return EXO_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/fields_xz.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "arm,time [h],x [um],depth [um],vesicles [particles/mL],inflammation_I [1]\n");
    for (int a = 0; a < r->n_arms; a++) {
        const exo_arm_result *ar = &r->arms[a];
        const exo_tissue_info *ti = &ar->tissue;
        if (!ti->present)
            continue;
        size_t nv = (size_t)ti->nx * ti->ny * ti->nz, j = (size_t)ti->ny / 2;
        for (int p = 0; p < ar->n_prof; p++)
            for (int l = 0; l < ti->nz; l++)
                for (int i = 0; i < ti->nx; i++) {
                    size_t v = (size_t)p * nv + (size_t)i + (size_t)ti->nx * (j + (size_t)ti->ny * l);
                    fprintf(f, "\"%s\",%.6g,%.6g,%.6g,%.6e,%.6e\n", ar->name, ar->prof_t[p], (i + 0.5) * ti->dx,
                            ar->grid->zc[l], ti->vesicles[v] * 1e12, ti->inflammation[v]);
                }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EIO, "%s: write failed", path);
    return EXO_OK;
}
