/* agents.c - the cells of tissue mode as agents (docs/tissue.md):
 * keratinocytes and melanocytes in the viable epidermis, fibroblasts and
 * macrophages in the dermis, one agent per cell, at the zone model's cell
 * densities, each with a position, a type and its own state (cargo pools,
 * activation and senescence for fibroblasts, M2 share for macrophages).
 *
 * At every biology update (every <= 2 h, as in column mode) each agent:
 *  - takes up vesicles from its voxel: the uptake the transport removes
 *    there (rate constant kappa of its type at that depth times the local
 *    concentration), per cell of its type, by cargo class;
 *  - advances its state with the same per-cell functions as the zone model
 *    (biology.c: exo__bio_cargo_rates, exo__bio_fibroblast_rates,
 *    exo__bio_polarisation_rate), driven by the mediators of its voxel;
 *  - fibroblasts make new collagen in their voxels (new_collagen);
 *  - macrophages move: a random walk (motility) plus a drift up the gradient
 *    of inflammation I; recruited macrophages arrive where the recruitment
 *    drive exo__bio_recruitment(I) is highest, in the numbers the zone model's
 *    macrophage density asks for, and the earliest recruited leave first.
 * Agents then place the cell-made mediators in their voxels: the part of the
 * zone source of I made by macrophages and the source of MMP (made by
 * fibroblasts) are shared among voxels in proportion to what the agents
 * there make (exo__bio_macrophage_I, exo__bio_fibroblast_M), at the same
 * total per depth cell, so the zone biology and the readouts see the same
 * means.  Random numbers come from counter-based streams keyed by the
 * agent's id and the update's index; each agent writes only its own state,
 * and arrivals, departures and the source maps are made serially in agent
 * order, so results do not depend on the number of threads.
 *
 * Over several ranks (docs/tissue.md "MPI") every rank keeps every agent (a
 * few hundred bytes each, against the fields' gigabytes), but only the rank
 * whose slab holds an agent updates it; the updated states are then gathered
 * in agent order.  Arrivals choose a row of voxels from the rows' weights of
 * every rank, then the rank holding the row chooses the voxel; sums over the
 * block add rows in order.  So any split gives the serial run's bits. */
#include "tissue.h"

#include "core/comm.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define PI 3.14159265358979323846
#define MAX_AGENTS 2000000
#define SUBSTEP (0.5 * EXO_H) /* [h] longest step of an agent's state */
#define PURPOSE_PLACE 0x7469737301ull
#define PURPOSE_MOVE 0x7469737302ull
#define PURPOSE_RECRUIT 0x7469737303ull

enum { S_Q = 0, S_A = EXO_CARGO_COUNT, S_S, S_PHI2, S_N };

struct exo_agents {
    exo_ctx *ctx;
    const exo_config *cfg;
    uint64_t seed;
    int n, cap;
    uint64_t next_id;
    long updates;           /* biology updates so far */
    double agent_updates;   /* agent state updates so far */
    double *x, *y, *z;      /* [um] */
    uint8_t *type, *recruited;
    uint64_t *id;
    double *st;             /* n x S_N */
    double *mulI, *mulM;    /* [1] per voxel: local source of I and M relative to its depth cell's mean */
    double age;             /* [y] now */
    double *wsum;           /* per voxel scratch */
    double *cum;            /* per voxel scratch (recruitment weights) */
    double *Ilo, *Ihi;      /* [nz x nx] inflammation of the rows beside the slab */
    double *mean;           /* [nz] scratch: the block's mean per depth cell */
    double *newC;           /* [1: young total collagen = 1] per voxel: new collagen made in the run */
    double tvol;            /* [um^3] scratch: volume of a fibroblast's territory */
    int *rank_of;           /* [cap] rank that updates each agent (scratch) */
    double *pack, *packed;  /* [cap x (3 + S_N)] agents' states sent and gathered (scratch) */
    int zone_l0[EXO_NZ], zone_l1[EXO_NZ]; /* depth cells of each zone */
};

