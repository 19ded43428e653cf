/* draws.c - a scenario run with posterior bands (`exoskin run FILE --draws N`,
 * docs/calibration.md "Draws"): the plain run at the model's default
 * parameters, then the whole scenario once per posterior draw 1..N, and,
 * for every arm, readout and recorded row, the 5th, 50th and 95th
 * percentiles over those N + 1 runs, attached to the plain run's result for
 * the writers (timeseries.csv, summary.json).
 *
 * The draws are keyed by (the input's seed, draw index) and stored by
 * index, so the bands do not depend on the thread count.  Parameters the
 * scenario sets in its `parameters:` block keep its values.  The
 * validation intervals below use draws 0..N (draw 0 the posterior median). */
#include <exoskin/exo_study.h>

#include "engine/result.h"
#include "study/calibrate_impl.h"
#include "study/study_impl.h"

#include <math.h>
#include <stdio.h>
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

/* 100 (v(d, off + j) - baseline) / baseline of each run d, the baseline the
 * run's own first row; NAN when a baseline is 0.  Run d's readouts start at
 * values + d * total. */
static void change_of(const double *values, int runs, size_t total, size_t off, size_t j, double *v)
{
    for (int d = 0; d < runs; d++) {
        const double *x = values + (size_t)d * total + off;
        double b0 = x[j % EXO_RD_COUNT];
        v[d] = b0 != 0 ? 100.0 * (x[j] - b0) / b0 : NAN;
    }
}

/* The runs' readouts into every arm's bands of r: the readouts, then the
 * percent changes from each run's baseline, at every row (result.h). */
static exo_status make_bands(exo_ctx *ctx, exo_result *r, const double *values, int runs, size_t total)
{
    double *v = exo_alloc(ctx, (size_t)runs, sizeof *v);
    if (!v)
        return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    size_t off = 0;
    for (int a = 0; a < r->n_arms; a++) {
        exo_arm_result *ar = &r->arms[a];
        size_t n = (size_t)ar->n_rows * EXO_RD_COUNT;
        ar->band = exo_alloc(ctx, 2 * n * 3 + 1, sizeof *ar->band);
        if (!ar->band) {
            exo_free(ctx, v);
            return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
        }
        for (size_t j = 0; j < n; j++) {
            for (int d = 0; d < runs; d++)
                v[d] = values[(size_t)d * total + off + j];
            quantiles(v, runs, &ar->band[3 * j]);
            change_of(values, runs, total, off, j, v);
            bool defined = true;
            for (int d = 0; d < runs; d++)
                defined = defined && !isnan(v[d]);
            if (defined)
                quantiles(v, runs, &ar->band[3 * (n + j)]);
            else
                ar->band[3 * (n + j)] = ar->band[3 * (n + j) + 1] = ar->band[3 * (n + j) + 2] = NAN;
        }
        for (int q = 0; q < EXO_RD_COUNT && ar->n_rows > 0; q++)
            memcpy(ar->change_band[q], &ar->band[3 * (2 * n - EXO_RD_COUNT + (size_t)q)], sizeof ar->change_band[q]);
        off += n;
    }
    exo_free(ctx, v);
    r->band_runs = runs;
    return EXO_OK;
}

/* The readouts of every row of every arm of plain, one flat array. */
static size_t readout_count(const exo_result *plain)
{
    size_t total = 0;
    for (int a = 0; a < plain->n_arms; a++)
        total += (size_t)plain->arms[a].n_rows * EXO_RD_COUNT;
    return total;
}

/* Every readout of every row of every arm of run r into v (readout_count
 * doubles), r having recorded the rows of the plain run. */
static exo_status keep_readouts(exo_ctx *ctx, const exo_result *r, const exo_result *plain, double *v)
{
    for (int a = 0; a < r->n_arms; a++)
        if (r->arms[a].n_rows != plain->arms[a].n_rows)
            return exo_ctx_error(ctx, EXO_ENUMERIC, "draws: arm '%s' recorded %d rows in one draw and %d in the "
                                 "run at the defaults", r->arms[a].name, r->arms[a].n_rows, plain->arms[a].n_rows);
    size_t k = 0;
    for (int a = 0; a < r->n_arms; a++)
        for (int i = 0; i < r->arms[a].n_rows; i++)
            for (int q = 0; q < EXO_RD_COUNT; q++)
                v[k++] = r->arms[a].rows[i].rd[q];
    return EXO_OK;
}

/* Draws 1..n of the scenario (each keyed by (cfg->seed, d)) on OpenMP
 * threads, each with its own context; draw d's readouts, row by row as in
 * `plain` (which must have recorded the same rows), into
 * values + d * total.  Stored by index, so the same values at any thread
 * count; the first failing draw's status and message win.  A tissue-mode
 * run threads its own steps: its draws run one after the other. */
