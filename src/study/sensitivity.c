/* sensitivity.c - global sensitivity of one endpoint (the % change from
 * baseline at the end of the run of one readout of one arm) to model
 * parameters varied over their prior ranges (`exoskin sensitivity`).
 *
 * The estimators work on a model y = f(x), x in the unit hypercube [0, 1]^k
 * (sensitivity_impl.h), so that they can be checked on analytic functions;
 * exo_sensitivity_run maps x_i onto parameter i's range [min, max] (in log
 * space when min > 0 and max/min > 10: log-uniform priors) and runs the skin
 * model.
 *
 * Morris (1991) elementary effects with the mu* of Campolongo, Cariboni &
 * Saltelli (2007): EE_i = (f(x + Delta e_i) - f(x)) / Delta along R random
 * one-at-a-time trajectories of a p-level grid, p = 4, Delta = p/(2(p-1)).
 * Sobol indices with the estimators of Saltelli et al. (2010), Comput. Phys.
 * Commun. 181:259, table 2 (b) for S_i and (f) (Jansen 1999) for S_Ti:
 *     S_i  = (1/N) sum_j f(B)_j (f(A_B^i)_j - f(A)_j) / V
 *     S_Ti = (1/(2N)) sum_j (f(A)_j - f(A_B^i)_j)^2 / V
 * where A_B^i is A with column i from B and V the variance of f over A and B.
 * Every random number comes from the counter-based exo_rng_uniform. */
#include "study/sensitivity_impl.h"

#include "output/output.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>

#define MORRIS_LEVELS 4                                        /* [1] p */
#define MORRIS_DELTA (MORRIS_LEVELS / (2.0 * (MORRIS_LEVELS - 1))) /* [1] Delta = 2/3 */
#define MORRIS_PURPOSE 0x6d6f72726973ULL    /* "morris": rng purpose of the trajectories */
#define BOOTSTRAP_PURPOSE 0x626f6f74ULL      /* "boot": rng purpose of the resamples */
#define MAX_TRAJECTORIES 100000
#define MAX_SAMPLES 1000000
#define MAX_BOOTSTRAP 100000
#define DEFAULT_ENDPOINT "dermal_collagen"

/* ---- running statistics of y (Welford) ----------------------------------- */

typedef struct {
    long n;
    double mean, m2;
    int done, total;
    exo_progress_fn progress;
    void *pu;
} tally;

static exo_status eval(tally *t, exo__sens_model f, void *user, const double *x, int k, double *y)
{
    exo_status st = f(user, x, k, y);
    if (st != EXO_OK)
        return st;
    t->n++;
    double d = *y - t->mean;
    t->mean += d / (double)t->n;
    t->m2 += d * (*y - t->mean);
    t->done++;
    if (t->progress)
        t->progress(t->pu, (double)t->done / t->total);
    return EXO_OK;
}

static double tally_variance(const tally *t) { return t->n > 1 ? t->m2 / (double)(t->n - 1) : 0.0; }

/* ---- Morris -------------------------------------------------------------- */

