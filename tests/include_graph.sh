#!/usr/bin/env bash
# include_graph.sh - the modules include each other in one direction only
# (docs/design.md, "Dependency order").  Reads the order and the owner of
# every public header from the block of docs/design.md between the lines
# "<!-- include-order -->" and "<!-- /include-order -->" (one row per
# module, top first: "NAME  exo_x.h exo_y.h ...  description"), then every
# `#include "..."` and `#include <exoskin/...>` of src/ and cli/ (tests and
# test fixtures aside) and of include/exoskin/, and fails when
#   - a folder of src/ or a public header is not in the order,
#   - an include cannot be resolved to a file of the project,
#   - a module includes one that is not below it, or
#   - the folder-level graph has a cycle (tsort).
# Prints the folder-level graph.  No dependency beyond bash, awk, tsort.
# Usage: tests/include_graph.sh [PATH_TO_EXOSKIN] SOURCE_DIR
set -u
src=${2:-${1:-.}}
cd "$src" || exit 2
fail=0
err() { echo "FAIL: $*"; fail=1; }

order=$(awk '/^<!-- \/include-order -->/ {on = 0} on && /^[a-z]/ {print} /^<!-- include-order -->/ {on = 1}' \
            docs/design.md)
[ -n "$order" ] || { echo "FAIL: no include-order block in docs/design.md"; exit 1; }
# rank: the bottom module is 1; owner of each public header
declare -A rank owner
n=$(wc -l <<<"$order")
i=$n
while read -r mod rest; do
    rank[$mod]=$i
    for h in $rest; do
        case $h in exo*.h) owner[$h]=$mod ;; *) break ;; esac
    done
    i=$((i - 1))
done <<<"$order"

for d in src/*/; do
    d=${d%/}; d=${d#src/}
    [ -n "${rank[$d]:-}" ] || err "src/$d is not in the include order of docs/design.md"
done
for h in include/exoskin/*.h; do
    h=${h##*/}
    [ -n "${owner[$h]:-}" ] || err "include/exoskin/$h has no module in the include order of docs/design.md"
done

# module of a project file, into MOD (no subshell: this runs for every include)
module_of() {
    case $1 in
        src/*) MOD=${1#src/}; MOD=${MOD%%/*} ;;
        cli/*) MOD=cli ;;
        include/exoskin/*) MOD=${owner[${1##*/}]:-?} ;;
    esac
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(find src cli include/exoskin -name '*.[ch]' ! -name '*_test.c' ! -name '*test_fixture.h' | sort)
for f in $files; do
    module_of "$f"; m=$MOD
    dir=${f%/*}
    while IFS= read -r line; do
        # "name" or <exoskin/name>
        [[ $line =~ include[[:space:]]*[\"\<]([^\"\>]+) ]] || continue
        t=${BASH_REMATCH[1]}
        case $line in
            *'<exoskin/'*) p=include/$t ;;
            *'<'*) continue ;;
            *) if [ -f "$dir/$t" ]; then p=$dir/$t; elif [ -f "src/$t" ]; then p=src/$t; else p=; fi ;;
        esac
        if [ -z "$p" ] || [ ! -f "$p" ]; then
            err "$f: cannot resolve #include $t"
            continue
        fi
        module_of "$p"; mt=$MOD
        [ "$mt" = "$m" ] && continue
        echo "$m $mt $f -> $p" >>"$edges"
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*("|<exoskin/)' "$f")
done

echo "folder-level include graph (module -> modules it includes):"
cut -d' ' -f1,2 "$edges" | sort -u | awk '{e[$1] = e[$1] " " $2} END {for (m in e) print "  " m " ->" e[m]}' | sort

while read -r m mt f _ p; do
    rm_=${rank[$m]:-0}; rt=${rank[$mt]:-0}
    if [ "$rt" -eq 0 ]; then
        err "$f -> $p: module '$mt' is not in the include order"
    elif [ "$rt" -ge "$rm_" ]; then
        err "$f -> $p: $m may include only modules below it (docs/design.md), not $mt"
    fi
done <"$edges"

if ! cut -d' ' -f1,2 "$edges" | sort -u | tsort >/dev/null 2>"$edges.tsort"; then
    err "the module graph has a cycle: $(tr '\n' ' ' <"$edges.tsort")"
fi
rm -f "$edges.tsort"

[ $fail -eq 0 ] && echo "include graph: one direction, no cycle"
exit $fail
