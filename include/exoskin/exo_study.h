/* exo_study.h - validation against published results: every study definition
 * (a scenario file with a `study:` block, docs/studies.md) in a folder is
 * run and its endpoint compared with the reported value and tolerance. */
#ifndef EXO_STUDY_H
#define EXO_STUDY_H

#include "exo_input.h"
#include "exo_posterior.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char file[256];
    char id[128];
    char level[64];
    char unit[64];
    double reported;     /* [unit] */
    double predicted;    /* [unit] */
    double low, high;    /* acceptance range [unit] */
    bool pass;           /* endpoint within [low, high] and every check holds */
    char note[512];      /* failed checks, or the check values */
    char source[512];    /* the publication (study.source) */
    bool known;          /* listed in DIR/UNMET: a documented failure (exo_validate_dir) */
    char known_why[400]; /* its reason: the "# why:" line above it in UNMET, or "" */
    /* the 90 % prediction interval of the endpoint over posterior draws
     * (exo_validate_dir_draws, exo_validation_interval); interval_runs 0: none */
    int interval_runs;   /* [1] runs behind it: draws 0..N, N + 1 (draw 0 the posterior median) */
    double interval_low, interval_mid, interval_high; /* [unit] 5th, 50th and 95th percentiles */
    bool inside;         /* reported within [interval_low, interval_high] (never for direction_only) */
    bool direction_only; /* the unit says the published value is a direction ("sign (+1 increase)",
                          * "points (by sign: ...)", docs/studies.md): no value to cover */
} exo_validation_row;

/* Runs every *.yaml study in dir (sorted by name).  *rows is exo_alloc'd.
 * A file that fails to load or run is an error (EXO_EINPUT etc.). */
exo_status exo_validate_dir(exo_ctx *ctx, exo_units *u, const char *dir, exo_validation_row **rows,
                            int *n);

/* The same with overrides applied to every study (e.g. a parameter). */
exo_status exo_validate_dir_with(exo_ctx *ctx, exo_units *u, const char *dir, const exo_override *sets, int n_sets,
                                 exo_validation_row **rows, int *n);

/* The same with the 90 % predictive interval of every row's published value
 * (fields interval_*): each study also run at posterior draws 0..n_draws of
 * post (as exo_validation_interval), and the interval the 5 % and 95 %
 * quantiles of the mixture over the draws of normals centred at each draw's
 * prediction with SD s x the row's half-width, s the posterior's study noise
 * (docs/validation.md); post NULL: no intervals, as exo_validate_dir_with. */
exo_status exo_validate_dir_draws(exo_ctx *ctx, exo_units *u, const char *dir, const exo_override *sets, int n_sets,
                                  const exo_posterior *post, int n_draws, exo_validation_row **rows, int *n);

/* The prediction interval of study definition cfg into row (interval_*,
 * inside; row->reported must be set): its endpoint from runs at posterior
 * draws 0..n of post (draw 0 the posterior median, draw k keyed by
 * (cfg->seed, k); the parameters the study sets keep its values), the 5th,
 * 50th and 95th percentiles over the n + 1 runs, and whether the published
 * value lies inside [5th, 95th] (never for a direction_only row).  Statuses of exo_run and
 * exo_result_endpoint, EXO_EINVAL, EXO_EINPUT (no study block), EXO_ENOMEM. */
exo_status exo_validation_interval(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                                   exo_validation_row *row);

/* The rows of rows[0..n-1] with an interval and a published value (not
 * direction_only; returned) and, into *inside, those whose published value
 * lies inside it: the coverage inside / rows. */
int exo_validation_coverage(const exo_validation_row *rows, int n, int *inside);

/* Runs one loaded study definition. */
exo_status exo_validate_config(exo_ctx *ctx, const exo_config *cfg, exo_validation_row *row);

/* The row of study definition cfg from its run r (no simulation: the run
 * report of a study file shows it); known stays false. */
exo_status exo_validation_row_of(exo_ctx *ctx, const exo_config *cfg, const exo_result *r, exo_validation_row *row);

/* Writes a validation result folder dir (atomically, like every result
 * folder; an earlier dir is replaced only with replace): validation.csv,
 * validation.json and report.html with every row beside its published
 * value, pass or fail, the known failures marked with their reason
 * (docs/validation.md).  studies: the folder that was validated. */
exo_status exo_validation_write(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                const char *dir, bool replace);

