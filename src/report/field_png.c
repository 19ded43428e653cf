/* field_png.c - PNG pictures of one slice through a voxel field of tissue
 * mode (report_impl.h, docs/tissue.md), drawn with the report's field
 * figure (exo__figure_field, figures.c) and written under a temporary name
 * that is renamed into place (output/tissue_io.h). */
#include "report/report_impl.h"

#include "output/tissue_io.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* ---- pictures ------------------------------------------------------------ */

exo_status exo__tissue_slice_png(exo_ctx *ctx, const char *path, const double *field, int nx, int ny, int nz,
                                 double dx_um, int axis, int index, const char *title, const char *unit)
{
    const int n[3] = {nx, ny, nz};
    if (!path || !*path || !field || nx < 1 || ny < 1 || nz < 1 || !(dx_um > 0) || !isfinite(dx_um) || axis < 0 ||
        axis > 2 || index < 0 || index >= n[axis < 0 || axis > 2 ? 0 : axis])
        return exo_ctx_error(ctx, EXO_EINVAL, "%s: bad slice (grid %dx%dx%d, dx %g um, axis %d, index %d)",
                             path ? path : "(null)", nx, ny, nz, dx_um, axis, index);
    /* u across, v along: (x, z) for a y-normal slice, (y, z) for x-normal,
     * (x, y) for z-normal */
    const int du = axis == EXO_SLICE_X ? 1 : 0, dv = axis == EXO_SLICE_Z ? 1 : 2;
    const int nu = n[du], nv = n[dv];
    const size_t stride[3] = {1, (size_t)nx, (size_t)nx * ny};
    double *vals = exo_alloc(ctx, (size_t)nu * nv, sizeof *vals);
    if (!vals)
        return exo_ctx_error(ctx, EXO_ENOMEM, "%s: out of memory", path);
    for (int v = 0; v < nv; v++)
        for (int u = 0; u < nu; u++) {
            double x = field[stride[axis] * index + stride[du] * u + stride[dv] * v];
            vals[u + (size_t)nu * v] = isfinite(x) ? x : 0.0;
        }
    static const char *const label[3] = {"x [\xc2\xb5m]", "y [\xc2\xb5m]", "depth z [\xc2\xb5m]"};
    const exo__field_slice sl = {vals, nu, nv, dx_um, dx_um, axis != EXO_SLICE_Z, label[du], label[dv], title, unit};
    double w, h, box[4];
    exo__figure_field_layout(&sl, &w, &h, box);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w), (int)ceil(h));
    cairo_t *cr = cairo_create(s);
    exo__figure_field(cr, &sl);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    exo_free(ctx, vals);
    size_t len = strlen(path) + 40;
    char *tmp = exo_alloc(ctx, len, 1);
    exo_status st = tmp ? EXO_OK : exo_ctx_error(ctx, EXO_ENOMEM, "%s: out of memory", path);
    if (st == EXO_OK && cs != CAIRO_STATUS_SUCCESS)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot draw: %s", path, cairo_status_to_string(cs));
    if (st == EXO_OK)
        st = exo__file_temp(ctx, path, tmp, len);
    if (st == EXO_OK) {
        cs = cairo_surface_write_to_png(s, tmp);
        st = cs == CAIRO_STATUS_SUCCESS ? exo__file_in_place(ctx, tmp, path)
                                        : exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path,
                                                        cairo_status_to_string(cs));
        if (st != EXO_OK)
            unlink(tmp);
    }
    cairo_surface_destroy(s);
    exo_free(ctx, tmp);
    return st;
}
