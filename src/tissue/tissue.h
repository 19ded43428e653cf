/* tissue.h - internal interface of tissue mode (docs/tissue.md): a 3D block of
 * skin, nx x ny voxel columns of lateral size dx over the layered depth grid
 * of column mode, with explicit hair follicles (orifice and shaft cylinders),
 * microneedle channels and laser zones (voxel columns that fill with fluid
 * and close again) and injection boluses (spheres), and the
 * variable-coefficient transport of every species through it.
 *
 * The engine (src/engine/engine.c) runs tissue mode with the same time loop,
 * events and biology as column mode; the tissue replaces the transport step
 * and keeps, in each exo_species, the ledger and the laterally averaged depth
 * profile (E), so that every readout of column mode is computed the same way.
 *
 * Layout: species field k is one contiguous array of nx*ny*nz doubles,
 * voxel (i, j, l) at i + nx (j + ny l), x fastest, depth l slowest; the film
 * and the follicular reservoir are nx*ny arrays per species.
 *
 * Over several ranks (exo_comm, docs/tissue.md "MPI") each rank holds a slab
 * of rows: ny of the block's nyg rows from row j0 on (exo__tissue_slab), and
 * every field, index and loop above is the slab's; the block's geometry
 * (lx, ly, the follicles' 2D maps) is known everywhere.  Sums over the block
 * gather every row's partial sums and add them in row order, so a split
 * block gives the serial run's bits. */
#ifndef EXO_TISSUE_H
#define EXO_TISSUE_H

#include <stdint.h>

#include <exoskin/exo_config.h>

#include "biology/biology.h"
#include "biology/species.h"
#include "column/column.h"

/* Materials of a voxel: tissue of its layer, fluid of open channel family
 * 1..EXO_MAX_CHANNELS (blended back to tissue as the family closes), or hair
 * shaft (impermeable). */
enum { EXO_MAT_TISSUE = 0, EXO_MAT_SHAFT = EXO_MAX_CHANNELS + 1, EXO_MAT_COUNT };

/* The outline maps of the block (exo_tissue.outline, exo_tissue_info.outline):
 * what reached down each voxel column, for the report's pictures. */
enum { EXO_OUTLINE_FOLLICLE, EXO_OUTLINE_CHANNEL, EXO_OUTLINE_LASER, EXO_OUTLINE_COUNT };

typedef struct exo_tissue exo_tissue;
#define EXO_TISSUE_NLED 24 /* ledger partial sums per row of the z sweep (transport.c) */
/* doubles of the per-step tables of transport.c: six by (depth cell,
 * material), two face tables by (depth cell, material, material), the
 * bottom sink by material, and the x sweep's factors of a line of tissue
 * (two by depth cell and x) */
#define EXO_TISSUE_TAB(nz, nx) \
    ((size_t)(nz) * EXO_MAT_COUNT * (6 + 2 * EXO_MAT_COUNT) + EXO_MAT_COUNT + 2 * (size_t)(nz) * (size_t)(nx))

struct exo_tissue {
    exo_ctx *ctx;
    const exo_grid *g;   /* depth grid, borrowed */
    int nx, ny, nz, ns;  /* ny: rows of this rank's slab */
    int nyg, j0;         /* rows of the block; the slab's first row */
    int rank, size;      /* this rank and the ranks sharing the block (exo_comm) */
    size_t nxy, n;       /* voxel columns, voxels of the slab */
    double dx;           /* [um] lateral voxel size */
    double lx, ly;       /* [um] block size (nx dx, ny dy) */
    uint8_t *mat;        /* [n] material of each voxel */
    uint8_t *mat_lo, *mat_hi; /* [nz x nx] materials of rows j0 - 1 and j0 + ny (the neighbours' edges) */
    uint8_t *side;       /* [nx] EXO_MAT_SHAFT: beyond the block's sides (faces shut), for the y sweep */
    double *zeros;       /* [nx] zeros: the y sweep's factors and values beyond the block's sides */
    uint16_t *shaft;     /* [nx x nyg] hair-shaft depth cells of every voxel column of the block */
    double *ffol_all;    /* [nx x nyg] follicle orifice area fraction of every voxel column of the block */
    double *ffol;        /* [nxy] the slab's part of ffol_all */
    float *outline;      /* [EXO_OUTLINE_COUNT x nx x nyg] per voxel column of the block, the depth [um] of the
                          * bottom of the deepest voxel of its follicle (canal or hair), of the deepest
                          * microneedle channel and of the deepest laser zone opened so far; 0: none.
                          * Recorded only (the report draws them), never read by the transport. */
    bool film_mixed;     /* the film is mixed over the block after every step (tissue.film: mixed) */
    double *Dfluid;      /* [ns] diffusivity in channel fluid [um^2/h] */
    double **C;          /* [ns][n] concentrations [amount/um^3] */
    double **V, **F;     /* [ns][nxy] film and follicular reservoir [amount/um^2] */
    int n_follicles;     /* follicles in the block */
    int n_open[EXO_MAX_CHANNELS]; /* channels (or laser zones) of each family in the block */
    double ch_depth[EXO_MAX_CHANNELS]; /* [um] depth of each family */
    int ch_route[EXO_MAX_CHANNELS];    /* EXO_ROUTE_CHANNEL or EXO_ROUTE_LASER */
    int nthreads;
    size_t wsize;        /* doubles of workspace per thread */
    double *work;        /* nthreads x wsize */
    double *rows;        /* ny x (nz + EXO_TISSUE_NLED) row partial sums of the z sweep */
    double *rows_all;    /* nyg x (nz + EXO_TISSUE_NLED): every rank's rows, in row order */
    double *ycp;         /* [n] y sweep's elimination factors when the lines cross ranks (else NULL) */
    double *halo;        /* [2 nx nz] messages of the y sweep */
    double *tab;         /* [EXO_TISSUE_TAB(nz, nx)] per-step coefficient tables (transport.c) */
    const double **srcmul; /* [ns] per voxel factor on the cell-made source (NULL: uniform), from the agents */
};

