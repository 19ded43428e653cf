/* cli.h - what the files of the command line share: the tables that declare
 * each command and its options (cli/cmd_*.c), the one parser that walks them
 * and the help made from them (cli/options.c), and the steps every command
 * takes: its context, its failure message, the scenario loaded, the progress
 * bar (cli/context.c).  All printing happens in cli/; the library never
 * prints. */
#ifndef EXO_CLI_H
#define EXO_CLI_H

#include <exoskin/exoskin.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define CLI_MAX_SETS 256

/* What an option takes after its name. */
typedef enum {
    CLI_NONE,  /* nothing: a flag (a bool at .field) */
    CLI_VALUE, /* one argument, NAME VALUE (a const char * at .field, or given to .take) */
    CLI_SET,   /* a repeatable KEY=VALUE input override, --set KEY=VALUE or --set=KEY=VALUE */
} cli_arg_kind;

enum { /* cli_option.flags */
    CLI_HIDDEN_ALIAS = 1, /* the alias is accepted but neither help nor usage shows it */
    CLI_EQUALS = 2,       /* NAME=VALUE too */
    CLI_REQUIRED = 4,     /* must be given (unless --print-config): no brackets in the usage line */
    CLI_REPEAT = 8,       /* may be repeated: "..." after it in the usage line */
    CLI_BY_MAIN = 16,     /* taken off the arguments by main before the walk (--lang) */
    CLI_TAKE_MISSING = 32 /* .take also answers a missing value (gets NULL) */
};

typedef struct cli_args cli_args;
typedef struct cli_command cli_command;

/* Stores an option's value in a (opt: the name as typed).  Returns -1 when
 * taken, or the exit status of a usage error it printed (cli_usage_error). */
typedef int (*cli_take_fn)(const cli_command *c, cli_args *a, const char *opt, const char *value);

/* One option of a command: one row of its table. */
typedef struct {
    const char *name;      /* "--output" */
    const char *alias;     /* "-o", or NULL */
    cli_arg_kind kind;
    const char *arg;       /* the argument as the help names it ("DIR"); NULL for CLI_NONE */
    const char *help;      /* the help text, "\n" between its lines; NULL: not listed */
    int usage;             /* its place in the usage line, 1 first; 0: not there */
    const char *usage_arg; /* the argument as the usage line writes it (NULL: .arg) */
    int flags;             /* CLI_HIDDEN_ALIAS, ... */
    size_t field;          /* offset in cli_args of its bool or const char * (when .take is NULL) */
    cli_take_fn take;
} cli_option;

/* The values a walk found: one struct for every command, each using its own. */
struct cli_args {
    const char *file; /* the positional argument: FILE or DIR */
    const char *out;  /* -o DIR */
    exo_override sets[CLI_MAX_SETS];
    char *set_buf[CLI_MAX_SETS]; /* the keys and values of sets (owned) */
    int n_sets;
    bool force, print_config, quiet, resume;
    char *vary[EXO_SWEEP_MAX_VARS]; /* --vary / --sweep KEY=V1;V2;... (owned) */
    int n_vary;
    double harm_weight; /* [1]; < 0: not given */
    const char **keys;  /* --param KEY, in order (argc slots, owned) */
    int n_keys;
    const char *format, *endpoint, *arm; /* NULL: not given */
    const char *posterior, *exclude;     /* calibrate --posterior FILE, --exclude LIST; NULL: not given */
    int draws;                           /* run --draws N */
    bool has_draws;
    bool sobol;                          /* --method sobol */
    int max_iter, trajectories, samples; /* 0: not given */
    int check_draws;                     /* calibrate --check N; 0: not given */
    uint64_t seed;
    bool has_seed;
};

enum { /* cli_command.flags */
    /* the scenario commands' ways: messages without the command's name, a
     * lone '-' is a FILE, an option without its value is an error naming
     * the value */
    CLI_SCENARIO = 1,
    CLI_ANY_RANK = 2, /* may start under mpirun (the others are refused there) */
};

/* One command: one row of main's table. */
struct cli_command {
    const char *name;
    int (*main)(const cli_command *c, int argc, char **argv); /* argv after the command's name */
    const char *synopsis;    /* its arguments in the list of 'exoskin --help' */
    const char *summary;     /* its text there, "\n" between lines */
    const char *args;        /* the positional argument ("FILE", "DIR"), NULL: none */
    const char *description; /* its help between the usage line and the options */
    const char *epilogue;    /* its help after the options */
    const cli_option *options;
    int n_options;
    int column;          /* where the options' help text starts (0: 23) */
    int flags;           /* CLI_SCENARIO, CLI_ANY_RANK */
    const char *unknown; /* how a usage error names an unknown option: "unknown option", ... */
    /* checks after the walk, before the positional argument's (NULL: none);
     * -1 to go on, or the exit status of a usage error */
    int (*finish)(const cli_command *c, const cli_args *a);
};

#define CLI_FIELD(f) offsetof(cli_args, f)
#define CLI_COUNT(t) ((int)(sizeof(t) / sizeof *(t)))

