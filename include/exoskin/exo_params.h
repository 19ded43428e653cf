/* exo_params.h - the parameter table: every model parameter with its name,
 * unit, default, plausible range and source.  One static table in the code
 * (src/core/params.c); `exoskin params` prints it and docs/parameters.md is
 * generated from it.  A run holds a copy of the values (exo_paramset) in
 * internal units, which input files may override within the range. */
#ifndef EXO_PARAMS_H
#define EXO_PARAMS_H

#include "exo_units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Identifiers of the parameters, in table order. */
#define EXO_PARAM_LIST(X) \
    X(T_BODY) \
    X(ETA_ISF) \
    X(FIBRE_RADIUS) \
    X(PHI_COL_PAP) \
    X(PHI_COL_RET) \
    X(H_EPI) \
    X(D_SC_VESICLE) \
    X(SC_SIZE_SCALE) \
    X(SC_OCCLUSION_GAIN) \
    X(MEDIATOR_DIAMETER) \
    X(FILM_DECAY_HALF_LIFE) \
    X(TISSUE_DECAY_HALF_LIFE) \
    X(LYMPH_CLEAR_HALF_LIFE) \
    X(CAP_CLEAR_HALF_LIFE) \
    X(EVAP_RATE) \
    X(FILM_DRY_THICKNESS) \
    X(FOLLICLE_ENTRY_VELOCITY) \
    X(FOLLICLE_DEPTH) \
    X(FOLLICLE_RELEASE_HALF_LIFE) \
    X(MN_DEPTH_FRACTION) \
    X(MN_CHANNEL_DIAMETER) \
    X(MN_CLOSE_HALF_LIFE) \
    X(MN_CLOSE_HALF_LIFE_OCCLUDED) \
    X(CHANNEL_FILL_RATE) \
    X(LASER_REEPI_TIME) \
    X(INJECTION_SPREAD) \
    X(ASSUMED_CONC) \
    X(D_CYTOKINE) \
    X(D_MMP) \
    X(I_HALF_LIFE) \
    X(R_HALF_LIFE) \
    X(T_HALF_LIFE) \
    X(G_HALF_LIFE) \
    X(M_HALF_LIFE) \
    X(VMAX_F) \
    X(VMAX_K) \
    X(VMAX_M) \
    X(K_UP_F) \
    X(K_UP_K) \
    X(K_UP_M) \
    X(TARGETING) \
    X(RHO_K) \
    X(RHO_F) \
    X(RHO_M) \
    X(RHO_MEL) \
    X(CARGO_HALF_LIFE) \
    X(K_Q) \
    X(K_ACT) \
    X(K_DEACT) \
    X(W_T) \
    X(W_GF) \
    X(W_J) \
    X(W_P) \
    X(SEN_YOUNG) \
    X(SEN_OLD) \
    X(SEN_PHOTO) \
    X(SEN_TURNOVER) \
    X(K_RES) \
    X(FIB_PROLIF) \
    X(FIB_RELAX) \
    X(FSR_YOUNG) \
    X(NEW_TURNOVER) \
    X(MATURE_HALF_LIFE) \
    X(ACT_GAIN) \
    X(PM_GAIN) \
    X(PROCOL_OLD) \
    X(MMP_OLD) \
    X(SKIN_AGE_PATIENT_SD) \
    X(MATURE_MMP_SENS) \
    X(G_MI) \
    X(G_MP) \
    X(I_PER_INJURY) \
    X(INJURY_HALF_LIFE) \
    X(LASER_INJURY) \
    X(LASER_ENERGY_EXPONENT) \
    X(INJECTION_INJURY) \
    X(WHEAL_HALF_LIFE) \
    X(WHEAL_FLARE) \
    X(P_M1) \
    X(P_IMM) \
    X(K_IM) \
    X(P_BASE_SENSITIVE) \
    X(K_RI) \
    X(P_R) \
    X(P_AIR) \
    X(G_AI) \
    X(R_REC) \
    X(K_REC) \
    X(D_MAC) \
    X(K_2) \
    X(BARRIER_HALF_LIFE) \
    X(LB_GAIN) \
    X(WATER_HALF_LIFE) \
    X(OCCLUSION_WATER) \
    X(TURNOVER) \
    X(G_PIH) \
    X(G_AM) \
    X(K_FILL) \
    X(SCAR_DEFICIT) \
    X(TEWL_REF) \
    X(TEWL_AGE) \
    X(TEWL_OPEN) \
    X(CORNEO_0) \
    X(CORNEO_1) \
    X(EI_BASE) \
    X(EI_BASE_PATIENT_SD) \
    X(EI_GAIN) \
    X(MI_BASE) \
    X(US_EXPONENT) \
    X(WRINKLE_COLLAGEN) \
    X(WRINKLE_WATER) \
    X(ECCA_BASE) \
    X(AE_HYPER) \
    X(AE_GRANULOMA) \
    X(LEB_REMODEL) \
    X(LEB_PHOTO) \
    X(FOLLICLE_DENSITY) \
    X(HAIR_SHAFT_DIAMETER) \
    X(MAC_MOTILITY) \
    X(MAC_CHEMOTAXIS) \
    X(M2_BASAL) \
    X(COLLAGEN_DEPOSITED) \
    X(REMODEL_LIFETIME) \
    X(WOUND_FILL) \
    X(DEPOSIT_GAIN) \
    X(DEPOSIT_DENSITY) \
    X(REMODEL_ORGANISED) \
    X(NEEDLE_BARRIER) \
    X(FILM_HYDRATION) \
    X(UV_SIGNAL_HALF_LIFE) \
    X(UV_RESPONSE_HALF_LIFE) \
    X(EI_UV) \
    X(VESSEL_ROSACEA) \
    X(FLARE_HALF_LIFE) \
    X(EI_FLARE) \
    X(EI_WOUND) \
    X(G_TAN) \
    X(G_UV_MMP) \
    X(G_UV_COL) \
    X(ATOPIC_BARRIER) \
    X(ATOPIC_WATER) \
    X(P_BASE_ATOPIC) \
    X(ROSACEA_BARRIER) \
    X(COAG_BARRIER) \
    X(UPTAKE_CAPACITY) \
    X(INNATE_GAIN) \
    X(INNATE_HALF_LOAD) \
    X(INFL_BLOCK) \
    X(INFL_BLOCK_LEVEL) \
    X(REINJURY_DISRUPT) \
    X(REINJURY_GAIN) \
    X(STRIPPED_TEWL) \
    X(BARRIER_LIPID_HALF_LIFE) \
    X(BARRIER_LAYERS_HALF_LIFE) \
    X(BARRIER_LAYERS_SHARE) \
    X(BARRIER_AGE_SLOWING) \
    X(SPF_IN_USE_SHARE) \
    X(FILM_WEAR) \
    X(VESSEL_HALF_LIFE) \
    X(VESSEL_PRUNING) \
    X(VESSEL_PHOTOAGED) \
    X(VESSEL_INFLAMMATION) \
    X(VESSEL_UV) \
    X(EI_VASCULAR_SHARE)

