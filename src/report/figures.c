/* figures.c - the figures of a run report, drawn with cairo onto whatever
 * surface the caller gives (SVG for the HTML, image for the PNG copies):
 * readout time courses, vesicle delivery per arm, depth profiles and a
 * to-scale schematic of the skin.  Only the public result API is read. */
#include "report/report_impl.h"
#include "protocol/protocol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* One legend entry per arm, in a row at (x, y); with bands (note not NULL)
 * each entry's line over its shaded band, and the note after them. */
static void legend_arms(cairo_t *cr, const exo_result *r, double x, double y, const char *note)
{
    const char *names[64];
    int n = exo_result_arms(r) < 64 ? exo_result_arms(r) : 64;
    for (int a = 0; a < n; a++)
        names[a] = exo_result_arm_name(r, a);
    exo__plot_legend_bands(cr, x, y, names, n, note);
}

/* (a) % change from baseline of the key readouts, one panel each (2 rows of 3). */
static const exo_readout key_readouts[] = {EXO_RD_COLLAGEN, EXO_RD_WRINKLES, EXO_RD_TEWL,
                                           EXO_RD_ERYTHEMA, EXO_RD_MELANIN, EXO_RD_US_DENSITY};

/* Percent change of readout k of arm a at row i from the arm's baseline: with
 * bands (q not NULL) its p05, p50 and p95 over the posterior draws into q
 * and the p50 returned; NAN where undefined (baseline 0). */
static double change_at(const exo_result *r, int a, int i, int k, double *q)
{
    if (q)
        return exo_result_row_band(r, a, i, k, true, q) ? q[1] : NAN;
    double b0 = exo_result_row_readout(r, a, 0, k);
    return b0 != 0 ? 100 * (exo_result_row_readout(r, a, i, k) - b0) / b0 : NAN;
}

