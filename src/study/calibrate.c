/* calibrate.c - fits model parameters to the published targets of the study
 * definitions in a folder (`exoskin calibrate`): a derivative-free
 * Nelder-Mead search (GSL nmsimplex2) over unconstrained variables that a
 * logistic map keeps inside each parameter's prior range.  The objective and
 * the transform are stated in exo_study.h; docs/validation.md says how the
 * fit is used.
 *
 * Why this shape: every study is cheap (0.01-0.1 s) but its endpoints are
 * read off a time-stepped run, so they are only piecewise smooth in the
 * parameters; a simplex needs no gradients and stays robust to that.  The
 * logistic map (Nelder & Mead 1965 with the bound transform of e.g. Press et
 * al., Numerical Recipes 3rd ed. sec. 10.5) makes the search unconstrained
 * while every trial value lies in [min, max]; wide positive ranges (max/min
 * > 10) are searched in log space so that each decade gets equal room. */
#include "study/calibrate_impl.h"

#include <dirent.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#define PENALTY 1e12        /* [1] objective when a study run or endpoint fails */
#define TINY_HALFWIDTH 1e-12 /* [unit] floor of a zero-width acceptance range */
#define X_LIMIT 40.0         /* [1] |x| beyond which the logistic is saturated */
#define S_EDGE 1e-9          /* [1] a start on a bound maps to s = S_EDGE or 1 - S_EDGE */
#define STEP 1.0             /* [1] initial simplex edge in the unconstrained variables */
#define ROTATION_PURPOSE 0x63616c6962726174ULL /* "calibrat": rng purpose of the simplex rotation */

/* ---- the bound transform ------------------------------------------------ */

static void fit_param_init(exo_param_id id, exo__fit_param *p)
{
    p->id = id;
    p->row = &exo_param_table()[id];
    p->log_scale = p->row->min > 0 && p->row->max / p->row->min > 10;
    p->lo = p->log_scale ? log(p->row->min) : p->row->min;
    p->hi = p->log_scale ? log(p->row->max) : p->row->max;
}

/* value = lo + (hi - lo) / (1 + exp(-x)), in log space if log_scale [unit] */
static double to_value(const exo__fit_param *p, double x)
{
    x = fmin(fmax(x, -X_LIMIT), X_LIMIT);
    double t = p->lo + (p->hi - p->lo) / (1.0 + exp(-x));
    double v = p->log_scale ? exp(t) : t;
    return fmin(fmax(v, p->row->min), p->row->max); /* rounding must not leave the range */
}

static double to_unconstrained(const exo__fit_param *p, double v)
{
    double t = p->log_scale ? log(v) : v;
    double s = (t - p->lo) / (p->hi - p->lo);
    s = fmin(fmax(s, S_EDGE), 1.0 - S_EDGE);
    return log(s / (1.0 - s));
}

/* ---- the objective ------------------------------------------------------ */

double exo__calib_halfwidth(const exo_endpoint_cfg *ep) { return fmax(0.5 * (ep->high - ep->low), TINY_HALFWIDTH); }

int exo__calib_n_residuals(const exo__calib *c, int i) { return 1 + c->cfgs[i].study.n_checks; }

exo_status exo__calib_run_study(exo__calib *c, int i, double *r, double *predicted, bool *pass, bool *ok)
{
    const exo_config *cfg = &c->cfgs[i];
    const exo_study_cfg *sd = &cfg->study;
    exo_result *res = NULL;
    double v = NAN;
    *ok = false;
    *pass = false;
    *predicted = NAN;
    exo_status st = exo_run(c->ctx, cfg, NULL, NULL, &res);
    if (st == EXO_OK)
        st = exo_result_endpoint(c->ctx, res, &sd->endpoint, &v);
    if (st != EXO_OK)
        goto out;
    double d = (v - sd->reported) / exo__calib_halfwidth(&sd->endpoint);
    bool all = v >= sd->endpoint.low && v <= sd->endpoint.high, finite = isfinite(d);
    for (int k = 0; k < sd->n_checks; k++) {
        const exo_endpoint_cfg *ck = &sd->checks[k];
        double w;
        st = exo_result_endpoint(c->ctx, res, ck, &w);
        if (st != EXO_OK)
            goto out;
        double off = w < ck->low ? ck->low - w : (w > ck->high ? w - ck->high : 0.0);
        r[1 + k] = off / exo__calib_halfwidth(ck);
        finite = finite && isfinite(r[1 + k]);
        all = all && w >= ck->low && w <= ck->high;
    }
    r[0] = d;
    *predicted = v;
    *pass = all;
    *ok = finite;
out:
    exo_result_destroy(&res);
    if (st == EXO_ENOMEM)
        return st;
    if (st != EXO_OK) {
        exo_ctx_log(c->ctx, EXO_LOG_DEBUG, "calibrate: %s fails at a trial point: %s", c->files[i],
                    exo_ctx_last_error(c->ctx));
        exo_ctx_clear_error(c->ctx);
    }
    return EXO_OK;
}

