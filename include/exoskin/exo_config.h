/* exo_config.h - a scenario as plain data in internal units (exo_units.h),
 * types only (the words of its enumerations, exo_region_name ..., and
 * exo_config_fini are the loader's: exo_input.h),
 * validated once by the input loader (src/input) and read by the engine.
 * Modules never see the YAML file, the parser or the CLI. */
#ifndef EXO_CONFIG_H
#define EXO_CONFIG_H

#include "exo_params.h"
#include "exo_readouts.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_NAME_MAX 64

typedef enum {
    EXO_REGION_FOREHEAD,
    EXO_REGION_CHEEK,
    EXO_REGION_PERIORBITAL,
    EXO_REGION_PERIORAL,
    EXO_REGION_FOREARM, /* volar forearm: where most barrier and vehicle studies measure */
    EXO_REGION_COUNT
} exo_region;
typedef enum { EXO_SEX_FEMALE, EXO_SEX_MALE, EXO_SEX_COUNT } exo_sex;
typedef enum {
    EXO_COND_NONE, EXO_COND_PHOTOAGED, EXO_COND_ACNE_SCARS, EXO_COND_SENSITIVE, EXO_COND_DRY,
    EXO_COND_ATOPIC,  /* atopic_dermatitis: lesional skin, high TEWL, low hydration, inflamed */
    EXO_COND_ROSACEA, /* rosacea: dilated vessels (redness), sensitive */
    EXO_COND_COUNT
} exo_condition;
typedef enum { EXO_ORIGIN_ADIPOSE_MSC, EXO_ORIGIN_UMBILICAL_MSC, EXO_ORIGIN_PLATELET, EXO_ORIGIN_PLANT, EXO_ORIGIN_CUSTOM, EXO_ORIGIN_COUNT } exo_origin;
typedef enum { EXO_VEHICLE_CREAM, EXO_VEHICLE_SERUM, EXO_VEHICLE_GEL, EXO_VEHICLE_SHEET_MASK, EXO_VEHICLE_SOLUTION, EXO_VEHICLE_COUNT } exo_vehicle;
/* Cargo classes (equations.md section 3): 1 = reference MSC exosome. */
typedef enum { EXO_CARGO_GF, EXO_CARGO_AI, EXO_CARGO_PM, EXO_CARGO_LB, EXO_CARGO_AM, EXO_CARGO_IM, EXO_CARGO_COUNT } exo_cargo;
/* An event's route: an index into the registry of routes (src/protocol/registry.c),
 * whose first six are named here; later routes have an index but no name. */
typedef enum { EXO_EV_TOPICAL, EXO_EV_MASK, EXO_EV_MICRONEEDLING, EXO_EV_LASER, EXO_EV_INJECTION, EXO_EV_PRP, EXO_EV_RF_MICRONEEDLING, EXO_EV_UV, EXO_EV_TAPE_STRIP } exo_event_kind;

typedef struct {
    exo_region region;
    double age;         /* [y] years */
    exo_sex sex;
    int phototype;      /* [1] Fitzpatrick I..VI as 1..6 */
    exo_condition condition;
    double h_sc;        /* [um] stratum corneum */
    double h_ve;        /* [um] viable epidermis */
    double h_pap;       /* [um] papillary dermis */
    double h_total;     /* [um] whole skin (SC + epidermis + dermis) */
    double follicle_area_fraction; /* [1] orifice area / skin area */
    double ambient_rh;  /* [1] relative humidity, 0..1 */
    double ambient_uv;  /* [1/h] daily ambient UV as a mean rate, in MED of the phototype per hour (0: none) */
} exo_skin_cfg;

