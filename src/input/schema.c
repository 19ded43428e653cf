/* schema.c - the JSON Schema (draft-07) of scenario files
 * (exo_config_schema, `exoskin schema`, docs/config.md "Editors"): made from
 * the tables the loader reads, the routes' key rows (src/protocol: unit,
 * range, default, source), the parameter table (unit, range, description)
 * and the words of every enumeration (names.c, the readout list), plus the
 * keys of the other blocks as load_*.c read them.  A value with a unit is a
 * string whose pattern admits a number and the usual units of its
 * dimension, so an editor flags '1 kg' for an amount; the loader still has
 * the last word (it accepts every udunits2 spelling and checks ranges that
 * depend on other keys). */
#include "input/input_impl.h"
#include "protocol/protocol.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- values ------------------------------------------------------------ */

#define NUM "[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?"

/* The usual units of each internal unit's dimension, as a regex group. */
static const struct {
    const char *internal, *units, *what;
} dims[] = {
    {"um", "nm|um|µm|mm|cm|m", "a length"},
    {"h", "s|sec|min|minutes?|h|hr|hours?|d|days?|weeks?|months?|years?", "a time"},
    {"year", "years?|yr|months?", "an age"},
    {"1/um^2", "(1|particles|channels|points)? */ *(cm|mm|um|m)\\^2", "a number per area"},
    {"1/um^3", "(1|particles|vesicles)? */ *(mL|uL|µL|L|cm\\^3|mm\\^3|um\\^3)", "a concentration"},
    {"particles/um^3", "(1|particles|vesicles)? */ *(mL|uL|µL|L|cm\\^3|mm\\^3|um\\^3)", "a concentration"},
    {"um^3", "nL|uL|µL|mL|L|um\\^3|mm\\^3|cm\\^3", "a volume"},
    {"J/m^2", "(J|mJ|kJ) */ *(m|cm|mm)\\^2", "an energy per area"},
    {"film", "(mg|ug|µg) */ *cm\\^2|(uL|µL) */ *cm\\^2|nm|um|µm|mm", "an amount per area or a film thickness"},
    {"%", "%", "a percentage"},
    {"1/h", "(MED|1) */ *(h|hours?|d|days?|weeks?)", "a dose per time"},
};

static cJSON *obj(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    if (parent && key)
        cJSON_AddItemToObject(parent, key, o);
    return o;
}

static void describe(cJSON *o, const char *text)
{
    if (text && *text)
        cJSON_AddStringToObject(o, "description", text);
}

/* A quantity of internal unit `internal` under key in props (NULL: new
 * object returned). */
static cJSON *qty(cJSON *props, const char *key, const char *internal, const char *text)
{
    cJSON *o = obj(props, key);
    const char *units = NULL, *what = "a quantity";
    for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
        if (!strcmp(dims[i].internal, internal)) {
            units = dims[i].units;
            what = dims[i].what;
        }
    char pat[512];
    if (units) {
        snprintf(pat, sizeof pat, "^ *" NUM " *(%s) *$", units);
        cJSON_AddStringToObject(o, "type", "string");
        cJSON_AddStringToObject(o, "pattern", pat);
    } else { /* a parameter's own unit: a number and some unit */
        cJSON_AddStringToObject(o, "type", "string");
        cJSON_AddStringToObject(o, "pattern", "^ *" NUM " *[^ ].*$");
    }
    char d[1024];
    snprintf(d, sizeof d, "%s with its unit%s%s", what, text && *text ? ": " : "", text ? text : "");
    describe(o, d);
    return o;
}

/* A plain number in [lo, hi] (NaN: no bound), or the same as text with a
 * dimensionless unit: "%" where `percent`, else a count of the skin's own
 * dose ("2 MED") or arbitrary units ("AU"), which the loader reads as 1. */
static cJSON *number(cJSON *props, const char *key, double lo, double hi, bool percent, const char *text)
{
    cJSON *o = obj(props, key), *any = cJSON_AddArrayToObject(o, "anyOf"), *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "type", "number");
    if (!isnan(lo) && isfinite(lo))
        cJSON_AddNumberToObject(n, "minimum", lo);
    if (!isnan(hi) && isfinite(hi))
        cJSON_AddNumberToObject(n, "maximum", hi);
    cJSON_AddItemToArray(any, n);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "type", "string");
    cJSON_AddStringToObject(s, "pattern", percent ? "^ *" NUM " *%? *$" : "^ *" NUM " *(MED|AU)? *$");
    cJSON_AddItemToArray(any, s);
    describe(o, text);
    return o;
}

