/* sweep_report.c - report.html of a grid sweep (`exoskin sweep`, `exoskin run
 * --sweep`; docs/report.md): the response curves (change of the sweep's
 * readout, net benefit and serious adverse-event risk against the first
 * variable, one line per arm and combination of the other variables), the
 * table of every point, the side effects of a typical patient (the scenario
 * at the file's own values) and the provenance. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

enum { MAX_LINES = 16, MAX_TABLE_ROWS = 400 };

typedef struct {
    const exo_sweep_result *res;
    int n0;          /* values of the first variable (the x axis) */
    int n_series;    /* combinations of the other variables */
    int series[MAX_LINES]; /* the series drawn */
    int n_drawn;     /* how many of them (all, or the best point's alone) */
} sweep_data;

/* A swept value as written ("1e+12 particles/mL"): when its number is in
 * e-notation, the number as a power of ten, the rest as it is: into the page
 * (1 x 10^12 with a raised exponent) or, for a figure, into buf (1x10 with
 * superscript digits: "1\u00d710\u00b9\u00b2 particles/mL"). */
static bool e_notation(const char *text, double *x, const char **rest)
{
    char *end;
    *x = strtod(text, &end);
    *rest = end;
    return end != text && isfinite(*x) && *x != 0 && memchr(text, 'e', (size_t)(end - text));
}

static void put_value(exo__html *b, const char *text)
{
    double x;
    const char *rest;
    if (!e_notation(text, &x, &rest)) {
        exo__html_esc(b, text);
        return;
    }
    exo__html_sci(b, x);
    exo__html_esc(b, rest);
}

static const char *value_label(const char *text, char *buf, size_t cap)
{
    double x;
    const char *rest;
    if (!e_notation(text, &x, &rest) || cap < 64) {
        snprintf(buf, cap, "%s", text);
        return buf;
    }
    int e = (int)floor(log10(fabs(x)) + 1e-9);
    double m = x / pow(10, e);
    if (fabs(m - 1) < 1e-9)
        snprintf(buf, cap, "10");
    else
        snprintf(buf, cap, "%.3g\u00d710", m);
    char digits[16];
    snprintf(digits, sizeof digits, "%d", e);
    for (const char *d = digits; *d; d++) { /* superscript minus, 1, 2, 3 and 0, 4-9 */
        static const char *const sup[] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                           "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
        strncat(buf, *d == '-' ? "\u207b" : sup[*d - '0'], cap - strlen(buf) - 1);
    }
    strncat(buf, rest, cap - strlen(buf) - 1);
    return buf;
}

static const exo_sweep_var *x_var(const exo_sweep_result *res)
{
    return &res->sweep.vars[0];
}

/* The first variable's values as numbers (the number before the unit) when
 * every value has one: returns 2 for a log axis (all > 0, spanning a decade
 * or more), 1 for a linear one, 0 for categories (x[i] = i). */
static int sweep_x(const exo_sweep_var *v, double *x, char *unit, size_t cap)
{
    bool numeric = v->n_values > 0, positive = true;
    double lo = INFINITY, hi = -INFINITY;
    unit[0] = '\0';
    for (int i = 0; i < v->n_values; i++) {
        char *end;
        x[i] = strtod(v->values[i].text, &end);
        numeric &= end != v->values[i].text && isfinite(x[i]);
        positive &= x[i] > 0;
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
        if (i == 0 && numeric)
            snprintf(unit, cap, "%s", end + strspn(end, " "));
    }
    if (!numeric) {
        for (int i = 0; i < v->n_values; i++)
            x[i] = i;
        return 0;
    }
    if (positive && hi >= 10 * lo) {
        for (int i = 0; i < v->n_values; i++)
            x[i] = log10(x[i]);
        return 2;
    }
    return 1;
}

static double metric(const exo_sweep_arm *a, int panel)
{
    return panel == 0 ? a->change : panel == 1 ? a->net_benefit : 100 * a->p_serious;
}

/* "key=value, key=value" of the variables after the first at series s. */
static void series_label(const exo_sweep_result *res, int s, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int v = 1; v < res->sweep.n_vars && len < cap; v++) {
        const exo_sweep_var *var = &res->sweep.vars[v];
        const char *key = strrchr(var->key, '.') ? strrchr(var->key, '.') + 1 : var->key;
        int k = snprintf(buf + len, cap - len, "%s%s=%s", v > 1 ? ", " : "", key,
                         var->values[exo_sweep_value_index(&res->sweep, s, v)].text);
        len += k > 0 ? (size_t)k : 0;
    }
}

