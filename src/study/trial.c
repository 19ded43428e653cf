/* trial.c - virtual trials (docs/trials.md): per-patient configurations
 * drawn from the counter-based random stream, one column run per patient
 * and arm, and the per-arm, per-visit statistics of the endpoint.
 *
 * Visits other than the end of the run are read from recorded rows: the
 * patient's copy of the config carries a study block whose endpoint and
 * checks are the visits, and the engine records a row at every study time
 * (besides the output interval and the profile times), so
 * exo_result_quantity reads each visit exactly. */
#include <exoskin/exo_posterior.h>
#include <exoskin/exo_trial.h>

#include "input/input_impl.h"
#include "study/trial_checkpoint.h"
#include "study/study_impl.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Purposes of the random streams (arbitrary distinct constants). */
#define PURPOSE_AGE 0x7472690001ull
#define PURPOSE_SEX 0x7472690002ull
#define PURPOSE_PHOTOTYPE 0x7472690003ull
#define PURPOSE_VARIABILITY 0x7472690004ull
#define PURPOSE_UNCERTAINTY 0x7472690005ull
#define PURPOSE_SEED 0x7472690006ull
#define PURPOSE_SKIN_AGE 0x7472690007ull
#define PURPOSE_ERYTHEMA 0x7472690008ull
/* The trial's draw of the posterior: draw 1 of the trial seed, the same
 * parameters as the first draw of `exoskin run --draws` with that seed. */
#define POSTERIOR_DRAW 1