static exo_status grow(exo_agents *g, int need)
{
    if (need <= g->cap)
        return EXO_OK;
    int cap = g->cap ? 2 * g->cap : 1024;
    while (cap < need)
        cap *= 2;
    double **d[] = {&g->x, &g->y, &g->z};
    for (int k = 0; k < 3; k++) {
        double *p = exo_realloc(g->ctx, *d[k], (size_t)cap, sizeof(double));
        if (!p)
            return EXO_ENOMEM;
        *d[k] = p;
    }
    double *st = exo_realloc(g->ctx, g->st, (size_t)cap * S_N, sizeof(double));
    if (!st)
        return EXO_ENOMEM;
    g->st = st;
    uint8_t *ty = exo_realloc(g->ctx, g->type, (size_t)cap, 1);
    if (!ty)
        return EXO_ENOMEM;
    g->type = ty;
    uint8_t *re = exo_realloc(g->ctx, g->recruited, (size_t)cap, 1);
    if (!re)
        return EXO_ENOMEM;
    g->recruited = re;
    uint64_t *id = exo_realloc(g->ctx, g->id, (size_t)cap, sizeof(uint64_t));
    if (!id)
        return EXO_ENOMEM;
    g->id = id;
    int *rk = exo_realloc(g->ctx, g->rank_of, (size_t)cap, sizeof(int));
    if (!rk)
        return EXO_ENOMEM;
    g->rank_of = rk;
    double **b[] = {&g->pack, &g->packed};
    for (int k = 0; k < 2; k++) {
        double *q = exo_realloc(g->ctx, *b[k], (size_t)cap * (3 + S_N), sizeof(double));
        if (!q)
            return EXO_ENOMEM;
        *b[k] = q;
    }
    g->cap = cap;
    return EXO_OK;
}

/* Appends one agent with the zone's per-cell state. */
static exo_status add(exo_agents *g, const exo_bio *b, int zone, int c, double x, double y, double z, bool recruited)
{
    if (grow(g, g->n + 1) != EXO_OK)
        return EXO_ENOMEM;
    exo_bio_cell cs;
    exo__bio_cell_state(b, zone, c, &cs);
    int k = g->n++;
    g->x[k] = x;
    g->y[k] = y;
    g->z[k] = z;
    g->type[k] = (uint8_t)c;
    g->recruited[k] = recruited;
    g->id[k] = g->next_id++;
    double *s = g->st + (size_t)k * S_N;
    memcpy(s + S_Q, cs.Q, sizeof cs.Q);
    s[S_A] = cs.a;
    s[S_S] = cs.s;
    s[S_PHI2] = cs.phi2;
    return EXO_OK;
}

static double u01(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t counter)
{
    return exo_rng_uniform(seed, purpose, index, counter);
}

