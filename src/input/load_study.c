/* load_study.c - the schema walk of the `study` (endpoints between arms) and
 * `trial` (virtual population, visits) blocks.  Called from walk_top
 * (load.c); same rules as load.c. */
#include "input/input_impl.h"

#include <math.h>
#include <string.h>

/* ---- study ------------------------------------------------------------- */

exo_status exo__find_arm(exo__walk *w, const exo_config *cfg, const exo__node *map,
                         const char *key, int *out)
{
    exo_status st = EXO_OK;
    char val[96];
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    if (n->kind != EXO__NODE_SCALAR) {
        st = exo__walk_error(w, n, EXO_EINPUT, "found a %s (expected an arm name)",
                             n->kind == EXO__NODE_MAP ? "mapping" : "list");
        goto out;
    }
    for (int i = 0; i < cfg->n_arms; i++) {
        if (strcmp(cfg->arms[i].name, n->text) == 0) {
            *out = i;
            goto out;
        }
    }
    st = exo__walk_error(w, n, EXO_EINPUT, "unknown arm '%s' (expected the name of an arm)",
                         exo__quote(val, sizeof val, n->text, 48));
out:
    exo__path_pop(&w->path, old);
    return st;
}

static exo_status walk_endpoint(exo__walk *w, const exo_config *cfg, const exo__node *n,
                                exo_endpoint_cfg *e)
{
    static const char *const keys[] = {"quantity", "compare", "arm", "reference_arm", "time",
                                       "reference_time", "threshold", "low", "high", NULL};
    static const exo__range any = {-INFINITY, INFINITY, "1", 0};
    exo_status st = EXO_OK;
    exo__node *q, *lo, *hi;
    int quantity = 0, compare = EXO_CMP_VALUE;
    e->arm = cfg->n_arms == 1 ? 0 : -1;
    e->reference_arm = -1;
    e->time = cfg->sim.duration;
    e->threshold = 0.1;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__need_key(w, n, "quantity", "delivered_past_sc, delivered_fraction, "
                                            "delivered_dermis, absorbed, recovery_time or "
                                            "closure_half_life",
                          &q));
    EXO_TRY(exo__opt_enum(w, n, "quantity", exo__quantity_names, EXO_Q_COUNT, &quantity));
    EXO_TRY(exo__opt_enum(w, n, "compare", exo__compare_names, EXO_CMP_COUNT, &compare));
    e->quantity = (exo_quantity)quantity;
    e->compare = (exo_compare)compare;
    if ((e->compare == EXO_CMP_DURATION || e->compare == EXO_CMP_CHANGE_RATIO ||
         e->compare == EXO_CMP_RECOVERED_FRACTION) &&
        (e->quantity < EXO_Q_READOUT_FIRST || e->quantity >= EXO_Q_READOUT_FIRST + EXO_RD_COUNT)) {
        size_t old = exo__path_key(&w->path, "compare");
        st = exo__walk_error(w, exo__map_get(n, "compare"), EXO_EINPUT,
                             "%s needs a clinical readout, not %s (expected a readout such as "
                             "erythema_index)",
                             exo_compare_name(e->compare), exo_quantity_name(e->quantity));
        exo__path_pop(&w->path, old);
        goto out;
    }
    if (e->arm < 0 || exo__map_get(n, "arm")) {
        exo__node *a;
        EXO_TRY(exo__need_key(w, n, "arm", "the name of an arm", &a));
        EXO_TRY(exo__find_arm(w, cfg, n, "arm", &e->arm));
    }
    const exo__node *ref = exo__map_get(n, "reference_arm");
    const exo__node *rt = exo__map_get(n, "reference_time");
    bool single = e->compare == EXO_CMP_VALUE || e->compare == EXO_CMP_PERCENT_CHANGE ||
                  e->compare == EXO_CMP_DURATION || e->compare == EXO_CMP_RECOVERED_FRACTION;
    bool timed = e->compare == EXO_CMP_RATIO || e->compare == EXO_CMP_DIFFERENCE ||
                 e->compare == EXO_CMP_PERCENT_CHANGE;
    if ((single && ref) || (!timed && rt)) {
        const char *key = single && ref ? "reference_arm" : "reference_time";
        size_t old = exo__path_key(&w->path, key);
        st = exo__walk_error(w, single && ref ? ref : rt, EXO_EINPUT, "not used with compare: %s (expected "
                             "compare: %s)", exo_compare_name(e->compare),
                             single && ref ? "ratio, difference, annual_loss or change_ratio"
                                           : "ratio, difference or percent_change");
        exo__path_pop(&w->path, old);
        goto out;
    }
    const exo__range in_run = {0, cfg->sim.duration, "h", 0};
    if (rt) {
        e->has_reference_time = true;
        EXO_TRY(exo__opt_qty(w, n, "reference_time", &exo__dim_time, &in_run, &e->reference_time));
    }
    if (!single && (ref || !rt)) {
        exo__node *r;
        EXO_TRY(exo__need_key(w, n, "reference_arm", "the name of the arm compared against", &r));
        EXO_TRY(exo__find_arm(w, cfg, n, "reference_arm", &e->reference_arm));
        if (e->reference_arm == e->arm && !rt) { /* at the same time: a ratio of 1, a difference of 0, an annual loss of 0/0 */
            size_t old = exo__path_key(&w->path, "reference_arm");
            st = exo__walk_error(w, r, EXO_EINPUT, "compares arm '%s' with itself at the same time (expected another arm, or a reference_time, for "
                                                   "compare: %s)",
                                 cfg->arms[e->arm].name, exo_compare_name(e->compare));
            exo__path_pop(&w->path, old);
            goto out;
        }
    } else if (!single) {
        e->reference_arm = e->arm; /* the same arm at reference_time */
    }
    EXO_TRY(exo__opt_qty(w, n, "time", &exo__dim_time, &in_run, &e->time));
    EXO_TRY(exo__opt_number(w, n, "threshold",
                            &(exo__range){0, 1, "1", EXO__LO_OPEN | EXO__HI_OPEN}, &e->threshold));
    EXO_TRY(exo__need_key(w, n, "low", "the lower end of the acceptance range", &lo));
    EXO_TRY(exo__need_key(w, n, "high", "the upper end of the acceptance range", &hi));
    EXO_TRY(exo__opt_number(w, n, "low", &any, &e->low));
    EXO_TRY(exo__opt_number(w, n, "high", &any, &e->high));
    if (e->low > e->high) {
        size_t old = exo__path_key(&w->path, "high");
        st = exo__walk_error(w, hi, EXO_EINPUT, "high %g is below low %g (expected low <= high)",
                             e->high, e->low);
        exo__path_pop(&w->path, old);
    }
