/* report.c - report.html of a column run (docs/report.md): a self-contained
 * page (inline CSS and SVG, no script, no network) whose plain-language
 * summary comes first and quotes only numbers shown in the sections below,
 * then readouts, figures, delivery, depth, cross-section, adverse events and
 * provenance.  PNG copies of the figures go to figures/. */
#include "report/report_impl.h"

#include <cairo-svg.h>

#include <exoskin/exoskin.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* A growing text buffer; a failed allocation sets failed and drops text. */
typedef struct {
    exo_ctx *ctx;
    char *s;
    size_t len, cap;
    bool failed;
} buf;

static void put_n(buf *b, const char *s, size_t n)
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

static void put(buf *b, const char *s) { put_n(b, s, strlen(s)); }

static void putf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(buf *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put_n(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* HTML-escaped text. */
static void put_esc(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '&': put(b, "&amp;"); break;
        case '"': put(b, "&quot;"); break;
        case '\'': put(b, "&#39;"); break;
        default: put_n(b, s, 1);
        }
    }
}

/* Readout or layer name with spaces for underscores, escaped. */
static void put_name(buf *b, const char *s)
{
    for (; s && *s; s++)
        if (*s == '_')
            put(b, " ");
        else
            put_esc(b, (char[2]){*s, 0});
}

/* A count in scientific notation: 1.23 x 10^9. */
static void put_sci(buf *b, double v)
{
    if (v == 0 || !isfinite(v)) {
        putf(b, "%g", v);
        return;
    }
    int e = (int)floor(log10(fabs(v)));
    if (e >= -2 && e <= 4) {
        putf(b, "%.3g", v);
        return;
    }
    putf(b, "%.3g&#8239;&times;&#8239;10<sup>%d</sup>", v / pow(10, e), e);
}

static void put_pct(buf *b, double v) { putf(b, "%+.1f&#8239;%%", v); }

/* SVG of one figure, written by cairo into memory. */
static cairo_status_t svg_sink(void *closure, const unsigned char *data, unsigned int length)
{
    buf *b = closure;
    put_n(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Copies an SVG document into the page as an inline <svg>: drops the XML
 * prolog and prefixes every id and reference, since several inline SVGs
 * share one id space and cairo names its glyphs and clips alike in each. */
static void put_svg(buf *b, const char *svg, const char *prefix)
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
        if (hit >= 0) {
            put(b, keys[hit]);
            put(b, prefix);
            p += strlen(keys[hit]);
        } else {
            put_n(b, p, 1);
            p++;
        }
    }
}

static exo_status draw_figure(exo_ctx *ctx, const exo__figure *f, const exo_result *r, const char *dir, buf *page)
{
    buf svg = {ctx, NULL, 0, 0, false};
    exo_status st = EXO_OK;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(svg_sink, &svg, f->width, f->height);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    f->draw(cr, r, f->width, f->height);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS || svg.failed || !svg.s) {
        st = svg.failed ? exo_ctx_error(ctx, EXO_ENOMEM, "report: figure %s: out of memory", f->name)
                        : exo_ctx_error(ctx, EXO_EIO, "report: figure %s: %s", f->name, cairo_status_to_string(cs));
        goto out;
    }
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s-", f->name);
    putf(page, "<figure id=\"fig-%s\">\n", f->name);
    put_svg(page, svg.s, prefix);
    putf(page, "\n<figcaption>%s <a href=\"figures/%s.png\">PNG</a></figcaption>\n</figure>\n", f->caption, f->name);

    int sc = EXO_REPORT_PNG_SCALE;
    s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)f->width * sc, (int)f->height * sc);
    cr = cairo_create(s);
    cairo_scale(cr, sc, sc);
    f->draw(cr, r, f->width, f->height);
    cs = cairo_status(cr);
    cairo_destroy(cr);
    char path[4300];
    snprintf(path, sizeof path, "%s/figures/%s.png", dir, f->name);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS)
        st = exo_ctx_error(ctx, EXO_EIO, "%s: cannot write: %s", path, cairo_status_to_string(cs));
out:
    exo_free(ctx, svg.s);
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
    "nav a{margin-right:.8em}";

