#!/usr/bin/env bash
# Installs a built package on this machine and uses it as a user would:
#   packaging/install-test.sh phaseline_<version>_amd64.deb
# Meant for a brand-new Debian bookworm (../shared/tools/fresh-machine; .ci/run does that): apt must
# pull in the runtime libraries only, and the installed phaseline must print the example's
# statistics, export PNG and SVG charts without a display, and say its version.
set -euo pipefail
deb=$(realpath "$1")
example=/usr/share/phaseline/examples/trtllm_disagg_example.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install-test: $*" >&2; exit 1; }

before=$(dpkg-query -W -f='${Package}\n' | sort)
apt-get update -qq
start=$(date +%s)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" \
    || { cat "$work/apt.log" >&2; fail "apt-get could not install $deb"; }
echo "install-test: apt-get install took $(($(date +%s) - start)) s"
added=$(comm -13 <(echo "$before") <(dpkg-query -W -f='${Package}\n' | sort))
echo "install-test: $(wc -l <<<"$added") packages installed, $(dpkg-query -W -f='${Installed-Size}\t${Package}\n' $added \
    | awk '{kib += $1} END {printf "%.0f MiB", kib / 1024}') on disk"
! grep -E -- '-dev$' <<<"$added" || fail "installing the package pulled in development packages"

command -v phaseline >/dev/null || fail "phaseline is not on PATH"
[[ "$(phaseline --version)" == "phaseline $(dpkg-query -W -f='${Version}' phaseline)" ]] \
    || fail "phaseline --version ($(phaseline --version)) differs from the package version"
phaseline --stats "$example" >"$work/stats.txt" || fail "phaseline --stats failed"
grep -q '^ctx_processing ' "$work/stats.txt" || { cat "$work/stats.txt"; fail "--stats printed no phase table"; }
phaseline --stats --format json "$example" | grep -q '"requests": 10' || fail "--stats --format json does not count 10 requests"
env -u DISPLAY -u WAYLAND_DISPLAY phaseline --export "$work/breakdown.png" "$example" || fail "--export PNG failed"
[[ "$(head -c 8 "$work/breakdown.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] || fail "--export wrote no PNG"
env -u DISPLAY -u WAYLAND_DISPLAY phaseline --export "$work/timeline.svg" --view timeline "$example" || fail "--export SVG failed"
grep -q '<svg' "$work/timeline.svg" || fail "--export wrote no SVG"
man -w phaseline >/dev/null 2>&1 || [[ -e /usr/share/man/man1/phaseline.1.gz ]] || fail "no man page"

apt-get remove -y -qq phaseline >/dev/null
hash -r # bash remembers where it last found phaseline
! command -v phaseline >/dev/null && [[ ! -e /usr/bin/phaseline ]] || fail "phaseline is still installed after apt-get remove"
echo "install-test: $(basename "$deb") installs, runs (--version, --stats, --export PNG/SVG) and uninstalls"
