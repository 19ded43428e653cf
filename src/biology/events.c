/* events.c - what a procedure or an exposure does to the state of the
 * column biology at the moment it happens (docs/biology.md, "Wound healing
 * in phases"): needle and injection injury with re-injury of a healing
 * wound, laser columns (ablated or coagulated), the fluid of an injection
 * wheal, a UV dose, tape stripping.  The rates that follow are biology.c's. */
#include "bio_impl.h"

#include <math.h>

/* A session on a zone whose last wound is still in its proliferative phase
 * (activated fibroblasts, a > 0; a = 0 in quiet skin) tears the matrix not
 * yet cross-linked where it cuts: the new and remodelling collagen of the
 * `treated` area fraction of the zone (the laser's columns, the needles'
 * channels, times the part of the zone's depth they reach) loses a share
 * min(1, REINJURY_DISRUPT a^2) of itself, so remodelling restarts there
 * rather than adding up.  The spared skin between the columns or channels
 * keeps its fresh matrix: a fractional session tears at most its treated
 * fraction (docs/biology.md, "More is not better"). */
static void reinjure(exo_bio *b, int z, double treated)
{
    const exo_config *cfg = b->cfg;
    double *x = b->y + z * EXO_NV;
    double f = fmin(1.0, P(REINJURY_DISRUPT) * x[EXO_V_A] * x[EXO_V_A]) * fmin(1.0, treated);
    x[EXO_V_CN] *= 1 - f;
    x[EXO_V_CR] *= 1 - f;
}

void exo__bio_injure(exo_bio *b, double j, double depth, double torn)
{
    const exo_config *cfg = b->cfg;
    /* zones reached by the needles (the top of each zone is above depth);
     * the wound of each track grows with its length (bleeding, tissue
     * damaged per channel): injury scales with depth / 1 mm */
    j *= depth / (1000.0 * EXO_UM);
    double top = 0;
    for (int z = 0; z < EXO_NZ; z++) {
        double bot = top + b->thick[z];
        double frac = depth > top ? fmin(1.0, (depth - top) / b->thick[z]) : 0.0;
        reinjure(b, z, frac * torn);
        double dj = j * frac * (1 + P(REINJURY_GAIN) * b->y[z * EXO_NV + EXO_V_A]);
        b->y[z * EXO_NV + EXO_V_J] += dj;
        b->y[z * EXO_NV + EXO_V_FL] += dj; /* the flare of the wound */
        top = bot;
    }
    /* long needles tear the barrier around their tracks (observe.c) */
    b->y[EXO_NZ * EXO_NV + EXO_V_BARRIER] *= 1 - exo__bio_needle_barrier_loss(depth, b->cfg->params.v[EXO_P_NEEDLE_BARRIER]);
    b->need_restart = true;
}

/* Matrix of a `fraction` of the zones above depth becomes a void to refill,
 * with the injury of a laser session: laser_injury per 10 % of the area for
 * columns 500 um deep, times (depth / 500 um)^laser_energy_exponent. */
static void laser_columns(exo_bio *b, double fraction, double depth, bool open)
{
    const exo_config *cfg = b->cfg;
    /* a deeper column takes more pulse energy, and its wider coagulation
     * margin injures every zone the column crosses */
    const double energy = pow(depth / (500.0 * EXO_UM), P(LASER_ENERGY_EXPONENT));
    double top = 0;
    for (int z = 0; z < EXO_NZ; z++) {
        double frac = depth > top ? fmin(1.0, (depth - top) / b->thick[z]) * fraction : 0.0;
        double *x = b->y + z * EXO_NV;
        if (dermal(z)) /* the columns tear the fresh matrix only where they land */
            reinjure(b, z, frac);
        const double j_gain = 1 + P(REINJURY_GAIN) * x[EXO_V_A];
        /* the ablated matrix becomes a void that activated fibroblasts refill */
        if (dermal(z)) {
            double void_ = frac * (x[EXO_V_CN] + x[EXO_V_CR] + x[EXO_V_CM]);
            x[EXO_V_DW] += void_;
            if (open) /* ablated: an open wound bed that granulation tissue fills */
                x[EXO_V_VW] += void_;
        }
        x[EXO_V_CN] *= 1 - frac;
        x[EXO_V_CR] *= 1 - frac;
        x[EXO_V_CM] *= 1 - frac;
        double dj = P(LASER_INJURY) * (fraction / 0.1) * (depth > top ? 1.0 : 0.0) * j_gain * energy;
        x[EXO_V_J] += dj;
        x[EXO_V_FL] += dj;
        top += b->thick[z];
    }
    b->need_restart = true;
}

