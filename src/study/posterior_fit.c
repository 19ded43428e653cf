/* posterior_fit.c - the calibrated posterior of the estimate parameters
 * (`exoskin calibrate DIR --posterior FILE`, docs/calibration.md): the
 * maximum a posteriori point by GSL's trust-region nonlinear least squares
 * (gsl_multifit_nlinear, Levenberg-Marquardt) and the Laplace approximation
 * around it.
 *
 * Each parameter k is searched in whitened transformed space,
 *     z_k = m_k + s_k u_k,   value = exp(z_k) (log-normal prior) or z_k (normal),
 * m_k and s_k the prior mean and SD (centred at the row's prior centre, the
 * range [min, max] inside the prior's 5-95 % band: exo__prior_init).  The residuals are those of calibrate.c, each taken
 * as a standard normal (the half-width of a study's accepted range is one SD
 * of its reported value; a check counts only outside its range), plus one
 * prior residual u_k per parameter, so that
 *     -2 log posterior = sum of squared residuals + const.
 * At the MAP u*, the posterior covariance is (J^T J)^-1 (Gauss-Newton /
 * Laplace), J the Jacobian of every residual with the prior rows included
 * (they make J^T J >= I: it is always invertible).  J comes from forward
 * differences of FD_STEP prior SDs: endpoints are read off time-stepped runs,
 * so they are smooth only on scales well above rounding; a study whose
 * perturbed run fails is differenced backwards.  The model sees each value
 * clipped to its range, so outside it only the prior pulls.
 *
 * The check of the Laplace normal q = N(u*, C) (opt->check_draws = N > 0):
 * importance sampling, u_i = u* + L z_i with L L^T = C and z_i standard
 * normal (counter-based, from the seed), weighted by the exact posterior,
 *     log w_i = -|f(u_i)|^2 / 2 + |z_i|^2 / 2   (+ a constant),
 * f every residual with the prior rows.  Where q is the posterior the
 * weights are equal and the effective sample size (sum w)^2 / sum w^2 is N;
 * skew or curvature the normal misses lowers it and moves the weighted mean
 * of u away from u* (reported in posterior SDs).
 *
 * The study noise: at the MAP, s^2 = sum r^2 / (n - k) over the endpoint
 * residuals r of the n studies that publish a value (not a direction), k the
 * identified parameters; stored in the posterior for the predictive
 * intervals of exoskin validate (validate.c).  Owen 2013, "Monte Carlo
 * theory, methods and examples", ch. 9 (effective sample size). */
#include "core/posterior_impl.h"
#include "study/calibrate_impl.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>

#define FD_STEP 0.05       /* [1] finite-difference step in prior SDs of u */
#define FAIL_RESIDUAL 1e3  /* [1] each residual of a study whose run fails */
#define XTOL 1e-3          /* [1] stop when the step in u is below this (relative) */
#define GTOL 1e-4          /* [1] stop when the scaled gradient is below this */
#define FTOL 1e-8          /* [1] stop when the residuals change by less */
#define CHECK_PURPOSE 0x6973636865636bULL /* "ischeck": rng purpose of the importance check's draws */
#define DEFAULT_MAX_ITER 20 /* [1] trust-region iterations: each costs a Jacobian, n_fit runs of every study */

typedef struct {
    exo__calib *c;
    int n;              /* parameters */
    int rows;           /* study residuals; then n prior rows */
    double *mean, *sd;  /* n: prior mean and SD in transformed space */
    exo_prior_kind *kind;
    double *f_last, *u_last; /* the last point evaluated by fn and its residuals */
    bool have_last;
    double *f_plus, *f_minus; /* rows: workspaces of the Jacobian */
    bool *ok, *ok_last, *ok_plus; /* n_cfg: study ran at the point */
    double *pred;       /* [unit] n_cfg predictions at the last point */
    bool *pass;
    exo_status fatal;
} fit;

/* The value [unit] of parameter k at u_k, clipped to its range. */
static double value_at(const fit *ft, int k, double u)
{
    const exo_param_info *row = ft->c->fit[k].row;
    double v = exo__posterior_from_t(ft->kind[k], ft->mean[k] + ft->sd[k] * u);
    return fmin(fmax(v, row->min), row->max);
}

