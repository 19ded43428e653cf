/* cmd_study.c - the commands that study the model against data and itself:
 * `exoskin validate` (study definitions against their published values),
 * `exoskin calibrate` (estimate parameters fitted to them) and `exoskin
 * sensitivity` (parameters ranked by their effect on an endpoint). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- option values --------------------------------------------------- */

/* An integer lo..hi into *dst, or "NAME: OPT needs an integer lo..hi". */
static int take_int(const cli_command *c, const char *opt, const char *s, long lo, long hi, int *dst)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || *end || end == s || x < lo || x > hi) {
        char fmt[128];
        snprintf(fmt, sizeof fmt, "%s: %s needs an integer %ld..%ld, not '%%s'", c->name, opt, lo, hi);
        return cli_usage_error(c, fmt, s);
    }
    *dst = (int)x;
    return -1;
}

static int take_check(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    return take_int(c, opt, v, 1, 100000, &a->check_draws);
}

static int take_max_iter(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    return take_int(c, opt, v, 1, 1000000, &a->max_iter);
}

static int take_validate_draws(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    a->has_draws = true;
    return take_int(c, opt, v, 0, 10000, &a->draws);
}

static int take_trajectories(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    return take_int(c, opt, v, 1, 100000, &a->trajectories);
}

static int take_samples(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    return take_int(c, opt, v, 2, 1000000, &a->samples);
}

static int take_seed(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)opt;
    char *end;
    errno = 0;
    unsigned long long s = strtoull(v, &end, 10);
    if (errno || *end || end == v || v[0] == '-') {
        char fmt[96];
        snprintf(fmt, sizeof fmt, "%s: --seed needs a non-negative integer, not '%%s'", c->name);
        return cli_usage_error(c, fmt, v);
    }
    a->seed = (uint64_t)s;
    a->has_seed = true;
    return -1;
}

static int take_param(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)c, (void)opt;
    a->keys[a->n_keys++] = v;
    return -1;
}

static int take_method(const cli_command *c, cli_args *a, const char *opt, const char *m)
{
    (void)opt;
    if (strcmp(m, "morris") && strcmp(m, "sobol"))
        return cli_usage_error(c, "sensitivity: unknown method '%s' (expected morris or sobol)", m);
    a->sobol = !strcmp(m, "sobol");
    return -1;
}

/* ---- validate -------------------------------------------------------- */

#define CLI_VALIDATE_DRAWS 16 /* posterior draws behind each row's interval by default */

static int validate_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    exo_ctx *ctx;
    exo_units *u = NULL;
    if (cli_make_ctx(&ctx) != EXO_OK) {
        cli_args_free(&a);
        return 1;
    }
    exo_validation_row *rows = NULL;
    exo_posterior *post = NULL;
    int n = 0, failed = 0, known = 0, train = 0, train_inside = 0, inside = 0;
    const int draws = a.has_draws ? a.draws : CLI_VALIDATE_DRAWS;
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK && a.out) /* before anything is computed */
        st = exo_output_check(ctx, a.out, a.force);
    if (st == EXO_OK)
        st = exo_posterior_load(ctx, NULL, &post);
    if (st == EXO_OK)
        st = exo_validate_dir_draws(ctx, u, a.file, a.sets, a.n_sets, post, draws, &rows, &n);
    if (st == EXO_OK && a.out)
        st = exo_validation_write(ctx, rows, n, a.file, a.out, a.force);
    if (st != EXO_OK) {
        rc = cli_fail(ctx, st);
        goto out;
    }
    printf("%-40s %-10s %10s %10s %-20s %-6s %-24s %-7s %s\n", "id", "level", "reported", "predicted",
           "accepted range", "pass", "90% interval", "inside", "unit");
    for (int i = 0; i < n; i++) {
        char range[64], interval[64];
        snprintf(range, sizeof range, "[%g, %g]", rows[i].low, rows[i].high);
        snprintf(interval, sizeof interval, "[%.4g, %.4g]", rows[i].interval_low, rows[i].interval_high);
        printf("%-40s %-10s %10.4g %10.4g %-20s %-6s %-24s %-7s %s\n", rows[i].id, rows[i].level, rows[i].reported,
               rows[i].predicted, range, rows[i].pass ? "pass" : "FAIL", interval,
               rows[i].direction_only ? "n/a" : rows[i].inside ? "yes" : "no", rows[i].unit);
        train += !rows[i].known && !rows[i].direction_only;
        train_inside += !rows[i].known && rows[i].inside;
        if (rows[i].note[0])
            printf("    %s\n", rows[i].note);
        if (!rows[i].pass && rows[i].known)
            printf("    known failure (UNMET)%s%s\n", rows[i].known_why[0] ? ": " : "", rows[i].known_why);
        failed += !rows[i].pass;
        known += !rows[i].pass && rows[i].known;
    }
    int with = exo_validation_coverage(rows, n, &inside);
    double cover = with ? 100.0 * inside / with : 0.0;
    const char *verdict = draws == 0       ? "with --draws 0 each interval is the study noise around the median"
                          : cover > 97.0   ? "far above it: the intervals are too wide"
                          : cover >= 80.0  ? "close to it"
                                           : "below it: the intervals leave out part of the uncertainty";
    printf("coverage: the published value lies inside its 90%% interval (posterior median and %d draws, each "
           "study's seed) in %d of %d rows with a value (%.0f %%; %d direction-only rows aside), %d of the %d of them "
           "not in UNMET; target about 90 %%, %s\n",
           draws, inside, with, cover, n - with, train_inside, train, verdict);
    printf("%d passed, %d failed\n", n - failed, failed);
    size_t dl = strlen(a.file);
    while (dl > 1 && a.file[dl - 1] == '/')
        dl--;
    if (failed)
        printf("%d of the %d failures are known and documented (%.*s/UNMET, docs/validation.md); %d new\n", known,
               failed, (int)dl, a.file, failed - known);
    if (a.out)
        printf("report: %s/report.html\n", a.out);
    rc = failed ? 1 : 0;
