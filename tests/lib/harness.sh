# harness.sh - what every CLI test script (tests/*.sh) starts with, sourced as
#   . "$(dirname "$0")/lib/harness.sh" "$@"
# Arguments of the script: the exoskin CLI and the source folder.  Sets exo,
# src and a temporary folder tmp (removed on exit), the counters pass and
# failed, ok/bad/check, and moves into src.  The script ends with `finish`,
# which prints the closing line "N passed, M failed" that CTest reads and
# returns non-zero if anything failed.
exo=${1:?usage: $(basename "$0") EXOSKIN_CLI SOURCE_DIR}
src=${2:?usage: $(basename "$0") EXOSKIN_CLI SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failed=0
ok() { pass=$((pass + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
# check NAME CONDITION: CONDITION is evaluated; true counts a pass.
check() { if eval "$2"; then ok; else bad "$1"; fi; }
# check_status NAME STATUS [DETAIL]: STATUS 0 counts a pass; DETAIL says why not.
check_status() { if [ "$2" -eq 0 ]; then ok; else bad "$1${3:+: $3}"; fi; }
finish() {
    echo "$pass passed, $failed failed"
    [ "$failed" -eq 0 ]
}
cd "$src" || exit 1
