/* cmd_run.c - `exoskin run` (a scenario, in column or tissue mode, serial or
 * split across MPI ranks), `exoskin check` (the scenario validated only) and
 * `exoskin sweep` (the grid of a sweep: block; `run --sweep` is its alias). */
#include "cli.h"
#include "cli_mpi.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --sweep / --vary KEY=V1;V2;... */
static int take_vary(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    if (!v || !strchr(v, '=') || v[0] == '=')
        return cli_usage_error(c, "%s: expected KEY=V1;V2;...", opt);
    if (a->n_vary >= EXO_SWEEP_MAX_VARS)
        return cli_usage_error(c, "%s: too many variables", opt);
    if (!(a->vary[a->n_vary] = strdup(v)))
        return 1;
    a->n_vary++;
    return -1;
}

static int take_harm_weight(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)opt;
    char *end;
    a->harm_weight = strtod(v, &end);
    if (*end || !(a->harm_weight >= 0) || a->harm_weight > 1e6)
        return cli_usage_error(c, "--harm-weight '%s': expected a number from 0 to 1e6", v);
    return -1;
}

/* ---- sweep ----------------------------------------------------------- */

static int take_draws(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)opt;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < 0 || n > 100000)
        return cli_usage_error(c, "--draws needs an integer 0..100000, not '%s'", v);
    a->draws = (int)n;
    a->has_draws = true;
    return -1;
}

/* [1] posterior draws of `exoskin run` without --draws: 8 draws and the
 * plain run keep the default example within a few seconds (2.3 s of CPU
 * serially, docs/calibration.md "Draws"); 0 under mpirun, with --sweep and
 * in tissue mode (a tissue-mode run costs minutes). */
#define RUN_DEFAULT_DRAWS 8

/* The draws of this run: --draws N, else RUN_DEFAULT_DRAWS where bands are
 * drawn by default.  -1 (the message printed) for an explicit --draws under
 * mpirun or with --sweep. */
static int run_draw_count(const cli_args *a, const exo_config *cfg, int size)
{
    if (a->has_draws && (size > 1 || a->n_vary > 0)) {
        fprintf(stderr, "exoskin: --draws runs one scenario serially: not with --sweep nor under mpirun\n");
        return -1;
    }
    if (a->has_draws)
        return a->draws;
    return size > 1 || a->n_vary > 0 || cfg->sim.fidelity == EXO_FIDELITY_TISSUE ? 0 : RUN_DEFAULT_DRAWS;
}

/* The scenario at its defaults and at posterior draws 1..N (N > 0), the
 * bands over the N + 1 runs attached; N = 0: the plain run. */
static exo_status run_draws(exo_ctx *ctx, int draws, const exo_config *cfg, cli_progress *ps, exo_result **res)
{
    if (draws == 0)
        return exo_run(ctx, cfg, cli_progress_bar, ps, res);
    exo_posterior *post = NULL;
    exo_status st = exo_posterior_load(ctx, NULL, &post);
    if (st == EXO_OK)
        st = exo_run_draws(ctx, cfg, post, draws, cli_progress_bar, ps, res);
    exo_posterior_destroy(&post);
    return st;
}

static void print_sweep(const exo_sweep_result *r, const char *dir)
{
    const exo_sweep_cfg *s = &r->sweep;
    printf("exoskin %s: sweep of %d grid points (%d variable%s), %s, seed %llu\n", EXO_VERSION_STRING, r->n_points,
           s->n_vars, s->n_vars == 1 ? "" : "s", r->trial ? "a virtual trial at each point" : "single runs",
           (unsigned long long)r->seed);
    printf("%s change [%%]%s; net benefit = %schange - %g x serious AE risk [%%]\n", exo_quantity_name(s->readout),
           r->trial ? " (mean at the last visit, 95% CI)" : " at the end", s->decrease ? "-" : "", s->harm_weight);
    for (int i = 0; i < r->n_points; i++) {
        const exo_sweep_point *p = &r->points[i];
        printf("  %4d ", i);
        for (int v = 0; v < s->n_vars; v++)
            printf(" %s=%s", s->vars[v].key, s->vars[v].values[exo_sweep_value_index(s, i, v)].text);
        printf("\n");
        for (int a = 0; a < p->n_arms; a++) {
            const exo_sweep_arm *x = &p->arms[a];
            char ci[64] = "";
            if (p->trial) {
                const exo_trial_summary *c = &p->trial->arms[a].change[p->trial->n_visits - 1];
                snprintf(ci, sizeof ci, "(%+.2f, %+.2f)", c->ci_lo, c->ci_hi);
            }
            printf("        %-32.32s %+10.4f %-20s serious AE %9.3g  net benefit %+10.4f\n", x->name, x->change, ci,
                   x->p_serious, x->net_benefit);
        }
    }
    if (r->best_point >= 0) {
        printf("best: point %d,", r->best_point);
        for (int v = 0; v < s->n_vars; v++)
            printf(" %s=%s", s->vars[v].key, s->vars[v].values[exo_sweep_value_index(s, r->best_point, v)].text);
        printf(" (arm '%s', net benefit %+.4f)\n", r->points[r->best_point].arms[s->best_arm].name,
               r->points[r->best_point].arms[s->best_arm].net_benefit);
    }
    printf("results in %s/ (report.html, sweep.csv, summary.json)\n", dir);
}

