/* ctx.c - the run context: status messages, error slot, logging and the
 * counted allocator.  No mutable globals: all shared run state lives here. */
#include <exoskin/exo_core.h>

#include "comm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct exo_ctx {
    uint64_t seed;
    exo_log_level level;
    exo_log_fn log_fn;
    void *log_user;
    char error[1024];
    size_t bytes;        /* [B] currently allocated through exo_alloc */
    long fail_after;     /* allocations left before an injected failure; < 0: off */
    char lang[4];        /* language of the reports: "en" or "fr" */
    exo_comm comm;       /* the ranks that share a run (size 1: alone) */
};

/* Allocation header: keeps the size so the byte count stays exact. */
typedef struct {
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
} alloc_hdr;

const char *exo_status_str(exo_status s)
{
    static const char *const msgs[] = {
#define EXO_STATUS_MSG_(name, msg) msg,
        EXO_STATUS_LIST(EXO_STATUS_MSG_)
#undef EXO_STATUS_MSG_
    };
    if ((int)s < 0 || s >= EXO_STATUS_COUNT)
        return "unknown status";
    return msgs[s];
}

exo_status exo_ctx_create(uint64_t seed, exo_ctx **out)
{
    exo_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return EXO_ENOMEM;
    c->seed = seed;
    c->level = EXO_LOG_WARN;
    c->fail_after = -1;
    strcpy(c->lang, "en");
    c->comm = (exo_comm){0, 1, NULL, NULL, NULL, NULL};
    *out = c;
    return EXO_OK;
}

void exo_ctx_destroy(exo_ctx **ctx)
{
    if (!ctx || !*ctx)
        return;
    free(*ctx);
    *ctx = NULL;
}

uint64_t exo_ctx_seed(const exo_ctx *ctx) { return ctx->seed; }

exo_status exo_ctx_set_language(exo_ctx *ctx, const char *lang)
{
    if (!lang || (strcmp(lang, "en") && strcmp(lang, "fr")))
        return exo_ctx_error(ctx, EXO_EINPUT, "language '%s' (expected en or fr)", lang ? lang : "");
    strcpy(ctx->lang, lang);
    return EXO_OK;
}

const char *exo_ctx_language(const exo_ctx *ctx) { return ctx ? ctx->lang : "en"; }

void exo_ctx_set_log(exo_ctx *ctx, exo_log_level level, exo_log_fn fn, void *user)
{
    ctx->level = level;
    ctx->log_fn = fn;
    ctx->log_user = user;
}

void exo_ctx_log(exo_ctx *ctx, exo_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log_fn || level > ctx->level)
        return; /* check the level before formatting */
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ctx->log_fn(ctx->log_user, level, buf);
}

exo_status exo_ctx_error(exo_ctx *ctx, exo_status s, const char *fmt, ...)
{
    if (!ctx)
        return s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    return s;
}

const char *exo_ctx_last_error(const exo_ctx *ctx) { return ctx ? ctx->error : ""; }
void exo_ctx_clear_error(exo_ctx *ctx) { ctx->error[0] = '\0'; }
void exo_ctx_fail_alloc_after(exo_ctx *ctx, long n) { ctx->fail_after = n; }
size_t exo_ctx_bytes_in_use(const exo_ctx *ctx) { return ctx->bytes; }

static bool inject_failure(exo_ctx *ctx)
{
    if (!ctx || ctx->fail_after < 0)
        return false;
    if (ctx->fail_after == 0)
        return true;
    ctx->fail_after--;
    return false;
}

void *exo_alloc(exo_ctx *ctx, size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - sizeof(alloc_hdr)) / size)
        return NULL;
    if (inject_failure(ctx))
        return NULL;
    size_t bytes = n * size;
    alloc_hdr *h = calloc(1, sizeof *h + (bytes ? bytes : 1));
    if (!h)
        return NULL;
    h->size = bytes;
    if (ctx)
        ctx->bytes += bytes;
    return h + 1;
}

