/* transport.c - one implicit split-direction finite-volume step of a species
 * through the tissue block with variable coefficients (docs/tissue.md).
 *
 * Lie splitting into three backward-Euler sweeps, x then y then z.  Lateral
 * sweeps: dx^2/dt (c' - c) = sum over the two faces of D_f (c'_nb - c'),
 * D_f the harmonic mean of the voxels' diffusivities (0 next to a hair
 * shaft), zero flux at the block's sides.  The z sweep is column mode's step
 * on every voxel column (column/step.c): the same finite volumes on the same
 * depth grid, decay, clearance and uptake (all of the step's losses are in
 * this sweep), cell-made sources, the bottom sink, and the surface
 * compartments of that column - its film V and its follicular reservoir F -
 * coupled implicitly (Thomas with three right-hand sides and a 2x2 Schur
 * complement), in the same delta form so that every exchange leaves one
 * compartment and enters another.  Channel and laser families are voxels of
 * fluid instead of column mode's channel compartments: D blends from the
 * tissue's to the fluid's (Stokes-Einstein) with the open fraction a/a0, the
 * SC above them is gone, and the film fills them through the top face at
 * column mode's fill rate (conductance k_fill x depth).
 *
 * Every line is solved by the Thomas algorithm.  A voxel's coefficients
 * depend only on its depth cell and material, a face's on the depth cell and
 * the two materials (EXO_MAT_COUNT values), so they are looked up in tables
 * made once per step (make_tables: harmonic means, conductances, rates)
 * instead of being remade at every face; and since most of the block is
 * tissue, an x tile of tissue rows takes the plane's precomputed Thomas
 * factors.  Lines are processed in blocks so that the recurrences run along
 * the line while the inner loop runs across neighbouring lines (contiguous,
 * branch-free, vectorised with omp simd; elementwise, so the same bits as
 * scalar code): the z and y sweeps update a whole x-row at a time, the x
 * sweep transposes 8 rows into a tile.  On this machine (2026-11-27) the
 * step costs about 9.5 ns of CPU time per voxel and species (16 before the
 * tables; docs/tissue.md "Benchmark"), the z sweep 60 % of it.  OpenMP
 * splits planes, row blocks or rows; no two iterations write the same value
 * and the ledger is summed per row and then over rows in order, so results
 * are identical for any number of threads.  Nothing is allocated.
 *
 * Over several ranks (slabs of rows, docs/tissue.md "MPI") the x and z
 * sweeps stay local; the y lines cross ranks and are eliminated rank after
 * rank in chunks of planes (sweep_y_ranks: the serial recurrences, the
 * factors kept in t->ycp between the passes), and the row sums are gathered
 * so that every rank adds every row in order. */
#include "tissue.h"

#include "core/comm.h"

#include <math.h>
#include <omp.h>
#include <string.h>
#if defined(__SSE2__)
#include <xmmintrin.h>
static unsigned ftz_on(void)
{
    unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040u); /* FTZ and DAZ */
    return csr;
}
static void ftz_restore(unsigned csr) { _mm_setcsr(csr); }
#else
static unsigned ftz_on(void) { return 0; }
static void ftz_restore(unsigned csr) { (void)csr; }
#endif

#define TB 8 /* rows of the x sweep's tile */
#define PAR_MIN 8192 /* [voxels] smaller blocks run on one thread (a parallel region costs more) */

/* ledger partial sums per row of the z sweep */
enum { L_DEG = 0, L_CLR = 4, L_UP = 8, L_MADE = 12, L_BOT, L_ROUTE, L_SURF = L_ROUTE + EXO_ROUTE_COUNT, L_V, L_F, L_END };
_Static_assert(L_END <= EXO_TISSUE_NLED, "ledger slots");

/* Per-step coefficients of one species, made once per step from the column
 * coefficients and the open fractions.  A voxel's coefficients depend only
 * on its depth cell l and material m, and a face's only on l and the two
 * materials beside it (EXO_MAT_COUNT values), so the sweeps look them up
 * instead of remaking harmonic means and conductances at every voxel face:
 * by (l, m): diffusivity [um^2/h], decay, clearance, uptake and their sum
 * [1/h], the source (before the agents' factor); by (l, m1, m2): the lateral
 * face coefficient r D_f [1] (r = dt / dx^2, D_f the harmonic mean, m1 the
 * voxel before the face) and the conductance [um/h] of the face between
 * depth cells l (material m1) and l + 1 (m2); by m: the bottom sink's
 * conductance [um/h].  The same expressions as at the voxels, so the same
 * bits. */