exo_status exo__sens_morris(exo_ctx *ctx, exo__sens_model f, void *user, int k, int R, uint64_t seed,
                            exo_progress_fn progress, void *pu, double *mu, double *mu_star, double *sigma,
                            double *mean, double *variance, int *runs)
{
    if (k < 1 || R < 1 || R > MAX_TRAJECTORIES)
        return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: Morris needs k >= 1 parameters and 1..%d trajectories",
                             MAX_TRAJECTORIES);
    exo_status st = EXO_OK;
    double *x = exo_alloc(ctx, (size_t)k, sizeof *x);
    double *dir = exo_alloc(ctx, (size_t)k, sizeof *dir);
    int *perm = exo_alloc(ctx, (size_t)k, sizeof *perm);
    double *ee = exo_alloc(ctx, (size_t)R * (size_t)k, sizeof *ee); /* [r * k + i] */
    tally t = {0, 0, 0, 0, R * (k + 1), progress, pu};
    if (!x || !dir || !perm || !ee) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "sensitivity: out of memory");
        goto out;
    }
    for (int r = 0; r < R; r++) {
        uint64_t c = 0;
        /* Base level in {0, 1/(p-1), ..., 1 - Delta} so that the step stays on
         * the grid; the direction says whether the trajectory goes up or
         * down along that axis. */
        int n_base = MORRIS_LEVELS / 2;
        for (int i = 0; i < k; i++) {
            int lvl = (int)(exo_rng_uniform(seed, MORRIS_PURPOSE, (uint64_t)r, c++) * n_base);
            lvl = lvl < n_base ? lvl : n_base - 1;
            double base = (double)lvl / (MORRIS_LEVELS - 1);
            dir[i] = exo_rng_uniform(seed, MORRIS_PURPOSE, (uint64_t)r, c++) < 0.5 ? 1.0 : -1.0;
            x[i] = dir[i] > 0 ? base : base + MORRIS_DELTA;
            perm[i] = i;
        }
        for (int i = k - 1; i > 0; i--) { /* Fisher-Yates: the order of the steps */
            int j = (int)(exo_rng_uniform(seed, MORRIS_PURPOSE, (uint64_t)r, c++) * (i + 1));
            j = j <= i ? j : i;
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        double y0, y1;
        EXO_TRY(eval(&t, f, user, x, k, &y0));
        for (int s = 0; s < k; s++) {
            int i = perm[s];
            x[i] = fmin(fmax(x[i] + dir[i] * MORRIS_DELTA, 0.0), 1.0);
            EXO_TRY(eval(&t, f, user, x, k, &y1));
            ee[(size_t)r * (size_t)k + (size_t)i] = (y1 - y0) / (dir[i] * MORRIS_DELTA);
            y0 = y1;
        }
    }
    for (int i = 0; i < k; i++) {
        double s = 0, sa = 0;
        for (int r = 0; r < R; r++) {
            s += ee[(size_t)r * (size_t)k + (size_t)i];
            sa += fabs(ee[(size_t)r * (size_t)k + (size_t)i]);
        }
        mu[i] = s / R;
        mu_star[i] = sa / R;
        double ss = 0;
        for (int r = 0; r < R; r++) {
            double d = ee[(size_t)r * (size_t)k + (size_t)i] - mu[i];
            ss += d * d;
        }
        sigma[i] = R > 1 ? sqrt(ss / (R - 1)) : 0.0;
    }
    *mean = t.mean;
    *variance = tally_variance(&t);
    *runs = t.done;
out:
    exo_free(ctx, x);
    exo_free(ctx, dir);
    exo_free(ctx, perm);
    exo_free(ctx, ee);
    return st;
}

/* ---- Sobol --------------------------------------------------------------- */

