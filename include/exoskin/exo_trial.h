/* exo_trial.h - virtual cohorts and trials (docs/trials.md): the scenario's
 * arms given to a population of virtual patients drawn from the `trial:`
 * block (age, sex, phototype, inter-individual variability of the estimate
 * parameters, and one draw of parameter uncertainty per trial), each patient
 * and arm run in column mode, and the endpoint summarised per arm and visit
 * with the usual trial statistics (t-tests, effect size, responder rate,
 * sample size for 80 % power, serious adverse events).  Every random number
 * comes from the counter-based stream keyed by (seed, purpose, patient,
 * counter), so a patient's result depends neither on the order the patients
 * are run in nor on how many there are. */
#ifndef EXO_TRIAL_H
#define EXO_TRIAL_H

#include "exo_input.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- statistics -------------------------------------------------------- */

/* n, mean, sample SD and the 95 % confidence interval of the mean (Student t
 * with n - 1 degrees of freedom); sd and the CI are NaN for n < 2. */
typedef struct {
    int n;
    double mean, sd, ci_lo, ci_hi;
} exo_trial_summary;

void exo_trial_summarize(const double *x, int n, exo_trial_summary *out);

/* A two-sided t-test of x against y: the mean difference (x - y) with its
 * 95 % CI, t, degrees of freedom, two-sided p, and Cohen's d (paired: d_z =
 * mean difference / SD of the differences; Welch: the difference over the
 * pooled SD). */
typedef struct {
    double mean_diff, ci_lo, ci_hi;
    double t, df, p;
    double d;
} exo_trial_ttest;

/* Paired test of n pairs (n >= 2); EXO_ENUMERIC if the differences have no spread. */
exo_status exo_trial_ttest_paired(exo_ctx *ctx, const double *x, const double *y, int n, exo_trial_ttest *out);
/* Welch's unequal-variance test (nx, ny >= 2); EXO_ENUMERIC if neither group has spread. */
exo_status exo_trial_ttest_welch(exo_ctx *ctx, const double *x, int nx, const double *y, int ny,
                                 exo_trial_ttest *out);

/* Patients for 80 % power at two-sided alpha 0.05 to detect effect size d,
 * by the normal approximation plus one for the t correction:
 *   paired (pairs):       n = ceil(((z_0.975 + z_0.8) / |d|)^2) + 1
 *   unpaired (per arm):   n = ceil(2 ((z_0.975 + z_0.8) / |d|)^2) + 1
 * d = 0.5 gives 33 pairs or 64 per arm.  Returns -1 when d is 0 or not finite. */
int exo_trial_sample_size(double d, bool paired);

/* ---- trials ------------------------------------------------------------ */

/* One patient in one arm. */
typedef struct {
    int patient;          /* id: the key of the patient's random numbers */
    int arm;
    double age;           /* [y] */
    exo_sex sex;
    int phototype;        /* [1] 1..6 */
    double baseline;      /* [endpoint unit] at t = 0 */
    double *value;        /* [endpoint unit] at each visit */
    double *change;       /* [%] from baseline at each visit */
    bool serious_ae;      /* any serious adverse event */
    double p_serious;     /* [1] probability of a serious adverse event over the run */
} exo_trial_patient;

typedef struct {
    char name[EXO_NAME_MAX];
    exo_trial_summary baseline;
    exo_trial_summary *value;   /* per visit [endpoint unit] */
    exo_trial_summary *change;  /* per visit [%] */
    double *responder_rate;     /* per visit [1] */
    int n_serious;              /* patients with a serious adverse event */
    double mean_p_serious;      /* [1] */
} exo_trial_arm;

/* The primary comparison, at the last visit:
 *   single_arm: paired, the value at the last visit vs baseline;
 *   split_face: paired, % change of arm 1 vs arm 2 within patients;
 *   parallel with 2 arms: Welch, % change of arm 1 vs arm 2.
 * Not present for parallel designs with another number of arms. */
typedef struct {
    bool present;
    bool paired;
    char what[128];       /* "wrinkle_severity change [%]: arm A - arm B" */
    exo_trial_ttest test;
    int sample_size;      /* per arm (unpaired) or pairs (paired) for 80 % power; -1 if d = 0 */
} exo_trial_comparison;

