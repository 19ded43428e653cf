/* mpi.c - cli_mpi.h with MPI (built when CMake finds MPI; docs/trials.md,
 * "MPI").  Rows are dealt round-robin (row i to rank i % size, which mixes
 * the arms of a parallel design), each rank runs its rows with
 * exo_trial_run_part, and rank 0 gathers them (MPI_Gatherv of 8 + 2 x visits
 * doubles per row, exact) into patient order and summarises them with
 * exo_trial_finish: the same bits as a serial run.  For tissue mode it
 * hands the library an exo_comm made of MPI_Send, MPI_Recv and
 * MPI_Allgatherv. */
#include "cli_mpi.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The counts and offsets of MPI_Allgatherv, made once (cli_mpi_comm). */
typedef struct {
    int rank, size;
    int *counts, *displs;
} gather_plan;
static gather_plan plan;

static int saved_stderr = -1; /* a rank above 0: its stderr before muting */

int cli_mpi_start(int *rank, int *size)
{
    int provided;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "exoskin: MPI_Init failed\n");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (*rank != 0) { /* one message, from rank 0 */
        saved_stderr = dup(STDERR_FILENO);
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return 0;
    }
    return 0;
}

void cli_mpi_stop(void)
{
    free(plan.counts);
    free(plan.displs);
    plan = (gather_plan){0, 0, NULL, NULL};
    MPI_Finalize();
}