static int depth_cell(const exo_tissue *t, double z)
{
    const exo_grid *g = t->g;
    int lo = 0, hi = t->nz - 1;
    while (lo < hi) { /* last cell whose top face is <= z */
        int mid = (lo + hi + 1) / 2;
        if (g->zf[mid] <= z)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int col_x(const exo_tissue *t, double x) { return (int)fmin(t->nx - 1, fmax(0, floor(x / t->dx))); }
static int row_y(const exo_tissue *t, double y) { return (int)fmin(t->nyg - 1, fmax(0, floor(y / t->dx))); }

/* The slab's voxel at a point of the slab. */
static size_t voxel_of(const exo_tissue *t, double x, double y, double z)
{
    return (size_t)col_x(t, x) + (size_t)t->nx * (size_t)(row_y(t, y) - t->j0) + t->nxy * (size_t)depth_cell(t, z);
}

static bool owned(const exo_tissue *t, double y)
{
    int j = row_y(t, y);
    return j >= t->j0 && j < t->j0 + t->ny;
}

/* In a hair shaft (from the block's map: any point, on every rank)? */
static bool in_shaft(const exo_tissue *t, double x, double y, double z)
{
    return depth_cell(t, z) < t->shaft[(size_t)col_x(t, x) + (size_t)t->nx * (size_t)row_y(t, y)];
}

/* The rank whose slab holds row jg. */
static int rank_of_row(const exo_tissue *t, int jg)
{
    int r = (int)((long long)jg * t->size / t->nyg), a, b;
    for (;;) { /* the estimate is within one of the answer */
        exo__tissue_slab(t->nyg, r, t->size, &a, &b);
        if (jg < a)
            r--;
        else if (jg >= b)
            r++;
        else
            return r;
    }
}

exo_status exo__agents_create(exo_ctx *ctx, const exo_config *cfg, exo_tissue *t, const exo_bio *b, exo_agents **out)
{
    exo_agents *g = exo_alloc(ctx, 1, sizeof *g);
    if (!g)
        return exo_ctx_error(ctx, EXO_ENOMEM, "agents: out of memory");
    g->ctx = ctx;
    g->cfg = cfg;
    g->seed = cfg->seed;
    g->mulI = exo_alloc(ctx, t->n, sizeof *g->mulI);
    g->mulM = exo_alloc(ctx, t->n, sizeof *g->mulM);
    g->wsum = exo_alloc(ctx, t->n, sizeof *g->wsum);
    g->cum = exo_alloc(ctx, t->n, sizeof *g->cum);
    g->Ilo = exo_alloc(ctx, (size_t)t->nx * t->nz, sizeof *g->Ilo);
    g->Ihi = exo_alloc(ctx, (size_t)t->nx * t->nz, sizeof *g->Ihi);
    g->mean = exo_alloc(ctx, (size_t)t->nz, sizeof *g->mean);
    g->newC = exo_alloc(ctx, t->n, sizeof *g->newC);
    exo_status st = EXO_OK;
    if (!g->mulI || !g->mulM || !g->wsum || !g->cum || !g->Ilo || !g->Ihi || !g->mean || !g->newC) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "agents: out of memory");
        goto out;
    }
    for (size_t v = 0; v < t->n; v++)
        g->mulI[v] = g->mulM[v] = 1.0f;
    double area = t->lx * t->ly, expected = 0;
    for (int zn = 0; zn < EXO_NZ; zn++) {
        exo__bio_zone_range(b, zn, &g->zone_l0[zn], &g->zone_l1[zn]);
        for (int c = 0; c < EXO_NCELL; c++)
            expected += exo__bio_cells(b, zn, c) * area;
    }
    if (expected > MAX_AGENTS) {
        st = exo_ctx_error(ctx, EXO_EINVAL, "agents: %.0f cells in the block (at most %d: use a smaller block)",
                           expected, MAX_AGENTS);
        goto out;
    }
    /* each zone and type: its cells per area times the block's area, the
     * fraction drawn, at uniform random positions in the zone (not in shafts) */
    for (int zn = 0; zn < EXO_NZ; zn++) {
        if (g->zone_l1[zn] <= g->zone_l0[zn])
            continue;
        double z0 = t->g->zf[g->zone_l0[zn]], z1 = t->g->zf[g->zone_l1[zn]];
        for (int c = 0; c < EXO_NCELL; c++) {
            double want = exo__bio_cells(b, zn, c) * area;
            uint64_t key = (uint64_t)(zn * EXO_NCELL + c) << 40;
            int count = (int)floor(want) + (u01(g->seed, PURPOSE_PLACE, key, 0) < want - floor(want));
            for (int k = 0, tries = 0; k < count && tries < 100 * count + 100; tries++) {
                double x = u01(g->seed, PURPOSE_PLACE, key + (uint64_t)tries, 1) * t->lx;
                double y = u01(g->seed, PURPOSE_PLACE, key + (uint64_t)tries, 2) * t->ly;
                double z = z0 + u01(g->seed, PURPOSE_PLACE, key + (uint64_t)tries, 3) * (z1 - z0);
                if (in_shaft(t, x, y, z))
                    continue;
                if (add(g, b, zn, c, x, y, z, false) != EXO_OK) {
                    st = exo_ctx_error(ctx, EXO_ENOMEM, "agents: out of memory");
                    goto out;
                }
                k++;
            }
        }
    }
    *out = g;
    return EXO_OK;
out:
    exo__agents_destroy(&g);
    return st;
}

void exo__agents_destroy(exo_agents **gp)
{
    if (!gp || !*gp)
        return;
    exo_agents *g = *gp;
    exo_ctx *ctx = g->ctx;
    void *p[] = {g->x,    g->y,   g->z,   g->type,   g->recruited, g->id,  g->st,     g->mulI,
                 g->mulM, g->wsum, g->cum, g->Ilo, g->Ihi,       g->rank_of, g->pack, g->packed, g->mean, g->newC};
    for (size_t k = 0; k < sizeof p / sizeof *p; k++)
        exo_free(ctx, p[k]);
    exo_free(ctx, g);
    *gp = NULL;
}

int exo__agents_count(const exo_agents *g) { return g->n; }
double exo__agents_updates(const exo_agents *g) { return g->agent_updates; }

/* Rates of one agent's state (the zone model's per-cell functions). */
static void agent_rates(const exo_bio *b, const exo_config *cfg, int c, const double *s, const double *u,
                        const double med[4], double J, double *ds)
{
    memset(ds, 0, S_N * sizeof *ds);
    exo__bio_cargo_rates(cfg, u, s + S_Q, ds + S_Q);
    if (c == EXO_CELL_F)
        exo__bio_fibroblast_rates(b, s + S_Q, s[S_A], s[S_S], J, med[2], med[3], &ds[S_A], &ds[S_S]);
    else if (c == EXO_CELL_M)
        ds[S_PHI2] = exo__bio_polarisation_rate(cfg, s + S_Q, s[S_PHI2], med[0], med[1]);
}

static double gauss(uint64_t seed, uint64_t id, uint64_t counter)
{
    double u1 = u01(seed, PURPOSE_MOVE, id, 2 * counter), u2 = u01(seed, PURPOSE_MOVE, id, 2 * counter + 1);
    return sqrt(-2.0 * log(fmax(u1, 1e-300))) * cos(2 * PI * u2);
}

