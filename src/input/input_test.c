/* input_test.c - tests of the input layer: unit conversion at the boundary,
 * the default example, every schedule form, bad input (tests/bad/ files and
 * inline cases with their line numbers), --set overrides, the YAML round
 * trip and allocation-failure injection.  Units are stated with each check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exo_input.h>

#include <dirent.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    exo_ctx *ctx;   /* the loader's: must hold nothing after each load */
    exo_ctx *uctx;  /* the unit system's own allocation lives here */
    exo_units *u;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_ctx_create(1, &f->uctx) != EXO_OK ||
        exo_units_create(f->uctx, &f->u) != EXO_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    exo_units_destroy(&f->u);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
    assert_int_equal(exo_ctx_bytes_in_use(f->uctx), 0);
    exo_ctx_destroy(&f->ctx);
    exo_ctx_destroy(&f->uctx);
    free(f);
    return 0;
}

/* The source tree: CTest runs us there and also sets EXO_SOURCE_DIR. */
static const char *src_dir(void)
{
    const char *d = getenv("EXO_SOURCE_DIR");
    return d ? d : ".";
}

static void path_in_src(char *buf, size_t cap, const char *rel)
{
    snprintf(buf, cap, "%s/%s", src_dir(), rel);
}

#define REL_EQ(a, b) assert_true(fabs((a) - (b)) <= 1e-12 * fabs(b))

static exo_status load_text(fixture *f, const char *text, const exo_override *sets, int n,
                            exo_config *cfg)
{
    return exo_config_load_buffer(f->ctx, f->u, "test.yaml", text, strlen(text), sets, n, cfg);
}

/* Message format: FILE:LINE:COL: KEY: what (expected ...) */
static void assert_message(const char *msg)
{
    regex_t re;
    assert_int_equal(regcomp(&re, "^[^:]+:[0-9]+:[0-9]+: [^:]+: .+", REG_EXTENDED | REG_NOSUB), 0);
    if (regexec(&re, msg, 0, NULL, 0) != 0)
        fail_msg("message does not match the format: '%s'", msg);
    regfree(&re);
    assert_null(strchr(msg, '\n'));
}

static int message_line(const char *msg)
{
    const char *c = strchr(msg, ':');
    return c ? atoi(c + 1) : -1;
}

static const char *minimal =
    "arms:\n"
    "  - name: a\n"
    "    protocol:\n"
    "      - event: microneedling\n"
    "        schedule: once\n";

/* ---- units ------------------------------------------------------------- */

static void units_convert_at_the_boundary(void **state)
{
    fixture *f = *state;
    double v;
    assert_int_equal(exo_units_parse(f->u, "0.5 mm", "um", &v), EXO_OK);
    assert_true(v == 500.0); /* [um] */
    assert_int_equal(exo_units_parse(f->u, "3 weeks", "h", &v), EXO_OK);
    assert_true(v == 504.0); /* [h] */
    assert_int_equal(exo_units_parse(f->u, "1e10 particles/mL", "1/um^3", &v), EXO_OK);
    REL_EQ(v, 1e-2); /* [particles/um^3] */
    assert_int_equal(exo_units_parse(f->u, "4 um^2/s", "um^2/h", &v), EXO_OK);
    assert_true(v == 14400.0); /* [um^2/h] */
    assert_int_equal(exo_units_parse(f->u, "30 min", "h", &v), EXO_OK);
    assert_true(v == 0.5);
    assert_int_equal(exo_units_parse(f->u, "0.05 mL", "um^3", &v), EXO_OK);
    assert_true(v == 5e10); /* [um^3] */
    assert_int_equal(exo_units_parse(f->u, "150 1/cm^2", "1/um^2", &v), EXO_OK);
    REL_EQ(v, 1.5e-6); /* [1/um^2] */
    assert_int_equal(exo_units_parse(f->u, "150 channels/cm^2", "1/um^2", &v), EXO_OK);
    REL_EQ(v, 1.5e-6);
    assert_int_equal(exo_units_parse(f->u, "2 points/cm^2", "1/um^2", &v), EXO_OK);
    REL_EQ(v, 2e-8);
    assert_int_equal(exo_units_parse(f->u, "3 AU", "1", &v), EXO_OK);
    assert_true(v == 3.0);
    assert_int_equal(exo_units_parse(f->u, "50 %", "1", &v), EXO_OK);
    REL_EQ(v, 0.5);
    assert_int_equal(exo_units_parse(f->u, "0.25", "1", &v), EXO_OK); /* unitless allowed */
    assert_true(v == 0.25);

    assert_int_equal(exo_units_parse(f->u, "5", "um", &v), EXO_EUNIT);     /* no unit */
    assert_int_equal(exo_units_parse(f->u, "5 h", "um", &v), EXO_EUNIT);   /* dimension */
    assert_int_equal(exo_units_parse(f->u, "5 zorg", "um", &v), EXO_EUNIT); /* unknown */
    assert_int_equal(exo_units_parse(f->u, "nan um", "um", &v), EXO_EUNIT);
    assert_int_equal(exo_units_parse(f->u, "1e999 um", "um", &v), EXO_EUNIT);
    assert_int_equal(exo_units_parse(f->u, "1e308 km", "um", &v), EXO_EUNIT); /* overflows */
    assert_true(exo_units_compatible(f->u, "mg/cm^2", "g/m^2"));
    assert_false(exo_units_compatible(f->u, "mg/cm^2", "um"));
    /* refused before udunits2 sees them (its lexer leaks on syntax errors) */
    assert_false(exo_units_compatible(f->u, "1/.0longz", "um"));
    assert_false(exo_units_compatible(f->u, "h since 2000-01-01", "h"));
    assert_false(exo_units_compatible(f->u, "m^123", "um"));
    assert_true(exo_units_compatible(f->u, "(mg/cm^2)**2 kg.m^-2 2 mm", "g^3 m^-5"));
    assert_true(exo_units_compatible(f->u, "\xc2\xb5m", "um")); /* µm */

    const char *unit;
    assert_int_equal(exo_units_split("  2.5e3mm", &v, &unit, false), EXO_OK);
    assert_true(v == 2500.0);
    assert_string_equal(unit, "mm");
    assert_int_equal(exo_units_split("abc", &v, &unit, true), EXO_EUNIT);
    assert_null(unit);
}