typedef enum {
#define EXO_PARAM_ENUM_(name) EXO_P_##name,
    EXO_PARAM_LIST(EXO_PARAM_ENUM_)
#undef EXO_PARAM_ENUM_
    EXO_P_COUNT
} exo_param_id;

/* One row of the table.  Values are in the display unit `unit`. */
typedef struct {
    const char *key;         /* name used in input files, e.g. "tissue_decay_half_life" */
    const char *unit;        /* display unit (udunits syntax), "1" if dimensionless */
    const char *internal;    /* the corresponding internal unit, e.g. "h" */
    double value;            /* default [unit] */
    double min, max;         /* plausible range [unit] */
    bool estimate;           /* true: a calibration parameter with a prior range */
    const char *source;      /* citation, or "estimate: reasoning" */
    const char *description; /* one line */
    double prior_center;     /* [unit] centre of the calibration prior (its median): the literature value,
                              * the default unless the row gives another (docs/calibration.md) */
} exo_param_info;

/* The static table (EXO_P_COUNT rows). */
const exo_param_info *exo_param_table(void);
/* Row by key, or NULL. */
const exo_param_info *exo_param_find(const char *key, exo_param_id *id);

/* Values of every parameter for one run, in internal units. */
typedef struct {
    double v[EXO_P_COUNT]; /* [internal unit of each row] */
} exo_paramset;

/* Fills p with the defaults converted to internal units. */
exo_status exo_paramset_defaults(exo_units *u, exo_paramset *p);

#ifdef __cplusplus
}
#endif
#endif
