/* main.c - the exoskin command line: parses arguments, calls libexoskin and
 * turns statuses into messages and exit codes (0 ok, 1 failure, 2 bad input
 * or usage).  All printing happens here; the library never prints. */
#include <exoskin/exoskin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SETS 256

static const char *usage_main =
    "usage: exoskin COMMAND [options]\n"
    "\n"
    "Simulates exosome-based facial skin treatments (column mode: depth-resolved\n"
    "transport of vesicles and soluble mediators through facial skin).\n"
    "\n"
    "commands:\n"
    "  run FILE -o DIR     run a scenario; write timeseries.csv, profiles.csv, summary.json\n"
    "  check FILE          validate a scenario file only\n"
    "  params              print the parameter table (unit, default, range, source)\n"
    "  verify              check the transport solver against analytic solutions\n"
    "  validate DIR        run every study definition in DIR against its published value\n"
    "  version             print the version\n"
    "\n"
    "Run 'exoskin COMMAND --help' for the options of a command.\n"
    "Exit status: 0 success, 1 failure (verification, validation or run), 2 bad input or usage.\n";

static const char *usage_run =
    "usage: exoskin run FILE -o DIR [--set KEY=VALUE]... [--force] [--print-config] [--quiet]\n"
    "\n"
    "Runs every arm of the scenario FILE (YAML, docs/config.md) in column mode and writes\n"
    "DIR/timeseries.csv, DIR/profiles.csv and DIR/summary.json, then prints, per arm, the\n"
    "functional vesicles applied and those that reached the viable epidermis and the dermis.\n"
    "\n"
    "  -o, --output DIR     output folder (created; must not exist or be empty)\n"
    "  --force              replace an earlier exoskin result in DIR (only once the new one is complete)\n"
    "  --set KEY=VALUE      override any input key, e.g. --set skin.age='60 years'\n"
    "                       or --set arms.1.protocol.0.needle_length='0.5 mm'\n"
    "  --print-config       print the effective input as YAML (which can be fed back) and exit\n"
    "  --quiet              no summary and no progress bar\n"
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
    "usage: exoskin validate DIR\n"
    "\n"
    "Runs every study definition DIR/*.yaml (docs/studies.md) and prints id, reported,\n"
    "predicted, acceptance range and pass. Exit 0 if all pass, 1 otherwise, 2 on bad input.\n";

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
} run_args;

static int parse_run_args(int argc, char **argv, const char *usage, bool want_out, run_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (is_help(s)) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(s, "--set") || !strncmp(s, "--set=", 6)) {
            const char *kv = s[5] == '=' ? s + 6 : (i + 1 < argc ? argv[++i] : NULL);
            if (!kv)
                return usage_error(usage, "%s: missing KEY=VALUE", s);
            const char *eq = strchr(kv, '=');
            if (!eq || eq == kv)
                return usage_error(usage, "--set '%s': expected KEY=VALUE", kv);
            if (a->n_sets >= MAX_SETS)
                return usage_error(usage, "%s: too many --set options", s);
            char *key = strdup(kv);
            key[eq - kv] = '\0';
            a->set_buf[a->n_sets] = key;
            a->sets[a->n_sets].key = key;
            a->sets[a->n_sets].value = key + (eq - kv) + 1;
            a->n_sets++;
        } else if (want_out && (!strcmp(s, "-o") || !strcmp(s, "--output"))) {
            if (i + 1 >= argc)
                return usage_error(usage, "%s: missing DIR", s);
            a->out = argv[++i];
        } else if (want_out && !strcmp(s, "--force"))
            a->force = true;
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
    if (want_out && !a->out && !a->print_config)
        return usage_error(usage, "%s", "missing -o DIR");
    return -1; /* go on */
}

static void free_run_args(run_args *a)
{
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

static int cmd_load_and(int argc, char **argv, bool run)
{
    run_args a;
    int rc = parse_run_args(argc, argv, run ? usage_run : usage_check, run, &a);
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
    rc = 0;
    if ((st = exo_ctx_create(0, &ctx)) != EXO_OK) {
        rc = 1;
        goto out;
    }
    if ((st = exo_units_create(ctx, &u)) != EXO_OK ||
        (st = exo_config_load(ctx, u, a.file, a.sets, a.n_sets, &cfg)) != EXO_OK ||
        (st = exo_config_to_yaml(ctx, &cfg, &yaml)) != EXO_OK) {
        rc = fail(ctx, st);
        goto out;
    }
    if (a.print_config) {
        fputs(yaml, stdout);
        goto out;
    }
    if (!run) {
        goto out;
    }
    progress_state ps = {isatty(STDERR_FILENO) && !a.quiet, time(NULL), -1};
    if ((st = exo_run(ctx, &cfg, progress_bar, &ps, &res)) != EXO_OK ||
        (st = exo_result_write(ctx, res, yaml, a.out, a.force)) != EXO_OK) {
        rc = fail(ctx, st);
        goto out;
    }
    if (!a.quiet) {
        printf("exoskin %s: scenario '%s', seed %llu, column mode\n", EXO_VERSION_STRING, cfg.name,
               (unsigned long long)cfg.seed);
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
        printf("mass ledger closes to %.1e (relative); results in %s/ (timeseries.csv, profiles.csv, summary.json)\n",
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

/* ---- validate -------------------------------------------------------- */

static int cmd_validate(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_validate, stdout);
            return 0;
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
        st = exo_validate_dir(ctx, u, dir, &rows, &n);
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
    exo_free(ctx, rows);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
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
    fprintf(stderr, "exoskin: unknown command '%s'\n%s", cmd, usage_main);
    return 2;
}