/* Every residual at u into f (rows, then the prior rows); ok per study. */
static exo_status residuals(fit *ft, const double *u, double *f, bool *ok)
{
    exo__calib *c = ft->c;
    for (int k = 0; k < ft->n; k++) {
        exo_status st = exo__calib_set(c, k, value_at(ft, k, u[k]));
        if (st != EXO_OK)
            return st;
    }
    c->evaluations++;
    int row = 0;
    for (int i = 0; i < c->n_cfg; i++) {
        int nr = exo__calib_n_residuals(c, i);
        exo_status st = exo__calib_run_study(c, i, f + row, &ft->pred[i], &ft->pass[i], &ok[i]);
        if (st != EXO_OK)
            return st;
        for (int r = 0; !ok[i] && r < nr; r++)
            f[row + r] = FAIL_RESIDUAL;
        row += nr;
    }
    for (int k = 0; k < ft->n; k++)
        f[ft->rows + k] = u[k];
    return EXO_OK;
}

/* The residuals at x, from the cache when x is the last point. */
static int fn_gsl(const gsl_vector *x, void *user, gsl_vector *f)
{
    fit *ft = user;
    int m = ft->rows + ft->n;
    bool same = ft->have_last;
    for (int k = 0; same && k < ft->n; k++)
        same = ft->u_last[k] == gsl_vector_get(x, (size_t)k);
    if (!same) {
        for (int k = 0; k < ft->n; k++)
            ft->u_last[k] = gsl_vector_get(x, (size_t)k);
        ft->have_last = false;
        exo_status st = residuals(ft, ft->u_last, ft->f_last, ft->ok_last);
        if (st != EXO_OK) {
            ft->fatal = st;
            return GSL_EBADFUNC;
        }
        ft->have_last = true;
    }
    for (int r = 0; r < m; r++)
        gsl_vector_set(f, (size_t)r, ft->f_last[r]);
    return GSL_SUCCESS;
}

/* Column j of J by a forward difference (backward for a study whose forward
 * run fails; zero if both fail). */
static exo_status jacobian_column(fit *ft, const double *u0, int j, gsl_matrix *J)
{
    exo__calib *c = ft->c;
    double *u = ft->u_last + ft->n; /* the second half of u_last is scratch */
    memcpy(u, u0, (size_t)ft->n * sizeof *u);
    u[j] = u0[j] + FD_STEP;
    exo_status st = residuals(ft, u, ft->f_plus, ft->ok_plus);
    if (st != EXO_OK)
        return st;
    bool need_back = false;
    for (int i = 0; i < c->n_cfg; i++)
        need_back = need_back || (ft->ok_last[i] && !ft->ok_plus[i]);
    if (need_back) {
        u[j] = u0[j] - FD_STEP;
        st = residuals(ft, u, ft->f_minus, ft->ok);
        if (st != EXO_OK)
            return st;
    }
    int row = 0;
    for (int i = 0; i < c->n_cfg; i++) {
        int nr = exo__calib_n_residuals(c, i);
        for (int r = row; r < row + nr; r++) {
            double d = 0;
            if (ft->ok_last[i] && ft->ok_plus[i])
                d = (ft->f_plus[r] - ft->f_last[r]) / FD_STEP;
            else if (ft->ok_last[i] && need_back && ft->ok[i])
                d = (ft->f_last[r] - ft->f_minus[r]) / FD_STEP;
            gsl_matrix_set(J, (size_t)r, (size_t)j, d);
        }
        row += nr;
    }
    for (int k = 0; k < ft->n; k++)
        gsl_matrix_set(J, (size_t)(ft->rows + k), (size_t)j, k == j ? 1.0 : 0.0);
    return EXO_OK;
}