static cJSON *integer(cJSON *props, const char *key, double lo, double hi, const char *text)
{
    cJSON *o = obj(props, key);
    cJSON_AddStringToObject(o, "type", "integer");
    if (isfinite(lo))
        cJSON_AddNumberToObject(o, "minimum", lo);
    if (isfinite(hi))
        cJSON_AddNumberToObject(o, "maximum", hi);
    describe(o, text);
    return o;
}

static cJSON *words(cJSON *props, const char *key, const char *const *w, int n, const char *text)
{
    cJSON *o = obj(props, key), *e = cJSON_AddArrayToObject(o, "enum");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(e, cJSON_CreateString(w[i]));
    describe(o, text);
    return o;
}

static cJSON *typed(cJSON *props, const char *key, const char *type, const char *text)
{
    cJSON *o = obj(props, key);
    cJSON_AddStringToObject(o, "type", type);
    describe(o, text);
    return o;
}

/* An object with `props` and no other keys; required: NULL-terminated. */
static cJSON *closed(cJSON *o, const char *const *required)
{
    cJSON_AddStringToObject(o, "type", "object");
    cJSON_AddFalseToObject(o, "additionalProperties");
    if (required && *required) {
        cJSON *r = cJSON_AddArrayToObject(o, "required");
        for (; *required; required++)
            cJSON_AddItemToArray(r, cJSON_CreateString(*required));
    }
    return cJSON_AddObjectToObject(o, "properties");
}

/* ---- blocks ------------------------------------------------------------ */

static const char *const phototypes[] = {"I", "II", "III", "IV", "V", "VI"};

static void skin(cJSON *o)
{
    cJSON *p = closed(o, NULL);
    words(p, "region", exo__region_names, EXO_REGION_COUNT, "skin region (four facial, the volar forearm)");
    qty(p, "age", "year", "18-100 years");
    words(p, "sex", exo__sex_names, EXO_SEX_COUNT, NULL);
    words(p, "phototype", phototypes, 6, "Fitzpatrick phototype");
    words(p, "condition", exo__condition_names, EXO_COND_COUNT, NULL);
    qty(p, "stratum_corneum", "um", "thickness (default: by region and age)");
    qty(p, "viable_epidermis", "um", "thickness");
    qty(p, "papillary_dermis", "um", "thickness");
    qty(p, "thickness", "um", "total skin thickness");
    number(p, "follicle_area_fraction", 0, 1, false, "area fraction of follicle orifices");
    number(p, "ambient_humidity", 0, 1, false, "relative humidity of the air");
    qty(p, "ambient_uv", "1/h", "daily ambient UV on the skin, 0-10 MED/day (default 0: none)");
}

static void product(cJSON *o)
{
    static const char *const req[] = {"name", "origin", NULL};
    cJSON *p = closed(o, req);
    typed(p, "name", "string", "the name events refer to");
    words(p, "origin", exo__origin_names, EXO_ORIGIN_COUNT, "cell source of the vesicles");
    cJSON *sz = closed(obj(p, "size"), NULL);
    qty(sz, "mode", "um", "modal diameter, e.g. 120 nm");
    number(sz, "gsd", 1, 5, false, "geometric standard deviation of the log-normal size distribution");
    integer(sz, "bins", 1, 20, "size classes simulated");
    cJSON *c = obj(p, "concentration"), *any = cJSON_AddArrayToObject(c, "anyOf");
    cJSON_AddItemToArray(any, qty(NULL, NULL, "1/um^3", "e.g. 1e10 particles/mL"));
    cJSON *unknown = cJSON_CreateObject();
    cJSON_AddStringToObject(unknown, "const", "unknown");
    cJSON_AddItemToArray(any, unknown);
    describe(c, "vesicle concentration, or 'unknown' (a product that does not state it)");
    number(p, "functional_fraction", 0, 1, false, "share of the vesicles that are intact and active");
    number(p, "storage_loss", 0, 1, false, "share lost in storage before use");
    cJSON *cargo = closed(obj(p, "cargo"), NULL);
    for (int i = 0; i < EXO_CARGO_COUNT; i++)
        number(cargo, exo__cargo_names[i], 0, NAN, false, "relative cargo content");
    cJSON *v = obj(p, "vehicle"), *vany = cJSON_AddArrayToObject(v, "anyOf");
    cJSON_AddItemToArray(vany, words(NULL, NULL, exo__vehicle_names, EXO_VEHICLE_COUNT, NULL));
    cJSON *vo = cJSON_CreateObject(), *vp = closed(vo, NULL);
    words(vp, "kind", exo__vehicle_names, EXO_VEHICLE_COUNT, NULL);
    number(vp, "water_fraction", 0, 1, false, NULL);
    cJSON_AddItemToArray(vany, vo);
    describe(v, "the formulation: a kind, or {kind, water_fraction}");
    number(p, "growth_factor", 0, NAN, false, "growth-factor activity of the product");
    number(p, "spf", 1, 100, false, "labelled sun protection factor of the film (default 1: no UV filter)");
    number(p, "tint", 0, 1, true, "share of the redness the tinted film masks while worn (default 0)");
}

