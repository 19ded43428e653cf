/* posterior.c - the calibrated parameter posterior (exo_posterior.h): its
 * file (JSON, data/posterior.json), the priors and transform it is stated
 * in, and its draws.  `exoskin calibrate --posterior` builds one
 * (src/study/posterior_fit.c); docs/calibration.md describes the method.
 *
 * A draw is z = m + L e in transformed space (log of the value for a
 * log-normal prior, the value itself for a normal prior), m the posterior
 * median, L the lower Cholesky factor of the Laplace covariance
 * diag(sd) R diag(sd), e standard normal from the counter-based stream keyed
 * by (seed, index, parameter): reproducible and independent of threads.
 * Values outside a parameter's range are reflected back into it (a mirror at
 * each bound keeps the density continuous, unlike clipping). */
#include "core/posterior_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#ifndef EXO_DATADIR
#define EXO_DATADIR "/usr/share/exoskin"
#endif
#ifndef EXO_BUILD_DATADIR
#define EXO_BUILD_DATADIR ""
#endif

#define FORMAT_NAME "exoskin-posterior"
#define FORMAT_VERSION 1
#define MAX_FILE_BYTES (16u << 20) /* [byte] larger is not a posterior */
#define DRAW_PURPOSE 0x706f737465726f72ULL /* "posteror": rng purpose of the draws */

/* ---- priors and transform ----------------------------------------------- */

double exo__posterior_to_t(exo_prior_kind kind, double v) { return kind == EXO_PRIOR_LOGNORMAL ? log(v) : v; }

double exo__posterior_from_t(exo_prior_kind kind, double t) { return kind == EXO_PRIOR_LOGNORMAL ? exp(t) : t; }

static double clip(exo_param_id id, double v)
{
    const exo_param_info *row = &exo_param_table()[id];
    return fmin(fmax(v, row->min), row->max);
}

/* Log-normal when the range is positive, normal otherwise, centred at the
 * row's prior centre c (the literature value; median of the log-normal, mean
 * of the normal) with the whole range inside its 5-95 % band:
 * sd = max(t(max) - t(c), t(c) - t(min)) / 1.645 in transformed space t.  The
 * prior is truncated to the range (the model sees values clipped to it, draws
 * are reflected into it), so its 5 % and 95 % are those of the truncated
 * normal: t = m + sd * Pinv(P(a) + p (P(b) - P(a))), a and b the bounds in SDs. */
void exo__prior_init(exo_param_id id, exo_posterior_param *pp, double *mean)
{
    const exo_param_info *row = &exo_param_table()[id];
    pp->key = row->key;
    pp->unit = row->unit;
    pp->id = id;
    pp->prior_kind = row->min > 0 ? EXO_PRIOR_LOGNORMAL : EXO_PRIOR_NORMAL;
    double lo = exo__posterior_to_t(pp->prior_kind, row->min);
    double hi = exo__posterior_to_t(pp->prior_kind, row->max);
    double c = fmin(fmax(row->prior_center, row->min), row->max);
    *mean = exo__posterior_to_t(pp->prior_kind, c);
    pp->prior_sd = fmax(hi - *mean, *mean - lo) / EXO__Z95;
    pp->prior_median = c;
    double pa = gsl_cdf_ugaussian_P((lo - *mean) / pp->prior_sd);
    double pb = gsl_cdf_ugaussian_P((hi - *mean) / pp->prior_sd);
    for (int k = 0; k < 2; k++) {
        double z = gsl_cdf_ugaussian_Pinv(pa + (k ? 0.95 : 0.05) * (pb - pa));
        double v = clip(id, exo__posterior_from_t(pp->prior_kind, *mean + pp->prior_sd * z));
        *(k ? &pp->prior_p95 : &pp->prior_p05) = v;
    }
}

double exo__posterior_reflect(exo_prior_kind kind, exo_param_id id, double t)
{
    const exo_param_info *row = &exo_param_table()[id];
    double lo = exo__posterior_to_t(kind, row->min), hi = exo__posterior_to_t(kind, row->max);
    double w = hi - lo;
    if (!(w > 0) || !isfinite(t))
        return lo;
    double y = fmod(t - lo, 2 * w);
    if (y < 0)
        y += 2 * w;
    if (y > w)
        y = 2 * w - y;
    return lo + y;
}