/* S_i and S_Ti of every parameter from the rows idx[0..N-1] (repeats allowed). */
static void sobol_indices(int k, int N, const int *idx, const double *yA, const double *yB, const double *yAB,
                          double *s1, double *st)
{
    double f0 = 0;
    for (int j = 0; j < N; j++)
        f0 += yA[idx[j]] + yB[idx[j]];
    f0 /= 2.0 * N;
    double v = 0;
    for (int j = 0; j < N; j++) {
        double a = yA[idx[j]] - f0, b = yB[idx[j]] - f0;
        v += a * a + b * b;
    }
    v = N > 1 ? v / (2.0 * N - 1) : 0.0;
    for (int i = 0; i < k; i++) {
        const double *yi = yAB + (size_t)i * (size_t)N;
        double a = 0, b = 0;
        for (int j = 0; j < N; j++) {
            int r = idx[j];
            a += yB[r] * (yi[r] - yA[r]);
            b += (yA[r] - yi[r]) * (yA[r] - yi[r]);
        }
        s1[i] = v > 0 ? a / N / v : 0.0;
        st[i] = v > 0 ? b / (2.0 * N) / v : 0.0;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted v[0..n-1], linear between order statistics. */
static double quantile(const double *v, int n, double q)
{
    double pos = q * (n - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

exo_status exo__sens_sobol(exo_ctx *ctx, exo__sens_model f, void *user, int k, int N, int B, uint64_t seed,
                           exo_progress_fn progress, void *pu, double *s1, double *s1_lo, double *s1_hi, double *st_,
                           double *st_lo, double *st_hi, double *mean, double *variance, int *runs)
{
    if (k < 1 || k > EXO_SENS_SOBOL_MAX_PARAMS || N < 2 || N > MAX_SAMPLES || B < 1 || B > MAX_BOOTSTRAP)
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "sensitivity: Sobol needs 1..%d parameters (got %d), 2..%d samples (got %d) and "
                             "1..%d bootstrap resamples (got %d)",
                             EXO_SENS_SOBOL_MAX_PARAMS, k, MAX_SAMPLES, N, MAX_BOOTSTRAP, B);
    exo_status st = EXO_OK;
    size_t nk = (size_t)N * (size_t)k;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double *pt = exo_alloc(ctx, 2 * (size_t)k, sizeof *pt);
    double *x = exo_alloc(ctx, (size_t)k, sizeof *x);
    double *yA = exo_alloc(ctx, (size_t)N, sizeof *yA);
    double *yB = exo_alloc(ctx, (size_t)N, sizeof *yB);
    double *yAB = exo_alloc(ctx, nk, sizeof *yAB);          /* [i * N + j] */
    int *idx = exo_alloc(ctx, (size_t)N, sizeof *idx);
    double *bs1 = exo_alloc(ctx, (size_t)B * (size_t)k, sizeof *bs1); /* [i * B + b] */
    double *bst = exo_alloc(ctx, (size_t)B * (size_t)k, sizeof *bst);
    tally t = {0, 0, 0, 0, (k + 2) * N, progress, pu};
    if (!q || !pt || !x || !yA || !yB || !yAB || !idx || !bs1 || !bst) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "sensitivity: out of memory");
        goto out;
    }
    for (int j = 0; j < N; j++) {
        gsl_qrng_get(q, pt);
        EXO_TRY(eval(&t, f, user, pt, k, &yA[j]));
        EXO_TRY(eval(&t, f, user, pt + k, k, &yB[j]));
        for (int i = 0; i < k; i++) {
            memcpy(x, pt, (size_t)k * sizeof *x);
            x[i] = pt[k + i];
            EXO_TRY(eval(&t, f, user, x, k, &yAB[(size_t)i * (size_t)N + (size_t)j]));
        }
    }
    for (int j = 0; j < N; j++)
        idx[j] = j;
    sobol_indices(k, N, idx, yA, yB, yAB, s1, st_);
    /* Bootstrap: resample the N rows (each row keeps its A, B and A_B^i
     * runs together) and take the 2.5 and 97.5 % points of the indices. */
    double *s1b = x; /* k entries, reused */
    double *stb = pt;
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < N; j++) {
            int r = (int)(exo_rng_uniform(seed, BOOTSTRAP_PURPOSE, (uint64_t)b, (uint64_t)j) * N);
            idx[j] = r < N ? r : N - 1;
        }
        sobol_indices(k, N, idx, yA, yB, yAB, s1b, stb);
        for (int i = 0; i < k; i++) {
            bs1[(size_t)i * (size_t)B + (size_t)b] = s1b[i];
            bst[(size_t)i * (size_t)B + (size_t)b] = stb[i];
        }
    }
    for (int i = 0; i < k; i++) {
        double *v1 = bs1 + (size_t)i * (size_t)B, *vt = bst + (size_t)i * (size_t)B;
        qsort(v1, (size_t)B, sizeof *v1, cmp_double);
        qsort(vt, (size_t)B, sizeof *vt, cmp_double);
        s1_lo[i] = quantile(v1, B, 0.025);
        s1_hi[i] = quantile(v1, B, 0.975);
        st_lo[i] = quantile(vt, B, 0.025);
        st_hi[i] = quantile(vt, B, 0.975);
    }
    *mean = t.mean;
    *variance = tally_variance(&t);
    *runs = t.done;
out:
    if (q)
        gsl_qrng_free(q);
    exo_free(ctx, pt);
    exo_free(ctx, x);
    exo_free(ctx, yA);
    exo_free(ctx, yB);
    exo_free(ctx, yAB);
    exo_free(ctx, idx);
    exo_free(ctx, bs1);
    exo_free(ctx, bst);
    return st;
}

/* ---- the skin model as f(x) ---------------------------------------------- */

