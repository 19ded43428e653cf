/* trial_report.c - report.html of a virtual trial (docs/report.md): the
 * endpoint's time course per arm (mean % change and its 95 % CI band), the
 * primary comparison (effect, CI, p, Cohen's d, sample size for 80 % power),
 * responder rates, serious adverse events in the cohort, the side effects of
 * a typical patient and the provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

static int endpoint_readout(const exo_trial_result *r)
{
    return (int)r->cfg->trial.endpoint - EXO_Q_READOUT_FIRST;
}

static void arm_names(const exo_trial_result *r, const char **names, int cap)
{
    for (int a = 0; a < r->n_arms && a < cap; a++)
        names[a] = r->arms[a].name;
}

/* Mean % change from baseline against weeks, one line per arm from (0, 0)
 * through the visits, with the 95 % CI of the mean as a translucent band. */
static void draw_endpoint(cairo_t *cr, const void *data, double w, double h)
{
    const exo_trial_result *r = data;
    const exo_trial_cfg *t = &r->cfg->trial;
    exo__plot_background(cr);
    double lo = 0, hi = 0, xmax = r->n_visits ? t->visits[r->n_visits - 1] / EXO_WEEK : 1;
    for (int a = 0; a < r->n_arms; a++)
        for (int v = 0; v < r->n_visits; v++) {
            const exo_trial_summary *s = &r->arms[a].change[v];
            lo = fmin(lo, isfinite(s->ci_lo) ? s->ci_lo : s->mean);
            hi = fmax(hi, isfinite(s->ci_hi) ? s->ci_hi : s->mean);
        }
    exo__nice_range(&lo, &hi);
    exo__axes ax = {90, 50, w - 30, h - 80, 0, xmax > 0 ? xmax : 1, lo, hi, false, false, false};
    char title[160];
    snprintf(title, sizeof title, _("%s: mean change from baseline and its 95 %% CI"),
             exo__report_readout_label(endpoint_readout(r)));
    exo__draw_axes(cr, &ax, _("time [weeks]"), _("change from baseline [%]"), title);
    exo__clip_to(cr, &ax);
    for (int a = 0; a < r->n_arms; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        exo__plot_colour(cr, a);
        double rgb[3];
        cairo_pattern_get_rgba(cairo_get_source(cr), &rgb[0], &rgb[1], &rgb[2], NULL);
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.2);
        cairo_move_to(cr, exo__px(&ax, 0), exo__py(&ax, 0));
        for (int v = 0; v < r->n_visits; v++) {
            double y = isfinite(arm->change[v].ci_hi) ? arm->change[v].ci_hi : arm->change[v].mean;
            cairo_line_to(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, y));
        }
        for (int v = r->n_visits - 1; v >= 0; v--) {
            double y = isfinite(arm->change[v].ci_lo) ? arm->change[v].ci_lo : arm->change[v].mean;
            cairo_line_to(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, y));
        }
        cairo_close_path(cr);
        cairo_fill(cr);
        exo__plot_colour(cr, a);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, exo__px(&ax, 0), exo__py(&ax, 0));
        for (int v = 0; v < r->n_visits; v++)
            cairo_line_to(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, arm->change[v].mean));
        cairo_stroke(cr);
        for (int v = 0; v < r->n_visits; v++) {
            cairo_arc(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, arm->change[v].mean), 3.5, 0, 6.2832);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
    const char *names[16];
    arm_names(r, names, 16);
    exo__plot_legend(cr, 100, h - 22, names, r->n_arms < 16 ? r->n_arms : 16);
}

