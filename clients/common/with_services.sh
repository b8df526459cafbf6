#!/usr/bin/env bash
# Starts the real communique-ingest and communique-query binaries on free
# loopback ports, over TLS with throwaway certificates and bearer tokens,
# runs a command against them, and stops them again (also on failure).
#
#   with_services.sh INGEST_BIN QUERY_BIN WORK_DIR -- COMMAND [ARG...]
#
# The command sees these environment variables:
#   INGEST_ADDR        127.0.0.1:PORT of IngestService (+ ChangeFeedService)
#   QUERY_ADDR         127.0.0.1:PORT of QueryService
#   CA_FILE            PEM CA that signed both servers' certificate
#   WRITER_TOKEN_FILE  file holding a writer bearer token
#   SAMPLES_DIR        data/samples of this repository
# If SERVICES_CHECK is set, it is run first (bash -c) with the same
# environment, e.g. health probes; its failure fails the script.
# Its exit code is this script's exit code. Service logs stay in WORK_DIR
# and are printed when the command fails.
set -euo pipefail

if [ $# -lt 5 ] || [ "$4" != "--" ]; then
  echo "usage: $0 INGEST_BIN QUERY_BIN WORK_DIR -- COMMAND [ARG...]" >&2
  exit 2
fi
ingest_bin=$1 query_bin=$2 work=$3
shift 4
repo="$(cd "$(dirname "$0")/../.." && pwd)"

rm -rf "$work"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
"$repo/scripts/dev-certs.sh" "$work/tls" 2 >/dev/null
(umask 077
 printf '# writers\n%s\n' "$(openssl rand -hex 24)" > "$work/writer.token"
 openssl rand -hex 24 > "$work/replica.token")

pids=()
stop_services() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_services EXIT

# Waits for a --port_file to appear; fails if the process died first.
wait_port() {
  local file=$1 pid=$2 log=$3
  for _ in $(seq 1 300); do
    if [ -s "$file" ]; then cat "$file"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "service exited before listening; log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "service did not write $file within 15 s; log:" >&2
  tail -n 30 "$log" >&2
  return 1
}

"$ingest_bin" --listen=127.0.0.1:0 --port_file="$work/ingest.port" \
  --data_dir="$work/ingest" --tls_cert="$work/tls/server.pem" \
  --tls_key="$work/tls/server.key" --drain_seconds=1 \
  --writer_token_file="$work/writer.token" \
  --replica_token_file="$work/replica.token" >"$work/ingest.log" 2>&1 &
pids+=($!)
ingest_port=$(wait_port "$work/ingest.port" "${pids[0]}" "$work/ingest.log")

"$query_bin" --listen=127.0.0.1:0 --port_file="$work/query.port" \
  --data_dir="$work/query" --upstream="127.0.0.1:$ingest_port" \
  --upstream_ca="$work/tls/ca.pem" --upstream_token_file="$work/replica.token" \
  --tls_cert="$work/tls/server.pem" --tls_key="$work/tls/server.key" \
  --drain_seconds=1 >"$work/query.log" 2>&1 &
pids+=($!)
query_port=$(wait_port "$work/query.port" "${pids[1]}" "$work/query.log")

export INGEST_ADDR="127.0.0.1:$ingest_port"
export QUERY_ADDR="127.0.0.1:$query_port"
export CA_FILE="$work/tls/ca.pem"
export WRITER_TOKEN_FILE="$work/writer.token"
export SAMPLES_DIR="$repo/data/samples"

status=0
if [ -n "${SERVICES_CHECK:-}" ]; then
  bash -c "$SERVICES_CHECK" || status=$?
fi
[ "$status" -ne 0 ] || "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- command failed ($status); ingest log tail:" >&2
  tail -n 20 "$work/ingest.log" >&2
  echo "--- query log tail:" >&2
  tail -n 20 "$work/query.log" >&2
fi
exit "$status"
