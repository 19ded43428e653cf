/* sweep.c - grid sweeps (docs/sweeps.md): the full factorial grid of the
 * variables of the `sweep:` block (and `--vary`), every point the scenario
 * reloaded with its values as overrides.  Every point is loaded (validated)
 * before the first runs.  Single runs are spread over OpenMP threads, each
 * with its own context, and stored by index; a trial at each point runs its
 * patients over the threads (exo_trial_run).  sweep.csv and summary.json are
 * written atomically. */
#include <exoskin/exo_sweep.h>

#include "biology/biology.h"
#include "input/input_impl.h"
#include "output/output.h"
#include "study/study_impl.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(EXO_RD_COUNT <= 32, "exo_sweep_arm holds 32 readouts");

int exo_sweep_value_index(const exo_sweep_cfg *s, int point, int var)
{
    for (int v = s->n_vars - 1; v > var; v--)
        point /= s->vars[v].n_values;
    return point % s->vars[var].n_values;
}

static void free_vars(exo_ctx *ctx, exo_sweep_cfg *s)
{
    for (int i = 0; i < s->n_vars; i++)
        exo_free(ctx, s->vars[i].values);
    s->n_vars = 0;
}

void exo_sweep_destroy(exo_ctx *ctx, exo_sweep_result **rp)
{
    if (!rp || !*rp)
        return;
    exo_sweep_result *r = *rp;
    for (int i = 0; r->points && i < r->n_points; i++) {
        exo_trial_destroy(ctx, &r->points[i].trial);
        exo_config_fini(ctx, &r->points[i].cfg);
        exo_free(ctx, r->points[i].arms);
    }
    free_vars(ctx, &r->sweep);
    exo_free(ctx, r->effective_input);
    exo_free(ctx, r->points);
    exo_free(ctx, r);
    *rp = NULL;
}

/* ---- the variables ------------------------------------------------------ */

static exo_status copy_var(exo_ctx *ctx, exo_sweep_var *dst, const exo_sweep_var *src)
{
    *dst = *src;
    dst->values = exo_alloc(ctx, (size_t)src->n_values, sizeof *dst->values);
    if (!dst->values)
        return exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
    memcpy(dst->values, src->values, (size_t)src->n_values * sizeof *dst->values);
    return EXO_OK;
}

/* The block's variables (unless only_vary) with the --vary ones replacing
 * those of the same key or added after them. */