typedef struct {
    char name[EXO_NAME_MAX];
    exo_origin origin;
    double size_mode;   /* [um] mode of the log-normal diameter distribution */
    double size_gsd;    /* [1] geometric standard deviation (>= 1) */
    int size_bins;      /* [1] populations the distribution is split into */
    bool conc_known;    /* false: the label does not state a concentration */
    double conc;        /* [particles/um^3] as supplied (0 if unknown) */
    double functional_fraction; /* [1] intact and active */
    double storage_loss;        /* [1] fraction lost in storage/handling before use */
    double cargo[EXO_CARGO_COUNT]; /* [1] per-vesicle cargo, 1 = reference MSC exosome */
    exo_vehicle vehicle;
    double water_fraction;      /* [1] water mass fraction of the vehicle */
    double growth_factor;       /* [1] soluble growth-factor activity of the product */
    double spf;                 /* [1] labelled sun protection factor of its film (1: no UV filter) */
    double tint;                /* [1] redness its tinted film masks, 0..1 (0: untinted; an optical effect) */
} exo_product_cfg;

typedef struct {
    exo_event_kind kind; /* the route; its keys (src/protocol) fill the fields below */
    int product;        /* index into exo_config.products, -1 if none */
    double amount;      /* [um] film thickness applied (1 mg/cm^2 = 10 um at 1 g/mL) */
    double contact;     /* [h] topical: leave-on time before wash-off; mask: wear time */
    double mask_residue;/* [1] mask: fraction of the film left on skin at removal */
    bool occlusion;     /* an occlusive dressing or mask follows the procedure */
    double occlusion_time; /* [h] how long that occlusion lasts */
    double needle_length;  /* [um] microneedling */
    double needle_density; /* [1/um^2] channels per skin area per pass */
    int passes;            /* [1] */
    double zone_fraction;  /* [1] laser: ablated area fraction */
    double zone_depth;     /* [um] laser: zone depth */
    double zone_width;     /* [um] laser: zone diameter */
    int laser_mode;        /* laser: 0 ablative, 1 non_ablative (coagulation under an intact SC) */
    double uv_dose;        /* [1] uv: minimal erythema doses of the skin's phototype */
    double uv_energy;      /* [J/m^2] uv: erythemally weighted energy (0: dose in MED is used) */
    double strip_removal;  /* [1] tape_strip: fraction of the stratum corneum removed */
    double volume;         /* [um^3] injection/PRP: volume per point */
    double depth;          /* [um] a route's target depth (injection/PRP: the bolus) */
    double point_density;  /* [1/um^2] injection/PRP: points per skin area */
    double prp_activity;   /* [1] PRP: growth-factor activity of the preparation */
    int n_times;
    double *times;         /* [h] ascending, >= 0 */
} exo_event_cfg;

typedef struct {
    char name[EXO_NAME_MAX];
    bool has_skin;      /* the arm's own skin (parallel designs: another cohort) */
    exo_skin_cfg skin;  /* the effective skin of the arm (a copy of the top-level one otherwise) */
    int n_events;
    exo_event_cfg *events;
} exo_arm_cfg;

/* Fidelity of a run: one depth column, or a 3D block of tissue (docs/tissue.md). */
typedef enum { EXO_FIDELITY_COLUMN, EXO_FIDELITY_TISSUE, EXO_FIDELITY_COUNT } exo_fidelity;
/* Follicles of a tissue block: explicit orifices and shafts at the follicle
 * density, spread evenly over every voxel column (as in column mode), or none. */
typedef enum { EXO_FOLLICLES_EXPLICIT, EXO_FOLLICLES_SPREAD, EXO_FOLLICLES_NONE, EXO_FOLLICLES_COUNT } exo_follicle_mode;

/* The film of a tissue block: level and laterally mixed (what is drained
 * into channels and follicles is replaced from around, with its vesicles),
 * or held by each voxel column. */
typedef enum { EXO_FILM_MIXED, EXO_FILM_COLUMNS, EXO_FILM_COUNT } exo_film_mode;

typedef struct {
    double size_x, size_y; /* [um] lateral extent of the block */
    double voxel;          /* [um] lateral voxel size (depth: the column grid, simulation.grid) */
    exo_follicle_mode follicles;
    exo_film_mode film;
} exo_tissue_cfg;

