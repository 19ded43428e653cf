/* sweep_report.c - report.html of a one-key sweep (`exoskin run --sweep`,
 * docs/report.md): the dose-response curves (dermal collagen change, net
 * benefit and serious adverse-event risk against the swept value, per arm),
 * the table of every point, the side effects of a typical patient (the
 * scenario before the sweep) and the provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

typedef struct {
    const exo_sweep_result *res;
    double w; /* harm weight */
} sweep_data;

static double pct_change(const exo_sweep_point *p, int a, int k)
{
    double b0 = p->baseline[a][k], b1 = p->final[a][k];
    return b0 != 0 ? 100 * (b1 - b0) / b0 : 0;
}

/* The swept values as numbers (the number before the unit) when every value
 * has one: returns 2 for a log axis (all > 0, spanning a decade or more), 1
 * for a linear one, 0 for categories (x[i] = i). */
static int sweep_x(const exo_sweep_result *res, double *x, char *unit, size_t cap)
{
    bool numeric = res->n > 0, positive = true;
    double lo = INFINITY, hi = -INFINITY;
    unit[0] = '\0';
    for (int v = 0; v < res->n; v++) {
        char *end;
        x[v] = strtod(res->points[v].value, &end);
        numeric &= end != res->points[v].value && isfinite(x[v]);
        positive &= x[v] > 0;
        lo = fmin(lo, x[v]);
        hi = fmax(hi, x[v]);
        if (v == 0 && numeric)
            snprintf(unit, cap, "%s", end + strspn(end, " "));
    }
    if (!numeric) {
        for (int v = 0; v < res->n; v++)
            x[v] = v;
        return 0;
    }
    if (positive && hi >= 10 * lo) {
        for (int v = 0; v < res->n; v++)
            x[v] = log10(x[v]);
        return 2;
    }
    return 1;
}

static double metric(const sweep_data *d, int panel, int v, int a)
{
    const exo_sweep_point *p = &d->res->points[v];
    if (panel == 0)
        return pct_change(p, a, exo__report_readout("dermal_collagen"));
    if (panel == 1)
        return exo_sweep_net_benefit(p, a, d->w);
    return 100 * p->p_serious[a];
}