static exo_status merge_vars(exo_ctx *ctx, const exo_config *base, const exo_sweep_options *opt, exo_sweep_cfg *s)
{
    memset(s, 0, sizeof *s);
    if (base->sweep.present) {
        const exo_sweep_cfg *b = &base->sweep;
        memcpy(s->src, b->src, sizeof s->src);
        s->readout = b->readout;
        s->decrease = b->decrease;
        s->best_arm = b->best_arm;
        s->harm_weight = b->harm_weight;
        for (int i = 0; !opt->only_vary && i < b->n_vars; i++) {
            s->n_vars = i + 1;
            if (copy_var(ctx, &s->vars[i], &b->vars[i]) != EXO_OK) {
                s->n_vars = i;
                return EXO_ENOMEM;
            }
        }
    } else {
        bool trial = base->trial.present && !opt->single_run;
        s->readout = trial ? base->trial.endpoint : EXO_Q_READOUT(EXO_RD_COLLAGEN);
        s->decrease = trial && base->trial.responder_threshold < 0;
        s->harm_weight = 1.0;
    }
    s->present = true;
    if (opt->harm_weight >= 0)
        s->harm_weight = opt->harm_weight;
    for (int k = 0; k < opt->n_vary; k++) {
        const exo_sweep_vary *x = &opt->vary[k];
        if (!x->key || !x->key[0] || strlen(x->key) >= sizeof s->vars[0].key || x->n_values < 1 ||
            x->n_values > EXO_SWEEP_MAX_VALUES)
            return exo_ctx_error(ctx, EXO_EINPUT, "--vary:1:1: %s: %d values (expected a key and 1 to %d values)",
                                 x->key ? x->key : "", x->n_values, EXO_SWEEP_MAX_VALUES);
        if (!strcmp(x->key, "sweep") || !strncmp(x->key, "sweep.", 6))
            return exo_ctx_error(ctx, EXO_EINPUT, "--vary:1:1: %s: a sweep cannot vary its own block (expected "
                                 "another input key)", x->key);
        int i = 0;
        while (i < s->n_vars && strcmp(s->vars[i].key, x->key) != 0)
            i++;
        if (i == EXO_SWEEP_MAX_VARS)
            return exo_ctx_error(ctx, EXO_EINPUT, "--vary:1:1: %s: more than %d variables", x->key,
                                 EXO_SWEEP_MAX_VARS);
        exo_sweep_var *v = &s->vars[i];
        if (i == s->n_vars)
            s->n_vars++;
        else
            exo_free(ctx, v->values);
        memset(v, 0, sizeof *v);
        snprintf(v->key, sizeof v->key, "%s", x->key);
        v->cli = true;
        if (!(v->values = exo_alloc(ctx, (size_t)x->n_values, sizeof *v->values)))
            return exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
        v->n_values = x->n_values;
        for (int j = 0; j < x->n_values; j++) {
            const char *t = x->values[j] ? x->values[j] : "";
            if (!t[0] || strlen(t) >= sizeof v->values[j].text)
                return exo_ctx_error(ctx, EXO_EINPUT, "--vary:1:1: %s: value %d is empty or longer than %zu "
                                     "characters", x->key, j, sizeof v->values[j].text - 1);
            snprintf(v->values[j].text, sizeof v->values[j].text, "%s", t);
            for (int m = 0; m < j; m++)
                if (!strcmp(v->values[m].text, t))
                    return exo_ctx_error(ctx, EXO_EINPUT, "--vary:1:1: %s: duplicate value '%s' (expected "
                                         "distinct values)", x->key, t);
        }
    }
    return EXO_OK;
}

/* A grid point that does not load: the message points at the sweep block
 * (or the --vary option) and names every value of the point. */
static exo_status point_error(exo_ctx *ctx, exo_status st, const exo_sweep_cfg *s, int p)
{
    char what[1024] = "";
    size_t n = 0;
    for (int v = 0; v < s->n_vars && n < sizeof what; v++)
        n += (size_t)snprintf(what + n, sizeof what - n, "%s%s = '%s'", v ? ", " : "", s->vars[v].key,
                              s->vars[v].values[exo_sweep_value_index(s, p, v)].text);
    const char *m = exo_ctx_last_error(ctx);
    if (strncmp(m, "--set:1:1: ", 11) == 0)
        m += 11;
    char inner[1024];
    snprintf(inner, sizeof inner, "%s", m);
    const exo_sweep_var *v0 = &s->vars[0];
    if (st != EXO_EIO && st != EXO_ENOMEM)
        st = EXO_EINPUT;
    if (v0->cli)
        return exo_ctx_error(ctx, st, "--vary:1:1: %s: grid point %d (%s) is not a valid input: %s", v0->key, p,
                             what, inner);
    return exo_ctx_error(ctx, st, "%s:%d:%d: sweep.variables: grid point %d (%s) is not a valid input: %s",
                         v0->line ? s->src : "--set", v0->line ? v0->line : 1, v0->line ? v0->col : 1, p, what,
                         inner);
}

/* ---- one point ------------------------------------------------------------ */

static double net_benefit(const exo_sweep_cfg *s, double change, double p_serious)
{
    return (s->decrease ? -change : change) - s->harm_weight * 100.0 * p_serious;
}

