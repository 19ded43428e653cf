/* diffusion3d.c - the tissue-mode transport kernel: split-direction backward
 * Euler for diffusion-decay on a uniform 3D grid (diffusion3d.h, docs/tissue.md).
 *
 * Each sweep is the Thomas algorithm with the factorisation precomputed in
 * exo__d3_create, run in place on the field:
 *   forward   y_0 = r_0 inv_0,  y_i = (r_i + a y_{i-1}) inv_i
 *   backward  x_{n-1} = y_{n-1}, x_i = y_i + e_i x_{i+1}
 * with inv_i = 1 / (b_i - a e_{i-1}) and e_i = a inv_i (b_i the diagonal).
 * The recurrences run across neighbouring lines at once so the innermost loop
 * is contiguous and vectorises:
 *   y and z sweeps: the lines are strided; the recurrence steps over j (or k)
 *     and updates a whole x-row at a time (x innermost);
 *   x sweep: EXO_D3_BLOCK rows of one plane are transposed into a per-thread
 *     tile (nx x BLOCK, in L1), solved with the row index innermost, and
 *     copied back.
 * Each line is solved by the same operations in the same order whatever the
 * thread that owns it, and nothing is reduced, so the result does not depend
 * on the number of threads. */
#include "tissue/diffusion3d.h"

#include <omp.h>
#include <stddef.h>

struct exo_d3_plan {
    exo_ctx *ctx;   /* borrowed */
    int n[3];       /* nx, ny, nz */
    int S;
    int nthr;       /* threads the scratch is sized for */
    double *a;      /* [3*S] D dt / dx^2 per direction and substance */
    double *inv[3]; /* [S*n[d]] 1 / pivot of line position i */
    double *e[3];   /* [S*n[d]] a / pivot: the back-substitution factor */
    double *tile;   /* [nthr * nx * EXO_D3_BLOCK] x-sweep tiles, one per thread */
    size_t bytes;
};

static void factor(int n, double a, double kd, double *restrict inv, double *restrict e)
{
    for (int i = 0; i < n; i++) {
        int nb = (i > 0) + (i < n - 1); /* neighbours; zero flux beyond the ends */
        double b = 1.0 + kd + a * nb;
        if (i > 0)
            b -= a * e[i - 1];
        inv[i] = 1.0 / b;
        e[i] = a * inv[i];
    }
}

exo_status exo__d3_create(exo_ctx *ctx, int nx, int ny, int nz, int S, double dx, double dt, const double *D,
                          const double *decay, exo_d3_plan **out)
{
    if (!out)
        return exo_ctx_error(ctx, EXO_EINVAL, "diffusion3d: no output plan");
    *out = NULL;
    if (nx < 1 || ny < 1 || nz < 1 || S < 1 || !(dx > 0) || !(dt > 0) || !D || !decay)
        return exo_ctx_error(ctx, EXO_EINVAL, "diffusion3d: bad grid %dx%dx%d, S=%d, dx=%g, dt=%g", nx, ny, nz, S,
                             dx, dt);
    for (int s = 0; s < S; s++)
        if (!(D[s] >= 0) || !(decay[s] >= 0))
            return exo_ctx_error(ctx, EXO_EINVAL, "diffusion3d: substance %d has D=%g, decay=%g", s, D[s],
                                 decay[s]);
    int nthr = omp_get_max_threads();
    if (omp_get_num_procs() > nthr)
        nthr = omp_get_num_procs();
    exo_d3_plan *p = exo_alloc(ctx, 1, sizeof *p);
    if (!p)
        return exo_ctx_error(ctx, EXO_ENOMEM, "diffusion3d: out of memory");
    p->ctx = ctx;
    p->n[0] = nx;
    p->n[1] = ny;
    p->n[2] = nz;
    p->S = S;
    p->nthr = nthr;
    p->a = exo_alloc(ctx, 3 * (size_t)S, sizeof *p->a);
    p->tile = exo_alloc(ctx, (size_t)nthr * (size_t)nx * EXO_D3_BLOCK, sizeof *p->tile);
    p->bytes = sizeof *p + 3 * (size_t)S * sizeof(double) + (size_t)nthr * (size_t)nx * EXO_D3_BLOCK * sizeof(double);
    bool ok = p->a && p->tile;
    for (int d = 0; d < 3; d++) {
        p->inv[d] = exo_alloc(ctx, (size_t)S * (size_t)p->n[d], sizeof(double));
        p->e[d] = exo_alloc(ctx, (size_t)S * (size_t)p->n[d], sizeof(double));
        p->bytes += 2 * (size_t)S * (size_t)p->n[d] * sizeof(double);
        ok = ok && p->inv[d] && p->e[d];
    }
    if (!ok) {
        exo__d3_destroy(&p);
        return exo_ctx_error(ctx, EXO_ENOMEM, "diffusion3d: out of memory");
    }
    for (int d = 0; d < 3; d++)
        for (int s = 0; s < S; s++) {
            double a = D[s] * dt / (dx * dx);
            double kd = d == 2 ? decay[s] * dt : 0.0; /* all the decay in the z sweep */
            p->a[d * S + s] = a;
            factor(p->n[d], a, kd, p->inv[d] + (size_t)s * p->n[d], p->e[d] + (size_t)s * p->n[d]);
        }
    *out = p;
    return EXO_OK;
}