int cli_run_sweep(exo_ctx *ctx, exo_units *u, cli_args *a, bool alias)
{
    exo_sweep_vary vary[EXO_SWEEP_MAX_VARS];
    const char **values[EXO_SWEEP_MAX_VARS] = {0};
    int rc = 0;
    for (int k = 0; k < a->n_vary; k++) {
        char *eq = strchr(a->vary[k], '=');
        *eq = '\0';
        values[k] = calloc(EXO_SWEEP_MAX_VALUES + 1, sizeof *values[k]);
        if (!values[k]) {
            rc = 1;
            goto out;
        }
        int n = 0;
        for (char *v = strtok(eq + 1, ";"); v && n <= EXO_SWEEP_MAX_VALUES; v = strtok(NULL, ";"))
            values[k][n++] = v;
        vary[k] = (exo_sweep_vary){a->vary[k], values[k], n};
    }
    exo_sweep_options opt = {vary, a->n_vary, alias, alias, a->harm_weight};
    exo_sweep_result *res = NULL;
    cli_progress ps = {isatty(STDERR_FILENO) && !a->quiet, time(NULL), -1};
    exo_status st = exo_sweep_run(ctx, u, a->file, a->sets, a->n_sets, &opt, cli_progress_bar, &ps, &res);
    if (st == EXO_OK)
        st = exo_sweep_write(ctx, res, a->out, a->force);
    if (st != EXO_OK)
        rc = cli_fail(ctx, st);
    else if (!a->quiet)
        print_sweep(res, a->out);
    exo_sweep_destroy(ctx, &res);
out:
    for (int k = 0; k < a->n_vary; k++)
        free(values[k]);
    return rc;
}

static int sweep_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char *yaml = NULL;
    if ((rc = cli_load_input(&a, &ctx, &u, &cfg, &yaml)) < 0)
        rc = cli_run_sweep(ctx, u, &a, false);
    cli_unload(&ctx, &u, &cfg, yaml, &a);
    return rc;
}

/* ---- run / check ----------------------------------------------------- */

/* Under mpirun (size > 1): why this run cannot split across the ranks (the
 * same answer on every rank: the input is the same), or NULL, and the
 * context given the ranks' communicator.  -1 to go on, or the exit status. */
static int split_across_ranks(exo_ctx *ctx, const cli_args *a, const exo_config *cfg, int size)
{
    bool tissue = cfg->sim.fidelity == EXO_FIDELITY_TISSUE;
    const char *why = a->n_vary > 0 ? "--sweep does not run across MPI ranks"
                      : !tissue     ? "only tissue-mode runs (simulation: {fidelity: tissue}) split across MPI "
                                      "ranks; run column mode without mpirun"
                                    : NULL;
    int rows = (int)floor(cfg->sim.tissue.size_y / cfg->sim.tissue.voxel + 1e-9);
    if (!why && rows < size)
        why = "the tissue block has fewer rows of voxels (size_y / voxel) than MPI ranks";
    if (why) {
        fprintf(stderr, "exoskin: %s: %s\n", a->file, why);
        return 2;
    }
    exo_comm comm;
    if (cli_mpi_comm(&comm) != 0 || exo_ctx_set_comm(ctx, &comm) != EXO_OK)
        return cli_fail(ctx, EXO_EINVAL);
    return -1;
}