out:
    cli_args_free(&a);
    exo_free(ctx, rows);
    exo_posterior_destroy(&post);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return rc;
}

/* ---- calibrate ------------------------------------------------------- */

/* --format table or markdown: checked before DIR is missed */
static int calibrate_finish(const cli_command *c, const cli_args *a)
{
    if (a->format && strcmp(a->format, "markdown") && strcmp(a->format, "table"))
        return cli_usage_error(c, "calibrate: unknown format '%s' (expected table or markdown)", a->format);
    return -1;
}

/* Each fitted parameter, each study before and after, the objective; the
 * number of studies that fail after the fit. */
static int print_calibration(const exo_calibration_result *r, bool md)
{
    int failed = 0;
    if (md)
        printf("| parameter | unit | default | start | fitted | range |\n|---|---|---|---|---|---|\n");
    else
        printf("%-36s %-12s %10s %10s %10s  %s\n", "parameter", "unit", "default", "start", "fitted", "range");
    for (int i = 0; i < r->n_params; i++) {
        const exo_calibration_param *p = &r->params[i];
        printf(md ? "| `%s` | %s | %.4g | %.4g | %.4g | %g – %g |\n" : "%-36s %-12s %10.4g %10.4g %10.4g  [%g, %g]\n",
               p->key, p->unit, p->default_value, p->initial, p->fitted, p->min, p->max);
    }
    if (r->n_params == 0)
        printf("(no parameter changes any study's prediction: nothing fitted)\n");
    printf(md ? "\n| study | unit | reported | before | after | accepted | pass before | pass after |\n"
                "|---|---|---|---|---|---|---|---|\n"
              : "\n%-40s %-6s %10s %10s %10s %-16s %s\n",
           "study", "unit", "reported", "before", "after", "accepted range", "pass before -> after");
    for (int i = 0; i < r->n_studies; i++) {
        const exo_calibration_study *s = &r->studies[i];
        char range[64];
        snprintf(range, sizeof range, md ? "%g – %g" : "[%g, %g]", s->low, s->high);
        printf(md ? "| %s | %s | %.4g | %.4g | %.4g | %s | %s | %s |\n" : "%-40s %-6s %10.4g %10.4g %10.4g %-16s %s -> %s\n",
               s->id, s->unit, s->reported, s->predicted_before, s->predicted_after, range,
               s->pass_before ? "pass" : "FAIL", s->pass_after ? "pass" : "FAIL");
        failed += !s->pass_after;
    }
    printf("\nobjective %.6g -> %.6g (%d iterations, %d evaluations, %s)\n", r->objective_before, r->objective_after,
           r->iterations, r->evaluations, r->converged ? "converged" : r->n_params ? "iteration limit" : "no fit");
    printf("%d passed, %d failed\n", r->n_studies - failed, failed);
    return failed;
}