/* The x tick labels of a sweep axis: the swept values (at most 8 labelled). */
static void sweep_ticks(cairo_t *cr, const exo__axes *ax, const exo_sweep_var *xv, const double *x, int n0, int kind)
{
    char buf[64];
    int stride = n0 > 8 ? (n0 + 7) / 8 : 1;
    exo__plot_font(cr, 9, false);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < n0; i += stride) {
        double X = exo__px(ax, x[i]);
        cairo_move_to(cr, X, ax->y1);
        cairo_line_to(cr, X, ax->y1 + 4);
        cairo_stroke(cr);
        if (kind == 2) { /* the swept value's number, as a power of ten where it was written so */
            char num[64];
            snprintf(num, sizeof num, "%g", pow(10, x[i]));
            value_label(num, buf, sizeof buf);
        } else if (kind)
            snprintf(buf, sizeof buf, "%g", x[i]);
        else
            snprintf(buf, sizeof buf, "%.12s", xv->values[i].text);
        exo__plot_text(cr, X, ax->y1 + 7, 0.5, 0, buf);
    }
}

/* The first variable's values on the x axis (malloc'd; NULL when out of
 * memory), its kind (sweep_x) and its label with the unit into xlabel. */
static double *sweep_axis(const exo_sweep_var *xv, int *kind, char *xlabel, size_t cap)
{
    double *x = malloc(sizeof *x * (size_t)(xv->n_values > 0 ? xv->n_values : 1));
    if (!x)
        return NULL;
    char unit[128];
    *kind = sweep_x(xv, x, unit, sizeof unit);
    snprintf(xlabel, cap, unit[0] ? "%s [%s]%s" : "%s%.0s%s", xv->key, unit, *kind == 2 ? _(" (log scale)") : "");
    return x;
}

static void draw_response(cairo_t *cr, const void *data, double w, double h)
{
    const sweep_data *d = data;
    const exo_sweep_result *res = d->res;
    const exo_sweep_var *xv = x_var(res);
    exo__plot_background(cr);
    char xlabel[512], change[256];
    int kind;
    double *x = sweep_axis(xv, &kind, xlabel, sizeof xlabel);
    if (!x)
        return;
    snprintf(change, sizeof change, _("%s change [%%]"),
             exo__report_readout_label(res->sweep.readout - EXO_Q_READOUT_FIRST));
    const char *titles[3] = {change, _("net benefit [%]"), _("serious adverse-event risk [%]")};
    int na = res->points[0].n_arms;
    double xmin = x[0], xmax = x[0];
    for (int i = 1; i < d->n0; i++) {
        xmin = fmin(xmin, x[i]);
        xmax = fmax(xmax, x[i]);
    }
    double pad = xmax > xmin ? 0.05 * (xmax - xmin) : 0.5;
    double pw = (w - 30) / 3;
    for (int panel = 0; panel < 3; panel++) {
        double lo = panel == 2 ? 0 : INFINITY, hi = panel == 2 ? 0 : -INFINITY;
        for (int l = 0; l < d->n_drawn; l++)
            for (int i = 0; i < d->n0; i++) {
                const exo_sweep_point *p = &res->points[i * d->n_series + d->series[l]];
                for (int a = 0; a < p->n_arms; a++) {
                    lo = fmin(lo, metric(&p->arms[a], panel));
                    hi = fmax(hi, metric(&p->arms[a], panel));
                }
            }
        if (!isfinite(lo))
            lo = hi = 0;
        exo__nice_range(&lo, &hi);
        exo__axes ax = {30 + panel * pw + 58, 40, 30 + (panel + 1) * pw - 12, h - 130, xmin - pad, xmax + pad, lo, hi,
                        false, true, false};
        exo__draw_axes(cr, &ax, NULL, NULL, titles[panel]);
        sweep_ticks(cr, &ax, xv, x, d->n0, kind);
        exo__clip_to(cr, &ax);
        for (int l = 0; l < d->n_drawn; l++)
            for (int a = 0; a < na; a++) {
                exo__plot_colour(cr, l * na + a);
                cairo_set_line_width(cr, 2);
                for (int i = 0; i < d->n0; i++) {
                    const exo_sweep_arm *r = &res->points[i * d->n_series + d->series[l]].arms[a];
                    double X = exo__px(&ax, x[i]), Y = exo__py(&ax, metric(r, panel));
                    if (i)
                        cairo_line_to(cr, X, Y);
                    else
                        cairo_move_to(cr, X, Y);
                }
                cairo_stroke(cr);
                for (int i = 0; i < d->n0; i++) {
                    const exo_sweep_arm *r = &res->points[i * d->n_series + d->series[l]].arms[a];
                    cairo_arc(cr, exo__px(&ax, x[i]), exo__py(&ax, metric(r, panel)), 3.2, 0, 6.2832);
                    cairo_fill(cr);
                }
            }
        cairo_restore(cr);
    }
    exo__plot_font(cr, 10.5, false);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * w, h - 98, 0.5, 0, xlabel);
    /* legend: arm, and the other variables' values of the series */
    char labels[MAX_LINES][192];
    const char *names[MAX_LINES];
    int n = 0;
    for (int l = 0; l < d->n_drawn; l++)
        for (int a = 0; a < na && n < MAX_LINES; a++, n++) {
            char s[160];
            series_label(res, d->series[l], s, sizeof s);
            snprintf(labels[n], sizeof labels[n], s[0] ? "%.60s (%.120s)" : "%.60s%.0s", res->points[0].arms[a].name, s);
            names[n] = labels[n];
        }
    exo__plot_legend(cr, 90, h - 62, names, n);
    free(x);
}

