/* diffusion3d.c - the tissue-mode transport kernel: split-direction backward
 * Euler for diffusion-decay on a uniform 3D grid (diffusion3d.h, docs/tissue.md).
 *
 * Each sweep is the Thomas algorithm with the factorisation precomputed in
 * exo__d3_create, run in place on the field:
 *   forward   y_0 = r_0 inv_0,  y_i = (r_i + a y_{i-1}) inv_i
 *   backward  x_{n-1} = y_{n-1}, x_i = y_i + e_i x_{i+1}
 * with inv_i = 1 / (b_i - a e_{i-1}) and e_i = a inv_i (b_i the diagonal).
 * A step makes two passes over memory (32 bytes moved per voxel-substance
 * instead of 48 for three separate sweeps):
 *   pass 1, plane by plane from each z end towards the middle plane m:
 *     x sweep of EXO_D3_BLOCK rows at a time (one scalar recurrence per row,
 *     interleaved in registers), each block then eliminated forward along y
 *     while in L1; y back-substitution over the plane (in L2), each row then
 *     eliminated forward along z from the same row of the previous plane
 *     (still in L2);
 *   the middle plane's z equation from its two eliminated neighbours;
 *   pass 2, from the middle outwards: z back-substitution over whole planes.
 * The z solve is a twisted factorisation (eliminated from both ends towards
 * m, see factor_twisted) so the two halves of a substance are independent
 * units of work: 2 S units for the threads, balanced at 2 threads for any S.
 * The y and z recurrences update a whole x-row (or plane) at a time, so their
 * inner loops are contiguous and vectorise.
 * Each voxel gets the same operations in the same order whatever the thread
 * that owns it, and nothing is reduced, so the result does not depend on the
 * number of threads. */
#include "tissue/diffusion3d.h"

#include <omp.h>
#include <stddef.h>