out:
    return st;
}

exo_status exo__walk_study(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"id", "level", "source", "unit", "reported", "endpoint",
                                       "checks", NULL};
    static const exo__range any = {-INFINITY, INFINITY, "1", 0};
    exo_status st = EXO_OK;
    exo_study_cfg *s = &cfg->study;
    const exo__node *n = exo__map_get(root, "study");
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "study");
    exo__node *v;
    EXO_TRY(exo__need_map(w, n, keys));
    s->present = true;
    EXO_TRY(exo__need_key(w, n, "id", "a study identifier", &v));
    EXO_TRY(exo__need_key(w, n, "reported", "the reported number", &v));
    EXO_TRY(exo__need_key(w, n, "endpoint", "a mapping with quantity, arm, low and high", &v));
    EXO_TRY(exo__opt_string(w, n, "id", s->id, sizeof s->id));
    EXO_TRY(exo__opt_string(w, n, "level", s->level, sizeof s->level));
    EXO_TRY(exo__opt_string(w, n, "source", s->source, sizeof s->source));
    EXO_TRY(exo__opt_string(w, n, "unit", s->unit, sizeof s->unit));
    EXO_TRY(exo__opt_number(w, n, "reported", &any, &s->reported));
    size_t o2 = exo__path_key(&w->path, "endpoint");
    EXO_TRY(walk_endpoint(w, cfg, v, &s->endpoint));
    exo__path_pop(&w->path, o2);
    const exo__node *c = exo__map_get(n, "checks");
    if (c) {
        o2 = exo__path_key(&w->path, "checks");
        EXO_TRY(exo__need_seq(w, c, 0, EXO_INPUT_MAX_ITEMS));
        if (c->n > 0) {
            s->checks = exo_alloc(w->ctx, (size_t)c->n, sizeof *s->checks);
            if (!s->checks) {
                st = exo__walk_error(w, c, EXO_ENOMEM, "out of memory");
                goto out;
            }
            s->n_checks = c->n;
        }
        for (int i = 0; i < c->n; i++) {
            size_t o3 = exo__path_index(&w->path, i);
            EXO_TRY(walk_endpoint(w, cfg, c->items[i], &s->checks[i]));
            exo__path_pop(&w->path, o3);
        }
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- trial ------------------------------------------------------------- */

static exo_status walk_age(exo__walk *w, const exo__node *n, exo_trial_cfg *t)
{
    static const char *const keys[] = {"mean", "sd", "min", "max", NULL};
    static const exo__range adult = {18.0, 100.0, "years", 0};
    exo_status st;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "mean", &exo__dim_age, &adult, &t->age_mean)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "sd", &exo__dim_age, &(exo__range){0.0, 50.0, "years", 0}, &t->age_sd)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "min", &exo__dim_age, &adult, &t->age_min)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "max", &exo__dim_age, &adult, &t->age_max)) != EXO_OK)
        return st;
    if (t->age_min > t->age_max)
        return exo__walk_error(w, n, EXO_EINPUT, "min %g years is above max %g years (expected min <= max)",
                               t->age_min, t->age_max);
    if (t->age_mean < t->age_min || t->age_mean > t->age_max)
        return exo__walk_error(w, n, EXO_EINPUT, "mean %g years lies outside [%g, %g] years (expected min <= "
                                                 "mean <= max)",
                               t->age_mean, t->age_min, t->age_max);
    return EXO_OK;
}

