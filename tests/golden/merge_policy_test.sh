#!/usr/bin/env bash
# The merge policy on its own terms: the gold facts of ../shared/eval/dev and
# ../shared/eval/news become ArticleExtractions (gold_to_extractions.py),
# merge_replay merges them exactly as ingest does (merge::MergeCluster per
# cluster) and ../shared/eval/score_merge.py scores the grouping. Two runs:
#   all   every gold fact: a right policy makes every gold link, no other;
#   text  only dates the articles state (undated ones get the year before a
#         stated handover): what a perfect extractor could hand the merge.
# Fails when a run's precision or recall falls below its floor.
#
#   merge_policy_test.sh REPLAY_BIN ALL_MIN_P ALL_MIN_R TEXT_MIN_P TEXT_MIN_R
#
# Exits 77 (ctest SKIP_RETURN_CODE) when ../shared is absent.
set -euo pipefail
replay="$1"; shift
here="$(cd "$(dirname "$0")" && pwd)"
shared="${COMMUNIQUE_SOURCE_DIR:-.}/../shared"
scorer="$shared/eval/score_merge.py"
for needed in "$scorer" "$shared/eval/dev" "$shared/eval/news"; do
  if [ ! -e "$needed" ]; then
    echo "SKIP: $needed is absent (the shared corpus sits next to the repository)"
    exit 77
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for mode in all text; do
  min_p="$1" min_r="$2"; shift 2
  echo "== $mode"
  python3 "$here/gold_to_extractions.py" "$mode" "$shared/eval/dev" \
    "$shared/eval/news" > "$work/$mode.extractions.jsonl"
  "$replay" < "$work/$mode.extractions.jsonl" > "$work/$mode.summits.jsonl"
  python3 "$scorer" "$work/$mode.summits.jsonl" "$shared/eval/dev" \
    "$shared/eval/news" --verbose | tee "$work/$mode.score"
  python3 - "$work/$mode.score" "$min_p" "$min_r" <<'PY' || failed=1
import re, sys
m = re.search(r"precision ([0-9.]+)\s+recall ([0-9.]+)", open(sys.argv[1]).read())
if not m:
    sys.exit("FAIL: score_merge.py printed no precision/recall line")
p, r, min_p, min_r = map(float, (m.group(1), m.group(2), sys.argv[2], sys.argv[3]))
print(f"floors: precision >= {min_p}, recall >= {min_r}")
if p < min_p or r < min_r:
    sys.exit(f"FAIL: precision {p:.3f} / recall {r:.3f} below the floors")
PY
done
exit "$failed"
