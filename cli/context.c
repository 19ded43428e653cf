/* context.c - the steps the commands share: a context in the report's
 * language, a failure turned into a message and an exit status, the
 * progress bar, the scenario loaded (on every MPI rank), and the wrapper of
 * the commands that may run across MPI ranks. */
#include "cli.h"
#include "cli_mpi.h"

#include <stdio.h>

/* The language of report.html (--lang, taken off the arguments by main). */
static const char *report_lang = "en";

void cli_set_language(const char *lang) { report_lang = lang; }

exo_status cli_make_ctx(exo_ctx **ctx)
{
    exo_status st = exo_ctx_create(0, ctx);
    return st == EXO_OK ? exo_ctx_set_language(*ctx, report_lang) : st;
}

int cli_fail(exo_ctx *ctx, exo_status st)
{
    fprintf(stderr, "exoskin: %s\n", ctx && exo_ctx_last_error(ctx)[0] ? exo_ctx_last_error(ctx) : exo_status_str(st));
    /* 2: the input or the command line (an unreadable input file is EXO_EIO); 1: a
     * failure, a result that cannot be written (EXO_EWRITE) included, as --help says */
    return (st == EXO_EINPUT || st == EXO_EUNIT || st == EXO_EIO) ? 2 : 1;
}

void cli_progress_bar(void *user, double f)
{
    cli_progress *p = user;
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

int cli_load_input(const cli_args *a, exo_ctx **ctx, exo_units **u, exo_config *cfg, char **yaml)
{
    exo_status st;
    if (cli_make_ctx(ctx) != EXO_OK)
        return 1;
    if ((st = exo_units_create(*ctx, u)) != EXO_OK ||
        (st = exo_config_load(*ctx, *u, a->file, a->sets, a->n_sets, cfg)) != EXO_OK ||
        (st = exo_config_to_yaml(*ctx, cfg, yaml)) != EXO_OK)
        return cli_fail(*ctx, st);
    if (a->print_config) { /* in the units people write; it loads back to the same config */
        char *shown = NULL;
        if ((st = exo_config_to_yaml_display(*ctx, *u, cfg, &shown)) != EXO_OK)
            return cli_fail(*ctx, st);
        fputs(shown, stdout);
        exo_free(*ctx, shown);
        return 0;
    }
    /* the output folder is checked before anything is computed */
    if (a->out && (st = exo_output_check(*ctx, a->out, a->force)) != EXO_OK)
        return cli_fail(*ctx, st);
    return -1;
}

void cli_unload(exo_ctx **ctx, exo_units **u, exo_config *cfg, char *yaml, cli_args *a)
{
    if (yaml)
        exo_free(*ctx, yaml);
    exo_config_fini(*ctx, cfg);
    exo_units_destroy(u);
    exo_ctx_destroy(ctx);
    cli_args_free(a);
}

int cli_load_input_ranks(const cli_args *a, int size, exo_ctx **ctx, exo_units **u, exo_config *cfg, char **yaml)
{
    int own = cli_load_input(a, ctx, u, cfg, yaml);
    int rc = size > 1 ? cli_mpi_max(own) : own;
    if (rc >= 0 && own < 0)
        fprintf(stderr, "exoskin: %s: another MPI rank could not load the input\n", a->file);
    return rc;
}

int cli_on_ranks(cli_ranked_fn fn, const cli_command *c, int argc, char **argv)
{
    int rank = 0, size = cli_mpi_env(&rank);
    if (size == 1)
        return fn(c, argc, argv, 0, 1);
    if (cli_mpi_start(&rank, &size) != 0)
        return 1;
    int rc = cli_mpi_max(fn(c, argc, argv, rank, size));
    cli_mpi_stop();
    return rc;
}
