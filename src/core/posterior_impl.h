/* posterior_impl.h - the inside of an exo_posterior, for the calibration
 * (src/study/posterior_fit.c) that builds one and the loader that reads one
 * (src/core/posterior.c).  The transform, the priors and the summary rules
 * live here so that writer and reader cannot disagree. */
#ifndef EXO_POSTERIOR_IMPL_H
#define EXO_POSTERIOR_IMPL_H

#include <exoskin/exo_posterior.h>

#define EXO__Z95 1.6448536269514722   /* [1] standard normal 95 % quantile */
#define EXO__IDENTIFIED_RATIO 0.5     /* [1] posterior SD / prior SD below which a parameter is identified */

struct exo_posterior {
    exo_ctx *ctx;               /* borrowed */
    int n;
    exo_posterior_param *par;   /* n, table order */
    double *corr;               /* [1] n x n, row-major */
    double *chol;               /* [1 or log 1] n x n lower Cholesky factor of the covariance */
    double *scale, *offset;     /* n: internal = scale * display + offset */
    char *training_data, *method, *date, *git_revision;
    int n_studies;
    uint64_t seed;
    double objective_before, objective_after; /* [1] */
    int evaluations;
    int check_draws;            /* [1] importance-sampling check (0: none) */
    double check_ess, check_shift; /* [1] */
    /* the study noise at the MAP (docs/calibration.md "Study noise"): s^2 =
     * sum of r^2 / (noise_rows - noise_identified), r = (predicted - reported)
     * / half-width of each training row with a published value; 0: not
     * estimated (a file without it) */
    double noise_scale;         /* [1] s, in half-widths */
    int noise_rows, noise_identified; /* [1] rows behind it, identified parameters subtracted */
};

/* A posterior of n parameters, every field zero; fill par[k].id, median, sd,
 * corr, then call exo__posterior_summarise and exo__posterior_prepare. */
exo_status exo__posterior_create(exo_ctx *ctx, int n, exo_posterior **out);
/* Sets one of its strings (a copy); *field must be one of p's char * fields. */
exo_status exo__posterior_set_text(exo_posterior *p, char **field, const char *text);

/* The prior of a table row: key, unit, id, kind, median/p05/p95, prior_sd;
 * *mean is the prior mean in transformed space. */
void exo__prior_init(exo_param_id id, exo_posterior_param *pp, double *mean);
/* The transform of a value [unit] into the space of the normal, and back. */
double exo__posterior_to_t(exo_prior_kind kind, double v);
double exo__posterior_from_t(exo_prior_kind kind, double t);
/* t reflected into the transformed range of parameter id. */
double exo__posterior_reflect(exo_prior_kind kind, exo_param_id id, double t);
/* The noise scale of rows r[0..n-1] (see noise_scale above) with
 * n_identified parameters identified: sqrt(sum r^2 / (n - n_identified)),
 * or / n when n <= n_identified; 0 for n = 0. */
double exo__posterior_noise_of(const double *r, int n, int n_identified);

/* The p quantile (0 < p < 1) of the equal-weight mixture of the normals
 * N(mu[i], sd^2), i < n: the x where the mean of P((x - mu[i]) / sd) is p,
 * by bisection to 1e-12 of the spread (sd 0: the smallest mu[i] at which the
 * empirical CDF reaches p).  Deterministic: the posterior predictive
 * quantile of a published value over posterior draws (exoskin validate). */
double exo__mixture_quantile(const double *mu, int n, double sd, double p);

/* p05, p95 and identified of every parameter from its median and sd. */
void exo__posterior_summarise(exo_posterior *p);
/* The unit factors and the Cholesky factor of the draws; EXO_EINPUT if the
 * correlation matrix is not symmetric positive definite. */
exo_status exo__posterior_prepare(exo_posterior *p);

#endif
