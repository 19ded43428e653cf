/* comm.h - the library's side of exo_comm (exo_core.h): the ranks that run
 * one simulation together.  With no communicator (size 1) every call is a
 * copy or nothing, so callers need no second code path.  Failures leave a
 * message on the context. */
#ifndef EXO_COMM_H
#define EXO_COMM_H

#include <exoskin/exo_core.h>

#define EXO_COMM_MAX_RANKS 4096

const exo_comm *exo__comm(const exo_ctx *ctx);
exo_status exo__comm_send(exo_ctx *ctx, int to, const void *buf, size_t bytes);
exo_status exo__comm_recv(exo_ctx *ctx, int from, void *buf, size_t bytes);
/* Every rank's all[r] bytes in rank order into out (exo_comm.allgather). */
exo_status exo__comm_allgather(exo_ctx *ctx, const void *buf, size_t bytes, void *out, const size_t *all);
/* The same with `bytes` from every rank. */
exo_status exo__comm_allgather_same(exo_ctx *ctx, const void *buf, size_t bytes, void *out);
/* v[0..n) summed over the ranks in rank order (the same bits on every rank);
 * exact for integers below 2^53. */
exo_status exo__comm_sum(exo_ctx *ctx, double *v, int n);
#endif
