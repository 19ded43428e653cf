/* html.c - the page machinery shared by every report.html (html.h): text
 * buffer, escaping, number formats, inline SVG figures with PNG copies,
 * page head and navigation, provenance, and the report language. */
#include "report/html.h"
#include "report/plot.h"

#include <exoskin/exo_input.h> /* the effective input in the units people write */
#include <exoskin/exo_run.h>   /* exo_git_revision */
#include <exoskin/exo_units.h>

#include <cairo-svg.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The installed catalogs (cmake --install) and the build tree's copy, which
 * a build that was not installed uses. */
#ifndef EXO_LOCALEDIR
#define EXO_LOCALEDIR "/usr/share/locale"
#endif
#ifndef EXO_BUILD_LOCALEDIR
#define EXO_BUILD_LOCALEDIR ""
#endif

void exo__html_putn(exo__html *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = exo_realloc(b->ctx, b->s, cap, 1);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void exo__html_put(exo__html *b, const char *s) { exo__html_putn(b, s, strlen(s)); }

void exo__html_printf(exo__html *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        exo__html_putn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The one escaping rule of every report.html: the entity that stands for c,
 * or NULL where c stands for itself.  Every string from the input (names of
 * the scenario, arms and products, keys, values, labels) reaches a page
 * through it, by exo__html_esc (into the page) or exo__html_esc_str (into a
 * buffer, for a format), so that no input can open a tag or an attribute. */
static const char *esc_entity(char c)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void exo__html_esc(exo__html *b, const char *s)
{
    for (; s && *s; s++) {
        const char *e = esc_entity(*s);
        if (e)
            exo__html_put(b, e);
        else
            exo__html_putn(b, s, 1);
    }
}

const char *exo__html_esc_str(const char *s, char *buf, size_t cap)
{
    size_t len = 0;
    for (; s && *s; s++) {
        const char *e = esc_entity(*s);
        size_t n = e ? strlen(e) : 1;
        if (len + n + 1 > cap)
            break; /* never half an entity */
        memcpy(buf + len, e ? e : s, n);
        len += n;
    }
    if (cap)
        buf[len] = '\0';
    return buf;
}

void exo__html_name(exo__html *b, const char *s)
{
    for (; s && *s; s++)
        if (*s == '_')
            exo__html_put(b, " ");
        else
            exo__html_esc(b, (char[2]){*s, 0});
}

/* Superscript digits (UTF-8). */
static const char *const sup[10] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                    "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};

const char *exo__text_pow10(int e, char *buf, size_t cap)
{
    char d[16];
    snprintf(d, sizeof d, "%d", abs(e));
    snprintf(buf, cap, "10%s", e < 0 ? "\u207b" : "");
    for (const char *c = d; *c; c++)
        strncat(buf, sup[*c - '0'], cap - strlen(buf) - 1);
    return buf;
}

/* v as 3 significant digits, fixed under 10^4 (and from 10^-2), else as
 * a multiple of a power of ten: mantissa into *m and the exponent returned,
 * or INT_MIN for the fixed form. */
static int sci_parts(double v, double *m)
{
    int e = v == 0 || !isfinite(v) ? 0 : (int)floor(log10(fabs(v)));
    *m = v;
    if (v == 0 || !isfinite(v) || (e >= -2 && e <= 3))
        return INT_MIN;
    char t[32];
    *m = v / pow(10, e);
    if (fabs(strtod((snprintf(t, sizeof t, "%.3g", *m), t), NULL)) >= 10) { /* 9.9996 rounds to 10: 1 x 10^(e+1) */
        e++;
        *m = v / pow(10, e);
    }
    return e;
}

static void sci_fixed(double v, char *buf, size_t cap)
{
    int e = (int)floor(log10(fabs(v)));
    if (v == 0 || !isfinite(v))
        snprintf(buf, cap, "%g", v);
    else
        snprintf(buf, cap, "%.*f", e < 2 ? 2 - e : 0, v); /* 3 significant digits, never 4e+04 */
}

const char *exo__html_sci_str(double v, char *buf, size_t cap)
{
    double m;
    int e = sci_parts(v, &m);
    if (e == INT_MIN)
        sci_fixed(v, buf, cap);
    else
        snprintf(buf, cap, "%.3g&#8239;&times;&#8239;10<sup>%s%d</sup>", m, e < 0 ? "&minus;" : "", abs(e));
    return buf;
}

const char *exo__text_sci_str(double v, char *buf, size_t cap)
{
    double m;
    int e = sci_parts(v, &m);
    if (e == INT_MIN) {
        sci_fixed(v, buf, cap);
        return buf;
    }
    char ex[64];
    snprintf(buf, cap, "%.3g\u202f\u00d7\u202f%s", m, exo__text_pow10(e, ex, sizeof ex));
    return buf;
}

void exo__html_sci(exo__html *b, double v)
{
    char buf[96];
    exo__html_put(b, exo__html_sci_str(v, buf, sizeof buf));
}

const char *exo__html_signed_str(double v, char *buf, size_t cap)
{
    char t[96];
    snprintf(buf, cap, "%s%s", v > 0 ? "+" : "", exo__html_sci_str(v, t, sizeof t));
    return buf;
}

double exo__html_round0(double v, int dec)
{
    return fabs(v) < 0.5 * pow(10, -dec) ? 0 : v;
}

void exo__html_pct(exo__html *b, double v)
{
    v = exo__html_round0(v, 1);
    if (v != 0 && fabs(v) < 0.05)
        v = 0;
    exo__html_printf(b, v == 0 ? "%.1f&#8239;%%" : "%+.1f&#8239;%%", v);
}

const char *exo__html_risk_str(double p, char *buf, size_t cap)
{
    double pc = 100 * p;
    if (pc <= 0)
        snprintf(buf, cap, "0&#8239;%%");
    else if (pc < 0.001)
        snprintf(buf, cap, _("below 0.001&#8239;%%"));
    else
        snprintf(buf, cap, "%.2g&#8239;%%", pc);
    return buf;
}

const char *exo__unit_str(const char *unit, char *buf, size_t cap)
{
    size_t len = 0;
    if (!cap)
        return buf;
    buf[0] = '\0';
    for (const char *s = unit ? unit : ""; *s; s++) {
        const char *add = NULL;
        char one[2] = {*s, 0};
        if (*s == '^' && (isdigit((unsigned char)s[1]) || (s[1] == '-' && isdigit((unsigned char)s[2])))) {
            char t[32] = "";
            if (s[1] == '-') {
                strcat(t, "\u207b");
                s++;
            }
            while (isdigit((unsigned char)s[1]) && strlen(t) < sizeof t - 4)
                strcat(t, sup[*++s - '0']);
            size_t n = strlen(t);
            if (len + n >= cap)
                break;
            memcpy(buf + len, t, n + 1);
            len += n;
            continue;
        }
        if (*s == 'u' && s[1] == 'm' && (s == unit || !isalpha((unsigned char)s[-1])) && !isalpha((unsigned char)s[2]))
            add = "\u00b5";
        else
            add = one;
        size_t n = strlen(add);
        if (len + n >= cap)
            break;
        memcpy(buf + len, add, n + 1);
        len += n;
    }
    return buf;
}

const char *exo__html_duration(double t_h, char *buf, size_t cap)
{
    if (t_h < 48)
        snprintf(buf, cap, _("%.3g h"), t_h);
    else if (t_h < 14 * 24)
        snprintf(buf, cap, _("%.3g days"), t_h / 24);
    else
        snprintf(buf, cap, _("%.3g weeks"), t_h / (7 * 24));
    return buf;
}

void exo__html_section(exo__html *b, const char *id, const char *heading)
{
    exo__html_printf(b, "<section id=\"%s\">\n<h2>", id);
    exo__html_esc(b, _(heading));
    exo__html_put(b, "</h2>\n");
}

/* SVG of one figure, written by cairo into memory. */
static cairo_status_t svg_sink(void *closure, const unsigned char *data, unsigned int length)
{
    exo__html *b = closure;
    exo__html_putn(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Copies an SVG document into the page as an inline <svg>: drops the XML
 * prolog and prefixes every id and reference, since several inline SVGs
 * share one id space and cairo names its glyphs and clips alike in each. */
static void put_svg(exo__html *b, const char *svg, const char *prefix)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return;
    static const char *const keys[] = {"id=\"", "href=\"#", "url(#"};
    while (*p) {
        int hit = -1;
        for (int k = 0; k < 3 && hit < 0; k++)
            if (!strncmp(p, keys[k], strlen(keys[k])))
                hit = k;
        if (!strncmp(p, "<image ", 7)) { /* voxel maps: unsmoothed, as in the PNGs (on the element itself:
                                             * a style sheet does not reach the copies <use> makes) */
            exo__html_put(b, "<image style=\"image-rendering:pixelated\" ");
            p += 7;
            continue;
        }
        if (hit >= 0) {
            exo__html_put(b, keys[hit]);
            exo__html_put(b, prefix);
            p += strlen(keys[hit]);
            if (hit == 0 && !strncmp(p, "surface", 7)) {
                /* cairo numbers surfaces with a process-wide counter: drop the
                 * number (never referenced) so that a second report written
                 * by the same process is the same bytes */
                exo__html_put(b, "surface");
                for (p += 7; *p >= '0' && *p <= '9'; p++)
                    ;
            }
        } else {
            exo__html_putn(b, p, 1);
            p++;
        }
    }
}

exo_status exo__html_figure(exo__html *page, const exo__figure *f, const void *data)
{
    exo_ctx *ctx = page->ctx;
    exo__html svg = {.ctx = ctx};
    exo_status st = EXO_OK;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(svg_sink, &svg, f->width, f->height);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    exo__text_log_figure(f->name, f->width, f->height); /* the picture check, when a test records */
    f->draw(cr, data, f->width, f->height);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS || svg.failed || !svg.s) {
        st = svg.failed ? exo_ctx_error(ctx, EXO_ENOMEM, "report: figure %s: out of memory", f->name)
                        : exo_ctx_error(ctx, EXO_EWRITE, "report: figure %s: %s", f->name, cairo_status_to_string(cs));
        goto out;
    }
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s-", f->name);
    exo__html_printf(page, "<figure id=\"fig-%s\">\n", f->name);
    put_svg(page, svg.s, prefix);
    exo__html_put(page, "\n<figcaption>");
    exo__html_esc(page, _(f->caption));
    exo__html_printf(page, " <a href=\"figures/%s.png\">PNG</a></figcaption>\n</figure>\n", f->name);

    int sc = EXO_REPORT_PNG_SCALE;
    s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)f->width * sc, (int)f->height * sc);
    cr = cairo_create(s);
    exo__text_log *log = exo__text_log_set(NULL); /* the PNG repeats the SVG's texts */
    cairo_scale(cr, sc, sc);
    f->draw(cr, data, f->width, f->height);
    exo__text_log_set(log);
    cs = cairo_status(cr);
    cairo_destroy(cr);
    char path[4300];
    snprintf(path, sizeof path, "%s/figures/%s.png", page->dir, f->name);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, cairo_status_to_string(cs));
