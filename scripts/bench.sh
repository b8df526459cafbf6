#!/usr/bin/env bash
# The benchmark suite in one command (see bench/README.md): builds, starts
# the real communique-ingest and communique-query on loopback (TLS, bearer
# tokens, a temporary store, the Echo floor behind --bench_echo), ingests a
# synthetic corpus, runs the load generator and prints the table, then stops
# everything and removes the temporary files.
#
#   scripts/bench.sh                      1k summits, c=1/4/16/64, 5 rounds
#   scripts/bench.sh --summits=10000      a bigger corpus
#   scripts/bench.sh --smoke              tiny run that checks the table (ctest)
#   scripts/bench.sh -- --rate=3000       extra flags go to communique-loadgen
#
# Options: --build_dir=DIR (default ./build), --no-build, --keep (keep the
# temporary directory and its logs), --access_log=true|false (default true,
# the services' default), --perf=FILE (record the query server with
# `perf record -e cpu-clock -g` during the load and write the report to FILE).
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$SRC/build"
SUMMITS=1000
SMOKE=0
BUILD_FIRST=1
KEEP=0
ACCESS_LOG=true
EXTRA=()
PERF_OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; BUILD_FIRST=0 ;;
    --summits=*) SUMMITS="${1#*=}" ;;
    --build_dir=*) BUILD="${1#*=}" ;;
    --no-build) BUILD_FIRST=0 ;;
    --keep) KEEP=1 ;;
    --access_log=*) ACCESS_LOG="${1#*=}" ;;
    --perf=*) PERF_OUT="$(realpath -m "${1#*=}")" ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$BUILD_FIRST" = 1 ]; then
  if [ ! -f "$BUILD/build.ninja" ]; then
    cmake -S "$SRC" -B "$BUILD" -G Ninja \
      -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  fi
  ninja -C "$BUILD" -j"${JOBS:-$(nproc)}" communique_ingest communique_query \
    communique_loadgen >/dev/null
fi
for bin in ingest_service/communique-ingest query_service/communique-query \
           bench/communique-loadgen; do
  [ -x "$BUILD/$bin" ] || { echo "missing $BUILD/$bin (build it first)" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/communique-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

wait_port() {  # file pid
  for _ in $(seq 1 300); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "server exited; log:" >&2; cat "$TMP"/*.log >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

"$SRC/scripts/dev-certs.sh" "$TMP/tls" >/dev/null
for role in writer reader replica; do
  (umask 077; openssl rand -hex 32 >"$TMP/$role.token")
done
COMMON=(--bench_echo --tls_cert="$TMP/tls/server.pem" --tls_key="$TMP/tls/server.key"
        --access_log="$ACCESS_LOG" --shutdown_delay_seconds=0 --drain_seconds=2)

"$BUILD/ingest_service/communique-ingest" "${COMMON[@]}" --listen=127.0.0.1:0 \
  --port_file="$TMP/ingest.port" --data_dir="$TMP/ingest" \
  --writer_token_file="$TMP/writer.token" --replica_token_file="$TMP/replica.token" \
  >"$TMP/ingest.log" 2>&1 &
INGEST_PID=$!
PIDS+=("$INGEST_PID")
INGEST_PORT="$(wait_port "$TMP/ingest.port" "$INGEST_PID")"

"$BUILD/query_service/communique-query" "${COMMON[@]}" --listen=127.0.0.1:0 \
  --port_file="$TMP/query.port" --data_dir="$TMP/query" \
  --upstream="127.0.0.1:$INGEST_PORT" --upstream_ca="$TMP/tls/ca.pem" \
  --upstream_token_file="$TMP/replica.token" \
  --reader_token_file="$TMP/reader.token" --open_reads=false \
  >"$TMP/query.log" 2>&1 &
QUERY_PID=$!
PIDS+=("$QUERY_PID")
QUERY_PORT="$(wait_port "$TMP/query.port" "$QUERY_PID")"

if [ "$SMOKE" = 1 ]; then
  SUMMITS=100
  EXTRA=(--concurrency=1,4 --rounds=2 --run_ms=100 --warmup_ms=50 --min_calls=10
         --rate=200 "${EXTRA[@]}")
fi

echo "== communique benchmark suite"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
  "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $BUILD ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null))," \
  "TLS + bearer tokens on loopback, access_log=$ACCESS_LOG"
OUT="$TMP/loadgen.out"
PERF_PID=""
if [ -n "$PERF_OUT" ]; then
  perf record -q -e cpu-clock -g -p "$QUERY_PID" -o "$TMP/query.perf" 2>"$TMP/perf.log" &
  PERF_PID=$!
fi
"$BUILD/bench/communique-loadgen" --query="127.0.0.1:$QUERY_PORT" \
  --ingest="127.0.0.1:$INGEST_PORT" --ca_file="$TMP/tls/ca.pem" \
  --writer_token_file="$TMP/writer.token" --reader_token_file="$TMP/reader.token" \
  --generate="$SUMMITS" --query_pid="$QUERY_PID" "${EXTRA[@]}" | tee "$OUT"
if [ -n "$PERF_PID" ]; then
  kill -INT "$PERF_PID"; wait "$PERF_PID" || true
  perf report -i "$TMP/query.perf" --stdio --no-children --percent-limit 0.5 \
    >"$PERF_OUT" 2>/dev/null || true
  echo "perf report of the query server: $PERF_OUT"
fi
echo "query store on disk: $(du -sk "$TMP/query" | cut -f1) KiB;" \
  "ingest store: $(du -sk "$TMP/ingest" | cut -f1) KiB;" \
  "query RSS: $(sed -n 's/^VmRSS:\s*//p' /proc/"$QUERY_PID"/status)"

if [ "$SMOKE" = 1 ]; then
  # The suite must not rot: every row of the table is there.
  for row in "GetSummit " "ListSummits " "Echo " "GetSummit p50 / Echo p50" \
             "GetSummit QPS / Echo QPS" "ListSummits p50 / Echo same-bytes p50" \
             "srv CPU / Echo srv CPU" "open loop" "== end of table"; do
    grep -q -- "$row" "$OUT" || { echo "smoke: table lacks '$row'" >&2; exit 1; }
  done
  echo "smoke: table complete"
fi
