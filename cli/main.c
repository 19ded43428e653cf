/* main.c - the exoskin command line: parses arguments, calls libexoskin and
 * turns statuses into messages and exit codes (0 ok, 1 failure, 2 bad input
 * or usage).  All printing happens here; the library never prints. */
#include <exoskin/exoskin.h>

#include "cli_mpi.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SETS 256

static const char *usage_main =
    "usage: exoskin COMMAND [options]\n"
    "\n"
    "Simulates exosome-based facial skin treatments: depth-resolved transport of vesicles\n"
    "and soluble mediators through facial skin (column mode, or a 3D block with follicles,\n"
    "channels and cells as agents with 'simulation: {fidelity: tissue}'), the response of\n"
    "cells and matrix, and the readouts clinicians measure, with adverse events.\n"
    "\n"
    "commands:\n"
    "  run FILE -o DIR     run a scenario; write timeseries.csv, profiles.csv, summary.json, report.html\n"
    "                      (tissue mode also fields_xz.csv, tissue_armN.h5 and .xdmf for ParaView)\n"
    "  check FILE          validate a scenario file only\n"
    "  params              print the parameter table (unit, default, range, source)\n"
    "  verify              check the transport solver against analytic solutions\n"
    "  validate DIR        run every study definition in DIR against its published value\n"
    "  calibrate DIR       fit estimate parameters, within their ranges, to the studies in DIR\n"
    "  trial FILE -o DIR   run a virtual trial (the file's trial: block); write patients.csv, trial.json,\n"
    "                      report.html\n"
    "  sweep FILE -o DIR   run the grid of the file's sweep: block (single runs or a trial per point);\n"
    "                      write sweep.csv, summary.json, report.html\n"
    "  audit FILE [-o DIR] can this label be true? delivered dose per route vs the dose needed; verdict\n"
    "  sensitivity FILE    rank parameters by their effect on an endpoint (Morris or Sobol indices)\n"
    "  optimize FILE       the protocol that does most for one person under constraints (-o DIR)\n"
    "  version             print the version\n"
    "\n"
    "Every command that writes a result folder (-o DIR) also writes DIR/report.html, a self-contained\n"
    "page with a plain-language summary and figures (DIR/figures/*.png); --lang fr writes it in French.\n"
    "Run 'exoskin COMMAND --help' for the options of a command.\n"
    "Exit status: 0 success, 1 failure (verification, validation or run), 2 bad input or usage.\n";

static const char *usage_run =
    "usage: exoskin run FILE -o DIR [--set KEY=VALUE]... [--sweep KEY=V1;V2;...] [--harm-weight W]\n"
    "                   [--force] [--print-config] [--quiet] [--lang en|fr]\n"
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
    "\n"
    "  -o, --output DIR     output folder (created; must not exist or be empty)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key, e.g. --set skin.age='60 years'\n"
    "                       or --set arms.1.protocol.0.needle_length='0.5 mm'\n"
    "  --print-config       print the effective input as YAML (which can be fed back) and exit\n"
    "  --quiet              no summary and no progress bar\n"
    "  --sweep KEY=V1;V2;.. run once per value of KEY (e.g. products.0.concentration='1e9 particles/mL;\n"
    "                       1e10 particles/mL') and write DIR/sweep.csv and DIR/summary.json: per value\n"
    "                       and arm, every readout at the end, peak inflammation, serious adverse-event\n"
    "                       probability and net benefit = collagen change [%] - W x risk [%]; the same\n"
    "                       as 'exoskin sweep FILE --vary KEY=...' with single runs only (docs/sweeps.md),\n"
    "                       and DIR/report.html with the dose-response curves\n"
    "  --harm-weight W      weight of the serious adverse-event risk in the net benefit (default 1)\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Bad input: one line 'exoskin: FILE:LINE:COL: KEY: problem (expected ...)', exit 2, nothing written.\n";

static const char *usage_check =
    "usage: exoskin check FILE [--set KEY=VALUE]... [--print-config]\n"
    "\n"
    "Validates FILE (and the overrides) without running it: exit 0 if valid, 2 with one\n"
    "line 'exoskin: FILE:LINE:COL: KEY: problem (expected ...)' if not.\n"
    "  --print-config       print the effective input as YAML\n";

static const char *usage_params =
    "usage: exoskin params [--format table|csv|json|markdown]\n"
    "\n"
    "Prints every model parameter: input key, unit, default, plausible range, whether it\n"
    "is an estimate (a calibration parameter) and its source. docs/parameters.md is this\n"
    "output in markdown. Parameters are overridden in a scenario's 'parameters:' block.\n";

static const char *usage_verify =
    "usage: exoskin verify\n"
    "\n"
    "Runs the transport verification cases (exponential decay, Gaussian spread, membrane\n"
    "lag time and steady flux for one and two layers, mass conservation) and prints the\n"
    "expected and observed values, errors and observed orders of convergence.\n"
    "Exit 0 if every case passes, 1 otherwise.\n";

static const char *usage_validate =
    "usage: exoskin validate DIR [--set KEY=VALUE]...\n"
    "\n"
    "Runs every study definition DIR/*.yaml (docs/studies.md) and prints id, reported,\n"
    "predicted, acceptance range and pass. Exit 0 if all pass, 1 otherwise, 2 on bad input.\n"
    "  --set KEY=VALUE      override a key in every study, e.g. --set parameters.cargo_half_effect=500\n";

/* The language of report.html (--lang, taken off the arguments by main). */
static const char *report_lang = "en";

/* A context that writes reports in report_lang. */
static exo_status make_ctx(exo_ctx **ctx)
{
    exo_status st = exo_ctx_create(0, ctx);
    return st == EXO_OK ? exo_ctx_set_language(*ctx, report_lang) : st;
}