static cJSON *schedule(void)
{
    cJSON *o = cJSON_CreateObject(), *any = cJSON_AddArrayToObject(o, "anyOf");
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "type", "string");
    describe(s, "'once', 'at 3 days', 'twice daily for 2 weeks', 'every 2 days for 4 weeks starting at 1 week', "
                "'3 sessions 4 weeks apart'");
    cJSON_AddItemToArray(any, s);
    cJSON *m = cJSON_CreateObject(), *p = closed(m, NULL);
    qty(p, "start", "h", NULL);
    qty(p, "every", "h", NULL);
    integer(p, "count", 1, 10000, NULL);
    qty(p, "until", "h", NULL);
    cJSON *t = typed(p, "times", "array", NULL);
    cJSON_AddItemToObject(t, "items", qty(NULL, NULL, "h", NULL));
    cJSON_AddItemToArray(any, m);
    describe(o, "when the event happens (docs/config.md, schedules)");
    return o;
}

/* A route key's range and default in its display unit, and its source. */
static void key_text(exo_ctx *ctx, exo_units *u, const exo__route_key *k, char *buf, size_t cap)
{
    const char *show = k->show ? k->show : k->unit ? k->unit : "";
    double lo = k->lo, hi = k->hi, def = k->def;
    if (u && k->unit && k->show && strcmp(k->unit, k->show) != 0) {
        if (exo_units_convert(u, k->lo, k->unit, k->show, &lo) != EXO_OK ||
            exo_units_convert(u, k->hi, k->unit, k->show, &hi) != EXO_OK ||
            exo_units_convert(u, k->def, k->unit, k->show, &def) != EXO_OK) {
            exo_ctx_clear_error(ctx);
            show = k->unit;
            lo = k->lo, hi = k->hi, def = k->def;
        }
    }
    if (k->type == EXO__KEY_BOOL || k->type == EXO__KEY_PRODUCT || k->type == EXO__KEY_WORD)
        snprintf(buf, cap, "%s", k->source ? k->source : "");
    else if (k->type == EXO__KEY_FILM)
        snprintf(buf, cap, "%g-%g mg/cm^2 (or uL/cm^2, or a film thickness); %s", k->lo / 10, k->hi / 10,
                 k->source ? k->source : "");
    else
        snprintf(buf, cap, "%g-%g %s, default %g %s; %s", lo, hi, show, def, show, k->source ? k->source : "");
}

static void event(exo_ctx *ctx, exo_units *u, cJSON *all, const exo__route *r)
{
    cJSON *branch = cJSON_CreateObject(), *iff = obj(branch, "if"), *ip = cJSON_AddObjectToObject(iff, "properties");
    cJSON *ev = obj(ip, "event");
    cJSON_AddStringToObject(ev, "const", r->name);
    cJSON *then = obj(branch, "then"), *p = closed(then, NULL);
    obj(p, "event");
    cJSON_AddItemToObject(p, "schedule", schedule());
    for (int i = 0; i < r->n_keys; i++) {
        const exo__route_key *k = &r->keys[i];
        char text[1024];
        key_text(ctx, u, k, text, sizeof text);
        switch (k->type) {
        case EXO__KEY_PRODUCT:
            typed(p, k->key, "string", "the name of a product under 'products'");
            break;
        case EXO__KEY_QTY:
            qty(p, k->key, k->unit, text);
            break;
        case EXO__KEY_FILM:
            qty(p, k->key, "film", text);
            break;
        case EXO__KEY_NUMBER:
            number(p, k->key, k->lo, k->hi, false, text);
            break;
        case EXO__KEY_INT:
            integer(p, k->key, k->lo, k->hi, text);
            break;
        case EXO__KEY_BOOL:
            typed(p, k->key, "boolean", text);
            break;
        case EXO__KEY_WORD: {
            cJSON *o = obj(p, k->key), *e = cJSON_AddArrayToObject(o, "enum");
            char w[64];
            for (int v = 0; strcmp(exo__route_word(k, v, w, sizeof w), "?") != 0; v++)
                cJSON_AddItemToArray(e, cJSON_CreateString(w));
            describe(o, text);
            break;
        }
        }
    }
    cJSON_AddItemToArray(all, branch);
}

