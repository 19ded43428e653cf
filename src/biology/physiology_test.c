/* physiology_test.c - the physiology dermatologists recognise (issue 11):
 * untreated skin is a stable steady state that drifts only with age; the
 * response to cargo is a saturating function of cargo per cell, continuous
 * at zero (a trace dose does nothing, a serum on intact skin far less than
 * needling); procedures heal in phases and the collagen they make is
 * remodelled over months (fractional CO2 and microneedling improve
 * wrinkles, and the gain outlasts the sessions). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "biology/bio_impl.h"
#include "engine/engine_impl.h"

#include "core/test_fixture.h"
#include "biology/bio_test_fixture.h"

#define WEEK 168.0
#define NMED 5

/* ---- stability of the untreated state ----
 * The biology of each zone with its five mediators as well-mixed pools
 * (no transport: diffusion and clearance would only add decay):
 * dmed/dt = source(x) - k med, with I also resolved by R.  Its untreated
 * steady state is found as the engine finds it (mediators for the cell
 * sources, cells settled for the mediators, repeated), then the Jacobian of
 * the closed system is taken by central differences.  Two states are left
 * out: the ablated void and the atrophic scar deficit, which only activated
 * fibroblasts fill (untreated they are neutral by design: a scar persists). */
typedef struct {
    exo_bio *b;
    const exo_config *cfg;
    double k[NMED]; /* [1/h] decay of I, R, T, G, M */
    double mref[EXO_NZ];
    int idx[EXO_BIO_N + EXO_NZ * NMED]; /* active variables */
    int n;
} closed_sys;

static void closed_mediators(const closed_sys *s, const double *x, exo_bio_inputs *in)
{
    const double k_ri = s->cfg->params.v[EXO_P_K_RI];
    for (int z = 0; z < EXO_NZ; z++) {
        for (int q = 1; q < NMED; q++)
            in->med[z][q] = exo__bio_source_at(s->b, x, z, q, in) / s->k[q];
        in->med[z][0] = exo__bio_source_at(s->b, x, z, 0, in) / (s->k[0] + k_ri * in->med[z][1]);
    }
}

/* Rates of the closed system at the full vector v = (bio state, mediators). */
static void closed_rates(const closed_sys *s, const double *v, double *dv)
{
    exo_bio_inputs in;
    memset(&in, 0, sizeof in);
    memcpy(in.med, v + EXO_BIO_N, sizeof in.med);
    exo__bio_rates(s->b, v, &in, dv);
    const double k_ri = s->cfg->params.v[EXO_P_K_RI];
    for (int z = 0; z < EXO_NZ; z++)
        for (int q = 0; q < NMED; q++) {
            double k = s->k[q] + (q == 0 ? k_ri * in.med[z][1] : 0.0);
            dv[EXO_BIO_N + z * NMED + q] = exo__bio_source_at(s->b, v, z, q, &in) - k * in.med[z][q];
        }
}

/* An untreated arm on `skin` (a YAML map) loaded into cfg, and a column
 * grid of its layers for the biology alone. */
static exo_grid *untreated_grid(exo_test_fixture *f, const char *skin, exo_config *cfg)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, "skin: %s\narms: [{name: untreated, protocol: []}]\n", skin);
    if (exo_config_load_buffer(f->ctx, f->u, "test.yaml", yaml, strlen(yaml), NULL, 0, cfg) != EXO_OK)
        fail_msg("load: %s", exo_ctx_last_error(f->ctx));
    const exo_skin_cfg *sk = &cfg->arms[0].skin;
    double thick[EXO_LAYER_COUNT] = {sk->h_sc, sk->h_ve, sk->h_pap, sk->h_total - sk->h_sc - sk->h_ve - sk->h_pap};
    exo_grid *g = NULL;
    assert_int_equal(exo__grid_create(f->ctx, thick, 0.5, 25, 1.15, &g), EXO_OK);
    return g;
}

