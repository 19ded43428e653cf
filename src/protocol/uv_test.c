/* uv_test.c - the keys of issue 12: the uv route (dose in MED or energy per
 * area), the laser's mode word (ablative | non_ablative), a vehicle-only
 * product (concentration 0), the new skin conditions and a product's
 * sunscreen and tint; each loads, plans the right primitives, refuses a
 * wrong value at its key and survives the YAML writer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/test_fixture.h"

#include <exoskin/exo_input.h>

#include "protocol/protocol.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static exo_status load(exo_test_fixture *f, const char *skin, const char *events, exo_config *cfg)
{
    char text[1024];
    snprintf(text, sizeof text,
             "skin: %s\n"
             "products: [{name: vehicle, origin: plant, concentration: 0 particles/mL, vehicle: cream}]\n"
             "arms: [{name: a, protocol: %s}]\n",
             skin, events);
    return exo_config_load_buffer(f->ctx, f->u, "t.yaml", text, strlen(text), NULL, 0, cfg);
}

/* Loads, writes and reloads; the events must come back the same. */
static void round_trips(exo_test_fixture *f, const exo_config *cfg)
{
    char *yaml = NULL;
    exo_config back;
    assert_int_equal(exo_config_to_yaml(f->ctx, cfg, &yaml), EXO_OK);
    if (exo_config_load_buffer(f->ctx, f->u, "back.yaml", yaml, strlen(yaml), NULL, 0, &back) != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    for (int e = 0; e < cfg->arms[0].n_events; e++) {
        const exo_event_cfg *a = &cfg->arms[0].events[e], *b = &back.arms[0].events[e];
        assert_int_equal(a->laser_mode, b->laser_mode);
        assert_true(a->uv_dose == b->uv_dose && a->uv_energy == b->uv_energy);
    }
    assert_int_equal(back.skin.condition, cfg->skin.condition);
    assert_true(back.products[0].conc_known && back.products[0].conc == 0);
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &back);
}

