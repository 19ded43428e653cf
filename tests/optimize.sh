#!/usr/bin/env bash
# optimize.sh - `exoskin optimize` through the CLI (docs/optimize.md): --help
# exits 0, bad input exits 2 with one FILE:LINE:COL message and writes
# nothing, a file without an optimize: block exits 2, and a tiny run (one
# choice variable on a two-week injection) prints the best protocol and
# writes optimize.json with the product's marginal contribution (the best
# protocol against its vehicle alone); an infeasible limit exits 1.
# Usage (CTest): bash tests/optimize.sh PATH_TO_exoskin SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
cli=$exo

"$cli" optimize --help >"$tmp/out" 2>&1
rc=$?
check_status "--help exits 0" $rc "exit $rc"
grep -q '^usage: exoskin optimize' "$tmp/out"
check_status "--help prints the usage" $?
"$cli" --help | grep -q '^  optimize FILE'
check_status "optimize listed in exoskin --help" $?
"$cli" optimize >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ]; check_status "missing FILE exits 2" $? "exit $rc"

cp "$src/tests/data/optimize-tiny.yaml" "$tmp/tiny.yaml"

# bad input: exit 2, one message naming the place, nothing written
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/bad" --set optimize.goal=more >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check_status "bad goal exits 2" $? "exit $rc"
grep -q 'tiny.yaml:.*optimize.goal' "$tmp/err" || grep -q -- '--set:.*optimize.goal' "$tmp/err"
check_status "bad goal message names the key" $? "$(cat "$tmp/err")"
[ ! -e "$tmp/bad" ]; check_status "bad input writes nothing" $?
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/bad" --set optimize.variables.0.key=arms.0.protocol.0.bogus >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check_status "unknown variable key exits 2" $? "exit $rc"
[ ! -e "$tmp/bad" ]; check_status "unknown variable key writes nothing" $?
"$cli" optimize "$src/examples/default.yaml" -o "$tmp/bad" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ]; check_status "no optimize: block exits 2" $? "exit $rc"
grep -q 'no optimize: block' "$tmp/err"; check_status "no block message" $? "$(cat "$tmp/err")"
[ ! -e "$tmp/bad" ]; check_status "no block writes nothing" $?

# a tiny run
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_status "tiny run exits 0" $rc "exit $rc: $(cat "$tmp/err")"
[ -s "$tmp/ok/optimize.json" ]; check_status "optimize.json written" $?
grep -q '"outcome":[[:space:]]*"found"' "$tmp/ok/optimize.json"; check_status "outcome found" $?
grep -q '"runner_ups"' "$tmp/ok/optimize.json"; check_status "runner-ups recorded" $?
grep -q '"on_bound":[[:space:]]*\[\]' "$tmp/ok/optimize.json"; check_status "no bound flagged for a choice variable" $?
grep -q '"probability_within_risk_limit"' "$tmp/ok/optimize.json"; check_status "the risk limit's credibility recorded" $?
grep -q '^best protocol:' "$tmp/out"; check_status "prints the best protocol" $?
grep -q 'arms.0.protocol.0.volume *0.0[15] mL' "$tmp/out"; check_status "prints the value with its unit" $?
grep -q '5-95 % range' "$tmp/out"; check_status "prints the uncertainty range" $?
grep -q "^  the product's marginal contribution: +[0-9.]* %" "$tmp/out"
check_status "prints the product's marginal contribution" $? "$(grep -A1 'vehicle alone' "$tmp/out")"
grep -q '"marginal_change_percent"' "$tmp/ok/optimize.json"; check_status "optimize.json has the vehicle arm" $?
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ]; check_status "existing DIR without --force exits 2" $? "exit $rc"
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/ok" --force --quiet >"$tmp/out" 2>&1
rc=$?
check_status "--force replaces" $rc "exit $rc"
[ ! -s "$tmp/out" ]; check_status "--quiet prints nothing" $?

# infeasible: exit 1 with a message, optimize.json says so
"$cli" optimize "$tmp/tiny.yaml" -o "$tmp/inf" --set optimize.max_serious_risk=1e-12 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ]; check_status "infeasible exits 1" $? "exit $rc"
grep -q 'no protocol' "$tmp/err"; check_status "infeasible message" $? "$(cat "$tmp/err")"
grep -q '"outcome":[[:space:]]*"infeasible"' "$tmp/inf/optimize.json"; check_status "infeasible recorded" $?

finish
