/* column.h - internal interface of the column-mode (1D, depth-resolved)
 * finite-volume transport: the layered depth grid, the per-species
 * coefficients, the surface compartments (film, follicles, channels) and one
 * implicit, mass-conserving step with its mass ledger.
 *
 * Solved, for each mobile species with concentration E(z) [amount/um^3]:
 *   dE/dt = d/dz(D dE/dz) - (k_deg + k_clr) E + sources
 * with finite volumes (harmonic-mean face conductances) and backward Euler.
 * The film V, follicular reservoir F and open-channel contents Ch_j are
 * scalar unknowns coupled to E; the step solves the whole bordered linear
 * system exactly (Thomas algorithm on the tridiagonal block, Schur complement
 * on the scalars), so every flux leaves one compartment and enters another in
 * the same step and the ledger closes to round-off. */
#ifndef EXO_COLUMN_H
#define EXO_COLUMN_H

#include <exoskin/exo_core.h>

enum { EXO_LAYER_SC, EXO_LAYER_VE, EXO_LAYER_PAP, EXO_LAYER_RET, EXO_LAYER_COUNT };
const char *exo__layer_name(int layer);

/* Delivery routes into the viable tissue (below the stratum corneum). */
enum { EXO_ROUTE_SC, EXO_ROUTE_FOLLICLE, EXO_ROUTE_CHANNEL, EXO_ROUTE_LASER, EXO_ROUTE_INJECTION, EXO_ROUTE_COUNT };
const char *exo__route_name(int route);

#define EXO_MAX_CHANNELS 6

typedef struct {
    exo_ctx *ctx;      /* borrowed */
    int n;             /* [1] cells */
    double *zf;        /* [um] n+1 faces, zf[0] = 0 at the skin surface */
    double *zc;        /* [um] cell centres */
    double *h;         /* [um] cell sizes */
    int *layer;        /* layer of each cell */
    int first[EXO_LAYER_COUNT + 1]; /* first cell of each layer; first[COUNT] = n */
    double top[EXO_LAYER_COUNT + 1]; /* [um] depth of each layer's top; top[COUNT] = total */
} exo_grid;

/* Layered grid: thick[] are the layer thicknesses [um] (a zero-thickness
 * layer is allowed and has no cells); cells are h_min at the surface and at
 * each interface and grow by `growth` up to h_max inside a layer. */
exo_status exo__grid_create(exo_ctx *ctx, const double thick[EXO_LAYER_COUNT], double h_min,
                            double h_max, double growth, exo_grid **out);
/* Uniform grid of n cells over [0, L], all in one layer (verification). */
exo_status exo__grid_create_uniform(exo_ctx *ctx, double L, int n, int layer, exo_grid **out);
void exo__grid_destroy(exo_grid **g);
/* Length [um] of cell i that lies within [z0, z1]. */
double exo__grid_overlap(const exo_grid *g, int i, double z0, double z1);

/* Coefficients of one species on one grid. */
typedef struct {
    double *D;        /* [um^2/h] per cell */
    double *k_deg;    /* [1/h] decay per cell */
    double *k_clr;    /* [1/h] clearance per cell (lymph, capillary) */
    double *k_up;     /* [1/h] uptake by cells per cell (into the taken-up ledger) */
    double *src;      /* [amount/um^3/h] production per cell (mediators from cells); not in the matrix */
    bool sourced;     /* some src[i] != 0 (kept by whoever sets src) */
    double k_film;    /* [1/h] decay in the film and the follicular reservoir */
    double k_chan;    /* [1/h] decay in channel fluid */
    bool bottom_sink; /* true: c = 0 below the last cell; false: zero flux */
    unsigned version; /* bumped whenever the values above change (step caches key on it) */
} exo_coeffs;

/* Open channels of one family (a microneedling session or a laser pass). */
typedef struct {
    bool active;
    int route;        /* EXO_ROUTE_CHANNEL or EXO_ROUTE_LASER */
    double a0;        /* [1] open area fraction when made */
    double a;         /* [1] open area fraction now */
    double diameter;  /* [um] */
    double depth;     /* [um] effective depth */
    double k_close;   /* [1/h] current first-order closure rate */
} exo_channels;

