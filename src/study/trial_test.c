/* trial_test.c - virtual trials (exo_trial_run): the statistics against
 * textbook values (Student's sleep data as in R), the sample-size rule,
 * determinism and independence of a patient's result from the cohort size,
 * split-face patients sharing their parameters, zero spread without
 * variability, drawn parameters inside their table ranges, and the `trial:`
 * block round-tripping through exo_config_to_yaml. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

/* A tiny scenario: one topical session, one week; `design` and `extra`
 * complete the trial block. */
static const char *tiny_fmt =
    "name: tiny\n"
    "seed: 7\n"
    "skin: {age: 45 years, sex: female, phototype: III, condition: photoaged}\n"
    "products:\n"
    "  - {name: p, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: serum}\n"
    "arms:\n"
    "  - name: a\n"
    "    protocol:\n"
    "      - {event: topical, product: p, amount: 1 mg/cm^2, contact: 12 h, schedule: once}\n"
    "%s"
    "simulation: {duration: 1 week, output_interval: 1 day, profile_times: [1 week]}\n"
    "trial:\n"
    "  design: %s\n"
    "  patients: %d\n"
    "  visits: [3 days, 1 week]\n"
    "  endpoint: tewl\n"
    "  responder_threshold: -5\n"
    "  population: %s\n";

static const char *second_arm =
    "  - name: b\n"
    "    protocol:\n"
    "      - {event: microneedling, needle_length: 0.5 mm, density: 150 1/cm^2, passes: 1, schedule: once}\n";

static const char *varied = "{age: {mean: 45 years, sd: 8 years, min: 25 years, max: 70 years}, "
                            "female_fraction: 0.5, phototypes: [II, III, IV], variability: 0.2}";

#include "core/test_fixture.h"

typedef exo_test_fixture fixture;

/* Without between-patient spread of the skin's age and the erythema index. */
static const char *no_baseline_spread = "parameters: {skin_age_patient_sd: 0 years, erythema_index_patient_sd: 0}\n";

static void load_with(fixture *f, bool two_arms, const char *extra, const char *design, int patients,
                      const char *population, exo_config *cfg)
{
    char text[4096], arms[1024];
    snprintf(arms, sizeof arms, "%s%s", two_arms ? second_arm : "", extra);
    snprintf(text, sizeof text, tiny_fmt, arms, design, patients, population);
    exo_status st = exo_config_load_buffer(f->ctx, f->u, "tiny.yaml", text, strlen(text), NULL, 0, cfg);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
}

static void load(fixture *f, bool two_arms, const char *design, int patients, const char *population,
                 exo_config *cfg)
{
    load_with(f, two_arms, "", design, patients, population, cfg);
}

static void test_paired_sleep(void **state)
{
    fixture *f = *state;
    exo_trial_ttest t;
    assert_int_equal(exo_trial_ttest_paired(f->ctx, sleep1, sleep2, 10, &t), EXO_OK);
    assert_true(fabs(t.t - (-4.0621)) < 5e-4);
    assert_true(fabs(t.df - 9) < 1e-12);
    assert_true(fabs(t.p - 0.002833) < 5e-6);
    assert_true(fabs(t.mean_diff - (-1.58)) < 1e-12);
    /* R: 95 % CI -2.4598858 -0.7001142 */
    assert_true(fabs(t.ci_lo - (-2.4598858)) < 1e-6 && fabs(t.ci_hi - (-0.7001142)) < 1e-6);
    /* d_z = mean / SD of the differences = -1.58 / 1.229995 */
    assert_true(fabs(t.d - (-1.58 / 1.2299955)) < 1e-5);
}

