/* units.c - the boundary between "value unit" text and the internal unit
 * system (um, h, particles): a thin wrapper around udunits2 that parses a
 * unit, checks its dimension against the expected internal unit and converts.
 * Everything inside the library sees internal units only (exo_units.h). */
#include <exoskin/exo_units.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udunits2.h>

struct exo_units {
    exo_ctx *ctx;       /* borrowed; must outlive the unit system */
    ut_system *sys;
};

/* Counts of things, dimensionless: vesicles, activity units, microneedle
 * channels, injection points.  "AU" is a symbol, the rest are names. */
static const char *const count_names[] = {
    "particle", "particles", "vesicle", "vesicles", "channel", "channels",
    "point", "points",
};

exo_status exo_units_create(exo_ctx *ctx, exo_units **out)
{
    *out = NULL;
    /* udunits2 prints parse and lookup problems to stderr by default; the
     * library never prints, so silence it.  This is a process-wide setting
     * of udunits2 (its only global), unavoidable and harmless to repeat. */
    ut_set_error_message_handler(ut_ignore);
    ut_system *sys = ut_read_xml(NULL);
    if (!sys)
        return exo_ctx_error(ctx, EXO_EIO,
                             "cannot read the udunits2 database (status %d; "
                             "set UDUNITS2_XML_PATH to udunits2.xml)",
                             (int)ut_get_status());
    ut_unit *one = ut_get_dimensionless_unit_one(sys);
    for (size_t i = 0; i < sizeof count_names / sizeof *count_names; i++) {
        if (ut_map_name_to_unit(count_names[i], UT_ASCII, one) != UT_SUCCESS)
            goto out_free_sys;
    }
    /* "MED": minimal erythema doses, a count of the skin's own dose */
    if (ut_map_symbol_to_unit("AU", UT_ASCII, one) != UT_SUCCESS ||
        ut_map_symbol_to_unit("MED", UT_ASCII, one) != UT_SUCCESS)
        goto out_free_sys;
    exo_units *u = exo_alloc(ctx, 1, sizeof *u);
    if (!u) {
        ut_free_system(sys);
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory creating the unit system");
    }
    u->ctx = ctx;
    u->sys = sys;
    *out = u;
    return EXO_OK;

out_free_sys:
    ut_free_system(sys);
    return exo_ctx_error(ctx, EXO_EIO, "cannot add the count units to udunits2");
}

void exo_units_destroy(exo_units **u)
{
    if (!u || !*u)
        return;
    ut_free_system((*u)->sys);
    exo_free((*u)->ctx, *u);
    *u = NULL;
}

/* ---- unit syntax ----------------------------------------------------------
 * udunits2 leaks the identifier its lexer copied when a unit string has a
 * syntax error after it ("1/.0longz"), found by fuzzing.  So only strings in
 * this subset of its grammar reach ut_parse; for them a failure can only be
 * an unknown name, which does not leak:
 *     product := power ( ('/' | '*' | '.' | ' ') power )*
 *     power   := factor ( ('^' | '**') [+-]? 1-2 digits )?
 *     factor  := NAME | NUMBER | '(' product ')'
 * NAME: ASCII letters, digits, '_', or the UTF-8 signs µ and °, not starting
 * with a digit; '%' alone.  NUMBER: digits [. digits] [e [+-] digits].
 * Offsets and time stamps ("h since 2000-01-01", "m @ 5") are thereby
 * refused as well. */

typedef struct {
    const char *s;
    int depth;
} scan;

static bool p_product(scan *c);

static size_t sign_len(const char *s)
{
    /* µ (C2 B5) and ° (C2 B0) are the only non-ASCII signs in units */
    if ((unsigned char)s[0] == 0xC2 && ((unsigned char)s[1] == 0xB5 || (unsigned char)s[1] == 0xB0))
        return 2;
    return 0;
}

