/* before_after.c - the section `before-after` of a run's report.html
 * (docs/report.md): a to-scale cross-section of the skin at baseline and at
 * the last visit, side by side, for the arm that matters (the largest change
 * in the scenario's main readout), so that a patient sees the change.
 *
 * What is drawn, and from which readout (docs/readouts.md):
 *   - stratum corneum and viable epidermis at the arm's layer thicknesses,
 *     the same in both panels (the model keeps them fixed);
 *   - the dermis as thick as its ultrasound thickness (ultrasound_thickness);
 *   - collagen bundles at a density proportional to the dermal collagen
 *     (dermal_collagen, young = 1): bundles added since baseline darker;
 *   - acne scars: a depression as deep as the missing matrix, the scar
 *     deficit (ecca_score / ecca_base x acne_scar_deficit) times the
 *     thickness of the scarred dermis (papillary and upper half of the
 *     reticular dermis, where the model keeps the deficit);
 *   - a wrinkle fold whose depth is drawn in proportion to the wrinkle grade
 *     (wrinkle_severity, 0-9): the model gives a grade, not a depth, and the
 *     figure says so.
 * Only the public result API and the parameter table are read. */
#include "report/report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define WRINKLE_UM_PER_GRADE 20.0 /* [um] schematic fold depth per grade point (stated in the figure) */
#define PANEL_W 340.0             /* [px] width of a panel */
#define PANEL_H 380.0             /* [px] height of an upper panel */
#define ZOOM_X0 0.38              /* the lower panels show the upper panels' width from ZOOM_X0 to ZOOM_X1 */
#define ZOOM_X1 0.76
#define TOP 74.0                  /* [px] top of the upper panels */
#define GAP 70.0                  /* [px] between the rows of panels */
#define BUNDLES_YOUNG 180         /* [1] bundles drawn in a 1 mm-thick dermis of young collagen (1) per panel */

/* The readout a scenario is mainly about, by the skin condition of its first
 * arm: the lead of the report's plain-language summary (report.c). */
static exo_readout main_readout(exo_condition c)
{
    switch (c) {
    case EXO_COND_ACNE_SCARS: return EXO_RD_ECCA;
    case EXO_COND_ROSACEA: return EXO_RD_ERYTHEMA;
    case EXO_COND_ATOPIC: return EXO_RD_TEWL;
    default: return EXO_RD_COLLAGEN;
    }
}

/* One state of the skin, from the readouts of one recorded time. */
typedef struct {
    double t;         /* [h] */
    double sc, ve;    /* [um] stratum corneum, viable epidermis */
    double pap;       /* [um] papillary dermis (layer thickness) */
    double dermis;    /* [um] ultrasound thickness of the dermis */
    double collagen;  /* [1] young = 1 */
    double wrinkle;   /* [grade 0-9] */
    double ecca;      /* [points] */
    double scar;      /* [um] depth of the scar depression */
} skin_state;

typedef struct {
    const exo_result *r;
    int arm;
    exo_readout main;
    skin_state s[2]; /* baseline, last visit */
    double W;        /* [um] width of the skin shown in the upper panels */
    double zmax;     /* [um] depth shown in the upper panels */
    double zi;       /* [um] depth shown magnified in the lower panels */
    double hi;       /* [px] height of a lower panel */
    int lines;       /* lines of numbers under each panel */
} before_after;

/* The main readout of the chosen arm at baseline and at the end, with as
 * many digits as show that they differ (3 to 6 significant digits). */
static void readout_pair(const before_after *ba, char *s0, char *s1, size_t cap)
{
    double b0, b1;
    exo_result_readout(ba->r, ba->arm, ba->main, &b0, &b1);
    for (int p = 3; p <= 6; p++) {
        snprintf(s0, cap, "%.*g", p, b0);
        snprintf(s1, cap, "%.*g", p, b1);
        if (strcmp(s0, s1) || b0 == b1)
            break;
    }
}

