/* normal_range_test.c - the normal range of each readout for a skin
 * (exo_skin_normal_ranges, docs/readouts.md "Normal ranges"): it follows the
 * observation model's healthy baseline with age, phototype and region, is
 * centred on exactly the baseline an untreated healthy arm starts from, and
 * holds that arm's readouts at the start and after weeks untreated; a
 * condition is set aside (the range is that of healthy skin). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "biology/biology.h"
#include "core/test_fixture.h"

typedef exo_test_fixture fixture;

/* One untreated arm on `skin` (YAML flow map) for `weeks`. */
static void load(fixture *f, const char *skin, double weeks, exo_config *cfg)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "skin: %s\narms: [{name: untreated, protocol: []}]\nsimulation: {duration: %g weeks}\n", skin, weeks);
    if (exo_config_load_buffer(f->ctx, f->u, "test.yaml", yaml, strlen(yaml), NULL, 0, cfg) != EXO_OK)
        fail_msg("load: %s", exo_ctx_last_error(f->ctx));
}

static void ranges(fixture *f, const char *skin, exo_normal_range nr[EXO_RD_COUNT])
{
    exo_config cfg;
    load(f, skin, 1, &cfg);
    if (exo_skin_normal_ranges(f->ctx, &cfg, &cfg.arms[0].skin, nr) != EXO_OK)
        fail_msg("normal ranges of %s: %s", skin, exo_ctx_last_error(f->ctx));
    exo_config_fini(f->ctx, &cfg);
}

/* Echo density falls with age in the model (organised collagen, the
 * elastotic band): a 70-year-old's whole range lies below a 25-year-old's
 * range, whose healthy value is the ~100 % of the reference. */
static void echo_density_range_falls_with_age(void **state)
{
    fixture *f = *state;
    exo_normal_range y[EXO_RD_COUNT], o[EXO_RD_COUNT];
    ranges(f, "{age: 25 years}", y);
    ranges(f, "{age: 70 years}", o);
    const exo_normal_range *a = &y[EXO_RD_US_DENSITY], *b = &o[EXO_RD_US_DENSITY];
    print_message("echo density: 25 y %.1f (%.1f-%.1f), 70 y %.1f (%.1f-%.1f) %%\n", a->value, a->low, a->high, b->value,
                  b->low, b->high);
    assert_true(a->defined && b->defined);
    assert_true(a->value > 85 && a->value < 115);
    assert_true(b->low < a->low && b->high < a->high && b->value < a->value);
}

/* The melanin index grows with phototype: VI's range lies above I's, and
 * they do not overlap (50 against 300 AU healthy values). */
static void melanin_range_grows_with_phototype(void **state)
{
    fixture *f = *state;
    exo_normal_range one[EXO_RD_COUNT], six[EXO_RD_COUNT];
    ranges(f, "{phototype: I}", one);
    ranges(f, "{phototype: VI}", six);
    const exo_normal_range *a = &one[EXO_RD_MELANIN], *b = &six[EXO_RD_MELANIN];
    print_message("melanin index: I %.0f-%.0f, VI %.0f-%.0f AU\n", a->low, a->high, b->low, b->high);
    assert_true(b->low > a->high);
}

/* The forearm reads TEWL at the region baseline's factor of the cheek
 * (observe.c, Montero-Vilchez 2021): its range is the cheek's scaled by that
 * factor, bound for bound; likewise hydration. */
static void forearm_tewl_range_follows_the_region_baseline(void **state)
{
    fixture *f = *state;
    exo_normal_range cheek[EXO_RD_COUNT], arm[EXO_RD_COUNT];
    ranges(f, "{region: cheek, age: 30 years}", cheek);
    ranges(f, "{region: forearm, age: 30 years}", arm);
    const exo_region_baseline *c = exo__bio_region_baseline(EXO_REGION_CHEEK);
    const exo_region_baseline *fa = exo__bio_region_baseline(EXO_REGION_FOREARM);
    const double tewl = fa->tewl / c->tewl, hyd = fa->hydration / c->hydration;
    print_message("TEWL: cheek %.1f-%.1f, forearm %.1f-%.1f g/m^2/h\n", cheek[EXO_RD_TEWL].low,
                  cheek[EXO_RD_TEWL].high, arm[EXO_RD_TEWL].low, arm[EXO_RD_TEWL].high);
    assert_true(fabs(arm[EXO_RD_TEWL].low / cheek[EXO_RD_TEWL].low - tewl) < 1e-6 * tewl);
    assert_true(fabs(arm[EXO_RD_TEWL].high / cheek[EXO_RD_TEWL].high - tewl) < 1e-6 * tewl);
    assert_true(arm[EXO_RD_TEWL].high < cheek[EXO_RD_TEWL].high);
    /* hydration: the healthy corneometer value scales with the region factor */
    assert_true(fabs(arm[EXO_RD_CORNEOMETER].value / cheek[EXO_RD_CORNEOMETER].value - hyd) < 1e-6 * hyd);
}