static bool p_factor(scan *c)
{
    const char *s = c->s;
    if (*s == '(') {
        if (++c->depth > 8)
            return false;
        c->s = s + 1;
        while (*c->s == ' ')
            c->s++;
        if (!p_product(c))
            return false;
        while (*c->s == ' ')
            c->s++;
        if (*c->s != ')')
            return false;
        c->s++;
        c->depth--;
        return true;
    }
    if (isdigit((unsigned char)*s)) {
        const char *start = s;
        while (isdigit((unsigned char)*s))
            s++;
        if (*s == '.' && isdigit((unsigned char)s[1]))
            for (s++; isdigit((unsigned char)*s);)
                s++;
        if ((*s == 'e' || *s == 'E') &&
            (isdigit((unsigned char)s[1]) ||
             ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
            s += 2;
            while (isdigit((unsigned char)*s))
                s++;
        }
        if (s - start > 24)
            return false;
        c->s = s;
        return true;
    }
    if (*s == '%') {
        c->s = s + 1;
        return true;
    }
    if (!isalpha((unsigned char)*s) && *s != '_' && !sign_len(s))
        return false;
    for (;;) {
        size_t k = sign_len(s);
        if (k)
            s += k;
        else if (isalnum((unsigned char)*s) || *s == '_')
            s++;
        else
            break;
    }
    c->s = s;
    return true;
}

static bool p_power(scan *c)
{
    if (!p_factor(c))
        return false;
    const char *s = c->s;
    if (*s == '^' || (s[0] == '*' && s[1] == '*')) {
        s += *s == '^' ? 1 : 2;
        if (*s == '+' || *s == '-')
            s++;
        int digits = 0;
        while (isdigit((unsigned char)*s))
            s++, digits++;
        if (digits < 1 || digits > 2)
            return false;
        c->s = s;
    }
    return true;
}

static bool starts_factor(const char *s)
{
    return *s == '(' || *s == '%' || *s == '_' || isalnum((unsigned char)*s) || sign_len(s);
}

static bool p_product(scan *c)
{
    if (!p_power(c))
        return false;
    for (;;) {
        const char *save = c->s;
        while (*c->s == ' ')
            c->s++;
        if ((*c->s == '/' || *c->s == '*' || *c->s == '.') && c->s[1] != '*') {
            c->s++;
            while (*c->s == ' ')
                c->s++;
            if (!p_power(c))
                return false;
        } else if (c->s != save && starts_factor(c->s)) {
            if (!p_power(c))
                return false;
        } else {
            c->s = save;
            return true;
        }
    }
}

static bool unit_syntax_ok(const char *text)
{
    scan c = {text, 0};
    return p_product(&c) && *c.s == '\0';
}

/* Parses a unit string without leading or trailing blanks (udunits2 rejects
 * them); NULL if it cannot be parsed. */
static ut_unit *parse_unit(const exo_units *u, const char *text)
{
    char buf[256];
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    /* "150 /cm^2" reads as "150 1/cm^2" */
    size_t k = text[0] == '/' ? 1 : 0;
    if (n == 0 || n + k >= sizeof buf)
        return NULL;
    buf[0] = '1';
    memcpy(buf + k, text, n);
    buf[n + k] = '\0';
    if (!unit_syntax_ok(buf))
        return NULL;
    return ut_parse(u->sys, buf, UT_UTF8);
}

/* The true factors between the units people write (mL, um^3, s, h, cm^2)
 * are decimal numbers or ratios of them, but udunits2 composes converters
 * through SI and leaves last-bit errors (1 mL -> 1.0000000000000002e12 um^3).
 * Snap a factor to 12 significant digits when that moves it by less than
 * 1e-14, so that "3 weeks" is exactly 504 h and "0.05 mL" exactly 5e10 um^3. */
static bool snap(double f, double *out)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.11e", f);
    double s = strtod(buf, NULL);
    if (s != 0.0 && fabs(s - f) <= 1e-14 * fabs(s)) {
        *out = s;
        return true;
    }
    return false;
}

/* Applies a linear converter as value*f or value/g, whichever factor is a
 * clean decimal, so results are correctly rounded (30 min -> 0.5 h). */
