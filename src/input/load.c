/* load.c - the schema walk: reads a scenario or study file (YAML, see
 * docs/config.md) into an exo_config in internal units.  The tree (tree.c)
 * keeps positions; the typed readers (values.c) check units and ranges; this
 * file knows which keys exist, their defaults and presets, and the checks
 * that involve several keys.  The first problem found ends the load with one
 * message on the context and leaves nothing allocated. */
#include "input/input_impl.h"
#include "protocol/protocol.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- skin -------------------------------------------------------------- */

/* Layer presets per region [um].  Sources and reasoning: docs/config.md. */
static const double preset_h_sc[EXO_REGION_COUNT] = {13.0, 15.0, 10.0, 15.0};
static const double preset_h_ve[EXO_REGION_COUNT] = {55.0, 55.0, 40.0, 60.0};
static const double preset_h_pap[EXO_REGION_COUNT] = {200.0, 200.0, 100.0, 200.0};
static const double preset_h_total[EXO_REGION_COUNT][EXO_SEX_COUNT] = {
    {1900.0, 2300.0}, {2000.0, 2450.0}, {1250.0, 1500.0}, {2000.0, 2400.0}};
static const double preset_follicle[EXO_REGION_COUNT] = {0.0128, 0.005, 0.002, 0.008};
/* Whole-skin thinning above 50 years [1/y] (estimate, Meng 2022 trend). */
#define THINNING_PER_YEAR 0.005
#define THINNING_FROM_AGE 50.0

static const exo__dim dim_age = {"year", "an age such as '45 years'"};

double exo__skin_thickness_preset(exo_region region, exo_sex sex, double age)
{
    double h = preset_h_total[region][sex];
    if (age > THINNING_FROM_AGE)
        h *= 1.0 - THINNING_PER_YEAR * (age - THINNING_FROM_AGE);
    return h;
}

static exo_status get_phototype(exo__walk *w, const exo__node *n, int *out)
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V", "VI"};
    if (n->kind == EXO__NODE_SCALAR) {
        for (int i = 0; i < 6; i++) {
            if (strcmp(n->text, roman[i]) == 0) {
                *out = i + 1;
                return EXO_OK;
            }
        }
    }
    long long v;
    exo_status st = exo__get_int(w, n, 1, 6, &v);
    if (st != EXO_OK) {
        char val[96];
        return exo__walk_error(w, n, EXO_EINPUT, "unknown phototype '%s' (expected I to VI or "
                                                 "1 to 6)",
                               n->kind == EXO__NODE_SCALAR
                                   ? exo__quote(val, sizeof val, n->text, 32)
                                   : "?");
    }
    *out = (int)v;
    return EXO_OK;
}

