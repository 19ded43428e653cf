/* exo_core.h - the run context, status codes, allocation, logging and
 * counter-based random streams that every other module of libexoskin uses.
 * The library never prints or exits: functions return an exo_status and leave
 * a message on the context (exo_ctx_last_error). */
#ifndef EXO_CORE_H
#define EXO_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_VERSION_STRING "0.1.0"

/* The version of the library linked at run time ("0.1.0"), to compare with
 * the EXO_VERSION_STRING a program was compiled against. */
const char *exo_version(void);

/* One list for every status code and its message, so the two cannot drift. */
#define EXO_STATUS_LIST(X)                                              \
    X(EXO_OK, "ok")                                                     \
    X(EXO_ENOMEM, "out of memory")                                      \
    X(EXO_EINVAL, "invalid argument")                                   \
    X(EXO_EINPUT, "invalid input")                                      \
    X(EXO_EUNIT, "unit error")                                          \
    X(EXO_EIO, "input/output error")                                    \
    X(EXO_ENUMERIC, "numerical failure")                                \
    X(EXO_ERANGE, "value out of range")                                 \
    X(EXO_ENOTFOUND, "not found")                                       \
    X(EXO_EVERIFY, "verification failed")                              \
    X(EXO_EWRITE, "cannot write the output")

typedef enum {
#define EXO_STATUS_ENUM_(name, msg) name,
    EXO_STATUS_LIST(EXO_STATUS_ENUM_)
#undef EXO_STATUS_ENUM_
    EXO_STATUS_COUNT
} exo_status;

/* Text of a status code; never NULL. */
const char *exo_status_str(exo_status s);

typedef enum {
    EXO_LOG_ERROR = 0,
    EXO_LOG_WARN = 1,
    EXO_LOG_INFO = 2,
    EXO_LOG_DEBUG = 3
} exo_log_level;

/* A log sink the caller provides; the library calls it, never stdio. */
typedef void (*exo_log_fn)(void *user, exo_log_level level, const char *msg);

typedef struct exo_ctx exo_ctx;

/* Creates a context.  seed is only stored (exo_ctx_seed returns it, and the
 * trial and sweep workers copy it into their own contexts): no random stream
 * reads it.  Every stream is keyed by the input's `seed` (exo_config.seed). */
exo_status exo_ctx_create(uint64_t seed, exo_ctx **out);
/* Destroys a context (NULL-safe) and sets *ctx to NULL. */
void exo_ctx_destroy(exo_ctx **ctx);

uint64_t exo_ctx_seed(const exo_ctx *ctx);
/* The language of the reports (report.html) written with this context:
 * "en" (the default) or "fr"; EXO_EINPUT for any other. */
exo_status exo_ctx_set_language(exo_ctx *ctx, const char *lang);
const char *exo_ctx_language(const exo_ctx *ctx);
void exo_ctx_set_log(exo_ctx *ctx, exo_log_level level, exo_log_fn fn, void *user);
void exo_ctx_log(exo_ctx *ctx, exo_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Messages between the processes that run one simulation together (tissue
 * mode's block split into slabs of rows, docs/tissue.md "MPI").  The library
 * calls nothing but these; the CLI supplies them over MPI (cli/mpi.c).
 * Every rank calls exo_run with the same input and the same context
 * settings.  All calls block; each returns 0 on success. */
typedef struct exo_comm {
    int rank, size;
    void *user;
    /* `bytes` bytes to rank `to` / from rank `from` */
    int (*send)(void *user, int to, const void *buf, size_t bytes);
    int (*recv)(void *user, int from, void *buf, size_t bytes);
    /* Collective: rank r's all[r] bytes (buf, bytes = all[rank]), every
     * rank's in rank order, into out on every rank. */
    int (*allgather)(void *user, const void *buf, size_t bytes, void *out, const size_t *all);
} exo_comm;

/* Runs on this context share their work with the other ranks of comm
 * (copied; NULL or size 1: alone, the default).  EXO_EINVAL for a
 * communicator without its functions or with rank outside 0..size-1.
 * Only rank 0's result holds the recorded 3D fields of a tissue-mode run:
 * write it (exo_result_write) and its report there; elsewhere they are
 * refused (EXO_EINVAL). */
exo_status exo_ctx_set_comm(exo_ctx *ctx, const exo_comm *comm);

/* Records an error message on the context and returns status s. */
exo_status exo_ctx_error(exo_ctx *ctx, exo_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The last message recorded by exo_ctx_error ("" if none). */
const char *exo_ctx_last_error(const exo_ctx *ctx);
void exo_ctx_clear_error(exo_ctx *ctx);

/* Test hook: after n more successful allocations, exo_alloc fails (n < 0: never). */
void exo_ctx_fail_alloc_after(exo_ctx *ctx, long n);

/* Overflow-checked, counted, zero-filled allocation; NULL on failure. */
void *exo_alloc(exo_ctx *ctx, size_t n, size_t size);
void *exo_realloc(exo_ctx *ctx, void *p, size_t n, size_t size);
void exo_free(exo_ctx *ctx, void *p);
char *exo_strdup(exo_ctx *ctx, const char *s);
/* Bytes currently held through exo_alloc. */
size_t exo_ctx_bytes_in_use(const exo_ctx *ctx);

/* Counter-based random numbers (SplitMix64-style hash of seed, purpose, index,
 * counter): the value depends only on its key, never on call order, threads
 * or ranks. */
uint64_t exo_rng_u64(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t counter);
/* Uniform double in (0, 1) from the same key. */
double exo_rng_uniform(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t counter);

/* Propagate a failing status to the function's cleanup label `out`. */
#define EXO_TRY(call)                      \
    do {                                   \
        st = (call);                       \
        if (st != EXO_OK) goto out;        \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif
