#!/usr/bin/env bash
# sweep.sh - end-to-end tests of `exoskin sweep` and its alias `run --sweep`:
# grid size and order (the last variable fastest), a key without effect on a
# single run (the seed) gives identical rows, the dose response of delivery
# is linear (transport is linear in the applied concentration), a trial at a
# grid point gives the same statistics as `exoskin trial` with those values,
# outputs are the same bytes on a rerun and at 1 or 2 threads, the recorded
# effective input reruns to the same bytes, and bad grid points exit 2 with
# one message and nothing written.
# Usage: tests/sweep.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

out=$("$exo" sweep --help); rc=$?
check "sweep --help exits 0" "[ $rc -eq 0 ] && grep -q 'usage: exoskin sweep' <<<\"\$out\""
check "main help lists sweep" "\"$exo\" --help | grep -q '^  sweep '"
"$exo" sweep examples/default.yaml -o "$tmp/none" >/dev/null 2>"$tmp/err"; rc=$?
check "no variables exits 2" "[ $rc -eq 2 ] && grep -q 'no variables' $tmp/err && [ ! -e $tmp/none ]"

# Single runs: 3 concentrations x 2 seeds = 6 points, one arm.
inj=examples/injection-dose-sweep.yaml
vary=(--vary 'products.0.concentration=1e8 particles/mL;1e9 particles/mL;1e10 particles/mL' --vary 'seed=1;2')
OMP_NUM_THREADS=2 "$exo" sweep $inj -o "$tmp/g" "${vary[@]}" >"$tmp/g.out" 2>&1; rc=$?
check "grid sweep exits 0" "[ $rc -eq 0 ]"
check "sweep.csv: one row per point and arm" "[ \$(wc -l < $tmp/g/sweep.csv) -eq 7 ]"
check "header names the keys with their units" \
      "head -1 $tmp/g/sweep.csv | grep -q '^point,\"products.0.concentration \[particles/mL\]\",\"seed \[1\]\",arm,'"
check "grid order: the last variable fastest" \
      "[ \"\$(cut -d, -f1-3 $tmp/g/sweep.csv | tail -n +2 | tr '\n' ' ')\" = '0,100000000,1 1,100000000,2 2,1e+09,1 3,1e+09,2 4,1e+10,1 5,1e+10,2 ' ]"
check "the seed has no effect on a single run: identical rows" \
      "[ \$(tail -n +2 $tmp/g/sweep.csv | cut -d, -f2,4- | sort -u | wc -l) -eq 3 ]"
col=$(head -1 "$tmp/g/sweep.csv" | tr ',' '\n' | grep -n '^reached_dermis \[particles/cm^2\]$' | cut -d: -f1)
check "reached_dermis column present" "[ -n '$col' ]"
ratios=$(awk -F, -v c="$col" 'NR > 1 && $3 == 1 { if (p) printf "%.6f ", $c / p; p = $c }' "$tmp/g/sweep.csv")
check "delivery is linear in the dose (x10 per step): $ratios" "[ '$ratios' = '10.000000 10.000000 ' ]"
check "summary.json records the command, seed and grid" \
      "grep -q '\"command\":[[:space:]]*\"sweep\"' $tmp/g/summary.json && grep -q '\"points\":[[:space:]]*6' $tmp/g/summary.json"
check "summary.json has a best point" "grep -q '\"best\":[[:space:]]*{' $tmp/g/summary.json"
OMP_NUM_THREADS=1 "$exo" sweep $inj -o "$tmp/g1" "${vary[@]}" --quiet >"$tmp/q.out" 2>&1
check "--quiet prints nothing" "[ ! -s $tmp/q.out ]"
check "1 and 2 threads: identical sweep.csv" "cmp -s $tmp/g/sweep.csv $tmp/g1/sweep.csv"
check "1 and 2 threads: identical summary.json" "cmp -s $tmp/g/summary.json $tmp/g1/summary.json"
"$exo" sweep $inj -o "$tmp/g" "${vary[@]}" >/dev/null 2>&1
check "an earlier result without --force exits 2" "[ $? -eq 2 ]"
"$exo" sweep $inj -o "$tmp/g" "${vary[@]}" --force --quiet >/dev/null 2>&1
check "--force replaces it with the same bytes" "[ $? -eq 0 ] && cmp -s $tmp/g/sweep.csv $tmp/g1/sweep.csv"
# the effective input recorded in summary.json reruns to the same grid
python3 -c "import json,sys; sys.stdout.write(json.load(open('$tmp/g/summary.json'))['effective_input'])" >"$tmp/eff.yaml"
"$exo" sweep "$tmp/eff.yaml" -o "$tmp/e" --quiet >/dev/null 2>&1
check "the effective input reruns to the same sweep.csv" "cmp -s $tmp/g/sweep.csv $tmp/e/sweep.csv"

