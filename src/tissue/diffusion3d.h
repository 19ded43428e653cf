/* diffusion3d.h - internal interface of the tissue-mode transport kernel: an
 * implicit, split-direction finite-volume diffusion-decay solver on a uniform
 * nx x ny x nz grid of S substances (docs/tissue.md).
 *
 * Solved, for each substance s with concentration c_s(x, y, z):
 *   dc/dt = D_s (c_xx + c_yy + c_zz) - k_s c,   zero flux on every face.
 * Units of this kernel: lengths in um, times in min (D in um^2/min, decay in
 * 1/min, dt in min), as in the reference problem of benchmarks.md section 1;
 * callers working in the library's internal units convert at the boundary.
 *
 * One step is Lie splitting of three backward-Euler sweeps, x then y then z.
 * Each sweep solves, along every grid line of that direction,
 *   (1 + a (neighbours) + kz) c_i - a c_{i-1} - a c_{i+1} = c_i(old),
 * a = D dt / dx^2, where the zero-flux boundary is folded into the end rows
 * (one neighbour).  The whole decay goes into the z sweep (kz = k dt; the x
 * and y sweeps have none), so a laterally uniform field follows exactly the
 * 1D backward-Euler scheme of the column mode along z, and every step
 * multiplies the total of a substance by exactly 1 / (1 + k dt).
 * The tridiagonal factorisation (Thomas; along z eliminated from both ends
 * towards the middle plane) depends only on the substance and the direction;
 * it is computed once by exo__d3_create.
 *
 * Storage: field[s] is one contiguous array of nx*ny*nz doubles, x fastest
 * (index i + nx*(j + ny*k)), updated in place.  The plan holds O(S (nx+ny+nz))
 * coefficients and no scratch; exo__d3_step allocates nothing.  Results are
 * bit-identical for any number of OpenMP threads. */
#ifndef EXO_TISSUE_DIFFUSION3D_H
#define EXO_TISSUE_DIFFUSION3D_H

#include <exoskin/exo_core.h>

/* Rows of the x sweep solved together (recurrences interleaved in registers). */
#define EXO_D3_BLOCK 8

typedef struct exo_d3_plan exo_d3_plan;

/* Plans the solver.  D[S] [um^2/min] >= 0, decay[S] [1/min] >= 0, dx [um] > 0,
 * dt [min] > 0, every n >= 1, S >= 1.  EXO_EINVAL on bad arguments,
 * EXO_ENOMEM on allocation failure (message on ctx). */
exo_status exo__d3_create(exo_ctx *ctx, int nx, int ny, int nz, int S, double dx, double dt, const double *D,
                          const double *decay, exo_d3_plan **out);
/* Advances field[0..S-1] (each nx*ny*nz doubles, not overlapping) by one dt.
 * Uses up to omp_get_max_threads() threads, at most 2 S (the work is split
 * into the two z halves of each substance). */
void exo__d3_step(const exo_d3_plan *plan, double *const *field);
/* Destroys a plan (NULL-safe) and sets *plan to NULL. */
void exo__d3_destroy(exo_d3_plan **plan);

/* Grid voxels, substances, and bytes held by the plan (not the field). */
size_t exo__d3_voxels(const exo_d3_plan *plan);
size_t exo__d3_plan_bytes(const exo_d3_plan *plan);

#endif
