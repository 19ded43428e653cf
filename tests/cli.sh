#!/usr/bin/env bash
# cli.sh - end-to-end tests of the exoskin command line: help texts, verify,
# validate, run outputs (units in headers, provenance), byte-identical
# reruns, atomic and non-destructive output, --print-config round trip, and
# docs/parameters.md in sync with `exoskin params`.
# Usage: tests/cli.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"


# help is true: every command answers --help, exit 0, and names its options
for c in run check params verify validate; do
  out=$("$exo" "$c" --help); rc=$?
  check "$c --help exits 0" "[ $rc -eq 0 ]"
  check "$c --help shows usage" "grep -q 'usage: exoskin $c' <<<\"\$out\""
done
check "run --help lists its options" "\"$exo\" run --help | grep -q -- '--print-config' && \"$exo\" run --help | grep -q -- '--force'"
check "main help lists commands" "\"$exo\" --help | grep -q validate"
"$exo" frobnicate >/dev/null 2>&1; check "unknown command exits 2" "[ $? -eq 2 ]"
"$exo" run examples/default.yaml >/dev/null 2>&1; check "run without -o exits 2" "[ $? -eq 2 ]"
"$exo" run examples/default.yaml -o "$tmp/x" --bogus >/dev/null 2>&1; check "unknown option exits 2" "[ $? -eq 2 ]"
check "no partial output after a usage error" "[ ! -e $tmp/x ]"

