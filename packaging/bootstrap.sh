#!/usr/bin/env bash
# One command from a fresh Debian bookworm machine to a working Phaseline:
#   packaging/bootstrap.sh demo   install what is missing, build, open the bundled example
#                                 (with no display: print its statistics and write example.png)
#   packaging/bootstrap.sh test   install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
build_dir="${PHASELINE_BUILD_DIR:-build}"
packages=(build-essential cmake ninja-build pkg-config qt6-base-dev qt6-charts-dev qt6-svg-dev
          libqt6svg6-dev libsimdjson-dev libgl1-mesa-dev xvfb xauth fonts-dejavu-core)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    echo "Installing: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" --parallel 2

example=resources/examples/trtllm_disagg_example.json
case "$mode" in
demo)
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
        exec "$build_dir/app/phaseline" "$example"
    fi
    "$build_dir/app/phaseline" --stats "$example"
    "$build_dir/app/phaseline" --export example.png --size 1600x900 "$example"
    echo "No display: wrote example.png (the breakdown view of $example)."
    ;;
test)
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure --no-tests=error --parallel 2
    ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
