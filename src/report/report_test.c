/* report_test.c - the run report of examples/default.yaml: report.html has
 * every section id, one inline <svg> per figure, the effective input escaped,
 * and each figures/NAME.png is a PNG of the size exo_report_figure_size
 * states; a --force rerun over a result with figures/ replaces it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>

#include "engine/result.h"
#include "report/html.h"
#include "report/plot.h"
#include "tissue/tissue.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) {
        s[n] = '\0';
        *len = (size_t)n;
    }
    return s;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void report_of_default(void **state)
{
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_result *res = NULL;
    assert_int_equal(exo_ctx_create(0, &ctx), EXO_OK);
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    const char *src = getenv("EXO_SOURCE_DIR");
    char file[4096], dir[256], path[4400];
    snprintf(file, sizeof file, "%s/examples/default.yaml", src && src[0] ? src : ".");
    assert_int_equal(exo_config_load(ctx, u, file, NULL, 0, &cfg), EXO_OK);
    assert_int_equal(exo_run(ctx, &cfg, NULL, NULL, &res), EXO_OK);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/exo_report_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out", dir);
    /* a YAML with markup in it must come out escaped */
    const char *yaml = "name: default\n# <script>alert(1)</script> & more\n";
    assert_int_equal(exo_result_write(ctx, res, yaml, path, false), EXO_OK);
    assert_int_equal(exo_result_write(ctx, res, yaml, path, true), EXO_OK); /* replaces figures/ too */

    size_t len = 0;
    snprintf(path, sizeof path, "%s/out/report.html", dir);
    char *html = slurp(path, &len);
    assert_non_null(html);
    static const char *const ids[] = {"summary", "readouts", "figures", "delivery", "depth", "cross-section",
                                      "before-after", "adverse-events", "inputs-and-provenance"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char needle[96];
        snprintf(needle, sizeof needle, "<section id=\"%s\">", ids[i]);
        if (!strstr(html, needle))
            fail_msg("report.html lacks %s", needle);
    }
    /* summary comes first */
    assert_true(strstr(html, "id=\"summary\"") < strstr(html, "id=\"readouts\""));
    int nfig = exo_report_figure_count();
    assert_int_equal(nfig, 4);
    assert_int_equal(count(html, "<svg"), nfig + 1); /* and the before-after figure */
    assert_int_equal(count(html, "</svg>"), nfig + 1);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert_non_null(strstr(html, "one typical patient"));
    assert_non_null(strstr(html, "exoskin trial"));
    assert_non_null(strstr(html, "consultation"));
    assert_null(strstr(html, "src=\"http")); /* self-contained: nothing fetched */
    for (int i = 0; i < nfig; i++) {
        char href[128];
        snprintf(href, sizeof href, "href=\"figures/%s.png\"", exo_report_figure_name(i));
        assert_non_null(strstr(html, href));
        snprintf(path, sizeof path, "%s/out/figures/%s.png", dir, exo_report_figure_name(i));
        size_t n = 0;
        unsigned char *png = (unsigned char *)slurp(path, &n);
        assert_non_null(png);
        assert_true(n > 24);
        assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
        assert_memory_equal(png + 12, "IHDR", 4);
        int w = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int h = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        int ew, eh;
        exo_report_figure_size(i, &ew, &eh);
        assert_int_equal(w, ew);
        assert_int_equal(h, eh);
        assert_true(ew > 0 && eh > 0);
        free(png);
        unlink(path);
    }
    free(html);
    snprintf(path, sizeof path, "%s/out/figures/before-after.png", dir);
    assert_int_equal(unlink(path), 0);
    static const char *const files[] = {".exoskin", "report.html", "timeseries.csv", "profiles.csv", "summary.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/out/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/out/figures", dir);
    assert_int_equal(rmdir(path), 0);
    snprintf(path, sizeof path, "%s/out", dir);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0); /* no .old or .tmp folders left behind */
    exo_result_destroy(&res);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    (void)state;
}

