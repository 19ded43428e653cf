/* grid.c - the layered, non-uniform finite-volume depth grid of column mode.
 * Cells are smallest (h_min) at the skin surface and on both sides of every
 * layer interface, where gradients are steepest, and grow geometrically
 * towards the middle of each layer up to h_max.  Layer interfaces are always
 * cell faces, so harmonic-mean conductances are exact for layered media. */
#include "column.h"

#include <math.h>
#include <string.h>

const char *exo__layer_name(int layer)
{
    static const char *const names[] = {"stratum_corneum", "viable_epidermis", "papillary_dermis",
                                        "reticular_dermis"};
    return (layer >= 0 && layer < EXO_LAYER_COUNT) ? names[layer] : "?";
}

const char *exo__route_name(int route)
{
    static const char *const names[] = {"intact_sc", "follicular", "microneedle_channels",
                                        "laser_zones", "injection"};
    return (route >= 0 && route < EXO_ROUTE_COUNT) ? names[route] : "?";
}

static exo_status grid_alloc(exo_ctx *ctx, int n, exo_grid **out)
{
    exo_grid *g = exo_alloc(ctx, 1, sizeof *g);
    if (!g)
        return EXO_ENOMEM;
    g->ctx = ctx;
    g->n = n;
    g->zf = exo_alloc(ctx, (size_t)n + 1, sizeof *g->zf);
    g->zc = exo_alloc(ctx, (size_t)n, sizeof *g->zc);
    g->h = exo_alloc(ctx, (size_t)n, sizeof *g->h);
    g->layer = exo_alloc(ctx, (size_t)n, sizeof *g->layer);
    if (!g->zf || !g->zc || !g->h || !g->layer) {
        exo__grid_destroy(&g);
        return EXO_ENOMEM;
    }
    *out = g;
    return EXO_OK;
}

/* Cell sizes of one layer of thickness L: symmetric geometric grading from
 * both faces.  Writes at most cap sizes into sz (if non-NULL) and returns the
 * count. */
static int layer_cells(double L, double h_min, double h_max, double growth, double *sz, int cap)
{
    if (L <= 0)
        return 0;
    double left[4096];
    int nl = 0;
    double rem = L, s = h_min;
    while (rem >= 2 * s && nl < 4000) {
        left[nl++] = s;
        rem -= 2 * s;
        s = fmin(s * growth, h_max);
    }
    /* what remains (< 2 s) becomes two middle cells (if > s), one middle cell
     * (if > s/2), or is shared by the two innermost cells when too small to stand alone */
    int mid = rem > s ? 2 : (rem > 0.5 * s ? 1 : 0);
    if (mid == 0 && nl > 0) { /* too small: merge with the two innermost cells into three */
        nl--;
        rem += 2 * left[nl];
        mid = 3;
    }
    int n = 2 * nl + mid;
    if (n == 0) {
        n = 1;
        mid = 1;
        rem = L;
    }
    if (sz && n <= cap) {
        double tot = 0;
        for (int i = 0; i < nl; i++) {
            sz[i] = left[i];
            sz[n - 1 - i] = left[i];
        }
        for (int i = 0; i < mid; i++)
            sz[nl + i] = rem / mid;
        for (int i = 0; i < n; i++)
            tot += sz[i];
        for (int i = 0; i < n; i++)
            sz[i] *= L / tot; /* exact fit of the layer */
    }
    return n;
}

exo_status exo__grid_create(exo_ctx *ctx, const double thick[EXO_LAYER_COUNT], double h_min,
                            double h_max, double growth, exo_grid **out)
{
    if (!(h_min > 0) || !(h_max >= h_min) || !(growth > 1))
        return exo_ctx_error(ctx, EXO_EINVAL, "grid: need 0 < h_min <= h_max and growth > 1");
    int count[EXO_LAYER_COUNT], n = 0;
    for (int l = 0; l < EXO_LAYER_COUNT; l++) {
        if (!(thick[l] >= 0) || !isfinite(thick[l]))
            return exo_ctx_error(ctx, EXO_EINVAL, "grid: layer %d thickness %g um", l, thick[l]);
        count[l] = layer_cells(thick[l], h_min, h_max, growth, NULL, 0);
        n += count[l];
    }
    if (n < 1 || n > 100000)
        return exo_ctx_error(ctx, EXO_EINVAL, "grid: %d cells (expected 1 to 100000)", n);
    exo_grid *g;
    exo_status st = grid_alloc(ctx, n, &g);
    if (st != EXO_OK)
        return exo_ctx_error(ctx, st, "grid: out of memory for %d cells", n);
    int i = 0;
    double z = 0;
    for (int l = 0; l < EXO_LAYER_COUNT; l++) {
        g->first[l] = i;
        g->top[l] = z;
        layer_cells(thick[l], h_min, h_max, growth, g->h + i, count[l]);
        for (int k = 0; k < count[l]; k++, i++) {
            g->layer[i] = l;
            g->zf[i] = z;
            g->zc[i] = z + 0.5 * g->h[i];
            z += g->h[i];
        }
        z = g->top[l] + thick[l]; /* no drift across layers */
    }
    g->first[EXO_LAYER_COUNT] = n;
    g->top[EXO_LAYER_COUNT] = z;
    g->zf[n] = z;
    *out = g;
    return EXO_OK;
}

exo_status exo__grid_create_uniform(exo_ctx *ctx, double L, int n, int layer, exo_grid **out)
{
    if (n < 1 || !(L > 0))
        return exo_ctx_error(ctx, EXO_EINVAL, "grid: need n >= 1 and L > 0");
    exo_grid *g;
    exo_status st = grid_alloc(ctx, n, &g);
    if (st != EXO_OK)
        return st;
    double h = L / n;
    for (int i = 0; i < n; i++) {
        g->h[i] = h;
        g->zf[i] = i * h;
        g->zc[i] = (i + 0.5) * h;
        g->layer[i] = layer;
    }
    g->zf[n] = L;
    for (int l = 0; l <= EXO_LAYER_COUNT; l++) {
        g->first[l] = l <= layer ? 0 : n;
        g->top[l] = l <= layer ? 0 : L;
    }
    *out = g;
    return EXO_OK;
}

void exo__grid_destroy(exo_grid **gp)
{
    if (!gp || !*gp)
        return;
    exo_grid *g = *gp;
    exo_free(g->ctx, g->zf);
    exo_free(g->ctx, g->zc);
    exo_free(g->ctx, g->h);
    exo_free(g->ctx, g->layer);
    exo_free(g->ctx, g);
    *gp = NULL;
}

double exo__grid_overlap(const exo_grid *g, int i, double z0, double z1)
{
    double a = fmax(g->zf[i], z0), b = fmin(g->zf[i + 1], z1);
    return b > a ? b - a : 0.0;
}
