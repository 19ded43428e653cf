/* exo_sweep.h - dose-response and other one-key sweeps: the same scenario
 * run for a list of values of one input key (any key `--set` accepts), with
 * the week-N change of every readout, the peak inflammation and the
 * probability of a serious adverse event per arm and value.  Nothing of the
 * dose-response shape is written in the code: it emerges from the model. */
#ifndef EXO_SWEEP_H
#define EXO_SWEEP_H

#include "exo_input.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char value[128];        /* the value as given (with its unit) */
    int n_arms;
    char (*arm)[EXO_NAME_MAX];
    double (*baseline)[32]; /* [arm][readout], readout units */
    double (*final)[32];
    double *peak_inflammation; /* [1] per arm */
    double *p_serious;         /* [1] per arm */
    double *delivered_dermis;  /* [particles/cm^2] per arm */
} exo_sweep_point;

typedef struct {
    char key[256];
    int n;
    exo_sweep_point *points;
    uint64_t seed;          /* the scenario's seed */
    char *effective_input;  /* the scenario before the swept key (YAML; owned) */
} exo_sweep_result;

/* Runs FILE (with the overrides `sets`) once per value of `key`. */
exo_status exo_sweep_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                         const char *key, const char *const *values, int n_values, exo_sweep_result **out);
void exo_sweep_destroy(exo_ctx *ctx, exo_sweep_result **res);

/* Net benefit of one arm at one point: the % change of dermal collagen minus
 * harm_weight times the serious adverse-event probability in % (a utility
 * the user chooses; 1 point of collagen per 1 % risk by default). */
double exo_sweep_net_benefit(const exo_sweep_point *p, int arm, double harm_weight);

/* Writes sweep.csv (units in the header) and sweep.json (version, seed,
 * effective input, the swept key and values) into dir atomically. */
exo_status exo_sweep_write(exo_ctx *ctx, const exo_sweep_result *res, double harm_weight, const char *dir,
                           bool replace);

#ifdef __cplusplus
}
#endif
#endif
