/* calibrate_impl.h - what the two calibrations of a folder of study
 * definitions share (calibrate.c: the Nelder-Mead point fit and the
 * setup; posterior_fit.c: the MAP and Laplace posterior): the loaded
 * studies, the parameters being fitted, their screening, and one study's
 * residuals. */
#ifndef EXO_CALIBRATE_IMPL_H
#define EXO_CALIBRATE_IMPL_H

#include <exoskin/exo_study.h>

typedef struct {
    exo_param_id id;
    const exo_param_info *row;
    bool log_scale;
    double lo, hi; /* bounds in the search space: [unit] or log([unit]) */
} exo__fit_param;

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    int n_cfg;
    int n_excluded;     /* study files of dir left out (opt->exclude) */
    char **files;       /* n_cfg names, sorted */
    exo_config *cfgs;   /* n_cfg loaded study definitions */
    exo_paramset *own;  /* [internal] n_cfg: each study's parameter values as loaded */
    int n_fit;
    exo__fit_param *fit; /* n_fit parameters being searched */
    double *x0;         /* [1] n_fit: start, unconstrained (the logistic map of calibrate.c) */
    double *start;      /* [unit] n_fit: start values */
    const double *rot;  /* [1] n_fit x n_fit, rot[i * n + j]: component i of axis j */
    double *x;          /* [1] n_fit: workspace x0 + rot y */
    double *resid;      /* [1] workspace: the residuals of one study (the most any has) */
    int evaluations;
    exo_status fatal;   /* a failure that is not the model's (unit conversion) */
} exo__calib;

/* Loads the studies of dir, chooses the parameters (opt->keys, or every
 * estimate that changes some prediction: screened) and their start values.
 * On failure c still holds what was allocated: call exo__calib_close. */
exo_status exo__calib_open(exo__calib *c, exo_ctx *ctx, exo_units *u, const char *dir,
                           const exo_calibration_options *opt);
void exo__calib_close(exo__calib *c);

/* Sets fitted parameter k of every study to v [unit of its row]. */
exo_status exo__calib_set(exo__calib *c, int k, double v);

/* The number of residuals of study i: its endpoint and each check. */
int exo__calib_n_residuals(const exo__calib *c, int i);
/* Runs study i with the parameters as set: its residuals r (endpoint:
 * (predicted - reported) / halfwidth; each check: its distance outside
 * [low, high] / halfwidth), predicted endpoint, pass; ok = false when the run
 * or an endpoint fails (r untouched then).  Only running out of memory is an
 * error. */
exo_status exo__calib_run_study(exo__calib *c, int i, double *r, double *predicted, bool *pass, bool *ok);

/* The half-width of an accepted range [unit]: one SD of the published value
 * in the likelihood (at least 1e-12). */
double exo__calib_halfwidth(const exo_endpoint_cfg *ep);

/* Whether a study's published value is a direction, not a value (its unit
 * "sign (+1 increase)" or "... by sign ...", docs/studies.md): such rows have
 * no value for an interval to cover (validate.c). */
bool exo__study_direction_only(const exo_study_cfg *sd);

/* The endpoint of study definition cfg at posterior draws 0..n of post into
 * y[0..n] (draw 0 the median, draw d keyed by (cfg->seed, d); the parameters
 * the study sets keep its values).  Statuses of exo_run and
 * exo_result_endpoint, the failing draw named in the message (draws.c). */
exo_status exo__study_draw_endpoints(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n, double *y);

/* The before (after = false) or after columns of res->studies. */
void exo__calib_fill_studies(const exo__calib *c, const double *pred, const bool *pass, bool after,
                             exo_calibration_result *res);

#endif
