/* biology_test.c - properties of the column-mode biology: untreated skin sits
 * at a steady state (drift below 0.1 % per week apart from ageing), ageing
 * lowers collagen and procollagen output, procedures injure and heal, and a
 * dose sweep of injected exosomes shows "more is not better" from the
 * mechanisms (no dose-response curve is written anywhere). */
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

static const char *src_dir(void)
{
    const char *d = getenv("EXO_SOURCE_DIR");
    return d ? d : ".";
}

static exo_result *run_text(exo_ctx *ctx, exo_units *u, const char *yaml, exo_config *cfg)
{
    exo_status st = exo_config_load_buffer(ctx, u, "test.yaml", yaml, strlen(yaml), NULL, 0, cfg);
    if (st != EXO_OK)
        fail_msg("load: %s", exo_ctx_last_error(ctx));
    exo_result *r = NULL;
    if (exo_run(ctx, cfg, NULL, NULL, &r) != EXO_OK)
        fail_msg("run: %s", exo_ctx_last_error(ctx));
    return r;
}

/* Untreated skin: every readout but the collagen ones (ageing) moves less
 * than 0.1 % per week; collagen falls at the ageing rate (~1 %/year). */
static void untreated_skin_is_steady(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_units *u;
    exo_ctx_create(1, &ctx);
    exo_units_create(ctx, &u);
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
                fail_msg("%s: %s drifts %.3g %% per week", conds[c], exo__readout_name(k), 100 * per_week);
        }
        /* collagen: the ageing loss, ~1 %/year = 0.019 %/week (0.5-2 %/year) */
        double c0 = a->rows[0].rd[EXO_RD_COLLAGEN], c1 = a->rows[a->n_rows - 1].rd[EXO_RD_COLLAGEN];
        double per_year = -(c1 - c0) / c0 * (52.18 / 12.0) * 100.0;
        if (!(per_year > 0.3 && per_year < 3.0))
            fail_msg("%s: collagen changes %.3g %%/year untreated", conds[c], per_year);
        exo_result_destroy(&r);
        exo_config_fini(ctx, &cfg);
    }
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

/* Ageing: an older cohort has less collagen, less procollagen per fibroblast
 * (Varani 2006: 0.68 old/young), more MMP-driven loss. */
static void ageing_lowers_collagen_and_procollagen(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_units *u;
    exo_ctx_create(1, &ctx);
    exo_units_create(ctx, &u);
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
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

/* A needling session injures, inflames (I peaks near 1 within a day by the
 * definition of I) and heals: inflammation is back near baseline after 2 weeks. */
static void needling_inflames_and_heals(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_units *u;
    exo_ctx_create(1, &ctx);
    exo_units_create(ctx, &u);
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
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

/* "More is not better" for injection: over a 1e5-fold range of dose, the
 * serious adverse-event risk rises at every step,
 * the collagen gain per vesicle falls at every step (diminishing returns),
 * inflammation rises once immune recognition dominates (from 1e10/mL),
 * and the net benefit peaks at an intermediate dose and then falls. */
static void dose_sweep_more_is_not_better(void **state)
{
    (void)state;
    exo_ctx *ctx;
    exo_units *u;
    exo_ctx_create(1, &ctx);
    exo_units_create(ctx, &u);
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/injection-dose-sweep.yaml", src_dir());
    const char *values[] = {"1e8 particles/mL", "1e9 particles/mL", "1e10 particles/mL", "1e11 particles/mL",
                            "1e12 particles/mL", "1e13 particles/mL"};
    const double dose[] = {1e8, 1e9, 1e10, 1e11, 1e12, 1e13};
    exo_sweep_result *s = NULL;
    exo_sweep_vary vary = {"products.0.concentration", values, 6};
    exo_sweep_options opt = {&vary, 1, true, true, 1.0};
    if (exo_sweep_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &s) != EXO_OK)
        fail_msg("sweep: %s", exo_ctx_last_error(ctx));
    /* the gain attributable to vesicles: above the needle-only response */
    exo_sweep_arm p[6];
    double net[6], best = -1e300;
    int ibest = 0;
    assert_int_equal(s->n_points, 6);
    for (int v = 0; v < 6; v++)
        p[v] = s->points[v].arms[0];
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
    assert_true(p[5].peak_inflammation > 3 * p[0].peak_inflammation);
    assert_true(ibest > 0 && ibest < 5);         /* an interior optimum */
    assert_int_equal(s->best_point, ibest);      /* and the sweep reports it */
    assert_true(net[5] < best - 1.0);            /* and a clear fall beyond it */
    exo_sweep_destroy(ctx, &s);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untreated_skin_is_steady),
        cmocka_unit_test(ageing_lowers_collagen_and_procollagen),
        cmocka_unit_test(needling_inflames_and_heals),
        cmocka_unit_test(dose_sweep_more_is_not_better),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
