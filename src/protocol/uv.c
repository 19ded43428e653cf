/* uv.c - sun or lamp exposure: a UV dose in minimal erythema doses (MED) of
 * the skin's phototype, or as erythemally weighted energy converted with the
 * MED of the phototype (med_phototype_* rows; observe.c).  Erythema peaks
 * within a day and fades over days, tanning follows in 1-2 weeks, MMP rises
 * and procollagen falls (docs/readouts.md). */
#include "protocol/protocol.h"

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
    out[0] = (exo__prim){.kind = EXO__PRIM_UV, .product = -1, .dose = ev->uv_dose, .energy = ev->uv_energy};
    return 1;
}

const exo__route exo__route_uv = {
    .name = "uv",
    .label = N_("sun (UV) exposure"),
    .session = EXO__SESSION_CONTACT,
    .n_keys = 2,
    .keys = {
        {"dose", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, uv_dose), 0, 20, "MED", false, false, 1.0,
         "estimate: a summer midday hour is 2-4 MED for phototype II; 1 MED is just perceptible redness at 24 h"},
        {"energy", EXO__KEY_QTY, "J/m^2", offsetof(exo_event_cfg, uv_energy), 0, 20000, "J/m^2", false, false,
         0.0, "erythemally weighted; when given it replaces dose, with the MED of the phototype (med_phototype_* rows)"},
    },
    .plan = plan,
};
