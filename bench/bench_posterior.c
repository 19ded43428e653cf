/* bench_posterior.c - the cost of the parameter posterior (docs/calibration.md):
 * loading the shipped data/posterior.json, one draw of every parameter it
 * covers (exo_posterior_draw), and a scenario run at draws 0..N
 * (exo_run_draws, `exoskin run --draws N`) against the plain run, on the
 * default scenario.  The cost of a calibration is printed by `exoskin
 * calibrate --posterior` itself.  Prints key=value lines; never part of the
 * tests. */
#include <exoskin/exoskin.h>

#include "bench_util.h"

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : "examples/default.yaml";
    const int draws = argc > 2 ? atoi(argv[2]) : 8;
    exo_ctx *ctx;
    exo_units *u;
    exo_config cfg;
    exo_posterior *post = NULL;
    if (exo_ctx_create(1, &ctx) != EXO_OK || exo_units_create(ctx, &u) != EXO_OK ||
        exo_config_load(ctx, u, file, NULL, 0, &cfg) != EXO_OK) {
        fprintf(stderr, "bench_posterior: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double t0 = bench_now();
    if (exo_posterior_load(ctx, NULL, &post) != EXO_OK) {
        fprintf(stderr, "bench_posterior: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double t_load = bench_now() - t0;
    enum { N_DRAWS = 100000 };
    exo_paramset p = cfg.params;
    t0 = bench_now();
    for (uint64_t i = 1; i <= N_DRAWS; i++)
        exo_posterior_draw(post, 1, i, &p);
    double t_draw = (bench_now() - t0) / N_DRAWS;
    printf("bench=posterior parameters=%d load_s=%.4g draw_us=%.4g\n", exo_posterior_count(post), t_load,
           1e6 * t_draw);

    exo_result *res = NULL;
    t0 = bench_now();
    double c0 = bench_cpu();
    if (exo_run(ctx, &cfg, NULL, NULL, &res) != EXO_OK)
        return 1;
    double t_run = bench_now() - t0, c_run = bench_cpu() - c0;
    exo_result_destroy(&res);
    t0 = bench_now();
    c0 = bench_cpu();
    if (exo_run_draws(ctx, &cfg, post, draws, NULL, NULL, &res) != EXO_OK) {
        fprintf(stderr, "bench_posterior: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    double t_draws = bench_now() - t0, c_draws = bench_cpu() - c0;
    exo_result_destroy(&res);
    printf("bench=run_draws scenario=%s draws=%d runs=%d run_s=%.4g run_cpu_s=%.4g draws_s=%.4g draws_cpu_s=%.4g "
           "s_per_draw=%.4g\n",
           cfg.name, draws, draws + 1, t_run, c_run, t_draws, c_draws, t_draws / (draws + 1));
    exo_posterior_destroy(&post);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return 0;
}
