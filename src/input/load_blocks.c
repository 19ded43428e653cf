/* load_blocks.c - the schema walk of the `audit` (label claims), `optimize`
 * (variables, objective) and `sweep` (grid of values) blocks.  Called from
 * walk_top (load.c); same rules as load.c. */
#include "input/input_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- optimize ---------------------------------------------------------- */

/* "0.5 mm" -> 0.5 and "mm" ("" for a pure number); the unit must parse. */
static exo_status opt_value(exo__walk *w, const exo__node *map, const char *key, double *v, char *unit,
                            size_t cap)
{
    exo_status st = EXO_OK;
    char text[EXO_INPUT_MAX_STRING + 1], val[96];
    const char *us = NULL;
    exo__node *n;
    if ((st = exo__need_key(w, map, key, "a value with its unit such as '0.5 mm'", &n)) != EXO_OK)
        return st;
    size_t old = exo__path_key(&w->path, key);
    EXO_TRY(exo__get_string(w, n, text, sizeof text));
    if (exo_units_split(text, v, &us, true) != EXO_OK || !isfinite(*v)) {
        st = exo__walk_error(w, n, EXO_EINPUT, "'%s' is not a value (expected a number with its unit such as "
                                               "'0.5 mm')", exo__quote(val, sizeof val, text, 48));
        goto out;
    }
    if (*us && !exo_units_compatible(w->u, us, us)) {
        st = exo__walk_error(w, n, EXO_EUNIT, "unknown unit '%s' (expected a unit such as 'mm' or 'particles/mL')",
                             exo__quote(val, sizeof val, us, 48));
        goto out;
    }
    if (strlen(us) >= cap) {
        st = exo__walk_error(w, n, EXO_EINPUT, "unit too long (expected at most %zu characters)", cap - 1);
        goto out;
    }
    snprintf(unit, cap, "%s", us);
out:
    exo__path_pop(&w->path, old);
    return st;
}

static exo_status walk_optimize_choices(exo__walk *w, const exo__node *n, exo_optimize_var *v)
{
    exo_status st = exo__need_seq(w, n, 1, EXO_OPT_MAX_CHOICES);
    for (int i = 0; st == EXO_OK && i < n->n; i++) {
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_string(w, n->items[i], v->choices[i], sizeof v->choices[i]);
        exo__path_pop(&w->path, old);
    }
    v->n_choices = st == EXO_OK ? n->n : 0;
    return st;
}

static exo_status walk_optimize_var(exo__walk *w, const exo__node *n, exo_optimize_var *v)
{
    static const char *const keys[] = {"key", "min", "max", "scale", "choices", NULL};
    static const char *const scales[] = {"linear", "log"};
    exo_status st = EXO_OK;
    exo__node *k;
    const exo__node *c;
    int scale = 0;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__need_key(w, n, "key", "an input key such as 'arms.0.protocol.0.needle_length'", &k));
    EXO_TRY(exo__opt_string(w, n, "key", v->key, sizeof v->key));
    if (!v->key[0]) {
        size_t old = exo__path_key(&w->path, "key");
        st = exo__walk_error(w, k, EXO_EINPUT, "empty key (expected an input key such as 'skin.age')");
        exo__path_pop(&w->path, old);
        goto out;
    }
    if ((c = exo__map_get(n, "choices")) != NULL) {
        if (exo__map_get(n, "min") || exo__map_get(n, "max") || exo__map_get(n, "scale")) {
            st = exo__walk_error(w, n, EXO_EINPUT, "both choices and min/max/scale (expected one of them)");
            goto out;
        }
        v->discrete = true;
        size_t old = exo__path_key(&w->path, "choices");
        st = walk_optimize_choices(w, c, v);
        exo__path_pop(&w->path, old);
        goto out;
    }
    char unit_max[EXO_NAME_MAX];
    EXO_TRY(opt_value(w, n, "min", &v->min, v->unit, sizeof v->unit));
    EXO_TRY(opt_value(w, n, "max", &v->max, unit_max, sizeof unit_max));
    EXO_TRY(exo__opt_enum(w, n, "scale", scales, 2, &scale));
    v->log_scale = scale == 1;
    if (strcmp(unit_max, v->unit) != 0) {
        double x;
        size_t old = exo__path_key(&w->path, "max");
        if (!v->unit[0] || !unit_max[0] || exo_units_convert(w->u, v->max, unit_max, v->unit, &x) != EXO_OK)
            st = exo__walk_error(w, exo__map_get(n, "max"), EXO_EUNIT,
                                 "unit '%s' does not convert to the unit of min '%s' (expected the same dimension)",
                                 unit_max, v->unit);
        else
            v->max = x;
        exo__path_pop(&w->path, old);
        if (st != EXO_OK)
            goto out;
    }
    if (!(v->min < v->max) || (v->log_scale && !(v->min > 0))) {
        size_t old = exo__path_key(&w->path, "max");
        st = exo__walk_error(w, exo__map_get(n, "max"), EXO_EINPUT, "range %g to %g %s (expected min < max%s)",
                             v->min, v->max, v->unit, v->log_scale ? " and min > 0 for scale: log" : "");
        exo__path_pop(&w->path, old);
    }
