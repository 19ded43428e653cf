/* geometry.c - the block of tissue mode: voxel columns over the column grid,
 * hair follicles (orifice and shaft cylinders on a square lattice at the
 * follicle density), channel and laser-zone families (voxel columns of fluid
 * on a lattice at their density, down to their depth), injection boluses
 * (spheres), and the fields' storage (docs/tissue.md). */
#include "tissue.h"

#include "core/comm.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#define PI 3.14159265358979323846
#define TISSUE_MAX_VALUES 2e8 /* [1] doubles of species fields a block may hold (1.6 GB) */

/* Calls put(x, y) for the points of a square lattice of the given spacing
 * [um] through (x0, y0) that fall inside the block (at least that one
 * point, which is inside). */
typedef void (*lattice_fn)(exo_tissue *t, double x, double y, void *user);
static int lattice(exo_tissue *t, double spacing, double x0, double y0, lattice_fn put, void *user)
{
    int count = 0;
    double s = spacing > 0 && isfinite(spacing) ? spacing : 2 * (t->lx + t->ly);
    int ia = (int)ceil(-x0 / s - 1e-9), ib = (int)floor((t->lx - x0) / s - 1e-9);
    int ja = (int)ceil(-y0 / s - 1e-9), jb = (int)floor((t->ly - y0) / s - 1e-9);
    for (int b = ja; b <= jb; b++)
        for (int a = ia; a <= ib; a++) {
            put(t, x0 + a * s, y0 + b * s, user);
            count++;
        }
    return count;
}

/* Voxel columns of the block whose centre lies within r of (x, y); the
 * nearest one when none does.  Calls mark(column index in the block,
 * distance) for each, on every rank. */
typedef void (*disc_fn)(exo_tissue *t, size_t col, double dist, void *user);
static void disc(exo_tissue *t, double x, double y, double r, disc_fn mark, void *user)
{
    int found = 0;
    int i0 = (int)fmax(0, floor((x - r) / t->dx)), i1 = (int)fmin(t->nx - 1, ceil((x + r) / t->dx));
    int j0 = (int)fmax(0, floor((y - r) / t->dx)), j1 = (int)fmin(t->nyg - 1, ceil((y + r) / t->dx));
    for (int j = j0; j <= j1; j++)
        for (int i = i0; i <= i1; i++) {
            double d = hypot((i + 0.5) * t->dx - x, (j + 0.5) * t->dx - y);
            if (d <= r) {
                mark(t, (size_t)i + (size_t)t->nx * j, d, user);
                found++;
            }
        }
    if (!found) {
        int i = (int)fmin(t->nx - 1, fmax(0, floor(x / t->dx)));
        int j = (int)fmin(t->nyg - 1, fmax(0, floor(y / t->dx)));
        mark(t, (size_t)i + (size_t)t->nx * j, 0.0, user);
    }
}

typedef struct {
    double r_shaft, r_orifice, depth;
    int orifice_cols;
} follicle_geo;

/* Follicles are drawn on the block's 2D maps (shaft, ffol_all), the same on
 * every rank; the slab's materials follow from them (shaft_materials). */
static int follicle_cells(const exo_tissue *t, double depth)
{
    int cells = 0;
    while (cells < t->nz && t->g->zf[cells] < depth)
        cells++;
    return cells;
}

static void mark_follicle_col(exo_tissue *t, size_t col, double d, void *user)
{
    follicle_geo *f = user;
    t->outline[col] = (float)t->g->zf[follicle_cells(t, f->depth)]; /* canal or hair, to the release depth */
    if (d < f->r_shaft) { /* the hair: impermeable down to the infundibulum's depth */
        t->shaft[col] = (uint16_t)follicle_cells(t, f->depth);
        t->ffol_all[col] = 0;
    } else if (t->shaft[col] == 0) {
        t->ffol_all[col] = 1.0; /* the canal around it: the film enters the follicle here */
        f->orifice_cols++;
    }
}

