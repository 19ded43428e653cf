/* laser.c - an ablative fractional laser: microscopic zones ablated to a
 * depth, open to the film until they close. */
#include "protocol/protocol.h"

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
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
    .n_keys = 5,
    .keys = {
        {"zone_fraction", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, zone_fraction), 0, 0.5, "1", true,
         false, 0.1, "estimate: ablative fractional CO2 settings cover 5-20 % of the area per session"},
        {"zone_depth", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, zone_depth), 50, 2000, "um", false, false,
         500.0 * EXO_UM, "estimate: microscopic ablation zones of ablative fractional lasers, 0.3-1.5 mm"},
        {"zone_width", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, zone_width), 50, 500, "um", false, false,
         150.0 * EXO_UM, "estimate: zone diameters of 100-300 um"},
        EXO__KEY_OCCLUSION_ROWS,
    },
    .plan = plan,
};
