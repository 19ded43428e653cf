/* posterior_test.c - tests of the parameter posterior: its file round trip,
 * malformed files as errors, draws (median at index 0, reproducible, inside
 * the range, with the stated spread and correlation) and the shipped file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "core/posterior_impl.h"
#include "core/test_fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Two parameters: a log-normal one (film half-life 0.5-10 d) and a normal
 * one (SC occlusion gain 0-10), correlated 0.6 in transformed space. */
static exo_posterior *make_two(exo_ctx *ctx)
{
    exo_posterior *p = NULL;
    assert_int_equal(exo__posterior_create(ctx, 2, &p), EXO_OK);
    const exo_param_id ids[2] = {EXO_P_SC_OCCLUSION_GAIN, EXO_P_FILM_DECAY_HALF_LIFE};
    const double median[2] = {5.0, 3.0}, ratio[2] = {0.3, 0.5};
    for (int k = 0; k < 2; k++) {
        double mean;
        exo__prior_init(ids[k], &p->par[k], &mean);
        p->par[k].median = median[k];
        p->par[k].sd = ratio[k] * p->par[k].prior_sd;
    }
    p->corr[0] = p->corr[3] = 1;
    p->corr[1] = p->corr[2] = 0.6;
    assert_int_equal(exo__posterior_set_text(p, &p->training_data, "test"), EXO_OK);
    assert_int_equal(exo__posterior_set_text(p, &p->method, "by hand"), EXO_OK);
    assert_int_equal(exo__posterior_set_text(p, &p->date, "2026-01-01"), EXO_OK);
    assert_int_equal(exo__posterior_set_text(p, &p->git_revision, "abc"), EXO_OK);
    p->n_studies = 2;
    p->seed = 5;
    p->objective_before = 4;
    p->objective_after = 1;
    p->evaluations = 9;
    p->noise_scale = 1.25;
    p->noise_rows = 7;
    p->noise_identified = 1;
    exo__posterior_summarise(p);
    assert_int_equal(exo__posterior_prepare(p), EXO_OK);
    return p;
}

/* The truncated prior's CDF at v [unit]: (P(z) - P(a)) / (P(b) - P(a)). */
static double truncated_cdf(const exo_posterior_param *q, double mean, double v)
{
    const exo_param_info *row = &exo_param_table()[q->id];
    double a = (exo__posterior_to_t(q->prior_kind, row->min) - mean) / q->prior_sd;
    double b = (exo__posterior_to_t(q->prior_kind, row->max) - mean) / q->prior_sd;
    double z = (exo__posterior_to_t(q->prior_kind, v) - mean) / q->prior_sd;
    return (gsl_cdf_ugaussian_P(z) - gsl_cdf_ugaussian_P(a)) / (gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a));
}

/* Priors are centred at the row's prior centre (the literature value), with
 * the whole range inside their 5-95 % band; p05/p95 are the truncated prior's. */
static void priors_are_centred_at_the_prior_centre(void **state)
{
    (void)state;
    exo_posterior_param q;
    double mean;
    const exo_param_info *t = exo_param_table();
    exo__prior_init(EXO_P_FILM_DECAY_HALF_LIFE, &q, &mean); /* 2 d in 0.5-10 d, log-normal */
    assert_int_equal(q.prior_kind, EXO_PRIOR_LOGNORMAL);
    assert_true(t[EXO_P_FILM_DECAY_HALF_LIFE].prior_center == 2.0);
    assert_true(fabs(q.prior_median - 2.0) < 1e-12 && fabs(mean - log(2.0)) < 1e-12);
    assert_true(fabs(q.prior_sd - log(10.0 / 2.0) / 1.6448536269514722) < 1e-12); /* ln 5 > ln 4 */
    assert_true(fabs(truncated_cdf(&q, mean, q.prior_p05) - 0.05) < 1e-9);
    assert_true(fabs(truncated_cdf(&q, mean, q.prior_p95) - 0.95) < 1e-9);
    assert_true(q.prior_p05 > 0.5 && q.prior_p05 < 2.0 && q.prior_p95 > 2.0 && q.prior_p95 < 10.0);
    exo__prior_init(EXO_P_SC_OCCLUSION_GAIN, &q, &mean); /* 2 in 0-10, normal */
    assert_int_equal(q.prior_kind, EXO_PRIOR_NORMAL);
    assert_true(fabs(q.prior_median - 2.0) < 1e-12 && fabs(q.prior_sd - 8.0 / 1.6448536269514722) < 1e-12);
    assert_true(fabs(truncated_cdf(&q, mean, q.prior_p95) - 0.95) < 1e-9);
    /* every row's centre lies in its range */
    for (int id = 0; id < EXO_P_COUNT; id++)
        assert_true(t[id].prior_center >= t[id].min && t[id].prior_center <= t[id].max);
    /* reflection at both bounds of [0, 10] */
    assert_true(fabs(exo__posterior_reflect(EXO_PRIOR_NORMAL, EXO_P_SC_OCCLUSION_GAIN, -1.5) - 1.5) < 1e-12);
    assert_true(fabs(exo__posterior_reflect(EXO_PRIOR_NORMAL, EXO_P_SC_OCCLUSION_GAIN, 12.0) - 8.0) < 1e-12);
    assert_true(fabs(exo__posterior_reflect(EXO_PRIOR_NORMAL, EXO_P_SC_OCCLUSION_GAIN, 4.0) - 4.0) < 1e-12);
}

