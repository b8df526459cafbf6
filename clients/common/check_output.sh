#!/usr/bin/env bash
# Checks the output of a client example (the format is in clients/README.md).
#   check_output.sh OUTPUT_FILE ARTICLE_COUNT
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
out=$1 articles=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok:   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
has() { grep -Eq "$1" "$out"; }
field() {  # field LINE_PREFIX KEY -> value of KEY= on the first such line
  grep -E "^$1" "$out" | head -n1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

check "a write without a token is UNAUTHENTICATED" \
  has '^auth: ingest without token -> UNAUTHENTICATED$'
n=$(grep -Ec '^ingest: articles/[^ ]+ outcome=INGEST_OUTCOME_(CREATED|UPDATED|UNCHANGED) token=[0-9]+ ' "$out")
check "every article ingested with a consistency token ($n of $articles)" test "$n" -eq "$articles"
check "the first ingest created an article and affected a summit" \
  has '^ingest: articles/[^ ]+ outcome=INGEST_OUTCOME_CREATED token=[1-9][0-9]* summits=summits/'
check "read-your-write found the ingested CSTO summit" \
  has '^read-your-write: summits/[^ ]+ organization=CSTO date=[0-9]{4}'
if has '^watch: not in this API version$'; then
  echo "skip: WatchSummits is not in the API this client was generated from"
else
  check "the watch started" has '^watch: started organization=CSTO through=[0-9]+$'
  changes=$(field 'watch: done' changes)
  check "the watch reported the CSTO summit ingested while it was open (changes=${changes:-?})" \
    test "${changes:-0}" -ge 1
  check "the watch reported no SCO summit" bash -c "! grep -Eq '^watch: change .*summit=summits/sco-' '$out'"
  through=$(field 'watch: done' through)
  last=$(grep -E '^ingest: ' "$out" | tail -n1 | tr ' ' '\n' | sed -n 's/^token=//p')
  check "the watch caught up with the last ingest (through=${through:-?} token=${last:-?})" \
    test "${through:-0}" -ge "${last:-1}"
fi
count=$(field 'summits: ' count)
listed=$(grep -Ec '^summit: summits/' "$out")
check "the filtered summit list is not empty (count=${count:-?})" test "${count:-0}" -ge 2
check "every listed summit is CSTO" bash -c "! grep -E '^summit: ' '$out' | grep -vq '^summit: summits/csto-'"
check "summit lines match the count ($listed)" test "$listed" -eq "${count:--1}"
total=$(field 'summits: ' total_size)
if [ -n "$total" ]; then
  check "total_size matches the count ($total)" test "$total" -eq "$count"
fi
dcount=$(field 'declarations: ' count)
dunique=$(field 'declarations: ' unique)
dpages=$(field 'declarations: ' pages)
dsize=$(field 'declarations: ' page_size)
check "declarations were listed (count=${dcount:-?})" test "${dcount:-0}" -ge 1
check "no declaration was returned twice" test "${dunique:-x}" = "${dcount:-y}"
check "declarations came in several pages (pages=${dpages:-?} page_size=${dsize:-?})" \
  test "${dpages:-0}" -ge $(( (${dcount:-0} + ${dsize:-1} - 1) / ${dsize:-1} )) -a "${dpages:-0}" -ge 2
check "an initiative was fetched by name" \
  has '^initiative: summits/[^ /]+/initiatives/[^ ]+ proposer=[^ ]+ title=".+"$'
check "a missing summit is NOT_FOUND" has '^not-found: NOT_FOUND$'
check "the example finished" has '^done$'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