static const char *const summary_readouts[] = {"dermal_collagen", "wrinkle_severity", "ultrasound_density", "tewl"};
static const char *const plain_names[] = {"dermal collagen", "wrinkle severity", "ultrasound (echo) density of the dermis",
                                          "water loss through the skin (TEWL)"};

static bool is_procedure(exo_event_kind k)
{
    return k == EXO_EV_MICRONEEDLING || k == EXO_EV_LASER || k == EXO_EV_INJECTION || k == EXO_EV_PRP;
}

static const char *plain_event(const char *kind)
{
    if (!strcmp(kind, "barrier_disruption"))
        return "a weakened skin barrier (water loss more than 50 % above baseline)";
    if (!strcmp(kind, "redness"))
        return "redness (erythema index more than 10 % above baseline)";
    if (!strcmp(kind, "swelling"))
        return "swelling (inflammation above 0.5)";
    if (!strcmp(kind, "hypersensitivity"))
        return "an allergic (hypersensitivity) reaction";
    if (!strcmp(kind, "granuloma"))
        return "a delayed granuloma (a firm lump)";
    return kind;
}

#define MAX_EVENTS 128

static void summary_arm(buf *b, const exo_result *r, int a, double weeks)
{
    const exo_config *cfg = exo_result_config(r);
    const exo_arm_cfg *arm = &cfg->arms[a];
    put(b, "<li><strong>");
    put_esc(b, exo_result_arm_name(r, a));
    put(b, "</strong> (");
    for (int e = 0; e < arm->n_events; e++) {
        const exo_event_cfg *ev = &arm->events[e];
        putf(b, "%s%d&times; %s", e ? ", " : "", ev->n_times, exo_event_name(ev->kind));
        if (ev->product >= 0 && ev->product < cfg->n_products) {
            put(b, " of ");
            put_esc(b, cfg->products[ev->product].name);
        }
    }
    putf(b, "): after %g weeks, for one typical patient, the model predicts ", weeks);
    int n = (int)(sizeof summary_readouts / sizeof summary_readouts[0]);
    for (int q = 0; q < n; q++) {
        int k = exo__report_readout(summary_readouts[q]);
        if (k < 0)
            continue;
        double b0, b1;
        exo_result_readout(r, a, k, &b0, &b1);
        double pc = b0 != 0 ? 100 * (b1 - b0) / b0 : 0;
        putf(b, "%s%s ", q == 0 ? "" : q == n - 1 ? " and " : ", ", plain_names[q]);
        if (fabs(pc) < 1)
            put(b, "about unchanged (");
        else
            put(b, pc > 0 ? "up " : "down ");
        putf(b, "%s%.1f&#8239;%%", fabs(pc) < 1 ? "" : "by ", fabs(pc) < 1 ? pc : fabs(pc));
        putf(b, "%s", fabs(pc) < 1 ? ")" : "");
    }
    exo_arm_delivery d;
    exo_result_delivery(r, a, &d);
    put(b, ". Of the ");
    put_sci(b, d.applied);
    put(b, " functional vesicles applied per cm&sup2;, about ");
    put_sci(b, d.dermis);
    putf(b, " (%.2g&#8239;%%) reached the dermis, where the collagen-making cells are.</li>\n",
         d.applied > 0 ? 100 * d.dermis / d.applied : 0.0);
}

