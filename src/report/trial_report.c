/* trial_report.c - report.html of a virtual trial (docs/report.md): the
 * endpoint's time course per arm (mean % change and its 95 % CI band), its
 * distribution per arm at the last visit (box plot with every patient), a
 * few patients' trajectories, the primary comparison (effect, CI, p,
 * Cohen's d, sample size for 80 % power) with the power curve against the
 * number of patients, responder rates with their 95 % (Wilson) intervals,
 * serious adverse events in the cohort, the side effects of a typical
 * patient and the provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

#define MAX_ARMS 16
#define TRAJECTORIES 5 /* patients per arm drawn in the trajectory figure */

/* A trial and, per arm, the endpoint's % change at the last visit of every
 * patient with a finite value, sorted (the box plot). */
typedef struct {
    const exo_trial_result *r;
    double *last[MAX_ARMS];
    int n_last[MAX_ARMS];
} trial_view;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of the sorted x[0..n-1] (linear between order statistics). */
static double quantile(const double *x, int n, double q)
{
    if (n <= 0)
        return NAN;
    double h = q * (n - 1);
    int i = (int)floor(h);
    return i + 1 < n ? x[i] + (h - i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* The 95 % Wilson score interval of a proportion p of n. */
static void wilson(double p, int n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959964, z2n = z * z / n;
    double c = (p + 0.5 * z2n) / (1 + z2n), hw = z * sqrt(p * (1 - p) / n + 0.25 * z2n / n) / (1 + z2n);
    *lo = fmax(0, c - hw);
    *hi = fmin(1, c + hw);
}

/* Power of the two-sided test at alpha 0.05 with n patients per arm (or
 * pairs) for effect size d: the inverse of exo_trial_sample_size (normal
 * approximation, n - 1 degrees of freedom's worth). */
static double power_at(double d, bool paired, double n)
{
    const double z = 1.959964;
    double ncp = fabs(d) * sqrt(fmax(0, n - 1) / (paired ? 1.0 : 2.0));
    return 0.5 * erfc(-(ncp - z) / sqrt(2.0));
}

/* A p-value as readers expect it: "p < 0.001" or "p = 0.034". */
static const char *p_str(double p, char *buf, size_t cap)
{
    if (p < 0.001)
        snprintf(buf, cap, "p &lt; 0.001");
    else
        snprintf(buf, cap, "p = %.2g", p);
    return buf;
}

/* Decimals that give the largest of |v[0..n)| sig significant digits: one
 * column's numbers all with as many decimals. */
static int column_decimals(const double *v, int n, int sig)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]))
            m = fmax(m, fabs(v[i]));
    int e = m > 0 ? (int)floor(log10(m)) : 0;
    return e >= sig - 1 ? 0 : sig - 1 - e;
}

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
    const exo_trial_result *r = ((const trial_view *)data)->r;
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

/* Responder rate [%] per visit, one bar per arm, with its 95 % interval. */
static void draw_responders(cairo_t *cr, const void *data, double w, double h)
{
    const exo_trial_result *r = ((const trial_view *)data)->r;
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
            double lo, hi;
            wilson(r->arms[a].responder_rate[v], r->arms[a].value[v].n, &lo, &hi);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            if (isfinite(lo)) { /* the interval: a line with caps */
                double xc = x + 0.5 * bw, ylo = exo__py(&ax, 100 * lo), yhi = exo__py(&ax, 100 * hi);
                cairo_set_line_width(cr, 1.2);
                cairo_move_to(cr, xc, ylo);
                cairo_line_to(cr, xc, yhi);
                cairo_move_to(cr, xc - 4, ylo);
                cairo_line_to(cr, xc + 4, ylo);
                cairo_move_to(cr, xc - 4, yhi);
                cairo_line_to(cr, xc + 4, yhi);
                cairo_stroke(cr);
                y = fmin(y, yhi);
            }
            exo__plot_font(cr, 8.5, false);
            snprintf(buf, sizeof buf, "%.0f", pc);
            exo__plot_text(cr, x + 0.5 * bw, y - 3, 0.5, 1, buf);
        }
    }
    const char *names[16];
    arm_names(r, names, 16);
    exo__plot_legend(cr, 90, h - 22, names, r->n_arms < 16 ? r->n_arms : 16);
}