void exo__bio_ablate(exo_bio *b, double fraction, double depth)
{
    laser_columns(b, fraction, depth, true);
    b->y[EXO_NZ * EXO_NV + EXO_V_BARRIER] *= 1 - fraction;
}

void exo__bio_coagulate(exo_bio *b, double fraction, double depth)
{
    laser_columns(b, fraction, depth, false); /* denatured columns are refilled like ablated ones, closed */
    b->y[EXO_NZ * EXO_NV + EXO_V_BARRIER] *= 1 - b->cfg->params.v[EXO_P_COAG_BARRIER] * fraction;
}

double exo__bio_wheal_fluid(const exo_bio *b)
{
    if (!(b->wheal > 0))
        return 0.0;
    return b->wheal * exp(-log(2.0) / b->cfg->params.v[EXO_P_WHEAL_HALF_LIFE] * (b->t - b->t_wheal));
}

void exo__bio_wheal(exo_bio *b, double fluid, double depth)
{
    (void)depth; /* the flare shows in the papillary plexus whatever the depth of the bleb */
    double rel = fluid / (b->h_dermis > 0 ? b->h_dermis : 1.0);
    b->wheal = exo__bio_wheal_fluid(b) + fluid;
    b->t_wheal = b->t;
    for (int z = EXO_ZONE_PAP1; z <= EXO_ZONE_PAP2; z++)
        b->y[z * EXO_NV + EXO_V_FL] += b->cfg->params.v[EXO_P_WHEAL_FLARE] * rel;
    b->need_restart = true;
}

void exo__bio_uv(exo_bio *b, double dose_med, double energy, double protection)
{
    /* what passes the UV filter of the film worn reaches the skin (observe.c) */
    double d = exo__bio_uv_through_film(energy > 0 ? energy / exo__bio_med(b->skin->phototype) : dose_med,
                                        protection);
    for (int z = 0; z < EXO_NZ; z++)
        b->y[z * EXO_NV + EXO_V_UVS] += d * exo__bio_uv_reach(z);
    b->need_restart = true;
}

/* Tape stripping (docs/biology.md, "Tape stripping"): the excess TEWL of the
 * layers removed, added to what is left of earlier strippings, at most the
 * excess of a stratum corneum removed entirely.  A share barrier_layers_share
 * waits for the corneocyte layers to be rebuilt (slow pool), the rest for
 * lamellar-body lipid secretion to seal the lamellae (fast pool); both are
 * repaired exponentially, barrier_repair_age_slowing times more slowly at
 * 80 y than at 25 y (linear between; the age at the stripping). */
static double strip_pool(double amount, double k, double dt) { return amount > 0 ? amount * exp(-k * dt) : 0.0; }

double exo__bio_strip_excess(const exo_bio *b)
{
    if (!(b->strip_lip > 0 || b->strip_lay > 0))
        return 0.0;
    double dt = b->t - b->t_strip;
    return strip_pool(b->strip_lip, b->k_lip, dt) + strip_pool(b->strip_lay, b->k_lay, dt);
}

void exo__bio_tape_strip(exo_bio *b, double removal)
{
    const exo_config *cfg = b->cfg;
    double full = P(STRIPPED_TEWL) - 1.0, dt = b->t - b->t_strip;
    double lip = strip_pool(b->strip_lip, b->k_lip, dt), lay = strip_pool(b->strip_lay, b->k_lay, dt);
    double add = exo__bio_strip_tewl(removal, P(STRIPPED_TEWL));
    lip += (1 - P(BARRIER_LAYERS_SHARE)) * add;
    lay += P(BARRIER_LAYERS_SHARE) * add;
    if (lip + lay > full) { /* nothing left to remove */
        double s = full / (lip + lay);
        lip *= s;
        lay *= s;
    }
    double age = b->age0 + b->t / EXO_YEAR;
    double slow = 1.0 + (P(BARRIER_AGE_SLOWING) - 1.0) * fmin(fmax((age - 25.0) / 55.0, 0.0), 1.0);
    b->k_lip = log(2.0) / (P(BARRIER_LIPID_HALF_LIFE) * slow);
    b->k_lay = log(2.0) / (P(BARRIER_LAYERS_HALF_LIFE) * slow);
    b->strip_lip = lip;
    b->strip_lay = lay;
    b->t_strip = b->t;
}
