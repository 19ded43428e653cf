/* to_json.c - the effective input as a structured JSON object (to_json.h):
 * the node tree of the loader's YAML parser (tree.c) turned into cJSON, each
 * "value unit" scalar split the way the loader splits it (exo_units_split). */
#include "input/to_json.h"
#include "input/input_impl.h"

#include <string.h>

static bool all_digits(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static cJSON *scalar(const exo__node *n)
{
    if (!n->plain)
        return cJSON_CreateString(n->text);
    if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
        return cJSON_CreateBool(n->text[0] == 't');
    if (all_digits(n->text) && strlen(n->text) <= 20)
        return cJSON_CreateRaw(n->text); /* exact: seeds pass 2^53 */
    double v;
    const char *unit;
    if (exo_units_split(n->text, &v, &unit, true) != EXO_OK)
        return cJSON_CreateString(n->text);
    if (!*unit)
        return cJSON_CreateNumber(v);
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddNumberToObject(o, "value", v) || !cJSON_AddStringToObject(o, "unit", unit))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *node_json(const exo__node *n, int depth)
{
    if (!n)
        return cJSON_CreateNull();
    if (depth > EXO_INPUT_MAX_DEPTH)
        return NULL;
    if (n->kind == EXO__NODE_SCALAR)
        return scalar(n);
    bool map = n->kind == EXO__NODE_MAP;
    cJSON *o = map ? cJSON_CreateObject() : cJSON_CreateArray();
    for (int i = 0; o && i < n->n; i++) {
        cJSON *c = node_json(map ? n->pairs[i].value : n->items[i], depth + 1);
        if (!c) {
            cJSON_Delete(o);
            return NULL;
        }
        if (map)
            cJSON_AddItemToObject(o, n->pairs[i].key, c);
        else
            cJSON_AddItemToArray(o, c);
    }
    return o;
}

exo_status exo__yaml_to_json(exo_ctx *ctx, const char *yaml, cJSON **out)
{
    *out = NULL;
    exo__node *root = NULL;
    exo_status st = exo__tree_parse(ctx, "effective input", "", yaml, strlen(yaml), &root);
    if (st != EXO_OK)
        return st;
    *out = node_json(root, 0);
    exo__tree_free(ctx, root);
    if (!*out)
        return exo_ctx_error(ctx, EXO_ENOMEM, "effective input as JSON: out of memory");
    return EXO_OK;
}