/* State of the skin surface shared by every species of one arm. */
typedef struct {
    double water;       /* [um] film water thickness */
    double solids;      /* [um] non-volatile film thickness */
    double inv_film;    /* [1/um] time average of 1/(film thickness) over the step; 0: use the end value */
    double dry_limit;   /* [um] water thickness below which transfer stops */
    bool drying;        /* the film was wet at the start of this step and reaches dry_limit at its
                         * end: it still transfers during the step (with the mean of 1/W) */
    double f_fol;       /* [1] follicle orifice area fraction */
    double k_fol;       /* [um/h] follicle entry velocity */
    double k_rel;       /* [1/h] follicular release rate */
    int i_fol;          /* cell receiving follicular release */
    double k_fill;      /* [1/h] film <-> channel fluid exchange */
    double h_sc;        /* [um] depth of the SC / viable epidermis interface */
    exo_channels ch[EXO_MAX_CHANNELS];
} exo_surface;

/* Per-species state and mass ledger; every amount is per skin area
 * [amount/um^2] (particles or activity units). */
typedef struct {
    double *E;                 /* [amount/um^3] per cell */
    double V;                  /* film */
    double F;                  /* follicular reservoir */
    double ch[EXO_MAX_CHANNELS];
    double applied;            /* everything ever added */
    double washed;             /* removed from the surface (wash-off, mask removal) */
    double bottom_out;         /* left through the bottom (hypodermal sink) */
    double degraded_surface;   /* decayed in film, follicles, channels */
    double degraded[EXO_LAYER_COUNT];
    double cleared[EXO_LAYER_COUNT];
    double taken_up[EXO_LAYER_COUNT];
    double produced;           /* made in the tissue by cells (sources), counted in applied too */
    double route[EXO_ROUTE_COUNT]; /* cumulative delivery into viable tissue */
} exo_species;

/* Workspace for steps on one grid; allocated once, reused every step. */
typedef struct exo_stepper exo_stepper;
exo_status exo__stepper_create(exo_ctx *ctx, const exo_grid *g, exo_stepper **out);
void exo__stepper_destroy(exo_stepper **s);

exo_status exo__coeffs_init(exo_ctx *ctx, const exo_grid *g, exo_coeffs *c);
void exo__coeffs_fini(exo_ctx *ctx, exo_coeffs *c);
exo_status exo__species_init(exo_ctx *ctx, const exo_grid *g, exo_species *s);
void exo__species_fini(exo_ctx *ctx, exo_species *s);

/* Film thickness that holds the vesicles [um]. */
double exo__surface_film(const exo_surface *sf);
bool exo__surface_wet(const exo_surface *sf);
/* true when the film transfers during the step: wet, or drying within it. */
bool exo__surface_transfers(const exo_surface *sf);

/* One backward-Euler step of length dt [h] for one species.  The surface
 * holds the film water and the channel areas at the END of the step (the
 * caller advances them first; they are prescribed functions of time). */
exo_status exo__step(exo_stepper *w, const exo_grid *g, const exo_coeffs *c,
                     const exo_surface *sf, double dt, exo_species *s);

/* Amount in the tissue of each layer [amount/um^2]. */
void exo__species_layers(const exo_grid *g, const exo_species *s, double out[EXO_LAYER_COUNT]);
/* applied - (everything accounted for) [amount/um^2]. */
double exo__species_balance(const exo_grid *g, const exo_species *s);
/* Total amount accounted for (the denominator of the balance). */
double exo__species_total(const exo_grid *g, const exo_species *s);
/* Delivered into the layers from `layer` down: present + degraded + cleared
 * there (+ what left through the bottom) [amount/um^2]. */
double exo__species_delivered_below(const exo_grid *g, const exo_species *s, int layer);
/* The same two from the layer amounts lay[] (exo__species_layers) already at hand. */
double exo__species_total_of(const exo_species *s, const double lay[EXO_LAYER_COUNT]);
double exo__species_delivered_below_of(const exo_species *s, const double lay[EXO_LAYER_COUNT], int layer);



/* Moves what is left in channel family j into the tissue along the channel
 * (call for every species, then mark the family inactive). */
void exo__channels_retire(const exo_grid *g, exo_surface *sf, int j, exo_species *s);
#endif
