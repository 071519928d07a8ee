#!/usr/bin/env bash
# Configures and builds Warren with Ninja into build/ (or $BUILD_DIR).
#   BUILD_TYPE   RelWithDebInfo (default) or Release, Debug
#   extra arguments go to cmake's configure step, e.g. -DWARREN_BUILD_TESTS=OFF
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
