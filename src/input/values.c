/* values.c - typed readers for the schema walk: each takes one node of the
 * YAML tree and yields a number in internal units, an integer, a boolean, an
 * enumeration or a string, or leaves exactly one message on the context:
 *     FILE:LINE:COL: KEY: what is wrong (expected ...)
 * Units are checked for dimension and converted here (exo_units.h). */
#include "input/input_impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const exo__dim exo__dim_length = {"um", "a length such as '0.5 mm'"};
const exo__dim exo__dim_time = {"h", "a time such as '12 h' or '3 weeks'"};
const exo__dim exo__dim_area_density = {"1/um^2", "a number per area such as '150 1/cm^2'"};
const exo__dim exo__dim_conc = {"1/um^3", "a concentration such as '1e10 particles/mL'"};
const exo__dim exo__dim_volume = {"um^3", "a volume such as '0.05 mL'"};
const exo__dim exo__dim_fluence = {"J/m^2", "an energy per area such as '650 J/m^2' or '65 mJ/cm^2'"};
const exo__dim exo__dim_none = {"1", "a plain number such as '0.5'"};

static exo_status verror(exo__walk *w, const char *src, int line, int col, exo_status st,
                         const char *fmt, va_list ap)
{
    char msg[640];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return exo__input_error(w->ctx, st, src, line, col, w->path.s, "%s", msg);
}

exo_status exo__walk_error(exo__walk *w, const exo__node *at, exo_status st, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = verror(w, at->src, at->line, at->col, st, fmt, ap);
    va_end(ap);
    return st;
}

exo_status exo__walk_error_key(exo__walk *w, const exo__pair *at, exo_status st,
                               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = verror(w, at->src, at->line, at->col, st, fmt, ap);
    va_end(ap);
    return st;
}

static const char *kind_name(const exo__node *n)
{
    switch (n->kind) {
    case EXO__NODE_MAP:
        return "a mapping";
    case EXO__NODE_SEQ:
        return "a list";
    default:
        return "a plain value";
    }
}

/* "a, b, c" into buf. */
static const char *join(char *buf, size_t cap, const char *const *names, int count)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; (count < 0 ? names[i] != NULL : i < count) && n + 1 < cap; i++) {
        int k = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", names[i]);
        if (k < 0)
            break;
        n += (size_t)k;
    }
    return buf;
}

exo_status exo__need_map(exo__walk *w, const exo__node *n, const char *const *allowed)
{
    char keys[400];
    if (n->kind != EXO__NODE_MAP)
        return exo__walk_error(w, n, EXO_EINPUT, "found %s (expected a mapping with keys %s)",
                               kind_name(n), join(keys, sizeof keys, allowed, -1));
    for (int i = 0; i < n->n; i++) {
        const exo__pair *p = &n->pairs[i];
        bool known = false;
        for (int k = 0; allowed[k] && !known; k++)
            known = strcmp(allowed[k], p->key) == 0;
        if (!known) {
            size_t old = exo__path_key(&w->path, p->key);
            exo_status st = exo__walk_error_key(w, p, EXO_EINPUT, "unknown key (expected one of: %s)",
                                                join(keys, sizeof keys, allowed, -1));
            exo__path_pop(&w->path, old);
            return st;
        }
    }
    return EXO_OK;
}

exo_status exo__need_seq(exo__walk *w, const exo__node *n, int min, int max)
{
    if (n->kind != EXO__NODE_SEQ)
        return exo__walk_error(w, n, EXO_EINPUT, "found %s (expected a list of %d to %d items)",
                               kind_name(n), min, max);
    if (n->n < min || n->n > max)
        return exo__walk_error(w, n, EXO_EINPUT, "%d items (expected %d to %d)", n->n, min, max);
    return EXO_OK;
}

exo_status exo__need_key(exo__walk *w, const exo__node *map, const char *key,
                         const char *expected, exo__node **out)
{
    *out = exo__map_get(map, key);
    if (*out)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__walk_error(w, map, EXO_EINPUT, "missing required key (expected %s)",
                                    expected);
    exo__path_pop(&w->path, old);
    return st;
}

static exo_status need_scalar(exo__walk *w, const exo__node *n, const char *expected)
{
    if (n->kind != EXO__NODE_SCALAR)
        return exo__walk_error(w, n, EXO_EINPUT, "found %s (expected %s)", kind_name(n),
                               expected);
    return EXO_OK;
}

