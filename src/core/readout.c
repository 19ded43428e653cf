/* readout.c - the table of clinical readouts, made from their one list in
 * <exoskin/exo_readouts.h>: name, unit and plain-language label by index,
 * and the index of a name.  The formulas are in exo__bio_readouts
 * (biology.c), one assignment per EXO_RD_* there.  Constant data only. */
#include <exoskin/exo_readouts.h>

#include <string.h>

#define N_(s) s /* the label's msgid; the report translates it */

typedef struct {
    const char *name, *unit, *label;
} readout_row;

#define ROW_(id, name, unit, label) [EXO_RD_##id] = {name, unit, label},
static const readout_row rows[EXO_RD_COUNT] = {EXO_READOUTS(ROW_)};
#undef ROW_

static const readout_row *row(int r) { return r >= 0 && r < EXO_RD_COUNT ? &rows[r] : NULL; }

int exo_readout_count(void) { return EXO_RD_COUNT; }
const char *exo_readout_name(int k) { return row(k) ? row(k)->name : "?"; }
const char *exo_readout_unit(int k) { return row(k) ? row(k)->unit : "?"; }
const char *exo_readout_label(int k) { return row(k) ? row(k)->label : "?"; }

int exo_readout_index(const char *name)
{
    for (int r = 0; name && r < EXO_RD_COUNT; r++)
        if (!strcmp(rows[r].name, name))
            return r;
    return -1;
}