static double apply(cv_converter *cv, double value)
{
    double f = cv_convert_double(cv, 1.0);
    if (cv_convert_double(cv, 0.0) != 0.0 || !isfinite(f) || f == 0.0)
        return cv_convert_double(cv, value); /* an offset unit (degC) */
    double s;
    if (f >= 1.0 && snap(f, &s))
        return value * s;
    if (f < 1.0 && snap(1.0 / f, &s))
        return value / s;
    if (snap(f, &s))
        return value * s;
    return cv_convert_double(cv, value);
}

exo_status exo_units_convert(exo_units *u, double value, const char *from, const char *to,
                             double *out)
{
    exo_status st = EXO_OK;
    ut_unit *uf = NULL, *ut = NULL;
    if (!isfinite(value))
        return exo_ctx_error(u->ctx, EXO_EUNIT, "value is not a finite number");
    if (strcmp(from, to) == 0) {
        *out = value; /* already internal: exact */
        return EXO_OK;
    }
    uf = parse_unit(u, from);
    if (!uf) {
        st = exo_ctx_error(u->ctx, EXO_EUNIT, "cannot parse unit '%.64s'", from);
        goto out;
    }
    ut = parse_unit(u, to);
    if (!ut) {
        st = exo_ctx_error(u->ctx, EXO_EINVAL, "cannot parse target unit '%.64s'", to);
        goto out;
    }
    if (!ut_are_convertible(uf, ut)) {
        st = exo_ctx_error(u->ctx, EXO_EUNIT, "unit '%.64s' does not convert to '%.64s'",
                           from, to);
        goto out;
    }
    cv_converter *cv = ut_get_converter(uf, ut);
    if (!cv) {
        st = exo_ctx_error(u->ctx, EXO_EUNIT, "no converter from '%.64s' to '%.64s'", from, to);
        goto out;
    }
    double r = apply(cv, value);
    cv_free(cv);
    if (!isfinite(r)) {
        st = exo_ctx_error(u->ctx, EXO_EUNIT, "'%g %.64s' overflows in '%.64s'", value, from, to);
        goto out;
    }
    *out = r;
out:
    ut_free(ut);
    ut_free(uf);
    return st;
}

/* A decimal number: [+-] digits [. digits] [e [+-] digits], or [+-] . digits.
 * Returns the length of the longest such prefix, 0 if none.  No hex, no
 * "nan"/"inf": strtod alone would accept those. */
static size_t scan_number(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (isdigit((unsigned char)s[i]))
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

exo_status exo_units_split(const char *text, double *value, const char **unit_start,
                           bool allow_unitless)
{
    *unit_start = NULL;
    const char *s = text;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = scan_number(s);
    char buf[128];
    if (n == 0 || n >= sizeof buf)
        return EXO_EUNIT; /* no number: *unit_start stays NULL */
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return EXO_EUNIT; /* overflow: no usable number */
    const char *rest = s + n;
    while (isspace((unsigned char)*rest))
        rest++;
    *value = v;
    *unit_start = rest;
    if (*rest == '\0' && !allow_unitless)
        return EXO_EUNIT; /* number without unit */
    return EXO_OK;
}

exo_status exo_units_parse(exo_units *u, const char *text, const char *to, double *out)
{
    double v;
    const char *unit;
    bool unitless = strcmp(to, "1") == 0;
    exo_status st = exo_units_split(text, &v, &unit, unitless);
    if (st != EXO_OK) {
        if (!unit)
            return exo_ctx_error(u->ctx, st, "'%.64s' does not start with a number", text);
        return exo_ctx_error(u->ctx, st, "'%.64s' has no unit (expected '%s')", text, to);
    }
    if (*unit == '\0')
        unit = "1";
    return exo_units_convert(u, v, unit, to, out);
}

bool exo_units_compatible(exo_units *u, const char *from, const char *to)
{
    ut_unit *uf = parse_unit(u, from);
    ut_unit *ut = uf ? parse_unit(u, to) : NULL;
    bool ok = uf && ut && ut_are_convertible(uf, ut);
    ut_free(ut);
    ut_free(uf);
    return ok;
}
