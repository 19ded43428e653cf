"""The default study from Python: run it in-process, compare the arms' wrinkle
severity over time, and read a folder written by the CLI.

    cmake --install build --prefix P   (or, from the build tree: EXOSKIN_LIB=build/libexoskin.so.0
    PYTHONPATH=python)
    /usr/bin/python3 examples/python/default_arms.py [SCENARIO]

Debian's python3-cffi and python3-pandas are needed (scripts/install-deps.sh).
"""
import sys

import exoskin

scenario = sys.argv[1] if len(sys.argv) > 1 else "examples/default.yaml"
print("exoskin", exoskin.version())
res = exoskin.run(scenario)
ts = res.timeseries
unit = res.units["timeseries"]["wrinkle_severity"]
weekly = ts[ts["time_d"] % 7 == 0]
table = weekly.pivot(index="time_d", columns="arm", values="wrinkle_severity")
print("wrinkle severity [%s] by week" % unit)
print(table.iloc[::2].round(3).to_string())
change = 100 * (table.iloc[-1] / table.iloc[0] - 1)
for arm, pct in change.items():
    print("%s: %+.1f %% at week %g" % (arm, pct, table.index[-1] / 7))
print("result folder:", res.path)
