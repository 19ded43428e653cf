/* sensitivity_report.c - report.html of a global sensitivity analysis
 * (`exoskin sensitivity -o`, docs/report.md): the parameters ranked by
 * Morris mu* (with sigma) or Sobol total index (with S1 and bootstrap
 * intervals) as bars, the table of every index, the side effects of a
 * typical patient and the provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

#define BARS 20 /* parameters in the figure */

static double rank_value(const exo_sensitivity_result *r, int i)
{
    return r->method == EXO_SENS_MORRIS ? r->params[i].mu_star : r->params[i].st;
}

/* Horizontal bars, largest first: mu* and sigma (Morris) or S_T and S_1
 * with their 95 % intervals (Sobol). */
static void draw_ranking(cairo_t *cr, const void *data, double w, double h)
{
    const exo_sensitivity_result *r = data;
    bool morris = r->method == EXO_SENS_MORRIS;
    int n = r->n_params < BARS ? r->n_params : BARS;
    exo__plot_background(cr);
    double hi = morris ? 0 : 1;
    for (int i = 0; i < n; i++)
        hi = fmax(hi, morris ? fmax(r->params[i].mu_star, r->params[i].sigma) : r->params[i].st_hi);
    double lo = 0;
    exo__nice_range(&lo, &hi);
    double x0 = 300, y0 = 50, y1 = h - 70, rowh = (y1 - y0) / (n > 0 ? n : 1);
    /* the value axis runs along x: draw it by hand, rows are categories */
    exo__axes ax = {x0, y0, w - 30, y1, lo, hi, 0, 1, false, false, false};
    exo__plot_font(cr, 11.5, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), 22, 0.5, 0.5,
                   morris ? _("Morris mu* (bars) and sigma (lines) [% per full range]")
                          /* xgettext:no-c-format */
                          : _("Sobol total index S_T (bars) and first-order S_1 (lines), 95 % intervals"));
    double step = exo__nice_step(hi - lo, 6);
    char buf[64];
    exo__plot_font(cr, 10, false);
    cairo_set_line_width(cr, 1);
    for (double v = lo; v <= hi + 1e-9 * step; v += step) {
        double x = exo__px(&ax, v);
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, x, y0);
        cairo_line_to(cr, x, y1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-12 ? 0.0 : v);
        exo__plot_text(cr, x, y1 + 7, 0.5, 0, buf);
    }
    cairo_rectangle(cr, ax.x0, y0, ax.x1 - ax.x0, y1 - y0);
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
        const exo_sensitivity_param *p = &r->params[i];
        double yc = y0 + (i + 0.5) * rowh, bh = fmin(18, 0.7 * rowh);
        exo__plot_font(cr, fmin(10, 0.8 * rowh), false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, x0 - 8, yc, 1, 0.5, p->key);
        exo__clip_to(cr, &ax); /* small designs can estimate indices beyond the axis */
        exo__plot_colour(cr, 0);
        double v = rank_value(r, i);
        cairo_rectangle(cr, exo__px(&ax, 0), yc - 0.5 * bh, exo__px(&ax, v) - exo__px(&ax, 0), bh);
        cairo_fill(cr);
        exo__plot_colour(cr, 1);
        cairo_set_line_width(cr, 2.5);
        double s = morris ? p->sigma : p->s1;
        cairo_move_to(cr, exo__px(&ax, 0), yc);
        cairo_line_to(cr, exo__px(&ax, s), yc);
        cairo_stroke(cr);
        cairo_restore(cr);
        /* the value beside the bar (inside it, in white, where the axis ends) */
        char val[32];
        snprintf(val, sizeof val, "%.3g", fabs(v) < 1e-12 ? 0.0 : v);
        exo__plot_font(cr, 9, false);
        cairo_text_extents_t e;
        cairo_text_extents(cr, val, &e);
        /* right of the bar and its line; else inside the bar's end, in white; else above its start */
        double end = fmin(exo__px(&ax, fmax(v, s)), ax.x1), bar = fmin(exo__px(&ax, v), ax.x1);
        if (end + 5 + e.width <= ax.x1 - 2) {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            exo__plot_text(cr, end + 5, yc, 0, 0.5, val);
        } else if (bar - ax.x0 > e.width + 8) {
            cairo_set_source_rgb(cr, 1, 1, 1);
            exo__plot_text(cr, bar - 4, yc, 1, 0.5, val);
        } else {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            exo__plot_text(cr, ax.x0 + 4, yc - 0.5 * bh - 1, 0, 1, val);
        }
        exo__clip_to(cr, &ax);
        if (!morris) {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_set_line_width(cr, 1);
            cairo_move_to(cr, exo__px(&ax, p->st_lo), yc - 0.3 * bh);
            cairo_line_to(cr, exo__px(&ax, p->st_hi), yc - 0.3 * bh);
            cairo_stroke(cr);
        }
        cairo_restore(cr);
    }
    exo__plot_font(cr, 10.5, false);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), y1 + 26, 0.5, 0,
                   morris ? _("effect on the endpoint [% per full range of the parameter]") : _("index [1]"));
}

/* The figure: 30 px a parameter between its title and its axis. */
static exo__figure fig_ranking(const exo_sensitivity_result *r)
{
    int n = r->n_params < BARS ? r->n_params : BARS;
    return (exo__figure){"ranking",
                         N_("Parameters ranked by their effect on the endpoint (at most the first 20), largest first."),
                         900, fmin(560, fmax(220, 120 + 30 * n)), draw_ranking};
}

