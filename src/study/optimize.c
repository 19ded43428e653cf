/* optimize.c - protocol optimisation for one person (docs/optimize.md).
 * Every candidate protocol is the scenario reloaded with the variables as
 * `--set` overrides and run; the objective is the % change of the endpoint
 * in the first arm (sign by the goal; with optimize.draws > 0 its mean over
 * that many draws of the calibrated posterior: the expected benefit) plus a
 * penalty that dominates when a constraint (serious adverse-event risk held
 * at optimize.credibility over the draws, sessions, cost) is violated.  The
 * search enumerates every combination of the discrete choices and, for each,
 * runs GSL's nmsimplex2 over the continuous variables mapped into their
 * ranges by a logistic (in log space for scale: log).  The best feasible
 * protocols that differ from each other are kept; the spread of the best's
 * benefit over the draws, the same protocol with its vehicle alone, and
 * which of its variables sit on a bound of their range are reported.  No
 * printing. */
#include <exoskin/exo_optimize.h>
#include <exoskin/exo_posterior.h>
#include <exoskin/exo_trial.h>

#include "output/output.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLERANCE 1e-2      /* [1] simplex size (logistic space) that ends a search */
#define STEP 1.5            /* [1] initial simplex step (logistic space) */
#define RESTARTS 3          /* [1] restarts of a converged simplex from its best point, at most */
#define RESTART_SHRINK 0.25 /* [1] each restart's step, relative to the one before */
#define X_LIMIT 40.0        /* [1] |y| beyond which the logistic is saturated */
#define PENALTY_LINEAR 1e3  /* [% per relative violation] */
#define PENALTY_QUADRATIC 1e5 /* [% per relative violation^2] */
#define DISTINCT 0.05       /* [1] runner-ups differ by this fraction of some range, or a choice */
#define FAILED_OBJECTIVE 1e300

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    const char *path;
    exo_override *sets;     /* the caller's overrides, then one per variable */
    int n_base;
    const exo_optimize_cfg *o;
    int k;                  /* endpoint readout */
    int choice[EXO_OPT_MAX_VARS]; /* the current combination (discrete variables) */
    int cont[EXO_OPT_MAX_VARS];   /* indices of the continuous variables */
    int n_cont;
    char values[EXO_OPT_MAX_VARS][EXO_OPT_CHOICE_MAX];
    exo_optimize_point *pts; /* every feasible candidate, in evaluation order */
    int n_pts, cap_pts;
    exo_optimize_point least_bad; /* the infeasible candidate with the lowest objective */
    bool have_least_bad;
    int evaluations;
    const exo_posterior *post; /* the calibrated posterior (draws > 0) */
    exo_status fatal;
} search;

/* ---- the bound map -------------------------------------------------------- */

static double to_value(const exo_optimize_var *v, double y)
{
    y = fmin(fmax(y, -X_LIMIT), X_LIMIT);
    double a = v->log_scale ? log(v->min) : v->min, b = v->log_scale ? log(v->max) : v->max;
    double t = a + (b - a) / (1.0 + exp(-y));
    double x = v->log_scale ? exp(t) : t;
    return fmin(fmax(x, v->min), v->max);
}

/* position of a value within its range, 0..1 (in log space for scale: log) */
static double position(const exo_optimize_var *v, double x)
{
    if (v->log_scale)
        return (log(x) - log(v->min)) / (log(v->max) - log(v->min));
    return (x - v->min) / (v->max - v->min);
}

/* ---- one candidate -------------------------------------------------------- */

static exo_status load_error(search *s, exo_status st)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", exo_ctx_last_error(s->ctx));
    char what[1024] = "";
    size_t n = 0;
    for (int i = 0; i < s->o->n_vars && n < sizeof what; i++)
        n += (size_t)snprintf(what + n, sizeof what - n, "%s%s = '%s'", i ? ", " : "", s->o->vars[i].key,
                              s->values[i]);
    return exo_ctx_error(s->ctx, st, "optimize: the candidate %s is not a valid input: %s", what, msg);
}

/* Loads and runs the candidate in s->values (at posterior draw `draw`, or
 * on the parameter table when draw < 0; with every product replaced by its
 * vehicle when vehicle) and fills pt's outcome (not its score);
 * *uses_product (may be NULL) tells whether arm 0 applies a product. */
