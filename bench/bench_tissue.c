/* bench_tissue.c - tissue mode with cells (docs/sources.md, "Reference performance problems"
 * section 3): a cheek block at 10 um voxels with its default cell populations
 * as agents, one microneedling + topical session and the following 7 days.
 * Prints seconds per simulated day and agent updates per second (wall
 * clock of the whole run: transport, biology, agents), at the threads given by
 * OMP_NUM_THREADS.  `bench_tissue SIZE_UM DAYS` runs a smaller block (the
 * default is the reference: 2000 um, 7 days).  Then, through the CLI beside
 * it, a block of MPI_SIZE_UM (default 800) for MPI_DAYS (0.5) serially and
 * under `mpirun -np 2` (one thread per rank): seconds per simulated day, the
 * speed-up and whether the fields are the serial run's bytes.  Never part of
 * the tests. */
#include <exoskin/exoskin.h>

#include "engine/engine_impl.h"

#include "bench_util.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The block of `size` um for `days` days, as the scenario's YAML. */
static void scenario(char *text, size_t cap, double size, double days)
{
    snprintf(text, cap,
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
}

/* `exoskin run` of a smaller block serially and under mpirun -np 2, one
 * thread per rank (the block split into slabs of rows; docs/tissue.md
 * "MPI"); start-up and writing included. */
static void bench_ranks(const char *self, double size, double days)
{
    char cli[4096], dir[] = "/tmp/bench_tissue_XXXXXX", text[2048], cmd[12288];
    if (!bench_cli_with_mpi(self, cli, sizeof cli) || !mkdtemp(dir)) {
        printf("bench=tissue_mpi size_um=%g skipped=no_mpi\n", size);
        return;
    }
    scenario(text, sizeof text, size, days);
    snprintf(cmd, sizeof cmd, "%s/block.yaml", dir);
    FILE *f = fopen(cmd, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("bench=tissue_mpi size_um=%g failed=write\n", size);
        return;
    }
    double serial = 0;
    for (int ranks = 1; ranks <= 2; ranks++) {
        snprintf(cmd, sizeof cmd, "OMP_NUM_THREADS=1 %s '%s' run '%s/block.yaml' -o '%s/r%d' --quiet",
                 ranks > 1 ? BENCH_MPIRUN " -np 2" : "", cli, dir, dir, ranks);
        double s = bench_timed(cmd);
        if (s < 0) {
            printf("bench=tissue_mpi size_um=%g ranks=%d failed=1\n", size, ranks);
            continue;
        }
        if (ranks == 1)
            serial = s;
        snprintf(cmd, sizeof cmd, "cmp -s '%s/r1/tissue_arm0.h5' '%s/r%d/tissue_arm0.h5'", dir, dir, ranks);
        printf("bench=tissue_mpi size_um=%g days=%g ranks=%d threads_per_rank=1 via=cli wall_s=%.4g s_per_day=%.4g "
               "speedup=%.3g fields_identical_to_serial=%d\n",
               size, days, ranks, s, s / days, serial > 0 ? serial / s : 0.0, system(cmd) == 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_tissue: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
    double size = argc > 1 ? atof(argv[1]) : 2000.0, days = argc > 2 ? atof(argv[2]) : 7.0;
    double mpi_size = argc > 3 ? atof(argv[3]) : 800.0, mpi_days = argc > 4 ? atof(argv[4]) : 0.5;
    if (!(size >= 20 && size <= 5000) || !(days > 0 && days <= 60) || !(mpi_size >= 20 && mpi_size <= 5000) ||
        !(mpi_days > 0 && mpi_days <= 60)) {
        fprintf(stderr, "usage: bench_tissue [SIZE_UM (20-5000)] [DAYS (0-60)] [MPI_SIZE_UM] [MPI_DAYS]\n");
        return 2;
    }
    char text[2048];
    scenario(text, sizeof text, size, days);
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
    double t0 = bench_now();
    if (exo_run(ctx, &cfg, NULL, NULL, &r) != EXO_OK) {
        fprintf(stderr, "bench_tissue: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double wall = bench_now() - t0;
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
    bench_ranks(argv[0], mpi_size, mpi_days);
    return 0;
}