typedef struct {
    const exo_tissue *t;
    const exo_coeffs *c;
    const double *D, *kd, *kc, *ku, *kk, *src; /* [nz x EXO_MAT_COUNT] */
    const double *alat, *gz;    /* [nz x EXO_MAT_COUNT x EXO_MAT_COUNT] (gz: nz - 1 used) */
    const double *gbot;         /* [EXO_MAT_COUNT] */
    const double *xcp, *xden;   /* [nz x nx] x sweep's factors of a line of tissue */
    const double *mul;          /* per voxel factor on the source (cell agents), or NULL */
} coef;

#define NM EXO_MAT_COUNT
static inline size_t lm(int l, uint8_t m) { return (size_t)l * NM + m; }
static inline size_t lmm(int l, uint8_t m1, uint8_t m2) { return ((size_t)l * NM + m1) * NM + m2; }
static inline double harm(double a, double b) { return a + b > 0 ? 2.0 * a * b / (a + b) : 0.0; }

static void make_tables(exo_tissue *t, const exo_coeffs *c, const exo_surface *sf, double Dfl, double dt, coef *q)
{
    const int nz = t->nz;
    const size_t n1 = (size_t)nz * NM, n2 = n1 * NM;
    double *D = t->tab, *kd = D + n1, *kc = kd + n1, *ku = kc + n1, *kk = ku + n1, *src = kk + n1;
    double *alat = src + n1, *gz = alat + n2, *gbot = gz + n2;
    for (int l = 0; l < nz; l++)
        for (int m = 0; m < NM; m++) {
            size_t x = lm(l, (uint8_t)m);
            if (m == EXO_MAT_TISSUE) {
                D[x] = c->D[l];
                kd[x] = c->k_deg[l];
                kc[x] = c->k_clr[l];
                ku[x] = c->k_up[l];
                src[x] = c->src[l];
            } else if (m == EXO_MAT_SHAFT) { /* impermeable, no losses, nothing made */
                D[x] = kd[x] = kc[x] = ku[x] = src[x] = 0.0;
            } else { /* channel fluid, blended back to tissue as the family closes */
                const exo_channels *ch = &sf->ch[m - 1];
                double w = ch->active && ch->a0 > 0 ? ch->a / ch->a0 : 0.0;
                D[x] = c->D[l] + w * (Dfl - c->D[l]);
                kd[x] = (1 - w) * c->k_deg[l] + w * c->k_chan;
                kc[x] = (1 - w) * c->k_clr[l];
                ku[x] = (1 - w) * c->k_up[l];
                src[x] = (1 - w) * c->src[l];
            }
            kk[x] = kd[x] + kc[x] + ku[x];
        }
    const double r = dt / (t->dx * t->dx), *h = t->g->h;
    for (int l = 0; l < nz; l++)
        for (int a = 0; a < NM; a++)
            for (int b = 0; b < NM; b++) {
                double Da = D[lm(l, (uint8_t)a)], Db = l < nz - 1 ? D[lm(l + 1, (uint8_t)b)] : 0.0;
                size_t x = lmm(l, (uint8_t)a, (uint8_t)b);
                alat[x] = r * harm(Da, D[lm(l, (uint8_t)b)]);
                /* series resistance of the two half cells; none next to a shaft */
                gz[x] = Da > 0 && Db > 0 ? 1.0 / (0.5 * h[l] / Da + 0.5 * h[l + 1] / Db) : 0.0;
            }
    for (int m = 0; m < NM; m++) {
        double Db = D[lm(nz - 1, (uint8_t)m)];
        gbot[m] = c->bottom_sink && Db > 0 ? Db / (0.5 * h[nz - 1]) : 0.0;
    }
    /* a line of tissue along x has the same Thomas factors in every row of
     * a plane (the x sweep's recurrence, a = r D_f, none past the last voxel);
     * the planes' recurrences side by side (independent divisions) */
    const int nx = t->nx;
    double *xcp = gbot + NM, *xden = xcp + (size_t)nz * nx;
    for (int i = 0; i < nx; i++)
        for (int l = 0; l < nz; l++) {
            const double A = alat[lmm(l, EXO_MAT_TISSUE, EXO_MAT_TISSUE)];
            double *cpl = xcp + (size_t)nx * l, *dl = xden + (size_t)nx * l;
            double al = i > 0 ? A : 0.0, a = i < nx - 1 ? A : 0.0;
            dl[i] = i > 0 ? 1.0 / (1.0 + al + a + al * cpl[i - 1]) : 1.0 / (1.0 + a);
            cpl[i] = -a * dl[i];
        }
    *q = (coef){t, c, D, kd, kc, ku, kk, src, alat, gz, gbot, xcp, xden, NULL};
}

static inline double vox_D(const coef *q, int l, uint8_t m) { return q->D[lm(l, m)]; }

