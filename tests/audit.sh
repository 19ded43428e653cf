#!/usr/bin/env bash
# audit.sh - `exoskin audit` through the CLI (docs/audit.md): --help exits 0,
# bad input exits 2 with one FILE:LINE:COL message and writes nothing, the
# rose-cream example (no concentration on the label) gives the verdict
# unknown, and -o DIR writes audit.json.
# Usage (CTest): bash tests/audit.sh PATH_TO_exoskin SOURCE_DIR
set -u
cli=${1:?usage: audit.sh EXOSKIN_CLI SOURCE_DIR}
src=${2:?usage: audit.sh EXOSKIN_CLI SOURCE_DIR}
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

"$cli" audit --help >"$tmp/out" 2>&1
rc=$?
check "--help exits 0" $rc "exit $rc"
grep -q '^usage: exoskin audit' "$tmp/out"
check "--help prints the usage" $?
"$cli" --help | grep -q '^  audit FILE'
check "audit listed in exoskin --help" $?

# bad input: exit 2, one line FILE:LINE:COL: KEY: ..., nothing written
bad() { # bad NAME SET...
    local name=$1
    shift
    "$cli" audit "$src/examples/audit-serum.yaml" -o "$tmp/bad" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ]
    check "$name: exit 2" $? "exit $rc"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -Eq '^exoskin: .+:[0-9]+:[0-9]+: .+: .+' "$tmp/err"
    check "$name: one FILE:LINE:COL message" $? "$(head -2 "$tmp/err")"
    [ ! -e "$tmp/bad" ]
    check "$name: nothing written" $?
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
check "missing frequency: exit 2, nothing written" $? "exit $rc: $(head -1 "$tmp/err")"
"$cli" audit "$src/examples/default.yaml" -o "$tmp/bad" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$tmp/bad" ]
check "scenario without audit: block: exit 2" $? "exit $rc"
"$cli" audit >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ]
check "missing FILE: exit 2" $? "exit $rc"

# the rose cream: no concentration on the label -> unknown
"$cli" audit "$src/examples/audit-rose-cream.yaml" -o "$tmp/rose" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "rose example exits 0" $rc "exit $rc: $(head -2 "$tmp/err")"
grep -q '^verdict: unknown' "$tmp/out"
check "rose example prints 'unknown'" $? "$(grep verdict "$tmp/out")"
grep -q 'states no concentration' "$tmp/out"
check "rose example says why" $?
[ -s "$tmp/rose/audit.json" ] && grep -Eq '"verdict":[[:space:]]*"unknown"' "$tmp/rose/audit.json"
check "rose example writes audit.json" $?
for r in topical microneedling laser injection; do
    grep -q "^  $r " "$tmp/out"
    check "rose example has a $r row" $?
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
