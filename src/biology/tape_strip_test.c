/* tape_strip_test.c - the tape-stripping barrier challenge: the event loads,
 * plans one strip primitive, refuses a removal outside (0, 1] at its key and
 * survives the YAML writer; TEWL rises with the layers removed as resistances
 * in series; after the whole stratum corneum is stripped a 25-year-old repairs
 * about half of the disruption in a day (Ghadially 1995: 50 %), an
 * 85-year-old less than half as much (15 %), and the barrier is whole again
 * within 5 weeks; skin that is not stripped keeps its TEWL; the
 * recovered_fraction comparison of a study reads the same share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <exoskin/exo_input.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "biology/biology.h"
#include "protocol/protocol.h"

#include "core/test_fixture.h"
#include "biology/bio_test_fixture.h"

#define DAY 24.0

static exo_status load(exo_test_fixture *f, const char *events, exo_config *cfg)
{
    char text[512];
    snprintf(text, sizeof text, "skin: {age: 25 years}\narms: [{name: a, protocol: %s}]\n", events);
    return exo_config_load_buffer(f->ctx, f->u, "t.yaml", text, strlen(text), NULL, 0, cfg);
}

static void event_loads_plans_and_refuses(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    if (load(f, "[{event: tape_strip, removal: 0.4, schedule: once}, {event: tape_strip, schedule: once}]", &cfg) !=
        EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    const exo_event_cfg *a = &cfg.arms[0].events[0], *b = &cfg.arms[0].events[1];
    assert_true(a->strip_removal == 0.4 && b->strip_removal == 1.0); /* the default strips it all */
    exo__prim p[EXO__PRIM_MAX];
    assert_int_equal(exo__route_plan(a, &cfg, p), 1); /* no injury, no channels */
    assert_int_equal(p[0].kind, EXO__PRIM_STRIP);
    assert_true(p[0].fraction == 0.4);
    char *yaml = NULL;
    exo_config back;
    assert_int_equal(exo_config_to_yaml(f->ctx, &cfg, &yaml), EXO_OK);
    if (exo_config_load_buffer(f->ctx, f->u, "back.yaml", yaml, strlen(yaml), NULL, 0, &back) != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    assert_int_equal(back.arms[0].events[0].kind, EXO_EV_TAPE_STRIP);
    assert_true(back.arms[0].events[0].strip_removal == 0.4);
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &back);
    exo_config_fini(f->ctx, &cfg);

    const char *bad[] = {"[{event: tape_strip, removal: 1.5, schedule: once}]",
                         "[{event: tape_strip, removal: 0, schedule: once}]"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(load(f, bad[i], &cfg), EXO_EINPUT);
        const char *msg = exo_ctx_last_error(f->ctx);
        if (!strstr(msg, "t.yaml:2:") || !strstr(msg, "removal"))
            fail_msg("message: %s", msg);
    }
}

/* 1/TEWL = r_ve + r_sc (1 - removal): none removed adds nothing, all of it
 * gives the full ratio, half of it the series value. */
static void tewl_rises_as_resistances_in_series(void **state)
{
    (void)state;
    assert_true(exo__bio_strip_tewl(0.0, 5.0) == 0.0);
    assert_true(fabs(exo__bio_strip_tewl(1.0, 5.0) - 4.0) < 1e-12);
    assert_true(fabs(exo__bio_strip_tewl(0.5, 5.0) - (1.0 / (0.2 + 0.8 * 0.5) - 1.0)) < 1e-12);
    for (double x = 0.1; x < 1.0; x += 0.1) /* convex: the last layers count most */
        assert_true(exo__bio_strip_tewl(x, 5.0) < x * exo__bio_strip_tewl(1.0, 5.0));
}

static double recovered(const exo_result *r, int a, double t)
{
    const exo_arm_result *ar = &r->arms[a];
    double b = ar->rows[0].rd[EXO_RD_TEWL], pk = ar->rows[1].rd[EXO_RD_TEWL];
    return 100.0 * (pk - rd_at(r, a, t, EXO_RD_TEWL)) / (pk - b);
}

