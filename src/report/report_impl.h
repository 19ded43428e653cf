/* report_impl.h - internals shared by the reports of src/report/: the run
 * report (report.c, figures.c) and the study reports (trial, sweep, audit,
 * optimize, sensitivity), which reuse its precautions, side effects and
 * adverse-event table for a typical patient. */
#ifndef EXO_REPORT_IMPL_H
#define EXO_REPORT_IMPL_H

#include <exoskin/exo_report.h>

#include "report/html.h"
#include "report/plot.h"

#define EXO_REPORT_MAX_EVENTS 128

int exo__report_figures(const exo__figure **out);

/* Index of the readout with this name, -1 if none. */
int exo__report_readout(const char *name);
/* The readout's name in plain words, translated ("water loss through the
 * skin (TEWL)"); its identifier with spaces when it has none. */
const char *exo__report_plain_readout(const char *name, char *buf, size_t cap);

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

/* A typical patient for the study reports: the effective input yaml (with
 * the overrides sets) loaded and run with the model's central values.  The
 * caller frees *cfg (exo_config_fini) and *res. */
exo_status exo__report_typical(exo_ctx *ctx, const char *yaml, const exo_override *sets, int n_sets,
                               exo_config *cfg, exo_result **res);

#endif