/* The translucent p05-p95 band of arm a's readout k (its colour). */
static void fill_band(cairo_t *cr, const exo_result *r, const exo__axes *ax, int a, int k)
{
    int n = exo_result_rows(r, a);
    double q[3];
    for (int i = 0; i < n; i++) {
        if (isnan(change_at(r, a, i, k, q)))
            return;
        double x = exo__px(ax, exo_result_row_time(r, a, i) / EXO_WEEK), y = exo__py(ax, q[0]);
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    for (int i = n - 1; i >= 0; i--) {
        change_at(r, a, i, k, q);
        cairo_line_to(cr, exo__px(ax, exo_result_row_time(r, a, i) / EXO_WEEK), exo__py(ax, q[2]));
    }
    cairo_close_path(cr);
    exo__plot_colour_alpha(cr, a, EXO_PLOT_BAND_ALPHA);
    cairo_fill(cr);
}

static void draw_timecourse(cairo_t *cr, const void *data, double w, double h)
{
    const exo_result *r = data;
    exo__plot_background(cr);
    const int cols = 3, rows = 2;
    double pw = (w - 40) / cols, ph = (h - 50) / rows;
    double weeks = exo_result_config(r)->sim.duration / EXO_WEEK;
    const bool bands = exo_result_band_runs(r) > 0;
    double qb[3], *q = bands ? qb : NULL;
    for (int k_ = 0; k_ < (int)(sizeof key_readouts / sizeof *key_readouts); k_++) {
        int k = key_readouts[k_];
        double lo = 0, hi = 0;
        for (int a = 0; a < exo_result_arms(r); a++)
            for (int i = 0; i < exo_result_rows(r, a); i++) {
                double v = change_at(r, a, i, k, q);
                if (isnan(v))
                    continue;
                lo = fmin(lo, bands ? q[0] : v);
                hi = fmax(hi, bands ? q[2] : v);
            }
        bool flat = hi - lo < 0.05; /* [%] nothing to see: said in the panel */
        exo__nice_range(&lo, &hi);
        int c = k_ % cols, rr = k_ / cols;
        exo__axes ax = {40 + c * pw + 62, 50 + rr * ph + 22, 40 + (c + 1) * pw - 10, 50 + (rr + 1) * ph - 46,
                   0, weeks > 0 ? weeks : 1, lo, hi, false, false, false};
        char title[192], name[64];
        exo__plot_pretty(exo_readout_name(k), name, sizeof name);
        char unit[96];
        snprintf(title, sizeof title, "%s [%s]", name, exo__unit_str(exo_readout_scale(k), unit, sizeof unit));
        exo__draw_axes(cr, &ax, _("time [weeks]"), _("change from baseline [%]"), title);
        exo__clip_to(cr, &ax);
        for (int a = 0; bands && a < exo_result_arms(r); a++) /* every band under every line */
            fill_band(cr, r, &ax, a, k);
        cairo_set_line_width(cr, 1.8);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (int a = 0; a < exo_result_arms(r); a++) {
            int n = exo_result_rows(r, a);
            exo__plot_colour(cr, a);
            bool pen = false;
            for (int i = 0; i < n; i++) {
                double v = change_at(r, a, i, k, q);
                if (isnan(v))
                    break;
                double x = exo__px(&ax, exo_result_row_time(r, a, i) / EXO_WEEK), y = exo__py(&ax, v);
                if (!pen)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
                pen = true;
            }
            cairo_stroke(cr);
        }
        cairo_restore(cr);
        if (flat) {
            exo__plot_font(cr, 10, false);
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            /* xgettext:no-c-format */
            exo__plot_text(cr, 0.5 * (ax.x0 + ax.x1), ax.y0 + 0.3 * (ax.y1 - ax.y0), 0.5, 0.5,
                           _("no change in any arm (under 0.05 %)"));
        }
    }
    char note[160];
    if (bands)
        exo__report_band_note(r, note, sizeof note);
    legend_arms(cr, r, 60, 20, bands ? note : NULL);
}

/* (b) vesicles applied and reaching the viable epidermis and the dermis. */
static void draw_delivery(cairo_t *cr, const void *data, double w, double h)
{
    const exo_result *r = data;
    exo__plot_background(cr);
    int na = exo_result_arms(r);
    double vmin = INFINITY, vmax = 0;
    for (int a = 0; a < na; a++) {
        exo_arm_delivery d;
        exo_result_delivery(r, a, &d);
        const double v[3] = {d.applied, d.viable_epidermis, d.dermis};
        for (int j = 0; j < 3; j++)
            if (v[j] > 0) {
                vmin = fmin(vmin, v[j]);
                vmax = fmax(vmax, v[j]);
            }
    }
    if (!(vmax > 0)) {
        vmin = 1;
        vmax = 10;
    }
    double lo = floor(log10(vmin)), hi = ceil(log10(vmax));
    if (hi <= lo)
        hi = lo + 1;
    exo__axes ax = {80, 50, w - 20, h - 70, 0, 3, lo, hi, true, true, false};
    static const char *const groups[3] = {N_("applied (functional)"), N_("reached viable epidermis"), N_("reached dermis")};
    exo__draw_axes(cr, &ax, NULL, _("vesicles [particles/cm² of skin]"), _("Functional vesicles per cm² by the end of the run"));
    double gw = (ax.x1 - ax.x0) / 3, bw = fmin(40, 0.8 * gw / (na > 0 ? na : 1));
    exo__plot_font(cr, 10.5, false);
    for (int g = 0; g < 3; g++) {
        double cx = ax.x0 + (g + 0.5) * gw;
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, cx, ax.y1 + 8, 0.5, 0, _(groups[g]));
        for (int a = 0; a < na; a++) {
            exo_arm_delivery d;
            exo_result_delivery(r, a, &d);
            const double v[3] = {d.applied, d.viable_epidermis, d.dermis};
            double x = cx + (a - 0.5 * na) * bw;
            exo__plot_colour(cr, a);
            if (v[g] > 0) {
                double y = exo__py(&ax, v[g]);
                cairo_rectangle(cr, x + 2, y, bw - 4, ax.y1 - y);
                cairo_fill(cr);
            }
            char buf[96];
            exo__text_sci_str(v[g], buf, sizeof buf);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            exo__plot_font(cr, 8.5, false);
            exo__plot_bar_value(cr, x + 0.5 * bw, bw, v[g] > 0 ? exo__py(&ax, v[g]) : ax.y1, a, buf);
            exo__plot_font(cr, 10.5, false);
        }
    }
    legend_arms(cr, r, 90, h - 22, NULL);
}