static double max_real_eigenvalue(exo_test_fixture *f, const char *skin, double *min_real)
{
    exo_config cfg;
    exo_grid *g = untreated_grid(f, skin, &cfg);
    const exo_skin_cfg *sk = &cfg.arms[0].skin;
    closed_sys s = {.cfg = &cfg};
    assert_int_equal(exo__bio_create(f->ctx, &cfg, sk, g, &s.b), EXO_OK);
    const exo_paramset *p = &cfg.params;
    const double hl[NMED] = {p->v[EXO_P_I_HALF_LIFE], p->v[EXO_P_R_HALF_LIFE], p->v[EXO_P_T_HALF_LIFE],
                             p->v[EXO_P_G_HALF_LIFE], p->v[EXO_P_M_HALF_LIFE]};
    for (int q = 0; q < NMED; q++)
        s.k[q] = log(2.0) / hl[q];
    for (int z = 0; z < EXO_NZ; z++)
        s.mref[z] = exo__bio_source_mref(s.b, z) / s.k[4];
    exo__bio_set_mref(s.b, s.mref);
    /* the untreated steady state, as the engine finds it */
    exo_bio_inputs in;
    memset(&in, 0, sizeof in);
    for (int round = 0; round < 500; round++) {
        exo_bio_inputs prev = in;
        closed_mediators(&s, exo__bio_state(s.b), &in);
        exo__bio_settle(s.b, &in);
        double change = 0;
        for (int z = 0; z < EXO_NZ; z++)
            for (int q = 0; q < NMED; q++)
                change = fmax(change, fabs(in.med[z][q] - prev.med[z][q]) / fmax(fabs(in.med[z][q]), 1e-300));
        if (change < 1e-13)
            break;
    }
    const int NT = EXO_BIO_N + EXO_NZ * NMED;
    double v[EXO_BIO_N + EXO_NZ * NMED], d1[EXO_BIO_N + EXO_NZ * NMED], d2[EXO_BIO_N + EXO_NZ * NMED];
    memcpy(v, exo__bio_state(s.b), EXO_BIO_N * sizeof *v);
    memcpy(v + EXO_BIO_N, in.med, sizeof in.med);
    /* active variables: those whose rate depends on themselves somewhere
     * (the dermal-only states of the epidermis and melanin of the dermis
     * are constants), less the voids (scar deficit, wound void and its open
     * share: zero is at rest, their rate is their own value times the
     * fibroblast activation, ~0 untreated) */
    for (int k = 0; k < NT; k++) {
        if (k < EXO_NZ * EXO_NV) {
            int z = k / EXO_NV, var = k % EXO_NV;
            if (var == EXO_V_SD || var == EXO_V_DW || var == EXO_V_VW)
                continue;
            bool dermal_var = var >= EXO_V_A && var != EXO_V_J && var != EXO_V_MEL;
            if ((z == EXO_ZONE_VE && dermal_var) || (z != EXO_ZONE_VE && var == EXO_V_MEL))
                continue;
        }
        s.idx[s.n++] = k;
    }
    /* the steady state: every active rate is ~0 apart from ageing (mature collagen) */
    closed_rates(&s, v, d1);
    for (int a = 0; a < s.n; a++) {
        int k = s.idx[a];
        bool cm = k < EXO_NZ * EXO_NV && k % EXO_NV == EXO_V_CM;
        if (!cm && fabs(d1[k]) > 1e-9 * fmax(fabs(v[k]), 1e-6))
            fail_msg("%s: variable %d is not at rest (rate %g, value %g)", skin, k, d1[k], v[k]);
    }
    gsl_matrix *J = gsl_matrix_alloc((size_t)s.n, (size_t)s.n);
    for (int c = 0; c < s.n; c++) {
        int k = s.idx[c];
        double h = 1e-6 * fmax(fabs(v[k]), 1e-4), keep = v[k];
        v[k] = keep + h;
        closed_rates(&s, v, d1);
        v[k] = keep - h;
        closed_rates(&s, v, d2);
        v[k] = keep;
        for (int r = 0; r < s.n; r++)
            gsl_matrix_set(J, (size_t)r, (size_t)c, (d1[s.idx[r]] - d2[s.idx[r]]) / (2 * h));
    }
    gsl_vector_complex *ev = gsl_vector_complex_alloc((size_t)s.n);
    gsl_eigen_nonsymm_workspace *w = gsl_eigen_nonsymm_alloc((size_t)s.n);
    assert_int_equal(gsl_eigen_nonsymm(J, ev, w), 0);
    double mx = -INFINITY, mn = INFINITY;
    for (int i = 0; i < s.n; i++) {
        mx = fmax(mx, GSL_REAL(gsl_vector_complex_get(ev, (size_t)i)));
        mn = fmin(mn, GSL_REAL(gsl_vector_complex_get(ev, (size_t)i)));
    }
    gsl_eigen_nonsymm_free(w);
    gsl_vector_complex_free(ev);
    gsl_matrix_free(J);
    exo__bio_destroy(&s.b);
    exo__grid_destroy(&g);
    exo_config_fini(f->ctx, &cfg);
    *min_real = mn;
    return mx;
}

/* Every skin's untreated state is a stable steady state: every eigenvalue
 * of the Jacobian has a negative real part (the slowest is mature collagen,
 * ~ -ln2/15 y).  Before issue 11 the untreated state had no M2 macrophages
 * and no resolving signal: an unstable fixed point (M2 <-> resolving signal
 * feedback), which any trace of anti-inflammatory cargo flipped for good. */
static void untreated_state_is_stable(void **state)
{
    exo_test_fixture *f = *state;
    const char *skins[] = {"{age: 25 years}", "{age: 45 years, condition: photoaged}",
                           "{age: 70 years, sex: male, phototype: V}", "{age: 30 years, condition: sensitive}",
                           "{age: 28 years, condition: acne_scars}", "{age: 50 years, condition: dry}"};
    for (size_t i = 0; i < sizeof skins / sizeof *skins; i++) {
        double mn, mx = max_real_eigenvalue(f, skins[i], &mn);
        if (!(mx < 0))
            fail_msg("%s: largest real part of an eigenvalue %g >= 0", skins[i], mx);
        assert_true(mn > -1e3); /* finite: no numerical blow-up */
    }
}

/* A year untreated: collagen follows the ageing of the skin (the run's
 * collagen at 46 y equals that of an untreated 46-year-old to a tenth of
 * the year's change) and every readout that does not age stays within
 * 0.1 %. */
static void a_year_untreated_is_ageing_only(void **state)
{
    exo_test_fixture *f = *state;
    exo_config c1, c2;
    exo_result *r1 = run_text(f->ctx, f->u,
                              "skin: {age: 45 years, condition: photoaged}\narms: [{name: untreated, protocol: []}]\n"
                              "simulation: {duration: 52 weeks, output_interval: 1 week}\n",
                              &c1);
    exo_result *r2 = run_text(f->ctx, f->u,
                              "skin: {age: 45.9966 years, condition: photoaged}\narms: [{name: untreated, protocol: []}]\n"
                              "simulation: {duration: 1 week, output_interval: 1 week}\n",
                              &c2); /* 52 weeks = 0.9966 years */
    double c0 = rd_at(r1, 0, 0, EXO_RD_COLLAGEN), c52 = rd_at(r1, 0, 52 * WEEK, EXO_RD_COLLAGEN);
    double c46 = rd_at(r2, 0, 0, EXO_RD_COLLAGEN);
    double per_year = -(c52 - c0) / c0 * 100;
    if (!(per_year > 0.3 && per_year < 3.0))
        fail_msg("collagen changes %.3g %% in a year untreated", per_year);
    if (fabs(c52 - c46) > 0.1 * fabs(c46 - c0))
        fail_msg("collagen after a year %g, of a skin a year older %g (start %g)", c52, c46, c0);
    const int steady[] = {EXO_RD_TEWL, EXO_RD_CORNEOMETER, EXO_RD_ERYTHEMA, EXO_RD_MELANIN, EXO_RD_ECCA,
                          EXO_RD_INFLAMMATION};
    for (size_t i = 0; i < sizeof steady / sizeof *steady; i++) {
        int k = steady[i];
        double a = rd_at(r1, 0, 0, k), b = rd_at(r1, 0, 52 * WEEK, k);
        if (fabs(b - a) > 1e-3 * fmax(fabs(a), 1e-9))
            fail_msg("%s moves from %g to %g in a year untreated", exo_readout_name(k), a, b);
    }
    exo_result_destroy(&r1);
    exo_result_destroy(&r2);
    exo_config_fini(f->ctx, &c1);
    exo_config_fini(f->ctx, &c2);
}

/* The default serum (adipose MSC, 1 mg/cm^2 twice daily) at `conc`, a
 * microneedling arm without product and an untreated arm; 12 weeks. */