static void summary_side_effects(buf *b, const exo_result *r, int a, exo_adverse_event *ev)
{
    int n = exo_result_adverse(r, a, ev, MAX_EVENTS);
    if (n > MAX_EVENTS)
        n = MAX_EVENTS;
    put(b, "<li><strong>");
    put_esc(b, exo_result_arm_name(r, a));
    put(b, "</strong>: ");
    static const char *const kinds[] = {"redness", "swelling", "barrier_disruption", "hypersensitivity", "granuloma"};
    int shown = 0;
    for (int k = 0; k < 5; k++) {
        int count = 0, open = 0;
        double first = 0, dmin = INFINITY, dmax = 0;
        for (int e = 0; e < n; e++) {
            if (strcmp(ev[e].kind, kinds[k]))
                continue;
            if (count++ == 0)
                first = ev[e].onset;
            if (ev[e].duration < 0)
                open++;
            else {
                dmin = fmin(dmin, ev[e].duration);
                dmax = fmax(dmax, ev[e].duration);
            }
        }
        if (!count)
            continue;
        put(b, shown++ ? "; " : "expect ");
        putf(b, "%s, %d time%s (first on day %.1f)", plain_event(kinds[k]), count, count > 1 ? "s" : "", first);
        if (dmax > 0 && dmin < dmax)
            putf(b, ", each going away within %.1f to %.1f days", dmin, dmax);
        else if (dmax > 0)
            putf(b, ", going away within %.1f days", dmax);
        if (open)
            putf(b, ", %s still present at the end of the run", open > 1 ? "some" : "one");
    }
    if (!shown)
        put(b, "no redness, swelling or barrier weakening above the thresholds below");
    putf(b, ". Chance of a serious reaction (allergy or granuloma) for this treatment: %.2g&#8239;%%.</li>\n",
         100 * exo_result_serious_ae(r, a));
}

static void section_summary(buf *b, const exo_result *r, exo_adverse_event *ev)
{
    const exo_config *cfg = exo_result_config(r);
    double weeks = cfg->sim.duration / EXO_WEEK;
    put(b, "<section id=\"summary\">\n<h2>Summary in plain words</h2>\n<p>What the simulation predicts for each "
           "treatment (arm):</p>\n<ul>\n");
    for (int a = 0; a < exo_result_arms(r); a++)
        summary_arm(b, r, a, weeks);
    put(b, "</ul>\n<p><strong>How sure is this?</strong> These numbers are for <em>one typical patient</em> "
           "(the model's central parameter values");
    putf(b, ", seed %llu", (unsigned long long)cfg->seed);
    put(b, "); they do not show how much people differ from one another, and many model parameters are "
           "estimates. For a range over a group of patients, with uncertainty, run a virtual trial "
           "(<code>exoskin trial</code>, docs/trials.md).</p>\n");
    put(b, "<p><strong>Precautions.</strong> ");
    bool procedure = false;
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++)
            procedure |= is_procedure(cfg->arms[a].events[e].kind);
    if (procedure)
        put(b, "<span class=\"warn\">Microneedling, laser, injections and PRP are medical procedures: have a "
               "consultation with a dermatologist or physician before any injection or needling.</span> ");
    put(b, "Dose used: ");
    for (int p = 0; p < cfg->n_products; p++) {
        const exo_product_cfg *pr = &cfg->products[p];
        put(b, p ? "; " : "");
        put_esc(b, pr->name);
        if (pr->conc_known) {
            put(b, " at ");
            put_sci(b, pr->conc / EXO_PER_ML);
            putf(b, " particles/mL, %.0f&#8239;%% of them functional", 100 * pr->functional_fraction);
        } else
            put(b, " (the label states no concentration)");
    }
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++) {
            const exo_event_cfg *x = &cfg->arms[a].events[e];
            if ((x->kind == EXO_EV_TOPICAL || x->kind == EXO_EV_MASK) && x->product >= 0) {
                put(b, "; ");
                put_esc(b, cfg->arms[a].name);
                putf(b, ": %.2g&#8239;mg/cm&sup2; per application (%s), %d application%s",
                     x->amount / (10 * EXO_UM), exo_event_name(x->kind), x->n_times, x->n_times == 1 ? "" : "s");
            }
        }
    put(b, " (see Delivery for vesicles per cm&sup2;). Side effects expected from the simulation:</p>\n<ul>\n");
    for (int a = 0; a < exo_result_arms(r); a++)
        summary_side_effects(b, r, a, ev);
    put(b, "</ul>\n<p class=\"note\">Each number above is shown in the sections below: readouts, delivery and "
           "adverse events.</p>\n</section>\n");
}

