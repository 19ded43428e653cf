/* exo_report.h - the self-contained HTML report of a column run
 * (docs/report.md): report.html with a plain-language summary, the readouts,
 * figures drawn with cairo (inline SVG, and PNG copies under figures/), the
 * adverse events and the full effective input. */
#ifndef EXO_REPORT_H
#define EXO_REPORT_H

#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes dir/report.html and dir/figures/NAME.png for result r into the
 * existing folder dir (exo_result_write calls it inside its temporary
 * folder after the data files, so the report appears atomically with them).  effective_yaml
 * (may be NULL) is shown escaped in the provenance section.
 * Returns EXO_OK, EXO_EWRITE (a file or a drawing failed) or EXO_ENOMEM. */
exo_status exo_report_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml,
                            const char *dir);

/* The reports of the study commands are written the same way by their
 * result writers (exo_trial_write, exo_sweep_write, exo_audit_write,
 * exo_optimize_write, exo_sensitivity_write), which run the command's
 * typical patient and hand it to the report (src/report/study_report.h). */

/* msgid (an English text of the reports, such as exo_readout_label(k)) in
 * the context's report language, from the same catalogs as report.html
 * (po/); msgid itself in English or where there is no translation.  The
 * text is the catalog's, valid for the life of the process. */
const char *exo_report_translate(exo_ctx *ctx, const char *msgid);

/* The figures of a run report: how many, the name of figure i (the file is
 * figures/NAME.png) and the size of its PNG [pixels]. */
int exo_report_figure_count(void);
const char *exo_report_figure_name(int i);
void exo_report_figure_size(int i, int *width_px, int *height_px);

#ifdef __cplusplus
}
#endif
#endif
