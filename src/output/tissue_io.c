/* tissue_io.c - the tissue-mode output files (tissue_io.h, docs/tissue.md):
 * voxel fields in HDF5 with an XDMF 3 sidecar (the PNG pictures of slices
 * are drawn by the report: report/field_png.c).
 * Every file is written under a temporary name in its own folder and renamed
 * into place when complete. */
#include "output/tissue_io.h"

#include <exoskin/exo_core.h>

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME_MAX_LEN 63

/* ---- temporary names ---------------------------------------------------- */

/* Makes an empty file named after `path` in its folder (path.tmp.PID.N, mode
 * 0666 less the umask, as fopen would), leaving the name in tmp (size n). */
exo_status exo__file_temp(exo_ctx *ctx, const char *path, char *tmp, size_t n)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        if ((size_t)snprintf(tmp, n, "%s.tmp.%ld.%d", path, (long)getpid(), attempt) >= n)
            return exo_ctx_error(ctx, EXO_EINVAL, "%s: path too long", path);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            close(fd);
            return EXO_OK;
        }
        if (errno != EEXIST)
            break;
    }
    return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
}

exo_status exo__file_in_place(exo_ctx *ctx, const char *tmp, const char *path)
{
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot rename into place: %s", path, strerror(e));
    }
    return EXO_OK;
}

/* ---- HDF5 ---------------------------------------------------------------- */

/* HDF5's innermost error description (its stack, walked downwards). */
static herr_t first_error(unsigned n, const H5E_error2_t *err, void *user)
{
    char *out = user;
    if (n == 0 && err->desc)
        snprintf(out, 160, "%s", err->desc);
    return 0;
}

static exo_status h5_fail(exo_ctx *ctx, const char *path, const char *what)
{
    char why[160] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, first_error, why);
    H5Eclear2(H5E_DEFAULT);
    return exo_ctx_error(ctx, EXO_EWRITE, "%s: HDF5 cannot %s%s%s", path, what, why[0] ? ": " : "", why);
}

static bool put_str_attr(hid_t obj, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR), a = -1;
    bool ok = type >= 0 && space >= 0 && H5Tset_size(type, strlen(value) + 1) >= 0 &&
              H5Tset_strpad(type, H5T_STR_NULLTERM) >= 0 &&
              (a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 && H5Awrite(a, type, value) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    return ok;
}