static int df_gsl(const gsl_vector *x, void *user, gsl_matrix *J)
{
    fit *ft = user;
    gsl_vector *f = gsl_vector_alloc((size_t)(ft->rows + ft->n));
    if (!f) {
        ft->fatal = EXO_ENOMEM;
        return GSL_ENOMEM;
    }
    int gs = fn_gsl(x, user, f); /* the base point, usually cached */
    gsl_vector_free(f);
    if (gs != GSL_SUCCESS)
        return gs;
    double u0[EXO_P_COUNT];
    memcpy(u0, ft->u_last, (size_t)ft->n * sizeof *u0);
    for (int j = 0; j < ft->n; j++) {
        exo_status st = jacobian_column(ft, u0, j, J);
        if (st != EXO_OK) {
            ft->fatal = st;
            return GSL_EBADFUNC;
        }
    }
    return GSL_SUCCESS;
}

static void iteration_log(const size_t iter, void *user, const gsl_multifit_nlinear_workspace *w)
{
    fit *ft = user;
    double chi = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(w));
    exo_ctx_log(ft->c->ctx, EXO_LOG_INFO, "calibrate: iteration %zu: objective %.8g (%d evaluations)", iter,
                chi * chi, ft->c->evaluations);
}

static double sum_squares(const double *f, int m)
{
    double s = 0;
    for (int r = 0; r < m; r++)
        s += f[r] * f[r];
    return s;
}

/* ---- setup and results -------------------------------------------------- */

static exo_status fit_alloc(fit *ft, exo__calib *c)
{
    exo_ctx *ctx = c->ctx;
    *ft = (fit){.c = c, .n = c->n_fit, .fatal = EXO_OK};
    for (int i = 0; i < c->n_cfg; i++)
        ft->rows += exo__calib_n_residuals(c, i);
    size_t m = (size_t)(ft->rows + ft->n), n = (size_t)(ft->n ? ft->n : 1), s = (size_t)c->n_cfg;
    ft->mean = exo_alloc(ctx, n, sizeof *ft->mean);
    ft->sd = exo_alloc(ctx, n, sizeof *ft->sd);
    ft->kind = exo_alloc(ctx, n, sizeof *ft->kind);
    ft->u_last = exo_alloc(ctx, 2 * n, sizeof *ft->u_last);
    ft->f_last = exo_alloc(ctx, m, sizeof *ft->f_last);
    ft->f_plus = exo_alloc(ctx, m, sizeof *ft->f_plus);
    ft->f_minus = exo_alloc(ctx, m, sizeof *ft->f_minus);
    ft->ok = exo_alloc(ctx, s, sizeof *ft->ok);
    ft->ok_last = exo_alloc(ctx, s, sizeof *ft->ok_last);
    ft->ok_plus = exo_alloc(ctx, s, sizeof *ft->ok_plus);
    ft->pred = exo_alloc(ctx, s, sizeof *ft->pred);
    ft->pass = exo_alloc(ctx, s, sizeof *ft->pass);
    if (!ft->mean || !ft->sd || !ft->kind || !ft->u_last || !ft->f_last || !ft->f_plus || !ft->f_minus || !ft->ok ||
        !ft->ok_last || !ft->ok_plus || !ft->pred || !ft->pass)
        return exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
    return EXO_OK;
}

static void fit_free(fit *ft)
{
    exo_ctx *ctx = ft->c ? ft->c->ctx : NULL;
    void *all[] = {ft->mean, ft->sd,      ft->kind,  ft->u_last,  ft->f_last, ft->f_plus, ft->f_minus,
                   ft->ok,   ft->ok_last, ft->ok_plus, ft->pred, ft->pass};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        exo_free(ctx, all[i]);
}

static exo_calibration_result *result_alloc(exo_ctx *ctx, const exo__calib *c)
{
    exo_calibration_result *res = exo_alloc(ctx, 1, sizeof *res);
    if (!res)
        return NULL;
    res->n_studies = c->n_cfg;
    res->n_params = c->n_fit;
    res->studies = exo_alloc(ctx, (size_t)c->n_cfg, sizeof *res->studies);
    res->params = exo_alloc(ctx, (size_t)(c->n_fit ? c->n_fit : 1), sizeof *res->params);
    if (!res->studies || !res->params)
        exo_calibration_result_destroy(ctx, &res);
    return res;
}

/* The posterior from the MAP u and the covariance C of u (n x n; unused when n = 0). */
/* The endpoint residuals at the last evaluated point f (every row) of the
 * studies with a published value (not direction-only) into r; their count. */
