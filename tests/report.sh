#!/usr/bin/env bash
# report.sh - end-to-end test of report.html from `exoskin run`: the file and
# its PNG figures are written, and headless Chromium renders it: the DOM has
# every section and every figure, and the screenshot is a non-empty PNG.
# Chromium is required (scripts/install-deps.sh installs it): without it this
# test fails rather than skip, so CI cannot pass without rendering.
# Usage: tests/report.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
exo=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failed=0
ok() { pass=$((pass + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

cd "$src"
sections="summary readouts figures delivery depth cross-section adverse-events inputs-and-provenance"
figures="timecourse delivery depth cross-section"

"$exo" run examples/default.yaml -o "$tmp/out" --quiet; rc=$?
check "run exits 0" "[ $rc -eq 0 ]"
check "report.html written" "[ -s $tmp/out/report.html ]"
for f in $figures; do
  check "figures/$f.png is a PNG" "head -c 8 $tmp/out/figures/$f.png 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'"
done
check "no script in report.html" "! grep -qi '<script' $tmp/out/report.html"
check "no network reference" "! grep -Eq '(src|href)=\"(https?:)?//' $tmp/out/report.html"

chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
  bad "$chromium not found: install it (scripts/install-deps.sh, Debian package chromium) to render report.html"
else
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync)
  url="file://$tmp/out/report.html"
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --dump-dom "$url" \
    >"$tmp/dom.html" 2>"$tmp/chromium-dom.log"; rc=$?
  check "chromium --dump-dom exits 0" "[ $rc -eq 0 ]"
  for s in $sections; do
    check "DOM has section $s" "grep -q '<section id=\"$s\"' $tmp/dom.html"
  done
  for f in $figures; do
    check "DOM has figure $f with its svg" "grep -A2 '<figure id=\"fig-$f\"' $tmp/dom.html | grep -q '<svg'"
    check "DOM links figures/$f.png" "grep -q 'href=\"figures/$f.png\"' $tmp/dom.html"
  done
  check "DOM has one svg per figure" "[ \$(grep -o '<svg' $tmp/dom.html | wc -l) -eq $(wc -w <<<"$figures") ]"
  timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --screenshot="$tmp/shot.png" \
    --window-size=1200,3000 "$url" >"$tmp/chromium-shot.log" 2>&1; rc=$?
  check "chromium --screenshot exits 0" "[ $rc -eq 0 ]"
  check "screenshot is a non-empty PNG" "[ -s $tmp/shot.png ] && head -c 8 $tmp/shot.png | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'"
  if [ -n "${EXO_KEEP_SHOT:-}" ]; then cp "$tmp/shot.png" "$EXO_KEEP_SHOT"; fi
fi

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
