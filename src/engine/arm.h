/* arm.h - the state of one arm during its run (engine-private): shared by
 * the time loop and its events (engine.c) and the coupling of transport and
 * biology (coupling.c). */
#ifndef EXO_ENGINE_ARM_H
#define EXO_ENGINE_ARM_H

#include "engine_impl.h"

#include "biology/biology.h"
#include "tissue/tissue.h"


typedef struct {
    exo_ctx *ctx;
    const exo_config *cfg;
    const exo_grid *g;
    int ns;
    const exo_species_meta *meta;
    exo_species *sp;
    exo_coeffs *co;
    exo_stepper **w; /* one per species: each keeps its own factorisation */
    exo_surface sf;
    double occl_until;  /* [h] occlusion (mask or dressing) lasts until */
    double film_spf;    /* [1] labelled SPF of the film worn (1 or less: no UV filter) */
    double film_tint;   /* [1] redness its tint masks (0: untinted) */
    double film_worn_until; /* [h] the SPF and tint of the film last until then, or its wash-off */
    bool mask_on;
    bool coeff_occluded;
    const exo_skin_cfg *skin; /* the arm's skin */
    exo_bio *bio;       /* cells and matrix */
    exo_bio_inputs in;  /* zone mediators and uptake of the last step */
    int *zone;          /* biology zone of each transport cell (-1: SC) */
    double *kappa;      /* [1/h] uptake rate constants, cells x cell types */
    double *kdeg_I;     /* [1/h] base decay of I per cell (before resolution by R) */
    int med[EXO_MED_COUNT]; /* species index of each mediator */
    double immune_exposure; /* [d] */
    double upt_acc[EXO_NZ][EXO_NCELL][EXO_CARGO_COUNT]; /* uptake since the last biology sync */
    double acc_time;        /* [h] since the last biology sync */
    bool bio_moved;         /* cells changed since uptake and sources were last set */
    double med_scale[EXO_MED_COUNT]; /* largest zone mean of each mediator so far (the floor of its relative change) */
    double med_rate;        /* [1/h] relative change of the mediators over the last sync interval, per hour */
    double (*upt_k)[EXO_NZ][EXO_NCELL]; /* per vesicle species: taken up since the last sync */
    double *pending;    /* [h] per species: time not yet stepped (deferred, see exo__engine_defer_step) */
    exo_tissue *tis;    /* fidelity tissue: the 3D block that does the transport (else NULL) */
    exo_tissue_info *res_tissue; /* where the arm's tissue results go */
    exo_agents *ag;     /* fidelity tissue: the cells as agents */
    float *fbuf;        /* fidelity tissue: [slab voxels] a recorded field of this rank's slab */
} arm_sim;

/* Whether the SPF and tint of a film are on the skin at t (docs/readouts.md). */
static inline bool film_worn(const arm_sim *a, double t) { return t < a->film_worn_until; }

/* ---- what events do (act.c) --------------------------------------------- */

/* Executes event ev at t [h]: its route's primitive actions, in order. */
exo_status exo__engine_do_event(arm_sim *a, const exo_event_cfg *ev, double t);
/* Keeps the share keep [1] of the film on the skin (0: the wash; its SPF and tint go with it). */
void exo__engine_remove_film(arm_sim *a, double keep);

/* ---- coupling of transport and biology (coupling.c) -------------------- */

/* Mediator sources and decay from the current cells; coefficients change
 * only where they moved by more than tol (relative). */
void exo__engine_set_mediators(arm_sim *a, double tol);
/* Uptake rate constants of the vesicle species from the current cells. */
void exo__engine_set_uptake(arm_sim *a);
/* Adds the uptake of a step of h [h] to what the next biology sync reads. */
void exo__engine_accumulate_uptake(arm_sim *a, double h);
/* Advances the cells to t [h] with what they took up and read since the last sync. */
exo_status exo__engine_sync_biology(arm_sim *a, double t);
/* Creates the cells and the untreated mediator fields of the arm. */
exo_status exo__engine_biology_init(arm_sim *a);
/* Takes every deferred transport step now (coupling.c explains the deferral). */
exo_status exo__engine_catch_up_all(arm_sim *a);
/* One transport step of h [h] for species k, deferred while it may be. */
exo_status exo__engine_defer_step(arm_sim *a, int k, double h, double dt_max);

#endif