static void draw_dose_response(cairo_t *cr, const void *data, double w, double h)
{
    const sweep_data *d = data;
    const exo_sweep_result *res = d->res;
    exo__plot_background(cr);
    double x[1000];
    char unit[128], xlabel[512], buf[64];
    int kind = sweep_x(res, x, unit, sizeof unit);
    snprintf(xlabel, sizeof xlabel, unit[0] ? "%s [%s]%s" : "%s%.0s%s", res->key, unit, kind == 2 ? _(" (log scale)") : "");
    static const char *const titles[3] = {N_("dermal collagen change [%]"), N_("net benefit [%]"),
                                          N_("serious adverse-event risk [%]")};
    int na = res->n > 0 ? res->points[0].n_arms : 0;
    double xmin = res->n ? x[0] : 0, xmax = res->n ? x[0] : 1;
    for (int v = 1; v < res->n; v++) {
        xmin = fmin(xmin, x[v]);
        xmax = fmax(xmax, x[v]);
    }
    double pad = xmax > xmin ? 0.05 * (xmax - xmin) : 0.5;
    double pw = (w - 30) / 3;
    for (int panel = 0; panel < 3; panel++) {
        double lo = panel == 2 ? 0 : INFINITY, hi = panel == 2 ? 0 : -INFINITY;
        for (int v = 0; v < res->n; v++)
            for (int a = 0; a < res->points[v].n_arms && a < na; a++) {
                lo = fmin(lo, metric(d, panel, v, a));
                hi = fmax(hi, metric(d, panel, v, a));
            }
        if (!isfinite(lo))
            lo = hi = 0;
        exo__nice_range(&lo, &hi);
        exo__axes ax = {30 + panel * pw + 58, 40, 30 + (panel + 1) * pw - 12, h - 90, xmin - pad, xmax + pad, lo, hi,
                        false, true};
        exo__draw_axes(cr, &ax, NULL, NULL, _(titles[panel]));
        /* ticks at the swept values (at most 8 labelled) */
        int stride = res->n > 8 ? (res->n + 7) / 8 : 1;
        exo__plot_font(cr, 9, false);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        for (int v = 0; v < res->n; v += stride) {
            double X = exo__px(&ax, x[v]);
            cairo_move_to(cr, X, ax.y1);
            cairo_line_to(cr, X, ax.y1 + 4);
            cairo_stroke(cr);
            if (kind)
                snprintf(buf, sizeof buf, "%g", kind == 2 ? pow(10, x[v]) : x[v]);
            else
                snprintf(buf, sizeof buf, "%.12s", res->points[v].value);
            exo__plot_text(cr, X, ax.y1 + 7, 0.5, 0, buf);
        }
        exo__clip_to(cr, &ax);
        for (int a = 0; a < na; a++) {
            exo__plot_colour(cr, a);
            cairo_set_line_width(cr, 2);
            for (int v = 0; v < res->n; v++) {
                double X = exo__px(&ax, x[v]), Y = exo__py(&ax, metric(d, panel, v, a));
                if (v)
                    cairo_line_to(cr, X, Y);
                else
                    cairo_move_to(cr, X, Y);
            }
            cairo_stroke(cr);
            for (int v = 0; v < res->n; v++) {
                cairo_arc(cr, exo__px(&ax, x[v]), exo__py(&ax, metric(d, panel, v, a)), 3.2, 0, 6.2832);
                cairo_fill(cr);
            }
        }
        cairo_restore(cr);
    }
    exo__plot_font(cr, 10.5, false);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * w, h - 58, 0.5, 0, xlabel);
    const char *names[16];
    for (int a = 0; a < na && a < 16; a++)
        names[a] = res->points[0].arm[a];
    exo__plot_legend(cr, 90, h - 20, names, na < 16 ? na : 16);
}

static const exo__figure fig_dose = {
    "dose-response", N_("Change of dermal collagen, net benefit (collagen change minus the weighted serious risk) and "
                        "serious adverse-event risk at the end of the run against the swept value, one line per arm."),
    1000, 400, draw_dose_response};