/* One arm's readouts at the end and its adverse events. */
static void print_arm(const exo_config *cfg, const exo_result *res, int i)
{
    printf("\narm '%s': readouts at week %g (change from baseline)\n", exo_result_arm_name(res, i),
           cfg->sim.duration / EXO_WEEK);
    for (int k = 0; k < exo_readout_count(); k++) {
        double b0, b1;
        exo_result_readout(res, i, k, &b0, &b1);
        char pct[32] = "";
        if (b0 != 0)
            snprintf(pct, sizeof pct, "%+8.2f %%", 100.0 * (b1 - b0) / b0);
        double q[3];
        char band[64] = "";
        if (exo_result_change_band(res, i, k, q))
            snprintf(band, sizeof band, "  5-95 %%: %+.2f to %+.2f %%", q[0], q[2]);
        printf("  %-28s %12.5g -> %12.5g %-22s %+12.4g %s%s\n", exo_readout_name(k), b0, b1, exo_readout_scale(k),
               b1 - b0, pct, band);
    }
    exo_adverse_event ev[32];
    int nev = exo_result_adverse(res, i, ev, 32);
    printf("  adverse events: %s (probability of a serious event %.2g)\n", nev ? "" : "none",
           exo_result_serious_ae(res, i));
    for (int e = 0; e < nev && e < 32; e++) {
        char dur[32];
        if (ev[e].duration < 0)
            snprintf(dur, sizeof dur, "ongoing");
        else
            snprintf(dur, sizeof dur, "%.1f d", ev[e].duration);
        printf("    %-20s %-8s onset day %6.1f, lasts %-9s peak %.3g\n", ev[e].kind, ev[e].serious ? "SERIOUS" : "",
               ev[e].onset, dur, ev[e].peak);
    }
}

static void print_run(const exo_config *cfg, const exo_result *res, const char *dir, int size)
{
    printf("exoskin %s: scenario '%s', seed %llu, %s mode", EXO_VERSION_STRING, cfg->name,
           (unsigned long long)cfg->seed, cfg->sim.fidelity == EXO_FIDELITY_TISSUE ? "tissue" : "column");
    if (size > 1)
        printf(", block split over %d MPI ranks", size);
    printf("\n");
    printf("functional vesicles per cm^2 of skin at %g weeks:\n", cfg->sim.duration / EXO_WEEK);
    printf("  %-32s %12s %18s %12s %10s\n", "arm", "applied", "viable epidermis", "dermis", "dermis %");
    for (int i = 0; i < exo_result_arms(res); i++) {
        exo_arm_delivery d;
        exo_result_delivery(res, i, &d);
        printf("  %-32s %12.4g %18.4g %12.4g %9.3f%%\n", exo_result_arm_name(res, i), d.applied, d.viable_epidermis,
               d.dermis, d.applied > 0 ? 100 * d.dermis / d.applied : 0.0);
    }
    double worst = 0;
    for (int i = 0; i < exo_result_arms(res); i++) {
        exo_arm_delivery d;
        exo_result_delivery(res, i, &d);
        worst = d.balance_error > worst ? d.balance_error : worst;
    }
    printf("('reached' counts vesicles that entered the layer or deeper, whatever became of them)\n");
    if (exo_result_band_runs(res) > 0)
        printf("readouts at the model's default parameters; 5-95 %%: over these and %d draws of the calibrated\n"
               "posterior (parameter uncertainty for one typical patient; between patients: exoskin trial)\n",
               exo_result_band_runs(res) - 1);
    for (int i = 0; i < exo_result_arms(res); i++)
        print_arm(cfg, res, i);
    printf("\n");
    printf("mass ledger closes to %.1e (relative); results in %s/ (report.html, timeseries.csv, profiles.csv, "
           "summary.json)\n",
           worst, dir);
}

/* run (and check): under mpirun (rank of size > 1) a tissue-mode run with
 * the block split across the ranks; rank 0 writes and prints. */
