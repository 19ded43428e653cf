/* audit.c - label audits (docs/audit.md): the label of an audit file is run
 * by each route as a one-arm scenario built in memory (a copy of the config
 * with its own arm and events), the delivered dose is read per application
 * and per month, the concentration needed for a measurable change is found
 * by a decade scan and log-space bisection, and a verdict with reasons is
 * given.  audit.json is written atomically (exo__write_folder). */
#include <exoskin/exo_audit.h>

#include "output/output.h"
#include "protocol/protocol.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
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

static bool measurable(double change, double threshold)
{
    return threshold > 0 ? change >= threshold : change <= threshold;
}

/* Runs one route at concentration conc [particles/mL]; fills rr. */
static exo_status run_route(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double conc,
                            double threshold, exo_audit_route_result *rr)
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
    exo_result_readout(r, 0, k, &rr->baseline, &rr->week4);
    exo_result_destroy(&r);
    rr->present = true;
    if (route == EXO_AUDIT_TOPICAL) {
        rr->applications = cfg->audit.n_times;
        rr->per_month = rr->applications * EXO_AUDIT_DAYS_PER_MONTH * EXO_DAY / (RUN_WEEKS * EXO_WEEK);
    } else {
        rr->applications = 1;
        rr->per_month = 1;
    }
    double n = rr->applications > 0 ? rr->applications : 1;
    rr->applied[0] = d.applied / n;
    rr->viable_epidermis[0] = d.viable_epidermis / n;
    rr->dermis[0] = d.dermis / n;
    rr->applied[1] = rr->applied[0] * rr->per_month;
    rr->viable_epidermis[1] = rr->viable_epidermis[0] * rr->per_month;
    rr->dermis[1] = rr->dermis[0] * rr->per_month;
    rr->change = rr->baseline != 0 ? 100.0 * (rr->week4 - rr->baseline) / rr->baseline : 0.0;
    rr->measurable = measurable(rr->change, threshold);
    return EXO_OK;
}