static exo_result *run_serum(exo_test_fixture *f, const char *conc, exo_config *cfg)
{
    char yaml[1536];
    snprintf(yaml, sizeof yaml,
             "skin: {region: cheek, age: 45 years, sex: female, condition: photoaged}\n"
             "products: [{name: serum, origin: adipose_msc, concentration: %s, functional_fraction: 0.7,"
             " vehicle: serum}, {name: vehicle, origin: adipose_msc, concentration: 0 particles/mL, vehicle: serum}]\n"
             "arms:\n"
             "  - {name: serum, protocol: [{event: topical, product: serum, amount: 1 mg/cm^2, contact: 12 h,"
             " schedule: twice daily for 12 weeks}]}\n"
             "  - {name: untreated, protocol: []}\n"
             "  - {name: needling, protocol: [{event: microneedling, needle_length: 1 mm, density: 150 1/cm^2,"
             " passes: 2, schedule: 3 sessions 4 weeks apart}]}\n"
             "  - {name: vehicle, protocol: [{event: topical, product: vehicle, amount: 1 mg/cm^2, contact: 12 h,"
             " schedule: twice daily for 12 weeks}]}\n"
             "simulation: {duration: 12 weeks, output_interval: 1 week}\n",
             conc);
    return run_text(f->ctx, f->u, yaml, cfg);
}

/* 1 particle/mL (0.1 vesicles per cm^2 over 12 weeks) is the vehicle alone
 * (concentration 0): every readout within 0.1 % of the vehicle arm at every
 * week.  Before issue 11 it lowered dermal inflammation 90 % for good.  (The
 * vehicle itself hydrates the stratum corneum since issue 12, so the
 * reference is the vehicle arm, not untreated skin.) */
static void a_trace_dose_does_nothing(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg, cfg0;
    exo_result *r = run_serum(f, "1 particles/mL", &cfg);
    exo_result *r0 = run_serum(f, "0 particles/mL", &cfg0);
    double worst = 0;
    int worst_k = 0;
    for (int w = 0; w <= 12; w++)
        for (int k = 0; k < EXO_RD_COUNT; k++) {
            double a = rd_at(r, 0, w * WEEK, k), u = rd_at(r0, 0, w * WEEK, k);
            double d = fabs(a - u) / fmax(fabs(u), 1e-6);
            if (d > worst) {
                worst = d;
                worst_k = k;
            }
        }
    print_message("1 particle/mL: largest deviation from the vehicle %.3g %% (%s)\n", 100 * worst,
                  exo_readout_name(worst_k));
    if (worst > 1e-3)
        fail_msg("1 particle/mL moves %s by %.3g %%", exo_readout_name(worst_k), 100 * worst);
    exo_result_destroy(&r);
    exo_result_destroy(&r0);
    exo_config_fini(f->ctx, &cfg);
    exo_config_fini(f->ctx, &cfg0);
}

/* Topical serum on intact skin over 1e6-1e11 particles/mL: its effect (the
 * week-12 collagen gain over its vehicle alone, the same film without
 * vesicles) rises with the dose, and at every dose it changes dermal collagen
 * far less (under a tenth) than 3 needling sessions alone.  (Before issue 11
 * a serum on intact skin raised collagen more than needling: +2.0 % vs +1.6 %.
 * Against untreated skin the vehicle's own ~1e-7, hydration, hid the gains of
 * the lowest doses.) */
#define COLLAGEN_NOISE 1e-7 /* [1] collagen difference of two arms' step sequences */
static void topical_dose_response_is_monotone_and_below_needling(void **state)
{
    exo_test_fixture *f = *state;
    const char *conc[] = {"1e6 particles/mL", "1e7 particles/mL", "1e8 particles/mL",
                          "1e9 particles/mL", "1e10 particles/mL", "1e11 particles/mL"};
    double prev = 0, first = 0;
    for (size_t i = 0; i < sizeof conc / sizeof *conc; i++) {
        exo_config cfg;
        exo_result *r = run_serum(f, conc[i], &cfg);
        double t = 12 * WEEK;
        double gc = rd_at(r, 0, t, EXO_RD_COLLAGEN) - rd_at(r, 3, t, EXO_RD_COLLAGEN);
        double gn = rd_at(r, 2, t, EXO_RD_COLLAGEN) - rd_at(r, 1, t, EXO_RD_COLLAGEN);
        print_message("%s: collagen %+.3g over its vehicle; needling alone %+.3g over untreated\n", conc[i], gc, gn);
        assert_true(gn > 0.01);
        /* arms with different step sequences differ by up to ~1e-7 in
         * collagen (the coupling refreshes its coefficients at 1e-3 relative
         * changes, docs/numerics.md): below that the order of two doses is
         * noise, above it the gain must rise */
        if (i > 0 && !(gc > prev - COLLAGEN_NOISE && (prev < 10 * COLLAGEN_NOISE || gc > prev)))
            fail_msg("%s: the collagen gain %g is not above that of the dose 10x lower (%g)", conc[i], gc, prev);
        if (i == 0)
            first = gc;
        if (!(gc < 0.1 * gn))
            fail_msg("%s: serum on intact skin moves collagen %g, needling alone %g", conc[i], gc, gn);
        prev = gc;
        exo_result_destroy(&r);
        exo_config_fini(f->ctx, &cfg);
    }
    /* and over the five decades it does rise, far above the noise */
    if (!(prev - first > 100 * COLLAGEN_NOISE))
        fail_msg("the collagen gain rises only from %g to %g over 1e6-1e11 particles/mL", first, prev);
}

/* A 50-year-old photo-aged cheek: arm 0 with `protocol` (a YAML list),
 * arm 1 untreated; weekly records for `weeks`. */
static exo_result *run_vs_untreated(exo_test_fixture *f, const char *protocol, int weeks, exo_config *cfg)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}\n"
             "arms: [{name: treated, protocol: %s}, {name: untreated, protocol: []}]\n"
             "simulation: {duration: %d weeks, output_interval: 1 week}\n",
             protocol, weeks);
    return run_text(f->ctx, f->u, yaml, cfg);
}

/* Fractional CO2, 3 sessions 4 weeks apart (10 %, 600 um), 50-year-old
 * photo-aged cheek: at 6 months the wrinkle grade is 10-40 % lower than at
 * baseline and dermal collagen above the untreated arm; the improvement
 * continues from 1 to 6 months after the last session (remodelling). */