# verification and validation
out=$("$exo" verify); rc=$?
check "verify passes" "[ $rc -eq 0 ]"
check "verify prints observed orders" "grep -q 'gaussian.order_space' <<<\"\$out\" && grep -q 'decay.order_time' <<<\"\$out\""
check "verify closing line" "grep -qE '^[0-9]+ passed, 0 failed$' <<<\"\$out\""
out=$("$exo" validate validation --draws 1); rc=$? # one posterior draw: the intervals stay cheap
unmet=$(grep -v '^#' validation/UNMET | grep -v '^$')
check "validate prints its closing line" "grep -qE '^[0-9]+ passed, [0-9]+ failed$' <<<\"\$out\""
for f in validation/*.yaml; do
  id=$(basename "$f" .yaml)
  if grep -qx "$id" <<<"$unmet"; then
    check "documented unmet row $id still fails (update validation/UNMET if it passes)" "grep -qE '^$id .* FAIL ' <<<\"\$out\""
  else
    check "validation row $id passes" "grep -qE '^$id .* pass ' <<<\"\$out\""
  fi
done
for id in $(cut -d, -f1 "$src/validation/targets/calibration_targets.csv" | tail -n +2); do
  check "validate covers calibration row $id" "grep -q '^$id ' <<<\"\$out\""
done
check "validate exits 1 exactly when a row fails" "[ $rc -eq \$([ -n \"\$unmet\" ] && echo 1 || echo 0) ]"

# run: outputs, units, provenance (with the default posterior bands, on 2 threads)
OMP_NUM_THREADS=2 "$exo" run examples/default.yaml -o "$tmp/a" >"$tmp/a.out" 2>&1; rc=$?
check "run exits 0" "[ $rc -eq 0 ]"
for f in timeseries.csv profiles.csv summary.json; do check "run writes $f" "[ -s $tmp/a/$f ]"; done
check "run names the result folder" "grep -q '$tmp/a' $tmp/a.out"
check "run prints dermis delivery per arm" "grep -q 'serum after microneedling' $tmp/a.out && grep -q dermis $tmp/a.out"
check "timeseries header has units" "head -1 $tmp/a/timeseries.csv | grep -q 'time \[h\]' && head -1 $tmp/a/timeseries.csv | grep -q 'particles/cm^2'"
check "every timeseries column names a unit" "head -1 $tmp/a/timeseries.csv | tr ',' '\n' | tail -n +2 | grep -vc '\[' | grep -qx 0"
check "profiles header has units" "head -1 $tmp/a/profiles.csv | grep -q 'depth \[um\]'"
check "summary records version and seed" "grep -q '\"version\"' $tmp/a/summary.json && grep -q '\"seed\":[[:space:]]*42,' $tmp/a/summary.json"
check "summary records the effective input" "grep -q '\"effective_input\"' $tmp/a/summary.json && grep -q 'needle_length' $tmp/a/summary.json"
check "summary has the mass ledger" "grep -q 'delivered_by_route' $tmp/a/summary.json && grep -q 'in_follicles' $tmp/a/summary.json"
check "no temporary folders left" "[ -z \"\$(ls -d $tmp/a.tmp* 2>/dev/null)\" ]"
# the bands by default (8 posterior draws and the plain run): every readout has its
# p05/p50/p95 columns, ordered in every row, and at least one readout's band opens
check "by default summary.json has 8 posterior draws" "grep -q '\"posterior_draws\":[[:space:]]*8,' $tmp/a/summary.json"
check "run prints what the bands are" "grep -q 'and 8 draws of the calibrated' $tmp/a.out && grep -q '5-95 %: ' $tmp/a.out"
/usr/bin/python3 - "$tmp/a/timeseries.csv" <<'PY' >"$tmp/bands.out"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bands = [k.split(" p05 [")[0] for k in rows[0] if " p05 [" in k]
cols = {b: [next(k for k in rows[0] if k.startswith(b + " " + p + " [")) for p in ("p05", "p50", "p95")] for b in bands}
bad, wide = 0, 0
for row in rows:
    for b in bands:
        lo, mid, hi = (float(row[k]) for k in cols[b])
        bad += not (lo <= mid <= hi)
        wide += lo < hi
print(len(bands), bad, wide > 0)
PY
nrd=$(grep -c '^    X(' include/exoskin/exo_readouts.h) # every readout of the table
check "every readout has its band, p05 <= p50 <= p95 in every row, one opens" "[ \"\$(cat $tmp/bands.out)\" = '$nrd 0 True' ]"

# same input and seed give the same bytes, on 1 thread as on 2
OMP_NUM_THREADS=1 "$exo" run examples/default.yaml -o "$tmp/b" --quiet
for f in timeseries.csv profiles.csv summary.json; do check "rerun on 1 thread gives identical $f" "cmp -s $tmp/a/$f $tmp/b/$f"; done
check "--quiet prints nothing" "[ -z \"\$(\"$exo\" run examples/default.yaml -o $tmp/q --quiet --draws 0 2>&1)\" ]"
check "--draws 0: no band columns" "! grep -q ' p05 \[' $tmp/q/timeseries.csv && ! grep -q posterior_draws $tmp/q/summary.json"

# an earlier result is never damaged
cp "$tmp/a/timeseries.csv" "$tmp/keep.csv"
"$exo" run examples/default.yaml -o "$tmp/a" --draws 0 --set skin.age='60 years' >/dev/null 2>&1; rc=$?
check "existing result without --force exits 2" "[ $rc -eq 2 ]"
check "existing result untouched" "cmp -s $tmp/keep.csv $tmp/a/timeseries.csv"
"$exo" run examples/default.yaml -o "$tmp/a" --force --quiet --draws 0 --set skin.age='60 years'; rc=$?
check "--force replaces a result" "[ $rc -eq 0 ] && ! cmp -s $tmp/keep.csv $tmp/a/timeseries.csv"
mkdir -p "$tmp/other" && echo data > "$tmp/other/mine.txt"
"$exo" run examples/default.yaml -o "$tmp/other" --force --draws 0 >/dev/null 2>&1; rc=$?
check "a foreign folder is never replaced" "[ $rc -eq 2 ] && [ -f $tmp/other/mine.txt ]"

# --print-config is valid input that gives the same run
"$exo" check examples/default.yaml --print-config > "$tmp/eff.yaml"
check "printed config is valid" "\"$exo\" check $tmp/eff.yaml"
"$exo" run "$tmp/eff.yaml" -o "$tmp/c" --quiet --draws 0
check "printed config reproduces the run" "cmp -s $tmp/q/timeseries.csv $tmp/c/timeseries.csv"
for f in validation/*.yaml examples/*.yaml; do
  "$exo" check "$f" --print-config > "$tmp/rt.yaml" && "$exo" check "$tmp/rt.yaml" --print-config > "$tmp/rt2.yaml"
  check "effective input of $f reads back identically" "cmp -s $tmp/rt.yaml $tmp/rt2.yaml"
done
# a regular schedule whose step is not exact in hours (5 h + k x 2 min) prints in its compact
# form and loads back (issue 14 item 8: it printed 10,001 times, then "too many entries")
sched=(--set 'arms.0.protocol.0.schedule={start: 5 h, every: 2 min, count: 10001}' --set 'arms.0.protocol.0.contact=1 min')
"$exo" check examples/default.yaml "${sched[@]}" --print-config > "$tmp/sched.yaml"
check "a 10,001-session schedule prints as {start, every, count}" "grep -q 'schedule: {start: 5 h, every: .* h, count: 10001}' $tmp/sched.yaml"
"$exo" check "$tmp/sched.yaml" --print-config > "$tmp/sched2.yaml"
check "and loads back to the same effective input" "[ \$? -eq 0 ] && cmp -s $tmp/sched.yaml $tmp/sched2.yaml"
check "--set reaches the model" "\"$exo\" check examples/default.yaml --set skin.age='70 years' --print-config | grep -q 'age: 70 years'"

# every example runs (without bands: the default example's are checked above)
for f in examples/*.yaml; do
  "$exo" run "$f" -o "$tmp/ex/$(basename "$f" .yaml)" --quiet --draws 0; check "example $f runs" "[ $? -eq 0 ]"
done

# parameter table and its generated docs
for fmt in table csv json markdown; do "$exo" params --format $fmt >/dev/null; check "params --format $fmt" "[ $? -eq 0 ]"; done
check "docs/parameters.md is generated from the table" "\"$exo\" params --format markdown | cmp -s - docs/parameters.md"
n_params=$("$exo" params --format csv | tail -n +2 | wc -l)
check "params lists every parameter" "[ $n_params -ge 30 ]"

finish
