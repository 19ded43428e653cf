/* tissue_report.c - the section `tissue` of a tissue-mode run's report.html
 * (docs/report.md, docs/tissue.md): per tissue arm, at the last recorded
 * time, the vertical section (x-z through the middle of the block) of the
 * vesicles, of inflammation and of new collagen, and the en-face maps (x-y)
 * of the vesicles and of new collagen at the top of the papillary dermis;
 * drawn by exo__figure_field, inline SVG with
 * a PNG beside, like every figure. */
#include "report/report_impl.h"

#include "output/output.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

enum { SECTION_ROWS = 200 };

/* Vesicle concentrations span many decades (film and stratum corneum above,
 * a trace in the dermis): their maps show log10 of the value, floored six
 * decades below the largest. */
static void to_log10(double *v, size_t n)
{
    double hi = 0;
    for (size_t i = 0; i < n; i++)
        hi = v[i] > hi ? v[i] : hi;
    double floor_ = hi > 0 ? log10(hi) - 6 : 0;
    for (size_t i = 0; i < n; i++)
        v[i] = v[i] > 0 && log10(v[i]) > floor_ ? log10(v[i]) : floor_;
}

static void draw_slice(cairo_t *cr, const void *data, double w, double h)
{
    (void)w;
    (void)h;
    exo__figure_field(cr, data);
}

/* One figure of slice sl named name. */
static exo_status field_figure(exo__html *b, const char *name, const char *caption, const exo__field_slice *sl)
{
    double w, h, box[4];
    exo__figure_field_layout(sl, &w, &h, box);
    exo__figure f = {name, caption, ceil(w), ceil(h), draw_slice};
    return exo__html_figure(b, &f, sl);
}