static void section_summary(exo__html *b, const exo_sensitivity_result *r, const exo_config *cfg,
                            const exo_result *typ, exo_adverse_event *ev)
{
    bool morris = r->method == EXO_SENS_MORRIS;
    char name[768];
    const char *what = exo__report_readout_label(exo_readout_index(r->endpoint));
    exo__html_section(b, "summary", N_("Summary in plain words"));
    put(b, "<p>");
    putf(b, _("Which model parameters decide the predicted change of the %s in arm '%s'? Over %d model runs the change "
              "averaged %+.2f&#8239;%% (SD %.2f&#8239;%%). The parameters that matter most:"),
         what, exo__html_esc_str(r->arm, name, sizeof name), r->runs, r->mean, sqrt(r->variance));
    put(b, "</p>\n<ol>\n");
    for (int i = 0; i < r->n_params && i < 3; i++) {
        const exo_sensitivity_param *p = &r->params[i];
        put(b, "<li><code>");
        exo__html_esc(b, p->key);
        put(b, "</code>: ");
        if (morris)
            putf(b, _("changes the endpoint by %.3g&#8239;%% on average over its range (mu*)"), p->mu_star);
        else
            putf(b, _("explains %.0f&#8239;%% of its variance with its interactions (S_T, 95&#8239;%% interval %.2f to "
                      "%.2f)"),
                 100 * p->st, p->st_lo, p->st_hi);
        put(b, "</li>\n");
    }
    put(b, "</ol>\n");
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    if (morris)
        putf(b, _("Morris screening with %d trajectories ranks the parameters; it does not split the variance. Close "
                  "ranks can swap with another seed or more trajectories."),
             r->trajectories);
    else
        putf(b, _("Sobol indices from %d base samples; the intervals come from %d bootstrap resamples."), r->samples,
             r->bootstrap);
    put(b, " ");
    put(b, _("This tells where better data would sharpen the predictions most; it is not a prediction for a person."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: ranking and the typical patient."));
}

static void section_ranking(exo__html *b, const exo_sensitivity_result *r)
{
    bool morris = r->method == EXO_SENS_MORRIS;
    exo__html_section(b, "ranking", N_("Ranking of the parameters"));
    const exo__figure fig = fig_ranking(r);
    exo__html_figure(b, &fig, r);
    put(b, "<p>");
    putf(b, _("The endpoint over the %d runs of the design: mean %+.2f&#8239;%%, SD %.2f&#8239;%%."), r->runs, r->mean,
         sqrt(r->variance));
    put(b, "</p>\n");
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>", _("rank"), _("parameter"),
         _("unit"), _("range"), _("scale"));
    if (morris)
        put(b, "<th>mu* [%]</th><th>mu [%]</th><th>sigma [%]</th></tr>\n");
    else
        put(b, "<th>S_1</th><th>S_1 95 % CI</th><th>S_T</th><th>S_T 95 % CI</th></tr>\n");
    for (int i = 0; i < r->n_params; i++) {
        const exo_sensitivity_param *p = &r->params[i];
        putf(b, "<tr><td>%d</td><td>%s</td><td>", i + 1, p->key);
        exo__html_esc(b, p->unit);
        putf(b, "</td><td>%g &ndash; %g</td><td>%s</td>", p->min, p->max, p->log_scale ? _("log") : _("linear"));
        if (morris)
            putf(b, "<td>%.4g</td><td>%.4g</td><td>%.4g</td></tr>\n", p->mu_star, p->mu, p->sigma);
        else
            putf(b, "<td>%.3f</td><td>%.3f &ndash; %.3f</td><td>%.3f</td><td>%.3f &ndash; %.3f</td></tr>\n", p->s1,
                 p->s1_lo, p->s1_hi, p->st, p->st_lo, p->st_hi);
    }
    put(b, "</table>\n</section>\n");
}

exo_status exo__report_write_sensitivity(exo_ctx *ctx, const exo_sensitivity_result *r, const exo_result *typ,
                                         const char *dir)
{
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, typ);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "ranking", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Ranking"), N_("Typical patient"), N_("Inputs")};
    char title[256], note[1024], runs[32], name[768], unit[256];
    snprintf(title, sizeof title, _("exoskin sensitivity report: %s"), s.cfg->name);
    const int k = exo_readout_index(r->endpoint); /* in plain words, with its scale, where it is a readout */
    snprintf(note, sizeof note, _("%s of the %% change of %s [%s] at the end of the run, arm '%s'; exoskin %s."),
             r->method == EXO_SENS_MORRIS ? _("Morris elementary effects") : _("Sobol indices"),
             k >= 0 ? exo__report_readout_label(k) : r->endpoint,
             exo__html_esc_str(k >= 0 ? exo_readout_scale(k) : r->unit, unit, sizeof unit),
             exo__html_esc_str(r->arm, name, sizeof name), EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 4);
    section_summary(&s.b, r, s.cfg, s.typ, s.ev);
    section_ranking(&s.b, r);
    snprintf(runs, sizeof runs, "%d", r->runs);
    const char *extra[] = {N_("endpoint"), r->endpoint, N_("arm"), r->arm, N_("model runs"), runs};
    return exo__study_close(&s, EXO_OK, N_("Side effects of a typical patient"), N_("sensitivity analysis"),
                            (unsigned long long)r->seed, extra, 3, r->effective_input);
}
