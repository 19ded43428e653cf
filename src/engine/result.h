/* result.h - the layout of a run's result (struct exo_result of exo_run.h)
 * as the engine records it: what the writers of src/output/ and the
 * tissue section of the report read beyond the public accessors. */
#ifndef EXO_RESULT_H
#define EXO_RESULT_H

#include <exoskin/exo_run.h>

#include "biology/biology.h"
#include "biology/species.h"
#include "column/column.h"

/* Name of mediator m (EXO_MED_*). */
const char *exo__mediator_name(int m);

/* One recorded time of one arm; amounts of all vesicle species together,
 * per skin area [particles/um^2]; mediator amounts [activity um]. */
typedef struct {
    double t;                       /* [h] */
    double applied, film, follicles, channels, washed, degraded, cleared, bottom;
    double layer[EXO_LAYER_COUNT];
    double below[EXO_LAYER_COUNT];  /* delivered into layer l or deeper */
    double absorbed;                /* below the surface: follicles, channels, tissue, losses there */
    double route[EXO_ROUTE_COUNT];
    double open_needle, open_laser; /* [1] open area fractions */
    double water;                   /* [um] film water */
    double med[EXO_MED_COUNT];      /* [activity um] in tissue */
    double balance;                 /* [1] worst relative ledger error so far */
    double taken_up;                /* vesicles taken up by cells */
    double immune_exposure;         /* [d] time integral of immune activation */
    double p_serious;               /* [1] probability of a serious adverse event so far */
    double wheal;                   /* [mm] dermis thickened by injected fluid not yet absorbed (skin-area mean) */
    double rd[EXO_RD_COUNT];        /* clinical readouts (units: exo_readout_unit) */
} exo_row;

typedef struct {
    double t, a_needle, a_laser; /* [h], [1], [1] */
} exo_hist;

/* What a tissue-mode arm keeps of its block (docs/tissue.md). */
typedef struct {
    bool present;
    int nx, ny, nz;        /* voxels; depth cells are the arm's grid */
    double dx;             /* [um] lateral voxel size */
    int follicles;         /* explicit follicles in the block */
    int channels;          /* most channels (or laser zones) of one family in the block */
    int cells;             /* cell agents */
    double agent_updates;  /* [1] agent updates done */
    float *vesicles;       /* [particles/um^3] n_prof x voxels: all vesicles at the profile times */
    float *inflammation;   /* [activity/um^3] n_prof x voxels: mediator I at the profile times */
    float *collagen;       /* [1: young total collagen = 1] n_prof x voxels: new collagen made in the run */
    float *outline;        /* [um] EXO_OUTLINE_COUNT x nx x ny (tissue/tissue.h): per voxel column, how deep its
                            * follicle, the deepest needle channel and the deepest laser zone of the run reached
                            * (0: none); the report draws their outlines */
} exo_tissue_info;

typedef struct {
    const char *name;
    exo_grid *grid;     /* the arm's depth grid (arms may have their own skin) */
    int n_rows, cap_rows;
    exo_row *rows;
    int n_hist, cap_hist;
    exo_hist *hist;
    int n_prof;
    double *prof_t;   /* [h] */
    double *prof_E;   /* [particles/um^3] n_prof x cells, all vesicles */
    double *prof_G;   /* [activity/um^3] n_prof x cells */
    exo_species *final; /* ledger of every species at the end (E not kept) */
    double (*final_layers)[EXO_LAYER_COUNT]; /* [amount/um^2] tissue content per layer at the end */
    exo_arm_delivery delivery;
    exo_tissue_info tissue;   /* fidelity tissue: the block and its recorded fields */
    /* posterior bands (exo_run_draws, `exoskin run --draws`; NULL/unset without):
     * p05, p50, p95 over the draws of each readout at each row, [readout unit]
     * n_rows x EXO_RD_COUNT x 3, followed by the same of its percent change
     * from each draw's baseline [%]; change_band: that of the last row [%] */
    double *band;
    double change_band[EXO_RD_COUNT][3];
} exo_arm_result;

struct exo_result {
    exo_ctx *ctx;
    const exo_config *cfg; /* borrowed */
    int n_species;
    exo_species_meta *species;
    int n_arms;
    exo_arm_result *arms;
    int band_runs;         /* [1] runs behind the arms' bands (the plain run, draws 1..N: N + 1); 0: none */
};

#endif
