/* audit_test.c - properties of label audits (exo_audit_run, docs/audit.md):
 * an unknown concentration gives the verdict unknown; injection puts more
 * than 100x the vesicles of one topical application into the dermis; the
 * per-month values are the per-application ones times the applications in
 * 30 days; a larger threshold needs a larger concentration; a product
 * identical to its vehicle has no effect beyond it on any route; needling's
 * own effect is not credited to the product; and the audit:
 * block is validated, round-trips through the effective YAML and frees
 * cleanly, allocation failures included.  Runs from the source folder (EXO_SOURCE_DIR). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/test_fixture.h"

typedef exo_test_fixture fixture;

static void load_example(fixture *f, const char *name, const exo_override *sets, int n_sets, exo_config *cfg)
{
    char path[1024];
    const char *src = getenv("EXO_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/examples/%s", src && src[0] ? src : ".", name);
    exo_status st = exo_config_load(f->ctx, f->u, path, sets, n_sets, cfg);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
}

static const exo_audit_options no_search = {false, 0};

static void unknown_concentration_gives_unknown(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override only_topical = {"audit.routes", "[topical]"};
    load_example(f, "audit-rose-cream.yaml", &only_topical, 1, &cfg);
    assert_false(cfg.products[0].conc_known);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    assert_int_equal(r.verdict, EXO_AUDIT_UNKNOWN);
    assert_string_equal(exo_audit_verdict_name(r.verdict), "unknown");
    assert_true(r.n_reasons >= 2);
    assert_non_null(strstr(r.reasons[0], "vehicle alone"));
    assert_non_null(strstr(r.reasons[1], "concentration"));
    assert_non_null(strstr(r.reasons[r.n_reasons - 1], "assumed concentration"));
    assert_true(r.used_conc > 0);
    assert_true(r.routes[EXO_AUDIT_TOPICAL].present && !r.routes[EXO_AUDIT_INJECTION].present);
    exo_config_fini(f->ctx, &cfg);
}

static void origin_not_stated_gives_unknown(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override sets[] = {{"audit.routes", "[topical]"}, {"audit.origin_stated", "false"},
                           {"products.0.origin", "custom"}};
    load_example(f, "audit-serum.yaml", sets, 3, &cfg);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    assert_int_equal(r.verdict, EXO_AUDIT_UNKNOWN);
    assert_non_null(strstr(r.reasons[1], "origin"));
    exo_config_fini(f->ctx, &cfg);
}

/* Routes and per-month scaling share one set of runs (no dose search). */
static void routes_and_months(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override sets[] = {{"audit.routes", "[topical, injection]"}};
    load_example(f, "audit-serum.yaml", sets, 1, &cfg);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    const exo_audit_route_result *t = &r.routes[EXO_AUDIT_TOPICAL], *inj = &r.routes[EXO_AUDIT_INJECTION];
    assert_true(t->present && inj->present && !r.routes[EXO_AUDIT_LASER].present);
    /* the physics of the routes: a bolus in the dermis against a film on the SC */
    assert_true(t->product.dermis[0] > 0);
    assert_true(inj->product.dermis[0] > 100.0 * t->product.dermis[0]);
    /* twice daily: 56 applications in the 4-week run, 60 in 30 days */
    assert_true(fabs(t->applications - 56) < 1e-9);
    assert_true(fabs(t->per_month - 60) <= 0.05 * 60);
    for (int i = 0; i < 3; i++) {
        const double *v = i == 0 ? t->product.applied : i == 1 ? t->product.viable_epidermis : t->product.dermis;
        assert_true(v[0] > 0);
        assert_true(fabs(v[1] - 60 * v[0]) <= 0.05 * 60 * v[0]);
    }
    /* 1 mg/cm^2 = 1e-3 mL/cm^2 of 1e9 particles/mL, 70 % functional */
    assert_true(fabs(t->product.applied[0] - 0.7e6) < 1e-6 * 0.7e6);
    assert_true(r.label_conc == 1e9 && r.conc_known);
    assert_int_equal(r.needed[EXO_AUDIT_TOPICAL].searched, false);
    exo_config_fini(f->ctx, &cfg);
}

