/* audit_report.c - report.html of a label audit (`exoskin audit -o`,
 * docs/report.md): the verdict with its reasons, the functional vesicles
 * delivered per route against the concentration a measurable change needs
 * (figure and tables), the side effects of a typical patient (the label's
 * use as the audit file's arms) and the provenance. */
#include "report/report_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

static const char *route_name(int k)
{
    static const char *const names[EXO_AUDIT_ROUTE_COUNT] = {N_("topical use as labelled"), N_("after microneedling"),
                                                             N_("after fractional laser"), N_("injection")};
    return k >= 0 && k < EXO_AUDIT_ROUTE_COUNT ? _(names[k]) : "?";
}

static const char *verdict_name(exo_audit_verdict v)
{
    static const char *const names[EXO_AUDIT_VERDICT_COUNT] = {N_("plausible"), N_("implausible at this dose"),
                                                               N_("unknown")};
    return (int)v >= 0 && v < EXO_AUDIT_VERDICT_COUNT ? _(names[v]) : "?";
}

/* Bars on a log axis: n groups of m values, group labels below. */
static void log_bars(cairo_t *cr, const exo__axes *ax0, const double *v, int n, int m, const char *const *groups)
{
    exo__axes ax = *ax0;
    double gw = (ax.x1 - ax.x0) / (n > 0 ? n : 1), bw = fmin(36, 0.8 * gw / (m > 0 ? m : 1));
    char buf[96];
    for (int g = 0; g < n; g++) {
        double cx = ax.x0 + (g + 0.5) * gw;
        exo__plot_font(cr, 9.5, false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, cx, ax.y1 + 8, 0.5, 0, groups[g]);
        for (int j = 0; j < m; j++) {
            double x = cx + (j - 0.5 * m) * bw, val = v[g * m + j];
            exo__plot_colour(cr, j);
            if (val > 0) {
                double y = fmax(exo__py(&ax, val), ax.y0);
                cairo_rectangle(cr, x + 2, y, bw - 4, ax.y1 - y);
                cairo_fill(cr);
            }
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            exo__plot_font(cr, 8, false);
            exo__text_sci_str(val, buf, sizeof buf);
            exo__plot_bar_value(cr, x + 0.5 * bw, bw, val > 0 ? fmax(exo__py(&ax, val), ax.y0) : ax.y1, j, buf);
        }
    }
}

static void log_range(const double *v, int n, double *lo, double *hi)
{
    double vmin = INFINITY, vmax = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > 0) {
            vmin = fmin(vmin, v[i]);
            vmax = fmax(vmax, v[i]);
        }
    if (!(vmax > 0))
        vmin = 1, vmax = 10;
    *lo = floor(log10(vmin));
    *hi = ceil(log10(vmax));
    if (*hi <= *lo)
        *hi = *lo + 1;
}

/* Left: vesicles reaching the viable epidermis and the dermis per month,
 * per route.  Right: the label's concentration against the one needed for
 * a measurable change, per searched route. */
static void draw_dose(cairo_t *cr, const void *data, double w, double h)
{
    const exo_audit_result *r = data;
    exo__plot_background(cr);
    double v[2 * EXO_AUDIT_ROUTE_COUNT], c[2 * EXO_AUDIT_ROUTE_COUNT], lo, hi;
    const char *g1[EXO_AUDIT_ROUTE_COUNT], *g2[EXO_AUDIT_ROUTE_COUNT];
    int n1 = 0, n2 = 0;
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        if (r->routes[k].present) {
            v[2 * n1] = r->routes[k].product.viable_epidermis[1];
            v[2 * n1 + 1] = r->routes[k].product.dermis[1];
            g1[n1++] = exo_audit_route_name((exo_audit_route)k);
        }
        if (r->needed[k].searched && r->routes[k].present) {
            c[2 * n2] = r->used_conc;
            c[2 * n2 + 1] = r->needed[k].found ? r->needed[k].conc : EXO_AUDIT_SCAN_HI;
            g2[n2++] = exo_audit_route_name((exo_audit_route)k);
        }
    }
    double split = n2 ? 0.58 * w : w;
    log_range(v, 2 * n1, &lo, &hi);
    exo__axes a1 = {80, 50, split - 20, h - 80, 0, 1, lo, hi, true, true, false};
    exo__draw_axes(cr, &a1, NULL, _("vesicles per month [particles/cm²]"), _("Delivered per month, by route"));
    log_bars(cr, &a1, v, n1, 2, g1);
    const char *leg1[] = {_("reached viable epidermis"), _("reached dermis")};
    exo__plot_legend(cr, 90, h - 22, leg1, 2);
    if (n2) {
        log_range(c, 2 * n2, &lo, &hi);
        exo__axes a2 = {split + 70, 50, w - 20, h - 80, 0, 1, lo, hi, true, true, false};
        exo__draw_axes(cr, &a2, NULL, _("concentration [particles/mL]"), _("Label vs needed"));
        log_bars(cr, &a2, c, n2, 2, g2);
        const char *leg2[] = {r->conc_known ? _("label") : _("assumed"), _("needed")};
        exo__plot_legend(cr, split + 80, h - 22, leg2, 2);
    }
}

