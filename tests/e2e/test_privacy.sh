#!/usr/bin/env bash
# e2e: contact data never reaches an output. A leads.csv saved without its header line has
# a lead's e-mail address and phone number where the column names belong; validate (text
# and --json), build-table, train and the web app's validate API must describe those
# columns ("a column whose name looks like an e-mail address") and ask whether the header
# line is missing, and never print them. Likewise for a real header with a column named
# like an e-mail address, where the runs complete and write artifacts.
# Usage: bash tests/e2e/test_privacy.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

# Made-up leads: every string here must stay out of every output.
SECRETS=("ana.gomez@example.org" "+34 600 123 456" "600 123 456" "Ana Gomez"
         "ben.okafor@example.net" "+1 (555) 010-9999" "010-9999" "Ben Okafor"
         "cy.tran@example.com" "0151 23456789" "Cy Tran")
LEAD_ROWS='910000000000001,2026-06-20T10:15:00Z,ad_000_000_000,Ana Gomez,ana.gomez@example.org,+34 600 123 456
910000000000002,2026-06-21T11:00:00Z,ad_000_000_001,Ben Okafor,ben.okafor@example.net,+1 (555) 010-9999
910000000000003,2026-06-22T12:30:00Z,ad_000_001_000,Cy Tran,cy.tran@example.com,0151 23456789'

DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 30 --end-date 2026-06-30 >/dev/null 2>&1 || { fail "demo-data"; finish; }

# no_secrets LABEL FILE...: none of the made-up contact data in the files (gzip included).
no_secrets() {
  local label="$1" file secret found=""; shift
  for file in "$@"; do
    [ -f "$file" ] || continue
    for secret in "${SECRETS[@]}"; do
      # grep -c reads to the end: "… | grep -q" under pipefail can fail the pipe on a match.
      if [ "$(zcat -f -- "$file" | grep -cF -- "$secret")" -gt 0 ]; then
        found="$found '$secret' in ${file#"$TMP"/}"
      fi
    done
  done
  if [ -z "$found" ]; then pass "$label: no contact data"; else fail "$label: contact data:$found"; fi
}
# has_text LABEL TEXT FILE...: the descriptive message is there (so a lost message fails).
has_text() {
  local label="$1" text="$2"; shift 2
  if grep -sqF -- "$text" "$@"; then pass "$label: says '$text'"; else fail "$label: lacks '$text'"; fi
}
# run_elv NAME WANT_EXIT args...: stdout and stderr in $TMP/NAME.out / $TMP/NAME.err.
run_elv() {
  local name="$1" want="$2" got=0; shift 2
  "$ELV" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || got=$?
  [ "$got" -eq "$want" ] && pass "$name: exit $got" || { fail "$name: exit $got, want $want"; head -5 "$TMP/$name.err" >&2; }
}

