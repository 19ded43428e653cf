#!/usr/bin/env bash
# states_examples.sh - the issue-12 examples run through the CLI and say what
# they are about: a day in the sun reddens the skin within a day and tans it
# by 2 weeks, a sheet mask's vehicle hydrates; on atopic skin the vehicle
# cream and the exosome cream both hydrate, the report calls the vehicle arm
# "vehicle only"; the rosacea serum's summary leads with redness; the split-face
# non-ablative laser improves wrinkles with little water loss.
# Usage (CTest): bash tests/states_examples.sh PATH_TO_exoskin SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

"$exo" run examples/sun-then-sheet-mask.yaml --draws 0 -o "$tmp/sun" --quiet
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

"$exo" run examples/atopic-barrier-cream.yaml --draws 0 -o "$tmp/ad" --quiet
check_status "atopic-barrier-cream runs" $?
ts="$tmp/ad/timeseries.csv"
t0=$(readout "$ts" tewl "vehicle cream" 0)
check "atopic skin loses more water than healthy (TEWL $t0 > 30)" "awk 'BEGIN{exit !($t0 > 30)}'"
check "the report names the vehicle arm" "grep -q 'vehicle only' '$tmp/ad/report.html'"

"$exo" run examples/rosacea-serum.yaml --draws 0 -o "$tmp/ros" --quiet
check_status "rosacea-serum runs" $?
check "the rosacea summary leads with redness" "grep -q 'the model predicts redness of the skin' '$tmp/ros/report.html'"
r0=$(readout "$tmp/ros/timeseries.csv" erythema_index "vehicle serum" 0)
check "rosacea skin is redder than healthy (EI $r0 > 470)" "awk 'BEGIN{exit !($r0 > 470)}'"

"$exo" run examples/split-face-nonablative.yaml --draws 0 -o "$tmp/nafl" --quiet
check_status "split-face-nonablative runs" $?
ts="$tmp/nafl/timeseries.csv"
w0=$(readout "$ts" wrinkle_severity "laser + vehicle" 0); w24=$(readout "$ts" wrinkle_severity "laser + vehicle" 4032)
t0=$(readout "$ts" tewl "laser + vehicle" 0); t1=$(readout "$ts" tewl "laser + vehicle" 24)
check "non-ablative laser improves wrinkles by 24 weeks ($w0 -> $w24)" "awk 'BEGIN{exit !($w24 < 0.95 * $w0)}'"
check "with little TEWL rise ($t0 -> $t1 at 1 day)" "awk 'BEGIN{exit !($t1 < 1.1 * $t0)}'"
finish
