/* cmd_trial.c - `exoskin trial`: the virtual trial of a scenario's trial:
 * block, serial with a checkpoint (--resume), or its patients split across
 * MPI ranks (docs/trials.md, "MPI"). */
#include "cli.h"
#include "cli_mpi.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_trial(const exo_trial_result *r, const char *dir)
{
    const exo_config *cfg = r->cfg;
    const exo_trial_cfg *t = &cfg->trial;
    int k = (int)t->endpoint - EXO_Q_READOUT_FIRST;
    printf("exoskin %s: trial '%s', %s design, seed %llu, %d patient-arm runs\n", EXO_VERSION_STRING, cfg->name,
           exo_trial_design_name(t->design), (unsigned long long)cfg->seed, r->n_patients);
    if (r->posterior[0])
        printf("parameters: %s, shared by every patient (docs/trials.md)\n", r->posterior);
    else
        printf("parameters: the parameter table (trial.population.posterior: false)\n");
    printf("endpoint %s [%s]; responder: change %s %g %%\n", exo_quantity_name(t->endpoint), exo_readout_scale(k),
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

/* Before the run: a trial: block (the output folder was checked with the
 * input).  -1 to go on, or 2. */
static int trial_ready(const cli_args *a, const exo_config *cfg)
{
    if (!cfg->trial.present) {
        fprintf(stderr, "exoskin: %s: no trial: block (expected one; see docs/trials.md)\n", a->file);
        return 2;
    }
    return -1;
}

/* rank, size: this process's MPI rank and the number of ranks (size 1: serial). */
static int trial_ranked(const cli_command *cmd, int argc, char **argv, int rank, int size)
{
    cli_args a;
    char ckpt[4200];
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc >= 0)
        return rc;
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
    if (size > 1 && a.resume) {
        fprintf(stderr, "exoskin: trial: --resume is not supported across MPI ranks (resume serially, without "
                        "mpirun)\n");
        rc = 2;
        goto out;
    }
    if ((rc = cli_load_input_ranks(&a, size, &ctx, &u, &cfg, &yaml)) >= 0 || (rc = trial_ready(&a, &cfg)) >= 0)
        goto out;
    rc = 0;
    cli_progress ps = {isatty(STDERR_FILENO) && !a.quiet, time(NULL), -1};
    /* across MPI ranks: no checkpoint; rank 0 gets the whole result and writes it */
    st = size > 1 ? cli_mpi_trial(ctx, u, &cfg, cli_progress_bar, &ps, &res)
                  : exo_trial_run_checkpointed(ctx, u, &cfg, ckpt, a.resume, cli_progress_bar, &ps, &res);
    if (st != EXO_OK) {
        rc = st == EXO_EINPUT ? 2 : 1;
        fprintf(stderr, "exoskin: %s\n", exo_ctx_last_error(ctx)[0] ? exo_ctx_last_error(ctx) : exo_status_str(st));
        goto out;
    }
    if (rank != 0) /* rank 0 writes and prints */
        goto out;
    if ((st = exo_trial_write(ctx, res, yaml, a.out, a.force)) != EXO_OK) {
        rc = cli_fail(ctx, st);
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
    exo_trial_destroy(ctx, &res);
    cli_unload(&ctx, &u, &cfg, yaml, &a);
    return rc;
}

/* Under mpirun with several ranks (docs/trials.md, "MPI"): MPI_Init, the
 * patients split across ranks, one exit status for all. */
static int trial_main(const cli_command *c, int argc, char **argv) { return cli_on_ranks(trial_ranked, c, argc, argv); }

static const cli_option trial_options[] = {
    CLI_OPT_OUTPUT(1, CLI_REQUIRED, "output folder (created; must not exist or be empty)"),
    {.name = "--resume", .kind = CLI_NONE, .usage = 3, .field = CLI_FIELD(resume),
     .help = "continue an interrupted trial from DIR.checkpoint (same FILE and\n"
             "--set options; the outputs are the same bytes as an uninterrupted run)"},
    CLI_OPT_FORCE(4),
    CLI_OPT_SET(2, "override any input key, e.g. --set trial.patients=50"),
    CLI_OPT_PRINT_CONFIG(0, "print the effective input as YAML and exit"),
    CLI_OPT_QUIET(5, "no table and no progress bar"),
    CLI_OPT_LANG(6),
};

const cli_command cli_trial = {
    .name = "trial",
    .main = trial_main,
    .synopsis = "FILE -o DIR",
    .summary = "run a virtual trial (the file's trial: block); write patients.csv, trial.json,\n"
               "report.html",
    .args = "FILE",
    .description =
        "\n"
        "Runs the virtual trial of the scenario FILE (its trial: block, docs/trials.md): every\n"
        "virtual patient in its arm(s), the endpoint at each visit, per-arm statistics, the\n"
        "primary comparison (paired or Welch t-test, Cohen's d, patients for 80 % power) and\n"
        "serious adverse events.  Writes DIR/patients.csv, DIR/trial.json and DIR/report.html\n"
        "(endpoint time courses with 95 % CI bands, comparison, responders, adverse events).  Completed\n"
        "patients are recorded in the checkpoint DIR.checkpoint, removed once DIR is written.\n"
        "\n",
    .epilogue = "Under 'mpirun -np N' the patients are split across N ranks and rank 0 writes the same\n"
                "bytes as a serial run (no checkpoint; --resume refused; docs/trials.md, section MPI).\n"
                "Exit status: 0 done, 1 a run failed, 2 bad input (nothing written).\n",
    .options = trial_options,
    .n_options = CLI_COUNT(trial_options),
    .flags = CLI_SCENARIO | CLI_ANY_RANK,
    .unknown = "unknown option",
};
