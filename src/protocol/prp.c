/* prp.c - platelet-rich plasma injected (its growth factors, no vesicles of a
 * product), then the product (if any) as a film. */
#include "protocol/protocol.h"

static int plan_prp(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    int n = exo__plan_injection(ev, cfg, -1, ev->prp_activity, out);
    return n + exo__plan_film(ev, out + n);
}

const exo__route exo__route_prp = {
    .name = "prp",
    .label = N_("PRP"),
    .procedure = true,
    .session = EXO__SESSION_OCCLUSION,
    .n_keys = 5,
    .keys = {EXO__KEY_INJECTION_ROWS,
             {"activity", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, prp_activity), 0, 100, "1", true, false,
              1.0, "estimate: 1 = the growth-factor activity of a reference product per volume"},
             EXO__KEY_PRODUCT_ROW(false, "a product applied on the treated skin")},
    .plan = plan_prp,
};
