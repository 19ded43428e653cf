/* unit_labels_test.c - every unit that the output files name parses with
 * udunits2 as anyone else would read it: udunits2's own database plus only
 * the count words that docs/units.md documents as dimensionless ("particles",
 * "activity"), nothing of exoskin's own unit system.  Checked: every
 * readout's unit (its scale, the words reports show, is free text); every
 * "[unit]" of every CSV header and every "unit" or "*_unit" string of every
 * JSON file that the CLI writes for a short column run, a tiny tissue run, a
 * trial and a sweep (the CLI from $EXO_CLI, the examples from
 * $EXO_SOURCE_DIR, as CTest sets them); and summary.json's structured
 * effective input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udunits2.h>
#include <unistd.h>

/* docs/units.md, "Units in output files": the documented count words. */
static const char *const count_words[] = {"particles", "activity"};

static ut_system *plain_udunits(void)
{
    ut_set_error_message_handler(ut_ignore);
    ut_system *sys = ut_read_xml(NULL);
    assert_non_null(sys);
    ut_unit *one = ut_get_dimensionless_unit_one(sys);
    for (size_t i = 0; i < sizeof count_words / sizeof *count_words; i++)
        assert_int_equal(ut_map_name_to_unit(count_words[i], UT_ASCII, one), UT_SUCCESS);
    return sys;
}

static int checked; /* labels parsed, over the whole test */

static void check_unit(ut_system *sys, const char *unit, const char *where)
{
    ut_unit *u = ut_parse(sys, unit, UT_ASCII);
    if (!u)
        fail_msg("%s: unit '%s' does not parse with udunits2", where, unit);
    ut_free(u);
    checked++;
}

static void readout_units_parse(void **state)
{
    (void)state;
    ut_system *sys = plain_udunits();
    ut_unit *one = ut_get_dimensionless_unit_one(sys);
    for (int k = 0; k < exo_readout_count(); k++) {
        check_unit(sys, exo_readout_unit(k), exo_readout_name(k));
        assert_true(strlen(exo_readout_scale(k)) > 0);
        /* a dimensionless readout says what its number means */
        ut_unit *u = ut_parse(sys, exo_readout_unit(k), UT_ASCII);
        if (ut_are_convertible(u, one) && strcmp(exo_readout_unit(k), "%/h") != 0)
            assert_string_not_equal(exo_readout_scale(k), exo_readout_unit(k));
        ut_free(u);
    }
    /* "AU" would be the astronomical unit; "points" the printer's point */
    ut_unit *au = ut_parse(sys, "AU", UT_ASCII), *m = ut_parse(sys, "m", UT_ASCII);
    assert_true(!au || ut_are_convertible(au, m));
    ut_free(au);
    ut_free(m);
    ut_free_system(sys);
}

/* ---- the files the CLI writes ------------------------------------------- */

static void run_cli(const char *args, const char *dir)
{
    const char *cli = getenv("EXO_CLI"), *src = getenv("EXO_SOURCE_DIR");
    assert_non_null(cli);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s -o '%s' --quiet >/dev/null", src ? src : ".", cli, args, dir);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

/* The units of a CSV header: the text between the last '[' and ']' of every
 * column (columns may be quoted). */
static void csv_header(ut_system *sys, const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[65536];
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    char *col = line;
    while (col) {
        char *end = col;
        bool quoted = false;
        while (*end && (quoted || *end != ',')) {
            if (*end == '"')
                quoted = !quoted;
            end++;
        }
        char *next = *end ? end + 1 : NULL;
        *end = 0;
        char *open = strrchr(col, '['), *close = open ? strchr(open, ']') : NULL;
        if (open && close) {
            *close = 0;
            char where[1024];
            snprintf(where, sizeof where, "%s: column '%.200s'", path, col);
            check_unit(sys, open + 1, where);
        }
        col = next;
    }
}

static bool unit_key(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    return k && (!strcmp(k, "unit") || (n > 5 && !strcmp(k + n - 5, "_unit")));
}

static void json_units(ut_system *sys, const cJSON *o, const char *path)
{
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next) {
        if (cJSON_IsString(c) && unit_key(c->string)) {
            char where[512];
            snprintf(where, sizeof where, "%s: \"%s\"", path, c->string);
            check_unit(sys, c->valuestring, where);
        }
        json_units(sys, c, path);
    }
}

static void json_file(ut_system *sys, const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = 0;
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    free(text);
    assert_non_null(root);
    json_units(sys, root, path);
    cJSON_Delete(root);
}

/* Every .csv and .json file in dir; their number. */
static int scan_folder(ut_system *sys, const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n > 4 && !strcmp(e->d_name + n - 4, ".csv")) {
            csv_header(sys, path);
            files++;
        } else if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
            json_file(sys, path);
            files++;
        }
    }
    closedir(d);
    return files;
}

/* summary.json's effective_input_structured: the default example's seed as
 * an integer, its first topical amount as {"value": 10, "unit": "um"} (1
 * mg/cm^2) and its arm names as strings. */
static void check_structured_input(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *in = cJSON_GetObjectItem(root, "effective_input_structured");
    assert_non_null(in);
    assert_true(cJSON_GetObjectItem(in, "seed")->valuedouble == 42);
    const cJSON *arm = cJSON_GetArrayItem(cJSON_GetObjectItem(in, "arms"), 0);
    assert_string_equal(cJSON_GetObjectItem(arm, "name")->valuestring, "serum twice daily");
    const cJSON *amount = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(arm, "protocol"), 0), "amount");
    assert_true(cJSON_GetObjectItem(amount, "value")->valuedouble == 10);
    assert_string_equal(cJSON_GetObjectItem(amount, "unit")->valuestring, "um");
    cJSON_Delete(root);
}

#define SHORT                                                                                                 \
    "--set simulation.duration='2 weeks' --set 'simulation.profile_times=[1 day]' "                          \
    "--set 'arms.0.protocol.0.schedule=twice daily for 2 weeks' --set 'arms.1.protocol.0.schedule=once' " \
    "--set 'arms.1.protocol.1.schedule=once'"

static void output_units_parse(void **state)
{
    (void)state;
    char tmp[] = "/tmp/exo_unit_labels_XXXXXX", dir[4][256];
    assert_non_null(mkdtemp(tmp));
    static const char *const runs[4] = {
        "run examples/default.yaml " SHORT,
        "run examples/tissue-microneedling.yaml --set simulation.tissue.size='30 um' --set "
        "simulation.duration='2 h' --set simulation.output_interval='1 h' --set 'simulation.profile_times=[1 h, 2 h]'",
        "trial examples/default-trial.yaml --set trial.patients=4 " SHORT " --set 'trial.visits=[1 week, 2 weeks]'",
        "sweep examples/injection-dose-sweep.yaml --vary 'products.0.concentration=1e8 particles/mL;1e9 particles/mL'",
    };
    static const int min_files[4] = {3, 4, 2, 2}; /* timeseries, profiles, summary (+ fields_xz); ... */
    ut_system *sys = plain_udunits();
    for (int i = 0; i < 4; i++) {
        snprintf(dir[i], sizeof dir[i], "%s/%d", tmp, i);
        run_cli(runs[i], dir[i]);
        int before = checked, files = scan_folder(sys, dir[i]);
        if (files < min_files[i])
            fail_msg("%s: %d CSV and JSON files, expected at least %d", dir[i], files, min_files[i]);
        if (checked - before < 5)
            fail_msg("%s: only %d units", runs[i], checked - before);
    }
    ut_free_system(sys);
    check_structured_input(dir[0]);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readout_units_parse),
        cmocka_unit_test(output_units_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
