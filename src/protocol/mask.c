/* mask.c - a sheet mask: a film under an occlusive sheet for a wear time,
 * then the sheet comes off with part of the film. */
#include "protocol/protocol.h"

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
    out[0] = (exo__prim){.kind = EXO__PRIM_FILM, .product = ev->product, .amount = ev->amount};
    out[1] = (exo__prim){.kind = EXO__PRIM_MASK_ON, .product = -1};
    return 2;
}

const exo__route exo__route_mask = {
    .name = "mask",
    .label = N_("sheet mask"),
    .dose_film = true,
    .session = EXO__SESSION_WEAR,
    .n_keys = 4,
    .keys = {
        EXO__KEY_PRODUCT_ROW(true, "the product the sheet is soaked in"),
        {"amount", EXO__KEY_FILM, "um", offsetof(exo_event_cfg, amount), 0.1, 500, "um", false, false,
         5.0 * 10.0, "estimate: 5 mg/cm^2, a soaked sheet leaves more serum than a hand-applied layer"},
        {"wear_time", EXO__KEY_QTY, "h", offsetof(exo_event_cfg, contact), 1.0 / 60.0, 24.0, "h", false,
         false, 20.0 * EXO_MIN, "the 15-20 min that sheet-mask labels state"},
        {"residue", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, mask_residue), 0.0, 1.0, "1", false,
         false, 0.3, "estimate: labels say to pat the remaining essence in; about a third stays"},
    },
    .plan = plan,
};