static int value_residuals(const fit *ft, const double *f, double *r)
{
    const exo__calib *c = ft->c;
    int n = 0, row = 0;
    for (int i = 0; i < c->n_cfg; i++) {
        if (!exo__study_direction_only(&c->cfgs[i].study))
            r[n++] = f[row];
        row += exo__calib_n_residuals(c, i);
    }
    return n;
}

/* The posterior from the MAP u, the covariance C of u (n x n; unused when
 * n = 0) and the residuals f at u (every row). */
static exo_status make_posterior(fit *ft, const double *u, const gsl_matrix *C, const double *f, const char *dir,
                                 const exo_calibration_options *opt, const char *date,
                                 const exo_calibration_result *res, exo_posterior **out)
{
    exo__calib *c = ft->c;
    int n = ft->n;
    exo_posterior *p = NULL;
    exo_status st = exo__posterior_create(c->ctx, n, &p);
    if (st != EXO_OK)
        return st;
    for (int k = 0; k < n; k++) {
        double mean, ck = gsl_matrix_get(C, (size_t)k, (size_t)k);
        exo__prior_init(c->fit[k].id, &p->par[k], &mean);
        p->par[k].median = value_at(ft, k, u[k]);
        p->par[k].sd = ft->sd[k] * sqrt(ck);
        for (int j = 0; j < n; j++) {
            double r = gsl_matrix_get(C, (size_t)k, (size_t)j) / sqrt(ck * gsl_matrix_get(C, (size_t)j, (size_t)j));
            p->corr[k * n + j] = k == j ? 1.0 : fmax(-1.0, fmin(1.0, r));
        }
    }
    char training[4200];
    if (c->n_excluded > 0)
        snprintf(training, sizeof training, "%s/*.yaml less the %d studies listed in %s", dir, c->n_excluded,
                 opt->exclude);
    else
        snprintf(training, sizeof training, "%s/*.yaml", dir);
    char method[512];
    snprintf(method, sizeof method,
             "MAP by GSL multifit_nlinear (trust region, Levenberg-Marquardt, forward differences of %g prior SD) "
             "over %d %s parameters in whitened transformed space, %d iterations%s; Laplace "
             "covariance (J^T J)^-1 at the MAP, prior rows included; likelihood: (predicted - reported) / "
             "half-width ~ N(0, 1), checks outside their range; priors centred at each parameter's prior centre "
             "(the table default) with the range inside their 5-95 %% band, truncated to it",
             FD_STEP, n, opt->n_keys > 0 ? "named" : "screened estimate", res->iterations, res->converged ? " (converged)" : " (iteration limit)");
    EXO_TRY(exo__posterior_set_text(p, &p->training_data, training));
    EXO_TRY(exo__posterior_set_text(p, &p->method, method));
    EXO_TRY(exo__posterior_set_text(p, &p->date, date ? date : "unknown"));
    EXO_TRY(exo__posterior_set_text(p, &p->git_revision, exo_git_revision()));
    p->n_studies = c->n_cfg;
    p->seed = opt->seed;
    p->objective_before = res->objective_before;
    p->objective_after = res->objective_after;
    p->evaluations = c->evaluations;
    p->check_draws = res->check_draws;
    p->check_ess = res->check_ess;
    p->check_shift = res->check_shift;
    exo__posterior_summarise(p);
    double *r = exo_alloc(c->ctx, (size_t)(c->n_cfg ? c->n_cfg : 1), sizeof *r);
    if (!r) {
        st = exo_ctx_error(c->ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    p->noise_rows = value_residuals(ft, f, r);
    for (int k = 0; k < n; k++)
        p->noise_identified += p->par[k].identified;
    p->noise_scale = exo__posterior_noise_of(r, p->noise_rows, p->noise_identified);
    exo_free(c->ctx, r);
    exo_ctx_log(c->ctx, EXO_LOG_INFO, "calibrate: study noise s = %.4g half-widths (%d rows with a value, %d identified)",
                p->noise_scale, p->noise_rows, p->noise_identified);
    EXO_TRY(exo__posterior_prepare(p));
    *out = p;
    p = NULL;
out:
    exo_posterior_destroy(&p);
    return st;
}

/* ---- the fit ------------------------------------------------------------ */

/* Trust-region MAP from u (in place) and the covariance of u at it into C. */
static exo_status map_fit(fit *ft, double *u, int max_iter, gsl_matrix *C, exo_calibration_result *res)
{
    size_t m = (size_t)(ft->rows + ft->n), n = (size_t)ft->n;
    exo_status st = EXO_OK;
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lm;
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, m, n);
    gsl_vector_view x = gsl_vector_view_array(u, n);
    gsl_multifit_nlinear_fdf fdf = {.f = fn_gsl, .df = df_gsl, .fvv = NULL, .n = m, .p = n, .params = ft};
    if (!w)
        return exo_ctx_error(ft->c->ctx, EXO_ENOMEM, "calibrate: out of memory");
    int info = 0;
    int gs = gsl_multifit_nlinear_init(&x.vector, &fdf, w);
    if (gs == GSL_SUCCESS)
        gs = gsl_multifit_nlinear_driver((size_t)max_iter, XTOL, GTOL, FTOL, iteration_log, ft, &info, w);
    if (ft->fatal != EXO_OK) {
        st = ft->fatal;
        goto out;
    }
    if (gs != GSL_SUCCESS && gs != GSL_EMAXITER && gs != GSL_ENOPROG) {
        st = exo_ctx_error(ft->c->ctx, EXO_ENUMERIC, "calibrate: the trust-region fit failed: %s", gsl_strerror(gs));
        goto out;
    }
    res->iterations = (int)gsl_multifit_nlinear_niter(w);
    res->converged = gs == GSL_SUCCESS;
    gsl_vector_memcpy(&x.vector, gsl_multifit_nlinear_position(w));
    if (gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, C) != GSL_SUCCESS)
        st = exo_ctx_error(ft->c->ctx, EXO_ENUMERIC, "calibrate: the Laplace covariance could not be formed");
out:
    gsl_multifit_nlinear_free(w);
    return st;
}

