/* bench_column.c - times a full column-mode run (transport of vesicles and
 * mediators, cells and matrix with CVODE, readouts) on the default scenario
 * (examples/default.yaml): wall time per simulated patient (one arm is one
 * patient's protocol) and per patient-week, with the depth cells and steps.
 * The column works on a few hundred cells that live in cache, so it is bound
 * by arithmetic and solver overhead, not memory bandwidth.  Prints key=value
 * lines (docs/sources.md, "Reference performance problems"); never part of the tests. */
#include <exoskin/exoskin.h>

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

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : "examples/default.yaml";
    const int reps = argc > 2 ? atoi(argv[2]) : 7;
    exo_ctx *ctx;
    exo_units *u;
    exo_config cfg;
    if (exo_ctx_create(1, &ctx) != EXO_OK || exo_units_create(ctx, &u) != EXO_OK ||
        exo_config_load(ctx, u, file, NULL, 0, &cfg) != EXO_OK) {
        fprintf(stderr, "bench_column: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    /* each arm alone, then the whole scenario */
    for (int arm = -1; arm < cfg.n_arms; arm++) {
        exo_config one = cfg;
        if (arm >= 0) {
            one.arms = &cfg.arms[arm];
            one.n_arms = 1;
        }
        double t[64];
        int steps = 0, cells = 0;
        for (int r = 0; r < reps && r < 64; r++) {
            exo_result *res;
            double t0 = now();
            if (exo_run(ctx, &one, NULL, NULL, &res) != EXO_OK) {
                fprintf(stderr, "bench_column: %s\n", exo_ctx_last_error(ctx));
                return 1;
            }
            t[r] = now() - t0;
            steps = 0;
            for (int a = 0; a < exo_result_arms(res); a++) {
                exo_arm_delivery d;
                exo_result_delivery(res, a, &d);
                steps += d.steps;
                cells = d.cells;
            }
            exo_result_destroy(&res);
        }
        qsort(t, (size_t)reps, sizeof *t, cmp);
        double weeks = cfg.sim.duration / EXO_WEEK * one.n_arms;
        printf("bench=column scenario=%s arm=\"%s\" patients=%d cells=%d steps=%d simulated_weeks=%g "
               "median_s=%.4g min_s=%.4g s_per_patient=%.4g s_per_patient_week=%.4g target_s_per_patient=0.05\n",
               cfg.name, arm < 0 ? "all" : cfg.arms[arm].name, one.n_arms, cells, steps, weeks, t[reps / 2], t[0],
               t[reps / 2] / one.n_arms, t[reps / 2] / weeks);
    }
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return 0;
}