static void section_summary(exo__html *b, const sweep_data *d, const exo_config *cfg, const exo_result *typ,
                            exo_adverse_event *ev)
{
    const exo_sweep_result *res = d->res;
    int kc = exo__report_readout("dermal_collagen");
    exo__html_section(b, "summary", N_("Summary in plain words"));
    put(b, "<p>");
    putf(b, _("The scenario was run for one typical patient at each of %d values of <code>%s</code>, from %s to %s."),
         res->n, res->key, res->n ? res->points[0].value : "", res->n ? res->points[res->n - 1].value : "");
    put(b, "</p>\n<ul>\n");
    int na = res->n > 0 ? res->points[0].n_arms : 0;
    for (int a = 0; a < na; a++) {
        int best = 0, swell = -1;
        for (int v = 0; v < res->n; v++) {
            if (exo_sweep_net_benefit(&res->points[v], a, d->w) > exo_sweep_net_benefit(&res->points[best], a, d->w))
                best = v;
            if (swell < 0 && res->points[v].peak_inflammation[a] > 0.5)
                swell = v;
        }
        const exo_sweep_point *p0 = &res->points[0], *p1 = &res->points[res->n - 1], *pb = &res->points[best];
        put(b, "<li><strong>");
        exo__html_esc(b, p0->arm[a]);
        put(b, "</strong>: ");
        putf(b, _("dermal collagen changes by %+.2f&#8239;%% at the lowest value and by %+.2f&#8239;%% at the highest; "
                  "the best net benefit (%+.2f) is at %s, with a serious adverse-event risk of %.2g&#8239;%%."),
             pct_change(p0, a, kc), pct_change(p1, a, kc), exo_sweep_net_benefit(pb, a, d->w), pb->value,
             100 * pb->p_serious[a]);
        put(b, " ");
        if (swell >= 0)
            putf(b, _("Swelling (peak inflammation above 0.5) is expected from %s on."), res->points[swell].value);
        else
            put(b, _("No swelling (peak inflammation above 0.5) at any value."));
        put(b, "</li>\n");
    }
    put(b, "</ul>\n");
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    put(b, _("Each point is one typical patient (the model's central parameter values): the curve shows the shape "
             "of the dose-response, not how much people differ; for that, run a virtual trial at the chosen dose "
             "(<code>exoskin trial</code>)."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: dose-response and the typical patient."));
}

static void section_points(exo__html *b, const sweep_data *d)
{
    const exo_sweep_result *res = d->res;
    int kc = exo__report_readout("dermal_collagen"), kw = exo__report_readout("wrinkle_severity");
    exo__html_section(b, "dose-response", N_("Dose-response"));
    exo__html_figure(b, &fig_dose, d);
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>\n",
         res->key, _("arm"), _("dermal collagen change [%]"), _("wrinkle severity change [%]"),
         _("peak inflammation [1]"), _("serious adverse-event risk [%]"), _("reached dermis [particles/cm&sup2;]"),
         _("net benefit [%]"));
    for (int v = 0; v < res->n; v++) {
        const exo_sweep_point *p = &res->points[v];
        for (int a = 0; a < p->n_arms; a++) {
            put(b, "<tr><td>");
            exo__html_esc(b, p->value);
            put(b, "</td><td>");
            exo__html_esc(b, p->arm[a]);
            putf(b, "</td><td>%+.2f</td><td>%+.2f</td><td>%.3g</td><td>%.2g</td><td>", pct_change(p, a, kc),
                 pct_change(p, a, kw), p->peak_inflammation[a], 100 * p->p_serious[a]);
            exo__html_sci(b, p->delivered_dermis[a]);
            putf(b, "</td><td>%+.2f</td></tr>\n", exo_sweep_net_benefit(p, a, d->w));
        }
    }
    putf(b, "</table>\n<p class=\"note\">");
    putf(b, _("Net benefit = dermal collagen change [%%] &minus; %g &times; serious adverse-event risk [%%] "
              "(--harm-weight)."), d->w);
    put(b, "</p>\n</section>\n");
}

exo_status exo_report_write_sweep(exo_ctx *ctx, const exo_sweep_result *res, double harm_weight, const char *dir)
{
    if (res->n < 1 || res->n > 1000)
        return exo_ctx_error(ctx, EXO_EINVAL, "report: a sweep of %d values (expected 1 to 1000)", res->n);
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, NULL, res->effective_input, NULL, 0);
    if (st != EXO_OK)
        return st;
    sweep_data d = {res, harm_weight};
    static const char *const ids[] = {"summary", "dose-response", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Dose-response"), N_("Typical patient"), N_("Inputs")};
    char title[512], note[256], w[32];
    snprintf(title, sizeof title, _("exoskin sweep report: %s"), res->key);
    snprintf(note, sizeof note, _("Scenario '%s' run for %d values of one input key, exoskin %s."), s.cfg->name,
             res->n, EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 4);
    section_summary(&s.b, &d, s.cfg, s.typ, s.ev);
    section_points(&s.b, &d);
    snprintf(w, sizeof w, "%g", harm_weight);
    const char *extra[] = {N_("swept key"), res->key, N_("harm weight"), w};
    return exo__study_close(&s, EXO_OK, N_("Side effects of a typical patient (the scenario before the sweep)"),
                            N_("sweep"), (unsigned long long)res->seed, extra, 2, res->effective_input);
}