void exo__posterior_summarise(exo_posterior *p)
{
    for (int k = 0; k < p->n; k++) {
        exo_posterior_param *q = &p->par[k];
        double m = exo__posterior_to_t(q->prior_kind, q->median);
        q->p05 = clip(q->id, exo__posterior_from_t(q->prior_kind, m - EXO__Z95 * q->sd));
        q->p95 = clip(q->id, exo__posterior_from_t(q->prior_kind, m + EXO__Z95 * q->sd));
        q->identified = q->sd < EXO__IDENTIFIED_RATIO * q->prior_sd;
    }
}

double exo__posterior_noise_of(const double *r, int n, int n_identified)
{
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += r[i] * r[i];
    int dof = n > n_identified ? n - n_identified : n;
    return dof > 0 ? sqrt(ss / dof) : 0.0;
}

/* The mixture CDF at x: the mean over i of P((x - mu[i]) / sd). */
static double mixture_cdf(const double *mu, int n, double sd, double x)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += sd > 0 ? gsl_cdf_gaussian_P(x - mu[i], sd) : (x >= mu[i] ? 1.0 : 0.0);
    return s / n;
}

double exo__mixture_quantile(const double *mu, int n, double sd, double p)
{
    if (n <= 0 || !(p > 0 && p < 1) || !(sd >= 0))
        return NAN;
    double lo = mu[0], hi = mu[0];
    for (int i = 1; i < n; i++) {
        lo = fmin(lo, mu[i]);
        hi = fmax(hi, mu[i]);
    }
    /* every component's p quantile lies in [lo + sd z_p, hi + sd z_p], so the
     * mixture's does too (its CDF is between the extreme components') */
    double z = gsl_cdf_ugaussian_Pinv(p);
    double a = lo + sd * z, b = hi + sd * z;
    double tol = 1e-12 * fmax(fmax(b - a, sd), fmax(fabs(a), fabs(b)));
    if (sd == 0 && mixture_cdf(mu, n, sd, a) >= p)
        return a;
    while (b - a > tol) { /* F(a) < p <= F(b) */
        double m = 0.5 * (a + b);
        if (m <= a || m >= b)
            break;
        if (mixture_cdf(mu, n, sd, m) < p)
            a = m;
        else
            b = m;
    }
    return sd == 0 ? b : 0.5 * (a + b);
}

/* ---- the object --------------------------------------------------------- */

exo_status exo__posterior_create(exo_ctx *ctx, int n, exo_posterior **out)
{
    *out = NULL;
    exo_posterior *p = exo_alloc(ctx, 1, sizeof *p);
    if (!p)
        return exo_ctx_error(ctx, EXO_ENOMEM, "posterior: out of memory");
    p->ctx = ctx;
    p->n = n;
    size_t m = (size_t)(n > 0 ? n : 1);
    p->par = exo_alloc(ctx, m, sizeof *p->par);
    p->corr = exo_alloc(ctx, m * m, sizeof *p->corr);
    p->chol = exo_alloc(ctx, m * m, sizeof *p->chol);
    p->scale = exo_alloc(ctx, m, sizeof *p->scale);
    p->offset = exo_alloc(ctx, m, sizeof *p->offset);
    if (!p->par || !p->corr || !p->chol || !p->scale || !p->offset) {
        exo_posterior_destroy(&p);
        return exo_ctx_error(ctx, EXO_ENOMEM, "posterior: out of memory");
    }
    *out = p;
    return EXO_OK;
}

exo_status exo__posterior_set_text(exo_posterior *p, char **field, const char *text)
{
    char *s = exo_strdup(p->ctx, text ? text : "");
    if (!s)
        return exo_ctx_error(p->ctx, EXO_ENOMEM, "posterior: out of memory");
    exo_free(p->ctx, *field);
    *field = s;
    return EXO_OK;
}

void exo_posterior_destroy(exo_posterior **pp)
{
    if (!pp || !*pp)
        return;
    exo_posterior *p = *pp;
    exo_ctx *ctx = p->ctx;
    exo_free(ctx, p->par);
    exo_free(ctx, p->corr);
    exo_free(ctx, p->chol);
    exo_free(ctx, p->scale);
    exo_free(ctx, p->offset);
    exo_free(ctx, p->training_data);
    exo_free(ctx, p->method);
    exo_free(ctx, p->date);
    exo_free(ctx, p->git_revision);
    exo_free(ctx, p);
    *pp = NULL;
}

