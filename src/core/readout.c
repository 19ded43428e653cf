/* readout.c - the table of clinical readouts, made from their one list in
 * <exoskin/exo_readouts.h>: name, unit, scale and plain-language label by index,
 * and the index of a name.  The formulas are in exo__bio_readouts
 * (biology.c), one assignment per EXO_RD_* there.  Constant data only. */
#include <exoskin/exo_readouts.h>

#include <math.h>
#include <string.h>

#define N_(s) s /* the label's msgid; the report translates it */

typedef struct {
    const char *name, *unit, *scale, *label;
} readout_row;

#define ROW_(id, name, unit, scale, label) [EXO_RD_##id] = {name, unit, scale, label},
static const readout_row rows[EXO_RD_COUNT] = {EXO_READOUTS(ROW_)};
#undef ROW_

static const readout_row *row(int r) { return r >= 0 && r < EXO_RD_COUNT ? &rows[r] : NULL; }

int exo_readout_count(void) { return EXO_RD_COUNT; }
const char *exo_readout_name(int k) { return row(k) ? row(k)->name : "?"; }
const char *exo_readout_unit(int k) { return row(k) ? row(k)->unit : "?"; }
const char *exo_readout_scale(int k) { return row(k) ? row(k)->scale : "?"; }
const char *exo_readout_label(int k) { return row(k) ? row(k)->label : "?"; }

/* Healthy untreated facial skin (docs/readouts.md, "normal range" column). */
static const char *const normal[EXO_RD_COUNT] = {
    [EXO_RD_TEWL] = "10\u201322",
    [EXO_RD_CORNEOMETER] = "91\u2013106",
    [EXO_RD_ERYTHEMA] = "\u2248413",
    [EXO_RD_MELANIN] = "50 (I) \u2013 300 (VI)",
    [EXO_RD_COLLAGEN] = "1 (25 y) \u2013 0.85 (45 y)",
    [EXO_RD_PAP_COLLAGEN] = "1 (25 y) \u2013 0.89 (45 y)",
    [EXO_RD_US_DENSITY] = "\u2248100 (25 y)",
    [EXO_RD_US_THICKNESS] = "1.2\u20132.5",
    [EXO_RD_ELASTICITY] = "100 (25 y) \u2013 65 (50 y)",
    [EXO_RD_WRINKLES] = "1.5 (25 y) \u2013 3.5 (45 y)",
    [EXO_RD_ECCA] = "0",
    [EXO_RD_FSR] = "0.026\u20130.048",
    [EXO_RD_PROCOLLAGEN] = "1 (25 y) \u2013 0.68 (80 y)",
    [EXO_RD_INFLAMMATION] = "\u22480.002",
    [EXO_RD_SYNTHESIS] = "1 (25 y) \u2013 0.68 (80 y)",
    [EXO_RD_MMP] = "1 (25 y) \u2013 6.3 (80 y)",
    [EXO_RD_BLOOD_FLOW] = "\u2248100",
};

const char *exo_readout_normal(int k) { return row(k) && normal[k] ? normal[k] : "?"; }

/* Minimal detectable differences [readout unit] (docs/readouts.md, "Minimal
 * detectable differences": MDD = 1.96 sqrt(2) SEM of the instrument's
 * repeatability, or the estimate given there). */
static const double mdd[EXO_RD_COUNT] = {
    [EXO_RD_TEWL] = 2.8,   [EXO_RD_CORNEOMETER] = 5.5,   [EXO_RD_ERYTHEMA] = 22.0,  [EXO_RD_MELANIN] = 11.0,
    [EXO_RD_COLLAGEN] = 0.01, [EXO_RD_US_DENSITY] = 8.0, [EXO_RD_US_THICKNESS] = 0.15, [EXO_RD_ELASTICITY] = 11.0,
    [EXO_RD_WRINKLES] = 1.0, [EXO_RD_ECCA] = 10.0,       [EXO_RD_FSR] = 0.01,       [EXO_RD_PROCOLLAGEN] = 0.1,
    [EXO_RD_INFLAMMATION] = 0.05, [EXO_RD_SYNTHESIS] = 0.2,  [EXO_RD_MMP] = 0.3,
    [EXO_RD_PAP_COLLAGEN] = 0.05, [EXO_RD_BLOOD_FLOW] = 20.0,
};

double exo_readout_mdd(int k) { return row(k) ? mdd[k] : NAN; }

int exo_readout_index(const char *name)
{
    for (int r = 0; name && r < EXO_RD_COUNT; r++)
        if (!strcmp(rows[r].name, name))
            return r;
    return -1;
}