/* The importance-sampling check of N(u, C) with n_draws draws: res->check_*. */
static exo_status importance_check(fit *ft, const double *u, const gsl_matrix *C, int n_draws, uint64_t seed,
                                   exo_calibration_result *res)
{
    exo_ctx *ctx = ft->c->ctx;
    int n = ft->n, m = ft->rows + ft->n;
    exo_status st = EXO_OK;
    gsl_matrix *L = gsl_matrix_alloc((size_t)n, (size_t)n);
    double *lw = exo_alloc(ctx, (size_t)n_draws, sizeof *lw);
    double *ud = exo_alloc(ctx, (size_t)n_draws * (size_t)n, sizeof *ud);
    double z[EXO_P_COUNT];
    if (!L || !lw || !ud) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    gsl_matrix_memcpy(L, C);
    if (gsl_linalg_cholesky_decomp1(L) != GSL_SUCCESS) {
        st = exo_ctx_error(ctx, EXO_ENUMERIC, "calibrate: the Laplace covariance is not positive definite");
        goto out;
    }
    for (int i = 0; i < n_draws; i++) {
        double *ui = ud + (size_t)i * (size_t)n, zz = 0;
        for (int j = 0; j < n; j++) {
            z[j] = gsl_cdf_ugaussian_Pinv(exo_rng_uniform(seed, CHECK_PURPOSE, (uint64_t)i, (uint64_t)j));
            zz += z[j] * z[j];
        }
        for (int k = 0; k < n; k++) {
            ui[k] = u[k];
            for (int j = 0; j <= k; j++)
                ui[k] += gsl_matrix_get(L, (size_t)k, (size_t)j) * z[j];
        }
        EXO_TRY(residuals(ft, ui, ft->f_minus, ft->ok_plus));
        lw[i] = -0.5 * sum_squares(ft->f_minus, m) + 0.5 * zz;
    }
    double top = lw[0], sw = 0, sw2 = 0;
    for (int i = 1; i < n_draws; i++)
        top = fmax(top, lw[i]);
    for (int i = 0; i < n_draws; i++) {
        lw[i] = exp(lw[i] - top); /* the weight, largest 1 */
        sw += lw[i];
        sw2 += lw[i] * lw[i];
    }
    res->check_draws = n_draws;
    res->check_ess = sw * sw / sw2;
    res->check_shift = 0;
    for (int k = 0; k < n; k++) {
        double mean = 0;
        for (int i = 0; i < n_draws; i++)
            mean += lw[i] * ud[(size_t)i * (size_t)n + (size_t)k];
        mean /= sw;
        res->check_shift = fmax(res->check_shift, fabs(mean - u[k]) / sqrt(gsl_matrix_get(C, (size_t)k, (size_t)k)));
    }
out:
    gsl_matrix_free(L);
    exo_free(ctx, lw);
    exo_free(ctx, ud);
    return st;
}

