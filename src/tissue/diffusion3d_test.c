/* diffusion3d_test.c - the tissue-mode transport kernel: mass is conserved
 * without decay and falls by exactly 1/(1 + k dt) per step with it; a 3D
 * Gaussian spreads as sigma^2 = sigma0^2 + 2 D t in every direction; the
 * answer is bit-identical at 1 and 2 threads; a laterally uniform field stays
 * uniform and follows the 1D backward-Euler scheme along z. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "tissue/diffusion3d.h"

static double total(const double *u, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += u[i];
    return t;
}

/* A rough, positive field that depends on every index. */
static void fill_rough(double *u, int nx, int ny, int nz, int s)
{
    for (int k = 0; k < nz; k++)
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
                u[i + (size_t)nx * (j + (size_t)ny * k)] =
                    1.0 + exo_rng_uniform(7, (uint64_t)s, (uint64_t)(i + nx * (j + ny * k)), 0);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    exo_d3_plan *p = (exo_d3_plan *)1;
    double D[1] = {1}, k[1] = {0}, neg[1] = {-1};
    assert_int_equal(exo__d3_create(ctx, 0, 4, 4, 1, 1, 1, D, k, &p), EXO_EINVAL);
    assert_null(p);
    assert_int_equal(exo__d3_create(ctx, 4, 4, 4, 1, 0, 1, D, k, &p), EXO_EINVAL);
    assert_int_equal(exo__d3_create(ctx, 4, 4, 4, 1, 1, 1, neg, k, &p), EXO_EINVAL);
    assert_int_equal(exo__d3_create(ctx, 4, 4, 4, 1, 1, 1, D, neg, &p), EXO_EINVAL);
    exo_ctx_fail_alloc_after(ctx, 2);
    assert_int_equal(exo__d3_create(ctx, 4, 4, 4, 1, 1, 1, D, k, &p), EXO_ENOMEM);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_fail_alloc_after(ctx, -1);
    /* a 1x1x1 grid with decay only */
    double one = 2.0, kk[1] = {0.5};
    assert_int_equal(exo__d3_create(ctx, 1, 1, 1, 1, 1, 0.1, D, kk, &p), EXO_OK);
    double *f[1] = {&one};
    exo__d3_step(p, f);
    assert_true(fabs(one - 2.0 / 1.05) <= 1e-15);
    exo__d3_destroy(&p);
    assert_null(p);
    exo_ctx_destroy(&ctx);
}

/* (a) mass: conserved to 1e-12 without decay; times 1/(1 + k dt) per step with it. */
static void mass_balance(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const int nx = 13, ny = 11, nz = 9, S = 3;
    const size_t n = (size_t)nx * ny * nz;
    const double dx = 5, dt = 0.05;
    const double D[3] = {100, 250, 40}, k0[3] = {0, 0, 0}, k1[3] = {0.3, 1.7, 0.01};
    for (int pass = 0; pass < 2; pass++) {
        const double *kd = pass ? k1 : k0;
        exo_d3_plan *p;
        assert_int_equal(exo__d3_create(ctx, nx, ny, nz, S, dx, dt, D, kd, &p), EXO_OK);
        double *u[3];
        double m0[3];
        for (int s = 0; s < S; s++) {
            u[s] = malloc(n * sizeof(double));
            fill_rough(u[s], nx, ny, nz, s);
            m0[s] = total(u[s], n);
        }
        for (int step = 1; step <= 20; step++) {
            exo__d3_step(p, u);
            for (int s = 0; s < S; s++) {
                double expect = m0[s] * pow(1.0 + kd[s] * dt, -step);
                assert_true(fabs(total(u[s], n) - expect) <= 1e-12 * expect);
            }
        }
        for (int s = 0; s < S; s++)
            free(u[s]);
        exo__d3_destroy(&p);
    }
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

/* (b) a Gaussian far from the walls: sigma^2 = sigma0^2 + 2 D t per direction
 * (backward Euler on the 3-point Laplacian adds exactly 2 D dt per step in an
 * unbounded grid), and the peak falls as (sigma0 / sigma)^3. */
static void gaussian_spreads(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const int nx = 39, ny = 37, nz = 35;
    const size_t n = (size_t)nx * ny * nz;
    const double dx = 2.0, dt = 0.01, D[1] = {20}, kd[1] = {0}, s0 = 6.0;
    const int steps = 100;
    exo_d3_plan *p;
    assert_int_equal(exo__d3_create(ctx, nx, ny, nz, 1, dx, dt, D, kd, &p), EXO_OK);
    double *u = malloc(n * sizeof *u);
    const int ci = nx / 2, cj = ny / 2, ck = nz / 2;
    for (int k = 0; k < nz; k++)
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) {
                double x = (i - ci) * dx, y = (j - cj) * dx, z = (k - ck) * dx;
                u[i + (size_t)nx * (j + (size_t)ny * k)] = exp(-(x * x + y * y + z * z) / (2 * s0 * s0));
            }
    double peak0 = u[ci + (size_t)nx * (cj + (size_t)ny * ck)];
    double *f[1] = {u};
    for (int st = 0; st < steps; st++)
        exo__d3_step(p, f);
    double m = 0, m2[3] = {0, 0, 0}, peak = 0;
    for (int k = 0; k < nz; k++)
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) {
                double v = u[i + (size_t)nx * (j + (size_t)ny * k)];
                double x = (i - ci) * dx, y = (j - cj) * dx, z = (k - ck) * dx;
                m += v;
                m2[0] += v * x * x;
                m2[1] += v * y * y;
                m2[2] += v * z * z;
                if (v > peak)
                    peak = v;
            }
    double var = s0 * s0 + 2 * D[0] * dt * steps;
    for (int d = 0; d < 3; d++)
        assert_true(fabs(m2[d] / m / var - 1) < 0.02);
    double peak_exact = peak0 * pow(s0 * s0 / var, 1.5);
    assert_true(fabs(peak / peak_exact - 1) < 0.02);
    free(u);
    exo__d3_destroy(&p);
    exo_ctx_destroy(&ctx);
}