/* A larger threshold needs a larger (or equal, within the bisection) concentration. */
static void needed_grows_with_threshold(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_dose lo, hi;
    load_example(f, "audit-serum.yaml", NULL, 0, &cfg);
    assert_int_equal(exo_audit_needed(f->ctx, &cfg, EXO_AUDIT_TOPICAL, 0.5, 3, &lo), EXO_OK);
    assert_int_equal(exo_audit_needed(f->ctx, &cfg, EXO_AUDIT_TOPICAL, 2.0, 3, &hi), EXO_OK);
    assert_true(lo.searched && hi.searched);
    assert_true(lo.found);
    if (hi.found) {
        assert_true(hi.conc > lo.conc);
        assert_true(hi.change >= 2.0 && lo.change >= 0.5);
    }
    assert_true(lo.conc >= EXO_AUDIT_SCAN_LO && lo.conc <= EXO_AUDIT_SCAN_HI);
    /* no such route */
    assert_int_equal(exo_audit_needed(f->ctx, &cfg, EXO_AUDIT_ROUTE_COUNT, 1.0, 3, &lo), EXO_EINVAL);
    exo_config_fini(f->ctx, &cfg);
}

/* A product identical to its vehicle (0 particles/mL) has no effect beyond
 * the vehicle by any route: both arms are the same run. */
static void vehicle_product_has_no_effect(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override sets[] = {{"products.0.concentration", "0 particles/mL"}, {"audit.draws", "2"}};
    load_example(f, "audit-serum.yaml", sets, 2, &cfg);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_route_result *x = &r.routes[k];
        assert_true(x->present);
        assert_true(x->product.week4 == x->vehicle.week4 && x->difference == 0 && x->own_change == 0);
        assert_true(x->product.dermis[1] == 0 && x->vehicle.dermis[1] == 0);
        assert_false(x->measurable);
        /* not measurable under any posterior draw either */
        assert_int_equal(x->n_draws, 2);
        assert_true(x->p_measurable == 0.0 && x->own_p05 == 0.0 && x->own_p95 == 0.0);
        if (!strstr(x->claim, "no effect beyond the vehicle"))
            fail_msg("%s: %s", exo_audit_route_name((exo_audit_route)k), x->claim);
    }
    /* the procedures alone change collagen: that is the vehicle arm's, not the product's */
    assert_true(r.routes[EXO_AUDIT_MICRONEEDLING].vehicle.change > 1.0);
    assert_int_equal(r.verdict, EXO_AUDIT_IMPLAUSIBLE);
    assert_true(r.p_measurable == 0.0);
    assert_non_null(strstr(r.reasons[r.n_reasons - 1], "no effect beyond the vehicle"));
    exo_config_fini(f->ctx, &cfg);
}

/* After needling the labelled serum raises collagen measurably, but so does
 * needling with its vehicle alone: the improvement is the procedure's, not
 * the product's, and the concentration at which the product adds a
 * measurable change of its own lies far above the label and gives a change
 * above the vehicle arm's. */
static void procedure_is_not_credited_to_the_product(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override sets[] = {{"audit.routes", "[microneedling]"}};
    load_example(f, "audit-serum.yaml", sets, 1, &cfg);
    exo_audit_options opt = {true, 4};
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &opt, NULL, NULL, &r), EXO_OK);
    const exo_audit_route_result *x = &r.routes[EXO_AUDIT_MICRONEEDLING];
    const exo_audit_dose *nd = &r.needed[EXO_AUDIT_MICRONEEDLING];
    /* the measurable change: the 1 % threshold, or the MDD of 0.01 where larger */
    assert_true(r.measurable >= r.threshold && fabs(r.mdd - 0.01) < 1e-15);
    assert_true(fabs(r.measurable - 100.0 * 0.01 / x->vehicle.baseline) < 1e-9);
    assert_true(x->product.change >= r.measurable && x->vehicle.change >= r.measurable);
    assert_false(x->measurable);
    assert_true(fabs(x->own_change) < 0.1 * r.measurable);
    assert_non_null(strstr(x->claim, "adds nothing measurable to needling below"));
    /* the needling route's threshold concentration: found, far above the label,
     * and the product's change there exceeds the vehicle-only arm's by the
     * measurable change */
    assert_true(nd->searched && nd->found && !nd->at_floor);
    assert_true(nd->conc > 1e3 * r.label_conc && nd->conc <= EXO_AUDIT_SCAN_HI);
    assert_true(nd->change >= r.measurable);
    assert_true(fabs(nd->vehicle_change - x->vehicle.change) < 1e-12);
    assert_true(nd->vehicle_change + nd->change > x->vehicle.change + r.measurable - 1e-12);
    /* one concentration below the found one adds nothing measurable */
    exo_audit_dose again;
    assert_int_equal(exo_audit_needed(f->ctx, &cfg, EXO_AUDIT_MICRONEEDLING, r.threshold, 4, &again), EXO_OK);
    assert_true(again.conc == nd->conc && again.runs == nd->runs + 1);
    exo_config_fini(f->ctx, &cfg);
}