static const exo__figure fig_dose = {
    "dose", N_("Functional vesicles that reach the viable epidermis and the dermis per month for each route (left), "
               "and the concentration of the label against the one the model needs for a measurable change (right; "
               "a bar at the top of the search range means not reached), log scales."),
    1000, 420, draw_dose};

static void put_needed(exo__html *b, const exo_audit_dose *d)
{
    char s[96];
    if (!d->found)
        putf(b, _("more than %s particles/mL (not reached)"), exo__html_sci_str(EXO_AUDIT_SCAN_HI, s, sizeof s));
    else
        putf(b, d->at_floor ? _("at most %s particles/mL") : _("about %s particles/mL"),
             exo__html_sci_str(d->conc, s, sizeof s));
}

static void section_summary(exo__html *b, const exo_audit_result *r, const exo_config *cfg, const exo_result *typ,
                            exo_adverse_event *ev)
{
    char s1[96], name[768];
    const char *what = exo__report_readout_label(r->readout - EXO_Q_READOUT_FIRST);
    exo__html_section(b, "summary", N_("Summary in plain words"));
    put(b, "<p>");
    putf(b, _("Can the label of <strong>%s</strong> be true? Verdict: <strong>%s</strong>."),
         exo__html_esc_str(r->product, name, sizeof name),
         verdict_name(r->verdict));
    put(b, " ");
    if (r->conc_known)
        putf(b, _("The label states %s particles/mL."), exo__html_sci_str(r->label_conc, s1, sizeof s1));
    else
        putf(b, _("The label states no concentration; the model assumed %s particles/mL."),
             exo__html_sci_str(r->used_conc, s1, sizeof s1));
    put(b, "</p>\n<ul>\n");
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_route_result *x = &r->routes[k];
        if (!x->present)
            continue;
        putf(b, "<li><strong>%s</strong>: ", route_name(k));
        putf(b, _("%s functional vesicles per cm&sup2; reach the dermis per month. With the product the %s changes "
                  "by %+.2f&#8239;%% in 4 weeks, with its vehicle alone by the same protocol by %+.2f&#8239;%%: the "
                  "product's own change is %+.2f&#8239;%% (%s)."),
             exo__html_sci_str(x->product.dermis[1], s1, sizeof s1), what, x->product.change, x->vehicle.change,
             x->own_change, x->measurable ? _("a measurable change") : _("not a measurable change"));
        char claim[sizeof x->claim];
        snprintf(claim, sizeof claim, "%s", x->claim);
        claim[0] = (char)toupper((unsigned char)claim[0]); /* a sentence of its own */
        put(b, " ");
        exo__report_prose(b, claim);
        put(b, ".");
        put(b, "</li>\n");
    }
    put(b, "</ul>\n");
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    putf(b, _("These are %d model runs for one typical patient (the model's central parameter values); a measurable "
              "change means %s&#8239;%% of the %s beyond the vehicle. People differ, and many parameters are estimates: the verdict "
              "tells whether the label is plausible at all, not what one person will see."),
         r->runs, exo__html_signed_str(r->measurable, s1, sizeof s1), what);
    put(b, "</p>\n");
    bool procedure = r->routes[EXO_AUDIT_MICRONEEDLING].present || r->routes[EXO_AUDIT_LASER].present ||
                     r->routes[EXO_AUDIT_INJECTION].present;
    exo__report_precautions(b, cfg, procedure, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: verdict, delivery by route and the typical patient."));
}

