#!/usr/bin/env bash
# audit.sh - `exoskin audit` through the CLI (docs/audit.md): --help exits 0,
# bad input exits 2 with one FILE:LINE:COL message and writes nothing, the
# rose-cream example (no concentration on the label) gives the verdict
# unknown, and -o DIR writes audit.json.
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
bad() { # bad NAME SET...
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
bad "unknown frequency" --set 'audit.frequency=hourly'
bad "wrong unit" --set 'audit.amount=2 h'
bad "unknown route" --set 'audit.routes=[topical, needles]'
bad "unknown key" --set 'audit.colour=red'
bad "zero threshold" --set 'audit.threshold.change=0'
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
"$cli" audit "$src/examples/audit-rose-cream.yaml" -o "$tmp/rose" >"$tmp/out" 2>"$tmp/err"
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

finish