/* The endpoint's % change at the last visit per arm: box (quartiles),
 * median, whiskers to the extremes and every patient as a dot. */
static void draw_distribution(cairo_t *cr, const void *data, double w, double h)
{
    const trial_view *tv = data;
    const exo_trial_result *r = tv->r;
    int na = r->n_arms < MAX_ARMS ? r->n_arms : MAX_ARMS;
    exo__plot_background(cr);
    double lo = 0, hi = 0;
    for (int a = 0; a < na; a++)
        if (tv->n_last[a] > 0) {
            lo = fmin(lo, tv->last[a][0]);
            hi = fmax(hi, tv->last[a][tv->n_last[a] - 1]);
        }
    exo__nice_range(&lo, &hi);
    exo__axes ax = {90, 50, w - 30, h - 50, 0, na > 0 ? na : 1, lo, hi, false, true, false};
    char title[200];
    int last = r->n_visits - 1;
    snprintf(title, sizeof title, _("%s: change from baseline at week %g, every patient"),
             exo__report_readout_label(endpoint_readout(r)), last >= 0 ? r->cfg->trial.visits[last] / EXO_WEEK : 0.0);
    exo__draw_axes(cr, &ax, NULL, _("change from baseline [%]"), title);
    double gw = (ax.x1 - ax.x0) / (na > 0 ? na : 1), bw = fmin(90, 0.45 * gw);
    for (int a = 0; a < na; a++) {
        const double *x = tv->last[a];
        int n = tv->n_last[a];
        double cx = ax.x0 + (a + 0.5) * gw;
        exo__plot_font(cr, 10.5, false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, cx, ax.y1 + 8, 0.5, 0, r->arms[a].name);
        if (n == 0)
            continue;
        double q1 = exo__py(&ax, quantile(x, n, 0.25)), q2 = exo__py(&ax, quantile(x, n, 0.5)),
               q3 = exo__py(&ax, quantile(x, n, 0.75));
        exo__plot_colour(cr, a);
        double rgb[3];
        cairo_pattern_get_rgba(cairo_get_source(cr), &rgb[0], &rgb[1], &rgb[2], NULL);
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.25);
        cairo_rectangle(cr, cx - 0.5 * bw, q3, bw, q1 - q3);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(cr, 1.5);
        cairo_rectangle(cr, cx - 0.5 * bw, q3, bw, q1 - q3);
        cairo_move_to(cr, cx, q1);
        cairo_line_to(cr, cx, exo__py(&ax, x[0]));
        cairo_move_to(cr, cx, q3);
        cairo_line_to(cr, cx, exo__py(&ax, x[n - 1]));
        cairo_stroke(cr);
        cairo_set_line_width(cr, 3);
        cairo_move_to(cr, cx - 0.5 * bw, q2);
        cairo_line_to(cr, cx + 0.5 * bw, q2);
        cairo_stroke(cr);
        for (int i = 0; i < n; i++) { /* every patient, spread sideways by a fixed pattern */
            double jx = ((i * 37) % 17 / 16.0 - 0.5) * 0.8 * bw;
            cairo_arc(cr, cx + 0.5 * bw + 12 + 0.25 * (jx + 0.4 * bw), exo__py(&ax, x[i]), 2.2, 0, 6.2832);
            cairo_fill(cr);
        }
    }
}

/* A few patients' % change against weeks (TRAJECTORIES per arm, the first
 * enrolled), thin lines, over the arm's mean (thick). */
