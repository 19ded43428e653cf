#!/usr/bin/env bash
# serve_browser.sh - the page of `exoskin serve` in headless Chromium
# (tests/serve_cdp.py drives it through the DevTools protocol): the default
# example fills the form, the age is typed into it, Run draws one figure per
# readout with a line per arm and a depth figure per arm, and the
# before/after numbers the page shows equal, digit for digit, the
# summary.json of `exoskin run` on the same
# scenario (the example with --set skin.age); no script error and no
# Content-Security-Policy violation on the way.
# Skipped (exit 77) only where Chromium is not installed.
# Usage: tests/serve_browser.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
. "$(dirname "$0")/lib/serve.sh"
py=/usr/bin/python3
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "SKIP: chromium not installed (scripts/install-deps.sh --tests)"; exit 77; }
age="52 years"

serve_start || { bad "exoskin serve did not start: $(cat "$serve_err")"; finish; exit; }
timeout 300 $py tests/serve_cdp.py "$chromium" "$serve_url" "$age" >"$tmp/page.json" 2>"$tmp/cdp.err"
check "the page loads, runs and shows its answer (serve_cdp.py exits 0)" "[ $? -eq 0 ]" || cat "$tmp/cdp.err" >&2
serve_stop
check "the server stops with status 0" "[ $? -eq 0 ]"
"$exo" run examples/default.yaml --draws 0 --set skin.age="$age" -o "$tmp/cli" -q

$py - "$tmp/cli/summary.json" "$tmp/page.json" "$age" <<'PY' >"$tmp/verdict"
import json, sys
cli, page, age = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
arms, readouts = cli["arms"], list(cli["arms"][0]["readouts"])
def verdict(name, ok):
    print(("ok " if ok else "FAIL ") + name)
verdict("the form shows the typed age", page["age_field"] == age)
verdict("one figure per readout", page["figures"] == len(readouts))
verdict("one line per arm in every figure", page["lines"] == len(readouts) * len(arms))
verdict("every line has the recorded points", page["points"] >= 2)
verdict("a depth figure per arm that applied vesicles",
        page["depth_figures"] == sum(a["applied_vesicles"] > 0 for a in arms))
verdict("every arm in the table", sorted(page["readouts"]) == sorted(a["name"] for a in arms))
for a in arms:
    shown = page["readouts"].get(a["name"], {})
    for k in readouts:
        r = a["readouts"][k]
        verdict(f"{a['name']}: {k} before and after as in summary.json",
                shown.get(k) == [r["baseline"], r["final"]])
verdict("the plain-words summary names every arm", all(a["name"] in page["summary"] for a in arms))
errors = [e for e in page["errors"] if "favicon" not in json.dumps(e)]
verdict("no script error or CSP violation: " + json.dumps(errors)[:300], not errors)
PY
while read -r v name; do
  if [ "$v" = ok ]; then ok; else bad "$name"; fi
done <"$tmp/verdict"
check "the page was judged" "[ -s $tmp/verdict ]"
finish
