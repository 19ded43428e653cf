/* exo_readouts.h - the clinical readouts, declared once (docs/readouts.md).
 * Every readout is one row of EXO_READOUTS; the enum below, the readout
 * names that input files accept (study endpoints, trial endpoints, sweep and
 * audit readouts), the timeseries.csv and summary.json columns, the readout
 * table of exoskin run and report.html, and the reports' plain-language
 * words all come from these rows.  Adding a readout is one row here plus its
 * formula in exo__bio_readouts (src/biology/biology.c), its parameters, its
 * line in docs/readouts.md and the translation of its label in po/.
 *
 * X(ID, name, unit, scale, label, spread):
 *   ID     EXO_RD_<ID>, the readout's index in every readout array
 *   name   the word files use ("tewl"; columns are "name [unit]")
 *   unit   the unit its values are reported in, as udunits2 parses it
 *          ("1" for a dimensionless score or ratio, "%" for percent): the
 *          unit of the CSV headers and of summary.json
 *   scale  the unit as people read it in reports and on the terminal: the
 *          unit itself, or what the dimensionless number means ("grade 0-9",
 *          "AU" for a device's arbitrary units, "1 (young = 1)"); JSON files
 *          carry it as "scale" beside "unit" (docs/units.md)
 *   label  plain words for reports, marked N_() for the message catalog and
 *          translated where shown (exo_readout_label gives the English)
 *   spread how much healthy people of one age, phototype and region differ
 *          on it (between-subject variability of healthy volunteers; the
 *          source of each in docs/readouts.md, "Normal ranges"): a
 *          coefficient of variation EXO_SPREAD_CV_(cv), a standard deviation
 *          in its unit EXO_SPREAD_SD_(sd, top) with the top of its scale
 *          (0: none), or EXO_SPREAD_NONE_ where healthy skin has no range to
 *          speak of (a model state no instrument reads)
 * The order is the order of docs/readouts.md and of the output columns. */
#ifndef EXO_READOUTS_H
#define EXO_READOUTS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_READOUTS(X) \
    X(TEWL,         "tewl",                       "g/m^2/h", "g/m^2/h",               N_("water loss through the skin (TEWL)"), EXO_SPREAD_CV_(0.30)) \
    X(CORNEOMETER,  "corneometer",                "1",       "AU",                    N_("skin hydration (corneometer)"), EXO_SPREAD_CV_(0.15)) \
    X(ERYTHEMA,     "erythema_index",             "1",       "AU",                    N_("redness of the skin (erythema index)"), EXO_SPREAD_CV_(0.27)) \
    X(MELANIN,      "melanin_index",              "1",       "AU",                    N_("pigmentation (melanin index)"), EXO_SPREAD_CV_(0.20)) \
    X(COLLAGEN,     "dermal_collagen",            "1",       "1 (young = 1)",         N_("dermal collagen"), EXO_SPREAD_CV_(0.10)) \
    X(US_DENSITY,   "ultrasound_density",         "%",       "% of young",            N_("ultrasound (echo) density of the dermis"), EXO_SPREAD_CV_(0.20)) \
    X(US_THICKNESS, "ultrasound_thickness",       "mm",      "mm",                    N_("thickness of the dermis on ultrasound"), EXO_SPREAD_CV_(0.11)) \
    X(ELASTICITY,   "elasticity",                 "%",       "% of young",            N_("skin elasticity"), EXO_SPREAD_CV_(0.10)) \
    X(WRINKLES,     "wrinkle_severity",           "1",       "grade 0-9",             N_("wrinkle severity"), EXO_SPREAD_SD_(1.0, 9.0)) \
    X(ECCA,         "ecca_score",                 "1",       "points",                N_("acne scar score (ECCA)"), EXO_SPREAD_SD_(0.0, 0.0)) \
    X(FSR,          "collagen_fsr",               "%/h",     "%/h",                   N_("collagen synthesis rate (FSR)"), EXO_SPREAD_CV_(0.08)) \
    X(PROCOLLAGEN,  "procollagen_per_fibroblast", "1",       "1 (young = 1)",         N_("procollagen made per fibroblast"), EXO_SPREAD_CV_(0.30)) \
    X(INFLAMMATION, "inflammation",               "1",       "1 (needling peak ~ 1)", N_("inflammation"), EXO_SPREAD_NONE_) \
    X(SYNTHESIS,    "collagen_synthesis",         "1",       "1 (young = 1)",         N_("collagen synthesis of the dermis (procollagen)"), EXO_SPREAD_CV_(0.30)) \
    X(MMP,          "mmp_activity",               "1",       "1 (young = 1)",         N_("matrix metalloproteinase (MMP) activity of the dermis"), EXO_SPREAD_CV_(0.40)) \
    X(PAP_COLLAGEN, "papillary_collagen",         "1",       "1 (young = 1)",         N_("fibrillar collagen of the papillary dermis"), EXO_SPREAD_CV_(0.15)) \
    X(BLOOD_FLOW,   "blood_flow",                 "%",       "% of healthy young",    N_("blood flow of the upper dermis"), EXO_SPREAD_CV_(0.35))

