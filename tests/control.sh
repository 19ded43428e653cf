#!/usr/bin/env bash
# control.sh - vehicle control arms in one line (`control: vehicle`,
# docs/config.md) through the CLI: a control arm runs to the same bytes as the
# same arm written by hand with a vehicle product at 0 particles/mL; `trial`
# and `sweep` accept it (the swept concentration leaves the vehicle arm
# unchanged); misuse exits 2 with one FILE:LINE:COL message.
# Usage (CTest): bash tests/control.sh PATH_TO_exoskin SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

head='name: control
seed: 5
skin: {region: cheek, age: 45 years, sex: female, condition: photoaged}
simulation: {duration: 2 weeks, output_interval: 1 day}'
active='  - name: active
    protocol:
      - {event: microneedling, needle_length: 1 mm, schedule: once}
      - {event: topical, product: serum, amount: 1 mg/cm^2, schedule: once}'
printf '%s\nproducts:\n  - {name: serum, origin: adipose_msc, concentration: 1e10 particles/mL}\narms:\n%s\n  - {name: vehicle, control: vehicle}\n' \
    "$head" "$active" >"$tmp/control.yaml"
printf '%s\nproducts:\n  - {name: serum, origin: adipose_msc, concentration: 1e10 particles/mL}\n  - {name: serum (vehicle), origin: adipose_msc, concentration: 0 particles/mL}\narms:\n%s\n  - name: vehicle\n    protocol:\n      - {event: microneedling, needle_length: 1 mm, schedule: once}\n      - {event: topical, product: serum (vehicle), amount: 1 mg/cm^2, schedule: once}\n' \
    "$head" "$active" >"$tmp/hand.yaml"

"$exo" run "$tmp/control.yaml" --draws 0 -o "$tmp/c" --quiet >/dev/null 2>"$tmp/err"
rc=$?
check_status "run with a control arm exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
"$exo" run "$tmp/hand.yaml" --draws 0 -o "$tmp/h" --quiet >/dev/null 2>&1
check "the control arm is the hand-written vehicle arm, byte for byte" "cmp -s $tmp/c/timeseries.csv $tmp/h/timeseries.csv"
"$exo" run "$tmp/control.yaml" --print-config >"$tmp/eff.yaml" 2>&1
grep -q 'product: "serum (vehicle)"' "$tmp/eff.yaml" && ! grep -q 'control:' "$tmp/eff.yaml"
check_status "the effective input names the vehicle product" $?
"$exo" run "$tmp/eff.yaml" --draws 0 -o "$tmp/e" --quiet >/dev/null 2>&1
check "the effective input reruns to the same bytes" "cmp -s $tmp/c/timeseries.csv $tmp/e/timeseries.csv"

# trial: the control arm is an arm like any other
printf 'trial: {design: parallel, patients: 2, visits: [2 weeks], endpoint: dermal_collagen, responder_threshold: 1}\n' >>"$tmp/control.yaml"
"$exo" trial "$tmp/control.yaml" -o "$tmp/t" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_status "trial with a control arm exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
grep -q '^  vehicle ' "$tmp/out"
check_status "trial reports the vehicle arm" $?

# sweep over the product's concentration: the vehicle arm stays at 0 particles/mL
"$exo" sweep "$tmp/control.yaml" -o "$tmp/s" --vary 'products.0.concentration=1e9 particles/mL;1e11 particles/mL' >/dev/null 2>"$tmp/err"
rc=$?
check_status "sweep with a control arm exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
[ "$(grep -c ',"vehicle",' "$tmp/s/sweep.csv")" -eq 2 ] &&
    [ "$(grep ',"vehicle",' "$tmp/s/sweep.csv" | cut -d, -f4- | sort -u | wc -l)" -eq 1 ]
check_status "sweep: the vehicle arm is the same at every concentration" $? "$(cat "$tmp/s/sweep.csv" | head -5)"

# misuse: exit 2, one FILE:LINE:COL: arms.N.control message, nothing written
"$exo" trial "$tmp/control.yaml" -o "$tmp/bad" --set arms.1.control=placebo >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'arms.1.control: unknown value .placebo.' "$tmp/err" &&
    [ ! -e "$tmp/bad" ]
check_status "trial: a bad control value exits 2 with one message" $? "exit $rc: $(cat "$tmp/err")"

finish