static void draw_trajectories(cairo_t *cr, const void *data, double w, double h)
{
    const exo_trial_result *r = ((const trial_view *)data)->r;
    const exo_trial_cfg *t = &r->cfg->trial;
    exo__plot_background(cr);
    double lo = 0, hi = 0, xmax = r->n_visits ? t->visits[r->n_visits - 1] / EXO_WEEK : 1;
    int shown[MAX_ARMS] = {0};
    for (int i = 0; i < r->n_patients; i++) {
        const exo_trial_patient *p = &r->patients[i];
        if (p->arm < 0 || p->arm >= MAX_ARMS || shown[p->arm]++ >= TRAJECTORIES)
            continue;
        for (int v = 0; v < r->n_visits; v++)
            if (isfinite(p->change[v])) {
                lo = fmin(lo, p->change[v]);
                hi = fmax(hi, p->change[v]);
            }
    }
    exo__nice_range(&lo, &hi);
    exo__axes ax = {90, 50, w - 30, h - 80, 0, xmax > 0 ? xmax : 1, lo, hi, false, false, false};
    char title[200];
    snprintf(title, sizeof title, _("%s: %d patients per arm (thin) and the arm's mean (thick)"),
             exo__report_readout_label(endpoint_readout(r)), TRAJECTORIES);
    exo__draw_axes(cr, &ax, _("time [weeks]"), _("change from baseline [%]"), title);
    exo__clip_to(cr, &ax);
    memset(shown, 0, sizeof shown);
    for (int i = 0; i < r->n_patients; i++) {
        const exo_trial_patient *p = &r->patients[i];
        if (p->arm < 0 || p->arm >= MAX_ARMS || shown[p->arm]++ >= TRAJECTORIES)
            continue;
        exo__plot_colour(cr, p->arm);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, exo__px(&ax, 0), exo__py(&ax, 0));
        for (int v = 0; v < r->n_visits; v++)
            if (isfinite(p->change[v]))
                cairo_line_to(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, p->change[v]));
        cairo_stroke(cr);
    }
    for (int a = 0; a < r->n_arms; a++) {
        exo__plot_colour(cr, a);
        cairo_set_line_width(cr, 3);
        cairo_move_to(cr, exo__px(&ax, 0), exo__py(&ax, 0));
        for (int v = 0; v < r->n_visits; v++)
            cairo_line_to(cr, exo__px(&ax, t->visits[v] / EXO_WEEK), exo__py(&ax, r->arms[a].change[v].mean));
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    const char *names[MAX_ARMS];
    arm_names(r, names, MAX_ARMS);
    exo__plot_legend(cr, 100, h - 22, names, r->n_arms < MAX_ARMS ? r->n_arms : MAX_ARMS);
}

/* The power of the primary comparison against patients per arm (or pairs),
 * for the effect size the trial found; 80 % marked, the sample size and the
 * trial's own size as dots. */
static void draw_power(cairo_t *cr, const void *data, double w, double h)
{
    const exo_trial_result *r = ((const trial_view *)data)->r;
    const exo_trial_comparison *c = &r->primary;
    exo__plot_background(cr);
    int n_trial = c->paired ? r->arms[0].baseline.n : r->cfg->trial.patients;
    double nmax = fmax(10, 2.0 * fmax(c->sample_size, n_trial)), lo = 0;
    exo__nice_range(&lo, &nmax);
    exo__axes ax = {90, 50, w - 30, h - 60, 0, nmax, 0, 100, false, false, false};
    exo__draw_axes(cr, &ax, c->paired ? _("pairs of sides") : _("patients per arm"),
                   /* xgettext:no-c-format */
                   _("power [%]"), _("Power to detect the difference found (two-sided alpha 0.05)"));
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 1);
    const double dash[] = {5, 4};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, ax.x0, exo__py(&ax, 80));
    cairo_line_to(cr, ax.x1, exo__py(&ax, 80));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    exo__plot_colour(cr, 0);
    cairo_set_line_width(cr, 2);
    for (int i = 0; i <= 200; i++) {
        double n = 2 + (nmax - 2) * i / 200.0;
        double x = exo__px(&ax, n), y = exo__py(&ax, 100 * power_at(c->test.d, c->paired, n));
        if (i)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y);
    }
    cairo_stroke(cr);
    char buf[96];
    exo__plot_font(cr, 10, false);
    if (c->sample_size >= 2 && c->sample_size <= nmax) { /* the sample size for 80 %: a marked line */
        double x = exo__px(&ax, c->sample_size);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, 1);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, ax.y1);
        cairo_line_to(cr, x, exo__py(&ax, 80));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        snprintf(buf, sizeof buf, _("80 %% power: %d"), c->sample_size);
        exo__plot_text(cr, x + 6, exo__py(&ax, 80) + 6, 0, 0, buf);
    }
    if (n_trial >= 2 && n_trial <= nmax) { /* this trial's size and its power */
        double x = exo__px(&ax, n_trial), y = exo__py(&ax, 100 * power_at(c->test.d, c->paired, n_trial));
        exo__plot_colour(cr, 1);
        cairo_arc(cr, x, y, 4.5, 0, 6.2832);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        snprintf(buf, sizeof buf, _("this trial: %d"), n_trial);
        exo__plot_text(cr, x + 8, y + 8, 0, 0, buf);
    }
}

