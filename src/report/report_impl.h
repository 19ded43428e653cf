/* report_impl.h - internals shared by the reports of src/report/: the run
 * report (report.c, figures.c) and the study reports (trial, sweep, audit,
 * optimize, sensitivity), which reuse its precautions, side effects and
 * adverse-event table for a typical patient. */
#ifndef EXO_REPORT_IMPL_H
#define EXO_REPORT_IMPL_H

#include <exoskin/exo_report.h>

#include "report/html.h"
#include "report/plot.h"
#include "report/study_report.h"

#define EXO_REPORT_MAX_EVENTS 128

int exo__report_figures(const exo__figure **out);
/* The caption (msgid) of figure f of the run r: the cross-section names a
 * micro-channel only when an arm of r needles. */
const char *exo__report_figure_caption(const exo__figure *f, const exo_result *r);
/* The legend and note of a run's posterior bands (exo_result_band_runs),
 * translated, into buf: "shaded: 90 % interval over N posterior draws and
 * the median". */
void exo__report_band_note(const exo_result *r, char *buf, size_t n);

/* Readout k (an exo_readout) in plain words, translated ("water loss
 * through the skin (TEWL)"): its label in exo_readouts.h; "?" out of range. */
const char *exo__report_readout_label(int k);
/* Text of the library (an audit claim or reason, a validation check) into
 * the page, escaped, in the reports' display form: numbers written with an
 * exponent (2.05e+13) in powers of ten, readout names (dermal_collagen) as
 * their labels, unit powers (cm^2) as superscripts. */
void exo__report_prose(exo__html *b, const char *s);

/* The precautions paragraph of a summary (consultation before needling or
 * injections when cfg has such a procedure or procedure is true; the dose)
 * and the list of the
 * side effects of the typical patient res per arm (none if res is NULL),
 * with their course. ev:
 * EXO_REPORT_MAX_EVENTS entries of scratch. */
void exo__report_precautions(exo__html *b, const exo_config *cfg, bool procedure, const exo_result *res,
                             exo_adverse_event *ev);
/* Section `id` (heading translated): every adverse event of res and the
 * probability of a serious one per arm. */
void exo__report_adverse(exo__html *b, const exo_result *res, exo_adverse_event *ev, const char *id,
                         const char *heading);

/* The table of validation rows (validation_report.c): published value,
 * accepted range, prediction, verdict, checks, source and the reason of a
 * known failure; the validation report and a study file's run report. */
void exo__report_validation_rows(exo__html *b, const exo_validation_row *rows, int n);

/* A study report being written: its page and its typical patient, the
 * command's effective input run once with the model's central values (by
 * the caller, study_report.h), whose adverse events give the side effects
 * in the summary and the section `typical-patient`. */
typedef struct {
    exo__html b;
    const exo_config *cfg;  /* the typical patient's configuration */
    const exo_result *typ;  /* its run (borrowed) */
    exo_adverse_event *ev;  /* EXO_REPORT_MAX_EVENTS entries of scratch */
} exo__study;

/* Opens the page in dir (exo__html_open) for the typical patient typ (its
 * configuration: exo_result_config).  On failure nothing is left to close. */
exo_status exo__study_open(exo__study *s, exo_ctx *ctx, const char *dir, const exo_result *typ);
/* Unless st is an error: the section `typical-patient` (heading translated)
 * and the provenance (mode, seed, extra rows, yaml).  Then writes and closes
 * the page and frees its scratch.  Returns st or the first error. */
exo_status exo__study_close(exo__study *s, exo_status st, const char *heading, const char *mode,
                            unsigned long long seed, const char *const *extra, int n_extra, const char *yaml);

/* The section `before-after` (before_after.c): the skin at baseline and at
 * the last visit, to scale, for the arm with the largest change in the
 * scenario's main readout; nothing for a run without two recorded times. */
exo_status exo__report_before_after(exo__html *b, const exo_result *r);
/* Whether the run report has that section (for its navigation link). */
bool exo__report_has_before_after(const exo_result *r);

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
/* Whether an arm of r ran in tissue mode; the section `tissue` of its
 * report (tissue_report.c): sections and en-face maps of every tissue arm. */
bool exo__report_has_tissue(const exo_result *r);
exo_status exo__report_tissue(exo__html *b, exo_ctx *ctx, const exo_result *r);

/* Slice orientations for exo__tissue_slice_png (the axis normal to the slice). */
enum { EXO_SLICE_X = 0, EXO_SLICE_Y = 1, EXO_SLICE_Z = 2 };

/* Writes a PNG picture of one slice of `field` (nx*ny*nz doubles, x fastest):
 *   axis EXO_SLICE_Y: the x-z cross-section at y index `index` (x across,
 *        z downwards: z is depth from the surface k = 0);
 *   axis EXO_SLICE_X: the y-z cross-section at x index `index` (y across,
 *        z downwards);
 *   axis EXO_SLICE_Z: the en-face x-y map at depth index `index` (x across,
 *        y upwards).
 * Voxels are drawn to scale (equal um per pixel both ways) in a colour map
 * (viridis) from min(0, smallest value) to the largest value, with a colour
 * bar labelled with `unit`, axes in um and `title` above.  The drawing is
 * exo__figure_field (above), as in the report's inline SVG maps (field_png.c).
 * Written to a temporary name and renamed into place.
 * EXO_EINVAL on bad arguments (message on ctx), EXO_EIO on write failure. */
exo_status exo__tissue_slice_png(exo_ctx *ctx, const char *path, const double *field, int nx, int ny, int nz,
                                 double dx_um, int axis, int index, const char *title, const char *unit);

/* The colour of fraction f in [0, 1] of the map's range (clamped). */
void exo__figure_colour(double f, double rgb[3]);

#endif