static exo_status run_candidate(search *s, int draw, bool vehicle, exo_optimize_point *pt, bool *uses_product)
{
    const exo_optimize_cfg *o = s->o;
    exo_config cfg;
    exo_result *r = NULL;
    exo_status st;
    for (int i = 0; i < o->n_vars; i++)
        s->sets[s->n_base + i] = (exo_override){o->vars[i].key, s->values[i]};
    st = exo_config_load(s->ctx, s->u, s->path, s->sets, s->n_base + o->n_vars, &cfg);
    if (st != EXO_OK)
        return load_error(s, st);
    for (int p = 0; vehicle && p < cfg.n_products; p++) {
        cfg.products[p].conc_known = true; /* the vehicle alone: its film and water, no vesicles */
        cfg.products[p].conc = 0.0;
        cfg.products[p].growth_factor = 0.0;
    }
    if (uses_product) {
        *uses_product = false;
        for (int e = 0; e < cfg.arms[0].n_events; e++)
            *uses_product |= cfg.arms[0].events[e].product >= 0;
    }
    if (draw >= 0) { /* the scenario's own `parameters:` keep their values */
        exo_paramset set = cfg.params;
        if ((st = exo_posterior_draw(s->post, cfg.seed, (uint64_t)draw, &cfg.params)) != EXO_OK)
            goto out;
        for (int p = 0; p < EXO_P_COUNT; p++)
            if (cfg.param_overridden[p])
                cfg.params.v[p] = set.v[p];
    }
    st = exo_run(s->ctx, &cfg, NULL, NULL, &r);
    if (st != EXO_OK)
        goto out;
    memset(pt, 0, sizeof *pt);
    for (int i = 0; i < o->n_vars; i++)
        snprintf(pt->values[i], sizeof pt->values[i], "%s", s->values[i]);
    exo_result_readout(r, 0, s->k, &pt->baseline, &pt->final);
    if (pt->baseline == 0 || !isfinite(pt->baseline) || !isfinite(pt->final)) {
        st = exo_ctx_error(s->ctx, EXO_ENUMERIC, "optimize: %s baseline %g, final %g: no %% change defined",
                           exo_readout_name(s->k), pt->baseline, pt->final);
        goto out;
    }
    pt->change = 100.0 * (pt->final - pt->baseline) / pt->baseline;
    pt->serious_risk = exo_result_serious_ae(r, 0);
    for (int e = 0; e < cfg.arms[0].n_events; e++)
        pt->sessions += cfg.arms[0].events[e].n_times;
    pt->cost = pt->sessions * o->cost_per_session;
    pt->risk_credible = pt->serious_risk;
    pt->p_within_risk = pt->serious_risk <= o->max_serious_risk ? 1.0 : 0.0;
out:
    exo_result_destroy(&r);
    exo_config_fini(s->ctx, &cfg);
    return st;
}

/* pt's feasibility and objective from its change, credible risk, sessions
 * and cost. */
