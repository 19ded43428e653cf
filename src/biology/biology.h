/* biology.h - the biology of column mode: cells as densities in depth zones
 * (keratinocytes, melanocytes, fibroblasts with a senescent fraction,
 * macrophages with an M1/M2 balance), uptake of vesicles, internalised cargo
 * pools, fibroblast activation, collagen (new and mature pools), elastin,
 * injury and wound healing, inflammation sources, barrier and SC water,
 * melanin and the acne-scar deficit (docs/sources.md M2-M5;
 * docs/biology.md).  The slow cell and matrix states are integrated with
 * SUNDIALS CVODE (BDF); vesicles and mediators stay in the transport solver,
 * which this module feeds with uptake rates and cell-made sources (operator
 * splitting, docs/numerics.md). */
#ifndef EXO_BIOLOGY_H
#define EXO_BIOLOGY_H

#include <exoskin/exo_config.h>

#include "column/column.h"

/* Biology zones: coarse depth cells of the viable tissue, each a range of
 * transport cells. */
enum { EXO_ZONE_VE, EXO_ZONE_PAP1, EXO_ZONE_PAP2, EXO_ZONE_RET1, EXO_ZONE_RET2, EXO_NZ };

/* Cell types that take up vesicles. */
enum { EXO_CELL_K, EXO_CELL_F, EXO_CELL_M, EXO_CELL_MEL, EXO_NCELL };

/* State variables of one zone (index into its block of the state vector). */
enum {
    EXO_V_Q = 0,                                   /* cargo pools: [cell][cargo] */
    EXO_V_A = EXO_NCELL * EXO_CARGO_COUNT,         /* [1] fibroblast activation */
    EXO_V_S,                                       /* [1] senescent fibroblast fraction */
    EXO_V_RF,                                      /* [1] fibroblast density / reference */
    EXO_V_RM,                                      /* [1] macrophage density / resident */
    EXO_V_PHI2,                                    /* [1] M2 share of macrophages */
    EXO_V_CN,                                      /* [1] new collagen (young total = 1) */
    EXO_V_CM,                                      /* [1] mature collagen */
    EXO_V_EL,                                      /* [1] elastin (young = 1) */
    EXO_V_SD,                                      /* [1] scar matrix deficit */
    EXO_V_J,                                       /* [1] injury (1 = standard needling) */
    EXO_V_MEL,                                     /* [1] melanin / phototype baseline */
    EXO_V_LEB,                                     /* [1] elastotic (low-echogenic) fraction */
    EXO_V_CR,                                      /* [1] remodelling collagen (deposited, not yet cross-linked) */
    EXO_V_DW,                                      /* [1] wound void: matrix ablated and not yet refilled */
    EXO_V_UVS,                                     /* [MED] UV signal: photoproducts of the exposures, hours (observe.c) */
    EXO_V_UVE,                                     /* [MED] UV response: vasodilation and cytokines, days (observe.c) */
    EXO_V_FL,                                      /* [1] flare: acute vasodilation an injury releases, hours */
    EXO_V_VW,                                      /* [1] open ablated void: granulation vessels, refilled with DW */
    EXO_V_VS,                                      /* [1] superficial vessels: density x calibre, healthy young = 1 (months) */
    EXO_NV
};
/* Surface variables after the zones. */
enum { EXO_V_BARRIER = 0, EXO_V_WATER, EXO_NSURF };
#define EXO_BIO_N (EXO_NZ * EXO_NV + EXO_NSURF)

typedef struct exo_bio exo_bio;

/* Inputs of the biology over one step, from transport. */
typedef struct {
    double med[EXO_NZ][5];                         /* [1] zone-average mediators I, R, T, G, M */
    double uptake[EXO_NZ][EXO_NCELL][EXO_CARGO_COUNT]; /* [vesicle-eq/cell/h] */
    double vload[EXO_NZ];                          /* [1/um^3] zone-average free vesicles (innate recognition) */
    bool occluded;
    double film_water;                             /* [um] water of the film on the skin (hydrates the SC) */
    double film_solids;                            /* [um] its solids: humectant and occlusive residue */
    double film_uv_protection;                     /* [1] in-use protection of the film worn (UV reaching the
                                                    * skin is divided by it; <= 1: none, observe.c) */
    double film_tint;                              /* [1] redness the film worn masks from the erythema meter
                                                    * (0: none; optical only, observe.c) */
} exo_bio_inputs;

exo_status exo__bio_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                           exo_bio **out);
void exo__bio_destroy(exo_bio **b);

/* Zone of transport cell i (-1 in the SC). */
int exo__bio_zone_of(const exo_bio *b, int i);
/* Zone geometry. */
void exo__bio_zone_range(const exo_bio *b, int z, int *i0, int *i1);