static exo_status walk_skin(exo__walk *w, const exo__node *root, exo_skin_cfg *skin)
{
    static const char *const keys[] = {
        "region", "age", "sex", "phototype", "condition", "stratum_corneum",
        "viable_epidermis", "papillary_dermis", "thickness", "follicle_area_fraction",
        "ambient_humidity", NULL};
    exo_status st = EXO_OK;
    const exo__node *n = exo__map_get(root, "skin");
    size_t old = exo__path_key(&w->path, "skin");
    int region = EXO_REGION_CHEEK, sex = EXO_SEX_FEMALE, cond = EXO_COND_NONE;
    skin->age = 45.0;
    skin->phototype = 3;
    if (n) {
        EXO_TRY(exo__need_map(w, n, keys));
        EXO_TRY(exo__opt_enum(w, n, "region", exo__region_names, EXO_REGION_COUNT, &region));
        EXO_TRY(exo__opt_enum(w, n, "sex", exo__sex_names, EXO_SEX_COUNT, &sex));
        EXO_TRY(exo__opt_enum(w, n, "condition", exo__condition_names, EXO_COND_COUNT, &cond));
        EXO_TRY(exo__opt_qty(w, n, "age", &dim_age, &(exo__range){18.0, 100.0, "years", 0},
                             &skin->age));
        const exo__node *pt = exo__map_get(n, "phototype");
        if (pt) {
            size_t o2 = exo__path_key(&w->path, "phototype");
            EXO_TRY(get_phototype(w, pt, &skin->phototype));
            exo__path_pop(&w->path, o2);
        }
    }
    skin->region = (exo_region)region;
    skin->sex = (exo_sex)sex;
    skin->condition = (exo_condition)cond;
    skin->h_sc = preset_h_sc[region] * EXO_UM;
    skin->h_ve = preset_h_ve[region] * EXO_UM;
    skin->h_pap = preset_h_pap[region] * EXO_UM;
    skin->h_total = exo__skin_thickness_preset((exo_region)region, (exo_sex)sex, skin->age) * EXO_UM;
    skin->follicle_area_fraction = preset_follicle[region];
    skin->ambient_rh = 0.5;
    if (n) {
        const exo__dim *len = &exo__dim_length;
        EXO_TRY(exo__opt_qty(w, n, "stratum_corneum", len, &(exo__range){5, 50, "um", 0},
                             &skin->h_sc));
        EXO_TRY(exo__opt_qty(w, n, "viable_epidermis", len, &(exo__range){20, 200, "um", 0},
                             &skin->h_ve));
        EXO_TRY(exo__opt_qty(w, n, "papillary_dermis", len, &(exo__range){50, 500, "um", 0},
                             &skin->h_pap));
        EXO_TRY(exo__opt_qty(w, n, "thickness", len, &(exo__range){500, 4000, "um", 0},
                             &skin->h_total));
        EXO_TRY(exo__opt_number(w, n, "follicle_area_fraction", &(exo__range){0, 0.1, "1", 0},
                                &skin->follicle_area_fraction));
        EXO_TRY(exo__opt_number(w, n, "ambient_humidity", &(exo__range){0, 1, "1", 0},
                                &skin->ambient_rh));
    }
    double layers = skin->h_sc + skin->h_ve + skin->h_pap;
    if (skin->h_total <= layers + 100.0 * EXO_UM) {
        const exo__node *at = n ? n : root;
        const exo__node *t = n ? exo__map_get(n, "thickness") : NULL;
        size_t o2 = exo__path_key(&w->path, "thickness");
        st = exo__walk_error(w, t ? t : at, EXO_EINPUT,
                             "whole skin %g um is too thin for its layers (expected more than "
                             "stratum_corneum + viable_epidermis + papillary_dermis + 100 um = "
                             "%g um)",
                             skin->h_total, layers + 100.0);
        exo__path_pop(&w->path, o2);
        goto out;
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- products ---------------------------------------------------------- */

static const double default_mode_nm[EXO_ORIGIN_COUNT] = {120, 110, 100, 150, 120};
static const double default_cargo[EXO_ORIGIN_COUNT][EXO_CARGO_COUNT] = {
    {1.0, 1.0, 1.0, 0.5, 0.5, 0.1}, /* adipose MSC: reference */
    {1.2, 1.2, 1.0, 0.5, 0.5, 0.1}, /* umbilical MSC */
    {2.0, 0.5, 0.5, 0.2, 0.2, 0.2}, /* platelet: growth-factor rich */
    {0.2, 0.5, 0.3, 1.0, 1.0, 0.5}, /* plant: lipid/antioxidant rich */
    {1.0, 1.0, 1.0, 1.0, 1.0, 0.1}, /* custom: set by the user */
};
static const double default_water[EXO_VEHICLE_COUNT] = {0.6, 0.9, 0.9, 0.95, 0.99};

static exo_status walk_size(exo__walk *w, const exo__node *n, exo_product_cfg *p)
{
    static const char *const keys[] = {"mode", "gsd", "bins", NULL};
    exo_status st;
    long long bins = p->size_bins;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "mode", &exo__dim_length,
                           &(exo__range){20 * EXO_NM, 1000 * EXO_NM, "nm", 0}, &p->size_mode)) !=
            EXO_OK ||
        (st = exo__opt_number(w, n, "gsd", &(exo__range){1, 3, "1", 0}, &p->size_gsd)) != EXO_OK)
        return st;
    const exo__node *b = exo__map_get(n, "bins");
    if (b) {
        size_t old = exo__path_key(&w->path, "bins");
        st = exo__get_int(w, b, 1, 9, &bins);
        exo__path_pop(&w->path, old);
        p->size_bins = (int)bins;
    }
    return st;
}

static exo_status walk_cargo(exo__walk *w, const exo__node *n, exo_product_cfg *p)
{
    static const char *const keys[] = {"GF", "AI", "PM", "LB", "AM", "IM", NULL};
    exo_status st;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK)
        return st;
    for (int c = 0; c < EXO_CARGO_COUNT; c++)
        if ((st = exo__opt_number(w, n, exo__cargo_names[c], &(exo__range){0, 100, "1", 0},
                                  &p->cargo[c])) != EXO_OK)
            return st;
    return EXO_OK;
}