/* One line of the benefit-harm figure: series k (0 benefit, 1 harm, 2 net) of
 * the best arm along the best point's series, with the trial's 95 % CI of
 * the benefit as a band. */
static double benefit_harm(const exo_sweep_result *res, const exo_sweep_arm *a, int k)
{
    double sign = res->sweep.decrease ? -1 : 1, harm = res->sweep.harm_weight * 100 * a->p_serious;
    return k == 0 ? sign * a->change : k == 1 ? harm : a->net_benefit;
}

/* The benefit (the readout's change, signed so that up is better), the harm
 * (weighted serious risk, in the same % points) and the net benefit of the
 * best arm against the first variable on one axis, the best value marked. */
static void draw_benefit_harm(cairo_t *cr, const void *data, double w, double h)
{
    const sweep_data *d = data;
    const exo_sweep_result *res = d->res;
    const exo_sweep_var *xv = x_var(res);
    const int arm = res->sweep.best_arm, series = res->best_point % d->n_series;
    exo__plot_background(cr);
    char xlabel[512], buf[160];
    int kind;
    double *x = sweep_axis(xv, &kind, xlabel, sizeof xlabel);
    if (!x)
        return;
    double lo = 0, hi = 0, xmin = x[0], xmax = x[0], sign = res->sweep.decrease ? -1 : 1;
    for (int i = 0; i < d->n0; i++) {
        const exo_sweep_point *p = &res->points[i * d->n_series + series];
        xmin = fmin(xmin, x[i]);
        xmax = fmax(xmax, x[i]);
        for (int k = 0; k < 3; k++) {
            lo = fmin(lo, benefit_harm(res, &p->arms[arm], k));
            hi = fmax(hi, benefit_harm(res, &p->arms[arm], k));
        }
        if (p->trial) {
            const exo_trial_summary *c = &p->trial->arms[arm].change[p->trial->n_visits - 1];
            lo = fmin(lo, fmin(sign * c->ci_lo, sign * c->ci_hi));
            hi = fmax(hi, fmax(sign * c->ci_lo, sign * c->ci_hi));
        }
    }
    exo__nice_range(&lo, &hi);
    double pad = xmax > xmin ? 0.05 * (xmax - xmin) : 0.5;
    exo__axes ax = {90, 50, w - 30, h - 110, xmin - pad, xmax + pad, lo, hi, false, true, false};
    snprintf(buf, sizeof buf, _("Benefit and harm of '%s' on one scale"), res->points[0].arms[arm].name);
    /* xgettext:no-c-format */
    const char *ylabel = _("change [% points]");
    exo__draw_axes(cr, &ax, NULL, ylabel, buf);
    sweep_ticks(cr, &ax, xv, x, d->n0, kind);
    exo__clip_to(cr, &ax);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, ax.x0, exo__py(&ax, 0));
    cairo_line_to(cr, ax.x1, exo__py(&ax, 0));
    cairo_stroke(cr);
    static const int colour[3] = {0, 1, 2}, order[3] = {2, 0, 1}; /* blue benefit, vermillion harm, green net
                                                                   * (first and thick: the others stay visible
                                                                   * where they coincide) */
    if (res->points[0].trial) { /* the 95 % CI of the benefit */
        cairo_set_source_rgba(cr, 0.0, 0.447, 0.698, 0.18);
        for (int i = 0; i < d->n0; i++) {
            const exo_trial_result *t = res->points[i * d->n_series + series].trial;
            double v = sign * t->arms[arm].change[t->n_visits - 1].ci_hi;
            (i ? cairo_line_to : cairo_move_to)(cr, exo__px(&ax, x[i]), exo__py(&ax, v));
        }
        for (int i = d->n0 - 1; i >= 0; i--) {
            const exo_trial_result *t = res->points[i * d->n_series + series].trial;
            cairo_line_to(cr, exo__px(&ax, x[i]), exo__py(&ax, sign * t->arms[arm].change[t->n_visits - 1].ci_lo));
        }
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    for (int o = 0; o < 3; o++) {
        int k = order[o];
        exo__plot_colour(cr, colour[k]);
        cairo_set_line_width(cr, k == 2 ? 4 : 1.8);
        for (int i = 0; i < d->n0; i++) {
            const exo_sweep_arm *a = &res->points[i * d->n_series + series].arms[arm];
            double X = exo__px(&ax, x[i]), Y = exo__py(&ax, benefit_harm(res, a, k));
            (i ? cairo_line_to : cairo_move_to)(cr, X, Y);
        }
        cairo_stroke(cr);
        for (int i = 0; i < d->n0; i++) {
            const exo_sweep_arm *a = &res->points[i * d->n_series + series].arms[arm];
            cairo_arc(cr, exo__px(&ax, x[i]), exo__py(&ax, benefit_harm(res, a, k)), 3.2, 0, 6.2832);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
    if (res->best_point >= 0) { /* the best value: a dashed line and its label above the plot */
        int ib = res->best_point / d->n_series;
        double X = exo__px(&ax, x[ib]);
        const double dash[] = {5, 4};
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, 1.2);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, X, ax.y0);
        cairo_line_to(cr, X, ax.y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        exo__plot_font(cr, 10, true);
        char value[160];
        snprintf(buf, sizeof buf, _("best: %s"), value_label(xv->values[ib].text, value, sizeof value));
        cairo_text_extents_t e;
        cairo_text_extents(cr, buf, &e);
        double tx = fmin(fmax(X - 0.5 * e.width, ax.x0 + 2), ax.x1 - e.width - 2);
        cairo_set_source_rgb(cr, 1, 1, 1); /* the label over the line, readable */
        cairo_rectangle(cr, tx - 3, ax.y0 + 2, e.width + 6, e.height + 4);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, tx, ax.y0 + 4, 0, 0, buf);
    }
    exo__plot_font(cr, 10.5, false);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), h - 78, 0.5, 0, xlabel);
    char l0[192];
    snprintf(l0, sizeof l0, res->sweep.decrease ? _("benefit: %s, fall [%%]") : _("benefit: %s, rise [%%]"),
             exo__report_readout_label(res->sweep.readout - EXO_Q_READOUT_FIRST));
    const char *names[3] = {l0, _("harm: weighted serious adverse-event risk [%]"), _("net benefit [%]")};
    exo__plot_legend(cr, 100, h - 40, names, 3);
    free(x);
}