exo_status exo__posterior_prepare(exo_posterior *p)
{
    exo_units *u = NULL;
    exo_status st = exo_units_create(p->ctx, &u);
    if (st != EXO_OK)
        return st;
    for (int k = 0; k < p->n && st == EXO_OK; k++) {
        const exo_param_info *row = &exo_param_table()[p->par[k].id];
        double zero, one;
        st = exo_units_convert(u, 0.0, row->unit, row->internal, &zero);
        if (st == EXO_OK)
            st = exo_units_convert(u, 1.0, row->unit, row->internal, &one);
        p->offset[k] = zero;
        p->scale[k] = one - zero;
    }
    exo_units_destroy(&u);
    if (st != EXO_OK)
        return st;
    int n = p->n;
    if (n == 0)
        return EXO_OK;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double r = p->corr[i * n + j];
            if (!isfinite(r) || fabs(r) > 1 + 1e-9 || fabs(r - p->corr[j * n + i]) > 1e-9 ||
                (i == j && fabs(r - 1) > 1e-9))
                return exo_ctx_error(p->ctx, EXO_EINPUT, "posterior: correlation[%d][%d] = %g is not a correlation "
                                     "(symmetric, unit diagonal, |r| <= 1)", i, j, r);
            p->chol[i * n + j] = r * p->par[i].sd * p->par[j].sd;
        }
    gsl_matrix_view L = gsl_matrix_view_array(p->chol, (size_t)n, (size_t)n);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int gs = gsl_linalg_cholesky_decomp1(&L.matrix);
    gsl_set_error_handler(old);
    if (gs != GSL_SUCCESS)
        return exo_ctx_error(p->ctx, EXO_EINPUT, "posterior: the covariance is not positive definite");
    for (int i = 0; i < n; i++) /* keep only the lower factor */
        for (int j = i + 1; j < n; j++)
            p->chol[i * n + j] = 0;
    return EXO_OK;
}

/* ---- accessors ---------------------------------------------------------- */

int exo_posterior_count(const exo_posterior *p) { return p ? p->n : 0; }

const char *exo_posterior_key(const exo_posterior *p, int i) { return p && i >= 0 && i < p->n ? p->par[i].key : NULL; }

int exo_posterior_find(const exo_posterior *p, exo_param_id id)
{
    for (int k = 0; p && k < p->n; k++)
        if (p->par[k].id == id)
            return k;
    return -1;
}

exo_status exo_posterior_param_get(const exo_posterior *p, int i, exo_posterior_param *out)
{
    if (!p || !out || i < 0 || i >= p->n)
        return EXO_EINVAL;
    *out = p->par[i];
    return EXO_OK;
}

double exo_posterior_correlation(const exo_posterior *p, int i, int j)
{
    if (!p || i < 0 || j < 0 || i >= p->n || j >= p->n)
        return NAN;
    return p->corr[i * p->n + j];
}

void exo_posterior_provenance_get(const exo_posterior *p, exo_posterior_provenance *out)
{
    if (!out)
        return;
    if (!p) {
        *out = (exo_posterior_provenance){0};
        return;
    }
    *out = (exo_posterior_provenance){p->training_data, p->n_studies, p->method, p->date, p->git_revision,
                                      p->seed, p->objective_before, p->objective_after, p->evaluations,
                                      p->check_draws, p->check_ess, p->check_shift};
}

/* ---- draws -------------------------------------------------------------- */

exo_status exo_posterior_draw(const exo_posterior *post, uint64_t seed, uint64_t index, exo_paramset *p)
{
    if (!post || !p)
        return EXO_EINVAL;
    int n = post->n;
    for (int i = 0; i < n; i++) {
        const exo_posterior_param *q = &post->par[i];
        double t = exo__posterior_to_t(q->prior_kind, q->median);
        if (index > 0) {
            for (int j = 0; j <= i; j++) {
                double e = gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, DRAW_PURPOSE, index, (uint64_t)j));
                t += post->chol[i * n + j] * e;
            }
            t = exo__posterior_reflect(q->prior_kind, q->id, t);
        }
        double v = clip(q->id, exo__posterior_from_t(q->prior_kind, t));
        p->v[q->id] = post->scale[i] * v + post->offset[i];
    }
    return EXO_OK;
}