/* Runs one study: its objective term (the sum of its squared residuals). */
static exo_status run_study(exo__calib *c, int i, double *term, double *predicted, bool *pass, bool *ok)
{
    double *r = c->resid;
    exo_status st = exo__calib_run_study(c, i, r, predicted, pass, ok);
    double sum = 0;
    for (int k = 0; *ok && k < exo__calib_n_residuals(c, i); k++)
        sum += r[k] * r[k];
    *term = sum;
    *ok = *ok && isfinite(sum);
    return st;
}

exo_status exo__calib_set(exo__calib *c, int k, double v)
{
    const exo__fit_param *p = &c->fit[k];
    double w;
    exo_status st = exo_units_convert(c->u, v, p->row->unit, p->row->internal, &w);
    if (st != EXO_OK)
        return st;
    for (int i = 0; i < c->n_cfg; i++) {
        c->cfgs[i].params.v[p->id] = w;
        c->cfgs[i].param_overridden[p->id] = true;
    }
    return EXO_OK;
}

/* Sets the fitted parameters of every study to the values of x [1]. */
static exo_status apply(exo__calib *c, const double *x)
{
    for (int k = 0; k < c->n_fit; k++) {
        exo_status st = exo__calib_set(c, k, to_value(&c->fit[k], x[k]));
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

/* The objective at x; predicted and pass (n_cfg entries each) may be NULL. */
static exo_status evaluate(exo__calib *c, const double *x, double *f, double *predicted, bool *pass)
{
    exo_status st = apply(c, x);
    if (st != EXO_OK)
        return st;
    c->evaluations++;
    double sum = 0;
    bool failed = false;
    for (int i = 0; i < c->n_cfg; i++) {
        double term = 0, v;
        bool ok, p;
        st = run_study(c, i, &term, &v, &p, &ok);
        if (st != EXO_OK)
            return st;
        failed = failed || !ok;
        sum += term;
        if (predicted)
            predicted[i] = v;
        if (pass)
            pass[i] = p;
    }
    *f = failed || !isfinite(sum) ? PENALTY : fmin(sum, PENALTY);
    return EXO_OK;
}

static double objective_gsl(const gsl_vector *y, void *user)
{
    exo__calib *c = user;
    int n = c->n_fit;
    for (int i = 0; i < n; i++) {
        double s = c->x0[i];
        for (int j = 0; j < n; j++)
            s += c->rot[i * n + j] * gsl_vector_get(y, (size_t)j);
        c->x[i] = s;
    }
    double f = PENALTY;
    exo_status st = evaluate(c, c->x, &f, NULL, NULL);
    if (st != EXO_OK && c->fatal == EXO_OK)
        c->fatal = st;
    return f;
}

/* ---- setup -------------------------------------------------------------- */

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted names of the *.yaml files of dir (exo_alloc'd strings). */
static exo_status list_studies(exo_ctx *ctx, const char *dir, char ***names, int *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot open folder", dir);
    exo_status st = EXO_OK;
    char **v = NULL;
    int k = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        if (k == cap) {
            int ncap = cap ? 2 * cap : 16;
            char **nv = exo_realloc(ctx, v, (size_t)ncap, sizeof *nv);
            if (!nv) {
                st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory listing %s", dir);
                break;
            }
            v = nv;
            cap = ncap;
        }
        if (!(v[k] = exo_strdup(ctx, e->d_name))) {
            st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory listing %s", dir);
            break;
        }
        k++;
    }
    closedir(d);
    if (st == EXO_OK && k == 0)
        st = exo_ctx_error(ctx, EXO_EINPUT, "%s: no study definitions (*.yaml)", dir);
    if (st != EXO_OK) {
        for (int i = 0; i < k; i++)
            exo_free(ctx, v[i]);
        exo_free(ctx, v);
        return st;
    }
    qsort(v, (size_t)k, sizeof *v, cmp_name);
    *names = v;
    *n = k;
    return EXO_OK;
}

/* Whether line (a study name, the file name without .yaml) names file. */
static bool names_file(const char *line, const char *file)
{
    size_t n = strlen(line);
    return n > 0 && strncmp(line, file, n) == 0 && strcmp(file + n, ".yaml") == 0;
}

/* Drops from c->files the studies listed in path (one name a line, '#'
 * comments), counting them in c->n_excluded. */
static exo_status exclude_listed(exo__calib *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return exo_ctx_error(c->ctx, EXO_EIO, "%s: cannot open the list of studies to leave out", path);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "#\r\n");
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            n--;
        line[n] = '\0';
        for (int i = 0; i < c->n_cfg; i++) {
            if (!names_file(line, c->files[i]))
                continue;
            exo_free(c->ctx, c->files[i]);
            memmove(c->files + i, c->files + i + 1, (size_t)(c->n_cfg - i - 1) * sizeof *c->files);
            c->n_cfg--;
            c->n_excluded++;
            break;
        }
    }
    fclose(f);
    if (c->n_cfg == 0)
        return exo_ctx_error(c->ctx, EXO_EINPUT, "%s leaves no study to fit", path);
    return EXO_OK;
}