out:
    exo_free(ctx, svg.s);
    if (st != EXO_OK && page->err == EXO_OK)
        page->err = st;
    return st;
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1a1a1a;max-width:1000px;margin:0 auto;"
    "padding:1em 1.5em;line-height:1.45}h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid "
    "#0072b2;padding-bottom:.15em;margin-top:1.8em}h3{margin-bottom:.3em}table{border-collapse:collapse;"
    "margin:.5em 0 1em;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right}"
    "th{background:#eef3f8}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}"
    "svg{max-width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:.9em;color:#444}"
    "pre{background:#f6f6f6;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:.85em}"
    ".note{color:#555;font-size:.9em}.warn{background:#fff6e0;border-left:4px solid #e69f00;padding:.4em .8em}"
    "nav a{margin-right:.8em}td.fail{color:#b00020;font-weight:bold}td.known{color:#a35c00}td.nw{white-space:nowrap}div.wide{max-width:100%;overflow-x:auto}div.wide th.key{overflow-wrap:anywhere;min-width:6em}"
    "td.sub{text-align:left;color:#555;font-size:.9em}";

static pthread_once_t catalog_once = PTHREAD_ONCE_INIT;

/* Where the catalogs are: $EXOSKIN_LOCALEDIR; else the build tree's folder
 * while it holds them (a build run where it was made, tests included); else
 * the installed folder. */
