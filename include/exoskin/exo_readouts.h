/* exo_readouts.h - the clinical readouts, declared once (docs/readouts.md).
 * Every readout is one row of EXO_READOUTS; the enum below, the readout
 * names that input files accept (study endpoints, trial endpoints, sweep and
 * audit readouts), the timeseries.csv and summary.json columns, the readout
 * table of exoskin run and report.html, and the reports' plain-language
 * words all come from these rows.  Adding a readout is one row here plus its
 * formula in exo__bio_readouts (src/biology/biology.c), its parameters, its
 * line in docs/readouts.md and the translation of its label in po/.
 *
 * X(ID, name, unit, scale, label):
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
 * The order is the order of docs/readouts.md and of the output columns. */
#ifndef EXO_READOUTS_H
#define EXO_READOUTS_H

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_READOUTS(X) \
    X(TEWL,         "tewl",                       "g/m^2/h", "g/m^2/h",               N_("water loss through the skin (TEWL)")) \
    X(CORNEOMETER,  "corneometer",                "1",       "AU",                    N_("skin hydration (corneometer)")) \
    X(ERYTHEMA,     "erythema_index",             "1",       "AU",                    N_("redness of the skin (erythema index)")) \
    X(MELANIN,      "melanin_index",              "1",       "AU",                    N_("pigmentation (melanin index)")) \
    X(COLLAGEN,     "dermal_collagen",            "1",       "1 (young = 1)",         N_("dermal collagen")) \
    X(US_DENSITY,   "ultrasound_density",         "%",       "% of young",            N_("ultrasound (echo) density of the dermis")) \
    X(US_THICKNESS, "ultrasound_thickness",       "mm",      "mm",                    N_("thickness of the dermis on ultrasound")) \
    X(ELASTICITY,   "elasticity",                 "%",       "% of young",            N_("skin elasticity")) \
    X(WRINKLES,     "wrinkle_severity",           "1",       "grade 0-9",             N_("wrinkle severity")) \
    X(ECCA,         "ecca_score",                 "1",       "points",                N_("acne scar score (ECCA)")) \
    X(FSR,          "collagen_fsr",               "%/h",     "%/h",                   N_("collagen synthesis rate (FSR)")) \
    X(PROCOLLAGEN,  "procollagen_per_fibroblast", "1",       "1 (young = 1)",         N_("procollagen made per fibroblast")) \
    X(INFLAMMATION, "inflammation",               "1",       "1 (needling peak ~ 1)", N_("inflammation")) \
    X(SYNTHESIS,    "collagen_synthesis",         "1",       "1 (young = 1)",         N_("collagen synthesis of the dermis (procollagen)")) \
    X(MMP,          "mmp_activity",               "1",       "1 (young = 1)",         N_("matrix metalloproteinase (MMP) activity of the dermis")) \
    X(PAP_COLLAGEN, "papillary_collagen",         "1",       "1 (young = 1)",         N_("fibrillar collagen of the papillary dermis")) \
    X(BLOOD_FLOW,   "blood_flow",                 "%",       "% of healthy young",    N_("blood flow of the upper dermis"))

#define EXO_RD_ENUM_(id, name, unit, scale, label) EXO_RD_##id,
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
/* The range of readout k in healthy untreated facial skin, in its unit, as
 * numbers and symbols only (no words to translate; by age or phototype where
 * it depends on them; docs/readouts.md gives the sources); "?" if none. */
const char *exo_readout_normal(int k);
/* The minimal detectable difference of readout k: the smallest change
 * between two arms (or two visits) that its instrument tells from noise, in
 * its unit (docs/readouts.md, "Minimal detectable differences", gives the
 * source or the estimate of each); NAN out of range. */
double exo_readout_mdd(int k);

#ifdef __cplusplus
}
#endif

#endif
