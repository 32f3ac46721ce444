#!/usr/bin/env bash
# Checks a built Debian package: packaging/check-package.sh build/phaseline_<version>_amd64.deb
# - it holds the binary, desktop entry, metainfo, icon, man page, copyright, changelog and example;
# - desktop-file-validate and `appstreamcli validate --no-net` accept the entry and the metainfo;
# - lintian reports no error (warnings are printed; README "Install" says which remain and why);
# - the package version, the binary's --version, the metainfo release and the man page agree;
# - its dependencies were computed (shlibdeps) and name no -dev package.
set -euo pipefail
deb="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
problems=0
problem() { echo "check-package: $*" >&2; problems=$((problems + 1)); }

dpkg-deb -x "$deb" "$work/root"
app_id=io.github.phaseline.Phaseline
for path in usr/bin/phaseline usr/share/applications/$app_id.desktop usr/share/metainfo/$app_id.metainfo.xml \
            usr/share/icons/hicolor/scalable/apps/phaseline.svg usr/share/man/man1/phaseline.1.gz \
            usr/share/doc/phaseline/copyright usr/share/doc/phaseline/changelog.gz \
            usr/share/phaseline/examples/trtllm_disagg_example.json; do
    [[ -e "$work/root/$path" ]] || problem "missing /$path"
done

desktop-file-validate "$work/root/usr/share/applications/$app_id.desktop" || problem "desktop entry is not valid"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/$app_id.metainfo.xml" || problem "metainfo is not valid"

lintian_report=$(lintian --pedantic -I "$deb" 2>&1 | grep -v 'running with root privileges' || true)
[[ -z "$lintian_report" ]] || echo "$lintian_report"
! grep -q '^E: ' <<<"$lintian_report" || problem "lintian reports errors"

version=$(dpkg-deb -f "$deb" Version)
binary_version=$("$work/root/usr/bin/phaseline" --version | awk '{print $2}')
[[ "$binary_version" == "$version" ]] || problem "phaseline --version says $binary_version, the package $version"
grep -q "<release version=\"$version\"" "$work/root/usr/share/metainfo/$app_id.metainfo.xml" \
    || problem "the metainfo has no release $version"
zcat "$work/root/usr/share/man/man1/phaseline.1.gz" | grep -q "\"Phaseline $version\"" \
    || problem "the man page is not of version $version"

depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'libqt6core6' <<<"$depends" || problem "Depends was not computed from the binary: $depends"
! grep -qE -- '-dev\b' <<<"$depends" || problem "Depends names a development package: $depends"

((problems == 0)) || { echo "check-package: $problems problem(s) in $deb" >&2; exit 1; }
echo "check-package: $deb is complete and valid ($(du -k "$deb" | cut -f1) KiB; Depends: $depends)"