static void score(const exo_optimize_cfg *o, exo_optimize_point *pt)
{
    double viol = fmax(0.0, pt->risk_credible / o->max_serious_risk - 1.0);
    if (o->max_sessions > 0)
        viol += fmax(0.0, (double)(pt->sessions - o->max_sessions) / o->max_sessions);
    if (o->max_cost > 0)
        viol += fmax(0.0, (pt->cost - o->max_cost) / o->max_cost);
    pt->feasible = viol == 0.0;
    pt->objective = (o->decrease ? pt->change : -pt->change) + PENALTY_LINEAR * viol + PENALTY_QUADRATIC * viol * viol;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The candidate in s->values under optimize.draws posterior draws (1..D of
 * the file's seed; on the parameter table when D is 0), scored: change,
 * baseline, final and risk are means over the draws, and the risk the limit
 * is held to is the k-th smallest, k = ceil(credibility D), so that it is
 * within the limit exactly when at least that share of the draws is.
 * changes (may be NULL) receives each draw's change. */
static exo_status run_expected(search *s, bool vehicle, exo_optimize_point *pt, bool *uses_product, double *changes)
{
    const exo_optimize_cfg *o = s->o;
    int n = o->draws;
    exo_status st;
    if (n == 0) {
        if ((st = run_candidate(s, -1, vehicle, pt, uses_product)) != EXO_OK)
            return st;
        score(o, pt);
        return EXO_OK;
    }
    double risk[EXO_OPT_MAX_DRAWS], change = 0, base = 0, fin = 0, mean_risk = 0;
    int within = 0;
    for (int k = 0; k < n; k++) {
        if ((st = run_candidate(s, k + 1, vehicle, pt, k == 0 ? uses_product : NULL)) != EXO_OK)
            return st;
        if (changes)
            changes[k] = pt->change;
        change += pt->change / n;
        base += pt->baseline / n;
        fin += pt->final / n;
        mean_risk += pt->serious_risk / n;
        risk[k] = pt->serious_risk;
        within += pt->serious_risk <= o->max_serious_risk;
    }
    qsort(risk, (size_t)n, sizeof *risk, cmp_double);
    int k = (int)ceil(o->credibility * n - 1e-9);
    pt->change = change;
    pt->baseline = base;
    pt->final = fin;
    pt->serious_risk = mean_risk;
    pt->risk_credible = risk[(k < 1 ? 1 : k > n ? n : k) - 1];
    pt->p_within_risk = (double)within / n;
    score(o, pt);
    return EXO_OK;
}

/* Sets s->values from the combination and the unconstrained y of the
 * continuous variables, runs it and records the outcome. */
static exo_status evaluate(search *s, const double *y, double *f)
{
    const exo_optimize_cfg *o = s->o;
    exo_optimize_point pt;
    for (int i = 0; i < o->n_vars; i++)
        if (o->vars[i].discrete)
            snprintf(s->values[i], sizeof s->values[i], "%s", o->vars[i].choices[s->choice[i]]);
    for (int j = 0; j < s->n_cont; j++) {
        const exo_optimize_var *v = &o->vars[s->cont[j]];
        snprintf(s->values[s->cont[j]], sizeof s->values[0], "%.6g%s%s", to_value(v, y[j]), v->unit[0] ? " " : "",
                 v->unit);
    }
    exo_status st = run_expected(s, false, &pt, NULL, NULL);
    if (st != EXO_OK)
        return st;
    s->evaluations++;
    for (int i = 0; i < o->n_vars; i++)
        pt.x[i] = o->vars[i].discrete ? s->choice[i] : strtod(s->values[i], NULL); /* the value as applied */
    if (pt.feasible) {
        if (s->n_pts == s->cap_pts) {
            int cap = s->cap_pts ? 2 * s->cap_pts : 64;
            exo_optimize_point *p = exo_realloc(s->ctx, s->pts, (size_t)cap, sizeof *p);
            if (!p)
                return exo_ctx_error(s->ctx, EXO_ENOMEM, "optimize: out of memory");
            s->pts = p;
            s->cap_pts = cap;
        }
        s->pts[s->n_pts++] = pt;
    } else if (!s->have_least_bad || pt.objective < s->least_bad.objective) {
        s->least_bad = pt;
        s->have_least_bad = true;
    }
    *f = pt.objective;
    return EXO_OK;
}

static double objective_gsl(const gsl_vector *y, void *user)
{
    search *s = user;
    double yy[EXO_OPT_MAX_VARS], f = FAILED_OBJECTIVE;
    if (s->fatal != EXO_OK)
        return f;
    for (int j = 0; j < s->n_cont; j++)
        yy[j] = gsl_vector_get(y, (size_t)j);
    exo_status st = evaluate(s, yy, &f);
    if (st != EXO_OK)
        s->fatal = st;
    return st == EXO_OK ? f : FAILED_OBJECTIVE;
}

/* Nelder-Mead over the continuous variables for the current combination,
 * from the middle of every range. */
static exo_status search_combination(search *s)
{
    double f, y0[EXO_OPT_MAX_VARS] = {0};
    if (s->n_cont == 0)
        return evaluate(s, y0, &f);
    exo_status st = EXO_OK;
    size_t n = (size_t)s->n_cont;
    gsl_vector *y = gsl_vector_calloc(n), *step = gsl_vector_alloc(n);
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    if (!y || !step || !m) {
        st = exo_ctx_error(s->ctx, EXO_ENOMEM, "optimize: out of memory");
        goto out;
    }
    gsl_vector_set_all(step, STEP);
    gsl_multimin_function fn = {.f = objective_gsl, .n = n, .params = s};
    if (gsl_multimin_fminimizer_set(m, &fn, y, step) != GSL_SUCCESS && s->fatal == EXO_OK) {
        st = exo_ctx_error(s->ctx, EXO_ENUMERIC, "optimize: the simplex could not be set up");
        goto out;
    }
    /* A simplex can collapse before the optimum (a stall on a penalty's edge):
     * restart from its best point with a smaller simplex while that improves
     * the objective (the restart remedy of O'Neill 1971, Appl. Stat. 20:338). */
    double best = INFINITY;
    for (int restart = 0; restart <= RESTARTS && s->fatal == EXO_OK; restart++) {
        if (restart > 0) {
            gsl_vector_memcpy(y, gsl_multimin_fminimizer_x(m));
            gsl_vector_set_all(step, STEP * pow(RESTART_SHRINK, restart));
            if (gsl_multimin_fminimizer_set(m, &fn, y, step) != GSL_SUCCESS)
                break;
        }
        for (int it = 0; it < EXO_OPT_MAX_ITER && s->fatal == EXO_OK; it++) {
            if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
                break; /* no further progress possible */
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), TOLERANCE) == GSL_SUCCESS)
                break;
        }
        double fm = gsl_multimin_fminimizer_minimum(m);
        if (!(fm < best - 1e-9 * fabs(best)))
            break;
        best = fm;
    }
    st = s->fatal;