static void test_welch_sleep(void **state)
{
    fixture *f = *state;
    exo_trial_ttest t;
    assert_int_equal(exo_trial_ttest_welch(f->ctx, sleep1, 10, sleep2, 10, &t), EXO_OK);
    assert_true(fabs(t.t - (-1.8608)) < 5e-4);
    assert_true(fabs(t.df - 17.776) < 5e-4);
    assert_true(fabs(t.p - 0.07939) < 5e-6);
    /* R: 95 % CI -3.3654832 0.2054832 */
    assert_true(fabs(t.ci_lo - (-3.3654832)) < 1e-6 && fabs(t.ci_hi - 0.2054832) < 1e-6);
    /* pooled SD with equal n = sqrt((s1^2 + s2^2) / 2) = sqrt((3.200556 + 4.009000) / 2) */
    assert_true(fabs(t.d - (-1.58 / sqrt((3.200556 + 4.009000) / 2))) < 1e-5);
    /* no spread: a status, not a division by zero */
    const double same[] = {1, 1, 1};
    assert_int_equal(exo_trial_ttest_welch(f->ctx, same, 3, same, 3, &t), EXO_ENUMERIC);
    assert_int_equal(exo_trial_ttest_paired(f->ctx, same, same, 3, &t), EXO_ENUMERIC);
}

static void test_summary(void **state)
{
    (void)state;
    exo_trial_summary s;
    exo_trial_summarize(sleep1, 10, &s);
    /* R: mean 0.75, sd 1.78901, t.test CI -0.5297804 2.0297804 */
    assert_int_equal(s.n, 10);
    assert_true(fabs(s.mean - 0.75) < 1e-12);
    assert_true(fabs(s.sd - 1.789010) < 1e-6);
    assert_true(fabs(s.ci_lo - (-0.5297804)) < 1e-6 && fabs(s.ci_hi - 2.0297804) < 1e-6);
}

/* n = ceil(k ((z_0.975 + z_0.8) / d)^2) + 1 with k = 1 (pairs) or 2 (per arm):
 * d = 0.5: 31.40 -> 32 + 1 = 33 pairs; 62.79 -> 63 + 1 = 64 per arm (R's
 * power.t.test gives 63.77 per arm). */
static void test_sample_size(void **state)
{
    (void)state;
    assert_int_equal(exo_trial_sample_size(0.5, true), 33);
    assert_int_equal(exo_trial_sample_size(-0.5, true), 33);
    assert_int_equal(exo_trial_sample_size(0.5, false), 64);
    assert_int_equal(exo_trial_sample_size(1.0, true), 9);
    assert_int_equal(exo_trial_sample_size(0.0, true), -1);
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(fp);
    return s;
}

static void run_and_write(fixture *f, const exo_config *cfg, const char *dir, char **csv)
{
    exo_trial_result *r = NULL;
    char path[600];
    if (exo_trial_run(f->ctx, f->u, cfg, NULL, NULL, &r) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    if (exo_trial_write(f->ctx, r, "x: 1\n", dir, true) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    snprintf(path, sizeof path, "%s/patients.csv", dir);
    *csv = read_all(path);
    assert_non_null(*csv);
    exo_trial_destroy(f->ctx, &r);
}

static void remove_result(const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/patients.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/trial.json", dir);
    unlink(path);
    rmdir(dir);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    char dir[256], *a = NULL, *b = NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/exo_trial_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    rmdir(dir);
    load(f, false, "single_arm", 3, varied, &cfg);
    run_and_write(f, &cfg, dir, &a);
    run_and_write(f, &cfg, dir, &b);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "tewl baseline [g/m^2/h]"));
    free(a);
    free(b);
    remove_result(dir);
    exo_config_fini(f->ctx, &cfg);
}

