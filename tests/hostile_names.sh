#!/usr/bin/env bash
# hostile_names.sh - stored cross-site scripting (issue 14, item 2): every
# report kind (run, run --sweep, sweep, trial, audit, optimize, sensitivity,
# tissue) is rendered from an input whose scenario, product and arm names are
# markup (<script>, an attribute break-out with an <img onerror>, a bare
# apostrophe); no name may reach report.html unescaped, and every page
# carries a Content-Security-Policy that forbids scripts.
# Usage: tests/hostile_names.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

# hostile FILE OUT: FILE with its scenario, product and arm names replaced by markup.
hostile() {
  sed -e "s/^name: .*/name: 'N<script>alert(1)<\/script>'/" \
      -e "s/adipose-msc-serum/'P\"><img src=x onerror=alert(2)>'/g" \
      -e "s/asc-injectable/'P\"><img src=x onerror=alert(2)>'/g" \
      -e "s/label serum/'P\"><img src=x onerror=alert(2)>'/g" \
      -e "s/\(name\|product\): p\b/\1: 'P\"><img src=x onerror=alert(2)>'/g" \
      -e "s/name: serum twice daily/name: 'A<script>alert(3)<\/script>'/" \
      -e "s/name: serum after microneedling/name: 'B''q<b>'/" \
      -e "s/name: injection$/name: 'B''q<b>'/" \
      -e "s/name: label use/name: 'B''q<b>'/" -e "s/^    arm: injection/    arm: 'B''q<b>'/" -e "s/best: {arm: injection,/best: {arm: 'B''q<b>',/" "$1" >"$2"
}
# clean NAME DIR: DIR/report.html has no hostile name unescaped and a CSP.
clean() {
  local html=$2/report.html
  check "$1: report.html written" "[ -s $html ]"
  check "$1: no <script> from a name" "! grep -q 'alert(1)</script>\|alert(3)</script>' $html"
  check "$1: no <img> from a name" "! grep -q '<img src=x' $html"
  check "$1: no attribute break-out" "! grep -q '\"><img' $html"
  check "$1: no bare apostrophe or <b> from a name" "! grep -q \"B'q\\|q<b>\" $html"
  check "$1: the names are there, escaped" "grep -q 'alert(1)&lt;/script&gt;' $html"
  check "$1: a Content-Security-Policy forbids scripts" \
    "grep -q '<meta http-equiv=\"Content-Security-Policy\" content=\"default-src .none.; ' $html &&
     ! grep -o '<meta http-equiv=\"Content-Security-Policy\"[^>]*>' $html | grep -q 'script-src'"
}

hostile examples/default.yaml "$tmp/run.yaml"
"$exo" run "$tmp/run.yaml" --draws 0 -o "$tmp/run" --quiet --set simulation.duration='2 weeks' --set 'simulation.profile_times=[1 day]'
check "run exits 0" "[ $? -eq 0 ]"
clean run "$tmp/run"

hostile examples/injection-dose-sweep.yaml "$tmp/inj.yaml"
"$exo" run "$tmp/inj.yaml" -o "$tmp/rsweep" --quiet --set simulation.duration='2 weeks' \
  --sweep 'products.0.concentration=1e9 particles/mL;1e10 particles/mL'
check "run --sweep exits 0" "[ $? -eq 0 ]"
clean "run --sweep" "$tmp/rsweep"

hostile examples/sweep-dose-interval.yaml "$tmp/sweep.yaml"
"$exo" sweep "$tmp/sweep.yaml" -o "$tmp/sweep" --quiet --set trial.patients=2 --set simulation.duration='4 weeks' \
  --set 'trial.visits=[2 weeks, 4 weeks]' --set 'sweep.variables.1.values=[2 weeks]' --set 'sweep.variables.2.values=[2]' \
  --set sweep.variables.0.steps=2
check "sweep exits 0" "[ $? -eq 0 ]"
clean sweep "$tmp/sweep"

hostile examples/default-trial.yaml "$tmp/trial.yaml"
"$exo" trial "$tmp/trial.yaml" -o "$tmp/trial" --quiet --set trial.patients=2 --set simulation.duration='2 weeks' \
  --set 'trial.visits=[1 week, 2 weeks]' --set 'simulation.profile_times=[1 day]'
check "trial exits 0" "[ $? -eq 0 ]"
clean trial "$tmp/trial"

hostile examples/audit-serum.yaml "$tmp/audit.yaml"
"$exo" audit "$tmp/audit.yaml" -o "$tmp/audit" --quiet >/dev/null
check "audit exits 0" "[ $? -eq 0 ]"
clean audit "$tmp/audit"

hostile tests/data/optimize-tiny.yaml "$tmp/opt.yaml"
sed -i "1i name: 'N<script>alert(1)</script>'" "$tmp/opt.yaml"
"$exo" optimize "$tmp/opt.yaml" -o "$tmp/opt" --quiet
check "optimize exits 0" "[ $? -eq 0 ]"
clean optimize "$tmp/opt"
"$exo" sensitivity "$tmp/opt.yaml" --trajectories 2 --param granuloma_hazard -o "$tmp/sens" >/dev/null
check "sensitivity exits 0" "[ $? -eq 0 ]"
clean sensitivity "$tmp/sens"

hostile examples/tissue-microneedling.yaml "$tmp/tissue.yaml"
"$exo" run "$tmp/tissue.yaml" -o "$tmp/tissue" --quiet --set simulation.duration='6 h' --set 'simulation.profile_times=[1 h]'
check "tissue run exits 0" "[ $? -eq 0 ]"
clean tissue "$tmp/tissue"

finish