/* ---- the file ----------------------------------------------------------- */

exo_status exo_posterior_default_path(char *buf, size_t size)
{
    const char *env = getenv("EXOSKIN_DATADIR");
    char src[4096];
    struct stat sb;
    const char *dir = EXO_DATADIR;
    if (env && env[0])
        dir = env;
    else if (EXO_BUILD_DATADIR[0] && snprintf(src, sizeof src, "%s/posterior.json", EXO_BUILD_DATADIR) > 0 &&
             stat(src, &sb) == 0 && S_ISREG(sb.st_mode))
        dir = EXO_BUILD_DATADIR;
    int w = snprintf(buf, size, "%s/posterior.json", dir);
    return w < 0 || (size_t)w >= size ? EXO_ERANGE : EXO_OK;
}

static exo_status read_text(exo_ctx *ctx, const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    exo_status st = EXO_OK;
    for (;;) {
        if (len + 1 >= cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *nb = ncap <= MAX_FILE_BYTES ? exo_realloc(ctx, buf, ncap, 1) : NULL;
            if (!nb) {
                st = ncap > MAX_FILE_BYTES ? exo_ctx_error(ctx, EXO_EINPUT, "%s: too large for a posterior", path)
                                           : exo_ctx_error(ctx, EXO_ENOMEM, "%s: out of memory", path);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (st == EXO_OK && ferror(f))
        st = exo_ctx_error(ctx, EXO_EIO, "%s: read error", path);
    fclose(f);
    if (st != EXO_OK) {
        exo_free(ctx, buf);
        return st;
    }
    buf[len] = '\0';
    *out = buf;
    return EXO_OK;
}

/* The number at obj[name]; EXO_EINPUT naming where if it is missing. */
static exo_status get_num(exo_ctx *ctx, const char *path, const cJSON *obj, const char *where, const char *name,
                          double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: %s: '%s' is missing or not a number", path, where, name);
    *out = v->valuedouble;
    return EXO_OK;
}

static exo_status get_text(exo_posterior *p, const char *path, const cJSON *obj, const char *name, char **field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: provenance: '%s' is missing or not a string", path, name);
    return exo__posterior_set_text(p, field, v->valuestring);
}

static exo_status load_provenance(exo_posterior *p, const char *path, const cJSON *prov)
{
    if (!cJSON_IsObject(prov))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: 'provenance' is missing", path);
    exo_status st;
    double n_studies = 0, seed = 0, evaluations = 0;
    if ((st = get_text(p, path, prov, "training_data", &p->training_data)) != EXO_OK ||
        (st = get_text(p, path, prov, "method", &p->method)) != EXO_OK ||
        (st = get_text(p, path, prov, "date", &p->date)) != EXO_OK ||
        (st = get_text(p, path, prov, "git_revision", &p->git_revision)) != EXO_OK ||
        (st = get_num(p->ctx, path, prov, "provenance", "n_studies", &n_studies)) != EXO_OK ||
        (st = get_num(p->ctx, path, prov, "provenance", "seed", &seed)) != EXO_OK ||
        (st = get_num(p->ctx, path, prov, "provenance", "evaluations", &evaluations)) != EXO_OK ||
        (st = get_num(p->ctx, path, prov, "provenance", "objective_before", &p->objective_before)) != EXO_OK ||
        (st = get_num(p->ctx, path, prov, "provenance", "objective_after", &p->objective_after)) != EXO_OK)
        return st;
    if (n_studies < 0 || n_studies > 1e9 || seed < 0 || seed > 1.8e19 || evaluations < 0 || evaluations > 1e9)
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: provenance: a count or the seed is out of range", path);
    p->n_studies = (int)n_studies;
    p->seed = (uint64_t)seed;
    p->evaluations = (int)evaluations;
    const cJSON *chk = cJSON_GetObjectItemCaseSensitive(prov, "importance_check"); /* optional */
    if (!chk)
        return EXO_OK;
    double draws = 0;
    if ((st = get_num(p->ctx, path, chk, "importance_check", "draws", &draws)) != EXO_OK ||
        (st = get_num(p->ctx, path, chk, "importance_check", "effective_sample_size", &p->check_ess)) != EXO_OK ||
        (st = get_num(p->ctx, path, chk, "importance_check", "largest_mean_shift_sd", &p->check_shift)) != EXO_OK)
        return st;
    if (draws < 1 || draws > 1e9 || !(p->check_ess >= 0 && p->check_ess <= draws) || !(p->check_shift >= 0))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: provenance: importance_check: a value is out of range", path);
    p->check_draws = (int)draws;
    return EXO_OK;
}

/* One entry of "parameters": the table row it names, its prior and posterior. */
static exo_status load_param(exo_posterior *p, const char *path, const cJSON *e, int k)
{
    exo_posterior_param *q = &p->par[k];
    char where[160];
    snprintf(where, sizeof where, "parameters[%d]", k);
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(e, "key");
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(e, "unit");
    const cJSON *prior = cJSON_GetObjectItemCaseSensitive(e, "prior");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(prior, "kind");
    exo_param_id id;
    if (!cJSON_IsString(key) || !exo_param_find(key->valuestring, &id))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: 'key' is missing or not a parameter of the table", path,
                             where);
    double mean;
    exo__prior_init(id, q, &mean);
    snprintf(where, sizeof where, "parameter '%s'", q->key);
    if (k > 0 && id <= p->par[k - 1].id)
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: parameters must be in table order, once each", path, where);
    if (!cJSON_IsString(unit) || strcmp(unit->valuestring, q->unit))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: 'unit' must be the table's unit '%s'", path, where, q->unit);
    const char *want = q->prior_kind == EXO_PRIOR_LOGNORMAL ? "lognormal" : "normal";
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, want))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: prior 'kind' must be '%s'", path, where, want);
    exo_status st;
    if ((st = get_num(p->ctx, path, prior, where, "median", &q->prior_median)) != EXO_OK ||
        (st = get_num(p->ctx, path, prior, where, "p05", &q->prior_p05)) != EXO_OK ||
        (st = get_num(p->ctx, path, prior, where, "p95", &q->prior_p95)) != EXO_OK ||
        (st = get_num(p->ctx, path, prior, where, "sd", &q->prior_sd)) != EXO_OK ||
        (st = get_num(p->ctx, path, e, where, "median", &q->median)) != EXO_OK ||
        (st = get_num(p->ctx, path, e, where, "p05", &q->p05)) != EXO_OK ||
        (st = get_num(p->ctx, path, e, where, "p95", &q->p95)) != EXO_OK ||
        (st = get_num(p->ctx, path, e, where, "sd", &q->sd)) != EXO_OK)
        return st;
    const exo_param_info *row = &exo_param_table()[id];
    if (!(q->median >= row->min && q->median <= row->max) || !(q->sd > 0) || !(q->prior_sd > 0))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: median outside [%g, %g] or an SD not positive", path, where,
                             row->min, row->max);
    if (q->prior_kind == EXO_PRIOR_LOGNORMAL && !(q->median > 0))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: median must be positive", path, where);
    const cJSON *idf = cJSON_GetObjectItemCaseSensitive(e, "identified");
    if (!cJSON_IsBool(idf))
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: %s: 'identified' is missing or not true/false", path, where);
    q->identified = cJSON_IsTrue(idf);
    return EXO_OK;
}

