/* load_skin.c - the schema walk of the subject and what is applied: the
 * `skin` block (region, age, sex, phototype and the layer presets) and the
 * `products` list (origin, size, cargo, vehicle).  Called from walk_top
 * (load.c); same rules as load.c. */
#include "input/input_impl.h"

#include <string.h>

/* ---- skin -------------------------------------------------------------- */

/* Layer presets per region [um].  Sources and reasoning: docs/config.md. */
static const double preset_h_sc[EXO_REGION_COUNT] = {13.0, 15.0, 10.0, 15.0, 15.0};
static const double preset_h_ve[EXO_REGION_COUNT] = {55.0, 55.0, 40.0, 60.0, 60.0};
static const double preset_h_pap[EXO_REGION_COUNT] = {200.0, 200.0, 100.0, 200.0, 150.0};
static const double preset_h_total[EXO_REGION_COUNT][EXO_SEX_COUNT] = {
    {1900.0, 2300.0}, {2000.0, 2450.0}, {1250.0, 1500.0}, {2000.0, 2400.0}, {1100.0, 1300.0}};
static const double preset_follicle[EXO_REGION_COUNT] = {0.0128, 0.005, 0.002, 0.008, 0.001};
/* Whole-skin thinning above 50 years [1/y] (estimate, Meng 2022 trend). */
#define THINNING_PER_YEAR 0.005
#define THINNING_FROM_AGE 50.0

const exo__dim exo__dim_age = {"year", "an age such as '45 years'"};
/* A UV dose per time in MED of the skin's phototype (MED is a count). */
static const exo__dim dim_uv_rate = {"1/h", "a daily UV dose such as '0.3 MED/day'"};

double exo__skin_thickness_preset(exo_region region, exo_sex sex, double age)
{
    double h = preset_h_total[region][sex];
    if (age > THINNING_FROM_AGE)
        h *= 1.0 - THINNING_PER_YEAR * (age - THINNING_FROM_AGE);
    return h;
}

exo_status exo__get_phototype(exo__walk *w, const exo__node *n, int *out)
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

exo_status exo__walk_skin(exo__walk *w, const exo__node *root, exo_skin_cfg *skin)
{
    static const char *const keys[] = {
        "region", "age", "sex", "phototype", "condition", "stratum_corneum",
        "viable_epidermis", "papillary_dermis", "thickness", "follicle_area_fraction",
        "ambient_humidity", "ambient_uv", NULL};
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
        EXO_TRY(exo__opt_qty(w, n, "age", &exo__dim_age, &(exo__range){18.0, 100.0, "years", 0},
                             &skin->age));
        const exo__node *pt = exo__map_get(n, "phototype");
        if (pt) {
            size_t o2 = exo__path_key(&w->path, "phototype");
            EXO_TRY(exo__get_phototype(w, pt, &skin->phototype));
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
    skin->ambient_uv = 0.0;
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
        /* daily sun on the skin, as a mean rate from the start of the run
         * (estimate of the range: a sunny summer outdoors is a few MED a day) */
        EXO_TRY(exo__opt_qty(w, n, "ambient_uv", &dim_uv_rate, &(exo__range){0, 10.0 / EXO_DAY, "MED/day", 0},
                             &skin->ambient_uv));
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
        "cargo", "vehicle", "growth_factor", "spf", "tint", NULL};
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
    p->spf = 1.0; /* no UV filter */
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
            /* [0, 1e14 particles/mL]; 0 is the vehicle alone (placebo, saline,
             * plain moisturiser): its film and water, no vesicles */
            EXO_TRY(exo__opt_qty(w, n, "concentration", &exo__dim_conc,
                                 &(exo__range){0, 1e14 * EXO_PER_ML, "particles/mL", 0},
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
    /* what its film does while worn (docs/readouts.md): a UV filter of the
     * labelled SPF (1-100, the highest labelled SPF; EU labels stop at 50+),
     * and a tint that masks that share of the redness */
    EXO_TRY(exo__opt_number(w, n, "spf", &(exo__range){1, 100, "1", 0}, &p->spf));
    EXO_TRY(exo__opt_number(w, n, "tint", &(exo__range){0, 1, "1", 0}, &p->tint));
out:
    return st;
}

exo_status exo__walk_products(exo__walk *w, const exo__node *root, exo_config *cfg)
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
