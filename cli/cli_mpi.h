/* cli_mpi.h - how the command line splits a trial (docs/trials.md, "MPI")
 * or a tissue-mode block (docs/tissue.md, "MPI") across MPI ranks:
 * cli/mpi.c when CMake finds MPI, cli/mpi_stub.c
 * otherwise.  The library has no MPI: it runs a part of the rows
 * (exo_trial_run_part) and summarises them (exo_trial_finish); these
 * functions gather the rows to rank 0 in patient order.  MPI_Init is called
 * only when the process was started by mpirun with more than one rank. */
#ifndef EXO_CLI_MPI_H
#define EXO_CLI_MPI_H

#include <exoskin/exoskin.h>

/* Rank and size from the launcher's environment (Open MPI, PMI); no MPI
 * call (cli/main.c).  Returns the size (1 when not launched by mpirun). */
int cli_mpi_env(int *rank);
/* MPI_Init; ranks above 0 send stdout and stderr to /dev/null, so that
 * only rank 0 prints (cli_mpi_unmute gives stderr back).  Returns 0, or -1
 * (with a message) when this build has no MPI or MPI_Init fails. */
int cli_mpi_start(int *rank, int *size);
void cli_mpi_stop(void);
/* The largest rc of all ranks (every rank gets it). */
int cli_mpi_max(int rc);
/* Rank 0's rc (every rank gets it). */
int cli_mpi_bcast(int rc);
/* Every rank runs the rows i % size == rank of cfg's trial; rank 0 gets the
 * whole result, summarised (*out), the other ranks *out = NULL.  On a
 * failure in any rank every rank returns the status and message of the
 * failing row that comes first, as a serial run would. */
exo_status cli_mpi_trial(exo_ctx *ctx, exo_units *u, const exo_config *cfg, exo_progress_fn progress, void *user,
                         exo_trial_result **out);

/* An exo_comm over MPI_COMM_WORLD (exo_ctx_set_comm) for a tissue-mode run
 * split into slabs of rows (docs/tissue.md, "MPI").  -1 without MPI. */
int cli_mpi_comm(exo_comm *c);
/* Ends every rank's run with exit status rc (a failure in one rank while the
 * others wait for its messages). */
void cli_mpi_abort(int rc);
/* Gives a rank above 0 its stderr back (cli_mpi_start muted it): for the
 * message of a failure that only this rank has, before cli_mpi_abort. */
void cli_mpi_unmute(void);

#endif