/* Thomas on a tile tc [nx][TB] with face coefficients ar [nx][TB] (the
 * last 0), cp [nx][TB] the factors. */
static void x_tile(double *tc, double *cp, const double *ar, int nx)
{
#pragma omp simd
    for (int b = 0; b < TB; b++) {
        double den = 1.0 / (1.0 + ar[b]);
        cp[b] = -ar[b] * den;
        tc[b] *= den;
    }
    for (int i = 1; i < nx; i++)
#pragma omp simd
        for (int b = 0; b < TB; b++) {
            double al = ar[(i - 1) * TB + b], a = ar[i * TB + b];
            double den = 1.0 / (1.0 + al + a + al * cp[(i - 1) * TB + b]);
            cp[i * TB + b] = -a * den;
            tc[i * TB + b] = (tc[i * TB + b] + al * tc[(i - 1) * TB + b]) * den;
        }
    for (int i = nx - 2; i >= 0; i--)
#pragma omp simd
        for (int b = 0; b < TB; b++)
            tc[i * TB + b] -= cp[i * TB + b] * tc[(i + 1) * TB + b];
}

/* The same for a tile of tissue lines: face coefficient A everywhere, the
 * plane's factors cp, den [nx] (make_tables). */
static void x_plain(double *tc, const double *cp, const double *den, double A, int nx)
{
#pragma omp simd
    for (int b = 0; b < TB; b++)
        tc[b] *= den[0];
    for (int i = 1; i < nx; i++)
#pragma omp simd
        for (int b = 0; b < TB; b++)
            tc[i * TB + b] = (tc[i * TB + b] + A * tc[(i - 1) * TB + b]) * den[i];
    for (int i = nx - 2; i >= 0; i--)
#pragma omp simd
        for (int b = 0; b < TB; b++)
            tc[i * TB + b] -= cp[i] * tc[(i + 1) * TB + b];
}

/* x sweep: lines along x, TB rows of one plane at a time in a tile laid out
 * [i][row] so that the inner loop runs across the rows.  A tile whose rows
 * are all tissue (most of the block) takes its factors from the plane's
 * table: no divisions, the same numbers. */
static void sweep_x(exo_tissue *t, const coef *q, double *C)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    const int nb = (ny + TB - 1) / TB;
#pragma omp for schedule(static) collapse(2)
    for (int l = 0; l < nz; l++)
        for (int jb = 0; jb < nb; jb++) {
            double *w = t->work + t->wsize * (size_t)omp_get_thread_num();
            double *tc = w, *cp = w + (size_t)nx * TB, *ar = w + 2 * (size_t)nx * TB;
            int j0 = jb * TB, rows = ny - j0 < TB ? ny - j0 : TB;
            /* tissue is material 0: the tile's rows (contiguous, at most 8 nx bytes) against t->zeros */
            const bool plain = memcmp(t->mat + (size_t)nx * j0 + t->nxy * (size_t)l, t->zeros, (size_t)rows * nx) == 0;
            for (int b = 0; b < TB; b++) {
                int j = j0 + (b < rows ? b : 0);
                const double *src = C + (size_t)nx * j + t->nxy * (size_t)l;
                const uint8_t *m = t->mat + (size_t)nx * j + t->nxy * (size_t)l;
                const double *al = q->alat + lmm(l, 0, 0);
                for (int i = 0; i < nx; i++)
                    tc[i * TB + b] = src[i];
                /* face coefficients a_{i+1/2} = r D_f; none at the block's side */
                for (int i = 0; !plain && i < nx - 1; i++)
                    ar[i * TB + b] = al[m[i] * NM + m[i + 1]];
                ar[(nx - 1) * TB + b] = 0.0;
            }
            if (plain)
                x_plain(tc, q->xcp + (size_t)nx * l, q->xden + (size_t)nx * l,
                        q->alat[lmm(l, EXO_MAT_TISSUE, EXO_MAT_TISSUE)], nx);
            else
                x_tile(tc, cp, ar, nx);
            for (int b = 0; b < rows; b++) {
                double *dst = C + (size_t)nx * (j0 + b) + t->nxy * (size_t)l;
                for (int i = 0; i < nx; i++)
                    dst[i] = tc[i * TB + b];
            }
        }
}

/* y sweep: lines along y, a whole x-row per step of the recurrence.  Forward
 * elimination of plane l over the slab's rows: cp_j = -a_{j+1/2} den_j,
 * c_j <- (c_j + a_{j-1/2} c_{j-1}) den_j, the row before the slab (pm, cm:
 * its factors and values from the rank above) or none at the block's side.
 * Beyond a side the faces are shut (materials t->side: hair shaft, so
 * a = r D_f = 0 exactly) and the factors and values are t->zeros: the same
 * arithmetic as with no neighbour, and one branch-free loop (vectorised). */