static void put_follicle(exo_tissue *t, double x, double y, void *user)
{
    follicle_geo *f = user;
    int before = f->orifice_cols;
    disc(t, x, y, f->r_orifice, mark_follicle_col, f);
    if (f->orifice_cols == before) { /* voxels too coarse for the canal: the nearest column is the orifice */
        size_t col = (size_t)fmin(t->nx - 1, floor(x / t->dx)) + (size_t)t->nx * (size_t)fmin(t->nyg - 1, floor(y / t->dx));
        t->shaft[col] = 0;
        t->ffol_all[col] = 1.0;
        t->outline[col] = (float)t->g->zf[follicle_cells(t, f->depth)];
        f->orifice_cols++;
    }
}

static void build_follicles(exo_tissue *t, const exo_config *cfg, const exo_skin_cfg *skin)
{
    const exo_paramset *p = &cfg->params;
    double fa = skin->follicle_area_fraction;
    if (cfg->sim.tissue.follicles == EXO_FOLLICLES_SPREAD) {
        for (size_t c = 0; c < (size_t)t->nx * t->nyg; c++)
            t->ffol_all[c] = fa; /* as in column mode: every column has the mean orifice fraction */
        return;
    }
    if (cfg->sim.tissue.follicles == EXO_FOLLICLES_NONE || !(fa > 0))
        return;
    double dens = p->v[EXO_P_FOLLICLE_DENSITY];
    follicle_geo f = {0.5 * p->v[EXO_P_HAIR_SHAFT_DIAMETER], sqrt(fa / (PI * dens)), p->v[EXO_P_FOLLICLE_DEPTH], 0};
    if (f.r_shaft > 0.8 * f.r_orifice)
        f.r_shaft = 0.8 * f.r_orifice;
    /* the follicle lattice starts at a quarter of the block, the channel
     * lattice at its centre, so that the first follicle and the first channel
     * do not coincide */
    t->n_follicles = lattice(t, 1.0 / sqrt(dens), 0.25 * t->lx, 0.25 * t->ly, put_follicle, &f);
}

void exo__tissue_slab(int nyg, int rank, int size, int *j0, int *j1)
{
    *j0 = (int)((long long)nyg * rank / size);
    *j1 = (int)((long long)nyg * (rank + 1) / size);
}

uint8_t *exo__tissue_mat_at(exo_tissue *t, int i, int jg, int l)
{
    if (jg >= t->j0 && jg < t->j0 + t->ny)
        return t->mat + (size_t)i + (size_t)t->nx * (size_t)(jg - t->j0) + t->nxy * (size_t)l;
    if (jg == t->j0 - 1 && jg >= 0)
        return t->mat_lo + (size_t)i + (size_t)t->nx * l;
    if (jg == t->j0 + t->ny && jg < t->nyg)
        return t->mat_hi + (size_t)i + (size_t)t->nx * l;
    return NULL;
}

/* The hair shafts of the 2D map in the slab's materials and its edges. */
static void shaft_materials(exo_tissue *t)
{
    for (int jg = t->j0 - 1; jg <= t->j0 + t->ny; jg++)
        for (int i = 0; jg >= 0 && jg < t->nyg && i < t->nx; i++)
            for (int l = 0; l < t->shaft[(size_t)i + (size_t)t->nx * jg]; l++)
                *exo__tissue_mat_at(t, i, jg, l) = EXO_MAT_SHAFT;
}

