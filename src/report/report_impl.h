/* report_impl.h - internals shared by report.c (the HTML) and figures.c (the
 * cairo drawings of a run report). */
#ifndef EXO_REPORT_IMPL_H
#define EXO_REPORT_IMPL_H

#include <exoskin/exo_report.h>
#include <cairo.h>

/* The PNG copies are drawn at this many pixels per SVG unit. */
#define EXO_REPORT_PNG_SCALE 1 /* PNG encoding dominated the run time at 2 */

typedef struct {
    const char *name;    /* file stem and HTML id suffix */
    const char *caption; /* one sentence: what the figure shows */
    double width, height; /* [px] drawing size (SVG user units) */
    void (*draw)(cairo_t *cr, const exo_result *r, double width, double height);
} exo__figure;

int exo__report_figures(const exo__figure **out);

/* Index of the readout with this name, -1 if none. */
int exo__report_readout(const char *name);

/* A 2D slice of a voxel field, for the tissue-mode pictures. */
typedef struct {
    const double *values;       /* [nu * nv], u fastest */
    int nu, nv;                 /* voxels across (u) and along (v) */
    double du_um, dv_um;        /* [um] voxel size along u and v */
    bool v_down;                /* v drawn downwards (depth), else upwards */
    const char *ulabel, *vlabel; /* axis labels, with their unit */
    const char *title, *unit;   /* title above; unit of the values (colour bar) */
} exo__field_slice;

/* Size of the drawing [px] and its map box (left, top, right, bottom [px]):
 * voxels to scale, the longer side 520 px; colour bar on the right. */
void exo__figure_field_layout(const exo__field_slice *sl, double *width, double *height, double box[4]);
/* Draws the slice (viridis from min(0, smallest) to the largest value, axes
 * in um, colour bar with the unit, title) on cr, any surface of the layout's
 * size. */
void exo__figure_field(cairo_t *cr, const exo__field_slice *sl);
/* The colour of fraction f in [0, 1] of the map's range (clamped). */
void exo__figure_colour(double f, double rgb[3]);

#endif
