/* study_test.c - properties of calibration (exo_calibrate): a parameter the
 * endpoint reads back is recovered from a synthetic target, a target outside
 * the prior range drives the fit to the bound and never past it, the fit is
 * deterministic and never worsens the objective, screening drops parameters
 * that change no prediction, bad input gives a status, and allocation
 * failures are reported without leaks.  The posterior (exo_calibrate_posterior)
 * of a read-back parameter matches the analytic normal-normal update, a
 * parameter no study sees stays at its prior, and the file is reproducible. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    char dir[256];  /* temporary folder holding one study definition */
    char file[512];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_units_create(f->ctx, &f->u) != EXO_OK)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/exo_study_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->file[0])
        remove(f->file);
    rmdir(f->dir);
    exo_units_destroy(&f->u);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

/* validation/micropore_closure_occluded.yaml with another reported half-life
 * and acceptance range [h]: the endpoint reads back
 * channel_closure_half_life_occluded, so that parameter should be fitted to
 * `reported` when the range allows it. */
static void write_micropore_study(fixture *f, double reported_h, double low_h, double high_h)
{
    snprintf(f->file, sizeof f->file, "%s/micropore_closure_occluded.yaml", f->dir);
    FILE *fp = fopen(f->file, "w");
    assert_non_null(fp);
    fprintf(fp,
            "# Synthetic target for the calibration tests (study_test.c), from\n"
            "# validation/micropore_closure_occluded.yaml with another reported value.\n"
            "name: micropore_closure_occluded\n"
            "seed: 1\n"
            "skin: {region: cheek, age: 30 years, sex: female}\n"
            "arms:\n"
            "  - name: microneedling occluded\n"
            "    protocol:\n"
            "      - event: microneedling\n"
            "        needle_length: 0.5 mm\n"
            "        density: 150 1/cm^2\n"
            "        passes: 1\n"
            "        occlusion: true\n"
            "        occlusion_time: 96 h\n"
            "        schedule: once\n"
            "simulation:\n"
            "  duration: 96 h\n"
            "  output_interval: 1 h\n"
            "study:\n"
            "  id: micropore_closure_occluded\n"
            "  level: transport\n"
            "  source: \"synthetic\"\n"
            "  unit: h\n"
            "  reported: %g\n"
            "  endpoint:\n"
            "    quantity: closure_half_life\n"
            "    arm: microneedling occluded\n"
            "    low: %g\n"
            "    high: %g\n",
            reported_h, low_h, high_h);
    assert_int_equal(fclose(fp), 0);
}

static exo_calibration_result *calibrate_one(fixture *f, const char *key, int max_iter, uint64_t seed)
{
    const char *keys[1] = {key};
    exo_calibration_options opt = {keys, 1, max_iter, 1e-3, seed, NULL, 0};
    exo_calibration_result *r = NULL;
    exo_status st = exo_calibrate(f->ctx, f->u, f->dir, &opt, &r);
    if (st != EXO_OK)
        fail_msg("exo_calibrate: %s: %s", exo_status_str(st), exo_ctx_last_error(f->ctx));
    assert_non_null(r);
    return r;
}

static void fit_recovers_a_half_life_the_endpoint_reads_back(void **state)
{
    fixture *f = *state;
    size_t bytes0 = exo_ctx_bytes_in_use(f->ctx);
    write_micropore_study(f, 30.0, 29.0, 31.0); /* [h] */
    exo_calibration_result *r = calibrate_one(f, "channel_closure_half_life_occluded", 60, 0);
    assert_int_equal(r->n_params, 1);
    assert_int_equal(r->n_studies, 1);
    const exo_calibration_param *p = &r->params[0];
    assert_string_equal(p->key, "channel_closure_half_life_occluded");
    assert_string_equal(p->unit, "h");
    assert_true(fabs(p->initial - 23.0) < 1e-9); /* [h] the table default */
    assert_true(fabs(p->fitted - 30.0) <= 0.3);  /* [h] */
    assert_true(p->fitted >= p->min && p->fitted <= p->max);
    const exo_calibration_study *s = &r->studies[0];
    assert_false(s->pass_before); /* 23 h is outside 29-31 h */
    assert_true(s->pass_after);
    assert_true(fabs(s->predicted_after - 30.0) <= 0.3); /* [h] */
    assert_true(r->objective_after <= r->objective_before);
    assert_true(r->objective_after < 0.01 * r->objective_before);
    exo_calibration_result_destroy(f->ctx, &r);
    assert_null(r);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), bytes0);
}