static exo_status walk_vehicle(exo__walk *w, const exo__node *n, exo_product_cfg *p)
{
    static const char *const keys[] = {"kind", "water_fraction", NULL};
    exo_status st;
    int v = EXO_VEHICLE_SERUM;
    if (n->kind == EXO__NODE_SCALAR) {
        if ((st = exo__get_enum(w, n, exo__vehicle_names, EXO_VEHICLE_COUNT, &v)) != EXO_OK)
            return st;
        p->vehicle = (exo_vehicle)v;
        p->water_fraction = default_water[v];
        return EXO_OK;
    }
    exo__node *k;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__need_key(w, n, "kind", "cream, serum, gel, sheet_mask or solution", &k)) !=
            EXO_OK ||
        (st = exo__opt_enum(w, n, "kind", exo__vehicle_names, EXO_VEHICLE_COUNT, &v)) != EXO_OK)
        return st;
    p->vehicle = (exo_vehicle)v;
    p->water_fraction = default_water[v];
    return exo__opt_number(w, n, "water_fraction", &(exo__range){0, 1, "1", 0},
                           &p->water_fraction);
}

static exo_status walk_product(exo__walk *w, const exo_config *cfg, int index,
                               const exo__node *n, exo_product_cfg *p)
{
    static const char *const keys[] = {
        "name", "origin", "size", "concentration", "functional_fraction", "storage_loss",
        "cargo", "vehicle", "growth_factor", NULL};
    exo_status st = EXO_OK;
    exo__node *name, *origin_n;
    int origin;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__need_key(w, n, "name", "a product name such as 'adipose-msc-serum'", &name));
    EXO_TRY(exo__need_key(w, n, "origin", "adipose_msc, umbilical_msc, platelet, plant or custom",
                          &origin_n));
    EXO_TRY(exo__opt_string(w, n, "name", p->name, sizeof p->name));
    for (int i = 0; i < index; i++) {
        if (strcmp(cfg->products[i].name, p->name) == 0) {
            size_t old = exo__path_key(&w->path, "name");
            st = exo__walk_error(w, name, EXO_EINPUT, "duplicate product name '%s' (expected a "
                                                      "name not used by products.%d)",
                                 p->name, i);
            exo__path_pop(&w->path, old);
            goto out;
        }
    }
    EXO_TRY(exo__opt_enum(w, n, "origin", exo__origin_names, EXO_ORIGIN_COUNT, &origin));
    p->origin = (exo_origin)origin;
    p->size_mode = default_mode_nm[origin] * EXO_NM;
    p->size_gsd = origin == EXO_ORIGIN_PLANT ? 1.5 : 1.4;
    p->size_bins = 3;
    p->functional_fraction = 0.7;
    p->vehicle = EXO_VEHICLE_SERUM;
    p->water_fraction = default_water[EXO_VEHICLE_SERUM];
    memcpy(p->cargo, default_cargo[origin], sizeof p->cargo);

    const exo__node *v;
    if ((v = exo__map_get(n, "size"))) {
        size_t old = exo__path_key(&w->path, "size");
        EXO_TRY(walk_size(w, v, p));
        exo__path_pop(&w->path, old);
    }
    if ((v = exo__map_get(n, "concentration"))) {
        if (v->kind == EXO__NODE_SCALAR && strcmp(v->text, "unknown") == 0) {
            p->conc_known = false;
        } else {
            /* (0, 1e14 particles/mL] */
            EXO_TRY(exo__opt_qty(w, n, "concentration", &exo__dim_conc,
                                 &(exo__range){0, 1e14 * EXO_PER_ML, "particles/mL",
                                               EXO__LO_OPEN},
                                 &p->conc));
            p->conc_known = true;
        }
    }
    EXO_TRY(exo__opt_number(w, n, "functional_fraction", &(exo__range){0, 1, "1", 0},
                            &p->functional_fraction));
    EXO_TRY(exo__opt_number(w, n, "storage_loss", &(exo__range){0, 1, "1", EXO__HI_OPEN},
                            &p->storage_loss));
    if ((v = exo__map_get(n, "cargo"))) {
        size_t old = exo__path_key(&w->path, "cargo");
        EXO_TRY(walk_cargo(w, v, p));
        exo__path_pop(&w->path, old);
    }
    if ((v = exo__map_get(n, "vehicle"))) {
        size_t old = exo__path_key(&w->path, "vehicle");
        EXO_TRY(walk_vehicle(w, v, p));
        exo__path_pop(&w->path, old);
    }
    EXO_TRY(exo__opt_number(w, n, "growth_factor", &(exo__range){0, 100, "1", 0},
                            &p->growth_factor));
