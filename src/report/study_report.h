/* study_report.h - the reports of the study commands (docs/report.md),
 * written into the existing folder dir by the front door (src/publish/)
 * beside the command's data files: a plain-language summary first, then the
 * command's sections and figures, the side effects of the typical patient
 * typ and the provenance.  typ is the command's effective input run once
 * with the model's central values (for optimize: under the best protocol),
 * run by the caller: the report never runs a simulation.  Language:
 * exo_ctx_set_language.  Returns EXO_OK, EXO_EIO (a file or a drawing
 * failed), EXO_EINVAL (an empty sweep) or EXO_ENOMEM. */
#ifndef EXO_STUDY_REPORT_H
#define EXO_STUDY_REPORT_H

#include <exoskin/exo_audit.h>
#include <exoskin/exo_optimize.h>
#include <exoskin/exo_run.h>
#include <exoskin/exo_sensitivity.h>
#include <exoskin/exo_study.h>
#include <exoskin/exo_sweep.h>
#include <exoskin/exo_trial.h>

exo_status exo__report_write_trial(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml,
                                   const exo_result *typ, const char *dir);
exo_status exo__report_write_sweep(exo_ctx *ctx, const exo_sweep_result *res, const exo_result *typ, const char *dir);
exo_status exo__report_write_audit(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                                   const exo_result *typ, const char *dir);
exo_status exo__report_write_optimize(exo_ctx *ctx, const exo_optimize_result *res, const exo_result *typ,
                                      const char *dir);
exo_status exo__report_write_sensitivity(exo_ctx *ctx, const exo_sensitivity_result *res, const exo_result *typ,
                                         const char *dir);
/* The report of `exoskin validate -o` (validation_report.c): every row
 * beside its published value and tolerance, pass or fail, the known
 * failures with their reason; studies: the folder validated.  No typical
 * patient. */
exo_status exo__report_write_validation(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                        const char *dir);

#endif