static exo_status load_correlation(exo_posterior *p, const char *path, const cJSON *corr)
{
    int n = p->n;
    if (!cJSON_IsArray(corr) || cJSON_GetArraySize(corr) != n)
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: 'correlation' must be a %d x %d array", path, n, n);
    for (int i = 0; i < n; i++) {
        const cJSON *row = cJSON_GetArrayItem(corr, i);
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != n)
            return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: 'correlation' row %d must have %d numbers", path, i, n);
        for (int j = 0; j < n; j++) {
            const cJSON *v = cJSON_GetArrayItem(row, j);
            if (!cJSON_IsNumber(v))
                return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: correlation[%d][%d] is not a number", path, i, j);
            p->corr[i * n + j] = v->valuedouble;
        }
    }
    return EXO_OK;
}

/* The optional "noise_scale" object (absent: no study noise, 0). */
static exo_status load_noise(exo_posterior *p, const char *path, const cJSON *noise)
{
    if (!noise)
        return EXO_OK;
    double rows = 0, identified = 0;
    exo_status st;
    if ((st = get_num(p->ctx, path, noise, "noise_scale", "value", &p->noise_scale)) != EXO_OK ||
        (st = get_num(p->ctx, path, noise, "noise_scale", "rows", &rows)) != EXO_OK ||
        (st = get_num(p->ctx, path, noise, "noise_scale", "identified", &identified)) != EXO_OK)
        return st;
    if (!(p->noise_scale >= 0) || rows < 1 || rows > 1e9 || identified < 0 || identified > EXO_P_COUNT)
        return exo_ctx_error(p->ctx, EXO_EINPUT, "%s: noise_scale: a value is out of range", path);
    p->noise_rows = (int)rows;
    p->noise_identified = (int)identified;
    return EXO_OK;
}