/* Patient 3 of a 4-patient trial is patient 3 of a 6-patient trial. */
static void test_cohort_size(void **state)
{
    fixture *f = *state;
    exo_config c4, c6;
    exo_trial_result *r4 = NULL, *r6 = NULL;
    load(f, false, "single_arm", 4, varied, &c4);
    load(f, false, "single_arm", 6, varied, &c6);
    assert_int_equal(exo_trial_run(f->ctx, f->u, &c4, NULL, NULL, &r4), EXO_OK);
    assert_int_equal(exo_trial_run(f->ctx, f->u, &c6, NULL, NULL, &r6), EXO_OK);
    assert_int_equal(r4->n_patients, 4);
    assert_int_equal(r6->n_patients, 6);
    const exo_trial_patient *p = &r4->patients[3], *q = &r6->patients[3];
    assert_int_equal(p->patient, 3);
    assert_int_equal(q->patient, 3);
    assert_true(p->age == q->age && p->sex == q->sex && p->phototype == q->phototype);
    assert_true(p->baseline == q->baseline);
    for (int v = 0; v < r4->n_visits; v++)
        assert_true(p->value[v] == q->value[v] && p->change[v] == q->change[v]);
    /* the cohort is not one patient repeated */
    bool differ = false;
    for (int i = 1; i < r6->n_patients; i++)
        differ = differ || r6->patients[i].baseline != r6->patients[0].baseline;
    assert_true(differ);
    /* the primary comparison of a single-arm trial: last visit vs baseline, paired */
    assert_true(r6->primary.present && r6->primary.paired);
    assert_true(r6->primary.sample_size >= 3);
    exo_trial_destroy(f->ctx, &r4);
    exo_trial_destroy(f->ctx, &r6);
    exo_config_fini(f->ctx, &c4);
    exo_config_fini(f->ctx, &c6);
}

static void test_split_face(void **state)
{
    fixture *f = *state;
    exo_config cfg, p0, p1;
    exo_arm_cfg a0, a1;
    exo_endpoint_cfg v0[EXO_TRIAL_MAX_VISITS], v1[EXO_TRIAL_MAX_VISITS];
    double lo[EXO_P_COUNT], hi[EXO_P_COUNT];
    load(f, true, "split_face", 3, varied, &cfg);
    assert_int_equal(exo_trial_param_ranges(f->ctx, f->u, lo, hi), EXO_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(exo_trial_patient_config(f->ctx, &cfg, lo, hi, i, 0, &p0, &a0, v0), EXO_OK);
        assert_int_equal(exo_trial_patient_config(f->ctx, &cfg, lo, hi, i, 1, &p1, &a1, v1), EXO_OK);
        assert_true(p0.skin.age == p1.skin.age && p0.skin.sex == p1.skin.sex);
        assert_true(a0.skin.age == a1.skin.age && a0.skin.h_total == a1.skin.h_total);
        assert_memory_equal(p0.params.v, p1.params.v, sizeof p0.params.v);
        assert_string_equal(p0.arms[0].name, "a");
        assert_string_equal(p1.arms[0].name, "b");
        assert_int_equal(p0.n_arms, 1);
    }
    exo_trial_result *r = NULL;
    assert_int_equal(exo_trial_run(f->ctx, f->u, &cfg, NULL, NULL, &r), EXO_OK);
    assert_int_equal(r->n_patients, 6);
    for (int i = 0; i < 3; i++) {
        const exo_trial_patient *s0 = &r->patients[2 * i], *s1 = &r->patients[2 * i + 1];
        assert_int_equal(s0->patient, s1->patient);
        assert_int_equal(s0->arm, 0);
        assert_int_equal(s1->arm, 1);
        assert_true(s0->age == s1->age);
    }
    /* the tiny arms differ too little at these visits for a test, but when
     * there is one it is paired */
    assert_true(!r->primary.present || r->primary.paired);
    exo_trial_destroy(f->ctx, &r);
    exo_config_fini(f->ctx, &cfg);
}