/* A clearly effective label (1e13 particles/mL injected raises collagen many
 * times the measurable change) is measurable under every posterior draw:
 * probability 1, within [0, 1], and its own change stays within the 5-95 %
 * range of the draws' order; without draws there is no probability. */
static void probability_behind_the_verdict(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_audit_result r;
    exo_override sets[] = {{"products.0.concentration", "1e13 particles/mL"},
                           {"audit.routes", "[injection]"},
                           {"audit.draws", "3"}};
    load_example(f, "audit-serum.yaml", sets, 3, &cfg);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    const exo_audit_route_result *x = &r.routes[EXO_AUDIT_INJECTION];
    assert_true(x->measurable);
    assert_int_equal(x->n_draws, 3);
    assert_true(x->p_measurable == 1.0);
    assert_true(x->own_p05 >= r.measurable && x->own_p05 <= x->own_p95);
    /* the topical route runs too and carries the verdict's probability */
    const exo_audit_route_result *t = &r.routes[EXO_AUDIT_TOPICAL];
    assert_true(r.p_measurable == t->p_measurable && r.p_measurable >= 0.0 && r.p_measurable <= 1.0);
    assert_int_equal(r.runs, 2 * 2 + 2 * 2 * 3);
    exo_config_fini(f->ctx, &cfg);
    exo_override none[] = {{"products.0.concentration", "1e13 particles/mL"},
                           {"audit.routes", "[injection]"},
                           {"audit.draws", "0"}};
    load_example(f, "audit-serum.yaml", none, 3, &cfg);
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_OK);
    assert_int_equal(r.routes[EXO_AUDIT_INJECTION].n_draws, 0);
    assert_true(isnan(r.p_measurable));
    exo_config_fini(f->ctx, &cfg);
}

static void audit_block_is_checked(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *key, *value, *msg;
    } bad[] = {
        {"audit.frequency", "hourly", "audit.frequency: unknown frequency 'hourly'"},
        {"audit.frequency", "49 times daily", "audit.frequency: unknown frequency"},
        {"audit.routes", "[topical, topical]", "audit.routes.1: route 'topical' listed twice"},
        {"audit.routes", "[needles]", "audit.routes.0: unknown value 'needles'"},
        {"audit.threshold.change", "0", "audit.threshold.change: 0 % is no change"},
        {"audit.threshold.readout", "beauty", "audit.threshold.readout: unknown value 'beauty'"},
        {"audit.amount", "3 h", "audit.amount: unit 'h' has the wrong dimension"},
        {"audit.origin_stated", "maybe", "audit.origin_stated:"},
        {"audit.colour", "red", "audit.colour: unknown key"},
        {"products.1", "x", NULL},
    };
    for (size_t i = 0; i + 1 < sizeof bad / sizeof *bad; i++) {
        exo_config cfg;
        exo_override set = {bad[i].key, bad[i].value};
        char path[1024];
        const char *src = getenv("EXO_SOURCE_DIR");
        snprintf(path, sizeof path, "%s/examples/audit-serum.yaml", src && src[0] ? src : ".");
        exo_status st = exo_config_load(f->ctx, f->u, path, &set, 1, &cfg);
        assert_true(st == EXO_EINPUT || st == EXO_EUNIT);
        if (!strstr(exo_ctx_last_error(f->ctx), bad[i].msg))
            fail_msg("case %zu: %s", i, exo_ctx_last_error(f->ctx));
    }
    /* exactly one product */
    const char *two = "products:\n  - {name: a, origin: plant}\n  - {name: b, origin: plant}\n"
                      "arms: [{name: x, protocol: []}]\naudit: {frequency: once daily}\n";
    exo_config cfg;
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "two.yaml", two, strlen(two), NULL, 0, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "two.yaml:2:3: products: 2 products in an audit file"));
    /* no audit block: exo_audit_run refuses */
    const char *none = "products: [{name: a, origin: plant}]\narms: [{name: x, protocol: []}]\n";
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "none.yaml", none, strlen(none), NULL, 0, &cfg), EXO_OK);
    exo_audit_result r;
    assert_int_equal(exo_audit_run(f->ctx, &cfg, &no_search, NULL, NULL, &r), EXO_EINPUT);
    exo_config_fini(f->ctx, &cfg);
}