static const exo__figure fig_endpoint = {
    /* xgettext:no-c-format */
    "endpoint", N_("Mean change from baseline of the endpoint at each visit per arm; the band is the 95 % confidence "
                   "interval of the mean."), 900, 460, draw_endpoint};
static const exo__figure fig_responders = {
    "responders", N_("Share of patients who respond (the responder threshold of the trial) at each visit, per arm; the "
                     "lines are 95 % (Wilson) intervals."),
    800, 380, draw_responders};
static const exo__figure fig_distribution = {
    "distribution", N_("The endpoint at the last visit per arm: the box spans the middle half of the patients, the "
                       "thick line is the median, the whiskers reach the extremes; each dot is one patient."),
    800, 400, draw_distribution};
static const exo__figure fig_trajectories = {
    "trajectories", N_("A few patients of each arm over time (thin lines) around the arm's mean (thick line): how much "
                       "single patients differ from the average."),
    900, 420, draw_trajectories};
static const exo__figure fig_power = {
    "power", N_("How likely a real trial of each size would detect the difference this virtual trial found, if it is "
                "the true one (normal approximation, the test of the comparison)."),
    800, 380, draw_power};

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
        char cmp[1024], pv[64];
        exo__html b2 = {.ctx = b->ctx};
        exo__report_prose(&b2, c->what);
        snprintf(cmp, sizeof cmp, "%s", b2.s ? b2.s : "");
        exo_free(b->ctx, b2.s);
        putf(b, _("The difference of the comparison (%s) is %+.3g with a 95&#8239;%% confidence interval of %+.3g to "
                  "%+.3g (%s): "),
             cmp, c->test.mean_diff, c->test.ci_lo, c->test.ci_hi, p_str(c->test.p, pv, sizeof pv));
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
    if (r->posterior[0])
        put(b, _("The intervals show the spread between virtual patients (age, sex, skin type, skin age and each "
                 "patient's own parameters). The whole trial runs on one draw of the calibrated posterior, what is not "
                 "known about the biology and shared by every patient; the intervals do not include it. Rerun the "
                 "trial with other seeds to see how much the result depends on it."));
    else
        put(b, _("The intervals show the spread between virtual patients (age, sex, skin type and the model's "
                 "parameter ranges); they do not cover errors of the model itself, whose parameters are in part "
                 "estimates."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: endpoint, comparison, adverse events and the typical "
           "patient."));
}