typedef struct {
    exo_param_id id;
    const exo_param_info *row;
    bool log_scale;
    double lo, hi; /* [unit] or log([unit]) */
} sens_param;

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    const exo_config *cfg; /* loaded once; copied by value per run */
    int arm, readout;
    sens_param *p;
} skin_model;

static exo_status skin_eval(void *user, const double *x, int k, double *y)
{
    skin_model *m = user;
    exo_config cfg = *m->cfg; /* shallow: the run only reads the arrays it points to */
    for (int i = 0; i < k; i++) {
        const sens_param *p = &m->p[i];
        double t = p->lo + x[i] * (p->hi - p->lo);
        double v = fmin(fmax(p->log_scale ? exp(t) : t, p->row->min), p->row->max);
        double vi;
        exo_status st = exo_units_convert(m->u, v, p->row->unit, p->row->internal, &vi);
        if (st != EXO_OK)
            return st;
        cfg.params.v[p->id] = vi;
        cfg.param_overridden[p->id] = true;
    }
    exo_result *r = NULL;
    exo_status st = exo_run(m->ctx, &cfg, NULL, NULL, &r);
    if (st != EXO_OK) {
        exo_result_destroy(&r);
        return st;
    }
    double b0, b1;
    exo_result_readout(r, m->arm, m->readout, &b0, &b1);
    exo_result_destroy(&r);
    if (b0 == 0 || !isfinite(b0) || !isfinite(b1))
        return exo_ctx_error(m->ctx, EXO_EINPUT, "sensitivity: %s baseline %g, final %g: no %% change defined",
                             exo_readout_name(m->readout), b0, b1);
    *y = 100.0 * (b1 - b0) / b0; /* [%] */
    return EXO_OK;
}

/* ---- the public API ------------------------------------------------------ */

static bool has_range(const exo_param_info *row) { return row->min < row->max; }

static int n_default_params(void)
{
    const exo_param_info *t = exo_param_table();
    int n = 0;
    for (int i = 0; i < EXO_P_COUNT; i++)
        n += t[i].estimate && has_range(&t[i]);
    return n;
}

int exo_sensitivity_n_runs(const exo_sensitivity_options *opt)
{
    int k = opt->n_keys > 0 ? opt->n_keys : n_default_params();
    if (opt->method == EXO_SENS_SOBOL)
        return (k + 2) * (opt->samples > 0 ? opt->samples : 64);
    return (k + 1) * (opt->trajectories > 0 ? opt->trajectories : 10);
}

void exo_sensitivity_destroy(exo_ctx *ctx, exo_sensitivity_result **res)
{
    if (!res || !*res)
        return;
    exo_free(ctx, (*res)->params);
    exo_free(ctx, (*res)->effective_input);
    exo_free(ctx, *res);
    *res = NULL;
}

static exo_status pick_params(exo_ctx *ctx, const exo_sensitivity_options *opt, sens_param *p, int *k)
{
    const exo_param_info *t = exo_param_table();
    int n = 0;
    if (opt->n_keys > 0) {
        bool seen[EXO_P_COUNT] = {false};
        for (int i = 0; i < opt->n_keys; i++) {
            exo_param_id id;
            const exo_param_info *row = opt->keys[i] ? exo_param_find(opt->keys[i], &id) : NULL;
            if (!row)
                return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: unknown parameter '%s' (see exoskin params)",
                                     opt->keys[i] ? opt->keys[i] : "(null)");
            if (seen[id])
                return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: parameter '%s' given twice", row->key);
            if (!has_range(row))
                return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: parameter '%s' has an empty range [%g, %g] %s",
                                     row->key, row->min, row->max, row->unit);
            seen[id] = true;
            p[n++].id = id;
        }
    } else {
        for (int i = 0; i < EXO_P_COUNT; i++)
            if (t[i].estimate && has_range(&t[i]))
                p[n++].id = (exo_param_id)i;
    }
    for (int i = 0; i < n; i++) {
        p[i].row = &t[p[i].id];
        p[i].log_scale = p[i].row->min > 0 && p[i].row->max / p[i].row->min > 10;
        p[i].lo = p[i].log_scale ? log(p[i].row->min) : p[i].row->min;
        p[i].hi = p[i].log_scale ? log(p[i].row->max) : p[i].row->max;
    }
    *k = n;
    return EXO_OK;
}

