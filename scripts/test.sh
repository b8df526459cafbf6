#!/usr/bin/env bash
# Builds everything and runs the whole test suite: what CI runs (.ci/run).
#
#   1. plain (build/, gcc RelWithDebInfo): every test — unit, integration,
#      e2e with the real binaries, crash, soak + overload, golden, clients,
#      deploy, docs, proto checks.
#   2. ASan + UBSan (build-asan/, clang, every library, binary and test
#      instrumented): the C++ suite, minus the labels listed in ASAN_SKIP
#      below; then each libFuzzer target for ~20-30 s over its seed corpus
#      (ctest -L fuzz), printing executions per target.
#   3. TSan (build-tsan/, clang; builds only what it runs): first a canary,
#      a deliberate race in our namespace that TSan must report (else the
#      step is broken or a suppression too broad), then the concurrency
#      tests in TSAN_TESTS.
#
# Sanitizer reports of every process (tests and the services they start)
# go to <build>/sanitizer-reports/; any report fails the run.
#
# A test that cannot run here (a toolchain, a privilege or a data set
# missing) exits 77 and ctest reports it as skipped, not passed. This script
# installs everything the suite needs, so a skip means the machine is not
# what CI needs: any skipped test fails the run (COMMUNIQUE_ALLOW_SKIPS=1
# allows them, for a local loop on a partial machine).
#
# Usage: scripts/test.sh [--quick | --only=plain|asan|tsan|fuzz] [ctest args]
#   --quick   only the plain suite (step 1), for a fast local loop.
#   --only=X  one step (fuzz = only the fuzz targets of build-asan; tsan).
# Extra arguments go to every ctest call (e.g. -R store).
set -euo pipefail
cd "$(dirname "$0")/.."

steps="plain asan tsan"
case "${1:-}" in
  --quick) steps="plain"; shift ;;
  --only=*) steps="${1#--only=}"; shift ;;
esac
JOBS="${JOBS:-$(nproc)}"

# Labels not run under ASan/UBSan: clients/deploy/docs/proto drive Python,
# Node, Go, podman and buf rather than our C++ (the services they start are
# covered by the e2e tests); bench is a benchmark smoke; soak's RSS and
# latency figures mean nothing under ASan's shadow memory and quarantine
# (its load runs under TSan instead); fuzz runs as its own step.
ASAN_SKIP='clients|deploy|docs|proto|bench|soak|fuzz'
# Concurrency tests run under TSan (issue 8: parallel ingest streams,
# readers during writes, replica apply during reads):
#  * concurrency_test (label concurrency): in-process, every line ours
#    instrumented: writer threads calling IngestPipeline::Ingest at once
#    with a deleter, a re-processor, change-log readers and notifier
#    waiters; a QueryStore applying the feed while readers run every
#    query; ChangeNotifier publish/notify/cancel races;
#  * ingest_server_test, query_service_test: the in-process gRPC servers
#    (change-feed streams and their shutdown, summit watches while the
#    replica applies);
#  * query_e2e_test: the real binaries, two replicas following one ingest
#    while watches stream.
TSAN_TESTS='^(concurrency_test|ingest_server_test|query_service_test|query_e2e_test)$'
TSAN_TARGETS="communique_tsan_sync tsan_canary concurrency_test ingest_server_test query_service_test query_e2e_test"

# Points every sanitizer's reports at a fresh directory (children inherit
# the environment).
sanitizer_env() {
  local reports="$PWD/$1/sanitizer-reports"
  rm -rf "$reports"
  mkdir -p "$reports"
  # print_suppressions=0: a run whose only findings were suppressed writes
  # no report (LSan otherwise logs its "Suppressions used" table, which
  # check_reports would take for a finding).
  local common="log_path=$reports/report:symbolize=1:print_stacktrace=1:print_suppressions=0"
  export ASAN_OPTIONS="$common:detect_leaks=1:check_initialization_order=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="$common:halt_on_error=1"
  export TSAN_OPTIONS="$common:halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp"
}

# Fails (listing them) if any process wrote a sanitizer report.
check_reports() {
  local reports="$1/sanitizer-reports"
  if compgen -G "$reports/report*" >/dev/null; then
    echo "== sanitizer reports in $reports:" >&2
    for f in "$reports"/report*; do
      echo "---- $f" >&2
      head -c 20000 "$f" >&2
    done
    return 1
  fi
}

