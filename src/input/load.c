/* load.c - the schema walk: reads a scenario or study file (YAML, see
 * docs/config.md) into an exo_config in internal units.  The tree (tree.c)
 * keeps positions; the typed readers (values.c) check units and ranges; this
 * file knows which keys exist, their defaults and presets, and the checks
 * that involve several keys.  The first problem found ends the load with one
 * message on the context and leaves nothing allocated.  This file holds the
 * arms and their events, the audit block and the top level; the other blocks
 * are walked in load_skin.c, load_sim.c, load_study.c and load_blocks.c. */
#include "input/input_impl.h"
#include "protocol/protocol.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The arm walk reads each arm's own `skin` block (load_skin.c). */
static exo_status walk_skin(exo__walk *w, const exo__node *n, exo_skin_cfg *skin)
{
    return exo__walk_skin(w, n, skin);
}

/* ---- protocol events --------------------------------------------------- */

/* The keys of an event and their defaults are the rows of its route
 * (src/protocol): this walk reads them, it does not list them. */

static const char *const any_event_keys[] = {"event", "schedule", NULL};

#define UM_PER_MG_CM2 10.0 /* [um per mg/cm^2] film of density 1 g/mL */

static exo_status find_product(exo__walk *w, const exo_config *cfg, const exo__node *ev,
                               bool required, int *out)
{
    exo_status st = EXO_OK;
    char list[300] = "", val[96];
    *out = -1;
    exo__node *n = exo__map_get(ev, "product");
    if (!n && !required)
        return EXO_OK;
    for (int i = 0, k = 0; i < cfg->n_products && k + 1 < (int)sizeof list; i++)
        k += snprintf(list + k, sizeof list - (size_t)k, "%s'%s'", i ? ", " : "",
                      cfg->products[i].name);
    if (!n)
        return exo__need_key(w, ev, "product",
                             cfg->n_products ? list : "a product defined under 'products'", &n);
    size_t old = exo__path_key(&w->path, "product");
    if (n->kind != EXO__NODE_SCALAR) {
        st = exo__walk_error(w, n, EXO_EINPUT, "found a %s (expected a product name)",
                             n->kind == EXO__NODE_MAP ? "mapping" : "list");
        goto out;
    }
    for (int i = 0; i < cfg->n_products; i++) {
        if (strcmp(cfg->products[i].name, n->text) == 0) {
            *out = i;
            goto out;
        }
    }
    st = exo__walk_error(w, n, EXO_EINPUT, "unknown product '%s' (expected %s%s)",
                         exo__quote(val, sizeof val, n->text, 48),
                         cfg->n_products ? "one of: " : "a product defined under 'products'",
                         list);
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* A film amount under `key`: mass per area (at 1 g/mL), volume per area, or
 * thickness, within `range` [um]. */
static exo_status read_film(exo__walk *w, const exo__node *ev, const char *key,
                            const exo__range *range, double *out)
{
    static const exo__dim mass = {"mg/cm^2", "a mass per area such as '2 mg/cm^2'"};
    static const exo__dim vol = {"uL/cm^2", "a volume per area such as '1 uL/cm^2'"};
    static const exo__dim film = {"um", "an amount per area such as '2 mg/cm^2', "
                                        "'1 uL/cm^2' or '20 um'"};
    exo_status st = EXO_OK;
    const exo__node *n = exo__map_get(ev, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    double v, x = 0.0;
    const char *unit = NULL;
    const exo__dim *d = &film;
    if (n->kind == EXO__NODE_SCALAR && exo_units_split(n->text, &v, &unit, false) == EXO_OK) {
        if (exo_units_compatible(w->u, unit, mass.unit))
            d = &mass;
        else if (exo_units_compatible(w->u, unit, vol.unit))
            d = &vol;
    }
    EXO_TRY(exo__get_qty(w, n, d, NULL, &x));
    if (d != &film)
        x *= UM_PER_MG_CM2; /* 1 mg/cm^2 = 1 uL/cm^2 = 10 um */
    EXO_TRY(exo__check_range(w, n, &film, range, x));
    *out = x;
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* The amount of a topical film (the audit's `amount` too). */
static exo_status get_amount(exo__walk *w, const exo__node *ev, double *out)
{
    const exo__route_key *k = exo__route_key_find(exo__route_get(EXO_EV_TOPICAL), "amount");
    return read_film(w, ev, "amount", &(exo__range){k->lo, k->hi, k->show, 0}, out);
}

/* The loader's dimension of a row's internal unit. */
static const exo__dim *dim_of(const char *unit)
{
    static const exo__dim *const dims[] = {&exo__dim_length, &exo__dim_time, &exo__dim_area_density,
                                           &exo__dim_volume, &exo__dim_conc, &exo__dim_fluence};
    for (size_t i = 0; unit && i < sizeof dims / sizeof *dims; i++)
        if (strcmp(dims[i]->unit, unit) == 0)
            return dims[i];
    return &exo__dim_none;
}

/* One optional key of a route into its field of ev. */
static exo_status read_key(exo__walk *w, const exo__node *n, const exo__route_key *k, exo_event_cfg *ev)
{
    exo_status st = EXO_OK;
    exo__range r = {k->lo, k->hi, k->show, k->lo_open ? EXO__LO_OPEN : 0u};
    char *field = (char *)ev + k->offset;
    switch (k->type) {
    case EXO__KEY_QTY:
        return exo__opt_qty(w, n, k->key, dim_of(k->unit), &r, exo__route_double(ev, k));
    case EXO__KEY_NUMBER:
        return exo__opt_number(w, n, k->key, &r, exo__route_double(ev, k));
    case EXO__KEY_FILM:
        return read_film(w, n, k->key, &r, exo__route_double(ev, k));
    case EXO__KEY_BOOL:
        return exo__opt_bool(w, n, k->key, (bool *)(void *)field);
    case EXO__KEY_WORD: {
        const exo__node *p = exo__map_get(n, k->key);
        if (!p)
            return EXO_OK;
        size_t old = exo__path_key(&w->path, k->key);
        char buf[64];
        int v = p->kind == EXO__NODE_SCALAR ? exo__route_word_index(k, p->text) : -1;
        if (v < 0)
            EXO_TRY(exo__walk_error(w, p, EXO_EINPUT, "unknown %s '%s' (expected %s)", k->key,
                                    p->kind == EXO__NODE_SCALAR ? exo__quote(buf, sizeof buf, p->text, 32) : "?",
                                    k->show));
        *(int *)(void *)field = v;
        exo__path_pop(&w->path, old);
        break;
    }
    case EXO__KEY_INT: {
        const exo__node *p = exo__map_get(n, k->key);
        long long v;
        if (!p)
            return EXO_OK;
        size_t old = exo__path_key(&w->path, k->key);
        EXO_TRY(exo__get_int(w, p, (long long)k->lo, (long long)k->hi, &v));
        *(int *)(void *)field = (int)v;
        exo__path_pop(&w->path, old);
        break;
    }
    default: /* the product, read first */
        break;
    }
out:
    return st;
}

/* The route's product, defaults and keys, in the order of its rows. */
static exo_status read_event_fields(exo__walk *w, const exo_config *cfg, const exo__node *n,
                                    exo_event_cfg *ev)
{
    exo_status st = EXO_OK;
    const exo__route *r = exo__route_get((int)ev->kind);
    exo__product_use use = exo__route_product(r);
    if (use != EXO__PRODUCT_NONE)
        EXO_TRY(find_product(w, cfg, n, use == EXO__PRODUCT_REQUIRED, &ev->product));
    exo__route_defaults(ev, cfg);
    for (int i = 0; i < r->n_keys; i++)
        EXO_TRY(read_key(w, n, &r->keys[i], ev));
out:
    return st;
}

static exo_status walk_event(exo__walk *w, const exo_config *cfg, const exo__node *n,
                             exo_event_cfg *ev)
{
    exo_status st = EXO_OK;
    exo__node *kind_n, *sched;
    const char *names[EXO__ROUTE_MAX], *keys[EXO__ROUTE_KEYS_MAX + 3] = {"event", "schedule"};
    char list[256];
    int kind, n_routes = exo__route_count();
    ev->product = -1;
    if (n->kind != EXO__NODE_MAP)
        return exo__need_map(w, n, any_event_keys);
    EXO_TRY(exo__need_key(w, n, "event", exo__route_list(list, sizeof list), &kind_n));
    for (int k = 0; k < n_routes; k++)
        names[k] = exo__route_get(k)->name;
    EXO_TRY(exo__opt_enum(w, n, "event", names, n_routes, &kind));
    ev->kind = (exo_event_kind)kind;
    const exo__route *r = exo__route_get(kind);
    for (int i = 0; i < r->n_keys; i++)
        keys[2 + i] = r->keys[i].key;
    keys[2 + r->n_keys] = NULL;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__need_key(w, n, "schedule", "a schedule such as '3 sessions 4 weeks apart'",
                          &sched));
    EXO_TRY(read_event_fields(w, cfg, n, ev));
    const exo__node *depth = exo__map_get(n, "depth");
    if (depth && ev->depth > cfg->skin.h_total) { /* physically impossible: below the modelled skin */
        exo__path_key(&w->path, "depth");
        return exo__walk_error(w, depth, EXO_EINPUT,
                               "%g mm is deeper than the skin (%g mm of epidermis and dermis here; expected at "
                               "most %g mm)",
                               ev->depth / (1000 * EXO_UM), cfg->skin.h_total / (1000 * EXO_UM),
                               cfg->skin.h_total / (1000 * EXO_UM));
    }
    size_t old = exo__path_key(&w->path, "schedule");
    EXO_TRY(exo__get_schedule(w, sched, &ev->times, &ev->n_times));
    const char *what;
    double dur = exo__route_session(ev, &what);
    for (int i = 1; what && i < ev->n_times; i++) {
        double gap = ev->times[i] - ev->times[i - 1];
        if (dur > gap * (1.0 + 1e-12)) {
            st = exo__walk_error(w, sched, EXO_EINPUT,
                                 "session at %g h overlaps the next session: %s %g h is longer "
                                 "than the %g h interval (expected %s <= interval)",
                                 ev->times[i - 1], what, dur, gap, what);
            goto out;
        }
    }
    exo__path_pop(&w->path, old);
out:
    return st;
}

/* `control: vehicle` on an arm (docs/config.md): the arm's protocol with
 * every product replaced by its vehicle alone, a copy of the product named
 * "NAME (vehicle)" at 0 particles/mL without soluble growth factors, added
 * to the products once (the effective input lists it and names it in the
 * arm's events).  A product already at 0 particles/mL is its own vehicle. */
static exo_status vehicle_product(exo__walk *w, const exo__node *at, exo_config *cfg, int p, int *out)
{
    const exo_product_cfg *pr = &cfg->products[p];
    *out = p;
    if (pr->conc_known && pr->conc == 0.0 && pr->growth_factor == 0.0)
        return EXO_OK;
    char name[EXO_NAME_MAX];
    if (snprintf(name, sizeof name, "%s (vehicle)", pr->name) >= (int)sizeof name)
        return exo__walk_error(w, at, EXO_EINPUT, "the vehicle of product '%s' would be named '%s (vehicle)', longer "
                                                  "than %d bytes (expected a shorter product name)",
                               pr->name, pr->name, EXO_NAME_MAX - 1);
    for (int i = 0; i < cfg->n_products; i++) {
        if (strcmp(cfg->products[i].name, name) != 0)
            continue;
        const exo_product_cfg *q = &cfg->products[i];
        if (q->conc_known && q->conc == 0.0 && q->growth_factor == 0.0) {
            *out = i;
            return EXO_OK;
        }
        return exo__walk_error(w, at, EXO_EINPUT, "product '%s' exists and is not a vehicle (expected it at "
                                                  "0 particles/mL, or another name)", name);
    }
    exo_product_cfg *all = exo_realloc(w->ctx, cfg->products, (size_t)cfg->n_products + 1, sizeof *all);
    if (!all)
        return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
    cfg->products = all;
    exo_product_cfg *v = &all[cfg->n_products];
    *v = all[p];
    snprintf(v->name, sizeof v->name, "%s", name);
    v->conc_known = true;
    v->conc = 0.0;
    v->growth_factor = 0.0;
    *out = cfg->n_products++;
    return EXO_OK;
}

/* The events of `from` copied into `arm` (each with its own times). */
static exo_status copy_protocol(exo__walk *w, const exo__node *at, const exo_arm_cfg *from, exo_arm_cfg *arm)
{
    arm->events = exo_alloc(w->ctx, (size_t)(from->n_events > 0 ? from->n_events : 1), sizeof *arm->events);
    if (!arm->events)
        return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
    for (int i = 0; i < from->n_events; i++) {
        const exo_event_cfg *e = &from->events[i];
        double *t = exo_alloc(w->ctx, (size_t)(e->n_times > 0 ? e->n_times : 1), sizeof *t);
        if (!t)
            return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
        arm->events[i] = *e;
        memcpy(t, e->times, (size_t)e->n_times * sizeof *t);
        arm->events[i].times = t;
        arm->n_events = i + 1;
    }
    return EXO_OK;
}

static exo_status walk_arm(exo__walk *w, const exo_config *cfg, int index, const exo__node *n,
                           exo_arm_cfg *arm, bool *vehicle)
{
    static const char *const keys[] = {"name", "skin", "protocol", "control", NULL};
    static const char *const controls[] = {"vehicle"};
    exo_status st = EXO_OK;
    exo__node *name, *proto;
    EXO_TRY(exo__need_map(w, n, keys));
    int control = -1;
    EXO_TRY(exo__opt_enum(w, n, "control", controls, 1, &control));
    *vehicle = control == 0;
    EXO_TRY(exo__need_key(w, n, "name", "an arm name such as 'serum twice daily'", &name));
    if (!*vehicle || index == 0 || exo__map_get(n, "protocol"))
        EXO_TRY(exo__need_key(w, n, "protocol", index == 0 || !*vehicle ? "a list of events" :
                              "a list of events (a control arm without one copies the arm above)", &proto));
    else
        proto = NULL; /* a vehicle control of the arm above: its protocol */
    EXO_TRY(exo__opt_string(w, n, "name", arm->name, sizeof arm->name));
    for (int i = 0; i < index; i++) {
        if (strcmp(cfg->arms[i].name, arm->name) == 0) {
            size_t old = exo__path_key(&w->path, "name");
            st = exo__walk_error(w, name, EXO_EINPUT, "duplicate arm name '%s' (expected a name "
                                                      "not used by arms.%d)",
                                 arm->name, i);
            exo__path_pop(&w->path, old);
            goto out;
        }
    }
    arm->skin = cfg->skin;
    if (exo__map_get(n, "skin")) {
        arm->has_skin = true;
        EXO_TRY(walk_skin(w, n, &arm->skin));
    }
    if (!proto)
        return copy_protocol(w, n, &cfg->arms[index - 1], arm);
    size_t old = exo__path_key(&w->path, "protocol");
    EXO_TRY(exo__need_seq(w, proto, 0, 64));
    arm->events = exo_alloc(w->ctx, (size_t)proto->n, sizeof *arm->events);
    if (!arm->events) {
        st = exo__walk_error(w, proto, EXO_ENOMEM, "out of memory");
        goto out;
    }
    arm->n_events = proto->n;
    for (int i = 0; i < proto->n; i++) {
        size_t o2 = exo__path_index(&w->path, i);
        EXO_TRY(walk_event(w, cfg, proto->items[i], &arm->events[i]));
        exo__path_pop(&w->path, o2);
    }
    exo__path_pop(&w->path, old);
out:
    return st;
}

static exo_status walk_arms(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    exo_status st = EXO_OK;
    exo__node *n;
    EXO_TRY(exo__need_key(w, root, "arms", "a list of 1 to 16 treatment arms", &n));
    size_t old = exo__path_key(&w->path, "arms");
    EXO_TRY(exo__need_seq(w, n, 1, 16));
    cfg->arms = exo_alloc(w->ctx, (size_t)n->n, sizeof *cfg->arms);
    if (!cfg->arms) {
        st = exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
        goto out;
    }
    cfg->n_arms = n->n;
    for (int i = 0; i < n->n; i++) {
        size_t o2 = exo__path_index(&w->path, i);
        bool vehicle = false;
        EXO_TRY(walk_arm(w, cfg, i, n->items[i], &cfg->arms[i], &vehicle));
        if (vehicle) {
            const exo__node *at = exo__map_get(n->items[i], "control");
            size_t o3 = exo__path_key(&w->path, "control");
            if (exo__map_get(root, "audit")) {
                st = exo__walk_error(w, at, EXO_EINPUT, "a control arm in an audit file (expected none: the audit "
                                                        "runs every route with the vehicle itself)");
                goto out;
            }
            for (int e = 0; e < cfg->arms[i].n_events; e++)
                if (cfg->arms[i].events[e].product >= 0)
                    EXO_TRY(vehicle_product(w, at, cfg, cfg->arms[i].events[e].product,
                                            &cfg->arms[i].events[e].product));
            exo__path_pop(&w->path, o3);
        }
        exo__path_pop(&w->path, o2);
    }
    exo__path_pop(&w->path, old);
out:
    return st;
}

/* ---- audit ------------------------------------------------------------- */

static const char *const audit_route_names[EXO_AUDIT_ROUTE_COUNT] = {"topical", "microneedling", "laser",
                                                                     "injection"};

const char *exo_audit_route_name(exo_audit_route r)
{
    return ((int)r >= 0 && r < EXO_AUDIT_ROUTE_COUNT) ? audit_route_names[r] : "?";
}

/* "twice daily", "3 times weekly"... -> the normalised frequency and a
 * schedule over 4 weeks in the grammar of schedule.c; false if not a form. */
static bool audit_frequency(const char *text, char *freq, size_t fcap, char *sched, size_t scap)
{
    static const char *const words[] = {"once", "twice", "thrice"};
    char s[EXO_INPUT_MAX_STRING + 1], unit[16] = "";
    size_t k = 0;
    for (; text[k] && k < sizeof s - 1; k++)
        s[k] = (char)((text[k] >= 'A' && text[k] <= 'Z') ? text[k] - 'A' + 'a' : text[k]);
    s[k] = '\0';
    long n = 0;
    int used = 0;
    for (int i = 0; i < 3 && !n; i++) {
        size_t len = strlen(words[i]);
        if (strncmp(s, words[i], len) == 0 && s[len] == ' ' && sscanf(s + len, " %15s%n", unit, &used) == 1 &&
            s[len + (size_t)used] == '\0')
            n = i + 1;
    }
    if (!n && sscanf(s, "%15[a-z]%n", unit, &used) == 1 && s[used] == '\0')
        n = 1; /* "daily", "weekly" */
    if (!n) {
        char times[8];
        size_t digits = strspn(s, "0123456789");
        if (digits < 1 || digits > 3 || sscanf(s, "%ld %7s %15s%n", &n, times, unit, &used) != 3 || s[used] != '\0' || strcmp(times, "times"))
            return false;
    }
    if (!strcmp(unit, "daily") && n >= 1 && n <= 48) {
        if (n <= 3)
            snprintf(freq, fcap, "%s daily", words[n - 1]);
        else
            snprintf(freq, fcap, "%ld times daily", n);
        snprintf(sched, scap, "%s for 4 weeks", freq);
        return true;
    }
    if (!strcmp(unit, "weekly") && n >= 1 && n <= 14) {
        if (n <= 3)
            snprintf(freq, fcap, "%s weekly", words[n - 1]);
        else
            snprintf(freq, fcap, "%ld times weekly", n);
        snprintf(sched, scap, "every %.17g h for 4 weeks", EXO_WEEK / (double)n);
        return true;
    }
    return false;
}

static exo_status walk_audit_frequency(exo__walk *w, const exo__node *n, exo_audit_cfg *a)
{
    exo_status st = EXO_OK;
    char val[96];
    exo__node *sched = NULL;
    if (n->kind != EXO__NODE_SCALAR || !audit_frequency(n->text, a->frequency, sizeof a->frequency, a->schedule,
                                                        sizeof a->schedule))
        return exo__walk_error(w, n, EXO_EINPUT, "unknown frequency '%s' (expected 'once daily', 'twice daily', "
                                                 "'N times daily' (N up to 48) or 'N times weekly' (N up to 14))",
                               n->kind == EXO__NODE_SCALAR ? exo__quote(val, sizeof val, n->text, 48) : "?");
    EXO_TRY(exo__tree_parse(w->ctx, n->src, w->path.s, a->schedule, strlen(a->schedule), &sched));
    if (!sched) {
        st = exo__walk_error(w, n, EXO_EINPUT, "empty frequency (expected 'twice daily' or similar)");
        goto out;
    }
    EXO_TRY(exo__get_schedule(w, sched, &a->times, &a->n_times));
out:
    exo__tree_free(w->ctx, sched);
    return st;
}

static exo_status walk_audit_routes(exo__walk *w, const exo__node *n, exo_audit_cfg *a)
{
    exo_status st = exo__need_seq(w, n, 1, EXO_AUDIT_ROUTE_COUNT);
    for (int i = 0; st == EXO_OK && i < n->n; i++) {
        int r = 0;
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_enum(w, n->items[i], audit_route_names, EXO_AUDIT_ROUTE_COUNT, &r);
        if (st == EXO_OK && a->routes[r])
            st = exo__walk_error(w, n->items[i], EXO_EINPUT, "route '%s' listed twice (expected each route once)",
                                 audit_route_names[r]);
        if (st == EXO_OK)
            a->routes[r] = true;
        exo__path_pop(&w->path, old);
    }
    return st;
}

static exo_status walk_audit_threshold(exo__walk *w, const exo__node *n, exo_audit_cfg *a)
{
    static const char *const keys[] = {"readout", "change", NULL};
    exo_status st;
    int q = a->threshold_readout - EXO_Q_READOUT_FIRST;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_enum(w, n, "readout", exo__quantity_names + EXO_Q_READOUT_FIRST,
                            EXO_RD_COUNT, &q)) != EXO_OK ||
        (st = exo__opt_number(w, n, "change", &(exo__range){-1.0, 10.0, "%", 0}, &a->threshold_change)) != EXO_OK)
        return st;
    a->threshold_readout = EXO_Q_READOUT(q);
    if (a->threshold_change == 0) {
        size_t old = exo__path_key(&w->path, "change");
        st = exo__walk_error(w, exo__map_get(n, "change"), EXO_EINPUT,
                             "0 %% is no change (expected a positive change for an increase or a negative "
                             "one for a decrease, e.g. '1 %%')");
        exo__path_pop(&w->path, old);
    }
    return st;
}

static exo_status walk_audit(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"amount", "frequency", "routes", "origin_stated", "threshold", "draws", NULL};
    exo_status st = EXO_OK;
    exo_audit_cfg *a = &cfg->audit;
    const exo__node *n = exo__map_get(root, "audit"), *v;
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "audit");
    EXO_TRY(exo__need_map(w, n, keys));
    if (cfg->n_products != 1) {
        const exo__node *p = exo__map_get(root, "products");
        exo__path_pop(&w->path, old);
        old = exo__path_key(&w->path, "products");
        st = exo__walk_error(w, p ? p : n, EXO_EINPUT, "%d products in an audit file (expected exactly 1: the label)",
                             cfg->n_products);
        goto out;
    }
    a->present = true;
    a->amount = exo__route_film_default(cfg->products[0].vehicle);
    a->origin_stated = true;
    a->threshold_readout = EXO_Q_READOUT(EXO_RD_COLLAGEN);
    a->threshold_change = 0.01;
    a->draws = 4;
    EXO_TRY(get_amount(w, n, &a->amount));
    EXO_TRY(exo__opt_int(w, n, "draws", 0, EXO_AUDIT_MAX_DRAWS, &a->draws));
    EXO_TRY(exo__opt_bool(w, n, "origin_stated", &a->origin_stated));
    exo__node *f;
    EXO_TRY(exo__need_key(w, n, "frequency", "a frequency such as 'twice daily' or '3 times weekly'", &f));
    size_t o = exo__path_key(&w->path, "frequency");
    EXO_TRY(walk_audit_frequency(w, f, a));
    exo__path_pop(&w->path, o);
    if ((v = exo__map_get(n, "routes")) != NULL) {
        o = exo__path_key(&w->path, "routes");
        EXO_TRY(walk_audit_routes(w, v, a));
        exo__path_pop(&w->path, o);
    } else {
        for (int r = 0; r < EXO_AUDIT_ROUTE_COUNT; r++)
            a->routes[r] = true;
    }
    if ((v = exo__map_get(n, "threshold")) != NULL) {
        o = exo__path_key(&w->path, "threshold");
        EXO_TRY(walk_audit_threshold(w, v, a));
        exo__path_pop(&w->path, o);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- top level --------------------------------------------------------- */

/* "dir/default.yaml" -> "default" */
static void base_name(const char *path, char *dst, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        n = (size_t)(dot - b);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, b, n);
    dst[n] = '\0';
}

