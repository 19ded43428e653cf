/* mpi_stub.c - cli_mpi.h in a build without MPI: `mpirun -np N exoskin
 * trial` is refused with a message on rank 0 (docs/trials.md, "MPI"). */
#include "cli_mpi.h"

#include <stdio.h>
#include <stdlib.h>

int cli_mpi_start(int *rank, int *size)
{
    *size = cli_mpi_env(rank);
    if (*rank != 0) {
        fclose(stdout);
        fclose(stderr);
    } else {
        fprintf(stderr, "exoskin: this exoskin was built without MPI (install libopenmpi-dev and rebuild); "
                        "run the trial without mpirun\n");
    }
    return -1;
}

void cli_mpi_stop(void) {}
int cli_mpi_max(int rc) { return rc; }
int cli_mpi_bcast(int rc) { return rc; }

exo_status cli_mpi_trial(exo_ctx *ctx, exo_units *u, const exo_config *cfg, exo_progress_fn progress, void *user,
                         exo_trial_result **out)
{
    *out = NULL;
    return exo_ctx_error(ctx, EXO_EINVAL, "built without MPI");
}

int cli_mpi_comm(exo_comm *c)
{
    (void)c;
    return -1;
}

void cli_mpi_abort(int rc) { exit(rc); }
void cli_mpi_unmute(void) {}
