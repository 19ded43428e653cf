/* validation_report.c - report.html of `exoskin validate DIR -o OUT`
 * (docs/report.md): every study definition's prediction beside the
 * published value and its accepted range, pass or fail, the documented
 * failures (DIR/UNMET) marked as known with their reason; a figure of every
 * row on one scale (the accepted range mapped to -1..+1) and the table of
 * values in each row's own unit.  The run report of one study file shows
 * its row the same way (exo__report_validation_rows). */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

#define ROW_H 20.0   /* [px] per row of the figure */
#define SPAN 3.0     /* the figure shows -SPAN..+SPAN half-ranges around the middle of the range */

typedef struct {
    const exo_validation_row *rows;
    int n;
} rowset;

/* v on the figure's scale: 0 in the middle of [low, high], +-1 at its ends. */
static double scaled(const exo_validation_row *r, double v)
{
    double half = 0.5 * (r->high - r->low), mid = 0.5 * (r->high + r->low);
    return half > 0 ? (v - mid) / half : 0;
}

static const char *verdict(const exo_validation_row *r)
{
    return r->pass ? _("pass") : r->known ? _("known failure") : _("FAIL");
}

/* The label column's width [px]: the longest id, measured. */
static double label_width(cairo_t *cr, const rowset *s)
{
    cairo_text_extents_t e;
    double w = 0;
    exo__plot_font(cr, 10, false);
    for (int i = 0; i < s->n; i++) {
        cairo_text_extents(cr, s->rows[i].id, &e);
        w = fmax(w, e.x_advance);
    }
    return w;
}

/* One line per study: the accepted range (grey band, -1..+1), the published
 * value (black diamond) and the prediction (dot: blue pass, orange known
 * failure, red failure; an arrow at the edge when it lies beyond SPAN). */
static void draw_rows(cairo_t *cr, const void *data, double w, double h)
{
    const rowset *s = data;
    exo__plot_background(cr);
    double lw = label_width(cr, s);
    exo__axes ax = {lw + 20, 50, w - 120, h - 70, -SPAN, SPAN, 0, s->n > 0 ? s->n : 1, false, false, true};
    exo__plot_font(cr, 11.5, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), 22, 0.5, 0.5,
                   _("Prediction against the published value, in half-widths of each accepted range"));
    cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
    cairo_rectangle(cr, exo__px(&ax, -1), ax.y0, exo__px(&ax, 1) - exo__px(&ax, -1), ax.y1 - ax.y0);
    cairo_fill(cr);
    exo__plot_font(cr, 10, false);
    cairo_set_line_width(cr, 1);
    char buf[32];
    for (int t = -(int)SPAN; t <= (int)SPAN; t++) {
        double x = exo__px(&ax, t);
        cairo_set_source_rgb(cr, t == 0 ? 0.6 : 0.8, t == 0 ? 0.6 : 0.8, t == 0 ? 0.6 : 0.8);
        cairo_move_to(cr, x, ax.y0);
        cairo_line_to(cr, x, ax.y1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(buf, sizeof buf, "%+d", t);
        exo__plot_text(cr, x, ax.y1 + 6, 0.5, 0, t ? buf : "0");
    }
    exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), ax.y1 + 24, 0.5, 0,
                   _("(value - middle of the range) / half its width [1]; the grey band is the accepted range"));
    for (int i = 0; i < s->n; i++) {
        const exo_validation_row *r = &s->rows[i];
        double yc = ax.y0 + (i + 0.5) * ROW_H;
        exo__plot_font(cr, 10, false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, ax.x0 - 8, yc, 1, 0.5, r->id);
        double rep = fmax(-SPAN, fmin(SPAN, scaled(r, r->reported)));
        double x = exo__px(&ax, rep);
        cairo_move_to(cr, x, yc - 6);
        cairo_line_to(cr, x + 5, yc);
        cairo_line_to(cr, x, yc + 6);
        cairo_line_to(cr, x - 5, yc);
        cairo_close_path(cr);
        cairo_fill(cr);
        int colour = r->pass ? 0 : r->known ? 4 : 1; /* blue, orange, vermillion */
        if (r->interval_runs > 0) { /* the 90 % interval: a translucent bar under the dot */
            double lo = fmax(-SPAN, fmin(SPAN, scaled(r, r->interval_low)));
            double hi = fmax(-SPAN, fmin(SPAN, scaled(r, r->interval_high)));
            double x0 = exo__px(&ax, fmin(lo, hi)), x1 = exo__px(&ax, fmax(lo, hi));
            exo__plot_colour_alpha(cr, colour, 2 * EXO_PLOT_BAND_ALPHA);
            cairo_rectangle(cr, x0 - 1, yc - 4, x1 - x0 + 2, 8); /* at least 2 px: a point interval shows */
            cairo_fill(cr);
        }
        double p = scaled(r, r->predicted);
        exo__plot_colour(cr, colour);
        if (fabs(p) <= SPAN) {
            cairo_arc(cr, exo__px(&ax, p), yc, 4.5, 0, 6.2832);
            cairo_fill(cr);
        } else { /* beyond the axis: an arrow at the edge */
            double sx = p > 0 ? 1 : -1, xe = exo__px(&ax, sx * SPAN);
            cairo_move_to(cr, xe, yc);
            cairo_line_to(cr, xe - sx * 9, yc - 5);
            cairo_line_to(cr, xe - sx * 9, yc + 5);
            cairo_close_path(cr);
            cairo_fill(cr);
        }
        exo__plot_font(cr, 10, !r->pass && !r->known);
        exo__plot_text(cr, ax.x1 + 8, yc, 0, 0.5, verdict(r));
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_rectangle(cr, ax.x0, ax.y0, ax.x1 - ax.x0, ax.y1 - ax.y0);
    cairo_stroke(cr);
    exo__plot_font(cr, 10, false);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, ax.x0, h - 14, 0, 0.5,
                   _("diamond: published value; dot: prediction (blue pass, orange known failure, vermillion failure)"));
    int runs = s->n > 0 ? s->rows[0].interval_runs : 0;
    if (runs > 0) {
        char note[160];
        snprintf(note, sizeof note, _("shaded bar: 90 %% predictive interval (%d posterior draws and the median, with the study noise)"), runs - 1);
        exo__plot_text(cr, ax.x0, h - 30, 0, 0.5, note);
    }
}

