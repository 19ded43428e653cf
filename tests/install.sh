#!/usr/bin/env bash
# install.sh - `cmake --install` into a temporary prefix gives what a packager
# and a programmer expect: the CLI, a shared library with a versioned soname
# exporting only the public exo_* symbols, the static library, the public
# headers, exoskin.pc (pkg-config) and a CMake package, the French catalog.
# examples/api/run_default.c builds against the installed library with
# `pkg-config --cflags --libs exoskin` and with find_package(exoskin), runs
# the default example and writes the same timeseries.csv as `exoskin run`.
# Usage: tests/install.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
build=$(cd "$(dirname "$exo")" && pwd)
p=$tmp/prefix
cmake --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1
check "cmake --install exits 0" "[ $? -eq 0 ]"
libdir=$(dirname "$(find "$p" -name exoskin.pc | head -1)")/..
for f in bin/exoskin include/exoskin/exoskin.h include/exoskin/exo_run.h share/locale/fr/LC_MESSAGES/exoskin.mo \
         share/exoskin/posterior.json; do
  check "installed $f" "[ -s $p/$f ]"
done
check "installed the static library" "[ -s $libdir/libexoskin.a ]"
so=$(ls "$libdir"/libexoskin.so.*.*.* 2>/dev/null | head -1)
check "installed a versioned shared library" "[ -n '$so' ] && [ -L $libdir/libexoskin.so ]"
check "its soname is versioned" "objdump -p $so | grep -q 'SONAME *libexoskin.so.0'"
nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ {print $3}' >"$tmp/syms"
check "it exports the public API (exo_run, exo_version)" "grep -qx exo_run $tmp/syms && grep -qx exo_version $tmp/syms"
check "it exports nothing internal (exo__*) nor outside exo_*" "! grep -qv '^exo_[a-z]' $tmp/syms"
missing=$(grep -ho '^#include "[^"]*"' "$p"/include/exoskin/*.h | cut -d'"' -f2 | sort -u |
          while read -r h; do [ -e "$p/include/exoskin/$h" ] || echo "$h"; done)
check "every header an installed header includes is installed${missing:+ (missing: $missing)}" "[ -z '$missing' ]"

# a sanitizer build's library needs the same runtime in the example
san=()
if nm "$exo" 2>/dev/null | grep -q __asan_init; then san=(-fsanitize=address,undefined); fi
export PKG_CONFIG_PATH=$libdir/pkgconfig
flags=$(pkg-config --cflags --libs exoskin)
check "pkg-config knows exoskin $(pkg-config --modversion exoskin 2>/dev/null)" "[ -n '$flags' ]"
cc -std=c17 -Wall -Wextra -Werror "${san[@]}" examples/api/run_default.c $flags -o "$tmp/run_default" 2>"$tmp/cc.log"
check "the API example builds with pkg-config's flags alone" "[ $? -eq 0 ]" || cat "$tmp/cc.log"
export LD_LIBRARY_PATH=$libdir
"$tmp/run_default" examples/default.yaml "$tmp/api" >"$tmp/api.out" 2>&1
check "the API example runs the default scenario" "[ $? -eq 0 ] && grep -q '^serum after microneedling' $tmp/api.out"
"$exo" run examples/default.yaml --draws 0 -o "$tmp/cli" --quiet
check "and writes the CLI's timeseries.csv, byte for byte" "cmp -s $tmp/api/timeseries.csv $tmp/cli/timeseries.csv"
"$tmp/run_default" /nonexistent.yaml "$tmp/none" >/dev/null 2>"$tmp/err"
check "bad input: exit 2 with the library's message" "[ $? -eq 2 ] && grep -q nonexistent $tmp/err"

# find_package(exoskin) in a CMake project
mkdir -p "$tmp/cmk"
cat >"$tmp/cmk/CMakeLists.txt" <<CMK
cmake_minimum_required(VERSION 3.20)
project(uses_exoskin C)
find_package(exoskin 0.1 REQUIRED)
add_executable(run_default $src/examples/api/run_default.c)
target_link_libraries(run_default PRIVATE exoskin::exoskin)
target_compile_options(run_default PRIVATE ${san[@]})
target_link_options(run_default PRIVATE ${san[@]})
CMK
cmake -S "$tmp/cmk" -B "$tmp/cmk/b" -G Ninja -DCMAKE_PREFIX_PATH="$p" >"$tmp/cmk.log" 2>&1 &&
  cmake --build "$tmp/cmk/b" >>"$tmp/cmk.log" 2>&1
check "find_package(exoskin) gives exoskin::exoskin, which builds the example" "[ $? -eq 0 ]" || tail -20 "$tmp/cmk.log"
"$tmp/cmk/b/run_default" examples/default.yaml "$tmp/api2" >/dev/null 2>&1
check "and it runs" "[ $? -eq 0 ] && cmp -s $tmp/api2/timeseries.csv $tmp/cli/timeseries.csv"

# the installed Python package finds the installed library by itself
pydir=$(ls -d "$p"/lib/python3*/dist-packages 2>/dev/null | head -1)
if [ ${#san[@]} -eq 0 ]; then
  out=$(cd "$tmp" && env -u EXOSKIN_LIB PYTHONPATH="$pydir" LD_LIBRARY_PATH= /usr/bin/python3 -c \
        'import exoskin; print(exoskin.version())' 2>&1)
  check "the installed Python package loads the installed library (${out})" "[ '$out' = '0.1.0' ]"
fi

# a man page per command, made from the CLI's tables
for c in run check params verify validate calibrate trial sweep audit sensitivity optimize serve schema version; do
  check "man page exoskin-$c(1)" "grep -q '^.TH EXOSKIN.-$c 1' $p/share/man/man1/exoskin-$c.1 2>/dev/null"
done
check "man page exoskin(1) lists every command" "[ \$(grep -c '^See exoskin' $p/share/man/man1/exoskin.1) -eq 14 ]"

# the installed catalog gives French reports
EXOSKIN_LOCALEDIR=$p/share/locale "$p/bin/exoskin" run examples/default.yaml --draws 0 -o "$tmp/fr" --quiet --lang fr
check "the installed CLI writes a French report from the installed catalog" \
  "[ $? -eq 0 ] && grep -q '<html lang=\"fr\">' $tmp/fr/report.html"
finish