static int fail(exo_ctx *ctx, exo_status st)
{
    fprintf(stderr, "exoskin: %s\n", ctx && exo_ctx_last_error(ctx)[0] ? exo_ctx_last_error(ctx) : exo_status_str(st));
    return (st == EXO_EINPUT || st == EXO_EUNIT || st == EXO_EIO) ? 2 : 1;
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "exoskin: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static bool is_help(const char *a) { return !strcmp(a, "--help") || !strcmp(a, "-h"); }

/* ---- params ---------------------------------------------------------- */

static void print_csv_field(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int cmd_params(int argc, char **argv)
{
    const char *fmt = "table";
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_params, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strncmp(argv[i], "--format=", 9))
            fmt = argv[i] + 9;
        else
            return usage_error(usage_params, "params: unknown argument '%s'", argv[i]);
    }
    const exo_param_info *t = exo_param_table();
    if (!strcmp(fmt, "csv")) {
        printf("key,unit,default,min,max,estimate,description,source\n");
        for (int i = 0; i < EXO_P_COUNT; i++) {
            printf("%s,%s,%.6g,%.6g,%.6g,%s,", t[i].key, t[i].unit, t[i].value, t[i].min, t[i].max,
                   t[i].estimate ? "yes" : "no");
            print_csv_field(t[i].description);
            putchar(',');
            print_csv_field(t[i].source);
            putchar('\n');
        }
    } else if (!strcmp(fmt, "json")) {
        printf("[\n");
        for (int i = 0; i < EXO_P_COUNT; i++) {
            printf("  {\"key\": \"%s\", \"unit\": \"%s\", \"default\": %.17g, \"min\": %.17g, \"max\": %.17g, "
                   "\"estimate\": %s, \"description\": \"%s\", \"source\": \"%s\"}%s\n",
                   t[i].key, t[i].unit, t[i].value, t[i].min, t[i].max, t[i].estimate ? "true" : "false",
                   t[i].description, t[i].source, i + 1 < EXO_P_COUNT ? "," : "");
        }
        printf("]\n");
    } else if (!strcmp(fmt, "markdown")) {
        printf("# Model parameters\n\n"
               "Generated by `exoskin params --format markdown` from the table in `src/core/params.c`;\n"
               "do not edit by hand. Values are in the unit shown; a scenario overrides them in its\n"
               "`parameters:` block with a unit (`tissue_decay_half_life: 2 d`), within the range.\n"
               "\"Estimate\" marks calibration parameters with a prior range.\n\n"
               "| key | unit | default | range | estimate | description | source |\n"
               "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < EXO_P_COUNT; i++)
            printf("| `%s` | %s | %.6g | %.6g – %.6g | %s | %s | %s |\n", t[i].key, t[i].unit, t[i].value,
                   t[i].min, t[i].max, t[i].estimate ? "yes" : "no", t[i].description, t[i].source);
    } else if (!strcmp(fmt, "table")) {
        printf("%-36s %-14s %11s %11s %11s %-4s %s\n", "key", "unit", "default", "min", "max", "est", "description; source");
        for (int i = 0; i < EXO_P_COUNT; i++)
            printf("%-36s %-14s %11.4g %11.4g %11.4g %-4s %s; %s\n", t[i].key, t[i].unit, t[i].value, t[i].min,
                   t[i].max, t[i].estimate ? "yes" : "no", t[i].description, t[i].source);
    } else
        return usage_error(usage_params, "params: unknown format '%s' (expected table, csv, json or markdown)", fmt);
    return 0;
}

/* ---- verify ---------------------------------------------------------- */

static int cmd_verify(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_verify, stdout);
            return 0;
        }
        return usage_error(usage_verify, "verify: unknown argument '%s'", argv[i]);
    }
    exo_ctx *ctx;
    if (exo_ctx_create(1, &ctx) != EXO_OK)
        return 1;
    exo_verify_case *c;
    int n, failed = 0;
    exo_status st = exo_verify_run(ctx, &c, &n);
    if (st != EXO_OK) {
        int rc = fail(ctx, st);
        exo_ctx_destroy(&ctx);
        return rc;
    }
    printf("%-24s %-5s %14s %14s %11s %11s  %s\n", "case", "unit", "expected", "observed", "error", "tolerance", "result");
    for (int i = 0; i < n; i++) {
        printf("%-24s %-5s %14.6g %14.6g %11.3e %11.3e  %s\n", c[i].name, c[i].unit, c[i].expected, c[i].observed,
               c[i].error, c[i].tolerance, c[i].pass ? "pass" : "FAIL");
        printf("    %s\n", c[i].detail);
        failed += !c[i].pass;
    }
    printf("%d passed, %d failed\n", n - failed, failed);
    exo_free(ctx, c);
    exo_ctx_destroy(&ctx);
    return failed ? 1 : 0;
}

/* ---- check / run ----------------------------------------------------- */

typedef struct {
    const char *file, *out;
    exo_override sets[MAX_SETS];
    char *set_buf[MAX_SETS];
    int n_sets;
    bool force, print_config, quiet;
    char *vary[EXO_SWEEP_MAX_VARS]; /* --vary / --sweep KEY=V1;V2;... (owned) */
    int n_vary;
    double harm_weight; /* [1]; < 0: not given */
} run_args;

/* `--set KEY=VALUE` or `--set=KEY=VALUE` at argv[*i] (advanced past it) into
 * sets[*n] (the key and value in a copy kept in bufs[*n], freed by the
 * caller).  Returns -1 when taken, or the exit status of a usage error. */
static int take_set(int argc, char **argv, int *i, exo_override *sets, char **bufs, int *n, const char *usage)
{
    const char *s = argv[*i];
    const char *kv = s[5] == '=' ? s + 6 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!kv)
        return usage_error(usage, "%s: missing KEY=VALUE", s);
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return usage_error(usage, "--set '%s': expected KEY=VALUE", kv);
    if (*n >= MAX_SETS)
        return usage_error(usage, "%s: too many --set options", s);
    char *key = strdup(kv);
    if (!key)
        return 1;
    key[eq - kv] = '\0';
    bufs[*n] = key;
    sets[*n] = (exo_override){key, key + (eq - kv) + 1};
    ++*n;
    return -1;
}

static bool is_set(const char *s) { return !strcmp(s, "--set") || !strncmp(s, "--set=", 6); }

/* What parse_run_args accepts besides FILE, --set and --print-config. */
enum {
    ARGS_OUT = 1,      /* -o DIR, --force, --quiet */
    ARGS_NEED_OUT = 2, /* -o DIR is required (unless --print-config) */
    ARGS_GRID = 4,     /* --sweep/--vary KEY=V1;V2;..., --harm-weight W */
};

static int parse_run_args(int argc, char **argv, const char *usage, int flags, run_args *a)
{
    const bool want_out = flags & ARGS_OUT, grid = flags & ARGS_GRID;
    memset(a, 0, sizeof *a);
    a->harm_weight = -1.0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (is_help(s)) {
            fputs(usage, stdout);
            return 0;
        } else if (is_set(s)) {
            int rc = take_set(argc, argv, &i, a->sets, a->set_buf, &a->n_sets, usage);
            if (rc >= 0)
                return rc;
        } else if (want_out && (!strcmp(s, "-o") || !strcmp(s, "--output"))) {
            if (i + 1 >= argc)
                return usage_error(usage, "%s: missing DIR", s);
            a->out = argv[++i];
        } else if (want_out && !strcmp(s, "--force"))
            a->force = true;
        else if (grid && (!strcmp(s, "--sweep") || !strcmp(s, "--vary"))) {
            if (i + 1 >= argc || !strchr(argv[i + 1], '=') || argv[i + 1][0] == '=')
                return usage_error(usage, "%s: expected KEY=V1;V2;...", s);
            if (a->n_vary >= EXO_SWEEP_MAX_VARS)
                return usage_error(usage, "%s: too many variables", s);
            a->vary[a->n_vary++] = strdup(argv[++i]);
        } else if (grid && !strcmp(s, "--harm-weight")) {
            char *end;
            if (i + 1 >= argc)
                return usage_error(usage, "%s: missing W", s);
            a->harm_weight = strtod(argv[++i], &end);
            if (*end || !(a->harm_weight >= 0) || a->harm_weight > 1e6)
                return usage_error(usage, "--harm-weight '%s': expected a number from 0 to 1e6", argv[i]);
        }
        else if (!strcmp(s, "--print-config"))
            a->print_config = true;
        else if (want_out && (!strcmp(s, "--quiet") || !strcmp(s, "-q")))
            a->quiet = true;
        else if (s[0] == '-' && s[1] != '\0')
            return usage_error(usage, "unknown option '%s'", s);
        else if (!a->file)
            a->file = s;
        else
            return usage_error(usage, "unexpected argument '%s'", s);
    }
    if (!a->file)
        return usage_error(usage, "%s", "missing FILE");
    if ((flags & ARGS_NEED_OUT) && !a->out && !a->print_config)
        return usage_error(usage, "%s", "missing -o DIR");
    return -1; /* go on */
}