static exo_status pick_endpoint(exo_ctx *ctx, const exo_config *cfg, const char *name, int *readout)
{
    int nr = exo_readout_count();
    if (!name) {
        int q = (int)cfg->study.endpoint.quantity - (int)EXO_Q_READOUT_FIRST;
        if (cfg->study.present && q >= 0 && q < nr) {
            *readout = q;
            return EXO_OK;
        }
        name = DEFAULT_ENDPOINT;
    }
    for (int r = 0; r < nr; r++)
        if (!strcmp(exo_readout_name(r), name)) {
            *readout = r;
            return EXO_OK;
        }
    return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: unknown endpoint '%s' (expected a readout, e.g. %s)", name,
                         DEFAULT_ENDPOINT);
}

static exo_status pick_arm(exo_ctx *ctx, const exo_config *cfg, const char *name, int *arm)
{
    if (cfg->n_arms < 1)
        return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: the scenario has no arm");
    if (!name) {
        *arm = 0;
        return EXO_OK;
    }
    for (int a = 0; a < cfg->n_arms; a++)
        if (!strcmp(cfg->arms[a].name, name)) {
            *arm = a;
            return EXO_OK;
        }
    return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: no arm named '%s'", name);
}

/* Ranking: largest mu* (Morris) or S_T (Sobol) first; ties in table order. */
static int cmp_rank(const void *a, const void *b, exo_sens_method m)
{
    const exo_sensitivity_param *x = a, *y = b;
    double u = m == EXO_SENS_MORRIS ? x->mu_star : x->st, v = m == EXO_SENS_MORRIS ? y->mu_star : y->st;
    if (u != v)
        return u > v ? -1 : 1;
    exo_param_id ix, iy;
    exo_param_find(x->key, &ix);
    exo_param_find(y->key, &iy);
    return (ix > iy) - (ix < iy);
}
static int cmp_morris(const void *a, const void *b) { return cmp_rank(a, b, EXO_SENS_MORRIS); }
static int cmp_sobol(const void *a, const void *b) { return cmp_rank(a, b, EXO_SENS_SOBOL); }

