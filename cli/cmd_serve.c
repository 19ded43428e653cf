/* cmd_serve.c - `exoskin serve`: the page for clinicians and formulators
 * and its API on a local HTTP server (cli/serve/, docs/serve.md).  Takes the
 * options, starts the server, prints where it listens and waits for SIGINT
 * or SIGTERM, then stops: waiting runs are answered 503, runs under way
 * finish and are answered, and the process exits 0. */
#include "cli.h"
#include "serve/serve_http.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The defaults (docs/serve.md, "Limits"). */
#define SERVE_PORT 8765
#define SERVE_MAX_BODY (256u << 10) /* [B] a scenario file is a few KiB; the loader's own cap is 4 MiB */
/* [1] the loader's estimated time steps of one request, all arms and draws:
 * the default example (two arms, 12 weeks) is about 6,700 steps in 0.3-0.5 s
 * of one core, so this is about half a minute; the loader's own cap is
 * 2,000,000 per arm */
#define SERVE_MAX_STEPS 300000.0
#define SERVE_MAX_DRAWS 40 /* [1] posterior draws of one run (?draws=N): the default example fits */

static serve_http_options opts = {
    .bind = "127.0.0.1",
    .limits = {.max_body = SERVE_MAX_BODY, .max_draws = SERVE_MAX_DRAWS, .max_connections = 64, .timeout = 30},
};

/* The whole-number options, each with its range and its value (the default
 * until given). */
static struct {
    const char *name;
    long lo, hi, value;
} numbers[] = {
    {"--port", 0, 65535, SERVE_PORT},
    {"--runs", 1, 64, 2},
    {"--queue", 0, 1000, 8},
    {"--max-steps", 1000, 2000000000, (long)SERVE_MAX_STEPS},
};
enum { PORT, RUNS, QUEUE, MAX_STEPS };

/* One of numbers[]: a whole number in its range; -1, or a usage error. */
static int take_number(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)a;
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        if (strcmp(opt, numbers[i].name))
            continue;
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || *end || end == v || n < numbers[i].lo || n > numbers[i].hi) {
            fprintf(stderr, "exoskin: %s '%s': expected a whole number from %ld to %ld\n", opt, v, numbers[i].lo,
                    numbers[i].hi);
            cli_help(c, stderr);
            return 2;
        }
        numbers[i].value = n;
    }
    return -1;
}

static int take_bind(const cli_command *c, cli_args *a, const char *opt, const char *v)
{
    (void)c, (void)a, (void)opt;
    opts.bind = v;
    return -1;
}

static int serve_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    cli_args_free(&a);
    if (rc >= 0)
        return rc;
    opts.port = (unsigned)numbers[PORT].value;
    opts.limits.max_runs = (int)numbers[RUNS].value;
    opts.limits.max_queue = (int)numbers[QUEUE].value;
    opts.limits.max_steps = (double)numbers[MAX_STEPS].value;
    /* runs + queue + the page's own requests must fit the connections */
    int need = opts.limits.max_runs + opts.limits.max_queue + 8;
    if (opts.limits.max_connections < need)
        opts.limits.max_connections = need;
    /* SIGINT and SIGTERM are taken by sigwait below, in this thread only:
     * blocked before the server's threads start, which inherit the mask */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    char why[256] = "";
    serve_api *api = serve_api_create(&opts.limits, why, sizeof why);
    if (!api) {
        fprintf(stderr, "exoskin: serve: %s\n", why);
        return 1;
    }
    serve_http *h = serve_http_start(&opts, api, why, sizeof why);
    if (!h) {
        fprintf(stderr, "exoskin: serve: %s\n", why);
        serve_api_destroy(api);
        return 2;
    }
    const bool v6 = strchr(opts.bind, ':') != NULL;
    printf("exoskin serve: http://%s%s%s:%u/ (Ctrl-C stops)\n", v6 ? "[" : "", opts.bind, v6 ? "]" : "",
           serve_http_port(h));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "exoskin serve: %s: stopping (runs under way finish)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    serve_api_stop(api);
    serve_http_stop(h);
    serve_api_destroy(api);
    fprintf(stderr, "exoskin serve: stopped\n");
    return 0;
}

static const cli_option serve_options[] = {
    {.name = "--port", .kind = CLI_VALUE, .arg = "N", .usage = 1, .take = take_number,
     .help = "TCP port (default 8765; 0: any free port, printed)"},
    {.name = "--bind", .kind = CLI_VALUE, .arg = "ADDR", .usage = 2, .take = take_bind,
     .help = "address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 or\n"
             "an address of the machine opens it to the network: there is no login)"},
    {.name = "--runs", .kind = CLI_VALUE, .arg = "N", .usage = 3, .take = take_number,
     .help = "runs at once (default 2); more wait in the queue"},
    {.name = "--queue", .kind = CLI_VALUE, .arg = "N", .usage = 4, .take = take_number,
     .help = "runs that may wait for a place (default 8); more are answered 503"},
    {.name = "--max-steps", .kind = CLI_VALUE, .arg = "N", .usage = 5, .take = take_number,
     .help = "largest run: the loader's estimated time steps of all arms x (draws + 1)\n"
             "(default 300000, about half a minute; larger ones are answered 400)"},
};

const cli_command cli_serve = {
    .name = "serve",
    .main = serve_main,
    .synopsis = "[--port N]",
    .summary = "the web page: a form for skin, product and protocol, the predicted course\n"
               "in a browser (http://127.0.0.1:8765/; docs/serve.md)",
    .description = "\n"
                   "Serves a page (built into exoskin: no network, no files read) with a form made from\n"
                   "the scenario schema, the examples one click away, and the time course of every\n"
                   "readout per arm, before/after numbers with units and adverse events; and its API:\n"
                   "  GET  /api/schema           the JSON Schema of scenario files (exoskin schema)\n"
                   "  GET  /api/examples[/NAME]  the built-in example scenarios\n"
                   "  POST /api/check            validate a scenario (YAML or JSON body)\n"
                   "  POST /api/run[?draws=N]    run it: summary.json and the course of every readout\n"
                   "                             per arm (5-95 % bands over N posterior draws;\n"
                   "                             &lang=fr: French labels)\n"
                   "Bad input is answered 400 with the message 'exoskin check' prints; a body over\n"
                   "256 KiB 413; a full queue 503. SIGINT or SIGTERM stops it cleanly.\n"
                   "\n",
    .options = serve_options,
    .n_options = CLI_COUNT(serve_options),
    .unknown = "unknown option",
};
