/* serve_http.h - the HTTP server of `exoskin serve` (cli/serve/http.c) on
 * libmicrohttpd, answering with cli/serve/api.c. */
#ifndef EXO_SERVE_HTTP_H
#define EXO_SERVE_HTTP_H

#include "serve.h"

typedef struct {
    const char *bind; /* numeric IPv4 or IPv6 address */
    unsigned port;    /* 0: any free port (serve_http_port says which) */
    serve_limits limits;
} serve_http_options;

typedef struct serve_http serve_http;

/* Starts listening, with threads of its own; NULL with why filled if not. */
serve_http *serve_http_start(const serve_http_options *o, serve_api *api, char *why, size_t cap);
unsigned serve_http_port(const serve_http *h);
/* Stops listening, waits for the answers under way and frees h (NULL-safe). */
void serve_http_stop(serve_http *h);

#endif