/* ---- calibration ---------------------------------------------------------
 * exo_calibrate fits model parameters, inside their prior ranges [min, max]
 * of the parameter table (exo_params.h), to the published targets of every
 * study definition in a folder (the files `exoskin validate` runs), with the
 * Nelder-Mead simplex of GSL (nmsimplex2).  The objective is
 *     sum over studies of ((predicted - reported) / halfwidth)^2,
 *     halfwidth = (high - low) / 2,
 * plus, for every `checks` entry, ((distance outside [low, high]) /
 * halfwidth)^2 when it falls outside (nothing when inside).  A study whose
 * run or endpoint fails makes the objective 1e12 (a penalty, not an error).
 * Each parameter is searched through a logistic map of an unconstrained
 * variable onto its range (in log space when min > 0 and max/min > 10), so
 * a trial value never leaves the range.  The same inputs and options give
 * the same result, bit for bit.  docs/validation.md, "How to calibrate". */

typedef struct {
    const char **keys; /* borrowed; parameter keys to fit.  Any row of the table with
                        * min < max may be named.  NULL/0: every estimate parameter
                        * (exo_param_info.estimate) whose perturbation within its
                        * range changes the objective (screened first). */
    int n_keys;
    int max_iter;      /* [1] simplex iterations at most; <= 0: 200 */
    double tol;        /* [1] stop when the simplex size (mean distance of its vertices
                        * from their centroid, in the unconstrained variables) falls
                        * below tol; <= 0: 1e-3 */
    uint64_t seed;     /* orientation of the initial simplex: 0 = along the parameter
                        * axes, else a rotation drawn (deterministically) from the seed */
    const char *exclude; /* borrowed; NULL, or a file naming studies of dir to leave out,
                          * one a line (the file name without .yaml; '#' starts a comment),
                          * e.g. validation/UNMET */
    int check_draws;   /* [1] exo_calibrate_posterior only: draws of the Laplace normal
                        * that importance sampling weights by the exact posterior, a check
                        * of the approximation (each draw runs every study); 0: no check */
} exo_calibration_options;

/* One fitted parameter; values in the display unit of the table row. */
typedef struct {
    const char *key;      /* borrowed from the static parameter table */
    const char *unit;     /* borrowed from the static parameter table */
    double default_value; /* [unit] table default */
    double initial;       /* [unit] starting value: the first study file's value
                           * (the default, or its `parameters:` override) */
    double fitted;        /* [unit] best value found, min <= fitted <= max */
    double min, max;      /* [unit] prior range */
    bool log_scale;       /* searched in log space */
} exo_calibration_param;

/* One study definition before and after the fit. */
typedef struct {
    char file[256];
    char id[128];
    char unit[64];
    double reported;          /* [unit] */
    double low, high;         /* [unit] acceptance range of the endpoint */
    double predicted_before;  /* [unit] at the starting values; NAN if the run failed */
    double predicted_after;   /* [unit] at the fitted values; NAN if the run failed */
    bool pass_before, pass_after; /* endpoint within [low, high] and every check holds */
} exo_calibration_study;

typedef struct {
    int n_params;
    exo_calibration_param *params;  /* n_params entries, in table order */
    int n_studies;
    exo_calibration_study *studies; /* n_studies entries, in file-name order */
    double objective_before;        /* [1] at the starting values */
    double objective_after;         /* [1] at the fitted values (<= objective_before) */
    int iterations;                 /* [1] simplex iterations done */
    int evaluations;                /* [1] objective evaluations (each runs every study) */
    bool converged;                 /* the simplex size fell below tol */
    int check_draws;                /* [1] importance-sampling draws of the check (0: none) */
    double check_ess;               /* [1] their effective sample size, (sum w)^2 / sum w^2:
                                     * close to check_draws when the Laplace normal is the posterior */
    double check_shift;             /* [1] largest |weighted mean - MAP| over the parameters, in
                                     * posterior SDs (of the transformed, whitened value) */
} exo_calibration_result;

