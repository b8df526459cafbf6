#!/usr/bin/env bash
# Golden test: runs `communique parse --jsonl` over a corpus and scores it
# with ../shared/eval/score.py against gold annotations; fails when the
# score drops below the floor. Exits 77 (ctest: skipped) when the scorer or
# the gold is absent.
#   score_test.sh CLI GOLD_DIR MIN_SCORE ARTICLE...
set -euo pipefail
cli="$1"; gold="$2"; min="$3"; shift 3
scorer="${COMMUNIQUE_SOURCE_DIR:-.}/../shared/eval/score.py"
if [ ! -f "$scorer" ] || [ ! -d "$gold" ]; then
  echo "SKIP: $scorer or $gold is absent"
  exit 77
fi
pred=$(mktemp)
trap 'rm -f "$pred"' EXIT
"$cli" parse --jsonl "$@" > "$pred"
python3 "$scorer" "$gold" "$pred" --min "$min"