static char *report_in(exo_ctx *ctx, const exo_result *res, const char *base, const char *sub)
{
    char dir[4200], path[4300];
    size_t len;
    snprintf(dir, sizeof dir, "%s/%s", base, sub);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(exo_report_write(ctx, res, "name: default\n", dir), EXO_OK);
    snprintf(path, sizeof path, "%s/report.html", dir);
    return slurp(path, &len);
}

/* The report language is switched for the writing thread only: an English
 * report is the same bytes under a French global locale, a French one has
 * French titles, and the caller's locale (global and thread) is as it was,
 * with its decimal comma. */
static void report_language_leaves_locale_alone(void **state)
{
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    exo_result *res = NULL;
    assert_int_equal(exo_ctx_create(0, &ctx), EXO_OK);
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    const char *src = getenv("EXO_SOURCE_DIR");
    char file[4096], base[256];
    snprintf(file, sizeof file, "%s/examples/default.yaml", src && src[0] ? src : ".");
    assert_int_equal(exo_config_load(ctx, u, file, NULL, 0, &cfg), EXO_OK);
    assert_int_equal(exo_run(ctx, &cfg, NULL, NULL, &res), EXO_OK);
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/exo_report_lang_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(base));

    assert_string_equal(exo_ctx_language(ctx), "en");
    char *c = report_in(ctx, res, base, "c");
    if (!setlocale(LC_ALL, "fr_FR.UTF-8"))
        fail_msg("no fr_FR.UTF-8 locale: run scripts/install-deps.sh");
    char *g = report_in(ctx, res, base, "g");
    assert_non_null(c);
    assert_non_null(g);
    assert_string_equal(c, g);
    assert_non_null(strstr(g, "Summary in plain words"));
    assert_int_equal(exo_ctx_set_language(ctx, "de"), EXO_EINPUT);
    assert_int_equal(exo_ctx_set_language(ctx, "fr"), EXO_OK);
    char *f = report_in(ctx, res, base, "f");
    assert_non_null(f);
    assert_non_null(strstr(f, "<html lang=\"fr\">"));
    assert_non_null(strstr(f, "Résumé en termes simples"));
    assert_non_null(strstr(f, "Données d&#39;entrée et provenance"));
    assert_null(strstr(f, "Summary in plain words"));
    assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    assert_non_null(strstr(setlocale(LC_ALL, NULL), "fr_FR"));
    assert_string_equal(localeconv()->decimal_point, ",");
    char num[16];
    snprintf(num, sizeof num, "%.1f", 1.5);
    assert_string_equal(num, "1,5"); /* the caller's locale is untouched */
    setlocale(LC_ALL, "C");
    snprintf(num, sizeof num, "%.1f", 1.5);
    assert_string_equal(num, "1.5");
    free(c);
    free(g);
    free(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
    exo_result_destroy(&res);
    exo_config_fini(ctx, &cfg);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    (void)state;
}

/* ---- the picture test: no text of a figure overlaps another, none is clipped */

#define LOG_BOXES 20000
static exo__text_box log_boxes[LOG_BOXES];

/* Every figure recorded in log: no overlap, nothing outside its drawing;
 * returns the number of figures checked. */
static int check_pictures(const exo__text_log *log, const char *what)
{
    char msg[8192];
    int bad = 0;
    assert_int_equal(log->dropped, 0);
    for (int k = 0; k < log->n_fig; k++) {
        int n = exo__text_log_check(log, k, 0.5, msg, sizeof msg);
        if (n)
            print_message("%s, figure %s: %d problems\n%s", what, log->fig[k].name, n, msg);
        bad += n;
    }
    assert_int_equal(bad, 0);
    return log->n_fig;
}

static void write_logged(exo__text_log *log, exo_status st_of_write)
{
    exo__text_log_set(NULL);
    assert_int_equal(st_of_write, EXO_OK);
    (void)log;
}

static void start_log(exo__text_log *log)
{
    memset(log, 0, sizeof *log);
    log->box = log_boxes;
    log->cap = LOG_BOXES;
    exo__text_log_set(log);
}