static void section_verdict(exo__html *b, const exo_audit_result *r)
{
    exo__html_section(b, "verdict", N_("Verdict"));
    putf(b, "<p><strong>%s</strong></p>\n<p>%s</p>\n<ul>\n", verdict_name(r->verdict),
         _("The reasons, as the audit records them (audit.json):"));
    for (int i = 0; i < r->n_reasons; i++) {
        put(b, "<li>");
        exo__report_prose(b, r->reasons[i]);
        put(b, "</li>\n");
    }
    put(b, "</ul>\n");
    if (isfinite(r->p_measurable)) {
        putf(b, "<p>");
        putf(b, _("Probability behind the verdict: over %d draws of the calibrated posterior, the label's own topical "
                  "effect beyond the vehicle is measurable in %.0f&#8239;%% of them."),
             r->routes[EXO_AUDIT_TOPICAL].n_draws, 100 * r->p_measurable);
        for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++)
            if (r->routes[k].present && r->routes[k].n_draws > 0 && k != EXO_AUDIT_TOPICAL) {
                put(b, " ");
                putf(b, _("By %s: %.0f&#8239;%%."), exo_audit_route_name((exo_audit_route)k),
                     100 * r->routes[k].p_measurable);
            }
        put(b, "</p>\n");
    }
    put(b, "</section>\n");
}

static void section_routes(exo__html *b, const exo_audit_result *r)
{
    exo__html_section(b, "routes", N_("Delivered dose by route"));
    exo__html_figure(b, &fig_dose, r);
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "</tr>\n",
         _("route"), _("arm"), _("uses per month"), _("applied per month [particles/cm&sup2;]"),
         _("reached viable epidermis per month [particles/cm&sup2;]"), _("reached dermis per month [particles/cm&sup2;]"),
         _("readout change at 4 weeks [%]"), _("measurable"));
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_route_result *x = &r->routes[k];
        if (!x->present)
            continue;
        const exo_audit_arm *arms[2] = {&x->product, &x->vehicle};
        const char *names[3] = {_("product"), _("vehicle alone"), _("difference")};
        for (int i = 0; i < 3; i++) {
            const exo_audit_arm *m = arms[i < 2 ? i : 0];
            double sign = i == 2 ? 1.0 : 0.0; /* the difference row: product minus vehicle */
            putf(b, "<tr><td>%s</td><td>%s</td><td>%.3g</td><td>", i ? "" : exo_audit_route_name((exo_audit_route)k),
                 names[i], x->per_month);
            exo__html_sci(b, m->applied[1] - sign * x->vehicle.applied[1]);
            put(b, "</td><td>");
            exo__html_sci(b, m->viable_epidermis[1] - sign * x->vehicle.viable_epidermis[1]);
            put(b, "</td><td>");
            exo__html_sci(b, m->dermis[1] - sign * x->vehicle.dermis[1]);
            putf(b, "</td><td>%+.2f</td><td>%s</td></tr>\n", i == 2 ? x->own_change : m->change,
                 i < 2 ? "" : x->measurable ? _("yes") : _("no"));
        }
    }
    put(b, "</table>\n");
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("route"),
         _("concentration needed for a measurable change beyond the vehicle"), _("label [particles/mL]"), _("model runs"));
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_dose *d = &r->needed[k];
        if (!d->searched || !r->routes[k].present)
            continue;
        putf(b, "<tr><td>%s</td><td>", exo_audit_route_name((exo_audit_route)k));
        put_needed(b, d);
        put(b, "</td><td>");
        if (r->conc_known)
            exo__html_sci(b, r->label_conc);
        else
            put(b, _("not stated"));
        putf(b, "</td><td>%d</td></tr>\n", d->runs);
    }
    put(b, "</table>\n</section>\n");
}

exo_status exo__report_write_audit(exo_ctx *ctx, const exo_audit_result *r, const char *yaml, const exo_result *typ,
                                   const char *dir)
{
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, typ);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "verdict", "routes", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Verdict"), N_("Routes"), N_("Typical patient"),
                                         N_("Inputs")};
    char title[256], note[256];
    snprintf(title, sizeof title, _("exoskin label audit: %s"), r->product);
    snprintf(note, sizeof note, _("Can this label be true? %d model runs, exoskin %s."), r->runs, EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 5);
    section_summary(&s.b, r, s.cfg, s.typ, s.ev);
    section_verdict(&s.b, r);
    section_routes(&s.b, r);
    const char *extra[] = {N_("product"), r->product, N_("frequency"), r->frequency};
    return exo__study_close(&s, EXO_OK, N_("Side effects of a typical patient (the label's use as in the file's arms)"),
                            N_("label audit"), (unsigned long long)s.cfg->seed, extra, 2, yaml);
}
