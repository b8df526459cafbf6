#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build directory
# (default: build-fuzz next to the sources) and runs the extractor fuzzer
# for a bounded time over a scratch copy of the seed corpus.
# Usage: tests/fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${COMMUNIQUE_FUZZ_BUILD_DIR:-$SRC/build-fuzz}"
SECONDS_TO_RUN="${1:-60}"
shift || true
CC="${CC:-clang}"
CXX="${CXX:-clang++}"
if ! command -v "$CXX" >/dev/null; then
  echo "run.sh: $CXX not found (apt-get install clang)" >&2
  exit 2
fi
# The whole tree is built with ASan/UBSan so the libraries are instrumented
# too; libFuzzer's own flag goes only on the fuzz targets.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCOMMUNIQUE_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link" \
  >/dev/null
ninja -C "$BUILD" -j"${JOBS:-2}" extractor_fuzz
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$SRC"/tests/fuzz/corpus/extractor/* "$WORK"/
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
  "$BUILD/tests/fuzz/extractor_fuzz" -max_total_time="$SECONDS_TO_RUN" \
  -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
  "$@" "$WORK" "$SRC/tests/fuzz/corpus/extractor"
