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
 * and the follicular reservoir are nx*ny arrays per species. */
#ifndef EXO_TISSUE_H
#define EXO_TISSUE_H

#include <stdint.h>

#include "engine/engine_impl.h"

/* Materials of a voxel: tissue of its layer, fluid of open channel family
 * 1..EXO_MAX_CHANNELS (blended back to tissue as the family closes), or hair
 * shaft (impermeable). */
enum { EXO_MAT_TISSUE = 0, EXO_MAT_SHAFT = EXO_MAX_CHANNELS + 1, EXO_MAT_COUNT };

typedef struct exo_tissue exo_tissue;
#define EXO_TISSUE_NLED 24 /* ledger partial sums per row of the z sweep (transport.c) */

struct exo_tissue {
    exo_ctx *ctx;
    const exo_grid *g;   /* depth grid, borrowed */
    int nx, ny, nz, ns;
    size_t nxy, n;       /* voxel columns, voxels */
    double dx;           /* [um] lateral voxel size */
    double lx, ly;       /* [um] block size (nx dx, ny dy) */
    uint8_t *mat;        /* [n] material of each voxel */
    double *ffol;        /* [nxy] follicle orifice area fraction of each voxel column */
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
    double *tab;         /* [5 x nz x EXO_MAT_COUNT] per-step coefficient tables (transport.c) */
    const double **srcmul; /* [ns] per voxel factor on the cell-made source (NULL: uniform), from the agents */
};

/* The block of the arm with skin `skin` over depth grid g (borrowed). */
exo_status exo__tissue_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                              int ns, const exo_species_meta *meta, exo_tissue **out);
void exo__tissue_destroy(exo_tissue **t);

/* Fills field k with the depth profile s->E (laterally uniform; nothing in
 * hair shafts); s->E becomes the block's mean and s->applied its content. */
void exo__tissue_load(exo_tissue *t, int k, exo_species *s);
/* Film of species k: add an amount per skin area, or keep a fraction. */
void exo__tissue_film_add(exo_tissue *t, int k, double amount);
void exo__tissue_film_scale(exo_tissue *t, int k, double keep);
/* Channel family j (sf->ch[j]) was opened: its voxels become channel fluid.
 * Closed (retired): they are tissue again, content kept where it is. */
void exo__tissue_open(exo_tissue *t, int j, const exo_channels *ch);
void exo__tissue_close(exo_tissue *t, int j);
/* Injection of `amount` per skin area of species k at `depth`: spheres of
 * `volume` per point at lattice points of `density` per area. */
void exo__tissue_bolus(exo_tissue *t, int k, double amount, double depth, double volume, double density,
                       int route, exo_species *s);

/* One split-direction implicit step of length dt [h] for species k: the
 * column's coefficients c (per depth cell) modified per voxel by material,
 * the column's surface state sf (film water, wetness, follicle and channel
 * rates); updates the field, the film and reservoirs, and the ledger and
 * mean profile in s.  Allocates nothing. */
exo_status exo__tissue_step(exo_tissue *t, int k, const exo_coeffs *c, const exo_surface *sf, double dt,
                            exo_species *s);

/* Sum of the vesicle species' fields, as floats (n values) [particles/um^3]. */
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
double exo__agents_updates(const exo_agents *g);
/* Mean state of each cell type (GF cargo, activation, senescence, M2 share) and counts. */
void exo__agents_summary(const exo_agents *g, double mean_state[EXO_NCELL][4], int count[EXO_NCELL]);

/* Writes the recorded fields of the tissue-mode arms of r into dir (nothing
 * for column runs): fields_xz.csv and, per tissue arm A, tissue_armA.h5 with
 * its XDMF sidecar tissue_armA.xdmf (fields.c, docs/tissue.md). */
/* Rows j0..j1-1 of a recorded field (nx*ny*nz, x fastest, depth cells of g)
 * averaged onto uniform depth rows of dz [um] from the surface down to
 * min(z_max, the grid's depth): out[i + nx*((j - j0) + (j1 - j0)*q)] is the
 * mean over [q dz, (q+1) dz] (the last row possibly shorter), so amounts are
 * conserved.  Returns the number of rows, 0 if more than cap_rows. */
int exo__tissue_resample_depth(const exo_grid *g, const float *field, int nx, int ny, int nz, int j0, int j1,
                               double z_max, double dz, double *out, int cap_rows);

exo_status exo__tissue_write_fields(exo_ctx *ctx, const exo_result *r, const char *dir);
#endif