static void audit_block_round_trips(void **state)
{
    fixture *f = *state;
    exo_config a, b;
    char *yaml = NULL, *yaml2 = NULL;
    exo_override sets[] = {{"audit.frequency", "3 Times Weekly"}, {"audit.routes", "[injection, laser]"},
                           {"audit.threshold", "{readout: wrinkle_severity, change: -5 %}"}};
    load_example(f, "audit-serum.yaml", sets, 3, &a);
    assert_string_equal(a.audit.frequency, "thrice weekly");
    assert_int_equal(a.audit.n_times, 12); /* every 56 h for 4 weeks */
    assert_true(fabs(a.audit.times[1] - 56.0) < 1e-12);
    assert_true(fabs(a.audit.threshold_change + 0.05) < 1e-15);
    assert_true(fabs(a.audit.amount - 10.0) < 1e-12);
    assert_int_equal(exo_config_to_yaml(f->ctx, &a, &yaml), EXO_OK);
    if (exo_config_load_buffer(f->ctx, f->u, "round-trip", yaml, strlen(yaml), NULL, 0, &b) != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    assert_true(b.audit.present);
    assert_string_equal(a.audit.frequency, b.audit.frequency);
    assert_string_equal(a.audit.schedule, b.audit.schedule);
    assert_int_equal(a.audit.n_times, b.audit.n_times);
    assert_memory_equal(a.audit.times, b.audit.times, (size_t)a.audit.n_times * sizeof *a.audit.times);
    assert_memory_equal(a.audit.routes, b.audit.routes, sizeof a.audit.routes);
    assert_int_equal(a.audit.origin_stated, b.audit.origin_stated);
    assert_int_equal(a.audit.threshold_readout, b.audit.threshold_readout);
    assert_true(a.audit.threshold_change == b.audit.threshold_change && a.audit.amount == b.audit.amount);
    assert_int_equal(exo_config_to_yaml(f->ctx, &b, &yaml2), EXO_OK);
    assert_string_equal(yaml, yaml2);
    exo_free(f->ctx, yaml);
    exo_free(f->ctx, yaml2);
    exo_config_fini(f->ctx, &a);
    exo_config_fini(f->ctx, &b);
}

/* Every allocation failure while loading an audit file is clean. */
static void allocation_failures_are_clean(void **state)
{
    fixture *f = *state;
    char path[1024];
    const char *src = getenv("EXO_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/examples/audit-serum.yaml", src && src[0] ? src : ".");
    size_t before = exo_ctx_bytes_in_use(f->ctx);
    exo_status st = EXO_ENOMEM;
    for (long n = 0; n < 100000 && st != EXO_OK; n++) {
        exo_config cfg;
        exo_ctx_fail_alloc_after(f->ctx, n);
        st = exo_config_load(f->ctx, f->u, path, NULL, 0, &cfg);
        exo_ctx_fail_alloc_after(f->ctx, -1);
        if (st == EXO_OK) {
            assert_true(cfg.audit.present && cfg.audit.n_times == 56);
            exo_config_fini(f->ctx, &cfg);
        }
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), before);
    }
    assert_int_equal(st, EXO_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_concentration_gives_unknown),
        cmocka_unit_test(origin_not_stated_gives_unknown),
        cmocka_unit_test(routes_and_months),
        cmocka_unit_test(needed_grows_with_threshold),
        cmocka_unit_test(vehicle_product_has_no_effect),
        cmocka_unit_test(procedure_is_not_credited_to_the_product),
        cmocka_unit_test(probability_behind_the_verdict),
        cmocka_unit_test(audit_block_is_checked),
        cmocka_unit_test(audit_block_round_trips),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, exo_test_setup, exo_test_teardown_checked);
}
