"""Reading an exoskin result folder into pandas DataFrames, units kept."""
import json
import os
import re

import pandas as pd

# the CSV files a result folder may hold, by table name
_TABLES = ("timeseries", "profiles", "patients", "sweep", "sensitivity", "fields_xz", "audit")
# the JSON summary of each kind of folder
_SUMMARIES = ("summary", "trial", "sweep", "audit", "optimize", "sensitivity")
_HEADER = re.compile(r"^(.*?) \[(.*)\]$")


class Result:
    """A result folder: `tables` (name -> DataFrame), `units` (name -> {column: unit}),
    `summary` (the folder's JSON document as a dict), `path`.  Each table is also an
    attribute (`res.timeseries`)."""

    def __init__(self, path, tables, units, summary):
        self.path = path
        self.tables = tables
        self.units = units
        self.summary = summary

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self):
        return "exoskin.Result(%r, tables=%s)" % (self.path, sorted(self.tables))


def _read_csv(path):
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    units, names = {}, []
    for col in df.columns:
        m = _HEADER.match(col)
        name, unit = (m.group(1), m.group(2)) if m else (col, None)
        if name in names:  # the same quantity in another unit: "time [d]" after "time [h]"
            name = "%s_%s" % (name, re.sub(r"[^0-9A-Za-z]+", "_", unit or "").strip("_"))
        names.append(name)
        if unit is not None:
            units[name] = unit
    df.columns = names
    df.attrs["units"] = units
    return df, units


def load(path):
    """Reads the result folder at `path` (written by any exoskin command)."""
    if not os.path.isdir(path):
        raise FileNotFoundError("%s: not a folder" % path)
    tables, units, summary = {}, {}, None
    for name in _TABLES:
        f = os.path.join(path, name + ".csv")
        if os.path.isfile(f):
            tables[name], units[name] = _read_csv(f)
    for name in _SUMMARIES:
        f = os.path.join(path, name + ".json")
        if os.path.isfile(f):
            with open(f, encoding="utf-8") as fh:
                summary = json.load(fh)
            break
    if not tables and summary is None:
        raise ValueError("%s: no exoskin result there (no CSV table or summary)" % path)
    return Result(path, tables, units, summary)