static void names_cover_every_value(void **state)
{
    (void)state;
    assert_string_equal(exo_region_name(EXO_REGION_PERIORBITAL), "periorbital");
    assert_string_equal(exo_sex_name(EXO_SEX_MALE), "male");
    assert_string_equal(exo_condition_name(EXO_COND_ACNE_SCARS), "acne_scars");
    assert_string_equal(exo_origin_name(EXO_ORIGIN_UMBILICAL_MSC), "umbilical_msc");
    assert_string_equal(exo_vehicle_name(EXO_VEHICLE_SHEET_MASK), "sheet_mask");
    assert_string_equal(exo_cargo_name(EXO_CARGO_IM), "IM");
    assert_string_equal(exo_event_name(EXO_EV_PRP), "prp");
    assert_string_equal(exo_quantity_name(EXO_Q_CLOSURE_HALF_LIFE), "closure_half_life");
    assert_string_equal(exo_compare_name(EXO_CMP_DIFFERENCE), "difference");
    assert_string_equal(exo_region_name((exo_region)99), "?");
}

/* ---- valid files ------------------------------------------------------- */

static void minimal_file_loads_with_defaults(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load_text(f, minimal, NULL, 0, &cfg), EXO_OK);
    assert_string_equal(cfg.name, "test");
    assert_int_equal(cfg.seed, 1);
    assert_int_equal(cfg.skin.region, EXO_REGION_CHEEK);
    assert_int_equal(cfg.skin.phototype, 3);
    assert_true(cfg.skin.h_sc == 15.0);      /* [um] */
    assert_true(cfg.skin.h_total == 2000.0); /* [um] cheek, female, 45 y */
    assert_int_equal(cfg.n_products, 0);
    assert_int_equal(cfg.n_arms, 1);
    const exo_event_cfg *ev = &cfg.arms[0].events[0];
    assert_int_equal(ev->kind, EXO_EV_MICRONEEDLING);
    assert_int_equal(ev->product, -1);
    assert_true(ev->needle_length == 1000.0);  /* [um] */
    REL_EQ(ev->needle_density, 150e-8);        /* [1/um^2] */
    assert_int_equal(ev->passes, 2);
    assert_false(ev->occlusion);
    assert_true(ev->occlusion_time == 24.0);   /* [h] */
    assert_true(ev->amount == 0.0 && ev->volume == 0.0 && ev->zone_depth == 0.0);
    assert_int_equal(ev->n_times, 1);
    assert_true(ev->times[0] == 0.0);
    /* last session 0 h + 4 weeks -> 4 weeks */
    assert_true(cfg.sim.duration == 672.0);
    assert_int_equal(cfg.sim.n_profile_times, 4);
    assert_true(cfg.sim.profile_times[0] == 1.0 && cfg.sim.profile_times[1] == 24.0 &&
                cfg.sim.profile_times[2] == 168.0 && cfg.sim.profile_times[3] == 672.0);
    assert_true(cfg.sim.dt_min == 10.0 / 3600.0);
    assert_true(cfg.sim.dt_max == 2.0 && cfg.sim.dt_growth == 1.3);
    assert_true(cfg.sim.h_surface == 0.5 && cfg.sim.h_max == 25.0 && cfg.sim.grid_growth == 1.15);
    assert_false(cfg.sim.bottom_sink);
    assert_false(cfg.study.present);
    exo_paramset defaults;
    assert_int_equal(exo_paramset_defaults(f->u, &defaults), EXO_OK);
    assert_memory_equal(&defaults, &cfg.params, sizeof defaults);
    exo_config_fini(f->ctx, &cfg);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
    assert_null(cfg.arms);
    exo_config_fini(f->ctx, &cfg); /* twice is fine */
    exo_config_fini(f->ctx, NULL);
}

static void default_example_converts_units(void **state)
{
    fixture *f = *state;
    char path[1024];
    exo_config cfg;
    path_in_src(path, sizeof path, "examples/default.yaml");
    exo_status st = exo_config_load(f->ctx, f->u, path, NULL, 0, &cfg);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_string_equal(cfg.name, "default");
    assert_int_equal(cfg.seed, 42);
    assert_true(cfg.skin.age == 45.0); /* [y] */
    assert_int_equal(cfg.skin.condition, EXO_COND_PHOTOAGED);
    assert_int_equal(cfg.n_products, 1);
    const exo_product_cfg *p = &cfg.products[0];
    assert_string_equal(p->name, "adipose-msc-serum");
    REL_EQ(p->size_mode, 0.12); /* 120 nm in [um] */
    assert_true(p->size_gsd == 1.4);
    assert_int_equal(p->size_bins, 3);
    assert_true(p->conc_known);
    REL_EQ(p->conc, 1e-2); /* 1e10 particles/mL in [particles/um^3] */
    assert_true(p->functional_fraction == 0.7);
    assert_int_equal(p->vehicle, EXO_VEHICLE_SERUM);
    assert_true(p->water_fraction == 0.9);
    assert_true(p->cargo[EXO_CARGO_GF] == 1.0 && p->cargo[EXO_CARGO_LB] == 0.5 &&
                p->cargo[EXO_CARGO_IM] == 0.1);

    assert_int_equal(cfg.n_arms, 2);
    const exo_event_cfg *top = &cfg.arms[0].events[0];
    assert_int_equal(top->kind, EXO_EV_TOPICAL);
    assert_int_equal(top->product, 0);
    assert_true(top->amount == 10.0);  /* 1 mg/cm^2 at 1 g/mL = 10 um */
    assert_true(top->contact == 12.0); /* [h] */
    assert_int_equal(top->n_times, 168); /* twice daily for 12 weeks */
    assert_true(top->times[1] == 12.0 && top->times[167] == 2004.0);

    const exo_event_cfg *mn = &cfg.arms[1].events[0];
    assert_int_equal(mn->kind, EXO_EV_MICRONEEDLING);
    assert_true(mn->needle_length == 1000.0); /* 1.0 mm in [um] */
    REL_EQ(mn->needle_density, 1.5e-6);       /* 150 /cm^2 in [1/um^2] */
    assert_int_equal(mn->n_times, 3);
    assert_true(mn->times[0] == 0.0 && mn->times[1] == 672.0 && mn->times[2] == 1344.0);
    assert_int_equal(cfg.arms[1].events[1].product, 0);

    assert_true(cfg.sim.duration == 2016.0); /* 12 weeks in [h] */
    assert_true(cfg.sim.output_interval == 6.0);
    assert_int_equal(cfg.sim.n_profile_times, 4);
    assert_true(cfg.sim.profile_times[1] == 24.0 && cfg.sim.profile_times[3] == 2016.0);
    exo_config_fini(f->ctx, &cfg);
}

