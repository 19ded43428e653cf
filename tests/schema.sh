#!/usr/bin/env bash
# schema.sh - `exoskin schema` (the JSON Schema of scenario files, made from
# the loader's tables): valid draft-07 JSON; every example and validation
# study validates against it with python3-jsonschema (and loads); a wrong
# unit, an unknown key, an unknown event or a word outside an enumeration is
# rejected, as the loader rejects it.
# Usage: tests/schema.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
py=/usr/bin/python3
check "python3-jsonschema and python3-yaml are installed" "$py -c 'import jsonschema, yaml' 2>/dev/null"
"$exo" schema > "$tmp/schema.json"; rc=$?
check "schema exits 0" "[ $rc -eq 0 ]"
check "main help lists schema" "\"$exo\" --help | grep -q '^  schema '"
cat >"$tmp/t.py" <<PY
import copy, glob, json, sys
import jsonschema, yaml
fails = []
def check(name, ok):
    if not ok: fails.append(name)
schema = json.load(open("$tmp/schema.json"))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
files = sorted(glob.glob("examples/*.yaml") + glob.glob("validation/*.yaml"))
check("at least 20 scenario files", len(files) >= 20)
for f in files:
    errs = [e.message[:160] + " at " + "/".join(map(str, e.absolute_path)) for e in v.iter_errors(yaml.safe_load(open(f)))]
    check("%s validates: %s" % (f, "; ".join(errs[:3])), not errs)
doc = yaml.safe_load(open("examples/default.yaml"))
def bad(name, change):
    d = copy.deepcopy(doc)
    change(d)
    check("rejected: " + name, not v.is_valid(d))
bad("amount in kg", lambda d: d["arms"][0]["protocol"][0].__setitem__("amount", "1 kg"))
bad("needle length in hours", lambda d: d["arms"][1]["protocol"][0].__setitem__("needle_length", "1 h"))
bad("concentration without a unit", lambda d: d["products"][0].__setitem__("concentration", "1e10"))
bad("an unknown key", lambda d: d["skin"].__setitem__("colour", "pale"))
bad("an unknown event", lambda d: d["arms"][0]["protocol"][0].__setitem__("event", "massage"))
bad("a key of another route", lambda d: d["arms"][0]["protocol"][0].__setitem__("needle_length", "1 mm"))
bad("a region outside the list", lambda d: d["skin"].__setitem__("region", "nose"))
bad("passes out of range", lambda d: d["arms"][1]["protocol"][0].__setitem__("passes", 11))
bad("an unknown parameter", lambda d: d.__setitem__("parameters", {"no_such_parameter": 1}))
ok = copy.deepcopy(doc)
ok["arms"][0]["protocol"][0]["amount"] = "20 um"
ok["arms"][1]["protocol"][0]["needle_length"] = "1500 um"
check("accepted: other units of the same dimension", v.is_valid(ok))
print("\n".join("FAIL: " + f for f in fails))
sys.exit(1 if fails else 0)
PY
$py "$tmp/t.py" >"$tmp/out" 2>&1
rc=$?; [ $rc -eq 0 ] || cat "$tmp/out"
check "every example validates, wrong units and keys do not" "[ $rc -eq 0 ]"
# the loader agrees on the wrong unit
"$exo" check examples/default.yaml --set 'arms.0.protocol.0.amount=1 kg' >/dev/null 2>"$tmp/err"; rc=$?
check "the loader rejects the same wrong unit" "[ $rc -eq 2 ] && grep -q 'amount' $tmp/err"
finish