static const exo__figure fig_benefit_harm = {
    /* xgettext:no-c-format */
    "benefit-harm", N_("The best arm's benefit (its readout's change, signed so that up is better; trials: the band "
                       "is the 95 % CI of the mean), the harm (the weighted serious adverse-event risk, as it enters "
                       "the net benefit) and the net benefit on one scale against the first variable, along the best "
                       "point's values of the others; the dashed line marks the best value."),
    1000, 470, draw_benefit_harm};

static const exo__figure fig_response = {
    "dose-response", N_("Change of the sweep's readout, net benefit (that change, signed by the goal, minus the "
                        "weighted serious risk) and serious adverse-event risk against the first variable, one line "
                        "per arm and combination of the other variables (trials: means over the patients)."),
    1000, 460, draw_response};

static void put_point_values(exo__html *b, const exo_sweep_result *res, int i)
{
    for (int v = 0; v < res->sweep.n_vars; v++) {
        put(b, v ? ", " : "");
        put(b, "<code>");
        exo__html_esc(b, res->sweep.vars[v].key);
        put(b, "</code> = ");
        put_value(b, res->sweep.vars[v].values[exo_sweep_value_index(&res->sweep, i, v)].text);
    }
}

static void section_summary(exo__html *b, const sweep_data *d, const exo_config *cfg, const exo_result *typ,
                            exo_adverse_event *ev)
{
    const exo_sweep_result *res = d->res;
    const exo_sweep_cfg *s = &res->sweep;
    const char *readout = exo__report_readout_label(s->readout - EXO_Q_READOUT_FIRST);
    exo__html_section(b, "summary", N_("Summary in plain words"));
    put(b, "<p>");
    if (s->n_vars == 1) /* values of one key, not combinations */
        putf(b, res->trial ? _("A virtual trial was run at each of %d values of one input key.")
                           : _("The scenario was run for one typical patient at each of %d values of one input key."),
             res->n_points);
    else if (res->trial)
        putf(b, _("A virtual trial was run at each of %d combinations of %d input keys."), res->n_points, s->n_vars);
    else
        putf(b, _("The scenario was run for one typical patient at each of %d combinations of %d input keys."),
             res->n_points, s->n_vars);
    put(b, "</p>\n");
    if (res->best_point >= 0) {
        const exo_sweep_point *p = &res->points[res->best_point];
        const exo_sweep_arm *a = &p->arms[s->best_arm];
        put(b, "<p>");
        char name[768];
        putf(b, _("For <strong>%s</strong>, the best point (largest net benefit, %+.2f) is "),
             exo__html_esc_str(a->name, name, sizeof name), a->net_benefit);
        put_point_values(b, res, res->best_point);
        put(b, ": ");
        putf(b, _("%s changes by %+.2f&#8239;%%, with a serious adverse-event risk of %.2g&#8239;%%."), readout,
             a->change, 100 * a->p_serious);
        if (p->trial) {
            const exo_trial_summary *c = &p->trial->arms[s->best_arm].change[p->trial->n_visits - 1];
            put(b, " ");
            putf(b, _("Over %d virtual patients the 95&#8239;%% confidence interval of the mean change is %+.2f to "
                      "%+.2f&#8239;%% (SD %.2f)."),
                 c->n, c->ci_lo, c->ci_hi, c->sd);
        }
        put(b, "</p>\n");
    }
    int swell = -1;
    for (int i = 0; i < res->n_points && swell < 0 && !res->trial; i++)
        for (int a = 0; a < res->points[i].n_arms; a++)
            if (res->points[i].arms[a].peak_inflammation > 0.5) {
                swell = i;
                break;
            }
    if (!res->trial) {
        put(b, "<p>");
        if (swell >= 0) {
            put(b, _("Swelling (peak inflammation above 0.5) is expected at some points, the first being "));
            put_point_values(b, res, swell);
            put(b, ".");
        } else
            put(b, _("No swelling (peak inflammation above 0.5) at any point."));
        put(b, "</p>\n");
    }
    putf(b, "<p><strong>%s</strong> ", _("How sure is this?"));
    put(b, res->trial ? _("Each point is a virtual trial: the intervals show how much the mean change is known, "
                          "given how much people differ; the model's own uncertainty is not included.")
                      : _("Each point is one typical patient (the model's central parameter values): the curves "
                          "show the shape of the response, not how much people differ; for that, run a virtual "
                          "trial at the chosen point (<code>exoskin trial</code>)."));
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, typ, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: response curves and the typical patient."));
}

