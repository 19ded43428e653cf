/* exo_study.h - validation against published results: every study definition
 * (a scenario file with a `study:` block, docs/studies.md) in a folder is
 * run and its endpoint compared with the reported value and tolerance. */
#ifndef EXO_STUDY_H
#define EXO_STUDY_H

#include "exo_input.h"
#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char file[256];
    char id[128];
    char level[64];
    char unit[64];
    double reported;     /* [unit] */
    double predicted;    /* [unit] */
    double low, high;    /* acceptance range [unit] */
    bool pass;           /* endpoint within [low, high] and every check holds */
    char note[512];      /* failed checks, or the check values */
} exo_validation_row;

/* Runs every *.yaml study in dir (sorted by name).  *rows is exo_alloc'd.
 * A file that fails to load or run is an error (EXO_EINPUT etc.). */
exo_status exo_validate_dir(exo_ctx *ctx, exo_units *u, const char *dir, exo_validation_row **rows,
                            int *n);

/* Runs one loaded study definition. */
exo_status exo_validate_config(exo_ctx *ctx, const exo_config *cfg, exo_validation_row *row);

#ifdef __cplusplus
}
#endif
#endif