exo_status exo__tissue_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                              int ns, const exo_species_meta *meta, exo_tissue **out)
{
    const exo_tissue_cfg *tc = &cfg->sim.tissue;
    int nx = (int)floor(tc->size_x / tc->voxel + 1e-9), nyg = (int)floor(tc->size_y / tc->voxel + 1e-9);
    if (nx < 1 || nyg < 1)
        return exo_ctx_error(ctx, EXO_EINVAL, "tissue: block %g x %g um has no voxel of %g um", tc->size_x,
                             tc->size_y, tc->voxel);
    const exo_comm *cm = exo__comm(ctx);
    int j0, j1;
    exo__tissue_slab(nyg, cm->rank, cm->size, &j0, &j1);
    if (cm->size > nyg)
        return exo_ctx_error(ctx, EXO_EINVAL, "tissue: %d rows of voxels over %d ranks (at least one row per rank)",
                             nyg, cm->size);
    int ny = j1 - j0; /* this rank's slab */
    double values = (double)nx * ny * g->n * ns;
    if (values > TISSUE_MAX_VALUES)
        return exo_ctx_error(ctx, EXO_EINVAL,
                             "tissue: %d x %d x %d voxels x %d species = %.0f values%s (at most %.0f: use larger "
                             "voxels, a smaller block, a coarser depth grid%s)",
                             nx, ny, g->n, ns, values, cm->size > 1 ? " in this rank's slab of rows" : "",
                             TISSUE_MAX_VALUES, cm->size > 1 ? " or more ranks" : " or MPI ranks");
    exo_tissue *t = exo_alloc(ctx, 1, sizeof *t);
    if (!t)
        return exo_ctx_error(ctx, EXO_ENOMEM, "tissue: out of memory");
    t->ctx = ctx;
    t->g = g;
    t->nx = nx;
    t->ny = ny;
    t->nyg = nyg;
    t->j0 = j0;
    t->rank = cm->rank;
    t->size = cm->size;
    t->nz = g->n;
    t->ns = ns;
    t->nxy = (size_t)nx * ny;
    t->n = t->nxy * g->n;
    t->dx = tc->voxel;
    t->lx = nx * t->dx;
    t->ly = nyg * t->dx;
    t->nthreads = omp_get_max_threads();
    /* per thread: x sweep 3 nx 8; y sweep nx ny; z sweep 4 nz nx + 8 nx */
    size_t wx = 3 * (size_t)nx * 8, wy = t->nxy, wz = 4 * (size_t)t->nz * nx + 8 * (size_t)nx;
    t->wsize = wx > wy ? wx : wy;
    t->wsize = t->wsize > wz ? t->wsize : wz;
    t->mat = exo_alloc(ctx, t->n, 1);
    t->Dfluid = exo_alloc(ctx, (size_t)ns, sizeof *t->Dfluid);
    t->C = exo_alloc(ctx, (size_t)ns, sizeof *t->C);
    t->V = exo_alloc(ctx, (size_t)ns, sizeof *t->V);
    t->F = exo_alloc(ctx, (size_t)ns, sizeof *t->F);
    t->srcmul = exo_alloc(ctx, (size_t)ns, sizeof *t->srcmul);
    t->tab = exo_alloc(ctx, EXO_TISSUE_TAB(g->n, nx), sizeof *t->tab);
    t->work = exo_alloc(ctx, t->wsize * (size_t)t->nthreads, sizeof *t->work);
    t->rows = exo_alloc(ctx, (size_t)ny * (t->nz + EXO_TISSUE_NLED), sizeof *t->rows);
    t->rows_all = exo_alloc(ctx, (size_t)nyg * (t->nz + EXO_TISSUE_NLED), sizeof *t->rows_all);
    t->mat_lo = exo_alloc(ctx, (size_t)nx * t->nz, 1);
    t->mat_hi = exo_alloc(ctx, (size_t)nx * t->nz, 1);
    t->side = exo_alloc(ctx, (size_t)nx, 1);
    t->zeros = exo_alloc(ctx, (size_t)nx, sizeof *t->zeros);
    t->shaft = exo_alloc(ctx, (size_t)nx * nyg, sizeof *t->shaft);
    t->ffol_all = exo_alloc(ctx, (size_t)nx * nyg, sizeof *t->ffol_all);
    t->outline = exo_alloc(ctx, EXO_OUTLINE_COUNT * (size_t)nx * nyg, sizeof *t->outline);
    t->halo = exo_alloc(ctx, 2 * (size_t)nx * t->nz, sizeof *t->halo);
    if (cm->size > 1)
        t->ycp = exo_alloc(ctx, t->n, sizeof *t->ycp);
    bool ok = t->tab && t->srcmul && t->mat && t->ffol_all && t->Dfluid && t->C && t->V && t->F && t->work &&
              t->rows && t->rows_all && t->outline && t->mat_lo && t->mat_hi && t->side && t->zeros && t->shaft && t->halo && (cm->size == 1 || t->ycp);
    for (int k = 0; ok && k < ns; k++) {
        ok = (t->C[k] = exo_alloc(ctx, t->n, sizeof(double))) && (t->V[k] = exo_alloc(ctx, t->nxy, sizeof(double))) &&
             (t->F[k] = exo_alloc(ctx, t->nxy, sizeof(double)));
        if (ok)
            t->Dfluid[k] = exo__stokes_einstein(&cfg->params, meta[k].diameter);
    }
    if (!ok) {
        exo__tissue_destroy(&t);
        return exo_ctx_error(ctx, EXO_ENOMEM, "tissue: out of memory for %d x %d x %d voxels x %d species", nx,
                             ny, g->n, ns);
    }
    t->ffol = t->ffol_all + (size_t)nx * j0;
    t->film_mixed = tc->film == EXO_FILM_MIXED;
    memset(t->side, EXO_MAT_SHAFT, (size_t)nx);
    build_follicles(t, cfg, skin);
    shaft_materials(t);
    *out = t;
    return EXO_OK;
}