static void conversions_of_other_keys(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    const char *text =
        "name: conversions\n"
        "skin: {region: forehead, sex: male, age: 60 years, phototype: 5,\n"
        "       stratum_corneum: 0.02 mm, ambient_humidity: 40 %, ambient_uv: 0.3 MED/day}\n"
        "products:\n"
        "  - {name: p, origin: plant, concentration: unknown, vehicle: cream, cargo: {GF: 3}}\n"
        "  - {name: q, origin: custom, vehicle: {kind: gel, water_fraction: 0.5}}\n"
        "arms:\n"
        "  - name: all kinds\n"
        "    protocol:\n"
        "      - {event: topical, product: p, schedule: once}\n"
        "      - {event: topical, product: q, amount: 2 uL/cm^2, contact: 30 min, schedule: at 1 day}\n"
        "      - {event: mask, product: q, wear_time: 15 min, residue: 0.2, schedule: at 2 days}\n"
        "      - {event: laser, zone_fraction: 0.2, zone_depth: 0.3 mm, occlusion: true,\n"
        "         occlusion_time: 2 days, schedule: at 3 days}\n"
        "      - {event: injection, product: q, volume: 20 uL, depth: 800 um, points: 4 points/cm^2,\n"
        "         schedule: at 5 days}\n"
        "      - {event: prp, activity: 2 AU, schedule: at 6 days}\n"
        "simulation: {duration: 3 weeks, dt_min: 0.5 s, grid: {surface_cell: 200 nm}, bottom: sink}\n"
        "parameters: {tissue_decay_half_life: 2 d}\n";
    exo_status st = load_text(f, text, NULL, 0, &cfg);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_int_equal(cfg.skin.region, EXO_REGION_FOREHEAD);
    assert_int_equal(cfg.skin.phototype, 5);
    assert_true(cfg.skin.h_sc == 20.0); /* 0.02 mm in [um] */
    REL_EQ(cfg.skin.ambient_rh, 0.4);
    REL_EQ(cfg.skin.ambient_uv, 0.3 / 24.0); /* [MED/h] */
    REL_EQ(cfg.skin.h_total, 2300.0 * (1.0 - 0.005 * 10.0)); /* male forehead, thinned */
    assert_true(cfg.skin.follicle_area_fraction == 0.0128);
    assert_false(cfg.products[0].conc_known);
    assert_true(cfg.products[0].conc == 0.0);
    assert_true(cfg.products[0].size_gsd == 1.5);
    assert_true(cfg.products[0].cargo[EXO_CARGO_GF] == 3.0);
    assert_true(cfg.products[0].cargo[EXO_CARGO_LB] == 1.0);
    assert_true(cfg.products[0].water_fraction == 0.6);
    assert_int_equal(cfg.products[1].vehicle, EXO_VEHICLE_GEL);
    assert_true(cfg.products[1].water_fraction == 0.5);
    const exo_event_cfg *e = cfg.arms[0].events;
    assert_true(e[0].amount == 20.0); /* cream default 2 mg/cm^2 */
    assert_true(e[1].amount == 20.0); /* 2 uL/cm^2 */
    assert_true(e[1].contact == 0.5); /* [h] */
    assert_true(e[1].times[0] == 24.0);
    assert_true(e[2].amount == 50.0); /* mask default 5 mg/cm^2 */
    assert_true(e[2].contact == 0.25 && e[2].mask_residue == 0.2);
    assert_true(e[3].zone_fraction == 0.2 && e[3].zone_depth == 300.0 && e[3].zone_width == 150.0);
    assert_true(e[3].occlusion && e[3].occlusion_time == 48.0);
    assert_int_equal(e[3].product, -1);
    assert_true(e[4].volume == 2e10); /* 20 uL in [um^3] */
    assert_true(e[4].depth == 800.0);
    REL_EQ(e[4].point_density, 4e-8);
    assert_true(e[5].prp_activity == 2.0);
    assert_true(e[5].volume == 5e10 && e[5].depth == 1000.0);
    REL_EQ(e[5].point_density, 1e-8);
    assert_true(cfg.sim.duration == 504.0);
    assert_true(cfg.sim.dt_min == 0.5 / 3600.0);
    REL_EQ(cfg.sim.h_surface, 0.2);
    assert_true(cfg.sim.bottom_sink);
    exo_param_id id;
    assert_non_null(exo_param_find("tissue_decay_half_life", &id));
    assert_true(cfg.param_overridden[id]);
    assert_true(cfg.params.v[id] == 48.0); /* 2 d in [h] */
    exo_config_fini(f->ctx, &cfg);
}

/* ---- schedules --------------------------------------------------------- */

static void check_schedule(fixture *f, const char *schedule, const double *want, int n)
{
    exo_config cfg;
    exo_override set = {"arms.0.protocol.0.schedule", schedule};
    exo_status st = load_text(f, minimal, &set, 1, &cfg);
    if (st != EXO_OK)
        fail_msg("%s: %s", schedule, exo_ctx_last_error(f->ctx));
    const exo_event_cfg *ev = &cfg.arms[0].events[0];
    if (ev->n_times != n)
        fail_msg("%s: %d times (expected %d)", schedule, ev->n_times, n);
    for (int i = 0; i < n; i++)
        if (ev->times[i] != want[i])
            fail_msg("%s: time %d is %.17g h (expected %g)", schedule, i, ev->times[i], want[i]);
    exo_config_fini(f->ctx, &cfg);
}