/* The run report of a scenario: its four figures; with draws >= 0 the run
 * at posterior draws 0..draws (the time course with its bands). */
static void pictures_of_run(exo_ctx *ctx, exo_units *u, const char *src, const char *file, const char *base,
                            int draws)
{
    exo_config cfg;
    exo_result *res = NULL;
    char path[4400], out[4400];
    snprintf(path, sizeof path, "%s/%s", src, file);
    assert_int_equal(exo_config_load(ctx, u, path, NULL, 0, &cfg), EXO_OK);
    if (draws >= 0) {
        exo_posterior *post = NULL;
        assert_int_equal(exo_posterior_load(ctx, NULL, &post), EXO_OK);
        assert_int_equal(exo_run_draws(ctx, &cfg, post, draws, NULL, NULL, &res), EXO_OK);
        exo_posterior_destroy(&post);
    } else
        assert_int_equal(exo_run(ctx, &cfg, NULL, NULL, &res), EXO_OK);
    snprintf(out, sizeof out, "%s/run%s-%s", base, draws >= 0 ? "-draws" : "",
             strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
    exo__text_log log;
    start_log(&log);
    write_logged(&log, exo_result_write(ctx, res, "name: x\n", out, false));
    assert_int_equal(check_pictures(&log, file), exo_report_figure_count() + 1); /* and before-after */
    exo_result_destroy(&res);
    exo_config_fini(ctx, &cfg);
}

/* Renders every figure kind of the run, trial, sweep and validation reports
 * and checks, from the ink boxes of their texts (cairo text extents in
 * device units), that no label overlaps another and none leaves its
 * drawing. */
static void pictures_have_no_overlap_or_clipping(void **state)
{
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    assert_int_equal(exo_ctx_create(0, &ctx), EXO_OK);
    assert_int_equal(exo_units_create(ctx, &u), EXO_OK);
    const char *src = getenv("EXO_SOURCE_DIR"), *tmp = getenv("TMPDIR");
    src = src && src[0] ? src : ".";
    char base[256], path[4400], cmd[600];
    snprintf(base, sizeof base, "%s/exo_pictures_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(base));
    pictures_of_run(ctx, u, src, "examples/default.yaml", base, -1);
    pictures_of_run(ctx, u, src, "examples/mask-and-laser.yaml", base, -1);
    pictures_of_run(ctx, u, src, "examples/injection-and-prp.yaml", base, 2); /* bands, the legend's note */
    exo__text_log log;

    /* a trial of 4 patients per arm: endpoint, distribution, trajectories, power, responders */
    exo_config cfg;
    snprintf(path, sizeof path, "%s/examples/default-trial.yaml", src);
    exo_override few = {"trial.patients", "4"};
    assert_int_equal(exo_config_load(ctx, u, path, &few, 1, &cfg), EXO_OK);
    exo_trial_result *tr = NULL;
    assert_int_equal(exo_trial_run(ctx, u, &cfg, NULL, NULL, &tr), EXO_OK);
    snprintf(path, sizeof path, "%s/trial", base);
    start_log(&log);
    write_logged(&log, exo_trial_write(ctx, tr, "name: x\n", path, false));
    assert_true(check_pictures(&log, "trial") >= 5);
    exo_trial_destroy(ctx, &tr);
    exo_config_fini(ctx, &cfg);

    /* a dose sweep of 3 points */
    static const char *const conc[] = {"1e9 particles/mL", "1e10 particles/mL", "1e11 particles/mL"};
    exo_sweep_vary vary = {"products.0.concentration", conc, 3};
    exo_sweep_options opt = {&vary, 1, true, true, -1};
    exo_sweep_result *sw = NULL;
    snprintf(path, sizeof path, "%s/examples/injection-dose-sweep.yaml", src);
    assert_int_equal(exo_sweep_run(ctx, u, path, NULL, 0, &opt, NULL, NULL, &sw), EXO_OK);
    snprintf(path, sizeof path, "%s/sweep", base);
    start_log(&log);
    write_logged(&log, exo_sweep_write(ctx, sw, path, false));
    assert_true(check_pictures(&log, "sweep") >= 2); /* dose-response, benefit-harm */
    exo_sweep_destroy(ctx, &sw);

    /* a tiny Morris analysis (2 trajectories, 2 parameters) and a tiny optimisation: ranking, protocols */
    const char *keys[] = {"granuloma_hazard", "fibroblast_proliferation"};
    exo_sensitivity_options so = {EXO_SENS_MORRIS, NULL, NULL, keys, 2, 2, 0, 0, 1};
    exo_sensitivity_result *sr = NULL;
    snprintf(path, sizeof path, "%s/tests/data/optimize-tiny.yaml", src);
    assert_int_equal(exo_sensitivity_run(ctx, u, path, NULL, 0, &so, NULL, NULL, &sr), EXO_OK);
    snprintf(cmd, sizeof cmd, "%s/sens", base);
    start_log(&log);
    write_logged(&log, exo_sensitivity_write(ctx, sr, cmd, false));
    assert_int_equal(check_pictures(&log, "sensitivity"), 1);
    exo_sensitivity_destroy(ctx, &sr);
    exo_optimize_result *orr = NULL;
    assert_int_equal(exo_optimize_run(ctx, u, path, NULL, 0, &orr), EXO_OK);
    snprintf(cmd, sizeof cmd, "%s/opt", base);
    start_log(&log);
    write_logged(&log, exo_optimize_write(ctx, orr, cmd, false));
    check_pictures(&log, "optimize");
    exo_optimize_destroy(ctx, &orr);

    /* the serum audit (no search for the needed doses: quick): dose */
    snprintf(path, sizeof path, "%s/examples/audit-serum.yaml", src);
    assert_int_equal(exo_config_load(ctx, u, path, NULL, 0, &cfg), EXO_OK);
    exo_audit_options ao = {false, 0};
    static exo_audit_result ar;
    assert_int_equal(exo_audit_run(ctx, &cfg, &ao, NULL, NULL, &ar), EXO_OK);
    char *yaml = NULL;
    assert_int_equal(exo_config_to_yaml(ctx, &cfg, &yaml), EXO_OK);
    snprintf(cmd, sizeof cmd, "%s/audit", base);
    start_log(&log);
    write_logged(&log, exo_audit_write(ctx, &ar, yaml, cmd, false));
    check_pictures(&log, "audit");
    exo_free(ctx, yaml);
    exo_config_fini(ctx, &cfg);

    /* the validation report: rows with long ids, a pass, a known and a new failure, one off the axis */
    exo_validation_row rows[3];
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < 3; i++) {
        snprintf(rows[i].id, sizeof rows[i].id, "a_rather_long_study_identifier_number_%d", i);
        snprintf(rows[i].unit, sizeof rows[i].unit, "h");
        rows[i].reported = 10;
        rows[i].low = 5;
        rows[i].high = 15;
        rows[i].predicted = i == 0 ? 11 : i == 1 ? 30 : -400;
        rows[i].pass = i == 0;
        rows[i].known = i == 1;
        rows[i].interval_runs = 17; /* the intervals' bars and their note */
        rows[i].interval_low = rows[i].predicted - 3;
        rows[i].interval_mid = rows[i].predicted;
        rows[i].interval_high = rows[i].predicted + 40;
    }
    snprintf(path, sizeof path, "%s/validation", base);
    start_log(&log);
    write_logged(&log, exo_validation_write(ctx, rows, 3, "validation", path, false));
    assert_int_equal(check_pictures(&log, "validation"), 1);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    (void)state;
}

/* A scenario of the source tree run once, with a scratch folder. */
typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    exo_config cfg;
    exo_result *res;
    char base[256];
} ran;

