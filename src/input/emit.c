/* emit.c - the effective configuration as YAML (exo_config_to_yaml): every
 * key with defaults filled in, each dimensional value in its internal unit
 * (um, h, 1/um^3 ...), numbers printed with the fewest digits that read back
 * to the same double, so that loading the text gives an identical config;
 * exo_config_to_yaml_display writes the same keys in the units people write
 * (the key tables' display units: mg/cm^2, particles/mL, mm, nm), wherever
 * that text loads back to the same double. */
#include "input/input_impl.h"
#include "protocol/protocol.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    exo_ctx *ctx;
    exo_units *u; /* borrowed; NULL: every value in its internal unit */
    char *s;
    size_t n, cap;
    bool failed;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = true;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? 2 * b->cap : 4096;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *s = exo_realloc(b->ctx, b->s, cap, 1);
        if (!s) {
            b->failed = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* Shortest of %.15g, %.16g, %.17g that reads back exactly. */
static const char *num(char *buf, size_t cap, double v)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, cap, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

static void put_num(text_buf *b, double v)
{
    char buf[40];
    put(b, "%s", num(buf, sizeof buf, v));
}

static void put_qty(text_buf *b, double v, const char *unit)
{
    char buf[40];
    put(b, "%s %s", num(buf, sizeof buf, v), unit);
}

/* The shorter of num() and the shortest exact "%.Ne" form with a bare
 * exponent ("1e10", "2.5e-5"), for values shown to people. */
static const char *num_short(char *buf, size_t cap, double v)
{
    num(buf, cap, v);
    char e[40], *o = e;
    for (int p = 0; p <= 16; p++) {
        snprintf(e, sizeof e, "%.*e", p, v);
        if (strtod(e, NULL) == v)
            break;
    }
    char *x = strchr(e, 'e'), out[40];
    if (!x)
        return buf;
    size_t m = (size_t)(x - e) + 1;
    memcpy(out, e, m);
    o = x + 1;
    if (*o == '+')
        o++;
    else if (*o == '-')
        out[m++] = *o++;
    while (*o == '0' && o[1])
        o++;
    snprintf(out + m, sizeof out - m, "%s", o);
    if (strlen(out) < strlen(buf) && strtod(out, NULL) == v)
        snprintf(buf, cap, "%s", out);
    return buf;
}

#define UM_PER_MG_CM2 10.0 /* [um per mg/cm^2] film of density 1 g/mL, as the loader reads it */

/* v [internal] in the display unit `show` when b has a unit system and the
 * text loads back to exactly v (the loader reads the number with strtod and
 * converts it with exo_units_convert; the converted value or one of its
 * neighbours a few ulps away is tried); in `internal` otherwise.  `film`:
 * a film thickness [um] shown as mass per area at 1 g/mL (the loader
 * multiplies by 10). */
static void put_shown(text_buf *b, double v, const char *internal, const char *show, bool film)
{
    double d = 0;
    if (b->u && show && strcmp(show, internal) != 0 && isfinite(v) &&
        (film ? (d = v / UM_PER_MG_CM2, true) : exo_units_convert(b->u, v, internal, show, &d) == EXO_OK)) {
        double up = d, down = d;
        for (int k = 0; k <= 8; k++) {
            double cand = k == 0 ? d : k % 2 ? (up = nextafter(up, INFINITY)) : (down = nextafter(down, -INFINITY));
            char buf[40];
            double x = strtod(num_short(buf, sizeof buf, cand), NULL), back = 0;
            bool same = film ? x * UM_PER_MG_CM2 == v
                             : exo_units_convert(b->u, x, show, internal, &back) == EXO_OK && back == v;
            if (same) {
                put(b, "%s %s", buf, show);
                return;
            }
        }
        exo_ctx_clear_error(b->ctx);
    }
    put_qty(b, v, internal);
}

/* A double-quoted YAML string: the loader reads back the same bytes. */
static void put_str(text_buf *b, const char *s)
{
    put(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            put(b, "\\x%02x", c);
        else if (c >= 0x80) {
            /* the loader accepted valid UTF-8 only; code points YAML does not
             * allow as printable text (C1 controls, BOM, U+FFFE/FFFF) are escaped */
            int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            unsigned cp = c & (len == 4 ? 0x07u : len == 3 ? 0x0fu : 0x1fu);
            int k = 1;
            for (; k < len && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
                cp = (cp << 6) | ((unsigned char)s[k] & 0x3fu);
            if (k < len) { /* not UTF-8 after all: escape the byte */
                put(b, "\\x%02x", c);
                continue;
            }
            if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
                put(b, "\\u%04x", cp);
            else
                put(b, "%.*s", len, s);
            s += len - 1;
        } else
            put(b, "%c", c);
    }
    put(b, "\"");
}

static void put_skin(text_buf *b, const exo_skin_cfg *s, const char *ind)
{
    static const char *const roman[] = {"?", "I", "II", "III", "IV", "V", "VI"};
    put(b, "%sskin:\n%s  region: %s\n%s  age: ", ind, ind, exo_region_name(s->region), ind);
    put_qty(b, s->age, "years");
    put(b, "\n%s  sex: %s\n%s  phototype: %s\n%s  condition: %s\n", ind, exo_sex_name(s->sex), ind,
        roman[(s->phototype >= 1 && s->phototype <= 6) ? s->phototype : 0], ind, exo_condition_name(s->condition));
    put(b, "%s  stratum_corneum: ", ind);
    put_qty(b, s->h_sc, "um");
    put(b, "\n%s  viable_epidermis: ", ind);
    put_qty(b, s->h_ve, "um");
    put(b, "\n%s  papillary_dermis: ", ind);
    put_qty(b, s->h_pap, "um");
    put(b, "\n%s  thickness: ", ind);
    put_qty(b, s->h_total, "um");
    put(b, "\n%s  follicle_area_fraction: ", ind);
    put_num(b, s->follicle_area_fraction);
    put(b, "\n%s  ambient_humidity: ", ind);
    put_num(b, s->ambient_rh);
    if (s->ambient_uv > 0) { /* absent: none (the default; inputs without it stay as they were) */
        put(b, "\n%s  ambient_uv: ", ind);
        put_shown(b, s->ambient_uv, "1/h", "MED/day", false);
    }
    put(b, "\n");
}

static void put_product(text_buf *b, const exo_product_cfg *p)
{
    put(b, "  - name: ");
    put_str(b, p->name);
    put(b, "\n    origin: %s\n    size: {mode: ", exo_origin_name(p->origin));
    put_shown(b, p->size_mode, "um", "nm", false);
    put(b, ", gsd: ");
    put_num(b, p->size_gsd);
    put(b, ", bins: %d}\n    concentration: ", p->size_bins);
    if (p->conc_known)
        put_shown(b, p->conc, "particles/um^3", "particles/mL", false);
    else
        put(b, "unknown");
    put(b, "\n    functional_fraction: ");
    put_num(b, p->functional_fraction);
    put(b, "\n    storage_loss: ");
    put_num(b, p->storage_loss);
    put(b, "\n    cargo: {");
    for (int c = 0; c < EXO_CARGO_COUNT; c++) {
        put(b, "%s%s: ", c ? ", " : "", exo_cargo_name((exo_cargo)c));
        put_num(b, p->cargo[c]);
    }
    put(b, "}\n    vehicle: {kind: %s, water_fraction: ", exo_vehicle_name(p->vehicle));
    put_num(b, p->water_fraction);
    put(b, "}\n    growth_factor: ");
    put_num(b, p->growth_factor);
    if (p->spf > 1) { /* absent: none (inputs without them stay as they were) */
        put(b, "\n    spf: ");
        put_num(b, p->spf);
    }
    if (p->tint > 0) {
        put(b, "\n    tint: ");
        put_num(b, p->tint);
    }
    put(b, "\n");
}

/* Evenly spaced schedules are written as {start, every, count} (so that a
 * sweep over schedule.every or schedule.count applies to the effective input
 * too, and so that what is printed loads back: 10,001 times written out would
 * exceed the 10,000 entries of a list): the loader recomputes start + k*every,
 * which this checks gives the same bits.  The loader's every is not always
 * times[1] - times[0] (5 h + 2 min is not exact in hours): the candidates are
 * that difference and the mean spacing, each with its neighbours a few ulps
 * away.  Returns the every that reproduces the times, or 0. */
static bool reproduces(const exo_event_cfg *e, double every)
{
    for (int k = 0; k < e->n_times; k++)
        if (e->times[k] != e->times[0] + (double)k * every)
            return false;
    return every > 0.0;
}

static double regular(const exo_event_cfg *e)
{
    if (e->n_times < 2)
        return 0.0;
    const double guess[2] = {e->times[1] - e->times[0],
                             (e->times[e->n_times - 1] - e->times[0]) / (e->n_times - 1)};
    for (int g = 0; g < 2; g++) {
        double lo = guess[g], hi = guess[g];
        if (reproduces(e, lo))
            return lo;
        for (int u = 0; u < 4; u++) {
            lo = nextafter(lo, 0.0);
            hi = nextafter(hi, INFINITY);
            if (reproduces(e, lo))
                return lo;
            if (reproduces(e, hi))
                return hi;
        }
    }
    return 0.0;
}

static void put_schedule(text_buf *b, const exo_event_cfg *e)
{
    put(b, "        schedule: {");
    double every = regular(e);
    if (every > 0.0) {
        put(b, "start: ");
        put_qty(b, e->times[0], "h");
        put(b, ", every: ");
        put_qty(b, every, "h");
        put(b, ", count: %d}\n", e->n_times);
        return;
    }
    put(b, "times: [");
    for (int k = 0; k < e->n_times; k++) {
        put(b, "%s", k ? ", " : "");
        put_qty(b, e->times[k], "h");
    }
    put(b, "]}\n");
}

static void put_field(text_buf *b, const exo__route_key *k, double v)
{
    put(b, "        %s: ", k->key);
    if (k->type == EXO__KEY_FILM)
        put_shown(b, v, "um", "mg/cm^2", true);
    else if (k->unit)
        put_shown(b, v, k->unit, k->show, false);
    else
        put_num(b, v);
    put(b, "\n");
}

static void put_event(text_buf *b, const exo_config *cfg, const exo_event_cfg *e)
{
    put(b, "      - event: %s\n", exo_event_name(e->kind));
    if (e->product >= 0 && e->product < cfg->n_products) {
        put(b, "        product: ");
        put_str(b, cfg->products[e->product].name);
        put(b, "\n");
    }
    const exo__route *r = exo__route_get((int)e->kind);
    for (int i = 0; r && i < r->n_keys; i++) {
        const exo__route_key *k = &r->keys[i];
        double v = exo__route_value(e, k);
        char word[64];
        if (k->type == EXO__KEY_INT)
            put(b, "        %s: %d\n", k->key, (int)v);
        else if (k->type == EXO__KEY_WORD)
            put(b, "        %s: %s\n", k->key, exo__route_word(k, (int)v, word, sizeof word));
        else if (k->type == EXO__KEY_BOOL)
            put(b, "        %s: %s\n", k->key, v != 0 ? "true" : "false");
        else if (k->type != EXO__KEY_PRODUCT) /* the product is written first */
            put_field(b, k, v);
    }
    put_schedule(b, e);
}

static void put_simulation(text_buf *b, const exo_sim_cfg *s)
{
    put(b, "simulation:\n  duration: ");
    put_qty(b, s->duration, "h");
    put(b, "\n  output_interval: ");
    put_qty(b, s->output_interval, "h");
    put(b, "\n  profile_times: [");
    for (int i = 0; i < s->n_profile_times; i++) {
        put(b, "%s", i ? ", " : "");
        put_qty(b, s->profile_times[i], "h");
    }
    put(b, "]\n  dt_min: ");
    put_qty(b, s->dt_min, "h");
    put(b, "\n  dt_max: ");
    put_qty(b, s->dt_max, "h");
    put(b, "\n  dt_growth: ");
    put_num(b, s->dt_growth);
    put(b, "\n  rtol: ");
    put_num(b, s->bio_rtol);
    put(b, "\n  atol: ");
    put_num(b, s->bio_atol);
    put(b, "\n  grid: {surface_cell: ");
    put_qty(b, s->h_surface, "um");
    put(b, ", max_cell: ");
    put_qty(b, s->h_max, "um");
    put(b, ", growth: ");
    put_num(b, s->grid_growth);
    put(b, "}\n  bottom: %s\n", s->bottom_sink ? "sink" : "zero_flux");
    if (s->fidelity == EXO_FIDELITY_TISSUE) {
        static const char *const follicles[] = {"explicit", "spread", "none"}, *const films[] = {"mixed", "columns"};
        put(b, "  fidelity: tissue\n  tissue: {size_x: ");
        put_qty(b, s->tissue.size_x, "um");
        put(b, ", size_y: ");
        put_qty(b, s->tissue.size_y, "um");
        put(b, ", voxel: ");
        put_qty(b, s->tissue.voxel, "um");
        put(b, ", follicles: %s, film: %s}\n", follicles[s->tissue.follicles], films[s->tissue.film]);
    }
}

static void put_parameters(text_buf *b, const exo_config *cfg)
{
    const exo_param_info *table = exo_param_table();
    bool any = false;
    for (int i = 0; i < EXO_P_COUNT; i++) {
        if (!cfg->param_overridden[i])
            continue;
        if (!any)
            put(b, "parameters:\n");
        any = true;
        put(b, "  %s: ", table[i].key);
        if (strcmp(table[i].internal, "1") == 0)
            put_num(b, cfg->params.v[i]);
        else
            put_shown(b, cfg->params.v[i], table[i].internal, table[i].unit, false);
        put(b, "\n");
    }
}

static void put_endpoint(text_buf *b, const exo_config *cfg, const exo_endpoint_cfg *e,
                         const char *indent)
{
    put(b, "quantity: %s\n%scompare: %s\n", exo_quantity_name(e->quantity), indent,
        exo_compare_name(e->compare));
    if (e->arm >= 0 && e->arm < cfg->n_arms) {
        put(b, "%sarm: ", indent);
        put_str(b, cfg->arms[e->arm].name);
        put(b, "\n");
    }
    if (e->reference_arm >= 0 && e->reference_arm < cfg->n_arms) {
        put(b, "%sreference_arm: ", indent);
        put_str(b, cfg->arms[e->reference_arm].name);
        put(b, "\n");
    }
    put(b, "%stime: ", indent);
    put_qty(b, e->time, "h");
    if (e->has_reference_time) {
        put(b, "\n%sreference_time: ", indent);
        put_qty(b, e->reference_time, "h");
    }
    put(b, "\n%sthreshold: ", indent);
    put_num(b, e->threshold);
    put(b, "\n%slow: ", indent);
    put_num(b, e->low);
    put(b, "\n%shigh: ", indent);
    put_num(b, e->high);
    put(b, "\n");
}

static void put_study(text_buf *b, const exo_config *cfg)
{
    const exo_study_cfg *s = &cfg->study;
    if (!s->present)
        return;
    put(b, "study:\n  id: ");
    put_str(b, s->id);
    put(b, "\n");
    const char *keys[] = {"level", "source", "unit"};
    const char *vals[] = {s->level, s->source, s->unit};
    for (int i = 0; i < 3; i++) {
        if (vals[i][0]) {
            put(b, "  %s: ", keys[i]);
            put_str(b, vals[i]);
            put(b, "\n");
        }
    }
    put(b, "  reported: ");
    put_num(b, s->reported);
    put(b, "\n  endpoint:\n    ");
    put_endpoint(b, cfg, &s->endpoint, "    ");
    if (s->n_checks > 0) {
        put(b, "  checks:\n");
        for (int i = 0; i < s->n_checks; i++) {
            put(b, "    - ");
            put_endpoint(b, cfg, &s->checks[i], "      ");
        }
    }
}

static void put_trial(text_buf *b, const exo_trial_cfg *t)
{
    static const char *const roman[] = {"?", "I", "II", "III", "IV", "V", "VI"};
    if (!t->present)
        return;
    put(b, "trial:\n  design: %s\n  patients: %d\n  visits: [", exo_trial_design_name(t->design), t->patients);
    for (int i = 0; i < t->n_visits; i++) {
        put(b, i ? ", " : "");
        put_qty(b, t->visits[i], "h");
    }
    put(b, "]\n  endpoint: %s\n  responder_threshold: ", exo_quantity_name(t->endpoint));
    put_num(b, t->responder_threshold);
    put(b, "\n  population:\n    age:\n      mean: ");
    put_qty(b, t->age_mean, "years");
    put(b, "\n      sd: ");
    put_qty(b, t->age_sd, "years");
    put(b, "\n      min: ");
    put_qty(b, t->age_min, "years");
    put(b, "\n      max: ");
    put_qty(b, t->age_max, "years");
    put(b, "\n    female_fraction: ");
    put_num(b, t->female_fraction);
    put(b, "\n    phototypes: [");
    for (int i = 0; i < t->n_phototypes; i++)
        put(b, "%s%s", i ? ", " : "",
            roman[(t->phototypes[i] >= 1 && t->phototypes[i] <= 6) ? t->phototypes[i] : 0]);
    put(b, "]\n    variability: ");
    put_num(b, t->variability);
    put(b, "\n    parameter_uncertainty: ");
    put_num(b, t->parameter_uncertainty);
    put(b, "\n    posterior: %s\n", t->posterior ? "true" : "false");
}

static void put_audit(text_buf *b, const exo_audit_cfg *a)
{
    if (!a->present)
        return;
    put(b, "audit:\n  amount: ");
    put_shown(b, a->amount, "um", "mg/cm^2", true);
    put(b, "\n  frequency: ");
    put_str(b, a->frequency);
    put(b, "\n  routes: [");
    for (int r = 0, k = 0; r < EXO_AUDIT_ROUTE_COUNT; r++)
        if (a->routes[r])
            put(b, "%s%s", k++ ? ", " : "", exo_audit_route_name((exo_audit_route)r));
    put(b, "]\n  origin_stated: %s\n  threshold:\n    readout: %s\n    change: ", a->origin_stated ? "true" : "false",
        exo_quantity_name(a->threshold_readout));
    put_num(b, a->threshold_change);
    put(b, "\n  draws: %d\n", a->draws);
}

static void put_opt_value(text_buf *b, double v, const char *unit)
{
    char buf[40], text[40 + EXO_NAME_MAX];
    snprintf(text, sizeof text, "%s%s%s", num(buf, sizeof buf, v), unit[0] ? " " : "", unit);
    put_str(b, text);
}

static void put_optimize(text_buf *b, const exo_optimize_cfg *o)
{
    if (!o->present)
        return;
    put(b, "optimize:\n  endpoint: %s\n  goal: %s\n  variables:\n", exo_quantity_name(o->endpoint),
        o->decrease ? "decrease" : "increase");
    for (int i = 0; i < o->n_vars; i++) {
        const exo_optimize_var *v = &o->vars[i];
        put(b, "    - key: ");
        put_str(b, v->key);
        if (v->discrete) {
            put(b, "\n      choices: [");
            for (int c = 0; c < v->n_choices; c++) {
                put(b, c ? ", " : "");
                put_str(b, v->choices[c]);
            }
            put(b, "]\n");
        } else {
            put(b, "\n      min: ");
            put_opt_value(b, v->min, v->unit);
            put(b, "\n      max: ");
            put_opt_value(b, v->max, v->unit);
            put(b, "\n      scale: %s\n", v->log_scale ? "log" : "linear");
        }
    }
    if (o->max_sessions > 0)
        put(b, "  max_sessions: %d\n", o->max_sessions);
    put(b, "  max_serious_risk: ");
    put_num(b, o->max_serious_risk);
    put(b, "\n  draws: %d\n  credibility: ", o->draws);
    put_num(b, o->credibility);
    put(b, "\n");
    if (o->max_cost > 0) {
        put(b, "  max_cost: ");
        put_num(b, o->max_cost);
        put(b, "\n");
    }
    if (o->max_cost > 0 || o->cost_per_session > 0) {
        put(b, "  cost_per_session: ");
        put_num(b, o->cost_per_session);
        put(b, "\n");
    }
}

static void put_sweep(text_buf *b, const exo_config *cfg)
{
    const exo_sweep_cfg *s = &cfg->sweep;
    if (!s->present)
        return;
    put(b, "sweep:\n  variables:\n");
    for (int i = 0; i < s->n_vars; i++) {
        const exo_sweep_var *v = &s->vars[i];
        put(b, "    - key: ");
        put_str(b, v->key);
        if (v->range) {
            put(b, "\n      from: ");
            put_opt_value(b, v->from, v->unit);
            put(b, "\n      to: ");
            put_opt_value(b, v->to, v->unit);
            put(b, "\n      steps: %d\n      scale: %s\n", v->n_values, v->log_scale ? "log" : "linear");
        } else {
            put(b, "\n      values: [");
            for (int j = 0; j < v->n_values; j++) {
                put(b, j ? ", " : "");
                put_str(b, v->values[j].text);
            }
            put(b, "]\n");
        }
    }
    put(b, "  best:\n    arm: ");
    put_str(b, s->best_arm >= 0 && s->best_arm < cfg->n_arms ? cfg->arms[s->best_arm].name : "?");
    put(b, "\n    readout: %s\n    goal: %s\n    harm_weight: ", exo_quantity_name(s->readout),
        s->decrease ? "decrease" : "increase");
    put_num(b, s->harm_weight);
    put(b, "\n");
}

static exo_status to_yaml(exo_ctx *ctx, exo_units *u, const exo_config *cfg, char **out)
{
    text_buf b = {.ctx = ctx, .u = u};
    *out = NULL;
    put(&b, "# effective configuration (exoskin %s): every key, values in %s units\n", EXO_VERSION_STRING,
        u ? "display" : "internal");
    if (cfg->name[0]) {
        put(&b, "name: ");
        put_str(&b, cfg->name);
        put(&b, "\n");
    }
    put(&b, "seed: %llu\n", (unsigned long long)cfg->seed);
    put_skin(&b, &cfg->skin, "");
    if (cfg->n_products > 0) {
        put(&b, "products:\n");
        for (int i = 0; i < cfg->n_products; i++)
            put_product(&b, &cfg->products[i]);
    }
    put(&b, "arms:\n");
    for (int a = 0; a < cfg->n_arms; a++) {
        put(&b, "  - name: ");
        put_str(&b, cfg->arms[a].name);
        put(&b, "\n");
        if (cfg->arms[a].has_skin)
            put_skin(&b, &cfg->arms[a].skin, "    ");
        put(&b, cfg->arms[a].n_events ? "    protocol:\n" : "    protocol: []\n");
        for (int e = 0; e < cfg->arms[a].n_events; e++)
            put_event(&b, cfg, &cfg->arms[a].events[e]);
    }
    put_simulation(&b, &cfg->sim);
    put_parameters(&b, cfg);
    put_study(&b, cfg);
    put_trial(&b, &cfg->trial);
    put_audit(&b, &cfg->audit);
    put_optimize(&b, &cfg->optimize);
    put_sweep(&b, cfg);
    if (b.failed) {
        exo_free(ctx, b.s);
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory writing the configuration");
    }
    *out = b.s;
    return EXO_OK;
}

exo_status exo_config_to_yaml(exo_ctx *ctx, const exo_config *cfg, char **out)
{
    return to_yaml(ctx, NULL, cfg, out);
}

exo_status exo_config_to_yaml_display(exo_ctx *ctx, exo_units *u, const exo_config *cfg, char **out)
{
    return to_yaml(ctx, u, cfg, out);
}