static void check_schedule_error(fixture *f, const char *schedule, const char *needle)
{
    exo_config cfg;
    exo_override set = {"arms.0.protocol.0.schedule", schedule};
    exo_status st = load_text(f, minimal, &set, 1, &cfg);
    if (st != EXO_EINPUT && st != EXO_EUNIT)
        fail_msg("%s: status %d (expected an input error)", schedule, (int)st);
    const char *msg = exo_ctx_last_error(f->ctx);
    assert_message(msg);
    if (!strstr(msg, needle))
        fail_msg("%s: '%s' lacks '%s'", schedule, msg, needle);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
}

static void every_schedule_form(void **state)
{
    fixture *f = *state;
    check_schedule(f, "once", (double[]){0}, 1);
    check_schedule(f, "at 3 days", (double[]){72}, 1);
    check_schedule(f, "3 sessions 4 weeks apart", (double[]){0, 672, 1344}, 3);
    check_schedule(f, "1 session 1 week apart", (double[]){0}, 1);
    check_schedule(f, "twice daily for 2 days", (double[]){0, 12, 24, 36}, 4);
    check_schedule(f, "once daily for 3 days", (double[]){0, 24, 48}, 3);
    check_schedule(f, "thrice daily for 1 day", (double[]){0, 8, 16}, 3);
    check_schedule(f, "4 times daily for 1 day", (double[]){0, 6, 12, 18}, 4);
    check_schedule(f, "daily for 2 days", (double[]){0, 24}, 2);
    check_schedule(f, "every 2 days for 1 week", (double[]){0, 48, 96, 144}, 4);
    check_schedule(f, "every 8 h for 24 h", (double[]){0, 8, 16}, 3);
    check_schedule(f, "2 sessions 1 week apart starting at 2 days", (double[]){48, 216}, 2);
    check_schedule(f, "once starting at 1 h", (double[]){1}, 1);
    check_schedule(f, "twice daily for 1 day starting at 30 min", (double[]){0.5, 12.5}, 2);
    check_schedule(f, "{start: 1 h, every: 2 h, count: 3}", (double[]){1, 3, 5}, 3);
    check_schedule(f, "{every: 1 day, count: 2}", (double[]){0, 24}, 2);
    check_schedule(f, "{start: 0 h, every: 1 day, until: 3 days}", (double[]){0, 24, 48}, 3);
    check_schedule(f, "{times: [1 h, 2 days, 1 week]}", (double[]){1, 48, 168}, 3);

    check_schedule_error(f, "{times: [2 h, 1 h]}", "overlapping or unsorted times");
    check_schedule_error(f, "{times: [1 h, 1 h]}", "overlapping or unsorted times");
    check_schedule_error(f, "{times: [-1 h]}", "negative time");
    check_schedule_error(f, "{every: 0 h, count: 3}", "out of range");
    check_schedule_error(f, "{every: 1 h, count: 100001}", "out of range");
    check_schedule_error(f, "{every: 1 h}", "neither 'count' nor 'until'");
    check_schedule_error(f, "{every: 1 h, count: 2, until: 3 h}", "both");
    check_schedule_error(f, "{times: [1 h], start: 2 h}", "cannot be combined");
    check_schedule_error(f, "every 1 s for 5 years", "expected at most 100000");
    check_schedule_error(f, "twice weekly", "cannot read schedule");
    check_schedule_error(f, "twice daily", "cannot read schedule");
    check_schedule_error(f, "3 sessions 4 wombats apart", "unknown unit");
    check_schedule_error(f, "at -2 h", "out of range");
    check_schedule_error(f, "[1 h, 2 h]", "found a list");
}

static void event_durations_must_fit_the_interval(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    const char *text =
        "products: [{name: s, origin: platelet}]\n"
        "arms:\n"
        "  - name: a\n"
        "    protocol:\n"
        "      - event: topical\n"
        "        product: s\n"
        "        contact: 13 h\n"
        "        schedule: twice daily for 1 week\n";
    assert_int_equal(load_text(f, text, NULL, 0, &cfg), EXO_EINPUT);
    assert_message(exo_ctx_last_error(f->ctx));
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "overlaps the next session"));
    assert_int_equal(message_line(exo_ctx_last_error(f->ctx)), 8);
    /* contact equal to the interval is fine */
    exo_override ok = {"arms.0.protocol.0.contact", "12 h"};
    assert_int_equal(load_text(f, text, &ok, 1, &cfg), EXO_OK);
    exo_config_fini(f->ctx, &cfg);
    /* occlusion only counts when it is on */
    exo_override sets[] = {{"arms.0.protocol.0", "{event: microneedling, occlusion_time: 3 days, "
                                                 "schedule: every 1 day for 1 week}"},
                           {"arms.0.protocol.0.occlusion", "true"}};
    assert_int_equal(load_text(f, text, sets, 1, &cfg), EXO_OK);
    exo_config_fini(f->ctx, &cfg);
    assert_int_equal(load_text(f, text, sets, 2, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "occlusion_time"));
}

/* ---- bad input --------------------------------------------------------- */

static bool is_input_error(exo_status st)
{
    return st == EXO_EINPUT || st == EXO_EUNIT || st == EXO_EIO;
}

static void every_bad_file_is_refused(void **state)
{
    fixture *f = *state;
    char dir[1024], path[2048];
    path_in_src(dir, sizeof dir, "tests/bad");
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        exo_config cfg;
        exo_ctx_clear_error(f->ctx);
        exo_status st = exo_config_load(f->ctx, f->u, path, NULL, 0, &cfg);
        if (!is_input_error(st))
            fail_msg("%s: status %s (expected an input error)", e->d_name, exo_status_str(st));
        assert_message(exo_ctx_last_error(f->ctx));
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
        n++;
    }
    closedir(d);
    assert_true(n >= 25);
}

