/* registry.c - the list of routes (exo_event_kind indexes it) and what every
 * route shares: defaults from the rows, the session rule, the occlusion that
 * follows a procedure, the film and the needles. */
#include "protocol/protocol.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846

/* Every route, in the order of exo_event_kind: a new route is one word here. */
#define ROUTES(X) X(topical) X(mask) X(microneedling) X(laser) X(injection) X(prp) X(rf_microneedling) X(uv) X(tape_strip)

#define DECLARE(r) extern const exo__route exo__route_##r;
#define ENTRY(r) &exo__route_##r,
ROUTES(DECLARE)
static const exo__route *const routes[] = {ROUTES(ENTRY)};
#define N_ROUTES (int)(sizeof routes / sizeof *routes)
_Static_assert(sizeof routes / sizeof *routes <= EXO__ROUTE_MAX, "raise EXO__ROUTE_MAX");

int exo__route_count(void) { return N_ROUTES; }

const exo__route *exo__route_get(int k) { return k >= 0 && k < N_ROUTES ? routes[k] : NULL; }

int exo__route_find(const char *name)
{
    for (int k = 0; k < N_ROUTES; k++)
        if (strcmp(routes[k]->name, name) == 0)
            return k;
    return -1;
}

const char *exo__route_list(char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int k = 0; k < N_ROUTES && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", k == 0 ? "" : k + 1 < N_ROUTES ? ", " : " or ",
                              routes[k]->name);
    return buf;
}

exo__product_use exo__route_product(const exo__route *r)
{
    for (int i = 0; i < r->n_keys; i++)
        if (r->keys[i].type == EXO__KEY_PRODUCT)
            return r->keys[i].required ? EXO__PRODUCT_REQUIRED : EXO__PRODUCT_OPTIONAL;
    return EXO__PRODUCT_NONE;
}

const exo__route_key *exo__route_key_find(const exo__route *r, const char *key)
{
    for (int i = 0; r && i < r->n_keys; i++)
        if (strcmp(r->keys[i].key, key) == 0)
            return &r->keys[i];
    return NULL;
}

double *exo__route_double(exo_event_cfg *ev, const exo__route_key *k)
{
    return (double *)(void *)((char *)ev + k->offset);
}

double exo__route_value(const exo_event_cfg *ev, const exo__route_key *k)
{
    const char *p = (const char *)ev + k->offset;
    switch (k->type) {
    case EXO__KEY_PRODUCT:
    case EXO__KEY_INT:
    case EXO__KEY_WORD:
        return *(const int *)(const void *)p;
    case EXO__KEY_BOOL:
        return *(const bool *)(const void *)p;
    default:
        return *(const double *)(const void *)p;
    }
}

void exo__route_defaults(exo_event_cfg *ev, const exo_config *cfg)
{
    const exo__route *r = exo__route_get((int)ev->kind);
    if (!r)
        return;
    for (int i = 0; i < r->n_keys; i++) {
        const exo__route_key *k = &r->keys[i];
        char *p = (char *)ev + k->offset;
        if (k->type == EXO__KEY_INT || k->type == EXO__KEY_WORD)
            *(int *)(void *)p = (int)k->def;
        else if (k->type == EXO__KEY_BOOL)
            *(bool *)(void *)p = k->def != 0;
        else if (k->type != EXO__KEY_PRODUCT)
            *(double *)(void *)p = k->def;
    }
    if (r->defaults)
        r->defaults(ev, cfg);
}

double exo__route_session(const exo_event_cfg *ev, const char **what)
{
    const exo__route *r = exo__route_get((int)ev->kind);
    *what = NULL;
    if (!r)
        return 0.0;
    switch (r->session) {
    case EXO__SESSION_CONTACT:
        *what = "contact";
        return ev->contact;
    case EXO__SESSION_WEAR:
        *what = "wear_time";
        return ev->contact;
    default:
        if (!ev->occlusion)
            return 0.0;
        *what = "occlusion_time";
        return ev->occlusion_time;
    }
}

int exo__route_plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    const exo__route *r = exo__route_get((int)ev->kind);
    if (!r)
        return 0;
    int n = r->plan(ev, cfg, out);
    if (r->session == EXO__SESSION_OCCLUSION && ev->occlusion)
        out[n++] = (exo__prim){.kind = EXO__PRIM_OCCLUDE, .product = -1, .duration = ev->occlusion_time};
    return n;
}

int exo__plan_film(const exo_event_cfg *ev, exo__prim *out)
{
    if (ev->product < 0)
        return 0;
    out[0] = (exo__prim){.kind = EXO__PRIM_FILM, .product = ev->product,
                         .amount = ev->amount > 0 ? ev->amount : EXO__FILM_AFTER_PROCEDURE * EXO_UM};
    return 1;
}

int exo__plan_needles(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    const exo_paramset *p = &cfg->params;
    double d = p->v[EXO_P_MN_CHANNEL_DIAMETER];
    double a0 = ev->passes * ev->needle_density * PI * 0.25 * d * d;
    out[0] = (exo__prim){.kind = EXO__PRIM_CHANNELS, .product = -1, .fraction = a0, .diameter = d,
                         .depth = p->v[EXO_P_MN_DEPTH_FRACTION] * ev->needle_length};
    /* injury relative to a standard session: 1 mm, 2 passes of 150 /cm^2 */
    double a0_std = 2 * 150.0 / (EXO_CM * EXO_CM) * PI * 0.25 * d * d;
    out[1] = (exo__prim){.kind = EXO__PRIM_INJURE, .product = -1, .severity = a0 / a0_std,
                         .depth = ev->needle_length, .fraction = a0};
    return 2;
}

const char *exo__route_word(const exo__route_key *k, int v, char *buf, size_t cap)
{
    const char *p = k->show;
    for (int i = 0; p && i < v; i++) {
        p = strchr(p, '|');
        if (p)
            p++;
    }
    if (!p || v < 0 || cap == 0) {
        snprintf(buf, cap, "?");
        return buf;
    }
    size_t n = strcspn(p, "|");
    snprintf(buf, cap, "%.*s", (int)n, p);
    return buf;
}

int exo__route_word_index(const exo__route_key *k, const char *word)
{
    char buf[64];
    for (int v = 0; v <= (int)k->hi; v++)
        if (strcmp(exo__route_word(k, v, buf, sizeof buf), word) == 0)
            return v;
    return -1;
}