# Runs ctest with the given arguments, its output also kept in LOG; fails if
# ctest fails or, unless COMMUNIQUE_ALLOW_SKIPS=1, if any test was skipped.
run_ctest() {  # log, ctest args...
  local log="$1" rc=0
  shift
  ctest "$@" 2>&1 | tee "$log" || rc=$?
  if grep -q '\*\*\*Skipped' "$log"; then
    echo "== skipped tests (they could not run on this machine):" >&2
    grep '\*\*\*Skipped' "$log" >&2
    if [ "${COMMUNIQUE_ALLOW_SKIPS:-0}" != 1 ]; then
      echo "== a CI run must skip no test (COMMUNIQUE_ALLOW_SKIPS=1 allows it)" >&2
      rc=1
    fi
  fi
  return "$rc"
}

configure_clang() {  # build dir, sanitizers, extra cmake args...
  local dir="$1" sanitize="$2"
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCOMMUNIQUE_SANITIZE="$sanitize" "$@" >/dev/null
  fi
}

# Runs the canary (tests/sanitizers/tsan_canary.cc) with the step's TSan
# options, its reports kept apart; fails unless TSan reported its race.
tsan_canary() {
  local dir="$PWD/$1/tsan-canary"
  rm -rf "$dir"
  mkdir -p "$dir"
  local from="$PWD/$1/sanitizer-reports"
  local crc=0
  # UBSan's options carry a log_path too, which the TSan runtime also reads.
  TSAN_OPTIONS="${TSAN_OPTIONS//"$from"/$dir}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS//"$from"/$dir}" \
    "$1/tests/tsan_canary" || crc=$?
  if [ "$crc" -ne 0 ] &&
     grep -qs "WARNING: ThreadSanitizer: data race" "$dir"/report* &&
     grep -qs "communique::tsan_canary::UnlockedWriter" "$dir"/report*; then
    echo "TSan canary: race reported as required (exit $crc)"
  else
    echo "TSan canary: its deliberate race was NOT reported (exit $crc):" \
      "TSan is not working or a suppression hides our code" >&2
    cat "$dir"/report* >&2 2>/dev/null || true
    return 1
  fi
}

status=0
for step in $steps; do
  case "$step" in
    plain)
      echo "== plain suite (build/)"
      scripts/build.sh
      run_ctest build/ctest.log --test-dir build --output-on-failure \
        -j"$JOBS" "$@" || status=1
      ;;
    asan|fuzz)
      scripts/install-deps.sh
      configure_clang build-asan address,undefined -DCOMMUNIQUE_FUZZ=ON
      ninja -C build-asan -j"$JOBS"
      if [ "$step" = asan ]; then
        echo "== ASan + UBSan suite (build-asan/, skipping labels $ASAN_SKIP)"
        (sanitizer_env build-asan
         rc=0
         run_ctest build-asan/ctest.log --test-dir build-asan \
           --output-on-failure -j"$JOBS" -LE "$ASAN_SKIP" "$@" || rc=1
         check_reports build-asan || rc=1
         exit $rc) || status=1
      fi
      echo "== fuzz targets (build-asan/, ASan + UBSan, seed corpora in tests/fuzz/corpus)"
      # -V for the libFuzzer final stats (executions per target).
      ctest --test-dir build-asan -L fuzz -j"$JOBS" -V "$@" \
        > build-asan/fuzz.log 2>&1 || status=1
      grep -E "stat::number_of_executed_units|Test +#|tests passed|ERROR: " \
        build-asan/fuzz.log | sed -E 's/^[0-9]+: //' || true
      if ! grep -q "100% tests passed" build-asan/fuzz.log ||
         grep -q '\*\*\*Skipped' build-asan/fuzz.log; then
        tail -n 80 build-asan/fuzz.log
        status=1
      fi
      ;;
    tsan)
      scripts/install-deps.sh
      configure_clang build-tsan thread
      ninja -C build-tsan -j"$JOBS" $TSAN_TARGETS
      echo "== TSan concurrency tests (build-tsan/)"
      (sanitizer_env build-tsan
       # Debian's Abseil and gRPC are uninstrumented; see
       # tests/sanitizers/tsan_absl_sync.cc and tsan_grpc_sync.cc.
       export LD_PRELOAD="$PWD/build-tsan/libcommunique_tsan_sync.so"
       rc=0
       tsan_canary build-tsan || exit 1
       run_ctest build-tsan/ctest.log --test-dir build-tsan \
         --output-on-failure -j"$JOBS" -R "$TSAN_TESTS" "$@" || rc=1
       check_reports build-tsan || rc=1
       exit $rc) || status=1
      ;;
    *)
      echo "test.sh: unknown step $step" >&2
      exit 2
      ;;
  esac
done
exit "$status"