exo_status exo_audit_needed(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double threshold,
                            int bisections, exo_audit_dose *out)
{
    memset(out, 0, sizeof *out);
    if (!cfg->audit.present || cfg->n_products != 1)
        return exo_ctx_error(ctx, EXO_EINPUT, "audit: no audit block with one product (expected an audit file, "
                                              "docs/audit.md)");
    if (route != EXO_AUDIT_TOPICAL && route != EXO_AUDIT_MICRONEEDLING)
        return exo_ctx_error(ctx, EXO_EINVAL, "audit: the needed concentration is searched for topical use and "
                                              "microneedling only, not %s", exo_audit_route_name(route));
    if (bisections < 0 || bisections > 20 || threshold == 0 || !isfinite(threshold))
        return exo_ctx_error(ctx, EXO_EINVAL, "audit: %d bisections, threshold %g %% (expected 0 to 20 and a "
                                              "non-zero threshold)", bisections, threshold);
    exo_status st;
    exo_audit_route_result rr;
    out->searched = true;
    double lo = 0.0, hi = 0.0, change_hi = 0.0;
    for (double c = EXO_AUDIT_SCAN_LO; c <= EXO_AUDIT_SCAN_HI * 1.000001; c *= 10.0) {
        memset(&rr, 0, sizeof rr);
        if ((st = run_route(ctx, cfg, route, c, threshold, &rr)) != EXO_OK)
            return st;
        out->runs++;
        if (rr.measurable) {
            hi = c;
            change_hi = rr.change;
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
        memset(&rr, 0, sizeof rr);
        if ((st = run_route(ctx, cfg, route, mid, threshold, &rr)) != EXO_OK)
            return st;
        out->runs++;
        if (rr.measurable) {
            hi = mid;
            change_hi = rr.change;
        } else {
            lo = mid;
        }
    }
    out->conc = hi;
    out->change = change_hi;
    return EXO_OK;
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

static void give_verdict(exo_audit_result *res)
{
    const exo_audit_route_result *t = &res->routes[EXO_AUDIT_TOPICAL];
    const exo_audit_dose *nd = &res->needed[EXO_AUDIT_TOPICAL];
    const char *rd = exo_quantity_name(res->readout);
    char need[128];
    if (!nd->searched)
        snprintf(need, sizeof need, "not searched");
    else if (!nd->found)
        snprintf(need, sizeof need, "more than %.3g particles/mL (not reached in the scan)", EXO_AUDIT_SCAN_HI);
    else
        snprintf(need, sizeof need, "%s%.3g particles/mL", nd->at_floor ? "at most " : "", nd->conc);
    if (!res->conc_known || !res->origin_stated) {
        res->verdict = EXO_AUDIT_UNKNOWN;
        if (!res->conc_known)
            add_reason(res, "the label states no concentration");
        if (!res->origin_stated)
            add_reason(res, "the label does not state the origin of the vesicles (cargo taken as '%s')",
                       exo_origin_name(res->origin));
        add_reason(res, "shown instead: a typical product at the model's assumed concentration %.3g particles/mL, "
                        "whose %s %s use changes %s by %+.3g %% in 4 weeks (measurable: %+g %%); needed: %s",
                   res->used_conc, res->frequency, "topical", rd, t->change, res->threshold, need);
        return;
    }
    double factor = nd->found ? nd->conc / res->label_conc : INFINITY;
    if (!t->measurable && nd->searched && factor > EXO_AUDIT_IMPLAUSIBLE_FACTOR) {
        res->verdict = EXO_AUDIT_IMPLAUSIBLE;
        add_reason(res, "%s topical use of %.3g mg/cm^2 at the labelled %.3g particles/mL changes %s by %+.3g %% in "
                        "4 weeks, below the measurable %+g %%",
                   res->frequency, res->amount, res->label_conc, rd, t->change, res->threshold);
        if (nd->found)
            add_reason(res, "a measurable change needs %s, %.3g times the labelled %.3g particles/mL (more than %g x)",
                       need, factor, res->label_conc, EXO_AUDIT_IMPLAUSIBLE_FACTOR);
        else
            add_reason(res, "a measurable change needs %s: no concentration a product can hold gives one by this "
                            "route", need);
        return;
    }
    res->verdict = EXO_AUDIT_PLAUSIBLE;
    if (!t->measurable && !nd->searched)
        add_reason(res, "topical use changes %s by %+.3g %% in 4 weeks (measurable: %+g %%); the needed concentration "
                        "was not searched, so the label is not ruled out", rd, t->change, res->threshold);
    else if (t->measurable)
        add_reason(res, "%s topical use of %.3g mg/cm^2 at the labelled %.3g particles/mL changes %s by %+.3g %% in "
                        "4 weeks, at least the measurable %+g %%",
                   res->frequency, res->amount, res->label_conc, rd, t->change, res->threshold);
    else
        add_reason(res, "topical use changes %s by %+.3g %% in 4 weeks (measurable: %+g %%), but the needed %s is "
                        "within %g x of the labelled %.3g particles/mL",
                   rd, t->change, res->threshold, need, EXO_AUDIT_IMPLAUSIBLE_FACTOR, res->label_conc);
}

exo_status exo_audit_run(exo_ctx *ctx, const exo_config *cfg, const exo_audit_options *opt,
                         exo_progress_fn progress, void *user, exo_audit_result *out)
{
    exo_audit_options o = opt ? *opt : (exo_audit_options){true, 4};
    memset(out, 0, sizeof *out);
    if (!cfg->audit.present || cfg->n_products != 1)
        return exo_ctx_error(ctx, EXO_EINPUT, "audit: %s has no audit: block with exactly one product (expected an "
                                              "audit file, docs/audit.md)", cfg->name);
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
    exo_status st;
    int steps = EXO_AUDIT_ROUTE_COUNT + 2, done = 0;
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++) {
        /* topical always runs: the verdict rests on the label's own route */
        if (!a->routes[r] && r != EXO_AUDIT_TOPICAL)
            continue;
        if ((st = run_route(ctx, cfg, (exo_audit_route)r, out->used_conc, out->threshold, &out->routes[r])) != EXO_OK)
            return st;
        out->routes[r].present = a->routes[r];
        out->runs++;
        if (progress)
            progress(user, (double)++done / steps);
    }
    for (int r = 0; o.search && r <= EXO_AUDIT_MICRONEEDLING; r++) {
        if (r == EXO_AUDIT_MICRONEEDLING && !a->routes[r])
            continue;
        if ((st = exo_audit_needed(ctx, cfg, (exo_audit_route)r, out->threshold, o.bisections, &out->needed[r])) !=
            EXO_OK)
            return st;
        out->runs += out->needed[r].runs;
        if (progress)
            progress(user, (double)++done / steps);
    }
    if (progress)
        progress(user, 1.0);
    give_verdict(out);
    return EXO_OK;
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
    cJSON *routes = cJSON_AddArrayToObject(root, "routes");
    for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++) {
        const exo_audit_route_result *rr = &res->routes[r];
        if (!rr->present)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "route", exo_audit_route_name((exo_audit_route)r));
        cJSON_AddNumberToObject(o, "applications_in_4_weeks", rr->applications);
        cJSON_AddNumberToObject(o, "applications_per_month", rr->per_month);
        add_pair(o, "applied_particles_per_cm2", rr->applied);
        add_pair(o, "viable_epidermis_particles_per_cm2", rr->viable_epidermis);
        add_pair(o, "dermis_particles_per_cm2", rr->dermis);
        cJSON_AddNumberToObject(o, "readout_baseline", rr->baseline);
        cJSON_AddNumberToObject(o, "readout_week_4", rr->week4);
        cJSON_AddNumberToObject(o, "readout_change_percent", rr->change);
        cJSON_AddBoolToObject(o, "measurable", rr->measurable);
        const exo_audit_dose *nd = &res->needed[r];
        if (nd->searched) {
            cJSON *x = cJSON_AddObjectToObject(o, "needed_concentration");
            cJSON_AddBoolToObject(x, "found", nd->found);
            if (nd->found) {
                cJSON_AddNumberToObject(x, "particles_per_mL", nd->conc);
                cJSON_AddBoolToObject(x, "upper_bound", nd->at_floor);
                cJSON_AddNumberToObject(x, "readout_change_percent", nd->change);
            } else {
                cJSON_AddNumberToObject(x, "more_than_particles_per_mL", EXO_AUDIT_SCAN_HI);
            }
            cJSON_AddNumberToObject(x, "runs", nd->runs);
        }
        cJSON_AddItemToArray(routes, o);
    }
    cJSON_AddStringToObject(root, "verdict", exo_audit_verdict_name(res->verdict));
    cJSON *why = cJSON_AddArrayToObject(root, "reasons");
    for (int i = 0; i < res->n_reasons; i++)
        cJSON_AddItemToArray(why, cJSON_CreateString(res->reasons[i]));
    cJSON_AddNumberToObject(root, "runs", res->runs);
    return exo__write_json(ctx, root, path);
}

exo_status exo__audit_write_files(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                                  const char *dir)
{
    audit_files af = {res, effective_yaml};
    return fill_audit(ctx, &af, dir);
}
