/* audit.c - label audits (docs/audit.md): the label of an audit file is run
 * by each route as a one-arm scenario built in memory (a copy of the config
 * with its own arm and events), the delivered dose is read per application
 * and per month, the concentration needed for a measurable change is found
 * by a decade scan and log-space bisection, and a verdict with reasons is
 * given.  audit.json is written atomically (exo__write_folder). */
#include <exoskin/exo_audit.h>
#include <exoskin/exo_posterior.h>

#include "output/output.h"
#include "protocol/protocol.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define RUN_WEEKS 4.0
#define CONTACT_MAX (12.0 * EXO_H) /* [h] topical leave-on, shortened to the interval */

const char *exo_audit_verdict_name(exo_audit_verdict v)
{
    static const char *const names[EXO_AUDIT_VERDICT_COUNT] = {"plausible", "implausible at this dose", "unknown"};
    return ((int)v >= 0 && v < EXO_AUDIT_VERDICT_COUNT) ? names[v] : "?";
}

/* One route's scenario: a copy of the config by value with its own product
 * (so the concentration can change), arm, events and times.  Nothing here is
 * allocated; the copy borrows the rest of cfg. */
typedef struct {
    exo_config cfg;
    exo_product_cfg product;
    exo_arm_cfg arm;
    exo_event_cfg events[2];
    double once[1];
    double profile[1];
} route_scenario;

static void topical_event(const exo_config *cfg, exo_event_cfg *ev, const double *times, int n)
{
    const exo_audit_cfg *a = &cfg->audit;
    double interval = a->n_times > 1 ? a->times[1] - a->times[0] : RUN_WEEKS * EXO_WEEK;
    memset(ev, 0, sizeof *ev);
    ev->kind = EXO_EV_TOPICAL;
    ev->product = 0;
    ev->amount = a->amount;
    ev->contact = fmin(CONTACT_MAX, interval);
    ev->times = (double *)times;
    ev->n_times = n;
}

static void build_route(const exo_config *cfg, exo_audit_route route, double conc, route_scenario *s)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->product = cfg->products[0];
    s->product.conc_known = true;
    s->product.conc = conc / EXO_ML;
    if (conc == 0.0)
        s->product.growth_factor = 0.0; /* the vehicle alone: no vesicles, no soluble actives */
    s->cfg.products = &s->product;
    s->cfg.n_products = 1;
    s->cfg.study.present = false;
    s->cfg.trial.present = false;
    s->cfg.sim.duration = RUN_WEEKS * EXO_WEEK;
    s->profile[0] = s->cfg.sim.duration;
    s->cfg.sim.profile_times = s->profile;
    s->cfg.sim.n_profile_times = 1;
    if (s->cfg.sim.output_interval > s->cfg.sim.duration)
        s->cfg.sim.output_interval = s->cfg.sim.duration;
    snprintf(s->arm.name, sizeof s->arm.name, "%s", exo_audit_route_name(route));
    s->arm.skin = cfg->skin;
    s->arm.events = s->events;
    s->cfg.arms = &s->arm;
    s->cfg.n_arms = 1;
    s->once[0] = 0.0;
    /* the audit's route as an event with its route's defaults (src/protocol); a
     * route that takes no product of its own is followed by the topical product */
    static const exo_event_kind kinds[] = {[EXO_AUDIT_TOPICAL] = EXO_EV_TOPICAL,
                                           [EXO_AUDIT_MICRONEEDLING] = EXO_EV_MICRONEEDLING,
                                           [EXO_AUDIT_LASER] = EXO_EV_LASER, [EXO_AUDIT_INJECTION] = EXO_EV_INJECTION};
    exo_event_cfg *ev = &s->events[0];
    exo_event_kind kind = kinds[route];
    if (kind == EXO_EV_TOPICAL) {
        topical_event(cfg, ev, cfg->audit.times, cfg->audit.n_times);
        s->arm.n_events = 1;
        return;
    }
    ev->kind = kind;
    ev->product = exo__route_product(exo__route_get(kind)) == EXO__PRODUCT_REQUIRED ? 0 : -1;
    ev->times = s->once;
    ev->n_times = 1;
    exo__route_defaults(ev, &s->cfg);
    s->arm.n_events = 1;
    if (ev->product < 0)
        topical_event(cfg, &s->events[s->arm.n_events++], s->once, 1);
}

