#!/usr/bin/env bash
# The backup/restore procedure of deploy/README.md, with the real binaries:
# ingest data/samples/ over TLS with a writer token, check that
# `communique-ingest --checkpoint_to` refuses a store the server holds open,
# stop the server (SIGTERM, as Kubernetes does), write the checkpoint, add
# one more article to the live store (the checkpoint must not see it), then
# start a fresh ingest server on the checkpoint directory (the "restored
# volume") and compare its articles with those listed before the backup.
#
#   deploy/test-checkpoint.sh INGEST_BIN CLI_BIN [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
ingest_bin=$(realpath "$1") cli_bin=$(realpath "$2")
work=${3:-}
keep_work=1
if [ -z "$work" ]; then
  work=$(mktemp -d)
  keep_work=0
fi
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
"$repo/scripts/dev-certs.sh" "$work/tls" 2 >/dev/null
(umask 077
 openssl rand -hex 24 > "$work/writer.tokens"
 openssl rand -hex 24 > "$work/replica.tokens")

pid=""
stop() {
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap 'stop; [ "$keep_work" = 1 ] || rm -rf "$work"' EXIT

# start DATA_DIR NAME: runs the server on a free port; sets pid and addr.
start() {
  rm -f "$work/$2.port"
  "$ingest_bin" --listen=127.0.0.1:0 --port_file="$work/$2.port" \
    --data_dir="$1" --tls_cert="$work/tls/server.pem" \
    --tls_key="$work/tls/server.key" --drain_seconds=1 --shutdown_delay_seconds=0 \
    --writer_token_file="$work/writer.tokens" \
    --replica_token_file="$work/replica.tokens" >"$work/$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    [ -s "$work/$2.port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$2.log" >&2; exit 1; }
    sleep 0.05
  done
  addr="127.0.0.1:$(cat "$work/$2.port")"
}
cli() {
  "$cli_bin" --ingest="$addr" --tls_ca="$work/tls/ca.pem" \
    --token_file="$work/writer.tokens" "$@"
}
fail() { echo "FAIL: $*" >&2; exit 1; }

start "$work/live" live
cli ingest "$repo/data/samples/" > "$work/ingest.out"
cli --json articles list | sort > "$work/before.txt"
articles=$(wc -l < "$work/before.txt")
[ "$articles" -ge 5 ] || fail "only $articles articles ingested"
echo "ingested $articles articles"

# While the server runs, RocksDB's lock makes the one-shot refuse.
if "$ingest_bin" --data_dir="$work/live" --checkpoint_to="$work/backup" \
    >"$work/refused.log" 2>&1; then
  fail "--checkpoint_to succeeded on a store held open by the server"
fi
grep -q 'checkpoint failed' "$work/refused.log" || fail "no 'checkpoint failed' in: $(cat "$work/refused.log")"
[ ! -e "$work/backup" ] || fail "a refused checkpoint left $work/backup behind"
echo "refused while the server holds the store: ok"

stop
"$ingest_bin" --data_dir="$work/live" --checkpoint_to="$work/backup" \
  >"$work/checkpoint.log" 2>&1 || { cat "$work/checkpoint.log" >&2; fail "checkpoint"; }
grep -q 'checkpoint written' "$work/checkpoint.log" || fail "no 'checkpoint written' log line"
# The target must be new: a second run into it fails.
if "$ingest_bin" --data_dir="$work/live" --checkpoint_to="$work/backup" >/dev/null 2>&1; then
  fail "--checkpoint_to overwrote an existing directory"
fi
echo "checkpoint: $(du -sh "$work/backup" | cut -f1) in $(ls "$work/backup" | wc -l) files"

# The live store moves on after the backup; the checkpoint must not.
start "$work/live" live2
extra="$work/extra.txt"
sed 's/Yerevan/Yerevan (after the backup)/' "$repo/data/samples/104_csto-yerevan-2022.txt" > "$extra"
cli ingest "$extra" > /dev/null
live_after=$(cli --json articles list | wc -l)
[ "$live_after" -eq $((articles + 1)) ] || fail "live store has $live_after articles, expected $((articles + 1))"
stop

# Restore: the checkpoint directory is a complete store.
start "$work/backup" restored
cli --json articles list | sort > "$work/after.txt"
stop
if ! diff -u "$work/before.txt" "$work/after.txt"; then
  fail "the restored store's articles differ from those before the backup"
fi
echo "restored from the checkpoint: $(wc -l < "$work/after.txt") articles, identical to before the backup"
echo "1 passed, 0 failed"
