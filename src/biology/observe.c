/* observe.c - what exposures and instruments add to the biology of column
 * mode (docs/readouts.md, issue 12): the minimal erythema dose of each
 * phototype, the phototype dependence of post-inflammatory pigmentation,
 * how deep UV reaches, the barrier loss of deep needles, the water loss of a
 * tape-stripped stratum corneum, the hydration a film gives the stratum
 * corneum, the UV a sunscreen film lets through and the redness a tinted
 * film masks from the erythema meter.  Pure functions of their arguments;
 * biology.c applies them to the state. */
#include "biology.h"

#include <exoskin/exo_units.h>
#include <math.h>

static double clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

double exo__bio_med(int phototype)
{
    /* single UVB exposure read at 24-48 h, midpoints of the reported ranges
     * (med_phototype_I..VI: 22.5, 32.5, 40, 50, 75, 120 mJ/cm^2) [J/m^2] */
    static const double med[6] = {225.0, 325.0, 400.0, 500.0, 750.0, 1200.0};
    int k = phototype < 1 ? 1 : (phototype > 6 ? 6 : phototype);
    return med[k - 1];
}

double exo__bio_pih_factor(int phototype)
{
    /* PIH after ablative laser: up to 92 % in phototype IV and higher
     * (jocd2025_pih_ablative_fst4), rare in I-II: ((pt - 1)/2)^2 gives
     * I 0, II 0.25, III 1, IV 2.25, V 4, VI 6.25 (estimate) */
    double x = (phototype - 1) / 2.0;
    return x * x;
}

double exo__bio_uv_reach(int z)
{
    /* erythemally weighted UV (mostly UVB) is absorbed in the epidermis; the
     * UVA share reaches the papillary and less the reticular dermis
     * (estimate, penetration depths of Bruls 1984) */
    static const double reach[EXO_NZ] = {1.0, 0.5, 0.3, 0.15, 0.05};
    return z >= 0 && z < EXO_NZ ? reach[z] : 0.0;
}

double exo__bio_spf_in_use(double spf, double share)
{
    /* the protection measured in vivo falls about linearly with the amount
     * applied (Ou-Yang 2012: labelled SPF 30-100 at 0.5-2 mg/cm^2; SPF 70
     * and 100 gave 19 and 27 at 0.5 mg/cm^2), 1 with no filter; share is
     * the parameter sunscreen_in_use_share */
    return spf > 1 ? 1.0 + (spf - 1.0) * share : 1.0;
}

double exo__bio_uv_through_film(double dose, double protection)
{
    return protection > 1 ? dose / protection : dose;
}

double exo__bio_tinted_erythema(double ei, double ei_ref, double tint)
{
    /* the pigments of a tinted (green, neutralising) film cover a share of
     * the redness above the skin's own tone: the meter reads the film, the
     * vessels are unchanged.  tint 0 returns ei itself (same bits) */
    if (!(tint > 0))
        return ei;
    return ei_ref + (1.0 - clamp01(tint)) * (ei - ei_ref);
}

double exo__bio_needle_barrier_loss(double depth, double loss_15)
{
    /* needles up to 0.3 mm leave only their channels (which close within
     * hours); longer needles tear the epidermis around each track, and TEWL
     * stays raised for days after 1.5 mm (Sasaki 2019): linear from 0.3 to
     * 1.5 mm (estimate) */
    return loss_15 * clamp01((depth - 300.0 * EXO_UM) / (1200.0 * EXO_UM));
}

double exo__bio_strip_tewl(double removal, double full)
{
    /* water crosses the viable epidermis and the stratum corneum in series:
     * 1/TEWL = r_ve + r_sc (1 - removal), with r_ve = 1/full and r_ve + r_sc
     * = 1 (the intact skin), so TEWL rises hyperbolically with the layers
     * removed, as it does strip by strip (Kalia et al. 1996, from recall (R)) */
    double f = clamp01(removal), r_ve = 1.0 / fmax(full, 1.0);
    return 1.0 / (r_ve + (1.0 - r_ve) * (1.0 - f)) - 1.0;
}

double exo__bio_film_hydration(double water, double solids, double gain)
{
    /* a wet film hydrates the SC (half effect at 1 um of water); the dried
     * residue (humectant, occlusive lipids) holds half as much per um
     * (estimate: Baldwin 2019, capacitance raised for 8 h after one
     * moisturiser) */
    double w = fmax(water, 0.0) / EXO_UM, s = fmax(solids, 0.0) / EXO_UM;
    double drive = w + 0.5 * s;
    return gain * drive / (drive + 1.0);
}

/* What the instruments read on each region at baseline, relative to the
 * cheek the parameters describe (docs/readouts.md, "Regions").  The facial
 * regions read as the cheek.  Volar forearm, from one normative study that
 * measured cheek and forearm in the same 87 healthy adults of 20-40 years
 * (Montero-Vilchez et al. 2021, "Cutaneous homeostasis and epidermal barrier
 * function in a young healthy Caucasian population"): TEWL 9.69 g/m^2/h
 * against the model's cheek 17.3 at 30 years (0.56), erythema index 252.0
 * against 413.5 AU (0.61); hydration estimate 0.45: forearm capacitance in
 * healthy adults is commonly 30-50 AU against 91-106 AU on young faces, and
 * face above forearm in every region study (Pan et al. 2020, CCID 13:911). */
const exo_region_baseline *exo__bio_region_baseline(exo_region r)
{
    static const exo_region_baseline table[EXO_REGION_COUNT] = {
        [EXO_REGION_FOREHEAD] = {1, 1, 1}, [EXO_REGION_CHEEK] = {1, 1, 1}, [EXO_REGION_PERIORBITAL] = {1, 1, 1},
        [EXO_REGION_PERIORAL] = {1, 1, 1}, [EXO_REGION_FOREARM] = {0.56, 0.45, 0.61},
    };
    return &table[r >= 0 && r < EXO_REGION_COUNT ? r : EXO_REGION_CHEEK];
}

/* The erythema index is haemoglobin of the superficial plexus read through a
 * background of melanin and scattering (docs/readouts.md, "erythema_index"):
 * only the vascular share follows the vessel state.  Written as a change
 * from 1 so that healthy young skin (vessels = 1) reads `base` exactly. */
double exo__bio_erythema_vascular(double base, double share, double vessels)
{
    return base * (1.0 + share * (vessels - 1.0));
}

/* Blood flow of the upper dermis as OCT and laser Doppler read it: the
 * perfused vessels (their state) times their dilation; the dilation is the
 * redness the acute causes add (flare, inflammation, open wound, UV) over the
 * redness of the vessels at rest. */
double exo__bio_blood_flow(double vessels, double dilation, double vascular)
{
    return 100.0 * vessels * (1.0 + dilation / vascular);
}