/* Progress of the posterior fit (one line per trust-region iteration). */
static void log_stderr(void *user, exo_log_level level, const char *msg)
{
    (void)user, (void)level;
    fprintf(stderr, "%s\n", msg);
}

/* The date of the provenance: $SOURCE_DATE_EPOCH (reproducible builds) or today, UTC. */
static void today(char *buf, size_t size)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long s = e ? strtoll(e, &end, 10) : 0;
    time_t t = e && end && !*end && end != e ? (time_t)s : time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d", &tm))
        snprintf(buf, size, "unknown");
}

/* The posterior's columns of each parameter, what the data constrain and
 * the strongest correlations. */
static void print_posterior(const exo_posterior *p, bool md)
{
    int n = exo_posterior_count(p), n_id = 0;
    printf(md ? "\n| parameter | unit | prior median | posterior median | 5 %% | 95 %% | SD / prior SD | identified |\n"
                "|---|---|---|---|---|---|---|---|\n"
              : "\n%-36s %-12s %10s %10s %10s %10s %8s %s\n",
           "parameter", "unit", "prior", "median", "p05", "p95", "sd ratio", "identified");
    for (int k = 0; k < n; k++) {
        exo_posterior_param q;
        exo_posterior_param_get(p, k, &q);
        printf(md ? "| `%s` | %s | %.4g | %.4g | %.4g | %.4g | %.3f | %s |\n"
                  : "%-36s %-12s %10.4g %10.4g %10.4g %10.4g %8.3f %s\n",
               q.key, q.unit, q.prior_median, q.median, q.p05, q.p95, q.sd / q.prior_sd, q.identified ? "yes" : "no");
        n_id += q.identified;
    }
    printf("\nidentified (posterior SD < 0.5 prior SD): %d of %d parameters; the others stay near their prior\n",
           n_id, n);
    /* the five largest |r| off the diagonal, by selection (n is small) */
    int pi[5], pj[5], found = 0;
    for (int t = 0; t < 5; t++) {
        double best = -1;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double r = fabs(exo_posterior_correlation(p, i, j));
                bool taken = false;
                for (int s = 0; s < found; s++)
                    taken = taken || (pi[s] == i && pj[s] == j);
                if (!taken && r > best) {
                    best = r;
                    pi[found] = i;
                    pj[found] = j;
                }
            }
        if (best < 0)
            break;
        found++;
    }
    printf("strongest correlations (transformed space):%s\n", found ? "" : " none");
    for (int s = 0; s < found; s++)
        printf("  %+.3f  %s ~ %s\n", exo_posterior_correlation(p, pi[s], pj[s]), exo_posterior_key(p, pi[s]),
               exo_posterior_key(p, pj[s]));
}

static int calibrate_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    int iter = a.max_iter ? a.max_iter : a.posterior ? 0 : 200;
    exo_calibration_options opt = {a.keys, a.n_keys, iter, 1e-3, a.has_seed ? a.seed : 0, a.exclude, a.check_draws};
    if (a.check_draws > 0 && !a.posterior) {
        cli_args_free(&a);
        return cli_usage_error(c, "%s", "--check N checks the posterior: it needs --posterior FILE");
    }
    const bool md = a.format && !strcmp(a.format, "markdown");
    exo_ctx *ctx;
    exo_units *u = NULL;
    exo_calibration_result *r = NULL;
    exo_posterior *post = NULL;
    if (exo_ctx_create(0, &ctx) != EXO_OK) {
        cli_args_free(&a);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK && a.posterior) {
        char date[32];
        today(date, sizeof date);
        exo_ctx_set_log(ctx, EXO_LOG_INFO, log_stderr, NULL);
        st = exo_calibrate_posterior(ctx, u, a.file, &opt, date, &r, &post);
        if (st == EXO_OK)
            st = exo_posterior_write(ctx, post, a.posterior);
    } else if (st == EXO_OK) {
        st = exo_calibrate(ctx, u, a.file, &opt, &r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st != EXO_OK) {
        rc = cli_fail(ctx, st);
    } else {
        rc = print_calibration(r, md) ? 1 : 0;
        if (post) {
            print_posterior(post, md);
            double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
            if (r->check_draws > 0)
                printf("\nimportance-sampling check of the Laplace normal: %d draws, effective sample size %.1f "
                       "(%.0f %%); weighted means within %.2f posterior SD of the MAP\n",
                       r->check_draws, r->check_ess, 100 * r->check_ess / r->check_draws, r->check_shift);
            fprintf(stderr, "calibrate: cost %d evaluations of the %d studies in %.1f s (%.2g s each); posterior in %s\n",
                    r->evaluations, r->n_studies, s, s / (r->evaluations ? r->evaluations : 1), a.posterior);
        }
    }
    exo_posterior_destroy(&post);
    exo_calibration_result_destroy(ctx, &r);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    cli_args_free(&a);
    return rc;
}