static exo_status walk_population(exo__walk *w, const exo__node *n, exo_trial_cfg *t)
{
    static const char *const keys[] = {"age", "female_fraction", "phototypes", "variability",
                                       "parameter_uncertainty", "posterior", NULL};
    static const exo__range unit = {0.0, 1.0, "1", 0};
    exo_status st = EXO_OK;
    EXO_TRY(exo__need_map(w, n, keys));
    const exo__node *age = exo__map_get(n, "age");
    if (age) {
        size_t o = exo__path_key(&w->path, "age");
        EXO_TRY(walk_age(w, age, t));
        exo__path_pop(&w->path, o);
    }
    EXO_TRY(exo__opt_number(w, n, "female_fraction", &unit, &t->female_fraction));
    EXO_TRY(exo__opt_number(w, n, "variability", &unit, &t->variability));
    EXO_TRY(exo__opt_number(w, n, "parameter_uncertainty", &unit, &t->parameter_uncertainty));
    EXO_TRY(exo__opt_bool(w, n, "posterior", &t->posterior));
    const exo__node *pt = exo__map_get(n, "phototypes");
    if (pt) {
        size_t o = exo__path_key(&w->path, "phototypes");
        EXO_TRY(exo__need_seq(w, pt, 1, 6));
        t->n_phototypes = pt->n;
        for (int i = 0; i < pt->n; i++) {
            size_t o2 = exo__path_index(&w->path, i);
            EXO_TRY(exo__get_phototype(w, pt->items[i], &t->phototypes[i]));
            exo__path_pop(&w->path, o2);
        }
        exo__path_pop(&w->path, o);
    }
out:
    return st;
}

