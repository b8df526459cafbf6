#!/usr/bin/env bash
# The benchmark suite in one command (see bench/README.md): builds, starts
# the real communique-ingest and communique-query on loopback (TLS, bearer
# tokens, a temporary store) and the Echo floor, communique-bench-echo, on
# the same server bootstrap and flags, ingests a
# synthetic corpus, runs the load generator and prints the table, then stops
# everything and removes the temporary files.
#
#   scripts/bench.sh                      1k summits: queries, streams, ingest,
#                                         replication lag, merge scaling to 10k
#   scripts/bench.sh --scale=1k,100k,1M   also the query table on built stores
#                                         of those sizes (cached in
#                                         var/bench-corpus/)
#   scripts/bench.sh --postgres           also PostgreSQL 15 side by side
#   scripts/bench.sh --merge_articles=100000   merge scaling up to 100k
#   scripts/bench.sh --smoke              tiny run that checks the table (ctest)
#   scripts/bench.sh -- --rate=3000       extra flags go to communique-loadgen
#
# Options: --summits=N (main run, default 1000), --build_dir=DIR (default
# ./build), --no-build, --keep (keep the temporary directory and its logs),
# --access_log=true|false (default true, the services' default),
# --no-main (skip the main run, e.g. for --scale alone), --perf=FILE (record the query server with `perf record -e cpu-clock -g`
# during the main load and write the report to FILE), --corpus_dir=DIR
# (cache of built corpora, default ./var/bench-corpus), --lag_rate=N
# (default 500,100: open loops of that many ingests/s; the target is at 500).
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
SCALE=""
POSTGRES=0
MAIN_RUN=1
MERGE_ARTICLES=10000
LAG_RATE=500,100
CORPUS_DIR="$SRC/var/bench-corpus"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; BUILD_FIRST=0 ;;
    --summits=*) SUMMITS="${1#*=}" ;;
    --build_dir=*) BUILD="${1#*=}" ;;
    --no-build) BUILD_FIRST=0 ;;
    --keep) KEEP=1 ;;
    --access_log=*) ACCESS_LOG="${1#*=}" ;;
    --perf=*) PERF_OUT="$(realpath -m "${1#*=}")" ;;
    --scale=*) SCALE="${1#*=}" ;;
    --postgres) POSTGRES=1 ;;
    --no-main) MAIN_RUN=0 ;;
    --merge_articles=*) MERGE_ARTICLES="${1#*=}" ;;
    --lag_rate=*) LAG_RATE="${1#*=}" ;;
    --corpus_dir=*) CORPUS_DIR="$(realpath -m "${1#*=}")" ;;
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
    communique_bench_echo_server communique_loadgen communique_bench_corpus merge_scaling_benchmark \
    $(ninja -C "$BUILD" -t targets all 2>/dev/null | grep -q '^rocksdb_floor_benchmark:' \
      && echo rocksdb_floor_benchmark) >/dev/null
fi
for bin in ingest_service/communique-ingest query_service/communique-query \
           bench/communique-bench-echo bench/communique-loadgen bench/communique-bench-corpus \
           bench/merge_scaling_benchmark; do
  [ -x "$BUILD/$bin" ] || { echo "missing $BUILD/$bin (build it first)" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/communique-bench.XXXXXX)"
PIDS=()
stop_pids() {
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() {
  stop_pids "${PIDS[@]}"
  if [ "$KEEP" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

wait_port() {  # file pid; a big store may rebuild its indexes at start
  for _ in $(seq 1 6000); do
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
# Flags of every server, ours and the Echo floor alike.
COMMON=(--tls_cert="$TMP/tls/server.pem" --tls_key="$TMP/tls/server.key"
        --access_log="$ACCESS_LOG" --shutdown_delay_seconds=0 --drain_seconds=2
        --reader_token_file="$TMP/reader.token" --open_reads=false)

# start_services INGEST_DIR QUERY_DIR TAG: sets INGEST_PID/PORT,
# QUERY_PID/PORT and ECHO_PID/PORT (the Echo floor, started beside them).
start_services() {
  rm -f "$TMP/$3-ingest.port" "$TMP/$3-query.port" "$TMP/$3-echo.port"
  "$BUILD/ingest_service/communique-ingest" "${COMMON[@]}" --listen=127.0.0.1:0 \
    --port_file="$TMP/$3-ingest.port" --data_dir="$1" \
    --writer_token_file="$TMP/writer.token" --replica_token_file="$TMP/replica.token" \
    >"$TMP/$3-ingest.log" 2>&1 &
  INGEST_PID=$!
  PIDS+=("$INGEST_PID")
  INGEST_PORT="$(wait_port "$TMP/$3-ingest.port" "$INGEST_PID")"
  "$BUILD/query_service/communique-query" "${COMMON[@]}" --listen=127.0.0.1:0 \
    --port_file="$TMP/$3-query.port" --data_dir="$2" \
    --upstream="127.0.0.1:$INGEST_PORT" --upstream_ca="$TMP/tls/ca.pem" \
    --upstream_token_file="$TMP/replica.token" \
    >"$TMP/$3-query.log" 2>&1 &
  QUERY_PID=$!
  PIDS+=("$QUERY_PID")
  QUERY_PORT="$(wait_port "$TMP/$3-query.port" "$QUERY_PID")"
  "$BUILD/bench/communique-bench-echo" "${COMMON[@]}" --listen=127.0.0.1:0 \
    --port_file="$TMP/$3-echo.port" >"$TMP/$3-echo.log" 2>&1 &
  ECHO_PID=$!
  PIDS+=("$ECHO_PID")
  ECHO_PORT="$(wait_port "$TMP/$3-echo.port" "$ECHO_PID")"
}
stop_services() {
  stop_pids "$ECHO_PID" "$QUERY_PID" "$INGEST_PID"
  PIDS=()
}
loadgen() {
  "$BUILD/bench/communique-loadgen" --query="127.0.0.1:$QUERY_PORT" \
    --ingest="127.0.0.1:$INGEST_PORT" --echo="127.0.0.1:$ECHO_PORT" \
    --echo_pid="$ECHO_PID" --ca_file="$TMP/tls/ca.pem" \
    --writer_token_file="$TMP/writer.token" --reader_token_file="$TMP/reader.token" \
    --replica_token_file="$TMP/replica.token" --query_pid="$QUERY_PID" "$@"
}
rss_of() { sed -n 's/^VmRSS:\s*//p' /proc/"$1"/status; }
summary() {  # file key -> value or "n/a"
  local v
  v="$(grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2)"
  echo "${v:-n/a}"
}

MAIN=(--streams --ingest_rounds=5 --ingest_batch=300 --lag_rate="$LAG_RATE" --rate=-1
      --lag_ms=5000)
if [ "$SMOKE" = 1 ]; then
  SUMMITS=100
  MERGE_ARTICLES=300
  MAIN=(--concurrency=1,4 --rounds=2 --run_ms=100 --warmup_ms=50 --min_calls=10
        --rate=200 --streams --ingest_rounds=2 --ingest_batch=20 --lag_rate=50
        --lag_ms=500)
fi

echo "== communique benchmark suite"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
  "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $BUILD ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null))," \
  "TLS + bearer tokens on loopback, access_log=$ACCESS_LOG"

# ------------------------------------------------------------ main run
if [ "$MAIN_RUN" = 1 ]; then
start_services "$TMP/ingest" "$TMP/query" main
OUT="$TMP/loadgen.out"
mkdir -p "$TMP/export"
PERF_PID=""
if [ -n "$PERF_OUT" ]; then
  perf record -q -e cpu-clock -g -p "$QUERY_PID" -o "$TMP/query.perf" 2>"$TMP/perf.log" &
  PERF_PID=$!
fi
loadgen --generate="$SUMMITS" --ingest_dir="$TMP/ingest" \
  --export_dir="$TMP/export" --summary_file="$TMP/main.summary" \
  "${MAIN[@]}" "${EXTRA[@]}" | tee "$OUT"
if [ -n "$PERF_PID" ]; then
  kill -INT "$PERF_PID"; wait "$PERF_PID" || true
  perf report -i "$TMP/query.perf" --stdio --no-children --percent-limit 0.5 \
    >"$PERF_OUT" 2>/dev/null || true
  echo "perf report of the query server: $PERF_OUT"
fi
echo "query store on disk: $(du -sk "$TMP/query" | cut -f1) KiB;" \
  "ingest store: $(du -sk "$TMP/ingest" | cut -f1) KiB;" \
  "query RSS: $(rss_of "$QUERY_PID")"
stop_services
fi

# ------------------------------------------------ raw RocksDB floors
# (the ingest rows above already hold the WriteBatch floor side by side)
if [ "$SMOKE" = 0 ] && [ -x "$BUILD/bench/rocksdb_floor_benchmark" ]; then
  echo
  echo "== raw RocksDB floors, in process, the store's options (rocksdb_floor_benchmark)"
  "$BUILD/bench/rocksdb_floor_benchmark" --benchmark_min_time=0.5 \
    2>/dev/null | grep -E '^(BM_|-|Benchmark)' || true
fi

# ----------------------------------------- extraction vs one RE2::Set pass
if [ "$SMOKE" = 0 ] && [ -x "$BUILD/bench/extract_benchmark" ]; then
  echo
  echo "== extraction vs one RE2::Set pass of every gazetteer alias, and page -> text (extract_benchmark, one thread, CPU time, median of 3)"
  "$BUILD/bench/extract_benchmark" --benchmark_filter='^(BM_Extract|BM_Re2SetAliasPass|BM_HtmlToText|BM_LibxmlSaxFloor)$' \
    --benchmark_repetitions=3 --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
runs = json.load(sys.stdin)["benchmarks"]
def median(name):
    v = sorted(b["bytes_per_second"] for b in runs
               if b["run_name"] == name and b.get("run_type") == "iteration")
    return v[len(v) // 2]
ours, floor = median("BM_Extract"), median("BM_Re2SetAliasPass")
ratio = ours / floor
print("extraction %.1f MB/s (sanity bar >= 10 MB/s per core: %s); RE2::Set pass %.1f MB/s"
      % (ours / 1e6, "PASS" if ours >= 10e6 else "MISS", floor / 1e6))
print("%-44s %7.3f %17s %8s %s" % ("extraction MB/s / RE2::Set pass", ratio, "",
      ">=0.30", "PASS" if ratio >= 0.3 else "MISS"))
html, sax = median("BM_HtmlToText"), median("BM_LibxmlSaxFloor")
print("%-44s %7.1f %17s %8s %s" % ("HTML page -> text MB/s (page fixtures)", html / 1e6,
      "(libxml2 SAX %.0f)" % (sax / 1e6), ">=50", "PASS" if html >= 50e6 else "MISS"))
' || echo "extract_benchmark failed"
fi

# ------------------------------------------------------ merge scaling
if [ "$MERGE_ARTICLES" -gt 0 ]; then
  echo
  echo "== merge scaling (issue 4): ingest cost per article, in process, as the store grows"
  "$BUILD/bench/merge_scaling_benchmark" --articles="$MERGE_ARTICLES" | tee "$TMP/merge.out"
fi

# ---------------------------------------------------------- scale runs
size_of() {  # 1k -> 1000, 100k -> 100000, 1M -> 1000000, 2500 -> 2500
  case "$1" in
    *[kK]) echo $(( ${1%[kK]} * 1000 )) ;;
    *[mM]) echo $(( ${1%[mM]} * 1000000 )) ;;
    *) echo "$1" ;;
  esac
}
SCALE_SIZES=()
if [ -n "$SCALE" ]; then
  IFS=, read -r -a SCALE_SIZES <<<"$SCALE"
elif [ "$SMOKE" = 1 ]; then
  SCALE_SIZES=(200)
fi
if [ "${#SCALE_SIZES[@]}" -gt 0 ]; then
  VERSION="$("$BUILD/bench/communique-bench-corpus" --print_version)"
  if [ "$SMOKE" = 1 ]; then CORPUS_DIR="$TMP/corpus"; fi
  mkdir -p "$CORPUS_DIR"
  SCALE_FLAGS=(--concurrency=1,16 --rounds=3 --run_ms=500)
  [ "$SMOKE" = 1 ] && SCALE_FLAGS=(--concurrency=1 --rounds=1 --run_ms=100 \
    --warmup_ms=50 --min_calls=10)
  for size in "${SCALE_SIZES[@]}"; do
    n="$(size_of "$size")"
    dir="$CORPUS_DIR/v$VERSION-$n"
    if [ ! -f "$dir/corpus.txt" ]; then
      rm -rf "$dir"
      echo
      echo "== building the $size corpus in $dir (cached for later runs)"
      "$BUILD/bench/communique-bench-corpus" --summits="$n" --dir="$dir"
    fi
    echo
    echo "== scale: $size summits ($dir), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    start_services "$dir/ingest" "$dir/query" "scale-$n"
    loadgen --names_file="$dir/names.txt" --summary_file="$TMP/scale-$n.summary" \
      "${SCALE_FLAGS[@]}" | tee "$TMP/scale-$n.out"
    {
      echo "store_kib=$(du -sk "$dir/query" | cut -f1)"
      echo "ingest_store_kib=$(du -sk "$dir/ingest" | cut -f1)"
      echo "rss_kib=$(rss_of "$QUERY_PID" | tr -dc 0-9)"
    } >>"$TMP/scale-$n.summary"
    stop_services
  done
  echo
  echo "== scale table (GetSummit / ListSummits p50 as ratios to Echo at c=1; issue 9: ratios may grow <=1.5x from the smallest to the largest store; issue 5: latency flat)"
  printf '%-9s %9s %9s %9s %9s %9s %9s %11s %11s %9s\n' summits "get/echo" "list/echo" \
    "get p50us" "list p50" "get QPS16" "echo QPS" "query KiB" "ingest KiB" "RSS KiB"
  num() {  # file key decimals -> the value rounded, or n/a
    awk -v v="$(summary "$1" "$2")" -v d="$3" \
      'BEGIN { if (v == "n/a") print v; else printf "%.*f\n", d, v }'
  }
  for size in "${SCALE_SIZES[@]}"; do
    n="$(size_of "$size")"; f="$TMP/scale-$n.summary"
    printf '%-9s %9s %9s %9s %9s %9s %9s %11s %11s %9s\n' "$n" \
      "$(num "$f" ratio.getsummit_p50_echo_p50.c1 2)" \
      "$(num "$f" ratio.listsummits_p50_echo_same_bytes_p50.c1 2)" \
      "$(num "$f" abs.get.c1.p50_us 0)" "$(num "$f" abs.list.c1.p50_us 0)" \
      "$(num "$f" abs.get.c16.qps 0)" "$(num "$f" abs.echo_get.c16.qps 0)" \
      "$(summary "$f" store_kib)" "$(summary "$f" ingest_store_kib)" \
      "$(summary "$f" rss_kib)"
  done
  first="$TMP/scale-$(size_of "${SCALE_SIZES[0]}").summary"
  last="$TMP/scale-$(size_of "${SCALE_SIZES[-1]}").summary"
  for key in ratio.getsummit_p50_echo_p50.c1 ratio.listsummits_p50_echo_same_bytes_p50.c1 \
             abs.get.c1.p50_us abs.list.c1.p50_us; do
    a="$(summary "$first" "$key")"; b="$(summary "$last" "$key")"
    awk -v k="$key" -v a="$a" -v b="$b" -v from="${SCALE_SIZES[0]}" -v to="${SCALE_SIZES[-1]}" \
      'BEGIN { if (a + 0 <= 0) { printf "scale growth %s: n/a\n", k; exit }
               g = b / a; printf "scale growth %-44s %s -> %s: %.2fx  target <=1.50 %s\n",
               k, from, to, g, (g <= 1.5 ? "PASS" : "MISS") }'
  done
fi

# ---------------------------------------------------------- PostgreSQL
if [ "$POSTGRES" = 1 ] && [ "$MAIN_RUN" = 1 ]; then
  "$SRC/bench/postgres_bench.sh" "$TMP/export" "$TMP/main.summary" "$SMOKE"
fi

if [ "$SMOKE" = 1 ]; then
  # The suite must not rot: every row of the table is there.
  ALL="$TMP/all.out"
  cat "$OUT" "$TMP/merge.out" "$TMP"/scale-*.out >"$ALL"
  for row in "GetSummit " "ListSummits " "Echo " "GetSummit p50 / Echo p50" \
             "GetSummit QPS / Echo QPS" "ListSummits p50 / Echo same-bytes p50" \
             "srv CPU / Echo srv CPU" "open loop" \
             "Subscribe records/s / EchoStream" "WatchSummits records/s / EchoStream" \
             "ingest excl. extraction / raw WriteBatch" \
             "ingest articles/s / 1/(t_extract+t_write)" "end-to-end ingest articles/s" \
             "replication lag" "merge scaling: p50 per article" "summits named in" \
             "== end of table"; do
    grep -q -- "$row" "$ALL" || { echo "smoke: table lacks '$row'" >&2; exit 1; }
  done
  echo "smoke: table complete"
fi