/* The table of rows: published value, accepted range, prediction, verdict,
 * the checks and, for a known failure, its reason. */
void exo__report_validation_rows(exo__html *b, const exo_validation_row *rows, int n)
{
    int inside, intervals = exo_validation_coverage(rows, n, &inside) > 0;
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>", _("study"), _("level"),
         _("published"), _("accepted range"), _("predicted"));
    if (intervals)
        putf(b, "<th>%s</th><th>%s</th>",
             /* xgettext:no-c-format */
             _("90&#8239;% interval (median)"), _("published inside"));
    putf(b, "<th>%s</th><th>%s</th></tr>\n", _("unit"), _("verdict"));
    for (int i = 0; i < n; i++) {
        const exo_validation_row *r = &rows[i];
        put(b, "<tr><td>");
        exo__html_esc(b, r->id);
        put(b, "</td><td>");
        exo__html_esc(b, r->level);
        char s1[96], s2[96], s3[96], s4[96];
        putf(b, "</td><td>%s</td><td class=\"nw\">%s %s %s</td><td>%s</td><td>", exo__html_sci_str(r->reported, s1, sizeof s1),
             exo__html_sci_str(r->low, s2, sizeof s2), _("to"), exo__html_sci_str(r->high, s3, sizeof s3),
             exo__html_sci_str(r->predicted, s4, sizeof s4));
        if (intervals && r->interval_runs > 0)
            putf(b, "%s %s %s (%s)</td><td>%s</td><td>", exo__html_sci_str(r->interval_low, s1, sizeof s1), _("to"),
                 exo__html_sci_str(r->interval_high, s2, sizeof s2), exo__html_sci_str(r->interval_mid, s3, sizeof s3),
                 r->direction_only ? _("a direction, no value") : r->inside ? _("yes") : _("no"));
        else if (intervals)
            put(b, "&ndash;</td><td>&ndash;</td><td>");
        char unit[96];
        exo__html_esc(b, exo__unit_str(r->unit, unit, sizeof unit));
        putf(b, "</td><td class=\"%s\">%s</td></tr>\n", r->pass ? "pass" : r->known ? "known" : "fail", verdict(r));
        if (r->note[0] || r->source[0] || (r->known && r->known_why[0])) {
            putf(b, "<tr><td colspan=\"%d\" class=\"sub\">", intervals ? 9 : 7);
            if (r->source[0]) {
                putf(b, "%s: ", _("source"));
                exo__html_esc(b, r->source);
            }
            if (r->note[0]) {
                put(b, r->source[0] ? "<br>" : "");
                exo__report_prose(b, r->note);
            }
            if (r->known && r->known_why[0]) {
                putf(b, "<br><strong>%s</strong> ", _("Known, documented failure:"));
                exo__report_prose(b, r->known_why);
            }
            put(b, "</td></tr>\n");
        }
    }
    put(b, "</table>\n");
}