static exo_status run_posterior_draws(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                                      const exo_result *plain, size_t total, double *values,
                                      exo_progress_fn progress, void *user)
{
    exo__first_failure bad;
    exo__first_failure_init(&bad, n + 1);
    int done = 1;
#pragma omp parallel for schedule(dynamic, 1) if (cfg->sim.fidelity != EXO_FIDELITY_TISSUE)
    for (int d = 1; d <= n; d++) {
        exo_ctx *tctx = NULL;
        exo_result *r = NULL;
        exo_config c;
        exo_status ts = exo_ctx_create(exo_ctx_seed(ctx), &tctx);
        if (ts == EXO_OK && (ts = draw_params(cfg, post, d, &c)) != EXO_OK)
            exo_ctx_error(tctx, ts, "the posterior draw failed");
        if (ts == EXO_OK)
            ts = exo_run(tctx, &c, NULL, NULL, &r);
        if (ts == EXO_OK)
            ts = keep_readouts(tctx, r, plain, values + (size_t)d * total);
        exo_result_destroy(&r);
#pragma omp critical(exo_draws_progress)
        {
            exo__first_failure_note(&bad, d, ts, tctx);
            done++;
            if (progress)
                progress(user, (double)done / (n + 1));
        }
        exo_ctx_destroy(&tctx);
    }
    if (bad.st != EXO_OK)
        return exo_ctx_error(ctx, bad.st, "%s: posterior draw %d of %d: %s", cfg->name, bad.index, n, bad.msg);
    return EXO_OK;
}

exo_status exo_run_draws(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                         exo_progress_fn progress, void *user, exo_result **out)
{
    if (!ctx || !cfg || !post || !out || n < 0)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_run_draws: NULL argument or negative draw count");
    *out = NULL;
    exo_result *plain = NULL;
    exo_status st = exo_run(ctx, cfg, NULL, NULL, &plain);
    if (st != EXO_OK || n == 0) { /* --draws 0: the plain run, no bands */
        if (progress && st == EXO_OK)
            progress(user, 1.0);
        *out = plain;
        return st;
    }
    if (progress)
        progress(user, 1.0 / (n + 1));
    size_t total = readout_count(plain);
    double *values = exo_alloc(ctx, (size_t)(n + 1) * total + 1, sizeof *values);
    if (!values)
        st = exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    if (st == EXO_OK)
        st = keep_readouts(ctx, plain, plain, values);
    if (st == EXO_OK)
        st = run_posterior_draws(ctx, cfg, post, n, plain, total, values, progress, user);
    if (st == EXO_OK)
        st = make_bands(ctx, plain, values, n + 1, total);
    exo_free(ctx, values);
    if (st == EXO_OK)
        *out = plain;
    else
        exo_result_destroy(&plain);
    return st;
}

/* ---- a study's prediction interval (exo_validate_dir_draws) ----------- */

exo_status exo__study_draw_endpoints(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n, double *y)
{
    exo_status st = EXO_OK;
    exo_result *r = NULL;
    for (int d = 0; d <= n && st == EXO_OK; d++) {
        exo_config c;
        st = draw_params(cfg, post, d, &c);
        if (st == EXO_OK)
            st = exo_run(ctx, &c, NULL, NULL, &r);
        if (st == EXO_OK)
            st = exo_result_endpoint(ctx, r, &cfg->study.endpoint, &y[d]);
        exo_result_destroy(&r);
        if (st != EXO_OK) { /* which draw: the message copied first (it is rewritten) */
            char why[512];
            snprintf(why, sizeof why, "%s", exo_ctx_last_error(ctx));
            exo_ctx_error(ctx, st, "%s: posterior draw %d of %d: %s", cfg->name, d, n, why);
        }
    }
    return st;
}

exo_status exo_validation_interval(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                                   exo_validation_row *row)
{
    if (!ctx || !cfg || !post || !row || n < 0)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_validation_interval: NULL argument or negative draw count");
    if (!cfg->study.present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no study block", cfg->name);
    int runs = n + 1;
    double *v = exo_alloc(ctx, (size_t)runs, sizeof *v);
    if (!v)
        return exo_ctx_error(ctx, EXO_ENOMEM, "draws: out of memory");
    exo_status st = exo__study_draw_endpoints(ctx, cfg, post, n, v);
    if (st == EXO_OK) {
        double q[3];
        quantiles(v, runs, q);
        row->interval_runs = runs;
        row->interval_low = q[0];
        row->interval_mid = q[1];
        row->interval_high = q[2];
        row->inside = !row->direction_only && row->reported >= q[0] && row->reported <= q[2];
    }
    exo_free(ctx, v);
    return st;
}

/* ---- the bands of a result (exo_study.h) ------------------------------ */

int exo_result_band_runs(const exo_result *r) { return r ? r->band_runs : 0; }

bool exo_result_row_band(const exo_result *r, int arm, int row, int readout, bool change, double q[3])
{
    q[0] = q[1] = q[2] = NAN;
    if (!r || r->band_runs <= 0 || arm < 0 || arm >= r->n_arms || readout < 0 || readout >= EXO_RD_COUNT)
        return false;
    const exo_arm_result *ar = &r->arms[arm];
    if (!ar->band || row < 0 || row >= ar->n_rows)
        return false;
    size_t n = (size_t)ar->n_rows * EXO_RD_COUNT, j = (size_t)row * EXO_RD_COUNT + (size_t)readout;
    memcpy(q, &ar->band[3 * ((change ? n : 0) + j)], 3 * sizeof *q);
    return !isnan(q[0]);
}

bool exo_result_change_band(const exo_result *r, int arm, int readout, double q[3])
{
    return exo_result_row_band(r, arm, r && arm >= 0 && arm < r->n_arms ? r->arms[arm].n_rows - 1 : -1, readout,
                               true, q);
}