out:
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(step);
    gsl_vector_free(y);
    return st;
}

/* ---- keeping the best distinct protocols ------------------------------- */

static bool same_protocol(const exo_optimize_cfg *o, const exo_optimize_point *p, const exo_optimize_point *q)
{
    for (int i = 0; i < o->n_vars; i++) {
        const exo_optimize_var *v = &o->vars[i];
        if (v->discrete ? p->x[i] != q->x[i] : fabs(position(v, p->x[i]) - position(v, q->x[i])) > DISTINCT)
            return false;
    }
    return true;
}

/* The best candidate, then repeatedly the best one that differs from every
 * kept one; on equal objectives the earlier evaluation wins. */
static void keep_best(search *s, exo_optimize_result *res)
{
    res->n_best = 0;
    while (res->n_best < EXO_OPT_KEEP) {
        int pick = -1;
        for (int i = 0; i < s->n_pts; i++) {
            bool dup = false;
            for (int j = 0; j < res->n_best && !dup; j++)
                dup = same_protocol(s->o, &s->pts[i], &res->best[j]);
            if (!dup && (pick < 0 || s->pts[i].objective < s->pts[pick].objective))
                pick = i;
        }
        if (pick < 0)
            break;
        res->best[res->n_best++] = s->pts[pick];
    }
}

/* ---- uncertainty of the best ------------------------------------------- */

/* 5 and 95 % quantiles and mean, SD of n values. */
static void spread(const double *v, int n, double *mean, double *sd, double *p05, double *p95)
{
    double sorted[EXO_OPT_DRAWS];
    memcpy(sorted, v, (size_t)n * sizeof *v);
    gsl_sort(sorted, 1, (size_t)n);
    double m = gsl_stats_mean(sorted, 1, (size_t)n);
    if (mean)
        *mean = m;
    if (sd)
        *sd = gsl_stats_sd_m(sorted, 1, (size_t)n, m);
    *p05 = gsl_stats_quantile_from_sorted_data(sorted, 1, (size_t)n, 0.05);
    *p95 = gsl_stats_quantile_from_sorted_data(sorted, 1, (size_t)n, 0.95);
}

/* The best protocol's change under each draw, and the same protocol with
 * its vehicle alone under the same draws (on the table without draws). */
static exo_status uncertainty(search *s, exo_optimize_result *res)
{
    exo_status st;
    const exo_optimize_point *b = &res->best[0];
    int n = s->o->draws;
    for (int i = 0; i < s->o->n_vars; i++)
        snprintf(s->values[i], sizeof s->values[i], "%s", b->values[i]);
    if ((st = run_expected(s, true, &res->vehicle, &res->uses_product, res->draw_vehicle)) != EXO_OK)
        return st;
    res->has_vehicle = true;
    res->marginal = b->change - res->vehicle.change;
    if (n == 0)
        return EXO_OK;
    exo_optimize_point again;
    if ((st = run_expected(s, false, &again, NULL, res->draw_change)) != EXO_OK)
        return st;
    double marginal[EXO_OPT_DRAWS];
    for (int k = 0; k < n; k++)
        marginal[k] = res->draw_change[k] - res->draw_vehicle[k];
    res->n_draws = n;
    spread(res->draw_change, n, &res->change_mean, &res->change_sd, &res->change_p05, &res->change_p95);
    spread(marginal, n, NULL, NULL, &res->marginal_p05, &res->marginal_p95);
    return EXO_OK;
}