static void fit_stops_at_the_bound_of_the_prior_range(void **state)
{
    fixture *f = *state;
    write_micropore_study(f, 60.0, 59.0, 61.0); /* [h], beyond the range 10-40 h */
    exo_calibration_result *r = calibrate_one(f, "channel_closure_half_life_occluded", 30, 0);
    const exo_calibration_param *p = &r->params[0];
    assert_true(p->max == 40.0);
    assert_true(p->fitted <= p->max); /* never past the bound */
    assert_true(p->fitted >= 0.99 * p->max);
    assert_false(r->studies[0].pass_after);
    assert_true(r->objective_after <= r->objective_before);
    exo_calibration_result_destroy(f->ctx, &r);
}

static void fit_is_deterministic(void **state)
{
    fixture *f = *state;
    write_micropore_study(f, 30.0, 29.0, 31.0);
    for (uint64_t seed = 0; seed < 2; seed++) {
        exo_calibration_result *a = calibrate_one(f, "channel_closure_half_life_occluded", 25, seed);
        exo_calibration_result *b = calibrate_one(f, "channel_closure_half_life_occluded", 25, seed);
        assert_true(a->params[0].fitted == b->params[0].fitted);
        assert_true(a->objective_after == b->objective_after);
        assert_true(a->studies[0].predicted_after == b->studies[0].predicted_after);
        assert_int_equal(a->iterations, b->iterations);
        assert_int_equal(a->evaluations, b->evaluations);
        exo_calibration_result_destroy(f->ctx, &a);
        exo_calibration_result_destroy(f->ctx, &b);
    }
}

/* Two parameters, one of which (the unoccluded closure) no study here reads:
 * the objective still falls and stays at or below its start. */
static void objective_never_rises(void **state)
{
    fixture *f = *state;
    write_micropore_study(f, 27.0, 20.0, 34.0); /* [h] */
    const char *keys[2] = {"channel_closure_half_life", "channel_closure_half_life_occluded"};
    exo_calibration_options opt = {keys, 2, 30, 1e-3, 7, NULL, 0};
    exo_calibration_result *r = NULL;
    assert_int_equal(exo_calibrate(f->ctx, f->u, f->dir, &opt, &r), EXO_OK);
    assert_int_equal(r->n_params, 2);
    assert_true(r->objective_after <= r->objective_before);
    for (int i = 0; i < r->n_params; i++)
        assert_true(r->params[i].fitted >= r->params[i].min && r->params[i].fitted <= r->params[i].max);
    exo_calibration_result_destroy(f->ctx, &r);
}

/* Without keys only estimate parameters that change some prediction are
 * fitted; the occluded closure half-life is measured (not an estimate). */
static void screening_keeps_only_influential_estimates(void **state)
{
    fixture *f = *state;
    write_micropore_study(f, 30.0, 29.0, 31.0);
    exo_calibration_options opt = {NULL, 0, 5, 1e-3, 0, NULL, 0};
    exo_calibration_result *r = NULL;
    assert_int_equal(exo_calibrate(f->ctx, f->u, f->dir, &opt, &r), EXO_OK);
    for (int i = 0; i < r->n_params; i++) {
        const exo_param_info *row = exo_param_find(r->params[i].key, NULL);
        assert_non_null(row);
        assert_true(row->estimate);
        assert_string_not_equal(r->params[i].key, "channel_closure_half_life_occluded");
    }
    assert_true(r->objective_after <= r->objective_before);
    exo_calibration_result_destroy(f->ctx, &r);
}

static void bad_input_gives_a_status(void **state)
{
    fixture *f = *state;
    exo_calibration_result *r = NULL;
    const char *known[1] = {"channel_closure_half_life_occluded"};
    exo_calibration_options opt = {known, 1, 5, 1e-3, 0, NULL, 0};
    /* an empty folder, a missing one, then an unknown and a repeated key */
    assert_int_equal(exo_calibrate(f->ctx, f->u, f->dir, &opt, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "no study definitions"));
    char missing[300];
    snprintf(missing, sizeof missing, "%s/missing", f->dir);
    assert_int_equal(exo_calibrate(f->ctx, f->u, missing, &opt, &r), EXO_EIO);
    write_micropore_study(f, 30.0, 29.0, 31.0);
    const char *unknown[1] = {"no_such_parameter"};
    opt.keys = unknown;
    assert_int_equal(exo_calibrate(f->ctx, f->u, f->dir, &opt, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "no_such_parameter"));
    const char *twice[2] = {"channel_closure_half_life", "channel_closure_half_life"};
    opt.keys = twice;
    opt.n_keys = 2;
    assert_int_equal(exo_calibrate(f->ctx, f->u, f->dir, &opt, &r), EXO_EINPUT);
    assert_null(r);
}