static int load_and(const cli_command *c, int argc, char **argv, int rank, int size)
{
    const bool run = c == &cli_run;
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_result *res = NULL;
    char *yaml = NULL;
    exo_status st;
    if ((rc = cli_load_input_ranks(&a, size, &ctx, &u, &cfg, &yaml)) >= 0)
        goto out;
    rc = 0;
    if (!run)
        goto out;
    if (size > 1 && (rc = split_across_ranks(ctx, &a, &cfg, size)) >= 0)
        goto out;
    rc = 0;
    const int draws = run_draw_count(&a, &cfg, size);
    if (draws < 0) {
        rc = 2;
        goto out;
    }
    if (a.n_vary > 0) {
        rc = cli_run_sweep(ctx, u, &a, true);
        goto out;
    }
    cli_progress ps = {isatty(STDERR_FILENO) && !a.quiet, time(NULL), -1};
    st = run_draws(ctx, draws, &cfg, &ps, &res);
    if (st != EXO_OK) {
        if (size > 1 && rank != 0) /* a failure rank 0 may not share (its slab), rank 0 waiting for this one */
            cli_mpi_unmute();
        rc = cli_fail(ctx, st);
        if (size > 1) /* the other ranks may wait for this one's messages */
            cli_mpi_abort(rc);
        goto out;
    }
    if (rank != 0) /* rank 0 writes and prints */
        goto out;
    if ((st = exo_result_write(ctx, res, yaml, a.out, a.force)) != EXO_OK) {
        rc = cli_fail(ctx, st);
        goto out;
    }
    if (!a.quiet)
        print_run(&cfg, res, a.out, size);
out:
    exo_result_destroy(&res);
    cli_unload(&ctx, &u, &cfg, yaml, &a);
    return rc;
}

static int run_main(const cli_command *c, int argc, char **argv) { return cli_on_ranks(load_and, c, argc, argv); }

/* check is never under mpirun (main refuses it there) */
static int check_main(const cli_command *c, int argc, char **argv) { return load_and(c, argc, argv, 0, 1); }

/* ---- the tables ------------------------------------------------------ */

static const cli_option run_options[] = {
    CLI_OPT_OUTPUT(1, CLI_REQUIRED, "output folder (created; must not exist or be empty)"),
    CLI_OPT_FORCE(5),
    CLI_OPT_SET(2, "override any input key, e.g. --set skin.age='60 years'\n"
                   "or --set arms.1.protocol.0.needle_length='0.5 mm'"),
    CLI_OPT_PRINT_CONFIG(6, "print the effective input as YAML (which can be fed back) and exit"),
    CLI_OPT_QUIET(7, "no summary and no progress bar"),
    {.name = "--sweep", .alias = "--vary", .kind = CLI_VALUE, .arg = "KEY=V1;V2;..", .usage_arg = "KEY=V1;V2;...",
     .usage = 3, .flags = CLI_HIDDEN_ALIAS | CLI_TAKE_MISSING, .take = take_vary,
     .help = "run once per value of KEY (e.g. products.0.concentration='1e9 particles/mL;\n"
             "1e10 particles/mL') and write DIR/sweep.csv and DIR/summary.json: per value\n"
             "and arm, every readout at the end, peak inflammation, serious adverse-event\n"
             "probability and net benefit = collagen change [%] - W x risk [%]; the same\n"
             "as 'exoskin sweep FILE --vary KEY=...' with single runs only (docs/sweeps.md),\n"
             "and DIR/report.html with the dose-response curves"},
    {.name = "--harm-weight", .kind = CLI_VALUE, .arg = "W", .usage = 4, .take = take_harm_weight,
     .help = "weight of the serious adverse-event risk in the net benefit (default 1)"},
    CLI_OPT_LANG(8),
    {.name = "--draws", .kind = CLI_VALUE, .arg = "N", .usage = 9, .take = take_draws,
     .help = "posterior bands (default 8; 0 under mpirun, with --sweep and in tissue\n"
             "mode, where an explicit --draws is refused or costs N tissue runs): run the\n"
             "scenario again at N draws of the calibrated posterior (docs/calibration.md)\n"
             "and add, for every arm, readout and row, the 5th, 50th and 95th percentiles\n"
             "over the N draws and the plain run: 'READOUT p05/p50/p95 [unit]' columns in\n"
             "timeseries.csv, final_p05.. and percent_change_p05.. in summary.json, bands\n"
             "in report.html. They are the uncertainty of the model's parameters for one\n"
             "typical patient, not the spread between patients (exoskin trial). Every\n"
             "other number is the plain run's, at the model's default parameters;\n"
             "--draws 0: that run alone, no bands. Draws run on OMP_NUM_THREADS threads,\n"
             "the same bytes at any count"},
};