exo_status exo_trial_param_ranges(exo_ctx *ctx, exo_units *u, double *lo, double *hi)
{
    const exo_param_info *table = exo_param_table();
    for (int i = 0; i < EXO_P_COUNT; i++) {
        const exo_param_info *row = &table[i];
        lo[i] = row->min;
        hi[i] = row->max;
        if (strcmp(row->internal, "1") == 0 || strcmp(row->unit, row->internal) == 0)
            continue;
        if (exo_units_convert(u, row->min, row->unit, row->internal, &lo[i]) != EXO_OK ||
            exo_units_convert(u, row->max, row->unit, row->internal, &hi[i]) != EXO_OK)
            return exo_ctx_error(ctx, EXO_EINVAL, "parameter %s: the table's unit '%s' does not convert to '%s'",
                                 row->key, row->unit, row->internal);
    }
    return EXO_OK;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Truncated normal by inversion of the uniform onto [Phi(a), Phi(b)]. */
static double draw_age(const exo_trial_cfg *t, uint64_t seed, uint64_t id)
{
    double age = t->age_mean;
    if (t->age_sd > 0) {
        double a = gsl_cdf_ugaussian_P((t->age_min - t->age_mean) / t->age_sd);
        double b = gsl_cdf_ugaussian_P((t->age_max - t->age_mean) / t->age_sd);
        double p = a + exo_rng_uniform(seed, PURPOSE_AGE, id, 0) * (b - a);
        if (b - a > 1e-12 && p > 0 && p < 1)
            age = t->age_mean + t->age_sd * gsl_cdf_ugaussian_Pinv(p);
    }
    return clamp(age, t->age_min, t->age_max);
}

exo_status exo_trial_patient_config(exo_ctx *ctx, const exo_config *cfg, const double *lo, const double *hi,
                                    int patient, int arm, exo_config *out, exo_arm_cfg *arm_out,
                                    exo_endpoint_cfg *visits)
{
    const exo_trial_cfg *t = &cfg->trial;
    if (!t->present || arm < 0 || arm >= cfg->n_arms || patient < 0 || t->n_visits < 1 ||
        t->n_visits > EXO_TRIAL_MAX_VISITS || t->n_phototypes < 1 || t->n_phototypes > 6)
        return exo_ctx_error(ctx, EXO_EINVAL, "trial: no trial block, or patient %d / arm %d out of range",
                             patient, arm);
    uint64_t seed = cfg->seed, id = (uint64_t)patient;
    *out = *cfg;
    *arm_out = cfg->arms[arm];

    /* skin: the arm's skin with the patient's age, sex and phototype; the
     * whole-skin thickness follows the preset's change with age and sex */
    exo_skin_cfg skin = arm_out->skin;
    double age = draw_age(t, seed, id);
    /* the skin's own age: the patient's age plus a between-patient offset
     * (skin_age_patient_sd), which sets the baseline structure and grade */
    double sd_age = cfg->params.v[EXO_P_SKIN_AGE_PATIENT_SD];
    if (sd_age > 0)
        age = clamp(age + sd_age * gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, PURPOSE_SKIN_AGE, id, 0)), 18.0,
                    100.0);
    exo_sex sex = exo_rng_uniform(seed, PURPOSE_SEX, id, 0) < t->female_fraction ? EXO_SEX_FEMALE : EXO_SEX_MALE;
    int k = (int)(exo_rng_uniform(seed, PURPOSE_PHOTOTYPE, id, 0) * t->n_phototypes);
    double h0 = exo__skin_thickness_preset(skin.region, skin.sex, skin.age);
    double h1 = exo__skin_thickness_preset(skin.region, sex, age);
    skin.h_total *= h1 / h0;
    double floor_um = skin.h_sc + skin.h_ve + skin.h_pap + 101.0 * EXO_UM;
    if (skin.h_total < floor_um)
        skin.h_total = floor_um;
    skin.age = age;
    skin.sex = sex;
    skin.phototype = t->phototypes[k < t->n_phototypes ? k : t->n_phototypes - 1];
    arm_out->skin = skin;
    out->skin = skin;

    /* estimate parameters: median at the configured value, log-normal with
     * one trial-wide draw (uncertainty) and one per patient (variability) */
    const exo_param_info *table = exo_param_table();
    if (t->variability > 0 || t->parameter_uncertainty > 0) {
        for (int p = 0; p < EXO_P_COUNT; p++) {
            if (!table[p].estimate)
                continue;
            double z_u = gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, PURPOSE_UNCERTAINTY, 0, (uint64_t)p));
            double z_v = gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, PURPOSE_VARIABILITY, id, (uint64_t)p));
            double v = cfg->params.v[p] * exp(t->parameter_uncertainty * z_u + t->variability * z_v);
            out->params.v[p] = clamp(v, lo[p], hi[p]);
        }
    }
    /* between-patient spread of baseline readouts that no state sets */
    double sd_ei = cfg->params.v[EXO_P_EI_BASE_PATIENT_SD];
    if (sd_ei > 0) {
        double z = gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, PURPOSE_ERYTHEMA, id, 0));
        out->params.v[EXO_P_EI_BASE] = clamp(cfg->params.v[EXO_P_EI_BASE] * exp(sd_ei * z), lo[EXO_P_EI_BASE],
                                             hi[EXO_P_EI_BASE]);
    }

    /* the patient's own stream for the rare adverse events */
    out->seed = exo_rng_u64(seed, PURPOSE_SEED, id, 0) >> 1;
    out->n_arms = 1;
    out->arms = arm_out;

    /* the visits as study times, so that the engine records them */
    for (int v = 0; v < t->n_visits; v++)
        visits[v] = (exo_endpoint_cfg){.quantity = t->endpoint, .compare = EXO_CMP_VALUE, .arm = 0,
                                       .reference_arm = -1, .time = t->visits[v], .threshold = 0.1,
                                       .low = -INFINITY, .high = INFINITY};
    memset(&out->study, 0, sizeof out->study);
    out->study.present = true;
    snprintf(out->study.id, sizeof out->study.id, "trial patient %d", patient);
    out->study.endpoint = visits[t->n_visits - 1];
    out->study.n_checks = t->n_visits;
    out->study.checks = visits;
    return EXO_OK;
}

void exo_trial_destroy(exo_ctx *ctx, exo_trial_result **rp)
{
    if (!rp || !*rp)
        return;
    exo_trial_result *r = *rp;
    if (r->patients) {
        exo_free(ctx, r->patients[0].value);
        exo_free(ctx, r->patients[0].change);
    }
    exo_free(ctx, r->patients);
    if (r->arms) {
        exo_free(ctx, r->arms[0].value);
        exo_free(ctx, r->arms[0].change);
        exo_free(ctx, r->arms[0].responder_rate);
    }
    exo_free(ctx, r->arms);
    exo_free(ctx, r);
    *rp = NULL;
}