static exo_status run_single(exo_ctx *ctx, const exo_config *cfg, const exo_sweep_cfg *s, exo_sweep_point *p)
{
    exo_result *r = NULL;
    exo_status st = exo_run(ctx, cfg, NULL, NULL, &r);
    if (st != EXO_OK)
        return st;
    int k = (int)s->readout - EXO_Q_READOUT_FIRST;
    for (int a = 0; a < p->n_arms; a++) {
        exo_sweep_arm *x = &p->arms[a];
        snprintf(x->name, sizeof x->name, "%s", cfg->arms[a].name);
        for (int q = 0; q < EXO_RD_COUNT; q++)
            exo_result_readout(r, a, q, &x->baseline[q], &x->final[q]);
        x->peak_inflammation = exo_result_readout_peak(r, a, EXO_RD_INFLAMMATION);
        x->p_serious = exo_result_serious_ae(r, a);
        exo_arm_delivery d;
        exo_result_delivery(r, a, &d);
        x->delivered_dermis = d.dermis;
        x->change = x->baseline[k] != 0 ? 100.0 * (x->final[k] - x->baseline[k]) / x->baseline[k] : NAN;
        x->net_benefit = net_benefit(s, x->change, x->p_serious);
    }
    exo_result_destroy(&r);
    return EXO_OK;
}

static void trial_arms(const exo_sweep_cfg *s, exo_sweep_point *p)
{
    const exo_trial_result *t = p->trial;
    for (int a = 0; a < p->n_arms; a++) {
        exo_sweep_arm *x = &p->arms[a];
        snprintf(x->name, sizeof x->name, "%s", t->arms[a].name);
        x->p_serious = t->arms[a].mean_p_serious;
        x->change = t->arms[a].change[t->n_visits - 1].mean;
        x->net_benefit = net_benefit(s, x->change, x->p_serious);
    }
}

typedef struct {
    exo_progress_fn fn;
    void *user;
    int point, n;
} point_progress;

static void trial_progress(void *user, double f)
{
    point_progress *pp = user;
    pp->fn(pp->user, (pp->point + f) / pp->n);
}

/* ---- the grid ------------------------------------------------------------- */

static exo_status run_points(exo_ctx *ctx, exo_units *u, exo_sweep_result *res, exo_config *cfgs,
                             exo_progress_fn progress, void *user)
{
    exo_status st = EXO_OK;
    int n = res->n_points;
    if (res->trial) {
        point_progress pp = {progress, user, 0, n};
        for (int i = 0; i < n; i++) {
            exo_sweep_point *p = &res->points[i];
            p->cfg = cfgs[i];
            memset(&cfgs[i], 0, sizeof cfgs[i]); /* the point owns it: the trial borrows it */
            pp.point = i;
            EXO_TRY(exo_trial_run(ctx, u, &p->cfg, progress ? trial_progress : NULL, &pp, &p->trial));
            trial_arms(&res->sweep, p);
        }
        return EXO_OK;
    }
    /* Single runs are independent: threads, each with its own context;
     * results by index, the first failing index wins (as in trial.c). */
    exo__first_failure bad;
    exo__first_failure_init(&bad, n);
    int done = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
        exo_ctx *tctx = NULL;
        exo_status ts = exo_ctx_create(exo_ctx_seed(ctx), &tctx);
        if (ts == EXO_OK)
            ts = run_single(tctx, &cfgs[i], &res->sweep, &res->points[i]);
#pragma omp critical(exo_sweep_progress)
        {
            exo__first_failure_note(&bad, i, ts, tctx);
            done++;
            if (progress)
                progress(user, (double)done / n);
        }
        exo_ctx_destroy(&tctx);
    }
    if (bad.st != EXO_OK)
        return exo_ctx_error(ctx, bad.st, "sweep: grid point %d: %s", bad.index, bad.msg);
out:
    return st;
}

static void pick_best(exo_sweep_result *res)
{
    int a = res->sweep.best_arm;
    res->best_point = -1;
    for (int i = 0; i < res->n_points; i++) {
        const exo_sweep_point *p = &res->points[i];
        if (a >= p->n_arms || !isfinite(p->arms[a].net_benefit))
            continue;
        if (res->best_point < 0 || p->arms[a].net_benefit > res->points[res->best_point].arms[a].net_benefit)
            res->best_point = i;
    }
}

