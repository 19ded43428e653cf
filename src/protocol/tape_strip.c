/* tape_strip.c - a barrier challenge: adhesive tape pulled off the skin
 * again and again removes a `removal` fraction of the stratum corneum
 * (1: stripped to a glistening surface).  It leaves the viable epidermis and
 * the dermis unharmed (no injury, no inflammation of a wound) and opens no
 * conduit for a product: even when the whole stratum corneum is gone, the
 * tight junctions of the stratum granulosum below it stay in place, and they
 * hold back particles of the size of vesicles (30-150 nm).  What it changes
 * is water loss: TEWL rises with the layers removed and falls as the barrier
 * is repaired, in two pools (events.c, docs/biology.md "Tape stripping"). */
#include "protocol/protocol.h"

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
    out[0] = (exo__prim){.kind = EXO__PRIM_STRIP, .product = -1, .fraction = ev->strip_removal};
    return 1;
}

const exo__route exo__route_tape_strip = {
    .name = "tape_strip",
    .label = N_("tape stripping"),
    .session = EXO__SESSION_CONTACT,
    .n_keys = 1,
    .keys = {
        {"removal", EXO__KEY_NUMBER, NULL, offsetof(exo_event_cfg, strip_removal), 0, 1, "1", true, false, 1.0,
         "estimate: barrier-challenge studies strip until TEWL plateaus (Ghadially 1995: 31 +/- 5 strips in the "
         "young, 18 +/- 2 in the aged), close to the whole stratum corneum; 0.5 is about half the layers"},
    },
    .plan = plan,
};