static void y_forward(const exo_tissue *t, const coef *q, int l, double *c, double *cp, const double *pm,
                      const double *cm)
{
    const int nx = t->nx, ny = t->ny;
    const double *fa = q->alat + lmm(l, 0, 0); /* r D_f by the materials either side */
    const uint8_t *m = t->mat + t->nxy * (size_t)l;
    const uint8_t *lo = t->j0 > 0 ? t->mat_lo + (size_t)nx * l : t->side;
    const uint8_t *hi = t->j0 + ny < t->nyg ? t->mat_hi + (size_t)nx * l : t->side;
    for (int j = 0; j < ny; j++) {
        double *cj = c + (size_t)nx * j, *pj = cp + (size_t)nx * j;
        const uint8_t *mj = m + (size_t)nx * j, *mp = j > 0 ? mj - nx : lo, *mn = j < ny - 1 ? mj + nx : hi;
        const double *pp = j > 0 ? pj - nx : pm ? pm : t->zeros, *cc = j > 0 ? cj - nx : cm ? cm : t->zeros;
#pragma omp simd
        for (int i = 0; i < nx; i++) {
            double al = fa[mp[i] * NM + mj[i]], a = fa[mj[i] * NM + mn[i]];
            double den = 1.0 / (1.0 + al + a + al * pp[i]);
            pj[i] = -a * den;
            cj[i] = (cj[i] + al * cc[i]) * den;
        }
    }
}

/* Back substitution of plane l, the row after the slab (cn: its final
 * values from the rank below) or none at the block's side. */
static void y_backward(const exo_tissue *t, int l, double *c, const double *cp, const double *cn)
{
    const int nx = t->nx;
    (void)l;
    for (int j = cn ? t->ny - 1 : t->ny - 2; j >= 0; j--) {
        double *cj = c + (size_t)nx * j;
        const double *next = j < t->ny - 1 ? cj + nx : cn, *pj = cp + (size_t)nx * j;
#pragma omp simd
        for (int i = 0; i < nx; i++)
            cj[i] -= pj[i] * next[i];
    }
}

static void sweep_y(exo_tissue *t, const coef *q, double *C)
{
#pragma omp for schedule(static)
    for (int l = 0; l < t->nz; l++) {
        double *cp = t->work + t->wsize * (size_t)omp_get_thread_num(), *c = C + t->nxy * (size_t)l;
        y_forward(t, q, l, c, cp, NULL, NULL);
        y_backward(t, l, c, cp, NULL);
    }
}

#define Y_CHUNKS 8 /* planes are sent in this many parts, so that the ranks' eliminations overlap */

/* The y sweep when the lines cross ranks: the same recurrences, rank after
 * rank (forward down the ranks, back substitution up), in chunks of planes
 * so that rank r works on one chunk while rank r + 1 works on the one
 * before; t->ycp keeps the factors between the two passes. */
static exo_status sweep_y_ranks(exo_tissue *t, const coef *q, double *C)
{
    const int nx = t->nx, nz = t->nz, ny = t->ny, up = t->rank - 1, down = t->rank + 1 < t->size ? t->rank + 1 : -1;
    const int chunk = (nz + Y_CHUNKS - 1) / Y_CHUNKS;
    double *pm = t->halo, *cm = t->halo + (size_t)nx * nz; /* [nz x nx] each */
    exo_status st = EXO_OK;
    for (int l0 = 0; l0 < nz && st == EXO_OK; l0 += chunk) {
        int l1 = l0 + chunk < nz ? l0 + chunk : nz;
        size_t len = (size_t)nx * (l1 - l0) * sizeof(double);
        if (up >= 0 && ((st = exo__comm_recv(t->ctx, up, pm + (size_t)nx * l0, len)) != EXO_OK ||
                        (st = exo__comm_recv(t->ctx, up, cm + (size_t)nx * l0, len)) != EXO_OK))
            break;
#pragma omp parallel for schedule(static) if (t->n >= PAR_MIN)
        for (int l = l0; l < l1; l++) {
            unsigned csr = ftz_on();
            y_forward(t, q, l, C + t->nxy * (size_t)l, t->ycp + t->nxy * (size_t)l,
                      up >= 0 ? pm + (size_t)nx * l : NULL, up >= 0 ? cm + (size_t)nx * l : NULL);
            ftz_restore(csr);
        }
        if (down >= 0) { /* the slab's last row of each plane */
            for (int l = l0; l < l1; l++) {
                memcpy(pm + (size_t)nx * l, t->ycp + t->nxy * (size_t)l + (size_t)nx * (ny - 1), (size_t)nx * sizeof(double));
                memcpy(cm + (size_t)nx * l, C + t->nxy * (size_t)l + (size_t)nx * (ny - 1), (size_t)nx * sizeof(double));
            }
            if ((st = exo__comm_send(t->ctx, down, pm + (size_t)nx * l0, len)) == EXO_OK)
                st = exo__comm_send(t->ctx, down, cm + (size_t)nx * l0, len);
        }
    }
    for (int l0 = 0; l0 < nz && st == EXO_OK; l0 += chunk) {
        int l1 = l0 + chunk < nz ? l0 + chunk : nz;
        size_t len = (size_t)nx * (l1 - l0) * sizeof(double);
        if (down >= 0 && (st = exo__comm_recv(t->ctx, down, cm + (size_t)nx * l0, len)) != EXO_OK)
            break;
#pragma omp parallel for schedule(static) if (t->n >= PAR_MIN)
        for (int l = l0; l < l1; l++) {
            unsigned csr = ftz_on();
            y_backward(t, l, C + t->nxy * (size_t)l, t->ycp + t->nxy * (size_t)l, down >= 0 ? cm + (size_t)nx * l : NULL);
            ftz_restore(csr);
        }
        if (up >= 0) { /* the slab's first row, final */
            for (int l = l0; l < l1; l++)
                memcpy(cm + (size_t)nx * l, C + t->nxy * (size_t)l, (size_t)nx * sizeof(double));
            st = exo__comm_send(t->ctx, up, cm + (size_t)nx * l0, len);
        }
    }
    return st;
}