static void section_points(exo__html *b, const sweep_data *d)
{
    const exo_sweep_result *res = d->res;
    const exo_sweep_cfg *s = &res->sweep;
    char change[256];
    snprintf(change, sizeof change, _("%s change [%%]"),
             exo__report_readout_label(s->readout - EXO_Q_READOUT_FIRST));
    exo__html_section(b, "dose-response", N_("Response curves"));
    exo__html_figure(b, &fig_response, d);
    if (res->best_point >= 0 && d->n0 > 1)
        exo__html_figure(b, &fig_benefit_harm, d);
    if (d->n_drawn < d->n_series) {
        put(b, "<p class=\"note\">");
        put(b, _("The grid has too many combinations to draw: the figure shows those of the best point."));
        put(b, "</p>\n");
    }
    put(b, "<table>\n<tr><th>#</th>");
    for (int v = 0; v < s->n_vars; v++) {
        put(b, "<th>");
        exo__html_esc(b, s->vars[v].key);
        put(b, "</th>");
    }
    putf(b, "<th>%s</th><th>%s</th>", _("arm"), change);
    if (res->trial)
        putf(b, "<th>%s</th>", _("95 % CI of the change [%]"));
    else
        putf(b, "<th>%s</th><th>%s</th>", _("peak inflammation [1]"), _("reached dermis [particles/cm&sup2;]"));
    putf(b, "<th>%s</th><th>%s</th></tr>\n", _("serious adverse-event risk [%]"), _("net benefit [%]"));
    int rows = 0;
    for (int i = 0; i < res->n_points && rows < MAX_TABLE_ROWS; i++) {
        const exo_sweep_point *p = &res->points[i];
        for (int a = 0; a < p->n_arms; a++, rows++) {
            putf(b, "<tr%s><td>%d</td>", i == res->best_point ? " class=\"best\"" : "", i);
            for (int v = 0; v < s->n_vars; v++) {
                put(b, "<td>");
                put_value(b, s->vars[v].values[exo_sweep_value_index(s, i, v)].text);
                put(b, "</td>");
            }
            put(b, "<td>");
            exo__html_esc(b, p->arms[a].name);
            putf(b, "</td><td>%+.2f</td>", p->arms[a].change);
            if (p->trial) {
                const exo_trial_summary *c = &p->trial->arms[a].change[p->trial->n_visits - 1];
                putf(b, "<td>%+.2f to %+.2f</td>", c->ci_lo, c->ci_hi);
            } else {
                putf(b, "<td>%.3g</td><td>", p->arms[a].peak_inflammation);
                exo__html_sci(b, p->arms[a].delivered_dermis);
                put(b, "</td>");
            }
            putf(b, "<td>%.2g</td><td>%+.2f</td></tr>\n", 100 * p->arms[a].p_serious, p->arms[a].net_benefit);
        }
    }
    put(b, "</table>\n");
    if (rows < res->n_points * res->points[0].n_arms) {
        put(b, "<p class=\"note\">");
        putf(b, _("The first %d rows; every row is in sweep.csv."), rows);
        put(b, "</p>\n");
    }
    put(b, "<p class=\"note\">");
    putf(b, _("Net benefit = %s &times; change [%%] &minus; %g &times; serious adverse-event risk [%%] "
              "(best.harm_weight, --harm-weight)."),
         s->decrease ? "&minus;1" : "+1", s->harm_weight);
    put(b, "</p>\n</section>\n");
}