/* The scenario `file` of the source tree, or the YAML text `yaml` when file
 * is NULL. */
static void run_file(ran *f, const char *file, const char *yaml, const char *stem)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(exo_ctx_create(0, &f->ctx), EXO_OK);
    assert_int_equal(exo_units_create(f->ctx, &f->u), EXO_OK);
    const char *src = getenv("EXO_SOURCE_DIR"), *tmp = getenv("TMPDIR");
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", src && src[0] ? src : ".", file ? file : "");
    assert_int_equal(file ? exo_config_load(f->ctx, f->u, path, NULL, 0, &f->cfg)
                          : exo_config_load_buffer(f->ctx, f->u, stem, yaml, strlen(yaml), NULL, 0, &f->cfg),
                     EXO_OK);
    assert_int_equal(exo_run(f->ctx, &f->cfg, NULL, NULL, &f->res), EXO_OK);
    snprintf(f->base, sizeof f->base, "%s/%s_XXXXXX", tmp && tmp[0] ? tmp : "/tmp", stem);
    assert_non_null(mkdtemp(f->base));
}

static void ran_done(ran *f)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->base);
    assert_int_equal(system(cmd), 0);
    exo_result_destroy(&f->res);
    exo_config_fini(f->ctx, &f->cfg);
    exo_units_destroy(&f->u);
    exo_ctx_destroy(&f->ctx);
}