/* Which continuous variables of the best protocol sit on an end of their range. */
static void check_bounds(exo_optimize_result *res)
{
    const exo_optimize_cfg *o = &res->opt;
    res->n_on_bound = 0;
    for (int i = 0; i < o->n_vars; i++) {
        const exo_optimize_var *v = &o->vars[i];
        res->on_bound[i] = 0;
        if (v->discrete || res->n_best < 1 || !(v->max > v->min))
            continue;
        double p = position(v, res->best[0].x[i]);
        res->on_bound[i] = p <= EXO_OPT_NEAR_BOUND ? -1 : p >= 1.0 - EXO_OPT_NEAR_BOUND ? 1 : 0;
        res->n_on_bound += res->on_bound[i] != 0;
    }
}

/* ---- the search ----------------------------------------------------------- */

void exo_optimize_destroy(exo_ctx *ctx, exo_optimize_result **rp)
{
    if (!rp || !*rp)
        return;
    exo_free(ctx, (*rp)->effective_input);
    exo_free(ctx, *rp);
    *rp = NULL;
}

static exo_status check_block(exo_ctx *ctx, const char *path, const exo_optimize_cfg *o, int *combos)
{
    if (!o->present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no optimize: block (expected one; see docs/optimize.md)", path);
    long n = 1;
    for (int i = 0; i < o->n_vars; i++)
        if (o->vars[i].discrete)
            n *= o->vars[i].n_choices;
    if (n > EXO_OPT_MAX_COMBOS)
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "%s: optimize.variables: %ld combinations of choices (expected at most %d)", path, n,
                             EXO_OPT_MAX_COMBOS);
    *combos = (int)n;
    return EXO_OK;
}

exo_status exo_optimize_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                            exo_optimize_result **out)
{
    exo_status st = EXO_OK;
    exo_config cfg;
    *out = NULL;
    if (n_sets < 0 || n_sets > 1000 || (n_sets > 0 && !sets))
        return exo_ctx_error(ctx, EXO_EINVAL, "optimize: %d overrides (expected 0 to 1000)", n_sets);
    if ((st = exo_config_load(ctx, u, path, sets, n_sets, &cfg)) != EXO_OK)
        return st;
    search s = {.ctx = ctx, .u = u, .path = path, .n_base = n_sets};
    exo_posterior *post = NULL;
    exo_optimize_result *res = exo_alloc(ctx, 1, sizeof *res);
    s.sets = exo_alloc(ctx, (size_t)n_sets + EXO_OPT_MAX_VARS, sizeof *s.sets);
    gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
    if (!res || !s.sets) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "optimize: out of memory");
        goto out;
    }
    res->opt = cfg.optimize;
    s.o = &res->opt;
    EXO_TRY(exo_config_to_yaml(ctx, &cfg, &res->effective_input));
    res->seed = cfg.seed;
    EXO_TRY(check_block(ctx, path, s.o, &res->combinations));
    if (s.o->draws > 0) {
        if ((st = exo_posterior_load(ctx, NULL, &post)) != EXO_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", exo_ctx_last_error(ctx));
            st = exo_ctx_error(ctx, st, "optimize: the calibrated posterior cannot be loaded (%s); set "
                                        "optimize.draws: 0 to search on the parameter table", why);
            goto out;
        }
        s.post = post;
    }
    s.k = (int)s.o->endpoint - EXO_Q_READOUT_FIRST;
    snprintf(res->endpoint_unit, sizeof res->endpoint_unit, "%s", exo_readout_unit(s.k));
    snprintf(res->endpoint_scale, sizeof res->endpoint_scale, "%s", exo_readout_scale(s.k));
    for (int i = 0; i < n_sets; i++)
        s.sets[i] = sets[i];
    for (int i = 0; i < s.o->n_vars; i++)
        if (!s.o->vars[i].discrete)
            s.cont[s.n_cont++] = i;
    for (int c = 0; c < res->combinations; c++) {
        int rest = c; /* the combination c in mixed radix, first variable fastest */
        for (int i = 0; i < s.o->n_vars; i++) {
            const exo_optimize_var *v = &s.o->vars[i];
            s.choice[i] = v->discrete ? rest % v->n_choices : 0;
            rest = v->discrete ? rest / v->n_choices : rest;
        }
        EXO_TRY(search_combination(&s));
    }
    res->evaluations = s.evaluations;
    if (s.n_pts == 0) {
        res->outcome = EXO_OPT_INFEASIBLE;
        res->n_best = s.have_least_bad ? 1 : 0;
        if (s.have_least_bad)
            res->best[0] = s.least_bad;
        check_bounds(res);
        if (s.o->draws > 0)
            snprintf(res->message, sizeof res->message,
                     "no protocol within the ranges satisfies the constraints with the risk limit held in %.0f %% of "
                     "%d posterior draws (%d candidates); the least violating is shown",
                     100.0 * s.o->credibility, s.o->draws, s.evaluations);
        else
            snprintf(res->message, sizeof res->message,
                     "no protocol within the ranges satisfies the constraints (%d runs); the least violating is shown",
                     s.evaluations);
    } else {
        res->outcome = EXO_OPT_FOUND;
        keep_best(&s, res);
        EXO_TRY(uncertainty(&s, res));
        check_bounds(res);
        snprintf(res->message, sizeof res->message, "%d feasible protocols among %d runs", s.n_pts, s.evaluations);
    }
    *out = res;
    res = NULL;