exo_status exo__tissue_halo(exo_tissue *t, const double *field, double *lo, double *hi)
{
    const int nx = t->nx, up = t->rank - 1, down = t->rank + 1 < t->size ? t->rank + 1 : -1;
    const size_t len = (size_t)nx * t->nz * sizeof(double);
    double *buf = t->halo;
    exo_status st = EXO_OK;
    if (t->size == 1)
        return EXO_OK;
    /* downwards (every rank sends before it receives; the last only receives) */
    if (down >= 0) {
        for (int l = 0; l < t->nz; l++)
            memcpy(buf + (size_t)nx * l, field + t->nxy * (size_t)l + (size_t)nx * (t->ny - 1), (size_t)nx * sizeof *buf);
        st = exo__comm_send(t->ctx, down, buf, len);
    }
    if (st == EXO_OK && up >= 0)
        st = exo__comm_recv(t->ctx, up, lo, len);
    if (st == EXO_OK && up >= 0) { /* upwards */
        for (int l = 0; l < t->nz; l++)
            memcpy(buf + (size_t)nx * l, field + t->nxy * (size_t)l, (size_t)nx * sizeof *buf);
        st = exo__comm_send(t->ctx, up, buf, len);
    }
    if (st == EXO_OK && down >= 0)
        st = exo__comm_recv(t->ctx, down, hi, len);
    return st;
}

/* Surface state of one step, shared by all columns. */
typedef struct {
    bool wet;
    double W, iW;      /* [um], [1/um] */
    double kfilm, krel, kfol, kfill;
    int ifol, isc;
    bool sink;
    double w[EXO_MAX_CHANNELS]; /* [1] open fraction of each channel family */
} surf;

/* Top conductance [um/h] of the column whose top voxel has material m. */
static inline double top_G(const exo_tissue *t, const coef *q, const surf *s, uint8_t m)
{
    if (!s->wet || m == EXO_MAT_SHAFT)
        return 0.0;
    double g = q->c->D[0] / (0.5 * t->g->h[0]);
    if (m == EXO_MAT_TISSUE)
        return g;
    double w = s->w[m - 1];
    return (1 - w) * g + w * s->kfill * t->ch_depth[m - 1]; /* an open channel fills at column mode's rate */
}

/* z sweep of row j: every voxel column of the row with its film and
 * follicular reservoir; writes the row's partial sums.  Besides the
 * increments y, the Thomas solve carries the columns' unit responses to the
 * film's exchange through the top face (e0) and to the release into depth
 * cell ifol (ef) for the 2x2 Schur complement; each only when it can act (a
 * film: W > 0; a release: k_rel != 0), as in column/step.c - otherwise its
 * terms are zero and it is not solved. */