exo_status exo_sensitivity_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                               const exo_sensitivity_options *opt, exo_progress_fn progress, void *user,
                               exo_sensitivity_result **out)
{
    if (!ctx || !u || !path || !opt || !out || (n_sets > 0 && !sets) || (opt->n_keys > 0 && !opt->keys))
        return ctx ? exo_ctx_error(ctx, EXO_EINVAL, "sensitivity: NULL argument") : EXO_EINVAL;
    if (opt->method != EXO_SENS_MORRIS && opt->method != EXO_SENS_SOBOL)
        return exo_ctx_error(ctx, EXO_EINVAL, "sensitivity: unknown method %d", (int)opt->method);
    if (opt->method == EXO_SENS_SOBOL && opt->n_keys <= 0)
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "sensitivity: Sobol indices need an explicit list of parameters (at most %d; "
                             "screen with Morris first)",
                             EXO_SENS_SOBOL_MAX_PARAMS);
    if (opt->n_keys > EXO_P_COUNT)
        return exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: %d parameters given (the table has %d)", opt->n_keys,
                             (int)EXO_P_COUNT);
    exo_status st = EXO_OK;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    bool loaded = false;
    sens_param p[EXO_P_COUNT];
    int k = 0;
    double *w = NULL;
    exo_sensitivity_result *res = NULL;
    EXO_TRY(pick_params(ctx, opt, p, &k));
    if (k == 0) {
        st = exo_ctx_error(ctx, EXO_EINPUT, "sensitivity: no parameter to vary");
        goto out;
    }
    EXO_TRY(exo_config_load(ctx, u, path, sets, n_sets, &cfg));
    loaded = true;
    skin_model m = {ctx, u, &cfg, 0, 0, p};
    EXO_TRY(pick_endpoint(ctx, &cfg, opt->endpoint, &m.readout));
    EXO_TRY(pick_arm(ctx, &cfg, opt->arm, &m.arm));
    res = exo_alloc(ctx, 1, sizeof *res);
    w = exo_alloc(ctx, 9 * (size_t)k, sizeof *w);
    if (!res || !w || !(res->params = exo_alloc(ctx, (size_t)k, sizeof *res->params))) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "sensitivity: out of memory");
        goto out;
    }
    res->method = opt->method;
    snprintf(res->endpoint, sizeof res->endpoint, "%s", exo_readout_name(m.readout));
    snprintf(res->unit, sizeof res->unit, "%s", exo_readout_unit(m.readout));
    snprintf(res->arm, sizeof res->arm, "%s", cfg.arms[m.arm].name);
    res->seed = opt->seed;
    res->n_params = k;
    EXO_TRY(exo_config_to_yaml(ctx, &cfg, &res->effective_input));
    double *v[9];
    for (int j = 0; j < 9; j++)
        v[j] = w + (size_t)j * (size_t)k;
    if (opt->method == EXO_SENS_MORRIS) {
        res->trajectories = opt->trajectories > 0 ? opt->trajectories : 10;
        EXO_TRY(exo__sens_morris(ctx, skin_eval, &m, k, res->trajectories, opt->seed, progress, user, v[0], v[1],
                                 v[2], &res->mean, &res->variance, &res->runs));
    } else {
        res->samples = opt->samples > 0 ? opt->samples : 64;
        res->bootstrap = opt->bootstrap > 0 ? opt->bootstrap : 100;
        EXO_TRY(exo__sens_sobol(ctx, skin_eval, &m, k, res->samples, res->bootstrap, opt->seed, progress, user, v[3],
                                v[4], v[5], v[6], v[7], v[8], &res->mean, &res->variance, &res->runs));
    }
    for (int i = 0; i < k; i++) {
        exo_sensitivity_param *q = &res->params[i];
        q->key = p[i].row->key;
        q->unit = p[i].row->unit;
        q->min = p[i].row->min;
        q->max = p[i].row->max;
        q->log_scale = p[i].log_scale;
        bool morris = opt->method == EXO_SENS_MORRIS;
        q->mu = morris ? v[0][i] : NAN;
        q->mu_star = morris ? v[1][i] : NAN;
        q->sigma = morris ? v[2][i] : NAN;
        q->s1 = morris ? NAN : v[3][i];
        q->s1_lo = morris ? NAN : v[4][i];
        q->s1_hi = morris ? NAN : v[5][i];
        q->st = morris ? NAN : v[6][i];
        q->st_lo = morris ? NAN : v[7][i];
        q->st_hi = morris ? NAN : v[8][i];
    }
    qsort(res->params, (size_t)k, sizeof *res->params, opt->method == EXO_SENS_MORRIS ? cmp_morris : cmp_sobol);
    *out = res;
    res = NULL;
out:
    exo_free(ctx, w);
    exo_sensitivity_destroy(ctx, &res);
    if (loaded)
        exo_config_fini(ctx, &cfg);
    return st;
}

/* ---- output -------------------------------------------------------------- */