static double reflect(double x, double lo, double hi)
{
    for (int k = 0; k < 4 && (x < lo || x > hi); k++)
        x = x < lo ? 2 * lo - x : 2 * hi - x;
    return fmin(fmax(x, lo), hi);
}

/* I at voxel (i, global row jg, l) of the slab or the rows beside it. */
static double I_at(const exo_agents *g, const exo_tissue *t, const double *I, int i, int jg, int l)
{
    int j = jg - t->j0;
    if (j < 0)
        return g->Ilo[(size_t)i + (size_t)t->nx * l];
    if (j >= t->ny)
        return g->Ihi[(size_t)i + (size_t)t->nx * l];
    return I[(size_t)i + (size_t)t->nx * j + t->nxy * (size_t)l];
}

/* Moves macrophage k: random walk plus drift up grad I, kept in the dermis. */
static void move(const exo_agents *g, const exo_tissue *t, const double *I, int k, double dt, double zlo, double zhi)
{
    const exo_paramset *p = &g->cfg->params;
    size_t v = voxel_of(t, g->x[k], g->y[k], g->z[k]);
    int i = col_x(t, g->x[k]), j = row_y(t, g->y[k]), l = (int)(v / t->nxy);
    double gx = 0, gy = 0, gz = 0;
    if (t->nx > 1)
        gx = (I[v + (i < t->nx - 1)] - I[v - (i > 0)]) / (t->dx * ((i < t->nx - 1) + (i > 0)));
    if (t->nyg > 1)
        gy = (I_at(g, t, I, i, j + (j < t->nyg - 1), l) - I_at(g, t, I, i, j - (j > 0), l)) /
             (t->dx * ((j < t->nyg - 1) + (j > 0)));
    int la = l > 0 ? l - 1 : l, lb = l < t->nz - 1 ? l + 1 : l;
    if (lb > la)
        gz = (I[v + t->nxy * (size_t)(lb - l)] - I[v - t->nxy * (size_t)(l - la)]) / (t->g->zc[lb] - t->g->zc[la]);
    double gn = sqrt(gx * gx + gy * gy + gz * gz), drift = gn > 0 ? p->v[EXO_P_MAC_CHEMOTAXIS] * dt / gn : 0.0;
    double sd = sqrt(2.0 * p->v[EXO_P_MAC_MOTILITY] * dt);
    uint64_t c = 3 * (uint64_t)g->updates;
    double *xs = g->x, *ys = g->y, *zs = g->z;
    xs[k] = reflect(xs[k] + drift * gx + sd * gauss(g->seed, g->id[k], c), 0.0, t->lx);
    ys[k] = reflect(ys[k] + drift * gy + sd * gauss(g->seed, g->id[k], c + 1), 0.0, t->ly);
    zs[k] = reflect(zs[k] + drift * gz + sd * gauss(g->seed, g->id[k], c + 2), zlo, zhi);
    if (in_shaft(t, xs[k], ys[k], zs[k])) { /* cannot enter a hair: stay */
        xs[k] -= drift * gx;
        ys[k] -= drift * gy;
    }
}

/* Arrivals in zone planes [l0, l1): n of them at voxels drawn with weights
 * the recruitment drive of their I times their depth: a row of voxels (a
 * depth cell and a row of the block) from every row's weight, then, on the
 * rank that holds the row, a voxel of the row; out[m], out[n + m]: the depth
 * cell x nyg + row and the column of arrival m.  None (*n = 0) where no
 * voxel draws any. */
