/* to_json.h - the effective input as a structured JSON object (to_json.c),
 * for summary.json beside the YAML text (docs/config.md, "Effective
 * configuration"). */
#ifndef EXO_INPUT_TO_JSON_H
#define EXO_INPUT_TO_JSON_H

#include <cJSON.h>
#include <exoskin/exo_core.h>

/* The YAML text of an effective configuration (exo_config_to_yaml) as JSON:
 * mappings as objects, lists as arrays, "NUMBER UNIT" as {"value": NUMBER,
 * "unit": "UNIT"}, plain numbers as numbers (integers exactly), true/false
 * as booleans, everything else (words, quoted names) as strings.  *out is
 * a new cJSON tree (cJSON_Delete); NULL with an error on bad YAML. */
exo_status exo__yaml_to_json(exo_ctx *ctx, const char *yaml, cJSON **out);

#endif