static void free_run_args(run_args *a)
{
    for (int i = 0; i < a->n_vary; i++)
        free(a->vary[i]);
    for (int i = 0; i < a->n_sets; i++)
        free(a->set_buf[i]);
}

typedef struct {
    bool tty;
    time_t start;
    int last;
} progress_state;

static void progress_bar(void *user, double f)
{
    progress_state *p = user;
    if (!p->tty)
        return;
    int pct = (int)(100 * f);
    if (pct == p->last)
        return;
    p->last = pct;
    double el = difftime(time(NULL), p->start);
    double eta = f > 0.01 ? el * (1 - f) / f : 0;
    int w = 40, fill = (int)(w * f);
    fprintf(stderr, "\r[%.*s%*s] %3d%%  ETA %4.0f s", fill, "========================================", w - fill, "", pct, eta);
    if (f >= 1.0)
        fprintf(stderr, "\r%*s\r", 70, "");
    fflush(stderr);
}

/* Makes the context and units, loads FILE with the overrides and its effective
 * YAML, and prints that YAML for --print-config.  Returns -1 to go on, or the
 * exit code (0 after --print-config); the caller frees whatever was set. */
static int load_input(const char *file, const exo_override *sets, int n_sets, bool print_config, exo_ctx **ctx,
                      exo_units **u, exo_config *cfg, char **yaml)
{
    exo_status st;
    if (make_ctx(ctx) != EXO_OK)
        return 1;
    if ((st = exo_units_create(*ctx, u)) != EXO_OK || (st = exo_config_load(*ctx, *u, file, sets, n_sets, cfg)) != EXO_OK ||
        (st = exo_config_to_yaml(*ctx, cfg, yaml)) != EXO_OK)
        return fail(*ctx, st);
    if (print_config) {
        fputs(*yaml, stdout);
        return 0;
    }
    return -1;
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

/* `sweep FILE` and its alias `run FILE --sweep KEY=...` (single runs of the
 * --sweep variables only). */
static int run_sweep(exo_ctx *ctx, exo_units *u, run_args *a, bool alias)
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
    progress_state ps = {isatty(STDERR_FILENO) && !a->quiet, time(NULL), -1};
    exo_status st = exo_sweep_run(ctx, u, a->file, a->sets, a->n_sets, &opt, progress_bar, &ps, &res);
    if (st == EXO_OK)
        st = exo_sweep_write(ctx, res, a->out, a->force);
    if (st != EXO_OK)
        rc = fail(ctx, st);
    else if (!a->quiet)
        print_sweep(res, a->out);
    exo_sweep_destroy(ctx, &res);
out:
    for (int k = 0; k < a->n_vary; k++)
        free(values[k]);
    return rc;
}

/* load_input of a's file on every one of `size` ranks: the largest exit
 * code of all of them (every rank stops if one cannot load), with a line on
 * a rank that loaded when another did not. */
static int load_input_ranks(const run_args *a, int size, exo_ctx **ctx, exo_units **u, exo_config *cfg, char **yaml)
{
    int own = load_input(a->file, a->sets, a->n_sets, a->print_config, ctx, u, cfg, yaml);
    int rc = size > 1 ? cli_mpi_max(own) : own;
    if (rc >= 0 && own < 0)
        fprintf(stderr, "exoskin: %s: another MPI rank could not load the input\n", a->file);
    return rc;
}

/* run (and check): under mpirun (rank of size > 1) a tissue-mode run with
 * the block split across the ranks; rank 0 writes and prints. */
static int load_and(int argc, char **argv, bool run, int rank, int size)
{
    run_args a;
    int rc = parse_run_args(argc, argv, run ? usage_run : usage_check, run ? ARGS_OUT | ARGS_NEED_OUT | ARGS_GRID : 0, &a);
    if (rc >= 0) {
        free_run_args(&a);
        return rc;
    }
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_result *res = NULL;
    char *yaml = NULL;
    exo_status st;
    if ((rc = load_input_ranks(&a, size, &ctx, &u, &cfg, &yaml)) >= 0)
        goto out;
    rc = 0;
    if (!run) {
        goto out;
    }
    bool tissue = cfg.sim.fidelity == EXO_FIDELITY_TISSUE;
    if (size > 1) { /* the same answer on every rank: the input is the same */
        const char *why = a.n_vary > 0 ? "--sweep does not run across MPI ranks"
                          : !tissue    ? "only tissue-mode runs (simulation: {fidelity: tissue}) split across MPI "
                                         "ranks; run column mode without mpirun"
                                       : NULL;
        int rows = (int)floor(cfg.sim.tissue.size_y / cfg.sim.tissue.voxel + 1e-9);
        if (!why && rows < size)
            why = "the tissue block has fewer rows of voxels (size_y / voxel) than MPI ranks";
        if (why) {
            fprintf(stderr, "exoskin: %s: %s\n", a.file, why);
            rc = 2;
            goto out;
        }
        exo_comm comm;
        if (cli_mpi_comm(&comm) != 0 || exo_ctx_set_comm(ctx, &comm) != EXO_OK) {
            rc = fail(ctx, EXO_EINVAL);
            goto out;
        }
    }
    if (a.n_vary > 0) {
        rc = run_sweep(ctx, u, &a, true);
        goto out;
    }
    progress_state ps = {isatty(STDERR_FILENO) && !a.quiet, time(NULL), -1};
    if ((st = exo_run(ctx, &cfg, progress_bar, &ps, &res)) != EXO_OK) {
        if (size > 1 && rank != 0) /* a failure rank 0 may not share (its slab), rank 0 waiting for this one */
            cli_mpi_unmute();
        rc = fail(ctx, st);
        if (size > 1) /* the other ranks may wait for this one's messages */
            cli_mpi_abort(rc);
        goto out;
    }
    if (rank != 0) /* rank 0 writes and prints */
        goto out;
    if ((st = exo_result_write(ctx, res, yaml, a.out, a.force)) != EXO_OK) {
        rc = fail(ctx, st);
        goto out;
    }
    if (!a.quiet) {
        printf("exoskin %s: scenario '%s', seed %llu, %s mode", EXO_VERSION_STRING, cfg.name,
               (unsigned long long)cfg.seed, tissue ? "tissue" : "column");
        if (size > 1)
            printf(", block split over %d MPI ranks", size);
        printf("\n");
        printf("functional vesicles per cm^2 of skin at %g weeks:\n", cfg.sim.duration / EXO_WEEK);
        printf("  %-32s %12s %18s %12s %10s\n", "arm", "applied", "viable epidermis", "dermis", "dermis %");
        for (int i = 0; i < exo_result_arms(res); i++) {
            exo_arm_delivery d;
            exo_result_delivery(res, i, &d);
            printf("  %-32s %12.4g %18.4g %12.4g %9.3f%%\n", exo_result_arm_name(res, i), d.applied,
                   d.viable_epidermis, d.dermis, d.applied > 0 ? 100 * d.dermis / d.applied : 0.0);
        }
        double worst = 0;
        for (int i = 0; i < exo_result_arms(res); i++) {
            exo_arm_delivery d;
            exo_result_delivery(res, i, &d);
            worst = d.balance_error > worst ? d.balance_error : worst;
        }
        printf("('reached' counts vesicles that entered the layer or deeper, whatever became of them)\n");
        for (int i = 0; i < exo_result_arms(res); i++) {
            printf("\narm '%s': readouts at week %g (change from baseline)\n", exo_result_arm_name(res, i),
                   cfg.sim.duration / EXO_WEEK);
            for (int k = 0; k < exo_readout_count(); k++) {
                double b0, b1;
                exo_result_readout(res, i, k, &b0, &b1);
                char pct[32] = "";
                if (b0 != 0)
                    snprintf(pct, sizeof pct, "%+8.2f %%", 100.0 * (b1 - b0) / b0);
                printf("  %-28s %12.5g -> %12.5g %-22s %+12.4g %s\n", exo_readout_name(k), b0, b1, exo_readout_unit(k),
                       b1 - b0, pct);
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
                printf("    %-20s %-8s onset day %6.1f, lasts %-9s peak %.3g\n", ev[e].kind,
                       ev[e].serious ? "SERIOUS" : "", ev[e].onset, dur, ev[e].peak);
            }
        }
        printf("\n");
        printf("mass ledger closes to %.1e (relative); results in %s/ (report.html, timeseries.csv, profiles.csv, "
               "summary.json)\n",
               worst, a.out);
    }
out:
    if (yaml)
        exo_free(ctx, yaml);
    exo_result_destroy(&res);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free_run_args(&a);
    return rc;
}

