/* exo_run.h - running a scenario in column mode and reading its results:
 * every arm of the config is simulated over the depth grid (transport of the
 * vesicle populations and the soluble mediators, with the mass ledger), and
 * the result is written as timeseries.csv, profiles.csv and summary.json. */
#ifndef EXO_RUN_H
#define EXO_RUN_H

#include "exo_config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exo_result exo_result;

/* Progress callback: fraction done in [0, 1]; may be NULL. */
typedef void (*exo_progress_fn)(void *user, double fraction);

/* Runs every arm of cfg.  The config is borrowed and must outlive the result. */
exo_status exo_run(exo_ctx *ctx, const exo_config *cfg, exo_progress_fn progress, void *user,
                   exo_result **out);
void exo_result_destroy(exo_result **r);

/* Vesicle delivery of one arm at the end of the run, per cm^2 of skin
 * [particles/cm^2]: applied (functional), reached the viable epidermis (or
 * deeper) and reached the dermis (or deeper). */
typedef struct {
    double applied;   /* [particles/cm^2] */
    double viable_epidermis; /* [particles/cm^2] */
    double dermis;    /* [particles/cm^2] */
    double balance_error; /* [1] |applied - accounted| / applied, worst species */
    int steps;        /* [1] time steps taken */
    int cells;        /* [1] depth cells */
} exo_arm_delivery;

int exo_result_arms(const exo_result *r);
const char *exo_result_arm_name(const exo_result *r, int arm);
void exo_result_delivery(const exo_result *r, int arm, exo_arm_delivery *out);

/* Value of a study endpoint quantity for one arm (units of exo_quantity). */
exo_status exo_result_quantity(exo_ctx *ctx, const exo_result *r, int arm,
                               const exo_endpoint_cfg *ep, double *out);
/* The endpoint: the quantity combined across arms as ep->compare says. */
exo_status exo_result_endpoint(exo_ctx *ctx, const exo_result *r, const exo_endpoint_cfg *ep,
                               double *out);

/* Writes timeseries.csv, profiles.csv and summary.json into dir, atomically:
 * the files are made in a temporary sibling folder which is renamed to dir
 * only when complete.  dir must not exist or be empty; with replace, an
 * earlier result there (a folder holding summary.json) is swapped out only
 * after the new one is complete.  effective_yaml is the effective input,
 * recorded in summary.json. */
exo_status exo_result_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml,
                            const char *dir, bool replace);

/* The git revision the library was built from ("unknown" outside git). */
const char *exo_git_revision(void);

#ifdef __cplusplus
}
#endif
#endif
