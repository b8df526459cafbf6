#!/usr/bin/env bash
# The CLI against the real services (started by clients/common/with_services.sh
# on loopback, TLS, bearer tokens), as a user runs it.
#
#   cli/cli_e2e_test.sh CLI INGEST_BIN QUERY_BIN WORK_DIR commands
#       config file, environment, every command and filter family, help,
#       errors that name the flag, --format, export read back with Python's
#       csv and json modules, watch (replay, live, Ctrl-C).
#   cli/cli_e2e_test.sh CLI INGEST_BIN QUERY_BIN WORK_DIR exits [RUNS]
#       RUNS (default 500) runs of `summits get summits/nope` and
#       `summits list`, alternating; any abnormal exit (signal, abort,
#       "double free") fails. Prints how long the runs took.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
if [ $# -lt 5 ]; then
  echo "usage: $0 CLI INGEST_BIN QUERY_BIN WORK_DIR commands|exits [RUNS]" >&2
  exit 2
fi
export CLI_BIN=$(realpath "$1")
ingest_bin=$(realpath "$2") query_bin=$(realpath "$3") work=$4 mode=$5
export EXIT_RUNS=${6:-500}
mkdir -p "$work"
work=$(cd "$work" && pwd)
export TEST_DIR="$work/test"
rm -rf "$TEST_DIR"
mkdir -p "$TEST_DIR"

run_commands() {
  set -euo pipefail
  local cli=$CLI_BIN t=$TEST_DIR pass=0
  ok() { pass=$((pass + 1)); echo "ok:   $1"; }
  fail() { echo "FAIL: $1" >&2; exit 1; }
  # expect CODE DESCRIPTION -- COMMAND...: runs it, output in $t/out, $t/err.
  expect() {
    local want=$1 what=$2; shift 3
    local code=0
    "$@" >"$t/out" 2>"$t/err" || code=$?
    if [ "$code" -ne "$want" ]; then
      echo "--- stdout:" >&2; head -c 3000 "$t/out" >&2
      echo "--- stderr:" >&2; head -c 3000 "$t/err" >&2
      fail "$what: exit $code, expected $want"
    fi
  }
  has() { grep -q -- "$2" "$t/$1" || { cat "$t/$1" >&2; fail "$3 (no '$2' in $1)"; }; }

  # A config file instead of four flags; relative paths are relative to it.
  mkdir -p "$t/xdg/communique"
  cp "$CA_FILE" "$t/xdg/communique/ca.pem"
  cat > "$t/xdg/communique/config" <<EOF
# written by cli_e2e_test.sh
ingest = $INGEST_ADDR
query = $QUERY_ADDR
tls_ca = ca.pem
token_file = $WRITER_TOKEN_FILE
EOF
  export XDG_CONFIG_HOME="$t/xdg"

  expect 0 "ingest through the config file" -- "$cli" ingest "$SAMPLES_DIR"
  has out "consistency token: [0-9]" "ingest prints the token"
  local token
  token=$(sed -n 's/^consistency token: //p' "$t/out")
  local c=("$cli" --consistency_token="$token")
  ok "config file: ingest with no connection flag (token $token)"

  # Flags win over the file, the environment over the file.
  expect 1 "a flag beats the config file" -- "$cli" --query=127.0.0.1:1 stats
  has err "hint: is the query service running at 127.0.0.1:1" "unreachable hint"
  has err "set by --query" "the hint names where the address came from"
  COMMUNIQUE_QUERY=127.0.0.1:1 expect 1 "env beats the config file" -- "$cli" stats
  has err "set by COMMUNIQUE_QUERY" "the hint names the variable"
  ok "precedence: flag > COMMUNIQUE_* > config file; unreachable says what to do"

  # Help.
  expect 0 "top-level help" -- "$cli" --help
  has out "^  summits watch" "help lists watch"
  has out "^  export participants" "help lists export"
  if grep -q "main.cc\|communique: communique:" "$t/out"; then fail "help leaks flags of the source"; fi
  [ "$(wc -l < "$t/out")" -lt 60 ] || fail "top-level help is short"
  expect 0 "command help" -- "$cli" summits list --help
  has out "Usage: communique summits list" "usage line"
  has out "--summit_format=FORMAT" "the command's flags"
  if grep -q -- "--kind" "$t/out"; then fail "summits list help shows --kind"; fi
  expect 0 "export help lists the columns" -- "$cli" export participants --help
  has out "person_id" "participant columns"
  expect 2 "no command" -- "$cli"
  ok "help: short command list, per-command flags, export columns"

  # Errors name the flag or the argument.
  expect 2 "bad number" -- "${c[@]}" summits list --year=abc
  has err "^communique: --year: not a number: abc" "names --year"
  expect 2 "bad enum" -- "${c[@]}" declarations list --kind=memo
  has err "--kind: unknown value memo (one of: declaration" "names --kind"
  expect 2 "bad date" -- "${c[@]}" summits list --start_date=2024/11
  has err "--start_date: not a date" "names --start_date"
  expect 2 "flag of another command" -- "${c[@]}" summits list --kind=treaty
  has err "--kind: not a flag of \`summits list\`" "names the command"
  expect 2 "unknown verb" -- "$cli" summits frobnicate
  has err "unknown command summits frobnicate" "names the verb"
  expect 1 "not found" -- "${c[@]}" summits get summits/nope
  has err "NOT_FOUND" "NOT_FOUND"
  expect 1 "server-side validation" -- "${c[@]}" summits list --min_year=2025 --max_year=2020
  has err "INVALID_ARGUMENT" "INVALID_ARGUMENT from the server"
  ok "errors name the flag, argument or code"

  # Filters and formats.
  expect 0 "summits list" -- "${c[@]}" summits list
  has out "^NAME  *DATE" "table header"
  has out "summits/csto-2022-11-23-yerevan" "a sample summit"
  expect 0 "summits jsonl" -- "${c[@]}" summits list --format=jsonl
  local all
  all=$(wc -l < "$t/out")
  [ "$all" -ge 5 ] || fail "at least 5 summits ($all)"
  expect 0 "summits json" -- "${c[@]}" summits list --format=json --organization=CSTO --oldest_first
  /usr/bin/python3 - "$t/out" <<'PY' || fail "json is one array of CSTO summits, oldest first"
import json, sys
summits = json.load(open(sys.argv[1]))
assert summits and all(s["organization"] == "CSTO" for s in summits), summits
dates = [(s["date"].get("year", 0), s["date"].get("month", 0), s["date"].get("day", 0)) for s in summits]
assert dates == sorted(dates), dates
PY
  expect 0 "summit filters" -- "${c[@]}" summits list --format=csv --participant_country=Armenia --start_date=2022 --end_date=2022-12-31 --text=collective
  /usr/bin/python3 - "$t/out" <<'PY' || fail "date-range and participant filters"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "no rows"
for r in rows:
    assert r["date"].startswith("2022"), r["date"]
    assert "Armenia" in r["participant_countries"].split(";"), r
PY
  expect 0 "topic filter" -- "${c[@]}" summits list --format=jsonl --topic=terrorism
  expect 0 "presiding + summit_format filters" -- "${c[@]}" summits list --presiding=nikol-pashinyan --summit_format=in_person
  expect 0 "paging one page" -- "${c[@]}" summits list --page_size=2 --noall_pages --format=jsonl
  [ "$(wc -l < "$t/out")" -eq 2 ] || fail "one page of 2"
  has err "next page: --page_token=" "next token printed"
  local next
  next=$(sed -n 's/^next page: --page_token=//p' "$t/err")
  expect 0 "paging from a token" -- "${c[@]}" summits list --page_size=2 --page_token="$next" --format=jsonl
  [ "$(wc -l < "$t/out")" -eq $((all - 2)) ] || fail "the rest after the token"
  expect 0 "summits get" -- "${c[@]}" summits get summits/csto-2022-11-23-yerevan
  has out "chair: Armenia" "summit detail"
  expect 0 "declarations with status/year/organization" -- "${c[@]}" declarations list --organization=CSTO --year=2022 --format=csv
  has out "^name,summit,title,kind,status,subject,source_articles,confidence$" "declaration columns"
  expect 0 "declarations by text" -- "${c[@]}" declarations list --text=security --format=jsonl
  expect 0 "initiatives with filters" -- "${c[@]}" initiatives list --proposer_country=Kazakhstan --status=proposed --format=jsonl
  expect 0 "initiatives by person/topic/year" -- "${c[@]}" initiatives list --min_year=2019 --max_year=2025 --organization=CSTO
  has out "initiatives)" "initiatives table footer"
  local declaration
  declaration=$("${c[@]}" declarations list --format=jsonl --page_size=1 --noall_pages 2>/dev/null | sed -n 's/^{"name":"\([^"]*\)".*/\1/p')
  expect 0 "declarations get" -- "${c[@]}" declarations get "$declaration"
  has out "^kind: " "declaration detail"
  expect 0 "chairmanships" -- "${c[@]}" chairmanships list --organization=CSTO
  has out "^ORGANIZATION  *COUNTRY" "chairmanship table"
  has out "CSTO" "a CSTO chairmanship"
  expect 0 "stats" -- "${c[@]}" stats
  has out "^summits: *[1-9]" "stats counts"
  expect 0 "stats json" -- "${c[@]}" stats --format=json
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert int(d["summit_count"]) >= 5, d' "$t/out" \
    || fail "stats json"
  ok "every list and filter family, get, chairmanships, stats; table/json/jsonl/csv"

  # Export, read back as pandas or R would (Python's csv module here).
  expect 0 "export summits" -- "${c[@]}" export summits
  cp "$t/out" "$t/summits.csv"
  /usr/bin/python3 - "$t/summits.csv" "$all" <<'PY' || fail "summits.csv"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
assert header[:4] == ["name", "organization", "body", "date"], header
for column in ("source_articles", "confidence", "participant_countries", "topics"):
    assert column in header, column
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
assert all(len(r) == len(header) for r in rows)
by_name = {r[0]: dict(zip(header, r)) for r in rows}
y = by_name["summits/csto-2022-11-23-yerevan"]
assert y["organization"] == "CSTO" and y["city"] == "Yerevan" and y["date"] == "2022-11-23", y
assert y["source_articles"].startswith("articles/"), y
assert 0 < float(y["confidence"]) <= 1, y
assert "Armenia" in y["participant_countries"].split(";"), y
PY
  expect 0 "export participants" -- "${c[@]}" export participants --organization=CSTO
  /usr/bin/python3 - "$t/out" <<'PY' || fail "participants.csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) >= 5, len(rows)
assert all(r["summit"].startswith("summits/csto-") for r in rows)
assert all(r["remote"] in ("true", "false") for r in rows)
putin = [r for r in rows if r["person_id"] == "vladimir-putin"]
assert putin and putin[0]["country"] == "Russia" and putin[0]["source_articles"], putin
PY
  expect 0 "export declarations jsonl" -- "${c[@]}" export declarations --format=jsonl
  /usr/bin/python3 - "$t/out" <<'PY' || fail "declarations jsonl"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert rows and all(isinstance(r["source_articles"], list) for r in rows)
assert all(isinstance(r["confidence"], (int, float)) for r in rows)
PY
  expect 0 "export initiatives" -- "${c[@]}" export initiatives --page_size=1
  [ "$(tail -n +2 "$t/out" | wc -l)" -ge 1 ] || fail "initiatives exported across pages"
  expect 2 "export refuses table" -- "${c[@]}" export summits --format=table
  ok "export: csv readable by Python's csv, participants per person, jsonl, every page"

  # Watch: replay from the history, then live, then Ctrl-C.
  expect 0 "watch replay" -- "${c[@]}" summits watch --start_sequence=1 --max_changes=2 --format=jsonl
  [ "$(wc -l < "$t/out")" -eq 2 ] || fail "two replayed changes"
  has out '"type":"CHANGE_TYPE_UPSERT"' "replayed upserts"
  "$cli" summits watch --organization=CSTO --max_changes=1 >"$t/watch.out" 2>"$t/watch.err" &
  local watch_pid=$!
  for _ in $(seq 1 200); do grep -q "watching summits" "$t/watch.err" && break; sleep 0.05; done
  grep -q "watching summits" "$t/watch.err" || fail "watch started"
  expect 0 "delete an article" -- "$cli" articles delete articles/101-csto-bishkek-2019
  local code=0
  wait "$watch_pid" || code=$?
  [ "$code" -eq 0 ] || { cat "$t/watch.err" >&2; fail "watch ended with $code"; }
  grep -q "summits/csto-2019" "$t/watch.out" || { cat "$t/watch.out" >&2; fail "watch saw the change"; }
  "$cli" summits watch >"$t/watch.out" 2>"$t/watch.err" &
  watch_pid=$!
  for _ in $(seq 1 200); do grep -q "watching summits" "$t/watch.err" && break; sleep 0.05; done
  kill -INT "$watch_pid"
  code=0
  wait "$watch_pid" || code=$?
  [ "$code" -eq 0 ] || { cat "$t/watch.err" >&2; fail "Ctrl-C ends a watch cleanly ($code)"; }
  ok "watch: replay, a live change, Ctrl-C"

  # parse stays offline and prints the evaluation contract.
  expect 0 "parse jsonl" -- "$cli" parse --jsonl "$SAMPLES_DIR/104_csto-yerevan-2022.txt"
  has out '^{"file":"104_csto-yerevan-2022.txt","article":"articles/104-csto-yerevan-2022"' "parse contract"
  ok "parse --jsonl"
  echo "$pass groups passed"
}

run_exits() {
  set -uo pipefail
  local cli=$CLI_BIN t=$TEST_DIR
  local c=("$cli" --ingest="$INGEST_ADDR" --query="$QUERY_ADDR" --tls_ca="$CA_FILE"
           --token_file="$WRITER_TOKEN_FILE")
  "${c[@]}" ingest "$SAMPLES_DIR" >"$t/ingest.out" || { echo "FAIL: ingest" >&2; return 1; }
  local token
  token=$(sed -n 's/^consistency token: //p' "$t/ingest.out")
  "${c[@]}" --consistency_token="$token" summits list >/dev/null || return 1
  # Two loops at once (the machine's two cores), each its own half.
  loop() {
    local worker=$1 runs=$2 bad=0 i code want
    for ((i = 0; i < runs; i++)); do
      code=0
      if (((i + worker) % 2)); then
        "${c[@]}" summits list >"$t/out$worker" 2>"$t/err$worker" || code=$?
        want=0
      else
        "${c[@]}" summits get summits/nope >"$t/out$worker" 2>"$t/err$worker" || code=$?
        want=1
      fi
      if [ "$code" -ne "$want" ] || grep -q "double free\|corrupt\|Aborted" "$t/err$worker"; then
        bad=$((bad + 1))
        echo "worker $worker run $i: exit $code (expected $want)" >&2
        head -c 500 "$t/err$worker" >&2
      fi
    done
    echo "$bad" > "$t/bad$worker"
  }
  local start=$(date +%s%N)
  loop 0 $((EXIT_RUNS / 2)) &
  local first=$!
  loop 1 $((EXIT_RUNS - EXIT_RUNS / 2))
  wait "$first"
  local bad=$(( $(cat "$t/bad0") + $(cat "$t/bad1") ))
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "$EXIT_RUNS CLI runs (2 loops at once) against live services in $ms ms, $bad abnormal exits"
  [ "$bad" -eq 0 ]
}
export -f run_commands run_exits

case "$mode" in
  commands) fn=run_commands ;;
  exits) fn=run_exits ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
"$repo/clients/common/with_services.sh" "$ingest_bin" "$query_bin" \
  "$work/services" -- bash -c "$fn"