const cli_command cli_run = {
    .name = "run",
    .main = run_main,
    .synopsis = "FILE -o DIR",
    .summary = "run a scenario; write timeseries.csv, profiles.csv, summary.json, report.html\n"
               "(tissue mode also fields_xz.csv, tissue_armN.h5 and .xdmf for ParaView)",
    .args = "FILE",
    .description =
        "\n"
        "       mpirun -np N exoskin run FILE -o DIR ...   (tissue mode: the block split across N ranks)\n"
        "\n"
        "Runs every arm of the scenario FILE (YAML, docs/config.md) in column mode, or in tissue\n"
        "mode with simulation: {fidelity: tissue} (docs/tissue.md), and writes\n"
        "DIR/timeseries.csv, DIR/profiles.csv, DIR/summary.json and DIR/report.html (with\n"
        "DIR/figures/*.png; docs/report.md), then prints, per arm, the\n"
        "functional vesicles applied and those that reached the viable epidermis and the dermis.\n"
        "Under mpirun a tissue-mode block is split into slabs of rows, one per rank; rank 0\n"
        "writes the same files, byte for byte, as a serial run (docs/tissue.md, \"MPI\").\n"
        "\n",
    .epilogue = "Bad input: one line 'exoskin: FILE:LINE:COL: KEY: problem (expected ...)', exit 2, nothing written.\n",
    .options = run_options,
    .n_options = CLI_COUNT(run_options),
    .flags = CLI_SCENARIO | CLI_ANY_RANK,
    .unknown = "unknown option",
};

static const cli_option check_options[] = {
    CLI_OPT_SET(1, NULL),
    CLI_OPT_PRINT_CONFIG(2, "print the effective input as YAML"),
};

const cli_command cli_check = {
    .name = "check",
    .main = check_main,
    .synopsis = "FILE",
    .summary = "validate a scenario file only",
    .args = "FILE",
    .description = "\n"
                   "Validates FILE (and the overrides) without running it: exit 0 if valid, 2 with one\n"
                   "line 'exoskin: FILE:LINE:COL: KEY: problem (expected ...)' if not.\n",
    .options = check_options,
    .n_options = CLI_COUNT(check_options),
    .flags = CLI_SCENARIO,
    .unknown = "unknown option",
};

static const cli_option sweep_options[] = {
    CLI_OPT_OUTPUT(1, CLI_REQUIRED, "output folder (created; must not exist or be empty)"),
    {.name = "--vary", .alias = "--sweep", .kind = CLI_VALUE, .arg = "KEY=V1;V2;..", .usage_arg = "KEY=V1;V2;...",
     .usage = 2, .flags = CLI_HIDDEN_ALIAS | CLI_TAKE_MISSING | CLI_REPEAT, .take = take_vary,
     .help = "add a variable (or replace the block's variable of that key), e.g.\n"
             "--vary 'arms.0.protocol.0.amount=0.5 mg/cm^2;1 mg/cm^2'"},
    CLI_OPT_SET(3, "override any input key, e.g. --set trial.patients=6"),
    {.name = "--harm-weight", .kind = CLI_VALUE, .arg = "W", .usage = 4, .take = take_harm_weight,
     .help = "weight of the serious adverse-event risk in the net benefit (default:\n"
             "the block's best.harm_weight, 1)"},
    CLI_OPT_FORCE(5),
    CLI_OPT_PRINT_CONFIG(6, "print the effective input as YAML and exit"),
    CLI_OPT_QUIET(7, "no table and no progress bar"),
    CLI_OPT_LANG(0),
};

const cli_command cli_sweep = {
    .name = "sweep",
    .main = sweep_main,
    .synopsis = "FILE -o DIR",
    .summary = "run the grid of the file's sweep: block (single runs or a trial per point);\n"
               "write sweep.csv, summary.json, report.html",
    .args = "FILE",
    .description =
        "\n"
        "Runs the scenario FILE at every point of the full factorial grid of its sweep: block\n"
        "(docs/sweeps.md): input keys, the same as --set, each with a list of values or a range\n"
        "(from, to, steps; linear or log).  Without a trial: block each point is one run of every\n"
        "arm (every readout at the end, peak inflammation, serious adverse-event probability);\n"
        "with one, each point is the virtual trial (per arm and visit: mean, SD and 95 % CI of the\n"
        "endpoint and its change, responders, serious adverse events).  Writes DIR/sweep.csv (one\n"
        "row per grid point and arm, units in the header), DIR/summary.json (the grid, every\n"
        "point, the best point by net benefit, version, seed and effective input) and DIR/report.html\n"
        "(the response curves against the first variable).  Every point is checked as an input\n"
        "before the first one runs.\n"
        "\n",
    .epilogue = "Exit status: 0 done, 1 a run failed, 2 bad input or usage (nothing written).\n",
    .options = sweep_options,
    .n_options = CLI_COUNT(sweep_options),
    .flags = CLI_SCENARIO,
    .unknown = "unknown option",
};