/* Whether a change [%] reaches the measurable one (its sign: the direction). */
static bool reaches(double change, double measurable)
{
    return measurable > 0 ? change >= measurable : change <= measurable;
}

/* The change beyond the vehicle that counts [%]: the threshold, or the
 * readout's minimal detectable difference as a % of baseline where larger. */
static double measurable_change(const exo_config *cfg, double threshold, double baseline)
{
    double mdd = exo_readout_mdd((int)cfg->audit.threshold_readout - EXO_Q_READOUT_FIRST);
    double floor = baseline != 0 && mdd > 0 ? 100.0 * mdd / fabs(baseline) : 0.0;
    return fabs(threshold) >= floor ? threshold : copysign(floor, threshold);
}

/* Applications of the label in the 4-week run and per 30 days. */
static void route_uses(const exo_config *cfg, exo_audit_route route, double *applications, double *per_month)
{
    if (route == EXO_AUDIT_TOPICAL) {
        *applications = cfg->audit.n_times;
        *per_month = *applications * EXO_AUDIT_DAYS_PER_MONTH * EXO_DAY / (RUN_WEEKS * EXO_WEEK);
    } else {
        *applications = 1;
        *per_month = 1;
    }
}

/* Runs one arm of a route at concentration conc [particles/mL] (0: the
 * vehicle alone); fills arm. */
static exo_status run_arm(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double conc, exo_audit_arm *arm)
{
    route_scenario s;
    exo_result *r = NULL;
    build_route(cfg, route, conc, &s);
    exo_status st = exo_run(ctx, &s.cfg, NULL, NULL, &r);
    if (st != EXO_OK)
        return st;
    exo_arm_delivery d;
    exo_result_delivery(r, 0, &d);
    int k = (int)cfg->audit.threshold_readout - EXO_Q_READOUT_FIRST;
    memset(arm, 0, sizeof *arm);
    exo_result_readout(r, 0, k, &arm->baseline, &arm->week4);
    exo_result_destroy(&r);
    double applications, per_month;
    route_uses(cfg, route, &applications, &per_month);
    double n = applications > 0 ? applications : 1;
    arm->applied[0] = d.applied / n;
    arm->viable_epidermis[0] = d.viable_epidermis / n;
    arm->dermis[0] = d.dermis / n;
    arm->applied[1] = arm->applied[0] * per_month;
    arm->viable_epidermis[1] = arm->viable_epidermis[0] * per_month;
    arm->dermis[1] = arm->dermis[0] * per_month;
    arm->change = arm->baseline != 0 ? 100.0 * (arm->week4 - arm->baseline) / arm->baseline : 0.0;
    return EXO_OK;
}

