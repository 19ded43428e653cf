/* bench_trial.c - the column-mode virtual trial (docs/sources.md, "Reference performance problems"
 * section 2): examples/default-trial.yaml (2 parallel arms) at 1 and 2
 * threads (OpenMP over patients), and at 1 and 2 MPI ranks of one thread each
 * through the CLI (`exoskin trial` beside this program, serial and under
 * `mpirun -np 2`; start-up and writing included) when mpirun and an MPI build
 * are there.  The reference problem is 1,000 patients per
 * arm; by default this runs PATIENTS per arm (argv[2], default 20) and prints
 * the measured rates and the time they imply for 1,000 patients per arm, so
 * that `make bench` stays short (argv[2] = 1000 runs the reference itself).
 * Besides the wall time it prints the process CPU time, and the time for
 * 1,000 per arm that CPU time implies on an otherwise idle machine (CPU time
 * / threads: patients are independent, so the threads do not wait).
 * Prints key=value lines; never part of the tests. */
#include <exoskin/exoskin.h>

#include "bench_util.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* `exoskin trial` serially and under mpirun -np 2, one thread per rank. */
static void bench_ranks(const char *self, const char *file, const char *patients, const char *name, int runs,
                        int per_arm, double weeks)
{
    char cli[4096], dir[] = "/tmp/bench_trial_XXXXXX", cmd[12288];
    if (!bench_cli_with_mpi(self, cli, sizeof cli) || !mkdtemp(dir)) {
        printf("bench=trial scenario=%s ranks=2 skipped=no_mpi\n", name);
        return;
    }
    for (int ranks = 1; ranks <= 2; ranks++) {
        snprintf(cmd, sizeof cmd,
                 "OMP_NUM_THREADS=1 %s '%s' trial '%s' -o '%s/r%d' --set trial.patients=%s --quiet",
                 ranks > 1 ? BENCH_MPIRUN " -np 2" : "", cli, file, dir, ranks, patients);
        double s = bench_timed(cmd);
        if (s < 0) {
            printf("bench=trial scenario=%s ranks=%d failed=1\n", name, ranks);
            continue;
        }
        printf("bench=trial scenario=%s ranks=%d threads_per_rank=1 via=cli patients_per_arm=%d patient_arm_runs=%d "
               "wall_s=%.4g patients_per_s=%.4g patient_arm_runs_per_s=%.4g s_per_patient_week=%.4g "
               "implied_s_for_1000_patients_per_arm=%.4g target_s=30\n",
               name, ranks, per_arm, runs, s, per_arm / s, runs / s, s / (runs * weeks), 1000.0 * s / per_arm);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_trial: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : "examples/default-trial.yaml";
    const char *patients = argc > 2 ? argv[2] : "20";
    exo_ctx *ctx;
    exo_units *u;
    exo_config cfg;
    exo_override set = {"trial.patients", patients};
    if (exo_ctx_create(1, &ctx) != EXO_OK || exo_units_create(ctx, &u) != EXO_OK ||
        exo_config_load(ctx, u, file, &set, 1, &cfg) != EXO_OK) {
        fprintf(stderr, "bench_trial: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        exo_trial_result *r = NULL;
        double t0 = bench_now(), c0 = bench_cpu();
        if (exo_trial_run(ctx, u, &cfg, NULL, NULL, &r) != EXO_OK) {
            fprintf(stderr, "bench_trial: %s\n", exo_ctx_last_error(ctx));
            return 1;
        }
        double s = bench_now() - t0, c = bench_cpu() - c0;
        int runs = r->n_patients, per_arm = cfg.trial.patients;
        printf("bench=trial scenario=%s threads=%d arms=%d patients_per_arm=%d patient_arm_runs=%d wall_s=%.4g "
               "cpu_s=%.4g cpu_s_per_patient_arm_run=%.4g patients_per_s=%.4g patient_arm_runs_per_s=%.4g "
               "s_per_patient_week=%.4g implied_s_for_1000_patients_per_arm=%.4g "
               "implied_s_for_1000_patients_per_arm_idle=%.4g target_s=30\n",
               cfg.name, threads, runs / per_arm, per_arm, runs, s, c, c / runs, per_arm / s, runs / s,
               s / (runs * cfg.sim.duration / EXO_WEEK), 1000.0 * s / per_arm, 1000.0 * c / per_arm / threads);
        exo_trial_destroy(ctx, &r);
    }
    int runs = cfg.trial.patients * (cfg.trial.design == EXO_TRIAL_PARALLEL ? cfg.n_arms
                                     : cfg.trial.design == EXO_TRIAL_SPLIT_FACE ? 2 : 1);
    bench_ranks(argv[0], file, patients, cfg.name, runs, cfg.trial.patients, cfg.sim.duration / EXO_WEEK);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return 0;
}
