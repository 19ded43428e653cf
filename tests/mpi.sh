#!/usr/bin/env bash
# mpi.sh - `mpirun -np 2 exoskin trial` gives byte-identical outputs to the
# serial run (patients split across ranks, gathered to rank 0 in patient
# order), for a parallel and a split-face trial of 6 patients per arm; bad
# input, --resume and an existing result exit 2 on every rank with one
# message; a tissue-mode run with its block split across 2 and 3 ranks gives
# the serial run's bytes too; a failure inside a tissue run on one rank ends
# every rank with that rank's message; column runs and other commands refuse
# to run under mpirun.  Skipped (counted as
# passed, with a note) when mpirun is missing or this exoskin has no MPI.
# Under the sanitizer build it runs too, with leak detection off for the
# mpirun processes only (Open MPI's own leaks; docs/trials.md, "MPI").
# Usage: tests/mpi.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

if ! command -v mpirun >/dev/null 2>&1 || ! ldd "$exo" 2>/dev/null | grep -q libmpi; then
    echo "note: mpirun or an MPI build of exoskin is missing: MPI tests skipped"
    echo "0 passed, 0 failed"
    exit 0
fi
# as root Open MPI wants both; --oversubscribe: more ranks than cores is fine here
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
mpi=(mpirun -q --oversubscribe)
if ldd "$exo" | grep -q libasan; then
    # Open MPI does not free its own allocations at exit, many of them in
    # plugins it has unloaded by then, which LeakSanitizer cannot name for a
    # suppression: the ranks run without leak detection (address and
    # undefined-behaviour checks stay on); the serial runs keep it.
    echo "note: sanitizer build: leak detection off for the mpirun processes (Open MPI's own leaks)"
    mpi=(env ASAN_OPTIONS=detect_leaks=0 "${mpi[@]}")
fi

sets=(--set trial.patients=6 --set simulation.duration='2 weeks' --set 'trial.visits=[1 week, 2 weeks]'
      --set 'arms.0.protocol.0.schedule=twice daily for 2 weeks' --set 'arms.1.protocol.0.schedule=once'
      --set 'arms.1.protocol.1.schedule=once' --set 'simulation.profile_times=[1 week]'
      --set trial.population.parameter_uncertainty=0.1)
for design in parallel split_face; do
    "$exo" trial examples/default-trial.yaml -o "$tmp/s-$design" "${sets[@]}" --set trial.design=$design --quiet \
        >/dev/null 2>"$tmp/err"
    check "$design: serial run exits 0" "[ $? -eq 0 ]"
    "${mpi[@]}" -np 2 "$exo" trial examples/default-trial.yaml -o "$tmp/m-$design" "${sets[@]}" --set trial.design=$design \
        >"$tmp/m.out" 2>"$tmp/err"; rc=$?
    check "$design: mpirun -np 2 exits 0" "[ $rc -eq 0 ]"
    check "$design: the table is printed once" "[ \$(grep -c '^exoskin .*: trial' $tmp/m.out) -eq 1 ]"
    check "$design: the same files" \
        "[ \"\$(cd $tmp/s-$design && find . | sort)\" = \"\$(cd $tmp/m-$design && find . | sort)\" ]"
    for f in $(cd "$tmp/s-$design" && find . -type f | sort); do
        check "$design: ${f#./} byte-identical to the serial run" "cmp -s $tmp/s-$design/$f $tmp/m-$design/$f"
    done
    check "$design: no checkpoint left" "[ ! -e $tmp/m-$design.checkpoint ]"
done
# 3 ranks over 12 rows: uneven shares, the same bytes
"${mpi[@]}" -np 3 "$exo" trial examples/default-trial.yaml -o "$tmp/m3" "${sets[@]}" --quiet \
    >/dev/null 2>&1
check "3 ranks: patients.csv byte-identical" "cmp -s $tmp/s-parallel/patients.csv $tmp/m3/patients.csv"

