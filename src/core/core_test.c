/* core_test.c - tests of the context, status list, allocator and the
 * counter-based random streams. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exo_params.h>
#include <math.h>
#include <string.h>

static void status_messages_are_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < EXO_STATUS_COUNT; i++)
        for (int j = i + 1; j < EXO_STATUS_COUNT; j++)
            assert_string_not_equal(exo_status_str((exo_status)i), exo_status_str((exo_status)j));
    assert_string_equal(exo_status_str(EXO_OK), "ok");
    assert_string_equal(exo_status_str((exo_status)999), "unknown status");
}

static void allocator_counts_and_fails_on_request(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(7, &ctx), EXO_OK);
    double *p = exo_alloc(ctx, 100, sizeof *p);
    assert_non_null(p);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 800);
    for (int i = 0; i < 100; i++)
        assert_true(p[i] == 0.0);
    p = exo_realloc(ctx, p, 200, sizeof *p);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 1600);
    assert_true(p[150] == 0.0);
    exo_free(ctx, p);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    assert_null(exo_alloc(ctx, SIZE_MAX / 2, 4)); /* overflow is refused */
    exo_ctx_fail_alloc_after(ctx, 1);
    void *a = exo_alloc(ctx, 1, 8);
    assert_non_null(a);
    assert_null(exo_alloc(ctx, 1, 8));
    exo_free(ctx, a);
    exo_ctx_destroy(&ctx);
    assert_null(ctx);
    exo_ctx_destroy(&ctx); /* NULL-safe */
}

static void rng_depends_only_on_key(void **state)
{
    (void)state;
    uint64_t a = exo_rng_u64(42, 1, 7, 3), b = exo_rng_u64(42, 1, 7, 3);
    assert_true(a == b);
    assert_true(exo_rng_u64(42, 1, 7, 4) != a);
    assert_true(exo_rng_u64(43, 1, 7, 3) != a);
    /* uniform in (0,1) with mean 1/2 and variance 1/12 (1e5 draws: 4 sigma bounds) */
    double s = 0, s2 = 0;
    const int n = 100000;
    for (int i = 0; i < n; i++) {
        double u = exo_rng_uniform(1, 2, 3, (uint64_t)i);
        assert_true(u > 0 && u < 1);
        s += u;
        s2 += u * u;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    assert_true(fabs(mean - 0.5) < 4 * sqrt(1.0 / 12 / n));
    assert_true(fabs(var - 1.0 / 12) < 0.002);
}

static void parameter_table_is_complete(void **state)
{
    (void)state;
    const exo_param_info *t = exo_param_table();
    for (int i = 0; i < EXO_P_COUNT; i++) {
        assert_non_null(t[i].key);
        assert_true(strlen(t[i].unit) > 0);
        assert_true(strlen(t[i].source) > 10);
        assert_true(t[i].min <= t[i].value && t[i].value <= t[i].max);
        exo_param_id id;
        assert_ptr_equal(exo_param_find(t[i].key, &id), &t[i]);
        assert_int_equal(id, i);
        for (int j = i + 1; j < EXO_P_COUNT; j++)
            assert_string_not_equal(t[i].key, t[j].key);
    }
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    exo_units *u;
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    exo_paramset p;
    assert_int_equal(exo_paramset_defaults(u, &p), EXO_OK);
    /* conversions to internal units (um, h) */
    assert_true(fabs(p.v[EXO_P_TISSUE_DECAY_HALF_LIFE] - 36.0) < 1e-9);          /* 1.5 d */
    assert_true(fabs(p.v[EXO_P_D_CYTOKINE] - 30.0 * 3600) < 1e-6);               /* um^2/s */
    assert_true(fabs(p.v[EXO_P_FIBRE_RADIUS] - 0.05) < 1e-12);                   /* 50 nm */
    assert_true(fabs(p.v[EXO_P_ASSUMED_CONC] / (1e10 * EXO_PER_ML) - 1) < 1e-12); /* 1e10/mL */
    assert_true(fabs(p.v[EXO_P_ETA_ISF] - 1.2e-3) < 1e-15);                      /* Pa.s */
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_messages_are_distinct),
        cmocka_unit_test(allocator_counts_and_fails_on_request),
        cmocka_unit_test(rng_depends_only_on_key),
        cmocka_unit_test(parameter_table_is_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
