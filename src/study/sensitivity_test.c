/* sensitivity_test.c - properties of the sensitivity estimators
 * (src/study/sensitivity.c): Sobol indices of the Ishigami function match
 * the analytic values, Morris mu* of a linear function is |c_i| times the
 * range exactly, the same seed gives identical output, and a tiny Morris run
 * of the skin model ranks a parameter that cannot change the endpoint last
 * with mu* = 0. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "study/sensitivity_impl.h"

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PI 3.14159265358979323846

/* ---- analytic models on [0, 1]^k ---------------------------------------- */

/* Ishigami & Homma (1990): x_i uniform on [-pi, pi], a = 7, b = 0.1. */
static exo_status ishigami(void *user, const double *x, int k, double *y)
{
    (void)user;
    assert_int_equal(k, 3);
    double v[3];
    for (int i = 0; i < 3; i++)
        v[i] = -PI + 2 * PI * x[i];
    *y = sin(v[0]) + 7.0 * sin(v[1]) * sin(v[1]) + 0.1 * pow(v[2], 4) * sin(v[0]);
    return EXO_OK;
}

typedef struct {
    int k;
    double c[4], lo[4], hi[4];
} linear_model;

/* y = sum c_i v_i, v_i = lo_i + x_i (hi_i - lo_i) */
static exo_status linear(void *user, const double *x, int k, double *y)
{
    const linear_model *m = user;
    double s = 0;
    for (int i = 0; i < k; i++)
        s += m->c[i] * (m->lo[i] + x[i] * (m->hi[i] - m->lo[i]));
    *y = s;
    return EXO_OK;
}

static exo_status failing(void *user, const double *x, int k, double *y)
{
    int *calls = user;
    (void)x;
    (void)k;
    *y = 0;
    return ++*calls > 3 ? EXO_ENUMERIC : EXO_OK;
}

static void test_sobol_ishigami(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    double s1[3], s1l[3], s1h[3], st[3], stl[3], sth[3], mean, var;
    int runs;
    assert_int_equal(exo__sens_sobol(ctx, ishigami, NULL, 3, 1024, 100, 7, NULL, NULL, s1, s1l, s1h, st, stl, sth,
                                     &mean, &var, &runs),
                     EXO_OK);
    assert_int_equal(runs, 5 * 1024);
    const double S1[3] = {0.3139, 0.4424, 0.0}, ST[3] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; i++) {
        printf("x%d: S1 %.4f [%.4f, %.4f] (%.4f)  ST %.4f [%.4f, %.4f] (%.4f)\n", i + 1, s1[i], s1l[i], s1h[i], S1[i],
               st[i], stl[i], sth[i], ST[i]);
        assert_true(fabs(s1[i] - S1[i]) < 0.05);
        assert_true(fabs(st[i] - ST[i]) < 0.05);
        assert_true(s1l[i] <= s1h[i] && stl[i] <= sth[i]);
        assert_true(stl[i] <= st[i] + 1e-12 && st[i] - 1e-12 <= sth[i]);
    }
    /* variance of the Ishigami function: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 */
    double v = 49.0 / 8 + 0.1 * pow(PI, 4) / 5 + 0.01 * pow(PI, 8) / 18 + 0.5;
    assert_true(fabs(var - v) / v < 0.05);
    exo_ctx_destroy(&ctx);
}

static void test_morris_linear(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    linear_model m = {4, {2.0, -3.0, 0.0, 0.5}, {0, 10, -1, 1e3}, {1, 20, 1, 2e3}};
    double mu[4], mus[4], sg[4], mean, var;
    int runs;
    assert_int_equal(
        exo__sens_morris(ctx, linear, &m, 4, 10, 3, NULL, NULL, mu, mus, sg, &mean, &var, &runs), EXO_OK);
    assert_int_equal(runs, 10 * 5);
    for (int i = 0; i < 4; i++) {
        double want = m.c[i] * (m.hi[i] - m.lo[i]);
        assert_true(fabs(mu[i] - want) <= 1e-9 * fmax(1, fabs(want)));
        assert_true(fabs(mus[i] - fabs(want)) <= 1e-9 * fmax(1, fabs(want)));
        assert_true(sg[i] <= 1e-9 * fmax(1, fabs(want)));
    }
    exo_ctx_destroy(&ctx);
}

static void test_determinism(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    double a[6][3], b[6][3], mean[2], var[2];
    int runs;
    for (int rep = 0; rep < 2; rep++) {
        double(*o)[3] = rep ? b : a;
        assert_int_equal(exo__sens_sobol(ctx, ishigami, NULL, 3, 64, 50, 11, NULL, NULL, o[0], o[1], o[2], o[3],
                                         o[4], o[5], &mean[rep], &var[rep], &runs),
                         EXO_OK);
    }
    assert_memory_equal(a, b, sizeof a);
    assert_memory_equal(&var[0], &var[1], sizeof var[0]);
    for (int rep = 0; rep < 2; rep++) {
        double(*o)[3] = rep ? b : a;
        assert_int_equal(exo__sens_morris(ctx, ishigami, NULL, 3, 8, 5, NULL, NULL, o[0], o[1], o[2], &mean[rep],
                                          &var[rep], &runs),
                         EXO_OK);
    }
    assert_memory_equal(a, b, 3 * sizeof a[0]);
    /* another seed moves the trajectories */
    assert_int_equal(
        exo__sens_morris(ctx, ishigami, NULL, 3, 8, 6, NULL, NULL, b[0], b[1], b[2], &mean[1], &var[1], &runs),
        EXO_OK);
    assert_memory_not_equal(a, b, 3 * sizeof a[0]);
    exo_ctx_destroy(&ctx);
}