# refusals: exit 2 from every rank, one line from exoskin, nothing written
refuse() { # NAME PATTERN OUTDIR CMD...
    local name=$1 pat=$2 dir=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    check "$name: exit 2" "[ $rc -eq 2 ]"
    check "$name: one message" "[ \$(grep -c '^exoskin: ' $tmp/err) -eq 1 ] && grep -q '$pat' $tmp/err"
    [ -n "$dir" ] && check "$name: nothing written" "[ ! -e $dir ]"
}
refuse "bad input" "trial.patients" "$tmp/b" "${mpi[@]}" -np 2 "$exo" trial examples/default-trial.yaml -o "$tmp/b" \
    --set trial.patients=1
refuse "--resume" "not supported across MPI ranks" "$tmp/r" "${mpi[@]}" -np 2 "$exo" trial examples/default-trial.yaml \
    -o "$tmp/r" "${sets[@]}" --resume
refuse "an earlier result" "output folder is not empty" "" "${mpi[@]}" -np 2 "$exo" trial examples/default-trial.yaml \
    -o "$tmp/m-parallel" "${sets[@]}"
refuse "column run under mpirun" "only tissue-mode runs" "$tmp/run" "${mpi[@]}" -np 2 "$exo" run examples/default.yaml \
    -o "$tmp/run"
refuse "sweep under mpirun" "go across MPI ranks" "$tmp/sw" "${mpi[@]}" -np 2 "$exo" sweep \
    examples/sweep-dose-interval.yaml -o "$tmp/sw"

# tissue mode: the block's rows split across ranks (docs/tissue.md, "MPI");
# every event kind (boluses, laser zones, channels, films), macrophages that
# cross slabs and arrive; 2 ranks and 3 (5 rows of 20 um voxels: uneven slabs), one and two
# threads per rank: every file the same bytes as the serial run
tis=tests/data/tissue-mpi.yaml
"$exo" run $tis -o "$tmp/ts" --quiet >/dev/null 2>"$tmp/err"
check "tissue: serial run exits 0" "[ $? -eq 0 ]"
for run in 2:1 3:1 2:2; do
    np=${run%:*} th=${run#*:}
    OMP_NUM_THREADS=$th "${mpi[@]}" -np $np "$exo" run $tis -o "$tmp/tm$np$th" >"$tmp/m.out" 2>"$tmp/err"
    check "tissue, $np ranks x $th threads: exits 0" "[ $? -eq 0 ]"
    check "tissue, $np ranks x $th threads: the summary is printed once" \
        "[ \$(grep -c 'block split over $np MPI ranks' $tmp/m.out) -eq 1 ]"
    check "tissue, $np ranks x $th threads: the same files" \
        "[ \"\$(cd $tmp/ts && find . | sort)\" = \"\$(cd $tmp/tm$np$th && find . | sort)\" ]"
    for f in $(cd "$tmp/ts" && find . -type f | sort); do
        check "tissue, $np ranks x $th threads: ${f#./} byte-identical" "cmp -s $tmp/ts/$f $tmp/tm$np$th/$f"
    done
done
refuse "tissue: more ranks than rows" "fewer rows of voxels" "$tmp/rows" "${mpi[@]}" -np 3 "$exo" run $tis \
    -o "$tmp/rows" --set simulation.tissue.size_y='20 um'
# a failure inside the run on one rank only (a slab over the block size limit,
# here rank 1's alone: the same happens with uneven slabs just across the
# limit, or memory running out on one machine): every rank ends, and that
# rank's message is seen (ranks above 0 are otherwise muted)
printf '#!/bin/sh\n[ "${OMPI_COMM_WORLD_RANK:-0}" = 1 ] && exec "$@" %s\nexec "$@"\n' \
    "--set simulation.tissue.size_x='4000 um' --set simulation.tissue.size_y='4000 um' --set simulation.tissue.voxel='8 um' --set simulation.grid.max_cell='10 um'" \
    >"$tmp/rank1.sh"
"${mpi[@]}" -np 2 sh "$tmp/rank1.sh" "$exo" run $tis -o "$tmp/fail1" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "tissue, a failure on rank 1 alone: exit 1" "[ $rc -eq 1 ]"
check "tissue, a failure on rank 1 alone: its message" "grep -q '^exoskin: tissue: .* values in this rank.s slab of rows (at most' $tmp/err"
check "tissue, a failure on rank 1 alone: nothing written" "[ ! -e $tmp/fail1 ]"

finish