/* The product's own change beyond the vehicle [%]. */
static double own_change(const exo_audit_arm *product, const exo_audit_arm *vehicle)
{
    return product->baseline != 0 ? 100.0 * (product->week4 - vehicle->week4) / product->baseline : 0.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile p of sorted v[0..n-1] (linear between order statistics). */
static double quantile(const double *v, int n, double p)
{
    double h = p * (n - 1);
    int lo = (int)floor(h), hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

static bool reaches(double change, double measurable);

/* The route's product and vehicle arms again at draws 1..audit.draws of the
 * posterior (the file's seed; its `parameters:` keep their values): the
 * share of draws whose own change reaches `measurable`, and its 5-95 %
 * range. */
static exo_status route_draws(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, exo_audit_route route,
                              double conc, double measurable, exo_audit_route_result *x)
{
    int n = cfg->audit.draws, hit = 0;
    double own[EXO_AUDIT_MAX_DRAWS];
    for (int k = 0; k < n; k++) {
        exo_config dc = *cfg;
        exo_audit_arm prod, veh;
        exo_status st = exo_posterior_draw(post, cfg->seed, (uint64_t)k + 1, &dc.params);
        for (int p = 0; p < EXO_P_COUNT; p++)
            if (cfg->param_overridden[p])
                dc.params.v[p] = cfg->params.v[p];
        if (st != EXO_OK || (st = run_arm(ctx, &dc, route, 0.0, &veh)) != EXO_OK ||
            (st = run_arm(ctx, &dc, route, conc, &prod)) != EXO_OK)
            return st;
        own[k] = own_change(&prod, &veh);
        hit += reaches(own[k], measurable);
    }
    qsort(own, (size_t)n, sizeof *own, cmp_double);
    x->n_draws = n;
    x->p_measurable = (double)hit / n;
    x->own_p05 = quantile(own, n, 0.05);
    x->own_p95 = quantile(own, n, 0.95);
    return EXO_OK;
}

/* The product arm minus the vehicle arm, field by field. */
static void arm_difference(const exo_audit_arm *product, const exo_audit_arm *vehicle, exo_audit_arm *out)
{
    for (int i = 0; i < 2; i++) {
        out->applied[i] = product->applied[i] - vehicle->applied[i];
        out->viable_epidermis[i] = product->viable_epidermis[i] - vehicle->viable_epidermis[i];
        out->dermis[i] = product->dermis[i] - vehicle->dermis[i];
    }
    out->baseline = product->baseline;
    out->week4 = product->week4 - vehicle->week4;
    out->change = own_change(product, vehicle);
}

/* The decade scan and log-space bisection for the smallest concentration
 * whose own change beyond `vehicle` reaches `measurable` [%]. */
static exo_status search_needed(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double measurable,
                                const exo_audit_arm *vehicle, int bisections, exo_audit_dose *out)
{
    exo_status st;
    exo_audit_arm arm;
    out->searched = true;
    out->vehicle_change = vehicle->change;
    double lo = 0.0, hi = 0.0, change_hi = 0.0;
    for (double c = EXO_AUDIT_SCAN_LO; c <= EXO_AUDIT_SCAN_HI * 1.000001; c *= 10.0) {
        if ((st = run_arm(ctx, cfg, route, c, &arm)) != EXO_OK)
            return st;
        out->runs++;
        if (reaches(own_change(&arm, vehicle), measurable)) {
            hi = c;
            change_hi = own_change(&arm, vehicle);
            break;
        }
        lo = c;
    }
    if (hi == 0.0)
        return EXO_OK; /* not found */
    out->found = true;
    out->at_floor = lo == 0.0;
    for (int i = 0; lo > 0 && i < bisections; i++) {
        double mid = sqrt(lo * hi);
        if ((st = run_arm(ctx, cfg, route, mid, &arm)) != EXO_OK)
            return st;
        out->runs++;
        if (reaches(own_change(&arm, vehicle), measurable)) {
            hi = mid;
            change_hi = own_change(&arm, vehicle);
        } else {
            lo = mid;
        }
    }
    out->conc = hi;
    out->change = change_hi;
    return EXO_OK;
}

exo_status exo_audit_needed(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double threshold,
                            int bisections, exo_audit_dose *out)
{
    memset(out, 0, sizeof *out);
    if (!cfg->audit.present || cfg->n_products != 1)
        return exo_ctx_error(ctx, EXO_EINPUT, "audit: no audit block with one product (expected an audit file, "
                                              "docs/audit.md)");
    if ((int)route < 0 || route >= EXO_AUDIT_ROUTE_COUNT)
        return exo_ctx_error(ctx, EXO_EINVAL, "audit: route %d (expected 0 to %d)", (int)route,
                             EXO_AUDIT_ROUTE_COUNT - 1);
    if (bisections < 0 || bisections > 20 || threshold == 0 || !isfinite(threshold))
        return exo_ctx_error(ctx, EXO_EINVAL, "audit: %d bisections, threshold %g %% (expected 0 to 20 and a "
                                              "non-zero threshold)", bisections, threshold);
    exo_audit_arm vehicle;
    exo_status st = run_arm(ctx, cfg, route, 0.0, &vehicle);
    if (st != EXO_OK)
        return st;
    out->runs = 1;
    return search_needed(ctx, cfg, route, measurable_change(cfg, threshold, vehicle.baseline), &vehicle, bisections,
                         out);
}

static void add_reason(exo_audit_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(exo_audit_result *res, const char *fmt, ...)
{
    if (res->n_reasons >= EXO_AUDIT_MAX_REASONS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reasons[res->n_reasons++], sizeof res->reasons[0], fmt, ap);
    va_end(ap);
}

/* "2.05e+13 particles/mL", "at most 1e+06 ...", "more than 1e+14 ...". */
static void needed_words(const exo_audit_dose *nd, char *buf, size_t size)
{
    if (!nd->searched)
        snprintf(buf, size, "not searched");
    else if (!nd->found)
        snprintf(buf, size, "more than %.3g particles/mL (not reached in the scan)", EXO_AUDIT_SCAN_HI);
    else
        snprintf(buf, size, "%s%.3g particles/mL", nd->at_floor ? "at most " : "", nd->conc);
}

/* What the label can honestly claim for route r, one sentence. */
static void route_claim(const exo_audit_result *res, int r, exo_audit_route_result *x)
{
    static const char *const alone[EXO_AUDIT_ROUTE_COUNT] = {"the vehicle alone", "needling with the vehicle",
                                                             "the laser with the vehicle", "injecting the vehicle"};
    static const char *const to[EXO_AUDIT_ROUTE_COUNT] = {"on intact skin", "to needling", "to fractional laser",
                                                          "by injection"};
    const exo_audit_dose *nd = &res->needed[r];
    const char *rd = exo_quantity_name(res->readout);
    char at[64];
    snprintf(at, sizeof at, res->conc_known ? "the labelled %.3g particles/mL" : "the assumed %.3g particles/mL",
             res->used_conc);
    if (res->used_conc == 0)
        snprintf(x->claim, sizeof x->claim, "no effect beyond the vehicle: the label is its vehicle alone "
                 "(0 particles/mL); %s changes %s by %+.3g %%", alone[r], rd, x->vehicle.change);
    else if (x->measurable)
        snprintf(x->claim, sizeof x->claim, "at %s the product adds a measurable %+.3g %% of %s %s, beyond the "
                 "%+.3g %% of %s", at, x->own_change, rd, to[r], x->vehicle.change, alone[r]);
    else if (nd->found && nd->conc > res->used_conc)
        snprintf(x->claim, sizeof x->claim, "the product adds nothing measurable %s below %.3g particles/mL (%+.3g %% "
                 "of %s at %s, beyond the %+.3g %% of %s)", to[r], nd->conc, x->own_change, rd, at,
                 x->vehicle.change, alone[r]);
    else if (nd->searched && !nd->found && r == EXO_AUDIT_TOPICAL)
        snprintf(x->claim, sizeof x->claim, "on intact skin no concentration up to %.3g particles/mL reaches the "
                 "dermis in useful amounts: nothing measurable beyond the vehicle (%+.3g %% of %s at %s)",
                 EXO_AUDIT_SCAN_HI, x->own_change, rd, at);
    else if (nd->searched && !nd->found)
        snprintf(x->claim, sizeof x->claim, "no concentration up to %.3g particles/mL adds anything measurable %s "
                 "(%+.3g %% of %s at %s, beyond the %+.3g %% of %s)", EXO_AUDIT_SCAN_HI, to[r], x->own_change, rd,
                 at, x->vehicle.change, alone[r]);
    else
        snprintf(x->claim, sizeof x->claim, "the product adds nothing measurable %s at %s (%+.3g %% of %s beyond "
                 "the %+.3g %% of %s)", to[r], at, x->own_change, rd, x->vehicle.change, alone[r]);
}

static void give_verdict(exo_audit_result *res)
{
    const exo_audit_route_result *t = &res->routes[EXO_AUDIT_TOPICAL];
    const exo_audit_dose *nd = &res->needed[EXO_AUDIT_TOPICAL];
    const char *rd = exo_quantity_name(res->readout);
    char need[128];
    needed_words(nd, need, sizeof need);
    add_reason(res, "the vehicle alone (%.3g mg/cm^2 %s, no vesicles) changes %s by %+.3g %% in 4 weeks; the "
                    "product is judged by its own change beyond it (measurable: %+.3g %%, the threshold %+g %% or "
                    "the readout's minimal detectable difference %.3g, whichever is larger)",
               res->amount, res->frequency, rd, t->vehicle.change, res->measurable, res->threshold, res->mdd);
    if (!res->conc_known || !res->origin_stated) {
        res->verdict = EXO_AUDIT_UNKNOWN;
        if (!res->conc_known)
            add_reason(res, "the label states no concentration");
        if (!res->origin_stated)
            add_reason(res, "the label does not state the origin of the vesicles (cargo taken as '%s')",
                       exo_origin_name(res->origin));
        add_reason(res, "shown instead: a typical product at the model's assumed concentration %.3g particles/mL, "
                        "whose %s %s use changes %s by %+.3g %% beyond the vehicle in 4 weeks (measurable: %+.3g %%); "
                        "needed: %s",
                   res->used_conc, res->frequency, "topical", rd, t->own_change, res->measurable, need);
        return;
    }
    double factor = nd->found && res->label_conc > 0 ? nd->conc / res->label_conc : INFINITY;
    if (!t->measurable && (res->label_conc == 0 || (nd->searched && factor > EXO_AUDIT_IMPLAUSIBLE_FACTOR))) {
        res->verdict = EXO_AUDIT_IMPLAUSIBLE;
        add_reason(res, "%s topical use of %.3g mg/cm^2 at the labelled %.3g particles/mL changes %s by %+.3g %% "
                        "beyond the vehicle in 4 weeks, below the measurable %+.3g %%",
                   res->frequency, res->amount, res->label_conc, rd, t->own_change, res->measurable);
        if (res->label_conc == 0)
            add_reason(res, "the label is its vehicle alone (0 particles/mL): no effect beyond the vehicle");
        else if (nd->found)
            add_reason(res, "a measurable change beyond the vehicle needs %s, %.3g times the labelled %.3g "
                            "particles/mL (more than %g x)",
                       need, factor, res->label_conc, EXO_AUDIT_IMPLAUSIBLE_FACTOR);
        else
            add_reason(res, "a measurable change beyond the vehicle needs %s: no concentration a product can hold "
                            "gives one by this route", need);
        return;
    }
    res->verdict = EXO_AUDIT_PLAUSIBLE;
    if (!t->measurable && !nd->searched)
        add_reason(res, "topical use changes %s by %+.3g %% beyond the vehicle in 4 weeks (measurable: %+.3g %%); "
                        "the needed concentration was not searched, so the label is not ruled out",
                   rd, t->own_change, res->measurable);
    else if (t->measurable)
        add_reason(res, "%s topical use of %.3g mg/cm^2 at the labelled %.3g particles/mL changes %s by %+.3g %% "
                        "beyond the vehicle in 4 weeks, at least the measurable %+.3g %%",
                   res->frequency, res->amount, res->label_conc, rd, t->own_change, res->measurable);
    else
        add_reason(res, "topical use changes %s by %+.3g %% beyond the vehicle in 4 weeks (measurable: %+.3g %%), "
                        "but the needed %s is within %g x of the labelled %.3g particles/mL",
                   rd, t->own_change, res->measurable, need, EXO_AUDIT_IMPLAUSIBLE_FACTOR, res->label_conc);
}

exo_status exo_audit_run(exo_ctx *ctx, const exo_config *cfg, const exo_audit_options *opt,
                         exo_progress_fn progress, void *user, exo_audit_result *out)
{
    exo_audit_options o = opt ? *opt : (exo_audit_options){true, 4};
    memset(out, 0, sizeof *out);
    if (!cfg->audit.present || cfg->n_products != 1)
        return exo_ctx_error(ctx, EXO_EINPUT, "audit: %s has no audit: block with exactly one product (expected an "
                                              "audit file, docs/audit.md)", cfg->name);
    if (o.search && (o.bisections < 0 || o.bisections > 20))
        return exo_ctx_error(ctx, EXO_EINVAL, "audit: %d bisections (expected 0 to 20)", o.bisections);
    const exo_audit_cfg *a = &cfg->audit;
    const exo_product_cfg *p = &cfg->products[0];
    snprintf(out->product, sizeof out->product, "%s", p->name);
    snprintf(out->frequency, sizeof out->frequency, "%s", a->frequency);
    out->origin = p->origin;
    out->conc_known = p->conc_known;
    out->origin_stated = a->origin_stated;
    out->label_conc = p->conc_known ? p->conc * EXO_ML : 0.0;
    out->used_conc = p->conc_known ? out->label_conc : cfg->params.v[EXO_P_ASSUMED_CONC] * EXO_ML;
    out->amount = a->amount / 10.0; /* 1 mg/cm^2 = 10 um at 1 g/mL */
    out->readout = a->threshold_readout;
    out->threshold = 100.0 * a->threshold_change;
    out->mdd = exo_readout_mdd((int)a->threshold_readout - EXO_Q_READOUT_FIRST);
    exo_status st = EXO_OK;
    exo_posterior *post = NULL;
    out->p_measurable = NAN;
    if (a->draws > 0 && (st = exo_posterior_load(ctx, NULL, &post)) != EXO_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", exo_ctx_last_error(ctx));
        return exo_ctx_error(ctx, st, "audit: the calibrated posterior cannot be loaded (%s); set audit.draws: 0 "
                                      "to audit on the parameter table alone", why);
    }
    int steps = 0, done = 0;
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++)
        steps += a->routes[r] || r == EXO_AUDIT_TOPICAL ? 1 + o.search : 0;
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++) {
        /* topical always runs: the verdict rests on the label's own route */
        if (!a->routes[r] && r != EXO_AUDIT_TOPICAL)
            continue;
        exo_audit_route_result *x = &out->routes[r];
        exo_audit_route route = (exo_audit_route)r;
        if ((st = run_arm(ctx, cfg, route, 0.0, &x->vehicle)) != EXO_OK ||
            (st = run_arm(ctx, cfg, route, out->used_conc, &x->product)) != EXO_OK)
            goto out;
        out->runs += 2;
        if (r == EXO_AUDIT_TOPICAL) /* the same skin on every route: one baseline */
            out->measurable = measurable_change(cfg, out->threshold, x->vehicle.baseline);
        x->present = a->routes[r];
        route_uses(cfg, route, &x->applications, &x->per_month);
        x->difference = x->product.week4 - x->vehicle.week4;
        x->own_change = own_change(&x->product, &x->vehicle);
        x->measurable = reaches(x->own_change, out->measurable);
        if (post) {
            if ((st = route_draws(ctx, cfg, post, route, out->used_conc, out->measurable, x)) != EXO_OK)
                goto out;
            out->runs += 2 * x->n_draws;
            if (r == EXO_AUDIT_TOPICAL)
                out->p_measurable = x->p_measurable;
        }
        if (progress)
            progress(user, (double)++done / steps);
        if (!o.search)
            continue;
        if ((st = search_needed(ctx, cfg, route, out->measurable, &x->vehicle, o.bisections, &out->needed[r])) !=
            EXO_OK)
            goto out;
        out->runs += out->needed[r].runs;
        if (progress)
            progress(user, (double)++done / steps);
    }
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++)
        if (out->routes[r].present || r == EXO_AUDIT_TOPICAL)
            route_claim(out, r, &out->routes[r]);
    if (progress)
        progress(user, 1.0);
    give_verdict(out);
out:
    exo_posterior_destroy(&post);
    return st;
}

