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

#endif
