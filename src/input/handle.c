/* handle.c - a scenario as an opaque handle, for bindings (Python through
 * cffi, docs/library.md) that should not know sizeof(exo_config). */
#include "input/input_impl.h"

exo_status exo_config_create(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                             exo_config **out)
{
    *out = NULL;
    exo_config *cfg = exo_alloc(ctx, 1, sizeof *cfg);
    if (!cfg)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for a scenario");
    exo_status st = exo_config_load(ctx, u, path, sets, n_sets, cfg);
    if (st != EXO_OK) {
        exo_free(ctx, cfg);
        return st;
    }
    *out = cfg;
    return EXO_OK;
}

void exo_config_destroy(exo_ctx *ctx, exo_config **cfg)
{
    if (!cfg || !*cfg)
        return;
    exo_config_fini(ctx, *cfg);
    exo_free(ctx, *cfg);
    *cfg = NULL;
}
