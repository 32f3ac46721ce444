#!/usr/bin/env bash
# One command from a fresh Debian bookworm machine to a working Phaseline:
#   packaging/bootstrap.sh demo      install what is missing, build, open the bundled example
#                                    (with no display: print its statistics and write example.png)
#   packaging/bootstrap.sh test      install what is missing, build, run the whole test suite
#   packaging/bootstrap.sh package   install what is missing, build, write build/phaseline_<version>_amd64.deb,
#                                    check it (desktop-file-validate, appstreamcli, lintian) and print its path last
#   packaging/bootstrap.sh sanitize  clang build with AddressSanitizer + UBSan (PHASELINE_SANITIZE) + libFuzzer coverage in
#                                    build-sanitize/: the whole test suite, then a bounded run of every
#                                    fuzz target (PHASELINE_FUZZ_SECONDS each, default 20)
# Packages are named by their real names (not names other packages provide), so dpkg can tell what
# is installed; apt is asked only for what is really missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
case "$mode" in
demo|test|package|sanitize) ;;
*) echo "usage: $0 demo|test|package|sanitize" >&2; exit 2 ;;
esac
build_dir="${PHASELINE_BUILD_DIR:-build}"

# What each package is for, so the install list explains itself.
declare -A purpose=(
    [build-essential]="C++ compiler"          [cmake]="build system"          [ninja-build]="build system"
    [pkg-config]="build system"               [qt6-base-dev]="Qt Core/Gui/Widgets/Network/Test"
    [libqt6opengl6-dev]="CMake package Qt Charts needs (a Recommends of qt6-base-dev, so name it)"
    [qt6-charts-dev]="statistics plots"       [qt6-svg-dev]="SVG export and icon"
    [libsimdjson-dev]="JSON parser"           [libgl-dev]="OpenGL headers Qt Gui's CMake package needs"
    [fonts-dejavu-core]="text in headless PNG/SVG exports"
    [file]="CPack: finds the binaries for dpkg-shlibdeps" [dpkg-dev]="dpkg-shlibdeps, dpkg-deb"
    [lintian]="package check"                [desktop-file-utils]="desktop entry check"
    [appstream]="metainfo check"              [clang]="sanitizer and fuzzer build"
    [libclang-rt-14-dev]="AddressSanitizer, UBSan and libFuzzer runtimes"
    [prometheus]="a real Prometheus server for the live tests (tests/live/metrics_live_test.py)"
    [python3]="test tools and stand-in servers (tests/tools)"
)
packages=(build-essential cmake ninja-build pkg-config qt6-base-dev libqt6opengl6-dev qt6-charts-dev
          qt6-svg-dev libsimdjson-dev libgl-dev fonts-dejavu-core)
case "$mode" in
test) packages+=(prometheus python3) ;;
package) packages+=(file dpkg-dev lintian desktop-file-utils appstream) ;;
sanitize) packages+=(clang libclang-rt-14-dev) ;;
esac

missing=()
for package in "${packages[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null) == ii* ]] || missing+=("$package")
done

install_missing() {
    echo "Phaseline needs these Debian packages, not installed yet:"
    for package in "${missing[@]}"; do
        printf '  %-20s %s\n' "$package" "${purpose[$package]}"
    done
    local as_root=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "Stopping: installing needs root and sudo is not available. As root, run:" >&2
            echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
            exit 1
        fi
        sudo -n true 2>/dev/null || echo "Installing needs root: sudo will ask for your password."
        as_root=(sudo)
    fi
    echo "Installing them with apt-get (--no-install-recommends)."
    if ! "${as_root[@]}" apt-get update -qq; then
        echo "Stopping: apt-get update failed (no network, no access to a Debian mirror, or no rights)." >&2
        echo "Install these packages another way, then run this command again: ${missing[*]}" >&2
        exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        echo "Stopping: apt-get could not install: ${missing[*]}" >&2
        exit 1
    fi
}
((${#missing[@]} == 0)) || install_missing

# Warnings are errors where the build is being checked (test, sanitize); a user's demo or package
# build tolerates a newer compiler's new warnings. PHASELINE_WERROR=ON|OFF overrides the choice
# (CI sets ON for every mode, so the build tree it shares between modes is configured once).
case "$mode" in
test|sanitize) werror="${PHASELINE_WERROR:-ON}" ;;
*) werror="${PHASELINE_WERROR:-OFF}" ;;
esac

configure_and_build() {
    cmake -S . -B "$1" -G Ninja -DPHASELINE_WERROR="$werror" "${@:2}"
    cmake --build "$1" --parallel 2
}

example=resources/examples/trtllm_disagg_example.json
case "$mode" in
demo)
    configure_and_build "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
        exec "$build_dir/app/phaseline" "$example"
    fi
    "$build_dir/app/phaseline" --stats "$example"
    QT_QPA_PLATFORM=offscreen "$build_dir/app/phaseline" --export example.png --size 1600x900 "$example"
    echo "No display: wrote example.png (the breakdown view of $example)."
    ;;
test)
    configure_and_build "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure --no-tests=error --parallel 2
    ;;
package)
    # The package is made from the same build as demo and test (strip removes the debug info).
    configure_and_build "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    rm -f "$build_dir"/phaseline_*.deb
    (cd "$build_dir" && cpack -G DEB >/dev/null)
    deb=$(ls "$build_dir"/phaseline_*_amd64.deb)
    packaging/check-package.sh "$deb"
    echo "$deb"
    ;;
sanitize)
    sanitize_dir="${PHASELINE_SANITIZE_DIR:-build-sanitize}"
    configure_and_build "$sanitize_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DPHASELINE_SANITIZE="address;undefined" -DPHASELINE_BUILD_FUZZERS=ON -DPHASELINE_BUILD_BENCH=OFF
    QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan-qt.supp,print_suppressions=0" \
        UBSAN_OPTIONS=halt_on_error=1,print_stacktrace=1 \
        ctest --test-dir "$sanitize_dir" --output-on-failure --no-tests=error --parallel 2 --label-exclude hostile
    fuzz/run-smoke.sh "$sanitize_dir" "${PHASELINE_FUZZ_SECONDS:-20}"
    ;;
esac