/* ---- sensitivity ----------------------------------------------------- */

/* On a terminal: one run of the scenario as given, timed, to say what the
 * design costs. */
static exo_status announce_cost(exo_ctx *ctx, exo_units *u, const cli_args *a, const exo_sensitivity_options *opt)
{
    exo_config cfg;
    exo_result *res = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exo_status st = exo_config_load(ctx, u, a->file, a->sets, a->n_sets, &cfg);
    if (st == EXO_OK) {
        st = exo_run(ctx, &cfg, NULL, NULL, &res);
        exo_result_destroy(&res);
        exo_config_fini(ctx, &cfg);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double one = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    int n = exo_sensitivity_n_runs(opt);
    if (st == EXO_OK)
        fprintf(stderr, "sensitivity: %d model runs of about %.2g s each: about %.0f s\n", n, one, n * one);
    return st;
}

static void print_sensitivity(const exo_sensitivity_result *r, const char *dir)
{
    bool morris = r->method == EXO_SENS_MORRIS;
    printf("exoskin %s: sensitivity of the %% change of %s [%s] at the end of the run, arm '%s'\n", EXO_VERSION_STRING,
           r->endpoint, r->unit, r->arm);
    if (morris)
        printf("Morris elementary effects: %d trajectories, %d runs, seed %llu; %% per full range of the parameter\n",
               r->trajectories, r->runs, (unsigned long long)r->seed);
    else
        printf("Sobol indices: N = %d, %d runs, %d bootstrap resamples (seed %llu); 95 %% intervals\n", r->samples,
               r->runs, r->bootstrap, (unsigned long long)r->seed);
    printf("endpoint over the design: mean %.4g %%, SD %.4g %%\n", r->mean, sqrt(r->variance));
    if (morris)
        printf("%4s  %-36s %-6s %10s %10s %10s\n", "rank", "parameter", "scale", "mu*", "mu", "sigma");
    else
        printf("%4s  %-36s %-6s %8s %-20s %8s %-20s\n", "rank", "parameter", "scale", "S1", "(95% CI)", "ST",
               "(95% CI)");
    for (int i = 0; i < r->n_params; i++) {
        const exo_sensitivity_param *p = &r->params[i];
        if (morris)
            printf("%4d  %-36s %-6s %10.4g %10.4g %10.4g\n", i + 1, p->key, p->log_scale ? "log" : "linear",
                   p->mu_star, p->mu, p->sigma);
        else
            printf("%4d  %-36s %-6s %8.3f (%6.3f, %6.3f)     %8.3f (%6.3f, %6.3f)\n", i + 1, p->key,
                   p->log_scale ? "log" : "linear", p->s1, p->s1_lo, p->s1_hi, p->st, p->st_lo, p->st_hi);
    }
    if (dir)
        printf("results in %s/ (report.html, sensitivity.csv, sensitivity.json)\n", dir);
}

static int sensitivity_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    exo_sensitivity_options opt = {a.sobol ? EXO_SENS_SOBOL : EXO_SENS_MORRIS,
                                   a.endpoint, a.arm, a.keys, a.n_keys, a.trajectories, a.samples, 0,
                                   a.has_seed ? a.seed : 1};
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_sensitivity_result *r = NULL;
    rc = 0;
    if (opt.method == EXO_SENS_SOBOL && opt.n_keys == 0) {
        fprintf(stderr, "exoskin: sensitivity: --method sobol needs an explicit --param list (at most %d "
                        "parameters; screen with --method morris first)\n", EXO_SENS_SOBOL_MAX_PARAMS);
        rc = 2;
    } else if (cli_make_ctx(&ctx) != EXO_OK)
        rc = 1;
    if (rc)
        goto out;
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK && a.out) /* before anything is computed */
        st = exo_output_check(ctx, a.out, a.force);
    cli_progress ps = {isatty(STDERR_FILENO), time(NULL), -1};
    if (st == EXO_OK && ps.tty) {
        st = announce_cost(ctx, u, &a, &opt);
        ps.start = time(NULL);
    }
    if (st == EXO_OK)
        st = exo_sensitivity_run(ctx, u, a.file, a.sets, a.n_sets, &opt, cli_progress_bar, &ps, &r);
    if (st == EXO_OK && a.out)
        st = exo_sensitivity_write(ctx, r, a.out, a.force);
    if (st != EXO_OK)
        rc = cli_fail(ctx, st);
    else
        print_sensitivity(r, a.out);