static void state_at(const exo_result *r, int a, int row, skin_state *s)
{
    const exo_config *cfg = exo_result_config(r);
    const double *p = cfg->params.v;
    s->t = exo_result_row_time(r, a, row);
    s->sc = exo_result_layer_top(r, a, 1);
    s->ve = exo_result_layer_top(r, a, 2) - s->sc;
    s->pap = exo_result_layer_top(r, a, 3) - exo_result_layer_top(r, a, 2);
    s->dermis = 1000 * exo_result_row_readout(r, a, row, EXO_RD_US_THICKNESS); /* [mm] -> [um] */
    s->collagen = exo_result_row_readout(r, a, row, EXO_RD_COLLAGEN);
    s->wrinkle = exo_result_row_readout(r, a, row, EXO_RD_WRINKLES);
    s->ecca = exo_result_row_readout(r, a, row, EXO_RD_ECCA);
    /* the scarred dermis: the papillary and the upper half of the reticular dermis */
    double total = exo_result_layer_top(r, a, exo_layer_count()), ret = exo_result_layer_top(r, a, 3);
    double scarred = s->pap + 0.5 * (total - ret);
    s->scar = p[EXO_P_ECCA_BASE] > 0 ? s->ecca / p[EXO_P_ECCA_BASE] * p[EXO_P_SCAR_DEFICIT] * scarred : 0;
}

/* The arm with the largest change (baseline to the last visit) of the main readout, the first on a tie. */
static void choose(const exo_result *r, before_after *ba)
{
    const exo_config *cfg = exo_result_config(r);
    ba->r = r;
    ba->main = main_readout(cfg->n_arms > 0 ? cfg->arms[0].skin.condition : EXO_COND_NONE);
    ba->arm = 0;
    double most = -1;
    for (int a = 0; a < exo_result_arms(r); a++) {
        double b0, b1;
        exo_result_readout(r, a, ba->main, &b0, &b1);
        if (fabs(b1 - b0) > most) {
            most = fabs(b1 - b0);
            ba->arm = a;
        }
    }
    int n = exo_result_rows(r, ba->arm);
    state_at(r, ba->arm, 0, &ba->s[0]);
    state_at(r, ba->arm, n > 0 ? n - 1 : 0, &ba->s[1]);
    /* the upper panels: the whole skin and a strip of the fat below, as wide as their boxes to scale */
    double lo = 0;
    ba->zmax = 0;
    for (int i = 0; i < 2; i++)
        ba->zmax = fmax(ba->zmax, 1.08 * (ba->s[i].sc + ba->s[i].ve + ba->s[i].dermis));
    exo__nice_range(&lo, &ba->zmax);
    ba->W = PANEL_W / PANEL_H * ba->zmax;
    /* the lower panels: the surface, the wrinkle and the scar magnified, down to 100 um below the deepest */
    double deep = 0;
    for (int i = 0; i < 2; i++)
        deep = fmax(deep, ba->s[i].sc + ba->s[i].ve + fmax(WRINKLE_UM_PER_GRADE * ba->s[i].wrinkle, ba->s[i].scar));
    lo = 0;
    ba->zi = fmax(200, deep + 100);
    exo__nice_range(&lo, &ba->zi);
    ba->hi = ceil(ba->zi * PANEL_W / (ZOOM_X1 - ZOOM_X0) / ba->W);
    ba->lines = ba->s[0].ecca > 0 || ba->s[1].ecca > 0 ? 5 : 4; /* the scar's line for scarred skin */
}

/* Depth of the surface below its level at x [um] (across the upper panel's
 * width W) in state s: a wrinkle fold at 0.45 W and a boxcar scar around
 * 0.62 W, both inside the magnified strip. */
static double dip(const skin_state *s, double x, double W)
{
    double d = 0, t = fabs(x - 0.45 * W) / 18.0; /* the fold: 36 um wide at the surface */
    if (t < 1)
        d += WRINKLE_UM_PER_GRADE * s->wrinkle * (1 - t);
    t = fabs(x - 0.62 * W) / (0.1 * W); /* the scar: a flat floor, steep walls */
    if (s->scar > 0 && t < 1)
        d += s->scar * (t < 0.75 ? 1 : 0.5 * (1 + cos(M_PI * (t - 0.75) / 0.25)));
    return d;
}

/* The i-th point of a Halton sequence (bases 2 and 3) in the unit square:
 * bundle positions spread evenly, the same in both panels. */
static void halton(int i, double *u, double *v)
{
    double f = 1, r = 0;
    for (int k = i + 1; k > 0; k /= 2)
        r += (f /= 2) * (k % 2);
    *u = r;
    f = 1;
    r = 0;
    for (int k = i + 1; k > 0; k /= 3)
        r += (f /= 3) * (k % 3);
    *v = r;
}