static void file_round_trip(void **state)
{
    exo_test_fixture *f = *state;
    exo_posterior *p = make_two(f->ctx), *q = NULL;
    char path[] = "/tmp/exo_posterior_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(exo_posterior_write(f->ctx, p, path), EXO_OK);
    assert_int_equal(exo_posterior_load(f->ctx, path, &q), EXO_OK);
    assert_int_equal(exo_posterior_count(q), 2);
    assert_string_equal(exo_posterior_key(q, 0), "sc_occlusion_gain"); /* table order */
    assert_null(exo_posterior_key(q, 2));
    assert_int_equal(exo_posterior_find(q, EXO_P_FILM_DECAY_HALF_LIFE), 1);
    assert_int_equal(exo_posterior_find(q, EXO_P_T_BODY), -1);
    for (int k = 0; k < 2; k++) {
        exo_posterior_param a, b;
        assert_int_equal(exo_posterior_param_get(p, k, &a), EXO_OK);
        assert_int_equal(exo_posterior_param_get(q, k, &b), EXO_OK);
        assert_true(a.median == b.median && a.sd == b.sd && a.p05 == b.p05 && a.p95 == b.p95);
        assert_true(a.prior_median == b.prior_median && a.identified == b.identified);
        assert_true(b.p05 < b.median && b.median < b.p95);
    }
    exo_posterior_param b;
    exo_posterior_param_get(q, 0, &b);
    assert_true(b.identified); /* sd ratio 0.3 */
    exo_posterior_param_get(q, 1, &b);
    assert_false(b.identified); /* 0.5: not below the rule's 0.5 */
    assert_true(exo_posterior_correlation(q, 0, 1) == 0.6);
    assert_true(isnan(exo_posterior_correlation(q, 0, 2)));
    exo_posterior_provenance pv;
    exo_posterior_provenance_get(q, &pv);
    assert_string_equal(pv.date, "2026-01-01");
    assert_int_equal(pv.n_studies, 2);
    assert_int_equal(pv.evaluations, 9);
    assert_true(pv.seed == 5 && pv.objective_after == 1);
    assert_true(q->noise_scale == 1.25 && q->noise_rows == 7 && q->noise_identified == 1);
    /* the same posterior, the same bytes */
    char again[] = "/tmp/exo_posterior_testXXXXXX";
    fd = mkstemp(again);
    close(fd);
    assert_int_equal(exo_posterior_write(f->ctx, q, again), EXO_OK);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", path, again);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    unlink(again);
    exo_posterior_destroy(&p);
    exo_posterior_destroy(&q);
    assert_null(q);
    exo_posterior_destroy(&q); /* NULL-safe */
}

