/* readout_test.c - the one list of clinical readouts (exo_readouts.h): every
 * row has a name, unit and label, names are distinct and find their index,
 * the study quantities carry the same names in the same order, and
 * docs/readouts.md lists every readout in that order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rows_are_complete_and_distinct(void **state)
{
    (void)state;
    assert_int_equal(exo_readout_count(), EXO_RD_COUNT);
    for (int k = 0; k < EXO_RD_COUNT; k++) {
        const char *name = exo_readout_name(k);
        assert_true(strlen(name) > 0 && strspn(name, "abcdefghijklmnopqrstuvwxyz_") == strlen(name));
        assert_true(strlen(exo_readout_unit(k)) > 0);
        assert_true(strlen(exo_readout_label(k)) > 0);
        assert_int_equal(exo_readout_index(name), k);
        for (int j = 0; j < k; j++)
            assert_string_not_equal(exo_readout_name(j), name);
    }
}

static void ids_name_their_rows(void **state)
{
    (void)state;
    assert_string_equal(exo_readout_name(EXO_RD_TEWL), "tewl");
    assert_string_equal(exo_readout_unit(EXO_RD_TEWL), "g/m^2/h");
    assert_string_equal(exo_readout_label(EXO_RD_TEWL), "water loss through the skin (TEWL)");
    assert_string_equal(exo_readout_name(EXO_RD_COLLAGEN), "dermal_collagen");
    assert_string_equal(exo_readout_unit(EXO_RD_COLLAGEN), "1");
    assert_string_equal(exo_readout_scale(EXO_RD_COLLAGEN), "1 (young = 1)");
    assert_string_equal(exo_readout_unit(EXO_RD_WRINKLES), "1");
    assert_string_equal(exo_readout_scale(EXO_RD_WRINKLES), "grade 0-9");
    assert_string_equal(exo_readout_scale(EXO_RD_TEWL), "g/m^2/h");
    assert_string_equal(exo_readout_name(EXO_RD_WRINKLES), "wrinkle_severity");
    assert_string_equal(exo_readout_name(EXO_RD_INFLAMMATION), "inflammation");
    assert_string_equal(exo_readout_name(EXO_RD_MMP), "mmp_activity");
    assert_string_equal(exo_readout_name(EXO_RD_BLOOD_FLOW), "blood_flow");
    assert_int_equal(EXO_RD_BLOOD_FLOW, EXO_RD_COUNT - 1); /* new readouts are appended: earlier columns keep their places */
}

static void out_of_range_and_unknown(void **state)
{
    (void)state;
    assert_string_equal(exo_readout_name(-1), "?");
    assert_string_equal(exo_readout_unit(EXO_RD_COUNT), "?");
    assert_string_equal(exo_readout_scale(EXO_RD_COUNT), "?");
    assert_string_equal(exo_readout_label(EXO_RD_COUNT), "?");
    assert_int_equal(exo_readout_index("hydration"), -1);
    assert_int_equal(exo_readout_index(""), -1);
    assert_int_equal(exo_readout_index(NULL), -1);
}

static void quantities_carry_the_readouts(void **state)
{
    (void)state;
    assert_int_equal(EXO_Q_SERIOUS_AE, EXO_Q_READOUT_FIRST + EXO_RD_COUNT);
    for (int k = 0; k < EXO_RD_COUNT; k++)
        assert_string_equal(exo_quantity_name(EXO_Q_READOUT(k)), exo_readout_name(k));
    assert_string_equal(exo_quantity_name(EXO_Q_READOUT_FIRST - 1), "closure_half_life");
    assert_string_equal(exo_quantity_name(EXO_Q_SERIOUS_AE), "serious_ae_probability");
}

/* Each readout declares its between-subject spread once: a positive
 * coefficient of variation or a non-negative SD, or none (inflammation, a
 * model state no instrument reads, is the one without a healthy range). */
static void every_readout_declares_its_spread(void **state)
{
    (void)state;
    for (int k = 0; k < EXO_RD_COUNT; k++) {
        const exo_readout_spread *s = exo_readout_spread_of(k);
        assert_non_null(s);
        if (s->kind == EXO_SPREAD_CV && !(s->value > 0 && s->value < 0.5))
            fail_msg("%s: coefficient of variation %g outside (0, 0.5)", exo_readout_name(k), s->value);
        if (s->kind == EXO_SPREAD_SD && !(s->value >= 0))
            fail_msg("%s: negative SD", exo_readout_name(k));
        if ((s->kind == EXO_SPREAD_NONE) != (k == EXO_RD_INFLAMMATION))
            fail_msg("%s: unexpected spread kind %d", exo_readout_name(k), (int)s->kind);
    }
    assert_null(exo_readout_spread_of(EXO_RD_COUNT));
    assert_null(exo_readout_spread_of(-1));
}

