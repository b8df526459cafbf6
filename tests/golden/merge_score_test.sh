#!/usr/bin/env bash
# Merge quality floors through the real pipeline: starts communique-ingest
# and communique-query (plaintext, loopback, port 0, temporary stores),
# ingests ../shared/seeds, ../shared/eval/news and data/samples with the
# CLI, lists every summit as JSON from the query replica (after it has
# applied the last ingest), and scores how the records group the articles
# with ../shared/eval/score_merge.py against the gold that carries event ids
# (../shared/eval/dev for the seeds, ../shared/eval/news; data/samples/gold
# has no event ids, so the samples are ingested as distractors only).
# Fails when pairwise precision or recall falls below its floor.
#
#   merge_score_test.sh INGEST_BIN QUERY_BIN CLI_BIN MIN_PRECISION MIN_RECALL
#
# Exits 77 (ctest SKIP_RETURN_CODE) when ../shared is absent.
# COMMUNIQUE_MERGE_KEEP=DIR copies summits.jsonl and the logs to DIR.
set -euo pipefail
ingest_bin="$1" query_bin="$2" cli_bin="$3" min_precision="$4" min_recall="$5"
repo="${COMMUNIQUE_SOURCE_DIR:-.}"
shared="$repo/../shared"
scorer="$shared/eval/score_merge.py"
for needed in "$scorer" "$shared/seeds" "$shared/eval/dev" "$shared/eval/news"; do
  if [ ! -e "$needed" ]; then
    echo "SKIP: $needed is absent (the shared corpus sits next to the repository)"
    exit 77
  fi
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${COMMUNIQUE_MERGE_KEEP:-}" ]; then
    mkdir -p "$COMMUNIQUE_MERGE_KEEP"
    cp "$work"/*.jsonl "$work"/*.log "$COMMUNIQUE_MERGE_KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# wait_port NAME PID: prints the port the server wrote to NAME.port.
wait_port() {
  for _ in $(seq 1 600); do
    if [ -s "$work/$1.port" ]; then cat "$work/$1.port"; return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then
      echo "FAIL: $1 exited before listening" >&2; cat "$work/$1.log" >&2; exit 1
    fi
    sleep 0.05
  done
  echo "FAIL: $1 did not write its port file" >&2; cat "$work/$1.log" >&2; exit 1
}

"$ingest_bin" --insecure --listen=127.0.0.1:0 --port_file="$work/ingest.port" \
  --data_dir="$work/ingest" --drain_seconds=0 --shutdown_delay_seconds=0 \
  >"$work/ingest.log" 2>&1 &
pids+=($!)
ingest_port=$(wait_port ingest "${pids[-1]}")
"$query_bin" --insecure --listen=127.0.0.1:0 --port_file="$work/query.port" \
  --data_dir="$work/query" --upstream="127.0.0.1:$ingest_port" \
  --drain_seconds=0 --shutdown_delay_seconds=0 >"$work/query.log" 2>&1 &
pids+=($!)
query_port=$(wait_port query "${pids[-1]}")

cli() {
  "$cli_bin" --insecure --ingest="127.0.0.1:$ingest_port" \
    --query="127.0.0.1:$query_port" "$@"
}
articles=("$shared"/seeds/*.txt "$shared"/eval/news/*.txt "$repo"/data/samples/*.txt)
cli ingest "${articles[@]}" > "$work/ingest.out"
token=$(sed -n 's/^consistency token: //p' "$work/ingest.out")
[ -n "$token" ] || { echo "FAIL: no consistency token"; cat "$work/ingest.out"; exit 1; }
echo "ingested ${#articles[@]} articles (consistency token $token)"
cli --json --consistency_token="$token" --timeout_seconds=60 summits list \
  > "$work/summits.jsonl"
echo "$(wc -l < "$work/summits.jsonl") summit records"

python3 "$scorer" "$work/summits.jsonl" "$shared/eval/dev" "$shared/eval/news" \
  --verbose | tee "$work/score.out"
python3 - "$work/score.out" "$min_precision" "$min_recall" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"precision ([0-9.]+)\s+recall ([0-9.]+)", text)
if not m:
    sys.exit("FAIL: score_merge.py printed no precision/recall line")
precision, recall = float(m.group(1)), float(m.group(2))
floor_p, floor_r = float(sys.argv[2]), float(sys.argv[3])
print(f"floors: precision >= {floor_p}, recall >= {floor_r}")
if precision < floor_p or recall < floor_r:
    sys.exit(f"FAIL: precision {precision:.3f} / recall {recall:.3f} below the floors")
EOF
