/* exo_sweep.h - grid sweeps (docs/sweeps.md): the scenario run at every
 * point of the full factorial grid of its `sweep:` block (input keys, any key
 * `--set` accepts, each with a list of values), with per grid point and arm
 * either the single-run endpoint (every readout at baseline and at the end,
 * peak inflammation, serious adverse-event probability, vesicles that reached
 * the dermis) or, when the file has a `trial:` block, the trial's per-arm
 * statistics (mean, SD, 95 % CI of the endpoint and its change at each visit,
 * responder rate, serious adverse events; exo_trial.h).  Every grid point is
 * the scenario reloaded with its values as overrides, so it is validated as
 * any input; every point is loaded before the first one runs.  Nothing of a
 * dose-response shape is written in the code: it emerges from the model. */
#ifndef EXO_SWEEP_H
#define EXO_SWEEP_H

#include "exo_input.h"
#include "exo_run.h"
#include "exo_trial.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Per grid point and arm. */
typedef struct {
    char name[EXO_NAME_MAX];
    /* single run (the trial fields are unset) */
    double baseline[32], final[32]; /* [readout unit] every readout at t = 0 and at the end */
    double peak_inflammation;       /* [1] */
    double p_serious;               /* [1] serious adverse-event probability (trial: mean over patients) */
    double delivered_dermis;        /* [particles/cm^2] */
    /* the `best` readout's change from baseline [%]: single run, or the trial's
     * mean change at the last visit */
    double change;
    double net_benefit;             /* [%] (goal sign) x change - harm_weight x 100 x p_serious */
} exo_sweep_arm;

typedef struct {
    int n_arms;
    exo_sweep_arm *arms;
    exo_trial_result *trial;  /* the trial at this point (trial mode; NULL otherwise); borrows cfg */
    exo_config cfg;           /* the point's configuration (trial mode; zeroed otherwise) */
} exo_sweep_point;

typedef struct {
    exo_sweep_cfg sweep;    /* the variables and `best` as run (value arrays owned) */
    bool trial;             /* trial mode: every point is a virtual trial */
    int n_points;           /* product of the variables' value counts */
    exo_sweep_point *points;/* grid order: the last variable varies fastest */
    int best_point;         /* index of the point with the largest net benefit of arm best_arm */
    uint64_t seed;          /* the scenario's seed */
    char *effective_input;  /* the scenario with its sweep block (YAML; owned) */
} exo_sweep_result;

/* A variable given on the command line (`--vary KEY=V1;V2;...`): values as text. */
typedef struct {
    const char *key;
    const char *const *values;
    int n_values;
} exo_sweep_vary;

typedef struct {
    const exo_sweep_vary *vary; /* variables added to the block (replacing one with the same key) */
    int n_vary;
    bool only_vary;             /* ignore the file's sweep block variables (`run --sweep`) */
    bool single_run;            /* single runs even when the file has a trial block (`run --sweep`) */
    double harm_weight;         /* < 0: the block's (default 1) */
} exo_sweep_options;

/* Index of value of variable `var` at grid point `point` (row-major: the last
 * variable varies fastest). */
int exo_sweep_value_index(const exo_sweep_cfg *s, int point, int var);

/* Runs the grid of FILE (loaded with the overrides `sets`; opt may be NULL).
 * EXO_EINPUT when there is no variable, or a grid point is not a valid input
 * (message at the value's place in the file).  progress (may be NULL) sees
 * the fraction of grid points done. */
exo_status exo_sweep_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                         const exo_sweep_options *opt, exo_progress_fn progress, void *user,
                         exo_sweep_result **out);
void exo_sweep_destroy(exo_ctx *ctx, exo_sweep_result **res);

/* Writes sweep.csv (one row per grid point and arm, units in the header) and
 * summary.json (version, seed, effective input, the grid, per point and arm
 * the statistics, the best point) into dir atomically. */
exo_status exo_sweep_write(exo_ctx *ctx, const exo_sweep_result *res, const char *dir, bool replace);

#ifdef __cplusplus
}
#endif
#endif
