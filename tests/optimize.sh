#!/usr/bin/env bash
# optimize.sh - `exoskin optimize` through the CLI (docs/optimize.md): --help
# exits 0, bad input exits 2 with one FILE:LINE:COL message and writes
# nothing, a file without an optimize: block exits 2, and a tiny run (one
# choice variable on a two-week injection) prints the best protocol and
# writes optimize.json; an infeasible limit exits 1.
# Usage (CTest): bash tests/optimize.sh PATH_TO_exoskin SOURCE_DIR
set -u
cli=${1:?usage: optimize.sh EXOSKIN_CLI SOURCE_DIR}
src=${2:?usage: optimize.sh EXOSKIN_CLI SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # check NAME CONDITION-STATUS [DETAIL]
    if [ "$2" -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $1${3:+: $3}"
    fi
}

"$cli" optimize --help >"$tmp/out" 2>&1
rc=$?
check "--help exits 0" $rc "exit $rc"
grep -q '^usage: exoskin optimize' "$tmp/out"
check "--help prints the usage" $?
"$cli" --help | grep -q '^  optimize FILE'
check "optimize listed in exoskin --help" $?
"$cli" optimize >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ]; check "missing FILE exits 2" $? "exit $rc"

cat >"$tmp/tiny.yaml" <<'YAML'
seed: 3
skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}
products: [{name: p, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: solution}]
arms:
  - name: injection
    protocol: [{event: injection, product: p, volume: 0.05 mL, depth: 1 mm, points: 1 1/cm^2, schedule: once}]
simulation: {duration: 2 weeks, output_interval: 1 day}
optimize:
  endpoint: dermal_collagen
  goal: increase
  variables:
    - {key: arms.0.protocol.0.volume, choices: ["0.01 mL", "0.05 mL"]}
  max_serious_risk: 0.5
YAML

# bad input: exit 2, one message naming the place, nothing written
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/bad" --set optimize.goal=more >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check "bad goal exits 2" $? "exit $rc"
grep -q 'tiny.yaml:.*optimize.goal' "$tmp/err" || grep -q -- '--set:.*optimize.goal' "$tmp/err"
check "bad goal message names the key" $? "$(cat "$tmp/err")"
[ ! -e "$tmp/bad" ]; check "bad input writes nothing" $?
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/bad" --set optimize.variables.0.key=arms.0.protocol.0.bogus >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check "unknown variable key exits 2" $? "exit $rc"
[ ! -e "$tmp/bad" ]; check "unknown variable key writes nothing" $?
"$cli" optimize "$src/examples/default.yaml" -o "$tmp/bad" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check "no optimize: block exits 2" $? "exit $rc"
grep -q 'no optimize: block' "$tmp/err"; check "no block message" $? "$(cat "$tmp/err")"
[ ! -e "$tmp/bad" ]; check "no block writes nothing" $?

# a tiny run
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "tiny run exits 0" $rc "exit $rc: $(cat "$tmp/err")"
[ -s "$tmp/ok/optimize.json" ]; check "optimize.json written" $?
grep -q '"outcome":[[:space:]]*"found"' "$tmp/ok/optimize.json"; check "outcome found" $?
grep -q '"runner_ups"' "$tmp/ok/optimize.json"; check "runner-ups recorded" $?
grep -q '^best protocol:' "$tmp/out"; check "prints the best protocol" $?
grep -q 'arms.0.protocol.0.volume *0.0[15] mL' "$tmp/out"; check "prints the value with its unit" $?
grep -q '5-95 % range' "$tmp/out"; check "prints the uncertainty range" $?
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ]; check "existing DIR without --force exits 2" $? "exit $rc"
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" --force --quiet >"$tmp/out" 2>&1
rc=$?
check "--force replaces" $rc "exit $rc"
[ ! -s "$tmp/out" ]; check "--quiet prints nothing" $?

# infeasible: exit 1 with a message, optimize.json says so
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/inf" --set optimize.max_serious_risk=1e-12 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ]; check "infeasible exits 1" $? "exit $rc"
grep -q 'no protocol' "$tmp/err"; check "infeasible message" $? "$(cat "$tmp/err")"
grep -q '"outcome":[[:space:]]*"infeasible"' "$tmp/inf/optimize.json"; check "infeasible recorded" $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
