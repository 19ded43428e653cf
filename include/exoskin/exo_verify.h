/* exo_verify.h - verification of the column transport against analytic
 * solutions (exponential decay, Gaussian spread, membrane lag time and steady
 * flux for one and two layers, mass conservation, observed orders of
 * convergence).  `exoskin verify` prints these cases; the tests assert them. */
#ifndef EXO_VERIFY_H
#define EXO_VERIFY_H

#include "exo_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char name[64];      /* e.g. "decay.order_time" */
    char unit[32];      /* unit of expected/observed, "1" if none */
    double expected;    /* analytic or required value */
    double observed;    /* what the solver gave */
    double error;       /* |observed - expected| (relative where stated in detail) */
    double tolerance;   /* pass if error <= tolerance (or observed >= expected for orders) */
    bool pass;
    char detail[256];   /* errors per resolution, how the value was measured */
} exo_verify_case;

/* Runs every verification case; *cases (exo_alloc'd, free with exo_free)
 * receives n results.  Returns EXO_OK even if cases fail (see .pass). */
exo_status exo_verify_run(exo_ctx *ctx, exo_verify_case **cases, int *n);

#ifdef __cplusplus
}
#endif
#endif