/* ---- audit.json -------------------------------------------------------- */

typedef struct {
    const exo_audit_result *res;
    const char *yaml;
} audit_files;

static void add_pair(cJSON *o, const char *key, const double v[2])
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    cJSON_AddNumberToObject(x, "per_application", v[0]);
    cJSON_AddNumberToObject(x, "per_month", v[1]);
}

static void add_arm(cJSON *o, const char *key, const exo_audit_arm *a)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    add_pair(x, "applied_particles_per_cm2", a->applied);
    add_pair(x, "viable_epidermis_particles_per_cm2", a->viable_epidermis);
    add_pair(x, "dermis_particles_per_cm2", a->dermis);
    cJSON_AddNumberToObject(x, "readout_baseline", a->baseline);
    cJSON_AddNumberToObject(x, "readout_week_4", a->week4);
    cJSON_AddNumberToObject(x, "readout_change_percent", a->change);
}

static exo_status fill_audit(exo_ctx *ctx, const void *user, const char *tmp)
{
    const audit_files *af = user;
    const exo_audit_result *res = af->res;
    char path[4200];
    snprintf(path, sizeof path, "%s/audit.json", tmp);
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory writing %s", path);
    cJSON_AddStringToObject(root, "exoskin_version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddStringToObject(root, "input", af->yaml ? af->yaml : "");
    cJSON *lab = cJSON_AddObjectToObject(root, "label");
    cJSON_AddStringToObject(lab, "product", res->product);
    cJSON_AddStringToObject(lab, "origin", exo_origin_name(res->origin));
    cJSON_AddBoolToObject(lab, "origin_stated", res->origin_stated);
    if (res->conc_known)
        cJSON_AddNumberToObject(lab, "concentration_particles_per_mL", res->label_conc);
    else
        cJSON_AddStringToObject(lab, "concentration_particles_per_mL", "unknown");
    cJSON_AddNumberToObject(lab, "amount_mg_per_cm2", res->amount);
    cJSON_AddStringToObject(lab, "frequency", res->frequency);
    cJSON_AddNumberToObject(root, "concentration_used_particles_per_mL", res->used_conc);
    cJSON *th = cJSON_AddObjectToObject(root, "threshold");
    cJSON_AddStringToObject(th, "readout", exo_quantity_name(res->readout));
    cJSON_AddNumberToObject(th, "change_percent", res->threshold);
    cJSON_AddNumberToObject(th, "minimal_detectable_difference", res->mdd);
    cJSON_AddNumberToObject(th, "measurable_change_beyond_vehicle_percent", res->measurable);
    cJSON *routes = cJSON_AddArrayToObject(root, "routes");
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++) {
        const exo_audit_route_result *rr = &res->routes[r];
        if (!rr->present)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "route", exo_audit_route_name((exo_audit_route)r));
        cJSON_AddNumberToObject(o, "applications_in_4_weeks", rr->applications);
        cJSON_AddNumberToObject(o, "applications_per_month", rr->per_month);
        add_arm(o, "product", &rr->product);
        add_arm(o, "vehicle", &rr->vehicle);
        exo_audit_arm diff;
        arm_difference(&rr->product, &rr->vehicle, &diff);
        cJSON *d = cJSON_AddObjectToObject(o, "difference");
        add_pair(d, "applied_particles_per_cm2", diff.applied);
        add_pair(d, "viable_epidermis_particles_per_cm2", diff.viable_epidermis);
        add_pair(d, "dermis_particles_per_cm2", diff.dermis);
        cJSON_AddNumberToObject(d, "readout_week_4", rr->difference);
        cJSON_AddNumberToObject(d, "readout_change_percent", rr->own_change);
        cJSON_AddBoolToObject(d, "measurable", rr->measurable);
        if (rr->n_draws > 0) {
            cJSON_AddNumberToObject(d, "posterior_draws", rr->n_draws);
            cJSON_AddNumberToObject(d, "probability_measurable", rr->p_measurable);
            cJSON_AddNumberToObject(d, "readout_change_p05_percent", rr->own_p05);
            cJSON_AddNumberToObject(d, "readout_change_p95_percent", rr->own_p95);
        }
        cJSON_AddStringToObject(o, "claim", rr->claim);
        const exo_audit_dose *nd = &res->needed[r];
        if (nd->searched) {
            cJSON *x = cJSON_AddObjectToObject(o, "needed_concentration");
            cJSON_AddBoolToObject(x, "found", nd->found);
            if (nd->found) {
                cJSON_AddNumberToObject(x, "particles_per_mL", nd->conc);
                cJSON_AddBoolToObject(x, "upper_bound", nd->at_floor);
                cJSON_AddNumberToObject(x, "readout_change_beyond_vehicle_percent", nd->change);
            } else {
                cJSON_AddNumberToObject(x, "more_than_particles_per_mL", EXO_AUDIT_SCAN_HI);
            }
            cJSON_AddNumberToObject(x, "vehicle_readout_change_percent", nd->vehicle_change);
            cJSON_AddNumberToObject(x, "runs", nd->runs);
        }
        cJSON_AddItemToArray(routes, o);
    }
    cJSON_AddStringToObject(root, "verdict", exo_audit_verdict_name(res->verdict));
    if (isfinite(res->p_measurable)) /* over the topical route's posterior draws */
        cJSON_AddNumberToObject(root, "verdict_probability_measurable", res->p_measurable);
    else
        cJSON_AddNullToObject(root, "verdict_probability_measurable");
    cJSON *why = cJSON_AddArrayToObject(root, "reasons");
    for (int i = 0; i < res->n_reasons; i++)
        cJSON_AddItemToArray(why, cJSON_CreateString(res->reasons[i]));
    cJSON_AddNumberToObject(root, "runs", res->runs);
    return exo__write_json(ctx, root, path);
}

