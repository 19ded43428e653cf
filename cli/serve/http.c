/* http.c - the HTTP side of `exoskin serve` on libmicrohttpd: one thread
 * per connection (at most max_connections, idle ones closed after timeout
 * seconds) so that the page and the schema answer while runs take their
 * time; request bodies gathered in memory up to max_body (a larger declared
 * Content-Length is refused before it is read, a larger chunked body is
 * read to the end and refused); the routes; and the headers every answer
 * carries (a Content-Security-Policy that lets the page load only its own
 * script, style and API).  docs/serve.md says why each choice. */
#include "serve_http.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct serve_http {
    struct MHD_Daemon *daemon;
    serve_api *api;
    serve_limits lim;
    bool loopback; /* bound to a loopback address: the Host header must name it */
    unsigned port;
};

/* One request being read. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool too_big;
    size_t dropped; /* [B] read past max_body (or a GET's body) and dropped */
} request;

#define DRAIN_FACTOR 16 /* [1] an oversized body is read to its end up to this many max_body */

static const char *const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_reply(struct MHD_Connection *c, serve_reply *r, bool persistent, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body, persistent ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        if (!persistent)
            free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (allow)
        MHD_add_response_header(resp, "Allow", allow);
    if (r->status == 503)
        MHD_add_response_header(resp, "Retry-After", "2");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg, const char *allow)
{
    serve_reply r;
    serve_reply_error(&r, status, msg);
    return send_reply(c, &r, false, allow);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const char *name, const char *type)
{
    const serve_asset *a = serve_asset_find(name);
    if (!a)
        return send_error(c, 404, "not found", NULL);
    serve_reply r = {200, type, (char *)a->data, a->size};
    return send_reply(c, &r, true, NULL);
}

/* The Host header of a request to a loopback address names a loopback host
 * (a web page elsewhere cannot reach this server through a name of its own:
 * DNS rebinding). */
static bool host_allowed(const serve_http *h, struct MHD_Connection *c)
{
    if (!h->loopback)
        return true;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return true; /* HTTP/1.0 */
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        if (!strncasecmp(host, names[i], n) && (host[n] == '\0' || host[n] == ':'))
            return true;
    }
    return false;
}

/* A scenario's media type: YAML or JSON (a form's text/plain is refused, so
 * that another site's page cannot post to this server without the browser
 * asking first, which it never answers). */
static bool scenario_type(struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!t)
        return false;
    static const char *const ok[] = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                                     "application/json"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        size_t n = strlen(ok[i]);
        if (!strncasecmp(t, ok[i], n) && (t[n] == '\0' || t[n] == ';' || t[n] == ' '))
            return true;
    }
    return false;
}

static enum MHD_Result route(serve_http *h, struct MHD_Connection *c, const char *url, bool post, request *q)
{
    serve_reply r;
    if (post) {
        if (q->too_big)
            return send_error(c, 413, "request body too large", NULL);
        if (!strcmp(url, "/api/check"))
            serve_api_check(h->api, q->buf ? q->buf : "", q->len, &r);
        else if (!strcmp(url, "/api/run"))
            serve_api_run(h->api, q->buf ? q->buf : "", q->len,
                          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "draws"),
                          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"), &r);
        else
            return send_error(c, 404, "not found", NULL);
        return send_reply(c, &r, false, NULL);
    }
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return send_asset(c, "page/index.html", "text/html; charset=utf-8");
    if (!strcmp(url, "/app.js"))
        return send_asset(c, "page/app.js", "text/javascript; charset=utf-8");
    if (!strcmp(url, "/app.css"))
        return send_asset(c, "page/app.css", "text/css; charset=utf-8");
    if (!strcmp(url, "/api/schema"))
        serve_api_schema(h->api, &r);
    else if (!strcmp(url, "/api/info"))
        serve_api_info(h->api, &r);
    else if (!strcmp(url, "/api/examples"))
        serve_api_examples(&r);
    else if (!strncmp(url, "/api/examples/", 14))
        serve_api_example(url + 14, &r); /* a name among the built-in ones, never a path */
    else
        return send_error(c, 404, "not found", NULL);
    return send_reply(c, &r, false, NULL);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    (void)version;
    serve_http *h = cls;
    bool post = !strcmp(method, "POST");
    request *q = *state;
    if (!q) { /* the headers: refuse what need not be read */
        if (!(q = calloc(1, sizeof *q)))
            return MHD_NO;
        *state = q;
        if (!host_allowed(h, c))
            return send_error(c, 403, "Host: expected a loopback name (127.0.0.1, localhost or [::1])", NULL);
        if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
            return send_error(c, 405, "method not allowed (expected GET or POST)", "GET, HEAD, POST");
        if (post) {
            if (strncmp(url, "/api/", 5) != 0)
                return send_error(c, 405, "method not allowed (expected GET)", "GET, HEAD");
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > h->lim.max_body)
                return send_error(c, 413, "request body too large", NULL);
            if (!scenario_type(c))
                return send_error(c, 415, "Content-Type: expected application/yaml or application/json", NULL);
        }
        return MHD_YES;
    }
    if (*size > 0) { /* a piece of the body */
        if (!post || q->too_big || *size > h->lim.max_body - q->len) {
            /* read to the end and kept nowhere, then answered 413 (libmicrohttpd
             * cannot answer before the body is read); a body that goes on past
             * DRAIN_FACTOR x max_body has the connection closed instead */
            q->too_big = true;
            q->dropped += *size;
            if (q->dropped / DRAIN_FACTOR > h->lim.max_body)
                return MHD_NO;
        } else {
            if (q->len + *size + 1 > q->cap) {
                size_t cap = q->cap ? q->cap : 4096;
                while (cap < q->len + *size + 1)
                    cap *= 2;
                char *b = realloc(q->buf, cap);
                if (!b)
                    return MHD_NO;
                q->buf = b;
                q->cap = cap;
            }
            memcpy(q->buf + q->len, data, *size);
            q->len += *size;
            q->buf[q->len] = '\0';
        }
        *size = 0;
        return MHD_YES;
    }
    return route(h, c, url, post, q);
}

static void completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    request *q = *state;
    if (q) {
        free(q->buf);
        free(q);
        *state = NULL;
    }
}

serve_http *serve_http_start(const serve_http_options *o, serve_api *api, char *why, size_t cap)
{
    serve_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    h->api = api;
    h->lim = o->limits;
    struct sockaddr_in in4 = {0};
    struct sockaddr_in6 in6 = {0};
    struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, o->bind, &in4.sin_addr) == 1) {
        in4.sin_family = AF_INET;
        in4.sin_port = htons((uint16_t)o->port);
        sa = (struct sockaddr *)&in4;
        h->loopback = (ntohl(in4.sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, o->bind, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons((uint16_t)o->port);
        sa = (struct sockaddr *)&in6;
        flags |= MHD_USE_IPv6;
        h->loopback = IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr);
    } else {
        snprintf(why, cap, "--bind '%s': expected an IPv4 or IPv6 address (e.g. 127.0.0.1)", o->bind);
        free(h);
        return NULL;
    }
    h->daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR, sa,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->limits.max_connections,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->limits.timeout,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, h, MHD_OPTION_END);
    if (!h->daemon) {
        snprintf(why, cap, "cannot listen on %s port %u (in use, or not an address of this machine)", o->bind,
                 o->port);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : o->port;
    return h;
}

unsigned serve_http_port(const serve_http *h) { return h->port; }

void serve_http_stop(serve_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->daemon);
    free(h);
}