exo_status exo_sweep_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                         const exo_sweep_options *opt, exo_progress_fn progress, void *user,
                         exo_sweep_result **out)
{
    exo_sweep_options none = {.harm_weight = -1};
    exo_status st = EXO_OK;
    exo_config base, *cfgs = NULL;
    exo_override *all = NULL;
    exo_sweep_result *res = NULL;
    int n = 0;
    *out = NULL;
    if (!opt)
        opt = &none;
    if (n_sets < 0 || n_sets > 10000)
        return exo_ctx_error(ctx, EXO_EINVAL, "sweep: %d overrides", n_sets);
    EXO_TRY(exo_config_load(ctx, u, path, sets, n_sets, &base));
    if (!(res = exo_alloc(ctx, 1, sizeof *res))) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
        goto out_base;
    }
    res->seed = base.seed;
    res->trial = base.trial.present && !opt->single_run;
    if ((st = merge_vars(ctx, &base, opt, &res->sweep)) != EXO_OK)
        goto out_base;
    const exo_sweep_cfg *s = &res->sweep;
    if (s->n_vars == 0) {
        st = exo_ctx_error(ctx, EXO_EINPUT, "%s:1:1: sweep: no variables (expected a sweep: block or --vary)", path);
        goto out_base;
    }
    if (s->best_arm >= base.n_arms)
        res->sweep.best_arm = 0;
    double points = 1;
    for (int v = 0; v < s->n_vars; v++)
        points *= s->vars[v].n_values;
    if (points > EXO_SWEEP_MAX_POINTS) {
        st = exo_ctx_error(ctx, EXO_EINPUT, "%s:1:1: sweep: a grid of %.0f points (expected at most %d)", path,
                           points, EXO_SWEEP_MAX_POINTS);
        goto out_base;
    }
    /* the effective input: the scenario with the sweep as run */
    {
        exo_sweep_cfg mine = base.sweep;
        base.sweep = *s;
        st = exo_config_to_yaml(ctx, &base, &res->effective_input);
        base.sweep = mine;
        if (st != EXO_OK)
            goto out_base;
    }
    n = (int)points;
    res->n_points = n;
    res->points = exo_alloc(ctx, (size_t)n, sizeof *res->points);
    cfgs = exo_alloc(ctx, (size_t)n, sizeof *cfgs);
    all = exo_alloc(ctx, (size_t)n_sets + (size_t)s->n_vars, sizeof *all);
    if (!res->points || !cfgs || !all) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory for %d grid points", n);
        goto out_base;
    }
    for (int i = 0; i < n_sets; i++)
        all[i] = sets[i];
    int loaded = 0;
    for (int p = 0; p < n; p++) {
        for (int v = 0; v < s->n_vars; v++)
            all[n_sets + v] = (exo_override){s->vars[v].key, s->vars[v].values[exo_sweep_value_index(s, p, v)].text};
        st = exo__config_load_opts(ctx, u, path, all, n_sets + s->n_vars, false, &cfgs[p]);
        if (st != EXO_OK) {
            st = point_error(ctx, st, s, p);
            break;
        }
        loaded = p + 1;
        int na = cfgs[p].n_arms;
        res->points[p].n_arms = na;
        const exo_trial_cfg *t = &cfgs[p].trial, *t0 = &cfgs[0].trial;
        if (res->trial && (!t->present || t->endpoint != t0->endpoint || t->n_visits != t0->n_visits ||
                           memcmp(t->visits, t0->visits, (size_t)t->n_visits * sizeof *t->visits) != 0)) {
            st = exo_ctx_error(ctx, EXO_EINPUT, "%s:1:1: sweep: grid point %d has other trial visits or another "
                               "endpoint than point 0 (expected the same at every point: they are the columns of "
                               "sweep.csv)", path, p);
            break;
        }
        if (!(res->points[p].arms = exo_alloc(ctx, (size_t)na, sizeof *res->points[p].arms))) {
            st = exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
            break;
        }
    }
    if (st == EXO_OK)
        st = run_points(ctx, u, res, cfgs, progress, user);
    for (int p = 0; p < loaded; p++)
        exo_config_fini(ctx, &cfgs[p]);
    if (st == EXO_OK)
        pick_best(res);