void exo__tissue_destroy(exo_tissue **tp)
{
    if (!tp || !*tp)
        return;
    exo_tissue *t = *tp;
    exo_ctx *ctx = t->ctx;
    for (int k = 0; k < t->ns; k++) {
        if (t->C)
            exo_free(ctx, t->C[k]);
        if (t->V)
            exo_free(ctx, t->V[k]);
        if (t->F)
            exo_free(ctx, t->F[k]);
    }
    exo_free(ctx, t->C);
    exo_free(ctx, t->V);
    exo_free(ctx, t->F);
    exo_free(ctx, (void *)t->srcmul);
    exo_free(ctx, t->tab);
    exo_free(ctx, t->mat);
    exo_free(ctx, t->mat_lo);
    exo_free(ctx, t->mat_hi);
    exo_free(ctx, t->side);
    exo_free(ctx, t->zeros);
    exo_free(ctx, t->shaft);
    exo_free(ctx, t->ffol_all);
    exo_free(ctx, t->outline);
    exo_free(ctx, t->rows_all);
    exo_free(ctx, t->ycp);
    exo_free(ctx, t->halo);
    exo_free(ctx, t->Dfluid);
    exo_free(ctx, t->work);
    exo_free(ctx, t->rows);
    exo_free(ctx, t);
    *tp = NULL;
}

exo_status exo__tissue_gather_rows(exo_tissue *t)
{
    const size_t stride = (size_t)t->nz + EXO_TISSUE_NLED, row = stride * sizeof(double);
    size_t all[EXO_COMM_MAX_RANKS];
    if (t->size > EXO_COMM_MAX_RANKS)
        return exo_ctx_error(t->ctx, EXO_EINVAL, "tissue: %d ranks (at most %d)", t->size, EXO_COMM_MAX_RANKS);
    for (int r = 0; r < t->size; r++) {
        int a, b;
        exo__tissue_slab(t->nyg, r, t->size, &a, &b);
        all[r] = (size_t)(b - a) * row;
    }
    return exo__comm_allgather(t->ctx, t->rows, (size_t)t->ny * row, t->rows_all, all);
}

exo_status exo__tissue_block_mean(exo_tissue *t, const double *field, double *E)
{
    const size_t stride = (size_t)t->nz + EXO_TISSUE_NLED;
    for (int j = 0; j < t->ny; j++)
        for (int l = 0; l < t->nz; l++) {
            const double *c = field + (size_t)t->nx * j + t->nxy * (size_t)l;
            double sum = 0;
            for (int i = 0; i < t->nx; i++)
                sum += c[i];
            t->rows[stride * (size_t)j + (size_t)l] = sum;
        }
    exo_status st = exo__tissue_gather_rows(t);
    if (st != EXO_OK)
        return st;
    for (int l = 0; l < t->nz; l++) {
        double sum = 0;
        for (int j = 0; j < t->nyg; j++)
            sum += t->rows_all[stride * (size_t)j + (size_t)l];
        E[l] = sum / ((double)t->nx * t->nyg);
    }
    return EXO_OK;
}

exo_status exo__tissue_load(exo_tissue *t, int k, exo_species *s)
{
    /* hair shafts hold nothing: the ledger's initial content is what the block holds */
    double before = 0, after = 0;
    for (int l = 0; l < t->nz; l++) {
        double *c = t->C[k] + t->nxy * (size_t)l;
        const uint8_t *m = t->mat + t->nxy * (size_t)l;
        for (size_t q = 0; q < t->nxy; q++)
            c[q] = m[q] == EXO_MAT_SHAFT ? 0.0 : s->E[l];
        before += s->E[l] * t->g->h[l];
    }
    exo_status st = exo__tissue_block_mean(t, t->C[k], s->E);
    if (st != EXO_OK)
        return st;
    for (int l = 0; l < t->nz; l++)
        after += s->E[l] * t->g->h[l];
    s->applied += after - before;
    return EXO_OK;
}