/* n values of type mem (stored as file type) as attribute name of obj. */
static bool put_num_attr(hid_t obj, const char *name, hid_t file_type, hid_t mem_type, hsize_t n, const void *v)
{
    hid_t space = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL), a = -1;
    bool ok = space >= 0 && (a = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
              H5Awrite(a, mem_type, v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (space >= 0)
        H5Sclose(space);
    return ok;
}

typedef struct {
    int nx, ny, nz, n_fields, n_times, deflate;
    double dx;
    const char *const *names, *const *units;
    const double *const *fields;
    const double *times;
} grid_fields;

static void group_name(char *buf, size_t n, int t) { snprintf(buf, n, "t%04d", t); }

/* Node (i, j, k) of the mesh, x fastest; node k is at depth k dx. */
static long long node_index(const grid_fields *g, int i, int j, int k)
{
    return i + (long long)(g->nx + 1) * (j + (long long)(g->ny + 1) * k);
}

/* Voxels whose node numbers need 64-bit integers (more than 2^31 - 1 nodes). */
static bool wide_nodes(const grid_fields *g) { return node_index(g, g->nx, g->ny, g->nz) > 2147483647LL; }

/* A dataset of rows x cols (file type ftype) in obj, chunked by `chunk_rows`
 * rows with shuffle and deflate level 1 when the filters exist (the mesh is
 * regular and shrinks about tenfold), contiguous otherwise. */
static hid_t mesh_dataset(hid_t obj, const char *name, hid_t ftype, hsize_t rows, hsize_t cols, hsize_t chunk_rows)
{
    const hsize_t dims[2] = {rows, cols}, chunk[2] = {chunk_rows, cols};
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), space = H5Screate_simple(2, dims, NULL), d = -1;
    bool ok = dcpl >= 0 && space >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0;
    if (ok && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0)
        ok = H5Pset_chunk(dcpl, 2, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, 1) >= 0;
    if (ok)
        d = H5Dcreate2(obj, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (space >= 0)
        H5Sclose(space);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return d;
}

/* Writes `rows` rows of buf (cols values of mem_type each) into d from row `first`. */
static bool write_rows(hid_t d, hid_t mem_type, hsize_t first, hsize_t rows, hsize_t cols, const void *buf)
{
    const hsize_t start[2] = {first, 0}, count[2] = {rows, cols};
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(2, count, NULL);
    bool ok = fs >= 0 && ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
              H5Dwrite(d, mem_type, ms, fs, H5P_DEFAULT, buf) >= 0;
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return ok;
}

/* /mesh/geometry: the (nz+1)(ny+1)(nx+1) nodes' x, y, z [um], x fastest,
 * z = -depth (the skin surface at z = 0, depth downwards); /mesh/topology:
 * each voxel's 8 nodes in XDMF/VTK hexahedron order (the deeper face
 * counter-clockwise seen from above, then the shallower one), voxels in the
 * fields' order (x fastest).  Written one depth plane at a time. */
static exo_status write_mesh(exo_ctx *ctx, hid_t f, hid_t gcpl, const char *path, const grid_fields *g)
{
    const hsize_t plane_nodes = (hsize_t)(g->nx + 1) * (g->ny + 1), plane_cells = (hsize_t)g->nx * g->ny;
    double *xyz = exo_alloc(ctx, (size_t)plane_nodes * 3, sizeof *xyz);
    long long *hex = exo_alloc(ctx, (size_t)plane_cells * 8, sizeof *hex);
    hid_t grp = H5Gcreate2(f, "mesh", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    hid_t dg = grp < 0 ? -1 : mesh_dataset(grp, "geometry", H5T_IEEE_F64LE, plane_nodes * (g->nz + 1), 3, plane_nodes);
    hid_t dt = grp < 0 ? -1
                       : mesh_dataset(grp, "topology", wide_nodes(g) ? H5T_STD_I64LE : H5T_STD_I32LE,
                                      plane_cells * g->nz, 8, plane_cells);
    exo_status st = EXO_OK;
    if (!xyz || !hex)
        st = exo_ctx_error(ctx, EXO_ENOMEM, "%s: out of memory", path);
    else if (dg < 0 || dt < 0 || !put_str_attr(dg, "unit", "um") ||
             !put_str_attr(dg, "axes", "x y z, z = -depth (skin surface at z = 0)"))
        st = h5_fail(ctx, path, "create the mesh");
    for (int k = 0; k <= g->nz && st == EXO_OK; k++) {
        for (int j = 0; j <= g->ny; j++)
            for (int i = 0; i <= g->nx; i++) {
                double *p = xyz + 3 * (size_t)(i + (g->nx + 1) * j);
                p[0] = i * g->dx;
                p[1] = j * g->dx;
                p[2] = k == 0 ? 0.0 : -k * g->dx;
            }
        if (!write_rows(dg, H5T_NATIVE_DOUBLE, plane_nodes * k, plane_nodes, 3, xyz))
            st = h5_fail(ctx, path, "write the mesh nodes");
        if (k == g->nz || st != EXO_OK)
            break;
        for (int j = 0; j < g->ny; j++)
            for (int i = 0; i < g->nx; i++) {
                long long *c = hex + 8 * (size_t)(i + g->nx * j);
                for (int face = 0; face < 2; face++) { /* face 0: the deeper one (k + 1) */
                    int kk = k + 1 - face;
                    c[4 * face + 0] = node_index(g, i, j, kk);
                    c[4 * face + 1] = node_index(g, i + 1, j, kk);
                    c[4 * face + 2] = node_index(g, i + 1, j + 1, kk);
                    c[4 * face + 3] = node_index(g, i, j + 1, kk);
                }
            }
        if (!write_rows(dt, H5T_NATIVE_LLONG, plane_cells * k, plane_cells, 8, hex))
            st = h5_fail(ctx, path, "write the mesh voxels");
    }
    if (dt >= 0)
        H5Dclose(dt);
    if (dg >= 0)
        H5Dclose(dg);
    if (grp >= 0)
        H5Gclose(grp);
    exo_free(ctx, xyz);
    exo_free(ctx, hex);
    return st;
}

/* Writes the HDF5 file at `file` (an existing temporary name); `path` names
 * it in messages. */
static exo_status write_h5_file(exo_ctx *ctx, const char *file, const char *path, const grid_fields *g)
{
    exo_status st = EXO_OK;
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), gcpl = H5Pcreate(H5P_GROUP_CREATE), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t f = -1, space = -1;
    const hsize_t dims[3] = {(hsize_t)g->nz, (hsize_t)g->ny, (hsize_t)g->nx}, chunk[3] = {1, dims[1], dims[2]};
    if (fcpl < 0 || gcpl < 0 || dcpl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0 ||
        H5Pset_obj_track_times(gcpl, 0) < 0 || H5Pset_obj_track_times(dcpl, 0) < 0) {
        st = h5_fail(ctx, path, "set up property lists");
        goto done;
    }
    if (g->deflate > 0 && (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0)) {
        st = exo_ctx_error(ctx, EXO_EINVAL, "%s: this HDF5 library has no deflate or shuffle filter", path);
        goto done;
    }
    if (g->deflate > 0 && (H5Pset_chunk(dcpl, 3, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
                           H5Pset_deflate(dcpl, (unsigned)g->deflate) < 0)) {
        st = h5_fail(ctx, path, "set up compression");
        goto done;
    }
    f = H5Fcreate(file, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    space = H5Screate_simple(3, dims, NULL);
    if (f < 0 || space < 0) {
        st = h5_fail(ctx, path, "create the file");
        goto done;
    }
    const int grid[3] = {g->nz, g->ny, g->nx}; /* the datasets' shape */
    if (!put_num_attr(f, "voxel_size", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &g->dx) ||
        !put_str_attr(f, "voxel_size_unit", "um") ||
        !put_num_attr(f, "grid", H5T_STD_I32LE, H5T_NATIVE_INT, 3, grid) ||
        !put_str_attr(f, "grid_axes", "depth y x") || !put_str_attr(f, "time_unit", "h") ||
        !put_str_attr(f, "exoskin_version", EXO_VERSION_STRING)) {
        st = h5_fail(ctx, path, "write the root attributes");
        goto done;
    }
    st = write_mesh(ctx, f, gcpl, path, g);
    for (int t = 0; t < g->n_times && st == EXO_OK; t++) {
        char gname[32];
        group_name(gname, sizeof gname, t);
        hid_t grp = H5Gcreate2(f, gname, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        if (grp < 0 || !put_num_attr(grp, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &g->times[t]) ||
            !put_str_attr(grp, "time_unit", "h")) {
            st = h5_fail(ctx, path, "write a snapshot group");
        }
        for (int q = 0; q < g->n_fields && st == EXO_OK; q++) {
            hid_t d = H5Dcreate2(grp, g->names[q], H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
            if (d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                  g->fields[(size_t)t * g->n_fields + q]) < 0 ||
                !put_str_attr(d, "unit", g->units[q])) {
                char what[128];
                snprintf(what, sizeof what, "write dataset /%s/%s", gname, g->names[q]);
                st = h5_fail(ctx, path, what);
            }
            if (d >= 0)
                H5Dclose(d);
        }
        if (grp >= 0)
            H5Gclose(grp);
    }
done:
    if (space >= 0)
        H5Sclose(space);
    if (f >= 0 && H5Fclose(f) < 0 && st == EXO_OK)
        st = h5_fail(ctx, path, "close the file");
    H5Pclose(dcpl);
    H5Pclose(gcpl);
    H5Pclose(fcpl);
    return st;
}

/* ---- XDMF ---------------------------------------------------------------- */

/* Text safe inside an XML attribute or element: none of " < > & and no
 * control characters. */
static bool xml_safe(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '<' || *s == '>' || *s == '&' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/* A temporal collection of unstructured grids of hexahedra that share the
 * mesh in the HDF5 file: the form that ParaView's XDMF 3 reader and meshio's
 * TimeSeriesReader both read (meshio reads no structured topology and wants
 * nothing but the data in an Attribute, so the units are Information
 * elements of the Domain). */
static exo_status write_xdmf_file(exo_ctx *ctx, const char *file, const char *path, const char *h5ref,
                                  const grid_fields *g)
{
    FILE *o = fopen(file, "w");
    if (!o)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    const long long cells = (long long)g->nx * g->ny * g->nz, nodes = node_index(g, g->nx, g->ny, g->nz) + 1;
    fprintf(o, "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n<Xdmf Version=\"3.0\">\n"
               "  <Domain>\n"
               "    <Information Name=\"time_unit\" Value=\"h\"/>\n"
               "    <Information Name=\"length_unit\" Value=\"um\"/>\n"
               "    <Information Name=\"z\" Value=\"height above the skin surface: depth = -z\"/>\n");
    for (int q = 0; q < g->n_fields; q++)
        fprintf(o, "    <Information Name=\"unit:%s\" Value=\"%s\"/>\n", g->names[q], g->units[q]);
    fprintf(o, "    <Grid Name=\"tissue\" GridType=\"Collection\" CollectionType=\"Temporal\">\n");
    for (int t = 0; t < g->n_times; t++) {
        char gname[32];
        group_name(gname, sizeof gname, t);
        fprintf(o, "      <Grid Name=\"%s\" GridType=\"Uniform\">\n", gname);
        fprintf(o, "        <Time Value=\"%.17g\"/>\n", g->times[t]);
        fprintf(o,
                "        <Topology TopologyType=\"Hexahedron\" NumberOfElements=\"%lld\" NodesPerElement=\"8\">\n"
                "          <DataItem Dimensions=\"%lld 8\" NumberType=\"Int\" Precision=\"%d\" "
                "Format=\"HDF\">%s:/mesh/topology</DataItem>\n        </Topology>\n",
                cells, cells, wide_nodes(g) ? 8 : 4, h5ref);
        fprintf(o,
                "        <Geometry GeometryType=\"XYZ\">\n"
                "          <DataItem Dimensions=\"%lld 3\" NumberType=\"Float\" Precision=\"8\" "
                "Format=\"HDF\">%s:/mesh/geometry</DataItem>\n        </Geometry>\n",
                nodes, h5ref);
        for (int q = 0; q < g->n_fields; q++)
            fprintf(o,
                    "        <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                    "          <DataItem Dimensions=\"%d %d %d\" NumberType=\"Float\" Precision=\"8\" "
                    "Format=\"HDF\">%s:/%s/%s</DataItem>\n        </Attribute>\n",
                    g->names[q], g->nz, g->ny, g->nx, h5ref, gname, g->names[q]);
        fprintf(o, "      </Grid>\n");
    }
    fprintf(o, "    </Grid>\n  </Domain>\n</Xdmf>\n");
    bool bad = ferror(o) != 0;
    if (fclose(o) != 0 || bad)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* ---- the entry point ---------------------------------------------------- */

static exo_status check_fields(exo_ctx *ctx, const char *path_h5, const grid_fields *g)
{
    if (g->nx < 1 || g->ny < 1 || g->nz < 1 || !(g->dx > 0) || !isfinite(g->dx) || g->n_fields < 1 ||
        g->n_times < 1 || !g->names || !g->units || !g->fields || !g->times || g->deflate < 0 || g->deflate > 9)
        return exo_ctx_error(ctx, EXO_EINVAL, "%s: bad grid %dx%dx%d, dx=%g um, %d fields, %d times, deflate %d",
                             path_h5, g->nx, g->ny, g->nz, g->dx, g->n_fields, g->n_times, g->deflate);
    for (int q = 0; q < g->n_fields; q++) {
        const char *n = g->names[q];
        size_t len = n ? strlen(n) : 0;
        bool ok = len >= 1 && len <= NAME_MAX_LEN && g->units[q] && xml_safe(g->units[q]);
        for (size_t c = 0; ok && c < len; c++)
            ok = (n[c] >= 'a' && n[c] <= 'z') || (n[c] >= 'A' && n[c] <= 'Z') || (n[c] >= '0' && n[c] <= '9') ||
                 n[c] == '_' || n[c] == '-';
        for (int r = 0; ok && r < q; r++)
            ok = strcmp(g->names[r], n) != 0;
        if (!ok)
            return exo_ctx_error(ctx, EXO_EINVAL,
                                 "%s: field %d: name '%s' (1-%d of A-Z a-z 0-9 _ -, distinct) or unit '%s' "
                                 "(no \" < > &) not allowed",
                                 path_h5, q, n ? n : "(null)", NAME_MAX_LEN, g->units[q] ? g->units[q] : "(null)");
    }
    for (int t = 0; t < g->n_times; t++) {
        if (!isfinite(g->times[t]))
            return exo_ctx_error(ctx, EXO_EINVAL, "%s: time %d is not finite", path_h5, t);
        for (int q = 0; q < g->n_fields; q++)
            if (!g->fields[(size_t)t * g->n_fields + q])
                return exo_ctx_error(ctx, EXO_EINVAL, "%s: field %d at time %d is missing", path_h5, q, t);
    }
    return EXO_OK;
}

exo_status exo__tissue_write_h5(exo_ctx *ctx, const char *path_h5, const char *path_xdmf, int nx, int ny, int nz,
                                double dx_um, int n_fields, const char *const *names, const char *const *units,
                                const double *const *fields, int n_times, const double *times_h, int deflate)
{
    if (!path_h5 || !*path_h5)
        return exo_ctx_error(ctx, EXO_EINVAL, "tissue output: no HDF5 path");
    const grid_fields g = {nx, ny, nz, n_fields, n_times, deflate, dx_um, names, units, fields, times_h};
    exo_status st = check_fields(ctx, path_h5, &g);
    if (st != EXO_OK)
        return st;
    /* the sidecar names the HDF5 file by its base name when beside it */
    const char *h5ref = path_h5;
    if (path_xdmf && strcmp(path_xdmf, path_h5) == 0)
        return exo_ctx_error(ctx, EXO_EINVAL, "%s: the XDMF file needs a name of its own", path_h5);
    if (path_xdmf) {
        size_t d = dir_len(path_h5);
        if (d == dir_len(path_xdmf) && strncmp(path_h5, path_xdmf, d) == 0)
            h5ref = path_h5 + d;
        if (!xml_safe(h5ref) || strchr(h5ref, ':'))
            return exo_ctx_error(ctx, EXO_EINVAL, "%s: a name with \" < > & or : cannot go in the XDMF file",
                                 path_h5);
    }
    size_t n1 = strlen(path_h5) + 40, n2 = path_xdmf ? strlen(path_xdmf) + 40 : 1;
    char *tmp_h5 = exo_alloc(ctx, n1, 1), *tmp_x = exo_alloc(ctx, n2, 1);
    if (!tmp_h5 || !tmp_x) {
        exo_free(ctx, tmp_h5);
        exo_free(ctx, tmp_x);
        return exo_ctx_error(ctx, EXO_ENOMEM, "%s: out of memory", path_h5);
    }
    /* HDF5 prints its error stack by default: off for this call */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    bool have_h5 = false, have_x = false;
    st = exo__file_temp(ctx, path_h5, tmp_h5, n1);
    have_h5 = st == EXO_OK;
    if (st == EXO_OK && path_xdmf) {
        st = exo__file_temp(ctx, path_xdmf, tmp_x, n2);
        have_x = st == EXO_OK;
    }
    if (st == EXO_OK)
        st = write_h5_file(ctx, tmp_h5, path_h5, &g);
    if (st == EXO_OK && path_xdmf)
        st = write_xdmf_file(ctx, tmp_x, path_xdmf, h5ref, &g);
    if (st == EXO_OK) {
        st = exo__file_in_place(ctx, tmp_h5, path_h5);
        have_h5 = false;
    }
    if (st == EXO_OK && path_xdmf) {
        st = exo__file_in_place(ctx, tmp_x, path_xdmf);
        have_x = false;
    }
    if (have_h5)
        unlink(tmp_h5);
    if (have_x)
        unlink(tmp_x);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    exo_free(ctx, tmp_h5);
    exo_free(ctx, tmp_x);
    return st;
}