static exo_status load_json(exo_ctx *ctx, const char *path, const cJSON *root, exo_posterior **out)
{
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "parameters");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, FORMAT_NAME) || !cJSON_IsNumber(version))
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: not an exoskin posterior ('format' is not \"%s\")", path,
                             FORMAT_NAME);
    if (version->valuedouble != FORMAT_VERSION)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: posterior format version %g (this exoskin reads %d)", path,
                             version->valuedouble, FORMAT_VERSION);
    int n = cJSON_GetArraySize(params);
    if (!cJSON_IsArray(params) || n > EXO_P_COUNT)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: 'parameters' must be an array of at most %d entries", path,
                             EXO_P_COUNT);
    exo_posterior *p = NULL;
    exo_status st = exo__posterior_create(ctx, n, &p);
    if (st != EXO_OK)
        return st;
    EXO_TRY(load_provenance(p, path, cJSON_GetObjectItemCaseSensitive(root, "provenance")));
    for (int k = 0; k < n; k++)
        EXO_TRY(load_param(p, path, cJSON_GetArrayItem(params, k), k));
    EXO_TRY(load_correlation(p, path, cJSON_GetObjectItemCaseSensitive(root, "correlation")));
    EXO_TRY(load_noise(p, path, cJSON_GetObjectItemCaseSensitive(root, "noise_scale")));
    st = exo__posterior_prepare(p);
    if (st == EXO_EINPUT)
        st = exo_ctx_error(ctx, EXO_EINPUT, "%s: %s", path, exo_ctx_last_error(ctx));
    if (st != EXO_OK)
        goto out;
    *out = p;
    p = NULL;
out:
    exo_posterior_destroy(&p);
    return st;
}

exo_status exo_posterior_load(exo_ctx *ctx, const char *path, exo_posterior **out)
{
    if (!ctx || !out)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_posterior_load: NULL argument");
    *out = NULL;
    char def[4096];
    if (!path) {
        if (exo_posterior_default_path(def, sizeof def) != EXO_OK)
            return exo_ctx_error(ctx, EXO_ERANGE, "posterior: the data folder's path is too long");
        path = def;
    }
    char *text = NULL;
    exo_status st = read_text(ctx, path, &text);
    if (st != EXO_OK)
        return st;
    cJSON *root = cJSON_Parse(text);
    exo_free(ctx, text);
    if (!root)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: not valid JSON", path);
    st = load_json(ctx, path, root, out);
    cJSON_Delete(root);
    return st;
}

/* ---- writing ------------------------------------------------------------ */

static cJSON *param_json(const exo_posterior_param *q)
{
    cJSON *e = cJSON_CreateObject();
    cJSON *prior = cJSON_CreateObject();
    if (!e || !prior) {
        cJSON_Delete(e);
        cJSON_Delete(prior);
        return NULL;
    }
    cJSON_AddStringToObject(e, "key", q->key);
    cJSON_AddStringToObject(e, "unit", q->unit);
    cJSON_AddStringToObject(prior, "kind", q->prior_kind == EXO_PRIOR_LOGNORMAL ? "lognormal" : "normal");
    cJSON_AddNumberToObject(prior, "median", q->prior_median);
    cJSON_AddNumberToObject(prior, "p05", q->prior_p05);
    cJSON_AddNumberToObject(prior, "p95", q->prior_p95);
    cJSON_AddNumberToObject(prior, "sd", q->prior_sd);
    cJSON_AddItemToObject(e, "prior", prior);
    cJSON_AddNumberToObject(e, "median", q->median);
    cJSON_AddNumberToObject(e, "p05", q->p05);
    cJSON_AddNumberToObject(e, "p95", q->p95);
    cJSON_AddNumberToObject(e, "sd", q->sd);
    cJSON_AddNumberToObject(e, "sd_ratio", q->sd / q->prior_sd);
    cJSON_AddBoolToObject(e, "identified", q->identified);
    return e;
}