typedef struct {
    double duration;    /* [h] */
    double dt_min;      /* [h] first step after an event */
    double dt_max;      /* [h] longest step */
    double dt_growth;   /* [1] step growth factor between events (> 1) */
    double bio_rtol;    /* [1] CVODE relative tolerance of the biology (0: the default, 1e-4) */
    double bio_atol;    /* [1] CVODE absolute tolerance of the biology (0: the default, 1e-8) */
    double output_interval; /* [h] timeseries spacing */
    int n_profile_times;
    double *profile_times;  /* [h] */
    double h_surface;   /* [um] smallest cell, at the surface and interfaces */
    double h_max;       /* [um] largest cell */
    double grid_growth; /* [1] ratio of neighbouring cell sizes */
    bool bottom_sink;   /* true: hypodermal sink at the bottom; false: zero flux */
    exo_fidelity fidelity;
    exo_tissue_cfg tissue; /* fidelity tissue only */
} exo_sim_cfg;

/* Endpoints a study definition can ask for (docs/studies.md). */
typedef enum {
    EXO_Q_DELIVERED_PAST_SC,    /* [particles/um^2] vesicles that entered tissue below the SC */
    EXO_Q_DELIVERED_FRACTION,   /* [1] the same / applied */
    EXO_Q_DELIVERED_DERMIS,     /* [particles/um^2] entered below the dermal-epidermal junction */
    EXO_Q_ABSORBED,             /* [1] fraction of applied below the surface: follicles + tissue + losses there */
    EXO_Q_RECOVERY_TIME,        /* [h] open channel area below `threshold` of its peak */
    EXO_Q_CLOSURE_HALF_LIFE,    /* [h] open channel area halves (fitted from the decay) */
    EXO_Q_READOUT_FIRST,        /* the clinical readouts (exo_readouts.h): EXO_Q_READOUT(EXO_RD_...) */
    EXO_Q_SERIOUS_AE = EXO_Q_READOUT_FIRST + EXO_RD_COUNT, /* [1] probability of a serious adverse event per patient */
    EXO_Q_COUNT
} exo_quantity;
/* value: the arm's quantity; ratio, difference: arm vs reference arm;
 * percent_change: the arm at `time` vs its own baseline (t = 0, or
 * reference_time), in %; annual_loss: -100 ln(arm/reference)/(age_arm -
 * age_ref) [%/year]; duration: the time [h] from the first to the last output
 * at which the arm's readout differs from its baseline by more than
 * `threshold` of it; change_ratio: the change of the arm's readout from its
 * baseline over that of the reference arm ("fractional laser induces 40-50 %
 * of the collagen of ablative"); recovered_fraction: the share of a
 * disruption repaired at `time`, 100 (peak - now)/(peak - baseline) [%], the
 * peak being the output before `time` farthest from the baseline at t = 0
 * ("50 % of the barrier repaired at 24 h"). */
typedef enum { EXO_CMP_VALUE, EXO_CMP_RATIO, EXO_CMP_DIFFERENCE, EXO_CMP_PERCENT_CHANGE, EXO_CMP_ANNUAL_LOSS,
               EXO_CMP_DURATION, EXO_CMP_CHANGE_RATIO, EXO_CMP_RECOVERED_FRACTION, EXO_CMP_COUNT } exo_compare;
/* The quantity of readout k (an exo_readout). */
#define EXO_Q_READOUT(k) ((exo_quantity)(EXO_Q_READOUT_FIRST + (k)))

typedef struct {
    exo_quantity quantity;
    exo_compare compare;
    int arm, reference_arm; /* indices; reference_arm -1 for EXO_CMP_VALUE */
    double time;            /* [h] when it is read (delivery quantities) */
    double threshold;       /* [1] recovery_time threshold (e.g. 0.1); duration: relative change */
    bool has_reference_time; /* ratio, difference, percent_change: the reference is read at reference_time */
    double reference_time;  /* [h] (the reference arm defaults to the arm itself) */
    double low, high;       /* acceptance range, in the reported unit */
} exo_endpoint_cfg;

