#!/usr/bin/env bash
# report.sh - end-to-end test of report.html: every command that writes a
# result folder (run, run --sweep, trial, audit, optimize, sensitivity) writes
# report.html and its PNG figures; headless Chromium renders each page (the
# DOM has every section and every figure; screenshots are non-empty PNGs);
# the page is self-contained (no script, no network), opens with the plain-
# language summary and is the same bytes on a rerun.  --lang fr gives a French
# page (French section titles, no English ones, the same numbers with a '.'
# decimal point).
# Chromium is required (scripts/install-deps.sh installs it): without it this
# test fails rather than skip, so CI cannot pass without rendering.
# Usage: tests/report.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"
is_png() { head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }

chromium=/usr/bin/chromium
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync)
[ -x "$chromium" ] || bad "$chromium not found: install it (scripts/install-deps.sh, Debian package chromium)"

# page NAME DIR "SECTIONS" "FIGURES" [shot]: checks DIR/report.html and renders it.
page() {
  local name=$1 dir=$2 sections=$3 figures=$4 shot=${5:-}
  local html=$dir/report.html
  check "$name: report.html written" "[ -s $html ]"
  for f in $figures; do
    check "$name: figures/$f.png is a PNG" "is_png $dir/figures/$f.png"
  done
  check "$name: no script" "! grep -qi '<script' $html"
  check "$name: no network reference" "! grep -Eq '(src|href)=\"(https?:)?//' $html"
  check "$name: the summary is the first section" \
    "grep -o '<section id=\"[a-z-]*\"' $html | head -1 | grep -q '\"summary\"'"
  [ -x "$chromium" ] || return
  local url="file://$html"
  timeout 600 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --dump-dom "$url" \
    >"$tmp/$name.dom" 2>"$tmp/$name.log"
  check "$name: chromium --dump-dom exits 0" "[ $? -eq 0 ]"
  for s in $sections; do
    check "$name: DOM has section $s" "grep -q '<section id=\"$s\"' $tmp/$name.dom"
  done
  for f in $figures; do
    check "$name: DOM has figure $f with its svg" "grep -A2 '<figure id=\"fig-$f\"' $tmp/$name.dom | grep -q '<svg'"
    check "$name: DOM links figures/$f.png" "grep -q 'href=\"figures/$f.png\"' $tmp/$name.dom"
  done
  check "$name: DOM has one svg per figure" "[ \$(grep -o '<svg' $tmp/$name.dom | wc -l) -eq $(wc -w <<<"$figures") ]"
  if [ -n "$shot" ]; then
    timeout 600 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --screenshot="$tmp/$name.png" \
      --window-size=1200,3000 "$url" >"$tmp/$name-shot.log" 2>&1
    check "$name: chromium --screenshot exits 0" "[ $? -eq 0 ]"
    check "$name: screenshot is a non-empty PNG" "[ -s $tmp/$name.png ] && is_png $tmp/$name.png"
    if [ -n "${EXO_KEEP_SHOT:-}" ]; then cp "$tmp/$name.png" "$EXO_KEEP_SHOT-$name.png"; fi
  fi
}

# run (English, then French)
"$exo" run examples/default.yaml --draws 0 -o "$tmp/run" --quiet; rc=$?
check "run exits 0" "[ $rc -eq 0 ]"
page run "$tmp/run" "summary readouts figures delivery depth cross-section before-after adverse-events inputs-and-provenance" \
  "timecourse delivery depth cross-section before-after" shot
check "run: the effective input in the units people write" \
  "grep -q 'amount: 1 mg/cm^2' $tmp/run/report.html && grep -q 'concentration: 1e10 particles/mL' $tmp/run/report.html && ! grep -q 'amount: 10 um' $tmp/run/report.html"
check "run: before-after names the arm that changes most" \
  "grep -q 'Arm <strong>serum after microneedling</strong> changes most in dermal collagen' $tmp/run/report.html"
"$exo" run examples/default.yaml --draws 0 -o "$tmp/run2" --quiet
check "run: report.html the same bytes on a rerun" "cmp -s $tmp/run/report.html $tmp/run2/report.html"

"$exo" run examples/default.yaml --draws 0 -o "$tmp/fr" --quiet --lang fr; rc=$?
check "run --lang fr exits 0" "[ $rc -eq 0 ]"
page run-fr "$tmp/fr" "summary readouts figures delivery depth cross-section before-after adverse-events inputs-and-provenance" \
  "timecourse delivery depth cross-section before-after" shot
fr=$tmp/fr/report.html
check "fr: html lang=fr" "grep -q '<html lang=\"fr\">' $fr"
for t in 'Résumé en termes simples' 'Événements indésirables' "Données d&#39;entrée et provenance" \
         'Profils en profondeur' 'Précautions.'; do
  check "fr: has the French title '$t'" "grep -qF \"$t\" $fr"
  check "en: has no French title '$t'" "! grep -qF \"$t\" $tmp/run/report.html"
