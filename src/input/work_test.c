/* work_test.c - the loader's work estimate (exo_config_steps, docs/config.md
 * "Work caps"): the steps of an arm from duration, dt_max, dt_min, dt_growth
 * and its sessions, worked out by hand here, and the cap it enforces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exo_input.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_units_create(f->ctx, &f->u) != EXO_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    exo_units_destroy(&f->u);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

static exo_status load(fixture *f, const char *text, exo_config *cfg)
{
    return exo_config_load_buffer(f->ctx, f->u, "work.yaml", text, strlen(text), NULL, 0, cfg);
}

/* 4 weeks = 672 h at dt_max 2 h: 336 steps; after each session the step
 * restarts at dt_min 10 s and doubles back to 2 h = 720 x 10 s: 2^10 = 1024
 * >= 720, so 10 doublings + 1 = 11 steps per session. */
static const char *two_arms =
    "arms:\n"
    "  - name: once\n"
    "    protocol:\n"
    "      - event: microneedling\n"
    "        schedule: once\n"
    "  - name: three\n"
    "    protocol:\n"
    "      - event: microneedling\n"
    "        schedule: 3 sessions 1 week apart\n"
    "simulation: {duration: 4 weeks, dt_max: 2 h, dt_min: 10 s, dt_growth: 2}\n";

static void steps_by_hand(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load(f, two_arms, &cfg), EXO_OK);
    assert_true(exo_config_steps(&cfg, 0) == 336.0 + 1 * 11.0); /* [1] */
    assert_true(exo_config_steps(&cfg, 1) == 336.0 + 3 * 11.0); /* [1] */
    assert_true(exo_config_steps(&cfg, 2) == 0.0);              /* no such arm */
    assert_true(exo_config_steps(&cfg, -1) == 0.0);
    assert_true(exo_config_steps(NULL, 0) == 0.0);
    exo_config_fini(f->ctx, &cfg);
}

/* The loader refuses an arm whose estimate passes 2,000,000 steps and
 * accepts one just under it: 1 year = 8760 h; dt_max 15.768 s = 0.00438 h
 * gives exactly 2,000,000 steps of duration alone, plus the one session. */
static void cap_is_the_estimate(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    char text[512];
    const char *head = "arms:\n  - name: a\n    protocol:\n      - event: microneedling\n        schedule: once\n";
    snprintf(text, sizeof text, "%ssimulation: {duration: 1 year, dt_max: 16 s, dt_min: 10 s, output_interval: 1 day}\n",
             head);
    assert_int_equal(load(f, text, &cfg), EXO_OK);
    double steps = exo_config_steps(&cfg, 0);
    assert_true(steps > 1.9e6 && steps <= 2e6);
    exo_config_fini(f->ctx, &cfg);
    snprintf(text, sizeof text, "%ssimulation: {duration: 1 year, dt_max: 15 s, dt_min: 10 s, output_interval: 1 day}\n",
             head);
    assert_int_equal(load(f, text, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "time steps"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steps_by_hand),
        cmocka_unit_test(cap_is_the_estimate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