/* A command that may run across MPI ranks: fn(argc, argv, flag, rank,
 * size), with MPI started only under mpirun with several ranks and one exit
 * status for all of them. */
typedef int (*ranked_fn)(int argc, char **argv, bool flag, int rank, int size);
static int on_ranks(ranked_fn fn, int argc, char **argv, bool flag)
{
    int rank = 0, size = cli_mpi_env(&rank);
    if (size == 1)
        return fn(argc, argv, flag, 0, 1);
    if (cli_mpi_start(&rank, &size) != 0)
        return 1;
    int rc = cli_mpi_max(fn(argc, argv, flag, rank, size));
    cli_mpi_stop();
    return rc;
}

static int cmd_load_and(int argc, char **argv, bool run) { return on_ranks(load_and, argc, argv, run); }

/* ---- sweep ----------------------------------------------------------- */

static const char *usage_sweep =
    "usage: exoskin sweep FILE -o DIR [--vary KEY=V1;V2;...]... [--set KEY=VALUE]... [--harm-weight W]\n"
    "                     [--force] [--print-config] [--quiet]\n"
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
    "\n"
    "  -o, --output DIR     output folder (created; must not exist or be empty)\n"
    "  --vary KEY=V1;V2;..  add a variable (or replace the block's variable of that key), e.g.\n"
    "                       --vary 'arms.0.protocol.0.amount=0.5 mg/cm^2;1 mg/cm^2'\n"
    "  --set KEY=VALUE      override any input key, e.g. --set trial.patients=6\n"
    "  --harm-weight W      weight of the serious adverse-event risk in the net benefit (default:\n"
    "                       the block's best.harm_weight, 1)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --print-config       print the effective input as YAML and exit\n"
    "  --quiet              no table and no progress bar\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Exit status: 0 done, 1 a run failed, 2 bad input or usage (nothing written).\n";

static int cmd_sweep(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, usage_sweep, ARGS_OUT | ARGS_NEED_OUT | ARGS_GRID, &a);
    if (rc >= 0) {
        free_run_args(&a);
        return rc;
    }
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char *yaml = NULL;
    if ((rc = load_input(a.file, a.sets, a.n_sets, a.print_config, &ctx, &u, &cfg, &yaml)) < 0)
        rc = run_sweep(ctx, u, &a, false);
    if (yaml)
        exo_free(ctx, yaml);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free_run_args(&a);
    return rc;
}

/* ---- validate -------------------------------------------------------- */

static int cmd_validate(int argc, char **argv)
{
    const char *dir = NULL;
    exo_override sets[MAX_SETS];
    char *keys[MAX_SETS];
    int n_sets = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_validate, stdout);
            return 0;
        } else if (is_set(argv[i])) {
            int rc = take_set(argc, argv, &i, sets, keys, &n_sets, usage_validate);
            if (rc >= 0) {
                for (int k = 0; k < n_sets; k++)
                    free(keys[k]);
                return rc;
            }
        } else if (argv[i][0] == '-')
            return usage_error(usage_validate, "validate: unknown option '%s'", argv[i]);
        else if (!dir)
            dir = argv[i];
        else
            return usage_error(usage_validate, "validate: unexpected argument '%s'", argv[i]);
    }
    if (!dir)
        return usage_error(usage_validate, "%s", "validate: missing DIR");
    exo_ctx *ctx;
    exo_units *u = NULL;
    if (exo_ctx_create(0, &ctx) != EXO_OK)
        return 1;
    exo_validation_row *rows = NULL;
    int n = 0, failed = 0, rc = 0;
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK)
        st = exo_validate_dir_with(ctx, u, dir, sets, n_sets, &rows, &n);
    if (st != EXO_OK) {
        rc = fail(ctx, st);
        goto out;
    }
    printf("%-40s %-10s %10s %10s %-20s %-6s %s\n", "id", "level", "reported", "predicted", "accepted range", "pass", "unit");
    for (int i = 0; i < n; i++) {
        char range[64];
        snprintf(range, sizeof range, "[%g, %g]", rows[i].low, rows[i].high);
        printf("%-40s %-10s %10.4g %10.4g %-20s %-6s %s\n", rows[i].id, rows[i].level, rows[i].reported,
               rows[i].predicted, range, rows[i].pass ? "pass" : "FAIL", rows[i].unit);
        if (rows[i].note[0])
            printf("    %s\n", rows[i].note);
        failed += !rows[i].pass;
    }
    printf("%d passed, %d failed\n", n - failed, failed);
    rc = failed ? 1 : 0;
out:
    for (int i = 0; i < n_sets; i++)
        free(keys[i]);
    exo_free(ctx, rows);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return rc;
}

/* ---- calibrate ------------------------------------------------------- */

static const char *usage_calibrate =
    "usage: exoskin calibrate DIR [--param KEY]... [--max-iter N] [--seed N] [--format table|markdown]\n"
    "\n"
    "Fits model parameters, inside their prior ranges, to the published values of the study\n"
    "definitions DIR/*.yaml (Nelder-Mead simplex; objective: sum of ((predicted - reported) /\n"
    "half-width of the accepted range)^2, plus the part of each check outside its range).\n"
    "Prints each fitted parameter (unit, default, start, fitted, range), each study's reported\n"
    "value, prediction before and after and pass, and the objective before and after.\n"
    "The result depends only on the inputs and options (reproducible to the last bit).\n"
    "\n"
    "  --param KEY        fit this parameter (repeatable; any row of 'exoskin params' with a range);\n"
    "                     default: every estimate parameter that changes some study's prediction\n"
    "  --max-iter N       simplex iterations at most (default 200)\n"
    "  --seed N           orientation of the initial simplex (default 0: the parameter axes)\n"
    "  --format F         table (default) or markdown\n"
    "Exit 0 if every study passes after the fit, 1 otherwise, 2 on bad input.\n";