struct exo_d3_plan {
    exo_ctx *ctx;   /* borrowed */
    int n[3];       /* nx, ny, nz */
    int S;
    double *a;      /* [3*S] D dt / dx^2 per direction and substance */
    double *inv[3]; /* [S*n[d]] 1 / pivot of line position i */
    double *e[3];   /* [S*n[d]] a / pivot: the back-substitution factor */
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

/* The z factorisation, eliminated from both ends towards the middle line
 * position m = n/2 (a twisted factorisation): for i < m as in factor(), for
 * i > m its mirror image (pivot b_i - a e_{i+1}, back-substitution from
 * i-1), and inv[m] = 1 / (b_m - a e_{m-1} - a e_{m+1}) with the neighbours
 * that exist; e[m] is unused (0). */
static void factor_twisted(int n, double a, double kd, double *restrict inv, double *restrict e)
{
    const int m = n / 2;
    for (int c = 0; c < n; c++) {
        const int i = c < m ? c : n - 1 + m - c; /* 0 .. m-1, then n-1 down to m */
        const int nb = (i > 0) + (i < n - 1);
        double b = 1.0 + kd + a * nb;
        if (i <= m && i > 0)
            b -= a * e[i - 1];
        if (i >= m && i < n - 1)
            b -= a * e[i + 1];
        inv[i] = 1.0 / b;
        e[i] = i == m ? 0.0 : a * inv[i];
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
    exo_d3_plan *p = exo_alloc(ctx, 1, sizeof *p);
    if (!p)
        return exo_ctx_error(ctx, EXO_ENOMEM, "diffusion3d: out of memory");
    p->ctx = ctx;
    p->n[0] = nx;
    p->n[1] = ny;
    p->n[2] = nz;
    p->S = S;
    p->a = exo_alloc(ctx, 3 * (size_t)S, sizeof *p->a);
    p->bytes = sizeof *p + 3 * (size_t)S * sizeof(double);
    bool ok = p->a != NULL;
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
            if (d < 2)
                factor(p->n[d], a, kd, p->inv[d] + (size_t)s * p->n[d], p->e[d] + (size_t)s * p->n[d]);
            else
                factor_twisted(nz, a, kd, p->inv[d] + (size_t)s * nz, p->e[d] + (size_t)s * nz);
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

/* x sweep of `nr` rows (nr <= EXO_D3_BLOCK) starting at `row0`, followed by
 * the forward y elimination of those rows (row j0 + r uses the finished row
 * before it, which is in L1).  The x recurrences of the rows are interleaved
 * in registers, one scalar chain per row, so each voxel is loaded and stored
 * once per pass; called with a constant nr (the block, or 1) so the row loop
 * unrolls. */
static inline void xy_rows(double *restrict row0, int nx, int nr, int j0, double ax, const double *restrict invx,
                           const double *restrict ex, double ay, const double *restrict invy)
{
    enum { B = EXO_D3_BLOCK };
    double c[B];
#pragma GCC unroll 8
    for (int r = 0; r < nr; r++) {
        c[r] = row0[(size_t)r * nx] * invx[0];
        row0[(size_t)r * nx] = c[r];
    }
    for (int i = 1; i < nx; i++) {
        const double f = invx[i], g = ax * f; /* r f + g c: two roundings on the chain */
#pragma GCC unroll 8
        for (int r = 0; r < nr; r++) {
            c[r] = row0[(size_t)r * nx + i] * f + g * c[r];
            row0[(size_t)r * nx + i] = c[r];
        }
    }
    for (int i = nx - 2; i >= 0; i--) {
        const double f = ex[i];
#pragma GCC unroll 8
        for (int r = 0; r < nr; r++) {
            c[r] = row0[(size_t)r * nx + i] + f * c[r];
            row0[(size_t)r * nx + i] = c[r];
        }
    }
    for (int r = 0; r < nr; r++) {
        double *restrict row = row0 + (size_t)r * nx;
        const int j = j0 + r;
        const double f = invy[j];
        if (j == 0) {
#pragma omp simd
            for (int i = 0; i < nx; i++)
                row[i] *= f;
        } else {
            const double *restrict prev = row - nx;
#pragma omp simd
            for (int i = 0; i < nx; i++)
                row[i] = (row[i] + ay * prev[i]) * f;
        }
    }
}

/* Forward z elimination of the row r of plane k from the same row b of the
 * plane eliminated before it (k-1 in the lower half, k+1 in the upper; NULL
 * for the grid's end plane); fz = inv_z[k]. */
static inline void zfwd_row(double *restrict r, const double *restrict b, int n, double az, double fz)
{
    if (!b) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            r[i] *= fz;
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            r[i] = (r[i] + az * b[i]) * fz;
    }
}

/* The x sweep and then the y sweep of one xy-plane (`u` = its first voxel):
 * blocks of rows solved along x and eliminated forward along y while they are
 * in L1, then the y back-substitution over the plane (in L2).  With zf, each
 * row finished along y then gets its forward z elimination step while still
 * in L1 (`below`: the plane eliminated before, as for zfwd_row). */
static void sweep_xy_plane(double *restrict u, int nx, int ny, double ax, const double *restrict invx,
                           const double *restrict ex, double ay, const double *restrict invy,
                           const double *restrict ey, bool zf, const double *restrict below, double az, double fz)
{
    int j = 0;
    for (; j + EXO_D3_BLOCK <= ny; j += EXO_D3_BLOCK)
        xy_rows(u + (size_t)j * nx, nx, EXO_D3_BLOCK, j, ax, invx, ex, ay, invy);
    for (; j < ny; j++)
        xy_rows(u + (size_t)j * nx, nx, 1, j, ax, invx, ex, ay, invy);
    /* row l+1 is eliminated along z once row l no longer needs its y value */
    for (int l = ny - 2; l >= 0; l--) {
        double *restrict r = u + (size_t)l * nx;
        double *restrict q = r + nx;
        const double *restrict b = below ? below + (size_t)(l + 1) * nx : NULL;
        const double f = ey[l];
        if (!zf) {
#pragma omp simd
            for (int i = 0; i < nx; i++)
                r[i] += f * q[i];
        } else if (b) {
#pragma omp simd
            for (int i = 0; i < nx; i++) {
                const double t = r[i] + f * q[i];
                q[i] = (q[i] + az * b[i]) * fz;
                r[i] = t;
            }
        } else {
#pragma omp simd
            for (int i = 0; i < nx; i++) {
                const double t = r[i] + f * q[i];
                q[i] *= fz;
                r[i] = t;
            }
        }
    }
    if (zf)
        zfwd_row(u, below, nx, az, fz);
}

/* Pass 1 of one half of substance s: the x and y sweeps and the forward z
 * elimination of each plane, from the grid's end plane (k = 0 for the lower
 * half, nz-1 for the upper) towards the middle plane m, so the plane before
 * is still in L2 when the next needs it.  The lower half also sweeps the
 * middle plane along x and y. */
static void pass1_half(const exo_d3_plan *p, int s, int upper, double *restrict u)
{
    const int nx = p->n[0], ny = p->n[1], nz = p->n[2], S = p->S, m = nz / 2;
    const size_t plane = (size_t)nx * ny;
    const double *invz = p->inv[2] + (size_t)s * nz;
    const int k0 = upper ? nz - 1 : 0, dk = upper ? -1 : 1, nk = upper ? nz - 1 - m : m + 1;
    for (int c = 0; c < nk; c++) {
        const int k = k0 + c * dk;
        const bool middle = k == m; /* x and y only; z after both halves */
        sweep_xy_plane(u + k * plane, nx, ny, p->a[0 * S + s], p->inv[0] + (size_t)s * nx, p->e[0] + (size_t)s * nx,
                       p->a[1 * S + s], p->inv[1] + (size_t)s * ny, p->e[1] + (size_t)s * ny, !middle,
                       c ? u + (k - dk) * plane : NULL, p->a[2 * S + s], invz[k]);
    }
}

/* Pass 2 of one half: z back-substitution from the middle plane outwards,
 * over whole planes (the plane before is in cache). */
static void pass2_half(const exo_d3_plan *p, int s, int upper, double *restrict u)
{
    const int nz = p->n[2], m = nz / 2;
    const size_t plane = (size_t)p->n[0] * p->n[1];
    const double *ez = p->e[2] + (size_t)s * nz;
    const int dk = upper ? 1 : -1, nk = upper ? nz - 1 - m : m;
    for (int c = 1; c <= nk; c++) {
        const int k = m + c * dk;
        double *restrict r = u + k * plane;
        const double *restrict q = r - dk * (ptrdiff_t)plane;
        const double f = ez[k];
#pragma omp simd
        for (size_t i = 0; i < plane; i++)
            r[i] += f * q[i];
    }
}

void exo__d3_step(const exo_d3_plan *p, double *const *field)
{
    const int nx = p->n[0], ny = p->n[1], nz = p->n[2], S = p->S, m = nz / 2;
    const size_t plane = (size_t)nx * ny;
    int nt = omp_get_max_threads();
    if (nt > 2 * S)
        nt = 2 * S; /* the units of the two passes */
    /* One parallel region, three work-shared loops ordered by the implicit
     * barrier at the end of each. */
#pragma omp parallel num_threads(nt)
    {
        /* an iteration owns one half (the middle plane going with the lower)
         * of one substance: disjoint voxels */
#pragma omp for schedule(static)
        for (int h = 0; h < 2 * S; h++)
            pass1_half(p, h / 2, h % 2, field[h / 2]);
        /* the middle plane's z equation from both eliminated neighbours; an
         * iteration owns one row of one substance's middle plane */
#pragma omp for collapse(2) schedule(static)
        for (int s = 0; s < S; s++)
            for (int j = 0; j < ny; j++) {
                double *restrict r = field[s] + m * plane + (size_t)j * nx;
                const double a = p->a[2 * S + s], f = p->inv[2][(size_t)s * nz + m];
                const double *lo = m > 0 ? r - plane : NULL, *hi = m < nz - 1 ? r + plane : NULL;
                if (lo && hi) {
#pragma omp simd
                    for (int i = 0; i < nx; i++)
                        r[i] = (r[i] + a * lo[i] + a * hi[i]) * f;
                } else {
                    zfwd_row(r, lo, nx, a, f);
                }
            }
        /* an iteration owns one half (without the middle plane) */
#pragma omp for schedule(static)
        for (int h = 0; h < 2 * S; h++)
            pass2_half(p, h / 2, h % 2, field[h / 2]);
    }
}
