/* stats.c - the statistics of virtual trials (docs/trials.md): summaries
 * with t confidence intervals, paired and Welch t-tests with Cohen's d, and
 * the sample size for 80 % power.  GSL does the distributions. */
#include <exoskin/exo_trial.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

void exo_trial_summarize(const double *x, int n, exo_trial_summary *out)
{
    out->n = n;
    out->mean = n > 0 ? gsl_stats_mean(x, 1, (size_t)n) : NAN;
    out->sd = out->ci_lo = out->ci_hi = NAN;
    if (n < 2)
        return;
    out->sd = gsl_stats_sd_m(x, 1, (size_t)n, out->mean);
    double half = gsl_cdf_tdist_Pinv(0.975, n - 1.0) * out->sd / sqrt((double)n);
    out->ci_lo = out->mean - half;
    out->ci_hi = out->mean + half;
}

static void finish(exo_trial_ttest *o, double se)
{
    o->t = o->mean_diff / se;
    o->p = 2.0 * gsl_cdf_tdist_Q(fabs(o->t), o->df);
    if (o->p > 1.0)
        o->p = 1.0;
    double half = gsl_cdf_tdist_Pinv(0.975, o->df) * se;
    o->ci_lo = o->mean_diff - half;
    o->ci_hi = o->mean_diff + half;
}

exo_status exo_trial_ttest_paired(exo_ctx *ctx, const double *x, const double *y, int n, exo_trial_ttest *out)
{
    if (n < 2)
        return exo_ctx_error(ctx, EXO_EINVAL, "paired t-test: %d pairs (expected at least 2)", n);
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++)
        m += x[i] - y[i];
    m /= n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - y[i] - m) * (x[i] - y[i] - m);
    double sd = sqrt(ss / (n - 1));
    if (!(sd > 0))
        return exo_ctx_error(ctx, EXO_ENUMERIC, "paired t-test: the differences have no spread");
    out->mean_diff = m;
    out->df = n - 1.0;
    out->d = m / sd;
    finish(out, sd / sqrt((double)n));
    return EXO_OK;
}

exo_status exo_trial_ttest_welch(exo_ctx *ctx, const double *x, int nx, const double *y, int ny,
                                 exo_trial_ttest *out)
{
    if (nx < 2 || ny < 2)
        return exo_ctx_error(ctx, EXO_EINVAL, "Welch t-test: groups of %d and %d (expected at least 2 each)", nx,
                             ny);
    double mx = gsl_stats_mean(x, 1, (size_t)nx), my = gsl_stats_mean(y, 1, (size_t)ny);
    double vx = gsl_stats_variance_m(x, 1, (size_t)nx, mx), vy = gsl_stats_variance_m(y, 1, (size_t)ny, my);
    double ax = vx / nx, ay = vy / ny;
    if (!(ax + ay > 0))
        return exo_ctx_error(ctx, EXO_ENUMERIC, "Welch t-test: neither group has spread");
    out->mean_diff = mx - my;
    out->df = (ax + ay) * (ax + ay) / (ax * ax / (nx - 1) + ay * ay / (ny - 1));
    double pooled = sqrt(((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2));
    out->d = out->mean_diff / pooled;
    finish(out, sqrt(ax + ay));
    return EXO_OK;
}

int exo_trial_sample_size(double d, bool paired)
{
    if (!(fabs(d) > 0) || !isfinite(d))
        return -1;
    double z = gsl_cdf_ugaussian_Pinv(0.975) + gsl_cdf_ugaussian_Pinv(0.8);
    double n = (paired ? 1.0 : 2.0) * (z / d) * (z / d);
    if (n > 1e9)
        return -1;
    return (int)ceil(n - 1e-9) + 1;
}
