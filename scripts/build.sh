#!/usr/bin/env bash
# Configures and builds Communiqué with CMake + Ninja into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS="${JOBS:-$(nproc)}"
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
ninja -C build -j"$JOBS" "$@"
