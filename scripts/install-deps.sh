#!/usr/bin/env bash
# install-deps.sh - installs the Debian packages exoskin needs that are
# missing. As root it runs apt-get; otherwise it prints the exact command.
# Usage: scripts/install-deps.sh [--tests] [extra packages...]
#   --tests  also what only the test suite needs (Chromium, Python readers)
set -euo pipefail

packages=(
  gcc make cmake ninja-build pkg-config git
  libyaml-dev        # input files (YAML)
  libudunits2-dev    # units of every dimensional input value
  libgsl-dev         # quadrature, statistics, optimisation
  libcjson-dev       # summary.json
  libcmocka-dev      # unit tests under CTest
  libsundials-dev    # CVODE for the stiff cell and matrix reactions
  libcairo2-dev      # figures of report.html (SVG inline, PNG copies)
  fonts-dejavu-core  # "DejaVu Sans", the font of those figures
  libhdf5-dev        # tissue-mode voxel fields (HDF5, read by ParaView through XDMF)
  libmicrohttpd-dev  # exoskin serve: the web page and its API (cli/serve/)
  libopenmpi-dev     # optional: mpirun -np N exoskin trial splits patients across ranks (cli/mpi.c)
  openmpi-bin        # mpirun, for that and tests/mpi.sh
  gettext            # msgfmt: the message catalogs of report.html (po/*.po, --lang)
  locales            # the fr_FR.UTF-8 locale that selects the French catalog
  python3-cffi       # the Python package (python/exoskin): libexoskin through cffi
  python3-pandas     # ... its result tables as DataFrames
)
test_packages=(
  chromium           # renders report.html headless in tests/report.sh
  curl               # tests/serve.sh: requests to exoskin serve
  python3-h5py       # tests/xdmf.sh: the tissue fields read back as other tools read them
  python3-meshio     # ... and their XDMF time series (meshio.xdmf.TimeSeriesReader)
  python3-jsonschema # tests/schema.sh: every example validates against `exoskin schema`
  python3-yaml       # ... read as YAML
)
if [ "${1:-}" = "--tests" ]; then
  shift
  packages+=("${test_packages[@]}")
fi
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# French reports select their catalog through the fr_FR.UTF-8 locale (only for
# LC_MESSAGES, per thread): generate it when it is missing.
need_locale() { ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; }
make_locale() {
  if need_locale; then
    if [ "$(id -u)" -ne 0 ]; then
      # not fatal: French reports need it (and tests/i18n.sh), English ones do not
      echo "exoskin: note: no fr_FR.UTF-8 locale, so --lang fr falls back to English;" \
           "add it with: sudo localedef -i fr_FR -f UTF-8 fr_FR.UTF-8" >&2
      return 0
    fi
    echo "exoskin: generating the fr_FR.UTF-8 locale" >&2
    localedef -i fr_FR -f UTF-8 fr_FR.UTF-8
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  make_locale
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "exoskin: missing Debian packages: ${missing[*]}" >&2
  echo "exoskin: install them with:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "exoskin: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd
make_locale