out_base:
    exo_free(ctx, cfgs);
    exo_free(ctx, all);
    exo_config_fini(ctx, &base);
    if (st != EXO_OK) {
        exo_sweep_destroy(ctx, &res);
        return st;
    }
    *out = res;
out:
    return st;
}

/* ---- files ---------------------------------------------------------------- */

/* A variable's column: numbers in one unit ("KEY [UNIT]") when every value
 * is a number with the same unit, else the text of each value (under "KEY"). */
static bool numeric_var(const exo_sweep_var *v, char *unit, size_t cap)
{
    const char *u0 = NULL;
    for (int j = 0; j < v->n_values; j++) {
        double x;
        const char *us;
        if (exo_units_split(v->values[j].text, &x, &us, true) != EXO_OK || !isfinite(x))
            return false;
        if (j == 0)
            u0 = us;
        else if (strcmp(us, u0) != 0)
            return false;
    }
    snprintf(unit, cap, "%s", u0 && u0[0] ? u0 : "1");
    return true;
}

static void put_value(FILE *f, const exo_sweep_var *v, bool numeric, int j)
{
    double x;
    const char *us;
    if (numeric && exo_units_split(v->values[j].text, &x, &us, true) == EXO_OK)
        fprintf(f, ",%.9g", x);
    else {
        fputc(',', f);
        exo__csv_quoted(f, v->values[j].text);
    }
}

static void header_single(FILE *f)
{
    for (int k = 0; k < EXO_RD_COUNT; k++)
        fprintf(f, ",%s baseline [%s],%s final [%s],%s change [%%]", exo_readout_name(k), exo_readout_unit(k),
                exo_readout_name(k), exo_readout_unit(k), exo_readout_name(k));
    fprintf(f, ",peak_inflammation [1],serious_ae_probability [1],reached_dermis [particles/cm^2]");
}

static void row_single(FILE *f, const exo_sweep_arm *x)
{
    for (int k = 0; k < EXO_RD_COUNT; k++) {
        double b0 = x->baseline[k], b1 = x->final[k];
        fprintf(f, ",%.6g,%.6g,", b0, b1);
        if (b0 != 0)
            fprintf(f, "%.6g", 100.0 * (b1 - b0) / b0);
    }
    fprintf(f, ",%.6g,%.6g,%.6e", x->peak_inflammation, x->p_serious, x->delivered_dermis);
}

static void header_trial(FILE *f, const exo_config *cfg)
{
    const exo_trial_cfg *t = &cfg->trial;
    const char *q = exo_quantity_name(t->endpoint), *unit = exo_readout_unit(t->endpoint - EXO_Q_READOUT_FIRST);
    static const char *const stat[] = {"mean", "sd", "ci95_low", "ci95_high"};
    char lab[64];
    fprintf(f, ",patients [1],%s baseline mean [%s],%s baseline sd [%s]", q, unit, q, unit);
    for (int v = 0; v < t->n_visits; v++) {
        exo__visit_label(lab, sizeof lab, t->visits[v]);
        for (int s = 0; s < 4; s++)
            fprintf(f, ",%s at %s %s [%s]", q, lab, stat[s], unit);
        for (int s = 0; s < 4; s++)
            fprintf(f, ",change at %s %s [%%]", lab, stat[s]);
        fprintf(f, ",responders at %s [1]", lab);
    }
    fprintf(f, ",serious_ae_patients [1],serious_ae_probability_mean [1]");
}

