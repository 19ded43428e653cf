/* fields.c - the recorded 3D fields of tissue-mode arms as files of a run
 * folder: fields_xz.csv, the vertical section through the middle row of the
 * block (every voxel column of that row, every depth cell) at every profile
 * time, vesicles, inflammation (mediator I) and new collagen with their
 * units; and
 * tissue_armN.h5 with its XDMF sidecar tissue_armN.xdmf (tissue_io.c), the
 * same fields on a uniform grid of the lateral voxel size (depth cells
 * averaged onto it, conserving amounts). */
#include "output/output.h"
#include "output/tissue_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int exo__tissue_resample_depth(const exo_grid *g, const float *field, int nx, int ny, int nz, int j0, int j1,
                               double z_max, double dz, double *out, int cap_rows)
{
    const double top = fmin(z_max, g->zf[nz]);
    const int rows = (int)ceil(top / dz - 1e-9);
    if (rows < 1 || rows > cap_rows)
        return 0;
    const size_t nxy = (size_t)nx * ny, plane = (size_t)nx * (j1 - j0);
    memset(out, 0, sizeof *out * plane * (size_t)rows);
    for (int q = 0; q < rows; q++) {
        double z0 = q * dz, z1 = fmin((q + 1) * dz, top), *o = out + plane * (size_t)q;
        for (int l = 0; l < nz; l++) {
            double w = exo__grid_overlap(g, l, z0, z1) / (z1 - z0);
            if (w <= 0)
                continue;
            const float *c = field + nxy * (size_t)l + (size_t)nx * j0;
            for (size_t v = 0; v < plane; v++)
                o[v] += w * c[v];
        }
    }
    return rows;
}

/* tissue_armA.h5 and .xdmf: vesicles, inflammation and new collagen of arm a
 * at its profile times (only the last when all of them would pass 1 GiB). */
enum { NF = 3 };
static exo_status write_h5(exo_ctx *ctx, const exo_arm_result *ar, int a, const char *dir)
{
    const exo_tissue_info *ti = &ar->tissue;
    const double dz = ti->dx;
    const int nzu = (int)ceil(ar->grid->zf[ti->nz] / dz - 1e-9);
    const size_t nvox = (size_t)ti->nx * ti->ny * nzu, nv = (size_t)ti->nx * ti->ny * ti->nz;
    int first = 0;
    if ((size_t)ar->n_prof * NF * nvox * sizeof(double) > ((size_t)1 << 30))
        first = ar->n_prof - 1;
    const int nt = ar->n_prof - first;
    if (nt < 1)
        return EXO_OK;
    double *buf = exo_alloc(ctx, (size_t)NF * nt * nvox, sizeof *buf);
    const double **fields = exo_alloc(ctx, (size_t)NF * nt, sizeof *fields);
    exo_status st = buf && fields ? EXO_OK : exo_ctx_error(ctx, EXO_ENOMEM, "tissue fields: out of memory");
    for (int t = 0; t < nt && st == EXO_OK; t++) {
        const float *src[NF] = {ti->vesicles + nv * (size_t)(first + t), ti->inflammation + nv * (size_t)(first + t),
                                ti->collagen + nv * (size_t)(first + t)};
        for (int f = 0; f < NF; f++) {
            double *o = buf + nvox * (size_t)(NF * t + f);
            exo__tissue_resample_depth(ar->grid, src[f], ti->nx, ti->ny, ti->nz, 0, ti->ny, INFINITY, dz, o, nzu);
            if (f == 0)
                for (size_t v = 0; v < nvox; v++)
                    o[v] *= 1e12; /* [particles/um^3] -> [particles/mL] */
            fields[NF * t + f] = o;
        }
    }
    if (st == EXO_OK) {
        char h5[4200], xdmf[4200];
        snprintf(h5, sizeof h5, "%s/tissue_arm%d.h5", dir, a);
        snprintf(xdmf, sizeof xdmf, "%s/tissue_arm%d.xdmf", dir, a);
        static const char *const names[NF] = {"vesicles", "inflammation_I", "new_collagen"};
        static const char *const units[NF] = {"particles/mL", "1", "1"}; /* new collagen: young total = 1 */
        st = exo__tissue_write_h5(ctx, h5, xdmf, ti->nx, ti->ny, nzu, ti->dx, NF, names, units, fields, nt,
                                  ar->prof_t + first, 0);
    }
    exo_free(ctx, buf);
    exo_free(ctx, fields);
    return st;
}

exo_status exo__tissue_write_fields(exo_ctx *ctx, const exo_result *r, const char *dir)
{
    bool any = false;
    for (int a = 0; a < r->n_arms; a++) {
        const exo_tissue_info *ti = &r->arms[a].tissue;
        if (ti->present && (!ti->vesicles || !ti->inflammation || !ti->collagen))
            return exo_ctx_error(ctx, EXO_EINVAL, "tissue fields: this rank's result has none (only rank 0's does)");
        any = any || ti->present;
    }
    if (!any)
        return EXO_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/fields_xz.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "arm,time [h],x [um],depth [um],vesicles [particles/mL],inflammation_I [1],new_collagen [1]\n");
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
                    exo__csv_quoted(f, ar->name);
                    fprintf(f, ",%.6g,%.6g,%.6g,%.6e,%.6e,%.6e\n", ar->prof_t[p], (i + 0.5) * ti->dx,
                            ar->grid->zc[l], ti->vesicles[v] * 1e12, ti->inflammation[v], ti->collagen[v]);
                }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed", path);
    for (int a = 0; a < r->n_arms; a++) {
        exo_status st = r->arms[a].tissue.present ? write_h5(ctx, &r->arms[a], a, dir) : EXO_OK;
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}
