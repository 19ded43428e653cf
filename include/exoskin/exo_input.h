/* exo_input.h - loading scenario and study files (YAML, libyaml) into an
 * exo_config in internal units.  Every dimensional value carries a unit that
 * is checked for dimension and converted here, at the boundary (udunits2).
 * Errors leave one message on the context of the form
 *     FILE:LINE:COL: KEY: what is wrong (expected ...)
 * and return EXO_EINPUT (or EXO_EUNIT / EXO_EIO); the CLI prefixes "exoskin: ". */
#ifndef EXO_INPUT_H
#define EXO_INPUT_H

#include "exo_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Names as written in input files ("cheek", "adipose_msc", "microneedling",
 * "dermal_collagen", "percent_change", "parallel", "topical"...). */
const char *exo_region_name(exo_region r);
const char *exo_sex_name(exo_sex s);
const char *exo_condition_name(exo_condition c);
const char *exo_origin_name(exo_origin o);
const char *exo_vehicle_name(exo_vehicle v);
const char *exo_cargo_name(exo_cargo c);
const char *exo_event_name(exo_event_kind k);
const char *exo_quantity_name(exo_quantity q);
const char *exo_compare_name(exo_compare c);
const char *exo_trial_design_name(exo_trial_design d);
const char *exo_audit_route_name(exo_audit_route r);

/* Frees everything the loader allocated inside cfg (NULL-safe). */
void exo_config_fini(exo_ctx *ctx, exo_config *cfg);

/* One `--set key=value` override: key is a dotted path ("skin.age",
 * "arms.1.protocol.0.needle_length", "parameters.tissue_decay_half_life"),
 * value is YAML text ("50 years", "[1, 2]"). Borrowed strings. */
typedef struct {
    const char *key;
    const char *value;
} exo_override;

/* Reads and validates the file at `path`, applies the overrides in order, and
 * fills *cfg (zeroed first).  On failure *cfg holds nothing to free. */
exo_status exo_config_load(exo_ctx *ctx, exo_units *u, const char *path,
                           const exo_override *sets, int n_sets, exo_config *cfg);

/* The same from a buffer (used by tests and the fuzzer); `name` stands for the
 * file name in messages. */
exo_status exo_config_load_buffer(exo_ctx *ctx, exo_units *u, const char *name,
                                  const char *text, size_t len,
                                  const exo_override *sets, int n_sets, exo_config *cfg);

/* The same as a handle: *out is allocated on ctx and freed, with everything
 * in it, by exo_config_destroy (NULL-safe; clears the pointer).  For
 * bindings that should not depend on sizeof(exo_config). */
exo_status exo_config_create(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                             exo_config **out);
void exo_config_destroy(exo_ctx *ctx, exo_config **cfg);

/* The effective configuration as YAML (every key, defaults filled in, values
 * with units) that exo_config_load accepts back and that gives the same
 * config.  *out is allocated with exo_alloc; free with exo_free. */
exo_status exo_config_to_yaml(exo_ctx *ctx, const exo_config *cfg, char **out);
/* The same keys with values in the units people write (the key tables'
 * display units: amounts in mg/cm^2, concentrations in particles/mL, needle
 * lengths in mm, sizes in nm, parameters in their table's unit) wherever
 * that text loads back to the same double (else the internal unit), so that
 * it still loads back to the same config.  u: borrowed. */
exo_status exo_config_to_yaml_display(exo_ctx *ctx, exo_units *u, const exo_config *cfg, char **out);

/* The JSON Schema (draft-07) of scenario files, from the loader's tables
 * (route key rows, parameter table, enumeration words): every key with its
 * type, a pattern of the usual units for a value with a unit, ranges and
 * enums, and a description (docs/config.md, "Editors").  u: borrowed, shows
 * the routes' ranges in their display units.  *out: exo_alloc'd text. */
exo_status exo_config_schema(exo_ctx *ctx, exo_units *u, char **out);

/* The loader's estimate of the time steps of one arm of a loaded config
 * (docs/config.md, "Work caps"): duration / dt_max + sessions x (the steps
 * from dt_min back up to dt_max by dt_growth).  The loader refuses an arm
 * above 2,000,000; `exoskin serve` caps the sum over arms (and draws) lower.
 * 0 for an arm out of range. */
double exo_config_steps(const exo_config *cfg, int arm);

/* Limits on input, enforced by the loader. */
#define EXO_INPUT_MAX_BYTES (4u << 20)   /* [B] file size */
#define EXO_INPUT_MAX_DEPTH 16           /* nesting of mappings/sequences */
#define EXO_INPUT_MAX_STRING 256         /* [chars] any scalar */
#define EXO_INPUT_MAX_ITEMS 10000        /* entries of one sequence */
#define EXO_INPUT_MAX_TIMES 100000       /* scheduled occurrences of one event */
#define EXO_INPUT_MAX_TOTAL_TIMES 200000 /* scheduled occurrences of all events together */

#ifdef __cplusplus
}
#endif
#endif