/* Why text is not a number, for the message. */
static const char *not_number(const char *text)
{
    const char *s = text;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        s++;
    if (strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, ".nan", 4) == 0)
        return "not a number (NaN)";
    if (strncasecmp(s, "inf", 3) == 0 || strncasecmp(s, ".inf", 4) == 0)
        return "not a finite number";
    if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1])))
        return "number out of range";
    if (*s == '\0')
        return "empty value";
    return "not a number";
}

/* Shows a value in `show` units for range messages. */
static double shown(exo__walk *w, double v, const exo__dim *d, const char *show)
{
    double out = v;
    if (show && *show && strcmp(show, d->unit) != 0 &&
        exo_units_convert(w->u, v, d->unit, show, &out) != EXO_OK)
        out = v;
    return out;
}

exo_status exo__check_range(exo__walk *w, const exo__node *n, const exo__dim *d,
                            const exo__range *r, double v)
{
    if (!r)
        return EXO_OK;
    bool lo_ok = (r->flags & EXO__LO_OPEN) ? v > r->lo : v >= r->lo;
    bool hi_ok = (r->flags & EXO__HI_OPEN) ? v < r->hi : v <= r->hi;
    if (lo_ok && hi_ok)
        return EXO_OK;
    const char *show = r->show ? r->show : d->unit;
    const char *sp = strcmp(show, "1") == 0 ? "" : " ";
    const char *su = strcmp(show, "1") == 0 ? "" : show;
    double lo = shown(w, r->lo, d, show), hi = shown(w, r->hi, d, show);
    char val[96];
    if (n->kind == EXO__NODE_SCALAR)
        exo__quote(val, sizeof val, n->text, 48);
    else
        snprintf(val, sizeof val, "%g", v);
    if (isinf(r->hi))
        return exo__walk_error(w, n, EXO_EINPUT, "'%s' is out of range (expected %s %g%s%s)",
                               val, (r->flags & EXO__LO_OPEN) ? "more than" : "at least", lo,
                               sp, su);
    return exo__walk_error(w, n, EXO_EINPUT, "'%s' is out of range (expected %s %g%s%s and %s "
                                             "%g%s%s)",
                           val, (r->flags & EXO__LO_OPEN) ? "more than" : "at least", lo, sp, su,
                           (r->flags & EXO__HI_OPEN) ? "less than" : "at most", hi, sp, su);
}

exo_status exo__get_qty(exo__walk *w, const exo__node *n, const exo__dim *d,
                        const exo__range *r, double *out)
{
    exo_status st;
    char val[96];
    bool unitless = strcmp(d->unit, "1") == 0;
    if ((st = need_scalar(w, n, d->what)) != EXO_OK)
        return st;
    double v;
    const char *unit;
    st = exo_units_split(n->text, &v, &unit, unitless);
    if (st != EXO_OK) {
        if (!unit)
            return exo__walk_error(w, n, EXO_EINPUT, "%s: '%s' (expected %s)",
                                   not_number(n->text), exo__quote(val, sizeof val, n->text, 48),
                                   d->what);
        return exo__walk_error(w, n, EXO_EUNIT, "missing unit in '%s' (expected %s)",
                               exo__quote(val, sizeof val, n->text, 48), d->what);
    }
    if (*unit == '\0')
        unit = "1";
    if (!exo_units_compatible(w->u, unit, unit)) /* parses at all? */
        return exo__walk_error(w, n, EXO_EUNIT, "unknown unit '%s' (expected %s)",
                               exo__quote(val, sizeof val, unit, 48), d->what);
    if (!exo_units_compatible(w->u, unit, d->unit))
        return exo__walk_error(w, n, EXO_EUNIT, "unit '%s' has the wrong dimension (expected %s)",
                               exo__quote(val, sizeof val, unit, 48), d->what);
    double x;
    if (exo_units_convert(w->u, v, unit, d->unit, &x) != EXO_OK)
        return exo__walk_error(w, n, EXO_EUNIT, "'%s' cannot be converted to %s (expected %s)",
                               exo__quote(val, sizeof val, n->text, 48), d->unit, d->what);
    if ((st = exo__check_range(w, n, d, r, x)) != EXO_OK)
        return st;
    *out = x;
    return EXO_OK;
}

exo_status exo__get_number(exo__walk *w, const exo__node *n, const exo__range *r, double *out)
{
    return exo__get_qty(w, n, &exo__dim_none, r, out);
}

