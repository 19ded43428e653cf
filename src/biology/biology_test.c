/* biology_test.c - properties of the column-mode biology: untreated skin sits
 * at a steady state (drift below 0.1 % per week apart from ageing), ageing
 * lowers collagen and procollagen output, procedures injure and heal, a
 * dose sweep of injected exosomes shows diminishing returns and rising risk
 * from the mechanisms (no dose-response curve is written anywhere), a
 * session's response does not depend on when it is given, and repeated
 * sessions add up and persist; the cargo pools follow their closed form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_impl.h"

#include "core/test_fixture.h"
#include "biology/bio_test_fixture.h"

static const char *src_dir(void)
{
    const char *d = getenv("EXO_SOURCE_DIR");
    return d ? d : ".";
}

/* Untreated skin: every readout but the collagen ones (ageing) moves less
 * than 0.1 % per week; collagen falls at the ageing rate (~1 %/year). */
static void untreated_skin_is_steady(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    const char *conds[] = {"none", "photoaged", "sensitive", "dry", "acne_scars"};
    for (size_t c = 0; c < sizeof conds / sizeof *conds; c++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "skin: {age: 45 years, condition: %s}\n"
                 "arms: [{name: untreated, protocol: []}]\n"
                 "simulation: {duration: 12 weeks, output_interval: 1 week}\n",
                 conds[c]);
        exo_config cfg;
        exo_result *r = run_text(ctx, u, yaml, &cfg);
        const exo_arm_result *a = &r->arms[0];
        for (int k = 0; k < EXO_RD_COUNT; k++) {
            double b0 = a->rows[0].rd[k], b1 = a->rows[a->n_rows - 1].rd[k];
            double per_week = b0 != 0 ? fabs(b1 - b0) / fabs(b0) / 12.0 : fabs(b1);
            bool ageing = k == EXO_RD_COLLAGEN || k == EXO_RD_US_DENSITY || k == EXO_RD_US_THICKNESS ||
                          k == EXO_RD_ELASTICITY || k == EXO_RD_WRINKLES || k == EXO_RD_FSR || k == EXO_RD_PROCOLLAGEN;
            if (!ageing && per_week > 1e-3)
                fail_msg("%s: %s drifts %.3g %% per week", conds[c], exo_readout_name(k), 100 * per_week);
        }
        /* collagen: the ageing loss, ~1 %/year = 0.019 %/week (0.5-2 %/year) */
        double c0 = a->rows[0].rd[EXO_RD_COLLAGEN], c1 = a->rows[a->n_rows - 1].rd[EXO_RD_COLLAGEN];
        double per_year = -(c1 - c0) / c0 * (52.18 / 12.0) * 100.0;
        if (!(per_year > 0.3 && per_year < 3.0))
            fail_msg("%s: collagen changes %.3g %%/year untreated", conds[c], per_year);
        exo_result_destroy(&r);
        exo_config_fini(ctx, &cfg);
    }
}

/* Ageing: an older cohort has less collagen, less procollagen per fibroblast
 * (Varani 2006: 0.68 old/young), more MMP-driven loss. */
static void ageing_lowers_collagen_and_procollagen(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    double coll[4], proc[4];
    const int ages[4] = {25, 40, 60, 80};
    for (int i = 0; i < 4; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "skin: {age: %d years}\narms: [{name: untreated, protocol: []}]\n"
                 "simulation: {duration: 1 week, output_interval: 1 day}\n",
                 ages[i]);
        exo_config cfg;
        exo_result *r = run_text(ctx, u, yaml, &cfg);
        coll[i] = r->arms[0].rows[0].rd[EXO_RD_COLLAGEN];
        proc[i] = r->arms[0].rows[0].rd[EXO_RD_PROCOLLAGEN];
        exo_result_destroy(&r);
        exo_config_fini(ctx, &cfg);
    }
    for (int i = 1; i < 4; i++) {
        assert_true(coll[i] < coll[i - 1]);
        assert_true(proc[i] < proc[i - 1]);
    }
    assert_true(fabs(coll[0] - 1.0) < 0.05);              /* young reference ~ 1 */
    assert_true(proc[3] / proc[0] > 0.55 && proc[3] / proc[0] < 0.8); /* Varani 2006 */
}