/* Property, over ages, phototypes, regions and sexes: an untreated healthy
 * arm starts exactly on the healthy value of its range (the same model
 * state), every readout that has a range lies inside it at the start and
 * after four untreated weeks, and the one without (inflammation) has none. */
static void untreated_healthy_skin_lies_inside_its_range(void **state)
{
    fixture *f = *state;
    static const char *const skins[] = {
        "{age: 18 years, phototype: I, region: forehead}", "{age: 25 years, phototype: II, region: cheek}",
        "{age: 45 years, phototype: III, region: periorbital, sex: male}",
        "{age: 60 years, phototype: IV, region: perioral}", "{age: 75 years, phototype: V, region: forearm}",
        "{age: 90 years, phototype: VI, region: cheek, sex: male}"};
    for (size_t s = 0; s < sizeof skins / sizeof *skins; s++) {
        exo_config cfg;
        load(f, skins[s], 4, &cfg);
        exo_normal_range nr[EXO_RD_COUNT];
        assert_int_equal(exo_skin_normal_ranges(f->ctx, &cfg, &cfg.arms[0].skin, nr), EXO_OK);
        exo_result *r = NULL;
        assert_int_equal(exo_run(f->ctx, &cfg, NULL, NULL, &r), EXO_OK);
        for (int k = 0; k < EXO_RD_COUNT; k++) {
            double b0, b1;
            exo_result_readout(r, 0, k, &b0, &b1);
            if (k == EXO_RD_INFLAMMATION) {
                assert_false(nr[k].defined);
                continue;
            }
            if (!nr[k].defined || nr[k].value != b0)
                fail_msg("%s %s: healthy value %.17g, run's baseline %.17g", skins[s], exo_readout_name(k),
                         nr[k].value, b0);
            if (exo_normal_range_outside(&nr[k], b0) || exo_normal_range_outside(&nr[k], b1))
                fail_msg("%s %s: %g and %g outside %g-%g", skins[s], exo_readout_name(k), b0, b1, nr[k].low,
                         nr[k].high);
        }
        exo_result_destroy(&r);
        exo_config_fini(f->ctx, &cfg);
    }
}

/* A condition is set aside: atopic skin gets the range of healthy skin of
 * its age, and its own lesional TEWL (2.4 x) lies above it. */
static void a_condition_gets_the_healthy_range(void **state)
{
    fixture *f = *state;
    exo_normal_range healthy[EXO_RD_COUNT], atopic[EXO_RD_COUNT];
    ranges(f, "{age: 30 years, region: forearm}", healthy);
    exo_config cfg;
    load(f, "{age: 30 years, region: forearm, condition: atopic_dermatitis}", 1, &cfg);
    assert_int_equal(exo_skin_normal_ranges(f->ctx, &cfg, &cfg.arms[0].skin, atopic), EXO_OK);
    for (int k = 0; k < EXO_RD_COUNT; k++)
        assert_true(atopic[k].defined == healthy[k].defined &&
                    (!atopic[k].defined || (atopic[k].low == healthy[k].low && atopic[k].high == healthy[k].high)));
    exo_result *r = NULL;
    assert_int_equal(exo_run(f->ctx, &cfg, NULL, NULL, &r), EXO_OK);
    double b0, b1;
    exo_result_readout(r, 0, EXO_RD_TEWL, &b0, &b1);
    assert_true(b0 > atopic[EXO_RD_TEWL].high);
    exo_result_destroy(&r);
    exo_normal_range one;
    assert_int_equal(exo_skin_normal_range(f->ctx, &cfg, &cfg.arms[0].skin, EXO_RD_TEWL, &one), EXO_OK);
    assert_true(one.low == healthy[EXO_RD_TEWL].low && one.high == healthy[EXO_RD_TEWL].high);
    assert_int_equal(exo_skin_normal_range(f->ctx, &cfg, &cfg.arms[0].skin, EXO_RD_COUNT, &one), EXO_EINVAL);
    exo_config_fini(f->ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(echo_density_range_falls_with_age, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(melanin_range_grows_with_phototype, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(forearm_tewl_range_follows_the_region_baseline, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(untreated_healthy_skin_lies_inside_its_range, exo_test_setup,
                                        exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(a_condition_gets_the_healthy_range, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