/* Rows that several commands share. */
#define CLI_OPT_FORCE(place)                                                                                      \
    {.name = "--force", .kind = CLI_NONE, .usage = (place), .field = CLI_FIELD(force),                           \
     .help = "replace an earlier exoskin result in DIR (only once the new one is complete)"}
#define CLI_OPT_LANG(place)                                                                                       \
    {.name = "--lang", .kind = CLI_VALUE, .arg = "L", .usage_arg = "en|fr", .usage = (place), .flags = CLI_BY_MAIN, \
     .help = "language of report.html: en (default) or fr"}
#define CLI_OPT_SET(place, text)                                                                                  \
    {.name = "--set", .kind = CLI_SET, .arg = "KEY=VALUE", .usage = (place), .flags = CLI_REPEAT, .help = (text)}
#define CLI_OPT_OUTPUT(place, flags_, text)                                                                       \
    {.name = "--output", .alias = "-o", .kind = CLI_VALUE, .arg = "DIR", .usage = (place), .flags = (flags_),      \
     .field = CLI_FIELD(out), .help = (text)}
#define CLI_OPT_PRINT_CONFIG(place, text)                                                                         \
    {.name = "--print-config", .kind = CLI_NONE, .usage = (place), .field = CLI_FIELD(print_config), .help = (text)}
#define CLI_OPT_QUIET(place, text)                                                                                \
    {.name = "--quiet", .alias = "-q", .kind = CLI_NONE, .usage = (place), .flags = CLI_HIDDEN_ALIAS,             \
     .field = CLI_FIELD(quiet), .help = (text)}

/* The commands (cli/cmd_*.c), in the order of 'exoskin --help'. */
extern const cli_command cli_run, cli_check, cli_params, cli_verify, cli_validate, cli_calibrate, cli_trial,
    cli_sweep, cli_audit, cli_sensitivity, cli_optimize, cli_schema, cli_version;

/* ---- cli/options.c: the walk and the help --------------------------- */

/* Walks argv by c's table into a.  Returns -1 to go on (the caller frees a
 * with cli_args_free), or the exit status, a freed already: 0 after --help
 * (printed), 2 after a usage error (printed), 1 out of memory.
 * cli_args_free may be called again. */
int cli_parse(const cli_command *c, int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);
/* "exoskin: " fmt (with arg) and c's help on stderr; returns 2. */
int cli_usage_error(const cli_command *c, const char *fmt, const char *arg);
/* c's help: the usage line made from the table, the description, one line
 * (or more) per option, the epilogue. */
void cli_help(const cli_command *c, FILE *f);
/* The same as a man page (section 1, roff), exoskin-NAME(1); text through
 * cli_roff, which escapes it for roff. */
void cli_man(const cli_command *c, FILE *f);
void cli_roff(FILE *f, const char *text);
/* "  LABEL" padded to column, then text, each of its later lines indented
 * to column: an option of a command's help, a command of the main help. */
void cli_help_entry(FILE *f, const char *label, const char *text, int column);
bool cli_is_help(const char *arg);

/* ---- cli/context.c: what every command does ------------------------- */

/* The language of report.html (main takes --lang off the arguments). */
void cli_set_language(const char *lang);
/* A context that writes reports in that language. */
exo_status cli_make_ctx(exo_ctx **ctx);
/* The context's last error (or st's text) on stderr; the exit status: 2 for
 * bad input, 1 otherwise. */
int cli_fail(exo_ctx *ctx, exo_status st);

typedef struct {
    bool tty;
    time_t start;
    int last;
} cli_progress;
/* exo_progress_fn: a bar with an ETA on stderr when it is a terminal. */
void cli_progress_bar(void *user, double f);

/* Makes the context and units, loads a->file with the overrides and its
 * effective YAML, and prints that YAML for --print-config.  Returns -1 to go
 * on, or the exit code (0 after --print-config); the caller frees whatever
 * was set. */
int cli_load_input(const cli_args *a, exo_ctx **ctx, exo_units **u, exo_config *cfg, char **yaml);
/* Frees what cli_load_input set (yaml may be NULL), the context last, and a. */
void cli_unload(exo_ctx **ctx, exo_units **u, exo_config *cfg, char *yaml, cli_args *a);
/* cli_load_input on every one of `size` ranks: the largest exit code of all
 * of them (every rank stops if one cannot load), with a line on a rank that
 * loaded when another did not. */
int cli_load_input_ranks(const cli_args *a, int size, exo_ctx **ctx, exo_units **u, exo_config *cfg, char **yaml);

/* A command that may run across MPI ranks: fn(c, argc, argv, rank, size),
 * with MPI started only under mpirun with several ranks and one exit status
 * for all of them. */
typedef int (*cli_ranked_fn)(const cli_command *c, int argc, char **argv, int rank, int size);
int cli_on_ranks(cli_ranked_fn fn, const cli_command *c, int argc, char **argv);

/* `sweep FILE` and its alias `run FILE --sweep KEY=...` (cli/cmd_run.c). */
int cli_run_sweep(exo_ctx *ctx, exo_units *u, cli_args *a, bool alias);

#endif