/* A needling session injures, inflames (I peaks near 1 within a day by the
 * definition of I) and heals: inflammation is back near baseline after 2 weeks. */
static void needling_inflames_and_heals(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    exo_config cfg;
    exo_result *r = run_text(ctx, u,
                             "skin: {age: 30 years}\n"
                             "arms: [{name: mn, protocol: [{event: microneedling, needle_length: 1 mm, density: 150 1/cm^2,"
                             " passes: 2, schedule: once}]}]\n"
                             "simulation: {duration: 3 weeks, output_interval: 1 h}\n",
                             &cfg);
    const exo_arm_result *a = &r->arms[0];
    double base = a->rows[0].rd[EXO_RD_INFLAMMATION], peak = 0, t_peak = 0;
    for (int i = 0; i < a->n_rows; i++)
        if (a->rows[i].rd[EXO_RD_INFLAMMATION] > peak) {
            peak = a->rows[i].rd[EXO_RD_INFLAMMATION];
            t_peak = a->rows[i].t;
        }
    assert_true(peak > base + 0.3);
    assert_true(t_peak > 0 && t_peak < 48);
    double late = a->rows[a->n_rows - 1].rd[EXO_RD_INFLAMMATION];
    assert_true(late - base < 0.1 * (peak - base));
    /* TEWL rises with the open channels (37 % still open after 1 h) and recovers */
    assert_true(a->rows[1].rd[EXO_RD_TEWL] > 1.25 * a->rows[0].rd[EXO_RD_TEWL]);
    assert_true(fabs(a->rows[a->n_rows - 1].rd[EXO_RD_TEWL] / a->rows[0].rd[EXO_RD_TEWL] - 1) < 0.05);
    exo_result_destroy(&r);
    exo_config_fini(ctx, &cfg);
}

/* One injection of adipose-MSC exosomes (1e10/mL, 0.05 mL, 1 mm, 1 point/cm^2)
 * into a photo-aged 50-year-old cheek, on `schedule`; daily records. */
static exo_result *run_injection(exo_ctx *ctx, exo_units *u, const char *schedule, const char *duration,
                                 const char *profiles, exo_config *cfg)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}\n"
             "products: [{name: asc, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: solution}]\n"
             "arms: [{name: injection, protocol: [{event: injection, product: asc, volume: 0.05 mL, depth: 1 mm,"
             " points: 1 1/cm^2, schedule: %s}]}]\n"
             "simulation: {duration: %s, output_interval: 1 day, profile_times: [%s]}\n",
             schedule, duration, profiles);
    return run_text(ctx, u, yaml, cfg);
}

/* The record of arm 0 at time t [h]. */
static const exo_row *row_at(const exo_result *r, double t)
{
    const exo_arm_result *a = &r->arms[0];
    for (int i = 0; i < a->n_rows; i++)
        if (fabs(a->rows[i].t - t) < 1e-6)
            return &a->rows[i];
    fail_msg("no record at %g h", t);
    return NULL;
}

/* Untreated skin is stationary apart from ageing (untreated_skin_is_steady), so
 * the same session given at week 0 or at week 4 must have the same response
 * relative to its own day: the same uptake in its first day, the same
 * inflammation an hour after the needle, the same collagen course over six
 * weeks (to 1 % of its peak gain; ageing over 4 weeks moves it far less).
 * Before the fix this failed for the session at t = 0 alone: no biology sync
 * precedes it, so for its first hour the uptake constants were still those of
 * vesicle-free tissue (unsaturated: +2.3 % uptake, +48 % fibroblast cargo) and
 * the injury made no inflammation yet (0.042 instead of 0.154); the collagen
 * course differed by 5 % of its peak. */