/* The y [um] of the section whose panel title starts with `lead` ("through a
 * follicle, y = 30 um") among the texts of figure `fig` of log, NAN if none. */
static double section_y(const exo__text_log *log, const char *fig, const char *lead)
{
    for (int i = 0; i < log->n; i++) {
        const exo__text_box *t = &log->box[i];
        if (strcmp(log->fig[t->figure].name, fig) || strncmp(t->text, lead, strlen(lead)))
            continue;
        const char *y = strstr(t->text, "y = ");
        return y ? strtod(y + 4, NULL) : NAN;
    }
    return NAN;
}

/* The tissue section of a small block with follicles, laser zones and needle
 * channels (tests/data/tissue-mpi.yaml): no label overlaps or leaves its
 * drawing; each arm's sections cut through a follicle and through its
 * channel or laser zone, which the block's geometry centres on lattices
 * through (lx/4, ly/4) and (lx/2, ly/2) (docs/tissue.md): the section's row
 * lies within the orifice (channel, zone) radius of that centre; and the
 * outlines drawn are those of the recorded geometry (a follicle's columns
 * reach its release depth, a channel's its route's depth). */
static void tissue_sections_cut_follicle_and_channel(void **state)
{
    ran f;
    run_file(&f, "tests/data/tissue-mpi.yaml", NULL, "exo_tissue_pictures");
    const exo_result *res = f.res;
    const exo_config *cfg = &f.cfg;
    char path[4400];
    snprintf(path, sizeof path, "%s/out", f.base);
    exo__text_log log;
    start_log(&log);
    write_logged(&log, exo_result_write(f.ctx, res, "name: x\n", path, false));
    /* the run's figures, before-after and five tissue figures per arm */
    assert_int_equal(check_pictures(&log, "tissue"), exo_report_figure_count() + 1 + 5 * res->n_arms);
    static const char *const kind[2] = {"through a laser zone, y = ", "through a needle channel, y = "};
    for (int a = 0; a < res->n_arms; a++) {
        const exo_tissue_info *ti = &res->arms[a].tissue;
        const size_t plane = (size_t)ti->nx * ti->ny;
        char fig[64];
        snprintf(fig, sizeof fig, "tissue-arm%d-vesicles-xz", a);
        double yf = section_y(&log, fig, "through a follicle, y = "), yc = section_y(&log, fig, kind[a]);
        if (!(isfinite(yf) && isfinite(yc)))
            fail_msg("arm %d: sections %g (follicle), %g (%s)", a, yf, yc, kind[a]);
        const double ly = ti->ny * ti->dx, pi = 3.14159265358979323846;
        const double r_follicle = sqrt(cfg->arms[a].skin.follicle_area_fraction /
                                       (pi * cfg->params.v[EXO_P_FOLLICLE_DENSITY]));
        const double r_channel = a == 0 ? 25.0 : 0.5 * cfg->params.v[EXO_P_MN_CHANNEL_DIAMETER]; /* zone_width 50 um */
        int jf = (int)floor(yf / ti->dx), jc = (int)floor(yc / ti->dx);
        if (!(fabs(yf - 0.25 * ly) <= r_follicle && fabs(yc - 0.5 * ly) <= r_channel))
            fail_msg("arm %d: section y = %g um, follicle at %g um (radius %g); y = %g um, channel at %g (radius %g)", a,
                     yf, 0.25 * ly, r_follicle, yc, 0.5 * ly, r_channel);
        /* the recorded outlines: the follicle's columns in its row reach the release depth, the
         * channel's its route's depth */
        double fdeep = 0, cdeep = 0;
        for (int i = 0; i < ti->nx; i++) {
            fdeep = fmax(fdeep, ti->outline[EXO_OUTLINE_FOLLICLE * plane + (size_t)ti->nx * jf + i]);
            cdeep = fmax(cdeep, ti->outline[(a == 0 ? EXO_OUTLINE_LASER : EXO_OUTLINE_CHANNEL) * plane +
                                            (size_t)ti->nx * jc + i]);
        }
        assert_true(fdeep >= cfg->params.v[EXO_P_FOLLICLE_DEPTH]);
        assert_true(fdeep < cfg->params.v[EXO_P_FOLLICLE_DEPTH] + 100); /* one depth cell below it at most */
        assert_true(cdeep > 0);
        assert_true(cdeep <= (a == 0 ? 300.0 : 500.0) + 100); /* zone_depth 300 um; needles 0.5 mm */
    }
    ran_done(&f);
    (void)state;
}