/* Shaded, labelled bands for the skin layers of one arm on a depth axis. */
static void layer_bands(cairo_t *cr, const exo_result *r, int arm, const exo__axes *ax)
{
    static const char *const short_names[] = {N_("SC"), N_("viable epid."), N_("papillary"), N_("reticular dermis")};
    int nl = exo_layer_count();
    exo__clip_to(cr, ax);
    for (int l = 0; l < nl; l++) {
        double z0 = exo_result_layer_top(r, arm, l), z1 = exo_result_layer_top(r, arm, l + 1);
        double g = (l % 2) ? 0.97 : 0.91;
        cairo_set_source_rgb(cr, g, g * 0.96, g * 0.93);
        cairo_rectangle(cr, exo__px(ax, z0), ax->y0, exo__px(ax, z1) - exo__px(ax, z0), ax->y1 - ax->y0);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.55, 0.45, 0.4);
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, exo__px(ax, z1), ax->y0);
        cairo_line_to(cr, exo__px(ax, z1), ax->y1);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    exo__plot_font(cr, 8.5, false);
    cairo_set_source_rgb(cr, 0.4, 0.3, 0.25);
    double row_end[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY}; /* [px] right end of each row's last label */
    for (int l = 0; l < nl && l < 4; l++) {
        double z0 = exo_result_layer_top(r, arm, l), z1 = exo_result_layer_top(r, arm, l + 1);
        if (z0 >= ax->xmax)
            continue;
        /* centred on its band (the first from its left edge), in the first row where it does not
         * touch the label before it: the thin upper layers' labels are measured and stacked */
        cairo_text_extents_t e;
        cairo_text_extents(cr, _(short_names[l]), &e);
        double xc = 0.5 * (exo__px(ax, z0) + exo__px(ax, fmin(z1, ax->xmax)));
        double left = l == 0 ? exo__px(ax, z0) + 2 : fmax(xc - 0.5 * e.width, ax->x0 + 2);
        int row = 0;
        while (row < 3 && left < row_end[row] + 4)
            row++;
        row_end[row] = left + e.width;
        exo__plot_text(cr, left, ax->y0 + 4 + 11 * row, 0, 0, _(short_names[l]));
    }
}

/* (c) vesicle depth profiles at the recorded times, one panel per arm. */
static void draw_depth(cairo_t *cr, const void *data, double w, double h)
{
    const exo_result *r = data;
    exo__plot_background(cr);
    int na = exo_result_arms(r);
    double vmax = 0, zmax = 0;
    for (int a = 0; a < na; a++) {
        zmax = fmax(zmax, exo_result_layer_top(r, a, exo_layer_count()));
        for (int p = 0; p < exo_result_profiles(r, a); p++)
            for (int i = 0; i < exo_result_cells(r, a); i++)
                vmax = fmax(vmax, exo_result_profile_vesicles(r, a, p, i));
    }
    double hi = vmax > 0 ? ceil(log10(vmax)) : 1, lo = hi - 8;
    double pw = (w - 20) / (na > 0 ? na : 1);
    for (int a = 0; a < na; a++) {
        exo__axes ax = {20 + a * pw + 70, 48, 20 + (a + 1) * pw - 16, h - 74, 0, zmax > 0 ? zmax : 1, lo, hi, true, false, false};
        layer_bands(cr, r, a, &ax);
        exo__draw_axes(cr, &ax, _("depth below the surface [µm]"), _("vesicles [particles/mL]"), exo_result_arm_name(r, a));
        exo__clip_to(cr, &ax);
        int np = exo_result_profiles(r, a);
        for (int p = 0; p < np; p++) {
            exo__plot_colour(cr, p);
            cairo_set_line_width(cr, 1.8);
            bool pen = false;
            for (int i = 0; i < exo_result_cells(r, a); i++) {
                double v = exo_result_profile_vesicles(r, a, p, i);
                double x = exo__px(&ax, exo_result_cell_depth(r, a, i)), y = exo__py(&ax, v > 0 ? v : pow(10, lo - 1));
                if (!pen)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
                pen = true;
            }
            cairo_stroke(cr);
        }
        cairo_restore(cr);
    }
    /* legend: profile times of the first arm */
    exo__plot_font(cr, 10.5, false);
    cairo_text_extents_t lead;
    cairo_text_extents(cr, _("time after start:"), &lead); /* measured: the legend starts after it */
    double x = 20 + lead.x_advance + 10;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_text(cr, x - 10, h - 22, 1, 0.5, _("time after start:"));
    for (int p = 0; na > 0 && p < exo_result_profiles(r, 0); p++) {
        double t = exo_result_profile_time(r, 0, p);
        char buf[48];
        if (t < EXO_DAY)
            snprintf(buf, sizeof buf, "%g h", t);
        else if (t < 2 * EXO_WEEK)
            snprintf(buf, sizeof buf, _("%g d"), t / EXO_DAY);
        else
            snprintf(buf, sizeof buf, _("%g weeks"), t / EXO_WEEK);
        exo__plot_colour(cr, p);
        cairo_set_line_width(cr, 2.5);
        cairo_move_to(cr, x, h - 22);
        cairo_line_to(cr, x + 22, h - 22);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, x + 28, h - 22, 0, 0.5, buf);
        cairo_text_extents_t e;
        cairo_text_extents(cr, buf, &e);
        x += 28 + e.x_advance + 22;
    }
    exo__plot_font(cr, 9, false);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    exo__plot_text(cr, w - 16, h - 22, 1, 0.5, _("(log scale; below 10\u207b\u2078 of the peak not shown)"));
}