static const char *catalog_dir(void)
{
    const char *d = getenv("EXOSKIN_LOCALEDIR");
    if (d && d[0])
        return d;
    struct stat sb;
    if (EXO_BUILD_LOCALEDIR[0] && stat(EXO_BUILD_LOCALEDIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        return EXO_BUILD_LOCALEDIR;
    return EXO_LOCALEDIR;
}

/* Binds the message catalogs of the "exoskin" domain (only that domain). */
static void bind_catalog(void)
{
    bindtextdomain(EXO_TEXTDOMAIN, catalog_dir());
    bind_textdomain_codeset(EXO_TEXTDOMAIN, "UTF-8");
}

/* The locale of a report: "C" for every category (numbers with '.'), and
 * LC_MESSAGES of the language, which selects the catalog. */
static exo_status report_locale(exo_ctx *ctx, locale_t *out)
{
    const char *lang = exo_ctx_language(ctx);
    *out = (locale_t)0;
    if (!strcmp(lang, "fr")) {
        static const char *const names[] = {"fr_FR.UTF-8", "fr_FR.utf8", "fr_FR", "fr_CA.UTF-8", "fr_BE.UTF-8",
                                            "fr_CH.UTF-8"};
        for (size_t i = 0; i < sizeof names / sizeof *names && !*out; i++) {
            locale_t base = newlocale(LC_ALL_MASK, "C", (locale_t)0);
            *out = base ? newlocale(LC_MESSAGES_MASK, names[i], base) : (locale_t)0;
            if (!*out && base)
                freelocale(base);
        }
        if (!*out)
            return exo_ctx_error(ctx, EXO_EIO, "report: French needs a French locale such as fr_FR.UTF-8 "
                                               "(scripts/install-deps.sh generates it)");
    } else if (!(*out = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
        return exo_ctx_error(ctx, EXO_ENOMEM, "report: cannot make the C locale");
    return EXO_OK;
}

exo_status exo__html_open(exo__html *b, exo_ctx *ctx, const char *dir)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    b->dir = dir;
    char path[4300];
    snprintf(path, sizeof path, "%s/figures", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create folder: %s", path, strerror(errno));
    pthread_once(&catalog_once, bind_catalog);
    exo_status st = report_locale(ctx, &b->loc);
    if (st != EXO_OK)
        return st;
    b->old = uselocale(b->loc);
    /* A catalog that is not found (or LANGUAGE naming another language)
     * would give an English page under a French flag: refuse it. */
    static const char probe[] = "Inputs and provenance";
    if (strcmp(exo_ctx_language(ctx), "en") && !strcmp(_(probe), probe)) {
        st = exo_ctx_error(ctx, EXO_EIO, "report: no '%s' translation in %s/%s/LC_MESSAGES/%s.mo (or the "
                                                    "LANGUAGE environment variable names another language)",
                                      exo_ctx_language(ctx), catalog_dir(), exo_ctx_language(ctx), EXO_TEXTDOMAIN);
        return exo__html_close(b, st);
    }
    return EXO_OK;
}

void exo__html_head(exo__html *b, const char *title, const char *note_html, const char *const *ids,
                    const char *const *labels, int n)
{
    exo__html_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                        /* the page needs no script and loads nothing but its own figures */
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        "style-src 'unsafe-inline'; img-src 'self' data:\">\n<title>",
                     exo_ctx_language(b->ctx));
    exo__html_esc(b, title);
    exo__html_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    exo__html_esc(b, title);
    exo__html_put(b, "</h1>\n<p class=\"note\">");
    exo__html_put(b, note_html);
    exo__html_put(b, "</p>\n<nav>");
    for (int i = 0; i < n; i++) {
        exo__html_printf(b, "<a href=\"#%s\">", ids[i]);
        exo__html_esc(b, _(labels[i]));
        exo__html_put(b, "</a>");
    }
    exo__html_put(b, "</nav>\n");
}

exo_status exo__html_close(exo__html *b, exo_status st)
{
    exo_ctx *ctx = b->ctx;
    if (st == EXO_OK)
        st = b->err;
    if (st == EXO_OK && b->s) {
        exo__html_put(b, "</body>\n</html>\n");
        if (b->failed)
            st = exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    }
    if (st == EXO_OK && b->s) {
        char path[4300];
        snprintf(path, sizeof path, "%s/report.html", b->dir);
        FILE *f = fopen(path, "w");
        if (!f)
            st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
        else {
            size_t n = fwrite(b->s, 1, b->len, f);
            if (fclose(f) != 0 || n != b->len)
                st = exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
        }
    }
    if (b->loc) {
        uselocale(b->old);
        freelocale(b->loc);
    }
    exo_free(ctx, b->s);
    memset(b, 0, sizeof *b);
    return st;
}

/* The effective input yaml (internal units, as summary.json keeps it) in
 * the units people write (exo_config_to_yaml_display: the same keys, and it
 * loads back to the same configuration), into *out (exo_alloc'd on a private
 * context, freed by the caller with it); NULL when yaml is not a whole
 * configuration (then it is shown as it is). */
static char *display_yaml(exo_ctx **own, const char *yaml)
{
    exo_units *u = NULL;
    exo_config cfg;
    char *out = NULL;
    memset(&cfg, 0, sizeof cfg);
    if (!yaml || exo_ctx_create(0, own) != EXO_OK)
        return NULL;
    if (exo_units_create(*own, &u) == EXO_OK &&
        exo_config_load_buffer(*own, u, "effective input", yaml, strlen(yaml), NULL, 0, &cfg) == EXO_OK &&
        exo_config_to_yaml_display(*own, u, &cfg, &out) != EXO_OK)
        out = NULL;
    exo_config_fini(*own, &cfg);
    exo_units_destroy(&u);
    return out;
}

void exo__html_provenance(exo__html *b, const char *mode, const char *scenario, unsigned long long seed,
                          const char *const *extra, int n_extra, const char *yaml)
{
    exo__html_section(b, "inputs-and-provenance", N_("Inputs and provenance"));
    exo__html_printf(b, "<table>\n<tr><td>%s</td><td>exoskin %s (", _("program"), EXO_VERSION_STRING);
    exo__html_esc(b, _(mode));
    exo__html_printf(b, ")</td></tr>\n<tr><td>%s</td><td>", _("git revision"));
    exo__html_esc(b, exo_git_revision());
    exo__html_printf(b, "</td></tr>\n<tr><td>%s</td><td>", _("scenario"));
    exo__html_esc(b, scenario);
    exo__html_printf(b, "</td></tr>\n<tr><td>%s</td><td>%llu</td></tr>\n", _("seed"), seed);
    for (int i = 0; i < n_extra; i++) {
        exo__html_put(b, "<tr><td>");
        exo__html_esc(b, _(extra[2 * i]));
        exo__html_put(b, "</td><td>");
        exo__html_esc(b, extra[2 * i + 1]);
        exo__html_put(b, "</td></tr>\n");
    }
    exo__html_printf(b, "</table>\n<h3>%s</h3>\n<pre>", _("Effective input"));
    exo_ctx *own = NULL;
    char *shown = display_yaml(&own, yaml);
    exo__html_esc(b, shown ? shown : yaml ? yaml : _("(not recorded)"));
    exo_free(own, shown);
    exo_ctx_destroy(&own);
    exo__html_put(b, "</pre>\n</section>\n");
}

const char *exo_report_translate(exo_ctx *ctx, const char *msgid)
{
    if (!ctx || !msgid || !strcmp(exo_ctx_language(ctx), "en"))
        return msgid;
    pthread_once(&catalog_once, bind_catalog);
    locale_t loc;
    if (report_locale(ctx, &loc) != EXO_OK)
        return msgid;
    locale_t old = uselocale(loc);
    const char *s = _(msgid); /* the catalog's own memory, loaded for the process */
    uselocale(old);
    freelocale(loc);
    return s;
}