exo_status exo__report_write_validation(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                        const char *dir)
{
    exo__html b;
    exo_status st = exo__html_open(&b, ctx, dir);
    if (st != EXO_OK)
        return st;
    static const char *const ids[] = {"summary", "rows", "table", "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Figure"), N_("Table"), N_("Inputs")};
    int pass = 0, known = 0;
    for (int i = 0; i < n; i++) {
        pass += rows[i].pass;
        known += !rows[i].pass && rows[i].known;
    }
    char title[256], note[256], esc[1600];
    snprintf(title, sizeof title, _("exoskin validation report: %s"), studies);
    snprintf(note, sizeof note, _("Every study definition of %s run against its published value, exoskin %s."),
             exo__html_esc_str(studies, esc, sizeof esc), EXO_VERSION_STRING);
    exo__html_head(&b, title, note, ids, labels, 4);
    exo__html_section(&b, "summary", N_("Summary in plain words"));
    putf(&b, "<p>");
    putf(&b, _("%d of %d studies pass: their prediction lies within the accepted range of the published value. %d "
               "fail, of which %d are known, documented failures (listed in UNMET with their reason) and %d are "
               "new."),
         pass, n, n - pass, known, n - pass - known);
    put(&b, "</p>\n<p>");
    put(&b, _("Each study is run for one typical patient of its cohort with the model's central parameter values; "
              "the accepted range is the published value with its tolerance (docs/validation.md)."));
    int inside, with = exo_validation_coverage(rows, n, &inside);
    if (with > 0) {
        put(&b, " ");
        putf(&b, _("Each study is also run at %d draws of the calibrated posterior of the parameters and its median; "
                   "the 90&#8239;%% predictive interval of the published value adds to their spread the studies' own "
                   "noise, estimated from the same studies. The published value lies inside it in %d of the %d "
                   "studies that publish a value (%.0f&#8239;%%; the others publish a direction). About 90&#8239;%% is "
                   "the target for an interval that states the uncertainty honestly; far above means the intervals "
                   "are too wide, far below that they leave out part of the uncertainty."),
             rows[0].interval_runs - 1, inside, with, 100.0 * inside / with);
    }
    put(&b, "</p>\n");
    if (n - pass - known > 0)
        putf(&b, "<p class=\"warn\">%s</p>\n", _("A failure that is not listed as known is new: a change of the model "
                                                 "moved it, or the study file is wrong."));
    put(&b, "</section>\n");
    exo__html_section(&b, "rows", N_("Prediction and published value"));
    rowset s = {rows, n};
    exo__figure fig = {"validation",
                       N_("Each study on one scale: the accepted range of its published value is -1 to +1."), 1000,
                       120 + ROW_H * (n > 0 ? n : 1), draw_rows};
    exo__html_figure(&b, &fig, &s);
    put(&b, "</section>\n");
    exo__html_section(&b, "table", N_("Every study, in its own unit"));
    exo__report_validation_rows(&b, rows, n);
    put(&b, "</section>\n");
    char counts[64];
    snprintf(counts, sizeof counts, "%d / %d / %d", pass, n - pass, known);
    const char *extra[] = {N_("studies passed / failed / known failures"), counts};
    exo__html_provenance(&b, N_("validation"), studies, 0, extra, 1, NULL);
    return exo__html_close(&b, EXO_OK);
}