static void uv_dose_and_energy(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    if (load(f, "{phototype: II, condition: rosacea}",
             "[{event: uv, dose: 2 MED, schedule: once}, {event: uv, energy: 65 mJ/cm^2, schedule: once}]",
             &cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    const exo_event_cfg *a = &cfg.arms[0].events[0], *b = &cfg.arms[0].events[1];
    assert_true(a->uv_dose == 2.0 && a->uv_energy == 0.0);
    assert_true(fabs(b->uv_energy - 650.0) < 1e-9); /* [J/m^2] */
    assert_true(b->uv_dose == 1.0);                 /* the row's default, replaced by the energy */
    assert_int_equal(cfg.skin.condition, EXO_COND_ROSACEA);
    exo__prim p[EXO__PRIM_MAX];
    assert_int_equal(exo__route_plan(b, &cfg, p), 1);
    assert_int_equal(p[0].kind, EXO__PRIM_UV);
    assert_true(fabs(p[0].energy - 650.0) < 1e-9);
    round_trips(f, &cfg);
    exo_config_fini(f->ctx, &cfg);
}

static void laser_mode_word(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    if (load(f, "{condition: atopic_dermatitis}",
             "[{event: laser, schedule: once}, {event: laser, mode: non_ablative, zone_fraction: 0.2, schedule: once}]",
             &cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    const exo_event_cfg *a = &cfg.arms[0].events[0], *b = &cfg.arms[0].events[1];
    assert_int_equal(a->laser_mode, 0);
    assert_int_equal(b->laser_mode, 1);
    exo__prim p[EXO__PRIM_MAX];
    assert_int_equal(exo__route_plan(a, &cfg, p), 2); /* zones open to the film, ablation */
    assert_int_equal(p[0].kind, EXO__PRIM_CHANNELS);
    assert_int_equal(exo__route_plan(b, &cfg, p), 1); /* coagulation only: no conduits */
    assert_int_equal(p[0].kind, EXO__PRIM_COAGULATE);
    assert_true(p[0].fraction == 0.2);
    assert_int_equal(cfg.skin.condition, EXO_COND_ATOPIC);
    round_trips(f, &cfg);
    exo_config_fini(f->ctx, &cfg);

    assert_int_equal(load(f, "{}", "[{event: laser, mode: fractional, schedule: once}]", &cfg), EXO_EINPUT);
    const char *msg = exo_ctx_last_error(f->ctx);
    if (!strstr(msg, "t.yaml:3:") || !strstr(msg, "mode") || !strstr(msg, "ablative|non_ablative"))
        fail_msg("message: %s", msg);
    const exo__route_key *k = exo__route_key_find(exo__route_get(EXO_EV_LASER), "mode");
    char w[32];
    assert_string_equal(exo__route_word(k, 1, w, sizeof w), "non_ablative");
    assert_string_equal(exo__route_word(k, 2, w, sizeof w), "?");
    assert_int_equal(exo__route_word_index(k, "ablative"), 0);
    assert_int_equal(exo__route_word_index(k, "non"), -1);
}

static void vehicle_only_and_negative_concentration(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load(f, "{}", "[{event: topical, product: vehicle, schedule: once}]", &cfg), EXO_OK);
    assert_true(cfg.products[0].conc_known && cfg.products[0].conc == 0);
    exo_config_fini(f->ctx, &cfg);
    const char *text = "products: [{name: p, origin: plant, concentration: -1 particles/mL}]\n"
                       "arms: [{name: a, protocol: []}]\n";
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "t.yaml", text, strlen(text), NULL, 0, &cfg), EXO_EINPUT);
}

/* A product's `spf` (>= 1, default 1: none) and `tint` (0-1 or %, default 0)
 * load, are written back only when set, and a bad value is refused at its
 * file, line and key. */
static void sunscreen_and_tint_keys(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *text = "products:\n"
                       "  - {name: p, origin: custom, concentration: 0 particles/mL, vehicle: cream, spf: 30, tint: 25 %}\n"
                       "  - {name: q, origin: custom, concentration: 0 particles/mL, vehicle: cream}\n"
                       "arms: [{name: a, protocol: []}]\n";
    if (exo_config_load_buffer(f->ctx, f->u, "t.yaml", text, strlen(text), NULL, 0, &cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_true(cfg.products[0].spf == 30 && fabs(cfg.products[0].tint - 0.25) < 1e-15);
    assert_true(cfg.products[1].spf == 1 && cfg.products[1].tint == 0);
    char *yaml = NULL;
    assert_int_equal(exo_config_to_yaml(f->ctx, &cfg, &yaml), EXO_OK);
    assert_non_null(strstr(yaml, "spf: 30"));
    assert_non_null(strstr(yaml, "tint: 0.25"));
    assert_null(strstr(strstr(yaml, "name: \"q\""), "spf")); /* the defaults are not written */
    exo_config back;
    if (exo_config_load_buffer(f->ctx, f->u, "back.yaml", yaml, strlen(yaml), NULL, 0, &back) != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    assert_true(back.products[0].spf == 30 && back.products[0].tint == cfg.products[0].tint);
    assert_true(back.products[1].spf == 1 && back.products[1].tint == 0);
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &back);
    exo_config_fini(f->ctx, &cfg);
    static const char *const bad[][2] = {
        {"spf: 0.5", "products.0.spf"}, {"spf: 101", "products.0.spf"}, {"spf: high", "products.0.spf"},
        {"tint: 1.5", "products.0.tint"}, {"tint: -0.1", "products.0.tint"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char t[512];
        snprintf(t, sizeof t,
                 "arms: [{name: a, protocol: []}]\n"
                 "products: [{name: p, origin: custom, concentration: 0 particles/mL, %s}]\n",
                 bad[i][0]);
        assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "t.yaml", t, strlen(t), NULL, 0, &cfg), EXO_EINPUT);
        const char *msg = exo_ctx_last_error(f->ctx);
        if (!strstr(msg, "t.yaml:2:") || !strstr(msg, bad[i][1]))
            fail_msg("%s: message %s", bad[i][0], msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(uv_dose_and_energy, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(laser_mode_word, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(vehicle_only_and_negative_concentration, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(sunscreen_and_tint_keys, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
