#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in the ASan + UBSan build directory
# that scripts/test.sh also uses (default: build-asan next to the sources) and runs each fuzzer (extractor,
# keys, page_token, validation, html) for a bounded time over a scratch copy of
# its seed corpus. FUZZ_TARGETS="keys page_token" picks a subset.
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [extra libFuzzer flags...]
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${COMMUNIQUE_FUZZ_BUILD_DIR:-$SRC/build-asan}"
SECONDS_TO_RUN="${1:-60}"
shift || true
CC="${CC:-clang}"
CXX="${CXX:-clang++}"
if ! command -v "$CXX" >/dev/null; then
  echo "run.sh: $CXX not found (apt-get install clang)" >&2
  exit 2
fi
# The whole tree is built with ASan/UBSan (cmake/Sanitizers.cmake) so the
# libraries are instrumented too; libFuzzer's own flag goes only on the
# fuzz targets.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCOMMUNIQUE_FUZZ=ON \
  -DCOMMUNIQUE_SANITIZE=address,undefined >/dev/null
TARGETS="${FUZZ_TARGETS:-extractor keys page_token validation html}"
ninja -C "$BUILD" -j"${JOBS:-2}" $(for t in $TARGETS; do echo "${t}_fuzz"; done)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for t in $TARGETS; do
  mkdir -p "$WORK/$t"
  cp "$SRC/tests/fuzz/corpus/$t"/* "$WORK/$t"/ 2>/dev/null || true
  max_len=4096
  [ "$t" = extractor ] && max_len=16384
  echo "== $t (${SECONDS_TO_RUN}s)"
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
    "$BUILD/tests/fuzz/${t}_fuzz" -max_total_time="$SECONDS_TO_RUN" \
    -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 \
    "$@" "$WORK/$t" "$SRC/tests/fuzz/corpus/$t"
done