# ---- 1. leads.csv without its header line -----------------------------------------------
mkdir -p "$TMP/headerless"
cp "$DATA"/*.csv "$TMP/headerless/"
printf '%s\n' "$LEAD_ROWS" >"$TMP/headerless/leads.csv"
write_config "$TMP/headerless" "$TMP/headerless.yaml"
RUNS="$TMP/runs"
mkdir -p "$RUNS"

run_elv validate 1 validate --config "$TMP/headerless.yaml"
run_elv validate-json 1 validate --config "$TMP/headerless.yaml" --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/validate-json.out" \
  && pass "validate --json is JSON" || fail "validate --json is not JSON"
run_elv build-table 1 build-table --config "$TMP/headerless.yaml" --out-dir "$RUNS/headerless-table" --quiet
run_elv train 1 train --config "$TMP/headerless.yaml" --out-dir "$RUNS/headerless-train" --quiet

for name in validate validate-json build-table train; do
  no_secrets "$name" "$TMP/$name.out" "$TMP/$name.err"
done
MISSING="the first line looks like data, not column names ("
for name in validate validate-json build-table train; do
  has_text "$name" "$MISSING" "$TMP/$name.out" "$TMP/$name.err"
  has_text "$name" "is the header line missing? Add the header line, e.g. lead_id,created_time,ad_id" \
    "$TMP/$name.out" "$TMP/$name.err"
done
has_text "validate" "a column whose name looks like an e-mail address" "$TMP/validate.out"
has_text "validate" "a column whose name looks like a phone number" "$TMP/validate.out"
has_text "validate --json" "a column whose name looks like an e-mail address" "$TMP/validate-json.out"
grep -q '^error: .*leads.csv: the first line looks like data' "$TMP/build-table.err" \
  && pass "build-table: one error line naming leads.csv" || fail "build-table: error line"

# ---- 2. a real header with a column named like contact data: runs complete -------------
mkdir -p "$TMP/oddheader"
cp "$DATA"/*.csv "$TMP/oddheader/"
# The demo leads with two extra columns whose names are a lead's e-mail and phone number.
awk -F, -v OFS=, 'NR == 1 { print $0, "ana.gomez@example.org", "+34 600 123 456"; next } { print $0, "x", "y" }' \
  "$DATA/leads.csv" >"$TMP/oddheader/leads.csv"
write_config "$TMP/oddheader" "$TMP/oddheader.yaml"
run_elv odd-validate 0 validate --config "$TMP/oddheader.yaml"
run_elv odd-validate-json 0 validate --config "$TMP/oddheader.yaml" --json
run_elv odd-build-table 0 build-table --config "$TMP/oddheader.yaml" --out-dir "$RUNS/odd-table" --quiet
run_elv odd-train 0 train --config "$TMP/oddheader.yaml" --out-dir "$RUNS/odd-train" --quiet
for name in odd-validate odd-validate-json odd-build-table odd-train; do
  no_secrets "$name" "$TMP/$name.out" "$TMP/$name.err"
done
has_text "odd validate" "columns elv does not use were left out unread" "$TMP/odd-validate.out"
has_text "odd validate" "a column whose name looks like an e-mail address" "$TMP/odd-validate.out"
has_text "odd validate" "a column whose name looks like a phone number" "$TMP/odd-validate.out"
has_text "odd build-table profile" "a column whose name looks like an e-mail address" "$RUNS/odd-table/data_profile.json"

# Every file of every run folder written (and any the failed runs might have left).
mapfile -t RUN_FILES < <(find "$RUNS" -type f)
[ "${#RUN_FILES[@]}" -gt 0 ] && pass "run folders written: ${#RUN_FILES[@]} files" || fail "no run files"
no_secrets "run folders" "${RUN_FILES[@]}"
[ ! -e "$RUNS/headerless-table" ] && [ ! -e "$RUNS/headerless-train" ] \
  && pass "failed runs left no folder" || fail "a failed run left a folder"

# ---- 3. the web app's validate API ---------------------------------------------------------
start_server "$TMP/serve.log" "$TMP/serve-runs"
if [ -n "$PORT" ]; then
  curl -s -o "$TMP/api-validate.json" -w '%{http_code}' "http://127.0.0.1:$PORT/api/validate" \
    -F "ads=@$TMP/headerless/ads.csv" -F "leads=@$TMP/headerless/leads.csv" \
    -F "outcomes=@$TMP/headerless/outcomes.csv" >"$TMP/api-status" || true
  [ "$(cat "$TMP/api-status")" = 200 ] && pass "/api/validate answers 200" || fail "/api/validate gave $(cat "$TMP/api-status")"
  [ "$(json_get "$TMP/api-validate.json" 'd["ok"]')" = False ] && pass "/api/validate: not usable" || fail "/api/validate ok"
  no_secrets "/api/validate" "$TMP/api-validate.json" "$TMP/serve.log"
  has_text "/api/validate" "$MISSING" "$TMP/api-validate.json"
  has_text "/api/validate" "a column whose name looks like an e-mail address" "$TMP/api-validate.json"
fi
kill -TERM "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
finish