static void draws_are_reproducible_and_spread_as_stated(void **state)
{
    exo_test_fixture *f = *state;
    exo_posterior *p = make_two(f->ctx);
    exo_paramset d, e, base;
    assert_int_equal(exo_paramset_defaults(f->u, &base), EXO_OK);
    d = base;
    assert_int_equal(exo_posterior_draw(p, 1, 0, &d), EXO_OK);
    assert_true(fabs(d.v[EXO_P_FILM_DECAY_HALF_LIFE] - 72.0) < 1e-9); /* median 3 d in h */
    assert_true(fabs(d.v[EXO_P_SC_OCCLUSION_GAIN] - 5.0) < 1e-12);
    assert_true(d.v[EXO_P_T_BODY] == base.v[EXO_P_T_BODY]); /* not covered: untouched */
    enum { N = 4000 };
    double s[2] = {0}, ss[2] = {0}, sxy = 0;
    for (uint64_t i = 1; i <= N; i++) {
        d = base;
        e = base;
        exo_posterior_draw(p, 7, i, &d);
        exo_posterior_draw(p, 7, i, &e);
        assert_memory_equal(&d, &e, sizeof d);
        double g = d.v[EXO_P_SC_OCCLUSION_GAIN], h = d.v[EXO_P_FILM_DECAY_HALF_LIFE] / 24.0;
        assert_true(g >= 0 && g <= 10 && h >= 0.5 && h <= 10);
        double x[2] = {g, log(h)};
        for (int k = 0; k < 2; k++) {
            s[k] += x[k];
            ss[k] += x[k] * x[k];
        }
        sxy += x[0] * x[1];
    }
    e = base;
    exo_posterior_draw(p, 8, N, &e); /* another seed, another draw */
    assert_true(e.v[EXO_P_FILM_DECAY_HALF_LIFE] != d.v[EXO_P_FILM_DECAY_HALF_LIFE]);
    double sd[2], m[2];
    for (int k = 0; k < 2; k++) {
        m[k] = s[k] / N;
        sd[k] = sqrt(ss[k] / N - m[k] * m[k]);
    }
    /* gain: sd 0.3 * 8/1.645 = 1.46 around 5, reflection at 0 and 10 barely
     * matters; log half-life: sd 0.5 * log(5)/1.645 = 0.49 around log 3 */
    assert_true(fabs(sd[0] - 0.3 * p->par[0].prior_sd) < 0.08);
    assert_true(fabs(m[1] - log(3.0)) < 0.05);
    assert_true(fabs(sd[1] - p->par[1].sd) < 0.03);
    double r = (sxy / N - m[0] * m[1]) / (sd[0] * sd[1]);
    assert_true(fabs(r - 0.6) < 0.06);
    exo_posterior_destroy(&p);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void malformed_files_are_errors(void **state)
{
    exo_test_fixture *f = *state;
    exo_posterior *p = make_two(f->ctx), *q = NULL;
    char path[] = "/tmp/exo_posterior_testXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(exo_posterior_write(f->ctx, p, path), EXO_OK);
    FILE *fp = fopen(path, "r");
    static char good[16384];
    size_t len = fread(good, 1, sizeof good - 1, fp);
    good[len] = '\0';
    fclose(fp);
    /* each edit of the good file, replacing `from` by `to` */
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"\"format\":", "\"formats\":"},        {"\"exoskin-posterior\"", "\"other\""},
        {"\"version\":\t1", "\"version\":\t2"}, {"\"sc_occlusion_gain\"", "\"no_such_key\""},
        {"\"unit\":\t\"d\"", "\"unit\":\t\"h\""}, {"\"lognormal\"", "\"normal\""},
        {"\"correlation\":", "\"correlations\":"}, {"0.6]", "1.6]"},
        {"\"median\":\t3", "\"median\":\t\"3\""}, {"\"identified\":\ttrue", "\"identified\":\t1"},
        {"\"git_revision\":", "\"git\":"},        {"{", "["},
        {"\"rows\":\t7", "\"rows\":\t0"},
    };
    static char bad[16384];
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        const char *at = strstr(good, edits[i].from);
        assert_non_null(at);
        size_t pre = (size_t)(at - good);
        snprintf(bad, sizeof bad, "%.*s%s%s", (int)pre, good, edits[i].to, at + strlen(edits[i].from));
        write_text(path, bad);
        exo_status st = exo_posterior_load(f->ctx, path, &q);
        if (st != EXO_EINPUT)
            print_error("edit %zu (%s -> %s): status %d (%s)\n", i, edits[i].from, edits[i].to, st,
                        exo_ctx_last_error(f->ctx));
        assert_int_equal(st, EXO_EINPUT);
        assert_null(q);
    }
    /* every truncation of the file */
    for (size_t cut = 0; cut + 2 < len; cut += 7) {
        snprintf(bad, sizeof bad, "%.*s", (int)cut, good);
        write_text(path, bad);
        assert_int_equal(exo_posterior_load(f->ctx, path, &q), EXO_EINPUT);
    }
    unlink(path);
    assert_int_equal(exo_posterior_load(f->ctx, path, &q), EXO_EIO);
    assert_int_equal(exo_posterior_load(f->ctx, "/nonexistent/posterior.json", &q), EXO_EIO);
    exo_posterior_destroy(&p);
}

/* data/posterior.json (when the tree has one) loads, covers estimate
 * parameters only, and its median draw lies inside every range. */
