#!/usr/bin/env bash
# sensitivity.sh - end-to-end tests of `exoskin sensitivity`: help, bad input
# (exit 2: Sobol without --param, unknown parameter, endpoint or method), and a
# tiny Morris run (R = 2, two parameters, a one-week scenario) that exits 0,
# writes sensitivity.csv and sensitivity.json, and gives identical output on
# a rerun.
# Usage: tests/sensitivity.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"


cat >"$tmp/week.yaml" <<'YAML'
name: sensitivity_cli_test
seed: 1
skin: {region: cheek, age: 45 years, sex: female}
products:
  - name: serum
    origin: adipose_msc
    size: {mode: 120 nm, gsd: 1.4, bins: 1}
    concentration: 1e10 particles/mL
    vehicle: serum
arms:
  - name: microneedling and serum
    protocol:
      - event: microneedling
        needle_length: 1.0 mm
        density: 150 1/cm^2
        passes: 1
        schedule: once
      - event: topical
        product: serum
        amount: 1 mg/cm^2
        contact: 12 h
        schedule: once
simulation:
  duration: 1 week
  output_interval: 12 h
YAML

out=$("$exo" sensitivity --help); rc=$?
check "sensitivity --help exits 0" "[ $rc -eq 0 ]"
check "sensitivity --help shows usage" "grep -q 'usage: exoskin sensitivity' <<<\"\$out\""
check "main help lists sensitivity" "\"$exo\" --help | grep -q sensitivity"
"$exo" sensitivity "$tmp/week.yaml" --method sobol >/dev/null 2>"$tmp/err"; rc=$?
check "sobol without --param exits 2" "[ $rc -eq 2 ]"
check "sobol without --param says so" "grep -q -- '--param' $tmp/err"
"$exo" sensitivity >/dev/null 2>&1; check "missing FILE exits 2" "[ $? -eq 2 ]"
"$exo" sensitivity "$tmp/week.yaml" --param no_such_parameter >/dev/null 2>&1
check "unknown parameter exits 2" "[ $? -eq 2 ]"
"$exo" sensitivity "$tmp/week.yaml" --param granuloma_hazard --endpoint no_such_readout >/dev/null 2>&1
check "unknown endpoint exits 2" "[ $? -eq 2 ]"
"$exo" sensitivity "$tmp/week.yaml" --method fast >/dev/null 2>&1; check "unknown method exits 2" "[ $? -eq 2 ]"
"$exo" sensitivity "$tmp/week.yaml" --trajectories 0 >/dev/null 2>&1; check "bad --trajectories exits 2" "[ $? -eq 2 ]"

args=(--trajectories 2 --param granuloma_hazard --param fibroblast_proliferation --seed 3)
"$exo" sensitivity "$tmp/week.yaml" "${args[@]}" -o "$tmp/out" >"$tmp/a.out" 2>&1; rc=$?
check "tiny Morris run exits 0" "[ $rc -eq 0 ]"
check "writes sensitivity.csv" "[ -s $tmp/out/sensitivity.csv ]"
check "writes sensitivity.json" "[ -s $tmp/out/sensitivity.json ]"
check "csv header has units" "grep -q '^rank,parameter,unit,.*mu_star \[%\]' $tmp/out/sensitivity.csv"
check "granuloma_hazard ranks last with mu* 0" "grep -qE '^ *2  granuloma_hazard +linear|^ *2  granuloma_hazard +log' $tmp/a.out && grep -q '^2,granuloma_hazard,.*,0,0,0$' $tmp/out/sensitivity.csv"
"$exo" sensitivity "$tmp/week.yaml" "${args[@]}" >"$tmp/b.out" 2>&1
check "rerun gives the same table" "diff <(grep -v '^results in' $tmp/a.out) $tmp/b.out >/dev/null"
"$exo" sensitivity "$tmp/week.yaml" "${args[@]}" -o "$tmp/out" >/dev/null 2>&1
check "existing result folder is not overwritten (exit 2)" "[ $? -eq 2 ]"
# --set changes the scenario: an older skin gives another endpoint over the design,
# the effective input records it, and a bad value is bad input
"$exo" sensitivity "$tmp/week.yaml" "${args[@]}" --set 'skin.age=70 years' -o "$tmp/old" >"$tmp/c.out" 2>&1
check "--set runs (exit 0)" "[ $? -eq 0 ]"
check "--set changes the endpoint over the design" \
    "! diff <(grep '^endpoint over the design' $tmp/a.out) <(grep '^endpoint over the design' $tmp/c.out) >/dev/null"
check "--set is in the effective input" "grep -q '70 years' $tmp/old/sensitivity.json"
"$exo" sensitivity "$tmp/week.yaml" "${args[@]}" --set skin.age=banana >/dev/null 2>"$tmp/err"
check "bad --set value exits 2 with one message" "[ $? -eq 2 ] && [ \$(wc -l <$tmp/err) -eq 1 ]"

finish