static exo_status walk_top(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"name", "seed", "skin", "products", "arms", "simulation",
                                       "parameters", "study", "trial", "audit", "optimize", "sweep", NULL};
    exo_status st = EXO_OK;
    EXO_TRY(exo__need_map(w, root, keys));
    EXO_TRY(exo__opt_string(w, root, "name", cfg->name, sizeof cfg->name));
    const exo__node *seed = exo__map_get(root, "seed");
    cfg->seed = 1;
    if (seed) {
        long long v;
        size_t old = exo__path_key(&w->path, "seed");
        EXO_TRY(exo__get_int(w, seed, 0, INT64_MAX, &v));
        exo__path_pop(&w->path, old);
        cfg->seed = (uint64_t)v;
    }
    EXO_TRY(exo__walk_skin(w, root, &cfg->skin));
    EXO_TRY(exo__walk_products(w, root, cfg));
    EXO_TRY(walk_arms(w, root, cfg));
    EXO_TRY(exo__walk_simulation(w, root, cfg));
    EXO_TRY(exo__walk_parameters(w, root, cfg));
    EXO_TRY(exo__walk_study(w, root, cfg));
    EXO_TRY(exo__walk_trial(w, root, cfg));
    EXO_TRY(walk_audit(w, root, cfg));
    EXO_TRY(exo__walk_optimize(w, root, cfg));
    EXO_TRY(exo__walk_sweep(w, root, cfg));
