/* main.c - the exoskin command line: finds the command in its table, takes
 * --lang off the arguments of the commands that write report.html, refuses
 * commands that do not go across MPI ranks under mpirun, and hands the rest
 * to the command (cli/cmd_*.c), which parses them by its option table
 * (cli/options.c), calls libexoskin and turns statuses into messages and exit
 * codes (0 ok, 1 failure, 2 bad input or usage).  All printing happens in
 * cli/; the library never prints. */
#include "cli.h"
#include "cli_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_serve; /* cli/cmd_serve.c: the web page (docs/serve.md) */

/* Every command, in the order 'exoskin --help' lists them. */
static const cli_command *const commands[] = {
    &cli_run,   &cli_check, &cli_params,      &cli_verify,   &cli_validate, &cli_calibrate,
    &cli_trial, &cli_sweep, &cli_audit,       &cli_sensitivity, &cli_optimize, &cli_serve, &cli_schema, &cli_version,
};

#define COMMAND_COLUMN 22 /* where a command's summary starts in 'exoskin --help' */

static const char *help_intro =
    "usage: exoskin COMMAND [options]\n"
    "\n"
    "Simulates exosome-based facial skin treatments: depth-resolved transport of vesicles\n"
    "and soluble mediators through facial skin (column mode, or a 3D block with follicles,\n"
    "channels and cells as agents with 'simulation: {fidelity: tissue}'), the response of\n"
    "cells and matrix, and the readouts clinicians measure, with adverse events.\n"
    "\n"
    "commands:\n";

static const char *help_outro =
    "\n"
    "Every command that writes a result folder (-o DIR) also writes DIR/report.html, a self-contained\n"
    "page with a plain-language summary and figures (DIR/figures/*.png); --lang fr writes it in French.\n"
    "Run 'exoskin COMMAND --help' for the options of a command.\n"
    "Exit status: 0 success, 1 failure (verification, validation or run), 2 bad input or usage.\n";

/* 'exoskin --help': the intro, one entry per command of the table, the outro. */
static void main_help(FILE *f)
{
    fputs(help_intro, f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        const cli_command *c = commands[i];
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", c->name, c->synopsis ? " " : "", c->synopsis ? c->synopsis : "");
        cli_help_entry(f, label, c->summary, COMMAND_COLUMN);
    }
    fputs(help_outro, f);
}

/* 'exoskin --man DIR' (the build's, not listed in the help): the man pages
 * made from the same tables, DIR/exoskin.1 and DIR/exoskin-COMMAND.1. */
static int write_man_pages(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/exoskin.1", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "exoskin: %s: cannot write\n", path);
        return 1;
    }
    fprintf(f, ".TH EXOSKIN 1 \"\" \"exoskin %s\" \"exoskin manual\"\n.SH NAME\nexoskin \\- simulator of exosome-based "
               "facial skin treatments\n.SH SYNOPSIS\n.B exoskin\nCOMMAND [OPTIONS]\n.SH DESCRIPTION\n.nf\n",
            EXO_VERSION_STRING);
    cli_roff(f, help_intro);
    fputs(".fi\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        const cli_command *c = commands[i];
        fprintf(f, ".TP\n.B %s", c->name);
        if (c->synopsis) {
            fputc(' ', f);
            cli_roff(f, c->synopsis);
        }
        fputc('\n', f);
        cli_roff(f, c->summary);
        fprintf(f, "\nSee exoskin\\-%s(1).\n", c->name);
    }
    fputs(".SH NOTES\n.nf\n", f);
    cli_roff(f, help_outro);
    fputs(".fi\n", f);
    int rc = fclose(f) == 0 ? 0 : 1;
    for (size_t i = 0; rc == 0 && i < sizeof commands / sizeof *commands; i++) {
        snprintf(path, sizeof path, "%s/exoskin-%s.1", dir, commands[i]->name);
        if (!(f = fopen(path, "w"))) {
            fprintf(stderr, "exoskin: %s: cannot write\n", path);
            return 1;
        }
        cli_man(commands[i], f);
        rc = fclose(f) == 0 ? 0 : 1;
    }
    return rc;
}

static const cli_command *find_command(const char *name)
{
    if (!strcmp(name, "--version"))
        name = "version";
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(name, commands[i]->name))
            return commands[i];
    return NULL;
}

/* Whether c's help lists --lang (it writes report.html). */
static bool takes_lang(const cli_command *c)
{
    for (int i = 0; i < c->n_options; i++)
        if (!strcmp(c->options[i].name, "--lang"))
            return true;
    return false;
}

/* --lang L (or --lang=L) taken off argv[2..]: the language of report.html.
 * Returns the new argc, or -1 after a message when L is not en or fr. */
static int take_lang(const char *cmd, int argc, char **argv)
{
    int n = 2;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--lang") || !strncmp(argv[i], "--lang=", 7)) {
            const char *l = argv[i][6] == '=' ? argv[i] + 7 : (i + 1 < argc ? argv[++i] : "");
            if (strcmp(l, "en") && strcmp(l, "fr")) {
                fprintf(stderr, "exoskin: %s: --lang '%s': expected en or fr\n", cmd, l);
                return -1;
            }
            cli_set_language(l);
            /* glibc lets LANGUAGE override the report's locale: --lang decides */
            unsetenv("LANGUAGE");
        } else
            argv[n++] = argv[i];
    }
    return n;
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        main_help(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (cli_is_help(cmd) || !strcmp(cmd, "help")) {
        main_help(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--man") && argc == 3)
        return write_man_pages(argv[2]);
    const cli_command *c = find_command(cmd);
    if (c && takes_lang(c) && (argc = take_lang(cmd, argc, argv)) < 0)
        return 2;
    int rank = 0;
    if (!(c && (c->flags & CLI_ANY_RANK)) && cli_mpi_env(&rank) > 1) {
        /* N copies would race for the same outputs */
        if (rank == 0)
            fprintf(stderr, "exoskin: %s: only 'trial' and tissue-mode 'run' go across MPI ranks (run it without "
                            "mpirun)\n", cmd);
        return 2;
    }
    if (!c) {
        fprintf(stderr, "exoskin: unknown command '%s'\n", cmd);
        main_help(stderr);
        return 2;
    }
    return c->main(c, argc - 2, argv + 2);
}
