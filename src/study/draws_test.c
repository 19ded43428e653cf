/* draws_test.c - the posterior bands of a run (exo_run_draws, read back
 * through exo_result_row_band) and the prediction intervals of validation
 * (exo_validation_interval, exo_validate_dir_draws): every readout of the
 * result is the plain run's, bit for bit; p05 <= p50 <= p95 at every row,
 * the percent change 0 at baseline, bands that open for the readouts the
 * draws move, the same bands on 1 and 2 threads; with no draw the plain run
 * alone, without bands; with no draw but the median the interval is the
 * point prediction at the posterior median; the coverage counts exactly the
 * rows whose published value lies inside; the same inputs give the same
 * intervals.  Every run uses the shipped posterior (data/posterior.json). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/test_fixture.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static exo_posterior *load_posterior(exo_ctx *ctx)
{
    exo_posterior *post = NULL;
    assert_int_equal(exo_posterior_load(ctx, NULL, &post), EXO_OK);
    return post;
}

/* Every readout of every row of every arm of a and b the same bits. */
static void assert_same_readouts(const exo_result *a, const exo_result *b)
{
    assert_int_equal(exo_result_arms(a), exo_result_arms(b));
    for (int arm = 0; arm < exo_result_arms(a); arm++) {
        assert_int_equal(exo_result_rows(a, arm), exo_result_rows(b, arm));
        for (int i = 0; i < exo_result_rows(a, arm); i++)
            for (int k = 0; k < exo_readout_count(); k++) {
                double x = exo_result_row_readout(a, arm, i, k), y = exo_result_row_readout(b, arm, i, k);
                assert_memory_equal(&x, &y, sizeof x);
            }
    }
}

static void run_bands_are_ordered_and_open_where_draws_move(void **state)
{
    exo_test_fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/default.yaml", exo_test_source_dir());
    exo_config cfg;
    assert_int_equal(exo_config_load(f->ctx, f->u, path, NULL, 0, &cfg), EXO_OK);
    exo_posterior *post = load_posterior(f->ctx);
    exo_result *plain = NULL, *r = NULL;
    assert_int_equal(exo_run(f->ctx, &cfg, NULL, NULL, &plain), EXO_OK);
    double q[3];
    assert_int_equal(exo_result_band_runs(plain), 0);
    assert_false(exo_result_row_band(plain, 0, 0, EXO_RD_COLLAGEN, false, q));
    assert_true(isnan(q[0]) && isnan(q[2]));

    /* no draw: the plain run alone, no bands */
    assert_int_equal(exo_run_draws(f->ctx, &cfg, post, 0, NULL, NULL, &r), EXO_OK);
    assert_int_equal(exo_result_band_runs(r), 0);
    assert_same_readouts(plain, r);
    exo_result_destroy(&r);

    const int threads = omp_get_max_threads();
    omp_set_num_threads(2);
    assert_int_equal(exo_run_draws(f->ctx, &cfg, post, 3, NULL, NULL, &r), EXO_OK);
    assert_int_equal(exo_result_band_runs(r), 4);
    assert_same_readouts(plain, r); /* the bands beside the plain run's numbers */
    exo_result_destroy(&plain);
    omp_set_num_threads(1);
    exo_result *one = NULL;
    assert_int_equal(exo_run_draws(f->ctx, &cfg, post, 3, NULL, NULL, &one), EXO_OK);
    omp_set_num_threads(threads);
    for (int a = 0; a < exo_result_arms(r); a++)
        for (int i = 0; i < exo_result_rows(r, a); i++)
            for (int k = 0; k < exo_readout_count(); k++)
                for (int change = 0; change < 2; change++) {
                    double q1[3];
                    bool b2 = exo_result_row_band(r, a, i, k, change, q), b1 = exo_result_row_band(one, a, i, k, change, q1);
                    assert_true(b1 == b2);
                    assert_memory_equal(q, q1, sizeof q); /* the same bits on 1 and 2 threads (NAN too) */
                }
    exo_result_destroy(&one);
    int open = 0;
    for (int a = 0; a < exo_result_arms(r); a++) {
        int n = exo_result_rows(r, a);
        for (int k = 0; k < exo_readout_count(); k++) {
            for (int i = 0; i < n; i++) {
                if (exo_result_row_band(r, a, i, k, false, q))
                    assert_true(q[0] <= q[1] && q[1] <= q[2]);
                if (!exo_result_row_band(r, a, i, k, true, q))
                    continue;
                assert_true(q[0] <= q[1] && q[1] <= q[2]);
                if (i == 0) /* every draw's change from its own baseline */
                    assert_true(q[0] == 0 && q[2] == 0);
            }
            double end[3];
            if (exo_result_change_band(r, a, k, end)) {
                assert_true(exo_result_row_band(r, a, n - 1, k, true, q));
                assert_memory_equal(q, end, sizeof q);
                open += end[2] - end[0] > 0.1; /* [%] */
            }
        }
        assert_false(exo_result_row_band(r, a, n, EXO_RD_COLLAGEN, false, q)); /* past the last row */
    }
    assert_false(exo_result_row_band(r, exo_result_arms(r), 0, EXO_RD_COLLAGEN, false, q));
    assert_false(exo_result_row_band(r, 0, 0, EXO_RD_COUNT, false, q));
    /* the microneedled arm's collagen moves with the posterior's synthesis gain */
    assert_true(open >= 1);
    exo_result_destroy(&r);
    exo_posterior_destroy(&post);
    exo_config_fini(f->ctx, &cfg);
}