/* Row r -> patient id and arm.  Parallel arms interleave the ids so that
 * they are distinct across arms and do not depend on the number of patients. */
static void row_key(const exo_config *cfg, int r, int *patient, int *arm)
{
    const exo_trial_cfg *t = &cfg->trial;
    switch (t->design) {
    case EXO_TRIAL_PARALLEL:
        *arm = r / t->patients;
        *patient = (r % t->patients) * cfg->n_arms + *arm;
        break;
    case EXO_TRIAL_SPLIT_FACE:
        *patient = r / 2;
        *arm = r % 2;
        break;
    default:
        *patient = r;
        *arm = 0;
        break;
    }
}

static exo_status run_patient(exo_ctx *ctx, const exo_config *cfg, const double *lo, const double *hi, int r,
                              exo_trial_patient *row)
{
    exo_status st = EXO_OK;
    const exo_trial_cfg *t = &cfg->trial;
    exo_config pc;
    exo_arm_cfg arm;
    exo_endpoint_cfg visits[EXO_TRIAL_MAX_VISITS];
    exo_result *res = NULL;
    int k = (int)t->endpoint - EXO_Q_READOUT_FIRST;
    row_key(cfg, r, &row->patient, &row->arm);
    EXO_TRY(exo_trial_patient_config(ctx, cfg, lo, hi, row->patient, row->arm, &pc, &arm, visits));
    row->age = draw_age(t, cfg->seed, (uint64_t)row->patient); /* the patient's age, not the skin's */
    row->sex = pc.skin.sex;
    row->phototype = pc.skin.phototype;
    EXO_TRY(exo_run(ctx, &pc, NULL, NULL, &res));
    double final;
    exo_result_readout(res, 0, k, &row->baseline, &final);
    if (row->baseline == 0) {
        st = exo_ctx_error(ctx, EXO_ENUMERIC, "trial: %s is 0 at baseline for patient %d (no %% change)",
                           exo_quantity_name(t->endpoint), row->patient);
        goto out;
    }
    for (int v = 0; v < t->n_visits; v++) {
        EXO_TRY(exo_result_quantity(ctx, res, 0, &visits[v], &row->value[v]));
        row->change[v] = 100.0 * (row->value[v] - row->baseline) / row->baseline;
    }
    exo_adverse_event ev[32];
    int nev = exo_result_adverse(res, 0, ev, 32);
    row->serious_ae = false;
    for (int e = 0; e < nev && e < 32; e++)
        row->serious_ae = row->serious_ae || ev[e].serious;
    row->p_serious = exo_result_serious_ae(res, 0);
out:
    exo_result_destroy(&res);
    return st;
}

static bool responds(double change, double threshold)
{
    return threshold < 0 ? change <= threshold : change >= threshold;
}

static exo_status summarize_arms(exo_ctx *ctx, exo_trial_result *r)
{
    const exo_trial_cfg *t = &r->cfg->trial;
    int nv = r->n_visits, n = r->n_patients;
    double *x = exo_alloc(ctx, (size_t)n, sizeof *x);
    if (!x)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the trial statistics");
    for (int a = 0; a < r->n_arms; a++) {
        exo_trial_arm *arm = &r->arms[a];
        int m = 0;
        for (int i = 0; i < n; i++)
            if (r->patients[i].arm == a) {
                x[m++] = r->patients[i].baseline;
                arm->n_serious += r->patients[i].serious_ae;
                arm->mean_p_serious += r->patients[i].p_serious;
            }
        arm->mean_p_serious = m ? arm->mean_p_serious / m : 0.0;
        exo_trial_summarize(x, m, &arm->baseline);
        for (int v = 0; v < nv; v++) {
            int nr = 0;
            m = 0;
            for (int i = 0; i < n; i++)
                if (r->patients[i].arm == a)
                    x[m++] = r->patients[i].value[v];
            exo_trial_summarize(x, m, &arm->value[v]);
            m = 0;
            for (int i = 0; i < n; i++)
                if (r->patients[i].arm == a) {
                    x[m++] = r->patients[i].change[v];
                    nr += responds(r->patients[i].change[v], t->responder_threshold);
                }
            exo_trial_summarize(x, m, &arm->change[v]);
            arm->responder_rate[v] = m ? (double)nr / m : 0.0;
        }
    }
    exo_free(ctx, x);
    return EXO_OK;
}