static int cmd_calibrate(int argc, char **argv)
{
    const char *dir = NULL, *fmt = "table";
    exo_calibration_options opt = {NULL, 0, 200, 1e-3, 0};
    const char **keys = calloc((size_t)(argc > 0 ? argc : 1), sizeof *keys);
    if (!keys)
        return 1;
    opt.keys = keys;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (is_help(a)) {
            fputs(usage_calibrate, stdout);
            free(keys);
            return 0;
        } else if (!strcmp(a, "--param") && i + 1 < argc) {
            keys[opt.n_keys++] = argv[++i];
        } else if (!strcmp(a, "--max-iter") && i + 1 < argc) {
            errno = 0;
            long v = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || v < 1 || v > 1000000) {
                free(keys);
                return usage_error(usage_calibrate, "calibrate: --max-iter needs an integer 1..1000000, not '%s'",
                                   argv[i]);
            }
            opt.max_iter = (int)v;
        } else if (!strcmp(a, "--seed") && i + 1 < argc) {
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || argv[i][0] == '-') {
                free(keys);
                return usage_error(usage_calibrate, "calibrate: --seed needs a non-negative integer, not '%s'", argv[i]);
            }
            opt.seed = (uint64_t)v;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            fmt = argv[++i];
        } else if (a[0] == '-' || dir) {
            free(keys);
            return usage_error(usage_calibrate, "calibrate: unexpected argument '%s'", a);
        } else
            dir = a;
    }
    bool md = !strcmp(fmt, "markdown");
    if (!md && strcmp(fmt, "table")) {
        free(keys);
        return usage_error(usage_calibrate, "calibrate: unknown format '%s' (expected table or markdown)", fmt);
    }
    if (!dir) {
        free(keys);
        return usage_error(usage_calibrate, "%s", "calibrate: missing DIR");
    }
    exo_ctx *ctx;
    exo_units *u = NULL;
    exo_calibration_result *r = NULL;
    int rc = 0, failed = 0;
    if (exo_ctx_create(0, &ctx) != EXO_OK) {
        free(keys);
        return 1;
    }
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK)
        st = exo_calibrate(ctx, u, dir, &opt, &r);
    if (st != EXO_OK) {
        rc = fail(ctx, st);
        goto out;
    }
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
    rc = failed ? 1 : 0;
out:
    exo_calibration_result_destroy(ctx, &r);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free(keys);
    return rc;
}

/* ---- trial ----------------------------------------------------------- */

static const char *usage_trial =
    "usage: exoskin trial FILE -o DIR [--set KEY=VALUE]... [--resume] [--force] [--quiet] [--lang en|fr]\n"
    "\n"
    "Runs the virtual trial of the scenario FILE (its trial: block, docs/trials.md): every\n"
    "virtual patient in its arm(s), the endpoint at each visit, per-arm statistics, the\n"
    "primary comparison (paired or Welch t-test, Cohen's d, patients for 80 % power) and\n"
    "serious adverse events.  Writes DIR/patients.csv, DIR/trial.json and DIR/report.html\n"
    "(endpoint time courses with 95 % CI bands, comparison, responders, adverse events).  Completed\n"
    "patients are recorded in the checkpoint DIR.checkpoint, removed once DIR is written.\n"
    "\n"
    "  -o, --output DIR     output folder (created; must not exist or be empty)\n"
    "  --resume             continue an interrupted trial from DIR.checkpoint (same FILE and\n"
    "                       --set options; the outputs are the same bytes as an uninterrupted run)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key, e.g. --set trial.patients=50\n"
    "  --print-config       print the effective input as YAML and exit\n"
    "  --quiet              no table and no progress bar\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Under 'mpirun -np N' the patients are split across N ranks and rank 0 writes the same\n"
    "bytes as a serial run (no checkpoint; --resume refused; docs/trials.md, section MPI).\n"
    "Exit status: 0 done, 1 a run failed, 2 bad input (nothing written).\n";

static void print_trial(const exo_trial_result *r, const char *dir)
{
    const exo_config *cfg = r->cfg;
    const exo_trial_cfg *t = &cfg->trial;
    int k = (int)t->endpoint - EXO_Q_READOUT_FIRST;
    printf("exoskin %s: trial '%s', %s design, seed %llu, %d patient-arm runs\n", EXO_VERSION_STRING, cfg->name,
           exo_trial_design_name(t->design), (unsigned long long)cfg->seed, r->n_patients);
    printf("endpoint %s [%s]; responder: change %s %g %%\n", exo_quantity_name(t->endpoint), exo_readout_unit(k),
           t->responder_threshold < 0 ? "<=" : ">=", t->responder_threshold);
    printf("  %-28s %8s %4s %12s %10s %-22s %10s\n", "arm", "week", "n", "mean", "SD", "change % (95% CI)",
           "responders");
    for (int a = 0; a < r->n_arms; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        printf("  %-28.28s %8s %4d %12.5g %10.3g\n", arm->name, "baseline", arm->baseline.n, arm->baseline.mean,
               arm->baseline.sd);
        for (int v = 0; v < r->n_visits; v++) {
            char ci[64];
            snprintf(ci, sizeof ci, "%+.2f (%+.2f, %+.2f)", arm->change[v].mean, arm->change[v].ci_lo,
                     arm->change[v].ci_hi);
            printf("  %-28s %8.4g %4d %12.5g %10.3g %-22s %9.1f%%\n", "", t->visits[v] / EXO_WEEK, arm->value[v].n,
                   arm->value[v].mean, arm->value[v].sd, ci, 100 * arm->responder_rate[v]);
        }
        printf("  %-28s serious adverse events: %d patients, mean probability %.2g\n", "", arm->n_serious,
               arm->mean_p_serious);
    }
    const exo_trial_comparison *c = &r->primary;
    if (c->present)
        printf("%s (%s): %+.4g (95%% CI %+.4g to %+.4g), t = %.4g, df = %.4g, p = %.4g, d%s = %.3g;\n"
               "  %d %s for 80%% power at two-sided alpha 0.05\n",
               c->paired ? "paired t-test" : "Welch t-test", c->what, c->test.mean_diff, c->test.ci_lo,
               c->test.ci_hi, c->test.t, c->test.df, c->test.p, c->paired ? "_z" : "", c->test.d, c->sample_size,
               c->paired ? "pairs" : "patients per arm");
    else
        printf("no primary comparison (needs 2 arms for a parallel design, and spread in the data)\n");
    printf("results in %s/ (report.html, patients.csv, trial.json)\n", dir);
}