static const double c_sc[3] = {0.93, 0.82, 0.62}, c_ve[3] = {0.96, 0.74, 0.66}, c_de[3] = {0.97, 0.88, 0.84},
                    c_fat[3] = {0.99, 0.95, 0.78}, c_old[3] = {0.80, 0.58, 0.52}, c_new[3] = {0.60, 0.10, 0.20};

static void rgb(cairo_t *cr, const double c[3]) { cairo_set_source_rgb(cr, c[0], c[1], c[2]); }

/* The path of the surface profile of s, shifted down by z [um], across the
 * axes' x range (left to right, or right to left). */
static void profile(cairo_t *cr, const exo__axes *ax, const skin_state *s, double W, double z, bool dips, bool back)
{
    for (int k = 0; k <= 240; k++) {
        double x = ax->xmin + (ax->xmax - ax->xmin) * (back ? 240 - k : k) / 240;
        double y = exo__py(ax, z + (dips ? dip(s, x, W) : 0));
        if (k == 0 && !back)
            cairo_move_to(cr, exo__px(ax, x), y);
        else
            cairo_line_to(cr, exo__px(ax, x), y);
    }
}

/* The band between depths top_um and bot_um below the surface of s (each
 * following its dips or level), filled with colour c. */
static void band(cairo_t *cr, const exo__axes *ax, const skin_state *s, double W, double top_um, double bot_um,
                 bool bot_dips, const double c[3])
{
    profile(cr, ax, s, W, top_um, true, false);
    profile(cr, ax, s, W, bot_um, bot_dips, true);
    cairo_close_path(cr);
    rgb(cr, c);
    cairo_fill(cr);
}

/* One panel: the skin of state s on axes ax (a part of the upper panel's
 * width W); after: base is the baseline, whose bundles are drawn as they
 * were and those added since darker. */
static void panel(cairo_t *cr, const exo__axes *ax, const skin_state *s, const skin_state *base, double W,
                  const char *ylabel, const char *title)
{
    double epi = s->sc + s->ve, bottom = epi + s->dermis;
    exo__draw_axes(cr, ax, _("across the skin [\xc2\xb5m]"), ylabel, title); /* its grid under the skin */
    exo__clip_to(cr, ax);
    rgb(cr, c_fat);
    cairo_paint(cr); /* below the dermis: subcutaneous fat */
    band(cr, ax, s, W, epi, bottom, false, c_de);
    band(cr, ax, s, W, s->sc, epi, true, c_ve);
    band(cr, ax, s, W, 0, s->sc, true, c_sc);
    profile(cr, ax, s, W, 0, true, false); /* air above the surface */
    cairo_line_to(cr, ax->x1, ax->y0 - 1);
    cairo_line_to(cr, ax->x0, ax->y0 - 1);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    /* collagen bundles: as many per area as the collagen, spread evenly in the dermis */
    const int n = (int)lround(BUNDLES_YOUNG * fmax(s->collagen, 0) * s->dermis / 1000.0);
    const int n0 = base ? (int)lround(BUNDLES_YOUNG * fmax(base->collagen, 0) * s->dermis / 1000.0) : n;
    const double len = 70 * (ax->x1 - ax->x0) / (ax->xmax - ax->xmin); /* [px] a bundle is 70 um long */
    cairo_set_line_width(cr, fmin(3, 0.4 * len / 7 + 0.6));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < n; i++) {
        double u, v;
        halton(i, &u, &v);
        double x = 20 + u * (W - 40), top = epi + dip(s, x, W) + 20;
        double px = exo__px(ax, x), py = exo__py(ax, top + v * (bottom - 20 - top)), l = 0.5 * len;
        cairo_move_to(cr, px - l, py);
        cairo_curve_to(cr, px - 0.4 * l, py - 0.35 * l, px + 0.4 * l, py + 0.35 * l, px + l, py);
        rgb(cr, i < n0 ? c_old : c_new);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, ax->x0, ax->y0, ax->x1 - ax->x0, ax->y1 - ax->y0);
    cairo_stroke(cr);
}