out:
    return st;
}

static exo_status walk_products(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    exo_status st = EXO_OK;
    const exo__node *n = exo__map_get(root, "products");
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "products");
    EXO_TRY(exo__need_seq(w, n, 0, EXO_INPUT_MAX_ITEMS));
    if (n->n > 0) {
        cfg->products = exo_alloc(w->ctx, (size_t)n->n, sizeof *cfg->products);
        if (!cfg->products) {
            st = exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
            goto out;
        }
        cfg->n_products = n->n;
    }
    for (int i = 0; i < n->n; i++) {
        size_t o2 = exo__path_index(&w->path, i);
        EXO_TRY(walk_product(w, cfg, i, n->items[i], &cfg->products[i]));
        exo__path_pop(&w->path, o2);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
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
                                           &exo__dim_volume, &exo__dim_conc};
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

static exo_status walk_arm(exo__walk *w, const exo_config *cfg, int index, const exo__node *n,
                           exo_arm_cfg *arm)
{
    static const char *const keys[] = {"name", "skin", "protocol", NULL};
    exo_status st = EXO_OK;
    exo__node *name, *proto;
    EXO_TRY(exo__need_map(w, n, keys));
    EXO_TRY(exo__need_key(w, n, "name", "an arm name such as 'serum twice daily'", &name));
    EXO_TRY(exo__need_key(w, n, "protocol", "a list of events", &proto));
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
        EXO_TRY(walk_arm(w, cfg, i, n->items[i], &cfg->arms[i]));
        exo__path_pop(&w->path, o2);
    }
    exo__path_pop(&w->path, old);
out:
    return st;
}

/* ---- simulation -------------------------------------------------------- */

#define DURATION_MAX (5.0 * EXO_YEAR)

static exo_status walk_profile_times(exo__walk *w, const exo__node *n, exo_sim_cfg *sim)
{
    exo_status st;
    exo__range r = {0.0, sim->duration, "h", 0};
    if ((st = exo__need_seq(w, n, 1, EXO_INPUT_MAX_ITEMS)) != EXO_OK)
        return st;
    sim->profile_times = exo_alloc(w->ctx, (size_t)n->n, sizeof *sim->profile_times);
    if (!sim->profile_times)
        return exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
    sim->n_profile_times = n->n;
    for (int i = 0; i < n->n; i++) {
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_qty(w, n->items[i], &exo__dim_time, &r, &sim->profile_times[i]);
        if (st == EXO_OK && i > 0 && sim->profile_times[i] <= sim->profile_times[i - 1])
            st = exo__walk_error(w, n->items[i], EXO_EINPUT, "overlapping or unsorted times "
                                                             "(expected each time after the "
                                                             "one before)");
        exo__path_pop(&w->path, old);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

static exo_status default_profile_times(exo__walk *w, const exo__node *at, exo_sim_cfg *sim)
{
    static const double early[] = {1.0 * EXO_H, 1.0 * EXO_DAY, 1.0 * EXO_WEEK};
    sim->profile_times = exo_alloc(w->ctx, 4, sizeof *sim->profile_times);
    if (!sim->profile_times)
        return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (early[i] < sim->duration)
            sim->profile_times[n++] = early[i];
    sim->profile_times[n++] = sim->duration;
    sim->n_profile_times = n;
    return EXO_OK;
}

static exo_status walk_grid(exo__walk *w, const exo__node *n, exo_sim_cfg *sim)
{
    static const char *const keys[] = {"surface_cell", "max_cell", "growth", NULL};
    exo_status st;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "surface_cell", &exo__dim_length,
                           &(exo__range){0.01, 10, "um", 0}, &sim->h_surface)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "max_cell", &exo__dim_length, &(exo__range){1, 200, "um", 0},
                           &sim->h_max)) != EXO_OK ||
        (st = exo__opt_number(w, n, "growth", &(exo__range){1.01, 2, "1", 0},
                              &sim->grid_growth)) != EXO_OK)
        return st;
    if (sim->h_surface > sim->h_max)
        return exo__walk_error(w, n, EXO_EINPUT, "surface_cell %g um is larger than max_cell %g "
                                                 "um (expected surface_cell <= max_cell)",
                               sim->h_surface, sim->h_max);
    return EXO_OK;
}