/* Inline cases: the status and the line the message points at. */
static void bad_input_points_at_the_line(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        exo_status st;
        int line;
        const char *key, *needle;
    } cases[] = {
        {"", EXO_EINPUT, 1, "(file)", "empty file"},
        {"arms:\n  - name: a\n    protocol:\n      - event: microneedling\n"
         "        needle_length: 1.0\n        schedule: once\n",
         EXO_EUNIT, 5, "arms.0.protocol.0.needle_length", "missing unit"},
        {"arms:\n  - name: a\n    protocol:\n      - event: microneedling\n"
         "        schedule: once\n        density: 3 h\n",
         EXO_EUNIT, 6, "arms.0.protocol.0.density", "wrong dimension"},
        {"skin:\n  age: 45 years\n  colour: pale\n", EXO_EINPUT, 3, "skin.colour",
         "unknown key"},
        {"skin:\n  age: 45 years\n  age: 46 years\n", EXO_EINPUT, 3, "skin.age", "duplicate key"},
        {"skin:\n  age: 45 years\n  ambient_uv: 2 mm\n", EXO_EUNIT, 3, "skin.ambient_uv", "wrong dimension"},
        {"skin:\n  ambient_uv: 20 MED/day\n", EXO_EINPUT, 2, "skin.ambient_uv", "out of range"},
        {"skin: &s {age: 45 years}\n", EXO_EINPUT, 1, "skin", "aliases are not supported"},
        {"seed: 1\nskin: {age: [1, 2}\n", EXO_EINPUT, 2, NULL, "expected valid YAML"},
        {"seed: 1\narms:\n  - name: x\n    protocol:\n      - {event: laser, schedule: once,\n"
         "         zone_depth: inf um}\n",
         EXO_EINPUT, 6, "arms.0.protocol.0.zone_depth", "not a finite number"},
        {"seed: 1\narms:\n  - name: x\n    protocol:\n      - {event: topical, product: nope, "
         "schedule: once}\n",
         EXO_EINPUT, 5, "arms.0.protocol.0.product", "unknown product"},
        {"seed: 1\narms:\n  - protocol: []\n", EXO_EINPUT, 3, "arms.0.name",
         "missing required key"},
        {"seed: 1\nsimulation: {duration: 1e300 weeks}\narms: [{name: a, protocol: "
         "[{event: laser, schedule: once}]}]\n",
         EXO_EINPUT, 2,
         "simulation.duration", "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        exo_config cfg;
        exo_status st = load_text(f, cases[i].text, NULL, 0, &cfg);
        const char *msg = exo_ctx_last_error(f->ctx);
        if (st != cases[i].st)
            fail_msg("case %zu: status %s (expected %s): %s", i, exo_status_str(st),
                     exo_status_str(cases[i].st), msg);
        assert_message(msg);
        if (message_line(msg) != cases[i].line)
            fail_msg("case %zu: line %d (expected %d): %s", i, message_line(msg), cases[i].line,
                     msg);
        if (cases[i].key) {
            char want[128];
            snprintf(want, sizeof want, ": %s: ", cases[i].key);
            if (!strstr(msg, want))
                fail_msg("case %zu: key '%s' not in '%s'", i, cases[i].key, msg);
        }
        if (!strstr(msg, cases[i].needle))
            fail_msg("case %zu: '%s' not in '%s'", i, cases[i].needle, msg);
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
        /* the config holds nothing after a failure */
        exo_config zero;
        memset(&zero, 0, sizeof zero);
        assert_memory_equal(&cfg, &zero, sizeof zero);
    }
}

static void limits_are_enforced(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    size_t big = (size_t)EXO_INPUT_MAX_BYTES + 10;
    char *text = malloc(big + 1);
    assert_non_null(text);
    memset(text, '#', big);
    text[big] = '\0';
    assert_int_equal(load_text(f, text, NULL, 0, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "too large"));
    free(text);

    char deep[256] = "a: ";
    for (int i = 0; i < 20; i++)
        strcat(deep, "[");
    for (int i = 0; i < 20; i++)
        strcat(deep, "]");
    assert_int_equal(load_text(f, deep, NULL, 0, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "nesting too deep"));

    char name[400];
    snprintf(name, sizeof name, "name: %0300d\narms: []\n", 7);
    assert_int_equal(load_text(f, name, NULL, 0, &cfg), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "too long"));

    static const char binary[] = "name: \x00\xff\xfe binary";
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "bin", binary, sizeof binary, NULL, 0,
                                            &cfg),
                     EXO_EINPUT);
    assert_message(exo_ctx_last_error(f->ctx));
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
}

static void missing_file_is_an_io_error(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    assert_int_equal(exo_config_load(f->ctx, f->u, "no/such/file.yaml", NULL, 0, &cfg), EXO_EIO);
    assert_string_equal(exo_ctx_last_error(f->ctx),
                        "no/such/file.yaml:0:0: (file): cannot open: No such file or directory");
}

/* ---- --set ------------------------------------------------------------- */

static void overrides_replace_and_add(void **state)
{
    fixture *f = *state;
    char path[1024];
    exo_config cfg;
    path_in_src(path, sizeof path, "examples/default.yaml");
    exo_override sets[] = {
        {"skin.age", "50 years"},
        {"arms.1.protocol.0.needle_length", "0.5 mm"},
        {"simulation.bottom", "sink"},
        {"simulation.profile_times", "[1 h, 2 h]"},
        {"simulation.grid.growth", "1.2"},
        {"parameters.tissue_decay_half_life", "2 d"},
        {"products.0.vehicle", "{kind: gel, water_fraction: 0.8}"},
    };
    exo_status st = exo_config_load(f->ctx, f->u, path, sets, 7, &cfg);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_true(cfg.skin.age == 50.0);
    assert_true(cfg.arms[1].events[0].needle_length == 500.0); /* [um] */
    assert_true(cfg.sim.bottom_sink);
    assert_int_equal(cfg.sim.n_profile_times, 2);
    assert_true(cfg.sim.profile_times[1] == 2.0);
    assert_true(cfg.sim.grid_growth == 1.2);
    assert_int_equal(cfg.products[0].vehicle, EXO_VEHICLE_GEL);
    assert_true(cfg.products[0].water_fraction == 0.8);
    exo_config_fini(f->ctx, &cfg);
}