void *exo_realloc(exo_ctx *ctx, void *p, size_t n, size_t size)
{
    if (!p)
        return exo_alloc(ctx, n, size);
    if (size && n > (SIZE_MAX - sizeof(alloc_hdr)) / size)
        return NULL;
    if (inject_failure(ctx))
        return NULL;
    alloc_hdr *h = (alloc_hdr *)p - 1;
    size_t old = h->size, bytes = n * size;
    alloc_hdr *nh = realloc(h, sizeof *nh + (bytes ? bytes : 1));
    if (!nh)
        return NULL;
    if (bytes > old)
        memset((char *)(nh + 1) + old, 0, bytes - old);
    nh->size = bytes;
    if (ctx)
        ctx->bytes = ctx->bytes - old + bytes;
    return nh + 1;
}

void exo_free(exo_ctx *ctx, void *p)
{
    if (!p)
        return;
    alloc_hdr *h = (alloc_hdr *)p - 1;
    if (ctx)
        ctx->bytes -= h->size;
    free(h);
}

char *exo_strdup(exo_ctx *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = exo_alloc(ctx, n, 1);
    if (d)
        memcpy(d, s, n);
    return d;
}

exo_status exo_ctx_set_comm(exo_ctx *ctx, const exo_comm *comm)
{
    if (!comm || comm->size <= 1) {
        ctx->comm = (exo_comm){0, 1, NULL, NULL, NULL, NULL};
        return EXO_OK;
    }
    if (!comm->send || !comm->recv || !comm->allgather || comm->rank < 0 || comm->rank >= comm->size)
        return exo_ctx_error(ctx, EXO_EINVAL, "communicator: rank %d of %d, or a function missing", comm->rank,
                             comm->size);
    ctx->comm = *comm;
    return EXO_OK;
}

const exo_comm *exo__comm(const exo_ctx *ctx) { return &ctx->comm; }

exo_status exo__comm_send(exo_ctx *ctx, int to, const void *buf, size_t bytes)
{
    const exo_comm *c = &ctx->comm;
    if (c->send(c->user, to, buf, bytes) != 0)
        return exo_ctx_error(ctx, EXO_EIO, "rank %d: sending %zu bytes to rank %d failed", c->rank, bytes, to);
    return EXO_OK;
}

exo_status exo__comm_recv(exo_ctx *ctx, int from, void *buf, size_t bytes)
{
    const exo_comm *c = &ctx->comm;
    if (c->recv(c->user, from, buf, bytes) != 0)
        return exo_ctx_error(ctx, EXO_EIO, "rank %d: receiving %zu bytes from rank %d failed", c->rank, bytes, from);
    return EXO_OK;
}

exo_status exo__comm_allgather(exo_ctx *ctx, const void *buf, size_t bytes, void *out, const size_t *all)
{
    const exo_comm *c = &ctx->comm;
    if (c->size <= 1) {
        if (bytes)
            memmove(out, buf, bytes);
        return EXO_OK;
    }
    if (c->allgather(c->user, buf, bytes, out, all) != 0)
        return exo_ctx_error(ctx, EXO_EIO, "rank %d: gathering from %d ranks failed", c->rank, c->size);
    return EXO_OK;
}

exo_status exo__comm_allgather_same(exo_ctx *ctx, const void *buf, size_t bytes, void *out)
{
    const exo_comm *c = &ctx->comm;
    size_t all[EXO_COMM_MAX_RANKS];
    if (c->size > EXO_COMM_MAX_RANKS)
        return exo_ctx_error(ctx, EXO_EINVAL, "%d ranks (at most %d)", c->size, EXO_COMM_MAX_RANKS);
    for (int r = 0; r < c->size; r++)
        all[r] = bytes;
    return exo__comm_allgather(ctx, buf, bytes, out, all);
}

exo_status exo__comm_sum(exo_ctx *ctx, double *v, int n)
{
    const exo_comm *c = &ctx->comm;
    if (c->size <= 1)
        return EXO_OK;
    double *all = exo_alloc(ctx, (size_t)n * (size_t)c->size, sizeof *all);
    if (!all)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for a sum over %d ranks", c->size);
    exo_status st = exo__comm_allgather_same(ctx, v, (size_t)n * sizeof *v, all);
    if (st == EXO_OK)
        for (int x = 0; x < n; x++) {
            double s = 0;
            for (int r = 0; r < c->size; r++) /* rank order: the same sum on every rank */
                s += all[(size_t)r * (size_t)n + (size_t)x];
            v[x] = s;
        }
    exo_free(ctx, all);
    return st;
}

const char *exo_version(void) { return EXO_VERSION_STRING; }
