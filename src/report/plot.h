/* plot.h - drawing primitives of the report figures (cairo): colours,
 * text, plot boxes with linear or log axes, legends. */
#ifndef EXO_PLOT_H
#define EXO_PLOT_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#define EXO_PLOT_FONT "DejaVu Sans"

/* A plot box in device units and the data ranges it shows. */
typedef struct {
    double x0, y0, x1, y1;       /* [px] left, top, right, bottom */
    double xmin, xmax, ymin, ymax;
    bool ylog;                   /* y range given as log10 of the values */
    bool xcat;                   /* categorical x: the caller labels it */
    bool ydown;                  /* y grows downwards (depth) */
} exo__axes;

/* Okabe-Ito colour i (cycled), distinguishable with colour-vision deficiency. */
void exo__plot_colour(cairo_t *cr, int i);
void exo__plot_font(cairo_t *cr, double size, bool bold);
/* Draws text at (x, y) aligned by ax (0 left, 0.5 centre, 1 right) and ay
 * (0 top, 0.5 middle, 1 bottom) of its ink box. */
void exo__plot_text(cairo_t *cr, double x, double y, double ax, double ay, const char *s);
void exo__plot_text_rotated(cairo_t *cr, double x, double y, const char *s);
/* The value s of bar j (width bw [px], centre cx) above its top y [px];
 * a label wider than its bar goes a row up for every other bar. */
void exo__plot_bar_value(cairo_t *cr, double cx, double bw, double y, int j, const char *s);
/* in with spaces for underscores. */
void exo__plot_pretty(const char *in, char *out, size_t n);
double exo__px(const exo__axes *a, double v);
double exo__py(const exo__axes *a, double v);
double exo__nice_step(double range, int target);
/* The label of tick value v on an axis of tick spacing step (as many
 * decimals as the step needs). */
void exo__tick_label(double v, double step, char *buf, size_t n);
/* Widens [lo, hi] to multiples of a nice step. */
void exo__nice_range(double *lo, double *hi);
/* Frame, grid, ticks and labels of a plot (any label may be NULL). */
void exo__draw_axes(cairo_t *cr, const exo__axes *a, const char *xlabel, const char *ylabel, const char *title);
/* cairo_save and clip to the plot box; the caller restores. */
void exo__clip_to(cairo_t *cr, const exo__axes *a);
void exo__plot_background(cairo_t *cr);
/* Rows of n legend entries from (x, y): a line in colour i and names[i],
 * wrapped to a new row (18 px down) at the right edge of the clip. */
void exo__plot_legend(cairo_t *cr, double x, double y, const char *const *names, int n);
/* The same with bands (note not NULL): each line over a swatch of its
 * translucent band, and the note (e.g. "shaded: 90 % interval ...") after
 * the entries, wrapped the same way. */
void exo__plot_legend_bands(cairo_t *cr, double x, double y, const char *const *names, int n, const char *note);
/* Colour i with opacity alpha; EXO_PLOT_BAND_ALPHA: that of an interval band. */
#define EXO_PLOT_BAND_ALPHA 0.22
void exo__plot_colour_alpha(cairo_t *cr, int i, double alpha);

/* The picture check of the figures (report_test.c): while a log is set on
 * this thread, every text exo__plot_text draws is recorded with its ink box
 * in device units [px], and exo__html_figure starts a new figure (its name
 * and size) before each drawing.  exo__text_log_check lists, into msg, the
 * texts of one figure that overlap another or leave the drawing. */
typedef struct {
    double x0, y0, x1, y1; /* [px] ink box */
    char text[80];
    int figure;            /* index into the log's figures */
} exo__text_box;
typedef struct {
    char name[64];
    double width, height; /* [px] */
} exo__text_figure;
typedef struct {
    exo__text_box *box;
    int n, cap;
    exo__text_figure fig[64];
    int n_fig;
    int dropped; /* texts not recorded (no room) */
} exo__text_log;
/* Starts (log) or stops (NULL) recording on this thread; box must have cap
 * entries.  Returns the log set before. */
exo__text_log *exo__text_log_set(exo__text_log *log);
/* A new figure of the log (exo__html_figure calls it; nothing without a log). */
void exo__text_log_figure(const char *name, double width, double height);
/* The problems of figure k: overlapping texts (by more than tol [px] each
 * way) and texts outside the drawing; one line each into msg.  Returns
 * their number. */
int exo__text_log_check(const exo__text_log *log, int k, double tol, char *msg, size_t cap);

#endif
