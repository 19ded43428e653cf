/* bench_util.h - what the benchmarks share: wall and CPU clocks, timing a
 * shell command, and the path of the exoskin CLI beside a benchmark. */
#ifndef EXO_BENCH_UTIL_H
#define EXO_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* CPU seconds of the whole process (every thread): on a shared machine the
 * wall time also counts other people's work, this does not. */
static inline double bench_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Seconds of one shell command, or -1 if it failed. */
static inline double bench_timed(const char *cmd)
{
    double t0 = bench_now();
    return system(cmd) == 0 ? bench_now() - t0 : -1.0;
}

/* The exoskin CLI beside the benchmark `self` (argv[0]) into cli; true when
 * mpirun and an MPI build of it are there. */
static inline int bench_cli_with_mpi(const char *self, char *cli, size_t size)
{
    char cmd[8192];
    const char *slash = strrchr(self, '/');
    snprintf(cli, size, "%.*s%sexoskin", slash ? (int)(slash - self + 1) : 0, self, slash ? "" : "./");
    snprintf(cmd, sizeof cmd, "command -v mpirun >/dev/null && ldd '%s' | grep -q libmpi", cli);
    return system(cmd) == 0;
}

#define BENCH_MPIRUN "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -q --oversubscribe"
#endif
