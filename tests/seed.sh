#!/usr/bin/env bash
# seed.sh - the seed is a 64-bit integer everywhere: 2^53 + 1, which a double
# cannot hold, is written back with the same digits as an exact JSON integer
# in summary.json (run) and trial.json (trial), and shown the same in the
# reports.
# Usage: tests/seed.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

seed=9007199254740993 # 2^53 + 1: a double rounds it to ...992
exact="\"seed\":[[:space:]]*$seed,"

"$exo" run examples/default.yaml --draws 0 -o "$tmp/r" --set seed=$seed --set simulation.duration='1 week' \
    --set 'simulation.profile_times=[1 day]' >/dev/null 2>&1; rc=$?
check "run with seed 2^53 + 1 exits 0" "[ $rc -eq 0 ]"
check "summary.json holds the seed as an exact integer" "grep -q '$exact' $tmp/r/summary.json"
check "report.html shows the same digits" "grep -q '$seed' $tmp/r/report.html"

sets=(--set seed=$seed --set trial.patients=3 --set simulation.duration='2 weeks'
      --set 'trial.visits=[1 week, 2 weeks]' --set 'arms.0.protocol.0.schedule=twice daily for 2 weeks'
      --set 'arms.1.protocol.0.schedule=once' --set 'arms.1.protocol.1.schedule=once'
      --set 'simulation.profile_times=[1 week]')
"$exo" trial examples/default-trial.yaml -o "$tmp/t" "${sets[@]}" >/dev/null 2>&1; rc=$?
check "trial with seed 2^53 + 1 exits 0" "[ $rc -eq 0 ]"
check "trial.json holds the seed as an exact integer" "grep -q '$exact' $tmp/t/trial.json"
check "the trial report shows the same digits" "grep -q '$seed' $tmp/t/report.html"
check "no file holds the seed rounded to a double" \
      "! grep -rqE '900719925474099[0-2]([^0-9]|\$)|9\\.00719925474099e\\+15' $tmp/r $tmp/t"

finish