void exo__d3_destroy(exo_d3_plan **plan)
{
    if (!plan || !*plan)
        return;
    exo_d3_plan *p = *plan;
    exo_ctx *ctx = p->ctx;
    for (int d = 0; d < 3; d++) {
        exo_free(ctx, p->inv[d]);
        exo_free(ctx, p->e[d]);
    }
    exo_free(ctx, p->a);
    exo_free(ctx, p->tile);
    exo_free(ctx, p);
    *plan = NULL;
}

size_t exo__d3_voxels(const exo_d3_plan *p)
{
    return (size_t)p->n[0] * (size_t)p->n[1] * (size_t)p->n[2];
}

size_t exo__d3_plan_bytes(const exo_d3_plan *p)
{
    return p->bytes;
}

/* x sweep of rows j0..j0+bw-1 of one plane (base = row 0 of the plane).
 * Columns bw..BLOCK-1 of the tile hold stale finite values from an earlier
 * block; they are solved along and never copied back. */
static void sweep_x_block(double *restrict base, int nx, int bw, double a, const double *restrict inv,
                          const double *restrict e, double *restrict t)
{
    enum { B = EXO_D3_BLOCK };
    for (int jj = 0; jj < bw; jj++) {
        const double *restrict row = base + (size_t)jj * nx;
        for (int i = 0; i < nx; i++)
            t[(size_t)i * B + jj] = row[i];
    }
#pragma omp simd
    for (int jj = 0; jj < B; jj++)
        t[jj] *= inv[0];
    for (int i = 1; i < nx; i++) {
        double *restrict ti = t + (size_t)i * B;
        const double *restrict tp = ti - B;
        const double f = inv[i];
#pragma omp simd
        for (int jj = 0; jj < B; jj++)
            ti[jj] = (ti[jj] + a * tp[jj]) * f;
    }
    for (int i = nx - 2; i >= 0; i--) {
        double *restrict ti = t + (size_t)i * B;
        const double *restrict tn = ti + B;
        const double f = e[i];
#pragma omp simd
        for (int jj = 0; jj < B; jj++)
            ti[jj] += f * tn[jj];
    }
    for (int jj = 0; jj < bw; jj++) {
        double *restrict row = base + (size_t)jj * nx;
        for (int i = 0; i < nx; i++)
            row[i] = t[(size_t)i * B + jj];
    }
}

/* Thomas along a strided direction: m lines of x-rows (nx doubles each),
 * line position l at u + l*stride, solved for the whole row at once. */
static void sweep_strided(double *restrict u, int nx, int m, size_t stride, double a, const double *restrict inv,
                          const double *restrict e)
{
    {
        const double f = inv[0];
#pragma omp simd
        for (int i = 0; i < nx; i++)
            u[i] *= f;
    }
    for (int l = 1; l < m; l++) {
        double *restrict r = u + (size_t)l * stride;
        const double *restrict p = r - stride;
        const double f = inv[l];
#pragma omp simd
        for (int i = 0; i < nx; i++)
            r[i] = (r[i] + a * p[i]) * f;
    }
    for (int l = m - 2; l >= 0; l--) {
        double *restrict r = u + (size_t)l * stride;
        const double *restrict q = r + stride;
        const double f = e[l];
#pragma omp simd
        for (int i = 0; i < nx; i++)
            r[i] += f * q[i];
    }
}

void exo__d3_step(const exo_d3_plan *p, double *const *field)
{
    const int nx = p->n[0], ny = p->n[1], nz = p->n[2], S = p->S;
    const size_t plane = (size_t)nx * ny;
    const int nblk = (ny + EXO_D3_BLOCK - 1) / EXO_D3_BLOCK;
    int nt = omp_get_max_threads();
    if (nt > p->nthr)
        nt = p->nthr;
    /* One parallel region, three work-shared sweeps; the implicit barrier at
     * the end of each `omp for` orders the sweeps. */
#pragma omp parallel num_threads(nt)
    {
        double *restrict tile = p->tile + (size_t)omp_get_thread_num() * nx * EXO_D3_BLOCK;
        /* x sweep: an iteration owns the rows of one block of one plane of one
         * substance and its own thread's tile: no two iterations touch the
         * same voxel, so there is no race. */
#pragma omp for collapse(3) schedule(static)
        for (int s = 0; s < S; s++)
            for (int k = 0; k < nz; k++)
                for (int b = 0; b < nblk; b++) {
                    int j0 = b * EXO_D3_BLOCK;
                    int bw = ny - j0 < EXO_D3_BLOCK ? ny - j0 : EXO_D3_BLOCK;
                    sweep_x_block(field[s] + k * plane + (size_t)j0 * nx, nx, bw, p->a[0 * S + s],
                                  p->inv[0] + (size_t)s * nx, p->e[0] + (size_t)s * nx, tile);
                }
        /* y sweep: an iteration owns one xy-plane (all its y-lines): disjoint. */
#pragma omp for collapse(2) schedule(static)
        for (int s = 0; s < S; s++)
            for (int k = 0; k < nz; k++)
                sweep_strided(field[s] + k * plane, nx, ny, (size_t)nx, p->a[1 * S + s], p->inv[1] + (size_t)s * ny,
                              p->e[1] + (size_t)s * ny);
        /* z sweep: an iteration owns the z-lines through one x-row (fixed j):
         * disjoint. */
#pragma omp for collapse(2) schedule(static)
        for (int s = 0; s < S; s++)
            for (int j = 0; j < ny; j++)
                sweep_strided(field[s] + (size_t)j * nx, nx, nz, plane, p->a[2 * S + s], p->inv[2] + (size_t)s * nz,
                              p->e[2] + (size_t)s * nz);
    }
}
