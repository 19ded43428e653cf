/* exo_report.h - the self-contained HTML report of a column run
 * (docs/report.md): report.html with a plain-language summary, the readouts,
 * figures drawn with cairo (inline SVG, and PNG copies under figures/), the
 * adverse events and the full effective input. */
#ifndef EXO_REPORT_H
#define EXO_REPORT_H

#include "exo_audit.h"
#include "exo_optimize.h"
#include "exo_run.h"
#include "exo_sensitivity.h"
#include "exo_sweep.h"
#include "exo_trial.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes dir/report.html and dir/figures/NAME.png for result r into the
 * existing folder dir (the run writer calls it inside its temporary folder,
 * so the report appears atomically with the other files).  effective_yaml
 * (may be NULL) is shown escaped in the provenance section.
 * Returns EXO_OK, EXO_EIO (a file or a drawing failed) or EXO_ENOMEM. */
exo_status exo_report_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml,
                            const char *dir);

/* The reports of the study commands, written the same way into the existing
 * folder dir by their result writers (exo_trial_write, exo_sweep_write,
 * exo_audit_write, exo_optimize_write, exo_sensitivity_write): a plain-
 * language summary first, then the command's sections and figures, the side
 * effects of a typical patient (the effective input run with central
 * values; the optimum for optimize) and the provenance.  Language:
 * exo_ctx_set_language.  Statuses as exo_report_write, and those of the
 * typical patient's run. */
exo_status exo_report_write_trial(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml,
                                  const char *dir);
exo_status exo_report_write_sweep(exo_ctx *ctx, const exo_sweep_result *res, const char *dir);
exo_status exo_report_write_audit(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                                  const char *dir);
exo_status exo_report_write_optimize(exo_ctx *ctx, const exo_optimize_result *res, const char *dir);
exo_status exo_report_write_sensitivity(exo_ctx *ctx, const exo_sensitivity_result *res, const char *dir);

/* The figures of a run report: how many, the name of figure i (the file is
 * figures/NAME.png) and the size of its PNG [pixels]. */
int exo_report_figure_count(void);
const char *exo_report_figure_name(int i);
void exo_report_figure_size(int i, int *width_px, int *height_px);

#ifdef __cplusplus
}
#endif
#endif
