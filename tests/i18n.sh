#!/usr/bin/env bash
# i18n.sh - the message catalogs of report.html: po/exoskin.pot holds every
# string marked in src/report and src/protocol and the readout labels of
# include/exoskin/exo_readouts.h (xgettext regenerates the same msgids), po/fr.po
# translates each of them (none missing, untranslated or fuzzy) and compiles
# with msgfmt --check (format directives match), and the build compiled it.
# Usage: tests/i18n.sh PATH_TO_EXOSKIN SOURCE_DIR
set -u
. "$(dirname "$0")/lib/harness.sh" "$@"

xgettext --language=C --from-code=UTF-8 -k_ -kN_ -o "$tmp/now.pot" include/exoskin/exo_readouts.h src/report/*.c src/protocol/*.c 2>"$tmp/err"
check "xgettext reads the report sources" "[ \$? -eq 0 ] && [ -s $tmp/now.pot ]"
check "some strings are marked" "[ \$(grep -c '^msgid \"..*\"' $tmp/now.pot) -gt 100 ]"
msgcmp --use-untranslated po/exoskin.pot "$tmp/now.pot" >"$tmp/cmp1" 2>&1
check "po/exoskin.pot has every marked string (make po)" "[ \$? -eq 0 ] || { cat $tmp/cmp1 >&2; false; }"
msgcmp --use-untranslated "$tmp/now.pot" po/exoskin.pot >"$tmp/cmp2" 2>&1
check "po/exoskin.pot has no string the sources dropped (make po)" "[ \$? -eq 0 ] || { cat $tmp/cmp2 >&2; false; }"
msgcmp po/fr.po "$tmp/now.pot" >"$tmp/cmp3" 2>&1
check "po/fr.po translates every marked string" "[ \$? -eq 0 ] || { head -5 $tmp/cmp3 >&2; false; }"
msgfmt --check --statistics -o "$tmp/fr.mo" po/fr.po 2>"$tmp/stat"
check "po/fr.po compiles with msgfmt --check" "[ \$? -eq 0 ]"
check "po/fr.po has nothing untranslated or fuzzy" "! grep -Eq 'untranslated|fuzzy' $tmp/stat"
build=$(dirname "$exo")
check "the build compiled locale/fr/LC_MESSAGES/exoskin.mo" "[ -s $build/locale/fr/LC_MESSAGES/exoskin.mo ]"

finish