static exo_status arm_figures(exo__html *b, exo_ctx *ctx, const exo_arm_result *ar, int a)
{
    const exo_tissue_info *ti = &ar->tissue;
    const exo_grid *g = ar->grid;
    const size_t nv = (size_t)ti->nx * ti->ny * ti->nz;
    const int p = ar->n_prof - 1;
    if (p < 0)
        return EXO_OK;
    /* the section cuts the row richest in vesicles below the surface (k >= 1): through a follicle or a
     * channel, where they went, rather than the middle of the block, which may miss both */
    int j = ti->ny / 2;
    double best = -1;
    for (int jj = 0; jj < ti->ny; jj++) {
        double sum = 0;
        for (int k = 1; k < ti->nz; k++)
            for (int i = 0; i < ti->nx; i++)
                sum += ti->vesicles[nv * (size_t)p + (size_t)i + (size_t)ti->nx * ((size_t)jj + (size_t)ti->ny * k)];
        if (sum > best * (1 + 1e-12)) {
            best = sum;
            j = jj;
        }
    }
    /* the section shows the upper skin: as deep as the block is wide, at
     * least 400 um */
    const double z_max = fmax(ti->nx * ti->dx, 400.0), dz = fmin(z_max, g->zf[ti->nz]) / SECTION_ROWS;
    double *buf = exo_alloc(ctx, (size_t)ti->nx * (SECTION_ROWS + 1), sizeof *buf);
    double *map = exo_alloc(ctx, (size_t)ti->nx * ti->ny, sizeof *map);
    exo_status st = buf && map ? EXO_OK : exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    static const char *const lx = "x [\xc2\xb5m]", *const ly = "y [\xc2\xb5m]", *const lz = "depth [\xc2\xb5m]";
    char title[256], name[64];
    const struct {
        const float *field;
        double scale;
        const char *what, *unit, *stem, *caption;
    } sec[3] = {
        {ti->vesicles + nv * (size_t)p, 1e12, N_("vesicles"), "log10 particles/mL", "vesicles-xz",
         N_("Vesicles (all sizes, log10 of the concentration) in a vertical section through the row of the block with the most vesicles below the surface (through a follicle or a channel) at the last recorded time: "
            "where they went from the film, the follicles and the channels.")},
        {ti->inflammation + nv * (size_t)p, 1, N_("inflammation"), "1", "inflammation-xz",
         N_("Inflammation (mediator I) in the same section: around needle channels and laser zones, and where "
            "the macrophages are.")},
        {ti->collagen + nv * (size_t)p, 100, N_("new collagen"), "% of young total", "collagen-xz",
         N_("New collagen made since the start (less what matured or broke down) in the same section: made by "
            "each fibroblast at its own rate, which its activation and the cargo it took up raise; its mean "
            "over each depth follows the zone model's synthesis.")},
    };
    for (int s = 0; s < 3 && st == EXO_OK; s++) {
        int rows = exo__tissue_resample_depth(g, sec[s].field, ti->nx, ti->ny, ti->nz, j, j + 1, z_max, dz, buf,
                                              SECTION_ROWS + 1);
        for (size_t v = 0; v < (size_t)ti->nx * rows; v++)
            buf[v] *= sec[s].scale;
        if (s == 0)
            to_log10(buf, (size_t)ti->nx * rows);
        snprintf(title, sizeof title, _("%s at %g h, section at y = %g \xc2\xb5m"), _(sec[s].what),
                 ar->prof_t[p], (j + 0.5) * ti->dx);
        snprintf(name, sizeof name, "tissue-arm%d-%s", a, sec[s].stem);
        exo__field_slice sl = {buf, ti->nx, rows, ti->dx, dz, true, lx, lz, title, sec[s].unit};
        st = field_figure(b, name, sec[s].caption, &sl);
    }
    const int l = g->first[EXO_LAYER_PAP] < ti->nz ? g->first[EXO_LAYER_PAP] : ti->nz - 1;
    const struct {
        const float *field;
        double scale;
        bool log;
        const char *title, *unit, *stem, *caption;
    } face[2] = {
        {ti->vesicles, 1e12, true, N_("vesicles at %g h, %g \xc2\xb5m deep (dermal-epidermal junction)"),
         "log10 particles/mL", "vesicles-en-face",
         N_("Vesicles (log10 of the concentration) seen from above at the top of the papillary dermis: the footprint of each "
            "follicle and channel.")},
        {ti->collagen, 100, false, N_("new collagen at %g h, %g \xc2\xb5m deep"), "% of young total",
         "collagen-en-face", N_("New collagen seen from above at the same depth: where the fibroblasts that made it are.")},
    };
    for (int f = 0; f < 2 && st == EXO_OK; f++) {
        const float *c = face[f].field + nv * (size_t)p + (size_t)ti->nx * ti->ny * l;
        for (size_t v = 0; v < (size_t)ti->nx * ti->ny; v++)
            map[v] = face[f].scale * c[v];
        if (face[f].log)
            to_log10(map, (size_t)ti->nx * ti->ny);
        snprintf(title, sizeof title, _(face[f].title), ar->prof_t[p], g->zc[l]);
        snprintf(name, sizeof name, "tissue-arm%d-%s", a, face[f].stem);
        exo__field_slice sl = {map, ti->nx, ti->ny, ti->dx, ti->dx, false, lx, ly, title, face[f].unit};
        st = field_figure(b, name, face[f].caption, &sl);
    }
    exo_free(ctx, buf);
    exo_free(ctx, map);
    return st;
}

bool exo__report_has_tissue(const exo_result *r)
{
    for (int a = 0; a < r->n_arms; a++)
        if (r->arms[a].tissue.present)
            return true;
    return false;
}

exo_status exo__report_tissue(exo__html *b, exo_ctx *ctx, const exo_result *r)
{
    exo__html_section(b, "tissue", N_("Where: the tissue block"));
    exo_status st = EXO_OK;
    char name[768];
    for (int a = 0; a < r->n_arms && st == EXO_OK; a++) {
        const exo_tissue_info *ti = &r->arms[a].tissue;
        if (!ti->present)
            continue;
        put(b, "<p>");
        putf(b, _("<strong>%s</strong>: a block of %g &times; %g &micro;m at %g &micro;m voxels with %d follicles, "
                  "up to %d channels or laser zones and %d cells as agents. The 3D fields are in tissue_arm%d.h5 "
                  "(open tissue_arm%d.xdmf in ParaView)."),
             exo__html_esc_str(r->arms[a].name, name, sizeof name), ti->nx * ti->dx, ti->ny * ti->dx, ti->dx, ti->follicles, ti->channels, ti->cells, a, a);
        put(b, "</p>\n");
        st = arm_figures(b, ctx, &r->arms[a], a);
    }
    put(b, "</section>\n");
    return st;
}