#define EXO_RD_ENUM_(id, name, unit, scale, label, spread) EXO_RD_##id,
typedef enum { EXO_READOUTS(EXO_RD_ENUM_) EXO_RD_COUNT } exo_readout;
#undef EXO_RD_ENUM_

/* How many readouts, the name, unit (udunits2), scale (the unit as reports
 * show it) and plain-language label (English, the msgid) of readout k ("?"
 * out of range), and the index of a name (-1 if none). */
int exo_readout_count(void);
const char *exo_readout_name(int k);
const char *exo_readout_unit(int k);
const char *exo_readout_scale(int k);
const char *exo_readout_label(int k);
int exo_readout_index(const char *name);
/* How healthy people differ on a readout (the `spread` column above). */
typedef enum {
    EXO_SPREAD_NONE, /* no healthy range: a model state no instrument reads */
    EXO_SPREAD_CV,   /* between-subject coefficient of variation [1]: SD = cv x the healthy value */
    EXO_SPREAD_SD,   /* between-subject standard deviation [readout unit] */
    EXO_SPREAD_COUNT
} exo_spread_kind;
typedef struct {
    exo_spread_kind kind;
    double value; /* cv [1] or SD [readout unit]; 0 for none */
    double top;   /* [readout unit] top of the scale the range is clipped to (0: none) */
} exo_readout_spread;
#define EXO_SPREAD_CV_(cv) {EXO_SPREAD_CV, (cv), 0.0}
#define EXO_SPREAD_SD_(sd, top) {EXO_SPREAD_SD, (sd), (top)}
#define EXO_SPREAD_NONE_ {EXO_SPREAD_NONE, 0.0, 0.0}
/* The spread of readout k (NULL out of range). */
const exo_readout_spread *exo_readout_spread_of(int k);

/* The normal range of a readout for one skin: where the central 95 % of
 * healthy people of that skin's age, phototype and region read, the
 * healthy value +- 1.96 between-subject SDs, clipped to 0 and to the top of
 * the readout's scale (docs/readouts.md, "Normal ranges"). */
typedef struct {
    bool defined;      /* false: the readout has no healthy range (shown "-") */
    double low, high;  /* [unit] */
    double value;      /* [unit] the healthy value the range is centred on */
    const char *unit;  /* exo_readout_unit: the unit udunits2 parses (files) */
    const char *scale; /* exo_readout_scale: the unit as reports show it */
} exo_normal_range;
/* The normal range of readout k around `healthy`, the value the observation
 * model gives healthy untreated skin of that age, phototype and region (the
 * untreated steady state: exo_skin_normal_ranges in exo_run.h computes it).
 * False (out->defined false) for a readout without a healthy range or k out
 * of range. */
bool exo_readout_normal_range(int k, double healthy, exo_normal_range *out);
/* Whether value lies outside a defined range (false for an undefined one). */
bool exo_normal_range_outside(const exo_normal_range *r, double value);
/* The minimal detectable difference of readout k: the smallest change
 * between two arms (or two visits) that its instrument tells from noise, in
 * its unit (docs/readouts.md, "Minimal detectable differences", gives the
 * source or the estimate of each); NAN out of range. */
double exo_readout_mdd(int k);

#ifdef __cplusplus
}
#endif

#endif
