/* column_test.c - tests of the column transport: grid construction, the
 * analytic verification cases (decay, Gaussian, lag times, conservation) and
 * their observed orders of convergence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exo_units.h>
#include <exoskin/exo_verify.h>
#include <math.h>
#include <string.h>

#include "column/column.h"

static void grid_layers_are_exact(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    double thick[EXO_LAYER_COUNT] = {15, 55, 200, 1730};
    exo_grid *g;
    assert_int_equal(exo__grid_create(ctx, thick, 0.5, 25, 1.15, &g), EXO_OK);
    double z = 0;
    for (int l = 0; l < EXO_LAYER_COUNT; l++) {
        assert_true(fabs(g->top[l] - z) < 1e-9);
        assert_true(fabs(g->zf[g->first[l]] - z) < 1e-9); /* interfaces are faces */
        z += thick[l];
    }
    assert_true(fabs(g->zf[g->n] - 2000) < 1e-9);
    for (int i = 0; i < g->n; i++) {
        assert_true(g->h[i] > 0 && g->h[i] <= 25 * 1.0001);
        assert_true(fabs(g->zf[i + 1] - g->zf[i] - g->h[i]) < 1e-9);
    }
    /* refined at the surface and at each interface */
    assert_true(g->h[0] < 0.6);
    for (int l = 1; l < EXO_LAYER_COUNT; l++) {
        assert_true(g->h[g->first[l]] < 0.6);
        assert_true(g->h[g->first[l] - 1] < 0.6);
    }
    assert_true(g->n < 400); /* tens to hundreds of cells, not thousands */
    exo__grid_destroy(&g);
    assert_null(g);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

static void overlap_is_a_length(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    exo_grid *g;
    assert_int_equal(exo__grid_create_uniform(ctx, 100, 10, EXO_LAYER_VE, &g), EXO_OK);
    double sum = 0;
    for (int i = 0; i < g->n; i++)
        sum += exo__grid_overlap(g, i, 15, 47);
    assert_true(fabs(sum - 32) < 1e-12);
    exo__grid_destroy(&g);
    exo_ctx_destroy(&ctx);
}

static void verification_cases_pass(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    exo_verify_case *c;
    int n;
    assert_int_equal(exo_verify_run(ctx, &c, &n), EXO_OK);
    assert_true(n >= 10);
    const char *required[] = {"decay.order_time", "gaussian.order_space", "lag1.lag_time", "lag1.steady_flux",
                              "lag2.lag_time", "lag2.steady_flux", "conservation.closed", "conservation.ledger"};
    for (size_t r = 0; r < sizeof required / sizeof *required; r++) {
        bool found = false;
        for (int i = 0; i < n; i++) {
            if (strcmp(c[i].name, required[r]) == 0) {
                found = true;
                if (!c[i].pass)
                    fail_msg("%s: expected %g observed %g (%s)", c[i].name, c[i].expected, c[i].observed, c[i].detail);
            }
        }
        assert_true(found);
    }
    for (int i = 0; i < n; i++) {
        if (!strcmp(c[i].name, "gaussian.order_space"))
            assert_true(c[i].observed > 1.8 && c[i].observed < 2.2);
        if (!strcmp(c[i].name, "decay.order_time"))
            assert_true(c[i].observed > 0.9 && c[i].observed < 1.1);
        if (!strncmp(c[i].name, "conservation", 12))
            assert_true(c[i].observed <= 1e-12);
    }
    exo_free(ctx, c);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

static void allocation_failure_is_clean(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    for (long k = 0; k < 12; k++) {
        exo_ctx_fail_alloc_after(ctx, k);
        double thick[EXO_LAYER_COUNT] = {15, 55, 200, 1730};
        exo_grid *g = NULL;
        exo_stepper *w = NULL;
        exo_status st = exo__grid_create(ctx, thick, 0.5, 25, 1.15, &g);
        if (st == EXO_OK)
            st = exo__stepper_create(ctx, g, &w);
        assert_true(st == EXO_OK || st == EXO_ENOMEM);
        exo__stepper_destroy(&w);
        exo__grid_destroy(&g);
        exo_ctx_fail_alloc_after(ctx, -1);
        assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    }
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grid_layers_are_exact),
        cmocka_unit_test(overlap_is_a_length),
        cmocka_unit_test(verification_cases_pass),
        cmocka_unit_test(allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
