/* plot.c - drawing primitives of the report figures (plot.h). */
#include "report/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define FONT EXO_PLOT_FONT

/* Okabe-Ito colours, distinguishable with colour-vision deficiency. */
static const double palette[][3] = {{0.000, 0.447, 0.698}, {0.835, 0.369, 0.000}, {0.000, 0.620, 0.451},
                                    {0.800, 0.475, 0.655}, {0.902, 0.624, 0.000}, {0.337, 0.706, 0.914}};
#define N_PALETTE (int)(sizeof palette / sizeof palette[0])

void exo__plot_colour(cairo_t *cr, int i)
{
    const double *c = palette[i % N_PALETTE];
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

void exo__plot_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Draws text at (x, y) aligned by ax (0 left, 0.5 centre, 1 right) and ay
 * (0 baseline-top, 0.5 middle, 1 bottom) of its ink box. */
static _Thread_local exo__text_log *text_log;

exo__text_log *exo__text_log_set(exo__text_log *log)
{
    exo__text_log *old = text_log;
    text_log = log;
    return old;
}

void exo__text_log_figure(const char *name, double width, double height)
{
    exo__text_log *l = text_log;
    if (!l || l->n_fig >= (int)(sizeof l->fig / sizeof l->fig[0]))
        return;
    exo__text_figure *f = &l->fig[l->n_fig++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->width = width;
    f->height = height;
}

/* Records the ink box of s drawn at the current point (user space) in
 * device units: the bounding box of its four transformed corners. */
static void log_text(cairo_t *cr, const cairo_text_extents_t *e, const char *s)
{
    exo__text_log *l = text_log;
    if (!l || l->n_fig == 0 || e->width <= 0)
        return;
    if (l->n >= l->cap) {
        l->dropped++;
        return;
    }
    double px, py;
    cairo_get_current_point(cr, &px, &py);
    double cx[4] = {px + e->x_bearing, px + e->x_bearing + e->width, px + e->x_bearing, px + e->x_bearing + e->width};
    double cy[4] = {py + e->y_bearing, py + e->y_bearing, py + e->y_bearing + e->height,
                    py + e->y_bearing + e->height};
    exo__text_box *b = &l->box[l->n++];
    b->x0 = b->y0 = INFINITY;
    b->x1 = b->y1 = -INFINITY;
    for (int i = 0; i < 4; i++) {
        cairo_user_to_device(cr, &cx[i], &cy[i]);
        b->x0 = fmin(b->x0, cx[i]);
        b->x1 = fmax(b->x1, cx[i]);
        b->y0 = fmin(b->y0, cy[i]);
        b->y1 = fmax(b->y1, cy[i]);
    }
    snprintf(b->text, sizeof b->text, "%s", s);
    b->figure = l->n_fig - 1;
}

int exo__text_log_check(const exo__text_log *log, int k, double tol, char *msg, size_t cap)
{
    int bad = 0;
    size_t used = 0;
    if (cap)
        msg[0] = '\0';
    const exo__text_figure *f = &log->fig[k];
    for (int i = 0; i < log->n; i++) {
        const exo__text_box *a = &log->box[i];
        if (a->figure != k)
            continue;
        bool out = a->x0 < -tol || a->y0 < -tol || a->x1 > f->width + tol || a->y1 > f->height + tol;
        for (int j = i + 1; j < log->n && !out; j++) {
            const exo__text_box *b = &log->box[j];
            if (b->figure != k)
                continue;
            if (fmin(a->x1, b->x1) - fmax(a->x0, b->x0) > tol && fmin(a->y1, b->y1) - fmax(a->y0, b->y0) > tol) {
                bad++;
                if (used < cap) {
                    int w = snprintf(msg + used, cap - used, "%s: '%s' overlaps '%s'\n", f->name, a->text, b->text);
                    used += w > 0 ? (size_t)w : 0;
                }
            }
        }
        if (out) {
            bad++;
            if (used < cap) {
                int w = snprintf(msg + used, cap - used, "%s: '%s' leaves the %gx%g drawing ([%.0f, %.0f] x [%.0f, "
                                 "%.0f])\n", f->name, a->text, f->width, f->height, a->x0, a->x1, a->y0, a->y1);
                used += w > 0 ? (size_t)w : 0;
            }
        }
    }
    return bad;
}

void exo__plot_text(cairo_t *cr, double x, double y, double ax, double ay, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.x_bearing - ax * e.width, y - e.y_bearing - ay * e.height);
    log_text(cr, &e, s);
    cairo_show_text(cr, s);
}

void exo__plot_bar_value(cairo_t *cr, double cx, double bw, double y, int j, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    double lift = te.width > bw - 2 && j % 2 ? 12 : 0; /* wider than its bar: every other one a row up */
    exo__plot_text(cr, cx, y - 3 - lift, 0.5, 1, s);
}

void exo__plot_text_rotated(cairo_t *cr, double x, double y, const char *s)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    exo__plot_text(cr, 0, 0, 0.5, 0.5, s);
    cairo_restore(cr);
}