/* Fails the n-th allocation of a calibration (the point fit, or the
 * posterior), n spread over loading, screening, the runs and the result,
 * until one needs fewer: each failure is EXO_ENOMEM and frees everything. */
static void fail_each_allocation(fixture *f, bool posterior)
{
    write_micropore_study(f, 30.0, 29.0, 31.0);
    const char *keys[1] = {"channel_closure_half_life_occluded"};
    exo_calibration_options opt = {keys, 1, 3, 1e-3, 0, NULL, 0};
    size_t bytes0 = exo_ctx_bytes_in_use(f->ctx);
    int failures = 0;
    exo_status st = EXO_ENOMEM;
    /* fail the n-th allocation, n spread over loading, screening, the runs of
     * the objective and the result, until a calibration needs fewer */
    for (long n = 0; st != EXO_OK; n += 1 + n / 6) {
        exo_calibration_result *r = NULL;
        exo_posterior *p = NULL;
        exo_ctx_fail_alloc_after(f->ctx, n);
        st = posterior ? exo_calibrate_posterior(f->ctx, f->u, f->dir, &opt, NULL, &r, &p)
                       : exo_calibrate(f->ctx, f->u, f->dir, &opt, &r);
        exo_ctx_fail_alloc_after(f->ctx, -1);
        exo_posterior_destroy(&p);
        if (st == EXO_OK)
            exo_calibration_result_destroy(f->ctx, &r);
        else
            failures++;
        if (st != EXO_OK && st != EXO_ENOMEM)
            fail_msg("allocation %ld failed: %s: %s", n, exo_status_str(st), exo_ctx_last_error(f->ctx));
        assert_null(r);
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), bytes0);
    }
    assert_true(failures > 10);
}

static void allocation_failure_is_clean(void **state) { fail_each_allocation(*state, false); }

static void posterior_allocation_failure_is_clean(void **state) { fail_each_allocation(*state, true); }

/* A parameter the data do not inform ends at its prior centre whatever its
 * start: the study sets channel_closure_half_life to 2 h (the fit starts
 * there), which the occluded closure study never reads, so the only pull is
 * the prior's and the MAP is the table's prior centre, 0.7 h. */
static void posterior_of_an_uninformed_parameter_is_its_prior_centre(void **state)
{
    fixture *f = *state;
    write_micropore_study(f, 30.0, 29.0, 31.0); /* [h] */
    FILE *fp = fopen(f->file, "a");
    assert_non_null(fp);
    fprintf(fp, "parameters:\n  channel_closure_half_life: 2 h\n");
    assert_int_equal(fclose(fp), 0);
    const char *keys[1] = {"channel_closure_half_life"};
    exo_calibration_options opt = {keys, 1, 10, 0, 1, NULL, 0};
    exo_calibration_result *r = NULL;
    exo_posterior *p = NULL;
    if (exo_calibrate_posterior(f->ctx, f->u, f->dir, &opt, "2026-01-02", &r, &p) != EXO_OK)
        fail_msg("exo_calibrate_posterior: %s", exo_ctx_last_error(f->ctx));
    const exo_param_info *row = &exo_param_table()[EXO_P_MN_CLOSE_HALF_LIFE];
    assert_true(fabs(r->params[0].initial - 2.0) < 1e-9); /* [h] the study's value */
    exo_posterior_param q;
    assert_int_equal(exo_posterior_param_get(p, 0, &q), EXO_OK);
    assert_true(fabs(q.prior_median - row->prior_center) < 1e-12);
    /* within the trust region's step tolerance (1e-3 of u, relative) */
    assert_true(fabs(log(q.median / row->prior_center)) < 0.01 * q.prior_sd);
    assert_true(fabs(q.sd / q.prior_sd - 1) < 1e-6);
    exo_posterior_destroy(&p);
    exo_calibration_result_destroy(f->ctx, &r);
}

/* Target 30 h +- 1 h (one SD) on the occluded closure half-life, whose prior
 * is log-normal with median 23 h (its prior centre) and SD
 * max(log(40/23), log(23/10)) / 1.645 = 0.506 in log space: the likelihood SD
 * is about 1/30, so the posterior is nearly the likelihood: median 30 h
 * pulled ~0.03 h towards 23 h, SD ratio 0.066.  channel_closure_half_life
 * (unoccluded skin) changes nothing here: its posterior is its prior. */