static cJSON *posterior_json(const exo_posterior *p)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", FORMAT_NAME);
    cJSON_AddNumberToObject(root, "version", FORMAT_VERSION);
    cJSON *prov = cJSON_AddObjectToObject(root, "provenance");
    cJSON *params = NULL, *corr = NULL;
    if (!root || !prov)
        goto fail;
    cJSON_AddStringToObject(prov, "training_data", p->training_data ? p->training_data : "");
    cJSON_AddNumberToObject(prov, "n_studies", p->n_studies);
    cJSON_AddStringToObject(prov, "method", p->method ? p->method : "");
    cJSON_AddStringToObject(prov, "date", p->date ? p->date : "");
    cJSON_AddStringToObject(prov, "git_revision", p->git_revision ? p->git_revision : "");
    cJSON_AddNumberToObject(prov, "seed", (double)p->seed);
    cJSON_AddNumberToObject(prov, "evaluations", p->evaluations);
    cJSON_AddNumberToObject(prov, "objective_before", p->objective_before);
    cJSON_AddNumberToObject(prov, "objective_after", p->objective_after);
    if (p->check_draws > 0) {
        cJSON *chk = cJSON_AddObjectToObject(prov, "importance_check");
        if (!chk)
            goto fail;
        cJSON_AddNumberToObject(chk, "draws", p->check_draws);
        cJSON_AddNumberToObject(chk, "effective_sample_size", p->check_ess);
        cJSON_AddNumberToObject(chk, "largest_mean_shift_sd", p->check_shift);
    }
    if (p->noise_rows > 0) {
        cJSON *noise = cJSON_AddObjectToObject(root, "noise_scale");
        if (!noise)
            goto fail;
        cJSON_AddNumberToObject(noise, "value", p->noise_scale);
        cJSON_AddNumberToObject(noise, "rows", p->noise_rows);
        cJSON_AddNumberToObject(noise, "identified", p->noise_identified);
        cJSON_AddStringToObject(noise, "definition",
                                "s = sqrt(sum r^2 / (rows - identified)), r = (predicted - reported) / half-width of "
                                "each training row with a published value (direction rows and prior rows left out) "
                                "at the MAP; in-sample. A published value is predicted as N(draw's prediction, "
                                "(s half-width)^2) mixed over posterior draws (exoskin validate)");
    }
    cJSON_AddStringToObject(root, "transform", "log of the value for a lognormal prior, the value for a normal prior; "
                                               "sd, prior.sd and correlation are in that space");
    cJSON_AddStringToObject(root, "identified_rule", "sd / prior.sd < 0.5");
    if (!(params = cJSON_AddArrayToObject(root, "parameters")) || !(corr = cJSON_AddArrayToObject(root, "correlation")))
        goto fail;
    for (int i = 0; i < p->n; i++) {
        cJSON *e = param_json(&p->par[i]);
        cJSON *row = cJSON_CreateDoubleArray(p->corr + (size_t)i * (size_t)p->n, p->n);
        if (!e || !row) {
            cJSON_Delete(e);
            cJSON_Delete(row);
            goto fail;
        }
        cJSON_AddItemToArray(params, e);
        cJSON_AddItemToArray(corr, row);
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

exo_status exo_posterior_write(exo_ctx *ctx, const exo_posterior *p, const char *path)
{
    if (!ctx || !p || !path)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_posterior_write: NULL argument");
    cJSON *root = posterior_json(p);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return exo_ctx_error(ctx, EXO_ENOMEM, "posterior: out of memory writing %s", path);
    FILE *f = fopen(path, "w");
    exo_status st = EXO_OK;
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    if (f && fclose(f) != 0 && st == EXO_OK)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    cJSON_free(text);
    return st;
}
