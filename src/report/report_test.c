/* report_test.c - the run report of examples/default.yaml: report.html has
 * every section id, one inline <svg> per figure, the effective input escaped,
 * and each figures/NAME.png is a PNG of the size exo_report_figure_size
 * states; a --force rerun over a result with figures/ replaces it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
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
                                      "adverse-events", "inputs-and-provenance"};
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
    assert_int_equal(count(html, "<svg"), nfig);
    assert_int_equal(count(html, "</svg>"), nfig);
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(report_of_default),
                                       cmocka_unit_test(report_language_leaves_locale_alone)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
