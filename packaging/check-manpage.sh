#!/usr/bin/env bash
# The man page describes exactly the options `phaseline --help` lists:
#   packaging/check-manpage.sh PHASELINE_EXECUTABLE MAN_PAGE
set -euo pipefail
executable="$1"
man_page="$2"
help_options=$("$executable" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
# In roff a long option is written \-\-name.
man_options=$(grep -oE -- '\\-\\-[a-z][a-z-]*' "$man_page" | sed 's/\\//g' | sort -u)
missing=$(comm -23 <(echo "$help_options") <(echo "$man_options"))
extra=$(comm -13 <(echo "$help_options") <(echo "$man_options"))
version=$("$executable" --version | awk '{print $2}')
status=0
[[ -z "$missing" ]] || { echo "options in --help but not in $man_page:" $missing >&2; status=1; }
[[ -z "$extra" ]] || { echo "options in $man_page but not in --help:" $extra >&2; status=1; }
grep -q "\"Phaseline $version\"" "$man_page" || { echo "$man_page does not say version $version" >&2; status=1; }
exit $status