/* rank, size: this process's MPI rank and the number of ranks (size 1: serial). */
static int trial_main(int argc, char **argv, bool unused, int rank, int size)
{
    (void)unused;
    run_args a;
    bool resume = false;
    char ckpt[4200];
    char **args = malloc(((size_t)argc + 1) * sizeof *args);
    int nargs = 0;
    if (!args)
        return 1;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--resume"))
            resume = true;
        else
            args[nargs++] = argv[i];
    }
    int rc = parse_run_args(nargs, args, usage_trial, ARGS_OUT | ARGS_NEED_OUT, &a);
    free(args);
    if (rc >= 0 || a.n_vary > 0 || a.harm_weight >= 0) {
        free_run_args(&a);
        return rc >= 0 ? rc : usage_error(usage_trial, "%s", "trial: --sweep and --harm-weight are not trial options");
    }
    if (a.out) { /* DIR.checkpoint, beside DIR */
        size_t len = strlen(a.out);
        while (len > 1 && a.out[len - 1] == '/')
            len--;
        snprintf(ckpt, sizeof ckpt, "%.*s.checkpoint", (int)(len < 4000 ? len : 4000), a.out);
    }
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_trial_result *res = NULL;
    char *yaml = NULL;
    exo_status st;
    if (size > 1 && resume) {
        fprintf(stderr, "exoskin: trial: --resume is not supported across MPI ranks (resume serially, without "
                        "mpirun)\n");
        rc = 2;
        goto out;
    }
    if ((rc = load_input_ranks(&a, size, &ctx, &u, &cfg, &yaml)) >= 0)
        goto out;
    rc = 0;
    if (!cfg.trial.present) {
        fprintf(stderr, "exoskin: %s: no trial: block (expected one; see docs/trials.md)\n", a.file);
        rc = 2;
        goto out;
    }
    char probe[4300]; /* refuse an earlier result before the run, not after it */
    snprintf(probe, sizeof probe, "%s/trial.json", a.out);
    if (!a.force && access(probe, F_OK) == 0 && rank == 0) {
        fprintf(stderr, "exoskin: %s: output folder is not empty (use --force to replace an earlier result)\n", a.out);
        rc = 2;
    }
    if ((size > 1 ? cli_mpi_bcast(rc) : rc) != 0) {
        rc = 2;
        goto out;
    }
    progress_state ps = {isatty(STDERR_FILENO) && !a.quiet, time(NULL), -1};
    /* across MPI ranks: no checkpoint; rank 0 gets the whole result and writes it */
    st = size > 1 ? cli_mpi_trial(ctx, u, &cfg, progress_bar, &ps, &res)
                  : exo_trial_run_checkpointed(ctx, u, &cfg, ckpt, resume, progress_bar, &ps, &res);
    if (st != EXO_OK) {
        rc = st == EXO_EINPUT ? 2 : 1;
        fprintf(stderr, "exoskin: %s\n", exo_ctx_last_error(ctx)[0] ? exo_ctx_last_error(ctx) : exo_status_str(st));
        goto out;
    }
    if (rank != 0) /* rank 0 writes and prints */
        goto out;
    if ((st = exo_trial_write(ctx, res, yaml, a.out, a.force)) != EXO_OK) {
        rc = fail(ctx, st);
        if (size == 1)
            fprintf(stderr, "exoskin: the completed patients are kept in %s: run again with --resume to write them\n",
                    ckpt);
        goto out;
    }
    if (size == 1)
        remove(ckpt); /* the outputs are in place: the checkpoint has served */
    if (!a.quiet)
        print_trial(res, a.out);
out:
    if (yaml)
        exo_free(ctx, yaml);
    exo_trial_destroy(ctx, &res);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free_run_args(&a);
    return rc;
}

/* cli_mpi.h: from the launcher's environment, no MPI call */
int cli_mpi_env(int *rank)
{
    const char *s = getenv("OMPI_COMM_WORLD_SIZE"), *r = getenv("OMPI_COMM_WORLD_RANK");
    if (!s) {
        s = getenv("PMI_SIZE");
        r = getenv("PMI_RANK");
    }
    int size = s ? atoi(s) : 1;
    *rank = r ? atoi(r) : 0;
    return size > 1 ? size : 1;
}

/* Under mpirun with several ranks (docs/trials.md, "MPI"): MPI_Init, the
 * patients split across ranks, one exit status for all. */
static int cmd_trial(int argc, char **argv) { return on_ranks(trial_main, argc, argv, false); }

/* ---- sensitivity ----------------------------------------------------- */

static const char *usage_sensitivity =
    "usage: exoskin sensitivity FILE [-o DIR] [--force] [--set KEY=VALUE]... [--endpoint READOUT]\n"
    "                           [--arm NAME] [--method morris|sobol] [--trajectories R] [--samples N]\n"
    "                           [--param KEY]... [--seed S] [--lang en|fr]\n"
    "\n"
    "Global sensitivity of one endpoint, the % change from baseline at the end of the run of a\n"
    "readout of one arm, to model parameters varied over their prior ranges (log-uniform when\n"
    "min > 0 and max/min > 10, else uniform); prints the parameters ranked (docs/sensitivity.md).\n"
    "\n"
    "  -o, --output DIR     also write DIR/sensitivity.csv, DIR/sensitivity.json and DIR/report.html\n"
    "                       (DIR must not exist or be empty)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key of FILE, e.g. --set skin.age='60 years'\n"
    "  --endpoint READOUT   e.g. dermal_collagen, wrinkle_severity, tewl (default: the file's study\n"
    "                       endpoint if it is a readout, else dermal_collagen)\n"
    "  --arm NAME           the arm (default: the first)\n"
    "  --method M           morris (default: elementary effects mu, mu*, sigma; R (k+1) runs) or\n"
    "                       sobol (first-order S1 and total ST indices with bootstrap 95 % intervals;\n"
    "                       (k+2) N runs; needs --param, at most 20)\n"
    "  --trajectories R     Morris trajectories (default 10)\n"
    "  --samples N          Sobol base samples (default 64)\n"
    "  --param KEY          vary this parameter (repeatable); default: every estimate parameter of\n"
    "                       'exoskin params' (about 100: ~1000 Morris runs, minutes to an hour)\n"
    "  --seed S             seed of the Morris trajectories and the bootstrap (default 1)\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Exit status: 0 done, 1 a run failed, 2 bad input or usage.\n";

