/* injection.c - the product injected into the dermis: a bolus at each point
 * and the injury of the needle. */
#include "protocol/protocol.h"

int exo__plan_injection(const exo_event_cfg *ev, const exo_config *cfg, int vesicles, double activity,
                        exo__prim *out)
{
    const exo_paramset *p = &cfg->params;
    double sig = p->v[EXO_P_INJECTION_SPREAD];
    out[0] = (exo__prim){.kind = EXO__PRIM_INJURE, .product = -1,
                         .severity = p->v[EXO_P_INJECTION_INJURY] * ev->point_density * EXO_CM * EXO_CM,
                         .depth = ev->depth + sig};
    out[1] = (exo__prim){.kind = EXO__PRIM_BOLUS, .product = vesicles, .volume = ev->volume,
                         .points = ev->point_density, .depth = ev->depth, .spread = sig, .activity = activity};
    return 2;
}

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    double gf = ev->product >= 0 ? cfg->products[ev->product].growth_factor : 0.0;
    return exo__plan_injection(ev, cfg, ev->product, gf, out);
}

const exo__route exo__route_injection = {
    .name = "injection",
    .label = N_("injection"),
    .procedure = true,
    .session = EXO__SESSION_OCCLUSION,
    .n_keys = 4,
    .keys = {EXO__KEY_PRODUCT_ROW(true, "the product injected"), EXO__KEY_INJECTION_ROWS},
    .plan = plan,
};

