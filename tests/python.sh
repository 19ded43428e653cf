#!/usr/bin/env bash
# python.sh - the Python package (python/exoskin, Debian's python3-cffi and
# python3-pandas): exoskin.load() reads a result folder of the CLI into pandas
# DataFrames with the units of every column; exoskin.run() runs a scenario
# in-process through libexoskin and gives the CLI's numbers; bad input raises
# ExoskinError with the located message; examples/python runs.
# Usage: tests/python.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
build=$(cd "$(dirname "$exo")" && pwd)
py=/usr/bin/python3
if ldd "$build/libexoskin.so.0" 2>/dev/null | grep -q libasan; then
  # a sanitizer-built library cannot be loaded into a Python that was not started with its runtime
  echo "note: sanitizer build: the Python binding is tested in the release build"
  finish; exit $?
fi
check "python3-cffi and python3-pandas are installed" "$py -c 'import cffi, pandas' 2>/dev/null"
export EXOSKIN_LIB=$build/libexoskin.so.0 PYTHONPATH=$src/python
short=(--set simulation.duration='2 weeks' --set 'simulation.profile_times=[1 day]'
       --set 'arms.0.protocol.0.schedule=twice daily for 2 weeks' --set 'arms.1.protocol.0.schedule=once'
       --set 'arms.1.protocol.1.schedule=once')
"$exo" run examples/default.yaml --draws 0 -o "$tmp/cli" "${short[@]}" --quiet
"$exo" trial examples/default-trial.yaml -o "$tmp/trial" --quiet --set trial.patients=4 "${short[@]}" \
  --set 'trial.visits=[1 week, 2 weeks]'
cat >"$tmp/t.py" <<PY
import math, sys
import exoskin
fails = []
def check(name, ok):
    if not ok: fails.append(name)
r = exoskin.load("$tmp/cli")
ts = r.timeseries
check("load: timeseries and profiles", set(r.tables) == {"timeseries", "profiles"})
check("load: units of time and a readout", r.units["timeseries"]["time"] == "h" and r.units["timeseries"]["time_d"] == "d"
      and r.units["timeseries"]["tewl"] == ts.attrs["units"]["tewl"] and "g" in r.units["timeseries"]["tewl"])
check("load: both arms, quoted names intact", sorted(ts["arm"].unique()) == ["serum after microneedling", "serum twice daily"])
check("load: the summary as a dict", r.summary["seed"] == 42 and len(r.summary["arms"]) == 2)
sets = {"simulation.duration": "2 weeks", "simulation.profile_times": "[1 day]",
        "arms.0.protocol.0.schedule": "twice daily for 2 weeks", "arms.1.protocol.0.schedule": "once",
        "arms.1.protocol.1.schedule": "once"}
p = exoskin.run("examples/default.yaml", set=sets, out="$tmp/py")
check("run: the CLI's timeseries, every number", p.timeseries.equals(ts))
check("run: the CLI's profiles", p.profiles.equals(r.profiles))
try:
    exoskin.run("examples/default.yaml", set={"skin.age": "600 years"})
    check("run: bad input raises", False)
except exoskin.ExoskinError as e:
    check("run: bad input raises with the key and the range", "skin.age" in str(e) and "100 years" in str(e))
t = exoskin.load("$tmp/trial")
check("load: a trial folder's patients and trial.json", "patients" in t.tables and len(t.patients) == 8 and "design" in str(t.summary))
try:
    exoskin.load("$tmp")
    check("load: a folder without results raises", False)
except ValueError:
    pass
print("\n".join("FAIL: " + f for f in fails))
sys.exit(1 if fails else 0)
PY
$py "$tmp/t.py" >"$tmp/out" 2>&1
check "the binding's checks (load, run, errors)" "[ \$? -eq 0 ]" || cat "$tmp/out"
$py examples/python/default_arms.py >"$tmp/ex" 2>&1
check "examples/python/default_arms.py runs" "[ \$? -eq 0 ] && grep -q 'serum after microneedling: ' $tmp/ex" || cat "$tmp/ex"
finish
