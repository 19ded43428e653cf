#!/usr/bin/env bash
# csv_quoting.sh - one CSV writer (issue 14, item 3): arms named with a quote
# and a comma (`serum "A", b`) give every CSV file of every command
# (timeseries.csv, profiles.csv, fields_xz.csv, patients.csv, sweep.csv,
# sensitivity.csv) rows of the header's field count, read back by Python's
# csv module, and the name reads back whole.
# Usage: tests/csv_quoting.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

# rows FILE: "OK" when every row has the header's field count and some field is the name.
rows() {
  /usr/bin/python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline='') as f:
    text = f.read()
rows = list(csv.reader(line for line in text.splitlines(True) if not line.startswith('#')))
n = len(rows[0])
bad = [i for i, r in enumerate(rows) if len(r) != n]
named = any('serum "A", b' in r for r in rows[1:]) or '"serum ""A"", b"' in text  # a row's field, or the comment
print("OK" if rows and not bad and named else "BAD: %d fields in the header, rows %s, name found %s" % (n, bad[:5], named))
PY
}
csv_ok() { local out; out=$(rows "$2"); [ "$out" = OK ] || echo "$1: $out" >&2; [ "$out" = OK ]; }

name="'serum \"A\", b'"
sed -e "s/name: serum twice daily/name: $name/" examples/default-trial.yaml >"$tmp/trial.yaml"
short=(--set simulation.duration='2 weeks' --set 'simulation.profile_times=[1 day]' --set 'trial.visits=[1 week, 2 weeks]')
"$exo" run "$tmp/trial.yaml" --draws 0 -o "$tmp/run" --quiet "${short[@]}"
check "run exits 0" "[ $? -eq 0 ]"
for f in timeseries profiles; do check "run: $f.csv" "csv_ok $f $tmp/run/$f.csv"; done

"$exo" trial "$tmp/trial.yaml" -o "$tmp/trial" --quiet --set trial.patients=2 "${short[@]}"
check "trial exits 0" "[ $? -eq 0 ]"
check "trial: patients.csv" "csv_ok patients $tmp/trial/patients.csv"

"$exo" sweep "$tmp/trial.yaml" -o "$tmp/sweep" --quiet "${short[@]}" --set trial.patients=2 --vary 'products.0.concentration=1e9 particles/mL;1e10 particles/mL'
check "sweep exits 0" "[ $? -eq 0 ]"
check "sweep: sweep.csv" "csv_ok sweep $tmp/sweep/sweep.csv"

sed -e "s/name: injection$/name: $name/" tests/data/optimize-tiny.yaml >"$tmp/opt.yaml"
"$exo" sensitivity "$tmp/opt.yaml" --trajectories 2 --param granuloma_hazard -o "$tmp/sens" >/dev/null
check "sensitivity exits 0" "[ $? -eq 0 ]"
check "sensitivity: sensitivity.csv" "csv_ok sensitivity $tmp/sens/sensitivity.csv"

sed -e "s/name: serum after microneedling/name: $name/" examples/tissue-microneedling.yaml >"$tmp/tissue.yaml"
"$exo" run "$tmp/tissue.yaml" -o "$tmp/tissue" --quiet --set simulation.duration='6 h' --set 'simulation.profile_times=[1 h]'
check "tissue run exits 0" "[ $? -eq 0 ]"
for f in timeseries profiles fields_xz; do check "tissue: $f.csv" "csv_ok $f $tmp/tissue/$f.csv"; done

finish