exo_status exo__report_write_sweep(exo_ctx *ctx, const exo_sweep_result *res, const exo_result *typ, const char *dir)
{
    if (res->n_points < 1 || res->sweep.n_vars < 1 || res->points[0].n_arms < 1)
        return exo_ctx_error(ctx, EXO_EINVAL, "report: an empty sweep");
    sweep_data d = {res, x_var(res)->n_values, res->n_points / x_var(res)->n_values, {0}, 0};
    if (d.n_series * res->points[0].n_arms <= MAX_LINES) {
        for (int s = 0; s < d.n_series; s++)
            d.series[d.n_drawn++] = s;
    } else
        d.series[d.n_drawn++] = (res->best_point >= 0 ? res->best_point : 0) % d.n_series;
    exo__study s;
    exo_status st = exo__study_open(&s, ctx, dir, typ);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "dose-response", "typical-patient", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Response curves"), N_("Typical patient"), N_("Inputs")};
    char title[512], note[1024], keys[1024] = "", w[32], name[768];
    for (int v = 0; v < res->sweep.n_vars; v++) {
        size_t len = strlen(keys);
        snprintf(keys + len, sizeof keys - len, "%s%s", v ? ", " : "", res->sweep.vars[v].key);
    }
    snprintf(title, sizeof title, _("exoskin sweep report: %s"), keys);
    snprintf(note, sizeof note, _("Scenario '%s' run at %d grid points, exoskin %s."),
             exo__html_esc_str(s.cfg->name, name, sizeof name), res->n_points,
             EXO_VERSION_STRING);
    exo__html_head(&s.b, title, note, ids, labels, 4);
    section_summary(&s.b, &d, s.cfg, s.typ, s.ev);
    section_points(&s.b, &d);
    snprintf(w, sizeof w, "%g", res->sweep.harm_weight);
    const char *extra[] = {N_("swept keys"), keys, N_("harm weight"), w};
    return exo__study_close(&s, EXO_OK, N_("Side effects of a typical patient (the scenario at the file's own values)"),
                            N_("sweep"), (unsigned long long)res->seed, extra, 2, res->effective_input);
}
