#!/usr/bin/env bash
# PostgreSQL 15 side by side with our query service (scripts/bench.sh
# --postgres; see bench/README.md). Starts a throwaway cluster (initdb in a
# temporary directory, loopback TCP port, unix socket in that directory, run
# as `nobody` because initdb refuses root), loads the summits the main run
# listed (JSONB, with indexes on the filter fields the ListSummits run
# used), and runs pgbench custom scripts: the equivalent of GetSummit (one
# row by key), of ListSummits (indexed filter, newest first, page of 50)
# and the floor `SELECT 1`, in interleaved rounds at the same concurrency
# levels as our table. Prints both systems' absolutes and ratios to their
# own floor.
#
#   bench/postgres_bench.sh EXPORT_DIR OUR_SUMMARY [SMOKE]
#
# EXPORT_DIR holds summits.jsonl and filter.txt (communique-loadgen
# --export_dir); OUR_SUMMARY is the loadgen's --summary_file of that run.
set -euo pipefail
EXPORT="$1"
OURS="$2"
SMOKE="${3:-0}"
PG_BIN=/usr/lib/postgresql/15/bin

if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pgbench" ]; then
  echo "installing PostgreSQL 15 (Debian's postgresql package)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-client-15 >/dev/null
fi

PG="$(mktemp -d /tmp/communique-pg.XXXXXX)"
RUN=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$PG"
  RUN=(runuser -u nobody --)
fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
stop_pg() {
  "${RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG"
}
trap stop_pg EXIT

"${RUN[@]}" "$PG_BIN/initdb" -D "$PG/data" -U postgres --auth=trust -E UTF8 \
  --no-instructions >"$PG/initdb.log" 2>&1 || { cat "$PG/initdb.log" >&2; exit 1; }
# Durability matched to ours: the ingest service fsyncs every commit's WAL
# (--sync_writes=true), so synchronous_commit=on and fsync=on (defaults,
# spelt out). Reads do not depend on it.
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -o \
  "-p $PORT -k $PG -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c fsync=on -c shared_buffers=128MB -c max_connections=200" \
  start >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)

# The same records: every summit the main run listed, as its proto3 JSON.
python3 - "$EXPORT/summits.jsonl" "$PG/summits.csv" <<'EOF'
import csv, json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w", newline="") as dst:
    out = csv.writer(dst)
    for n, line in enumerate(src, 1):
        doc = json.loads(line)
        out.writerow([n, doc["name"], line.rstrip("\n")])
EOF
ROWS="$(wc -l <"$EXPORT/summits.jsonl")"
FIELD="$(sed -n 's/^\(organization\|year\)=.*/\1/p' "$EXPORT/filter.txt")"
VALUE="$(sed -n 's/^\(organization\|year\)=//p' "$EXPORT/filter.txt")"
PAGE="$(sed -n 's/^page_size=//p' "$EXPORT/filter.txt")"
"${PSQL[@]}" <<EOF
CREATE TABLE summits (
  n int PRIMARY KEY,
  name text UNIQUE NOT NULL,
  doc jsonb NOT NULL,
  -- ListSummits' order: date (YYYY-MM-DD), then name.
  date_key text GENERATED ALWAYS AS (
    lpad(coalesce(doc->'date'->>'year', '0'), 4, '0') || '-' ||
    lpad(coalesce(doc->'date'->>'month', '0'), 2, '0') || '-' ||
    lpad(coalesce(doc->'date'->>'day', '0'), 2, '0')) STORED);
\copy summits (n, name, doc) FROM '$PG/summits.csv' WITH (FORMAT csv)
-- The filter fields our query store indexes (the two the benchmark uses).
CREATE INDEX summits_organization ON summits ((doc->>'organization'), date_key DESC, name DESC);
CREATE INDEX summits_year ON summits (((doc->'date'->>'year')::int), date_key DESC, name DESC);
VACUUM ANALYZE summits;
EOF
if [ "$FIELD" = organization ]; then
  WHERE="doc->>'organization' = '${VALUE//\'/\'\'}'"
else
  WHERE="(doc->'date'->>'year')::int = $VALUE"