static void a_session_does_not_depend_on_when_it_is_given(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    exo_config ca, cb;
    const double shift = 4 * 168.0; /* [h] */
    exo_result *ra = run_injection(ctx, u, "{times: [0 h]}", "6 weeks", "1 h", &ca);
    exo_result *rb = run_injection(ctx, u, "{times: [4 weeks]}", "10 weeks", "673 h", &cb);
    const exo_row *a0 = row_at(ra, 0), *b0 = row_at(rb, shift);
    /* uptake during the first day */
    double upa = row_at(ra, 24)->taken_up - a0->taken_up, upb = row_at(rb, shift + 24)->taken_up - b0->taken_up;
    assert_true(upa > 0);
    if (fabs(upa - upb) > 0.01 * upa)
        fail_msg("uptake in the first day: %g at week 0, %g at week 4", upa, upb);
    /* the needle's inflammation an hour later */
    double ia = row_at(ra, 1)->rd[EXO_RD_INFLAMMATION] - a0->rd[EXO_RD_INFLAMMATION];
    double ib = row_at(rb, shift + 1)->rd[EXO_RD_INFLAMMATION] - b0->rd[EXO_RD_INFLAMMATION];
    assert_true(ib > 0);
    if (fabs(ia - ib) > 0.01 * ib)
        fail_msg("inflammation 1 h after the session: +%g at week 0, +%g at week 4", ia, ib);
    /* the collagen course */
    double peak = 0, worst = 0;
    for (int d = 0; d <= 42; d++) {
        double ga = row_at(ra, 24.0 * d)->rd[EXO_RD_COLLAGEN] - a0->rd[EXO_RD_COLLAGEN];
        double gb = row_at(rb, shift + 24.0 * d)->rd[EXO_RD_COLLAGEN] - b0->rd[EXO_RD_COLLAGEN];
        peak = fmax(peak, ga);
        worst = fmax(worst, fabs(ga - gb));
    }
    print_message("injection at week 0 or 4: collagen peak gain %g within 6 weeks, largest difference %g\n", peak,
                  worst);
    assert_true(peak > 0.02); /* a real response: ~+0.029 of the young reference (needle and cargo) */
    if (worst > 0.01 * peak)
        fail_msg("collagen gain differs by %g (peak gain %g) between week 0 and week 4", worst, peak);
    exo_result_destroy(&ra);
    exo_result_destroy(&rb);
    exo_config_fini(ctx, &ca);
    exo_config_fini(ctx, &cb);
}

/* Three equal sessions 1, 2, 3 or 4 weeks apart (docs/biology.md, repeated
 * sessions): the collagen each session deposits is remodelled over months,
 * so sessions add up and the gain persists.  Read 4 weeks after the last
 * session the gain hardly depends on the interval (measured +0.052 to
 * +0.054: within 15 %); read at week 12 it still rises with the interval
 * (the transient new collagen of the last session, and less time to lose),
 * and 8 weeks after the last of sessions a week apart more than half of the
 * gain 4 weeks after is left (measured 72 %).
 * (Before issue 11 new collagen turned over in a week and the last session
 * set the readout.) */
static void repeated_sessions_add_up_and_persist(void **state)
{
    exo_test_fixture *f = *state;
    double g12[4], g4[4];
    for (int k = 1; k <= 4; k++) {
        char sched[64];
        snprintf(sched, sizeof sched, "{every: %d weeks, count: 3}", k);
        exo_config cfg;
        exo_result *r = run_injection(f->ctx, f->u, sched, "12 weeks", "1 h", &cfg);
        double c0 = row_at(r, 0)->rd[EXO_RD_COLLAGEN];
        g12[k - 1] = row_at(r, 12 * 168.0)->rd[EXO_RD_COLLAGEN] - c0;
        g4[k - 1] = row_at(r, (2 * k + 4) * 168.0)->rd[EXO_RD_COLLAGEN] - c0;
        exo_result_destroy(&r);
        exo_config_fini(f->ctx, &cfg);
    }
    for (int k = 0; k < 4; k++)
        print_message("3 sessions %d weeks apart: gain %g at week 12, %g 4 weeks after the last\n", k + 1, g12[k], g4[k]);
    double lo4 = g4[0], hi4 = g4[0];
    for (int k = 1; k < 4; k++) {
        if (!(g12[k] > g12[k - 1]))
            fail_msg("week-12 gain %g at %d weeks apart, %g at %d", g12[k], k + 1, g12[k - 1], k);
        lo4 = fmin(lo4, g4[k]);
        hi4 = fmax(hi4, g4[k]);
    }
    assert_true(lo4 > 0.03); /* a response 4 weeks after the last session (~+0.045) */
    if (!(hi4 - lo4 < 0.15 * lo4))
        fail_msg("gain 4 weeks after the last session spreads %g..%g", lo4, hi4);
    if (!(g12[0] > 0.5 * g4[0]))
        fail_msg("sessions a week apart: gain %g at week 12, %g 4 weeks after the last", g12[0], g4[0]);
}