static exo_status load_studies(exo__calib *c, const char *dir, const char *exclude)
{
    exo_status st = list_studies(c->ctx, dir, &c->files, &c->n_cfg);
    if (st == EXO_OK && exclude)
        st = exclude_listed(c, exclude);
    if (st != EXO_OK)
        return st;
    c->cfgs = exo_alloc(c->ctx, (size_t)c->n_cfg, sizeof *c->cfgs);
    if (!c->cfgs)
        return exo_ctx_error(c->ctx, EXO_ENOMEM, "calibrate: out of memory");
    for (int i = 0; i < c->n_cfg; i++) {
        char path[4096];
        int w = snprintf(path, sizeof path, "%s/%s", dir, c->files[i]);
        if (w < 0 || (size_t)w >= sizeof path)
            return exo_ctx_error(c->ctx, EXO_EINPUT, "%s/%s: path too long", dir, c->files[i]);
        st = exo_config_load(c->ctx, c->u, path, NULL, 0, &c->cfgs[i]);
        if (st != EXO_OK)
            return st;
        if (!c->cfgs[i].study.present)
            return exo_ctx_error(c->ctx, EXO_EINPUT, "%s: no study block", path);
    }
    return EXO_OK;
}

/* Marks the parameters named in opt (EXO_EINPUT on an unknown or repeated
 * key, or a row without a range). */
static exo_status select_named(exo_ctx *ctx, const exo_calibration_options *opt, bool *chosen)
{
    for (int k = 0; k < opt->n_keys; k++) {
        exo_param_id id;
        const char *key = opt->keys[k] ? opt->keys[k] : "";
        const exo_param_info *row = exo_param_find(key, &id);
        if (!row)
            return exo_ctx_error(ctx, EXO_EINPUT, "calibrate: unknown parameter '%s' (see exoskin params)", key);
        if (chosen[id])
            return exo_ctx_error(ctx, EXO_EINPUT, "calibrate: parameter '%s' named twice", key);
        if (!(row->min < row->max))
            return exo_ctx_error(ctx, EXO_EINPUT, "calibrate: parameter '%s' has no range to fit in", key);
        chosen[id] = true;
    }
    return EXO_OK;
}

/* Fills c->fit with the chosen parameters (table order) and x0 with their
 * starting points: the first study's values.  Returns the start values in
 * display units too. */
static exo_status setup_fit(exo__calib *c, const bool *chosen, double *x0, double *start)
{
    c->n_fit = 0;
    for (int id = 0; id < EXO_P_COUNT; id++) {
        if (!chosen[id])
            continue;
        exo__fit_param *p = &c->fit[c->n_fit];
        fit_param_init((exo_param_id)id, p);
        double v;
        exo_status st = exo_units_convert(c->u, c->own[0].v[id], p->row->internal, p->row->unit, &v);
        if (st != EXO_OK)
            return st;
        start[c->n_fit] = v;
        x0[c->n_fit] = to_unconstrained(p, fmin(fmax(v, p->row->min), p->row->max));
        c->n_fit++;
    }
    return EXO_OK;
}

