#!/usr/bin/env bash
# calibrate.sh - end-to-end tests of `exoskin calibrate`: help, bad input
# (exit 2), a one-parameter fit to the transport studies of validation/ that
# passes (exit 0) and names the parameter, and byte-identical output on a rerun.
# Usage: tests/calibrate.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"


out=$("$exo" calibrate --help); rc=$?
check "calibrate --help exits 0" "[ $rc -eq 0 ]"
check "calibrate --help shows usage" "grep -q 'usage: exoskin calibrate' <<<\"\$out\""
check "main help lists calibrate" "\"$exo\" --help | grep -q calibrate"
"$exo" calibrate "$tmp/no-such-folder" >/dev/null 2>&1; check "bad DIR exits 2" "[ $? -eq 2 ]"
"$exo" calibrate >/dev/null 2>&1; check "missing DIR exits 2" "[ $? -eq 2 ]"
"$exo" calibrate validation --param no_such_parameter >/dev/null 2>&1; check "unknown parameter exits 2" "[ $? -eq 2 ]"
"$exo" calibrate validation --max-iter zero >/dev/null 2>&1; check "bad --max-iter exits 2" "[ $? -eq 2 ]"
"$exo" calibrate validation --check 8 >/dev/null 2>&1; check "--check without --posterior exits 2" "[ $? -eq 2 ]"
"$exo" calibrate validation --posterior "$tmp/x.json" --check -1 >/dev/null 2>&1; check "bad --check exits 2" "[ $? -eq 2 ] && [ ! -e $tmp/x.json ]"