#define TISSUE_MAX_SIDE 512 /* [1] voxels along one side of a tissue block */

static exo_status walk_tissue(exo__walk *w, const exo__node *n, exo_tissue_cfg *t)
{
    static const char *const keys[] = {"size", "size_x", "size_y", "voxel", "follicles", "film", NULL};
    static const char *const follicles[] = {"explicit", "spread", "none"}, *const films[] = {"mixed", "columns"};
    exo_status st;
    int mode = (int)t->follicles, film = (int)t->film;
    double size = t->size_x;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "size", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &size)) != EXO_OK)
        return st;
    t->size_x = t->size_y = size;
    if ((st = exo__opt_qty(w, n, "size_x", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &t->size_x)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "size_y", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &t->size_y)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "voxel", &exo__dim_length, &(exo__range){1, 100, "um", 0}, &t->voxel)) != EXO_OK ||
        (st = exo__opt_enum(w, n, "follicles", follicles, EXO_FOLLICLES_COUNT, &mode)) != EXO_OK ||
        (st = exo__opt_enum(w, n, "film", films, EXO_FILM_COUNT, &film)) != EXO_OK)
        return st;
    t->follicles = (exo_follicle_mode)mode;
    t->film = (exo_film_mode)film;
    double side = fmax(t->size_x, t->size_y);
    if (side / t->voxel > TISSUE_MAX_SIDE + 1e-9 || fmin(t->size_x, t->size_y) < t->voxel) {
        const exo__node *v = exo__map_get(n, "voxel");
        exo__path_key(&w->path, "voxel");
        return exo__walk_error(w, v ? v : n, EXO_EINPUT,
                               "voxel %g um gives %.0f by %.0f voxel columns (expected 1 to %d along each "
                               "side of the block)",
                               t->voxel, floor(t->size_x / t->voxel + 1e-9), floor(t->size_y / t->voxel + 1e-9),
                               TISSUE_MAX_SIDE);
    }
    return EXO_OK;
}

