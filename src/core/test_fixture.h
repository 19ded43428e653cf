/* test_fixture.h - what most cmocka unit tests (src/ ** /X_test.c) start
 * from: a context and a unit system per test, and the source folder
 * (EXO_SOURCE_DIR, set by CTest) to find examples and study files.  Only
 * for the tests; include after <cmocka.h>. */
#ifndef EXO_TEST_FIXTURE_H
#define EXO_TEST_FIXTURE_H

#include <exoskin/exoskin.h>

#include <stdlib.h>

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
} exo_test_fixture;

static inline int exo_test_setup(void **state)
{
    exo_test_fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_units_create(f->ctx, &f->u) != EXO_OK)
        return -1;
    *state = f;
    return 0;
}

static inline int exo_test_teardown(void **state)
{
    exo_test_fixture *f = *state;
    exo_units_destroy(&f->u);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

/* The same, and the test must have freed everything it took from ctx. */
static inline int exo_test_teardown_checked(void **state)
{
    exo_test_fixture *f = *state;
    exo_units_destroy(&f->u);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

static inline const char *exo_test_source_dir(void)
{
    const char *d = getenv("EXO_SOURCE_DIR");
    return d ? d : ".";
}

#endif
