/* microneedling.c - a needling session: channels through the barrier and an
 * injury to the needle depth, then the product (if any) as a film. */
#include "protocol/protocol.h"

static double needles(const exo_event_cfg *ev) { return ev->needle_length; }

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    int n = exo__plan_needles(ev, cfg, out);
    return n + exo__plan_film(ev, out + n);
}

const exo__route exo__route_microneedling = {
    .name = "microneedling",
    .label = N_("microneedling"),
    .procedure = true,
    .session = EXO__SESSION_OCCLUSION,
    .n_keys = 6,
    .keys = {
        {"needle_length", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, needle_length), 100, 3000, "mm", false,
         false, 1.0 * EXO_MM, "estimate: a usual facial session; pens reach 0.25-2.5 mm"},
        {"density", EXO__KEY_QTY, "1/um^2", offsetof(exo_event_cfg, needle_density), 1 / (EXO_CM * EXO_CM),
         1e4 / (EXO_CM * EXO_CM), "1/cm^2", false, false, 150.0 / (EXO_CM * EXO_CM),
         "estimate: channels per cm^2 of one pass of a 12-36 needle pen"},
        {"passes", EXO__KEY_INT, NULL, offsetof(exo_event_cfg, passes), 1, 10, NULL, false, false, 2,
         "estimate: a usual facial session"},
        EXO__KEY_OCCLUSION_ROWS,
        EXO__KEY_PRODUCT_ROW(false, "a product applied on the needled skin"),
    },
    .needle_length = needles,
    .plan = plan,
};
