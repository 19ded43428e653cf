/* draws.c - a scenario run at posterior draws (`exoskin run FILE --draws N`,
 * docs/calibration.md "Draws"): the whole scenario once per draw 0..N of the
 * shipped posterior (draw 0 = the posterior median), and, for every arm,
 * readout and recorded row, the 5th, 50th and 95th percentiles over the
 * runs, attached to the median run's result for the writers
 * (timeseries.csv, summary.json).
 *
 * The draws are keyed by (the input's seed, draw index) and run one after
 * the other, so the bands do not depend on the thread count.  Parameters
 * the scenario sets in its `parameters:` block keep its values. */
#include <exoskin/exo_study.h>

#include "engine/result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The 5th, 50th and 95th percentiles of v[0..n-1] (sorted in place; linear
 * interpolation between order statistics, Hyndman & Fan type 7). */
static void quantiles(double *v, int n, double q[3])
{
    static const double p[3] = {0.05, 0.5, 0.95};
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    for (int k = 0; k < 3; k++) {
        double h = p[k] * (n - 1);
        int lo = (int)floor(h);
        int hi = lo + 1 < n ? lo + 1 : lo;
        q[k] = v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
}

/* The draw's parameters: the scenario's, the covered ones from the posterior
 * unless the scenario sets them. */
static exo_status draw_params(const exo_config *cfg, const exo_posterior *post, int d, exo_config *out)
{
    *out = *cfg;
    exo_status st = exo_posterior_draw(post, cfg->seed, (uint64_t)d, &out->params);
    for (int id = 0; id < EXO_P_COUNT; id++)
        if (cfg->param_overridden[id])
            out->params.v[id] = cfg->params.v[id];
    return st;
}

/* values[d] of every arm's rows into the arm's bands. */
static exo_status make_bands(exo_ctx *ctx, exo_result *r, double **values, int runs)
{
    double *v = exo_alloc(ctx, (size_t)runs, sizeof *v);
    if (!v)
        return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    size_t off = 0;
    for (int a = 0; a < r->n_arms; a++) {
        exo_arm_result *ar = &r->arms[a];
        size_t n = (size_t)ar->n_rows * EXO_RD_COUNT;
        ar->band = exo_alloc(ctx, n * 3 + 1, sizeof *ar->band);
        if (!ar->band) {
            exo_free(ctx, v);
            return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
        }
        for (size_t j = 0; j < n; j++) {
            for (int d = 0; d < runs; d++)
                v[d] = values[d][off + j];
            quantiles(v, runs, &ar->band[3 * j]);
        }
        for (int q = 0; q < EXO_RD_COUNT && ar->n_rows > 0; q++) {
            bool defined = true;
            for (int d = 0; d < runs; d++) {
                double b0 = values[d][off + (size_t)q], b1 = values[d][off + n - EXO_RD_COUNT + (size_t)q];
                defined = defined && b0 != 0;
                v[d] = defined ? 100.0 * (b1 - b0) / b0 : 0.0;
            }
            if (defined)
                quantiles(v, runs, ar->change_band[q]);
            else
                ar->change_band[q][0] = ar->change_band[q][1] = ar->change_band[q][2] = NAN;
        }
        off += n;
    }
    exo_free(ctx, v);
    r->band_runs = runs;
    return EXO_OK;
}

/* Every readout of every row of every arm of run r into one flat array. */
static exo_status keep_readouts(exo_ctx *ctx, const exo_result *r, const exo_result *median, double **out)
{
    size_t total = 0;
    for (int a = 0; a < r->n_arms; a++) {
        if (median && r->arms[a].n_rows != median->arms[a].n_rows)
            return exo_ctx_error(ctx, EXO_ENUMERIC, "draws: arm '%s' recorded %d rows in one draw and %d in the "
                                 "median run", r->arms[a].name, r->arms[a].n_rows, median->arms[a].n_rows);
        total += (size_t)r->arms[a].n_rows * EXO_RD_COUNT;
    }
    double *v = exo_alloc(ctx, total + 1, sizeof *v);
    if (!v)
        return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    size_t k = 0;
    for (int a = 0; a < r->n_arms; a++)
        for (int i = 0; i < r->arms[a].n_rows; i++)
            for (int q = 0; q < EXO_RD_COUNT; q++)
                v[k++] = r->arms[a].rows[i].rd[q];
    *out = v;
    return EXO_OK;
}

exo_status exo_run_draws(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                         exo_progress_fn progress, void *user, exo_result **out)
{
    if (!ctx || !cfg || !post || !out || n < 0)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_run_draws: NULL argument or negative draw count");
    *out = NULL;
    int runs = n + 1;
    double **values = exo_alloc(ctx, (size_t)runs, sizeof *values);
    if (!values)
        return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    exo_result *median = NULL, *r = NULL;
    exo_config c;
    exo_status st = EXO_OK;
    for (int d = 0; d < runs && st == EXO_OK; d++) {
        EXO_TRY(draw_params(cfg, post, d, &c));
        EXO_TRY(exo_run(ctx, &c, NULL, NULL, d == 0 ? &median : &r));
        if (d == 0)
            median->cfg = cfg; /* the caller's, which outlives the result (c does not) */
        st = keep_readouts(ctx, d == 0 ? median : r, d == 0 ? NULL : median, &values[d]);
        exo_result_destroy(&r);
        if (progress)
            progress(user, (double)(d + 1) / runs);
    }
    if (st == EXO_OK)
        st = make_bands(ctx, median, values, runs);
    if (st == EXO_OK) {
        *out = median;
        median = NULL;
    }
out:
    exo_result_destroy(&r);
    exo_result_destroy(&median);
    for (int d = 0; d < runs; d++)
        exo_free(ctx, values[d]);
    exo_free(ctx, values);
    return st;
}