static void draw(cairo_t *cr, const void *data, double w, double h)
{
    const before_after *ba = data;
    const exo_result *r = ba->r;
    exo__plot_background(cr);
    const double y2 = TOP + PANEL_H + GAP, y3 = y2 + ba->hi; /* the lower panels, the text under them */
    char t1[160], when[64], zoom[160];
    exo__html_duration(ba->s[1].t, when, sizeof when);
    snprintf(t1, sizeof t1, _("After %s"), when);
    const char *titles[2] = {_("Baseline"), t1};
    snprintf(zoom, sizeof zoom, _("the surface magnified %.1f times"), (PANEL_W / ((ZOOM_X1 - ZOOM_X0) * ba->W)) /
                                                                      (PANEL_W / ba->W));
    for (int i = 0; i < 2; i++) {
        const double x0 = 90 + i * (PANEL_W + 100);
        exo__axes ax = {x0, TOP, x0 + PANEL_W, TOP + PANEL_H, 0, ba->W, 0, ba->zmax, false, false, true};
        panel(cr, &ax, &ba->s[i], i ? &ba->s[0] : NULL, ba->W, i ? NULL : _("depth [\xc2\xb5m]"), titles[i]);
        /* the strip shown magnified below */
        exo__axes zx = {x0, y2, x0 + PANEL_W, y2 + ba->hi, ZOOM_X0 * ba->W, ZOOM_X1 * ba->W, 0, ba->zi, false, false,
                        true};
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_set_line_width(cr, 1);
        cairo_set_dash(cr, (const double[]){4, 3}, 2, 0);
        cairo_rectangle(cr, exo__px(&ax, zx.xmin), exo__py(&ax, 0), exo__px(&ax, zx.xmax) - exo__px(&ax, zx.xmin),
                        exo__py(&ax, ba->zi) - exo__py(&ax, 0));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        panel(cr, &zx, &ba->s[i], i ? &ba->s[0] : NULL, ba->W, i ? NULL : _("depth [\xc2\xb5m]"), zoom);
        /* the numbers of this state, under the panels */
        const skin_state *s = &ba->s[i];
        char line[5][160];
        int nl = 0;
        snprintf(line[nl++], sizeof line[0], _("dermis %.2f mm thick (ultrasound)"), s->dermis / 1000);
        snprintf(line[nl++], sizeof line[0], _("dermal collagen %.3g (young = 1)"), s->collagen);
        snprintf(line[nl++], sizeof line[0], _("epidermis %.0f \xc2\xb5m (fixed in the model)"), s->sc + s->ve);
        snprintf(line[nl++], sizeof line[0], _("wrinkle grade %.1f of 9"), s->wrinkle);
        if (ba->lines > 4)
            snprintf(line[nl++], sizeof line[0], _("acne scar score %.0f points, scar %.0f \xc2\xb5m deep"), s->ecca,
                     s->scar);
        exo__plot_font(cr, 10.5, false);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        for (int k = 0; k < nl; k++)
            exo__plot_text(cr, x0, y3 + 46 + 16 * k, 0, 0, line[k]);
    }
    /* title */
    char buf[512], name[160], label[200];
    snprintf(name, sizeof name, "%s", exo_result_arm_name(r, ba->arm));
    exo__plot_font(cr, 12, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, _("The skin of arm '%s' before and after, to scale"), name);
    exo__plot_text(cr, 0.5 * w, 16, 0.5, 0.5, buf);
    exo__plot_font(cr, 10.5, false);
    char v0[32], v1[32];
    readout_pair(ba, v0, v1, sizeof v0);
    snprintf(label, sizeof label, "%s", exo__report_readout_label(ba->main));
    snprintf(buf, sizeof buf, _("the arm with the largest change in %s [%s]: %s to %s"), label,
             exo_readout_scale(ba->main), v0, v1);
    exo__plot_text(cr, 0.5 * w, 36, 0.5, 0.5, buf);
    /* legend: swatches in rows at the bottom */
    static const char *const names[] = {N_("stratum corneum"), N_("viable epidermis"), N_("dermis"),
                                        N_("fat below the dermis"), N_("collagen bundle at baseline"),
                                        N_("collagen bundle added since")};
    const double *cols[] = {c_sc, c_ve, c_de, c_fat, c_old, c_new};
    double x = 90, y = h - 44;
    exo__plot_font(cr, 10, false);
    for (int k = 0; k < 6; k++) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, _(names[k]), &e);
        if (x + 22 + e.x_advance > w - 10) {
            x = 90;
            y += 18;
        }
        if (k < 4) {
            cairo_rectangle(cr, x, y - 6, 16, 12);
            rgb(cr, cols[k]);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
        } else {
            cairo_move_to(cr, x + 1, y);
            cairo_curve_to(cr, x + 5, y - 2.5, x + 11, y + 2.5, x + 15, y);
            cairo_set_line_width(cr, 1.6);
            rgb(cr, cols[k]);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        exo__plot_text(cr, x + 22, y, 0, 0.5, _(names[k]));
        x += 22 + e.x_advance + 18;
    }
    exo__plot_font(cr, 9.5, false);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    snprintf(buf, sizeof buf, _("wrinkle fold drawn %.0f \xc2\xb5m deep per grade point (the model gives a grade, "
                                "not a depth); the dashed box is the part magnified below"),
             WRINKLE_UM_PER_GRADE);
    exo__plot_text(cr, 90, h - 66, 0, 0.5, buf);
}

