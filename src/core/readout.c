/* readout.c - the table of clinical readouts, made from their one list in
 * <exoskin/exo_readouts.h>: name, unit, scale and plain-language label by index,
 * and the index of a name.  The formulas are in exo__bio_readouts
 * (biology.c), one assignment per EXO_RD_* there; the normal range of a
 * readout around a healthy value, from its between-subject spread.  Constant
 * data and pure functions only. */
#include <exoskin/exo_readouts.h>

#include <math.h>
#include <string.h>

#define N_(s) s /* the label's msgid; the report translates it */

typedef struct {
    const char *name, *unit, *scale, *label;
    exo_readout_spread spread;
} readout_row;

#define ROW_(id, name, unit, scale, label, spread) [EXO_RD_##id] = {name, unit, scale, label, spread},
static const readout_row rows[EXO_RD_COUNT] = {EXO_READOUTS(ROW_)};
#undef ROW_

static const readout_row *row(int r) { return r >= 0 && r < EXO_RD_COUNT ? &rows[r] : NULL; }

int exo_readout_count(void) { return EXO_RD_COUNT; }
const char *exo_readout_name(int k) { return row(k) ? row(k)->name : "?"; }
const char *exo_readout_unit(int k) { return row(k) ? row(k)->unit : "?"; }
const char *exo_readout_scale(int k) { return row(k) ? row(k)->scale : "?"; }
const char *exo_readout_label(int k) { return row(k) ? row(k)->label : "?"; }
const exo_readout_spread *exo_readout_spread_of(int k) { return row(k) ? &row(k)->spread : NULL; }

/* The central 95 % of a normal distribution of healthy people around the
 * healthy value: +- 1.96 SD (docs/readouts.md, "Normal ranges"). */
#define Z95 1.959963984540054

bool exo_readout_normal_range(int k, double healthy, exo_normal_range *out)
{
    const readout_row *r = row(k);
    *out = (exo_normal_range){false, NAN, NAN, healthy, r ? r->unit : "?", r ? r->scale : "?"};
    if (!r || r->spread.kind == EXO_SPREAD_NONE || !isfinite(healthy))
        return false;
    double sd = r->spread.kind == EXO_SPREAD_CV ? r->spread.value * fabs(healthy) : r->spread.value;
    out->defined = true;
    out->low = fmax(healthy - Z95 * sd, 0.0); /* every readout is a non-negative amount */
    out->high = healthy + Z95 * sd;
    if (r->spread.top > 0)
        out->high = fmin(out->high, r->spread.top);
    return true;
}

bool exo_normal_range_outside(const exo_normal_range *r, double value)
{
    return r && r->defined && (value < r->low || value > r->high);
}

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