out:
    return st;
}

static bool empty_document(const exo__node *root)
{
    return !root || (root->kind == EXO__NODE_SCALAR && root->plain &&
                     (root->text[0] == '\0' || strcmp(root->text, "~") == 0 ||
                      strcmp(root->text, "null") == 0));
}

static exo_status load_text(exo_ctx *ctx, exo_units *u, const char *name, const char *text, size_t len,
                            const exo_override *sets, int n_sets, bool check_sweep, exo_config *cfg);

/* A copy of the n_sets overrides with room for one more after them (exo_alloc'd;
 * NULL when out of memory): each value of a sweep or optimize block is tried
 * as that last override. */
static exo_override *sets_and_one(exo_ctx *ctx, const exo_override *sets, int n_sets)
{
    exo_override *all = exo_alloc(ctx, (size_t)n_sets + 1, sizeof *all);
    for (int i = 0; all && i < n_sets; i++)
        all[i] = sets[i];
    return all;
}

/* Every value of the sweep block alone, applied to the input as an override,
 * must give a valid input: a bad value is reported where it was written
 * (combinations are checked by exo_sweep_run before any run). */
static exo_status check_sweep_values(exo_ctx *ctx, exo_units *u, const char *name, const char *text, size_t len,
                                     const exo_override *sets, int n_sets, const exo_sweep_cfg *s)
{
    exo_status st = EXO_OK;
    exo_override *all = sets_and_one(ctx, sets, n_sets);
    if (!all)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
    for (int i = 0; st == EXO_OK && i < s->n_vars; i++) {
        const exo_sweep_var *v = &s->vars[i];
        for (int j = 0; st == EXO_OK && j < v->n_values; j++) {
            exo_config tmp;
            all[n_sets] = (exo_override){v->key, v->values[j].text};
            st = load_text(ctx, u, name, text, len, all, n_sets + 1, false, &tmp);
            if (st == EXO_OK) {
                exo_config_fini(ctx, &tmp);
                continue;
            }
            st = exo__sweep_value_error(ctx, st, s, i, j);
        }
    }
    exo_free(ctx, all);
    return st;
}

