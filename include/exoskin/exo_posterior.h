/* exo_posterior.h - the calibrated parameter posterior: the joint uncertainty
 * of the estimate parameters after calibration against the studies of
 * validation/ (`exoskin calibrate DIR --posterior FILE`, docs/calibration.md).
 * A posterior is a data file (data/posterior.json, installed with the
 * library) holding, for each parameter it covers, its prior, its posterior
 * median and 5-95 % interval, and the correlation matrix of the
 * multivariate normal in transformed space (log for log-normal priors, the
 * value itself for normal priors) that its draws come from.
 *
 * The posterior is used only where asked (exoskin params, run --draws): the
 * default values of every run stay those of the parameter table. */
#ifndef EXO_POSTERIOR_H
#define EXO_POSTERIOR_H

#include "exo_params.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exo_posterior exo_posterior;

/* The prior of a parameter, from its row of the table: log-normal (min > 0)
 * or normal (otherwise), centred at the row's prior_center with the range
 * [min, max] inside its 5-95 % band, truncated to the range
 * (docs/calibration.md). */
typedef enum { EXO_PRIOR_LOGNORMAL, EXO_PRIOR_NORMAL } exo_prior_kind;

/* One parameter of a posterior; values in the display unit of its table row. */
typedef struct {
    const char *key;        /* borrowed from the static parameter table */
    const char *unit;       /* borrowed from the static parameter table */
    exo_param_id id;
    exo_prior_kind prior_kind;
    double prior_median, prior_p05, prior_p95; /* [unit] the prior centre; 5 % and 95 % of the truncated prior */
    double median, p05, p95;                   /* [unit] posterior, p05/p95 clipped to [min, max] */
    double sd;              /* [1 or log 1] posterior SD in transformed space */
    double prior_sd;        /* [1 or log 1] prior SD in transformed space */
    bool identified;        /* sd / prior_sd < 0.5: the data constrain it */
} exo_posterior_param;

/* Where it came from (strings borrowed from the posterior). */
typedef struct {
    const char *training_data; /* e.g. "validation: 27 study files" */
    int n_studies;             /* [1] studies it was fitted to */
    const char *method;        /* one line */
    const char *date;          /* YYYY-MM-DD */
    const char *git_revision;  /* of the exoskin that wrote it */
    uint64_t seed;
    double objective_before, objective_after; /* [1] sum of squared residuals, priors included */
    int evaluations;           /* [1] runs of every study the fit took */
    int check_draws;           /* [1] importance-sampling check of the Laplace normal: draws (0: none) */
    double check_ess;          /* [1] its effective sample size */
    double check_shift;        /* [1] largest shift of a weighted mean from the MAP, in posterior SDs */
} exo_posterior_provenance;

/* The shipped posterior: $EXOSKIN_DATADIR/posterior.json if that variable is
 * set, else the source tree's data/posterior.json when this build's source
 * tree still has it, else the installed one (DATADIR/exoskin/posterior.json,
 * `cmake --install`).  Writes the path into buf; EXO_ERANGE if it does not fit. */
exo_status exo_posterior_default_path(char *buf, size_t size);

/* Reads a posterior file (path NULL: exo_posterior_default_path).  ctx is
 * borrowed and must outlive the posterior.  Returns EXO_EIO (cannot read),
 * EXO_EINPUT (not a posterior file: bad JSON, a missing or wrong field, an
 * unknown parameter or a unit other than the table's, a correlation matrix
 * that is not symmetric positive definite), EXO_ENOMEM.  Never crashes on a
 * malformed file. */
exo_status exo_posterior_load(exo_ctx *ctx, const char *path, exo_posterior **out);
/* Frees a posterior (NULL-safe) and sets *p to NULL. */
void exo_posterior_destroy(exo_posterior **p);

/* Number of parameters it covers (table order). */
int exo_posterior_count(const exo_posterior *p);
/* Key of parameter i (0 <= i < count), or NULL. */
const char *exo_posterior_key(const exo_posterior *p, int i);
/* Index of a parameter by table id, or -1 if the posterior does not cover it. */
int exo_posterior_find(const exo_posterior *p, exo_param_id id);
/* Parameter i into *out; EXO_EINVAL if i is out of range. */
exo_status exo_posterior_param_get(const exo_posterior *p, int i, exo_posterior_param *out);
/* Correlation of parameters i and j in transformed space [1]; NAN if out of range. */
double exo_posterior_correlation(const exo_posterior *p, int i, int j);
/* Its provenance (all zero for p NULL). */
void exo_posterior_provenance_get(const exo_posterior *p, exo_posterior_provenance *out);

/* Writes draw `index` of every parameter the posterior covers into p->v
 * [internal units]; the other entries of p are left as they are.  Index 0 is
 * the posterior median; index k > 0 a draw of the multivariate normal in
 * transformed space, reflected into each parameter's range [min, max].  The
 * draw depends only on (seed, index): never on threads or call order. */
exo_status exo_posterior_draw(const exo_posterior *post, uint64_t seed, uint64_t index, exo_paramset *p);

/* Writes the posterior as JSON to path (the format of data/posterior.json,
 * docs/calibration.md); the same posterior gives the same bytes.  EXO_EWRITE
 * if the file cannot be written, EXO_ENOMEM. */
exo_status exo_posterior_write(exo_ctx *ctx, const exo_posterior *p, const char *path);

#ifdef __cplusplus
}
#endif
#endif
