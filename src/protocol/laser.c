/* laser.c - a fractional laser.  Ablative (default): microscopic zones
 * ablated to a depth, open to the film until they close; zone_fraction 1 is
 * fully ablative resurfacing (the whole surface ablated to zone_depth; the
 * open-channel transport counts at most half the surface open, engine.c).
 * Non-ablative: coagulation columns under a largely intact stratum corneum:
 * little barrier loss, no conduits for a product, the columns remodelled. */
#include "protocol/protocol.h"

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
    if (ev->laser_mode == 1) {
        out[0] = (exo__prim){.kind = EXO__PRIM_COAGULATE, .product = -1, .fraction = ev->zone_fraction,
                             .depth = ev->zone_depth};
        return 1;
    }
    out[0] = (exo__prim){.kind = EXO__PRIM_CHANNELS, .product = -1, .zones = true,
                         .fraction = ev->zone_fraction, .diameter = ev->zone_width, .depth = ev->zone_depth};
    out[1] = (exo__prim){.kind = EXO__PRIM_ABLATE, .product = -1, .fraction = ev->zone_fraction,
                         .depth = ev->zone_depth};
    return 2;
}

const exo__route exo__route_laser = {
    .name = "laser",
    .label = N_("fractional laser"),
    .procedure = true,
    .session = EXO__SESSION_OCCLUSION,
    .n_keys = 6,
    .keys = {
        {"zone_fraction", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, zone_fraction), 0, 1, "1", true,
         false, 0.1, "estimate: ablative fractional CO2 settings cover 5-20 % of the area per session; 1 is fully "
                     "ablative resurfacing"},
        {"zone_depth", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, zone_depth), 50, 2000, "um", false, false,
         500.0 * EXO_UM, "estimate: microscopic ablation zones of ablative fractional lasers, 0.3-1.5 mm"},
        {"zone_width", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, zone_width), 50, 500, "um", false, false,
         150.0 * EXO_UM, "estimate: zone diameters of 100-300 um"},
        EXO__KEY_OCCLUSION_ROWS,
        {"mode", EXO__KEY_WORD, NULL, offsetof(exo_event_cfg, laser_mode), 0, 1, "ablative|non_ablative", false,
         false, 0, "ablative (CO2, Er:YAG) or non-ablative (1,540-1,550 nm) fractional resurfacing"},
    },
    .plan = plan,
};