typedef struct {
    bool present;
    char id[EXO_NAME_MAX * 2];
    char level[EXO_NAME_MAX];
    char source[512];
    char unit[EXO_NAME_MAX]; /* reported unit, e.g. "ratio", "h" */
    double reported;         /* [unit] */
    exo_endpoint_cfg endpoint;
    int n_checks;            /* extra conditions that must hold too */
    exo_endpoint_cfg *checks;
} exo_study_cfg;

/* A virtual trial (docs/trials.md): who is enrolled, what is measured when. */
typedef enum { EXO_TRIAL_SINGLE_ARM, EXO_TRIAL_PARALLEL, EXO_TRIAL_SPLIT_FACE, EXO_TRIAL_DESIGN_COUNT } exo_trial_design;
#define EXO_TRIAL_MAX_VISITS 32
#define EXO_TRIAL_MAX_PATIENTS 10000

typedef struct {
    bool present;
    exo_trial_design design;
    int patients;            /* [1] per arm (parallel) or in all (single_arm, split_face) */
    int n_visits;
    double visits[EXO_TRIAL_MAX_VISITS]; /* [h] ascending, in (0, sim.duration] */
    exo_quantity endpoint;   /* a readout: EXO_Q_READOUT_FIRST + k */
    double responder_threshold; /* [%] change from baseline that counts as a response (sign gives the direction) */
    double age_mean, age_sd, age_min, age_max; /* [y] truncated normal */
    double female_fraction;  /* [1] */
    int n_phototypes;
    int phototypes[6];       /* [1] allowed Fitzpatrick types, 1..6, drawn uniformly */
    double variability;      /* [1] log-normal sigma per patient of every estimate parameter */
    double parameter_uncertainty; /* [1] log-normal sigma of one draw per trial (all patients) */
    bool posterior;          /* one draw of the calibrated posterior per trial (all patients); default true */
} exo_trial_cfg;

/* A label audit (docs/audit.md): the `audit:` block of an audit file, whose
 * only product is the label.  The routes the label is tried by: */
typedef enum { EXO_AUDIT_TOPICAL, EXO_AUDIT_MICRONEEDLING, EXO_AUDIT_LASER, EXO_AUDIT_INJECTION, EXO_AUDIT_ROUTE_COUNT } exo_audit_route;

typedef struct {
    bool present;
    double amount;           /* [um] film per use (1 mg/cm^2 = 10 um at 1 g/mL) */
    char frequency[64];      /* as written, normalised: "twice daily", "3 times weekly" */
    char schedule[96];       /* the same as a schedule over 4 weeks ("twice daily for 4 weeks") */
    int n_times;
    double *times;           /* [h] that schedule, read by the schedule parser */
    bool routes[EXO_AUDIT_ROUTE_COUNT];
    bool origin_stated;      /* false: the label does not state the origin */
    exo_quantity threshold_readout; /* a readout: EXO_Q_READOUT_FIRST + k */
    double threshold_change; /* [1] relative change that counts as measurable (0.01 = +1 %; sign = direction) */
    int draws;               /* [1] posterior draws behind the probability of each verdict (0: none; default 4) */
} exo_audit_cfg;
#define EXO_AUDIT_MAX_DRAWS 64

/* Protocol optimisation (docs/optimize.md): the `optimize:` block.  Each
 * variable is an input key (any key `--set` accepts) that is either
 * continuous between min and max in `unit` (optionally in log space) or one
 * of a list of choices (strings as written). */
