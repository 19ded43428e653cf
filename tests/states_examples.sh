#!/usr/bin/env bash
# states_examples.sh - the issue-12 examples run through the CLI and say what
# they are about: a day in the sun reddens the skin within a day and tans it
# by 2 weeks, a sheet mask's vehicle hydrates; on atopic skin the vehicle
# cream and the exosome cream both hydrate, the report calls the vehicle arm
# "vehicle only".
# Usage (CTest): bash tests/states_examples.sh PATH_TO_exoskin SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

"$exo" run examples/sun-then-sheet-mask.yaml -o "$tmp/sun" --quiet
check_status "sun-then-sheet-mask runs" $?
# readout CSV COLUMN-PREFIX ARM TIME_H: one value of timeseries.csv
readout() {
    /usr/bin/python3 - "$1" "$2" "$3" "$4" <<'PY'
import csv, sys
path, col, arm, t = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
for r in csv.DictReader(open(path)):
    if r["arm"] == arm and abs(float(r["time [h]"]) - t) < 1e-6:
        print(next(v for k, v in r.items() if k.startswith(col + " [")))
        break
PY
}
ts="$tmp/sun/timeseries.csv"
e0=$(readout "$ts" erythema_index "sun only" 0); e24=$(readout "$ts" erythema_index "sun only" 24)
e240=$(readout "$ts" erythema_index "sun only" 240)
m0=$(readout "$ts" melanin_index "sun only" 0); m336=$(readout "$ts" melanin_index "sun only" 336)
c0=$(readout "$ts" corneometer "sun + vehicle mask" 0); c9=$(readout "$ts" corneometer "sun + vehicle mask" 9)
check "2 MED reddens within a day (EI $e0 -> $e24)" "awk 'BEGIN{exit !($e24 > 1.1 * $e0)}'"
check "the redness fades by 10 days (EI $e240)" "awk 'BEGIN{exit !($e240 < 1.03 * $e0)}'"
check "the skin tans by 2 weeks (MI $m0 -> $m336)" "awk 'BEGIN{exit !($m336 > 1.03 * $m0)}'"
check "the vehicle mask hydrates (corneometer $c0 -> $c9)" "awk 'BEGIN{exit !($c9 > $c0 + 3)}'"

"$exo" run examples/atopic-barrier-cream.yaml -o "$tmp/ad" --quiet
check_status "atopic-barrier-cream runs" $?
ts="$tmp/ad/timeseries.csv"
t0=$(readout "$ts" tewl "vehicle cream" 0)
check "atopic skin loses more water than healthy (TEWL $t0 > 30)" "awk 'BEGIN{exit !($t0 > 30)}'"
check "the report names the vehicle arm" "grep -q 'vehicle only' '$tmp/ad/report.html'"
finish
