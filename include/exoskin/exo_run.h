/* exo_run.h - running a scenario and reading its results: every arm of the
 * config is simulated at its fidelity (column: over the depth grid; tissue:
 * over the 3D block, simulation.fidelity), with transport of the vesicle
 * populations and the soluble mediators and the mass ledger, and the result
 * is written as timeseries.csv, profiles.csv and summary.json (tissue runs
 * add their fields). */
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

/* The baseline (t = 0) and final values of clinical readout k (exo_readouts.h:
 * exo_readout_count, _name, _unit) in one arm. */
void exo_result_readout(const exo_result *r, int arm, int k, double *baseline, double *final);

/* The normal range of every readout (exo_readouts.h, exo_normal_range) for
 * a skin: centred on the value the observation model gives healthy untreated
 * skin of that age, sex, phototype, region and layers (the condition and
 * ambient sun are set aside: the range is that of healthy skin), the
 * untreated steady state an arm of cfg's parameters starts from, spread by
 * the readout's between-subject variability (docs/readouts.md, "Normal
 * ranges").  Costs the start of one column arm.  A run's status on failure. */
exo_status exo_skin_normal_ranges(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin,
                                  exo_normal_range out[EXO_RD_COUNT]);
/* The same for one readout k (EXO_EINVAL out of range). */
exo_status exo_skin_normal_range(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, int k,
                                 exo_normal_range *out);

/* Largest value of readout k over the run of one arm. */
double exo_result_readout_peak(const exo_result *r, int arm, int k);
/* Probability of a serious adverse event over the run of one arm [1]
 * (docs/readouts.md, adverse events). */
double exo_result_serious_ae(const exo_result *r, int arm);

/* Adverse events of one arm (docs/readouts.md): acute ones follow from the
 * readouts (redness, swelling, barrier disruption, the wheal of an
 * intradermal injection); rare ones
 * (hypersensitivity, delayed granuloma) are drawn for this virtual patient
 * from probabilities that grow with the immune exposure, with the run's seed. */
typedef struct {
    char kind[32];       /* "redness", "swelling", "wheal", "barrier_disruption", "hypersensitivity", "granuloma" */
    bool serious;
    double onset;        /* [d] from the start */
    double duration;     /* [d] (-1: still present at the end) */
    double peak;         /* peak of its readout (redness: EI rise [AU]; swelling: inflammation [1]; wheal: thickening [mm]; barrier: TEWL [g/m^2/h]); rare: probability [1] */
} exo_adverse_event;
/* Fills up to max events; returns how many there are. */
int exo_result_adverse(const exo_result *r, int arm, exo_adverse_event *ev, int max);

/* Value of a study endpoint quantity for one arm (units of exo_quantity). */
exo_status exo_result_quantity(exo_ctx *ctx, const exo_result *r, int arm,
                               const exo_endpoint_cfg *ep, double *out);
/* The endpoint: the quantity combined across arms as ep->compare says. */
exo_status exo_result_endpoint(exo_ctx *ctx, const exo_result *r, const exo_endpoint_cfg *ep,
                               double *out);

/* Writes timeseries.csv, profiles.csv and summary.json into dir, atomically
 * (a tissue-mode result split over ranks: only rank 0's, exo_ctx_set_comm):
 * the files are made in a temporary sibling folder which is renamed to dir
 * only when complete.  dir must not exist or be empty; with replace, an
 * earlier result there (a folder holding summary.json) is swapped out only
 * after the new one is complete.  effective_yaml is the effective input,
 * recorded in summary.json. */
exo_status exo_result_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml,
                            const char *dir, bool replace);
/* The text exo_result_write writes as summary.json, byte for byte, into *out
 * (exo_alloc'd; free with exo_free): `exoskin serve` answers it (docs/serve.md).
 * effective_yaml as for exo_result_write.  EXO_ENOMEM, or a status of the
 * effective input's conversion to JSON. */
exo_status exo_result_summary(exo_ctx *ctx, const exo_result *r, const char *effective_yaml, char **out);
/* Whether a result folder may be written at dir, checked before computing:
 * dir must be absent, an empty folder, or (with replace, `--force`) a result
 * folder that exoskin wrote (its `.exoskin` list) holding nothing else.  A
 * symbolic link, a file, or any other folder is refused (EXO_EINPUT) with a
 * message saying why; nothing is touched.  Every writer of a result folder
 * checks the same again. */
exo_status exo_output_check(exo_ctx *ctx, const char *dir, bool replace);

/* Read-only access to what a run recorded (src/engine/accessors.c), for
 * writers that use only this API.  Out-of-range indices give 0 (or NULL).
 * The config the result was run from (borrowed from exo_run's caller). */
const exo_config *exo_result_config(const exo_result *r);
/* Recorded times of one arm (every output_interval): how many, the time of
 * record i [h], and readout k there (unit: exo_readout_unit(k)). */
int exo_result_rows(const exo_result *r, int arm);
double exo_result_row_time(const exo_result *r, int arm, int i);
double exo_result_row_readout(const exo_result *r, int arm, int i, int k);
/* Depth profiles of one arm: how many profile times, the time of profile p
 * [h], the depth cells, the depth of cell i's centre [um] and all vesicles
 * there at profile p [particles/mL]. */
int exo_result_profiles(const exo_result *r, int arm);
double exo_result_profile_time(const exo_result *r, int arm, int p);
int exo_result_cells(const exo_result *r, int arm);
double exo_result_cell_depth(const exo_result *r, int arm, int i);
double exo_result_profile_vesicles(const exo_result *r, int arm, int p, int i);
/* Skin layers from the surface down ("stratum_corneum", "viable_epidermis",
 * "papillary_dermis", "reticular_dermis") and the depth of the top of layer
 * l in one arm [um]; l = exo_layer_count() gives the total thickness. */
int exo_layer_count(void);
const char *exo_layer_name(int l);
double exo_result_layer_top(const exo_result *r, int arm, int l);

/* The git revision the library was built from ("unknown" outside git). */
const char *exo_git_revision(void);

#ifdef __cplusplus
}
#endif
#endif