# run --sweep is an alias: the same rows for the same key and values
"$exo" run $inj -o "$tmp/r" --sweep 'products.0.concentration=1e8 particles/mL;1e9 particles/mL' --quiet >/dev/null 2>&1
"$exo" sweep $inj -o "$tmp/s" --vary 'products.0.concentration=1e8 particles/mL;1e9 particles/mL' --quiet >/dev/null 2>&1
check "run --sweep and sweep --vary: identical sweep.csv" "cmp -s $tmp/r/sweep.csv $tmp/s/sweep.csv"

# Trial at every point: 2 doses x 2 session counts, 3 patients, 6 weeks.
dsets=(--set trial.patients=3 --set simulation.duration='6 weeks' --set 'trial.visits=[3 weeks, 6 weeks]'
       --set 'arms.0.protocol.0.schedule.every=2 weeks'
       --vary 'products.0.concentration=1e9 particles/mL;1e10 particles/mL' --vary 'arms.0.protocol.0.schedule.every=2 weeks')
"$exo" sweep examples/sweep-dose-interval.yaml -o "$tmp/t" "${dsets[@]}" --quiet >/dev/null 2>"$tmp/t.err"; rc=$?
check "trial sweep exits 0" "[ $rc -eq 0 ]"
check "trial sweep: 4 rows (2 x 1 x 2 points, 1 arm)" "[ \$(wc -l < $tmp/t/sweep.csv) -eq 5 ]"
check "trial sweep header has the CI of the change" "head -1 $tmp/t/sweep.csv | grep -q 'change at 6 weeks ci95_low \[%\]'"
check "trial sweep summary says mode trial" "grep -q '\"mode\":[[:space:]]*\"trial\"' $tmp/t/summary.json"
# point 3 = 1e10 particles/mL, 2 weeks, 3 sessions, run as a trial on its own
"$exo" trial examples/sweep-dose-interval.yaml -o "$tmp/one" --set trial.patients=3 --set simulation.duration='6 weeks' \
    --set 'trial.visits=[3 weeks, 6 weeks]' --set 'products.0.concentration=1e10 particles/mL' \
    --set 'arms.0.protocol.0.schedule.every=2 weeks' --set 'arms.0.protocol.0.schedule.count=3' --quiet >/dev/null 2>&1
want=$(python3 -c "import json; a=json.load(open('$tmp/one/trial.json'))['arms'][0]['visits'][-1]['change_percent']; print('%.9g %.9g %.9g' % (a['mean'], a['sd'], a['ci95'][0]))")
c=$(head -1 "$tmp/t/sweep.csv" | tr ',' '\n' | grep -n '^change at 6 weeks mean \[%\]$' | cut -d: -f1)
got=$(awk -F, -v c="$c" '$1 == 3 { print $c, $(c + 1), $(c + 2) }' "$tmp/t/sweep.csv")
check "grid point 3 = the same trial run alone ($got vs $want)" "[ -n '$want' ] && [ '$got' = '$want' ]"

# Bad grid points: exit 2, one line, nothing written.
"$exo" sweep $inj -o "$tmp/b1" --vary 'products.0.concentration=1e9 particles/mL;banana' >/dev/null 2>"$tmp/err"; rc=$?
check "a bad --vary value exits 2 with one line" "[ $rc -eq 2 ] && [ \$(wc -l < $tmp/err) -eq 1 ] && grep -q '^exoskin: --vary:1:1: products.0.concentration: grid point 1' $tmp/err"
check "nothing written for a bad value" "[ ! -e $tmp/b1 ]"
# each value valid with some other one, but 6 weeks with a visit at 12 weeks is not
"$exo" sweep examples/sweep-dose-interval.yaml -o "$tmp/b2" --vary 'simulation.duration=6 weeks;12 weeks' \
    --vary 'trial.visits=[6 weeks];[12 weeks]' >/dev/null 2>"$tmp/err"; rc=$?
check "a bad combination exits 2 naming the grid point" "[ $rc -eq 2 ] && [ \$(wc -l < $tmp/err) -eq 1 ] && grep -q 'grid point 1 (.*simulation.duration = .6 weeks., trial.visits = .\\[12 weeks\\].)' $tmp/err"
check "nothing written for a bad combination" "[ ! -e $tmp/b2 ]"

"$exo" sweep examples/sweep-dose-interval.yaml -o "$tmp/b3" --vary 'trial.visits=[6 weeks];[12 weeks]' >/dev/null 2>"$tmp/err"
check "trial visits that differ between points exit 2 (they are the columns)" \
      "[ $? -eq 2 ] && grep -q 'other trial visits' $tmp/err && [ ! -e $tmp/b3 ]"

finish
