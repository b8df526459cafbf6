#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, integration, e2e
# with the real binaries, golden tests on ../shared/seeds when present).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j"${JOBS:-$(nproc)}" "$@"