static void arms(exo_ctx *ctx, exo_units *u, cJSON *o)
{
    cJSON_AddStringToObject(o, "type", "array");
    cJSON *item = obj(o, "items");
    static const char *const req[] = {"name", NULL};
    cJSON *p = closed(item, req);
    typed(p, "name", "string", "the arm's name");
    skin(obj(p, "skin"));
    cJSON *proto = typed(p, "protocol", "array", "the events of this arm");
    cJSON *ev = obj(proto, "items");
    cJSON_AddStringToObject(ev, "type", "object");
    cJSON *r = cJSON_AddArrayToObject(ev, "required");
    cJSON_AddItemToArray(r, cJSON_CreateString("event"));
    cJSON *names = cJSON_CreateArray();
    for (int k = 0; k < exo__route_count(); k++)
        cJSON_AddItemToArray(names, cJSON_CreateString(exo__route_get(k)->name));
    cJSON *ep = cJSON_AddObjectToObject(ev, "properties"), *e = obj(ep, "event");
    cJSON_AddItemToObject(e, "enum", names);
    describe(e, "the treatment route");
    cJSON *all = cJSON_AddArrayToObject(ev, "allOf");
    for (int k = 0; k < exo__route_count(); k++)
        event(ctx, u, all, exo__route_get(k));
}

static void simulation(cJSON *o)
{
    static const char *const fid[] = {"column", "tissue"}, *const bottom[] = {"zero_flux", "sink"};
    static const char *const fol[] = {"explicit", "spread", "none"}, *const film[] = {"mixed", "columns"};
    cJSON *p = closed(o, NULL);
    qty(p, "duration", "h", "length of the simulated course");
    qty(p, "output_interval", "h", "spacing of timeseries.csv rows");
    cJSON *pt = typed(p, "profile_times", "array", "times of the depth profiles");
    cJSON_AddItemToObject(pt, "items", qty(NULL, NULL, "h", NULL));
    qty(p, "dt_min", "h", NULL);
    qty(p, "dt_max", "h", NULL);
    number(p, "dt_growth", 1, 3, false, NULL);
    number(p, "rtol", 1e-10, 0.1, false, "relative tolerance of the biology (CVODE)");
    number(p, "atol", 1e-16, 0.01, false, "absolute tolerance of the biology (CVODE)");
    cJSON *g = closed(obj(p, "grid"), NULL);
    qty(g, "surface_cell", "um", "0.01-10 um");
    qty(g, "max_cell", "um", "1-200 um");
    number(g, "growth", 1.01, 2, false, NULL);
    words(p, "bottom", bottom, 2, "the lower boundary of the column");
    words(p, "fidelity", fid, 2, "column (1D) or tissue (3D block, docs/tissue.md)");
    cJSON *t = closed(obj(p, "tissue"), NULL);
    qty(t, "size", "um", "20-5000 um");
    qty(t, "size_x", "um", "20-5000 um");
    qty(t, "size_y", "um", "20-5000 um");
    qty(t, "voxel", "um", "1-100 um");
    words(t, "follicles", fol, 3, NULL);
    words(t, "film", film, 2, NULL);
}

static void parameters(cJSON *o)
{
    cJSON *p = closed(o, NULL);
    const exo_param_info *t = exo_param_table();
    for (int i = 0; i < EXO_P_COUNT; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s [%s], default %g, plausible %g-%g; %s", t[i].description, t[i].unit,
                 t[i].value, t[i].min, t[i].max, t[i].source);
        if (!strcmp(t[i].internal, "1"))
            number(p, t[i].key, NAN, NAN, false, text);
        else
            qty(p, t[i].key, t[i].internal, text);
    }
}

