/* bench_tissue.c - tissue mode with cells (../shared/docs/benchmarks.md
 * section 3): a cheek block at 10 um voxels with its default cell populations
 * as agents, one microneedling + topical session and the following 7 days.
 * Prints seconds per simulated day and agent updates per second (wall
 * clock of the whole run: transport, biology, agents), at the threads given by
 * OMP_NUM_THREADS.  `bench_tissue SIZE_UM DAYS` runs a smaller block (the
 * default is the reference: 2000 um, 7 days).  Never part of the tests. */
#include <exoskin/exoskin.h>

#include "engine/engine_impl.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
    double size = argc > 1 ? atof(argv[1]) : 2000.0, days = argc > 2 ? atof(argv[2]) : 7.0;
    if (!(size >= 20 && size <= 5000) || !(days > 0 && days <= 60)) {
        fprintf(stderr, "usage: bench_tissue [SIZE_UM (20-5000)] [DAYS (0-60)]\n");
        return 2;
    }
    char text[2048];
    snprintf(text, sizeof text,
             "name: bench-tissue\nseed: 1\n"
             "skin: {region: cheek, age: 45 years, sex: female, phototype: III, condition: photoaged}\n"
             "products:\n"
             "  - {name: serum, origin: adipose_msc, size: {mode: 120 nm, gsd: 1.4, bins: 2},\n"
             "     concentration: 1e10 particles/mL, functional_fraction: 0.7, vehicle: serum}\n"
             "arms:\n  - name: needling\n    protocol:\n"
             "      - {event: microneedling, needle_length: 1 mm, density: 150 1/cm^2, passes: 2, schedule: once}\n"
             "      - {event: topical, product: serum, amount: 1 mg/cm^2, contact: 12 h, schedule: once}\n"
             "simulation:\n  duration: %g d\n  output_interval: 6 h\n  profile_times: [1 h]\n"
             "  grid: {surface_cell: 2 um, max_cell: 50 um}\n"
             "  fidelity: tissue\n  tissue: {size: %g um, voxel: 10 um, follicles: explicit}\n",
             days, size);
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    exo_result *r = NULL;
    if (exo_ctx_create(1, &ctx) != EXO_OK || exo_units_create(ctx, &u) != EXO_OK)
        return 1;
    if (exo_config_load_buffer(ctx, u, "bench", text, strlen(text), NULL, 0, &cfg) != EXO_OK) {
        fprintf(stderr, "bench_tissue: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double t0 = now();
    if (exo_run(ctx, &cfg, NULL, NULL, &r) != EXO_OK) {
        fprintf(stderr, "bench_tissue: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double wall = now() - t0;
    const exo_arm_result *a = &r->arms[0];
    const exo_tissue_info *ti = &a->tissue;
    double voxels = (double)ti->nx * ti->ny * ti->nz;
    printf("bench=tissue size_um=%g voxel_um=%g voxels=%.0f depth_cells=%d species=%d threads=%d days=%g "
           "steps=%d cells=%d s=%.3f s_per_day=%.3f agent_updates_per_s=%.4g voxel_species_steps_per_s=%.4g\n",
           size, ti->dx, voxels, ti->nz, r->n_species, omp_get_max_threads(), days, a->delivery.steps, ti->cells,
           wall, wall / days, ti->agent_updates / wall, voxels * r->n_species * a->delivery.steps / wall);
    exo_result_destroy(&r);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return 0;
}