/* Dose sweep of injection: over a 1e5-fold range of dose, the
 * serious adverse-event risk rises at every step,
 * the collagen gain per vesicle falls at every step (diminishing returns),
 * inflammation rises once immune recognition dominates (from 1e10/mL).
 * Recorded hourly: the needle's inflammation peaks a few hours after each
 * session, which daily records miss (the peak is the largest record). */
static void dose_sweep_diminishing_returns_and_rising_risk(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/injection-dose-sweep.yaml", src_dir());
    const char *values[] = {"1e8 particles/mL", "1e9 particles/mL", "1e10 particles/mL", "1e11 particles/mL",
                            "1e12 particles/mL", "1e13 particles/mL"};
    const double dose[] = {1e8, 1e9, 1e10, 1e11, 1e12, 1e13};
    exo_sweep_result *s = NULL;
    exo_sweep_vary vary = {"products.0.concentration", values, 6};
    exo_sweep_options opt = {&vary, 1, true, true, 1.0};
    const exo_override hourly = {"simulation.output_interval", "1 h"};
    if (exo_sweep_run(ctx, u, path, &hourly, 1, &opt, NULL, NULL, &s) != EXO_OK)
        fail_msg("sweep: %s", exo_ctx_last_error(ctx));
    /* the gain attributable to vesicles: above the needle-only response */
    exo_sweep_arm p[6];
    double net[6], best = -1e300;
    int ibest = 0;
    assert_int_equal(s->n_points, 6);
    for (int v = 0; v < 6; v++)
        p[v] = s->points[v].arms[0];
    for (int v = 0; v < 6; v++)
        print_message("%s: net benefit %g, serious AE %g, peak inflammation %g, collagen %+g\n", values[v],
                      p[v].net_benefit, p[v].p_serious, p[v].peak_inflammation,
                      p[v].final[EXO_RD_COLLAGEN] - p[v].baseline[EXO_RD_COLLAGEN]);
    for (int v = 0; v < 6; v++) {
        net[v] = p[v].net_benefit;
        if (net[v] > best) {
            best = net[v];
            ibest = v;
        }
        if (v > 0) {
            assert_true(p[v].p_serious > p[v - 1].p_serious);
            /* anti-inflammatory cargo calms the needle injury at low doses;
             * from 1e10/mL up immune recognition takes over and inflammation rises */
            if (v >= 3)
                assert_true(p[v].peak_inflammation > p[v - 1].peak_inflammation);
            double g1 = p[v].final[EXO_RD_COLLAGEN] - p[0].baseline[EXO_RD_COLLAGEN];
            double g0 = p[v - 1].final[EXO_RD_COLLAGEN] - p[0].baseline[EXO_RD_COLLAGEN];
            assert_true(g1 / dose[v] < g0 / dose[v - 1]);
        }
    }
    /* the needle alone raises inflammation at every dose; immune recognition
     * at the top dose raises it more than half as much again above the
     * untreated level */
    double i0 = p[0].baseline[EXO_RD_INFLAMMATION];
    assert_true(p[5].peak_inflammation - i0 > 1.5 * (p[0].peak_inflammation - i0));
    assert_int_equal(s->best_point, ibest); /* the sweep reports the best dose */
    /* and an optimum inside the range (issue 11 item 5: uptake capacity,
     * innate recognition of the load, adverse risk rising with the dose) */
    if (!(ibest > 0 && ibest < 5))
        fail_msg("the best dose is %s, an end of the range", values[ibest]);
    exo_sweep_destroy(ctx, &s);
}

