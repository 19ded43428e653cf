/* tissue_report.c - the section `tissue` of a tissue-mode run's report.html
 * (docs/report.md, docs/tissue.md): per tissue arm, at the last recorded
 * time, vertical sections (x-z) of the vesicles, of inflammation and of new
 * collagen through a hair follicle and through a needle channel (or laser
 * zone), side by side, and the en-face maps (x-y) of the vesicles and of new
 * collagen at the top of the papillary dermis, with the outline of every
 * follicle and channel of the block drawn on each map (white: solid for a
 * follicle, dashed for a needle channel, dotted for a laser zone).  The maps
 * are exo__figure_field's, inline SVG with a PNG beside, like every figure. */
#include "report/report_impl.h"

#include "output/output.h"
#include "tissue/tissue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf

enum { SECTION_ROWS = 200 };

#define PANEL_GAP 10.0   /* [px] between panels */
#define HEAD_H 28.0      /* [px] strip of the figure's title */
#define LEGEND_ROW 17.0  /* [px] one legend entry */
#define MAX_WIDTH 1000.0 /* [px] panels side by side up to this width, else one above the other */

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

/* One map of a figure with the outlines on it: in a section (row j of the
 * block) each column's outline runs from the surface down to its depth; on
 * an en-face map at depth z it encloses the columns that reach below z. */
typedef struct {
    exo__field_slice sl;
    const float *outline; /* [um] EXO_OUTLINE_COUNT x nx x ny of the block (result.h) */
    int nx, ny;
    int row;              /* section: the block's row; -1: en face */
    double z;             /* [um] en face: depth of the map */
} panel;

/* A figure: its title, one or two panels and the legend of the outlines. */
typedef struct {
    char title[256];
    panel p[2];
    int n;
    bool across;                      /* panels side by side, else one above the other */
    double depth[EXO_OUTLINE_COUNT];  /* [um] deepest of each kind in the block; 0: none */
} tissue_fig;

static int legend_rows(const tissue_fig *f)
{
    int n = 0;
    for (int k = 0; k < EXO_OUTLINE_COUNT; k++)
        n += f->depth[k] > 0;
    return n;
}

/* Size of the figure [px] and the top-left corner of each panel. */
static void fig_layout(const tissue_fig *f, double *width, double *height, double corner[2][2])
{
    double w[2], h[2], box[4];
    for (int i = 0; i < f->n; i++)
        exo__figure_field_layout(&f->p[i].sl, &w[i], &h[i], box);
    double x = 0, y = HEAD_H, W = 0, H = 0;
    for (int i = 0; i < f->n; i++) {
        corner[i][0] = x;
        corner[i][1] = y;
        W = fmax(W, x + w[i]);
        H = fmax(H, y + h[i]);
        if (f->across)
            x += w[i] + PANEL_GAP;
        else
            y += h[i] + PANEL_GAP;
    }
    *width = ceil(W);
    *height = ceil(H + (legend_rows(f) ? 6 + LEGEND_ROW * legend_rows(f) : 0));
}

/* The line of outline kind k: white over a dark halo (seen on every colour
 * of the map), solid (follicle), dashed (channel) or dotted (laser zone). */
static void outline_stroke(cairo_t *cr, int k)
{
    static const double dash[2][2] = {{6, 4}, {2, 3}};
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.75);
    cairo_set_line_width(cr, 3.6);
    cairo_stroke_preserve(cr);
    if (k > 0)
        cairo_set_dash(cr, dash[k - 1], 2, 0);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.6);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void segment(cairo_t *cr, const exo__axes *ax, double u0, double v0, double u1, double v1)
{
    cairo_move_to(cr, exo__px(ax, u0), exo__py(ax, v0));
    cairo_line_to(cr, exo__px(ax, u1), exo__py(ax, v1));
}