static void put_summary(FILE *f, const exo_trial_summary *s)
{
    fprintf(f, ",%.9g,%.9g,%.9g,%.9g", s->mean, s->sd, s->ci_lo, s->ci_hi);
}

static void row_trial(FILE *f, const exo_trial_result *t, int a)
{
    const exo_trial_arm *arm = &t->arms[a];
    fprintf(f, ",%d,%.9g,%.9g", arm->baseline.n, arm->baseline.mean, arm->baseline.sd);
    for (int v = 0; v < t->n_visits; v++) {
        put_summary(f, &arm->value[v]);
        put_summary(f, &arm->change[v]);
        fprintf(f, ",%.6g", arm->responder_rate[v]);
    }
    fprintf(f, ",%d,%.6g", arm->n_serious, arm->mean_p_serious);
}

static exo_status write_csv(exo_ctx *ctx, const exo_sweep_result *res, const char *path)
{
    const exo_sweep_cfg *s = &res->sweep;
    bool numeric[EXO_SWEEP_MAX_VARS];
    char unit[EXO_NAME_MAX];
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "point");
    for (int v = 0; v < s->n_vars; v++) {
        numeric[v] = numeric_var(&s->vars[v], unit, sizeof unit);
        fputc(',', f);
        char head[sizeof s->vars[v].key + EXO_NAME_MAX + 16];
        /* text values (a schedule, a kind) have no unit: the key alone */
        if (numeric[v])
            snprintf(head, sizeof head, "%s [%s]", s->vars[v].key, unit);
        else
            snprintf(head, sizeof head, "%s", s->vars[v].key);
        exo__csv_quoted(f, head);
    }
    fprintf(f, ",arm");
    if (res->trial)
        header_trial(f, &res->points[0].cfg);
    else
        header_single(f);
    fprintf(f, ",%s change [%%],net_benefit [%%]\n", exo_quantity_name(s->readout));
    for (int i = 0; i < res->n_points; i++) {
        const exo_sweep_point *p = &res->points[i];
        for (int a = 0; a < p->n_arms; a++) {
            fprintf(f, "%d", i);
            for (int v = 0; v < s->n_vars; v++)
                put_value(f, &s->vars[v], numeric[v], exo_sweep_value_index(s, i, v));
            fputc(',', f);
            exo__csv_quoted(f, p->arms[a].name);
            if (res->trial)
                row_trial(f, p->trial, a);
            else
                row_single(f, &p->arms[a]);
            fprintf(f, ",%.9g,%.9g\n", p->arms[a].change, p->arms[a].net_benefit);
        }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static cJSON *point_values(const exo_sweep_cfg *s, int p)
{
    cJSON *o = cJSON_CreateObject();
    for (int v = 0; v < s->n_vars; v++)
        cJSON_AddStringToObject(o, s->vars[v].key, s->vars[v].values[exo_sweep_value_index(s, p, v)].text);
    return o;
}

static cJSON *point_json(const exo_sweep_result *res, int i)
{
    const exo_sweep_point *p = &res->points[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "point", i);
    cJSON_AddItemToObject(o, "values", point_values(&res->sweep, i));
    cJSON *arms = cJSON_AddArrayToObject(o, "arms");
    for (int a = 0; a < p->n_arms; a++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", p->arms[a].name);
        cJSON_AddNumberToObject(x, "change_percent", p->arms[a].change);
        cJSON_AddNumberToObject(x, "serious_ae_probability", p->arms[a].p_serious);
        cJSON_AddNumberToObject(x, "net_benefit_percent", p->arms[a].net_benefit);
        if (p->trial) {
            const exo_trial_summary *c = &p->trial->arms[a].change[p->trial->n_visits - 1];
            cJSON_AddNumberToObject(x, "change_sd_percent", c->sd);
            cJSON *ci = cJSON_AddArrayToObject(x, "change_ci95_percent");
            cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->ci_lo));
            cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->ci_hi));
            cJSON_AddNumberToObject(x, "patients", c->n);
        }
        cJSON_AddItemToArray(arms, x);
    }
    if (p->trial) {
        const exo_trial_comparison *c = &p->trial->primary;
        if (c->present) {
            cJSON *x = cJSON_AddObjectToObject(o, "primary_comparison");
            cJSON_AddStringToObject(x, "what", c->what);
            cJSON_AddNumberToObject(x, "mean_difference", c->test.mean_diff);
            cJSON *ci = cJSON_AddArrayToObject(x, "ci95");
            cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->test.ci_lo));
            cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->test.ci_hi));
            cJSON_AddNumberToObject(x, "p", c->test.p);
            cJSON_AddNumberToObject(x, c->paired ? "cohens_dz" : "cohens_d", c->test.d);
        } else {
            cJSON_AddNullToObject(o, "primary_comparison");
        }
    }
    return o;
}

