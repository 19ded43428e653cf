/* summary_test.c - exo_result_summary is summary.json: the text it returns
 * equals, byte for byte, the file exo_result_write writes for the same
 * result (a plain run and one with posterior draws); and
 * exo_result_row_band gives the draws' bands that summary.json
 * records at the end (final_p05/p50/p95), ordered, and nothing without
 * draws.  `exoskin serve` answers these (docs/serve.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>

#include <cJSON.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *scenario =
    "seed: 3\n"
    "arms:\n"
    "  - name: needling\n"
    "    protocol:\n"
    "      - event: microneedling\n"
    "        schedule: once\n"
    "simulation: {duration: 1 week}\n";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The summary of a run of the scenario (draws: 0 a plain run), checked
 * against the file; returns it parsed. */
static cJSON *summary_of(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int draws,
                         exo_result **res)
{
    assert_int_equal(post ? exo_run_draws(ctx, cfg, post, draws, NULL, NULL, res) : exo_run(ctx, cfg, NULL, NULL, res),
                     EXO_OK);
    char *yaml = NULL, *text = NULL;
    assert_int_equal(exo_config_to_yaml(ctx, cfg, &yaml), EXO_OK);
    assert_int_equal(exo_result_summary(ctx, *res, yaml, &text), EXO_OK);
    char dir[] = "/tmp/exoskin-summary-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    assert_int_equal(rmdir(dir), 0); /* exo_result_write makes it */
    assert_int_equal(exo_result_write(ctx, *res, yaml, dir, false), EXO_OK);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *file = slurp(path);
    assert_string_equal(text, file);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    free(file);
    exo_free(ctx, text);
    exo_free(ctx, yaml);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return j;
}

static bool near(double a, double b) { return fabs(a - b) <= 4 * DBL_EPSILON * fabs(b); }

static void summary_is_the_file(void **state)
{
    (void)state;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    exo_posterior *post = NULL;
    assert_int_equal(exo_ctx_create(0, &ctx), EXO_OK);
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    assert_int_equal(exo_config_load_buffer(ctx, u, "s.yaml", scenario, strlen(scenario), NULL, 0, &cfg), EXO_OK);

    exo_result *res = NULL;
    cJSON *plain = summary_of(ctx, &cfg, NULL, 0, &res);
    double q[3] = {-1, -1, -1};
    assert_false(exo_result_row_band(res, 0, 0, 0, false, q));
    assert_true(isnan(q[0])); /* no draws: no band */
    cJSON_Delete(plain);
    exo_result_destroy(&res);

    assert_int_equal(exo_posterior_load(ctx, NULL, &post), EXO_OK);
    cJSON *drawn = summary_of(ctx, &cfg, post, 2, &res);
    int last = exo_result_rows(res, 0) - 1;
    cJSON *ro = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(drawn, "arms"), 0), "readouts");
    for (int k = 0; k < exo_readout_count(); k++) {
        cJSON *x = cJSON_GetObjectItem(ro, exo_readout_name(k));
        assert_true(exo_result_row_band(res, 0, last, k, false, q));
        assert_true(q[0] <= q[1] && q[1] <= q[2]);
        /* cJSON writes 15 digits where they read back within its epsilon */
        assert_true(near(q[0], cJSON_GetObjectItem(x, "final_p05")->valuedouble));
        assert_true(near(q[1], cJSON_GetObjectItem(x, "final_p50")->valuedouble));
        assert_true(near(q[2], cJSON_GetObjectItem(x, "final_p95")->valuedouble));
    }
    assert_false(exo_result_row_band(res, 0, last + 1, 0, false, q)); /* out of range */
    assert_false(exo_result_row_band(res, 1, 0, 0, false, q));
    assert_false(exo_result_row_band(res, 0, 0, exo_readout_count(), false, q));
    cJSON_Delete(drawn);
    exo_result_destroy(&res);
    exo_posterior_destroy(&post);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(summary_is_the_file)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