/* The outlines of panel p on its map box ax (clipped to it). */
static void draw_outlines(cairo_t *cr, const panel *p, const exo__axes *ax)
{
    const size_t plane = (size_t)p->nx * p->ny;
    const double d = p->sl.du_um;
    exo__clip_to(cr, ax);
    for (int k = 0; k < EXO_OUTLINE_COUNT; k++) {
        const float *m = p->outline + k * plane;
        bool any = false;
        if (p->row >= 0) { /* the row's columns: down to their depths */
            const float *r = m + (size_t)p->nx * p->row;
            for (int i = 0; i <= p->nx; i++) {
                double a = i > 0 ? r[i - 1] : 0, b = i < p->nx ? r[i] : 0;
                if (a != b)
                    segment(cr, ax, i * d, fmin(a, b), i * d, fmax(a, b));
                if (i < p->nx && b > 0) {
                    segment(cr, ax, i * d, b, (i + 1) * d, b);
                    segment(cr, ax, i * d, 0, (i + 1) * d, 0);
                    any = true;
                }
            }
        } else { /* the columns reaching below the map's depth: the borders of their set */
#define IN(i, j) ((i) >= 0 && (i) < p->nx && (j) >= 0 && (j) < p->ny && m[(size_t)(i) + (size_t)p->nx * (j)] > p->z)
            for (int j = 0; j <= p->ny; j++)
                for (int i = 0; i <= p->nx; i++) {
                    if (IN(i, j) != IN(i - 1, j) && j < p->ny) /* the face at x = i d */
                        segment(cr, ax, i * d, j * d, i * d, (j + 1) * d);
                    if (IN(i, j) != IN(i, j - 1) && i < p->nx) /* the face at y = j d */
                        segment(cr, ax, i * d, j * d, (i + 1) * d, j * d);
                    any |= IN(i, j);
                }
#undef IN
        }
        if (any)
            outline_stroke(cr, k);
        else
            cairo_new_path(cr);
    }
    cairo_restore(cr);
}