/* Screening: keeps the estimate parameters whose move halfway towards either
 * bound (in the unconstrained variables, all others at their start) changes
 * the objective at all.  x0 and start hold every estimate on entry and the
 * kept ones, compacted, on return. */
static exo_status screen(exo__calib *c, double *x0, double *start)
{
    int n = c->n_fit;
    double f0;
    exo_status st = evaluate(c, x0, &f0, NULL, NULL);
    if (st != EXO_OK)
        return st;
    double *x = exo_alloc(c->ctx, (size_t)(n ? n : 1), sizeof *x);
    if (!x)
        return exo_ctx_error(c->ctx, EXO_ENOMEM, "calibrate: out of memory");
    int kept = 0;
    for (int k = 0; k < n && st == EXO_OK; k++) {
        bool effect = false;
        double s0 = 1.0 / (1.0 + exp(-x0[k]));
        const double s_try[2] = {0.5 * s0, 0.5 * (1.0 + s0)};
        for (int t = 0; t < 2 && !effect && st == EXO_OK; t++) {
            memcpy(x, x0, (size_t)n * sizeof *x);
            x[k] = log(s_try[t] / (1.0 - s_try[t]));
            double f;
            st = evaluate(c, x, &f, NULL, NULL);
            effect = st == EXO_OK && f != f0;
        }
        if (!effect)
            continue;
        c->fit[kept] = c->fit[k];
        x0[kept] = x0[k];
        start[kept] = start[k];
        kept++;
    }
    exo_free(c->ctx, x);
    if (st != EXO_OK)
        return st;
    /* the dropped parameters go back to each study's own values */
    for (int i = 0; i < c->n_cfg; i++)
        c->cfgs[i].params = c->own[i];
    c->n_fit = kept;
    return EXO_OK;
}

/* The axes of the initial simplex: the identity for seed 0, otherwise an
 * orthonormal basis from Gram-Schmidt on counter-based uniform draws, so the
 * orientation depends on the seed alone. */
static void make_rotation(uint64_t seed, int n, double *rot)
{
    for (int i = 0; i < n * n; i++)
        rot[i] = 0;
    for (int j = 0; j < n; j++)
        rot[j * n + j] = 1;
    if (seed == 0)
        return;
    for (int j = 0; j < n; j++) {
        double norm = 0;
        for (int attempt = 0; attempt < 16 && !(norm > 1e-6); attempt++) {
            for (int i = 0; i < n; i++)
                rot[i * n + j] = 2 * exo_rng_uniform(seed, ROTATION_PURPOSE, (uint64_t)j,
                                                     (uint64_t)(attempt * n + i)) - 1;
            for (int m = 0; m < j; m++) {
                double dot = 0;
                for (int i = 0; i < n; i++)
                    dot += rot[i * n + j] * rot[i * n + m];
                for (int i = 0; i < n; i++)
                    rot[i * n + j] -= dot * rot[i * n + m];
            }
            norm = 0;
            for (int i = 0; i < n; i++)
                norm += rot[i * n + j] * rot[i * n + j];
            norm = sqrt(norm);
        }
        if (!(norm > 1e-6)) { /* never in practice: fall back to the axes */
            make_rotation(0, n, rot);
            return;
        }
        for (int i = 0; i < n; i++)
            rot[i * n + j] /= norm;
    }
}

/* ---- the fit ------------------------------------------------------------ */

/* Nelder-Mead from x0; leaves the best point in best [1] and the iteration
 * count in res.  GSL's error handler is switched off meanwhile so that GSL
 * reports through return codes and never aborts the process. */