out:
    exo_sensitivity_destroy(ctx, &r);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    cli_args_free(&a);
    return rc;
}

/* ---- the tables ------------------------------------------------------ */

static const cli_option validate_options[] = {
    CLI_OPT_OUTPUT(1, 0, "also write DIR/validation.csv, DIR/validation.json and DIR/report.html\n"
                         "(every row beside its published value; DIR must not exist or be empty)"),
    CLI_OPT_FORCE(2),
    CLI_OPT_SET(3, "override a key in every study, e.g. --set parameters.cargo_half_effect=500"),
    CLI_OPT_LANG(4),
    {.name = "--draws", .kind = CLI_VALUE, .arg = "N", .usage = 5, .take = take_validate_draws,
     .help = "also run each study at draws 0..N of the calibrated posterior (draw 0: its\n"
             "median; each study's seed) for the 90 % predictive interval of its published\n"
             "value (5 % and 95 % quantiles of the N + 1 predictions each widened by the\n"
             "study noise, s x the row's half-width, s in the posterior file) and whether the\n"
             "published value lies inside; default 16 (17 more runs of each study than the\n"
             "plain one); 0: the posterior median only. The verdict stays that of the plain run"},
};

const cli_command cli_validate = {
    .name = "validate",
    .main = validate_main,
    .synopsis = "DIR",
    .summary = "run every study definition in DIR against its published value",
    .args = "DIR",
    .description = "\n"
                   "Runs every study definition DIR/*.yaml (docs/studies.md) and prints id, reported,\n"
                   "predicted, acceptance range and pass; a failure listed in DIR/UNMET is marked as\n"
                   "known, with its reason. Each study is also run at posterior draws (--draws) for\n"
                   "its 90 % prediction interval, printed with whether the published value lies inside,\n"
                   "and the coverage over the rows closes the table (docs/validation.md). With -o, also\n"
                   "writes report.html (every row beside its published value, tolerance and interval),\n"
                   "validation.csv and validation.json. The studies run on OpenMP threads\n"
                   "(OMP_NUM_THREADS); the output is the same at any thread count.\n"
                   "Exit 0 if all pass, 1 otherwise, 2 on bad input.\n",
    .options = validate_options,
    .n_options = CLI_COUNT(validate_options),
    .unknown = "unknown option",
};

static const cli_option calibrate_options[] = {
    {.name = "--param", .kind = CLI_VALUE, .arg = "KEY", .usage = 1, .flags = CLI_REPEAT, .take = take_param,
     .help = "fit this parameter (repeatable; any row of 'exoskin params' with a range);\n"
             "default: every estimate parameter that changes some study's prediction"},
    {.name = "--max-iter", .kind = CLI_VALUE, .arg = "N", .usage = 2, .take = take_max_iter,
     .help = "simplex iterations at most (default 200)"},
    {.name = "--seed", .kind = CLI_VALUE, .arg = "N", .usage = 3, .take = take_seed,
     .help = "orientation of the initial simplex (default 0: the parameter axes)"},
    {.name = "--format", .kind = CLI_VALUE, .arg = "F", .usage_arg = "table|markdown", .usage = 4,
     .field = CLI_FIELD(format), .help = "table (default) or markdown"},
    {.name = "--posterior", .kind = CLI_VALUE, .arg = "FILE", .usage = 5, .field = CLI_FIELD(posterior),
     .help = "estimate the posterior instead (MAP by trust-region least squares, Laplace\n"
             "covariance; docs/calibration.md) and write it to FILE (JSON, the format of\n"
             "data/posterior.json); --max-iter then bounds the iterations (default 20)"},
    {.name = "--exclude", .kind = CLI_VALUE, .arg = "LIST", .usage = 6, .field = CLI_FIELD(exclude),
     .help = "leave out the studies LIST names, one a line (e.g. validation/UNMET)"},
    {.name = "--check", .kind = CLI_VALUE, .arg = "N", .usage = 7, .take = take_check,
     .help = "with --posterior: check the Laplace normal by importance sampling of N draws\n"
             "(each runs every study): effective sample size and mean shift, in the\n"
             "output and the file's provenance"},
};