void exo__tissue_film_add(exo_tissue *t, int k, double amount)
{
    for (size_t q = 0; q < t->nxy; q++)
        t->V[k][q] += amount;
}

void exo__tissue_film_scale(exo_tissue *t, int k, double keep)
{
    for (size_t q = 0; q < t->nxy; q++)
        t->V[k][q] *= keep;
}

typedef struct {
    uint8_t code;
    int depth_cells;
    int outline; /* EXO_OUTLINE_CHANNEL or EXO_OUTLINE_LASER */
} chan_geo;

static void mark_channel_col(exo_tissue *t, size_t col, double d, void *user)
{
    (void)d;
    chan_geo *c = user;
    int i = (int)(col % (size_t)t->nx), jg = (int)(col / (size_t)t->nx);
    float *o = t->outline + (size_t)c->outline * t->nx * t->nyg + col;
    *o = fmaxf(*o, (float)t->g->zf[c->depth_cells]);
    for (int l = 0; l < c->depth_cells; l++) {
        uint8_t *m = exo__tissue_mat_at(t, i, jg, l);
        if (m && *m != EXO_MAT_SHAFT)
            *m = c->code;
    }
}

typedef struct {
    chan_geo geo;
    double radius;
} chan_put;

static void put_channel(exo_tissue *t, double x, double y, void *user)
{
    chan_put *c = user;
    disc(t, x, y, c->radius, mark_channel_col, &c->geo);
}

void exo__tissue_open(exo_tissue *t, int j, const exo_channels *ch)
{
    exo__tissue_close(t, j); /* a reused family slot starts clean */
    int cells = 0;
    while (cells < t->nz && t->g->zc[cells] < ch->depth)
        cells++;
    if (cells == 0)
        cells = 1;
    double dens = ch->a0 / (PI * 0.25 * ch->diameter * ch->diameter); /* [1/um^2] */
    chan_put c = {{(uint8_t)(j + 1), cells, ch->route == EXO_ROUTE_LASER ? EXO_OUTLINE_LASER : EXO_OUTLINE_CHANNEL},
                  0.5 * ch->diameter};
    t->n_open[j] = lattice(t, 1.0 / sqrt(dens), 0.5 * t->lx, 0.5 * t->ly, put_channel, &c);
    t->ch_depth[j] = ch->depth;
    t->ch_route[j] = ch->route;
}

void exo__tissue_close(exo_tissue *t, int j)
{
    uint8_t code = (uint8_t)(j + 1);
    uint8_t *m[] = {t->mat, t->mat_lo, t->mat_hi};
    size_t len[] = {t->n, (size_t)t->nx * t->nz, (size_t)t->nx * t->nz};
    for (int a = 0; a < 3; a++)
        for (size_t v = 0; v < len[a]; v++)
            if (m[a][v] == code)
                m[a][v] = EXO_MAT_TISSUE;
    t->n_open[j] = 0;
}

typedef struct {
    int k;
    double depth, radius, per_point;
    double placed;     /* amount placed [amount] */
    double *mine, *all; /* [nz + 2] this rank's voxels per depth cell in the sphere, nearest distance and
                         * index; [size x (nz + 2)] every rank's */
    exo_status st;
} bolus_put;

/* Distance [um] from voxel (i, global row jg, l) to (x, y, z). */
static double voxel_dist(const exo_tissue *t, int i, int jg, int l, double x, double y, double z)
{
    double a = (i + 0.5) * t->dx - x, b = (jg + 0.5) * t->dx - y, c = t->g->zc[l] - z;
    return sqrt(a * a + b * b + c * c);
}

/* One sphere: its volume (voxels counted per depth cell, over every rank)
 * and the nearest voxel of the block (the first in voxel order at the least
 * distance) decide where the amount goes. */