/* The cargo pools are linear with the uptake held over each interval between
 * syncs, dQ/dt = u - k Q, and are advanced exactly (docs/numerics.md): after
 * intervals of different uptake every pool is the closed form, and one
 * interval gives the same pools as the same time in three. */
static void cargo_pools_follow_the_closed_form(void **state)
{
    exo_test_fixture *f = *state;
    exo_ctx *ctx = f->ctx;
    exo_units *u = f->u;
    const char *yaml = "skin: {age: 45 years}\narms: [{name: a, protocol: []}]\nsimulation: {duration: 1 week}\n";
    exo_config cfg;
    if (exo_config_load_buffer(ctx, u, "test.yaml", yaml, strlen(yaml), NULL, 0, &cfg) != EXO_OK)
        fail_msg("load: %s", exo_ctx_last_error(ctx));
    double thick[EXO_LAYER_COUNT] = {15, 55, 200, 1730};
    exo_grid *g;
    assert_int_equal(exo__grid_create(ctx, thick, 0.5, 25, 1.15, &g), EXO_OK);
    exo_bio *one, *three;
    assert_int_equal(exo__bio_create(ctx, &cfg, &cfg.arms[0].skin, g, &one), EXO_OK);
    assert_int_equal(exo__bio_create(ctx, &cfg, &cfg.arms[0].skin, g, &three), EXO_OK);
    const double k = log(2.0) / cfg.params.v[EXO_P_CARGO_HALF_LIFE];
    exo_bio_inputs in;
    memset(&in, 0, sizeof in);
    double Q[EXO_NZ][EXO_NCELL][EXO_CARGO_COUNT] = {{{0}}}, t = 0; /* the closed form */
    for (int step = 0; step < 4; step++) {
        for (int z = 0; z < EXO_NZ; z++)
            for (int c = 0; c < EXO_NCELL; c++)
                for (int q = 0; q < EXO_CARGO_COUNT; q++)
                    in.uptake[z][c][q] = (step % 2 ? 0.0 : 1e-3) * (1 + z + 0.5 * c + 0.25 * q);
        const double h = 5.0 + 7.0 * step; /* [h] */
        assert_int_equal(exo__bio_advance(one, t + h, &in), EXO_OK);
        for (int part = 1; part <= 3; part++)
            assert_int_equal(exo__bio_advance(three, t + h * part / 3.0, &in), EXO_OK);
        t += h;
        for (int z = 0; z < EXO_NZ; z++)
            for (int c = 0; c < EXO_NCELL; c++) {
                exo_bio_cell a, b;
                exo__bio_cell_state(one, z, c, &a);
                exo__bio_cell_state(three, z, c, &b);
                for (int q = 0; q < EXO_CARGO_COUNT; q++) {
                    double eq = in.uptake[z][c][q] / k;
                    Q[z][c][q] = eq + (Q[z][c][q] - eq) * exp(-k * h);
                    assert_true(fabs(a.Q[q] - Q[z][c][q]) <= 1e-12 * fabs(Q[z][c][q]) + 1e-300);
                    assert_true(fabs(b.Q[q] - Q[z][c][q]) <= 1e-12 * fabs(Q[z][c][q]) + 1e-300);
                }
            }
    }
    assert_true(Q[EXO_NZ - 1][EXO_NCELL - 1][EXO_CARGO_COUNT - 1] > 0);
    exo__bio_destroy(&one);
    exo__bio_destroy(&three);
    exo__grid_destroy(&g);
    exo_config_fini(ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(untreated_skin_is_steady, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(ageing_lowers_collagen_and_procollagen, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(needling_inflames_and_heals, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(dose_sweep_diminishing_returns_and_rising_risk, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(cargo_pools_follow_the_closed_form, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_session_does_not_depend_on_when_it_is_given, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(repeated_sessions_add_up_and_persist, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
