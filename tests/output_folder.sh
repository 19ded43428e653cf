#!/usr/bin/env bash
# output_folder.sh - result folders are replaced only when exoskin wrote them
# (their .exoskin list) and hold nothing else: --force never deletes what
# exoskin did not write; a symbolic link, another folder or a file is refused
# (exit 2) before anything is computed; a folder left by a killed run is
# cleaned up by the next write.
# Usage: tests/output_folder.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
short=(--set simulation.duration='1 day' --set 'simulation.profile_times=[1 h]'
       --set 'arms.0.protocol.0.schedule=once' --set 'arms.1.protocol.0.schedule=once'
       --set 'arms.1.protocol.1.schedule=once')
run() { "$exo" run examples/default.yaml --draws 0 "${short[@]}" --quiet "$@"; }

# a mock home that happens to hold a summary.json: --force must not touch it
home=$tmp/home
mkdir -p "$home/thesis" "$home/.ssh"
echo '{}' >"$home/summary.json"; echo chapter >"$home/thesis/ch1.tex"; echo key >"$home/.ssh/id_rsa"
run -o "$home" --force 2>"$tmp/err"; rc=$?
check "--force on a folder exoskin did not write exits 2" "[ $rc -eq 2 ] && grep -q 'not a result folder written by exoskin' $tmp/err"
check "and deletes nothing there" "[ -s $home/thesis/ch1.tex ] && [ -s $home/.ssh/id_rsa ] && [ -s $home/summary.json ]"
for cmd in trial sweep sensitivity optimize audit; do
  case $cmd in
    trial) f=examples/default-trial.yaml ;; sweep) f=examples/sweep-dose-interval.yaml ;;
    optimize) f=examples/optimize-microneedling.yaml ;; audit) f=examples/audit-serum.yaml ;;
    *) f=examples/default.yaml ;;
  esac
  "$exo" $cmd "$f" -o "$home" --force >/dev/null 2>"$tmp/err"; rc=$?
  check "$cmd --force on that folder exits 2, nothing deleted, no checkpoint started" \
    "[ $rc -eq 2 ] && [ -s $home/thesis/ch1.tex ] && [ ! -e $home.checkpoint ]"
done
check "no temporary or set-aside folder is left beside it" "[ -z \"\$(ls -d $tmp/home.* 2>/dev/null)\" ]"

# a result folder lists what it holds; --force replaces it
run -o "$tmp/r" 2>"$tmp/err"
check "a run writes its list" "[ \$? -eq 0 ] && head -1 $tmp/r/.exoskin | grep -qx 'exoskin result folder' && grep -qx 'file summary.json' $tmp/r/.exoskin && grep -qx 'dir figures' $tmp/r/.exoskin"
check "the list names everything there" "[ \$(grep -c '^\\(file\\|dir\\) ' $tmp/r/.exoskin) -eq \$(cd $tmp/r && find . -mindepth 1 ! -name .exoskin | wc -l) ]"
run -o "$tmp/r" 2>"$tmp/err"
check "without --force an earlier result is kept (exit 2)" "[ \$? -eq 2 ] && grep -q -- '--force' $tmp/err"
run -o "$tmp/r" --force
check "--force replaces an earlier result" "[ \$? -eq 0 ] && [ -s $tmp/r/summary.json ] && [ -z \"\$(ls -d $tmp/r.* 2>/dev/null)\" ]"
# a file of one's own put into a result folder is never deleted
echo notes >"$tmp/r/my-notes.txt"
run -o "$tmp/r" --force 2>"$tmp/err"
check "--force refuses a result folder holding a file exoskin did not write" "[ \$? -eq 2 ] && grep -q my-notes.txt $tmp/err"
check "that file is kept" "[ -s $tmp/r/my-notes.txt ]"
rm "$tmp/r/my-notes.txt"; mkdir "$tmp/r/figures/mine"; echo x >"$tmp/r/figures/mine/a.png"
run -o "$tmp/r" --force 2>"$tmp/err"
check "and one in a subfolder" "[ \$? -eq 2 ] && grep -q 'figures/mine' $tmp/err && [ -s $tmp/r/figures/mine/a.png ]"

# symbolic links
mkdir -p "$tmp/target"; echo keep >"$tmp/target/keep.txt"; ln -s "$tmp/target" "$tmp/link"
run -o "$tmp/link" --force 2>"$tmp/err"
check "a symbolic link as the output folder exits 2" "[ \$? -eq 2 ] && grep -q 'symbolic link' $tmp/err"
check "its target is untouched and no .old folder is left" "[ -s $tmp/target/keep.txt ] && [ -z \"\$(ls -d $tmp/link.* 2>/dev/null)\" ]"
echo x >"$tmp/afile"
run -o "$tmp/afile" --force 2>"$tmp/err"
check "a file as the output folder exits 2" "[ \$? -eq 2 ] && grep -q 'not a folder' $tmp/err && [ -s $tmp/afile ]"

# a temporary folder of a killed run (its process gone) is removed by the next
# write; one that is not exoskin's is kept
mkdir -p "$tmp/s.tmpAAAAAA" "$tmp/s.tmpBBBBBB"
printf 'exoskin result folder\nversion 0\npid 2147483646\n' >"$tmp/s.tmpAAAAAA/.exoskin"
echo half >"$tmp/s.tmpAAAAAA/timeseries.csv"
echo mine >"$tmp/s.tmpBBBBBB/mine.txt"
run -o "$tmp/s"
check "the killed run's temporary folder is removed" "[ \$? -eq 0 ] && [ ! -e $tmp/s.tmpAAAAAA ]"
check "a look-alike folder without the list is kept" "[ -s $tmp/s.tmpBBBBBB/mine.txt ]"

# a result that cannot be written is a failure, exit 1 as --help says (issue 14
# item 9; it was 2, like bad input); a missing input file stays 2
"$exo" run examples/default.yaml --draws 0 -o /proc/exoskin-out --quiet 2>"$tmp/err"
check "an unwritable output folder exits 1" "[ \$? -eq 1 ] && grep -q 'cannot create a temporary folder' $tmp/err"
"$exo" run "$tmp/no-such-input.yaml" --draws 0 -o "$tmp/none" --quiet 2>"$tmp/err"
check "a missing input file exits 2" "[ \$? -eq 2 ] && grep -q 'cannot open' $tmp/err"
check "--help: failures exit 1, bad input 2" "\"$exo\" --help | grep -q '1 failure.*2 bad input'"
finish
