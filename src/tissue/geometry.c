/* geometry.c - the block of tissue mode: voxel columns over the column grid,
 * hair follicles (orifice and shaft cylinders on a square lattice at the
 * follicle density), channel and laser-zone families (voxel columns of fluid
 * on a lattice at their density, down to their depth), injection boluses
 * (spheres), and the fields' storage (docs/tissue.md). */
#include "tissue.h"

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

/* Voxel columns whose centre lies within r of (x, y); the nearest one when
 * none does.  Calls mark(column index, distance) for each. */
typedef void (*disc_fn)(exo_tissue *t, size_t col, double dist, void *user);
static void disc(exo_tissue *t, double x, double y, double r, disc_fn mark, void *user)
{
    int found = 0;
    int i0 = (int)fmax(0, floor((x - r) / t->dx)), i1 = (int)fmin(t->nx - 1, ceil((x + r) / t->dx));
    int j0 = (int)fmax(0, floor((y - r) / t->dx)), j1 = (int)fmin(t->ny - 1, ceil((y + r) / t->dx));
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
        int j = (int)fmin(t->ny - 1, fmax(0, floor(y / t->dx)));
        mark(t, (size_t)i + (size_t)t->nx * j, 0.0, user);
    }
}

typedef struct {
    double r_shaft, r_orifice, depth;
    int orifice_cols;
} follicle_geo;

static void mark_follicle_col(exo_tissue *t, size_t col, double d, void *user)
{
    follicle_geo *f = user;
    if (d < f->r_shaft) { /* the hair: impermeable down to the infundibulum's depth */
        for (int l = 0; l < t->nz && t->g->zf[l] < f->depth; l++)
            t->mat[col + t->nxy * (size_t)l] = EXO_MAT_SHAFT;
        t->ffol[col] = 0;
    } else if (t->mat[col] != EXO_MAT_SHAFT) {
        t->ffol[col] = 1.0; /* the canal around it: the film enters the follicle here */
        f->orifice_cols++;
    }
}

static void put_follicle(exo_tissue *t, double x, double y, void *user)
{
    follicle_geo *f = user;
    int before = f->orifice_cols;
    disc(t, x, y, f->r_orifice, mark_follicle_col, f);
    if (f->orifice_cols == before) { /* voxels too coarse for the canal: the nearest column is the orifice */
        size_t col = (size_t)fmin(t->nx - 1, floor(x / t->dx)) + (size_t)t->nx * (size_t)fmin(t->ny - 1, floor(y / t->dx));
        for (int l = 0; l < t->nz; l++)
            if (t->mat[col + t->nxy * (size_t)l] == EXO_MAT_SHAFT)
                t->mat[col + t->nxy * (size_t)l] = EXO_MAT_TISSUE;
        t->ffol[col] = 1.0;
        f->orifice_cols++;
    }
}