/* (c) bit-identical at 1, 2 and 3 threads (ny not a multiple of the block;
 * with S = 1 the two z halves of the substance go to different threads). */
static void same_bits_at_1_2_3_threads(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const int nx = 17, ny = 13, nz = 11;
    const size_t n = (size_t)nx * ny * nz;
    const double D[2] = {100, 150}, kd[2] = {0.1, 0.2};
    int saved = omp_get_max_threads();
    for (int S = 1; S <= 2; S++) {
        double *r[3][2];
        for (int t = 0; t < 3; t++) {
            omp_set_num_threads(t + 1);
            exo_d3_plan *p;
            assert_int_equal(exo__d3_create(ctx, nx, ny, nz, S, 10, 0.01, D, kd, &p), EXO_OK);
            for (int s = 0; s < S; s++) {
                r[t][s] = malloc(n * sizeof(double));
                fill_rough(r[t][s], nx, ny, nz, s);
            }
            for (int st = 0; st < 5; st++)
                exo__d3_step(p, r[t]);
            exo__d3_destroy(&p);
        }
        for (int s = 0; s < S; s++) {
            assert_memory_equal(r[0][s], r[1][s], n * sizeof(double));
            assert_memory_equal(r[0][s], r[2][s], n * sizeof(double));
            for (int t = 0; t < 3; t++)
                free(r[t][s]);
        }
    }
    omp_set_num_threads(saved);
    exo_ctx_destroy(&ctx);
}

/* Plain (unfactorised) Thomas for -a u_{i-1} + b_i u_i - a u_{i+1} = d, zero flux. */
static void be_1d(double *u, int n, double a, double kd)
{
    double *c = malloc((size_t)n * sizeof *c), *d = malloc((size_t)n * sizeof *d);
    for (int i = 0; i < n; i++) {
        double b = 1 + kd + a * ((i > 0) + (i < n - 1));
        double lo = i > 0 ? -a : 0, den = b - (i > 0 ? lo * c[i - 1] : 0);
        c[i] = -a / den;
        d[i] = (u[i] - (i > 0 ? lo * d[i - 1] : 0)) / den;
    }
    u[n - 1] = d[n - 1];
    for (int i = n - 2; i >= 0; i--)
        u[i] = d[i] - c[i] * u[i + 1];
    free(c);
    free(d);
}

/* (d) a field that depends on z only stays laterally uniform and follows the
 * 1D backward-Euler scheme along z (decay in the same implicit matrix, as in
 * the column mode), for odd and even nz down to 1 (the z solve eliminates
 * from both ends towards the middle plane). */
static void laterally_uniform_is_1d(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const int nx = 10, ny = 9, nzs[5] = {40, 7, 3, 2, 1};
    const double dx = 10, dt = 0.5, D[1] = {100}, kd[1] = {0.4};
    for (int c = 0; c < 5; c++) {
        const int nz = nzs[c];
        const size_t n = (size_t)nx * ny * nz;
        exo_d3_plan *p;
        assert_int_equal(exo__d3_create(ctx, nx, ny, nz, 1, dx, dt, D, kd, &p), EXO_OK);
        double *u = malloc(n * sizeof *u), ref[40];
        for (int k = 0; k < nz; k++) {
            ref[k] = 1.0 + exp(-0.05 * k) + (k == nz / 3 ? 3.0 : 0.0);
            for (size_t q = 0; q < (size_t)nx * ny; q++)
                u[q + (size_t)nx * ny * k] = ref[k];
        }
        double *f[1] = {u};
        for (int st = 0; st < 10; st++) {
            exo__d3_step(p, f);
            be_1d(ref, nz, D[0] * dt / (dx * dx), kd[0] * dt);
        }
        for (int k = 0; k < nz; k++)
            for (size_t q = 0; q < (size_t)nx * ny; q++)
                assert_true(fabs(u[q + (size_t)nx * ny * k] - ref[k]) <= 1e-12 * fabs(ref[k]));
        free(u);
        exo__d3_destroy(&p);
    }
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_arguments_are_refused), cmocka_unit_test(mass_balance),
        cmocka_unit_test(gaussian_spreads),          cmocka_unit_test(same_bits_at_1_2_3_threads),
        cmocka_unit_test(laterally_uniform_is_1d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