out:
    gsl_set_error_handler(old_handler);
    exo_optimize_destroy(ctx, &res);
    exo_free(ctx, s.pts);
    exo_free(ctx, s.sets);
    exo_posterior_destroy(&post);
    exo_config_fini(ctx, &cfg);
    return st;
}

/* ---- optimize.json -------------------------------------------------------- */

static cJSON *point_json(const exo_optimize_result *r, const exo_optimize_point *p)
{
    const exo_optimize_cfg *o = &r->opt;
    cJSON *j = cJSON_CreateObject();
    cJSON *vars = cJSON_AddObjectToObject(j, "variables");
    for (int i = 0; i < o->n_vars; i++)
        cJSON_AddStringToObject(vars, o->vars[i].key, p->values[i]);
    cJSON_AddNumberToObject(j, "endpoint_baseline", p->baseline);
    cJSON_AddNumberToObject(j, "endpoint_final", p->final);
    cJSON_AddNumberToObject(j, "change_percent", p->change);
    cJSON_AddNumberToObject(j, "serious_ae_probability", p->serious_risk);
    cJSON_AddNumberToObject(j, "serious_ae_probability_credible", p->risk_credible);
    cJSON_AddNumberToObject(j, "probability_within_risk_limit", p->p_within_risk);
    cJSON_AddNumberToObject(j, "sessions", p->sessions);
    cJSON_AddNumberToObject(j, "cost", p->cost);
    cJSON_AddBoolToObject(j, "feasible", p->feasible);
    return j;
}