typedef struct {
    const exo_config *cfg; /* borrowed; must outlive the result */
    int n_arms, n_visits;
    int n_patients;        /* rows: patient-arm pairs */
    exo_trial_patient *patients;
    exo_trial_arm *arms;
    exo_trial_comparison primary;
    char posterior[160];   /* which posterior draw the trial ran on ("" when population.posterior is false) */
} exo_trial_result;

/* Runs the trial of cfg (cfg->trial.present must be true).  u converts the
 * parameter table's ranges.  progress (may be NULL) sees the fraction of
 * patient-arm runs done.  With cfg->trial.posterior, the trial first takes
 * draw 1 of the shipped posterior (exo_posterior_load(NULL), keyed by
 * cfg->seed) for the parameters it covers and cfg does not override, and
 * every patient's parameters vary about those (res->posterior names it). */
exo_status exo_trial_run(exo_ctx *ctx, exo_units *u, const exo_config *cfg, exo_progress_fn progress,
                         void *user, exo_trial_result **out);
/* exo_trial_run with a checkpoint (docs/trials.md, "Checkpoints and resume"):
 * every completed patient-arm row is appended to the file ckpt_path, which
 * names the input (hash of the effective YAML) and the seed.  resume false:
 * ckpt_path must not exist (EXO_EINPUT).  resume true: the rows recorded in
 * an existing ckpt_path are loaded bit for bit instead of run (a torn last
 * record is ignored); a checkpoint of another input or seed is refused with
 * EXO_EINPUT.  The result is the same as exo_trial_run's.  The file stays on
 * disk: remove it once the outputs are written. */
exo_status exo_trial_run_checkpointed(exo_ctx *ctx, exo_units *u, const exo_config *cfg, const char *ckpt_path,
                                      bool resume, exo_progress_fn progress, void *user, exo_trial_result **out);
void exo_trial_destroy(exo_ctx *ctx, exo_trial_result **res);

/* A part of a trial, for splitting one across processes (docs/trials.md,
 * "MPI"): runs only the rows (patient-arm pairs, in the order of
 * patients.csv; r->n_patients of them) i with i % n_parts == part, leaves the
 * other rows zero and computes no statistics.  Each row depends only on the
 * config and its index, so a row is the same bits whichever part runs it.
 * *first_bad: on a failure in a row, the first failing row of this part;
 * -1 when the trial failed before any row ran (the same in every part).
 * Fill the other rows, then call exo_trial_finish. */
exo_status exo_trial_run_part(exo_ctx *ctx, exo_units *u, const exo_config *cfg, int part, int n_parts,
                              exo_progress_fn progress, void *user, int *first_bad, exo_trial_result **out);
/* The per-arm statistics and the primary comparison of a result whose rows
 * are all filled (exo_trial_run calls it). */
exo_status exo_trial_finish(exo_ctx *ctx, exo_trial_result *r);

/* The configuration of one patient in one arm of the trial: a copy of cfg
 * with the patient's skin (age, sex, phototype, the skin age from
 * skin_age_patient_sd and the thickness preset that follows from them) and
 * parameters (about cfg's: exo_trial_run passes a copy holding its posterior
 * draw; erythema_index_base varied by erythema_index_patient_sd), holding only arm `arm` (in *arm_out,
 * which the copy points to) and the visits in its study block (in *visits,
 * EXO_TRIAL_MAX_VISITS entries).  Every array is borrowed from cfg or the
 * caller: nothing to free.  lo/hi: the parameter ranges in internal units
 * (exo_trial_param_ranges). */
exo_status exo_trial_patient_config(exo_ctx *ctx, const exo_config *cfg, const double *lo, const double *hi,
                                    int patient, int arm, exo_config *out, exo_arm_cfg *arm_out,
                                    exo_endpoint_cfg *visits);
/* Table ranges [min, max] of every parameter in internal units (EXO_P_COUNT each). */
exo_status exo_trial_param_ranges(exo_ctx *ctx, exo_units *u, double *lo, double *hi);

/* Writes patients.csv and trial.json into dir atomically (as exo_result_write);
 * effective_yaml is recorded in trial.json. */
exo_status exo_trial_write(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml,
                           const char *dir, bool replace);

#ifdef __cplusplus
}
#endif
#endif