static exo_status write_summary(exo_ctx *ctx, const exo_sweep_result *res, const char *path)
{
    const exo_sweep_cfg *s = &res->sweep;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
    cJSON_AddStringToObject(root, "program", "exoskin");
    cJSON_AddStringToObject(root, "command", "sweep");
    cJSON_AddStringToObject(root, "version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a JSON integer, not a double */
    cJSON_AddStringToObject(root, "mode", res->trial ? "trial" : "run");
    cJSON *vars = cJSON_AddArrayToObject(root, "variables");
    for (int v = 0; v < s->n_vars; v++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", s->vars[v].key);
        cJSON *vals = cJSON_AddArrayToObject(o, "values");
        for (int j = 0; j < s->vars[v].n_values; j++)
            cJSON_AddItemToArray(vals, cJSON_CreateString(s->vars[v].values[j].text));
        cJSON_AddItemToArray(vars, o);
    }
    cJSON_AddNumberToObject(root, "points", res->n_points);
    cJSON_AddStringToObject(root, "order", "row-major: the last variable varies fastest");
    cJSON *crit = cJSON_AddObjectToObject(root, "criterion");
    cJSON_AddStringToObject(crit, "arm", res->points[0].n_arms > s->best_arm ? res->points[0].arms[s->best_arm].name : "");
    cJSON_AddStringToObject(crit, "readout", exo_quantity_name(s->readout));
    cJSON_AddStringToObject(crit, "goal", s->decrease ? "decrease" : "increase");
    cJSON_AddNumberToObject(crit, "harm_weight", s->harm_weight);
    cJSON_AddStringToObject(crit, "net_benefit",
                            res->trial ? "(goal sign) x mean change at the last visit [%] - harm_weight x mean serious "
                                         "adverse-event probability [%]"
                                       : "(goal sign) x change at the end [%] - harm_weight x serious adverse-event "
                                         "probability [%]");
    if (res->best_point >= 0)
        cJSON_AddItemToObject(root, "best", point_json(res, res->best_point));
    else
        cJSON_AddNullToObject(root, "best");
    cJSON *grid = cJSON_AddArrayToObject(root, "grid");
    for (int i = 0; i < res->n_points; i++)
        cJSON_AddItemToArray(grid, point_json(res, i));
    cJSON_AddStringToObject(root, "effective_input", res->effective_input ? res->effective_input : "");
    return exo__write_json(ctx, root, path);
}

static exo_status fill_sweep(exo_ctx *ctx, const void *user, const char *tmp)
{
    const exo_sweep_result *res = user;
    char path[4200];
    exo_status st;
    snprintf(path, sizeof path, "%s/sweep.csv", tmp);
    if ((st = write_csv(ctx, res, path)) != EXO_OK)
        return st;
    snprintf(path, sizeof path, "%s/summary.json", tmp);
    return write_summary(ctx, res, path);
}

exo_status exo__sweep_write_files(exo_ctx *ctx, const exo_sweep_result *res, const char *dir)
{
    return fill_sweep(ctx, res, dir);
}