/* The text of the cell after the row labelled `row` of a table of html. */
static double cell_after(const char *html, const char *row, int col)
{
    char needle[256];
    snprintf(needle, sizeof needle, "<tr><td>%s</td>", row);
    const char *p = strstr(html, needle);
    if (!p)
        return NAN;
    p += strlen(needle);
    for (int c = 1; c < col && p; c++) /* p is at the first cell after the label */
        p = strstr(p + 1, "<td>");
    return p ? strtod(p + 4, NULL) : NAN;
}

/* The readout table's healthy range is that of each arm's own skin
 * (exo_skin_normal_ranges): a 25-year-old cheek and a 70-year-old forearm
 * (arms with their own skin) show different ranges, each the one the
 * library gives for that skin; atopic skin is shown the healthy range, and
 * its lesional TEWL, above it, is marked; inflammation has none ("-"). */
static void readout_table_shows_each_skins_range(void **state)
{
    const char *yaml = "name: ranges\n"
                       "arms:\n"
                       "  - {name: young cheek, skin: {age: 25 years, region: cheek}, protocol: []}\n"
                       "  - {name: old forearm, skin: {age: 70 years, region: forearm}, protocol: []}\n"
                       "  - {name: atopic, skin: {age: 30 years, condition: atopic_dermatitis}, protocol: []}\n"
                       "simulation: {duration: 1 day}\n";
    ran f;
    run_file(&f, NULL, yaml, "exo_report_ranges");
    exo_ctx *ctx = f.ctx;
    const exo_config *cfg = &f.cfg;
    const exo_result *res = f.res;
    char *html = report_in(ctx, res, f.base, "r");
    assert_non_null(html);
    const char *readouts = strstr(html, "<section id=\"readouts\">");
    assert_non_null(readouts);
    static const int ks[] = {EXO_RD_US_DENSITY, EXO_RD_TEWL, EXO_RD_MELANIN};
    static const char *const rows[] = {"ultrasound density", "tewl", "melanin index"};
    char shown[3][3][96];
    for (int a = 0; a < 3; a++) {
        char h3[128];
        snprintf(h3, sizeof h3, "<h3>%s</h3>", exo_result_arm_name(res, a));
        const char *sec = strstr(readouts, h3);
        assert_non_null(sec);
        exo_normal_range nr[EXO_RD_COUNT];
        assert_int_equal(exo_skin_normal_ranges(ctx, cfg, &cfg->arms[a].skin, nr), EXO_OK);
        for (int i = 0; i < 3; i++) {
            char row[128], want[96];
            snprintf(row, sizeof row, "<tr><td>%s</td>", rows[i]);
            const char *tr = strstr(sec, row), *end = tr ? strstr(tr, "</tr>") : NULL;
            assert_true(tr && end);
            const char *last = NULL; /* the last cell of the row: the healthy range */
            for (const char *p = strstr(tr, "<td>"); p && p < end; p = strstr(p + 1, "<td>"))
                last = p + 4;
            snprintf(shown[a][i], sizeof shown[a][i], "%.*s", (int)(end - 5 - last), last);
            snprintf(want, sizeof want, "%.3g\u2013%.3g", nr[ks[i]].low, nr[ks[i]].high);
            if (strcmp(shown[a][i], want))
                fail_msg("arm %d %s: shows '%s', the skin's range is '%s'", a, rows[i], shown[a][i], want);
        }
        if (a == 2) { /* atopic: TEWL above the healthy range, marked */
            double b0, b1;
            exo_result_readout(res, a, EXO_RD_TEWL, &b0, &b1);
            assert_true(b0 > nr[EXO_RD_TEWL].high);
            char mark[96];
            snprintf(mark, sizeof mark, "<td>%.4g*</td>", b0);
            assert_non_null(strstr(sec, mark));
        }
        char none[128];
        snprintf(none, sizeof none, "<tr><td>inflammation</td>");
        const char *tr = strstr(sec, none);
        assert_non_null(tr);
        const char *end = strstr(tr, "</tr>");
        const char *dash = "<td>\u2013</td>";
        const size_t n = strlen(dash);
        assert_true(end - n > tr && !strncmp(end - n, dash, n));
    }
    assert_string_not_equal(shown[0][0], shown[1][0]); /* echo density: young cheek vs old forearm */
    assert_string_not_equal(shown[0][1], shown[1][1]); /* TEWL: cheek vs forearm */
    free(html);
    ran_done(&f);
    (void)state;
}