static void sweep_z_row(exo_tissue *t, const coef *q, const surf *sf, int k, int j, double dt, double *rowsum)
{
    const int nx = t->nx, nz = t->nz, ifol = sf->ifol;
    const exo_grid *g = t->g;
    const size_t nxy = t->nxy;
    const bool film = sf->W > 0, fol = sf->krel != 0;
    double *w = t->work + t->wsize * (size_t)omp_get_thread_num();
    double *cp = w, *y = cp + (size_t)nz * nx, *e0 = y + (size_t)nz * nx, *ef = e0 + (size_t)nz * nx;
    double *gl = ef + (size_t)nz * nx, *dV = gl + nx, *dF = dV + nx, *gtop = dF + nx, *kfol = gtop + nx;
    double *kr = kfol + nx, *sr = kr + nx, *gr = sr + nx; /* [nx] loss rate [1/h], source, conductance below */
    double *C = t->C[k] + (size_t)nx * j;
    double *V = t->V[k] + (size_t)nx * j, *F = t->F[k] + (size_t)nx * j;
    const uint8_t *M = t->mat + (size_t)nx * j;
    const double *ffol = t->ffol + (size_t)nx * j, *mul = q->mul ? q->mul + (size_t)nx * j : NULL;
    memset(rowsum, 0, (size_t)(nz + EXO_TISSUE_NLED) * sizeof *rowsum);
    double *led = rowsum + nz;

    for (int i = 0; i < nx; i++) {
        gtop[i] = top_G(t, q, sf, M[i]);
        gl[i] = gtop[i];
        kfol[i] = sf->wet ? ffol[i] * sf->kfol : 0.0;
    }
    /* forward elimination with the net inflow at the current state (delta
     * form); gl: conductance [um/h] of the face above, gr: below.  Per
     * depth cell, the voxels' coefficients are first looked up in the tables
     * (indexed loads), then one loop without branches eliminates
     * (vectorised): a term that does not act in this cell is multiplied by
     * zero or taken against itself (above the top, factors and responses
     * are t->zeros and the concentration is the cell's own; below the
     * bottom it is zero: the sink), which adds exactly zero. */
    for (int l = 0; l < nz; l++) {
        const size_t o = nxy * (size_t)l, on = o + nxy;
        const double h = g->h[l], hdt = h / dt, iW = sf->iW;
        const double *kt = q->kk + lm(l, 0), *st = q->src + lm(l, 0), *gz = q->gz + lmm(l, 0, 0);
        for (int i = 0; i < nx; i++) {
            uint8_t m = M[o + i];
            kr[i] = kt[m];
            sr[i] = st[m] * (mul ? mul[o + i] : 1.0);
            gr[i] = l < nz - 1 ? gz[m * NM + M[on + i]] : q->gbot[m];
        }
        const bool top = l == 0;
        const double wfilm = top && film ? 1.0 : 0.0, krel = l == ifol ? sf->krel : 0.0; /* [1], [1/h] */
        const double *Cu = top ? C : C + o - nxy, *Cn = l == nz - 1 ? t->zeros : C + on;
        double *cpl = cp + (size_t)l * nx, *yl = y + (size_t)l * nx;
        double *e0l = e0 + (size_t)l * nx, *efl = ef + (size_t)l * nx;
        const double *cpm = top ? t->zeros : cpl - nx, *ym = top ? t->zeros : yl - nx,
                     *e0m = top ? t->zeros : e0l - nx, *efm = top ? t->zeros : efl - nx;
        const double e0s = top ? 1.0 : 0.0, efs = l == ifol ? 1.0 : 0.0;
#pragma omp simd
        for (int i = 0; i < nx; i++) {
            double E = C[o + i];
            double R = (sr[i] - kr[i] * E) * h;
            R += gl[i] * (Cu[i] - E);
            R -= gr[i] * (E - Cn[i]);
            R += wfilm * gtop[i] * (V[i] * iW - E);
            R += krel * F[i];
            double d = hdt + gl[i] + gr[i] + kr[i] * h;
            double dn = 1.0 / (d + gl[i] * cpm[i]);
            cpl[i] = -gr[i] * dn; /* not used in the bottom cell */
            yl[i] = (R + gl[i] * ym[i]) * dn;
            e0l[i] = (e0s + gl[i] * e0m[i]) * dn;
            efl[i] = (efs + gl[i] * efm[i]) * dn;
            gl[i] = gr[i];
        }
    }
    for (int l = nz - 2; l >= 0; l--) {
        const double *cpl = cp + (size_t)l * nx;
        double *yl = y + (size_t)l * nx, *e0l = e0 + (size_t)l * nx, *efl = ef + (size_t)l * nx;
#pragma omp simd
        for (int i = 0; i < nx; i++)
            yl[i] -= cpl[i] * yl[i + nx];
        if (film)
#pragma omp simd
            for (int i = 0; i < nx; i++)
                e0l[i] -= cpl[i] * e0l[i + nx];
        if (fol)
#pragma omp simd
            for (int i = 0; i < nx; i++)
                efl[i] -= cpl[i] * efl[i + nx];
    }
    /* the film and reservoir of each column: 2x2 Schur complement */
    for (int i = 0; i < nx; i++) {
        double iW = sf->iW, Vo = V[i], Fo = F[i], E0 = C[i];
        double wtop = film ? gtop[i] : 0.0;
        double ftop = film ? gtop[i] * (Vo * iW - E0) : 0.0, ffo = film ? kfol[i] * Vo * iW : 0.0;
        double RV = -ftop - ffo - sf->kfilm * Vo, RF = ffo - sf->krel * Fo - sf->kfilm * Fo;
        double S00 = 1.0 / dt + sf->kfilm + (gtop[i] + kfol[i]) * iW - (film ? wtop * gtop[i] * iW * e0[i] : 0.0);
        double S01 = film && fol ? -wtop * sf->krel * ef[i] : 0.0, S10 = -kfol[i] * iW, S11 = 1.0 / dt + sf->krel + sf->kfilm;
        double r0 = RV + wtop * y[i], r1 = RF;
        double det = S00 * S11 - S01 * S10;
        dV[i] = (r0 * S11 - S01 * r1) / det;
        dF[i] = (S00 * r1 - S10 * r0) / det;
    }
    /* the columns' increments, the row's sums and the ledger's losses and
     * sources, every flux at its t+dt value times dt */
    for (int l = 0; l < nz; l++) {
        const size_t o = nxy * (size_t)l;
        const int L = g->layer[l];
        const double h = g->h[l];
        const double *yl = y + (size_t)l * nx, *e0l = e0 + (size_t)l * nx, *efl = ef + (size_t)l * nx;
        const double *kd = q->kd + lm(l, 0), *kc = q->kc + lm(l, 0), *ku = q->ku + lm(l, 0), *src = q->src + lm(l, 0);
        double sum = 0, deg = 0, clr = 0, up = 0, made = 0;
        for (int i = 0; i < nx; i++) {
            double e = C[o + i] + yl[i];
            if (film)
                e += gtop[i] * sf->iW * dV[i] * e0l[i];
            if (fol)
                e += sf->krel * dF[i] * efl[i];
            C[o + i] = e;
            sum += e;
            uint8_t m = M[o + i];
            double eh = e * h; /* [amount/um^2] */
            deg += kd[m] * eh;
            clr += kc[m] * eh;
            up += ku[m] * eh;
            made += src[m] * (mul ? mul[o + i] : 1.0) * h;
        }
        rowsum[l] = sum;
        led[L_DEG + L] += dt * deg;
        led[L_CLR + L] += dt * clr;
        led[L_UP + L] += dt * up;
        led[L_MADE] += dt * made;
    }
    for (int i = 0; i < nx; i++) {
        V[i] += dV[i];
        F[i] += dF[i];
    }
    const size_t ob = nxy * (size_t)(nz - 1);
    const int isc = sf->isc;
    for (int i = 0; i < nx; i++) {
        uint8_t m = M[i];
        double Db = vox_D(q, nz - 1, M[ob + i]);
        if (sf->sink && Db > 0)
            led[L_BOT] += dt * Db / (0.5 * g->h[nz - 1]) * C[ob + i];
        /* into the viable tissue across the SC / epidermis face (or from the
         * film when there is no SC), by the route of the column's opening */
        double into = 0;
        if (isc == 0) {
            into = sf->W > 0 ? gtop[i] * (V[i] * sf->iW - C[i]) : 0.0;
        } else if (isc < nz) {
            size_t oa = nxy * (size_t)(isc - 1) + i, ob2 = oa + nxy;
            double Da = vox_D(q, isc - 1, M[oa]), Dv = vox_D(q, isc, M[ob2]);
            if (Da > 0 && Dv > 0)
                into = (C[oa] - C[ob2]) / (0.5 * g->h[isc - 1] / Da + 0.5 * g->h[isc] / Dv);
        }
        int route = m != EXO_MAT_TISSUE && m != EXO_MAT_SHAFT ? t->ch_route[m - 1] : EXO_ROUTE_SC;
        led[L_ROUTE + route] += dt * into;
        led[L_ROUTE + EXO_ROUTE_FOLLICLE] += dt * sf->krel * F[i];
        led[L_SURF] += dt * sf->kfilm * (V[i] + F[i]);
        led[L_V] += V[i];
        led[L_F] += F[i];
    }
}

