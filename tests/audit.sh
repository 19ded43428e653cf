#!/usr/bin/env bash
# audit.sh - `exoskin audit` through the CLI (docs/audit.md): --help exits 0,
# bad input exits 2 with one FILE:LINE:COL message and writes nothing, the
# rose-cream example (no concentration on the label) gives the verdict
# unknown, and -o DIR writes audit.json; the serum example runs every route
# with the product and with its vehicle alone and judges the product by the
# difference (audit.csv side by side), and a product that is its vehicle has
# no effect beyond it on any route.
# Usage (CTest): bash tests/audit.sh PATH_TO_exoskin SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
cli=$exo

"$cli" audit --help >"$tmp/out" 2>&1
rc=$?
check_status "--help exits 0" $rc "exit $rc"
grep -q '^usage: exoskin audit' "$tmp/out"
check_status "--help prints the usage" $?
"$cli" --help | grep -q '^  audit FILE'
check_status "audit listed in exoskin --help" $?

# bad input: exit 2, one line FILE:LINE:COL: KEY: ..., nothing written
bad_input() { # bad_input NAME SET...
    local name=$1
    shift
    "$cli" audit "$src/examples/audit-serum.yaml" -o "$tmp/bad" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ]
    check_status "$name: exit 2" $? "exit $rc"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -Eq '^exoskin: .+:[0-9]+:[0-9]+: .+: .+' "$tmp/err"
    check_status "$name: one FILE:LINE:COL message" $? "$(head -2 "$tmp/err")"
    [ ! -e "$tmp/bad" ]
    check_status "$name: nothing written" $?
}
bad_input "unknown frequency" --set 'audit.frequency=hourly'
bad_input "wrong unit" --set 'audit.amount=2 h'
bad_input "unknown route" --set 'audit.routes=[topical, needles]'
bad_input "unknown key" --set 'audit.colour=red'
bad_input "zero threshold" --set 'audit.threshold.change=0'
printf 'products: [{name: a, origin: plant}]\narms: [{name: x, protocol: []}]\naudit: {amount: 1 mg/cm^2}\n' >"$tmp/nofreq.yaml"
"$cli" audit "$tmp/nofreq.yaml" -o "$tmp/bad" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'audit.frequency: missing required key' "$tmp/err" && [ ! -e "$tmp/bad" ]
check_status "missing frequency: exit 2, nothing written" $? "exit $rc: $(head -1 "$tmp/err")"
"$cli" audit "$src/examples/default.yaml" -o "$tmp/bad" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$tmp/bad" ]
check_status "scenario without audit: block: exit 2" $? "exit $rc"
"$cli" audit >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ]
check_status "missing FILE: exit 2" $? "exit $rc"

# the rose cream: no concentration on the label -> unknown
"$cli" audit "$src/examples/audit-rose-cream.yaml" -o "$tmp/rose" --set audit.draws=1 >"$tmp/out" 2>"$tmp/err"
rc=$?
check_status "rose example exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
grep -q '^verdict: unknown' "$tmp/out"
check_status "rose example prints 'unknown'" $? "$(grep verdict "$tmp/out")"
grep -q 'states no concentration' "$tmp/out"
check_status "rose example says why" $?
[ -s "$tmp/rose/audit.json" ] && grep -Eq '"verdict":[[:space:]]*"unknown"' "$tmp/rose/audit.json"
check_status "rose example writes audit.json" $?
for r in topical microneedling laser injection; do
    grep -q "^  $r " "$tmp/out"
    check_status "rose example has a $r row" $?
done

# the serum: each route with the product and its vehicle alone, judged by the difference
"$cli" audit "$src/examples/audit-serum.yaml" -o "$tmp/serum" --set audit.draws=2 >"$tmp/out" 2>"$tmp/err"
rc=$?
check_status "serum example exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
[ "$(grep -Ec '^  [a-z ]{14} (product|vehicle|difference) ' "$tmp/out")" -eq 12 ]
check_status "serum: product, vehicle and difference rows for the 4 routes" $?
grep -q '^  microneedling  the product adds nothing measurable to needling below [0-9.e+]* particles/mL' "$tmp/out"
check_status "serum: needling's own effect is not credited to the serum" $? "$(grep '^  microneedling  ' "$tmp/out")"
grep -q '^  needed by microneedling [0-9.e+]* particles/mL (+[0-9.]* % beyond the vehicle' "$tmp/out"
check_status "serum: a threshold concentration for needling, beyond the vehicle" $?
[ "$(grep -c '^[a-z]*,\(product\|vehicle\|difference\),' "$tmp/serum/audit.csv")" -eq 12 ] &&
    head -1 "$tmp/serum/audit.csv" | grep -q '^route,arm,concentration \[particles/mL\],'
check_status "serum: audit.csv has the two arms and their difference per route" $? "$(head -3 "$tmp/serum/audit.csv")"
grep -q '"vehicle":' "$tmp/serum/audit.json" && grep -q '"claim":' "$tmp/serum/audit.json"
check_status "serum: audit.json has the vehicle arm and the claims" $?
# the probability behind the verdict: over the posterior draws, in [0, 1]
grep -q "^  probability that the label's own topical effect is measurable: [01]\.[0-9][0-9] (over 2 posterior draws)" "$tmp/out"
check_status "serum: prints the probability behind the verdict" $? "$(grep -A1 '^verdict' "$tmp/out")"
p=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict_probability_measurable"])' "$tmp/serum/audit.json")
/usr/bin/python3 -c 'import sys; p = float(sys.argv[1]); sys.exit(0 if 0 <= p <= 1 else 1)' "$p"
check_status "serum: audit.json's verdict probability lies in [0, 1]" $? "$p"
head -1 "$tmp/serum/audit.csv" | grep -q ',measurable,probability measurable \[1\],posterior draws$' &&
    [ "$(grep -c '^[a-z]*,difference,.*,[01][.0-9e-]*,2$' "$tmp/serum/audit.csv")" -eq 4 ]
check_status "serum: audit.csv gives each route's probability on its difference row" $? "$(cat "$tmp/serum/audit.csv")"

# a product identical to its vehicle: no effect beyond it, on every route
"$cli" audit "$src/examples/audit-serum.yaml" --set 'products.0.concentration=0 particles/mL' --set audit.draws=1 >"$tmp/out" 2>&1
rc=$?
check_status "vehicle-only label exits 0" $rc "exit $rc"
[ "$(grep -c '^  [a-z]* *no effect beyond the vehicle' "$tmp/out")" -eq 4 ]
check_status "vehicle-only label: no effect beyond the vehicle on the 4 routes" $? "$(grep -A4 'can claim' "$tmp/out")"
grep -q "^  probability that the label's own topical effect is measurable: 0.00 " "$tmp/out"
check_status "vehicle-only label: probability 0 behind the verdict" $? "$(grep -A1 '^verdict' "$tmp/out")"

finish