static void put_bolus(exo_tissue *t, double x, double y, void *user)
{
    bolus_put *b = user;
    const exo_grid *g = t->g;
    const int nz = t->nz, w = nz + 2;
    if (b->st != EXO_OK)
        return;
    double *cnt = b->mine, best = INFINITY, nearest = 0;
    memset(cnt, 0, (size_t)w * sizeof *cnt);
    for (int l = g->first[EXO_LAYER_VE]; l < nz; l++)
        for (int j = 0; j < t->ny; j++)
            for (int i = 0; i < t->nx; i++) {
                size_t v = (size_t)i + (size_t)t->nx * j + t->nxy * (size_t)l;
                double d = voxel_dist(t, i, t->j0 + j, l, x, y, b->depth);
                if (t->mat[v] == EXO_MAT_SHAFT)
                    continue;
                if (d < best) {
                    best = d;
                    nearest = (double)i + (double)t->nx * ((double)(t->j0 + j) + (double)t->nyg * l);
                }
                cnt[l] += d <= b->radius;
            }
    cnt[nz] = best;
    cnt[nz + 1] = nearest;
    if ((b->st = exo__comm_allgather_same(t->ctx, cnt, (size_t)w * sizeof *cnt, b->all)) != EXO_OK)
        return;
    double vol = 0;
    best = INFINITY;
    for (int l = 0; l < nz; l++) {
        double n = 0;
        for (int r = 0; r < t->size; r++)
            n += b->all[(size_t)r * w + l];
        vol += n * t->dx * t->dx * g->h[l];
    }
    for (int r = 0; r < t->size; r++) {
        const double *a = b->all + (size_t)r * w;
        if (a[nz] < best || (a[nz] == best && a[nz + 1] < nearest)) {
            best = a[nz];
            nearest = a[nz + 1];
        }
    }
    if (vol == 0) { /* smaller than a voxel: all into the nearest one, on the rank that holds it */
        size_t v = (size_t)nearest, l = v / ((size_t)t->nx * t->nyg), jg = v / (size_t)t->nx % (size_t)t->nyg;
        if ((int)jg >= t->j0 && (int)jg < t->j0 + t->ny)
            t->C[b->k][v % (size_t)t->nx + (size_t)t->nx * (jg - (size_t)t->j0) + t->nxy * l] +=
                b->per_point / (t->dx * t->dx * g->h[l]);
    } else
        for (int l = g->first[EXO_LAYER_VE]; l < nz; l++)
            for (int j = 0; j < t->ny; j++)
                for (int i = 0; i < t->nx; i++) {
                    size_t v = (size_t)i + (size_t)t->nx * j + t->nxy * (size_t)l;
                    if (t->mat[v] != EXO_MAT_SHAFT && voxel_dist(t, i, t->j0 + j, l, x, y, b->depth) <= b->radius)
                        t->C[b->k][v] += b->per_point / vol;
                }
    b->placed += b->per_point;
}

exo_status exo__tissue_bolus(exo_tissue *t, int k, double amount, double depth, double volume, double density,
                             int route, exo_species *s)
{
    bolus_put b = {k, depth, cbrt(3.0 * volume / (4.0 * PI)), amount / density, 0.0, NULL, NULL, EXO_OK};
    b.mine = exo_alloc(t->ctx, (size_t)t->nz + 2, sizeof *b.mine);
    b.all = exo_alloc(t->ctx, ((size_t)t->nz + 2) * (size_t)t->size, sizeof *b.all);
    if (!b.mine || !b.all)
        b.st = exo_ctx_error(t->ctx, EXO_ENOMEM, "tissue: out of memory for a bolus");
    if (b.st == EXO_OK)
        lattice(t, 1.0 / sqrt(density), 0.5 * t->lx, 0.5 * t->ly, put_bolus, &b);
    exo_free(t->ctx, b.mine);
    exo_free(t->ctx, b.all);
    if (b.st != EXO_OK)
        return b.st;
    double per_area = b.placed / (t->lx * t->ly);
    s->applied += per_area;
    s->route[route] += per_area;
    return exo__tissue_block_mean(t, t->C[k], s->E); /* the mean profile follows the field */
}

void exo__tissue_vesicles(const exo_tissue *t, const exo_species_meta *meta, float *out)
{
    for (size_t v = 0; v < t->n; v++) {
        double sum = 0;
        for (int k = 0; k < t->ns; k++)
            if (meta[k].vesicle)
                sum += t->C[k][v];
        out[v] = (float)sum;
    }
}
