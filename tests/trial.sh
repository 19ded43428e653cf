#!/usr/bin/env bash
# trial.sh - end-to-end tests of `exoskin trial`: help, bad input (exit 2,
# nothing written), and a tiny trial writing patients.csv (units in the
# header) and trial.json, byte-identical on a rerun; a trial killed with
# SIGKILL and finished with --resume gives the same bytes.
# Usage: tests/trial.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"


out=$("$exo" trial --help); rc=$?
check "trial --help exits 0" "[ $rc -eq 0 ]"
check "trial --help shows usage" "grep -q 'usage: exoskin trial' <<<\"\$out\""
check "main help lists trial" "\"$exo\" --help | grep -q '^  trial '"
"$exo" trial >/dev/null 2>&1; check "missing FILE exits 2" "[ $? -eq 2 ]"
"$exo" trial examples/default-trial.yaml >/dev/null 2>&1; check "missing -o exits 2" "[ $? -eq 2 ]"
"$exo" trial examples/default.yaml -o "$tmp/none" >/dev/null 2>&1; rc=$?
check "a file without trial: exits 2" "[ $rc -eq 2 ]"
check "nothing written without trial:" "[ ! -e $tmp/none ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/bad" --set trial.patients=1 >/dev/null 2>"$tmp/err"; rc=$?
check "patients: 1 exits 2" "[ $rc -eq 2 ]"
check "patients: 1 names the key" "grep -q 'trial.patients' $tmp/err"
check "nothing written on bad input" "[ ! -e $tmp/bad ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/bad" --set trial.design=split_face --set trial.patients=3 >/dev/null 2>&1
check "split_face with the 2 arms runs" "[ $? -eq 0 ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/bad2" --set trial.design=single_arm >/dev/null 2>&1; rc=$?
check "single_arm with 2 arms exits 2" "[ $rc -eq 2 ]"
check "nothing written for single_arm with 2 arms" "[ ! -e $tmp/bad2 ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/bad3" --set trial.endpoint=absorbed >/dev/null 2>&1
check "a non-readout endpoint exits 2" "[ $? -eq 2 ]"

# A tiny trial: 3 patients per arm, 2 weeks.
sets=(--set trial.patients=3 --set simulation.duration='2 weeks' --set 'trial.visits=[1 week, 2 weeks]'
      --set 'arms.0.protocol.0.schedule=twice daily for 2 weeks' --set 'arms.1.protocol.0.schedule=once'
      --set 'arms.1.protocol.1.schedule=once' --set 'simulation.profile_times=[1 week]')
"$exo" trial examples/default-trial.yaml -o "$tmp/t" "${sets[@]}" >"$tmp/a.out" 2>&1; rc=$?
check "tiny trial exits 0" "[ $rc -eq 0 ]"
check "patients.csv written" "[ -s $tmp/t/patients.csv ]"
check "trial.json written" "[ -s $tmp/t/trial.json ]"
check "patients.csv has units in the header" "head -1 $tmp/t/patients.csv | grep -q 'wrinkle_severity at 2 weeks \[1\],change at 2 weeks \[%\]'"
check "patients.csv has age in years" "head -1 $tmp/t/patients.csv | grep -q 'age \[years\]'"
check "patients.csv has one row per patient-arm" "[ \$(wc -l < $tmp/t/patients.csv) -eq 7 ]"
check "trial.json names the design" "grep -qE '\"design\":[[:space:]]*\"parallel\"' $tmp/t/trial.json"
check "the table shows the test" "grep -q 'Welch t-test\|no primary comparison' $tmp/a.out"
check "the trial runs on one posterior draw, named on the terminal" "grep -q '^parameters: draw 1 of seed ' $tmp/a.out"
check "trial.json names the posterior draw" "grep -q '\"posterior\":[[:space:]]*\"draw 1 of seed' $tmp/t/trial.json"
"$exo" trial examples/default-trial.yaml -o "$tmp/t" "${sets[@]}" >/dev/null 2>&1
check "an existing result without --force exits 2" "[ $? -eq 2 ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/u" "${sets[@]}" --quiet >"$tmp/q.out" 2>&1
check "--quiet prints nothing" "[ ! -s $tmp/q.out ]"
check "rerun gives identical patients.csv" "cmp -s $tmp/t/patients.csv $tmp/u/patients.csv"
OMP_NUM_THREADS=1 "$exo" trial examples/default-trial.yaml -o "$tmp/th1" "${sets[@]}" --quiet >/dev/null 2>&1
OMP_NUM_THREADS=2 "$exo" trial examples/default-trial.yaml -o "$tmp/th2" "${sets[@]}" --quiet >/dev/null 2>&1
check "1 and 2 threads give identical patients.csv" "cmp -s $tmp/th1/patients.csv $tmp/th2/patients.csv"
check "1 and 2 threads give identical trial.json" "cmp -s $tmp/th1/trial.json $tmp/th2/trial.json"
"$exo" trial examples/default-trial.yaml -o "$tmp/t" "${sets[@]}" --force --quiet >/dev/null 2>&1
check "--force replaces an earlier trial" "[ $? -eq 0 ] && cmp -s $tmp/t/patients.csv $tmp/u/patients.csv"
"$exo" check examples/default-trial.yaml --print-config >"$tmp/eff.yaml" 2>&1
"$exo" check "$tmp/eff.yaml" --print-config >"$tmp/eff2.yaml" 2>&1
check "the trial block round-trips through --print-config" "grep -q '^trial:' $tmp/eff.yaml && cmp -s $tmp/eff.yaml $tmp/eff2.yaml"