static void shipped_posterior_loads(void **state)
{
    exo_test_fixture *f = *state;
    char path[4096];
    assert_int_equal(exo_posterior_default_path(path, sizeof path), EXO_OK);
    if (access(path, R_OK) != 0) {
        skip();
    }
    exo_posterior *p = NULL;
    assert_int_equal(exo_posterior_load(f->ctx, NULL, &p), EXO_OK);
    assert_true(exo_posterior_count(p) > 0);
    exo_paramset d;
    exo_paramset_defaults(f->u, &d);
    assert_int_equal(exo_posterior_draw(p, 1, 3, &d), EXO_OK);
    for (int k = 0; k < exo_posterior_count(p); k++) {
        exo_posterior_param q;
        exo_posterior_param_get(p, k, &q);
        const exo_param_info *row = &exo_param_table()[q.id];
        assert_true(row->estimate);
        assert_true(q.p05 <= q.median && q.median <= q.p95);
        assert_true(q.median >= row->min && q.median <= row->max);
        /* fitted with the table's prior centre */
        assert_true(fabs(q.prior_median - row->prior_center) <= 1e-9 * fabs(row->prior_center));
    }
    assert_true(p->noise_scale > 0 && p->noise_rows > p->noise_identified);
    exo_posterior_destroy(&p);
}

/* The predictive quantile of a mixture of normals: one component (or many
 * identical ones) gives its own quantile, mu +- 1.645 sd; two far apart put
 * the 5 % quantile at the 10 % quantile of the lower one; the median of a
 * symmetric pair is its centre. */
static void mixture_quantiles(void **state)
{
    (void)state;
    const double z = 1.6448536269514722, mu1[1] = {3.0}, same[5] = {3.0, 3.0, 3.0, 3.0, 3.0};
    assert_true(fabs(exo__mixture_quantile(mu1, 1, 0.5, 0.05) - (3.0 - z * 0.5)) < 1e-6);
    assert_true(fabs(exo__mixture_quantile(mu1, 1, 0.5, 0.95) - (3.0 + z * 0.5)) < 1e-6);
    assert_true(fabs(exo__mixture_quantile(same, 5, 0.5, 0.05) - (3.0 - z * 0.5)) < 1e-6);
    assert_true(fabs(exo__mixture_quantile(same, 5, 0.5, 0.95) - (3.0 + z * 0.5)) < 1e-6);
    const double far[2] = {-100.0, 100.0}, pair[2] = {-1.0, 1.0};
    assert_true(fabs(exo__mixture_quantile(far, 2, 1.0, 0.05) - (-100.0 + gsl_cdf_ugaussian_Pinv(0.1))) < 1e-6);
    assert_true(fabs(exo__mixture_quantile(pair, 2, 1.0, 0.5)) < 1e-9);
    const double mixed[3] = {1.0, 2.0, 4.0};
    for (int k = 0; k < 3; k++) { /* the mixture CDF at the quantile is p */
        const double p[3] = {0.05, 0.5, 0.95};
        double x = exo__mixture_quantile(mixed, 3, 0.7, p[k]), cdf = 0;
        for (int i = 0; i < 3; i++)
            cdf += gsl_cdf_gaussian_P(x - mixed[i], 0.7) / 3;
        assert_true(fabs(cdf - p[k]) < 1e-9);
    }
    /* sd 0: the empirical quantile (the smallest value whose CDF reaches p) */
    assert_true(exo__mixture_quantile(mixed, 3, 0.0, 0.05) == 1.0);
    assert_true(exo__mixture_quantile(mixed, 3, 0.0, 0.95) == 4.0);
    assert_true(isnan(exo__mixture_quantile(mixed, 0, 1.0, 0.5)) && isnan(exo__mixture_quantile(mixed, 3, 1.0, 1.0)));
    /* the noise scale: sqrt(sum r^2 / (rows - identified)) */
    const double r[4] = {1.0, -2.0, 2.0, 0.0};
    assert_true(fabs(exo__posterior_noise_of(r, 4, 1) - sqrt(3.0)) < 1e-12);
    assert_true(fabs(exo__posterior_noise_of(r, 4, 4) - sqrt(9.0 / 4)) < 1e-12);
    assert_true(exo__posterior_noise_of(r, 0, 0) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(priors_are_centred_at_the_prior_centre),
        cmocka_unit_test(mixture_quantiles),
        cmocka_unit_test_setup_teardown(file_round_trip, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(draws_are_reproducible_and_spread_as_stated, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(malformed_files_are_errors, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(shipped_posterior_loads, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