done
for t in 'Summary in plain words' 'Adverse events' 'Inputs and provenance' 'Depth profiles' 'Precautions.'; do
  check "en: has the English title '$t'" "grep -qF '$t' $tmp/run/report.html"
  check "fr: has no English title '$t'" "! grep -qF '$t' $fr"
done
# the numbers of the tables are the same, with '.' for the decimal point
nums() { grep -o '<td>[-+0-9.e]*</td>' "$1"; }
check "fr: the same table numbers as en" "[ -n \"\$(nums $fr)\" ] && diff <(nums $fr) <(nums $tmp/run/report.html) >/dev/null"
check "fr: no decimal comma in the summary" \
  "! sed -n '/<section id=\"summary\"/,/<\\/section>/p' $fr | grep -q '[0-9],[0-9]'"
"$exo" run examples/default.yaml --draws 0 -o "$tmp/fr2" --quiet --lang fr
check "fr: the same bytes on a rerun" "cmp -s $fr $tmp/fr2/report.html"
LANGUAGE=de LC_ALL=fr_FR.UTF-8 "$exo" run examples/default.yaml --draws 0 -o "$tmp/en-env" --quiet
check "en: the caller's locale and LANGUAGE change nothing" "cmp -s $tmp/run/report.html $tmp/en-env/report.html"
LANGUAGE=de:en "$exo" run examples/default.yaml --draws 0 -o "$tmp/fr-env" --quiet --lang fr
check "fr: LANGUAGE in the environment changes nothing" "cmp -s $fr $tmp/fr-env/report.html"
"$exo" run examples/default.yaml --draws 0 -o "$tmp/xx" --quiet --lang xx 2>"$tmp/err"; rc=$?
check "--lang xx exits 2" "[ $rc -eq 2 ] && [ ! -e $tmp/xx ]"
check "--lang xx says what it expects" "grep -q 'expected en or fr' $tmp/err"
EXOSKIN_LOCALEDIR=$tmp/nowhere "$exo" run examples/default.yaml --draws 0 -o "$tmp/nocat" --quiet --lang fr 2>"$tmp/err"; rc=$?
check "fr without a catalog fails, nothing written" "[ $rc -ne 0 ] && [ ! -e $tmp/nocat ] && grep -q 'translation' $tmp/err"
for c in run trial audit optimize sensitivity; do
  check "$c --help documents --lang" "\"$exo\" $c --help | grep -q -- '--lang'"
  check "$c --help names report.html" "\"$exo\" $c --help | grep -q 'report.html'"
done

# run --sweep
"$exo" run examples/injection-dose-sweep.yaml -o "$tmp/sweep" --quiet \
  --sweep 'products.0.concentration=1e9 particles/mL;1e10 particles/mL;1e11 particles/mL'; rc=$?
check "sweep exits 0" "[ $rc -eq 0 ]"
page sweep "$tmp/sweep" "summary dose-response typical-patient inputs-and-provenance" "dose-response benefit-harm"
check "sweep: the best value marked on the benefit-harm figure" "grep -q 'fig-benefit-harm' $tmp/sweep/report.html"
check "sweep: the summary names the swept key" \
  "sed -n '/<section id=\"summary\"/,/<\\/section>/p' $tmp/sweep/report.html | grep -q 'products.0.concentration'"

# trial (3 patients per arm), with threads 1 and 2: the same bytes
OMP_NUM_THREADS=2 "$exo" trial examples/default-trial.yaml -o "$tmp/trial" --quiet --set trial.patients=3; rc=$?
check "trial exits 0" "[ $rc -eq 0 ]"
page trial "$tmp/trial" \
  "summary endpoint distribution comparison responders adverse-events typical-patient inputs-and-provenance" \
  "endpoint distribution trajectories power responders" shot
check "trial: responder rates with their 95 % intervals" \
  "sed -n '/<section id=\"responders\"/,/<\\/section>/p' $tmp/trial/report.html | grep -Eq '<td>[0-9]+ to [0-9]+</td>'"
check "trial: the quartiles of the endpoint per arm" "grep -q 'lower quartile' $tmp/trial/report.html"
OMP_NUM_THREADS=1 "$exo" trial examples/default-trial.yaml -o "$tmp/trial1" --quiet --set trial.patients=3 --lang fr
check "trial --lang fr: French" "grep -qF 'Comparaison des bras' $tmp/trial1/report.html"
OMP_NUM_THREADS=1 "$exo" trial examples/default-trial.yaml -o "$tmp/trial2" --quiet --set trial.patients=3
check "trial: report.html the same bytes with 1 and 2 threads" "cmp -s $tmp/trial/report.html $tmp/trial2/report.html"
check "trial: sample size in the summary and the comparison" \
  "n=\$(grep -o 'need about [0-9]* patients' $tmp/trial/report.html | grep -o '[0-9]*'); [ -n \"\$n\" ] &&
   grep -q \"80 % power (two-sided alpha 0.05)</td><td>\$n<\" $tmp/trial/report.html"

