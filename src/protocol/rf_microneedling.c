/* rf_microneedling.c - radiofrequency microneedling: insulated needles open
 * channels like microneedling and heat the tissue around their tips, a
 * thermal injury down to a depth (`thermal_depth`, kept in the event's target
 * depth); then the product (if any) as a film. */
#include "protocol/protocol.h"

/* Thermal injury of one pass at 25 needles/cm^2 [1] (1 = a standard needling
 * session, microneedling.c).  Estimate: the coagulation zone around each
 * heated tip (a few hundred um across) injures far more tissue per needle
 * than a 70 um mechanical channel, and the recovery after a usual RF
 * microneedling session (erythema and oedema for some days) is at least that
 * of a 1 mm, 2-pass needling session; scaled with passes x density. */
#define THERMAL_INJURY_PER_PASS 1.0
#define DENSITY_REF (25.0 / (EXO_CM * EXO_CM)) /* [1/um^2] */

static double needles(const exo_event_cfg *ev) { return ev->needle_length; }

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    int n = exo__plan_needles(ev, cfg, out);
    out[n++] = (exo__prim){.kind = EXO__PRIM_INJURE, .product = -1,
                           .severity = THERMAL_INJURY_PER_PASS * ev->passes * ev->needle_density / DENSITY_REF,
                           .depth = ev->depth};
    return n + exo__plan_film(ev, out + n);
}

const exo__route exo__route_rf_microneedling = {
    .name = "rf_microneedling",
    .label = N_("radiofrequency microneedling"),
    .procedure = true,
    .session = EXO__SESSION_OCCLUSION,
    .n_keys = 7,
    .keys = {
        {"needle_length", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, needle_length), 500, 4000, "mm", false,
         false, 2.0 * EXO_MM, "estimate: facial settings of insulated-needle devices, 0.5-4 mm; 2 mm reaches "
                              "the mid-dermis of the cheek"},
        {"density", EXO__KEY_QTY, "1/um^2", offsetof(exo_event_cfg, needle_density), 1 / (EXO_CM * EXO_CM),
         200 / (EXO_CM * EXO_CM), "1/cm^2", false, false, 25.0 / (EXO_CM * EXO_CM),
         "estimate: tips carry some 10-64 needles on about 1 cm^2, one shot per spot and pass"},
        {"passes", EXO__KEY_INT, NULL, offsetof(exo_event_cfg, passes), 1, 5, NULL, false, false, 1,
         "estimate: one pass, stacked or repeated on thick skin up to a few"},
        {"thermal_depth", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, depth), 100, 5000, "mm", false,
         false, 2.5 * EXO_MM, "estimate: the coagulation zone reaches a few hundred um below the heated tip "
                              "(0.5 mm below a 2 mm needle)"},
        EXO__KEY_OCCLUSION_ROWS,
        EXO__KEY_PRODUCT_ROW(false, "a product applied on the treated skin"),
    },
    .needle_length = needles,
    .plan = plan,
};