exo_status exo__get_int(exo__walk *w, const exo__node *n, long long lo, long long hi,
                        long long *out)
{
    exo_status st;
    char val[96];
    if ((st = need_scalar(w, n, "a whole number")) != EXO_OK)
        return st;
    const char *s = n->text;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = s[i] != '\0';
    for (size_t k = i; s[k]; k++)
        digits = digits && isdigit((unsigned char)s[k]);
    errno = 0;
    long long v = digits ? strtoll(s, NULL, 10) : 0;
    if (!digits)
        return exo__walk_error(w, n, EXO_EINPUT, "'%s' is not a whole number (expected an "
                                                 "integer from %lld to %lld)",
                               exo__quote(val, sizeof val, s, 48), lo, hi);
    if (errno == ERANGE || v < lo || v > hi)
        return exo__walk_error(w, n, EXO_EINPUT, "'%s' is out of range (expected an integer "
                                                 "from %lld to %lld)",
                               exo__quote(val, sizeof val, s, 48), lo, hi);
    *out = v;
    return EXO_OK;
}

exo_status exo__get_bool(exo__walk *w, const exo__node *n, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off"};
    exo_status st;
    char val[96];
    if ((st = need_scalar(w, n, "true or false")) != EXO_OK)
        return st;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcmp(n->text, yes[i]) == 0) {
            *out = true;
            return EXO_OK;
        }
        if (strcmp(n->text, no[i]) == 0) {
            *out = false;
            return EXO_OK;
        }
    }
    return exo__walk_error(w, n, EXO_EINPUT, "'%s' is not a boolean (expected true or false)",
                           exo__quote(val, sizeof val, n->text, 48));
}

exo_status exo__get_enum(exo__walk *w, const exo__node *n, const char *const *names, int count,
                         int *out)
{
    exo_status st;
    char val[96], list[400];
    join(list, sizeof list, names, count);
    if ((st = need_scalar(w, n, list)) != EXO_OK)
        return st;
    for (int i = 0; i < count; i++) {
        if (strcmp(n->text, names[i]) == 0) {
            *out = i;
            return EXO_OK;
        }
    }
    return exo__walk_error(w, n, EXO_EINPUT, "unknown value '%s' (expected one of: %s)",
                           exo__quote(val, sizeof val, n->text, 48), list);
}

exo_status exo__get_string(exo__walk *w, const exo__node *n, char *dst, size_t cap)
{
    exo_status st;
    if ((st = need_scalar(w, n, "a string")) != EXO_OK)
        return st;
    size_t len = strlen(n->text);
    if (len == 0)
        return exo__walk_error(w, n, EXO_EINPUT, "empty string (expected a non-empty text)");
    if (len >= cap)
        return exo__walk_error(w, n, EXO_EINPUT, "too long: %zu bytes (expected at most %zu)",
                               len, cap - 1);
    memcpy(dst, n->text, len + 1);
    return EXO_OK;
}

/* ---- optional keys ----------------------------------------------------- */

exo_status exo__opt_qty(exo__walk *w, const exo__node *map, const char *key, const exo__dim *d,
                        const exo__range *r, double *out)
{
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__get_qty(w, n, d, r, out);
    exo__path_pop(&w->path, old);
    return st;
}

exo_status exo__opt_number(exo__walk *w, const exo__node *map, const char *key,
                           const exo__range *r, double *out)
{
    return exo__opt_qty(w, map, key, &exo__dim_none, r, out);
}

exo_status exo__opt_bool(exo__walk *w, const exo__node *map, const char *key, bool *out)
{
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__get_bool(w, n, out);
    exo__path_pop(&w->path, old);
    return st;
}

exo_status exo__opt_int(exo__walk *w, const exo__node *map, const char *key, long long lo, long long hi, int *out)
{
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    long long v;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__get_int(w, n, lo, hi, &v);
    exo__path_pop(&w->path, old);
    if (st == EXO_OK)
        *out = (int)v;
    return st;
}

exo_status exo__opt_enum(exo__walk *w, const exo__node *map, const char *key,
                         const char *const *names, int count, int *out)
{
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__get_enum(w, n, names, count, out);
    exo__path_pop(&w->path, old);
    return st;
}

exo_status exo__opt_string(exo__walk *w, const exo__node *map, const char *key, char *dst,
                           size_t cap)
{
    const exo__node *n = exo__map_get(map, key);
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, key);
    exo_status st = exo__get_string(w, n, dst, cap);
    exo__path_pop(&w->path, old);
    return st;
}