# audit
"$exo" audit examples/audit-serum.yaml -o "$tmp/audit" --quiet >/dev/null; rc=$?
check "audit exits 0" "[ $rc -eq 0 ]"
page audit "$tmp/audit" "summary verdict routes typical-patient inputs-and-provenance" "dose"
check "audit: the verdict in the summary" "grep -q 'Verdict: <strong>implausible at this dose' $tmp/audit/report.html"
check "audit: consultation before needling or injection" "grep -q 'consultation' $tmp/audit/report.html"

# optimize (a tiny problem)
cp "$src/tests/data/optimize-tiny.yaml" "$tmp/tiny.yaml"
"$exo" optimize "$tmp/tiny.yaml" -o "$tmp/opt" --quiet; rc=$?
check "optimize exits 0" "[ $rc -eq 0 ]"
page optimize "$tmp/opt" "summary protocols uncertainty typical-patient inputs-and-provenance" "protocols"

# sensitivity (Morris, 2 trajectories, 2 parameters)
"$exo" sensitivity "$tmp/tiny.yaml" --trajectories 2 --param granuloma_hazard --param fibroblast_proliferation \
  -o "$tmp/sens" >/dev/null; rc=$?
check "sensitivity exits 0" "[ $rc -eq 0 ]"
page sensitivity "$tmp/sens" "summary ranking typical-patient inputs-and-provenance" "ranking"

# validate -o: every study beside its published value, the documented failures marked known
"$exo" validate validation -o "$tmp/val" --draws 1 >"$tmp/val.out" 2>&1; rc=$? # intervals of one draw: cheap
unmet=$(grep -v '^#' validation/UNMET | grep -v '^$')
check "validate -o exits 1 exactly when a row fails" "[ $rc -eq \$([ -n \"\$unmet\" ] && echo 1 || echo 0) ]"
page validate "$tmp/val" "summary rows table inputs-and-provenance" "validation" shot
check "validate: validation.csv has one row per study file" \
  "[ \$(grep -vc '^#' $tmp/val/validation.csv) -eq \$((\$(ls validation/*.yaml | wc -l) + 1)) ]"
check "validate: validation.json counts the known failures" "grep -q '\"known_failures\":' $tmp/val/validation.json"
for id in $unmet; do
  check "validate: $id is a known failure in the CSV" "grep -q '^$id,.*,known failure,' $tmp/val/validation.csv"
  check "validate: $id printed as a known failure" "grep -A3 '^$id ' $tmp/val.out | grep -q 'known failure (UNMET): ..'"
done
check "validate: prints how many failures are known" "grep -qE '^[0-9]+ of the [0-9]+ failures are known' $tmp/val.out"
check "validate: the report says how many are new" "grep -q 'are new' $tmp/val/report.html"
check "validate: the report gives the coverage of the 90 % predictive intervals" \
  "grep -q 'The published value lies inside it in [0-9]* of the [0-9]* studies' $tmp/val/report.html"
check "validate: every published value beside its prediction" \
  "[ \$(grep -c '<td class=\"\\(pass\\|known\\|fail\\)\">' $tmp/val/report.html) -eq \$(ls validation/*.yaml | wc -l) ]"

# a study file's run report has its row
"$exo" run validation/zhang2020_microchannel_gain.yaml --draws 0 -o "$tmp/study" --quiet; rc=$?
check "study file run exits 0" "[ $rc -eq 0 ]"
page study "$tmp/study" "summary published readouts inputs-and-provenance" "timecourse delivery depth cross-section before-after"
check "study: the published value and the prediction, pass" \
  "sed -n '/<section id=\"published\"/,/<\\/section>/p' $tmp/study/report.html | grep -q '<td>5.87</td>.*<td class=\"pass\">'"
check "a scenario without a study block has no published section" "! grep -q 'id=\"published\"' $tmp/run/report.html"

# tissue mode (a small block: follicles, laser zones, needle channels): the section `tissue`, its sections
# through a follicle and a channel side by side, the outlines' legend
"$exo" run tests/data/tissue-mpi.yaml -o "$tmp/tissue" --quiet; rc=$?
check "tissue run exits 0" "[ $rc -eq 0 ]"
tfig=""
for a in 0 1; do
  for f in vesicles-xz inflammation-xz collagen-xz vesicles-en-face collagen-en-face; do tfig="$tfig tissue-arm$a-$f"; done
done
page tissue "$tmp/tissue" "summary readouts figures before-after tissue adverse-events inputs-and-provenance" \
  "timecourse delivery depth cross-section before-after$tfig"
check "tissue: the summary says days, not a fraction of a week" "grep -q 'after 2 days' $tmp/tissue/report.html && ! grep -Eq 'after 0\.[0-9]+ weeks' $tmp/tissue/report.html"

finish
