/* tissue_io_test.c - the tissue-mode output files: an analytic field written
 * to HDF5 reads back bit for bit with its attributes; the XDMF sidecar has
 * the grid's dimensions and references the datasets; two writes give the
 * same bytes; bad arguments and unwritable paths fail with a message and
 * leave nothing behind.  PNG slices: the size of the picture and the colour
 * of a hot voxel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <cairo.h>
#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_impl.h"
#include "output/tissue_io.h"

enum { NX = 6, NY = 5, NZ = 4, NF = 2, NT = 3 };
#define NV ((size_t)NX * NY * NZ)

/* Analytic value of field q at time t in voxel (i, j, k): distinct for every
 * argument, with a non-terminating binary fraction to test the bits. */
static double value(int t, int q, int i, int j, int k) { return 1.0 + i + 10.0 * j + 100.0 * k + 1e3 * t + q / 3.0; }

typedef struct {
    char dir[64], h5[96], xdmf[96]; /* a fresh folder, and files in it */
    double *data[NT * NF];
    const double *fields[NT * NF];
    double times[NT];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/exo_tissue_io_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->h5, sizeof f->h5, "%s/fields.h5", f->dir);
    snprintf(f->xdmf, sizeof f->xdmf, "%s/fields.xdmf", f->dir);
    for (int t = 0; t < NT; t++) {
        f->times[t] = 0.5 * t * t; /* [h] */
        for (int q = 0; q < NF; q++) {
            double *u = malloc(NV * sizeof *u);
            for (int k = 0; k < NZ; k++)
                for (int j = 0; j < NY; j++)
                    for (int i = 0; i < NX; i++)
                        u[i + NX * (j + NY * k)] = value(t, q, i, j, k);
            f->data[t * NF + q] = u;
            f->fields[t * NF + q] = u;
        }
    }
    *state = f;
    return 0;
}

/* Files left in the folder (all of them ours), removed. */
static int count_and_clean(const char *dir, bool remove_them)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            n++;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (remove_them)
                unlink(path);
        }
    if (d)
        closedir(d);
    return n;
}

static int teardown(void **state)
{
    fixture *f = *state;
    count_and_clean(f->dir, true);
    rmdir(f->dir);
    for (int i = 0; i < NT * NF; i++)
        free(f->data[i]);
    free(f);
    return 0;
}

static const char *const names[NF] = {"vesicles", "collagen"};
static const char *const units[NF] = {"particles/mL", "mg/mL"};

static exo_status write_into(exo_ctx *ctx, const fixture *f, const char *h5, const char *xdmf, int deflate)
{
    return exo__tissue_write_h5(ctx, h5, xdmf, NX, NY, NZ, 2.5, NF, names, units, f->fields, NT, f->times, deflate);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    *n = fread(s, 1, (size_t)len, fp);
    s[*n] = 0;
    fclose(fp);
    return s;
}

static void read_str_attr(hid_t obj, const char *name, char *out, size_t n)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t type = H5Aget_type(a);
    assert_true(H5Tget_size(type) <= n);
    assert_true(H5Aread(a, type, out) >= 0);
    H5Tclose(type);
    H5Aclose(a);
}

static void read_num_attr(hid_t obj, const char *name, hid_t mem_type, void *out)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, mem_type, out) >= 0);
    H5Aclose(a);
}

/* Reads dataset `name` whole as mem_type into a new buffer of n elements of
 * size `size`, checking its shape (rows x cols). */
static void *read_2d(hid_t file, const char *name, hid_t mem_type, size_t size, hsize_t rows, hsize_t cols)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    assert_int_equal(H5Sget_simple_extent_ndims(sp), 2);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    assert_true(dims[0] == rows && dims[1] == cols);
    H5Sclose(sp);
    void *buf = calloc(rows * cols, size);
    assert_true(H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(d);
    return buf;
}

/* The mesh: node (i, j, k) at (i dx, j dx, -k dx); voxel (4, 3, 2)'s eight
 * nodes in hexahedron order, the deeper face (k = 3) first. */