/* The range is the healthy value +- 1.96 SD: for TEWL (CV 0.30, Montero-Vilchez
 * 2021: 9.69 +- 2.94 g/m^2/h) 15 g/m^2/h gives 15 (1 +- 1.96 x 0.30); it is
 * clipped at 0 and at the top of a scale (wrinkle grade 9); a readout without
 * a healthy range has none. */
static void the_range_is_the_healthy_value_spread(void **state)
{
    (void)state;
    exo_normal_range r;
    assert_true(exo_readout_normal_range(EXO_RD_TEWL, 15.0, &r));
    const double cv = exo_readout_spread_of(EXO_RD_TEWL)->value;
    assert_true(r.defined && r.value == 15.0);
    assert_true(fabs(r.low - 15.0 * (1 - 1.959963984540054 * cv)) < 1e-12);
    assert_true(fabs(r.high - 15.0 * (1 + 1.959963984540054 * cv)) < 1e-12);
    assert_string_equal(r.unit, "g/m^2/h");
    assert_string_equal(r.scale, "g/m^2/h");
    assert_false(exo_normal_range_outside(&r, 15.0));
    assert_true(exo_normal_range_outside(&r, r.high * 1.001));
    assert_true(exo_normal_range_outside(&r, r.low * 0.999));
    /* clipped to the grade scale 0-9 */
    assert_true(exo_readout_normal_range(EXO_RD_WRINKLES, 8.5, &r));
    assert_true(r.high == 9.0 && r.low < 8.5);
    assert_true(exo_readout_normal_range(EXO_RD_WRINKLES, 0.5, &r));
    assert_true(r.low == 0.0);
    /* no scars: the range is the single value 0 */
    assert_true(exo_readout_normal_range(EXO_RD_ECCA, 0.0, &r));
    assert_true(r.low == 0.0 && r.high == 0.0);
    assert_true(exo_normal_range_outside(&r, 12.0));
    /* no healthy range */
    assert_false(exo_readout_normal_range(EXO_RD_INFLAMMATION, 0.002, &r));
    assert_false(r.defined);
    assert_false(exo_normal_range_outside(&r, 5.0));
    assert_false(exo_readout_normal_range(EXO_RD_COUNT, 1.0, &r));
    assert_false(exo_readout_normal_range(EXO_RD_TEWL, NAN, &r));
}

/* Every readout has a positive minimal detectable difference (the audit's
 * floor of a measurable change, docs/audit.md). */
static void every_readout_has_an_mdd(void **state)
{
    (void)state;
    for (int k = 0; k < EXO_RD_COUNT; k++)
        if (!(exo_readout_mdd(k) > 0))
            fail_msg("%s has no minimal detectable difference", exo_readout_name(k));
    assert_true(isnan(exo_readout_mdd(-1)) && isnan(exo_readout_mdd(EXO_RD_COUNT)));
    assert_true(exo_readout_mdd(EXO_RD_COLLAGEN) == 0.01 && exo_readout_mdd(EXO_RD_WRINKLES) == 1.0);
}

/* docs/readouts.md: one table row "| `name` | ..." per readout, in order. */
static void docs_list_every_readout(void **state)
{
    (void)state;
    const char *dir = getenv("EXO_SOURCE_DIR");
    char path[4096], line[4096];
    snprintf(path, sizeof path, "%s/docs/readouts.md", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int k = 0;
    while (k < EXO_RD_COUNT && fgets(line, sizeof line, f)) {
        char want[128];
        snprintf(want, sizeof want, "| `%s` |", exo_readout_name(k));
        if (!strncmp(line, want, strlen(want)))
            k++;
    }
    fclose(f);
    assert_int_equal(k, EXO_RD_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_complete_and_distinct),
        cmocka_unit_test(ids_name_their_rows),
        cmocka_unit_test(out_of_range_and_unknown),
        cmocka_unit_test(quantities_carry_the_readouts),
        cmocka_unit_test(docs_list_every_readout),
        cmocka_unit_test(every_readout_declares_its_spread),
        cmocka_unit_test(the_range_is_the_healthy_value_spread),
        cmocka_unit_test(every_readout_has_an_mdd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