static int sensitivity_number(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || *end || end == s || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

static int cmd_sensitivity(int argc, char **argv)
{
    const char *file = NULL, *dir = NULL;
    bool force = false;
    exo_sensitivity_options opt = {EXO_SENS_MORRIS, NULL, NULL, NULL, 0, 0, 0, 0, 1};
    const char **keys = calloc((size_t)(argc > 0 ? argc : 1), sizeof *keys);
    exo_override sets[MAX_SETS];
    char *set_buf[MAX_SETS];
    int n_sets = 0, rc = 2;
    if (!keys)
        return 1;
    opt.keys = keys;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        long v;
        if (is_help(a)) {
            fputs(usage_sensitivity, stdout);
            rc = 0;
            goto out;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(a, "--force")) {
            force = true;
        } else if (is_set(a)) {
            if ((rc = take_set(argc, argv, &i, sets, set_buf, &n_sets, usage_sensitivity)) >= 0)
                goto out;
            rc = 2;
        } else if (!strcmp(a, "--endpoint") && i + 1 < argc) {
            opt.endpoint = argv[++i];
        } else if (!strcmp(a, "--arm") && i + 1 < argc) {
            opt.arm = argv[++i];
        } else if (!strcmp(a, "--param") && i + 1 < argc) {
            keys[opt.n_keys++] = argv[++i];
        } else if (!strcmp(a, "--method") && i + 1 < argc) {
            const char *m = argv[++i];
            if (strcmp(m, "morris") && strcmp(m, "sobol")) {
                rc = usage_error(usage_sensitivity, "sensitivity: unknown method '%s' (expected morris or sobol)", m);
                goto out;
            }
            opt.method = strcmp(m, "sobol") ? EXO_SENS_MORRIS : EXO_SENS_SOBOL;
        } else if (!strcmp(a, "--trajectories") && i + 1 < argc) {
            if (sensitivity_number(argv[++i], 1, 100000, &v)) {
                rc = usage_error(usage_sensitivity, "sensitivity: --trajectories needs an integer 1..100000, not '%s'",
                                 argv[i]);
                goto out;
            }
            opt.trajectories = (int)v;
        } else if (!strcmp(a, "--samples") && i + 1 < argc) {
            if (sensitivity_number(argv[++i], 2, 1000000, &v)) {
                rc = usage_error(usage_sensitivity, "sensitivity: --samples needs an integer 2..1000000, not '%s'",
                                 argv[i]);
                goto out;
            }
            opt.samples = (int)v;
        } else if (!strcmp(a, "--seed") && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || argv[i][0] == '-') {
                rc = usage_error(usage_sensitivity, "sensitivity: --seed needs a non-negative integer, not '%s'",
                                 argv[i]);
                goto out;
            }
            opt.seed = (uint64_t)s;
        } else if (a[0] == '-' || file) {
            rc = usage_error(usage_sensitivity, "sensitivity: unexpected argument '%s'", a);
            goto out;
        } else
            file = a;
    }
    if (!file) {
        rc = usage_error(usage_sensitivity, "%s", "sensitivity: missing FILE");
        goto out;
    }
    if (opt.method == EXO_SENS_SOBOL && opt.n_keys == 0) {
        fprintf(stderr, "exoskin: sensitivity: --method sobol needs an explicit --param list (at most %d "
                        "parameters; screen with --method morris first)\n", EXO_SENS_SOBOL_MAX_PARAMS);
        goto out;
    }
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_sensitivity_result *r = NULL;
    rc = 0;
    if (make_ctx(&ctx) != EXO_OK) {
        rc = 1;
        goto out;
    }
    exo_status st = exo_units_create(ctx, &u);
    progress_state ps = {isatty(STDERR_FILENO), time(NULL), -1};
    if (st == EXO_OK && ps.tty) {
        /* Time one run of the scenario as given, to say what the design costs. */
        exo_config cfg;
        exo_result *res = NULL;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        st = exo_config_load(ctx, u, file, sets, n_sets, &cfg);
        if (st == EXO_OK) {
            st = exo_run(ctx, &cfg, NULL, NULL, &res);
            exo_result_destroy(&res);
            exo_config_fini(ctx, &cfg);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double one = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        int n = exo_sensitivity_n_runs(&opt);
        if (st == EXO_OK)
            fprintf(stderr, "sensitivity: %d model runs of about %.2g s each: about %.0f s\n", n, one, n * one);
        ps.start = time(NULL);
    }
    if (st == EXO_OK)
        st = exo_sensitivity_run(ctx, u, file, sets, n_sets, &opt, progress_bar, &ps, &r);
    if (st == EXO_OK && dir)
        st = exo_sensitivity_write(ctx, r, dir, force);
    if (st != EXO_OK) {
        rc = fail(ctx, st);
        goto out_free;
    }
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
out_free:
    exo_sensitivity_destroy(ctx, &r);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
out:
    for (int k = 0; k < n_sets; k++)
        free(set_buf[k]);
    free(keys);
    return rc;
}

/* ---- audit ----------------------------------------------------------- */

static const char *usage_audit =
    "usage: exoskin audit FILE [-o DIR] [--set KEY=VALUE]... [--force] [--print-config] [--quiet]\n"
    "                     [--lang en|fr]\n"
    "\n"
    "Can this label be true?  FILE is an audit file (docs/audit.md): a scenario whose only\n"
    "product is the label and whose audit: block gives the amount per use, the frequency, the\n"
    "routes and the threshold of a measurable change.  For each route (topical use at the label's\n"
    "amount and frequency for 4 weeks; 1 mm microneedling, fractional laser, each followed by one\n"
    "application; 0.05 mL intradermal injection) prints the functional vesicles applied and those\n"
    "that reach the viable epidermis and the dermis per application and per month, the readout's\n"
    "change at 4 weeks, the concentration needed for a measurable change, and a verdict\n"
    "(plausible, implausible at this dose, unknown) with its reasons.\n"
    "\n"
    "  -o, --output DIR     also write DIR/audit.json and DIR/report.html (created; must not exist\n"
    "                       or be empty)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key, e.g. --set audit.frequency='once daily'\n"
    "  --print-config       print the effective input as YAML and exit\n"
    "  --quiet              print the verdict line only\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Exit status: 0 audited (any verdict), 1 a run failed, 2 bad input (nothing written).\n";

static void print_audit(const exo_audit_result *r)
{
    printf("exoskin %s: label audit of '%s' (%s%s), %s",
           EXO_VERSION_STRING, r->product, exo_origin_name(r->origin), r->origin_stated ? "" : ", origin not stated",
           r->conc_known ? "" : "concentration unknown, ");
    if (r->conc_known)
        printf("%.3g particles/mL, ", r->label_conc);
    else
        printf("runs at the model's assumed %.3g particles/mL, ", r->used_conc);
    printf("%.3g mg/cm^2 %s\n", r->amount, r->frequency);
    printf("functional vesicles per cm^2 (per application / per month of 30 days); %s change at 4 weeks\n",
           exo_quantity_name(r->readout));
    printf("  %-14s %8s %21s %21s %21s %10s %s\n", "route", "uses/mo", "applied", "viable epidermis", "dermis",
           "change %", "measurable");
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_route_result *x = &r->routes[k];
        if (!x->present)
            continue;
        printf("  %-14s %8.4g %10.3g /%9.3g %10.3g /%9.3g %10.3g /%9.3g %+10.4f %s\n",
               exo_audit_route_name((exo_audit_route)k), x->per_month, x->applied[0], x->applied[1],
               x->viable_epidermis[0], x->viable_epidermis[1], x->dermis[0], x->dermis[1], x->change,
               x->measurable ? "yes" : "no");
    }
    printf("measurable change: %+g %% of %s\n", r->threshold, exo_quantity_name(r->readout));
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_dose *d = &r->needed[k];
        if (!d->searched)
            continue;
        printf("  needed by %-13s ", exo_audit_route_name((exo_audit_route)k));
        if (!d->found)
            printf("more than %.3g particles/mL (not reached)", EXO_AUDIT_SCAN_HI);
        else
            printf("%s%.3g particles/mL (change %+.3g %%)", d->at_floor ? "at most " : "", d->conc, d->change);
        if (r->conc_known)
            printf("; label %.3g particles/mL", r->label_conc);
        printf("\n");
    }
}

static int cmd_audit(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, usage_audit, ARGS_OUT, &a);
    if (rc >= 0) {
        free_run_args(&a);
        return rc;
    }
    rc = 0;
    const char *file = a.file, *dir = a.out;
    const bool force = a.force, quiet = a.quiet;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_audit_result res;
    char *yaml = NULL;
    exo_status st;
    if ((rc = load_input(file, a.sets, a.n_sets, a.print_config, &ctx, &u, &cfg, &yaml)) >= 0)
        goto out;
    rc = 0;
    if (!cfg.audit.present) {
        fprintf(stderr, "exoskin: %s: no audit: block (expected one; see docs/audit.md)\n", file);
        rc = 2;
        goto out;
    }
    progress_state ps = {isatty(STDERR_FILENO) && !quiet, time(NULL), -1};
    if ((st = exo_audit_run(ctx, &cfg, NULL, progress_bar, &ps, &res)) != EXO_OK ||
        (dir && (st = exo_audit_write(ctx, &res, yaml, dir, force)) != EXO_OK)) {
        rc = fail(ctx, st);
        goto out;
    }
    if (!quiet)
        print_audit(&res);
    printf("verdict: %s\n", exo_audit_verdict_name(res.verdict));
    for (int i = 0; !quiet && i < res.n_reasons; i++)
        printf("  - %s\n", res.reasons[i]);
    if (dir && !quiet)
        printf("results in %s/ (report.html, audit.json)\n", dir);