static void check_mesh(hid_t file)
{
    const hsize_t nodes = (hsize_t)(NX + 1) * (NY + 1) * (NZ + 1);
    double *xyz = read_2d(file, "/mesh/geometry", H5T_NATIVE_DOUBLE, sizeof(double), nodes, 3);
    int *hex = read_2d(file, "/mesh/topology", H5T_NATIVE_INT, sizeof(int), NV, 8);
    const double *p = xyz + 3 * (4 + (NX + 1) * (3 + (NY + 1) * 2));
    assert_true(p[0] == 10.0 && p[1] == 7.5 && p[2] == -5.0);
    assert_true(xyz[2] == 0.0 && !signbit(xyz[2])); /* the surface at z = 0, not -0 */
    const int *c = hex + 8 * (4 + NX * (3 + NY * 2));
    const int n = 4 + (NX + 1) * (3 + (NY + 1) * 3), row = NX + 1, plane = (NX + 1) * (NY + 1);
    const int want[8] = {n, n + 1, n + 1 + row, n + row, n - plane, n + 1 - plane, n + 1 + row - plane, n + row - plane};
    assert_memory_equal(c, want, sizeof want);
    free(xyz);
    free(hex);
}

static void round_trip(const fixture *f, int deflate)
{
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const char *h5 = f->h5, *xdmf = f->xdmf;
    assert_int_equal(write_into(ctx, f, h5, xdmf, deflate), EXO_OK);
    assert_int_equal(count_and_clean(f->dir, false), 2); /* no temporary left */
    mode_t mask = umask(0);
    umask(mask);
    struct stat sb;
    assert_int_equal(stat(h5, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~mask); /* as fopen would make it */

    hid_t file = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    double dx = 0;
    read_num_attr(file, "voxel_size", H5T_NATIVE_DOUBLE, &dx);
    assert_true(dx == 2.5);
    int grid[3] = {0, 0, 0};
    read_num_attr(file, "grid", H5T_NATIVE_INT, grid);
    assert_int_equal(grid[0], NZ); /* the datasets' shape */
    assert_int_equal(grid[1], NY);
    assert_int_equal(grid[2], NX);
    char s[64];
    read_str_attr(file, "voxel_size_unit", s, sizeof s);
    assert_string_equal(s, "um");
    read_str_attr(file, "grid_axes", s, sizeof s);
    assert_string_equal(s, "depth y x");
    read_str_attr(file, "time_unit", s, sizeof s);
    assert_string_equal(s, "h");
    check_mesh(file);
    double *back = malloc(NV * sizeof *back);
    for (int t = 0; t < NT; t++) {
        char g[16];
        snprintf(g, sizeof g, "/t%04d", t);
        hid_t grp = H5Gopen2(file, g, H5P_DEFAULT);
        assert_true(grp >= 0);
        double time = -1;
        read_num_attr(grp, "time", H5T_NATIVE_DOUBLE, &time);
        assert_true(time == f->times[t]);
        read_str_attr(grp, "time_unit", s, sizeof s);
        assert_string_equal(s, "h");
        for (int q = 0; q < NF; q++) {
            hid_t d = H5Dopen2(grp, names[q], H5P_DEFAULT);
            assert_true(d >= 0);
            hid_t sp = H5Dget_space(d);
            hsize_t dims[3];
            assert_int_equal(H5Sget_simple_extent_ndims(sp), 3);
            H5Sget_simple_extent_dims(sp, dims, NULL);
            assert_true(dims[0] == NZ && dims[1] == NY && dims[2] == NX); /* x fastest */
            H5Sclose(sp);
            memset(back, 0, NV * sizeof *back);
            assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
            assert_memory_equal(back, f->data[t * NF + q], NV * sizeof *back);
            /* one voxel by its analytic value, to pin the index order */
            assert_true(back[4 + NX * (3 + NY * 2)] == value(t, q, 4, 3, 2));
            read_str_attr(d, "unit", s, sizeof s);
            assert_string_equal(s, units[q]);
            hid_t dcpl = H5Dget_create_plist(d); /* shuffle + deflate, or none */
            assert_int_equal(H5Pget_nfilters(dcpl), deflate ? 2 : 0);
            assert_int_equal(H5Pget_layout(dcpl), deflate ? H5D_CHUNKED : H5D_CONTIGUOUS);
            H5Pclose(dcpl);
            H5Dclose(d);
        }
        H5Gclose(grp);
    }
    free(back);
    H5Fclose(file);

    size_t n;
    char *x = slurp(xdmf, &n);
    assert_non_null(x);
    assert_non_null(strstr(x, "<Xdmf Version=\"3.0\">"));
    assert_non_null(strstr(x, "CollectionType=\"Temporal\""));
    assert_non_null(strstr(x, "TopologyType=\"Hexahedron\" NumberOfElements=\"120\"")); /* nx ny nz voxels */
    assert_non_null(strstr(x, "<DataItem Dimensions=\"120 8\" NumberType=\"Int\" Precision=\"4\" "
                              "Format=\"HDF\">fields.h5:/mesh/topology</DataItem>"));
    assert_non_null(strstr(x, "GeometryType=\"XYZ\""));
    assert_non_null(strstr(x, "<DataItem Dimensions=\"210 3\" NumberType=\"Float\" Precision=\"8\" "
                              "Format=\"HDF\">fields.h5:/mesh/geometry</DataItem>")); /* (nx+1)(ny+1)(nz+1) nodes */
    assert_non_null(strstr(x, "Dimensions=\"4 5 6\" NumberType=\"Float\" Precision=\"8\" "
                              "Format=\"HDF\">fields.h5:/t0002/collagen</DataItem>"));
    assert_non_null(strstr(x, "<Time Value=\"2\"/>"));
    assert_non_null(strstr(x, "<Information Name=\"unit:vesicles\" Value=\"particles/mL\"/>"));
    assert_non_null(strstr(x, "<Information Name=\"time_unit\" Value=\"h\"/>"));
    int grids = 0;
    for (const char *p = x; (p = strstr(p, "GridType=\"Uniform\"")); p++)
        grids++;
    assert_int_equal(grids, NT);
    free(x);
    count_and_clean(f->dir, true);
    exo_ctx_destroy(&ctx);
}

/* uncompressed and compressed */
static void h5_round_trip(void **state)
{
    round_trip(*state, 0);
    round_trip(*state, 1);
}

static void same_bytes_twice(void **state)
{
    fixture *f = *state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    char h5[2][128], xdmf[2][128], sub[2][96];
    for (int r = 0; r < 2; r++) {
        snprintf(sub[r], sizeof sub[r], "%s/run%d", f->dir, r);
        assert_int_equal(mkdir(sub[r], 0777), 0);
        snprintf(h5[r], sizeof h5[r], "%s/fields.h5", sub[r]);
        snprintf(xdmf[r], sizeof xdmf[r], "%s/fields.xdmf", sub[r]);
        assert_int_equal(write_into(ctx, f, h5[r], xdmf[r], 1), EXO_OK);
        if (r == 0)
            sleep(1); /* a time stamp, if any, would differ */
    }
    size_t n0 = 0, n1 = 0;
    char *a = slurp(h5[0], &n0), *b = slurp(h5[1], &n1);
    assert_true(n0 > 0 && n0 == n1);
    assert_memory_equal(a, b, n0);
    free(a);
    free(b);
    a = slurp(xdmf[0], &n0);
    b = slurp(xdmf[1], &n1);
    assert_true(n0 == n1 && strcmp(a, b) == 0);
    free(a);
    free(b);
    for (int r = 0; r < 2; r++) {
        count_and_clean(sub[r], true);
        rmdir(sub[r]);
    }
    exo_ctx_destroy(&ctx);
}

static void failures_leave_nothing(void **state)
{
    fixture *f = *state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    const char *h5 = f->h5, *xdmf = f->xdmf;
    count_and_clean(f->dir, true);
    /* bad names, units, grids */
    const char *const bad_names[NF] = {"vesicles", "a/b"}, *const same[NF] = {"x", "x"};
    const char *const bad_units[NF] = {"mg/mL", "<b>"};
    assert_int_equal(exo__tissue_write_h5(ctx, h5, xdmf, NX, NY, NZ, 2.5, NF, bad_names, units, f->fields, NT,
                                          f->times, 1),
                     EXO_EINVAL);
    assert_non_null(strstr(exo_ctx_last_error(ctx), "a/b"));
    assert_int_equal(
        exo__tissue_write_h5(ctx, h5, xdmf, NX, NY, NZ, 2.5, NF, same, units, f->fields, NT, f->times, 1), EXO_EINVAL);
    assert_int_equal(
        exo__tissue_write_h5(ctx, h5, xdmf, NX, NY, NZ, 2.5, NF, names, bad_units, f->fields, NT, f->times, 1),
        EXO_EINVAL);
    assert_int_equal(exo__tissue_write_h5(ctx, h5, xdmf, NX, 0, NZ, 2.5, NF, names, units, f->fields, NT, f->times, 1),
                     EXO_EINVAL);
    assert_int_equal(exo__tissue_write_h5(ctx, h5, xdmf, NX, NY, NZ, -1, NF, names, units, f->fields, NT, f->times, 1),
                     EXO_EINVAL);
    assert_int_equal(write_into(ctx, f, h5, xdmf, 10), EXO_EINVAL); /* zlib levels are 1-9 */
    assert_int_equal(write_into(ctx, f, h5, h5, 0), EXO_EINVAL);
    assert_int_equal(count_and_clean(f->dir, false), 0);
    /* a folder that does not exist: an I/O error, nothing printed */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such/fields.h5", f->dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *err = tmpfile();
    dup2(fileno(err), 2);
    exo_status st = write_into(ctx, f, missing, NULL, 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(st, EXO_EWRITE);
    assert_non_null(strstr(exo_ctx_last_error(ctx), "no/such/fields.h5"));
    assert_int_equal(ftell(err), 0);
    fclose(err);
    assert_int_equal(count_and_clean(f->dir, false), 0);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

/* The pixel at the centre of voxel (u, v) of a slice picture, as 0xRRGGBB. */
static uint32_t voxel_pixel(cairo_surface_t *img, const exo__field_slice *sl, int u, int v)
{
    double w, h, box[4];
    exo__figure_field_layout(sl, &w, &h, box);
    int row = sl->v_down ? v : sl->nv - 1 - v;
    int x = (int)(box[0] + (u + 0.5) * (box[2] - box[0]) / sl->nu);
    int y = (int)(box[1] + (row + 0.5) * (box[3] - box[1]) / sl->nv);
    const unsigned char *d = cairo_image_surface_get_data(img);
    return ((const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(img)))[x] & 0xffffff;
}

static uint32_t map_colour(double f)
{
    double c[3];
    exo__figure_colour(f, c);
    return (uint32_t)lround(255 * c[0]) << 16 | (uint32_t)lround(255 * c[1]) << 8 | (uint32_t)lround(255 * c[2]);
}

/* A field of zeros with one hot voxel and one half-hot voxel: a y-normal
 * cross-section (depth downwards) and a z-normal map through them. */
static void png_slices(void **state)
{
    fixture *f = *state;
    exo_ctx *ctx;
    exo_ctx_create(1, &ctx);
    enum { X = 20, Y = 3, Z = 10 };
    double *u = calloc((size_t)X * Y * Z, sizeof *u);
    u[14 + X * (1 + Y * 7)] = 80;  /* hot */
    u[3 + X * (1 + Y * 7)] = 40;   /* half */
    u[5 + X * (2 + Y * 8)] = 1e3;  /* in neither slice: must not set the range */
    char png[128];
    snprintf(png, sizeof png, "%s/slice.png", f->dir);
    for (int c = 0; c < 2; c++) {
        int axis = c ? EXO_SLICE_Z : EXO_SLICE_Y, index = c ? 7 : 1;
        assert_int_equal(exo__tissue_slice_png(ctx, png, u, X, Y, Z, 5.0, axis, index, "vesicles", "particles/mL"),
                         EXO_OK);
        cairo_surface_t *img = cairo_image_surface_create_from_png(png);
        assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
        /* the slice as the writer sees it, for the layout */
        exo__field_slice sl = {u, X, c ? Y : Z, 5.0, 5.0, !c, "", "", "", ""};
        double w, h, box[4];
        exo__figure_field_layout(&sl, &w, &h, box);
        assert_int_equal(cairo_image_surface_get_width(img), (int)ceil(w));
        assert_int_equal(cairo_image_surface_get_height(img), (int)ceil(h));
        assert_true(fabs(box[2] - box[0] - 520) < 1e-9); /* x is the longer side: 100 um on 520 px */
        assert_true(fabs((box[3] - box[1]) / (box[2] - box[0]) - (c ? 3.0 : 10.0) / 20) < 1e-9); /* to scale */
        int v_hot = c ? 1 : 7;
        assert_int_equal(voxel_pixel(img, &sl, 14, v_hot), map_colour(1.0));
        assert_int_equal(voxel_pixel(img, &sl, 3, v_hot), map_colour(0.5));
        assert_int_equal(voxel_pixel(img, &sl, 0, 0), map_colour(0.0));
        cairo_surface_destroy(img);
    }
    /* the map's ends: viridis dark purple to yellow */
    assert_int_equal(map_colour(0.0), 0x440154);
    assert_int_equal(map_colour(1.0), 0xfde725);
    assert_int_equal(count_and_clean(f->dir, false), 1); /* no temporary left */
    assert_int_equal(exo__tissue_slice_png(ctx, png, u, X, Y, Z, 5.0, EXO_SLICE_Y, Y, "", ""), EXO_EINVAL);
    assert_int_equal(exo__tissue_slice_png(ctx, png, u, X, Y, Z, 5.0, 3, 0, "", ""), EXO_EINVAL);
    free(u);
    assert_int_equal(exo_ctx_bytes_in_use(ctx), 0);
    exo_ctx_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(h5_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(same_bytes_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(png_slices, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