static void posterior_updates_a_read_back_parameter_and_keeps_the_other_prior(void **state)
{
    fixture *f = *state;
    size_t bytes0 = exo_ctx_bytes_in_use(f->ctx);
    write_micropore_study(f, 30.0, 29.0, 31.0); /* [h] */
    const char *keys[2] = {"channel_closure_half_life_occluded", "channel_closure_half_life"};
    exo_calibration_options opt = {keys, 2, 10, 0, 3, NULL, 64};
    exo_calibration_result *r = NULL;
    exo_posterior *p = NULL;
    exo_status st = exo_calibrate_posterior(f->ctx, f->u, f->dir, &opt, "2026-01-02", &r, &p);
    if (st != EXO_OK)
        fail_msg("exo_calibrate_posterior: %s", exo_ctx_last_error(f->ctx));
    assert_int_equal(exo_posterior_count(p), 2);
    exo_posterior_param a, b;
    assert_int_equal(exo_posterior_param_get(p, 0, &b), EXO_OK); /* table order: unoccluded first */
    assert_int_equal(exo_posterior_param_get(p, 1, &a), EXO_OK);
    assert_string_equal(a.key, "channel_closure_half_life_occluded");
    double prior_sd = log(23.0 / 10.0) / 1.6448536269514722;
    assert_true(fabs(a.prior_sd - prior_sd) < 1e-12);
    assert_true(fabs(a.median - 29.97) < 0.3); /* [h] */
    assert_true(a.identified);
    double like_sd = 1.0 / 30.0, post_sd = 1.0 / sqrt(1.0 / (like_sd * like_sd) + 1.0 / (prior_sd * prior_sd));
    assert_true(fabs(a.sd / post_sd - 1) < 0.1);
    assert_true(a.p05 < 29.0 && a.p05 > 27.0 && a.p95 > 31.0 && a.p95 < 33.0); /* [h] */
    assert_false(b.identified);
    assert_true(fabs(b.sd / b.prior_sd - 1) < 1e-6);
    assert_true(fabs(b.median - b.prior_median) < 1e-6 * b.prior_median);
    assert_true(fabs(exo_posterior_correlation(p, 0, 1)) < 1e-6);
    assert_true(r->objective_after < 0.05 * r->objective_before);
    assert_true(r->studies[0].pass_after);
    exo_posterior_provenance pv;
    exo_posterior_provenance_get(p, &pv);
    assert_int_equal(pv.n_studies, 1);
    assert_string_equal(pv.date, "2026-01-02");
    assert_true(pv.seed == 3 && pv.evaluations == r->evaluations);
    /* The importance check: in log space the endpoint is exp(t), nearly linear
     * over the posterior SD of 0.032, so the Laplace normal is the posterior
     * up to a skew of order SD^2 and the 64 weights are nearly equal. */
    assert_int_equal(r->check_draws, 64);
    assert_true(r->check_ess > 0.95 * 64 && r->check_ess <= 64);
    assert_true(r->check_shift < 0.1);
    assert_true(pv.check_draws == 64 && pv.check_ess == r->check_ess && pv.check_shift == r->check_shift);
    /* the same calibration again: the same bytes */
    char f1[600], f2[600], cmd[1300];
    snprintf(f1, sizeof f1, "%s/a.json", f->dir);
    snprintf(f2, sizeof f2, "%s/b.json", f->dir);
    assert_int_equal(exo_posterior_write(f->ctx, p, f1), EXO_OK);
    exo_posterior_destroy(&p);
    exo_calibration_result_destroy(f->ctx, &r);
    assert_int_equal(exo_calibrate_posterior(f->ctx, f->u, f->dir, &opt, "2026-01-02", &r, &p), EXO_OK);
    assert_int_equal(exo_posterior_write(f->ctx, p, f2), EXO_OK);
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", f1, f2);
    assert_int_equal(system(cmd), 0);
    exo_posterior_destroy(&p);
    assert_int_equal(exo_posterior_load(f->ctx, f1, &p), EXO_OK);
    assert_int_equal(exo_posterior_count(p), 2);
    exo_posterior_destroy(&p);
    remove(f1);
    remove(f2);
    exo_calibration_result_destroy(f->ctx, &r);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), bytes0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fit_recovers_a_half_life_the_endpoint_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(fit_stops_at_the_bound_of_the_prior_range, setup, teardown),
        cmocka_unit_test_setup_teardown(fit_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(objective_never_rises, setup, teardown),
        cmocka_unit_test_setup_teardown(screening_keeps_only_influential_estimates, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input_gives_a_status, setup, teardown),
        cmocka_unit_test_setup_teardown(allocation_failure_is_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(posterior_updates_a_read_back_parameter_and_keeps_the_other_prior, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posterior_allocation_failure_is_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(posterior_of_an_uninformed_parameter_is_its_prior_centre, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