static exo_status write_csv(exo_ctx *ctx, const exo_sensitivity_result *res, const char *tmp)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/sensitivity.csv", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    bool morris = res->method == EXO_SENS_MORRIS;
    fprintf(f, "# exoskin %s sensitivity (%s): endpoint = %% change from baseline at the end of the run of %s [%s], "
               "arm ",
            EXO_VERSION_STRING, morris ? "Morris elementary effects" : "Sobol indices", res->endpoint, res->unit);
    exo__csv_quoted(f, res->arm);
    if (morris)
        fprintf(f, "; R = %d trajectories, %d runs, seed %llu; mu, mu_star, sigma: elementary effects in %% per full "
                   "range of the parameter (log range if scale = log)\n",
                res->trajectories, res->runs, (unsigned long long)res->seed);
    else
        fprintf(f, "; N = %d base samples, %d runs, %d bootstrap resamples (seed %llu); S1 first-order, ST total "
                   "index, [1], with 95 %% bootstrap intervals\n",
                res->samples, res->runs, res->bootstrap, (unsigned long long)res->seed);
    fprintf(f, "rank,parameter,unit,min [unit],max [unit],scale,");
    if (morris)
        fprintf(f, "mu [%%],mu_star [%%],sigma [%%]\n");
    else
        fprintf(f, "S1 [1],S1_lo [1],S1_hi [1],ST [1],ST_lo [1],ST_hi [1]\n");
    for (int i = 0; i < res->n_params; i++) {
        const exo_sensitivity_param *p = &res->params[i];
        fprintf(f, "%d,", i + 1);
        exo__csv_field(f, p->key);
        fputc(',', f);
        exo__csv_quoted(f, p->unit);
        fprintf(f, ",%.6g,%.6g,%s,", p->min, p->max, p->log_scale ? "log" : "linear");
        if (morris)
            fprintf(f, "%.6g,%.6g,%.6g\n", p->mu, p->mu_star, p->sigma);
        else
            fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", p->s1, p->s1_lo, p->s1_hi, p->st, p->st_lo, p->st_hi);
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static exo_status write_json(exo_ctx *ctx, const exo_sensitivity_result *res, const char *tmp)
{
    bool morris = res->method == EXO_SENS_MORRIS;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "sensitivity: out of memory");
    cJSON_AddStringToObject(root, "exoskin_version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddStringToObject(root, "method", morris ? "morris" : "sobol");
    cJSON_AddStringToObject(root, "endpoint", res->endpoint);
    cJSON_AddStringToObject(root, "endpoint_meaning", "% change from baseline at the end of the run");
    cJSON_AddStringToObject(root, "readout_unit", res->unit);
    cJSON_AddStringToObject(root, "arm", res->arm);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a JSON integer, not a double */
    cJSON_AddStringToObject(root, "effective_input", res->effective_input ? res->effective_input : "");
    if (morris) {
        cJSON_AddNumberToObject(root, "trajectories", res->trajectories);
        cJSON_AddNumberToObject(root, "levels", MORRIS_LEVELS);
        cJSON_AddNumberToObject(root, "delta", MORRIS_DELTA);
    } else {
        cJSON_AddNumberToObject(root, "samples", res->samples);
        cJSON_AddNumberToObject(root, "bootstrap", res->bootstrap);
    }
    cJSON_AddNumberToObject(root, "runs", res->runs);
    cJSON_AddNumberToObject(root, "endpoint_mean_percent", res->mean);
    cJSON_AddNumberToObject(root, "endpoint_variance_percent2", res->variance);
    cJSON *arr = cJSON_AddArrayToObject(root, "parameters");
    for (int i = 0; arr && i < res->n_params; i++) {
        const exo_sensitivity_param *p = &res->params[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            arr = NULL;
            break;
        }
        cJSON_AddNumberToObject(o, "rank", i + 1);
        cJSON_AddStringToObject(o, "key", p->key);
        cJSON_AddStringToObject(o, "unit", p->unit);
        cJSON_AddNumberToObject(o, "min", p->min);
        cJSON_AddNumberToObject(o, "max", p->max);
        cJSON_AddStringToObject(o, "scale", p->log_scale ? "log" : "linear");
        if (morris) {
            cJSON_AddNumberToObject(o, "mu_percent", p->mu);
            cJSON_AddNumberToObject(o, "mu_star_percent", p->mu_star);
            cJSON_AddNumberToObject(o, "sigma_percent", p->sigma);
        } else {
            cJSON_AddNumberToObject(o, "S1", p->s1);
            cJSON_AddNumberToObject(o, "S1_lo", p->s1_lo);
            cJSON_AddNumberToObject(o, "S1_hi", p->s1_hi);
            cJSON_AddNumberToObject(o, "ST", p->st);
            cJSON_AddNumberToObject(o, "ST_lo", p->st_lo);
            cJSON_AddNumberToObject(o, "ST_hi", p->st_hi);
        }
    }
    if (!arr) {
        cJSON_Delete(root);
        return exo_ctx_error(ctx, EXO_ENOMEM, "sensitivity: out of memory");
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/sensitivity.json", tmp);
    return exo__write_json(ctx, root, path);
}

static exo_status fill_sensitivity(exo_ctx *ctx, const void *user, const char *tmp)
{
    exo_status st = write_csv(ctx, user, tmp);
    if (st == EXO_OK)
        st = write_json(ctx, user, tmp);
    return st;
}

exo_status exo__sensitivity_write_files(exo_ctx *ctx, const exo_sensitivity_result *res, const char *dir)
{
    return fill_sensitivity(ctx, res, dir);
}