/* The node at optimize.variables.V.KEY (.I for a list), or NULL. */
static const exo__node *optimize_node(const exo__node *root, int var, const char *key, int item)
{
    const exo__node *o = exo__map_get(root, "optimize");
    const exo__node *vs = o && o->kind == EXO__NODE_MAP ? exo__map_get(o, "variables") : NULL;
    if (!vs || vs->kind != EXO__NODE_SEQ || var >= vs->n || vs->items[var]->kind != EXO__NODE_MAP)
        return NULL;
    const exo__node *k = exo__map_get(vs->items[var], key);
    if (k && item >= 0)
        return k->kind == EXO__NODE_SEQ && item < k->n ? k->items[item] : NULL;
    return k;
}

/* Every choice of the optimize block, and both ends of each continuous
 * variable, applied alone to the input as an override, must give a valid
 * input: a bad one is reported at the optimize block's line and key (not as
 * `--set:1:1:` when the search reaches it), by `check` too. */
static exo_status check_optimize_values(exo_ctx *ctx, exo_units *u, const char *name, const char *text, size_t len,
                                        const exo_override *sets, int n_sets, const exo__node *root,
                                        const exo_optimize_cfg *o)
{
    exo_status st = EXO_OK;
    exo_override *all = sets_and_one(ctx, sets, n_sets);
    if (!all)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
    for (int i = 0; st == EXO_OK && i < o->n_vars; i++) {
        const exo_optimize_var *v = &o->vars[i];
        int n = v->discrete ? v->n_choices : 2;
        for (int j = 0; st == EXO_OK && j < n; j++) {
            char value[EXO_OPT_CHOICE_MAX + 64], path[64], inner[1024], val[96];
            if (v->discrete)
                snprintf(value, sizeof value, "%s", v->choices[j]);
            else
                snprintf(value, sizeof value, "%.17g%s%s", j ? v->max : v->min, v->unit[0] ? " " : "", v->unit);
            exo_config tmp;
            all[n_sets] = (exo_override){v->key, value};
            st = load_text(ctx, u, name, text, len, all, n_sets + 1, false, &tmp);
            if (st == EXO_OK) {
                exo_config_fini(ctx, &tmp);
                continue;
            }
            const char *m = exo_ctx_last_error(ctx);
            if (strncmp(m, "--set:1:1: ", 11) == 0)
                m += 11;
            snprintf(inner, sizeof inner, "%s", m);
            const char *key = v->discrete ? "choices" : j ? "max" : "min";
            const exo__node *at = optimize_node(root, i, key, v->discrete ? j : -1);
            if (v->discrete)
                snprintf(path, sizeof path, "optimize.variables.%d.choices.%d", i, j);
            else
                snprintf(path, sizeof path, "optimize.variables.%d.%s", i, key);
            st = exo__input_error(ctx, st == EXO_EIO || st == EXO_ENOMEM ? st : EXO_EINPUT, at ? at->src : name,
                                  at ? at->line : 1, at ? at->col : 1, path, "%s = '%s' is not a valid input: %s",
                                  v->key, exo__quote(val, sizeof val, value, 48), inner);
        }
    }
    exo_free(ctx, all);
    return st;
}