static exo_status walk_simulation(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"duration", "dt_min", "dt_max", "dt_growth",
                                       "output_interval", "profile_times", "grid", "bottom",
                                       "fidelity", "tissue", NULL};
    static const char *const fidelities[] = {"column", "tissue"};
    static const char *const bottoms[] = {"zero_flux", "sink"};
    exo_status st = EXO_OK;
    exo_sim_cfg *sim = &cfg->sim;
    const exo__node *n = exo__map_get(root, "simulation"), *at = n ? n : root;
    size_t old = exo__path_key(&w->path, "simulation");
    int bottom = 0;

    /* default duration: 4 weeks past the last session, whole weeks */
    double last = 0.0;
    long total = 0;
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++) {
            const exo_event_cfg *ev = &cfg->arms[a].events[e];
            total += ev->n_times;
            if (total > EXO_INPUT_MAX_TOTAL_TIMES) {
                exo__path_pop(&w->path, old);
                exo__path_key(&w->path, "arms");
                return exo__walk_error(w, exo__map_get(root, "arms"), EXO_EINPUT,
                                       "%ld scheduled sessions in all arms (expected at most %d)", total,
                                       EXO_INPUT_MAX_TOTAL_TIMES);
            }
            if (ev->n_times > 0 && ev->times[ev->n_times - 1] > last)
                last = ev->times[ev->n_times - 1];
        }
    sim->duration = fmax(1.0, ceil((last + 4.0 * EXO_WEEK) / EXO_WEEK)) * EXO_WEEK;
    sim->output_interval = 6.0 * EXO_H;
    sim->dt_min = 10.0 * EXO_S;
    sim->dt_max = 2.0 * EXO_H;
    sim->dt_growth = 1.3;
    sim->h_surface = 0.5 * EXO_UM;
    sim->h_max = 25.0 * EXO_UM;
    sim->grid_growth = 1.15;
    sim->fidelity = EXO_FIDELITY_COLUMN;
    sim->tissue = (exo_tissue_cfg){400.0 * EXO_UM, 400.0 * EXO_UM, 10.0 * EXO_UM, EXO_FOLLICLES_EXPLICIT, EXO_FILM_MIXED};
    if (n) {
        EXO_TRY(exo__need_map(w, n, keys));
        EXO_TRY(exo__opt_qty(w, n, "duration", &exo__dim_time,
                             &(exo__range){0, DURATION_MAX, "d", EXO__LO_OPEN},
                             &sim->duration));
    }
    if (sim->duration > DURATION_MAX) {
        st = exo__walk_error(w, at, EXO_EINPUT, "the default duration %g h (4 weeks after the "
                                                "last session) is longer than 5 years "
                                                "(expected a shorter schedule)",
                             sim->duration);
        goto out;
    }
    if (n) {
        EXO_TRY(exo__opt_qty(w, n, "output_interval", &exo__dim_time,
                             &(exo__range){0, sim->duration, "h", EXO__LO_OPEN},
                             &sim->output_interval));
        EXO_TRY(exo__opt_qty(w, n, "dt_min", &exo__dim_time,
                             &(exo__range){0, 24, "h", EXO__LO_OPEN}, &sim->dt_min));
        EXO_TRY(exo__opt_qty(w, n, "dt_max", &exo__dim_time,
                             &(exo__range){0, EXO_WEEK, "h", EXO__LO_OPEN}, &sim->dt_max));
        EXO_TRY(exo__opt_number(w, n, "dt_growth", &(exo__range){1, 3, "1", EXO__LO_OPEN},
                                &sim->dt_growth));
        EXO_TRY(exo__opt_enum(w, n, "bottom", bottoms, 2, &bottom));
        int fid = (int)sim->fidelity;
        EXO_TRY(exo__opt_enum(w, n, "fidelity", fidelities, EXO_FIDELITY_COUNT, &fid));
        sim->fidelity = (exo_fidelity)fid;
        const exo__node *tn = exo__map_get(n, "tissue");
        if (tn) {
            size_t o2 = exo__path_key(&w->path, "tissue");
            if (sim->fidelity != EXO_FIDELITY_TISSUE) {
                st = exo__walk_error(w, tn, EXO_EINPUT, "a tissue block with fidelity column (expected "
                                                        "fidelity: tissue, or no tissue block)");
                goto out;
            }
            EXO_TRY(walk_tissue(w, tn, &sim->tissue));
            exo__path_pop(&w->path, o2);
        }
        const exo__node *g = exo__map_get(n, "grid");
        if (g) {
            size_t o2 = exo__path_key(&w->path, "grid");
            EXO_TRY(walk_grid(w, g, sim));
            exo__path_pop(&w->path, o2);
        }
        if (sim->dt_min > sim->dt_max) {
            const exo__node *d = exo__map_get(n, "dt_min");
            exo__path_key(&w->path, "dt_min");
            st = exo__walk_error(w, d ? d : n, EXO_EINPUT, "dt_min %g h is longer than dt_max "
                                                           "%g h (expected dt_min <= dt_max)",
                                 sim->dt_min, sim->dt_max);
            goto out;
        }
    }
    sim->bottom_sink = bottom == 1;
    const exo__node *pt = n ? exo__map_get(n, "profile_times") : NULL;
    if (pt) {
        size_t o2 = exo__path_key(&w->path, "profile_times");
        EXO_TRY(walk_profile_times(w, pt, sim));
        exo__path_pop(&w->path, o2);
    } else {
        EXO_TRY(default_profile_times(w, at, sim));
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- parameters -------------------------------------------------------- */

static exo_status walk_parameters(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    exo_status st = exo_paramset_defaults(w->u, &cfg->params);
    if (st != EXO_OK)
        return exo__input_error(w->ctx, st, root->src, 1, 1, "parameters",
                                "cannot convert the parameter defaults (expected a valid "
                                "parameter table)");
    const exo__node *n = exo__map_get(root, "parameters");
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "parameters");
    if (n->kind != EXO__NODE_MAP) {
        st = exo__walk_error(w, n, EXO_EINPUT, "found %s (expected a mapping of parameter keys "
                                               "to values with units)",
                             n->kind == EXO__NODE_SEQ ? "a list" : "a plain value");
        goto out;
    }
    for (int i = 0; i < n->n; i++) {
        const exo__pair *p = &n->pairs[i];
        exo_param_id id;
        const exo_param_info *row = exo_param_find(p->key, &id);
        size_t o2 = exo__path_key(&w->path, p->key);
        if (!row) {
            st = exo__walk_error_key(w, p, EXO_EINPUT, "unknown parameter (expected a key of the "
                                                       "parameter table; see 'exoskin params')");
            goto out;
        }
        bool plain = strcmp(row->internal, "1") == 0;
        char what[160];
        if (plain)
            snprintf(what, sizeof what, "a plain number such as '%g'", row->value);
        else
            snprintf(what, sizeof what, "a value with a unit such as '%g %s'", row->value,
                     row->unit);
        exo__dim d = {row->internal, what};
        exo__range r = {row->min, row->max, row->unit, 0};
        if (!plain && strcmp(row->unit, row->internal) != 0 &&
            (exo_units_convert(w->u, row->min, row->unit, row->internal, &r.lo) != EXO_OK ||
             exo_units_convert(w->u, row->max, row->unit, row->internal, &r.hi) != EXO_OK)) {
            st = exo__walk_error_key(w, p, EXO_EINVAL, "the table's unit '%s' does not convert "
                                                       "to '%s' (expected a valid table row)",
                                     row->unit, row->internal);
            goto out;
        }
        EXO_TRY(exo__get_qty(w, p->value, &d, &r, &cfg->params.v[id]));
        cfg->param_overridden[id] = true;
        exo__path_pop(&w->path, o2);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- study ------------------------------------------------------------- */

static exo_status find_arm(exo__walk *w, const exo_config *cfg, const exo__node *map,
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
                                       "threshold", "low", "high", NULL};
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
    if (e->arm < 0 || exo__map_get(n, "arm")) {
        exo__node *a;
        EXO_TRY(exo__need_key(w, n, "arm", "the name of an arm", &a));
        EXO_TRY(find_arm(w, cfg, n, "arm", &e->arm));
    }
    const exo__node *ref = exo__map_get(n, "reference_arm");
    bool single = e->compare == EXO_CMP_VALUE || e->compare == EXO_CMP_PERCENT_CHANGE;
    if (single && ref) {
        size_t old = exo__path_key(&w->path, "reference_arm");
        st = exo__walk_error(w, ref, EXO_EINPUT, "not used with compare: %s (expected "
                                                 "compare: ratio, difference or annual_loss)",
                             exo_compare_name(e->compare));
        exo__path_pop(&w->path, old);
        goto out;
    }
    if (!single) {
        exo__node *r;
        EXO_TRY(exo__need_key(w, n, "reference_arm", "the name of the arm compared against", &r));
        EXO_TRY(find_arm(w, cfg, n, "reference_arm", &e->reference_arm));
    }
    EXO_TRY(exo__opt_qty(w, n, "time", &exo__dim_time, &(exo__range){0, cfg->sim.duration, "h", 0},
                         &e->time));
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

static exo_status walk_study(exo__walk *w, const exo__node *root, exo_config *cfg)
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
        (st = exo__opt_qty(w, n, "mean", &dim_age, &adult, &t->age_mean)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "sd", &dim_age, &(exo__range){0.0, 50.0, "years", 0}, &t->age_sd)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "min", &dim_age, &adult, &t->age_min)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "max", &dim_age, &adult, &t->age_max)) != EXO_OK)
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
                                       "parameter_uncertainty", NULL};
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
    const exo__node *pt = exo__map_get(n, "phototypes");
    if (pt) {
        size_t o = exo__path_key(&w->path, "phototypes");
        EXO_TRY(exo__need_seq(w, pt, 1, 6));
        t->n_phototypes = pt->n;
        for (int i = 0; i < pt->n; i++) {
            size_t o2 = exo__path_index(&w->path, i);
            EXO_TRY(get_phototype(w, pt->items[i], &t->phototypes[i]));
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

static exo_status walk_trial(exo__walk *w, const exo__node *root, exo_config *cfg)
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
                          EXO_Q_SERIOUS_AE - EXO_Q_READOUT_FIRST, &q));
    t->endpoint = (exo_quantity)(EXO_Q_READOUT_FIRST + q);
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
                            EXO_Q_SERIOUS_AE - EXO_Q_READOUT_FIRST, &q)) != EXO_OK ||
        (st = exo__opt_number(w, n, "change", &(exo__range){-1.0, 10.0, "%", 0}, &a->threshold_change)) != EXO_OK)
        return st;
    a->threshold_readout = (exo_quantity)(EXO_Q_READOUT_FIRST + q);
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
    static const char *const keys[] = {"amount", "frequency", "routes", "origin_stated", "threshold", NULL};
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
    a->threshold_readout = (exo_quantity)(EXO_Q_READOUT_FIRST + 4); /* dermal_collagen */
    a->threshold_change = 0.01;
    EXO_TRY(get_amount(w, n, &a->amount));
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