static exo_status compare_arms(exo_ctx *ctx, exo_trial_result *r)
{
    const exo_config *cfg = r->cfg;
    const exo_trial_cfg *t = &cfg->trial;
    exo_trial_comparison *c = &r->primary;
    int last = r->n_visits - 1, n = r->n_patients;
    const char *q = exo_quantity_name(t->endpoint);
    exo_status st = EXO_OK;
    if (t->design == EXO_TRIAL_PARALLEL && cfg->n_arms != 2)
        return EXO_OK;
    double *x = exo_alloc(ctx, (size_t)n, sizeof *x), *y = exo_alloc(ctx, (size_t)n, sizeof *y);
    if (!x || !y) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the trial statistics");
        goto out;
    }
    int nx = 0, ny = 0;
    for (int i = 0; i < n; i++) {
        const exo_trial_patient *p = &r->patients[i];
        if (t->design == EXO_TRIAL_SINGLE_ARM) {
            x[nx++] = p->value[last];
            y[ny++] = p->baseline;
        } else if (p->arm == 0) {
            x[nx++] = p->change[last];
        } else {
            y[ny++] = p->change[last];
        }
    }
    c->paired = t->design != EXO_TRIAL_PARALLEL;
    if (t->design == EXO_TRIAL_SINGLE_ARM)
        snprintf(c->what, sizeof c->what, "%s at the last visit - baseline [%s]", q,
                 exo_readout_unit(t->endpoint - EXO_Q_READOUT_FIRST));
    else
        snprintf(c->what, sizeof c->what, "%s change at the last visit [%%]: arm 1 - arm 2", q);
    st = c->paired ? exo_trial_ttest_paired(ctx, x, y, nx, &c->test) : exo_trial_ttest_welch(ctx, x, nx, y, ny, &c->test);
    if (st == EXO_ENUMERIC) { /* no spread (no variability): nothing to test */
        exo_ctx_log(ctx, EXO_LOG_INFO, "trial: %s", exo_ctx_last_error(ctx));
        exo_ctx_clear_error(ctx);
        st = EXO_OK;
        goto out;
    }
    if (st != EXO_OK)
        goto out;
    c->present = true;
    c->sample_size = exo_trial_sample_size(c->test.d, c->paired);
out:
    exo_free(ctx, x);
    exo_free(ctx, y);
    return st;
}

/* The trial's parameters: draw POSTERIOR_DRAW of the shipped posterior for
 * the parameters it covers, unless the scenario's `parameters:` sets them;
 * a function of the seed alone, so the same on every rank and thread.
 * info: which posterior and draw (trial.json). */
static exo_status posterior_draw(exo_ctx *ctx, const exo_config *cfg, exo_config *out, char *info, size_t cap)
{
    exo_posterior *post = NULL;
    exo_status st = exo_posterior_load(ctx, NULL, &post);
    if (st != EXO_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", exo_ctx_last_error(ctx));
        return exo_ctx_error(ctx, st, "trial: the calibrated posterior cannot be loaded (%s); set "
                                      "trial.population.posterior: false to run on the parameter table", why);
    }
    st = exo_posterior_draw(post, cfg->seed, POSTERIOR_DRAW, &out->params);
    for (int id = 0; id < EXO_P_COUNT; id++)
        if (cfg->param_overridden[id])
            out->params.v[id] = cfg->params.v[id];
    exo_posterior_provenance pv;
    exo_posterior_provenance_get(post, &pv);
    snprintf(info, cap, "draw %d of seed %llu of the posterior of %s (git %s, %d parameters)", POSTERIOR_DRAW,
             (unsigned long long)cfg->seed, pv.date ? pv.date : "?", pv.git_revision ? pv.git_revision : "?",
             exo_posterior_count(post));
    exo_posterior_destroy(&post);
    if (st != EXO_OK)
        return exo_ctx_error(ctx, st, "trial: posterior draw failed");
    return EXO_OK;
}