const cli_command cli_calibrate = {
    .name = "calibrate",
    .main = calibrate_main,
    .synopsis = "DIR",
    .summary = "fit estimate parameters, within their ranges, to the studies in DIR",
    .args = "DIR",
    .description =
        "\n"
        "Fits model parameters, inside their prior ranges, to the published values of the study\n"
        "definitions DIR/*.yaml (Nelder-Mead simplex; objective: sum of ((predicted - reported) /\n"
        "half-width of the accepted range)^2, plus the part of each check outside its range).\n"
        "Prints each fitted parameter (unit, default, start, fitted, range), each study's reported\n"
        "value, prediction before and after and pass, and the objective before and after.\n"
        "The result depends only on the inputs and options (reproducible to the last bit).\n"
        "With --posterior, priors centred at each parameter's prior centre (the literature value)\n"
        "with its range inside their 5-95 % band, and a likelihood from each study's tolerance give\n"
        "the posterior: its median, 5-95 % interval, which parameters the data identify and the\n"
        "strongest correlations are printed too, and the cost and the study noise on stderr.\n"
        "\n",
    .epilogue = "Exit 0 if every study passes after the fit, 1 otherwise, 2 on bad input.\n",
    .options = calibrate_options,
    .n_options = CLI_COUNT(calibrate_options),
    .column = 21,
    .unknown = "unexpected argument",
    .finish = calibrate_finish,
};

static const cli_option sensitivity_options[] = {
    CLI_OPT_OUTPUT(1, 0, "also write DIR/sensitivity.csv, DIR/sensitivity.json and DIR/report.html\n"
                         "(DIR must not exist or be empty)"),
    CLI_OPT_FORCE(2),
    CLI_OPT_SET(3, "override any input key of FILE, e.g. --set skin.age='60 years'"),
    {.name = "--endpoint", .kind = CLI_VALUE, .arg = "READOUT", .usage = 4, .field = CLI_FIELD(endpoint),
     .help = "e.g. dermal_collagen, wrinkle_severity, tewl (default: the file's study\n"
             "endpoint if it is a readout, else dermal_collagen)"},
    {.name = "--arm", .kind = CLI_VALUE, .arg = "NAME", .usage = 5, .field = CLI_FIELD(arm),
     .help = "the arm (default: the first)"},
    {.name = "--method", .kind = CLI_VALUE, .arg = "M", .usage_arg = "morris|sobol", .usage = 6, .take = take_method,
     .help = "morris (default: elementary effects mu, mu*, sigma; R (k+1) runs) or\n"
             "sobol (first-order S1 and total ST indices with bootstrap 95 % intervals;\n"
             "(k+2) N runs; needs --param, at most 20)"},
    {.name = "--trajectories", .kind = CLI_VALUE, .arg = "R", .usage = 7, .take = take_trajectories,
     .help = "Morris trajectories (default 10)"},
    {.name = "--samples", .kind = CLI_VALUE, .arg = "N", .usage = 8, .take = take_samples,
     .help = "Sobol base samples (default 64)"},
    {.name = "--param", .kind = CLI_VALUE, .arg = "KEY", .usage = 9, .flags = CLI_REPEAT, .take = take_param,
     .help = "vary this parameter (repeatable); default: every estimate parameter of\n"
             "'exoskin params' (about 100: ~1000 Morris runs, minutes to an hour)"},
    {.name = "--seed", .kind = CLI_VALUE, .arg = "S", .usage = 10, .take = take_seed,
     .help = "seed of the Morris trajectories and the bootstrap (default 1)"},
    CLI_OPT_LANG(11),
};

const cli_command cli_sensitivity = {
    .name = "sensitivity",
    .main = sensitivity_main,
    .synopsis = "FILE",
    .summary = "rank parameters by their effect on an endpoint (Morris or Sobol indices)",
    .args = "FILE",
    .description =
        "\n"
        "Global sensitivity of one endpoint, the % change from baseline at the end of the run of a\n"
        "readout of one arm, to model parameters varied over their prior ranges (log-uniform when\n"
        "min > 0 and max/min > 10, else uniform); prints the parameters ranked (docs/sensitivity.md).\n"
        "\n",
    .epilogue = "Exit status: 0 done, 1 a run failed, 2 bad input or usage.\n",
    .options = sensitivity_options,
    .n_options = CLI_COUNT(sensitivity_options),
    .unknown = "unexpected argument",
};