/* Fits the parameters opt->keys (or the screened estimates) to the study
 * definitions in the *.yaml files of dir (sorted by name; loaded once with
 * exo_config_load).
 * The fitted parameters start, in every study, from the values of the first
 * file (its `parameters:` overrides, else the defaults), and each trial value
 * is applied to every study; the other parameters keep each file's own
 * values.  opt may be NULL (defaults).  On success
 * *out is a new result (free it with exo_calibration_result_destroy).  With
 * no parameter to fit (none changes any prediction) the result holds the
 * evaluation at the starting values and n_params == 0.
 * Returns EXO_EINVAL (a NULL argument, or n_keys > 0 without keys),
 * EXO_EIO (dir or opt->exclude cannot be read), EXO_EINPUT (no study file, a file
 * without a `study:` block, an unknown or duplicate key, an empty range),
 * a loader status for an invalid file, EXO_ENOMEM, or EXO_ENUMERIC (the
 * minimiser failed to start).  Not collective; serial. */
exo_status exo_calibrate(exo_ctx *ctx, exo_units *u, const char *dir, const exo_calibration_options *opt,
                         exo_calibration_result **out);

/* The posterior of the same parameters (docs/calibration.md): priors from
 * the table ranges (the range is the 5-95 % interval: log-normal when
 * min > 0, else normal), each residual above taken as a standard normal
 * (a check counts only outside its range), the maximum a posteriori point by
 * GSL's trust-region least squares (gsl_multifit_nlinear, Levenberg-
 * Marquardt, forward-difference Jacobian) in whitened transformed space
 * from the same start, and the Laplace covariance (J^T J)^-1 there, the prior
 * rows included.  opt->max_iter bounds the trust-region iterations (<= 0:
 * 20; each costs a Jacobian: one run of every study per parameter); tol is
 * unused; opt->seed and date ("YYYY-MM-DD", NULL: "unknown") are recorded
 * in the provenance.  *out holds the start and the MAP ("fitted") of each
 * parameter, each study before and after, and the objectives (sums of
 * squared residuals with the prior's); *post is the posterior (free it with
 * exo_posterior_destroy).  The same inputs give the same bytes
 * (exo_posterior_write).  Statuses as exo_calibrate; EXO_ENUMERIC if the fit
 * or its covariance fails.  Not collective; serial. */
exo_status exo_calibrate_posterior(exo_ctx *ctx, exo_units *u, const char *dir, const exo_calibration_options *opt,
                                   const char *date, exo_calibration_result **out, exo_posterior **post);

/* Frees a calibration result (NULL-safe) and sets *res to NULL. */
void exo_calibration_result_destroy(exo_ctx *ctx, exo_calibration_result **res);

/* ---- end of calibration ------------------------------------------------- */

/* Runs the scenario cfg as it is (the plain run of exo_run, at its own
 * parameters) and then at posterior draws 1..n of post (draw k keyed by
 * (cfg->seed, k); parameters cfg sets in its `parameters:` block keep their
 * values), and returns the plain run in *out with, for every arm, readout
 * and recorded row, the 5th, 50th and 95th percentiles over the n + 1 runs
 * attached: the result's writers (exo_result_write) add them to
 * timeseries.csv and summary.json (docs/calibration.md, "Draws").  n = 0:
 * the plain run, no bands.  The draws run on OpenMP threads, each with its
 * own context (one after the other in tissue mode, whose steps are
 * threaded); the bands depend only on the input, the posterior and n, never
 * on threads.  progress (may be NULL) gets the fraction of runs done.
 * Returns a status of exo_run, EXO_EINVAL (a NULL argument, n < 0),
 * EXO_ENUMERIC (a draw recorded other rows than the plain run), EXO_ENOMEM.
 * *out borrows cfg, as exo_run's result does.  Not collective (serial
 * contexts only). */
exo_status exo_run_draws(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                         exo_progress_fn progress, void *user, exo_result **out);

/* The bands of a result of exo_run_draws (the report draws them): the runs
 * behind them (n + 1: the plain run and draws 1..n; 0: no bands). */
int exo_result_band_runs(const exo_result *r);
/* The 5th, 50th and 95th percentiles over the draws into q of readout
 * `readout` (an exo_readout) of arm `arm` at recorded row `row`: its value
 * [the readout's unit], or with change its percent change from each draw's
 * own baseline [%].  False (q all NAN) without bands, out of range, or for a
 * change whose baseline is 0 in some draw. */
bool exo_result_row_band(const exo_result *r, int arm, int row, int readout, bool change, double q[3]);
/* The same of the percent change baseline -> end [%] (the last row). */
bool exo_result_change_band(const exo_result *r, int arm, int readout, double q[3]);

#ifdef __cplusplus
}
#endif
#endif