/* Rows [*j0, *j1) of nyg held by `rank` of `size`. */
void exo__tissue_slab(int nyg, int rank, int size, int *j0, int *j1);
/* Gathers every rank's t->rows into t->rows_all (row order). */
exo_status exo__tissue_gather_rows(exo_tissue *t);
/* E[l]: the block's mean of a slab field over each depth cell (row sums,
 * then rows in order over every rank). */
exo_status exo__tissue_block_mean(exo_tissue *t, const double *field, double *E);
/* Material of voxel (i, global row jg, depth l), or NULL if this rank does
 * not hold that row or its neighbours' edge rows. */
uint8_t *exo__tissue_mat_at(exo_tissue *t, int i, int jg, int l);
/* I field rows j0 - 1 and j0 + ny from the neighbouring ranks into
 * lo, hi [nz x nx] (unchanged at the block's sides). */
exo_status exo__tissue_halo(exo_tissue *t, const double *field, double *lo, double *hi);

/* The block of the arm with skin `skin` over depth grid g (borrowed). */
exo_status exo__tissue_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                              int ns, const exo_species_meta *meta, exo_tissue **out);
void exo__tissue_destroy(exo_tissue **t);

/* Fills field k with the depth profile s->E (laterally uniform; nothing in
 * hair shafts); s->E becomes the block's mean and s->applied its content. */
exo_status exo__tissue_load(exo_tissue *t, int k, exo_species *s);
/* Film of species k: add an amount per skin area, or keep a fraction. */
void exo__tissue_film_add(exo_tissue *t, int k, double amount);
void exo__tissue_film_scale(exo_tissue *t, int k, double keep);
/* Channel family j (sf->ch[j]) was opened: its voxels become channel fluid.
 * Closed (retired): they are tissue again, content kept where it is. */
void exo__tissue_open(exo_tissue *t, int j, const exo_channels *ch);
void exo__tissue_close(exo_tissue *t, int j);
/* Injection of `amount` per skin area of species k at `depth`: spheres of
 * `volume` per point at lattice points of `density` per area. */
exo_status exo__tissue_bolus(exo_tissue *t, int k, double amount, double depth, double volume, double density,
                             int route, exo_species *s);

/* One split-direction implicit step of length dt [h] for species k: the
 * column's coefficients c (per depth cell) modified per voxel by material,
 * the column's surface state sf (film water, wetness, follicle and channel
 * rates); updates the field, the film and reservoirs, and the ledger and
 * mean profile in s.  Allocates nothing. */
exo_status exo__tissue_step(exo_tissue *t, int k, const exo_coeffs *c, const exo_surface *sf, double dt,
                            exo_species *s);

/* A field of the slab (n floats) into out on rank 0, the whole block's
 * (nx x nyg x nz, x fastest); out is not used elsewhere. */
exo_status exo__tissue_gather_field(exo_tissue *t, const float *mine, float *out);
/* Sum of the vesicle species' fields, as floats (the slab's n values) [particles/um^3]. */
void exo__tissue_vesicles(const exo_tissue *t, const exo_species_meta *meta, float *out);
/* Cells as agents (agents.c). */
typedef struct exo_agents exo_agents;
exo_status exo__agents_create(exo_ctx *ctx, const exo_config *cfg, exo_tissue *t, const exo_bio *b, exo_agents **out);
void exo__agents_destroy(exo_agents **g);
/* One biology update of length dt [h]: uptake, states, macrophage movement,
 * arrivals and departures, and the source maps handed to the tissue. */
exo_status exo__agents_update(exo_agents *g, exo_tissue *t, const exo_bio *b, const exo_species_meta *meta,
                              const double *kappa, const int med[EXO_MED_COUNT], double dt);
int exo__agents_count(const exo_agents *g);
/* [1: young total collagen = 1] per voxel of the slab: collagen made in the
 * run by the fibroblasts there, less what matured or broke down. */
const double *exo__agents_new_collagen(const exo_agents *g);
double exo__agents_updates(const exo_agents *g);
/* Mean state of each cell type (GF cargo, activation, senescence, M2 share) and counts. */
void exo__agents_summary(const exo_agents *g, double mean_state[EXO_NCELL][4], int count[EXO_NCELL]);

#endif
