#!/usr/bin/env bash
# xdmf.sh - the tissue mode's HDF5 fields and XDMF sidecar as other tools read
# them: h5py (Debian's python3-h5py) reads the fields with the shape that the
# root attribute `grid` gives, the voxel size, the times and every unit;
# meshio's TimeSeriesReader (python3-meshio) reads the XDMF time series with
# the same numbers, hexahedra of the voxel size with depth downwards (z =
# -depth) and the profile times in hours.  ParaView's reader is checked too
# where pvpython is installed (Debian's paraview; not a dependency).
# The run is the tissue example shrunk to a 30 um block and 2 hours (~1 s).
# Usage: tests/xdmf.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
py=/usr/bin/python3
check "python3-h5py and python3-meshio are installed" "$py -c 'import h5py, meshio' 2>/dev/null"
"$exo" run examples/tissue-microneedling.yaml -o "$tmp/run" --quiet --set simulation.tissue.size='30 um' \
  --set simulation.duration='2 h' --set simulation.output_interval='1 h' --set 'simulation.profile_times=[1 h, 2 h]'
check "the tiny tissue run writes the HDF5 file and its sidecar" \
  "[ -s $tmp/run/tissue_arm0.h5 ] && [ -s $tmp/run/tissue_arm0.xdmf ]"
cat >"$tmp/t.py" <<PY
import sys
import h5py, meshio
import numpy as np
fails = []
def check(name, ok):
    if not ok: fails.append(name)
dx, times, names = 10.0, [1.0, 2.0], ["vesicles", "inflammation_I", "new_collagen"]
units = {"vesicles": "particles/mL", "inflammation_I": "1", "new_collagen": "1"}
h5 = {}
with h5py.File("$tmp/run/tissue_arm0.h5", "r") as f:
    grid = tuple(int(v) for v in f.attrs["grid"])
    nz, ny, nx = grid
    check("h5py: grid is depth, y, x: 3 x 3 voxel columns of 10 um, 2 mm deep", grid == (200, 3, 3))
    check("h5py: grid_axes says so", f.attrs["grid_axes"] == b"depth y x" or f.attrs["grid_axes"] == "depth y x")
    check("h5py: voxel size 10 um", f.attrs["voxel_size"] == dx and f.attrs["voxel_size_unit"] in (b"um", "um"))
    check("h5py: one group per profile time and the mesh", sorted(f.keys()) == ["mesh", "t0000", "t0001"])
    for t, g in enumerate(["t0000", "t0001"]):
        check("h5py: %s time and unit" % g, f[g].attrs["time"] == times[t] and f[g].attrs["time_unit"] in (b"h", "h"))
        for n in names:
            d = f[g][n]
            check("h5py: %s/%s has the grid's shape" % (g, n), d.shape == grid)
            check("h5py: %s/%s unit" % (g, n), d.attrs["unit"] in (units[n], units[n].encode()))
            h5[(t, n)] = d[()]
    check("h5py: the vesicles are finite, non-negative and reach below the surface",
          np.all(np.isfinite(h5[(1, "vesicles")])) and h5[(1, "vesicles")].min() >= 0 and h5[(1, "vesicles")][5].max() > 0)
    check("h5py: mesh shapes", f["mesh/geometry"].shape == ((nx + 1) * (ny + 1) * (nz + 1), 3)
          and f["mesh/topology"].shape == (nx * ny * nz, 8))
with meshio.xdmf.TimeSeriesReader("$tmp/run/tissue_arm0.xdmf") as r:
    points, cells = r.read_points_cells()
    check("meshio: one block of hexahedra, one per voxel", len(cells) == 1 and cells[0].type == "hexahedron"
          and cells[0].data.shape == (nx * ny * nz, 8))
    check("meshio: the nodes", points.shape == ((nx + 1) * (ny + 1) * (nz + 1), 3))
    for a, n in enumerate([nx, ny, nz]):
        u = np.unique(points[:, a])
        check("meshio: axis %d: %d nodes 10 um apart" % (a, n + 1), len(u) == n + 1 and np.allclose(np.diff(u), dx))
    check("meshio: skin surface at z = 0, depth downwards", points[:, 2].max() == 0 and points[:, 2].min() == -nz * dx)
    hexa = points[cells[0].data]
    centre = hexa.mean(axis=1)
    k, j, i = np.unravel_index(np.arange(nx * ny * nz), (nz, ny, nx))
    check("meshio: voxel (i, j, k) is centred at ((i+1/2) dx, (j+1/2) dx, -(k+1/2) dx)",
          np.allclose(centre, np.stack([(i + 0.5) * dx, (j + 0.5) * dx, -(k + 0.5) * dx], axis=1)))
    e1, e2, e3 = hexa[:, 1] - hexa[:, 0], hexa[:, 3] - hexa[:, 0], hexa[:, 4] - hexa[:, 0]
    check("meshio: every hexahedron is a 10 um cube in VTK order (positive volume)",
          np.allclose(np.einsum("ij,ij->i", np.cross(e1, e2), e3), dx ** 3))
    check("meshio: two time steps", r.num_steps == 2)
    for t in range(r.num_steps):
        tt, pd, cd = r.read_data(t)
        check("meshio: step %d at %g h" % (t, times[t]), tt == times[t])
        check("meshio: step %d has the three fields" % t, sorted(cd) == sorted(names))
        for n in names:
            check("meshio: step %d %s is h5py's data, voxel by voxel" % (t, n),
                  np.array_equal(np.asarray(cd[n][0]).reshape(-1), h5[(t, n)].reshape(-1)))
import xml.etree.ElementTree as ET
info = {e.get("Name"): e.get("Value") for e in ET.parse("$tmp/run/tissue_arm0.xdmf").getroot().iter("Information")}
check("xdmf: time unit, length unit and every field's unit", info.get("time_unit") == "h" and info.get("length_unit") == "um"
      and all(info.get("unit:" + n) == units[n] for n in names))
print("\n".join("FAIL: " + f for f in fails))
sys.exit(1 if fails else 0)
PY
$py "$tmp/t.py" >"$tmp/out" 2>&1
check "h5py and meshio read the fields (shape, spacing, times, units)" "[ \$? -eq 0 ]" || cat "$tmp/out"
if command -v pvpython >/dev/null 2>&1; then
  cat >"$tmp/pv.py" <<PY
import sys
from paraview.simple import Xdmf3ReaderS, UpdatePipeline, servermanager
r = Xdmf3ReaderS(FileName=["$tmp/run/tissue_arm0.xdmf"])
UpdatePipeline(time=2.0, proxy=r)
d = servermanager.Fetch(r)
b = d.GetBlock(0) if d.IsA("vtkMultiBlockDataSet") else d
ok = list(r.TimestepValues) == [1.0, 2.0] and b.GetNumberOfCells() == 1800 and b.GetBounds() == (0.0, 30.0, 0.0, 30.0, -2000.0, 0.0)
ok = ok and b.GetCellData().GetArray("vesicles") is not None and b.GetCellData().GetArray("vesicles").GetNumberOfTuples() == 1800
print(r.TimestepValues, b.GetNumberOfCells(), b.GetBounds())
sys.exit(0 if ok else 1)
PY
  pvpython --force-offscreen-rendering "$tmp/pv.py" >"$tmp/pv" 2>&1
  check "ParaView reads the time steps, 1800 voxels, depth downwards" "[ \$? -eq 0 ]" || cat "$tmp/pv"
else
  echo "note: no pvpython: ParaView's reader not checked"
fi
finish