static void test_no_variability(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_trial_result *r = NULL;
    /* the posterior draw is shared by every patient: no spread either */
    load_with(f, true, no_baseline_spread, "parallel", 3,
              "{age: {mean: 50 years, sd: 0 years}, female_fraction: 1, phototypes: [III], variability: 0}", &cfg);
    assert_int_equal(exo_trial_run(f->ctx, f->u, &cfg, NULL, NULL, &r), EXO_OK);
    assert_int_equal(r->n_patients, 6);
    for (int a = 0; a < 2; a++) {
        assert_int_equal(r->arms[a].baseline.n, 3);
        assert_true(r->arms[a].baseline.sd == 0);
        for (int v = 0; v < r->n_visits; v++)
            assert_true(r->arms[a].value[v].sd == 0 && r->arms[a].change[v].sd == 0);
    }
    /* patient ids are distinct across the arms of a parallel trial */
    for (int i = 0; i < r->n_patients; i++)
        for (int j = i + 1; j < r->n_patients; j++)
            assert_int_not_equal(r->patients[i].patient, r->patients[j].patient);
    assert_true(r->patients[0].age == 50.0);
    assert_false(r->primary.present); /* nothing to test without spread */
    exo_trial_destroy(f->ctx, &r);
    exo_config_fini(f->ctx, &cfg);
}

static void test_param_ranges(void **state)
{
    fixture *f = *state;
    exo_config cfg, pc;
    exo_arm_cfg arm;
    exo_endpoint_cfg vis[EXO_TRIAL_MAX_VISITS];
    double lo[EXO_P_COUNT], hi[EXO_P_COUNT];
    const exo_param_info *table = exo_param_table();
    load(f, false, "single_arm", 2,
         "{age: {mean: 60 years, sd: 30 years, min: 18 years, max: 100 years}, variability: 1, "
         "parameter_uncertainty: 1}",
         &cfg);
    assert_int_equal(exo_trial_param_ranges(f->ctx, f->u, lo, hi), EXO_OK);
    int moved = 0, at_bound = 0;
    for (int i = 0; i < 300; i++) {
        assert_int_equal(exo_trial_patient_config(f->ctx, &cfg, lo, hi, i, 0, &pc, &arm, vis), EXO_OK);
        assert_true(pc.skin.age >= 18.0 && pc.skin.age <= 100.0);
        assert_true(pc.skin.h_total > pc.skin.h_sc + pc.skin.h_ve + pc.skin.h_pap + 100.0);
        for (int p = 0; p < EXO_P_COUNT; p++) {
            double v = pc.params.v[p];
            assert_true(v >= lo[p] * (1 - 1e-12) - 1e-300 && v <= hi[p] * (1 + 1e-12) + 1e-300);
            if (!table[p].estimate && p != EXO_P_EI_BASE) /* EI_BASE: its own between-patient spread */
                assert_true(v == cfg.params.v[p]);
            else {
                moved += v != cfg.params.v[p];
                at_bound += v == lo[p] || v == hi[p];
            }
        }
    }
    assert_true(moved > 0);
    assert_true(at_bound > 0); /* sigma 1 + 1 reaches the bounds: the clamp is exercised */
    exo_config_fini(f->ctx, &cfg);
}

/* The posterior draw is one per trial, keyed by the seed: with every
 * between-patient spread off, trials of other seeds agree exactly on the
 * parameter table (population.posterior: false) and differ with the
 * posterior on, while the patients of one trial still agree with each other;
 * with the spreads on, the spread of the arm means over seeds grows when the
 * posterior is added.  Arm b (needling) moves TEWL through posterior
 * parameters (barrier recovery, needle barrier loss). */