static exo_status fill_optimize(exo_ctx *ctx, const void *user, const char *tmp)
{
    const exo_optimize_result *r = user;
    const exo_optimize_cfg *o = &r->opt;
    char path[4200];
    snprintf(path, sizeof path, "%s/optimize.json", tmp);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "exoskin_version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a JSON integer, not a double */
    cJSON_AddStringToObject(root, "effective_input", r->effective_input ? r->effective_input : "");
    cJSON_AddStringToObject(root, "endpoint", exo_quantity_name(o->endpoint));
    cJSON_AddStringToObject(root, "unit", r->endpoint_unit);
    cJSON_AddStringToObject(root, "scale", r->endpoint_scale);
    cJSON_AddStringToObject(root, "goal", o->decrease ? "decrease" : "increase");
    cJSON *c = cJSON_AddObjectToObject(root, "constraints");
    cJSON_AddNumberToObject(c, "max_serious_risk", o->max_serious_risk);
    cJSON_AddNumberToObject(c, "credibility", o->credibility);
    cJSON_AddNumberToObject(c, "posterior_draws", o->draws);
    if (o->max_sessions > 0)
        cJSON_AddNumberToObject(c, "max_sessions", o->max_sessions);
    if (o->max_cost > 0) {
        cJSON_AddNumberToObject(c, "max_cost", o->max_cost);
        cJSON_AddNumberToObject(c, "cost_per_session", o->cost_per_session);
    }
    cJSON_AddStringToObject(root, "outcome", r->outcome == EXO_OPT_FOUND ? "found" : "infeasible");
    cJSON_AddStringToObject(root, "message", r->message);
    cJSON_AddNumberToObject(root, "combinations", r->combinations);
    cJSON_AddNumberToObject(root, "evaluations", r->evaluations);
    if (r->n_best > 0)
        cJSON_AddItemToObject(root, "best", point_json(r, &r->best[0]));
    else
        cJSON_AddNullToObject(root, "best");
    cJSON *ob = cJSON_AddArrayToObject(root, "on_bound");
    for (int i = 0; i < o->n_vars && r->n_best > 0; i++) {
        if (!r->on_bound[i])
            continue;
        const exo_optimize_var *v = &o->vars[i];
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "key", v->key);
        cJSON_AddStringToObject(b, "value", r->best[0].values[i]);
        cJSON_AddStringToObject(b, "bound", r->on_bound[i] < 0 ? "min" : "max");
        cJSON_AddNumberToObject(b, "min", v->min);
        cJSON_AddNumberToObject(b, "max", v->max);
        cJSON_AddStringToObject(b, "unit", v->unit);
        cJSON_AddItemToArray(ob, b);
    }
    cJSON *ru = cJSON_AddArrayToObject(root, "runner_ups");
    for (int i = 1; i < r->n_best; i++)
        cJSON_AddItemToArray(ru, point_json(r, &r->best[i]));
    if (r->n_draws > 0) {
        cJSON *u = cJSON_AddObjectToObject(root, "uncertainty");
        cJSON_AddNumberToObject(u, "draws", r->n_draws);
        cJSON_AddStringToObject(u, "source", "draws 1..N of the calibrated posterior (data/posterior.json) with the "
                                             "file's seed");
        cJSON_AddNumberToObject(u, "change_mean_percent", r->change_mean);
        cJSON_AddNumberToObject(u, "change_sd_percent", r->change_sd);
        cJSON_AddNumberToObject(u, "change_p05_percent", r->change_p05);
        cJSON_AddNumberToObject(u, "change_p95_percent", r->change_p95);
        cJSON *d = cJSON_AddArrayToObject(u, "change_percent");
        for (int k = 0; k < r->n_draws; k++)
            cJSON_AddItemToArray(d, cJSON_CreateNumber(r->draw_change[k]));
    } else {
        cJSON_AddNullToObject(root, "uncertainty");
    }
    if (r->has_vehicle) {
        cJSON *v = cJSON_AddObjectToObject(root, "vehicle");
        cJSON_AddStringToObject(v, "protocol", "the best protocol with every product at 0 particles/mL");
        cJSON_AddBoolToObject(v, "uses_product", r->uses_product);
        cJSON_AddNumberToObject(v, "endpoint_final", r->vehicle.final);
        cJSON_AddNumberToObject(v, "change_percent", r->vehicle.change);
        cJSON_AddNumberToObject(v, "serious_ae_probability", r->vehicle.serious_risk);
        cJSON_AddNumberToObject(v, "marginal_change_percent", r->marginal);
        if (r->n_draws > 0) {
            cJSON_AddNumberToObject(v, "marginal_p05_percent", r->marginal_p05);
            cJSON_AddNumberToObject(v, "marginal_p95_percent", r->marginal_p95);
        }
        cJSON *d = cJSON_AddArrayToObject(v, "change_percent_draws");
        for (int k = 0; k < r->n_draws; k++)
            cJSON_AddItemToArray(d, cJSON_CreateNumber(r->draw_vehicle[k]));
    } else {
        cJSON_AddNullToObject(root, "vehicle");
    }
    return exo__write_json(ctx, root, path);
}

exo_status exo__optimize_write_files(exo_ctx *ctx, const exo_optimize_result *res, const char *dir)
{
    return fill_optimize(ctx, res, dir);
}
