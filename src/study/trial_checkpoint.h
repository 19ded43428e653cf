/* trial_checkpoint.h - internal: the checkpoint file of a running trial
 * (docs/trials.md, "Checkpoints and resume").  One text line per completed
 * patient-arm row, every double as a "%a" hex float (exact round trip), each
 * line closed by the FNV-1a 64 checksum of its text; the header names the
 * input (hash of the effective YAML), the seed, the version and the shape of
 * the trial.  A torn or damaged last line is detected and dropped on resume. */
#ifndef EXO_TRIAL_CHECKPOINT_H
#define EXO_TRIAL_CHECKPOINT_H

#include <exoskin/exo_trial.h>

#include <stdio.h>

/* fsync the checkpoint at least every this many records. */
#define EXO__CKPT_SYNC_EVERY 8

typedef struct {
    char path[4096];
    FILE *f;
    int n_rows, n_visits;
    bool *have;        /* [n_rows] rows loaded from the file on resume */
    int n_have;
    int unsynced;      /* records written since the last fsync */
    char *line;        /* record buffer */
    size_t line_cap;
} exo__trial_ckpt;

/* FNV-1a 64 of n bytes, continuing from h (start: EXO__FNV_OFFSET). */
#define EXO__FNV_OFFSET 0xcbf29ce484222325ull
uint64_t exo__fnv1a64(uint64_t h, const void *p, size_t n);

/* Opens the checkpoint at path for the trial of cfg with n_rows rows (the
 * result's rows, whose value/change arrays must be in place).  resume false:
 * the file must not exist (EXO_EINPUT otherwise) and is created with its
 * header.  resume true: a missing file starts a fresh one; an existing one
 * must belong to the same input, seed and version (EXO_EINPUT otherwise); its
 * valid records are loaded into rows[] (marked in have[]), and the file is
 * cut after the last valid record and reopened for appending. */
exo_status exo__trial_ckpt_open(exo_ctx *ctx, const char *path, const exo_config *cfg, int n_rows, bool resume,
                                exo_trial_patient *rows, exo__trial_ckpt **out);
/* Appends row `row` (one line, flushed; fsync every EXO__CKPT_SYNC_EVERY).
 * Uses no context, so that it may run in a critical section of worker
 * threads: on failure returns EXO_EIO with the reason in msg. */
exo_status exo__trial_ckpt_append(exo__trial_ckpt *c, int row, const exo_trial_patient *p, char *msg, size_t cap);
/* Syncs and closes the file (it stays on disk) and frees c; NULL-safe. */
void exo__trial_ckpt_close(exo_ctx *ctx, exo__trial_ckpt **c);

#endif