static void section_readouts(buf *b, const exo_result *r)
{
    double weeks = exo_result_config(r)->sim.duration / EXO_WEEK;
    put(b, "<section id=\"readouts\">\n<h2>Readouts</h2>\n<p>Clinical readouts at baseline and at the end "
           "(docs/readouts.md).</p>\n");
    for (int a = 0; a < exo_result_arms(r); a++) {
        put(b, "<h3>");
        put_esc(b, exo_result_arm_name(r, a));
        putf(b, "</h3>\n<table>\n<tr><th>readout</th><th>unit</th><th>baseline</th><th>week %g</th><th>change</th>"
                "<th>change [%%]</th></tr>\n", weeks);
        for (int k = 0; k < exo_readout_count(); k++) {
            double b0, b1;
            exo_result_readout(r, a, k, &b0, &b1);
            put(b, "<tr><td>");
            put_name(b, exo_readout_name(k));
            put(b, "</td><td>");
            put_esc(b, exo_readout_unit(k));
            putf(b, "</td><td>%.4g</td><td>%.4g</td><td>%+.3g</td><td>", b0, b1, b1 - b0);
            if (b0 != 0)
                put_pct(b, 100 * (b1 - b0) / b0);
            else
                put(b, "&ndash;");
            put(b, "</td></tr>\n");
        }
        put(b, "</table>\n");
    }
    put(b, "</section>\n");
}

static void section_delivery_table(buf *b, const exo_result *r)
{
    put(b, "<table>\n<tr><th>arm</th><th>applied [particles/cm&sup2;]</th><th>reached viable epidermis "
           "[particles/cm&sup2;]</th><th>reached dermis [particles/cm&sup2;]</th><th>dermis / applied [%]</th></tr>\n");
    for (int a = 0; a < exo_result_arms(r); a++) {
        exo_arm_delivery d;
        exo_result_delivery(r, a, &d);
        put(b, "<tr><td>");
        put_esc(b, exo_result_arm_name(r, a));
        put(b, "</td><td>");
        put_sci(b, d.applied);
        put(b, "</td><td>");
        put_sci(b, d.viable_epidermis);
        put(b, "</td><td>");
        put_sci(b, d.dermis);
        putf(b, "</td><td>%.2g</td></tr>\n", d.applied > 0 ? 100 * d.dermis / d.applied : 0.0);
    }
    put(b, "</table>\n<p class=\"note\">'Reached' counts vesicles that entered the layer or deeper, whatever "
           "became of them later.</p>\n");
}

static void section_adverse(buf *b, const exo_result *r, exo_adverse_event *ev)
{
    put(b, "<section id=\"adverse-events\">\n<h2>Adverse events</h2>\n<p>Acute events follow from the readouts "
           "(redness: erythema index &gt; 10&#8239;% above baseline; swelling: inflammation &gt; 0.5; barrier "
           "disruption: TEWL &gt; 50&#8239;% above baseline); rare serious events are drawn for this virtual "
           "patient from their probability (docs/readouts.md).</p>\n<table>\n<tr><th>arm</th><th>event</th>"
           "<th>serious</th><th>onset [d]</th><th>duration [d]</th><th>peak</th></tr>\n");
    for (int a = 0; a < exo_result_arms(r); a++) {
        int n = exo_result_adverse(r, a, ev, MAX_EVENTS);
        for (int e = 0; e < n && e < MAX_EVENTS; e++) {
            const char *unit = !strcmp(ev[e].kind, "redness") ? "AU (erythema index rise)"
                             : !strcmp(ev[e].kind, "swelling") ? "(inflammation, 1)"
                             : !strcmp(ev[e].kind, "barrier_disruption") ? "g/m&sup2;/h (TEWL rise)"
                                                                         : "(probability)";
            put(b, "<tr><td>");
            put_esc(b, exo_result_arm_name(r, a));
            put(b, "</td><td>");
            put_name(b, ev[e].kind);
            putf(b, "</td><td>%s</td><td>%.2f</td><td>", ev[e].serious ? "yes" : "no", ev[e].onset);
            if (ev[e].duration < 0)
                put(b, "still present");
            else
                putf(b, "%.2f", ev[e].duration);
            putf(b, "</td><td>%.3g %s</td></tr>\n", ev[e].peak, unit);
        }
        put(b, "<tr><td>");
        put_esc(b, exo_result_arm_name(r, a));
        putf(b, "</td><td>probability of a serious event</td><td>&ndash;</td><td>&ndash;</td><td>&ndash;</td>"
                "<td>%.2g&#8239;%%</td></tr>\n", 100 * exo_result_serious_ae(r, a));
    }
    put(b, "</table>\n</section>\n");
}