static void fractional_co2_remodels_over_months(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = run_vs_untreated(f,
                                     "[{event: laser, zone_fraction: 0.1, zone_depth: 600 um, zone_width: 150 um,"
                                     " schedule: 3 sessions 4 weeks apart}]",
                                     32, &cfg);
    double w0 = rd_at(r, 0, 0, EXO_RD_WRINKLES), w26 = rd_at(r, 0, 26 * WEEK, EXO_RD_WRINKLES);
    double w12 = rd_at(r, 0, 12 * WEEK, EXO_RD_WRINKLES), w32 = rd_at(r, 0, 32 * WEEK, EXO_RD_WRINKLES);
    double dc = rd_at(r, 0, 26 * WEEK, EXO_RD_COLLAGEN) - rd_at(r, 1, 26 * WEEK, EXO_RD_COLLAGEN);
    double ch = 100 * (w26 / w0 - 1);
    print_message("fractional CO2 x3: wrinkles %+.1f %% at 6 months, collagen %+.3g over untreated; "
                  "1 month after the last session %+.1f %%, 6 months after %+.1f %%\n",
                  ch, dc, 100 * (w12 / w0 - 1), 100 * (w32 / w0 - 1));
    if (!(ch < -10 && ch > -40))
        fail_msg("fractional CO2 changes wrinkles by %+.1f %% at 6 months", ch);
    assert_true(dc > 0);
    assert_true(w32 < w12); /* 6 months after the last session better than 1 month after */
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* One dense ablation (50 % of the area, 200 um deep, the densest setting;
 * fully ablative CO2 resurfacing in PRS 1999): the papillary fibrillar
 * collagen gained over untreated skin rises from 6 weeks to 6 months and
 * from 6 months to 1 year (the wound's fibroblasts keep depositing, the
 * deposited collagen matures), and the ablated matrix is replaced in full
 * (dermal collagen above untreated at 1 year).  Before, 13 % of the refill
 * was degraded before it matured and the gain had vanished by 1 year. */
static void dense_ablation_keeps_building_for_a_year(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = run_vs_untreated(
        f, "[{event: laser, zone_fraction: 0.5, zone_depth: 200 um, zone_width: 500 um, schedule: once}]", 52, &cfg);
    double g[3];
    const int weeks[3] = {6, 26, 52};
    for (int i = 0; i < 3; i++)
        g[i] = rd_at(r, 0, weeks[i] * WEEK, EXO_RD_PAP_COLLAGEN) - rd_at(r, 1, weeks[i] * WEEK, EXO_RD_PAP_COLLAGEN);
    double dc = rd_at(r, 0, 52 * WEEK, EXO_RD_COLLAGEN) - rd_at(r, 1, 52 * WEEK, EXO_RD_COLLAGEN);
    print_message("dense ablation: papillary collagen over untreated %+.4f at 6 weeks, %+.4f at 6 months, "
                  "%+.4f at 1 year; dermal collagen %+.4f at 1 year\n",
                  g[0], g[1], g[2], dc);
    assert_true(g[0] > 0);
    assert_true(g[1] > g[0]);
    assert_true(g[2] > g[1]);
    assert_true(dc > 0);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Microneedling 1.5 mm, 4 sessions a month apart: wrinkles are better at 5
 * months, and at 12 months the collagen gain over untreated skin is still
 * at least 40 % of its peak (deposited collagen persists for months). */
static void needling_gains_last_a_year(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_result *r = run_vs_untreated(f,
                                     "[{event: microneedling, needle_length: 1.5 mm, density: 150 1/cm^2, passes: 2,"
                                     " schedule: 4 sessions 4 weeks apart}]",
                                     52, &cfg);
    double peak = 0, t_peak = 0;
    for (int w = 0; w <= 52; w++) {
        double g = rd_at(r, 0, w * WEEK, EXO_RD_COLLAGEN) - rd_at(r, 1, w * WEEK, EXO_RD_COLLAGEN);
        if (g > peak) {
            peak = g;
            t_peak = w;
        }
    }
    double g52 = rd_at(r, 0, 52 * WEEK, EXO_RD_COLLAGEN) - rd_at(r, 1, 52 * WEEK, EXO_RD_COLLAGEN);
    double wr = 100 * (rd_at(r, 0, 22 * WEEK, EXO_RD_WRINKLES) / rd_at(r, 0, 0, EXO_RD_WRINKLES) - 1);
    print_message("needling x4: collagen peak %+.3g at week %.0f, %+.3g at 12 months (%.0f %% kept); "
                  "wrinkles %+.1f %% at 5 months\n",
                  peak, t_peak, g52, 100 * g52 / peak, wr);
    assert_true(peak > 0.02);
    assert_true(wr < -3);
    if (!(g52 >= 0.4 * peak))
        fail_msg("needling keeps %g of a peak collagen gain %g at 12 months", g52, peak);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Sessions days apart (Manstein 2004: 4 non-ablative fractional sessions 5
 * days apart, 12.5 % of the area, 300 um deep): each reaches fibroblasts
 * still activated by the last, yet it tears the fresh matrix only where
 * its columns land.  On fully activated skin (a = 0.99 in every dermal
 * zone, as a day after a session) a coagulation of 12.5 % of the area
 * leaves at least (1 - 0.125)^2 of each zone's new and remodelling
 * collagen (the columns' own matrix, refilled later, and the tear of the
 * same area), and a 1.5 mm needling (2 passes of 150/cm^2) at least 1 - its
 * channel area; the reached papillary zone does lose some.  Before the tear
 * was scaled to the treated area, each lost ~98 % of it. */
static double fresh_matrix(const exo_bio *b, int z)
{
    return b->y[z * EXO_NV + EXO_V_CN] + b->y[z * EXO_NV + EXO_V_CR];
}

static void a_session_days_after_the_last_tears_only_its_area(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    exo_grid *g = untreated_grid(f, "{region: periorbital, age: 50 years, sex: female, condition: photoaged}", &cfg);
    const exo_skin_cfg *sk = &cfg.arms[0].skin;
    const double d = cfg.params.v[EXO_P_MN_CHANNEL_DIAMETER];
    const double channels = 2 * 150.0 / (EXO_CM * EXO_CM) * acos(-1.0) * 0.25 * d * d; /* [1] channel area */
    for (int needles = 0; needles <= 1; needles++) {
        exo_bio *b = NULL;
        assert_int_equal(exo__bio_create(f->ctx, &cfg, sk, g, &b), EXO_OK);
        double before[EXO_NZ];
        for (int z = 0; z < EXO_NZ; z++) {
            b->y[z * EXO_NV + EXO_V_A] = dermal(z) ? 0.99 : 0.0;
            before[z] = fresh_matrix(b, z);
        }
        if (needles)
            exo__bio_injure(b, 1.0, 1500 * EXO_UM, channels);
        else
            exo__bio_coagulate(b, 0.125, 300 * EXO_UM);
        const double floor = needles ? 1 - channels : (1 - 0.125) * (1 - 0.125);
        for (int z = EXO_ZONE_PAP1; z < EXO_NZ; z++) {
            double kept = fresh_matrix(b, z) / before[z];
            print_message("%s on activated skin: zone %d keeps %.4f of its fresh matrix (at least %.4f)\n",
                          needles ? "1.5 mm needling" : "12.5 % coagulation", z, kept, floor);
            assert_true(before[z] > 0);
            if (!(kept >= floor - 1e-12))
                fail_msg("zone %d keeps %g of its new and remodelling collagen, under %g", z, kept, floor);
            if (z == EXO_ZONE_PAP1)
                assert_true(kept < 1 - 1e-3); /* the reached zone does tear */
        }
        exo__bio_destroy(&b);
    }
    exo__grid_destroy(&g);
    exo_config_fini(f->ctx, &cfg);
}

/* The protocol itself: 4 non-ablative sessions 5 days apart (12.5 %, 300 um,
 * 100 um wide) on a 50-year-old photo-aged periorbital skin improve
 * wrinkles 13 weeks after the last (Manstein 2004 reported -18 %; here at
 * least 5 % below baseline and below the untreated arm), and more than a
 * single session does: sessions days apart add up rather than cancel.
 * Before the tear was scaled to the treated area, the 4 sessions left the
 * wrinkle grade at its cap (+80 %). */
static void fractional_sessions_days_apart_add_up(void **state)
{
    exo_test_fixture *f = *state;
    const char *yaml =
        "skin: {region: periorbital, age: 50 years, sex: female, condition: photoaged}\n"
        "arms:\n"
        "  - {name: four, protocol: [{event: laser, mode: non_ablative, zone_fraction: 0.125, zone_depth: 300 um,"
        " zone_width: 100 um, schedule: 4 sessions 5 days apart}]}\n"
        "  - {name: one, protocol: [{event: laser, mode: non_ablative, zone_fraction: 0.125, zone_depth: 300 um,"
        " zone_width: 100 um, schedule: once}]}\n"
        "  - {name: untreated, protocol: []}\n"
        "simulation: {duration: 106 days, output_interval: 1 day}\n";
    exo_config cfg;
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    const double t = 106 * 24.0;
    double w[3];
    for (int a = 0; a < 3; a++)
        w[a] = 100 * (rd_at(r, a, t, EXO_RD_WRINKLES) / rd_at(r, a, 0, EXO_RD_WRINKLES) - 1);
    print_message("non-ablative fractional, day 106: 4 sessions 5 days apart %+.1f %%, 1 session %+.1f %%, "
                  "untreated %+.1f %%\n",
                  w[0], w[1], w[2]);
    if (!(w[0] < -5 && w[0] < w[2]))
        fail_msg("4 sessions 5 days apart change wrinkles by %+.1f %% (untreated %+.1f %%)", w[0], w[2]);
    if (!(w[0] < w[1]))
        fail_msg("4 sessions 5 days apart (%+.1f %%) do no better than one (%+.1f %%)", w[0], w[1]);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Net benefit of a point as `exoskin sweep` ranks it: (goal sign) x the %
 * change of readout k at the end - 100 x the serious adverse-event risk. */
static double net_benefit(const exo_result *r, int k, double sign)
{
    const exo_arm_result *a = &r->arms[0];
    double x0 = a->rows[0].rd[k], x1 = a->rows[a->n_rows - 1].rd[k];
    return sign * 100 * (x1 / x0 - 1) - 100 * exo_result_serious_ae(r, 0);
}

/* "More is not better" for injections (examples/injection-dose-sweep.yaml):
 * 3 intradermal injections of 1e8..1e13 particles/mL; the best net benefit
 * (collagen change minus serious-event risk) is at an interior dose, and
 * the innate recognition of the load raises peak inflammation and melanin
 * (post-inflammatory pigmentation) with the dose. */
static void injection_dose_has_an_interior_optimum(void **state)
{
    exo_test_fixture *f = *state;
    const char *conc[] = {"1e8", "1e9", "1e10", "1e11", "1e12", "1e13"};
    const int n = (int)(sizeof conc / sizeof *conc);
    double nb[6], mel[6], best = -1e300;
    int ibest = -1;
    for (int i = 0; i < n; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}\n"
                 "products: [{name: asc, origin: adipose_msc, concentration: %s particles/mL, vehicle: solution}]\n"
                 "arms: [{name: injection, protocol: [{event: injection, product: asc, volume: 0.05 mL, depth: 1 mm,"
                 " points: 1 1/cm^2, schedule: 3 sessions 4 weeks apart}]}]\n"
                 "simulation: {duration: 12 weeks, output_interval: 1 day}\n",
                 conc[i]);
        exo_config cfg;
        exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
        nb[i] = net_benefit(r, EXO_RD_COLLAGEN, 1);
        const exo_arm_result *a = &r->arms[0];
        mel[i] = a->rows[a->n_rows - 1].rd[EXO_RD_MELANIN];
        print_message("%s particles/mL: net benefit %+.3f, serious AE %.3g, melanin %.2f\n", conc[i], nb[i],
                      exo_result_serious_ae(r, 0), mel[i]);
        if (nb[i] > best) {
            best = nb[i];
            ibest = i;
        }
        exo_result_destroy(&r);
        exo_config_fini(f->ctx, &cfg);
    }
    if (!(ibest > 0 && ibest < n - 1))
        fail_msg("the best injection dose is %s particles/mL, an end of the range", conc[ibest]);
    assert_true(nb[n - 1] < best - 1.0); /* the top dose clearly worse */
    assert_true(mel[n - 1] > mel[0] + 5.0); /* post-inflammatory pigmentation rises with the dose */
}

/* "More is not better" for microneedling (examples/microneedling-interval-sweep.yaml):
 * 4 sessions of 1.5 mm needling 1, 2, 4 or 8 weeks apart; the wrinkle
 * grade at 6 months is best at an interior interval (sessions too close
 * reach fibroblasts still activated by the last, where a new stimulus adds
 * little, and tear the fresh matrix of their channels; too far apart, the
 * last ones have not matured their collagen by the readout). */
static void needling_interval_has_an_interior_optimum(void **state)
{
    exo_test_fixture *f = *state;
    const int every[] = {1, 2, 4, 8};
    double nb[4], best = -1e300;
    int ibest = -1;
    for (int i = 0; i < 4; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}\n"
                 "arms: [{name: needling, protocol: [{event: microneedling, needle_length: 1.5 mm,"
                 " density: 150 1/cm^2, passes: 2, schedule: {count: 4, every: %d weeks}}]}]\n"
                 "simulation: {duration: 26 weeks, output_interval: 1 week}\n",
                 every[i]);
        exo_config cfg;
        exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
        nb[i] = net_benefit(r, EXO_RD_WRINKLES, -1);
        print_message("4 sessions %d weeks apart: wrinkles %+.2f %% at 6 months\n", every[i], -nb[i]);
        if (nb[i] > best) {
            best = nb[i];
            ibest = i;
        }
        exo_result_destroy(&r);
        exo_config_fini(f->ctx, &cfg);
    }
    if (!(ibest > 0 && ibest < 3))
        fail_msg("the best needling interval is %d weeks, an end of the range", every[ibest]);
    assert_true(nb[0] < best - 5.0); /* weekly sessions clearly worse */
}