/* The before/after figure of an acne-scar scenario (examples/mask-and-laser.yaml)
 * shows the arm whose acne-scar score changes most, and draws at baseline a
 * scar as deep as the scar deficit (acne_scar_deficit, where the score is
 * its baseline ecca_base) times the papillary and upper half of the
 * reticular dermis; the dermis as thick as its ultrasound readout. */
static void before_after_shows_the_arm_that_matters(void **state)
{
    ran f;
    run_file(&f, "examples/mask-and-laser.yaml", NULL, "exo_before_after");
    const exo_result *res = f.res;
    assert_int_equal(f.cfg.arms[0].skin.condition, EXO_COND_ACNE_SCARS);
    char *html = report_in(f.ctx, res, f.base, "r");
    assert_non_null(html);
    int most = 0;
    double dmost = -1;
    for (int a = 0; a < exo_result_arms(res); a++) {
        double b0, b1;
        exo_result_readout(res, a, EXO_RD_ECCA, &b0, &b1);
        if (fabs(b1 - b0) > dmost) {
            dmost = fabs(b1 - b0);
            most = a;
        }
    }
    assert_true(dmost > 1); /* points: the laser arm's scars fill */
    const char *sec = strstr(html, "<section id=\"before-after\">");
    assert_non_null(sec);
    char who[256];
    snprintf(who, sizeof who, "Arm <strong>%s</strong> changes most in acne scar score", exo_result_arm_name(res, most));
    if (!strstr(sec, who))
        fail_msg("before-after does not name arm '%s'", exo_result_arm_name(res, most));
    double pap = exo_result_layer_top(res, most, 3) - exo_result_layer_top(res, most, 2);
    double ret = exo_result_layer_top(res, most, 4) - exo_result_layer_top(res, most, 3);
    double scar0 = f.cfg.params.v[EXO_P_SCAR_DEFICIT] * (pap + 0.5 * ret);
    assert_float_equal(cell_after(sec, "acne scar score (ECCA) [points]", 1), f.cfg.params.v[EXO_P_ECCA_BASE], 0.05);
    assert_float_equal(cell_after(sec, "scar depth (missing matrix) [\xc2\xb5m]", 1), scar0, 0.5);
    double b0, b1;
    exo_result_readout(res, most, EXO_RD_US_THICKNESS, &b0, &b1);
    assert_float_equal(cell_after(sec, "dermis thickness (ultrasound) [mm]", 1), b0, 5e-4);
    assert_float_equal(cell_after(sec, "dermis thickness (ultrasound) [mm]", 2), b1, 5e-4);
    free(html);
    ran_done(&f);
    (void)state;
}

