#!/usr/bin/env bash
# bad_input.sh - every malformed input in tests/bad/ must be refused cleanly by
# the CLI: exit status 2, exactly one line on stderr of the form
#   exoskin: FILE:LINE:COL: KEY: what is wrong (expected ...)
# nothing on stdout, and no output directory left behind by `run`.  A file
# with a line '# expect: TEXT' must also name TEXT in that message.
# Usage (CTest): bash tests/bad_input.sh PATH_TO_exoskin SOURCE_DIR
set -u
cli=${1:?usage: bad_input.sh EXOSKIN_CLI SOURCE_DIR}
src=${2:?usage: bad_input.sh EXOSKIN_CLI SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pattern='^exoskin: .+:[0-9]+:[0-9]+: .+: .+'
pass=0
fail=0
expect=""

# expect_refusal NAME OUTDIR CMD...: runs CMD, checks status, stderr, stdout.
expect_refusal() {
    local name=$1 outdir=$2
    shift 2
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$? why=""
    local lines
    lines=$(wc -l <"$tmp/stderr")
    if [ "$rc" -ne 2 ]; then
        why="exit status $rc (expected 2)"
    elif [ "$lines" -ne 1 ]; then
        why="$lines lines on stderr (expected 1)"
    elif ! grep -Eq "$pattern" "$tmp/stderr"; then
        why="stderr does not match '$pattern'"
    elif [ -n "$expect" ] && ! grep -Fq -- "$expect" "$tmp/stderr"; then
        why="the message does not contain '$expect'"
    elif [ -s "$tmp/stdout" ]; then
        why="output on stdout"
    elif [ -n "$outdir" ] && [ -e "$outdir" ]; then
        why="$outdir was created"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        sed 's/^/  stderr: /' "$tmp/stderr" | head -5
        sed 's/^/  stdout: /' "$tmp/stdout" | head -5
    fi
    rm -rf "$tmp/out"
}

shopt -s nullglob
files=("$src"/tests/bad/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
    echo "no files in $src/tests/bad"
    exit 1
fi
for f in "${files[@]}"; do
    n=$(basename "$f")
    expect=$(sed -n 's/^# expect: \(.*[^ ]\) *$/\1/p' "$f" | head -1)
    expect_refusal "check $n" "" "$cli" check "$f"
    expect_refusal "run $n" "$tmp/out" "$cli" run "$f" -o "$tmp/out"
    case $n in sweep_*) expect_refusal "sweep $n" "$tmp/out" "$cli" sweep "$f" -o "$tmp/out" ;; esac
done

expect=""
# a file that does not exist
expect_refusal "check missing file" "" "$cli" check "$tmp/no-such-file.yaml"
expect_refusal "run missing file" "$tmp/out" "$cli" run "$tmp/no-such-file.yaml" -o "$tmp/out"

# bad --set overrides on a valid file
ex="$src/examples/default.yaml"
expect_refusal "--set skin.age=banana" "" "$cli" check "$ex" --set skin.age=banana
expect_refusal "--set unknown key" "" "$cli" check "$ex" --set skin.colour=pale
expect_refusal "--set missing index" "" "$cli" check "$ex" --set arms.7.name=x
expect_refusal "--set broken YAML" "" "$cli" check "$ex" --set "simulation.profile_times=[1 h, 2 h"
expect_refusal "--set wrong unit" "$tmp/out" "$cli" run "$ex" --set arms.1.protocol.0.needle_length=2h -o "$tmp/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