/* Uptake rate constants of each cell type c in zone z: kappa_c = num[c] /
 * (K[c] + max(Etot, 0)) [1/h] for a total vesicle concentration Etot
 * [1/um^3] (saturation); num [1/h/um^3], K [1/um^3].  Their sum goes into
 * k_up. */
void exo__bio_uptake_zone(const exo_bio *b, int z, double num[EXO_NCELL], double K[EXO_NCELL]);

/* Cell-made production of mediator q in zone z [activity/um^3/h] and the
 * extra decay of I from resolving signals [1/h]. */
double exo__bio_source(const exo_bio *b, int z, int q);
double exo__bio_extra_decay_I(const exo_bio *b, int z, const exo_bio_inputs *in);
/* Young-reference MMP production of zone z, and the resulting MMP level of
 * each zone (normalises the MMP that reaches the matrix). */
double exo__bio_source_mref(const exo_bio *b, int z);
void exo__bio_set_mref(exo_bio *b, const double mref[EXO_NZ]);
/* Cells per skin area of type c in zone z [1/um^2] (cargo pools are per cell). */
double exo__bio_cells(const exo_bio *b, int z, int c);

/* Advances the cell and matrix states from t to t1 with constant inputs. */
exo_status exo__bio_advance(exo_bio *b, double t1, const exo_bio_inputs *in);

/* Procedure impulses at the current time. */
/* Needles, injection: injury in zones above depth; `torn` [1] is the area
 * fraction the needles cut through (their channels), where a session tears
 * the fresh matrix of a healing wound (events.c, re-injury). */
void exo__bio_injure(exo_bio *b, double j_std, double depth, double torn);
void exo__bio_ablate(exo_bio *b, double fraction, double depth); /* laser: matrix and barrier removed in zones above depth */
/* Fractional coagulation (non-ablative laser): a `fraction` of the matrix
 * down to `depth` denatured and refilled like ablated matrix, under a
 * largely intact stratum corneum (observe.c). */
void exo__bio_coagulate(exo_bio *b, double fraction, double depth);
/* A UV exposure of `dose_med` minimal erythema doses, or of `energy` [J/m^2]
 * erythemally weighted (converted with the MED of the skin's phototype) when
 * energy > 0, through a film of in-use `protection` (<= 1: none) (observe.c). */
void exo__bio_uv(exo_bio *b, double dose_med, double energy, double protection);
/* An intradermal bleb of `fluid` [um] injected per skin area (volume x
 * points) at `depth` [um]: the wheal, fluid that thickens the dermis until it
 * is absorbed (half-life `wheal_half_life`), and the flare its distension
 * releases (`wheal_flare` per unit relative thickening). */
void exo__bio_wheal(exo_bio *b, double fluid, double depth);
/* Injected fluid not yet absorbed, per skin area, now [um]. */
double exo__bio_wheal_fluid(const exo_bio *b);
/* Tape stripping: a `removal` fraction of the stratum corneum removed now
 * (docs/biology.md, "Tape stripping"); and the excess TEWL it leaves now,
 * relative to the intact skin's [1] (0 when the skin was never stripped). */
void exo__bio_tape_strip(exo_bio *b, double removal);
double exo__bio_strip_excess(const exo_bio *b);
/* Excess TEWL, relative to the intact skin's, of a stratum corneum with a
 * `removal` fraction of its layers gone, when its complete removal gives
 * `full` x the intact TEWL (resistances in series) [1]. */
double exo__bio_strip_tewl(double removal, double full);
/* ---- observation and exposure models (observe.c) ---- */
/* The MED of phototype 1-6 [J/m^2] (med_phototype_* rows). */
double exo__bio_med(int phototype);
/* Post-inflammatory pigmentation of phototype 1-6 relative to III [1]. */
double exo__bio_pih_factor(int phototype);
/* What TEWL, the corneometer and the erythema index read on a region at
 * baseline, relative to the cheek the parameters describe [1]. */
typedef struct {
    double tewl, hydration, erythema;
} exo_region_baseline;
const exo_region_baseline *exo__bio_region_baseline(exo_region r);
/* The erythema index of the vessels of the upper dermis [AU]: `base` [AU],
 * what healthy young skin of the region reads, of which a `share` is
 * haemoglobin of the superficial plexus and scales with the vessel state
 * `vessels` (healthy young = 1); the rest (melanin, scattering) does not. */
double exo__bio_erythema_vascular(double base, double share, double vessels);
/* Superficial blood flow [% of healthy young skin]: the vessel state times
 * the vasodilation on top of it, `dilation` [AU] of erythema index against
 * the `vascular` [AU] part of the baseline reading (> 0). */
double exo__bio_blood_flow(double vessels, double dilation, double vascular);
/* Share of a UV dose that reaches zone z [1] (UVB in the epidermis, UVA deeper). */
double exo__bio_uv_reach(int z);
/* Share of the SC barrier lost by needles of length `depth` [um]: none for
 * short needles (channels only), up to `loss_15` at 1.5 mm and beyond. */
