/* optimize_report.c - report.html of a protocol optimisation (`exoskin
 * optimize -o`, docs/report.md): the best protocol and its runner-ups
 * (figure and table), the same best protocol with its vehicle alone (what
 * the product adds), the uncertainty of the best one over parameter draws,
 * the side effects of the person under the best protocol and the
 * provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

/* The endpoint change of each protocol; the best one with the 5-95 % range
 * of its parameter draws as a whisker and the draws as dots. */
static void draw_protocols(cairo_t *cr, const void *data, double w, double h)
{
    const exo_optimize_result *r = data;
    exo__plot_background(cr);
    double lo = 0, hi = 0;
    for (int i = 0; i < r->n_best; i++) {
        lo = fmin(lo, r->best[i].change);
        hi = fmax(hi, r->best[i].change);
    }
    for (int k = 0; k < r->n_draws; k++) {
        lo = fmin(lo, r->draw_change[k]);
        hi = fmax(hi, r->draw_change[k]);
    }
    exo__nice_range(&lo, &hi);
    int n = r->n_best > 0 ? r->n_best : 1;
    exo__axes ax = {90, 50, w - 30, h - 60, 0, n, lo, hi, false, true, false};
    char title[160], buf[64];
    snprintf(title, sizeof title, _("%s: change from baseline by protocol"),
             exo__report_readout_label(r->opt.endpoint - EXO_Q_READOUT_FIRST));
    exo__draw_axes(cr, &ax, NULL, _("change from baseline [%]"), title);
    double gw = (ax.x1 - ax.x0) / n, bw = fmin(90, 0.5 * gw);
    for (int i = 0; i < r->n_best; i++) {
        double cx = ax.x0 + (i + 0.5) * gw, y0 = exo__py(&ax, 0), y = exo__py(&ax, r->best[i].change);
        exo__plot_colour(cr, i);
        cairo_rectangle(cr, cx - 0.5 * bw, fmin(y, y0), bw, fabs(y - y0));
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_font(cr, 10.5, false);
        if (i == 0)
            snprintf(buf, sizeof buf, "%s", _("best"));
        else
            snprintf(buf, sizeof buf, _("runner-up %d"), i);
        exo__plot_text(cr, cx, ax.y1 + 8, 0.5, 0, buf);
        snprintf(buf, sizeof buf, "%+.2f %%", r->best[i].change);
        exo__plot_font(cr, 9, false);
        exo__plot_text(cr, cx + 0.5 * bw + 4, y, 0, 0.5, buf);
    }
    if (r->n_draws > 0 && r->n_best > 0) {
        double cx = ax.x0 + 0.5 * gw;
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, cx, exo__py(&ax, r->change_p05));
        cairo_line_to(cr, cx, exo__py(&ax, r->change_p95));
        for (int e = 0; e < 2; e++) {
            double y = exo__py(&ax, e ? r->change_p95 : r->change_p05);
            cairo_move_to(cr, cx - 8, y);
            cairo_line_to(cr, cx + 8, y);
        }
        cairo_stroke(cr);
        for (int k = 0; k < r->n_draws; k++) {
            cairo_arc(cr, cx - 0.25 * bw, exo__py(&ax, r->draw_change[k]), 2.5, 0, 6.2832);
            cairo_fill(cr);
        }
    }
}

static const exo__figure fig_protocols = {
    "protocols", N_("Change of the endpoint from baseline under the best protocol and its runner-ups; for the best, "
                    "the dots are the parameter draws and the whisker their 5-95 % range."),
    800, 400, draw_protocols};

static void put_protocol(exo__html *b, const exo_optimize_result *r, const exo_optimize_point *p)
{
    for (int i = 0; i < r->opt.n_vars; i++) {
        put(b, i ? ", " : "");
        put(b, "<code>");
        exo__html_esc(b, r->opt.vars[i].key);
        put(b, "</code> = ");
        exo__report_prose(b, p->values[i]);
    }
}

