/* exo_optimize.h - protocol optimisation for one person (docs/optimize.md):
 * the protocol variables of the scenario's `optimize:` block (input keys,
 * continuous within a range or one of a list of choices) chosen to maximise
 * the change of one readout of the first arm, under constraints on the
 * serious adverse-event risk, the number of sessions and the cost.  Every
 * candidate is the scenario reloaded with the variables as `--set`
 * overrides, so it is validated as any input.  Derivative-free: every
 * combination of the choices, and for each a Nelder-Mead search (GSL
 * nmsimplex2) over the continuous variables through a logistic bound map. */
#ifndef EXO_OPTIMIZE_H
#define EXO_OPTIMIZE_H

#include "exo_input.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_OPT_KEEP 3        /* protocols reported: the best and its runner-ups */
#define EXO_OPT_DRAWS EXO_OPT_MAX_DRAWS /* room for the posterior draws (optimize.draws) */
#define EXO_OPT_NEAR_BOUND 0.01 /* [1] a value within this fraction of its range from an end sits on the bound */
#define EXO_OPT_MAX_ITER 40   /* Nelder-Mead iterations per combination of choices */

/* One evaluated protocol. */
typedef struct {
    char values[EXO_OPT_MAX_VARS][EXO_OPT_CHOICE_MAX]; /* each variable's value as applied ("1.25 mm") */
    double x[EXO_OPT_MAX_VARS]; /* continuous: the value [variable's unit]; discrete: the choice index */
    double change;      /* [%] change of the endpoint from baseline to the end, arm 0; with
                         * optimize.draws > 0 its mean over the posterior draws (expected benefit) */
    double baseline, final; /* [readout unit] (means over the draws) */
    double serious_risk;/* [1] probability of a serious adverse event (mean over the draws) */
    double risk_credible; /* [1] the risk the limit is held to: the ceil(credibility x draws)-th
                           * smallest over the draws (the risk itself without draws) */
    double p_within_risk; /* [1] share of the draws whose risk is within max_serious_risk */
    int sessions;       /* [1] scheduled occurrences of all events of arm 0 */
    double cost;        /* [currency] sessions x cost_per_session */
    double objective;   /* [1] minimised: -change (increase) or change (decrease) plus penalties */
    bool feasible;      /* every constraint holds */
} exo_optimize_point;

typedef enum {
    EXO_OPT_FOUND,       /* at least one feasible protocol */
    EXO_OPT_INFEASIBLE   /* every protocol tried violates a constraint; best holds the least violating */
} exo_optimize_outcome;

typedef struct {
    exo_optimize_cfg opt;   /* copy of the block that was optimised */
    char endpoint_unit[EXO_NAME_MAX];  /* the endpoint readout's unit (udunits2, as in optimize.json) */
    char endpoint_scale[EXO_NAME_MAX]; /* the scale people read it on, e.g. "grade 0-9" (reports, terminal) */
    exo_optimize_outcome outcome;
    int n_best;             /* 1..EXO_OPT_KEEP protocols in best[], best first */
    exo_optimize_point best[EXO_OPT_KEEP];
    int combinations;       /* [1] combinations of the choices searched */
    int evaluations;        /* [1] scenario runs of the search */
    /* uncertainty of the best protocol's change over the n_draws posterior draws [%]
     * (optimize.draws; 0: none) */
    int n_draws;
    double draw_change[EXO_OPT_DRAWS];
    double change_mean, change_sd, change_p05, change_p95;
    /* the product's marginal contribution: the best protocol again with every
     * product replaced by its vehicle (concentration 0 particles/mL; same
     * amounts, schedule and procedure), under the same draws */
    bool has_vehicle;       /* the vehicle arm was run (a feasible best exists) */
    bool uses_product;      /* the best protocol's first arm applies a product at all */
    exo_optimize_point vehicle; /* the vehicle arm's endpoint, risk, sessions (values as the best's) */
    double marginal;        /* [%] best.change - vehicle.change: what the product adds */
    double draw_vehicle[EXO_OPT_DRAWS]; /* [%] the vehicle arm's change under each draw */
    double marginal_p05, marginal_p95; /* [%] 5-95 % range of the marginal contribution over the draws */
    /* continuous variables of best[0] at an end of their range (within
     * EXO_OPT_NEAR_BOUND of it, in log space for scale: log): -1 at min, +1
     * at max, 0 inside or discrete; the optimum may lie beyond the range */
    int on_bound[EXO_OPT_MAX_VARS];
    int n_on_bound;
    char message[256];      /* outcome in words */
    char *effective_input; /* the input as loaded (YAML, exo_alloc'd; owned) */
    uint64_t seed;         /* the file's seed (parameter draws) */
} exo_optimize_result;

/* Optimises the `optimize:` block of FILE (loaded with the overrides `sets`).
 * Deterministic for the file's seed.  EXO_EINPUT when the file has no block,
 * more than EXO_OPT_MAX_COMBOS combinations of choices, or a variable whose
 * values the loader rejects.  An infeasible problem is no error: see
 * res->outcome. */
exo_status exo_optimize_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                            exo_optimize_result **out);
void exo_optimize_destroy(exo_ctx *ctx, exo_optimize_result **res);

/* Writes optimize.json into dir atomically (dir must not exist or be empty;
 * with replace, an earlier exoskin result is swapped out once complete). */
exo_status exo_optimize_write(exo_ctx *ctx, const exo_optimize_result *res, const char *dir, bool replace);

#ifdef __cplusplus
}
#endif
#endif