static void override_errors(void **state)
{
    fixture *f = *state;
    static const struct {
        exo_override set;
        const char *want;
    } cases[] = {
        {{"skin.age", "banana"}, "--set:1:1: skin.age: not a number"},
        {{"skin.age", "50"}, "--set:1:1: skin.age: missing unit"},
        {{"skin.colour", "pale"}, "--set:1:1: skin.colour: unknown key"},
        {{"arms.5.name", "x"}, "--set:1:1: arms.5: no item '5'"},
        {{"arms.one.name", "x"}, "--set:1:1: arms.one: no item 'one'"},
        {{"arms.0.name.x", "1"}, "--set:1:1: arms.0.name.x: 'x' is inside a plain value"},
        {{"skin..age", "1"}, "--set:1:1: skin..age: bad key path"},
        {{"simulation.profile_times", "[1 h, 2 h"}, "--set:1:10: simulation.profile_times"},
        {{"simulation.profile_times", "[1 h, 5 weeks]"},
         "--set:1:7: simulation.profile_times.1: '5 weeks' is out of range"},
        {{"skin", "&a {age: 50 years}"}, "--set:1:1: skin: aliases are not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        exo_config cfg;
        exo_status st = load_text(f, minimal, &cases[i].set, 1, &cfg);
        const char *msg = exo_ctx_last_error(f->ctx);
        if (!is_input_error(st))
            fail_msg("case %zu: status %s", i, exo_status_str(st));
        assert_message(msg);
        if (strncmp(msg, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("case %zu: '%s' does not start with '%s'", i, msg, cases[i].want);
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
    }
}

/* ---- round trip -------------------------------------------------------- */

static void assert_same_event(const exo_event_cfg *a, const exo_event_cfg *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->product, b->product);
    assert_int_equal(a->occlusion, b->occlusion);
    assert_int_equal(a->passes, b->passes);
    const double x[] = {a->amount, a->contact, a->mask_residue, a->occlusion_time,
                        a->needle_length, a->needle_density, a->zone_fraction, a->zone_depth,
                        a->zone_width, a->volume, a->depth, a->point_density, a->prp_activity};
    const double y[] = {b->amount, b->contact, b->mask_residue, b->occlusion_time,
                        b->needle_length, b->needle_density, b->zone_fraction, b->zone_depth,
                        b->zone_width, b->volume, b->depth, b->point_density, b->prp_activity};
    assert_memory_equal(x, y, sizeof x);
    assert_int_equal(a->n_times, b->n_times);
    assert_memory_equal(a->times, b->times, (size_t)a->n_times * sizeof *a->times);
}

static void assert_same_config(const exo_config *a, const exo_config *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->seed, b->seed);
    assert_memory_equal(&a->skin, &b->skin, sizeof a->skin); /* plain numbers, no padding holes
                                                                 that calloc leaves unequal */
    assert_int_equal(a->n_products, b->n_products);
    if (a->n_products)
        assert_memory_equal(a->products, b->products, (size_t)a->n_products * sizeof *a->products);
    assert_int_equal(a->n_arms, b->n_arms);
    for (int i = 0; i < a->n_arms; i++) {
        assert_string_equal(a->arms[i].name, b->arms[i].name);
        assert_int_equal(a->arms[i].n_events, b->arms[i].n_events);
        for (int e = 0; e < a->arms[i].n_events; e++)
            assert_same_event(&a->arms[i].events[e], &b->arms[i].events[e]);
    }
    const exo_sim_cfg *s = &a->sim, *t = &b->sim;
    const double x[] = {s->duration, s->dt_min, s->dt_max, s->dt_growth, s->output_interval,
                        s->h_surface, s->h_max, s->grid_growth};
    const double y[] = {t->duration, t->dt_min, t->dt_max, t->dt_growth, t->output_interval,
                        t->h_surface, t->h_max, t->grid_growth};
    assert_memory_equal(x, y, sizeof x);
    assert_int_equal(s->bottom_sink, t->bottom_sink);
    assert_int_equal(s->n_profile_times, t->n_profile_times);
    assert_memory_equal(s->profile_times, t->profile_times,
                        (size_t)s->n_profile_times * sizeof *s->profile_times);
    assert_memory_equal(&a->params, &b->params, sizeof a->params);
    assert_memory_equal(a->param_overridden, b->param_overridden, sizeof a->param_overridden);
    assert_int_equal(a->study.present, b->study.present);
    assert_string_equal(a->study.id, b->study.id);
    assert_string_equal(a->study.level, b->study.level);
    assert_string_equal(a->study.source, b->study.source);
    assert_string_equal(a->study.unit, b->study.unit);
    assert_true(a->study.reported == b->study.reported);
    assert_memory_equal(&a->study.endpoint, &b->study.endpoint, sizeof a->study.endpoint);
    assert_int_equal(a->study.n_checks, b->study.n_checks);
    if (a->study.n_checks)
        assert_memory_equal(a->study.checks, b->study.checks,
                            (size_t)a->study.n_checks * sizeof *a->study.checks);
    const exo_sweep_cfg *p = &a->sweep, *q = &b->sweep;
    assert_int_equal(p->present, q->present);
    assert_int_equal(p->n_vars, q->n_vars);
    for (int i = 0; i < p->n_vars; i++) {
        const exo_sweep_var *v = &p->vars[i], *w = &q->vars[i];
        assert_string_equal(v->key, w->key);
        assert_int_equal(v->range, w->range);
        assert_int_equal(v->log_scale, w->log_scale);
        assert_string_equal(v->unit, w->unit);
        assert_true(v->from == w->from && v->to == w->to);
        assert_int_equal(v->n_values, w->n_values);
        for (int j = 0; j < v->n_values; j++)
            assert_string_equal(v->values[j].text, w->values[j].text);
    }
    assert_int_equal(p->readout, q->readout);
    assert_int_equal(p->decrease, q->decrease);
    assert_int_equal(p->best_arm, q->best_arm);
    assert_true(p->harm_weight == q->harm_weight);
}

static void round_trip(fixture *f, const char *text, const exo_override *sets, int n_sets)
{
    exo_config a, b;
    char *yaml = NULL, *yaml2 = NULL;
    exo_status st = load_text(f, text, sets, n_sets, &a);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_int_equal(exo_config_to_yaml(f->ctx, &a, &yaml), EXO_OK);
    st = exo_config_load_buffer(f->ctx, f->u, "round-trip", yaml, strlen(yaml), NULL, 0, &b);
    if (st != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    assert_same_config(&a, &b);
    /* and the text is a fixed point */
    assert_int_equal(exo_config_to_yaml(f->ctx, &b, &yaml2), EXO_OK);
    assert_string_equal(yaml, yaml2);
    exo_free(f->ctx, yaml);
    exo_free(f->ctx, yaml2);
    /* the display units (--print-config) load back to the same config too */
    exo_config c;
    assert_int_equal(exo_config_to_yaml_display(f->ctx, f->u, &a, &yaml), EXO_OK);
    st = exo_config_load_buffer(f->ctx, f->u, "display", yaml, strlen(yaml), NULL, 0, &c);
    if (st != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), yaml);
    assert_same_config(&a, &c);
    assert_int_equal(exo_config_to_yaml_display(f->ctx, f->u, &c, &yaml2), EXO_OK);
    assert_string_equal(yaml, yaml2);
    exo_free(f->ctx, yaml);
    exo_free(f->ctx, yaml2);
    exo_config_fini(f->ctx, &a);
    exo_config_fini(f->ctx, &b);
    exo_config_fini(f->ctx, &c);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* A UTF-8 byte-order mark (some editors write one) is not text: the file
 * loads as without it, and messages keep the lines and columns an editor shows. */
static void byte_order_mark_is_not_text(void **state)
{
    fixture *f = *state;
    char path[1024];
    path_in_src(path, sizeof path, "examples/default.yaml");
    const char *text = read_file(path);
    size_t n = strlen(text);
    char *bom = malloc(n + 4);
    assert_non_null(bom);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, n + 1);
    exo_config a, b;
    assert_int_equal(load_text(f, text, NULL, 0, &a), EXO_OK);
    assert_int_equal(load_text(f, bom, NULL, 0, &b), EXO_OK);
    assert_same_config(&a, &b);
    exo_config_fini(f->ctx, &a);
    exo_config_fini(f->ctx, &b);
    free(bom);
    exo_config c;
    assert_int_equal(load_text(f, "\xEF\xBB\xBFseed: 1\nskin: {age: 45 years, colour: pale}\n", NULL, 0, &c),
                     EXO_EINPUT);
    const char *msg = exo_ctx_last_error(f->ctx);
    if (!strstr(msg, ":2:") || !strstr(msg, "skin.colour"))
        fail_msg("expected line 2 and skin.colour: %s", msg);
}

static void to_yaml_round_trips(void **state)
{
    fixture *f = *state;
    char path[1024];
    path_in_src(path, sizeof path, "examples/default.yaml");
    round_trip(f, read_file(path), NULL, 0);
    exo_override sets[] = {{"parameters", "{tissue_decay_half_life: 2.5 d, "
                                          "sc_vesicle_diffusivity: 4e-6 um^2/s}"},
                           {"skin.age", "71.3 years"},
                           {"products.0.concentration", "3.3e9 particles/cm^3"}};
    round_trip(f, read_file(path), sets, 3);
    path_in_src(path, sizeof path, "examples/sweep-dose-interval.yaml"); /* a sweep block, ranges included */
    round_trip(f, read_file(path), NULL, 0);
    const char *text =
        "name: \"quotes \\\" and \\\\ and: colons # not a comment\"\n"
        "seed: 18446744073\n"
        "skin: {region: periorbital, sex: male, age: 33.3 years, phototype: VI, condition: dry}\n"
        "products:\n"
        "  - {name: p, origin: plant, concentration: unknown, size: {mode: 0.1234 um, bins: 5},\n"
        "     storage_loss: 0.1, growth_factor: 2.5}\n"
        "  - {name: 'q r', origin: platelet, concentration: 7e11 particles/mL}\n"
        "arms:\n"
        "  - name: a\n"
        "    protocol:\n"
        "      - {event: topical, product: p, amount: 1.7 mg/cm^2, contact: 7 h, "
        "schedule: thrice daily for 10 days}\n"
        "      - {event: mask, product: 'q r', schedule: {times: [1 h, 3.3 days]}}\n"
        "      - {event: laser, occlusion: true, schedule: 2 sessions 3 weeks apart}\n"
        "  - name: b\n"
        "    protocol:\n"
        "      - {event: injection, product: p, volume: 33 uL, schedule: every 1 h for 30 days}\n"
        "      - {event: prp, product: 'q r', activity: 0.3, schedule: at 1.1 days}\n"
        "simulation: {duration: 7 weeks, profile_times: [0.1 h, 7 weeks], dt_min: 0.3 s,\n"
        "             grid: {surface_cell: 0.3 um}, bottom: sink}\n"
        "study:\n"
        "  id: s-1\n"
        "  level: B\n"
        "  source: Someone et al. 2024\n"
        "  unit: ratio\n"
        "  reported: 3.5\n"
        "  endpoint: {quantity: delivered_fraction, compare: ratio, arm: b, reference_arm: a,\n"
        "             time: 2 weeks, low: 1.5, high: 10}\n"
        "  checks:\n"
        "    - {quantity: recovery_time, arm: a, threshold: 0.2, low: 0, high: 72}\n"
        "    - {quantity: tewl, compare: difference, arm: a, time: 3 weeks, reference_time: 1 week, low: -1, high: 1}\n"
        "    - {quantity: erythema_index, compare: duration, arm: b, threshold: 0.1, low: 3, high: 6}\n";
    round_trip(f, text, NULL, 0);
}

/* `control: vehicle` (docs/config.md): the arm's protocol (or, without
 * one, the arm above's) with every product replaced by its vehicle, one
 * "NAME (vehicle)" product at 0 particles/mL shared by every control arm; a
 * product at 0 particles/mL is its own vehicle; the effective input lists
 * the vehicle product and round-trips; allocation failures are clean. */
static void control_vehicle_arms(void **state)
{
    fixture *f = *state;
    static const char *const text =
        "products:\n"
        "  - {name: serum, origin: adipose_msc, concentration: 1e10 particles/mL, growth_factor: 2}\n"
        "  - {name: base, origin: plant, concentration: 0 particles/mL, vehicle: cream}\n"
        "arms:\n"
        "  - name: active\n"
        "    protocol:\n"
        "      - {event: microneedling, needle_length: 1 mm, schedule: once}\n"
        "      - {event: topical, product: serum, schedule: twice daily for 1 week}\n"
        "      - {event: topical, product: base, schedule: once}\n"
        "  - {name: vehicle, control: vehicle}\n"
        "  - name: vehicle again\n"
        "    control: vehicle\n"
        "    protocol: [{event: topical, product: serum, schedule: once}]\n";
    exo_config cfg;
    if (load_text(f, text, NULL, 0, &cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_int_equal(cfg.n_products, 3);
    const exo_product_cfg *v = &cfg.products[2];
    assert_string_equal(v->name, "serum (vehicle)");
    assert_true(v->conc_known && v->conc == 0 && v->growth_factor == 0);
    assert_int_equal(v->vehicle, cfg.products[0].vehicle);
    assert_true(v->water_fraction == cfg.products[0].water_fraction);
    const exo_arm_cfg *a = &cfg.arms[0], *c = &cfg.arms[1];
    assert_int_equal(c->n_events, a->n_events);
    for (int e = 0; e < a->n_events; e++) {
        assert_int_equal(c->events[e].kind, a->events[e].kind);
        assert_int_equal(c->events[e].n_times, a->events[e].n_times);
        assert_memory_equal(c->events[e].times, a->events[e].times, (size_t)a->events[e].n_times * sizeof(double));
        assert_true(c->events[e].times != a->events[e].times);
    }
    assert_int_equal(c->events[0].product, -1);
    assert_int_equal(c->events[1].product, 2);
    assert_int_equal(c->events[2].product, 1); /* already its own vehicle */
    assert_int_equal(cfg.arms[2].events[0].product, 2);
    assert_int_equal(a->events[1].product, 0);
    exo_config_fini(f->ctx, &cfg);
    round_trip(f, text, NULL, 0);
    size_t before = exo_ctx_bytes_in_use(f->ctx);
    exo_status st = EXO_ENOMEM;
    for (long n = 0; n < 5000 && st != EXO_OK; n++) {
        exo_ctx_fail_alloc_after(f->ctx, n);
        st = load_text(f, text, NULL, 0, &cfg);
        exo_ctx_fail_alloc_after(f->ctx, -1);
        assert_true(st == EXO_OK || st == EXO_ENOMEM);
        if (st == EXO_OK)
            exo_config_fini(f->ctx, &cfg);
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), before);
    }
    assert_int_equal(st, EXO_OK);
}

/* Every example and validation study: internal and display YAML load back
 * to the same config; the display YAML shows the units people write. */
static void examples_round_trip(void **state)
{
    fixture *f = *state;
    const char *dirs[] = {"examples", "validation"};
    int n = 0;
    for (int d = 0; d < 2; d++) {
        char dir[1024];
        path_in_src(dir, sizeof dir, dirs[d]);
        DIR *dp = opendir(dir);
        assert_non_null(dp);
        struct dirent *e;
        while ((e = readdir(dp))) {
            size_t len = strlen(e->d_name);
            if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
                continue;
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            round_trip(f, read_file(path), NULL, 0);
            n++;
        }
        closedir(dp);
    }
    assert_true(n >= 20);
    exo_config a;
    char path[1024], *yaml = NULL;
    path_in_src(path, sizeof path, "examples/default.yaml");
    assert_int_equal(load_text(f, read_file(path), NULL, 0, &a), EXO_OK);
    assert_int_equal(exo_config_to_yaml_display(f->ctx, f->u, &a, &yaml), EXO_OK);
    assert_non_null(strstr(yaml, "concentration: 1e10 particles/mL\n"));
    assert_non_null(strstr(yaml, "amount: 1 mg/cm^2\n"));
    assert_non_null(strstr(yaml, "needle_length: 1 mm\n"));
    assert_non_null(strstr(yaml, "size: {mode: 120 nm,"));
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &a);
}

