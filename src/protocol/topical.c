/* topical.c - a product left on the skin for a contact time, then washed off. */
#include "protocol/protocol.h"

/* Film thickness applied [um] by vehicle, from the usual dose per area at
 * 1 g/mL (1 mg/cm^2 = 10 um): cream 2, serum/gel/solution 1, sheet mask 5. */
static const double amount_by_vehicle[EXO_VEHICLE_COUNT] = {20.0, 10.0, 10.0, 50.0, 10.0};

double exo__route_film_default(exo_vehicle v)
{
    return (int)v >= 0 && v < EXO_VEHICLE_COUNT ? amount_by_vehicle[v] : amount_by_vehicle[EXO_VEHICLE_SERUM];
}

static void defaults(exo_event_cfg *ev, const exo_config *cfg)
{
    if (ev->product >= 0 && ev->product < cfg->n_products)
        ev->amount = exo__route_film_default(cfg->products[ev->product].vehicle);
}

static int plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out)
{
    (void)cfg;
    out[0] = (exo__prim){.kind = EXO__PRIM_FILM, .product = ev->product, .amount = ev->amount};
    return 1;
}

const exo__route exo__route_topical = {
    .name = "topical",
    .label = N_("topical application"),
    .dose_film = true,
    .session = EXO__SESSION_CONTACT,
    .n_keys = 3,
    .keys = {
        EXO__KEY_PRODUCT_ROW(true, "the product applied"),
        {"amount", EXO__KEY_FILM, "um", offsetof(exo_event_cfg, amount), 0.1, 500, "um", false, false,
         0, "by vehicle (cream 2, serum/gel/solution 1, sheet mask 5 mg/cm^2): the usual dose per area "
            "of cosmetic use; the 2 mg/cm^2 of sunscreen testing (ISO 24444) for creams"},
        {"contact", EXO__KEY_QTY, "h", offsetof(exo_event_cfg, contact), 1.0 / 60.0, 7 * EXO_DAY, "h",
         false, false, 12.0 * EXO_H, "estimate: a leave-on product stays until the next wash, twice daily"},
    },
    .defaults = defaults,
    .plan = plan,
};
