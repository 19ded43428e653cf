/* bench_diffusion3d.c - times the tissue-mode transport kernel on the
 * reference 3D diffusion-decay problem of docs/sources.md, "Reference performance problems"
 * section 1 (N = 100, 200; S = 1, 4; 1 and 2 threads) and measures the
 * machine's limit in the same run: a STREAM-like triad (2^25 doubles per
 * array, best of 5) gives the bandwidth, and the bound is that bandwidth over
 * 48 bytes per voxel-substance update (three sweeps, each reading and
 * writing the field once; benchmarks.md).  The kernel itself makes two passes
 * (KERNEL_BYTES_PER_UPDATE, docs/tissue.md), so its own bound is 1.5 times
 * higher; both fractions are printed.  Each case and each triad runs in a
 * child process, so the peak resident memory (getrusage) printed for a case
 * is that case's own.  Prints key=value lines; never part of the tests. */
#include <exoskin/exoskin.h>

#include "../src/tissue/diffusion3d.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BYTES_PER_UPDATE 48.0        /* the reference bound of benchmarks.md */
#define KERNEL_BYTES_PER_UPDATE 32.0 /* what exo__d3_step moves: two passes */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* Best triad bandwidth [GB/s] at `threads` threads (24 bytes per element). */
static double triad(int threads)
{
    const size_t n = (size_t)1 << 25;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    if (!a || !b || !c)
        return 0;
    omp_set_num_threads(threads);
    /* first touch by the threads that use the data; no shared writes */
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        a[i] = 0;
        b[i] = 1.0;
        c[i] = 2.0;
    }
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        /* each i is written by one thread only: no race */
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + 3.0 * c[i];
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    double check = a[n / 2];
    free(a);
    free(b);
    free(c);
    return check == 7.0 ? 24.0 * n / best / 1e9 : 0;
}

/* The reference problem; returns 0 after printing its line. */
static int run_case(int N, int S, int threads, double bw_GBps)
{
    omp_set_num_threads(threads);
    const double dx = 10.0, dt = 0.01, L = N * dx, w = 0.2 * L;
    const int k = N <= 100 ? 20 : 4, reps = 5;
    double D[4], decay[4];
    for (int s = 0; s < S; s++) {
        D[s] = 100.0 * (1 + 0.5 * s);
        decay[s] = 0.1 * (1 + s);
    }
    exo_ctx *ctx;
    exo_d3_plan *p;
    if (exo_ctx_create(1, &ctx) != EXO_OK)
        return 1;
    if (exo__d3_create(ctx, N, N, N, S, dx, dt, D, decay, &p) != EXO_OK) {
        fprintf(stderr, "bench_diffusion3d: %s\n", exo_ctx_last_error(ctx));
        return 1;
    }
    const size_t nv = (size_t)N * N * N;
    double *u[4];
    for (int s = 0; s < S; s++) {
        u[s] = malloc(nv * sizeof(double));
        if (!u[s])
            return 1;
    }
    /* initial condition, first touched in the z-plane order of the y sweep:
     * each (s, k) plane is written by one thread only */
#pragma omp parallel for collapse(2) schedule(static)
    for (int s = 0; s < S; s++)
        for (int kz = 0; kz < N; kz++)
            for (int j = 0; j < N; j++)
                for (int i = 0; i < N; i++) {
                    double x = (i + 0.5) * dx - L / 2, y = (j + 0.5) * dx - L / 2, z = (kz + 0.5) * dx - L / 2;
                    u[s][i + (size_t)N * (j + (size_t)N * kz)] = 1.0 + (s + 1) * exp(-(x * x + y * y + z * z) / (w * w));
                }
    exo__d3_step(p, u); /* warm-up, untimed */
    double t[5];
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (int st = 0; st < k; st++)
            exo__d3_step(p, u);
        t[r] = (now() - t0) / k;
    }
    qsort(t, reps, sizeof *t, cmp);
    double med = t[reps / 2], upd = (double)nv * S / med;
    double bound = bw_GBps * 1e9 / BYTES_PER_UPDATE;
    double resident = (double)nv * S * sizeof(double) + (double)exo__d3_plan_bytes(p);
    printf("bench=diffusion3d N=%d S=%d threads=%d steps=%d s_per_step=%.4g min_s_per_step=%.4g updates_per_s=%.3g "
           "min_updates_per_s=%.3g bytes_per_voxel_substance=%.2f bandwidth_GBps=%.1f bound_updates_per_s=%.3g "
           "fraction_of_bound=%.2f kernel_bytes_per_update=%.0f fraction_of_kernel_bound=%.2f peak_rss_MB=%.0f "
           "target_updates_per_s=2e8\n",
           N, S, threads, k, med, t[0], upd, (double)nv * S / t[0], resident / ((double)nv * S), bw_GBps, bound,
           upd / bound, KERNEL_BYTES_PER_UPDATE, upd * KERNEL_BYTES_PER_UPDATE / (bw_GBps * 1e9), peak_rss_mb());
    fflush(stdout);
    for (int s = 0; s < S; s++)
        free(u[s]);
    exo__d3_destroy(&p);
    exo_ctx_destroy(&ctx);
    return 0;
}

/* Runs fn in a child; the child writes one double (triad) or nothing back. */
static double in_child_triad(int threads)
{
    int fd[2];
    double v = 0;
    if (pipe(fd) != 0)
        return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        double bw = triad(threads);
        ssize_t wr = write(fd[1], &bw, sizeof bw);
        _exit(wr == (ssize_t)sizeof bw ? 0 : 1);
    }
    close(fd[1]);
    if (pid < 0 || read(fd[0], &v, sizeof v) != (ssize_t)sizeof v)
        v = 0;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return v;
}

static int in_child_case(int N, int S, int threads, double bw)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(run_case(N, S, threads, bw));
    int status = 1;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    int nmax = argc > 1 ? atoi(argv[1]) : 200; /* bench_diffusion3d 100: the small cases only */
    double bw[3] = {0, 0, 0};
    for (int th = 1; th <= 2; th++) {
        bw[th] = in_child_triad(th);
        printf("bench=triad threads=%d array_doubles=%d bandwidth_GBps=%.1f bound_updates_per_s=%.3g\n", th, 1 << 25,
               bw[th], bw[th] * 1e9 / BYTES_PER_UPDATE);
    }
    const int Ns[2] = {100, 200}, Ss[2] = {1, 4};
    int rc = 0;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            for (int th = 1; th <= 2; th++)
                if (Ns[a] <= nmax)
                    rc |= in_child_case(Ns[a], Ss[b], th, bw[th]);
    return rc;
}
