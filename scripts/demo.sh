#!/usr/bin/env bash
# The embedded demo: builds, starts both services on localhost over TLS
# (RocksDB under ./var), ingests data/samples/, and shows a few queries.
#   scripts/demo.sh          start (or restart) and show queries
#   scripts/demo.sh stop     stop both services
set -euo pipefail
cd "$(dirname "$0")/.."
VAR="$PWD/var"
INGEST_ADDR="127.0.0.1:${COMMUNIQUE_INGEST_PORT:-50051}"
QUERY_ADDR="127.0.0.1:${COMMUNIQUE_QUERY_PORT:-50052}"

stop() {
  for svc in query ingest; do
    if [ -f "$VAR/$svc.pid" ]; then
      pid=$(cat "$VAR/$svc.pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -f "$VAR/$svc.pid"
    fi
  done
}

if [ "${1:-}" = "stop" ]; then
  stop
  echo "stopped"
  exit 0
fi

scripts/build.sh communique_ingest communique_query communique_cli
stop
mkdir -p "$VAR/log"
scripts/dev-certs.sh "$VAR/tls"
TLS="$VAR/tls"
# Bearer tokens: one for writers (the CLI's ingest), one for the replica.
mkdir -p "$VAR/secrets"
for role in writer replica; do
  [ -s "$VAR/secrets/$role.token" ] || (umask 077; openssl rand -hex 32 > "$VAR/secrets/$role.token")
done
# The CLI's connection settings, once, in a config file (see README,
# "Calling it"); a flag or COMMUNIQUE_* variable still wins over it.
CONFIG="$VAR/communique.config"
cat > "$CONFIG" <<CFG
# communique CLI settings for the demo services (scripts/demo.sh)
ingest = $INGEST_ADDR
query = $QUERY_ADDR
tls_ca = $TLS/ca.pem
token_file = $VAR/secrets/writer.token
CFG
CLI=(build/cli/communique --config="$CONFIG")

build/ingest_service/communique-ingest --listen="$INGEST_ADDR" \
  --data_dir="$VAR/ingest" --tls_cert="$TLS/server.pem" --tls_key="$TLS/server.key" \
  --writer_token_file="$VAR/secrets/writer.token" \
  --replica_token_file="$VAR/secrets/replica.token" \
  >"$VAR/log/ingest.log" 2>&1 &
echo $! > "$VAR/ingest.pid"
build/query_service/communique-query --listen="$QUERY_ADDR" \
  --data_dir="$VAR/query" --upstream="$INGEST_ADDR" --upstream_ca="$TLS/ca.pem" \
  --upstream_token_file="$VAR/secrets/replica.token" \
  --tls_cert="$TLS/server.pem" --tls_key="$TLS/server.key" \
  >"$VAR/log/query.log" 2>&1 &
echo $! > "$VAR/query.pid"

echo "== ingesting data/samples/ through the ingest service ($INGEST_ADDR)"
for _ in $(seq 1 100); do
  if "${CLI[@]}" articles list >/dev/null 2>&1; then break; fi
  sleep 0.1
done
ingest_out=$("${CLI[@]}" ingest data/samples/)
echo "$ingest_out"
token=$(echo "$ingest_out" | sed -n 's/^consistency token: //p')

echo
echo "== summits (query service $QUERY_ADDR, read-your-writes token $token)"
"${CLI[@]}" --consistency_token="$token" summits list
csto_json=$("${CLI[@]}" --consistency_token="$token" --json summits list --organization=CSTO)
first=$(printf '%s\n' "$csto_json" | sed -n '1s/^{"name":"\([^"]*\)".*/\1/p')
if [ -n "$first" ]; then
  echo
  echo "== summits get $first"
  "${CLI[@]}" --consistency_token="$token" summits get "$first"
fi
echo
echo "== CSTO summits in 2022"
"${CLI[@]}" --consistency_token="$token" summits list --organization=CSTO --year=2022
echo
echo "== declarations"
"${CLI[@]}" --consistency_token="$token" declarations list
echo
echo "== initiatives"
"${CLI[@]}" --consistency_token="$token" initiatives list

cat <<TXT

Both services are still running (logs in var/log/, data in var/):
  ingest  $INGEST_ADDR   (pid $(cat "$VAR/ingest.pid"))
  query   $QUERY_ADDR   (pid $(cat "$VAR/query.pid"))
Use the CLI without connection flags (settings in $CONFIG):
  export COMMUNIQUE_CONFIG=$CONFIG PATH=$PWD/build/cli:\$PATH
Try next:
  communique --help
  communique summits list --participant_country=Armenia --format=csv
  communique summits get ${first:-summits/csto-2022-11-23-yerevan} --format=json
  communique summits watch --organization=CSTO        (Ctrl-C to stop)
  communique export participants > participants.csv
  communique parse ../shared/seeds/*.txt               (offline extraction)
Stop them with:  scripts/demo.sh stop
TXT
