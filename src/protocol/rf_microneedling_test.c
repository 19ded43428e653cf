/* rf_microneedling_test.c - the radiofrequency microneedling route: a small
 * scenario loads with its defaults, an out-of-range thermal depth is an error
 * at FILE:LINE:COL: KEY, it plans channels and a thermal injury to its depth,
 * and a run opens channels (the product reaches the dermis) and injures
 * (inflammation above an untreated arm). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/test_fixture.h"

#include <exoskin/exo_input.h>
#include <exoskin/exo_run.h>

#include "protocol/protocol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line 9 holds the rf event's extra keys (`extra`, empty by default). */
static exo_status load(exo_test_fixture *f, const char *extra, exo_config *cfg)
{
    char text[1024];
    snprintf(text, sizeof text,
             "products:\n"
             "  - {name: p, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: serum}\n"
             "arms:\n"
             "  - name: rf\n"
             "    protocol:\n"
             "      - event: rf_microneedling\n"
             "        schedule: once\n"
             "        product: p\n"
             "%s"
             "  - name: topical\n"
             "    protocol:\n"
             "      - {event: topical, schedule: once, product: p}\n"
             "  - name: untreated\n"
             "    protocol: []\n"
             "simulation: {duration: 2 days, output_interval: 1 day}\n",
             extra);
    return exo_config_load_buffer(f->ctx, f->u, "rf.yaml", text, strlen(text), NULL, 0, cfg);
}

static void loads_with_its_defaults(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load(f, "", &cfg), EXO_OK);
    const exo_event_cfg *ev = &cfg.arms[0].events[0];
    assert_string_equal(exo_event_name(ev->kind), "rf_microneedling");
    assert_int_equal(ev->product, 0);
    assert_true(ev->needle_length == 2000.0);                         /* [um] 2 mm */
    assert_true(fabs(ev->needle_density * 1e8 - 25.0) < 1e-12);       /* [1/cm^2] */
    assert_int_equal(ev->passes, 1);
    assert_true(ev->depth == 2500.0);                                 /* [um] thermal_depth 2.5 mm */
    assert_false(ev->occlusion);
    assert_true(ev->occlusion_time == 24.0);                          /* [h] */
    char *yaml = NULL;
    assert_int_equal(exo_config_to_yaml(f->ctx, &cfg, &yaml), EXO_OK);
    assert_non_null(strstr(yaml, "thermal_depth: 2500 um"));
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &cfg);
}

static void thermal_depth_out_of_range(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load(f, "        thermal_depth: 9 mm\n", &cfg), EXO_EINPUT);
    const char *msg = exo_ctx_last_error(f->ctx);
    if (strncmp(msg, "rf.yaml:9:", 10) != 0 || !strstr(msg, "arms.0.protocol.0.thermal_depth: "))
        fail_msg("unexpected message '%s'", msg);
    assert_int_equal(load(f, "        passes: 6\n", &cfg), EXO_EINPUT);
    msg = exo_ctx_last_error(f->ctx);
    if (strncmp(msg, "rf.yaml:9:", 10) != 0 || !strstr(msg, "arms.0.protocol.0.passes: "))
        fail_msg("unexpected message '%s'", msg);
}

static void plans_channels_and_thermal_injury(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load(f, "", &cfg), EXO_OK);
    exo__prim prims[EXO__PRIM_MAX];
    int n = exo__route_plan(&cfg.arms[0].events[0], &cfg, prims);
    assert_int_equal(n, 4); /* channels, needle injury, thermal injury, film */
    assert_int_equal(prims[0].kind, EXO__PRIM_CHANNELS);
    assert_false(prims[0].zones);
    assert_true(prims[0].fraction > 0);
    assert_int_equal(prims[2].kind, EXO__PRIM_INJURE);
    assert_true(prims[2].depth == 2500.0);   /* [um] */
    assert_true(prims[2].severity == 1.0);    /* [1] one pass at 25 /cm^2 */
    assert_int_equal(prims[3].kind, EXO__PRIM_FILM);
    assert_true(prims[3].amount == 10.0);    /* [um] */
    exo_config_fini(f->ctx, &cfg);
}

static int readout(const char *name)
{
    for (int k = 0; k < exo_readout_count(); k++)
        if (strcmp(exo_readout_name(k), name) == 0)
            return k;
    return -1;
}

static void a_run_opens_channels_and_injures(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = NULL;
    assert_int_equal(load(f, "", &cfg), EXO_OK);
    assert_int_equal(exo_run(f->ctx, &cfg, NULL, NULL, &r), EXO_OK);
    exo_arm_delivery rf, top;
    exo_result_delivery(r, 0, &rf);
    exo_result_delivery(r, 1, &top);
    if (!(rf.dermis > 10 * top.dermis) || !(rf.balance_error < 1e-6))
        fail_msg("dermis: rf %g, topical %g particles/cm^2 (balance %g)", rf.dermis, top.dermis, rf.balance_error);
    int k = readout("inflammation");
    assert_true(k >= 0);
    double peak_rf = exo_result_readout_peak(r, 0, k), peak_none = exo_result_readout_peak(r, 2, k);
    if (!(peak_rf > peak_none + 0.1))
        fail_msg("inflammation peak: rf %g, untreated %g", peak_rf, peak_none);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(loads_with_its_defaults, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(thermal_depth_out_of_range, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(plans_channels_and_thermal_injury, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_run_opens_channels_and_injures, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