/* Longest needle of arm a's events whose route has needles [um], 0 if none. */
static double needle_length(const exo_config *cfg, int a)
{
    double L = 0;
    for (int e = 0; e < cfg->arms[a].n_events; e++) {
        const exo_event_cfg *ev = &cfg->arms[a].events[e];
        const exo__route *r = exo__route_get((int)ev->kind);
        if (r && r->needle_length)
            L = fmax(L, r->needle_length(ev));
    }
    return L;
}

/* A label of the cross-section: the point it names and where it wants to be. */
typedef struct {
    double x, y;   /* [px] the point */
    double ly;     /* [px] the label's middle */
    char text[160];
} xs_label;

static int cmp_label(const void *a, const void *b)
{
    double x = ((const xs_label *)a)->ly, y = ((const xs_label *)b)->ly;
    return (x > y) - (x < y);
}

static void leader(cairo_t *cr, double x0, double y0, double x1, double y1, const char *label);

/* Draws the labels in a column at lx, in the order of their wished places,
 * none overlapping another (text sizes measured with cairo): a label too
 * wide for the drawing is broken before its " (", then each is pushed down
 * below the one above and, if the column ran past ymax, pulled up again. */
static void place_labels(cairo_t *cr, xs_label *l, int n, double lx, double ymin, double ymax)
{
    qsort(l, (size_t)n, sizeof *l, cmp_label);
    cairo_text_extents_t e;
    cairo_text_extents(cr, "Ag", &e);
    double line = e.height + 3, cx1, cy1, cx2, cy2, half[8];
    cairo_clip_extents(cr, &cx1, &cy1, &cx2, &cy2); /* the drawing's width */
    char second[8][160];
    for (int i = 0; i < n && i < 8; i++) {
        second[i][0] = '\0';
        cairo_text_extents(cr, l[i].text, &e);
        char *cut = strstr(l[i].text, " (");
        if (e.x_advance > cx2 - lx - 10 && cut) {
            snprintf(second[i], sizeof second[i], "%s", cut + 1);
            *cut = '\0';
        }
        half[i] = 0.5 * line * (second[i][0] ? 2 : 1);
    }
    n = n < 8 ? n : 8;
    for (int i = 0; i < n; i++)
        l[i].ly = fmax(l[i].ly, i ? l[i - 1].ly + half[i - 1] + half[i] + 2 : ymin + half[i]);
    for (int i = n - 1; i >= 0; i--)
        l[i].ly = fmin(l[i].ly, i + 1 < n ? l[i + 1].ly - half[i + 1] - half[i] - 2 : ymax - half[i]);
    for (int i = 0; i < n; i++) {
        double dy = second[i][0] ? 0.5 * line : 0;
        leader(cr, l[i].x, l[i].y, lx, l[i].ly - dy, l[i].text);
        if (second[i][0])
            exo__plot_text(cr, lx + 4, l[i].ly + dy, 0, 0.5, second[i]);
    }
}