out:
    return st;
}

exo_status exo__walk_optimize(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"endpoint", "goal", "variables", "max_sessions", "max_serious_risk",
                                       "max_cost", "cost_per_session", "draws", "credibility", NULL};
    static const char *const goals[] = {"increase", "decrease"};
    exo_status st = EXO_OK;
    exo_optimize_cfg *o = &cfg->optimize;
    const exo__node *n = exo__map_get(root, "optimize");
    exo__node *v;
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "optimize");
    int q = 0, goal = 0;
    EXO_TRY(exo__need_map(w, n, keys));
    o->present = true;
    o->max_serious_risk = 0.01;
    o->draws = 4;
    o->credibility = 0.9;
    EXO_TRY(exo__need_key(w, n, "endpoint", "a readout such as dermal_collagen", &v));
    EXO_TRY(exo__opt_enum(w, n, "endpoint", exo__quantity_names + EXO_Q_READOUT_FIRST,
                          EXO_RD_COUNT, &q));
    o->endpoint = EXO_Q_READOUT(q);
    EXO_TRY(exo__need_key(w, n, "goal", "increase or decrease", &v));
    EXO_TRY(exo__opt_enum(w, n, "goal", goals, 2, &goal));
    o->decrease = goal == 1;
    EXO_TRY(exo__need_key(w, n, "variables", "a list of 1 to 6 variables", &v));
    size_t o2 = exo__path_key(&w->path, "variables");
    EXO_TRY(exo__need_seq(w, v, 1, EXO_OPT_MAX_VARS));
    o->n_vars = v->n;
    for (int i = 0; i < v->n; i++) {
        size_t o3 = exo__path_index(&w->path, i);
        EXO_TRY(walk_optimize_var(w, v->items[i], &o->vars[i]));
        exo__path_pop(&w->path, o3);
    }
    exo__path_pop(&w->path, o2);
    EXO_TRY(exo__opt_int(w, n, "max_sessions", 1, EXO_INPUT_MAX_TIMES, &o->max_sessions));
    EXO_TRY(exo__opt_number(w, n, "max_serious_risk", &(exo__range){0.0, 1.0, "1", EXO__LO_OPEN},
                            &o->max_serious_risk));
    EXO_TRY(exo__opt_number(w, n, "max_cost", &(exo__range){0.0, 1e15, "1", EXO__LO_OPEN}, &o->max_cost));
    EXO_TRY(exo__opt_number(w, n, "cost_per_session", &(exo__range){0.0, 1e15, "1", 0}, &o->cost_per_session));
    EXO_TRY(exo__opt_number(w, n, "credibility", &(exo__range){0.5, 1.0, "1", 0}, &o->credibility));
    EXO_TRY(exo__opt_int(w, n, "draws", 0, EXO_OPT_MAX_DRAWS, &o->draws));
    if (o->max_cost > 0 && !exo__map_get(n, "cost_per_session")) {
        o2 = exo__path_key(&w->path, "cost_per_session");
        st = exo__walk_error(w, n, EXO_EINPUT, "missing required key (expected a cost per session with max_cost)");
        exo__path_pop(&w->path, o2);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- sweep ------------------------------------------------------------- */

static bool is_set_src(const exo__node *n) { return n->src && strcmp(n->src, "--set") == 0; }

static exo_status sweep_distinct(exo__walk *w, const exo__node *at, const exo_sweep_var *v, int j)
{
    char val[96];
    for (int i = 0; i < j; i++)
        if (strcmp(v->values[i].text, v->values[j].text) == 0)
            return exo__walk_error(w, at, EXO_EINPUT, "duplicate value '%s' (expected distinct values%s)",
                                   exo__quote(val, sizeof val, v->values[j].text, 48),
                                   v->range ? "; fewer steps" : "");
    return EXO_OK;
}

static exo_status walk_sweep_values(exo__walk *w, const exo__node *n, exo_sweep_var *v)
{
    exo_status st = exo__need_seq(w, n, 1, EXO_SWEEP_MAX_VALUES);
    if (st != EXO_OK)
        return st;
    if (!(v->values = exo_alloc(w->ctx, (size_t)n->n, sizeof *v->values)))
        return exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
    for (int i = 0; st == EXO_OK && i < n->n; i++) {
        const exo__node *x = n->items[i];
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_string(w, x, v->values[i].text, sizeof v->values[i].text);
        v->values[i].line = is_set_src(x) ? 0 : x->line;
        v->values[i].col = x->col;
        v->n_values = i + 1;
        if (st == EXO_OK)
            st = sweep_distinct(w, x, v, i);
        exo__path_pop(&w->path, old);
    }
    return st;
}

/* from/to/steps/scale -> the values "%.6g UNIT", evenly spaced (in log space for scale: log). */
static exo_status walk_sweep_range(exo__walk *w, const exo__node *n, exo_sweep_var *v)
{
    static const char *const scales[] = {"linear", "log"};
    exo_status st = EXO_OK;
    char unit_to[EXO_NAME_MAX];
    exo__node *sn;
    long long steps = 0;
    int scale = 0;
    EXO_TRY(opt_value(w, n, "from", &v->from, v->unit, sizeof v->unit));
    EXO_TRY(opt_value(w, n, "to", &v->to, unit_to, sizeof unit_to));
    EXO_TRY(exo__need_key(w, n, "steps", "a number of values from 2 to 1000", &sn));
    size_t old = exo__path_key(&w->path, "steps");
    st = exo__get_int(w, sn, 2, EXO_SWEEP_MAX_VALUES, &steps);
    exo__path_pop(&w->path, old);
    if (st != EXO_OK)
        goto out;
    EXO_TRY(exo__opt_enum(w, n, "scale", scales, 2, &scale));
    v->log_scale = scale == 1;
    const exo__node *to = exo__map_get(n, "to"), *from = exo__map_get(n, "from");
    old = exo__path_key(&w->path, "to");
    if (strcmp(unit_to, v->unit) != 0) {
        double x;
        if (!v->unit[0] || !unit_to[0] || exo_units_convert(w->u, v->to, unit_to, v->unit, &x) != EXO_OK)
            st = exo__walk_error(w, to, EXO_EUNIT,
                                 "unit '%s' does not convert to the unit of from '%s' (expected the same dimension)",
                                 unit_to, v->unit);
        else
            v->to = x;
    }
    if (st == EXO_OK && (v->from == v->to || (v->log_scale && !(v->from > 0 && v->to > 0))))
        st = exo__walk_error(w, to, EXO_EINPUT, "range %g to %g %s (expected from != to%s)", v->from, v->to, v->unit,
                             v->log_scale ? " and both > 0 for scale: log" : "");
    exo__path_pop(&w->path, old);
    if (st != EXO_OK)
        goto out;
    v->range = true;
    if (!(v->values = exo_alloc(w->ctx, (size_t)steps, sizeof *v->values))) {
        st = exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
        goto out;
    }
    old = exo__path_key(&w->path, "steps");
    for (int i = 0; st == EXO_OK && i < steps; i++) {
        double f = (double)i / (double)(steps - 1);
        double x = v->log_scale ? exp(log(v->from) + f * (log(v->to) - log(v->from))) : v->from + f * (v->to - v->from);
        if (i == steps - 1)
            x = v->to;
        char text[40 + EXO_NAME_MAX];
        snprintf(text, sizeof text, "%.6g%s%s", x, v->unit[0] ? " " : "", v->unit);
        if (strlen(text) >= sizeof v->values[i].text) {
            st = exo__walk_error(w, from, EXO_EINPUT, "unit too long (expected at most %zu characters)",
                                 sizeof v->values[i].text - 16);
            break;
        }
        memcpy(v->values[i].text, text, strlen(text) + 1);
        v->values[i].line = is_set_src(from) ? 0 : from->line;
        v->values[i].col = from->col;
        v->n_values = i + 1;
        st = sweep_distinct(w, sn, v, i);
    }
    exo__path_pop(&w->path, old);
out:
    return st;
}

static exo_status walk_sweep_var(exo__walk *w, const exo__node *n, exo_sweep_var *v)
{
    static const char *const keys[] = {"key", "values", "from", "to", "steps", "scale", NULL};
    exo_status st = EXO_OK;
    exo__node *k;
    const exo__node *vals;
    EXO_TRY(exo__need_map(w, n, keys));
    v->line = is_set_src(n) ? 0 : n->line;
    v->col = n->col;
    EXO_TRY(exo__need_key(w, n, "key", "an input key such as 'arms.0.protocol.0.amount'", &k));
    EXO_TRY(exo__opt_string(w, n, "key", v->key, sizeof v->key));
    if (strcmp(v->key, "sweep") == 0 || strncmp(v->key, "sweep.", 6) == 0) {
        size_t old = exo__path_key(&w->path, "key");
        st = exo__walk_error(w, k, EXO_EINPUT, "a sweep cannot vary its own block (expected another input key)");
        exo__path_pop(&w->path, old);
        goto out;
    }
    if ((vals = exo__map_get(n, "values")) != NULL) {
        if (exo__map_get(n, "from") || exo__map_get(n, "to") || exo__map_get(n, "steps") ||
            exo__map_get(n, "scale")) {
            st = exo__walk_error(w, n, EXO_EINPUT, "both values and from/to/steps/scale (expected one of them)");
            goto out;
        }
        size_t old = exo__path_key(&w->path, "values");
        st = walk_sweep_values(w, vals, v);
        exo__path_pop(&w->path, old);
        goto out;
    }
    if (!exo__map_get(n, "from")) {
        st = exo__walk_error(w, n, EXO_EINPUT, "no values (expected 'values: [...]' or 'from', 'to' and 'steps')");
        goto out;
    }
    st = walk_sweep_range(w, n, v);
out:
    return st;
}

static exo_status walk_sweep_best(exo__walk *w, const exo__node *n, exo_config *cfg)
{
    static const char *const keys[] = {"arm", "readout", "goal", "harm_weight", NULL};
    static const char *const goals[] = {"increase", "decrease"};
    exo_status st = EXO_OK;
    exo_sweep_cfg *s = &cfg->sweep;
    const exo__node *r = exo__map_get(n, "readout");
    int q = s->readout - EXO_Q_READOUT_FIRST, goal = s->decrease;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__find_arm(w, cfg, n, "arm", &s->best_arm));
    EXO_TRY(exo__opt_enum(w, n, "readout", exo__quantity_names + EXO_Q_READOUT_FIRST,
                          EXO_RD_COUNT, &q));
    if (r && cfg->trial.present && q != (int)cfg->trial.endpoint - EXO_Q_READOUT_FIRST) {
        size_t old = exo__path_key(&w->path, "readout");
        st = exo__walk_error(w, r, EXO_EINPUT, "a trial measures only its endpoint (expected %s)",
                             exo_quantity_name(cfg->trial.endpoint));
        exo__path_pop(&w->path, old);
        goto out;
    }
    s->readout = EXO_Q_READOUT(q);
    EXO_TRY(exo__opt_enum(w, n, "goal", goals, 2, &goal));
    s->decrease = goal == 1;
    EXO_TRY(exo__opt_number(w, n, "harm_weight", &(exo__range){0.0, 1e6, "1", 0}, &s->harm_weight));
out:
    return st;
}