/* Numbers in powers of ten: a mantissa that rounds up to 10 moves to the
 * next power ("1 x 10^12", never "10 x 10^11"). */
static void sci_never_ten_times(void **state)
{
    char buf[96];
    assert_string_equal(exo__html_sci_str(9.9996e11, buf, sizeof buf), "1&#8239;&times;&#8239;10<sup>12</sup>");
    assert_string_equal(exo__html_sci_str(1e12, buf, sizeof buf), "1&#8239;&times;&#8239;10<sup>12</sup>");
    assert_string_equal(exo__html_sci_str(-9.9996e-5, buf, sizeof buf), "-1&#8239;&times;&#8239;10<sup>&minus;4</sup>");
    assert_string_equal(exo__text_sci_str(1.234e9, buf, sizeof buf), "1.23\u202f\u00d7\u202f10\u2079");
    assert_string_equal(exo__text_sci_str(-9.9996e-5, buf, sizeof buf), "-1\u202f\u00d7\u202f10\u207b\u2074");
    assert_string_equal(exo__html_sci_str(24708, buf, sizeof buf), "2.47&#8239;&times;&#8239;10<sup>4</sup>");
    assert_string_equal(exo__html_signed_str(6.82e-5, buf, sizeof buf), "+6.82&#8239;&times;&#8239;10<sup>&minus;5</sup>");
    assert_string_equal(exo__html_sci_str(2.5e9, buf, sizeof buf), "2.5&#8239;&times;&#8239;10<sup>9</sup>");
    assert_string_equal(exo__html_sci_str(9.994e11, buf, sizeof buf), "9.99&#8239;&times;&#8239;10<sup>11</sup>");
    assert_string_equal(exo__html_sci_str(1234, buf, sizeof buf), "1234");
    (void)state;
}

/* Display text: units with superscripts (never a caret), no negative
 * zero, risks without exponents. */
static void display_text(void **state)
{
    char buf[96];
    assert_string_equal(exo__unit_str("g/m^2/h", buf, sizeof buf), "g/m\u00b2/h");
    assert_string_equal(exo__unit_str("mg/cm^2", buf, sizeof buf), "mg/cm\u00b2");
    assert_string_equal(exo__unit_str("cm^-1 um", buf, sizeof buf), "cm\u207b\u00b9 \u00b5m");
    assert_string_equal(exo__unit_str("umol/L", buf, sizeof buf), "umol/L");
    assert_true(exo__html_round0(-0.04, 1) == 0 && !signbit(exo__html_round0(-0.04, 1)));
    assert_true(exo__html_round0(-0.06, 1) == -0.06);
    assert_string_equal(exo__html_risk_str(8.1e-7, buf, sizeof buf), "below 0.001&#8239;%");
    assert_string_equal(exo__html_risk_str(0.0123, buf, sizeof buf), "1.2&#8239;%");
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(report_of_default),
                                       cmocka_unit_test(report_language_leaves_locale_alone),
                                       cmocka_unit_test(pictures_have_no_overlap_or_clipping),
                                       cmocka_unit_test(tissue_sections_cut_follicle_and_channel),
                                       cmocka_unit_test(before_after_shows_the_arm_that_matters),
                                       cmocka_unit_test(sci_never_ten_times), cmocka_unit_test(display_text),
                                       cmocka_unit_test(readout_table_shows_each_skins_range)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