static void section_endpoint(exo__html *b, const trial_view *tv)
{
    const exo_trial_result *r = tv->r;
    const exo_trial_cfg *t = &r->cfg->trial;
    int k = endpoint_readout(r);
    exo__html_section(b, "endpoint", N_("Endpoint over time"));
    exo__html_figure(b, &fig_endpoint, tv);
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>n</th><th>%s [", _("arm"), _("visit"), _("mean"));
    char unit[96];
    exo__html_esc(b, exo__unit_str(exo_readout_scale(k), unit, sizeof unit));
    double col_mean[2 * (1 + EXO_TRIAL_MAX_VISITS) * MAX_ARMS], col_sd[2 * (1 + EXO_TRIAL_MAX_VISITS) * MAX_ARMS];
    int nc = 0;
    for (int a = 0; a < r->n_arms && a < MAX_ARMS; a++)
        for (int v = -1; v < r->n_visits && v < EXO_TRIAL_MAX_VISITS; v++, nc++) {
            col_mean[nc] = v < 0 ? r->arms[a].baseline.mean : r->arms[a].value[v].mean;
            col_sd[nc] = v < 0 ? r->arms[a].baseline.sd : r->arms[a].value[v].sd;
        }
    const int dm = column_decimals(col_mean, nc, 4), ds = column_decimals(col_sd, nc, 3);
    putf(b, "]</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("SD"), _("change [%]"),
         _("95 % CI [%]"), _("responders [%]"));
    for (int a = 0; a < r->n_arms; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        put(b, "<tr><td>");
        exo__html_esc(b, arm->name);
        putf(b, "</td><td>%s</td><td>%d</td><td>%.*f</td><td>%.*f</td><td>&ndash;</td><td>&ndash;</td><td>&ndash;"
                "</td></tr>\n", _("baseline"), arm->baseline.n, dm, arm->baseline.mean, ds, arm->baseline.sd);
        for (int v = 0; v < r->n_visits; v++) {
            put(b, "<tr><td>");
            exo__html_esc(b, arm->name);
            put(b, "</td><td>");
            putf(b, _("week %g"), t->visits[v] / EXO_WEEK);
            putf(b, "</td><td>%d</td><td>%.*f</td><td>%.*f</td><td>%+.2f</td><td>", arm->value[v].n, dm,
                 arm->value[v].mean, ds, arm->value[v].sd, arm->change[v].mean);
            put_ci(b, arm->change[v].ci_lo, arm->change[v].ci_hi);
            putf(b, "</td><td>%.0f</td></tr>\n", 100 * arm->responder_rate[v]);
        }
    }
    put(b, "</table>\n</section>\n");
    exo__html_section(b, "distribution", N_("Spread between patients"));
    exo__html_figure(b, &fig_distribution, tv);
    exo__html_figure(b, &fig_trajectories, tv);
    putf(b, "<table>\n<tr><th>%s</th><th>n</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
         _("arm"), _("lowest [%]"), _("lower quartile [%]"), _("median [%]"), _("upper quartile [%]"),
         _("highest [%]"));
    for (int a = 0; a < r->n_arms && a < MAX_ARMS; a++) {
        const double *x = tv->last[a];
        int n = tv->n_last[a];
        put(b, "<tr><td>");
        exo__html_esc(b, r->arms[a].name);
        putf(b, "</td><td>%d</td>", n);
        const double q[] = {0, 0.25, 0.5, 0.75, 1};
        for (int i = 0; i < 5; i++)
            putf(b, n ? "<td>%+.2f</td>" : "<td>&ndash;</td>", n ? quantile(x, n, q[i]) : 0.0);
        put(b, "</tr>\n");
    }
    put(b, "</table>\n</section>\n");
}

static void section_comparison(exo__html *b, const trial_view *tv)
{
    const exo_trial_result *r = tv->r;
    const exo_trial_comparison *c = &r->primary;
    exo__html_section(b, "comparison", N_("Comparison of the arms"));
    if (!c->present) {
        putf(b, "<p>%s</p>\n</section>\n",
             _("No primary comparison: it needs two arms in a parallel design, one arm or two in a paired design, and "
               "spread in the data."));
        return;
    }
    putf(b, "<table>\n<tr><td>%s</td><td>", _("compared"));
    exo__report_prose(b, c->what);
    putf(b, "</td></tr>\n<tr><td>%s</td><td>%s</td></tr>\n", _("test"),
         c->paired ? _("paired t-test") : _("Welch t-test"));
    putf(b, "<tr><td>%s</td><td>%+.4g</td></tr>\n<tr><td>%s</td><td>", _("effect (mean difference)"),
         c->test.mean_diff,
         /* xgettext:no-c-format */
         _("95 % CI"));
    put_ci(b, c->test.ci_lo, c->test.ci_hi);
    char pv[32];
    putf(b, "</td></tr>\n<tr><td>t</td><td>%.4g</td></tr>\n<tr><td>df</td><td>%.4g</td></tr>\n<tr><td>p</td>"
            "<td>%s</td></tr>\n<tr><td>%s</td><td>%.3g</td></tr>\n",
         c->test.t, c->test.df, c->test.p < 0.001 ? "&lt; 0.001" : (snprintf(pv, sizeof pv, "%.2g", c->test.p), pv),
         c->paired ? _("Cohen's d_z") : _("Cohen's d"), c->test.d);
    /* xgettext:no-c-format */
    const char *pairs = _("pairs for 80 % power (two-sided alpha 0.05)");
    /* xgettext:no-c-format */
    const char *per_arm = _("patients per arm for 80 % power (two-sided alpha 0.05)");
    putf(b, "<tr><td>%s</td><td>", c->paired ? pairs : per_arm);
    if (c->sample_size > 0)
        putf(b, "%d", c->sample_size);
    else
        put(b, "&ndash;");
    put(b, "</td></tr>\n</table>\n");
    if (c->sample_size > 0)
        exo__html_figure(b, &fig_power, tv);
    put(b, "</section>\n");
}

static void section_responders_ae(exo__html *b, const trial_view *tv)
{
    const exo_trial_result *r = tv->r;
    exo__html_section(b, "responders", N_("Responders"));
    putf(b, "<p>");
    putf(b, _("A responder is a patient whose endpoint changes by %g&#8239;%% or more from baseline in that "
              "direction."), r->cfg->trial.responder_threshold);
    put(b, "</p>\n");
    exo__html_figure(b, &fig_responders, tv);
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>n</th><th>%s</th><th>%s</th></tr>\n", _("arm"), _("visit"),
         _("responders [%]"),
         /* xgettext:no-c-format */
         _("95 % interval [%]"));
    for (int a = 0; a < r->n_arms; a++)
        for (int v = 0; v < r->n_visits; v++) {
            double lo, hi, p = r->arms[a].responder_rate[v];
            int n = r->arms[a].value[v].n;
            wilson(p, n, &lo, &hi);
            put(b, "<tr><td>");
            exo__html_esc(b, r->arms[a].name);
            put(b, "</td><td>");
            putf(b, _("week %g"), r->cfg->trial.visits[v] / EXO_WEEK);
            putf(b, "</td><td>%d</td><td>%.0f</td><td>", n, 100 * p);
            if (isfinite(lo))
                putf(b, "%.0f %s %.0f", 100 * lo, _("to"), 100 * hi);
            else
                put(b, "&ndash;");
            put(b, "</td></tr>\n");
        }
    put(b, "</table>\n</section>\n");
    exo__html_section(b, "adverse-events", N_("Adverse events in the cohort"));
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("arm"), _("patients"),
         _("patients with a serious adverse event"), _("mean probability of a serious event [%]"));
    for (int a = 0; a < r->n_arms; a++) {
        put(b, "<tr><td>");
        exo__html_esc(b, r->arms[a].name);
        char risk[96];
        putf(b, "</td><td>%d</td><td>%d</td><td>%s</td></tr>\n", r->arms[a].baseline.n, r->arms[a].n_serious,
             exo__html_risk_str(r->arms[a].mean_p_serious, risk, sizeof risk));
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
    static const char *const ids[] = {"summary", "endpoint", "distribution", "comparison", "responders",
                                      "adverse-events", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Endpoint"), N_("Spread"), N_("Comparison"),
                                         N_("Responders"), N_("Adverse events"), N_("Typical patient"),
                                         N_("Inputs")};
    char title[256], note[256], pts[32];
    snprintf(title, sizeof title, _("exoskin trial report: %s"), r->cfg->name);
    snprintf(note, sizeof note, _("Virtual trial, %s design, %d patient-arm runs, exoskin %s."),
             exo_trial_design_name(r->cfg->trial.design), r->n_patients, EXO_VERSION_STRING);
    trial_view tv = {.r = r};
    int last = r->n_visits - 1;
    for (int a = 0; a < r->n_arms && a < MAX_ARMS && st == EXO_OK; a++) {
        tv.last[a] = exo_alloc(ctx, (size_t)(r->n_patients > 0 ? r->n_patients : 1), sizeof(double));
        if (!tv.last[a])
            st = exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
        for (int i = 0; st == EXO_OK && last >= 0 && i < r->n_patients; i++)
            if (r->patients[i].arm == a && isfinite(r->patients[i].change[last]))
                tv.last[a][tv.n_last[a]++] = r->patients[i].change[last];
        if (st == EXO_OK)
            qsort(tv.last[a], (size_t)tv.n_last[a], sizeof(double), cmp_double);
    }
    exo__html_head(&s.b, title, note, ids, labels, 8);
    section_summary(&s.b, r, s.typ, s.ev);
    section_endpoint(&s.b, &tv);
    section_comparison(&s.b, &tv);
    section_responders_ae(&s.b, &tv);
    for (int a = 0; a < MAX_ARMS; a++)
        exo_free(ctx, tv.last[a]);
    snprintf(pts, sizeof pts, "%d", r->cfg->trial.patients);
    const char *extra[] = {N_("design"), exo_trial_design_name(r->cfg->trial.design), N_("patients"), pts};
    return exo__study_close(&s, st, N_("Side effects of a typical patient"), N_("virtual trial"),
                            (unsigned long long)r->cfg->seed, extra, 2, yaml);
}