/* audit.csv: per route the product arm, the vehicle arm and their
 * difference side by side, one row each. */
static exo_status write_csv(exo_ctx *ctx, const exo_audit_result *res, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    int k = (int)res->readout - EXO_Q_READOUT_FIRST;
    const char *rd = exo_readout_name(k), *unit = exo_readout_unit(k);
    fprintf(f, "route,arm,concentration [particles/mL],applied per application [particles/cm^2],applied per month "
               "[particles/cm^2],viable epidermis per application [particles/cm^2],viable epidermis per month "
               "[particles/cm^2],dermis per application [particles/cm^2],dermis per month [particles/cm^2],");
    char head[3 * EXO_NAME_MAX + 64];
    snprintf(head, sizeof head, "%s baseline [%s]", rd, unit);
    exo__csv_field(f, head);
    snprintf(head, sizeof head, "%s week 4 [%s]", rd, unit);
    fputc(',', f);
    exo__csv_field(f, head);
    fprintf(f, ",%s change [%%],measurable,probability measurable [1],posterior draws\n", rd);
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++) {
        const exo_audit_route_result *rr = &res->routes[r];
        if (!rr->present)
            continue;
        exo_audit_arm diff;
        arm_difference(&rr->product, &rr->vehicle, &diff);
        const exo_audit_arm *arms[3] = {&rr->product, &rr->vehicle, &diff};
        static const char *const names[3] = {"product", "vehicle", "difference"};
        for (int i = 0; i < 3; i++) {
            const exo_audit_arm *a = arms[i];
            char p[32] = "", nd[16] = "";
            if (i == 2 && rr->n_draws > 0) { /* the probability belongs to the difference row */
                snprintf(p, sizeof p, "%.6g", rr->p_measurable);
                snprintf(nd, sizeof nd, "%d", rr->n_draws);
            }
            fprintf(f, "%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,%s,%s\n",
                    exo_audit_route_name((exo_audit_route)r), names[i], i == 1 ? 0.0 : res->used_conc, a->applied[0],
                    a->applied[1], a->viable_epidermis[0], a->viable_epidermis[1], a->dermis[0], a->dermis[1],
                    a->baseline, a->week4, a->change, i < 2 ? "" : rr->measurable ? "yes" : "no", p, nd);
        }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    return EXO_OK;
}

exo_status exo__audit_write_files(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                                  const char *dir)
{
    audit_files af = {res, effective_yaml};
    exo_status st = fill_audit(ctx, &af, dir);
    if (st != EXO_OK)
        return st;
    char path[4200];
    snprintf(path, sizeof path, "%s/audit.csv", dir);
    return write_csv(ctx, res, path);
}