/* The biology does not depend on the output times: the needling + serum
 * arm of examples/default.yaml recorded every 6 h and every 15 min agrees
 * within 1 % on every readout at day 1 and week 12 (before issue 11 item 6
 * records forced biology syncs, and inflammation at day 1 moved 6 %). */
static void output_times_do_not_move_the_biology(void **state)
{
    exo_test_fixture *f = *state;
    exo_result *r[2];
    exo_config cfg[2];
    const char *every[2] = {"6 h", "15 min"};
    for (int i = 0; i < 2; i++) {
        char yaml[1536];
        snprintf(yaml, sizeof yaml,
                 "skin: {region: cheek, age: 45 years, sex: female, phototype: III, condition: photoaged}\n"
                 "products: [{name: serum, origin: adipose_msc, size: {mode: 120 nm, gsd: 1.4, bins: 3},"
                 " concentration: 1e10 particles/mL, functional_fraction: 0.7, vehicle: serum}]\n"
                 "arms: [{name: needling, protocol: [{event: microneedling, needle_length: 1.0 mm,"
                 " density: 150 1/cm^2, passes: 2, schedule: 3 sessions 4 weeks apart},"
                 " {event: topical, product: serum, amount: 1 mg/cm^2, contact: 12 h,"
                 " schedule: 3 sessions 4 weeks apart}]}]\n"
                 "simulation: {duration: 12 weeks, output_interval: %s}\n",
                 every[i]);
        r[i] = run_text(f->ctx, f->u, yaml, &cfg[i]);
    }
    const double at[2] = {24.0, 12 * WEEK};
    double worst = 0;
    for (int j = 0; j < 2; j++)
        for (int k = 0; k < EXO_RD_COUNT; k++) {
            double a = rd_at(r[0], 0, at[j], k), b = rd_at(r[1], 0, at[j], k);
            double d = fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-12);
            worst = fmax(worst, d);
            if (d > 0.01)
                fail_msg("%s at %g h: %g (6-h records) vs %g (15-min records)", exo_readout_name(k), at[j], a, b);
        }
    print_message("6-h vs 15-min records: largest readout difference %.3g %%\n", 100 * worst);
    for (int i = 0; i < 2; i++) {
        exo_result_destroy(&r[i]);
        exo_config_fini(f->ctx, &cfg[i]);
    }
}