exo_status exo__sweep_value_error(exo_ctx *ctx, exo_status st, const exo_sweep_cfg *s, int var, int value)
{
    char inner[1024], path[sizeof s->vars[0].key + 32], val[96];
    const exo_sweep_var *v = &s->vars[var];
    const exo_sweep_value *x = &v->values[value];
    const char *m = exo_ctx_last_error(ctx);
    if (strncmp(m, "--set:1:1: ", 11) == 0)
        m += 11;
    snprintf(inner, sizeof inner, "%s", m);
    if (v->range)
        snprintf(path, sizeof path, "sweep.variables.%d.from", var);
    else
        snprintf(path, sizeof path, "sweep.variables.%d.values.%d", var, value);
    if (v->cli)
        snprintf(path, sizeof path, "%s", v->key);
    return exo__input_error(ctx, st == EXO_EIO || st == EXO_ENOMEM ? st : EXO_EINPUT,
                            v->cli ? "--vary" : x->line ? s->src : "--set", x->line ? x->line : 1,
                            x->line ? x->col : 1, path, "%s = '%s' is not a valid input: %s", v->key,
                            exo__quote(val, sizeof val, x->text, 48), inner);
}

exo_status exo_config_load_buffer(exo_ctx *ctx, exo_units *u, const char *name,
                                  const char *text, size_t len, const exo_override *sets,
                                  int n_sets, exo_config *cfg)
{
    return load_text(ctx, u, name, text, len, sets, n_sets, true, cfg);
}

