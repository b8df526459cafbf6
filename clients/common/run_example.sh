#!/usr/bin/env bash
# Runs one language's example program against the real services and checks
# its output. Shared by clients/{python,node,go}/test.sh.
#
#   run_example.sh INGEST_BIN QUERY_BIN WORK_DIR -- EXAMPLE_CMD [ARG...]
#
# EXAMPLE_CMD gets the standard flags (--ingest, --query, --ca, --token_file)
# and three sample articles: a CSTO one ingested first (read-your-write), then
# an SCO one, as a web page (ArticleInput.html: common/105_sco-samarkand-2022.html,
# the sample built by tests/pages/make_pages.py's agency template), and another
# CSTO one ingested while the watch (organization=CSTO)
# is open. The watched article goes last: WatchSummits reports progress
# (through_sequence) only with matching changes, so the example's wait for
# "through >= last token" ends on that change rather than on its deadline. Its output goes to WORK_DIR/output.txt and is checked by
# check_output.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 5 ] || [ "$4" != "--" ]; then
  echo "usage: $0 INGEST_BIN QUERY_BIN WORK_DIR -- EXAMPLE_CMD [ARG...]" >&2
  exit 2
fi
ingest_bin=$1 query_bin=$2 work=$3
shift 4
mkdir -p "$work"
out="$work/output.txt"
start=$(date +%s%N)
"$here/with_services.sh" "$ingest_bin" "$query_bin" "$work/services" -- \
  bash -c '"$@" --ingest="$INGEST_ADDR" --query="$QUERY_ADDR" --ca="$CA_FILE" \
      --token_file="$WRITER_TOKEN_FILE" \
      "$SAMPLES_DIR/104_csto-yerevan-2022.txt" \
      "'"$here"'/105_sco-samarkand-2022.html" \
      "$SAMPLES_DIR/101_csto-bishkek-2019.txt" > "'"$out"'"' example "$@" || {
  status=$?
  echo "example failed ($status); its output:" >&2
  cat "$out" >&2 || true
  exit "$status"
}
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$out"
"$here/check_output.sh" "$out" 3
echo "example and services took ${elapsed_ms} ms"