/* Hours the erythema index stays more than 10 % above its baseline: the
 * duration endpoint the validation studies read (exo_result_quantity). */
static double redness_hours(exo_test_fixture *f, const exo_result *r, int arm)
{
    exo_endpoint_cfg ep = {0};
    ep.quantity = EXO_Q_READOUT(EXO_RD_ERYTHEMA);
    ep.compare = EXO_CMP_DURATION;
    ep.threshold = 0.1;
    double h = NAN;
    if (exo_result_quantity(f->ctx, r, arm, &ep, &h) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    return h;
}

/* Redness lasts as long as its cause: the flare of a needling session fades
 * within hours (3-6 h after 1.5 mm, hkjdv2018), a non-ablative fractional
 * laser leaves a closed wound red for a day or two (social downtime ~2 d,
 * dermsurg2005), an ablative fractional CO2 wound stays red while granulation
 * tissue refills its columns, 1-2 weeks (lee2011: 10.4 d), longer for denser
 * and deeper columns. */
static void redness_lasts_as_long_as_its_wound(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *yaml =
        "skin: {region: cheek, age: 30 years, sex: female, phototype: III}\n"
        "arms:\n"
        "  - {name: needling, protocol: [{event: microneedling, needle_length: 1.5 mm, density: 150 1/cm^2,"
        " passes: 2, schedule: once}]}\n"
        "  - {name: non-ablative, protocol: [{event: laser, mode: non_ablative, zone_fraction: 0.1,"
        " zone_depth: 600 um, zone_width: 150 um, schedule: once}]}\n"
        "  - {name: ablative light, protocol: [{event: laser, zone_fraction: 0.05, zone_depth: 300 um,"
        " zone_width: 150 um, schedule: once}]}\n"
        "  - {name: ablative, protocol: [{event: laser, zone_fraction: 0.1, zone_depth: 600 um,"
        " zone_width: 150 um, schedule: once}]}\n"
        "simulation: {duration: 4 weeks, output_interval: 30 min}\n";
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    double h[4];
    for (int a = 0; a < 4; a++)
        h[a] = redness_hours(f, r, a);
    print_message("redness: needling %.1f h, non-ablative %.1f h, ablative 5 %%/300 um %.1f d, 10 %%/600 um %.1f d\n",
                  h[0], h[1], h[2] / 24, h[3] / 24);
    if (!(h[0] >= 1 && h[0] <= 12))
        fail_msg("needling redness lasts %.1f h, not hours", h[0]);
    if (!(h[1] > h[0] && h[1] <= 72))
        fail_msg("non-ablative laser redness lasts %.1f h, not a day or two", h[1]);
    if (!(h[3] >= 5 * 24 && h[3] <= 21 * 24))
        fail_msg("ablative fractional CO2 redness lasts %.1f d, not 1-2 weeks", h[3] / 24);
    assert_true(h[2] < h[3]); /* lighter columns heal sooner */
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* The wheal of an intradermal injection (issue 12): the injected fluid
 * thickens the dermis and is absorbed with its half-life (the raised wheal
 * halves every wheal_half_life), and its flare reddens the skin; both are
 * acute events that start within the hour and are gone within a day, and the
 * skin is back to baseline within days.  A topical film of the same product
 * raises neither. */
static void injection_wheal_swells_and_reddens_for_hours(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *yaml =
        "skin: {region: cheek, age: 40 years, sex: female}\n"
        "products: [{name: p, origin: umbilical_msc, concentration: 1e10 particles/mL, vehicle: solution}]\n"
        "arms:\n"
        "  - {name: injection, protocol: [{event: injection, product: p, volume: 0.05 mL, depth: 1 mm,"
        " points: 1 1/cm^2, schedule: once}]}\n"
        "  - {name: topical, protocol: [{event: topical, product: p, schedule: once}]}\n"
        "simulation: {duration: 4 days, output_interval: 15 min}\n";
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    const exo_arm_result *inj = &r->arms[0];
    /* absorption: the wheal halves over one half-life (rows every 15 min) */
    const double thalf = cfg.params.v[EXO_P_WHEAL_HALF_LIFE];
    int i1 = 4, i2 = 4 + (int)lround(4.0 * thalf); /* 1 h, 1 h + half-life */
    assert_true(inj->rows[i1].wheal > 0);
    assert_true(fabs(inj->rows[i2].wheal / inj->rows[i1].wheal - 0.5) < 1e-6);
    exo_adverse_event ev[16];
    bool wheal = false, red = false;
    int n = exo_result_adverse(r, 0, ev, 16);
    for (int e = 0; e < n && e < 16; e++) {
        bool w = !strcmp(ev[e].kind, "wheal"), rd = !strcmp(ev[e].kind, "redness");
        if (!w && !rd)
            continue;
        print_message("%s: onset %.2f h, lasts %.2f h, peak %.3g\n", ev[e].kind, 24 * ev[e].onset,
                      24 * ev[e].duration, ev[e].peak);
        assert_true(ev[e].onset < 1.0 / 24); /* within the hour */
        assert_true(ev[e].duration > 0.5 / 24 && ev[e].duration < 1.0); /* hours, not days */
        wheal = wheal || w;
        red = red || rd;
    }
    assert_true(wheal && red);
    /* back to baseline within days: thickness and redness within 1 % */
    const exo_row *first = &inj->rows[0], *end = &inj->rows[inj->n_rows - 1];
    for (int k = 0; k < 2; k++) {
        int rd = k ? EXO_RD_US_THICKNESS : EXO_RD_ERYTHEMA;
        assert_true(fabs(end->rd[rd] / first->rd[rd] - 1) < 0.01);
    }
    /* a film of the product on the skin: no wheal, no redness */
    n = exo_result_adverse(r, 1, ev, 16);
    for (int e = 0; e < n && e < 16; e++)
        assert_true(strcmp(ev[e].kind, "wheal") && strcmp(ev[e].kind, "redness"));
    for (int i = 0; i < r->arms[1].n_rows; i++)
        assert_true(r->arms[1].rows[i].wheal == 0);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Daily ambient sun (skin.ambient_uv, issue 12): a chronic suberythemal dose
 * tans the skin within weeks, keeps it slightly redder and lowers the
 * procollagen fibroblasts make (Fisher 2000: daily exposures sustain the
 * fall); each change exceeds its instrument's minimal detectable difference
 * or, for procollagen, a few %.  An explicit 0 MED/day is the default: the
 * run is the same to the bit. */
static void daily_ambient_uv_tans_reddens_and_lowers_procollagen(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *yaml =
        "arms:\n"
        "  - {name: sun, skin: {age: 40 years, phototype: II, ambient_uv: 0.3 MED/day}, protocol: []}\n"
        "  - {name: indoors, skin: {age: 40 years, phototype: II}, protocol: []}\n"
        "  - {name: zero, skin: {age: 40 years, phototype: II, ambient_uv: 0 MED/day}, protocol: []}\n"
        "simulation: {duration: 8 weeks, output_interval: 1 day}\n";
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    const exo_arm_result *sun = &r->arms[0], *in = &r->arms[1], *zero = &r->arms[2];
    const double *s0 = sun->rows[0].rd, *s1 = sun->rows[sun->n_rows - 1].rd;
    const double *i0 = in->rows[0].rd, *i1 = in->rows[in->n_rows - 1].rd;
    print_message("8 weeks of 0.3 MED/day: melanin %+.1f AU, erythema %+.1f AU, procollagen %+.1f %% (indoors %+.2f %%)\n",
                  s1[EXO_RD_MELANIN] - s0[EXO_RD_MELANIN], s1[EXO_RD_ERYTHEMA] - s0[EXO_RD_ERYTHEMA],
                  100 * (s1[EXO_RD_PROCOLLAGEN] / s0[EXO_RD_PROCOLLAGEN] - 1),
                  100 * (i1[EXO_RD_PROCOLLAGEN] / i0[EXO_RD_PROCOLLAGEN] - 1));
    assert_true(s1[EXO_RD_MELANIN] - s0[EXO_RD_MELANIN] > exo_readout_mdd(EXO_RD_MELANIN));
    assert_true(s1[EXO_RD_ERYTHEMA] - s0[EXO_RD_ERYTHEMA] > exo_readout_mdd(EXO_RD_ERYTHEMA));
    assert_true(s1[EXO_RD_BLOOD_FLOW] > s0[EXO_RD_BLOOD_FLOW]); /* the UV response dilates and multiplies vessels */
    assert_true(s1[EXO_RD_PROCOLLAGEN] < 0.97 * i1[EXO_RD_PROCOLLAGEN]);
    assert_true(fabs(i1[EXO_RD_MELANIN] - i0[EXO_RD_MELANIN]) < 1.0); /* indoors: no tan */
    assert_int_equal(zero->n_rows, in->n_rows);
    for (int i = 0; i < in->n_rows; i++)
        assert_memory_equal(zero->rows[i].rd, in->rows[i].rd, sizeof in->rows[i].rd);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Superficial vessels (docs/biology.md, "Superficial vessels"): untreated
 * skin keeps the vessel state of its condition for a year.  Healthy skin
 * reads 100 % of the blood flow of healthy young skin (its resting
 * inflammation dilates by < 0.1 %), photo-aged skin vessel_photoaged times
 * that and rosacea at least vessel_rosacea times it, above healthy skin by
 * more than the instrument tells from noise, and redder. */
static void untreated_vessels_keep_their_condition_baseline(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *yaml =
        "arms:\n"
        "  - {name: healthy, skin: {region: cheek, age: 45 years, condition: none}, protocol: []}\n"
        "  - {name: photoaged, skin: {region: cheek, age: 45 years, condition: photoaged}, protocol: []}\n"
        "  - {name: rosacea, skin: {region: cheek, age: 45 years, condition: rosacea}, protocol: []}\n"
        "simulation: {duration: 52 weeks, output_interval: 4 weeks}\n";
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    double flow[3], red[3];
    for (int a = 0; a < 3; a++) {
        flow[a] = rd_at(r, a, 0, EXO_RD_BLOOD_FLOW);
        red[a] = rd_at(r, a, 0, EXO_RD_ERYTHEMA);
        for (int w = 4; w <= 52; w += 4) {
            double fw = rd_at(r, a, w * WEEK, EXO_RD_BLOOD_FLOW), ew = rd_at(r, a, w * WEEK, EXO_RD_ERYTHEMA);
            if (fabs(fw / flow[a] - 1) > 1e-4 || fabs(ew / red[a] - 1) > 1e-4)
                fail_msg("%s: blood flow %g -> %g, erythema %g -> %g at week %d untreated", r->arms[a].name, flow[a],
                         fw, red[a], ew, w);
        }
    }
    print_message("untreated blood flow: healthy %.2f, photo-aged %.2f, rosacea %.2f %%; erythema %.1f, %.1f, %.1f AU\n",
                  flow[0], flow[1], flow[2], red[0], red[1], red[2]);
    const double *p = cfg.params.v;
    assert_true(fabs(flow[0] / 100.0 - 1) < 1e-3);
    assert_true(fabs(flow[1] / flow[0] / p[EXO_P_VESSEL_PHOTOAGED] - 1) < 1e-3);
    assert_true(flow[2] >= 100.0 * p[EXO_P_VESSEL_ROSACEA]);
    assert_true(flow[2] - flow[0] > exo_readout_mdd(EXO_RD_BLOOD_FLOW));
    assert_true(red[2] - red[0] > exo_readout_mdd(EXO_RD_ERYTHEMA));
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Two clocks of redness (asj2021_mn_bloodflow_300um): after each of 4
 * monthly 1.5 mm needling sessions the skin is redder a day later than the
 * day before (flare and inflammation: days) and that rise is gone within a
 * week, while the remodelling that follows prunes the superficial vessels:
 * 3 months after the last session blood flow is more than 10 % below its
 * baseline (reported -25.8 %) and the erythema index below its own, where
 * the untreated arm has not moved. */
static void needling_lowers_blood_flow_for_months_while_redness_rises_for_days(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    const char *yaml =
        "skin: {region: cheek, age: 55 years, sex: female, condition: photoaged}\n"
        "arms:\n"
        "  - {name: needling, protocol: [{event: microneedling, needle_length: 1.5 mm, density: 150 1/cm^2,"
        " passes: 2, schedule: 4 sessions 4 weeks apart}]}\n"
        "  - {name: untreated, protocol: []}\n"
        "simulation: {duration: 24 weeks, output_interval: 1 day}\n";
    exo_result *r = run_text(f->ctx, f->u, yaml, &cfg);
    const double day = 24.0, end = 24 * WEEK;
    const double flow0 = rd_at(r, 0, 0, EXO_RD_BLOOD_FLOW), red0 = rd_at(r, 0, 0, EXO_RD_ERYTHEMA);
    for (int s = 0; s < 4; s++) {
        double t = 4 * s * WEEK;
        double before = s ? rd_at(r, 0, t - day, EXO_RD_ERYTHEMA) : red0;
        double after = rd_at(r, 0, t + day, EXO_RD_ERYTHEMA), week = rd_at(r, 0, t + 7 * day, EXO_RD_ERYTHEMA);
        print_message("session %d: erythema %.1f the day before, %.1f a day after, %.1f a week after; blood flow %.1f\n",
                      s + 1, before, after, week, rd_at(r, 0, t + 7 * day, EXO_RD_BLOOD_FLOW));
        if (!(after > before && week < before))
            fail_msg("session %d: erythema %g before, %g a day after, %g a week after", s + 1, before, after, week);
    }
    const double flow = rd_at(r, 0, end, EXO_RD_BLOOD_FLOW), red = rd_at(r, 0, end, EXO_RD_ERYTHEMA);
    print_message("3 months after the last session: blood flow %+.1f %%, erythema %+.1f %%\n", 100 * (flow / flow0 - 1),
                  100 * (red / red0 - 1));
    assert_true(flow < 0.9 * flow0);
    assert_true(red < red0);
    assert_true(fabs(rd_at(r, 1, end, EXO_RD_BLOOD_FLOW) / rd_at(r, 1, 0, EXO_RD_BLOOD_FLOW) - 1) < 1e-4);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(untreated_state_is_stable, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_year_untreated_is_ageing_only, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_trace_dose_does_nothing, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(topical_dose_response_is_monotone_and_below_needling, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(fractional_co2_remodels_over_months, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(dense_ablation_keeps_building_for_a_year, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(needling_gains_last_a_year, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(injection_dose_has_an_interior_optimum, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(needling_interval_has_an_interior_optimum, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_session_days_after_the_last_tears_only_its_area, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(fractional_sessions_days_apart_add_up, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(output_times_do_not_move_the_biology, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(daily_ambient_uv_tans_reddens_and_lowers_procollagen, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(injection_wheal_swells_and_reddens_for_hours, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(redness_lasts_as_long_as_its_wound, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(untreated_vessels_keep_their_condition_baseline, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(needling_lowers_blood_flow_for_months_while_redness_rises_for_days,
                                        exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