/* ---- allocation failures ----------------------------------------------- */

static void allocation_failures_are_clean(void **state)
{
    fixture *f = *state;
    char path[1024];
    path_in_src(path, sizeof path, "examples/default.yaml");
    exo_override set = {"arms.0.protocol.0.contact", "11 h"};
    int ok = 0, nomem = 0;
    for (long n = 0; n < 5000; n++) {
        exo_config cfg;
        exo_ctx_fail_alloc_after(f->ctx, n);
        exo_status st = exo_config_load(f->ctx, f->u, path, &set, 1, &cfg);
        exo_ctx_fail_alloc_after(f->ctx, -1);
        if (st == EXO_OK) {
            char *yaml = NULL;
            exo_ctx_fail_alloc_after(f->ctx, n / 4);
            exo_status s2 = exo_config_to_yaml(f->ctx, &cfg, &yaml);
            exo_ctx_fail_alloc_after(f->ctx, -1);
            assert_true(s2 == EXO_OK || s2 == EXO_ENOMEM);
            exo_free(f->ctx, yaml);
            exo_config_fini(f->ctx, &cfg);
            assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
            ok++;
            break;
        }
        if (st != EXO_ENOMEM)
            fail_msg("n=%ld: status %s: %s", n, exo_status_str(st), exo_ctx_last_error(f->ctx));
        assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
        nomem++;
    }
    assert_int_equal(ok, 1);
    assert_true(nomem > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_convert_at_the_boundary),
        cmocka_unit_test(names_cover_every_value),
        cmocka_unit_test(minimal_file_loads_with_defaults),
        cmocka_unit_test(default_example_converts_units),
        cmocka_unit_test(conversions_of_other_keys),
        cmocka_unit_test(every_schedule_form),
        cmocka_unit_test(event_durations_must_fit_the_interval),
        cmocka_unit_test(every_bad_file_is_refused),
        cmocka_unit_test(bad_input_points_at_the_line),
        cmocka_unit_test(limits_are_enforced),
        cmocka_unit_test(missing_file_is_an_io_error),
        cmocka_unit_test(overrides_replace_and_add),
        cmocka_unit_test(override_errors),
        cmocka_unit_test(to_yaml_round_trips),
        cmocka_unit_test(examples_round_trip),
        cmocka_unit_test(byte_order_mark_is_not_text),
        cmocka_unit_test(control_vehicle_arms),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