static exo_status load_text(exo_ctx *ctx, exo_units *u, const char *name, const char *text, size_t len,
                            const exo_override *sets, int n_sets, bool check_sweep, exo_config *cfg)
{
    exo_status st = EXO_OK;
    exo__node *root = NULL;
    exo__walk w = {.ctx = ctx, .u = u};
    memset(cfg, 0, sizeof *cfg);
    if (!name)
        name = "(buffer)";
    EXO_TRY(exo__tree_parse(ctx, name, "", text ? text : "", text ? len : 0, &root));
    if (empty_document(root)) {
        st = exo__input_error(ctx, EXO_EINPUT, name, 1, 1, "(file)",
                              "empty file (expected a mapping with 'arms')");
        goto out;
    }
    if (root->kind != EXO__NODE_MAP) {
        st = exo__input_error(ctx, EXO_EINPUT, name, root->line, root->col, "(file)",
                              "found %s (expected a mapping with 'arms')",
                              root->kind == EXO__NODE_SEQ ? "a list" : "a plain value");
        goto out;
    }
    for (int i = 0; i < n_sets; i++)
        EXO_TRY(exo__tree_override(ctx, root, &sets[i]));
    base_name(name, cfg->name, sizeof cfg->name);
    EXO_TRY(walk_top(&w, root, cfg));
    if (check_sweep && cfg->sweep.present)
        EXO_TRY(check_sweep_values(ctx, u, name, text, len, sets, n_sets, &cfg->sweep));
    if (check_sweep && cfg->optimize.present)
        EXO_TRY(check_optimize_values(ctx, u, name, text, len, sets, n_sets, root, &cfg->optimize));
out:
    exo__tree_free(ctx, root);
    if (st != EXO_OK)
        exo_config_fini(ctx, cfg);
    return st;
}

