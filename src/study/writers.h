/* writers.h - the data files of each study command's result folder, written
 * into an existing folder dir (the temporary folder of exo__write_folder):
 * the front door (src/publish/, exo_trial_write and its siblings) calls them
 * and then writes the report beside them, so that the folder appears
 * atomically with both.  Statuses: EXO_EIO, EXO_ENOMEM. */
#ifndef EXO_STUDY_WRITERS_H
#define EXO_STUDY_WRITERS_H

#include <exoskin/exo_audit.h>
#include <exoskin/exo_optimize.h>
#include <exoskin/exo_sensitivity.h>
#include <exoskin/exo_study.h>
#include <exoskin/exo_sweep.h>
#include <exoskin/exo_trial.h>

/* patients.csv and trial.json (trial_write.c). */
exo_status exo__trial_write_files(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml,
                                  const char *dir);
/* sweep.csv and summary.json (sweep.c). */
exo_status exo__sweep_write_files(exo_ctx *ctx, const exo_sweep_result *res, const char *dir);
/* audit.json (audit.c). */
exo_status exo__audit_write_files(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                                  const char *dir);
/* optimize.json (optimize.c). */
exo_status exo__optimize_write_files(exo_ctx *ctx, const exo_optimize_result *res, const char *dir);
/* sensitivity.csv and sensitivity.json (sensitivity.c). */
exo_status exo__sensitivity_write_files(exo_ctx *ctx, const exo_sensitivity_result *res, const char *dir);
/* validation.csv and validation.json of `exoskin validate -o` (validate.c);
 * studies: the folder validated. */
exo_status exo__validation_write_files(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                       const char *dir);

#endif