static exo_status walk_optimize(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"endpoint", "goal", "variables", "max_sessions", "max_serious_risk",
                                       "max_cost", "cost_per_session", NULL};
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
    EXO_TRY(exo__need_key(w, n, "endpoint", "a readout such as dermal_collagen", &v));
    EXO_TRY(exo__opt_enum(w, n, "endpoint", exo__quantity_names + EXO_Q_READOUT_FIRST,
                          EXO_Q_SERIOUS_AE - EXO_Q_READOUT_FIRST, &q));
    o->endpoint = (exo_quantity)(EXO_Q_READOUT_FIRST + q);
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
    const exo__node *ms = exo__map_get(n, "max_sessions");
    if (ms) {
        long long m;
        o2 = exo__path_key(&w->path, "max_sessions");
        EXO_TRY(exo__get_int(w, ms, 1, EXO_INPUT_MAX_TIMES, &m));
        exo__path_pop(&w->path, o2);
        o->max_sessions = (int)m;
    }
    EXO_TRY(exo__opt_number(w, n, "max_serious_risk", &(exo__range){0.0, 1.0, "1", EXO__LO_OPEN},
                            &o->max_serious_risk));
    EXO_TRY(exo__opt_number(w, n, "max_cost", &(exo__range){0.0, 1e15, "1", EXO__LO_OPEN}, &o->max_cost));
    EXO_TRY(exo__opt_number(w, n, "cost_per_session", &(exo__range){0.0, 1e15, "1", 0}, &o->cost_per_session));
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
    EXO_TRY(find_arm(w, cfg, n, "arm", &s->best_arm));
    EXO_TRY(exo__opt_enum(w, n, "readout", exo__quantity_names + EXO_Q_READOUT_FIRST,
                          EXO_Q_SERIOUS_AE - EXO_Q_READOUT_FIRST, &q));
    if (r && cfg->trial.present && q != (int)cfg->trial.endpoint - EXO_Q_READOUT_FIRST) {
        size_t old = exo__path_key(&w->path, "readout");
        st = exo__walk_error(w, r, EXO_EINPUT, "a trial measures only its endpoint (expected %s)",
                             exo_quantity_name(cfg->trial.endpoint));
        exo__path_pop(&w->path, old);
        goto out;
    }
    s->readout = (exo_quantity)(EXO_Q_READOUT_FIRST + q);
    EXO_TRY(exo__opt_enum(w, n, "goal", goals, 2, &goal));
    s->decrease = goal == 1;
    EXO_TRY(exo__opt_number(w, n, "harm_weight", &(exo__range){0.0, 1e6, "1", 0}, &s->harm_weight));
