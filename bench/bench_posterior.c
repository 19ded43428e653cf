/* bench_posterior.c - the cost of the parameter posterior (docs/calibration.md):
 * loading the shipped data/posterior.json, one draw of every parameter it
 * covers (exo_posterior_draw), a scenario run with N posterior draws beside
 * its default run (exo_run_draws,
 * `exoskin run --draws N`) against the plain run, on the default scenario
 * (the cost of one posterior draw: one more run), and a small calibration:
 * the posterior (exo_calibrate_posterior) of one parameter from the
 * transport studies of validation/ that the model meets (the problem of
 * tests/calibrate.sh), per evaluation and in all.  A full `exoskin calibrate
 * --posterior` prints its own cost.  Usage: bench_posterior [FILE [N
 * [VALIDATION_DIR]]].  Prints key=value lines; never part of the tests. */
#include <exoskin/exoskin.h>

#include "bench_util.h"

#include <dirent.h>
#include <unistd.h>

/* Links the study files of dir whose level is transport and that UNMET does
 * not list into a new temporary folder (its path into tmp); their number. */
static int transport_studies(const char *dir, char *tmp, size_t size)
{
    char path[4096], line[512], unmet[8192] = "\n";
    snprintf(path, sizeof path, "%s/UNMET", dir);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (line[0] != '#' && strlen(unmet) + strlen(line) + 1 < sizeof unmet)
            strcat(unmet, line);
    if (f)
        fclose(f);
    const char *t = getenv("TMPDIR");
    snprintf(tmp, size, "%s/bench_posterior_XXXXXX", t && t[0] ? t : "/tmp");
    DIR *d = mkdtemp(tmp) ? opendir(dir) : NULL;
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char id[300];
        snprintf(id, sizeof id, "\n%.*s\n", (int)(len - 5), e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bool transport = false;
        FILE *y = strstr(unmet, id) ? NULL : fopen(path, "r");
        while (y && fgets(line, sizeof line, y))
            transport = transport || strstr(line, "level: transport") != NULL;
        if (y)
            fclose(y);
        char cwd[2048] = "", abs[6200], link[4400];
        if (transport && (path[0] == '/' || getcwd(cwd, sizeof cwd))) {
            snprintf(abs, sizeof abs, "%s%s%s", path[0] == '/' ? "" : cwd, path[0] == '/' ? "" : "/", path);
            snprintf(link, sizeof link, "%s/%s", tmp, e->d_name);
            n += symlink(abs, link) == 0;
        }
    }
    if (d)
        closedir(d);
    return n;
}

/* The posterior of one transport parameter from the transport studies. */
static int bench_calibration(exo_ctx *ctx, exo_units *u, const char *validation)
{
    char tmp[256], cmd[400];
    int n = transport_studies(validation, tmp, sizeof tmp);
    if (n == 0) {
        fprintf(stderr, "bench_posterior: no transport study in %s\n", validation);
        return 1;
    }
    const char *keys[] = {"channel_closure_half_life"};
    exo_calibration_options opt = {keys, 1, 5, 0, 1, NULL};
    exo_calibration_result *res = NULL;
    exo_posterior *post = NULL;
    double t0 = bench_now(), c0 = bench_cpu();
    exo_status st = exo_calibrate_posterior(ctx, u, tmp, &opt, "2000-01-01", &res, &post);
    double t = bench_now() - t0, c = bench_cpu() - c0;
    if (st == EXO_OK)
        printf("bench=calibration studies=%d parameters=1 evaluations=%d calibrate_s=%.4g calibrate_cpu_s=%.4g "
               "s_per_evaluation=%.4g\n",
               res->n_studies, res->evaluations, t, c, res->evaluations > 0 ? t / res->evaluations : 0.0);
    else
        fprintf(stderr, "bench_posterior: calibration: %s\n", exo_ctx_last_error(ctx));
    exo_calibration_result_destroy(ctx, &res);
    exo_posterior_destroy(&post);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return st == EXO_OK && system(cmd) == 0 ? 0 : 1;
}

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
           "s_per_draw=%.4g cpu_s_per_draw=%.4g\n",
           cfg.name, draws, draws + 1, t_run, c_run, t_draws, c_draws, t_draws / (draws + 1), c_draws / (draws + 1));
    int rc = bench_calibration(ctx, u, argc > 3 ? argv[3] : "validation");
    exo_posterior_destroy(&post);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return rc;
}