static void test_failure_and_bad_input(void **state)
{
    (void)state;
    exo_ctx *ctx;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    double o[9][3], mean, var;
    int runs, calls = 0;
    assert_int_equal(
        exo__sens_morris(ctx, failing, &calls, 3, 4, 1, NULL, NULL, o[0], o[1], o[2], &mean, &var, &runs),
        EXO_ENUMERIC);
    calls = 0;
    assert_int_equal(exo__sens_sobol(ctx, failing, &calls, 3, 8, 10, 1, NULL, NULL, o[0], o[1], o[2], o[3], o[4],
                                     o[5], &mean, &var, &runs),
                     EXO_ENUMERIC);
    assert_int_equal(
        exo__sens_morris(ctx, ishigami, NULL, 0, 4, 1, NULL, NULL, o[0], o[1], o[2], &mean, &var, &runs),
        EXO_EINPUT);
    assert_int_equal(exo__sens_sobol(ctx, ishigami, NULL, 21, 8, 10, 1, NULL, NULL, o[0], o[1], o[2], o[3], o[4],
                                     o[5], &mean, &var, &runs),
                     EXO_EINPUT);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

/* ---- the skin model ------------------------------------------------------ */

static const char *one_week =
    "name: sensitivity_test\n"
    "seed: 1\n"
    "skin: {region: cheek, age: 45 years, sex: female}\n"
    "products:\n"
    "  - name: serum\n"
    "    origin: adipose_msc\n"
    "    size: {mode: 120 nm, gsd: 1.4, bins: 1}\n"
    "    concentration: 1e10 particles/mL\n"
    "    vehicle: serum\n"
    "arms:\n"
    "  - name: microneedling and serum\n"
    "    protocol:\n"
    "      - event: microneedling\n"
    "        needle_length: 1.0 mm\n"
    "        density: 150 1/cm^2\n"
    "        passes: 1\n"
    "        schedule: once\n"
    "      - event: topical\n"
    "        product: serum\n"
    "        amount: 1 mg/cm^2\n"
    "        contact: 12 h\n"
    "        schedule: once\n"
    "simulation:\n"
    "  duration: 1 week\n"
    "  output_interval: 12 h\n";

static void write_scenario(char *path, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(path, n, "%s/exo_sensitivity_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(one_week, fp);
    assert_int_equal(fclose(fp), 0);
}

static void test_skin_model_morris(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_units *u;
    assert_int_equal(exo_ctx_create(1, &ctx), EXO_OK);
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    char path[512];
    write_scenario(path, sizeof path);
    const char *keys[2] = {"granuloma_hazard", "fibroblast_proliferation"};
    exo_param_id id;
    if (!exo_param_find(keys[1], &id)) /* the key of FIB_PROLIF, whatever its spelling */
        keys[1] = exo_param_table()[EXO_P_FIB_PROLIF].key;
    exo_sensitivity_options opt = {EXO_SENS_MORRIS, "dermal_collagen", NULL, keys, 2, 2, 0, 0, 5};
    assert_int_equal(exo_sensitivity_n_runs(&opt), 6);
    exo_sensitivity_result *r = NULL, *r2 = NULL;
    exo_status st = exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r);
    if (st != EXO_OK)
        print_error("%s\n", exo_ctx_last_error(ctx));
    assert_int_equal(st, EXO_OK);
    assert_int_equal(r->runs, 6);
    assert_int_equal(r->n_params, 2);
    assert_string_equal(r->endpoint, "dermal_collagen");
    assert_string_equal(r->arm, "microneedling and serum");
    printf("%s mu* %g, %s mu* %g\n", r->params[0].key, r->params[0].mu_star, r->params[1].key,
           r->params[1].mu_star);
    assert_string_equal(r->params[1].key, "granuloma_hazard");
    assert_true(r->params[1].mu_star == 0.0);
    assert_true(r->params[0].mu_star > 0.0);
    /* determinism through the public API */
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r2), EXO_OK);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(r->params[i].key, r2->params[i].key);
        assert_memory_equal(&r->params[i].mu, &r2->params[i].mu, sizeof(double));
        assert_memory_equal(&r->params[i].sigma, &r2->params[i].sigma, sizeof(double));
    }
    exo_sensitivity_destroy(ctx, &r2);
    /* bad input */
    opt.method = EXO_SENS_SOBOL;
    opt.n_keys = 0;
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r2), EXO_EINPUT);
    opt.method = EXO_SENS_MORRIS;
    opt.n_keys = 2;
    opt.endpoint = "no_such_readout";
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r2), EXO_EINPUT);
    opt.endpoint = NULL;
    opt.arm = "no such arm";
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r2), EXO_EINPUT);
    const char *dup[2] = {"granuloma_hazard", "granuloma_hazard"};
    opt.arm = NULL;
    opt.keys = dup;
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &r2), EXO_EINPUT);
    assert_null(r2);
    exo_sensitivity_destroy(ctx, &r);
    remove(path);
    exo_units_destroy(&u);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_morris_linear),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_failure_and_bad_input),
        cmocka_unit_test(test_skin_model_morris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