fi
cat >"$PG/get.sql" <<EOF
\set i random(1, $ROWS)
SELECT doc FROM summits WHERE n = :i;
EOF
cat >"$PG/list.sql" <<EOF
SELECT doc FROM summits WHERE $WHERE ORDER BY date_key DESC, name DESC LIMIT $PAGE;
EOF
echo "SELECT 1;" >"$PG/one.sql"
PLAN="$("${PSQL[@]}" -At -c "EXPLAIN SELECT doc FROM summits WHERE $WHERE ORDER BY date_key DESC, name DESC LIMIT $PAGE" | head -3 | tr '\n' ' ')"

SECONDS_PER_RUN=3
ROUNDS=3
LEVELS=(1 16)
if [ "$SMOKE" = 1 ]; then SECONDS_PER_RUN=1; ROUNDS=1; LEVELS=(1); fi

# run SCRIPT C -> "qps mean_us". pgbench's per-transaction log is no use
# for percentiles here: PostgreSQL 15's pgbench reads the clock lazily and
# logs 0 us for most fast transactions, so both systems are compared on
# mean latency (and QPS).
run() {
  local jobs=$(( $2 < 2 ? $2 : 2 ))
  (cd "$PG" && "$PG_BIN/pgbench" -n -M prepared -h 127.0.0.1 -p "$PORT" -U postgres \
    -c "$2" -j "$jobs" -T "$SECONDS_PER_RUN" -f "$PG/$1.sql" postgres 2>/dev/null) |
    awk '/^latency average = / { mean = $4 * 1000 }
         /^tps = .*without/ { tps = $3 }
         END { printf "%s %s\n", tps, mean }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "== PostgreSQL 15 side by side ($ROWS summits as JSONB, TCP loopback, no TLS, synchronous_commit=on, pgbench -M prepared, $ROUNDS rounds of $SECONDS_PER_RUN s, mean latency)"
echo "ListSummits equivalent: WHERE $WHERE ORDER BY date_key DESC, name DESC LIMIT $PAGE; plan: $PLAN"
printf '%-12s %4s | %9s %9s %10s | %9s %9s %10s\n' path c "ours mean" "ours QPS" "ours/Echo" \
  "PG mean" "PG QPS" "PG/SELECT1"
ours() { local v; v="$(grep -m1 "^$1=" "$OURS" 2>/dev/null | cut -d= -f2)"; echo "${v:-n/a}"; }
for c in "${LEVELS[@]}"; do
  : >"$PG/get.r"; : >"$PG/list.r"; : >"$PG/one.r"
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order=(get one list one); else order=(one list one get); fi
    for s in "${order[@]}"; do run "$s" "$c" >>"$PG/$s.r"; done
  done
  # one.r has two runs per round; pair each ours-run with the round's floor.
  one_p50="$(awk '{print $2}' "$PG/one.r" | median)"
  one_qps="$(awk '{print $1}' "$PG/one.r" | median)"
  for s in get list; do
    p50="$(awk '{print $2}' "$PG/$s.r" | median)"
    qps="$(awk '{print $1}' "$PG/$s.r" | median)"
    if [ "$s" = get ]; then
      label=GetSummit; op50="$(ours abs.get.c$c.mean_us)"; oqps="$(ours abs.get.c$c.qps)"
      oratio="$(ours ratio.getsummit_mean_echo_mean.c$c)"
    else
      label=ListSummits; op50="$(ours abs.list.c$c.mean_us)"; oqps="$(ours abs.list.c$c.qps)"
      oratio="$(ours ratio.listsummits_mean_echo_same_bytes_mean.c$c)"
    fi
    printf '%-12s %4s | %9s %9s %10s | %9.0f %9.0f %10.2f\n' "$label" "$c" "$op50" "$oqps" \
      "$oratio" "$p50" "$qps" "$(awk -v a="$p50" -v b="$one_p50" 'BEGIN { print (b > 0 ? a / b : 0) }')"
  done
  printf '%-12s %4s | %9s %9s %10s | %9.0f %9.0f %10s\n' "floor" "$c" \
    "$(ours abs.echo_get.c$c.mean_us)" "$(ours abs.echo_get.c$c.qps)" "Echo" "$one_p50" "$one_qps" "SELECT 1"
done
echo "(mean latencies in us, medians over rounds; ours/Echo: GetSummit vs Echo of a summit's bytes, ListSummits vs Echo of the page's bytes, per-round ratios of means; PG/SELECT1: mean over SELECT 1's mean)"