static exo_status walk_visits(exo__walk *w, const exo__node *n, const exo_config *cfg, exo_trial_cfg *t)
{
    exo__range r = {0.0, cfg->sim.duration, "h", EXO__LO_OPEN};
    exo_status st = exo__need_seq(w, n, 1, EXO_TRIAL_MAX_VISITS);
    if (st != EXO_OK)
        return st;
    t->n_visits = n->n;
    for (int i = 0; i < n->n; i++) {
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_qty(w, n->items[i], &exo__dim_time, &r, &t->visits[i]);
        if (st == EXO_OK && i > 0 && t->visits[i] <= t->visits[i - 1])
            st = exo__walk_error(w, n->items[i], EXO_EINPUT, "unsorted or repeated visit (expected each "
                                                             "visit after the one before)");
        exo__path_pop(&w->path, old);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

exo_status exo__walk_trial(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"design", "patients", "visits", "endpoint", "responder_threshold",
                                       "population", NULL};
    static const int arms_needed[EXO_TRIAL_DESIGN_COUNT] = {1, 0, 2};
    exo_status st = EXO_OK;
    exo_trial_cfg *t = &cfg->trial;
    const exo__node *n = exo__map_get(root, "trial");
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "trial");
    exo__node *v, *d;
    int design = 0, q = 0;
    long long patients = 0;
    EXO_TRY(exo__need_map(w, n, keys));
    t->present = true;
    EXO_TRY(exo__need_key(w, n, "design", "single_arm, parallel or split_face", &d));
    EXO_TRY(exo__opt_enum(w, n, "design", exo__trial_design_names, EXO_TRIAL_DESIGN_COUNT, &design));
    t->design = (exo_trial_design)design;
    if (arms_needed[design] && cfg->n_arms != arms_needed[design]) {
        size_t o = exo__path_key(&w->path, "design");
        st = exo__walk_error(w, d, EXO_EINPUT, "design %s with %d arms (expected exactly %d arm%s)",
                             exo__trial_design_names[design], cfg->n_arms, arms_needed[design],
                             arms_needed[design] == 1 ? "" : "s");
        exo__path_pop(&w->path, o);
        goto out;
    }
    EXO_TRY(exo__need_key(w, n, "patients", "a number of patients from 2 to 10000", &v));
    size_t o = exo__path_key(&w->path, "patients");
    EXO_TRY(exo__get_int(w, v, 2, EXO_TRIAL_MAX_PATIENTS, &patients));
    exo__path_pop(&w->path, o);
    t->patients = (int)patients;
    EXO_TRY(exo__need_key(w, n, "endpoint", "a readout such as wrinkle_severity or dermal_collagen", &v));
    EXO_TRY(exo__opt_enum(w, n, "endpoint", exo__quantity_names + EXO_Q_READOUT_FIRST,
                          EXO_RD_COUNT, &q));
    t->endpoint = EXO_Q_READOUT(q);
    EXO_TRY(exo__need_key(w, n, "responder_threshold", "a % change such as -10", &v));
    EXO_TRY(exo__opt_number(w, n, "responder_threshold", &(exo__range){-100.0, 1000.0, "%", 0},
                            &t->responder_threshold));
    if (t->responder_threshold == 0) {
        o = exo__path_key(&w->path, "responder_threshold");
        st = exo__walk_error(w, v, EXO_EINPUT, "0 has no direction (expected a negative threshold for a "
                                               "decrease or a positive one for an increase)");
        exo__path_pop(&w->path, o);
        goto out;
    }
    const exo__node *vis = exo__map_get(n, "visits");
    t->n_visits = 1;
    t->visits[0] = cfg->sim.duration;
    if (vis) {
        o = exo__path_key(&w->path, "visits");
        EXO_TRY(walk_visits(w, vis, cfg, t));
        exo__path_pop(&w->path, o);
    }
    t->age_mean = cfg->skin.age;
    t->age_sd = 0.0;
    t->age_min = 18.0;
    t->age_max = 100.0;
    t->female_fraction = cfg->skin.sex == EXO_SEX_FEMALE ? 1.0 : 0.0;
    t->n_phototypes = 1;
    t->phototypes[0] = cfg->skin.phototype;
    t->variability = 0.1;
    t->parameter_uncertainty = 0.0;
    t->posterior = true;
    const exo__node *pop = exo__map_get(n, "population");
    if (pop) {
        o = exo__path_key(&w->path, "population");
        EXO_TRY(walk_population(w, pop, t));
        exo__path_pop(&w->path, o);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}