void exo__plot_pretty(const char *in, char *out, size_t n)
{
    snprintf(out, n, "%s", in);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
}



double exo__px(const exo__axes *a, double v) { return a->x0 + (v - a->xmin) / (a->xmax - a->xmin) * (a->x1 - a->x0); }
double exo__py(const exo__axes *a, double v)
{
    if (a->ylog)
        v = v > 0 ? log10(v) : a->ymin - 1;
    if (a->ydown)
        return a->y0 + (v - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
    return a->y1 - (v - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
}

double exo__nice_step(double range, int target)
{
    double raw = range / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/* Widens [lo, hi] to multiples of a nice step. */
void exo__nice_range(double *lo, double *hi)
{
    if (!(*hi > *lo)) {
        double d = fabs(*lo) > 0 ? 0.1 * fabs(*lo) : 1;
        *lo -= d;
        *hi += d;
    }
    double s = exo__nice_step(*hi - *lo, 5);
    *lo = floor(*lo / s) * s;
    *hi = ceil(*hi / s) * s;
}

void exo__tick_label(double v, double step, char *buf, size_t n)
{
    if (fabs(v) < 1e-9 * step)
        v = 0;
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, n, "%.*f", dec, v);
}

/* Frame, grid, ticks and labels of a plot; x linear, y linear or log. */
void exo__draw_axes(cairo_t *cr, const exo__axes *a, const char *xlabel, const char *ylabel, const char *title)
{
    char buf[64];
    cairo_set_line_width(cr, 1);
    exo__plot_font(cr, 10, false);
    /* x ticks */
    double xs = exo__nice_step(a->xmax - a->xmin, 6);
    for (double v = ceil(a->xmin / xs) * xs; !a->xcat && v <= a->xmax + 1e-9 * xs; v += xs) {
        double x = exo__px(a, v);
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, x, a->y0);
        cairo_line_to(cr, x, a->y1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, x, a->y1);
        cairo_line_to(cr, x, a->y1 + 4);
        cairo_stroke(cr);
        exo__tick_label(v, xs, buf, sizeof buf);
        exo__plot_text(cr, x, a->y1 + 7, 0.5, 0, buf);
    }
    /* y ticks */
    if (a->ylog) {
        for (int k = (int)ceil(a->ymin - 1e-9); k <= (int)floor(a->ymax + 1e-9); k++) {
            double y = a->y1 - (k - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
            cairo_move_to(cr, a->x0, y);
            cairo_line_to(cr, a->x1, y);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            cairo_move_to(cr, a->x0 - 4, y);
            cairo_line_to(cr, a->x0, y);
            cairo_stroke(cr);
            /* 10 with a raised exponent */
            snprintf(buf, sizeof buf, "%d", k);
            exo__plot_font(cr, 8, false);
            cairo_text_extents_t e;
            cairo_text_extents(cr, buf, &e);
            exo__plot_text(cr, a->x0 - 6, y - 3, 1, 0.5, buf);
            exo__plot_font(cr, 10, false);
            exo__plot_text(cr, a->x0 - 7 - e.x_advance, y, 1, 0.3, "10");
        }
    } else {
        double ys = exo__nice_step(a->ymax - a->ymin, 5);
        for (double v = ceil(a->ymin / ys) * ys; v <= a->ymax + 1e-9 * ys; v += ys) {
            double y = exo__py(a, v);
            cairo_set_source_rgb(cr, fabs(v) < 1e-9 * ys ? 0.6 : 0.9, fabs(v) < 1e-9 * ys ? 0.6 : 0.9,
                                 fabs(v) < 1e-9 * ys ? 0.6 : 0.9);
            cairo_move_to(cr, a->x0, y);
            cairo_line_to(cr, a->x1, y);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            cairo_move_to(cr, a->x0 - 4, y);
            cairo_line_to(cr, a->x0, y);
            cairo_stroke(cr);
            exo__tick_label(v, ys, buf, sizeof buf);
            exo__plot_text(cr, a->x0 - 7, y, 1, 0.5, buf);
        }
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
    cairo_stroke(cr);
    exo__plot_font(cr, 10.5, false);
    if (xlabel)
        exo__plot_text(cr, 0.5 * (a->x0 + a->x1), a->y1 + 24, 0.5, 0, xlabel);
    if (ylabel)
        exo__plot_text_rotated(cr, a->x0 - 44, 0.5 * (a->y0 + a->y1), ylabel);
    if (title) {
        exo__plot_font(cr, 11.5, true);
        exo__plot_text(cr, 0.5 * (a->x0 + a->x1), a->y0 - 8, 0.5, 1, title);
    }
}

void exo__clip_to(cairo_t *cr, const exo__axes *a)
{
    cairo_save(cr);
    cairo_rectangle(cr, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
    cairo_clip(cr);
}

void exo__plot_background(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}


void exo__plot_colour_alpha(cairo_t *cr, int i, double alpha)
{
    const double *c = palette[i % N_PALETTE];
    cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

/* One legend entry (swatch and text) at (*x, *y) of text width tw, wrapped
 * to a new row (18 px down, from x0) at the right edge of the clip first
 * unless it is the first entry; *x moves past it. */
static void legend_place(cairo_t *cr, double x0, double *x, double *y, double tw, bool first)
{
    double cx1, cy1, cx2, cy2;
    cairo_clip_extents(cr, &cx1, &cy1, &cx2, &cy2); /* the figure's width: wrap there */
    if (!first && *x + 28 + tw > cx2 - 8) {
        *x = x0;
        *y += 18;
    }
}

void exo__plot_legend_bands(cairo_t *cr, double x, double y, const char *const *names, int n, const char *note)
{
    exo__plot_font(cr, 10.5, false);
    double x0 = x;
    for (int a = 0; a < n; a++) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, names[a], &e);
        legend_place(cr, x0, &x, &y, e.x_advance, a == 0);
        if (note) {
            exo__plot_colour_alpha(cr, a, EXO_PLOT_BAND_ALPHA);
            cairo_rectangle(cr, x, y - 6, 22, 12);
            cairo_fill(cr);
        }
        exo__plot_colour(cr, a);
        cairo_set_line_width(cr, 2.5);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 22, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, x + 28, y, 0, 0.5, names[a]);
        x += 28 + e.x_advance + 24;
    }
    if (note) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, note, &e);
        legend_place(cr, x0, &x, &y, e.x_advance - 28, n == 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        exo__plot_text(cr, x, y, 0, 0.5, note);
    }
}

void exo__plot_legend(cairo_t *cr, double x, double y, const char *const *names, int n)
{
    exo__plot_legend_bands(cr, x, y, names, n, NULL);
}