static exo_status minimise(exo__calib *c, int max_iter, double tol, uint64_t seed, double *best,
                           exo_calibration_result *res)
{
    int n = c->n_fit;
    exo_status st = EXO_OK;
    double *rot = exo_alloc(c->ctx, (size_t)n * (size_t)n, sizeof *rot);
    double *x = exo_alloc(c->ctx, (size_t)n, sizeof *x);
    gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
    gsl_vector *y = gsl_vector_calloc((size_t)n);
    gsl_vector *step = gsl_vector_alloc((size_t)n);
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)n);
    if (!rot || !x || !y || !step || !m) {
        st = exo_ctx_error(c->ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    make_rotation(seed, n, rot);
    c->rot = rot;
    c->x = x;
    gsl_vector_set_all(step, STEP);
    gsl_multimin_function fn = {.f = objective_gsl, .n = (size_t)n, .params = c};
    if (gsl_multimin_fminimizer_set(m, &fn, y, step) != GSL_SUCCESS) {
        st = exo_ctx_error(c->ctx, EXO_ENUMERIC, "calibrate: the simplex could not be set up");
        goto out;
    }
    res->iterations = 0;
    res->converged = false;
    while (res->iterations < max_iter && c->fatal == EXO_OK) {
        int gs = gsl_multimin_fminimizer_iterate(m);
        res->iterations++;
        double size = gsl_multimin_fminimizer_size(m);
        exo_ctx_log(c->ctx, EXO_LOG_DEBUG, "calibrate: iteration %d objective %.10g size %.3g", res->iterations,
                    gsl_multimin_fminimizer_minimum(m), size);
        if (gs != GSL_SUCCESS)
            break; /* no further progress possible; keep the best vertex */
        if (gsl_multimin_test_size(size, tol) == GSL_SUCCESS) {
            res->converged = true;
            break;
        }
    }
    if (c->fatal != EXO_OK) {
        st = c->fatal;
        goto out;
    }
    const gsl_vector *yb = gsl_multimin_fminimizer_x(m);
    for (int i = 0; i < n; i++) {
        double s = c->x0[i];
        for (int j = 0; j < n; j++)
            s += rot[i * n + j] * gsl_vector_get(yb, (size_t)j);
        best[i] = s;
    }
out:
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(step);
    gsl_vector_free(y);
    gsl_set_error_handler(old_handler);
    c->rot = NULL;
    c->x = NULL;
    exo_free(c->ctx, x);
    exo_free(c->ctx, rot);
    return st;
}

void exo__calib_fill_studies(const exo__calib *c, const double *pred, const bool *pass, bool after,
                             exo_calibration_result *res)
{
    for (int i = 0; i < c->n_cfg; i++) {
        exo_calibration_study *s = &res->studies[i];
        const exo_study_cfg *sd = &c->cfgs[i].study;
        snprintf(s->file, sizeof s->file, "%s", c->files[i]);
        snprintf(s->id, sizeof s->id, "%s", sd->id);
        snprintf(s->unit, sizeof s->unit, "%s", sd->unit);
        s->reported = sd->reported;
        s->low = sd->endpoint.low;
        s->high = sd->endpoint.high;
        if (after) {
            s->predicted_after = pred[i];
            s->pass_after = pass[i];
        } else {
            s->predicted_before = pred[i];
            s->pass_before = pass[i];
        }
    }
}

exo_status exo__calib_open(exo__calib *c, exo_ctx *ctx, exo_units *u, const char *dir,
                           const exo_calibration_options *opt)
{
    *c = (exo__calib){.ctx = ctx, .u = u, .fatal = EXO_OK};
    bool chosen[EXO_P_COUNT] = {false};
    exo_status st;
    if (opt->n_keys > 0) {
        EXO_TRY(select_named(ctx, opt, chosen));
    } else {
        const exo_param_info *t = exo_param_table();
        for (int id = 0; id < EXO_P_COUNT; id++)
            chosen[id] = t[id].estimate && t[id].min < t[id].max;
    }
    EXO_TRY(load_studies(c, dir, opt->exclude));
    int most = 1;
    for (int i = 0; i < c->n_cfg; i++)
        most = exo__calib_n_residuals(c, i) > most ? exo__calib_n_residuals(c, i) : most;
    c->fit = exo_alloc(ctx, EXO_P_COUNT, sizeof *c->fit);
    c->x0 = exo_alloc(ctx, EXO_P_COUNT, sizeof *c->x0);
    c->start = exo_alloc(ctx, EXO_P_COUNT, sizeof *c->start);
    c->own = exo_alloc(ctx, (size_t)c->n_cfg, sizeof *c->own);
    c->resid = exo_alloc(ctx, (size_t)most, sizeof *c->resid);
    if (!c->fit || !c->x0 || !c->start || !c->own || !c->resid) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    /* the fitted parameters start, in every study, from the first file's
     * values (apply() sets them); the others keep each file's own values */
    for (int i = 0; i < c->n_cfg; i++)
        c->own[i] = c->cfgs[i].params;
    EXO_TRY(setup_fit(c, chosen, c->x0, c->start));
    if (opt->n_keys == 0)
        EXO_TRY(screen(c, c->x0, c->start));
out:
    return st;
}

void exo__calib_close(exo__calib *c)
{
    exo_ctx *ctx = c->ctx;
    exo_free(ctx, c->resid);
    exo_free(ctx, c->start);
    exo_free(ctx, c->x0);
    exo_free(ctx, c->fit);
    exo_free(ctx, c->own);
    for (int i = 0; i < c->n_cfg; i++) {
        if (c->cfgs)
            exo_config_fini(ctx, &c->cfgs[i]);
        if (c->files)
            exo_free(ctx, c->files[i]);
    }
    exo_free(ctx, c->cfgs);
    exo_free(ctx, c->files);
    *c = (exo__calib){0};
}

exo_status exo_calibrate(exo_ctx *ctx, exo_units *u, const char *dir, const exo_calibration_options *opt,
                         exo_calibration_result **out)
{
    if (!ctx || !u || !dir || !out)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_calibrate: NULL argument");
    static const exo_calibration_options defaults = {0};
    if (!opt)
        opt = &defaults;
    if (opt->n_keys < 0 || (opt->n_keys > 0 && !opt->keys))
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_calibrate: %d keys but no key array", opt->n_keys);
    int max_iter = opt->max_iter > 0 ? opt->max_iter : 200;
    double tol = opt->tol > 0 ? opt->tol : 1e-3;

    exo__calib c;
    exo_calibration_result *res = NULL;
    double *best = NULL, *pred = NULL;
    bool *pass = NULL;
    exo_status st;

    EXO_TRY(exo__calib_open(&c, ctx, u, dir, opt));
    best = exo_alloc(ctx, EXO_P_COUNT, sizeof *best);
    pred = exo_alloc(ctx, (size_t)c.n_cfg, sizeof *pred);
    pass = exo_alloc(ctx, (size_t)c.n_cfg, sizeof *pass);
    res = exo_alloc(ctx, 1, sizeof *res);
    if (!best || !pred || !pass || !res) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    res->n_studies = c.n_cfg;
    res->n_params = c.n_fit;
    res->studies = exo_alloc(ctx, (size_t)c.n_cfg, sizeof *res->studies);
    res->params = exo_alloc(ctx, (size_t)(c.n_fit ? c.n_fit : 1), sizeof *res->params);
    if (!res->studies || !res->params) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }

    EXO_TRY(evaluate(&c, c.x0, &res->objective_before, pred, pass));
    exo__calib_fill_studies(&c, pred, pass, false, res);

    memcpy(best, c.x0, (size_t)c.n_fit * sizeof *best);
    if (c.n_fit > 0)
        EXO_TRY(minimise(&c, max_iter, tol, opt->seed, best, res));
    EXO_TRY(evaluate(&c, best, &res->objective_after, pred, pass));
    if (res->objective_after > res->objective_before) {
        /* the simplex keeps its best vertex, so this cannot happen; the
         * start is returned rather than a worse point if it ever did */
        memcpy(best, c.x0, (size_t)c.n_fit * sizeof *best);
        EXO_TRY(evaluate(&c, best, &res->objective_after, pred, pass));
    }
    exo__calib_fill_studies(&c, pred, pass, true, res);
    for (int k = 0; k < c.n_fit; k++) {
        exo_calibration_param *p = &res->params[k];
        const exo_param_info *row = c.fit[k].row;
        p->key = row->key;
        p->unit = row->unit;
        p->default_value = row->value;
        p->initial = c.start[k];
        p->fitted = to_value(&c.fit[k], best[k]);
        p->min = row->min;
        p->max = row->max;
        p->log_scale = c.fit[k].log_scale;
    }
    res->evaluations = c.evaluations;
    *out = res;
    res = NULL;
out:
    exo_calibration_result_destroy(ctx, &res);
    exo_free(ctx, pass);
    exo_free(ctx, pred);
    exo_free(ctx, best);
    exo__calib_close(&c);
    return st;
}

void exo_calibration_result_destroy(exo_ctx *ctx, exo_calibration_result **res)
{
    if (!res || !*res)
        return;
    exo_free(ctx, (*res)->params);
    exo_free(ctx, (*res)->studies);
    exo_free(ctx, *res);
    *res = NULL;
}