out:
    return st;
}

static exo_status walk_sweep(exo__walk *w, const exo__node *root, exo_config *cfg)
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
    s->readout = cfg->trial.present ? cfg->trial.endpoint : (exo_quantity)(EXO_Q_READOUT_FIRST + 4);
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
    EXO_TRY(walk_skin(w, root, &cfg->skin));
    EXO_TRY(walk_products(w, root, cfg));
    EXO_TRY(walk_arms(w, root, cfg));
    EXO_TRY(walk_simulation(w, root, cfg));
    EXO_TRY(walk_parameters(w, root, cfg));
    EXO_TRY(walk_study(w, root, cfg));
    EXO_TRY(walk_trial(w, root, cfg));
    EXO_TRY(walk_audit(w, root, cfg));
    EXO_TRY(walk_optimize(w, root, cfg));
    EXO_TRY(walk_sweep(w, root, cfg));
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

/* Every value of the sweep block alone, applied to the input as an override,
 * must give a valid input: a bad value is reported where it was written
 * (combinations are checked by exo_sweep_run before any run). */
static exo_status check_sweep_values(exo_ctx *ctx, exo_units *u, const char *name, const char *text, size_t len,
                                     const exo_override *sets, int n_sets, const exo_sweep_cfg *s)
{
    exo_status st = EXO_OK;
    exo_override *all = exo_alloc(ctx, (size_t)n_sets + 1, sizeof *all);
    if (!all)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
    for (int i = 0; i < n_sets; i++)
        all[i] = sets[i];
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
