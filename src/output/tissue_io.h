/* tissue_io.h - internal interface of the tissue-mode output files
 * (docs/tissue.md): voxel fields in HDF5 with an XDMF 3 sidecar that ParaView
 * opens (PNG pictures of slices through a field: report/report_impl.h).
 *
 * Fields are arrays of nx*ny*nz doubles, x fastest (index i + nx*(j + ny*k)),
 * on voxels of edge dx_um [um]; voxel (i, j, k) spans [i dx, (i+1) dx] along
 * x (likewise y) and depths [k dx, (k+1) dx] below the surface. */
#ifndef EXO_TISSUE_IO_H
#define EXO_TISSUE_IO_H

#include <exoskin/exo_core.h>

/* Writes n_times snapshots of n_fields fields to path_h5 and its XDMF 3
 * sidecar path_xdmf (NULL: none).
 *   names[f]: dataset name, 1..63 characters from [A-Za-z0-9_-], distinct;
 *   units[f]: its unit (udunits string, e.g. "particles/mL"; written as an
 *             attribute, so any printable text without '"', '<', '>', '&');
 *   fields[t * n_fields + f]: field f at time t (nx*ny*nz doubles, x fastest);
 *   times_h[t]: the time of snapshot t [h], finite;
 *   deflate: 0 stores each dataset contiguous and uncompressed (fastest);
 *            1..9 chunks it by z-plane with byte shuffle and zlib deflate at
 *            that level (1: about half the size of smooth fields and about
 *            5 times the write time; EXO_EINVAL if HDF5 lacks the filters).
 * HDF5 layout: group /tNNNN per snapshot (4+ digits, from 0) with attributes
 * time (double) and time_unit ("h"); in it one dataset per field named
 * names[f], shape [nz][ny][nx] (so x is fastest, as in memory), 64-bit IEEE
 * little-endian (stored as `deflate` says), attribute unit.  The root group
 * has the attributes voxel_size (double) with voxel_size_unit ("um"), grid
 * (int[3]: nz, ny, nx, the datasets' shape), grid_axes ("depth y x"),
 * time_unit ("h") and exoskin_version.  Group /mesh holds the voxels as
 * hexahedra: geometry ((nz+1)(ny+1)(nx+1) x 3 doubles [um], node (i, j, k)
 * at (i dx, j dx, -k dx): the skin surface at z = 0, depth downwards) and
 * topology (nx ny nz x 8 node numbers, int32, int64 past 2^31 nodes; voxels
 * in the fields' order), chunked and deflated when HDF5 has the filters.
 * No object carries a time stamp, so the same arguments give the same bytes.
 * XDMF: a temporal collection of uniform grids of hexahedra on that mesh
 * whose cell-centred scalar attributes reference the HDF5 datasets by the
 * HDF5 file's base name when both files are in the same folder (by path_h5
 * as given otherwise); the Domain's Information elements give time_unit,
 * length_unit and unit:NAME for every field.  ParaView's XDMF 3 reader and
 * meshio's TimeSeriesReader read it (tests/xdmf.sh).
 * Both files are written under temporary names and renamed into place when
 * complete; on failure nothing is left behind.  EXO_EINVAL on bad arguments,
 * EXO_EIO on write failure (with HDF5's reason), EXO_ENOMEM; the message is
 * on ctx and nothing is printed (HDF5's error printing is off during the
 * call). */
exo_status exo__tissue_write_h5(exo_ctx *ctx, const char *path_h5, const char *path_xdmf, int nx, int ny, int nz,
                                double dx_um, int n_fields, const char *const *names, const char *const *units,
                                const double *const *fields, int n_times, const double *times_h, int deflate);

/* Makes an empty file named after `path` in its folder (path.tmp.PID.N),
 * leaving the name in tmp (size n); then renames tmp to path (removing tmp
 * on failure).  For files written whole and put in place when complete
 * (here and the report's slice pictures, report/field_png.c). */
exo_status exo__file_temp(exo_ctx *ctx, const char *path, char *tmp, size_t n);
exo_status exo__file_in_place(exo_ctx *ctx, const char *tmp, const char *path);

#endif