/* The trial block of cfg is present and consistent with its arms. */
static exo_status check_trial(exo_ctx *ctx, const exo_config *cfg)
{
    const exo_trial_cfg *t = &cfg->trial;
    if (!t->present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no trial: block (expected one; docs/trials.md)", cfg->name);
    if ((t->design == EXO_TRIAL_SINGLE_ARM && cfg->n_arms != 1) ||
        (t->design == EXO_TRIAL_SPLIT_FACE && cfg->n_arms != 2) || t->patients < 2 ||
        t->patients > EXO_TRIAL_MAX_PATIENTS || t->n_visits < 1 || t->n_visits > EXO_TRIAL_MAX_VISITS ||
        (int)t->endpoint < EXO_Q_READOUT_FIRST || (int)t->endpoint >= EXO_Q_READOUT_FIRST + exo_readout_count())
        return exo_ctx_error(ctx, EXO_EINPUT, "trial: design %s with %d arms, %d patients, %d visits is not valid",
                             exo_trial_design_name(t->design), cfg->n_arms, t->patients, t->n_visits);
    return EXO_OK;
}

/* The trial, with a checkpoint file when ckpt_path is not NULL; only the
 * rows i % n_parts == part, and the statistics only when `finish`
 * (*first_bad_out: the first failing row, or the number of rows). */
static exo_status trial_run(exo_ctx *ctx, exo_units *u, const exo_config *cfg, const char *ckpt_path, bool resume,
                            int part, int n_parts, bool finish, exo_progress_fn progress, void *user,
                            int *first_bad_out, exo_trial_result **out)
{
    exo_status st = EXO_OK;
    const exo_trial_cfg *t = &cfg->trial;
    exo_trial_result *r = NULL;
    exo__trial_ckpt *ck = NULL;
    double lo[EXO_P_COUNT], hi[EXO_P_COUNT];
    *out = NULL;
    EXO_TRY(check_trial(ctx, cfg));
    EXO_TRY(exo_trial_param_ranges(ctx, u, lo, hi));
    exo_config drawn = *cfg; /* the configured parameters, or the trial's posterior draw */
    char posterior_info[sizeof r->posterior] = "";
    if (t->posterior)
        EXO_TRY(posterior_draw(ctx, cfg, &drawn, posterior_info, sizeof posterior_info));
    int nv = t->n_visits, na = cfg->n_arms;
    int n = t->design == EXO_TRIAL_PARALLEL ? t->patients * na : t->design == EXO_TRIAL_SPLIT_FACE ? 2 * t->patients
                                                                                                  : t->patients;
    r = exo_alloc(ctx, 1, sizeof *r);
    if (!r)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the trial");
    r->cfg = cfg;
    snprintf(r->posterior, sizeof r->posterior, "%s", posterior_info);
    r->n_arms = na;
    r->n_visits = nv;
    r->patients = exo_alloc(ctx, (size_t)n, sizeof *r->patients);
    r->arms = exo_alloc(ctx, (size_t)na, sizeof *r->arms);
    if (!r->patients || !r->arms)
        goto nomem;
    r->n_patients = n;
    double *val = exo_alloc(ctx, (size_t)n * (size_t)nv, sizeof *val);
    double *chg = exo_alloc(ctx, (size_t)n * (size_t)nv, sizeof *chg);
    r->patients[0].value = val;
    r->patients[0].change = chg;
    exo_trial_summary *sv = exo_alloc(ctx, (size_t)na * (size_t)nv, sizeof *sv);
    exo_trial_summary *sc = exo_alloc(ctx, (size_t)na * (size_t)nv, sizeof *sc);
    double *rr = exo_alloc(ctx, (size_t)na * (size_t)nv, sizeof *rr);
    r->arms[0].value = sv;
    r->arms[0].change = sc;
    r->arms[0].responder_rate = rr;
    if (!val || !chg || !sv || !sc || !rr)
        goto nomem;
    for (int i = 0; i < n; i++) {
        r->patients[i].value = val + (size_t)i * nv;
        r->patients[i].change = chg + (size_t)i * nv;
    }
    for (int a = 0; a < na; a++) {
        snprintf(r->arms[a].name, sizeof r->arms[a].name, "%s", cfg->arms[a].name);
        r->arms[a].value = sv + (size_t)a * nv;
        r->arms[a].change = sc + (size_t)a * nv;
        r->arms[a].responder_rate = rr + (size_t)a * nv;
    }
    if ((n_parts > 1 || !finish) && ckpt_path) {
        st = exo_ctx_error(ctx, EXO_EINVAL, "trial: a checkpoint with a part of the rows");
        goto out;
    }
    /* Rows found in the checkpoint are loaded bit for bit and not run again;
     * every completed row is appended to it in the critical section. */
    if (ckpt_path)
        EXO_TRY(exo__trial_ckpt_open(ctx, ckpt_path, cfg, n, resume, r->patients, &ck));
    const bool *have = ck ? ck->have : NULL;
    exo_status ck_st = EXO_OK;
    char ck_msg[4200] = "";
    /* Patient-arm runs are independent: OpenMP spreads them over threads,
     * each with its own context (allocator, error slot); results are stored
     * by index and summarised afterwards in index order, so the output does
     * not depend on the number of threads. The first failing index wins. */
    exo__first_failure bad;
    exo__first_failure_init(&bad, n);
    int done = ck ? ck->n_have : 0, mine = (n - part + n_parts - 1) / n_parts;
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
        if ((have && have[i]) || i % n_parts != part)
            continue;
        exo_ctx *tctx = NULL;
        exo_status ts = exo_ctx_create(exo_ctx_seed(ctx), &tctx);
        if (ts == EXO_OK)
            ts = run_patient(tctx, &drawn, lo, hi, i, &r->patients[i]);
#pragma omp critical(exo_trial_progress)
        {
            exo__first_failure_note(&bad, i, ts, tctx);
            if (ts == EXO_OK && ck && ck_st == EXO_OK)
                ck_st = exo__trial_ckpt_append(ck, i, &r->patients[i], ck_msg, sizeof ck_msg);
            done++;
            if (progress)
                progress(user, (double)done / mine);
        }
        exo_ctx_destroy(&tctx);
    }
    exo__trial_ckpt_close(ctx, &ck);
    if (first_bad_out)
        *first_bad_out = bad.index;
    if (bad.st != EXO_OK) {
        st = exo_ctx_error(ctx, bad.st, "%s", bad.msg);
        goto out;
    }
    if (ck_st != EXO_OK) {
        st = exo_ctx_error(ctx, ck_st, "%s", ck_msg);
        goto out;
    }
    if (finish)
        EXO_TRY(exo_trial_finish(ctx, r));
    *out = r;
    return EXO_OK;
nomem:
    st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for a trial of %d patient-arms", n);
out:
    exo__trial_ckpt_close(ctx, &ck);
    exo_trial_destroy(ctx, &r);
    return st;
}