out:
    if (yaml)
        exo_free(ctx, yaml);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free_run_args(&a);
    return rc;
}

/* ---- optimize -------------------------------------------------------- */

static const char *usage_optimize =
    "usage: exoskin optimize FILE [-o DIR] [--set KEY=VALUE]... [--force] [--quiet] [--lang en|fr]\n"
    "\n"
    "Finds, for the person of the scenario FILE, the protocol that does most for the\n"
    "endpoint of its optimize: block (docs/optimize.md) under its constraints (serious\n"
    "adverse-event risk, sessions, cost): every combination of the choices, and a\n"
    "Nelder-Mead search over the continuous variables for each.  Prints the best protocol\n"
    "with the uncertainty of its benefit and the runner-ups.\n"
    "\n"
    "  -o, --output DIR     write DIR/optimize.json and DIR/report.html (created; must not exist\n"
    "                       or be empty)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key, e.g. --set optimize.max_serious_risk=0.005\n"
    "  --quiet              print nothing\n"
    "  --lang L             language of report.html: en (default) or fr\n"
    "Exit status: 0 a feasible protocol found, 1 none satisfies the constraints or a run\n"
    "failed, 2 bad input or usage (nothing written).\n";

static void print_point(const exo_optimize_result *r, const exo_optimize_point *p, const char *indent)
{
    for (int i = 0; i < r->opt.n_vars; i++)
        printf("%s%-40s %s\n", indent, r->opt.vars[i].key, p->values[i]);
    printf("%s%-40s %+.4g %% (%.5g -> %.5g %s)\n", indent, exo_quantity_name(r->opt.endpoint), p->change,
           p->baseline, p->final, r->endpoint_unit);
    printf("%s%-40s %.3g (limit %.3g)\n", indent, "serious adverse-event risk", p->serious_risk,
           r->opt.max_serious_risk);
    if (r->opt.max_sessions > 0)
        printf("%s%-40s %d (limit %d)\n", indent, "sessions", p->sessions, r->opt.max_sessions);
    else
        printf("%s%-40s %d\n", indent, "sessions", p->sessions);
    if (r->opt.max_cost > 0)
        printf("%s%-40s %.4g (limit %.4g)\n", indent, "cost", p->cost, r->opt.max_cost);
}

static void print_optimize(const exo_optimize_result *r, const char *dir)
{
    printf("optimize %s (%s): %d combinations of choices, %d runs; %s\n", exo_quantity_name(r->opt.endpoint),
           r->opt.decrease ? "decrease" : "increase", r->combinations, r->evaluations, r->message);
    if (r->n_best > 0) {
        printf(r->outcome == EXO_OPT_FOUND ? "best protocol:\n" : "least violating protocol (infeasible):\n");
        print_point(r, &r->best[0], "  ");
    }
    if (r->n_draws > 0)
        printf("  predicted change over %d parameter draws: mean %+.4g %%, SD %.3g %%, 5-95 %% range %+.4g to "
               "%+.4g %%\n", r->n_draws, r->change_mean, r->change_sd, r->change_p05, r->change_p95);
    for (int i = 1; i < r->n_best; i++) {
        printf("runner-up %d:\n", i);
        print_point(r, &r->best[i], "  ");
    }
    if (dir)
        printf("results in %s/ (report.html, optimize.json)\n", dir);
}

static int cmd_optimize(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, usage_optimize, ARGS_OUT, &a);
    if (rc >= 0) {
        free_run_args(&a);
        return rc;
    }
    rc = 0;
    if (a.print_config) {
        free_run_args(&a);
        return usage_error(usage_optimize, "%s", "--print-config: not an option of optimize");
    }
    const char *file = a.file, *dir = a.out;
    const bool force = a.force, quiet = a.quiet;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_optimize_result *res = NULL;
    exo_status st;
    if ((st = make_ctx(&ctx)) != EXO_OK) {
        rc = 1;
        goto out;
    }
    if ((st = exo_units_create(ctx, &u)) != EXO_OK || (st = exo_optimize_run(ctx, u, file, a.sets, a.n_sets, &res)) != EXO_OK ||
        (dir && (st = exo_optimize_write(ctx, res, dir, force)) != EXO_OK)) {
        rc = fail(ctx, st);
        goto out;
    }
    if (!quiet)
        print_optimize(res, dir);
    if (res->outcome != EXO_OPT_FOUND) {
        fprintf(stderr, "exoskin: %s: %s\n", file, res->message);
        rc = 1;
    }
out:
    exo_optimize_destroy(ctx, &res);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    free_run_args(&a);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (is_help(cmd) || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("exoskin %s (git %s)\n", EXO_VERSION_STRING, exo_git_revision());
        return 0;
    }
    /* --lang L of the commands that write report.html, taken off their arguments */
    static const char *const reporting[] = {"run", "trial", "sweep", "audit", "optimize", "sensitivity"};
    for (size_t c = 0; c < sizeof reporting / sizeof *reporting; c++) {
        if (strcmp(cmd, reporting[c]))
            continue;
        int n = 2;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--lang") || !strncmp(argv[i], "--lang=", 7)) {
                const char *l = argv[i][6] == '=' ? argv[i] + 7 : (i + 1 < argc ? argv[++i] : "");
                if (strcmp(l, "en") && strcmp(l, "fr")) {
                    fprintf(stderr, "exoskin: %s: --lang '%s': expected en or fr\n", cmd, l);
                    return 2;
                }
                report_lang = l;
                /* glibc lets LANGUAGE override the report's locale: --lang decides */
                unsetenv("LANGUAGE");
            } else
                argv[n++] = argv[i];
        }
        argc = n;
    }
    int rank = 0;
    if (strcmp(cmd, "trial") != 0 && strcmp(cmd, "run") != 0 && cli_mpi_env(&rank) > 1) {
        /* N copies would race for the same outputs */
        if (rank == 0)
            fprintf(stderr, "exoskin: %s: only 'trial' and tissue-mode 'run' go across MPI ranks (run it without "
                            "mpirun)\n", cmd);
        return 2;
    }
    if (!strcmp(cmd, "run"))
        return cmd_load_and(argc - 2, argv + 2, true);
    if (!strcmp(cmd, "check"))
        return cmd_load_and(argc - 2, argv + 2, false);
    if (!strcmp(cmd, "params"))
        return cmd_params(argc - 2, argv + 2);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(argc - 2, argv + 2);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 2, argv + 2);
    if (!strcmp(cmd, "calibrate"))
        return cmd_calibrate(argc - 2, argv + 2);
    if (!strcmp(cmd, "trial"))
        return cmd_trial(argc - 2, argv + 2);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 2, argv + 2);
    if (!strcmp(cmd, "audit"))
        return cmd_audit(argc - 2, argv + 2);
    if (!strcmp(cmd, "sensitivity"))
        return cmd_sensitivity(argc - 2, argv + 2);
    if (!strcmp(cmd, "optimize"))
        return cmd_optimize(argc - 2, argv + 2);
    fprintf(stderr, "exoskin: unknown command '%s'\n%s", cmd, usage_main);
    return 2;
}
