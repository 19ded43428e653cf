/* output.h - internals of src/output/, the files of a result folder, for the
 * front door (src/publish/) and the study writers: the files of a run
 * (timeseries.csv, profiles.csv, summary.json and the tissue fields), JSON
 * documents and atomic result folders.  Output writes data files only; the
 * report is written beside them by the front door. */
#ifndef EXO_OUTPUT_H
#define EXO_OUTPUT_H

#include "engine/result.h"

/* The one CSV field writer of every CSV file (csv.c, RFC 4180): the text in
 * double quotes, embedded quotes doubled (every name from the input), or
 * quoted only where it holds a comma, a quote, CR or LF (exo__csv_field). */
#include <stdio.h>
void exo__csv_quoted(FILE *f, const char *s);
void exo__csv_field(FILE *f, const char *s);

/* Prints a JSON document (cJSON; consumed, NULL means out of memory) to path. */
struct cJSON;
exo_status exo__write_json(exo_ctx *ctx, struct cJSON *root, const char *path);

/* Writes a result folder atomically (folder.c): fill() writes its files into
 * a fresh temporary sibling folder, which is renamed to dir only when
 * complete; an earlier dir is replaced only as exo_output_check allows. */
typedef exo_status (*exo__folder_writer)(exo_ctx *ctx, const void *user, const char *tmp_dir);
exo_status exo__write_folder(exo_ctx *ctx, const char *dir, bool replace, exo__folder_writer fill, const void *user);
/* mkdir -p of path's parent folders (folder.c). */
exo_status exo__make_parents(exo_ctx *ctx, const char *path);

/* The data files of run r into the existing folder dir (the temporary folder
 * of exo__write_folder): timeseries.csv, profiles.csv, summary.json (with
 * effective_yaml) and the tissue fields (exo__tissue_write_fields). */
exo_status exo__result_write_files(exo_ctx *ctx, const exo_result *r, const char *effective_yaml, const char *dir);

/* Writes the recorded fields of the tissue-mode arms of r into dir (nothing
 * for column runs): fields_xz.csv and, per tissue arm A, tissue_armA.h5 with
 * its XDMF sidecar tissue_armA.xdmf (fields.c, docs/tissue.md). */
/* Rows j0..j1-1 of a recorded field (nx*ny*nz, x fastest, depth cells of g)
 * averaged onto uniform depth rows of dz [um] from the surface down to
 * min(z_max, the grid's depth): out[i + nx*((j - j0) + (j1 - j0)*q)] is the
 * mean over [q dz, (q+1) dz] (the last row possibly shorter), so amounts are
 * conserved.  Returns the number of rows, 0 if more than cap_rows. */
int exo__tissue_resample_depth(const exo_grid *g, const float *field, int nx, int ny, int nz, int j0, int j1,
                               double z_max, double dz, double *out, int cap_rows);

exo_status exo__tissue_write_fields(exo_ctx *ctx, const exo_result *r, const char *dir);

#endif