exo_status exo__tissue_step(exo_tissue *t, int k, const exo_coeffs *c, const exo_surface *sf, double dt,
                            exo_species *s)
{
    if (!(dt > 0) || !isfinite(dt))
        return exo_ctx_error(t->ctx, EXO_EINVAL, "tissue step: dt = %g h", dt);
    coef q;
    make_tables(t, c, sf, t->Dfluid[k], dt, &q);
    q.mul = t->srcmul[k];
    const double W = exo__surface_film(sf);
    surf su = {exo__surface_transfers(sf), W, 0.0, c->k_film, sf->k_rel, sf->k_fol, sf->k_fill, sf->i_fol,
               t->g->first[EXO_LAYER_VE], c->bottom_sink, {0}};
    su.iW = W > 0 ? (sf->inv_film > 0 ? sf->inv_film : 1.0 / W) : 0.0;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        su.w[j] = sf->ch[j].active && sf->ch[j].a0 > 0 ? sf->ch[j].a / sf->ch[j].a0 : 0.0;
    double *C = t->C[k];
    const size_t stride = (size_t)t->nz + EXO_TISSUE_NLED;
    const bool ranks = t->size > 1;
    exo_status st = EXO_OK;
#pragma omp parallel if (t->n >= PAR_MIN)
    {
        /* subnormal numbers (the far tail of a profile) flushed to zero in
         * every thread of the step: the same results on any thread, and no
         * 100-cycle microcode assists (they made steps 5x slower) */
        unsigned csr = ftz_on();
        if (t->nx > 1)
            sweep_x(t, &q, C);
        if (t->nyg > 1 && !ranks)
            sweep_y(t, &q, C);
        ftz_restore(csr);
    }
    if (t->nyg > 1 && ranks && (st = sweep_y_ranks(t, &q, C)) != EXO_OK)
        return st;
#pragma omp parallel if (t->n >= PAR_MIN)
    {
        unsigned csr = ftz_on();
#pragma omp for schedule(static)
        for (int j = 0; j < t->ny; j++)
            sweep_z_row(t, &q, &su, k, j, dt, t->rows + stride * (size_t)j);
        ftz_restore(csr);
    }
    /* rows in order, over every rank: the same sums for any number of threads and ranks */
    if ((st = exo__tissue_gather_rows(t)) != EXO_OK)
        return st;
    double led[EXO_TISSUE_NLED] = {0};
    for (int l = 0; l < t->nz; l++)
        s->E[l] = 0;
    for (int j = 0; j < t->nyg; j++) {
        const double *r = t->rows_all + stride * (size_t)j;
        for (int l = 0; l < t->nz; l++)
            s->E[l] += r[l];
        for (int x = 0; x < L_END; x++)
            led[x] += r[t->nz + x];
    }
    const double inv = 1.0 / ((double)t->nx * t->nyg);
    for (int l = 0; l < t->nz; l++)
        s->E[l] *= inv;
    for (int L = 0; L < EXO_LAYER_COUNT; L++) {
        s->degraded[L] += led[L_DEG + L] * inv;
        s->cleared[L] += led[L_CLR + L] * inv;
        s->taken_up[L] += led[L_UP + L] * inv;
    }
    s->produced += led[L_MADE] * inv;
    s->applied += led[L_MADE] * inv;
    s->bottom_out += led[L_BOT] * inv;
    for (int r = 0; r < EXO_ROUTE_COUNT; r++)
        s->route[r] += led[L_ROUTE + r] * inv;
    s->degraded_surface += led[L_SURF] * inv;
    s->V = led[L_V] * inv;
    s->F = led[L_F] * inv;
    if (t->film_mixed && su.wet) /* a level film: drained liquid is replaced from around, with its vesicles */
        for (size_t v = 0; v < t->nxy; v++)
            t->V[k][v] = s->V;
    return EXO_OK;
}

