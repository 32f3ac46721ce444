#!/usr/bin/env bash
# Remakes the screenshot the README and the AppStream metainfo show, from the bundled example:
#   packaging/make-screenshot.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
QT_QPA_PLATFORM=offscreen "$build_dir/app/phaseline" --export resources/screenshots/window.png \
    --view window --size 1600x1000 resources/examples/trtllm_disagg_example.json
echo "wrote resources/screenshots/window.png"
