#!/usr/bin/env bash
# serve.sh - `exoskin serve` over HTTP (docs/serve.md): the page and its
# headers (CSP, nothing loaded from elsewhere), the schema (the same bytes as
# `exoskin schema`), bad scenarios answered 400 with the very message
# `exoskin check` prints, oversized bodies 413 (declared and chunked), other
# media types 415, no file reachable through a path, a foreign Host refused,
# the work cap, a burst of bad requests after which it still serves, the
# default example whose numbers equal the CLI's summary.json (YAML and JSON
# bodies, and the bands of --draws), French readout labels (?lang=fr), and a
# clean stop on SIGTERM.
# Usage: tests/serve.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
. "$(dirname "$0")/lib/serve.sh"
py=/usr/bin/python3
exo=$(readlink -f "$exo")
command -v curl >/dev/null || { bad "curl not found (scripts/install-deps.sh --tests)"; finish; exit; }

# code METHOD PATH [curl args...]: the HTTP status; the body in $tmp/body, headers in $tmp/head
code() {
  local m=$1 p=$2
  shift 2
  curl -s -o "$tmp/body" -D "$tmp/head" -w '%{http_code}' -X "$m" "$@" "${serve_url%/}$p"
}
yaml=(-H 'Content-Type: application/yaml')

serve_start || { bad "exoskin serve did not start: $(cat "$serve_err")"; finish; exit; }
check "listens on 127.0.0.1 by default" "[[ $serve_url == http://127.0.0.1:* ]]"

# ---- the page --------------------------------------------------------------
check "GET / 200" "[ $(code GET /) = 200 ]"
check "GET /: text/html" "grep -qi '^Content-Type: text/html' $tmp/head"
check "GET /: CSP lets only the page's own script run" \
  "grep -i '^Content-Security-Policy:' $tmp/head | grep -q \"script-src 'self'\""
check "GET /: CSP default-src 'none'" "grep -i '^Content-Security-Policy:' $tmp/head | grep -q \"default-src 'none'\""
check "GET /: nosniff" "grep -qi '^X-Content-Type-Options: nosniff' $tmp/head"
check "GET /: loads app.js" "grep -q 'src=\"/app.js\"' $tmp/body"
check "GET /: no inline script" "! grep -q '<script>' $tmp/body"
for f in / /app.js /app.css; do
  code GET "$f" >/dev/null
  check "GET $f: nothing from another host" "! grep -Eq '(src|href|url)[=(]\"?(https?:)?//' $tmp/body"
done
check "GET /app.js 200" "[ $(code GET /app.js) = 200 ] && grep -qi '^Content-Type: text/javascript' $tmp/head"
"$exo" schema >"$tmp/schema.json"
check "GET /api/schema: the bytes of exoskin schema" "[ $(code GET /api/schema) = 200 ] && cmp -s $tmp/body $tmp/schema.json"
check "GET /api/examples lists default" "[ $(code GET /api/examples) = 200 ] && grep -q '\"name\":\"default\"' $tmp/body"
check "GET /api/examples/default: the file's text" \
  "[ $(code GET /api/examples/default) = 200 ] && $py -c 'import json,sys; sys.exit(json.load(open(\"$tmp/body\"))[\"yaml\"] != open(\"examples/default.yaml\").read())'"

# ---- bad requests -------------------------------------------------------------
# bad scenarios (a missing key, a unit of the wrong dimension): the message
# exoskin check prints for the same text as a file
printf 'arms:\n  - name: a\n    protocol:\n      - event: topical\n        schedule: twice daily\n' >"$tmp/bad1.yaml"
printf 'skin: {age: 45 parsecs}\narms: [{name: a, protocol: [{event: microneedling, schedule: once}]}]\n' \
  >"$tmp/bad2.yaml"