double exo__bio_needle_barrier_loss(double depth, double loss_15);
/* Relative rise of the SC water equilibrium under a film of `water` and
 * `solids` [um] (a wet film hydrates, its humectant and occlusive residue
 * holds water), at most `gain`. */
double exo__bio_film_hydration(double water, double solids, double gain);
/* In-use protection of a film of labelled SPF `spf` [1]: people apply less
 * than the test amount, so the UV reaching the skin is divided by less than
 * the label (1 for spf <= 1); share is sunscreen_in_use_share [1]. */
double exo__bio_spf_in_use(double spf, double share);
/* UV `dose` (any unit) that reaches the skin through a film of in-use
 * `protection` (the dose itself when protection <= 1). */
double exo__bio_uv_through_film(double dose, double protection);
/* What the erythema meter reads over a tinted film: the index `ei` moved
 * towards the skin's own tone `ei_ref` (no vasodilation) by the share
 * `tint` (0..1; 0: ei unchanged, to the bit).  Optical: no state changes. */
double exo__bio_tinted_erythema(double ei, double ei_ref, double tint);
/* Restart the integrator after impulses (call once after a batch of events). */
exo_status exo__bio_restart(exo_bio *b);

/* Clinical readouts: EXO_RD_* and their rows (name, unit, label:
 * exo_readout_name ...) in <exoskin/exo_readouts.h>.  Readouts now, given the open channel area [1] and the zone mediators. */
void exo__bio_readouts(const exo_bio *b, double open_area, const exo_bio_inputs *in, double out[EXO_RD_COUNT]);

/* Immune activation by foreign cargo: macrophage density times the effect of
 * their immunogenic cargo, dermal mean [1]; its time integral drives the
 * hazard of rare adverse events. */
double exo__bio_immune_activation(const exo_bio *b);

/* Per-cell processes, one code for the zone populations of column mode and
 * the cell agents of tissue mode (docs/tissue.md):
 * cargo pools dQ/dt = u - k_q Q [vesicle-eq per cell]; fibroblast
 * activation and senescence; macrophage polarisation (M2 share) and the
 * recruitment drive; what one macrophage adds to I and one fibroblast to M
 * (dens: relative density RM, RF for a zone; 1 for one cell). */
void exo__bio_cargo_rates(const exo_config *cfg, const double uptake[EXO_CARGO_COUNT], const double Q[EXO_CARGO_COUNT],
                          double dQ[EXO_CARGO_COUNT]);
void exo__bio_fibroblast_rates(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double a, double s, double J,
                               double T, double G, double *da, double *ds);
double exo__bio_polarisation_rate(const exo_config *cfg, const double QM[EXO_CARGO_COUNT], double phi2, double I,
                                  double R);
double exo__bio_recruitment(const exo_config *cfg, double I); /* [1/h] r_rec h(I; K_rec) */
double exo__bio_macrophage_I(const exo_config *cfg, const double QM[EXO_CARGO_COUNT], double phi2, double dens);
double exo__bio_fibroblast_M(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double s, double I, double age,
                             double dens);
/* Collagen synthesis [1/h of young total collagen] of fibroblasts of
 * activation a, senescence s and cargo QF at relative density dens (the
 * zone's rate with dens = RF). */
double exo__bio_fibroblast_C(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double a, double s, double age,
                             double dens);
/* Dermal zone z now: its collagen synthesis [1/h of young total] and the
 * loss rate of its new collagen (maturation and MMP breakdown) [1/h];
 * 0, 0 in the epidermis. */
void exo__bio_new_collagen_rates(const exo_bio *b, int z, double *synth, double *loss);

/* Per-cell state of cell type c in zone z (what a new agent starts from):
 * cargo pools, activation, senescence, M2 share; the zone's injury J, the
 * age [y] now, and the cells per volume [1/um^3] of that type now. */
typedef struct {
    double Q[EXO_CARGO_COUNT], a, s, phi2, J, age, density;
} exo_bio_cell;
void exo__bio_cell_state(const exo_bio *b, int z, int c, exo_bio_cell *out);
/* Share of zone z's source of I made by its macrophages [1]. */
double exo__bio_macrophage_share(const exo_bio *b, int z);

/* Sets the state to its untreated steady state for the given mediators. */
void exo__bio_settle(exo_bio *b, const exo_bio_inputs *in);

/* For stability analysis (biology_test): the whole state now [EXO_BIO_N],
 * the right-hand side of every state variable at state x for the mediators
 * of in (cargo pools included), and the cell-made source of mediator q in
 * zone z at state x (exo__bio_source is this at the current state). */
const double *exo__bio_state(const exo_bio *b);
void exo__bio_rates(const exo_bio *b, const double *x, const exo_bio_inputs *in, double *dx);
double exo__bio_source_at(const exo_bio *b, const double *x, int z, int q, const exo_bio_inputs *in);
#endif