static double arm_b_mean(fixture *f, const char *extra, const char *population, uint64_t seed, double *within_sd)
{
    exo_config cfg;
    exo_trial_result *r = NULL;
    load_with(f, true, extra, "parallel", 2, population, &cfg);
    cfg.seed = seed;
    if (exo_trial_run(f->ctx, f->u, &cfg, NULL, NULL, &r) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    double m = r->arms[1].change[0].mean;
    *within_sd = r->arms[1].change[0].sd;
    exo_trial_destroy(f->ctx, &r);
    exo_config_fini(f->ctx, &cfg);
    return m;
}

static double sd_of(const double *x, int n)
{
    double m = 0, s = 0;
    for (int i = 0; i < n; i++)
        m += x[i] / n;
    for (int i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m) / (n - 1);
    return sqrt(s);
}

static void test_posterior_spread(void **state)
{
    fixture *f = *state;
    enum { SEEDS = 5 };
    static const char *fixed_off = "{age: {mean: 50 years, sd: 0 years}, variability: 0, posterior: false}";
    static const char *fixed_on = "{age: {mean: 50 years, sd: 0 years}, variability: 0, posterior: true}";
    static const char *varied_off = "{age: {mean: 45 years, sd: 8 years, min: 25 years, max: 70 years}, "
                                    "variability: 0.1, posterior: false}";
    static const char *varied_on = "{age: {mean: 45 years, sd: 8 years, min: 25 years, max: 70 years}, "
                                   "variability: 0.1}"; /* posterior: true by default */
    double off[SEEDS], on[SEEDS], voff[SEEDS], von[SEEDS], within;
    for (int k = 0; k < SEEDS; k++) {
        off[k] = arm_b_mean(f, no_baseline_spread, fixed_off, 100 + (uint64_t)k, &within);
        assert_true(within == 0);
        on[k] = arm_b_mean(f, no_baseline_spread, fixed_on, 100 + (uint64_t)k, &within);
        assert_true(within == 0); /* one draw shared by the trial's patients */
        voff[k] = arm_b_mean(f, "", varied_off, 100 + (uint64_t)k, &within);
        von[k] = arm_b_mean(f, "", varied_on, 100 + (uint64_t)k, &within);
    }
    assert_true(sd_of(off, SEEDS) == 0);
    assert_true(sd_of(on, SEEDS) > 0);
    assert_true(sd_of(von, SEEDS) > sd_of(voff, SEEDS));
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    exo_config a, b;
    char *y1 = NULL, *y2 = NULL;
    load(f, true, "parallel", 5, varied, &a);
    assert_true(a.trial.present);
    assert_int_equal(a.trial.design, EXO_TRIAL_PARALLEL);
    assert_int_equal(a.trial.n_visits, 2);
    assert_int_equal(a.trial.n_phototypes, 3);
    assert_int_equal(exo_config_to_yaml(f->ctx, &a, &y1), EXO_OK);
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "rt.yaml", y1, strlen(y1), NULL, 0, &b), EXO_OK);
    assert_int_equal(exo_config_to_yaml(f->ctx, &b, &y2), EXO_OK);
    assert_string_equal(y1, y2);
    assert_memory_equal(&a.trial, &b.trial, sizeof a.trial);
    exo_free(f->ctx, y1);
    exo_free(f->ctx, y2);
    exo_config_fini(f->ctx, &a);
    exo_config_fini(f->ctx, &b);
}

static void test_bad_blocks(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {
        "trial: {design: split_face, patients: 4, endpoint: tewl, responder_threshold: -5}\n", /* 1 arm */
        "trial: {design: single_arm, patients: 1, endpoint: tewl, responder_threshold: -5}\n",
        "trial: {design: single_arm, patients: 4, endpoint: absorbed, responder_threshold: -5}\n",
        "trial: {design: single_arm, patients: 4, endpoint: tewl}\n",
        "trial: {design: single_arm, patients: 4, endpoint: tewl, responder_threshold: 0}\n",
        "trial: {design: single_arm, patients: 4, endpoint: tewl, responder_threshold: -5, visits: [2 weeks]}\n",
        "trial: {design: single_arm, patients: 4, endpoint: tewl, responder_threshold: -5, "
        "population: {age: {min: 60 years, max: 50 years}}}\n",
        "trial: {design: single_arm, patients: 4, endpoint: tewl, responder_threshold: -5, "
        "population: {variability: 2}}\n",
    };
    const char *head = "arms:\n  - {name: a, protocol: []}\nsimulation: {duration: 1 week}\n";
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[1024];
        exo_config cfg;
        snprintf(text, sizeof text, "%s%s", head, bad[i]);
        exo_status st = exo_config_load_buffer(f->ctx, f->u, "bad.yaml", text, strlen(text), NULL, 0, &cfg);
        if (st != EXO_EINPUT)
            fail_msg("case %zu: status %d", i, (int)st);
        assert_non_null(strstr(exo_ctx_last_error(f->ctx), "trial"));
    }
}