static void leader(cairo_t *cr, double x0, double y0, double x1, double y1, const char *label)
{
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_arc(cr, x0, y0, 1.8, 0, 2 * M_PI);
    cairo_fill(cr);
    exo__plot_text(cr, x1 + 4, y1, 0, 0.5, label);
}

/* (d) schematic cross-section of the first arm's skin, depths to scale. */
static void draw_cross_section(cairo_t *cr, const void *data, double w, double h)
{
    const exo_result *r = data;
    exo__plot_background(cr);
    const exo_config *cfg = exo_result_config(r);
    int nl = exo_layer_count();
    double total = exo_result_layer_top(r, 0, nl);
    if (!(total > 0))
        total = 1;
    double x0 = 90, x1 = w - 300, y0 = 60, y1 = h - 40;
    double s = (y1 - y0) / total; /* [px/um] */
    static const double fill[4][3] = {{0.93, 0.82, 0.62}, {0.96, 0.74, 0.66}, {0.98, 0.86, 0.82}, {0.95, 0.90, 0.86}};
    static const char *const names[4] = {N_("stratum corneum"), N_("viable epidermis"), N_("papillary dermis"), N_("reticular dermis")};
    for (int l = 0; l < nl && l < 4; l++) {
        double z0 = exo_result_layer_top(r, 0, l), z1 = exo_result_layer_top(r, 0, l + 1);
        cairo_set_source_rgb(cr, fill[l][0], fill[l][1], fill[l][2]);
        cairo_rectangle(cr, x0, y0 + z0 * s, x1 - x0, (z1 - z0) * s + 0.5);
        cairo_fill(cr);
    }
    /* collagen bundles in the reticular dermis */
    double zr = exo_result_layer_top(r, 0, 3);
    cairo_set_source_rgb(cr, 0.85, 0.72, 0.66);
    cairo_set_line_width(cr, 2);
    for (int i = 0; i < 14; i++) {
        double y = y0 + (zr + (total - zr) * (i + 0.5) / 14) * s;
        double xo = (i % 2) * 30;
        for (double x = x0 + 10 + xo; x + 40 < x1; x += 70) {
            cairo_move_to(cr, x, y);
            cairo_curve_to(cr, x + 12, y - 4, x + 28, y + 4, x + 40, y);
        }
        cairo_stroke(cr);
    }
    /* follicle: a hair in its sheath, with a sebaceous gland */
    double fx = x0 + 0.28 * (x1 - x0), fdepth = fmin(0.85 * total, exo_result_layer_top(r, 0, 3) + 0.5 * (total - zr));
    cairo_set_source_rgb(cr, 0.88, 0.62, 0.52);
    cairo_move_to(cr, fx - 16, y0);
    cairo_line_to(cr, fx - 11, y0 + fdepth * s);
    cairo_curve_to(cr, fx - 14, y0 + fdepth * s + 18, fx + 14, y0 + fdepth * s + 18, fx + 11, y0 + fdepth * s);
    cairo_line_to(cr, fx + 16, y0);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.96, 0.88, 0.55);
    cairo_arc(cr, fx + 26, y0 + 0.32 * fdepth * s, 10, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.3, 0.22, 0.15);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, fx, y0 + fdepth * s + 6);
    cairo_curve_to(cr, fx + 1, y0 + 0.5 * fdepth * s, fx - 1, y0, fx + 14, y0 - 22);
    cairo_stroke(cr);
    /* micro-channel left by a needle: this arm's, or another arm's (named) */
    int na = exo_result_arms(r), needled = 0;
    while (needled < na && !(needle_length(cfg, needled) > 0))
        needled++;
    double L = needled < na ? needle_length(cfg, needled) : 0, depth = fmin(L, total);
    double cx = x0 + 0.68 * (x1 - x0);
    if (L > 0) {
        cairo_set_source_rgb(cr, 0.72, 0.16, 0.16);
        cairo_move_to(cr, cx - 7, y0);
        cairo_line_to(cr, cx, y0 + depth * s);
        cairo_line_to(cr, cx + 7, y0);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    /* exosome film on the surface */
    cairo_set_source_rgb(cr, 0.35, 0.55, 0.85);
    for (double x = x0 + 6; x < x1; x += 14) {
        cairo_arc(cr, x, y0 - 5, 2.6, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    /* frame, depth scale */
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_stroke(cr);
    exo__plot_font(cr, 10, false);
    double st = exo__nice_step(total, 6);
    for (double z = 0; z <= total + 1e-9; z += st) {
        char buf[32];
        snprintf(buf, sizeof buf, "%g", z);
        cairo_move_to(cr, x0 - 4, y0 + z * s);
        cairo_line_to(cr, x0, y0 + z * s);
        cairo_stroke(cr);
        exo__plot_text(cr, x0 - 7, y0 + z * s, 1, 0.5, buf);
    }
    exo__plot_font(cr, 10.5, false);
    exo__plot_text_rotated(cr, x0 - 55, 0.5 * (y0 + y1), _("depth below the surface [µm] (to scale)"));
    /* labels, placed apart in a column on the right */
    xs_label lab[8];
    int nlab = 0;
    for (int l = 0; l < nl && l < 4; l++) {
        double z0 = exo_result_layer_top(r, 0, l), z1 = exo_result_layer_top(r, 0, l + 1);
        snprintf(lab[nlab].text, sizeof lab[nlab].text, "%s, %.0f µm", _(names[l]), z1 - z0);
        lab[nlab].x = x1 - 20;
        lab[nlab].y = lab[nlab].ly = y0 + 0.5 * (z0 + z1) * s;
        nlab++;
    }
    lab[nlab] = (xs_label){fx + 12, y0 + 0.5 * fdepth * s, y0 + 0.5 * fdepth * s, ""};
    snprintf(lab[nlab++].text, sizeof lab[0].text, "%s", _("hair follicle (a route past the barrier)"));
    lab[nlab] = (xs_label){fx + 34, y0 + 0.32 * fdepth * s, y0 + 0.32 * fdepth * s, ""};
    snprintf(lab[nlab++].text, sizeof lab[0].text, "%s", _("sebaceous gland"));
    if (L > 0) {
        lab[nlab] = (xs_label){cx + 2, y0 + 0.8 * depth * s, y0 + 0.8 * depth * s, ""};
        if (needled == 0)
            snprintf(lab[nlab++].text, sizeof lab[0].text, _("micro-channel of a %.1f mm needle"), L / EXO_MM);
        else
            snprintf(lab[nlab++].text, sizeof lab[0].text, _("micro-channel of a %.1f mm needle (arm '%s')"),
                     L / EXO_MM, exo_result_arm_name(r, needled));
    }
    exo__plot_font(cr, 10, false);
    place_labels(cr, lab, nlab, x1 + 30, y0 - 4, y1);
    char buf[256];
    exo__plot_font(cr, 11.5, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, _("Facial skin of arm '%s' (%s, %.0f years), exosome film on top"), exo_result_arm_name(r, 0),
             exo_region_name(cfg->arms[0].skin.region), cfg->arms[0].skin.age);
    exo__plot_text(cr, x0, 22, 0, 0.5, buf);
}

static const exo__figure figures[] = {
    {"timecourse", N_("Change from baseline of the key readouts over the run, one line per arm."), 960, 600,
     draw_timecourse},
    {"delivery", N_("Functional vesicles applied, and those that reached the viable epidermis and the dermis "
                 "(or deeper), per cm² of skin, log scale."), 800, 420, draw_delivery},
    {"depth", N_("Vesicle concentration against depth at the recorded profile times, per arm; the shaded "
              "bands are the skin layers."), 960, 420, draw_depth},
    {"cross-section", N_("Schematic cross-section of the skin, layer thicknesses to scale, with a hair follicle "
                      "and a micro-channel."), 900, 460, draw_cross_section},
};

const char *exo__report_figure_caption(const exo__figure *f, const exo_result *r)
{
    const exo_config *cfg = exo_result_config(r);
    if (f->draw != draw_cross_section)
        return f->caption;
    for (int a = 0; a < exo_result_arms(r); a++)
        if (needle_length(cfg, a) > 0)
            return f->caption;
    return N_("Schematic cross-section of the skin, layer thicknesses to scale, with a hair follicle.");
}

int exo__report_figures(const exo__figure **out)
{
    *out = figures;
    return (int)(sizeof figures / sizeof figures[0]);
}

int exo_report_figure_count(void) { return (int)(sizeof figures / sizeof figures[0]); }

const char *exo_report_figure_name(int i)
{
    return (i >= 0 && i < exo_report_figure_count()) ? figures[i].name : NULL;
}

void exo_report_figure_size(int i, int *width_px, int *height_px)
{
    bool ok = i >= 0 && i < exo_report_figure_count();
    *width_px = ok ? (int)figures[i].width * EXO_REPORT_PNG_SCALE : 0;
    *height_px = ok ? (int)figures[i].height * EXO_REPORT_PNG_SCALE : 0;
}

/* ---- voxel field slices (tissue mode; field_png.c writes them as PNG) */

/* viridis (perceptually uniform, readable with colour-vision deficiency) at
 * 0, 1/8, ..., 1, linear in between */
static const double viridis[9][3] = {{0.267, 0.005, 0.329}, {0.283, 0.141, 0.458}, {0.254, 0.265, 0.530},
                                     {0.207, 0.372, 0.553}, {0.164, 0.471, 0.558}, {0.128, 0.567, 0.551},
                                     {0.135, 0.659, 0.518}, {0.267, 0.749, 0.441}, {0.993, 0.906, 0.144}};

void exo__figure_colour(double f, double rgb[3])
{
    f = !(f > 0) ? 0 : f > 1 ? 1 : f;
    int i = f >= 1 ? 7 : (int)(8 * f);
    double w = 8 * f - i;
    for (int c = 0; c < 3; c++)
        rgb[c] = (1 - w) * viridis[i][c] + w * viridis[i + 1][c];
}

#define FIELD_BOX 520.0                   /* [px] longest side of the map */
#define FIELD_L 70.0                      /* [px] margins: left, top, bottom, right */
#define FIELD_T 36.0
#define FIELD_B 50.0
#define FIELD_R 140.0
#define FIELD_BAR_MIN 160.0               /* [px] shortest colour bar */

void exo__figure_field_layout(const exo__field_slice *sl, double *width, double *height, double box[4])
{
    double U = sl->nu * sl->du_um, V = sl->nv * sl->dv_um, s = FIELD_BOX / (U > V ? U : V);
    double bw = U * s, bh = V * s;
    box[0] = FIELD_L;
    box[1] = FIELD_T;
    box[2] = FIELD_L + bw;
    box[3] = FIELD_T + bh;
    *width = FIELD_L + bw + FIELD_R;
    *height = FIELD_T + (bh > FIELD_BAR_MIN ? bh : FIELD_BAR_MIN) + FIELD_B;
}

void exo__figure_field(cairo_t *cr, const exo__field_slice *sl)
{
    double w, h, box[4];
    exo__figure_field_layout(sl, &w, &h, box);
    const size_t n = (size_t)sl->nu * sl->nv;
    double lo = 0, hi = -INFINITY;
    for (size_t q = 0; q < n; q++) {
        lo = sl->values[q] < lo ? sl->values[q] : lo;
        hi = sl->values[q] > hi ? sl->values[q] : hi;
    }
    if (!(hi > lo))
        hi = lo + 1;
    exo__plot_background(cr);
    exo__axes ax = {box[0], box[1], box[2], box[3], 0, sl->nu * sl->du_um, 0, sl->nv * sl->dv_um, false, false,
                    sl->v_down};
    exo__draw_axes(cr, &ax, sl->ulabel, sl->vlabel, sl->title);
    /* the voxels over the grid lines: one image pixel each, scaled up
     * without smoothing */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sl->nu, sl->nv);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
        unsigned char *px8 = cairo_image_surface_get_data(img);
        int stride = cairo_image_surface_get_stride(img);
        cairo_surface_flush(img);
        for (int v = 0; v < sl->nv; v++) {
            uint32_t *row = (uint32_t *)(px8 + (size_t)stride * (sl->v_down ? v : sl->nv - 1 - v));
            for (int u = 0; u < sl->nu; u++) {
                double rgb[3];
                exo__figure_colour((sl->values[u + (size_t)sl->nu * v] - lo) / (hi - lo), rgb);
                row[u] = (uint32_t)lround(255 * rgb[0]) << 16 | (uint32_t)lround(255 * rgb[1]) << 8 |
                         (uint32_t)lround(255 * rgb[2]);
            }
        }
        cairo_surface_mark_dirty(img);
        cairo_save(cr);
        cairo_translate(cr, box[0], box[1]);
        cairo_scale(cr, (box[2] - box[0]) / sl->nu, (box[3] - box[1]) / sl->nv);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    cairo_surface_destroy(img);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, box[0], box[1], box[2] - box[0], box[3] - box[1]);
    cairo_stroke(cr);
    /* the colour bar: the map's stops as a gradient, lo at the bottom */
    double bx = box[2] + 24, by0 = box[1], by1 = box[1] + (h - FIELD_T - FIELD_B), bwid = 16;
    cairo_pattern_t *grad = cairo_pattern_create_linear(0, by1, 0, by0);
    for (int q = 0; q < 9; q++)
        cairo_pattern_add_color_stop_rgb(grad, q / 8.0, viridis[q][0], viridis[q][1], viridis[q][2]);
    cairo_set_source(cr, grad);
    cairo_rectangle(cr, bx, by0, bwid, by1 - by0);
    cairo_fill(cr);
    cairo_pattern_destroy(grad);
    /* ticks; values of 1e4 and more (or below 1e-2) as multiples of a power
     * of ten given with the unit */
    int e = 0;
    double top = fabs(hi) > fabs(lo) ? fabs(hi) : fabs(lo);
    if (top >= 1e4 || top < 1e-2)
        e = (int)floor(log10(top));
    const double scale = pow(10, -e), step = exo__nice_step((hi - lo) * scale, 5);
    exo__axes bar = {bx + bwid, by0, bx + bwid, by1, 0, 1, lo * scale, hi * scale, false, true, false};
    char buf[160], unit[96];
    exo__unit_str(sl->unit ? sl->unit : "1", unit, sizeof unit);
    double tick_w = 0; /* [px] widest tick label: the bar's label goes right of them */
    exo__plot_font(cr, 10, false);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    for (double v = ceil(lo * scale / step) * step; v <= hi * scale + 1e-9 * step; v += step) {
        double y = exo__py(&bar, v);
        cairo_move_to(cr, bx + bwid, y);
        cairo_line_to(cr, bx + bwid + 4, y);
        cairo_stroke(cr);
        exo__tick_label(v, step, buf, sizeof buf);
        exo__plot_text(cr, bx + bwid + 7, y, 0, 0.5, buf);
        cairo_text_extents_t te;
        cairo_text_extents(cr, buf, &te);
        tick_w = fmax(tick_w, te.x_bearing + te.width);
    }
    cairo_rectangle(cr, bx, by0, bwid, by1 - by0);
    cairo_stroke(cr);
    exo__plot_font(cr, 10.5, false);
    if (e != 0) {
        char p10[48];
        snprintf(buf, sizeof buf, "\u00d7%s [%s]", exo__text_pow10(e, p10, sizeof p10), unit);
    } else {
        snprintf(buf, sizeof buf, "[%s]", unit);
    }
    cairo_text_extents_t te;
    cairo_text_extents(cr, buf, &te);
    exo__plot_text_rotated(cr, fmin(bx + bwid + 7 + tick_w + 8 + 0.5 * te.height, w - 4 - 0.5 * te.height),
                           0.5 * (by0 + by1), buf);
}