static void section_provenance(buf *b, const exo_result *r, const char *yaml)
{
    const exo_config *cfg = exo_result_config(r);
    put(b, "<section id=\"inputs-and-provenance\">\n<h2>Inputs and provenance</h2>\n<table>\n");
    putf(b, "<tr><td>program</td><td>exoskin %s (column mode)</td></tr>\n", EXO_VERSION_STRING);
    put(b, "<tr><td>git revision</td><td>");
    put_esc(b, exo_git_revision());
    put(b, "</td></tr>\n<tr><td>scenario</td><td>");
    put_esc(b, cfg->name);
    putf(b, "</td></tr>\n<tr><td>seed</td><td>%llu</td></tr>\n</table>\n", (unsigned long long)cfg->seed);
    put(b, "<h3>Effective input</h3>\n<pre>");
    put_esc(b, yaml ? yaml : "(not recorded)");
    put(b, "</pre>\n</section>\n");
}

static exo_status write_text(exo_ctx *ctx, const char *path, const buf *b)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot create: %s", path, strerror(errno));
    size_t n = fwrite(b->s, 1, b->len, f);
    if (fclose(f) != 0 || n != b->len)
        return exo_ctx_error(ctx, EXO_EIO, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

exo_status exo_report_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml, const char *dir)
{
    exo_status st = EXO_OK;
    buf b = {ctx, NULL, 0, 0, false};
    const exo__figure *fig;
    int nfig = exo__report_figures(&fig);
    char path[4300];
    exo_adverse_event *ev = exo_alloc(ctx, MAX_EVENTS, sizeof *ev);
    if (!ev)
        return exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    snprintf(path, sizeof path, "%s/figures", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        st = exo_ctx_error(ctx, EXO_EIO, "%s: cannot create folder: %s", path, strerror(errno));
        goto out;
    }
    const exo_config *cfg = exo_result_config(r);
    put(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>exoskin report: ");
    put_esc(&b, cfg->name);
    putf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>exoskin report: ", css);
    put_esc(&b, cfg->name);
    putf(&b, "</h1>\n<p class=\"note\">Simulated %g weeks of facial skin treatment, %d arm%s, column mode "
             "(exoskin %s). Every quantity states its unit.</p>\n",
         cfg->sim.duration / EXO_WEEK, exo_result_arms(r), exo_result_arms(r) == 1 ? "" : "s", EXO_VERSION_STRING);
    put(&b, "<nav><a href=\"#summary\">Summary</a><a href=\"#readouts\">Readouts</a><a href=\"#figures\">Figures"
            "</a><a href=\"#delivery\">Delivery</a><a href=\"#depth\">Depth</a><a href=\"#cross-section\">Skin</a>"
            "<a href=\"#adverse-events\">Adverse events</a><a href=\"#inputs-and-provenance\">Inputs</a></nav>\n");
    section_summary(&b, r, ev);
    section_readouts(&b, r);
    static const char *const where[] = {"figures", "delivery", "depth", "cross-section"};
    static const char *const heads[] = {"Figures: readouts over time", "Delivery", "Depth profiles",
                                        "Skin cross-section"};
    for (int i = 0; i < nfig; i++) {
        putf(&b, "<section id=\"%s\">\n<h2>%s</h2>\n", i < 4 ? where[i] : fig[i].name, i < 4 ? heads[i] : fig[i].name);
        if ((st = draw_figure(ctx, &fig[i], r, dir, &b)) != EXO_OK)
            goto out;
        if (i == 1)
            section_delivery_table(&b, r);
        put(&b, "</section>\n");
    }
    section_adverse(&b, r, ev);
    section_provenance(&b, r, effective_yaml);
    put(&b, "</body>\n</html>\n");
    if (b.failed) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
        goto out;
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    st = write_text(ctx, path, &b);
out:
    exo_free(ctx, b.s);
    exo_free(ctx, ev);
    return st;
}
