/* bio_test_fixture.h - what the biology tests share: load a scenario from YAML
 * text and run it (a failure fails the test).  Only for the tests; include
 * after <cmocka.h>. */
#ifndef EXO_BIO_TEST_RUN_H
#define EXO_BIO_TEST_RUN_H

#include <exoskin/exoskin.h>

#include <string.h>

static inline exo_result *run_text(exo_ctx *ctx, exo_units *u, const char *yaml, exo_config *cfg)
{
    exo_status st = exo_config_load_buffer(ctx, u, "test.yaml", yaml, strlen(yaml), NULL, 0, cfg);
    if (st != EXO_OK)
        fail_msg("load: %s", exo_ctx_last_error(ctx));
    exo_result *r = NULL;
    if (exo_run(ctx, cfg, NULL, NULL, &r) != EXO_OK)
        fail_msg("run: %s", exo_ctx_last_error(ctx));
    return r;
}
#endif