static void build_follicles(exo_tissue *t, const exo_config *cfg, const exo_skin_cfg *skin)
{
    const exo_paramset *p = &cfg->params;
    double fa = skin->follicle_area_fraction;
    if (cfg->sim.tissue.follicles == EXO_FOLLICLES_SPREAD) {
        for (size_t c = 0; c < t->nxy; c++)
            t->ffol[c] = fa; /* as in column mode: every column has the mean orifice fraction */
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

exo_status exo__tissue_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                              int ns, const exo_species_meta *meta, exo_tissue **out)
{
    const exo_tissue_cfg *tc = &cfg->sim.tissue;
    int nx = (int)floor(tc->size_x / tc->voxel + 1e-9), ny = (int)floor(tc->size_y / tc->voxel + 1e-9);
    if (nx < 1 || ny < 1)
        return exo_ctx_error(ctx, EXO_EINVAL, "tissue: block %g x %g um has no voxel of %g um", tc->size_x,
                             tc->size_y, tc->voxel);
    double values = (double)nx * ny * g->n * ns;
    if (values > TISSUE_MAX_VALUES)
        return exo_ctx_error(ctx, EXO_EINVAL,
                             "tissue: %d x %d x %d voxels x %d species = %.3g values (at most %.3g: use larger "
                             "voxels, a smaller block or a coarser depth grid)",
                             nx, ny, g->n, ns, values, TISSUE_MAX_VALUES);
    exo_tissue *t = exo_alloc(ctx, 1, sizeof *t);
    if (!t)
        return exo_ctx_error(ctx, EXO_ENOMEM, "tissue: out of memory");
    t->ctx = ctx;
    t->g = g;
    t->nx = nx;
    t->ny = ny;
    t->nz = g->n;
    t->ns = ns;
    t->nxy = (size_t)nx * ny;
    t->n = t->nxy * g->n;
    t->dx = tc->voxel;
    t->lx = nx * t->dx;
    t->ly = ny * t->dx;
    t->nthreads = omp_get_max_threads();
    /* per thread: x sweep 3 nx 8; y sweep nx ny; z sweep 5 nz nx + 8 nx */
    size_t wx = 3 * (size_t)nx * 8, wy = t->nxy, wz = 5 * (size_t)t->nz * nx + 8 * (size_t)nx;
    t->wsize = wx > wy ? wx : wy;
    t->wsize = t->wsize > wz ? t->wsize : wz;
    t->mat = exo_alloc(ctx, t->n, 1);
    t->ffol = exo_alloc(ctx, t->nxy, sizeof *t->ffol);
    t->Dfluid = exo_alloc(ctx, (size_t)ns, sizeof *t->Dfluid);
    t->C = exo_alloc(ctx, (size_t)ns, sizeof *t->C);
    t->V = exo_alloc(ctx, (size_t)ns, sizeof *t->V);
    t->F = exo_alloc(ctx, (size_t)ns, sizeof *t->F);
    t->srcmul = exo_alloc(ctx, (size_t)ns, sizeof *t->srcmul);
    t->tab = exo_alloc(ctx, 5 * (size_t)g->n * EXO_MAT_COUNT, sizeof *t->tab);
    t->work = exo_alloc(ctx, t->wsize * (size_t)t->nthreads, sizeof *t->work);
    t->rows = exo_alloc(ctx, (size_t)ny * (t->nz + EXO_TISSUE_NLED), sizeof *t->rows);
    bool ok = t->tab && t->srcmul && t->mat && t->ffol && t->Dfluid && t->C && t->V && t->F && t->work && t->rows;
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
    build_follicles(t, cfg, skin);
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
    exo_free(ctx, t->ffol);
    exo_free(ctx, t->Dfluid);
    exo_free(ctx, t->work);
    exo_free(ctx, t->rows);
    exo_free(ctx, t);
    *tp = NULL;
}

void exo__tissue_load(exo_tissue *t, int k, exo_species *s)
{
    /* hair shafts hold nothing: the ledger's initial content is what the block holds */
    double before = 0, after = 0;
    for (int l = 0; l < t->nz; l++) {
        double *c = t->C[k] + t->nxy * (size_t)l;
        const uint8_t *m = t->mat + t->nxy * (size_t)l;
        double sum = 0;
        for (size_t q = 0; q < t->nxy; q++) {
            c[q] = m[q] == EXO_MAT_SHAFT ? 0.0 : s->E[l];
            sum += c[q];
        }
        before += s->E[l] * t->g->h[l];
        s->E[l] = sum / (double)t->nxy;
        after += s->E[l] * t->g->h[l];
    }
    s->applied += after - before;
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
} chan_geo;

static void mark_channel_col(exo_tissue *t, size_t col, double d, void *user)
{
    (void)d;
    chan_geo *c = user;
    for (int l = 0; l < c->depth_cells; l++)
        if (t->mat[col + t->nxy * (size_t)l] != EXO_MAT_SHAFT)
            t->mat[col + t->nxy * (size_t)l] = c->code;
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
    chan_put c = {{(uint8_t)(j + 1), cells}, 0.5 * ch->diameter};
    t->n_open[j] = lattice(t, 1.0 / sqrt(dens), 0.5 * t->lx, 0.5 * t->ly, put_channel, &c);
    t->ch_depth[j] = ch->depth;
    t->ch_route[j] = ch->route;
}

void exo__tissue_close(exo_tissue *t, int j)
{
    uint8_t code = (uint8_t)(j + 1);
    for (size_t v = 0; v < t->n; v++)
        if (t->mat[v] == code)
            t->mat[v] = EXO_MAT_TISSUE;
    t->n_open[j] = 0;
}

typedef struct {
    int k;
    double depth, radius, per_point;
    double placed; /* amount placed [amount] */
} bolus_put;

/* Distance [um] from voxel (i, j, l) to (x, y, z). */
static double voxel_dist(const exo_tissue *t, int i, int j, int l, double x, double y, double z)
{
    double a = (i + 0.5) * t->dx - x, b = (j + 0.5) * t->dx - y, c = t->g->zc[l] - z;
    return sqrt(a * a + b * b + c * c);
}

static void put_bolus(exo_tissue *t, double x, double y, void *user)
{
    bolus_put *b = user;
    const exo_grid *g = t->g;
    double vol = 0, best = INFINITY;
    size_t nearest = 0;
    for (int l = g->first[EXO_LAYER_VE]; l < t->nz; l++)
        for (int j = 0; j < t->ny; j++)
            for (int i = 0; i < t->nx; i++) {
                size_t v = (size_t)i + (size_t)t->nx * j + t->nxy * (size_t)l;
                double d = voxel_dist(t, i, j, l, x, y, b->depth);
                if (t->mat[v] == EXO_MAT_SHAFT)
                    continue;
                if (d < best) {
                    best = d;
                    nearest = v;
                }
                if (d <= b->radius)
                    vol += t->dx * t->dx * g->h[l];
            }
    if (vol == 0) /* smaller than a voxel: all into the nearest one */
        t->C[b->k][nearest] += b->per_point / (t->dx * t->dx * g->h[nearest / t->nxy]);
    else
        for (int l = g->first[EXO_LAYER_VE]; l < t->nz; l++)
            for (int j = 0; j < t->ny; j++)
                for (int i = 0; i < t->nx; i++) {
                    size_t v = (size_t)i + (size_t)t->nx * j + t->nxy * (size_t)l;
                    if (t->mat[v] != EXO_MAT_SHAFT && voxel_dist(t, i, j, l, x, y, b->depth) <= b->radius)
                        t->C[b->k][v] += b->per_point / vol;
                }
    b->placed += b->per_point;
}

void exo__tissue_bolus(exo_tissue *t, int k, double amount, double depth, double volume, double density,
                       int route, exo_species *s)
{
    bolus_put b = {k, depth, cbrt(3.0 * volume / (4.0 * PI)), amount / density, 0.0};
    lattice(t, 1.0 / sqrt(density), 0.5 * t->lx, 0.5 * t->ly, put_bolus, &b);
    double per_area = b.placed / (t->lx * t->ly);
    /* the mean profile follows the field */
    for (int l = 0; l < t->nz; l++) {
        const double *c = t->C[k] + t->nxy * (size_t)l;
        double m = 0;
        for (size_t q = 0; q < t->nxy; q++)
            m += c[q];
        s->E[l] = m / (double)t->nxy;
    }
    s->applied += per_area;
    s->route[route] += per_area;
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