exo_status exo_trial_finish(exo_ctx *ctx, exo_trial_result *r)
{
    exo_status st = EXO_OK;
    EXO_TRY(summarize_arms(ctx, r));
    EXO_TRY(compare_arms(ctx, r));
out:
    return st;
}

exo_status exo_trial_run(exo_ctx *ctx, exo_units *u, const exo_config *cfg, exo_progress_fn progress,
                         void *user, exo_trial_result **out)
{
    return trial_run(ctx, u, cfg, NULL, false, 0, 1, true, progress, user, NULL, out);
}

exo_status exo_trial_run_part(exo_ctx *ctx, exo_units *u, const exo_config *cfg, int part, int n_parts,
                              exo_progress_fn progress, void *user, int *first_bad, exo_trial_result **out)
{
    *out = NULL;
    *first_bad = -1;
    if (n_parts < 1 || part < 0 || part >= n_parts)
        return exo_ctx_error(ctx, EXO_EINVAL, "trial: part %d of %d", part, n_parts);
    return trial_run(ctx, u, cfg, NULL, false, part, n_parts, false, progress, user, first_bad, out);
}

exo_status exo_trial_run_checkpointed(exo_ctx *ctx, exo_units *u, const exo_config *cfg, const char *ckpt_path,
                                      bool resume, exo_progress_fn progress, void *user, exo_trial_result **out)
{
    *out = NULL;
    if (!ckpt_path || !ckpt_path[0])
        return exo_ctx_error(ctx, EXO_EINVAL, "trial: no checkpoint path");
    return trial_run(ctx, u, cfg, ckpt_path, resume, 0, 1, true, progress, user, NULL, out);
}
