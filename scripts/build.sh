#!/usr/bin/env bash
# Configures and builds Warren with Ninja into build/ (or $BUILD_DIR), warnings as errors
# (WARREN_WERROR=ON: the project's own builds; a plain cmake configure leaves them warnings).
#   BUILD_TYPE   RelWithDebInfo (default) or Release, Debug; CI builds Release (scripts/test.sh)
#   extra arguments go to cmake's configure step, e.g. -DWARREN_BUILD_TESTS=OFF
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DWARREN_WERROR=ON "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
