/* bio_test_fixture.h - what the biology tests share: load a scenario from YAML
 * text and run it (a failure fails the test).  Only for the tests; include
 * after <cmocka.h>. */
#ifndef EXO_BIO_TEST_RUN_H
#define EXO_BIO_TEST_RUN_H

#include <exoskin/exoskin.h>

#include "engine/result.h"

#include <math.h>
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

/* Readout k of arm a at the recorded time t [h] (a missing record fails the test). */
static inline double rd_at(const exo_result *r, int a, double t, int k)
{
    const exo_arm_result *ar = &r->arms[a];
    for (int i = 0; i < ar->n_rows; i++)
        if (fabs(ar->rows[i].t - t) < 1e-6)
            return ar->rows[i].rd[k];
    fail_msg("no record at %g h", t);
    return NAN;
}
#endif