/* Responder rate [%] per visit, one bar per arm. */
static void draw_responders(cairo_t *cr, const void *data, double w, double h)
{
    const exo_trial_result *r = data;
    exo__plot_background(cr);
    int nv = r->n_visits > 0 ? r->n_visits : 1, na = r->n_arms > 0 ? r->n_arms : 1;
    exo__axes ax = {80, 50, w - 20, h - 80, 0, nv, 0, 100, false, true, false};
    /* xgettext:no-c-format */
    const char *ylabel = _("responders [% of patients]");
    exo__draw_axes(cr, &ax, NULL, ylabel, _("Responders at each visit"));
    double gw = (ax.x1 - ax.x0) / nv, bw = fmin(40, 0.8 * gw / na);
    char buf[64];
    for (int v = 0; v < r->n_visits; v++) {
        double cx = ax.x0 + (v + 0.5) * gw;
        exo__plot_font(cr, 10.5, false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        snprintf(buf, sizeof buf, _("week %g"), r->cfg->trial.visits[v] / EXO_WEEK);
        exo__plot_text(cr, cx, ax.y1 + 8, 0.5, 0, buf);
        for (int a = 0; a < r->n_arms; a++) {
            double pc = 100 * r->arms[a].responder_rate[v], x = cx + (a - 0.5 * na) * bw, y = exo__py(&ax, pc);
            exo__plot_colour(cr, a);
            cairo_rectangle(cr, x + 2, y, bw - 4, ax.y1 - y);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            exo__plot_font(cr, 8.5, false);
            snprintf(buf, sizeof buf, "%.0f", pc);
            exo__plot_text(cr, x + 0.5 * bw, y - 3, 0.5, 1, buf);
        }
    }
    const char *names[16];
    arm_names(r, names, 16);
    exo__plot_legend(cr, 90, h - 22, names, r->n_arms < 16 ? r->n_arms : 16);
}

static const exo__figure fig_endpoint = {
    /* xgettext:no-c-format */
    "endpoint", N_("Mean change from baseline of the endpoint at each visit per arm; the band is the 95 % confidence "
                   "interval of the mean."), 900, 460, draw_endpoint};
static const exo__figure fig_responders = {
    "responders", N_("Share of patients who respond (the responder threshold of the trial) at each visit, per arm."),
    800, 380, draw_responders};

static void put_ci(exo__html *b, double lo, double hi)
{
    if (isfinite(lo) && isfinite(hi))
        putf(b, "%+.2f %s %+.2f", lo, _("to"), hi);
    else
        put(b, "&ndash;");
}

static void section_summary(exo__html *b, const exo_trial_result *r, const exo_result *typ, exo_adverse_event *ev)
{
    const exo_config *cfg = r->cfg;
    const exo_trial_cfg *t = &cfg->trial;
    const char *what = exo__report_readout_label(endpoint_readout(r));
    int last = r->n_visits - 1;
    exo__html_section(b, "summary", N_("Summary in plain words"));
    putf(b, "<p>");
    putf(b, _("A virtual trial of %d patient-arm runs (%s design) predicts, for the %s after %g weeks:"), r->n_patients,
         exo_trial_design_name(t->design), what, last >= 0 ? t->visits[last] / EXO_WEEK : 0.0);
    put(b, "</p>\n<ul>\n");
    for (int a = 0; a < r->n_arms && last >= 0; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        put(b, "<li><strong>");
        exo__html_esc(b, arm->name);
        put(b, "</strong>: ");
        putf(b, _("on average a change of %+.2f&#8239;%% (95&#8239;%% confidence interval %+.2f to %+.2f&#8239;%%); "
                  "%.0f&#8239;%% of the patients respond (change of %g&#8239;%% or more in that direction); %d of %d "
                  "patients had a serious adverse event."),
             arm->change[last].mean, arm->change[last].ci_lo, arm->change[last].ci_hi, 100 * arm->responder_rate[last],
             t->responder_threshold, arm->n_serious, arm->baseline.n);
        put(b, "</li>\n");
    }
    put(b, "</ul>\n");
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    const exo_trial_comparison *c = &r->primary;
    if (c->present) {
        putf(b, _("The difference of the comparison (%s) is %+.3g with a 95&#8239;%% confidence interval of %+.3g to "
                  "%+.3g (p = %.2g): "),
             c->what, c->test.mean_diff, c->test.ci_lo, c->test.ci_hi, c->test.p);
        put(b, c->test.p < 0.05 ? _("a difference this large would rarely arise by chance between virtual patients.")
                                : _("the trial cannot tell this difference from chance."));
        put(b, " ");
        if (c->sample_size > 0)
            putf(b, c->paired ? _("A real trial would need about %d patients (pairs) to detect it with 80&#8239;%% "
                                  "power.")
                              : _("A real trial would need about %d patients per arm to detect it with 80&#8239;%% "
                                  "power."),
                 c->sample_size);
        put(b, " ");
    }
    put(b, _("The intervals show the spread between virtual patients (age, sex, skin type and the model's parameter "
             "ranges); they do not cover errors of the model itself, whose parameters are in part estimates."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: endpoint, comparison, adverse events and the typical "
           "patient."));
}

static void section_endpoint(exo__html *b, const exo_trial_result *r)
{
    const exo_trial_cfg *t = &r->cfg->trial;
    int k = endpoint_readout(r);
    exo__html_section(b, "endpoint", N_("Endpoint over time"));
    exo__html_figure(b, &fig_endpoint, r);
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>n</th><th>%s [", _("arm"), _("visit"), _("mean"));
    exo__html_esc(b, exo_readout_scale(k));
    putf(b, "]</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("SD"), _("change [%]"),
         _("95 % CI [%]"), _("responders [%]"));
    for (int a = 0; a < r->n_arms; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        put(b, "<tr><td>");
        exo__html_esc(b, arm->name);
        putf(b, "</td><td>%s</td><td>%d</td><td>%.5g</td><td>%.3g</td><td>&ndash;</td><td>&ndash;</td><td>&ndash;"
                "</td></tr>\n", _("baseline"), arm->baseline.n, arm->baseline.mean, arm->baseline.sd);
        for (int v = 0; v < r->n_visits; v++) {
            put(b, "<tr><td>");
            exo__html_esc(b, arm->name);
            put(b, "</td><td>");
            putf(b, _("week %g"), t->visits[v] / EXO_WEEK);
            putf(b, "</td><td>%d</td><td>%.5g</td><td>%.3g</td><td>%+.2f</td><td>", arm->value[v].n,
                 arm->value[v].mean, arm->value[v].sd, arm->change[v].mean);
            put_ci(b, arm->change[v].ci_lo, arm->change[v].ci_hi);
            putf(b, "</td><td>%.0f</td></tr>\n", 100 * arm->responder_rate[v]);
        }
    }
    put(b, "</table>\n</section>\n");
}

static void section_comparison(exo__html *b, const exo_trial_result *r)
{
    const exo_trial_comparison *c = &r->primary;
    exo__html_section(b, "comparison", N_("Comparison of the arms"));
    if (!c->present) {
        putf(b, "<p>%s</p>\n</section>\n",
             _("No primary comparison: it needs two arms in a parallel design, one arm or two in a paired design, and "
               "spread in the data."));
        return;
    }
    putf(b, "<table>\n<tr><td>%s</td><td>", _("compared"));
    exo__html_esc(b, c->what);
    putf(b, "</td></tr>\n<tr><td>%s</td><td>%s</td></tr>\n", _("test"),
         c->paired ? _("paired t-test") : _("Welch t-test"));
    putf(b, "<tr><td>%s</td><td>%+.4g</td></tr>\n<tr><td>%s</td><td>", _("effect (mean difference)"),
         c->test.mean_diff,
         /* xgettext:no-c-format */
         _("95 % CI"));
    put_ci(b, c->test.ci_lo, c->test.ci_hi);
    putf(b, "</td></tr>\n<tr><td>t</td><td>%.4g</td></tr>\n<tr><td>df</td><td>%.4g</td></tr>\n<tr><td>p</td>"
            "<td>%.2g</td></tr>\n<tr><td>%s</td><td>%.3g</td></tr>\n",
         c->test.t, c->test.df, c->test.p, c->paired ? _("Cohen's d_z") : _("Cohen's d"), c->test.d);
    /* xgettext:no-c-format */
    const char *pairs = _("pairs for 80 % power (two-sided alpha 0.05)");
    /* xgettext:no-c-format */
    const char *per_arm = _("patients per arm for 80 % power (two-sided alpha 0.05)");
    putf(b, "<tr><td>%s</td><td>", c->paired ? pairs : per_arm);
    if (c->sample_size > 0)
        putf(b, "%d", c->sample_size);
    else
        put(b, "&ndash;");
    put(b, "</td></tr>\n</table>\n</section>\n");
}

static void section_responders_ae(exo__html *b, const exo_trial_result *r)
{
    exo__html_section(b, "responders", N_("Responders"));
    putf(b, "<p>");
    putf(b, _("A responder is a patient whose endpoint changes by %g&#8239;%% or more from baseline in that "
              "direction."), r->cfg->trial.responder_threshold);
    put(b, "</p>\n");
    exo__html_figure(b, &fig_responders, r);
    put(b, "</section>\n");
    exo__html_section(b, "adverse-events", N_("Adverse events in the cohort"));
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("arm"), _("patients"),
         _("patients with a serious adverse event"), _("mean probability of a serious event [%]"));
    for (int a = 0; a < r->n_arms; a++) {
        put(b, "<tr><td>");
        exo__html_esc(b, r->arms[a].name);
        putf(b, "</td><td>%d</td><td>%d</td><td>%.2g</td></tr>\n", r->arms[a].baseline.n, r->arms[a].n_serious,
             100 * r->arms[a].mean_p_serious);
    }
    put(b, "</table>\n</section>\n");
}

exo_status exo__report_write_trial(exo_ctx *ctx, const exo_trial_result *r, const char *yaml, const exo_result *typ,
                                   const char *dir)
{
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, typ);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "endpoint", "comparison", "responders", "adverse-events",
                                      "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Endpoint"), N_("Comparison"), N_("Responders"),
                                         N_("Adverse events"), N_("Typical patient"), N_("Inputs")};
    char title[256], note[256], pts[32];
    snprintf(title, sizeof title, _("exoskin trial report: %s"), r->cfg->name);
    snprintf(note, sizeof note, _("Virtual trial, %s design, %d patient-arm runs, exoskin %s."),
             exo_trial_design_name(r->cfg->trial.design), r->n_patients, EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 7);
    section_summary(&s.b, r, s.typ, s.ev);
    section_endpoint(&s.b, r);
    section_comparison(&s.b, r);
    section_responders_ae(&s.b, r);
    snprintf(pts, sizeof pts, "%d", r->cfg->trial.patients);
    const char *extra[] = {N_("design"), exo_trial_design_name(r->cfg->trial.design), N_("patients"), pts};
    return exo__study_close(&s, EXO_OK, N_("Side effects of a typical patient"), N_("virtual trial"),
                            (unsigned long long)r->cfg->seed, extra, 2, yaml);
}