exo_status exo_calibrate_posterior(exo_ctx *ctx, exo_units *u, const char *dir, const exo_calibration_options *opt,
                                   const char *date, exo_calibration_result **out, exo_posterior **post)
{
    if (!ctx || !u || !dir || !out || !post)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_calibrate_posterior: NULL argument");
    static const exo_calibration_options defaults = {0};
    if (!opt)
        opt = &defaults;
    if (opt->n_keys < 0 || (opt->n_keys > 0 && !opt->keys))
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_calibrate_posterior: %d keys but no key array", opt->n_keys);
    if (opt->check_draws < 0 || opt->check_draws > 1000000)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_calibrate_posterior: %d check draws (0..1000000)", opt->check_draws);
    exo__calib c;
    fit ft = {0};
    exo_calibration_result *res = NULL;
    gsl_matrix *C = NULL;
    double x[EXO_P_COUNT] = {0};
    gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
    exo_status st;
    EXO_TRY(exo__calib_open(&c, ctx, u, dir, opt));
    EXO_TRY(fit_alloc(&ft, &c));
    if (!(res = result_alloc(ctx, &c)) || (c.n_fit > 0 && !(C = gsl_matrix_alloc((size_t)c.n_fit, (size_t)c.n_fit)))) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "calibrate: out of memory");
        goto out;
    }
    for (int k = 0; k < c.n_fit; k++) {
        exo_posterior_param q;
        exo__prior_init(c.fit[k].id, &q, &ft.mean[k]);
        ft.sd[k] = q.prior_sd;
        ft.kind[k] = q.prior_kind;
        x[k] = (exo__posterior_to_t(q.prior_kind, c.start[k]) - ft.mean[k]) / ft.sd[k];
    }
    int m = ft.rows + ft.n;
    EXO_TRY(residuals(&ft, x, ft.f_last, ft.ok_last));
    res->objective_before = sum_squares(ft.f_last, m);
    exo__calib_fill_studies(&c, ft.pred, ft.pass, false, res);
    for (int k = 0; k < c.n_fit; k++)
        ft.u_last[k] = x[k];
    ft.have_last = true;
    if (c.n_fit > 0)
        EXO_TRY(map_fit(&ft, x, opt->max_iter > 0 ? opt->max_iter : DEFAULT_MAX_ITER, C, res));
    EXO_TRY(residuals(&ft, x, ft.f_plus, ft.ok));
    res->objective_after = sum_squares(ft.f_plus, m);
    exo__calib_fill_studies(&c, ft.pred, ft.pass, true, res);
    for (int k = 0; k < c.n_fit; k++) {
        exo_calibration_param *p = &res->params[k];
        const exo_param_info *row = c.fit[k].row;
        *p = (exo_calibration_param){row->key, row->unit, row->value, c.start[k], value_at(&ft, k, x[k]),
                                     row->min, row->max, ft.kind[k] == EXO_PRIOR_LOGNORMAL};
    }
    if (opt->check_draws > 0 && c.n_fit > 0)
        EXO_TRY(importance_check(&ft, x, C, opt->check_draws, opt->seed, res));
    res->evaluations = c.evaluations;
    EXO_TRY(make_posterior(&ft, x, C, ft.f_plus, dir, opt, date, res, post));
    *out = res;
    res = NULL;
out:
    gsl_set_error_handler(old_handler);
    gsl_matrix_free(C);
    exo_calibration_result_destroy(ctx, &res);
    fit_free(&ft);
    exo__calib_close(&c);
    return st;
}