exo_status exo__walk_sweep(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"variables", "best", NULL};
    exo_status st = EXO_OK;
    exo_sweep_cfg *s = &cfg->sweep;
    const exo__node *n = exo__map_get(root, "sweep"), *b;
    exo__node *v;
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "sweep");
    EXO_TRY(exo__need_map(w, n, keys));
    s->present = true;
    snprintf(s->src, sizeof s->src, "%s", n->src ? n->src : "");
    s->readout = cfg->trial.present ? cfg->trial.endpoint : EXO_Q_READOUT(EXO_RD_COLLAGEN);
    s->decrease = cfg->trial.present && cfg->trial.responder_threshold < 0;
    s->harm_weight = 1.0;
    EXO_TRY(exo__need_key(w, n, "variables", "a list of 1 to 8 variables", &v));
    size_t o2 = exo__path_key(&w->path, "variables");
    EXO_TRY(exo__need_seq(w, v, 1, EXO_SWEEP_MAX_VARS));
    double points = 1;
    for (int i = 0; i < v->n; i++) {
        size_t o3 = exo__path_index(&w->path, i);
        s->n_vars = i + 1;
        EXO_TRY(walk_sweep_var(w, v->items[i], &s->vars[i]));
        for (int j = 0; j < i; j++)
            if (strcmp(s->vars[j].key, s->vars[i].key) == 0) {
                st = exo__walk_error(w, v->items[i], EXO_EINPUT, "key '%s' is already variable %d (expected "
                                     "each key once)", s->vars[i].key, j);
                goto out;
            }
        points *= s->vars[i].n_values;
        exo__path_pop(&w->path, o3);
    }
    if (points > EXO_SWEEP_MAX_POINTS) {
        st = exo__walk_error(w, v, EXO_EINPUT, "a grid of %.0f points (expected at most %d)", points,
                             EXO_SWEEP_MAX_POINTS);
        goto out;
    }
    exo__path_pop(&w->path, o2);
    if ((b = exo__map_get(n, "best")) != NULL) {
        o2 = exo__path_key(&w->path, "best");
        EXO_TRY(walk_sweep_best(w, b, cfg));
        exo__path_pop(&w->path, o2);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}