static exo_status arrivals(exo_agents *g, exo_tissue *t, const double *I, int zn, int l0, int l1, long *np,
                           double *out)
{
    const long n = *np;
    const size_t stride = (size_t)t->nz + EXO_TISSUE_NLED;
    const int nx = t->nx;
    for (int l = l0; l < l1; l++)
        for (int j = 0; j < t->ny; j++) {
            size_t v0 = (size_t)nx * j + t->nxy * (size_t)l;
            double sum = 0;
            for (int i = 0; i < nx; i++) {
                sum += t->mat[v0 + i] == EXO_MAT_SHAFT ? 0.0 : exo__bio_recruitment(g->cfg, I[v0 + i]) * t->g->h[l];
                g->cum[v0 + i] = sum; /* cumulative along the row */
            }
            t->rows[stride * (size_t)j + (size_t)l] = sum;
        }
    exo_status st = exo__tissue_gather_rows(t);
    if (st != EXO_OK)
        return st;
    double total = 0; /* rows_all becomes the cumulative weight over rows (l, then row) */
    for (int l = l0; l < l1; l++)
        for (int j = 0; j < t->nyg; j++) {
            double *w = t->rows_all + stride * (size_t)j + (size_t)l;
            total += *w;
            *w = total;
        }
    if (!(total > 0)) {
        *np = 0;
        return EXO_OK;
    }
    const long nrows = (long)(l1 - l0) * t->nyg;
#define CUM(p) t->rows_all[stride * (size_t)((p) % t->nyg) + (size_t)(l0 + (p) / t->nyg)]
    for (long m = 0; m < n; m++) {
        uint64_t key = ((uint64_t)g->updates << 20) + (uint64_t)zn * 100000 + (uint64_t)m;
        double r = u01(g->seed, PURPOSE_RECRUIT, key, 0) * total;
        long lo = 0, hi = nrows - 1;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            if (CUM(mid) < r)
                lo = mid + 1;
            else
                hi = mid;
        }
        int l = l0 + (int)(lo / t->nyg), jg = (int)(lo % t->nyg), i = 0;
        double rest = r - (lo > 0 ? CUM(lo - 1) : 0.0);
        if (jg >= t->j0 && jg < t->j0 + t->ny) { /* the voxel of the row, where this rank holds it */
            const double *c = g->cum + (size_t)nx * (jg - t->j0) + t->nxy * (size_t)l;
            int a = 0, b = nx - 1;
            while (a < b) {
                int mid = (a + b) / 2;
                if (c[mid] < rest && c[mid] < c[nx - 1])
                    a = mid + 1;
                else
                    b = mid;
            }
            i = a;
        }
        out[m] = (double)l * t->nyg + jg;
        out[n + m] = i;
    }
#undef CUM
    /* the columns from the ranks that chose them (0 elsewhere): exact sums */
    return exo__comm_sum(t->ctx, out + n, (int)n);
}

/* Recruited macrophages arrive or leave so that each dermal zone holds the
 * zone model's macrophage count. */
static exo_status recruit(exo_agents *g, exo_tissue *t, const exo_bio *b, const double *I)
{
    double area = t->lx * t->ly;
    for (int zn = 0; zn < EXO_NZ; zn++) {
        int l0 = g->zone_l0[zn], l1 = g->zone_l1[zn];
        if (l1 <= l0 || zn == EXO_ZONE_VE)
            continue;
        double z0 = t->g->zf[l0], z1 = t->g->zf[l1];
        long target = lround(exo__bio_cells(b, zn, EXO_CELL_M) * area), have = 0;
        for (int k = 0; k < g->n; k++)
            have += g->type[k] == EXO_CELL_M && g->z[k] >= z0 && g->z[k] < z1;
        /* departures: the earliest recruited of the zone first (agents are in id order) */
        for (int k = 0; k < g->n && have > target; k++)
            if (g->type[k] == EXO_CELL_M && g->recruited[k] && g->z[k] >= z0 && g->z[k] < z1) {
                g->type[k] = 255; /* removed below */
                have--;
            }
        if (have >= target)
            continue;
        long n = target - have;
        double *at = exo_alloc(g->ctx, 2 * (size_t)n, sizeof *at);
        if (!at)
            return exo_ctx_error(g->ctx, EXO_ENOMEM, "agents: out of memory");
        long placed = n;
        exo_status st = arrivals(g, t, I, zn, l0, l1, &placed, at);
        for (long m = 0; m < placed && st == EXO_OK; m++) {
            uint64_t key = ((uint64_t)g->updates << 20) + (uint64_t)zn * 100000 + (uint64_t)m;
            long row = (long)at[m];
            int l = (int)(row / t->nyg), j = (int)(row % t->nyg), i = (int)at[n + m];
            double x = (i + u01(g->seed, PURPOSE_RECRUIT, key, 1)) * t->dx;
            double y = (j + u01(g->seed, PURPOSE_RECRUIT, key, 2)) * t->dx;
            double z = t->g->zf[l] + u01(g->seed, PURPOSE_RECRUIT, key, 3) * t->g->h[l];
            if (add(g, b, zn, EXO_CELL_M, x, y, z, true) != EXO_OK)
                st = exo_ctx_error(g->ctx, EXO_ENOMEM, "agents: out of memory");
        }
        exo_free(g->ctx, at);
        if (st != EXO_OK)
            return st;
    }
    int w = 0; /* compact, keeping the order */
    for (int k = 0; k < g->n; k++) {
        if (g->type[k] == 255)
            continue;
        if (w != k) {
            g->x[w] = g->x[k];
            g->y[w] = g->y[k];
            g->z[w] = g->z[k];
            g->type[w] = g->type[k];
            g->recruited[w] = g->recruited[k];
            g->id[w] = g->id[k];
            memcpy(g->st + (size_t)w * S_N, g->st + (size_t)k * S_N, S_N * sizeof(double));
        }
        w++;
    }
    g->n = w;
    return EXO_OK;
}