# The transport studies of validation/ that the model meets (each evaluation
# runs every study in the folder; these take milliseconds, the biology and
# clinical ones seconds, so the fit below stays quick under the sanitizers too).
# Rows listed in validation/UNMET are left out: they fail whatever the fit.
mkdir "$tmp/transport"
for f in validation/*.yaml; do
  grep -qx "$(basename "$f" .yaml)" validation/UNMET && continue
  if grep -qE '^[[:space:]]*level:[[:space:]]*transport[[:space:]]*$' "$f"; then cp "$f" "$tmp/transport/"; fi
done
check "validation has transport studies" "[ \$(ls $tmp/transport | wc -l) -ge 1 ]"
"$exo" calibrate "$tmp/transport" --param channel_closure_half_life --max-iter 30 >"$tmp/a.out" 2>&1; rc=$?
check "calibrate of the transport studies exits 0" "[ $rc -eq 0 ]"
check "calibrate prints the parameter" "grep -q '^channel_closure_half_life ' $tmp/a.out"
check "calibrate prints every study" "grep -q '^micropore_closure_occluded ' $tmp/a.out && grep -q '^zhang2020_microchannel_gain ' $tmp/a.out"
check "calibrate prints the objective" "grep -q '^objective ' $tmp/a.out"
check "calibrate closing line" "grep -qE '^[0-9]+ passed, 0 failed$' $tmp/a.out"
"$exo" calibrate "$tmp/transport" --param channel_closure_half_life --max-iter 30 >"$tmp/b.out" 2>&1
check "calibrate rerun gives identical output" "cmp -s $tmp/a.out $tmp/b.out"
"$exo" calibrate "$tmp/transport" --param channel_closure_half_life --max-iter 30 --format markdown >"$tmp/m.out" 2>&1
check "calibrate markdown has tables" "grep -q '^| \`channel_closure_half_life\` |' $tmp/m.out"

# The posterior (--posterior) on two studies and three parameters: the file
# is written, loads (exoskin params reads it through $EXOSKIN_DATADIR), and the
# same inputs give the same bytes; --exclude leaves a study out.
mkdir "$tmp/two" "$tmp/d1" "$tmp/d2"
cp validation/micropore_closure_occluded.yaml validation/zhang2020_microchannel_gain.yaml "$tmp/two/"
post=(--param channel_closure_half_life --param channel_fill_rate --param channel_closure_half_life_occluded)
SOURCE_DATE_EPOCH=0 "$exo" calibrate "$tmp/two" "${post[@]}" --seed 4 --posterior "$tmp/d1/posterior.json" >"$tmp/p1.out" 2>"$tmp/p1.err"
check "calibrate --posterior exits 0" "[ $? -eq 0 ]" || cat "$tmp/p1.err"
check "calibrate --posterior prints identifiability" "grep -q '^identified (posterior SD < 0.5 prior SD): [0-9]* of 3 parameters' $tmp/p1.out"
check "calibrate --posterior prints the correlations" "[ \$(grep -c '^  [-+][0-9.]*  [a-z_]* ~ [a-z_]*$' $tmp/p1.out) -eq 3 ]"
check "calibrate --posterior prints the cost" "grep -q '^calibrate: cost [0-9]* evaluations of the 2 studies' $tmp/p1.err"
check "the posterior file has its provenance" "grep -q '\"date\":.*\"1970-01-01\"' $tmp/d1/posterior.json && grep -q '\"n_studies\":.*2,' $tmp/d1/posterior.json"
SOURCE_DATE_EPOCH=0 "$exo" calibrate "$tmp/two" "${post[@]}" --seed 4 --posterior "$tmp/d2/posterior.json" >"$tmp/p2.out" 2>/dev/null
check "same seed, same posterior bytes" "cmp -s $tmp/d1/posterior.json $tmp/d2/posterior.json"
check "same seed, same printout" "cmp -s $tmp/p1.out $tmp/p2.out"
EXOSKIN_DATADIR=$tmp/d1 "$exo" params --format csv >"$tmp/params.csv"
check "exoskin params shows that posterior and its prior" "grep -q '^channel_fill_rate,.*,[0-9.e+-]*,[0-9.e+-]*,[0-9.e+-]*,\(yes\|no\),[0-9.e+-]*,[0-9.e+-]*,[0-9.e+-]*$' $tmp/params.csv"
echo "zhang2020_microchannel_gain  # a comment" >"$tmp/skip"
"$exo" calibrate "$tmp/two" --param channel_closure_half_life_occluded --exclude "$tmp/skip" --posterior "$tmp/d2/one.json" >"$tmp/p3.out" 2>/dev/null
check "--exclude leaves the listed study out" "! grep -q '^zhang2020' $tmp/p3.out && grep -q 'less the 1 studies listed in' $tmp/d2/one.json"
printf '{"format": "exoskin-posterior", "version": 1, "parameters": [' >"$tmp/d2/posterior.json"
EXOSKIN_DATADIR=$tmp/d2 "$exo" params >/dev/null 2>"$tmp/bad.err"
check "a malformed posterior is a clear error, exit 2" "[ $? -eq 2 ] && grep -q 'posterior.json' $tmp/bad.err"

# exoskin run --draws N with that posterior: band columns for every readout,
# p05 <= p50 <= p95, the same bytes again and on one thread, and --draws 0
# the plain run alone: no band columns, the same numbers as the columns before them.
EXOSKIN_DATADIR=$tmp/d1 "$exo" run examples/default.yaml -o "$tmp/r1" --draws 3 -q
check "run --draws exits 0" "[ $? -eq 0 ]"
check "timeseries.csv has the band columns" "head -1 $tmp/r1/timeseries.csv | grep -q ',tewl p05 \[g/m^2/h\],tewl p50 \[g/m^2/h\],tewl p95 \[g/m^2/h\]'"
check "summary.json has the bands" "grep -q '\"posterior_draws\":.*3' $tmp/r1/summary.json && grep -q '\"percent_change_p95\":' $tmp/r1/summary.json"
/usr/bin/python3 - "$tmp/r1/timeseries.csv" <<'PY' >"$tmp/order.out"
import csv, sys
bad = 0
for row in csv.DictReader(open(sys.argv[1])):
    for k in row:
        if " p05 [" in k:
            lo, mid, hi = (float(row[k.replace(" p05 [", s)]) for s in (" p05 [", " p50 [", " p95 ["))
            bad += not (lo <= mid <= hi)
print(bad)
PY
check "p05 <= p50 <= p95 in every row" "[ \"\$(cat $tmp/order.out)\" = 0 ]"
EXOSKIN_DATADIR=$tmp/d1 OMP_NUM_THREADS=1 "$exo" run examples/default.yaml -o "$tmp/r2" --draws 3 -q
check "run --draws: same bytes again, on one thread" "cmp -s $tmp/r1/timeseries.csv $tmp/r2/timeseries.csv && cmp -s $tmp/r1/summary.json $tmp/r2/summary.json"
EXOSKIN_DATADIR=$tmp/d1 "$exo" run examples/default.yaml -o "$tmp/r0" --draws 0 -q
n0=$(head -1 "$tmp/r0/timeseries.csv" | tr ',' '\n' | wc -l)
check "run --draws 0: no bands, the numbers of --draws 3 without them" "! grep -q ' p05 \[' $tmp/r0/timeseries.csv &&
  ! grep -q posterior_draws $tmp/r0/summary.json && cut -d, -f1-$n0 $tmp/r1/timeseries.csv | cmp -s - $tmp/r0/timeseries.csv"
"$exo" run examples/default.yaml -o "$tmp/r3" --draws -1 >/dev/null 2>&1; check "run --draws -1 exits 2" "[ $? -eq 2 ]"
# ... and its report: the time course says what is shaded, the summary speaks
# in ranges, the readouts table has the interval, the same bytes again.
check "report: the bands' note under the time course" "grep -q 'shaded: 90 % interval over 3 posterior draws and the default run' $tmp/r1/report.html"
check "report: the summary speaks in ranges" "sed -n '/<section id=\"summary\"/,/<\/section>/p' $tmp/r1/report.html | grep -q 'most likely'"
check "report: the readouts table has the interval" "grep -q 'over the posterior</th>' $tmp/r1/report.html"
check "report with bands: same bytes again, on one thread" "cmp -s $tmp/r1/report.html $tmp/r2/report.html"

# exoskin validate --draws N: each row's 90 % interval, whether the published
# value lies inside, the coverage (its count equals the rows marked inside),
# the same bytes again; --draws 0 is the posterior median's prediction with the
# study noise (docs/validation.md).
EXOSKIN_DATADIR=$tmp/d1 "$exo" validate "$tmp/two" --draws 2 -o "$tmp/v1" >"$tmp/v1.out" 2>&1
check "validate --draws exits 0" "[ $? -eq 0 ]" || cat "$tmp/v1.out"
check "validate prints each row's interval" "[ \$(grep -cE '^(micropore|zhang2020)[a-z_0-9]* .* pass +\[[-0-9.e+]+, [-0-9.e+]+\] +(yes|no) ' $tmp/v1.out) -eq 2 ]"
/usr/bin/python3 - "$tmp/v1" "$tmp/v1.out" <<'PY' >"$tmp/cov.out"
import csv, json, re, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1] + "/validation.csv") if not l.startswith("#")))
j = json.load(open(sys.argv[1] + "/validation.json"))
inside = sum(r["reported inside interval"] == "yes" for r in rows)
ordered = all(float(r["interval p05 [unit]"]) <= float(r["interval p50 [unit]"]) <= float(r["interval p95 [unit]"])
              for r in rows)
runs = all(r["interval runs [1]"] == "3" for r in rows)
m = re.search(r"^coverage: .* in (\d+) of (\d+) rows", open(sys.argv[2]).read(), re.M)
print(ordered and runs and m is not None and int(m.group(1)) == inside == j["reported_inside_interval"]
      and int(m.group(2)) == len(rows) == j["rows_with_interval"])
PY
check "validate: ordered intervals; printed, CSV and JSON coverage agree" "[ \"\$(cat $tmp/cov.out)\" = True ]"
EXOSKIN_DATADIR=$tmp/d1 "$exo" validate "$tmp/two" --draws 2 -o "$tmp/v2" >/dev/null 2>&1
check "validate --draws: same bytes again" "cmp -s $tmp/v1/validation.csv $tmp/v2/validation.csv"
# the studies run on threads, each row stored by index: the same bytes on 1 thread
OMP_NUM_THREADS=1 EXOSKIN_DATADIR=$tmp/d1 "$exo" validate "$tmp/two" --draws 2 -o "$tmp/v1t" >/dev/null 2>&1
check "validate --draws: same bytes on 1 and 2 threads" "cmp -s $tmp/v1/validation.csv $tmp/v1t/validation.csv && cmp -s $tmp/v1/validation.json $tmp/v1t/validation.json"
EXOSKIN_DATADIR=$tmp/d1 "$exo" validate "$tmp/two" --draws 0 -o "$tmp/v0" >/dev/null 2>&1
# with --draws 0 the interval is the median's prediction +- 1.645 s half-widths: symmetric
check "validate --draws 0: the interval is symmetric about the median's prediction" "awk -F, 'NR > 2 { a = \$(NF-3); m = \$(NF-2); b = \$(NF-1); d = (m - a) - (b - m); if (!(a < m && m < b) || d * d > 1e-8 * (b - a) * (b - a)) bad = 1 } END { exit bad }' $tmp/v0/validation.csv"
"$exo" validate "$tmp/two" --draws -1 >/dev/null 2>&1; check "validate --draws -1 exits 2" "[ $? -eq 2 ]"

finish