exo_status exo_config_load(exo_ctx *ctx, exo_units *u, const char *path,
                           const exo_override *sets, int n_sets, exo_config *cfg)
{
    return exo__config_load_opts(ctx, u, path, sets, n_sets, true, cfg);
}

exo_status exo__config_load_opts(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets,
                                 int n_sets, bool check_sweep, exo_config *cfg)
{
    exo_status st = EXO_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    memset(cfg, 0, sizeof *cfg);
    FILE *f = fopen(path, "rb");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s:0:0: (file): cannot open: %s", path,
                             strerror(errno));
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            if (ncap > (size_t)EXO_INPUT_MAX_BYTES + 1)
                ncap = (size_t)EXO_INPUT_MAX_BYTES + 1;
            if (ncap == cap) {
                st = exo__input_error(ctx, EXO_EINPUT, path, 1, 1, "(file)",
                                      "file too large (expected at most %u bytes)",
                                      EXO_INPUT_MAX_BYTES);
                goto out;
            }
            char *nb = exo_realloc(ctx, buf, ncap, 1);
            if (!nb) {
                st = exo__input_error(ctx, EXO_ENOMEM, path, 0, 0, "(file)", "out of memory");
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                st = exo_ctx_error(ctx, EXO_EIO, "%s:0:0: (file): cannot read: %s", path,
                                   strerror(errno));
                goto out;
            }
            break;
        }
    }
    fclose(f);
    f = NULL;
    st = load_text(ctx, u, path, buf, len, sets, n_sets, check_sweep, cfg);
out:
    if (f)
        fclose(f);
    exo_free(ctx, buf);
    return st;
}

void exo_config_fini(exo_ctx *ctx, exo_config *cfg)
{
    if (!cfg)
        return;
    for (int a = 0; cfg->arms && a < cfg->n_arms; a++) {
        for (int e = 0; cfg->arms[a].events && e < cfg->arms[a].n_events; e++)
            exo_free(ctx, cfg->arms[a].events[e].times);
        exo_free(ctx, cfg->arms[a].events);
    }
    exo_free(ctx, cfg->arms);
    exo_free(ctx, cfg->products);
    exo_free(ctx, cfg->sim.profile_times);
    exo_free(ctx, cfg->study.checks);
    exo_free(ctx, cfg->audit.times);
    for (int i = 0; i < cfg->sweep.n_vars && i < EXO_SWEEP_MAX_VARS; i++)
        exo_free(ctx, cfg->sweep.vars[i].values);
    memset(cfg, 0, sizeof *cfg);
}