enum { W_I, W_M }; /* what agents make: I (macrophages), MMP (fibroblasts) */

/* g->wsum: what the agents of each voxel of the slab make of `what` (per
 * cell: exo__bio_macrophage_I, exo__bio_fibroblast_M, the functions the
 * zone's rates are made of); g->mean: its block mean per depth cell. */
static exo_status voxel_weights(exo_agents *g, exo_tissue *t, const exo_bio *b, const double *I, int what)
{
    const int cell = what == W_I ? EXO_CELL_M : EXO_CELL_F;
    memset(g->wsum, 0, t->n * sizeof *g->wsum);
    for (int k = 0; k < g->n; k++) {
        if (g->type[k] != cell || !owned(t, g->y[k]))
            continue;
        size_t v = voxel_of(t, g->x[k], g->y[k], g->z[k]);
        const double *s = g->st + (size_t)k * S_N;
        g->wsum[v] += what == W_I ? exo__bio_macrophage_I(g->cfg, s + S_Q, s[S_PHI2], 1.0)
                                  : exo__bio_fibroblast_M(b, s + S_Q, s[S_S], I[v], g->age, 1.0);
    }
    return exo__tissue_block_mean(t, g->wsum, g->mean);
}

/* Source maps: what the agents of each voxel make of I (macrophage part)
 * and of M, relative to the block's mean over their depth cell; the rest of
 * a zone's source stays uniform. */
static exo_status source_maps(exo_agents *g, exo_tissue *t, const exo_bio *b, const double *I)
{
    for (int which = W_I; which <= W_M; which++) {
        double *mul = which == W_I ? g->mulI : g->mulM;
        exo_status st = voxel_weights(g, t, b, I, which);
        if (st != EXO_OK)
            return st;
        for (int l = 0; l < t->nz; l++) {
            int zn = exo__bio_zone_of(b, l);
            double share = zn < 0 || zn == EXO_ZONE_VE ? 0.0 : (which == W_I ? exo__bio_macrophage_share(b, zn) : 1.0);
            const double *w = g->wsum + t->nxy * (size_t)l;
            double *m = mul + t->nxy * (size_t)l, mean = g->mean[l];
            for (size_t q = 0; q < t->nxy; q++)
                m[q] = share > 0 && mean > 0 ? 1.0 - share + share * (w[q] / mean) : 1.0;
        }
    }
    return EXO_OK;
}

/* Calls put(v, volume) for the voxels of fibroblast k's territory: those
 * whose centre lies within r [um] of it (and its own voxel), mirrored into
 * the block at its sides, outside hair shafts; v is the slab's voxel index,
 * or SIZE_MAX for a voxel of another rank's slab (its volume still counts). */
/* Index i of a line of n voxels mirrored into it at its ends. */
static int mirror(int i, int n)
{
    while (i < 0 || i >= n)
        i = i < 0 ? -1 - i : 2 * n - 1 - i;
    return i;
}

typedef void (*territory_fn)(exo_agents *g, size_t v, double vol, double w);
static void territory(exo_agents *g, const exo_tissue *t, int k, double r, territory_fn put, double w)
{
    const exo_grid *gr = t->g;
    const double x = g->x[k], y = g->y[k], z = g->z[k];
    const int ic = col_x(t, x), jc = row_y(t, y), lc = depth_cell(t, z), span = (int)ceil(r / t->dx);
    for (int pass = 0; pass < 2; pass++) { /* up from lc, then down from lc + 1 */
        int l = pass == 0 ? lc : lc + 1, step = pass == 0 ? -1 : 1;
        for (; l >= 0 && l < t->nz && (l == lc || fabs(gr->zc[l] - z) <= r); l += step)
            for (int j = jc - span; j <= jc + span; j++)
                for (int i = ic - span; i <= ic + span; i++) {
                    double a = (i + 0.5) * t->dx - x, b = (j + 0.5) * t->dx - y, c = gr->zc[l] - z;
                    if (a * a + b * b + c * c > r * r && !(i == ic && j == jc && l == lc))
                        continue;
                    /* the part beyond a side of the block folds back into it (zero flux there, as
                     * in the transport), so fibroblasts near a side are not favoured */
                    int im = mirror(i, t->nx), jm = mirror(j, t->nyg);
                    if (l < t->shaft[(size_t)im + (size_t)t->nx * jm])
                        continue;
                    bool mine = jm >= t->j0 && jm < t->j0 + t->ny;
                    put(g, mine ? (size_t)im + (size_t)t->nx * (jm - t->j0) + t->nxy * (size_t)l : SIZE_MAX,
                        t->dx * t->dx * gr->h[l], w);
                }
    }
}