static void section_summary(exo__html *b, const exo_optimize_result *r, const exo_config *cfg, const exo_result *typ,
                            exo_adverse_event *ev)
{
    const char *what = exo__report_readout_label(r->opt.endpoint - EXO_Q_READOUT_FIRST);
    exo__html_section(b, "summary", N_("Summary in plain words"));
    put(b, "<p>");
    if (r->n_best > 0) {
        const exo_optimize_point *p = &r->best[0];
        putf(b, r->outcome == EXO_OPT_FOUND ? _("For this person, the protocol that does most for the %s within the "
                                                "limits is: ")
                                            : _("No protocol keeps within every limit; the one that breaks them least "
                                                "for the %s is: "),
             what);
        put_protocol(b, r, p);
        put(b, ". ");
        char risk[96];
        putf(b, _("The model predicts a change of %+.2f&#8239;%% with %d sessions and a serious adverse-event risk of "
                  "%s."),
             p->change, p->sessions, exo__html_risk_str(p->serious_risk, risk, sizeof risk));
        if (r->has_vehicle && r->uses_product && r->n_draws > 0) {
            put(b, " ");
            putf(b, _("The same protocol with the product replaced by its vehicle alone gives %+.2f&#8239;%%: the "
                      "product adds %+.2f&#8239;%% (%+.2f to %+.2f&#8239;%% over the parameter draws)."),
                 r->vehicle.change, r->marginal, r->marginal_p05, r->marginal_p95);
        }
        if (r->opt.draws > 0) {
            put(b, " ");
            putf(b, _("The change is the mean over %d draws of the calibrated posterior; the risk stays within its "
                      "limit in %.0f&#8239;%% of them (required: %.0f&#8239;%%)."),
                 r->opt.draws, 100 * p->p_within_risk, 100 * r->opt.credibility);
        }
        if (r->n_best > 1) {
            put(b, " ");
            putf(b, _("The next best protocol gives %+.2f&#8239;%%."), r->best[1].change);
        }
    } else
        exo__html_esc(b, r->message);
    put(b, "</p>\n");
    for (int i = 0; i < r->opt.n_vars && r->n_best > 0; i++) {
        if (!r->on_bound[i])
            continue;
        putf(b, "<p class=\"warn\"><strong>%s</strong> ", _("On a bound:"));
        putf(b, "<code>");
        exo__html_esc(b, r->opt.vars[i].key);
        put(b, "</code> = ");
        exo__report_prose(b, r->best[0].values[i]);
        put(b, " ");
        char lo[96], hi[96], unit[96], esc[600];
        putf(b, r->on_bound[i] < 0 ? _("sits on the lower end of its search range (%s to %s %s): the best value "
                                       "may lie below it. Widen the range before trusting this answer.")
                                   : _("sits on the upper end of its search range (%s to %s %s): the best value "
                                       "may lie above it. Widen the range before trusting this answer."),
             exo__html_sci_str(r->opt.vars[i].min, lo, sizeof lo), exo__html_sci_str(r->opt.vars[i].max, hi, sizeof hi),
             exo__html_esc_str(exo__unit_str(r->opt.vars[i].unit, unit, sizeof unit), esc, sizeof esc));
        put(b, "</p>\n");
    }
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    if (r->n_draws > 0)
        putf(b, _("Over %d draws of the uncertain model parameters the change of the best protocol lies between "
                  "%+.2f and %+.2f&#8239;%% (5-95&#8239;%% range; mean %+.2f&#8239;%%)."),
             r->n_draws, r->change_p05, r->change_p95, r->change_mean);
    put(b, " ");
    put(b, r->opt.draws > 0 ? _("The search is for this one person (the scenario's skin), over draws of the model's "
                                "uncertain parameters; a protocol only a little better than a runner-up is not "
                                "reliably better.")
                              : _("The search is for this one person (the scenario's skin) with the model's central "
                                  "values; a protocol only a little better than a runner-up is not reliably better."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: protocols, uncertainty and the typical patient."));
}

static void section_protocols(exo__html *b, const exo_optimize_result *r)
{
    exo__html_section(b, "protocols", N_("Best protocol and runner-ups"));
    exo__html_figure(b, &fig_protocols, r);
    putf(b, "<div class=\"wide\"><table>\n<tr><th>%s</th>", _("protocol"));
    for (int i = 0; i < r->opt.n_vars; i++) {
        put(b, "<th class=\"key\">");
        exo__html_name(b, r->opt.vars[i].key);
        put(b, "</th>");
    }
    putf(b, "<th>%s [%%]</th><th>%s [", _("change"), _("final"));
    char unit[96], risk[96];
    exo__html_esc(b, exo__unit_str(r->endpoint_scale, unit, sizeof unit));
    putf(b, "]</th><th>%s [%%]</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("serious adverse-event risk"),
         _("sessions"), _("cost"), _("within the limits"));
    for (int k = 0; k < r->n_best; k++) {
        const exo_optimize_point *p = &r->best[k];
        put(b, "<tr><td>");
        if (k == 0)
            put(b, _("best"));
        else
            putf(b, _("runner-up %d"), k);
        put(b, "</td>");
        for (int i = 0; i < r->opt.n_vars; i++) {
            put(b, "<td>");
            exo__report_prose(b, p->values[i]);
            put(b, "</td>");
        }
        putf(b, "<td>%+.2f</td><td>%.5g</td><td>%s</td><td>%d</td><td>%.4g</td><td>%s</td></tr>\n", p->change,
             p->final, exo__html_risk_str(p->serious_risk, risk, sizeof risk), p->sessions, p->cost, p->feasible ? _("yes") : _("no"));
    }
    if (r->has_vehicle && r->uses_product) {
        const exo_optimize_point *v = &r->vehicle;
        putf(b, "<tr><td>%s</td>", _("best, vehicle alone"));
        for (int i = 0; i < r->opt.n_vars; i++) {
            put(b, "<td>");
            exo__report_prose(b, r->best[0].values[i]);
            put(b, "</td>");
        }
        putf(b, "<td>%+.2f</td><td>%.5g</td><td>%s</td><td>%d</td><td>%.4g</td><td></td></tr>\n", v->change,
             v->final, exo__html_risk_str(v->serious_risk, risk, sizeof risk), v->sessions, v->cost);
    }
    put(b, "</table></div>\n<p class=\"note\">");
    putf(b, _("Limits: serious adverse-event risk at most %.2g&#8239;%%"), 100 * r->opt.max_serious_risk);
    if (r->opt.max_sessions > 0)
        putf(b, _(", at most %d sessions"), r->opt.max_sessions);
    if (r->opt.max_cost > 0)
        putf(b, _(", cost at most %g"), r->opt.max_cost);
    putf(b, _(". %d combinations of choices, %d runs."), r->combinations, r->evaluations);
    put(b, "</p>\n</section>\n");
}

static void section_uncertainty(exo__html *b, const exo_optimize_result *r)
{
    exo__html_section(b, "uncertainty", N_("Uncertainty of the best protocol"));
    if (r->n_draws == 0) {
        putf(b, "<p>%s</p>\n</section>\n", _("No parameter draws were made."));
        return;
    }
    putf(b, "<table>\n<tr><td>%s</td><td>%d</td></tr>\n<tr><td>%s</td><td>%+.2f</td></tr>\n<tr><td>%s</td>"
            "<td>%.3g</td></tr>\n<tr><td>%s</td><td>%+.2f</td></tr>\n<tr><td>%s</td><td>%+.2f</td></tr>\n",
         _("parameter draws"), r->n_draws, _("mean change [%]"), r->change_mean, _("SD [%]"), r->change_sd,
         _("5th percentile [%]"), r->change_p05, _("95th percentile [%]"), r->change_p95);
    put(b, "</table>\n</section>\n");
}

exo_status exo__report_write_optimize(exo_ctx *ctx, const exo_optimize_result *r, const exo_result *typ,
                                      const char *dir)
{
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, typ);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "protocols", "uncertainty", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Protocols"), N_("Uncertainty"), N_("Typical patient"),
                                         N_("Inputs")};
    char title[256], note[256];
    snprintf(title, sizeof title, _("exoskin protocol optimisation: %s"), s.cfg->name);
    snprintf(note, sizeof note, _("The protocol that does most for one person, under limits; %d runs, exoskin %s."),
             r->evaluations, EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 5);
    section_summary(&s.b, r, s.cfg, s.typ, s.ev);
    section_protocols(&s.b, r);
    section_uncertainty(&s.b, r);
    const char *extra[] = {N_("outcome"), r->message};
    return exo__study_close(&s, EXO_OK, N_("Side effects under the best protocol"), N_("protocol optimisation"),
                            (unsigned long long)r->seed, extra, 1, r->effective_input);
}