/* Draw 0 alone: the interval is the point prediction of the study run at
 * the posterior median (the study's own parameters kept). */
static void interval_of_the_median_alone_is_its_prediction(void **state)
{
    exo_test_fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/validation/zhang2020_microchannel_gain.yaml", exo_test_source_dir());
    exo_config cfg, med;
    assert_int_equal(exo_config_load(f->ctx, f->u, path, NULL, 0, &cfg), EXO_OK);
    exo_posterior *post = load_posterior(f->ctx);
    exo_validation_row row, point;
    memset(&row, 0, sizeof row);
    memset(&point, 0, sizeof point);
    assert_int_equal(exo_validate_config(f->ctx, &cfg, &row), EXO_OK);
    assert_int_equal(row.interval_runs, 0);
    assert_int_equal(exo_validation_interval(f->ctx, &cfg, post, 0, &row), EXO_OK);
    med = cfg;
    assert_int_equal(exo_posterior_draw(post, cfg.seed, 0, &med.params), EXO_OK);
    for (int id = 0; id < EXO_P_COUNT; id++)
        if (cfg.param_overridden[id])
            med.params.v[id] = cfg.params.v[id];
    assert_int_equal(exo_validate_config(f->ctx, &med, &point), EXO_OK);
    assert_int_equal(row.interval_runs, 1);
    assert_true(row.interval_low == point.predicted && row.interval_mid == point.predicted &&
                row.interval_high == point.predicted);
    assert_true(row.inside == (row.reported == point.predicted));
    exo_validation_row none;
    memset(&none, 0, sizeof none);
    exo_config plain;
    snprintf(path, sizeof path, "%s/examples/default.yaml", exo_test_source_dir());
    assert_int_equal(exo_config_load(f->ctx, f->u, path, NULL, 0, &plain), EXO_OK);
    assert_int_equal(exo_validation_interval(f->ctx, &plain, post, 2, &none), EXO_EINPUT); /* no study block */
    assert_int_equal(exo_validation_interval(f->ctx, &cfg, post, -1, &none), EXO_EINVAL);
    exo_config_fini(f->ctx, &plain);
    exo_posterior_destroy(&post);
    exo_config_fini(f->ctx, &cfg);
}

/* Two transport studies at 3 draws: ordered intervals, the coverage counts
 * exactly the rows inside, the same again gives the same intervals, and the
 * verdicts are those of the plain validation. */
static void validate_dir_draws_counts_coverage(void **state)
{
    exo_test_fixture *f = *state;
    const char *tmp = getenv("TMPDIR");
    char dir[256], cmd[4800];
    snprintf(dir, sizeof dir, "%s/exo_draws_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp '%s/validation/micropore_closure_occluded.yaml' '%s/validation/"
             "zhang2020_microchannel_gain.yaml' '%s/'", exo_test_source_dir(), exo_test_source_dir(), dir);
    assert_int_equal(system(cmd), 0);
    exo_posterior *post = load_posterior(f->ctx);
    exo_validation_row *plain = NULL, *a = NULL, *b = NULL;
    int n = 0, na = 0, nb = 0;
    assert_int_equal(exo_validate_dir(f->ctx, f->u, dir, &plain, &n), EXO_OK);
    assert_int_equal(exo_validate_dir_draws(f->ctx, f->u, dir, NULL, 0, post, 3, &a, &na), EXO_OK);
    assert_int_equal(exo_validate_dir_draws(f->ctx, f->u, dir, NULL, 0, post, 3, &b, &nb), EXO_OK);
    assert_int_equal(n, 2);
    assert_int_equal(na, n);
    assert_int_equal(nb, n);
    int inside = 0;
    for (int i = 0; i < n; i++) {
        assert_int_equal(plain[i].interval_runs, 0);
        assert_int_equal(a[i].interval_runs, 4);
        assert_true(a[i].interval_low <= a[i].interval_mid && a[i].interval_mid <= a[i].interval_high);
        assert_true(a[i].inside == (a[i].reported >= a[i].interval_low && a[i].reported <= a[i].interval_high));
        inside += a[i].inside;
        assert_true(a[i].predicted == plain[i].predicted && a[i].pass == plain[i].pass);
        assert_true(a[i].interval_low == b[i].interval_low && a[i].interval_mid == b[i].interval_mid &&
                    a[i].interval_high == b[i].interval_high);
    }
    int counted = -1;
    assert_int_equal(exo_validation_coverage(a, n, &counted), n);
    assert_int_equal(counted, inside);
    assert_int_equal(exo_validation_coverage(plain, n, &counted), 0);
    assert_int_equal(counted, 0);
    exo_free(f->ctx, plain);
    exo_free(f->ctx, a);
    exo_free(f->ctx, b);
    exo_posterior_destroy(&post);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(run_bands_are_ordered_and_open_where_draws_move, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(interval_of_the_median_alone_is_its_prediction, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(validate_dir_draws_counts_coverage, exo_test_setup,
                                        exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