static void add_volume(exo_agents *g, size_t v, double vol, double w)
{
    (void)v;
    (void)w;
    g->tvol += vol;
}

static void add_share(exo_agents *g, size_t v, double vol, double w)
{
    (void)vol;
    if (v != SIZE_MAX)
        g->wsum[v] += w;
}

/* g->wsum: collagen synthesis per volume that the fibroblasts lay down in
 * each voxel of the slab, each spreading what it makes
 * (exo__bio_fibroblast_C, the zone's function) evenly over its territory, the
 * sphere of the volume per fibroblast of its zone; g->mean: its block mean
 * per depth cell.  Every rank goes through every fibroblast (all are on
 * every rank) in agent order, so a voxel's sum has the same terms in the same
 * order on any split. */
static exo_status collagen_weights(exo_agents *g, exo_tissue *t, const exo_bio *b)
{
    double radius[EXO_NZ];
    for (int zn = 0; zn < EXO_NZ; zn++) {
        exo_bio_cell cs;
        exo__bio_cell_state(b, zn, EXO_CELL_F, &cs);
        radius[zn] = cs.density > 0 ? cbrt(3.0 / (4.0 * PI * cs.density)) : 0.0;
    }
    memset(g->wsum, 0, t->n * sizeof *g->wsum);
    for (int k = 0; k < g->n; k++) {
        if (g->type[k] != EXO_CELL_F)
            continue;
        int zn = exo__bio_zone_of(b, depth_cell(t, g->z[k]));
        double r = zn >= 0 ? radius[zn] : 0.0;
        int j = row_y(t, g->y[k]), span = (int)ceil(r / t->dx);
        if (j + span < t->j0 || j - span >= t->j0 + t->ny) /* nothing in this slab */
            continue;
        const double *s = g->st + (size_t)k * S_N;
        double made = exo__bio_fibroblast_C(b, s + S_Q, s[S_A], s[S_S], g->age, 1.0);
        g->tvol = 0;
        territory(g, t, k, r, add_volume, 0.0);
        if (g->tvol > 0)
            territory(g, t, k, r, add_share, made / g->tvol);
    }
    return exo__tissue_block_mean(t, g->wsum, g->mean);
}

/* New collagen over dt [h]: each depth cell's synthesis (the zone's, now)
 * shared among its voxels as the fibroblasts around lay it down (uniformly
 * where the depth cell has none), lost at the zone's rate (maturation, MMP),
 * exactly integrated; the block mean of a depth cell follows the zone's
 * production. */
static exo_status new_collagen(exo_agents *g, exo_tissue *t, const exo_bio *b, double dt)
{
    exo_status st = collagen_weights(g, t, b);
    if (st != EXO_OK)
        return st;
    for (int l = 0; l < t->nz; l++) {
        double syn, loss;
        exo__bio_new_collagen_rates(b, exo__bio_zone_of(b, l), &syn, &loss);
        const double keep = exp(-loss * dt), made = loss > 0 ? -expm1(-loss * dt) / loss : dt, mean = g->mean[l];
        const double *w = g->wsum + t->nxy * (size_t)l;
        double *c = g->newC + t->nxy * (size_t)l;
        for (size_t q = 0; q < t->nxy; q++)
            c[q] = c[q] * keep + (mean > 0 ? syn * (w[q] / mean) : syn) * made;
    }
    return EXO_OK;
}

const double *exo__agents_new_collagen(const exo_agents *g) { return g->newC; }

/* Every rank's updated agents (position and state) to every rank, in agent order. */
static exo_status share_agents(exo_agents *g, const exo_tissue *t)
{
    const size_t w = 3 + S_N;
    size_t all[EXO_COMM_MAX_RANKS] = {0}, mine = 0;
    if (t->size == 1)
        return EXO_OK;
    if (t->size > EXO_COMM_MAX_RANKS)
        return exo_ctx_error(g->ctx, EXO_EINVAL, "agents: %d ranks (at most %d)", t->size, EXO_COMM_MAX_RANKS);
    for (int k = 0; k < g->n; k++) {
        all[g->rank_of[k]] += w * sizeof(double);
        if (g->rank_of[k] == t->rank) {
            double *p = g->pack + w * mine++;
            p[0] = g->x[k];
            p[1] = g->y[k];
            p[2] = g->z[k];
            memcpy(p + 3, g->st + (size_t)k * S_N, S_N * sizeof(double));
        }
    }
    exo_status st = exo__comm_allgather(g->ctx, g->pack, mine * w * sizeof(double), g->packed, all);
    if (st != EXO_OK)
        return st;
    size_t next[EXO_COMM_MAX_RANKS], off = 0;
    for (int r = 0; r < t->size; r++) {
        next[r] = off;
        off += all[r] / sizeof(double);
    }
    for (int k = 0; k < g->n; k++) {
        const double *p = g->packed + next[g->rank_of[k]];
        next[g->rank_of[k]] += w;
        g->x[k] = p[0];
        g->y[k] = p[1];
        g->z[k] = p[2];
        memcpy(g->st + (size_t)k * S_N, p + 3, S_N * sizeof(double));
    }
    return EXO_OK;
}