bool exo__report_has_before_after(const exo_result *r)
{
    return exo_result_arms(r) >= 1 && exo_result_rows(r, 0) >= 2;
}

exo_status exo__report_before_after(exo__html *b, const exo_result *r)
{
    if (!exo__report_has_before_after(r))
        return EXO_OK;
    before_after ba;
    choose(r, &ba);
    const exo__figure figure = {
        "before-after",
        N_("The skin at baseline and at the last visit, side by side and to scale (equal micrometres per pixel "
           "across and down), for the arm with the largest change in the scenario's main readout: above, the whole "
           "skin, the dermis as thick as on ultrasound and collagen bundles as dense as the dermal collagen (those "
           "added since baseline darker); below, the surface magnified: the epidermis, a wrinkle fold in proportion "
           "to the wrinkle grade and an acne scar as deep as its missing matrix."),
        900, ceil(TOP + PANEL_H + GAP + ba.hi + 46 + ba.lines * 16 + 84), draw};
    exo__html_section(b, "before-after", N_("Before and after"));
    char name[768], when[64], v0[32], v1[32];
    readout_pair(&ba, v0, v1, sizeof v0);
    exo__html_put(b, "<p>");
    exo__html_printf(b, _("Arm <strong>%s</strong> changes most in %s, from %s to %s %s; its skin at baseline and "
                          "after %s:"),
                     exo__html_esc_str(exo_result_arm_name(r, ba.arm), name, sizeof name),
                     exo__report_readout_label(ba.main), v0, v1, exo_readout_scale(ba.main),
                     exo__html_duration(ba.s[1].t, when, sizeof when));
    exo__html_put(b, "</p>\n");
    exo_status st = exo__html_figure(b, &figure, &ba);
    /* the numbers drawn, in a table */
    exo__html_printf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("drawn from"), _("baseline"),
                     _("last visit"));
    const struct {
        const char *what;
        double v[2];
        const char *fmt;
    } rows[] = {
        {N_("dermis thickness (ultrasound) [mm]"), {ba.s[0].dermis / 1000, ba.s[1].dermis / 1000}, "%.3f"},
        {N_("dermal collagen [1 (young = 1)]"), {ba.s[0].collagen, ba.s[1].collagen}, "%.3g"},
        {N_("epidermis thickness [\xc2\xb5m]"), {ba.s[0].sc + ba.s[0].ve, ba.s[1].sc + ba.s[1].ve}, "%.0f"},
        {N_("wrinkle grade [grade 0-9]"), {ba.s[0].wrinkle, ba.s[1].wrinkle}, "%.2f"},
        {N_("acne scar score (ECCA) [points]"), {ba.s[0].ecca, ba.s[1].ecca}, "%.1f"},
        {N_("scar depth (missing matrix) [\xc2\xb5m]"), {ba.s[0].scar, ba.s[1].scar}, "%.0f"},
    };
    for (int i = 0; i < (int)(sizeof rows / sizeof rows[0]); i++) {
        if (i >= 4 && ba.lines < 5)
            break; /* no scar */
        exo__html_printf(b, "<tr><td>%s</td><td>", _(rows[i].what));
        exo__html_printf(b, rows[i].fmt, rows[i].v[0]);
        exo__html_put(b, "</td><td>");
        exo__html_printf(b, rows[i].fmt, rows[i].v[1]);
        exo__html_put(b, "</td></tr>\n");
    }
    exo__html_put(b, "</table>\n</section>\n");
    return st;
}