static void endpoint(cJSON *o)
{
    cJSON *p = closed(o, NULL);
    words(p, "quantity", exo__quantity_names, EXO_Q_COUNT, "what is compared");
    words(p, "compare", exo__compare_names, EXO_CMP_COUNT, NULL);
    typed(p, "arm", "string", NULL);
    typed(p, "reference_arm", "string", NULL);
    qty(p, "time", "h", NULL);
    qty(p, "reference_time", "h", NULL);
    number(p, "threshold", NAN, NAN, false, NULL);
    number(p, "low", NAN, NAN, false, NULL);
    number(p, "high", NAN, NAN, false, NULL);
}

static void study(cJSON *o)
{
    cJSON *p = closed(o, NULL);
    typed(p, "id", "string", NULL);
    typed(p, "level", "string", NULL);
    typed(p, "source", "string", "the publication");
    typed(p, "unit", "string", "the unit of the reported value, as the publication says it (free text)");
    number(p, "reported", NAN, NAN, false, NULL);
    endpoint(obj(p, "endpoint"));
    cJSON *c = typed(p, "checks", "array", NULL);
    endpoint(obj(c, "items"));
}

static void trial(cJSON *o)
{
    cJSON *p = closed(o, NULL);
    words(p, "design", exo__trial_design_names, EXO_TRIAL_DESIGN_COUNT, NULL);
    integer(p, "patients", 1, INFINITY, "patients per arm");
    cJSON *v = typed(p, "visits", "array", NULL);
    cJSON_AddItemToObject(v, "items", qty(NULL, NULL, "h", NULL));
    words(p, "endpoint", exo__quantity_names + EXO_Q_READOUT_FIRST, EXO_RD_COUNT, "a readout");
    number(p, "responder_threshold", NAN, NAN, true, "change from baseline that makes a responder");
    cJSON *pop = closed(obj(p, "population"), NULL);
    cJSON *age = closed(obj(pop, "age"), NULL);
    qty(age, "mean", "year", NULL);
    qty(age, "sd", "year", NULL);
    qty(age, "min", "year", NULL);
    qty(age, "max", "year", NULL);
    number(pop, "female_fraction", 0, 1, false, NULL);
    cJSON *ph = typed(pop, "phototypes", "array", NULL);
    cJSON_AddItemToObject(ph, "items", words(NULL, NULL, phototypes, 6, NULL));
    number(pop, "variability", 0, 1, false, NULL);
    number(pop, "parameter_uncertainty", 0, 1, false, NULL);
    typed(pop, "posterior", "boolean", "one draw of the calibrated posterior per trial (docs/trials.md)");
}

/* Blocks with keys of their own (audit, optimize, sweep): their keys and
 * types; docs/audit.md, docs/optimize.md and docs/sweeps.md say the rest. */
static void loose(cJSON *o, const char *text)
{
    cJSON_AddStringToObject(o, "type", "object");
    describe(o, text);
}

exo_status exo_config_schema(exo_ctx *ctx, exo_units *u, char **out)
{
    *out = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "schema: out of memory");
    cJSON_AddStringToObject(root, "$schema", "http://json-schema.org/draft-07/schema#");
    cJSON_AddStringToObject(root, "$id", "https://exoskin.invalid/schema/scenario-" EXO_VERSION_STRING ".json");
    cJSON_AddStringToObject(root, "title", "exoskin scenario " EXO_VERSION_STRING);
    describe(root, "A scenario file of exoskin (docs/config.md), made by 'exoskin schema' from the loader's tables.");
    static const char *const req[] = {"arms", NULL};
    cJSON *p = closed(root, req);
    typed(p, "name", "string", "the scenario's name");
    integer(p, "seed", 0, NAN, "seed of every random draw");
    skin(obj(p, "skin"));
    cJSON *prods = typed(p, "products", "array", "the products events apply");
    product(obj(prods, "items"));
    arms(ctx, u, obj(p, "arms"));
    simulation(obj(p, "simulation"));
    parameters(obj(p, "parameters"));
    study(obj(p, "study"));
    trial(obj(p, "trial"));
    loose(obj(p, "audit"), "a label audit (docs/audit.md)");
    loose(obj(p, "optimize"), "a protocol optimisation (docs/optimize.md)");
    loose(obj(p, "sweep"), "a parameter sweep (docs/sweeps.md)");
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return exo_ctx_error(ctx, EXO_ENOMEM, "schema: out of memory");
    size_t n = strlen(text) + 2;
    *out = exo_alloc(ctx, n, 1);
    if (*out)
        snprintf(*out, n, "%s\n", text);
    cJSON_free(text);
    return *out ? EXO_OK : exo_ctx_error(ctx, EXO_ENOMEM, "schema: out of memory");
}