exo_status exo__agents_update(exo_agents *g, exo_tissue *t, const exo_bio *b, const exo_species_meta *meta,
                              const double *kappa, const int med[EXO_MED_COUNT], double dt)
{
    const exo_config *cfg = g->cfg;
    const double *I = t->C[med[EXO_MED_I]];
    double zlo = t->g->top[EXO_LAYER_PAP], zhi = t->g->top[EXO_LAYER_COUNT];
    exo_bio_cell zc[EXO_NZ][EXO_NCELL];
    for (int zn = 0; zn < EXO_NZ; zn++)
        for (int c = 0; c < EXO_NCELL; c++)
            exo__bio_cell_state(b, zn, c, &zc[zn][c]);
    g->age = zc[0][0].age;
    int nsub = (int)ceil(dt / SUBSTEP - 1e-9);
    double h = nsub > 0 ? dt / nsub : 0.0;
    exo_status st = exo__tissue_halo(t, I, g->Ilo, g->Ihi);
    if (st != EXO_OK)
        return st;
    for (int k = 0; k < g->n; k++)
        g->rank_of[k] = rank_of_row(t, row_y(t, g->y[k]));
#pragma omp parallel for schedule(static) if (g->n >= 4096)
    for (int k = 0; k < g->n; k++) {
        if (g->rank_of[k] != t->rank) /* another rank's */
            continue;
        int c = g->type[k];
        size_t v = voxel_of(t, g->x[k], g->y[k], g->z[k]);
        int l = (int)(v / t->nxy), zn = exo__bio_zone_of(b, l);
        if (zn < 0)
            continue;
        /* uptake per cell of this type from its voxel, by cargo class */
        double u[EXO_CARGO_COUNT] = {0}, dens = zc[zn][c].density;
        for (int sp = 0; sp < t->ns && dens > 0; sp++) {
            if (!meta[sp].vesicle)
                continue;
            double per_cell = kappa[(size_t)l * EXO_NCELL + c] * t->C[sp][v] / dens;
            const double *chi = cfg->products[meta[sp].product].cargo;
            for (int q = 0; q < EXO_CARGO_COUNT; q++)
                u[q] += per_cell * chi[q];
        }
        double m[4];
        for (int q = 0; q < 4; q++)
            m[q] = t->C[med[q]][v];
        double *s = g->st + (size_t)k * S_N, k1[S_N], k2[S_N], y1[S_N];
        for (int n = 0; n < nsub; n++) { /* Heun */
            agent_rates(b, cfg, c, s, u, m, zc[zn][c].J, k1);
            for (int x = 0; x < S_N; x++)
                y1[x] = s[x] + h * k1[x];
            agent_rates(b, cfg, c, y1, u, m, zc[zn][c].J, k2);
            for (int x = 0; x < S_N; x++)
                s[x] += 0.5 * h * (k1[x] + k2[x]);
        }
        if (c == EXO_CELL_M)
            move(g, t, I, k, dt, zlo, zhi);
    }
    if ((st = share_agents(g, t)) != EXO_OK)
        return st;
    g->agent_updates += g->n;
    g->updates++;
    if ((st = recruit(g, t, b, I)) != EXO_OK || (st = source_maps(g, t, b, I)) != EXO_OK ||
        (st = new_collagen(g, t, b, dt)) != EXO_OK)
        return st;
    t->srcmul[med[EXO_MED_I]] = g->mulI;
    t->srcmul[med[EXO_MED_M]] = g->mulM;
    return EXO_OK;
}

void exo__agents_summary(const exo_agents *g, double mean_state[EXO_NCELL][4], int count[EXO_NCELL])
{
    memset(mean_state, 0, sizeof(double) * EXO_NCELL * 4);
    memset(count, 0, sizeof(int) * EXO_NCELL);
    for (int k = 0; k < g->n; k++) {
        int c = g->type[k];
        const double *s = g->st + (size_t)k * S_N;
        count[c]++;
        mean_state[c][0] += s[S_Q + EXO_CARGO_GF];
        mean_state[c][1] += s[S_A];
        mean_state[c][2] += s[S_S];
        mean_state[c][3] += s[S_PHI2];
    }
    for (int c = 0; c < EXO_NCELL; c++)
        for (int x = 0; x < 4 && count[c]; x++)
            mean_state[c][x] /= count[c];
}
