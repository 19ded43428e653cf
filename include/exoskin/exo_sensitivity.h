/* exo_sensitivity.h - global sensitivity analysis of one endpoint (the %
 * change from baseline, at the end of the run, of one readout of one arm) to
 * model parameters varied over their prior ranges of the parameter table:
 * Morris elementary effects (screening: mu, mu*, sigma) or Sobol first-order
 * and total indices (Saltelli 2010 / Jansen estimators on a Sobol sequence,
 * with bootstrap intervals).  docs/sensitivity.md states the methods. */
#ifndef EXO_SENSITIVITY_H
#define EXO_SENSITIVITY_H

#include "exo_input.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { EXO_SENS_MORRIS, EXO_SENS_SOBOL } exo_sens_method;

/* Sobol designs draw 2k coordinates from GSL's Sobol sequence, which has at
 * most 40 dimensions: at most 20 parameters. */
#define EXO_SENS_SOBOL_MAX_PARAMS 20

typedef struct {
    exo_sens_method method;
    const char *endpoint; /* borrowed; readout name (exo_readout_name), e.g. "wrinkle_severity".
                           * NULL: the readout of the file's study endpoint if it has one,
                           * else "dermal_collagen" */
    const char *arm;      /* borrowed; arm name; NULL: the first arm */
    const char **keys;    /* borrowed; parameters to vary (any table row with min < max).
                           * NULL/0: every estimate parameter with min < max (Morris only) */
    int n_keys;
    int trajectories;     /* [1] Morris R; <= 0: 10 */
    int samples;          /* [1] Sobol base samples N; <= 0: 64 */
    int bootstrap;        /* [1] Sobol bootstrap resamples; <= 0: 100 */
    uint64_t seed;        /* Morris trajectories and bootstrap resamples */
} exo_sensitivity_options;

/* One parameter's indices.  Morris values are in endpoint units [%] per
 * full range of the parameter (elementary effects on the unit hypercube,
 * whose coordinate maps onto [min, max], in log space when log_scale). */
typedef struct {
    const char *key;    /* borrowed from the static parameter table */
    const char *unit;   /* borrowed from the static parameter table */
    double min, max;    /* [unit] range varied over */
    bool log_scale;     /* log-uniform (min > 0 and max/min > 10), else uniform */
    double mu;          /* [%] Morris: mean elementary effect */
    double mu_star;     /* [%] Morris: mean absolute elementary effect (Campolongo 2007) */
    double sigma;       /* [%] Morris: standard deviation of the elementary effects */
    double s1, s1_lo, s1_hi; /* [1] Sobol first-order index and bootstrap 95 % interval */
    double st, st_lo, st_hi; /* [1] Sobol total index and bootstrap 95 % interval */
} exo_sensitivity_param;

typedef struct {
    exo_sens_method method;
    char endpoint[64];        /* readout name */
    char unit[64];            /* the readout's unit (the endpoint itself is in %) */
    char arm[EXO_NAME_MAX];
    uint64_t seed;
    int trajectories, samples, bootstrap;
    int runs;                 /* [1] model runs done */
    double mean, variance;    /* [%], [%^2] of the endpoint over the design */
    int n_params;
    exo_sensitivity_param *params; /* ranked: by mu* (Morris) or S_T (Sobol), largest first */
    char *effective_input; /* the input as loaded (YAML, exo_alloc'd; owned) */
} exo_sensitivity_result;

/* The model runs a design needs: R (k + 1) for Morris, (k + 2) N for Sobol,
 * with k = opt->n_keys or the number of estimate parameters with a range. */
int exo_sensitivity_n_runs(const exo_sensitivity_options *opt);

/* Loads FILE once (with the overrides sets), runs the design and ranks the
 * parameters.  progress (may be NULL) gets the fraction of runs done.
 * Returns EXO_EINVAL (NULL argument), EXO_EINPUT (unknown or duplicate key,
 * empty range, unknown endpoint or arm, Sobol without keys or with more than
 * EXO_SENS_SOBOL_MAX_PARAMS, a baseline of 0), a loader status, a run
 * status (a failed model run is an error), or EXO_ENOMEM.  *out is a new
 * result (free with exo_sensitivity_destroy).  Serial; not collective. */
exo_status exo_sensitivity_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                               const exo_sensitivity_options *opt, exo_progress_fn progress, void *user,
                               exo_sensitivity_result **out);

/* Frees a result (NULL-safe) and sets *res to NULL. */
void exo_sensitivity_destroy(exo_ctx *ctx, exo_sensitivity_result **res);

/* Writes sensitivity.csv (units in the header) and sensitivity.json into
 * dir atomically (dir must not exist or be empty; replace swaps out an
 * earlier result). */
exo_status exo_sensitivity_write(exo_ctx *ctx, const exo_sensitivity_result *res, const char *dir, bool replace);

#ifdef __cplusplus
}
#endif
#endif
