"""exoskin from Python: result folders as pandas tables, scenarios run in-process.

    import exoskin
    res = exoskin.run("examples/default.yaml", set={"skin.age": "60 years"})
    res.timeseries            # pandas DataFrame, one row per arm and recorded time
    res.units["timeseries"]   # {"time": "h", "tewl": "g/m^2/h", ...}
    res.summary["arms"]       # summary.json as a dict
    old = exoskin.load("results/default")   # a folder written by `exoskin run`, `trial`, ...

Column names are the CSV headers without their unit ("time [h]" -> "time"; the
same quantity again in another unit gets the unit as a suffix: "time [d]" ->
"time_d"); the units are kept in `units[table][column]` and in each DataFrame's `attrs["units"]`.
`run` uses the shared library libexoskin (cffi, ABI mode): set EXOSKIN_LIB to its
path if it is not where `cmake --install` put it.
"""
from ._tables import Result, load
from ._run import ExoskinError, run, version

__all__ = ["Result", "load", "run", "version", "ExoskinError"]