exo_status exo__tissue_gather_field(exo_tissue *t, const float *mine, float *out)
{
    const size_t nx = (size_t)t->nx, plane = nx * t->nyg;
    if (t->rank != 0)
        return exo__comm_send(t->ctx, 0, mine, t->n * sizeof *mine);
    exo_status st = EXO_OK;
    float *buf = NULL;
    for (int r = 0; r < t->size && st == EXO_OK; r++) {
        int a, b;
        exo__tissue_slab(t->nyg, r, t->size, &a, &b);
        size_t rows = (size_t)(b - a);
        const float *src = mine;
        if (r > 0) {
            if (!buf && !(buf = exo_alloc(t->ctx, rows * nx * (size_t)t->nz + nx * (size_t)t->nz, sizeof *buf))) {
                st = exo_ctx_error(t->ctx, EXO_ENOMEM, "tissue: out of memory gathering a field");
                break;
            }
            if ((st = exo__comm_recv(t->ctx, r, buf, rows * nx * (size_t)t->nz * sizeof *buf)) != EXO_OK)
                break;
            src = buf;
        }
        for (int l = 0; l < t->nz; l++)
            memcpy(out + plane * (size_t)l + nx * (size_t)a, src + rows * nx * (size_t)l, rows * nx * sizeof *out);
    }
    exo_free(t->ctx, buf);
    return st;
}