static void draw_figure(cairo_t *cr, const void *data, double w, double h)
{
    const tissue_fig *f = data;
    double W, H, corner[2][2];
    fig_layout(f, &W, &H, corner);
    exo__plot_background(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    exo__plot_font(cr, 12, true);
    exo__plot_text(cr, 0.5 * w, 0.5 * HEAD_H + 2, 0.5, 0.5, f->title);
    for (int i = 0; i < f->n; i++) {
        double pw, ph, box[4];
        exo__figure_field_layout(&f->p[i].sl, &pw, &ph, box);
        cairo_save(cr);
        cairo_translate(cr, corner[i][0], corner[i][1]);
        cairo_rectangle(cr, 0, 0, pw, ph);
        cairo_clip(cr);
        exo__figure_field(cr, &f->p[i].sl);
        exo__axes ax = {box[0], box[1], box[2], box[3], 0, f->p[i].sl.nu * f->p[i].sl.du_um, 0,
                        f->p[i].sl.nv * f->p[i].sl.dv_um, false, false, f->p[i].sl.v_down};
        draw_outlines(cr, &f->p[i], &ax);
        cairo_restore(cr);
    }
    /* the legend of the outlines, one entry a row, under the panels */
    static const char *const what[EXO_OUTLINE_COUNT] = {N_("hair follicle (canal and hair, down to %.0f \xc2\xb5m)"),
                                                        N_("needle channel of the run (down to %.0f \xc2\xb5m)"),
                                                        N_("laser zone of the run (down to %.0f \xc2\xb5m)")};
    double y = H - LEGEND_ROW * legend_rows(f) + 0.5 * LEGEND_ROW;
    for (int k = 0; k < EXO_OUTLINE_COUNT; k++) {
        if (!(f->depth[k] > 0))
            continue;
        cairo_rectangle(cr, 70, y - 5, 26, 10);
        cairo_set_source_rgb(cr, 0.27, 0.0, 0.33); /* the map's darkest colour behind the line */
        cairo_fill(cr);
        cairo_move_to(cr, 70, y);
        cairo_line_to(cr, 96, y);
        outline_stroke(cr, k);
        char buf[160];
        snprintf(buf, sizeof buf, _(what[k]), f->depth[k]);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_font(cr, 10.5, false);
        exo__plot_text(cr, 104, y, 0, 0.5, buf);
        y += LEGEND_ROW;
    }
}

/* One figure f named name. */
static exo_status tissue_figure(exo__html *b, const char *name, const char *caption, tissue_fig *f)
{
    double w, h, corner[2][2];
    f->across = true;
    fig_layout(f, &w, &h, corner);
    if (w > MAX_WIDTH && f->n > 1) {
        f->across = false;
        fig_layout(f, &w, &h, corner);
    }
    exo__figure fig = {name, caption, w, h, draw_figure};
    return exo__html_figure(b, &fig, f);
}

/* The row of the block through the centre of a follicle (outline kind k) or
 * of a channel (kind k, or k2 if not -1), -1 if there is none: of the first
 * run of rows crossing the most such columns (the widest part of the disc),
 * the middle one. */
static int row_through(const float *outline, int nx, int ny, int k, int k2)
{
    int start = -1, end = -1, most = 0;
    const size_t plane = (size_t)nx * ny;
    for (int j = 0; j < ny; j++) {
        int n = 0;
        for (int i = 0; i < nx; i++) {
            size_t c = (size_t)i + (size_t)nx * j;
            n += outline[k * plane + c] > 0 || (k2 >= 0 && outline[k2 * plane + c] > 0);
        }
        if (n > most) {
            most = n;
            start = end = j;
        } else if (n == most && end == j - 1 && most > 0)
            end = j;
    }
    return start < 0 ? -1 : (start + end) / 2;
}

static exo_status arm_figures(exo__html *b, exo_ctx *ctx, const exo_arm_result *ar, int a)
{
    const exo_tissue_info *ti = &ar->tissue;
    const exo_grid *g = ar->grid;
    const size_t nv = (size_t)ti->nx * ti->ny * ti->nz, plane = (size_t)ti->nx * ti->ny;
    const int p = ar->n_prof - 1;
    if (p < 0 || !ti->outline)
        return EXO_OK;
    tissue_fig *fig = exo_alloc(ctx, 1, sizeof *fig);
    if (!fig)
        return exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    for (int k = 0; k < EXO_OUTLINE_COUNT; k++)
        for (size_t c = 0; c < plane; c++)
            fig->depth[k] = fmax(fig->depth[k], ti->outline[k * plane + c]);
    /* the sections: through a follicle and through a needle channel (or laser zone), from the block's
     * geometry; through the middle of the block when it has neither */
    int rows[2], nrow = 0;
    const char *through[2];
    int jf = row_through(ti->outline, ti->nx, ti->ny, EXO_OUTLINE_FOLLICLE, -1);
    int jc = row_through(ti->outline, ti->nx, ti->ny, EXO_OUTLINE_CHANNEL, EXO_OUTLINE_LASER);
    if (jf >= 0) {
        rows[nrow] = jf;
        through[nrow++] = jc == jf ? N_("through a follicle and a channel, y = %g \xc2\xb5m")
                                   : N_("through a follicle, y = %g \xc2\xb5m");
    }
    if (jc >= 0 && jc != jf) {
        rows[nrow] = jc;
        through[nrow++] = fig->depth[EXO_OUTLINE_CHANNEL] > 0 ? N_("through a needle channel, y = %g \xc2\xb5m")
                                                              : N_("through a laser zone, y = %g \xc2\xb5m");
    }
    if (nrow == 0) {
        rows[nrow] = ti->ny / 2;
        through[nrow++] = N_("through the middle, y = %g \xc2\xb5m");
    }
    /* the section shows the upper skin: as deep as the block is wide, at
     * least 400 um */
    const double z_max = fmax(ti->nx * ti->dx, 400.0), dz = fmin(z_max, g->zf[ti->nz]) / SECTION_ROWS;
    double *buf = exo_alloc(ctx, 2 * (size_t)ti->nx * (SECTION_ROWS + 1), sizeof *buf);
    double *map = exo_alloc(ctx, plane, sizeof *map);
    exo_status st = buf && map ? EXO_OK : exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    static const char *const lx = "x [\xc2\xb5m]", *const ly = "y [\xc2\xb5m]", *const lz = "depth [\xc2\xb5m]";
    char title[2][160], name[64], when[64];
    exo__html_duration(ar->prof_t[p], when, sizeof when);
    const struct {
        const float *field;
        double scale;
        const char *what, *unit, *stem, *caption;
    } sec[3] = {
        {ti->vesicles + nv * (size_t)p, 1e12, N_("Vesicles at %s, log10 of the concentration"), "log10 particles/mL",
         "vesicles-xz",
         N_("Vesicles (all sizes, log10 of the concentration) at the last recorded time in vertical sections through "
            "a hair follicle and through a needle channel or laser zone of the block (white outlines): where they went "
            "from the film, the follicles and the channels.")},
        {ti->inflammation + nv * (size_t)p, 1, N_("Inflammation (mediator I) at %s"), "1", "inflammation-xz",
         N_("Inflammation (mediator I) in the same sections: around needle channels and laser zones, and where "
            "the macrophages are.")},
        {ti->collagen + nv * (size_t)p, 100, N_("New collagen at %s"), "% of young total", "collagen-xz",
         N_("New collagen made since the start (less what matured or broke down) in the same sections: made by "
            "each fibroblast at its own rate, which its activation and the cargo it took up raise; its mean "
            "over each depth follows the zone model's synthesis.")},
    };
    for (int s = 0; s < 3 && st == EXO_OK; s++) {
        memset(fig->p, 0, sizeof fig->p);
        fig->n = nrow;
        snprintf(fig->title, sizeof fig->title, _(sec[s].what), when);
        for (int q = 0; q < nrow; q++) {
            double *out = buf + (size_t)q * ti->nx * (SECTION_ROWS + 1);
            int nz = exo__tissue_resample_depth(g, sec[s].field, ti->nx, ti->ny, ti->nz, rows[q], rows[q] + 1, z_max,
                                                dz, out, SECTION_ROWS + 1);
            for (size_t v = 0; v < (size_t)ti->nx * nz; v++)
                out[v] *= sec[s].scale;
            if (s == 0)
                to_log10(out, (size_t)ti->nx * nz);
            snprintf(title[q], sizeof title[q], _(through[q]), (rows[q] + 0.5) * ti->dx);
            fig->p[q] = (panel){{out, ti->nx, nz, ti->dx, dz, true, lx, lz, title[q], sec[s].unit},
                                ti->outline, ti->nx, ti->ny, rows[q], 0};
        }
        snprintf(name, sizeof name, "tissue-arm%d-%s", a, sec[s].stem);
        st = tissue_figure(b, name, sec[s].caption, fig);
    }
    const int l = g->first[EXO_LAYER_PAP] < ti->nz ? g->first[EXO_LAYER_PAP] : ti->nz - 1;
    const struct {
        const float *field;
        double scale;
        bool log;
        const char *title, *unit, *stem, *caption;
    } face[2] = {
        {ti->vesicles, 1e12, true, N_("Vesicles at %s, %.0f \xc2\xb5m deep (dermal-epidermal junction)"),
         "log10 particles/mL", "vesicles-en-face",
         N_("Vesicles (log10 of the concentration) seen from above at the top of the papillary dermis, with the "
            "outline of each follicle and channel that reaches that deep: the footprint of each.")},
        {ti->collagen, 100, false, N_("New collagen at %s, %.0f \xc2\xb5m deep"), "% of young total",
         "collagen-en-face", N_("New collagen seen from above at the same depth: where the fibroblasts that made it are.")},
    };
    for (int f = 0; f < 2 && st == EXO_OK; f++) {
        const float *c = face[f].field + nv * (size_t)p + plane * l;
        for (size_t v = 0; v < plane; v++)
            map[v] = face[f].scale * c[v];
        if (face[f].log)
            to_log10(map, plane);
        memset(fig->p, 0, sizeof fig->p);
        fig->n = 1;
        snprintf(fig->title, sizeof fig->title, _(face[f].title), when, g->zc[l]);
        fig->p[0] = (panel){{map, ti->nx, ti->ny, ti->dx, ti->dx, false, lx, ly, NULL, face[f].unit},
                            ti->outline, ti->nx, ti->ny, -1, g->zc[l]};
        snprintf(name, sizeof name, "tissue-arm%d-%s", a, face[f].stem);
        st = tissue_figure(b, name, face[f].caption, fig);
    }
    exo_free(ctx, buf);
    exo_free(ctx, map);
    exo_free(ctx, fig);
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
