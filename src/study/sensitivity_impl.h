/* sensitivity_impl.h - the estimators of src/study/sensitivity.c behind a
 * plain callback, so that they can be tested on analytic functions
 * (sensitivity_test.c) without the skin model.  The model is a function of
 * a point x of the unit hypercube [0, 1]^k; exo_sensitivity_run wraps the
 * skin model (x_i mapped onto each parameter's range) in it. */
#ifndef EXO_SENSITIVITY_IMPL_H
#define EXO_SENSITIVITY_IMPL_H

#include <exoskin/exo_sensitivity.h>

/* y = f(x), x in [0, 1]^k.  A non-OK status aborts the design. */
typedef exo_status (*exo__sens_model)(void *user, const double *x, int k, double *y);

/* Morris elementary effects: R trajectories of k + 1 points on a p-level
 * grid (p = 4, Delta = p / (2 (p - 1))), drawn from exo_rng_uniform(seed,
 * ...).  mu, mu_star, sigma: k entries each, in units of y per unit of x
 * (i.e. per full range).  *runs gets R (k + 1).  progress may be NULL. */
exo_status exo__sens_morris(exo_ctx *ctx, exo__sens_model f, void *user, int k, int R, uint64_t seed,
                            exo_progress_fn progress, void *pu, double *mu, double *mu_star, double *sigma,
                            double *mean, double *variance, int *runs);

/* Sobol indices (Saltelli et al. 2010, S_i from their eq. (b); Jansen 1999
 * total effect) on A and B from the first and second k coordinates of GSL's
 * Sobol sequence of dimension 2k; N base samples, (k + 2) N runs; B
 * bootstrap resamples of the N rows (exo_rng_uniform(seed, ...)) give the
 * 95 % percentile intervals.  Each output array has k entries. */
exo_status exo__sens_sobol(exo_ctx *ctx, exo__sens_model f, void *user, int k, int N, int B, uint64_t seed,
                           exo_progress_fn progress, void *pu, double *s1, double *s1_lo, double *s1_hi, double *st,
                           double *st_lo, double *st_hi, double *mean, double *variance, int *runs);

#endif