# Checkpoints: a trial killed with SIGKILL leaves no output folder but DIR.checkpoint;
# --resume finishes it with the same bytes as an uninterrupted run.
ksets=(--set trial.patients=14 --set simulation.duration='4 weeks' --set 'trial.visits=[2 weeks, 4 weeks]'
       --set 'arms.0.protocol.0.schedule=twice daily for 4 weeks' --set 'arms.1.protocol.0.schedule=once'
       --set 'arms.1.protocol.1.schedule=once' --set 'simulation.profile_times=[1 week]')
export OMP_NUM_THREADS=2
"$exo" trial examples/default-trial.yaml -o "$tmp/kfull" "${ksets[@]}" --quiet >/dev/null 2>&1
check "uninterrupted run exits 0" "[ $? -eq 0 ]"
check "no checkpoint left after a complete run" "[ ! -e $tmp/kfull.checkpoint ]"
# Killed once the checkpoint holds a finished patient-arm run (its header and
# one record), not after a fixed time, so a loaded machine cannot change the outcome.
"$exo" trial examples/default-trial.yaml -o "$tmp/k" "${ksets[@]}" --quiet >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1200); do
  [ "$(wc -l 2>/dev/null < "$tmp/k.checkpoint" || echo 0)" -ge 2 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
kill -KILL $pid 2>/dev/null
wait $pid; rc=$?
if [ $rc -eq 137 ]; then
  check "killed run leaves no output folder" "[ ! -e $tmp/k ]"
  check "killed run leaves a checkpoint" "[ -s $tmp/k.checkpoint ]"
  echo "killed after $(($(wc -l < $tmp/k.checkpoint) - 1)) of 28 patient-arm runs"
  "$exo" trial examples/default-trial.yaml -o "$tmp/k" "${ksets[@]}" --quiet >/dev/null 2>"$tmp/err"; rc=$?
  check "an existing checkpoint without --resume exits 2" "[ $rc -eq 2 ] && grep -q -- '--resume' $tmp/err"
  "$exo" trial examples/default-trial.yaml -o "$tmp/k" "${ksets[@]}" --set seed=5 --resume --quiet >/dev/null 2>"$tmp/err"
  rc=$?
  check "resume with a changed --set exits 2" "[ $rc -eq 2 ] && grep -q 'another input or seed' $tmp/err"
  check "a refused resume writes nothing" "[ ! -e $tmp/k ]"
  printf 'torn' >>"$tmp/k.checkpoint" # a record cut short by the kill
  "$exo" trial examples/default-trial.yaml -o "$tmp/k" "${ksets[@]}" --resume --quiet >/dev/null 2>&1
  check "--resume exits 0" "[ $? -eq 0 ]"
  check "resumed patients.csv is identical" "cmp -s $tmp/k/patients.csv $tmp/kfull/patients.csv"
  check "resumed trial.json is identical" "cmp -s $tmp/k/trial.json $tmp/kfull/trial.json"
  check "the checkpoint is removed after the outputs are written" "[ ! -e $tmp/k.checkpoint ]"
else
  echo "note: the trial finished before a record was seen (exit $rc); kill test skipped"
fi
unset OMP_NUM_THREADS

# A symbolic link at DIR.checkpoint (dangling or not) is never followed: the
# trial is refused before computing and nothing is created at the link's target.
ln -s "$tmp/elsewhere/target" "$tmp/l.checkpoint"
mkdir -p "$tmp/elsewhere"
"$exo" trial examples/default-trial.yaml -o "$tmp/l" "${ksets[@]}" --quiet >/dev/null 2>"$tmp/err"; rc=$?
check "a dangling link at DIR.checkpoint exits 2 and names the link" "[ $rc -eq 2 ] && grep -q 'symbolic link' $tmp/err"
check "nothing is created at the link's target" "[ ! -e $tmp/elsewhere/target ] && [ ! -e $tmp/l ]"
"$exo" trial examples/default-trial.yaml -o "$tmp/l" "${ksets[@]}" --resume --quiet >/dev/null 2>"$tmp/err"; rc=$?
check "nor with --resume" "[ $rc -eq 2 ] && [ ! -e $tmp/elsewhere/target ]"

finish
