/* protocol_test.c - the registry of routes: every route's rows are whole
 * (unique keys, a unit for quantities, a default inside its range, a source),
 * the event kinds index the registry by name, an event of every route loads
 * with its rows' defaults and plans within EXO__PRIM_MAX, and the loader, the
 * YAML writer and the session rule read the same rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/test_fixture.h"

#include <exoskin/exo_input.h>

#include "protocol/protocol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One arm with one event of route `name` and nothing else given. */
static exo_status load_route(exo_test_fixture *f, const char *name, exo_config *cfg)
{
    char text[512];
    snprintf(text, sizeof text,
             "products:\n  - {name: p, origin: adipose_msc, concentration: 1e10 particles/mL}\n"
             "arms:\n  - name: a\n    protocol:\n      - event: %s\n        schedule: once\n%s",
             name, exo__route_product(exo__route_get(exo__route_find(name))) == EXO__PRODUCT_REQUIRED
                       ? "        product: p\n" : "");
    return exo_config_load_buffer(f->ctx, f->u, "test.yaml", text, strlen(text), NULL, 0, cfg);
}

static void rows_are_whole(void **state)
{
    (void)state;
    assert_true(exo__route_count() >= 6);
    for (int k = 0; k < exo__route_count(); k++) {
        const exo__route *r = exo__route_get(k);
        assert_non_null(r);
        assert_non_null(r->label);
        assert_non_null(r->plan);
        assert_int_equal(exo__route_find(r->name), k);
        assert_true(r->n_keys > 0 && r->n_keys <= EXO__ROUTE_KEYS_MAX);
        for (int i = 0; i < r->n_keys; i++) {
            const exo__route_key *key = &r->keys[i];
            assert_non_null(key->source);
            assert_true(strlen(key->source) > 5);
            for (int j = 0; j < i; j++)
                assert_string_not_equal(key->key, r->keys[j].key);
            assert_ptr_equal(exo__route_key_find(r, key->key), key);
            if (key->type == EXO__KEY_QTY)
                assert_non_null(key->unit);
            if (key->type == EXO__KEY_QTY || key->type == EXO__KEY_NUMBER || key->type == EXO__KEY_INT) {
                assert_true(key->lo < key->hi);
                if (!(key->def >= key->lo && key->def <= key->hi && (!key->lo_open || key->def > key->lo)))
                    fail_msg("%s.%s: default %g outside %g..%g", r->name, key->key, key->def, key->lo, key->hi);
            }
        }
    }
    assert_null(exo__route_get(-1));
    assert_null(exo__route_get(exo__route_count()));
    assert_int_equal(exo__route_find("acupuncture"), -1);
    assert_string_equal(exo_event_name(EXO_EV_PRP), "prp");
    assert_string_equal(exo_event_name((exo_event_kind)99), "?");
    char list[256];
    assert_non_null(strstr(exo__route_list(list, sizeof list), "topical, mask, microneedling, laser, injection"));
}

/* Every route loads with its rows' defaults, round-trips through the YAML
 * writer, and plans no more primitives than fit. */
static void every_route_loads_with_its_defaults(void **state)
{
    exo_test_fixture *f = *state;
    for (int k = 0; k < exo__route_count(); k++) {
        const exo__route *r = exo__route_get(k);
        exo_config cfg, back;
        if (load_route(f, r->name, &cfg) != EXO_OK)
            fail_msg("%s: %s", r->name, exo_ctx_last_error(f->ctx));
        const exo_event_cfg *ev = &cfg.arms[0].events[0];
        assert_int_equal((int)ev->kind, k);
        for (int i = 0; i < r->n_keys; i++) {
            const exo__route_key *key = &r->keys[i];
            if (key->type != EXO__KEY_PRODUCT && key->type != EXO__KEY_FILM)
                assert_true(exo__route_value(ev, key) == key->def);
        }
        exo__prim prims[EXO__PRIM_MAX];
        int n = exo__route_plan(ev, &cfg, prims);
        assert_true(n >= 1 && n <= EXO__PRIM_MAX);
        char *yaml = NULL;
        assert_int_equal(exo_config_to_yaml(f->ctx, &cfg, &yaml), EXO_OK);
        assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "back.yaml", yaml, strlen(yaml), NULL, 0, &back),
                         EXO_OK);
        for (int i = 0; i < r->n_keys; i++)
            assert_true(exo__route_value(&back.arms[0].events[0], &r->keys[i]) ==
                        exo__route_value(ev, &r->keys[i]));
        exo_free(f->ctx, yaml);
        exo_config_fini(f->ctx, &back);
        exo_config_fini(f->ctx, &cfg);
    }
}

/* A topical film's default follows the vehicle; a procedure's product film
 * is 10 um; the occlusion a procedure asks for is its last primitive and its
 * session length. */
static void film_and_occlusion(void **state)
{
    exo_test_fixture *f = *state;
    exo_config cfg;
    assert_int_equal(load_route(f, "topical", &cfg), EXO_OK);
    const exo_event_cfg *ev = &cfg.arms[0].events[0];
    assert_true(ev->amount == exo__route_film_default(cfg.products[0].vehicle)); /* [um] */
    const char *what;
    assert_true(exo__route_session(ev, &what) == 12.0); /* [h] */
    assert_string_equal(what, "contact");
    exo_config_fini(f->ctx, &cfg);

    assert_int_equal(load_route(f, "microneedling", &cfg), EXO_OK);
    exo_event_cfg mn = cfg.arms[0].events[0];
    exo__prim prims[EXO__PRIM_MAX];
    assert_int_equal(exo__route_plan(&mn, &cfg, prims), 2); /* channels, injury */
    assert_int_equal(prims[0].kind, EXO__PRIM_CHANNELS);
    assert_int_equal(prims[1].kind, EXO__PRIM_INJURE);
    assert_true(fabs(prims[1].severity - 1.0) < 1e-12); /* the standard session */
    assert_true(exo__route_session(&mn, &what) == 0.0 && what == NULL);
    mn.product = 0;
    mn.occlusion = true;
    assert_int_equal(exo__route_plan(&mn, &cfg, prims), 4);
    assert_int_equal(prims[2].kind, EXO__PRIM_FILM);
    assert_true(prims[2].amount == 10.0); /* [um] */
    assert_int_equal(prims[3].kind, EXO__PRIM_OCCLUDE);
    assert_true(prims[3].duration == 24.0); /* [h] */
    assert_true(exo__route_session(&mn, &what) == 24.0);
    assert_string_equal(what, "occlusion_time");
    exo_config_fini(f->ctx, &cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_whole),
        cmocka_unit_test_setup_teardown(every_route_loads_with_its_defaults, exo_test_setup, exo_test_teardown_checked),
        cmocka_unit_test_setup_teardown(film_and_occlusion, exo_test_setup, exo_test_teardown_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
