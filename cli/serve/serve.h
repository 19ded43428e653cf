/* serve.h - `exoskin serve` (docs/serve.md): a small HTTP server on
 * libmicrohttpd that serves the page (cli/serve/page/, built into the
 * binary) and answers the scenario API with the library's own loader and
 * run (cli/serve/api.c).  Nothing a request carries ever names a file: the
 * page and the examples are byte arrays made at build time (embed.cmake), a
 * scenario is loaded from the request's memory. */
#ifndef EXO_SERVE_H
#define EXO_SERVE_H

#include <exoskin/exoskin.h>

#include <stdbool.h>
#include <stddef.h>

/* A file built into the binary: "page/index.html", "examples/default.yaml". */
typedef struct {
    const char *name;
    const char *data; /* size bytes, then a NUL */
    size_t size;      /* [B] */
} serve_asset;
extern const serve_asset serve_assets[];
extern const int serve_n_assets;
const serve_asset *serve_asset_find(const char *name);

/* The limits of one server (cmd_serve.c fills them from the options). */
typedef struct {
    size_t max_body;      /* [B] largest request body; larger: 413 */
    double max_steps;     /* [1] largest work of one run: the loader's estimated time steps
                           * (exo_config_steps) of all arms x (draws + 1); larger: 400 */
    int max_draws;        /* [1] largest ?draws=N */
    int max_runs;         /* [1] runs at once */
    int max_queue;        /* [1] runs waiting for one of those; more: 503 */
    int max_connections;  /* [1] open connections */
    int timeout;          /* [s] an idle connection is closed */
} serve_limits;

/* An answer: HTTP status, media type and body (malloc'd, owned by the caller). */
typedef struct {
    int status;
    const char *type;
    char *body;
    size_t len;
} serve_reply;

/* What the API shares between requests: the limits, the posterior of the
 * draws (NULL: none found, ?draws refused) and the run gate. */
typedef struct serve_api serve_api;
serve_api *serve_api_create(const serve_limits *lim, char *why, size_t cap);
void serve_api_destroy(serve_api *api);
/* Unblocks the queue for shutdown: waiting runs answer 503. */
void serve_api_stop(serve_api *api);

/* POST /api/check and /api/run: body (len bytes, not NUL-terminated) is a
 * scenario in YAML or JSON; draws: the ?draws= text (NULL: 0); lang: ?lang=,
 * en or fr, the language of the readout labels (NULL: en).  Fills *out. */
void serve_api_check(serve_api *api, const char *body, size_t len, serve_reply *out);
void serve_api_run(serve_api *api, const char *body, size_t len, const char *draws, const char *lang,
                   serve_reply *out);
/* GET /api/schema, /api/examples, /api/examples/NAME (NAME looked up among the
 * built-in examples only), /api/info. */
void serve_api_schema(serve_api *api, serve_reply *out);
void serve_api_examples(serve_reply *out);
void serve_api_example(const char *name, serve_reply *out);
void serve_api_info(serve_api *api, serve_reply *out);
/* A JSON error answer {"error": msg} with status. */
void serve_reply_error(serve_reply *out, int status, const char *msg);

/* The YAML (or JSON) text as written, as a JSON value: mappings as objects,
 * sequences as arrays, every scalar as a string (the page's form edits it and
 * writes it back as YAML).  NULL if it does not parse (the loader says why). */
struct cJSON;
struct cJSON *serve_yaml_tree(const char *text, size_t len);

#endif