int cli_mpi_max(int rc)
{
    int all = rc;
    MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

int cli_mpi_bcast(int rc)
{
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return rc;
}

static int row_width(int nv) { return 8 + 2 * nv; }

static void pack(const exo_trial_patient *p, int nv, double *b)
{
    b[0] = p->patient;
    b[1] = p->arm;
    b[2] = p->age;
    b[3] = p->sex;
    b[4] = p->phototype;
    b[5] = p->baseline;
    b[6] = p->serious_ae;
    b[7] = p->p_serious;
    memcpy(b + 8, p->value, (size_t)nv * sizeof *b);
    memcpy(b + 8 + nv, p->change, (size_t)nv * sizeof *b);
}

static void unpack(const double *b, int nv, exo_trial_patient *p)
{
    p->patient = (int)b[0];
    p->arm = (int)b[1];
    p->age = b[2];
    p->sex = (exo_sex)b[3];
    p->phototype = (int)b[4];
    p->baseline = b[5];
    p->serious_ae = b[6] != 0;
    p->p_serious = b[7];
    memcpy(p->value, b + 8, (size_t)nv * sizeof *b);
    memcpy(p->change, b + 8 + nv, (size_t)nv * sizeof *b);
}

static int rows_of(int n, int rank, int size) { return rank < n ? (n - rank + size - 1) / size : 0; }

/* The first failure of all ranks (the lowest failing row; a failure before
 * any row, -1, comes first), its status and message on every rank. */
static exo_status agree(exo_ctx *ctx, exo_status st, int first_bad, int rank, int size)
{
    int code = st == EXO_OK ? INT_MAX : first_bad, g, owner, mine;
    MPI_Allreduce(&code, &g, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (g == INT_MAX)
        return EXO_OK;
    mine = code == g ? rank : size;
    MPI_Allreduce(&mine, &owner, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    struct {
        int st;
        char msg[1024];
    } e = {(int)st, ""};
    if (rank == owner)
        snprintf(e.msg, sizeof e.msg, "%s", exo_ctx_last_error(ctx));
    MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, owner, MPI_COMM_WORLD);
    return exo_ctx_error(ctx, (exo_status)e.st, "%s", e.msg);
}

exo_status cli_mpi_trial(exo_ctx *ctx, exo_units *u, const exo_config *cfg, exo_progress_fn progress, void *user,
                         exo_trial_result **out)
{
    int rank, size, first_bad = -1;
    exo_trial_result *r = NULL;
    double *mine = NULL, *all = NULL;
    int *counts = NULL, *displs = NULL;
    *out = NULL;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    exo_status st = exo_trial_run_part(ctx, u, cfg, rank, size, progress, user, &first_bad, &r);
    if ((st = agree(ctx, st, first_bad, rank, size)) != EXO_OK) {
        exo_trial_destroy(ctx, &r);
        return st;
    }
    int n = r->n_patients, nv = r->n_visits, w = row_width(nv), m = rows_of(n, rank, size);
    mine = malloc(((size_t)m + 1) * (size_t)w * sizeof *mine);
    if (rank == 0) {
        all = malloc((size_t)n * (size_t)w * sizeof *all);
        counts = malloc((size_t)size * sizeof *counts);
        displs = malloc((size_t)size * sizeof *displs);
    }
    int ok = mine && (rank != 0 || (all && counts && displs)), all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory gathering %d patient-arm rows", n);
        goto out;
    }
    for (int j = 0; j < m; j++)
        pack(&r->patients[rank + j * size], nv, mine + (size_t)j * w);
    if (rank == 0)
        for (int k = 0, d = 0; k < size; k++) {
            counts[k] = rows_of(n, k, size) * w;
            displs[k] = d;
            d += counts[k];
        }
    MPI_Gatherv(mine, m * w, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        for (int k = 0; k < size; k++)
            for (int j = 0; j < rows_of(n, k, size); j++)
                unpack(all + displs[k] + (size_t)j * w, nv, &r->patients[k + j * size]);
        st = exo_trial_finish(ctx, r);
    }
out:
    free(mine);
    free(all);
    free(counts);
    free(displs);
    if (st != EXO_OK || rank != 0)
        exo_trial_destroy(ctx, &r);
    *out = r;
    return st;
}

/* exo_comm over MPI_COMM_WORLD: messages in bytes, ordered between each
 * pair of ranks (MPI does not let them overtake); larger than INT_MAX bytes
 * in parts. */
static int comm_send(void *user, int to, const void *buf, size_t bytes)
{
    (void)user;
    const char *p = buf;
    do {
        int n = bytes > INT_MAX ? INT_MAX : (int)bytes;
        if (MPI_Send(p, n, MPI_BYTE, to, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
        p += n;
        bytes -= (size_t)n;
    } while (bytes > 0);
    return 0;
}

static int comm_recv(void *user, int from, void *buf, size_t bytes)
{
    (void)user;
    char *p = buf;
    do {
        int n = bytes > INT_MAX ? INT_MAX : (int)bytes;
        if (MPI_Recv(p, n, MPI_BYTE, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return -1;
        p += n;
        bytes -= (size_t)n;
    } while (bytes > 0);
    return 0;
}

static int comm_allgather(void *user, const void *buf, size_t bytes, void *out, const size_t *all)
{
    gather_plan *p = user;
    size_t total = 0;
    (void)bytes;
    for (int r = 0; r < p->size; r++) {
        p->counts[r] = all[r] <= INT_MAX ? (int)all[r] : 0;
        p->displs[r] = total <= INT_MAX ? (int)total : 0;
        total += all[r];
    }
    if (total > INT_MAX) /* the same on every rank: all[] is */
        return -1;
    return MPI_Allgatherv(buf, p->counts[p->rank], MPI_BYTE, out, p->counts, p->displs, MPI_BYTE, MPI_COMM_WORLD) ==
                   MPI_SUCCESS
               ? 0
               : -1;
}

int cli_mpi_comm(exo_comm *c)
{
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    if (!plan.counts) {
        plan = (gather_plan){c->rank, c->size, malloc((size_t)c->size * sizeof(int)),
                             malloc((size_t)c->size * sizeof(int))};
        if (!plan.counts || !plan.displs)
            return -1;
    }
    c->user = &plan;
    c->send = comm_send;
    c->recv = comm_recv;
    c->allgather = comm_allgather;
    return 0;
}

void cli_mpi_abort(int rc)
{
    fflush(stderr); /* MPI_Abort does not flush */
    MPI_Abort(MPI_COMM_WORLD, rc);
}

void cli_mpi_unmute(void)
{
    if (saved_stderr >= 0) {
        fflush(stderr);
        dup2(saved_stderr, fileno(stderr));
        setvbuf(stderr, NULL, _IONBF, 0); /* freopen left it buffered */
    }
}
