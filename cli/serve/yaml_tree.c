/* yaml_tree.c - a scenario as written (YAML or JSON text) as a JSON value,
 * for the page's form (serve.h, serve_yaml_tree).  Only called on text the
 * loader has accepted (or a built-in example); still bounded: an alias is
 * copied at most NODE_BUDGET nodes in all and nesting stops at MAX_DEPTH, so
 * that no document can grow without end. */
#include "serve.h"

#include <cJSON.h>
#include <yaml.h>

#define NODE_BUDGET 20000 /* [1] JSON values made from one document */
#define MAX_DEPTH 32      /* [1] nesting */

static cJSON *node_json(yaml_document_t *doc, yaml_node_t *n, int depth, int *budget)
{
    if (!n || depth > MAX_DEPTH || --*budget < 0)
        return NULL;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return cJSON_CreateString((const char *)n->data.scalar.value);
    case YAML_SEQUENCE_NODE: {
        cJSON *a = cJSON_CreateArray();
        for (yaml_node_item_t *i = n->data.sequence.items.start; a && i < n->data.sequence.items.top; i++) {
            cJSON *v = node_json(doc, yaml_document_get_node(doc, *i), depth + 1, budget);
            if (!v) {
                cJSON_Delete(a);
                return NULL;
            }
            cJSON_AddItemToArray(a, v);
        }
        return a;
    }
    case YAML_MAPPING_NODE: {
        cJSON *o = cJSON_CreateObject();
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; o && p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            cJSON *v = k && k->type == YAML_SCALAR_NODE
                           ? node_json(doc, yaml_document_get_node(doc, p->value), depth + 1, budget)
                           : NULL;
            if (!v) {
                cJSON_Delete(o);
                return NULL;
            }
            cJSON_AddItemToObject(o, (const char *)k->data.scalar.value, v);
        }
        return o;
    }
    default:
        return NULL;
    }
}

cJSON *serve_yaml_tree(const char *text, size_t len)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return NULL;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    cJSON *out = NULL;
    if (yaml_parser_load(&parser, &doc)) {
        int budget = NODE_BUDGET;
        out = node_json(&doc, yaml_document_get_root_node(&doc), 0, &budget);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return out;
}