#define EXO_OPT_MAX_VARS 6
#define EXO_OPT_MAX_CHOICES 16
#define EXO_OPT_MAX_COMBOS 64
#define EXO_OPT_CHOICE_MAX 96
typedef struct {
    char key[256];            /* dotted path, e.g. "arms.0.protocol.0.needle_length" */
    bool discrete;            /* true: one of choices[]; false: min..max */
    bool log_scale;           /* continuous: searched in log space (min > 0) */
    char unit[EXO_NAME_MAX];  /* continuous: the unit of min and max as written ("" if none) */
    double min, max;          /* [unit] */
    int n_choices;
    char choices[EXO_OPT_MAX_CHOICES][EXO_OPT_CHOICE_MAX];
} exo_optimize_var;

typedef struct {
    bool present;
    exo_quantity endpoint;    /* a readout: EXO_Q_READOUT_FIRST + k */
    bool decrease;            /* goal: decrease (else increase) */
    int n_vars;
    exo_optimize_var vars[EXO_OPT_MAX_VARS];
    int max_sessions;         /* [1] 0: no limit */
    double max_serious_risk;  /* [1] probability (default 0.01) */
    double max_cost;          /* [currency] 0: no limit */
    double cost_per_session;  /* [currency] */
    int draws;                /* [1] posterior draws per candidate (0: the parameter table alone; default 4) */
    double credibility;       /* [1] probability over the draws with which the risk limit must hold (default 0.9) */
} exo_optimize_cfg;
#define EXO_OPT_MAX_DRAWS 64

/* Grid sweeps (docs/sweeps.md): the `sweep:` block.  Each variable is an
 * input key (any key `--set` accepts) with a list of values (text as applied,
 * with its unit) written out or generated from a range; the grid is the full
 * factorial of the variables, the last one varying fastest.  `best` picks the
 * grid point reported as best: the largest net benefit
 *   (goal sign) x change of `readout` in arm `best_arm` [%] - harm_weight x serious AE probability [%]. */
#define EXO_SWEEP_MAX_VARS 8
#define EXO_SWEEP_MAX_VALUES 1000
#define EXO_SWEEP_MAX_POINTS 10000
#define EXO_SWEEP_VALUE_MAX 96
typedef struct {
    char text[EXO_SWEEP_VALUE_MAX]; /* as applied, e.g. "1 mg/cm^2" */
    int line, col;                  /* where it was written (the range's `from` for generated
                                     * values); line 0: in a --set override */
} exo_sweep_value;

typedef struct {
    char key[256];            /* dotted path, e.g. "arms.0.protocol.0.amount" */
    int n_values;
    exo_sweep_value *values;  /* exo_alloc'd */
    bool range;               /* generated from from/to/steps */
    bool log_scale;           /* range: geometric spacing */
    char unit[EXO_NAME_MAX];  /* range: the unit of from and to ("" if none) */
    double from, to;          /* range [unit] */
    int line, col;            /* where the variable was written */
    bool cli;                 /* given on the command line (`--vary`), not in the block */
} exo_sweep_var;

typedef struct {
    bool present;
    char src[256];            /* the file the block was read from (messages) */
    int n_vars;
    exo_sweep_var vars[EXO_SWEEP_MAX_VARS];
    exo_quantity readout;     /* default: the trial endpoint, else dermal_collagen */
    bool decrease;            /* goal; default: increase, or the trial responder direction */
    int best_arm;             /* index; default 0 */
    double harm_weight;       /* [1] default 1 */
} exo_sweep_cfg;

typedef struct exo_config {
    char name[EXO_NAME_MAX * 2];
    uint64_t seed;
    exo_skin_cfg skin;
    int n_products;
    exo_product_cfg *products;
    int n_arms;
    exo_arm_cfg *arms;
    exo_sim_cfg sim;
    exo_paramset params;          /* [internal units] after overrides */
    bool param_overridden[EXO_P_COUNT];
    exo_study_cfg study;
    exo_trial_cfg trial;          /* present only with a `trial:` block */
    exo_audit_cfg audit;          /* present only with an `audit:` block */
    exo_optimize_cfg optimize;    /* present only with an `optimize:` block */
    exo_sweep_cfg sweep;          /* present only with a `sweep:` block */
} exo_config;


#ifdef __cplusplus
}
#endif
#endif