static void repair_is_fast_then_slow_and_slower_with_age(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = run_text(f->ctx, f->u,
                             "skin: {age: 25 years}\n"
                             "arms:\n"
                             "  - {name: young, protocol: [{event: tape_strip, schedule: once}]}\n"
                             "  - {name: aged, skin: {age: 85 years}, protocol: [{event: tape_strip, schedule: once}]}\n"
                             "  - {name: untreated, protocol: []}\n"
                             "simulation: {duration: 5 weeks, output_interval: 0.25 h}\n",
                             &cfg);
    double y24 = recovered(r, 0, DAY), a24 = recovered(r, 1, DAY), y72 = recovered(r, 0, 3 * DAY);
    double b = rd_at(r, 0, 0, EXO_RD_TEWL), peak = r->arms[0].rows[1].rd[EXO_RD_TEWL];
    double w5 = rd_at(r, 0, 35 * DAY, EXO_RD_TEWL) / b;
    print_message("stripped: TEWL %.1f -> %.1f g/m^2/h; repaired at 24 h: 25 y %.1f %%, 85 y %.1f %%; 72 h: %.1f %%; "
                  "TEWL / baseline at 5 weeks %.3f\n",
                  b, peak, y24, a24, y72, w5);
    assert_true(peak > 3 * b);              /* a glistening surface loses water several times faster */
    assert_true(y24 > 40 && y24 < 60);      /* about half in a day */
    assert_true(y72 > 70 && y72 < 90);      /* most of it in three */
    assert_true(a24 < 0.5 * y24 && a24 > 0); /* the aged repair more slowly */
    assert_true(w5 < 1.05);                 /* within the evaporimeter's precision by 5 weeks */
    /* untreated skin stays at its steady state (only ageing moves TEWL, by 0.3 % in 5 weeks) */
    const exo_arm_result *u = &r->arms[2];
    for (int i = 1; i < u->n_rows; i++)
        if (u->rows[i].rd[EXO_RD_TEWL] != u->rows[0].rd[EXO_RD_TEWL] &&
            fabs(u->rows[i].rd[EXO_RD_TEWL] / u->rows[0].rd[EXO_RD_TEWL] - 1) > 0.01)
            fail_msg("untreated TEWL moved to %g at %g h", u->rows[i].rd[EXO_RD_TEWL], u->rows[i].t);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* compare: recovered_fraction reads 100 (peak - now) / (peak - baseline) off
 * the arm's outputs; it needs a clinical readout and takes no reference arm. */
static void recovered_fraction_compare(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = run_text(f->ctx, f->u,
                             "skin: {age: 25 years}\n"
                             "arms: [{name: s, protocol: [{event: tape_strip, removal: 0.6, schedule: once}]}]\n"
                             "simulation: {duration: 2 days, output_interval: 1 h}\n"
                             "study: {id: t, reported: 50, unit: '%', endpoint: {quantity: tewl, compare: recovered_fraction,"
                             " arm: s, time: 30 h, low: 0, high: 100}}\n",
                             &cfg);
    double v = NAN;
    if (exo_result_endpoint(f->ctx, r, &cfg.study.endpoint, &v) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_true(fabs(v - recovered(r, 0, 30)) < 1e-9);
    assert_true(v > 0 && v < 100);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);

    const char *bad[] = {"{quantity: delivered_past_sc, compare: recovered_fraction, arm: s, low: 0, high: 1}",
                         "{quantity: tewl, compare: recovered_fraction, arm: s, reference_arm: s, low: 0, high: 1}"};
    for (int i = 0; i < 2; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "arms: [{name: s, protocol: []}]\nstudy: {id: t, reported: 1, unit: '%%', endpoint: %s}\n", bad[i]);
        assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "t.yaml", text, strlen(text), NULL, 0, &cfg), EXO_EINPUT);
        if (!strstr(exo_ctx_last_error(f->ctx), "t.yaml:2:"))
            fail_msg("message: %s", exo_ctx_last_error(f->ctx));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(event_loads_plans_and_refuses, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test(tewl_rises_as_resistances_in_series),
        cmocka_unit_test_setup_teardown(repair_is_fast_then_slow_and_slower_with_age, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(recovered_fraction_compare, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