for b in bad1 bad2; do
  cp "$tmp/$b.yaml" "$tmp/scenario.yaml"
  msg=$(cd "$tmp" && "$exo" check scenario.yaml 2>&1 >/dev/null | sed 's/^exoskin: //')
  check "$b: exoskin check refuses it at a line and column" "[[ \$msg =~ ^scenario.yaml:[0-9]+:[0-9]+:\ [a-z] ]]"
  for ep in check run; do
    st=$(code POST /api/$ep "${yaml[@]}" --data-binary @"$tmp/scenario.yaml")
    got=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$tmp/body")
    check "$b: POST /api/$ep: 400" "[ $st = 400 ]"
    check "$b: POST /api/$ep: the CLI's located message ($got)" "[ \"\$got\" = \"\$msg\" ]"
  done
done
st=$(code POST /api/run "${yaml[@]}" --data-binary $'arms: [\n  {name: a\n')
check "POST /api/run broken YAML: 400 at a line and column" \
  "[ $st = 400 ] && grep -Eq '\"error\":\"scenario.yaml:[0-9]+:[0-9]+: ' $tmp/body"
head -c $((300 * 1024)) /dev/zero | tr '\0' '#' >"$tmp/big.yaml"
check "POST 300 KiB: 413" "[ $(code POST /api/run "${yaml[@]}" --data-binary @"$tmp/big.yaml") = 413 ]"
check "POST 300 KiB chunked: 413" \
  "[ $(code POST /api/check "${yaml[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big.yaml") = 413 ]"
head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$tmp/huge.yaml"
st=$(code POST /api/check "${yaml[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/huge.yaml")
check "POST 5 MiB chunked: cut off (over 16 x the cap), no answer but 413 ($st)" "[ $st = 413 ] || [ $st = 000 ] || [ $st = 100 ]"
check "after the cut: GET / 200" "[ $(code GET /) = 200 ]"
check "POST text/plain: 415" "[ $(code POST /api/check -H 'Content-Type: text/plain' --data-binary @examples/default.yaml) = 415 ]"
check "PUT: 405" "[ $(code PUT /api/run "${yaml[@]}" --data-binary x) = 405 ]"
check "unknown path: 404" "[ $(code GET /etc/passwd) = 404 ]"
for p in /api/examples/../../etc/passwd /api/examples/..%2f..%2fetc%2fpasswd /api/examples/%2fetc%2fpasswd \
         /api/examples/default.yaml /api/examples/tissue-microneedling; do
  check "GET $p: 404, no file read" "[ $(code GET "$p" --path-as-is) = 404 ] && ! grep -q 'root:' $tmp/body"
done
check "a foreign Host: 403" "[ $(code GET / -H 'Host: evil.example') = 403 ]"
st=$(code POST '/api/run?draws=1000' "${yaml[@]}" --data-binary @examples/default.yaml)
check "draws above the cap: 400" "[ $st = 400 ] && grep -q 'draws' $tmp/body"
st=$(code POST /api/run "${yaml[@]}" --data-binary @examples/tissue-microneedling.yaml)
check "tissue mode: 400" "[ $st = 400 ] && grep -q 'simulation.fidelity' $tmp/body"

# a burst of bad requests from 8 clients at once, then it still serves
for i in $(seq 1 120); do echo $i; done | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H 'Content-Type: application/yaml' --data-binary "arms: [{name: a{}, protocol: [{event: nope}]}]" \
  "${serve_url}api/run" >"$tmp/burst"
check "burst: 120 answers, every one 400" "[ \$(grep -c '^400$' $tmp/burst) = 120 ]"
check "after the burst: GET / 200" "[ $(code GET /) = 200 ]"
check "after the burst: a good check 200" "[ $(code POST /api/check "${yaml[@]}" --data-binary @examples/default.yaml) = 200 ]"

# ---- the default example: the CLI's numbers -------------------------------------
"$exo" run examples/default.yaml --draws 0 -o "$tmp/cli" -q
"$exo" run examples/default.yaml -o "$tmp/cli2" -q --draws 1
$py -c 'import json, yaml, sys; json.dump(yaml.safe_load(open("examples/default.yaml")), open(sys.argv[1], "w"))' \
  "$tmp/default.json"
# same SUMMARY ANSWER: the answer's summary is summary.json, every field and digit (readouts,
# their bands with draws, delivery, ledger, adverse events, effective input), and the figures'
# last points are the final values
same() {
  $py - "$1" "$2" <<'EOF'
import json, sys
cli, web = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = [k for k in set(cli) | set(web["summary"]) if cli.get(k) != web["summary"].get(k)]
for c, w in zip(cli["arms"], web["arms"]):
    last = len(w["time_days"]) - 1
    for k, v in c["readouts"].items():  # 6 digits in the figures
        if abs(w["series"][k][last] - v["final"]) > 1e-5 * max(abs(v["final"]), 1e-30):
            bad.append(f"series {k}")
        if "final_p95" in v and abs(w["bands"][k]["p95"][last] - v["final_p95"]) > 1e-5 * max(abs(v["final_p95"]), 1e-30):
            bad.append(f"band {k}")
if len(cli["arms"]) != len(web["arms"]) or web["posterior_draws"] != cli.get("posterior_draws", 0):
    bad.append("arms or draws")
if bad:
    print("differ: " + ", ".join(bad[:8]))
sys.exit(1 if bad else 0)
EOF
}
st=$(code POST /api/run "${yaml[@]}" --data-binary @examples/default.yaml)
cp "$tmp/body" "$tmp/web.json"
check "POST /api/run default: 200" "[ $st = 200 ]"
check "POST /api/run default: the numbers of summary.json" "same $tmp/cli/summary.json $tmp/web.json"
st=$(code POST /api/run -H 'Content-Type: application/json' --data-binary @"$tmp/default.json")
check "POST /api/run default as JSON: the same numbers" "[ $st = 200 ] && same $tmp/cli/summary.json $tmp/body"
st=$(code POST '/api/run?draws=1' "${yaml[@]}" --data-binary @examples/default.yaml)
check "POST /api/run?draws=1: the summary.json of run --draws 1" "[ $st = 200 ] && same $tmp/cli2/summary.json $tmp/body"
# ?lang=fr: the readout labels of po/fr.po, the French of report.html
printf 'arms: [{name: a, protocol: [{event: microneedling, schedule: once}]}]\nsimulation: {duration: 1 week}\n' \
  >"$tmp/small.yaml"
st=$(code POST '/api/run?lang=fr' "${yaml[@]}" --data-binary @"$tmp/small.yaml")
cat >"$tmp/fr.py" <<'EOF'
import json, re, sys
fr, en = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
english = {r["name"]: r["label"] for r in en["readouts"]}
po = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', open(sys.argv[3]).read(), re.M))
bad = [r["name"] for r in fr["readouts"] if po.get(english[r["name"]]) != r["label"]]
if bad:
    print("not translated as po/fr.po says: " + ", ".join(bad))
french = sum(r["label"] != english[r["name"]] for r in fr["readouts"])  # "inflammation" is French too
sys.exit(1 if bad or french < len(fr["readouts"]) // 2 else 0)
EOF
check "POST /api/run?lang=fr: every readout label as po/fr.po translates it" \
  "[ $st = 200 ] && $py $tmp/fr.py $tmp/body $tmp/web.json po/fr.po"
check "?lang=de: 400" "[ $(code POST '/api/run?lang=de' "${yaml[@]}" --data-binary @"$tmp/small.yaml") = 400 ]"
check "the answer's effective input loads back" \
  "$py -c 'import json,sys; open(sys.argv[2],\"w\").write(json.load(open(sys.argv[1]))[\"summary\"][\"effective_input\"])' $tmp/web.json $tmp/eff.yaml && $exo check $tmp/eff.yaml"

# ---- the work cap and a clean stop --------------------------------------------------
serve_stop
check "SIGTERM: exit 0" "[ $? -eq 0 ]"
check "SIGTERM: says it stopped" "grep -q 'stopped' $serve_err"
serve_start --max-steps 5000 || bad "a second server did not start"
st=$(code POST /api/check "${yaml[@]}" --data-binary @examples/default.yaml)
check "a scenario over --max-steps: 400 naming the steps" "[ $st = 400 ] && grep -q 'time steps' $tmp/body"
serve_stop
finish