/* A trial split into parts (as across MPI ranks): each part fills only its
 * rows (i % parts == part), the others stay zero; the rows merged and
 * finished give the whole run's rows and statistics bit for bit. */
static void test_parts(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    exo_trial_result *whole = NULL;
    load(f, true, "parallel", 3, varied, &cfg);
    assert_int_equal(exo_trial_run(f->ctx, f->u, &cfg, NULL, NULL, &whole), EXO_OK);
    int n = whole->n_patients, nv = whole->n_visits;
    for (int parts = 1; parts <= 4; parts++) {
        exo_trial_result *merged = NULL;
        for (int k = 0; k < parts; k++) {
            exo_trial_result *r = NULL;
            int first_bad = 0;
            assert_int_equal(exo_trial_run_part(f->ctx, f->u, &cfg, k, parts, NULL, NULL, &first_bad, &r), EXO_OK);
            assert_int_equal(first_bad, n);
            assert_int_equal(r->n_patients, n);
            for (int i = 0; i < n; i++) {
                exo_trial_patient *p = &r->patients[i];
                if (i % parts != k) {
                    assert_true(p->baseline == 0 && p->patient == 0);
                    continue;
                }
                if (!merged)
                    continue;
                exo_trial_patient *q = &merged->patients[i];
                double *v = q->value, *c = q->change;
                *q = *p;
                q->value = v;
                q->change = c;
                memcpy(v, p->value, (size_t)nv * sizeof *v);
                memcpy(c, p->change, (size_t)nv * sizeof *c);
            }
            if (!merged)
                merged = r;
            else
                exo_trial_destroy(f->ctx, &r);
        }
        assert_int_equal(exo_trial_finish(f->ctx, merged), EXO_OK);
        for (int i = 0; i < n; i++) {
            const exo_trial_patient *p = &whole->patients[i], *q = &merged->patients[i];
            assert_true(p->patient == q->patient && p->arm == q->arm && p->age == q->age && p->sex == q->sex &&
                        p->phototype == q->phototype && p->baseline == q->baseline &&
                        p->serious_ae == q->serious_ae && p->p_serious == q->p_serious);
            assert_memory_equal(p->value, q->value, (size_t)nv * sizeof(double));
            assert_memory_equal(p->change, q->change, (size_t)nv * sizeof(double));
        }
        for (int a = 0; a < whole->n_arms; a++) {
            for (int v = -1; v < nv; v++) {
                const exo_trial_summary *x = v < 0 ? &whole->arms[a].baseline : &whole->arms[a].change[v];
                const exo_trial_summary *y = v < 0 ? &merged->arms[a].baseline : &merged->arms[a].change[v];
                assert_true(x->n == y->n && x->mean == y->mean && x->sd == y->sd && x->ci_lo == y->ci_lo &&
                            x->ci_hi == y->ci_hi);
            }
            assert_true(whole->arms[a].mean_p_serious == merged->arms[a].mean_p_serious);
        }
        assert_true(whole->primary.present == merged->primary.present);
        assert_true(whole->primary.test.t == merged->primary.test.t && whole->primary.test.p == merged->primary.test.p);
        exo_trial_destroy(f->ctx, &merged);
    }
    exo_trial_result *r = NULL;
    int first_bad = 0;
    assert_int_equal(exo_trial_run_part(f->ctx, f->u, &cfg, 2, 2, NULL, NULL, &first_bad, &r), EXO_EINVAL);
    assert_null(r);
    exo_trial_destroy(f->ctx, &whole);
    exo_config_fini(f->ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paired_sleep, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_welch_sleep, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_summary, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_sample_size, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_cohort_size, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_parts, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_split_face, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_no_variability, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_param_ranges, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_posterior_spread, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(test_bad_blocks, exo_test_setup, exo_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
