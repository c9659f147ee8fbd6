#!/usr/bin/env bash
# e2e: elv advise against a fake Gemini API (build/fake_gemini, tests/tools/fake_gemini.cpp).
# The request goes to /v1beta/models/<model>:generateContent with the key in the
# x-goog-api-key header and never in the URL; its body is generateContent JSON holding no
# lead id, lead row or dropped column's value; images go inline, videos through the Files
# API's resumable upload; 429 is retried (Retry-After honoured); every failure is one line,
# exit 1, without the key; --save writes advice.md/advice.json without the key; --dry-run
# and refused media make no request.
# Usage: bash tests/e2e/test_advise.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

FAKE="$(dirname "$ELV")/fake_gemini"
[ -x "$FAKE" ] || { fail "fake_gemini not built beside elv ($FAKE)"; finish; }
KEY="AIzaTEST-e2e-advisor-key-0123456789"
export ELV_ADVISOR_BACKOFF_MS=20  # retries without Retry-After wait 20, 40, 80 ms
unset GEMINI_API_KEY GOOGLE_API_KEY GEMINI_MODEL

# A trained run whose leads.csv had an extra column (dropped for privacy) with a secret value
# per lead.
DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 40 --end-date 2026-06-30 >/dev/null 2>&1 || { fail "demo-data"; finish; }
python3 - "$DATA/leads.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
rows[0].append("customer_email")
for i, r in enumerate(rows[1:]):
    r.append(f"secret.person{i}@example.org")
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
PY
RUN="$TMP/run"
"$ELV" train --data "$DATA" --out-dir "$RUN" --threads 1 --quiet >/dev/null 2>&1 || { fail "train"; finish; }
cut -d, -f1 "$RUN/predictions.csv" | tail -n +2 >"$TMP/lead_ids"
[ "$(wc -l <"$TMP/lead_ids")" -gt 100 ] || fail "too few lead ids to check"

FAKE_PID=""
LOG="$TMP/requests.jsonl"
start_fake() {  # start_fake SCENARIO: sets ENDPOINT; the log starts empty
  stop_fake
  rm -f "$TMP/port" "$LOG"; touch "$LOG"
  "$FAKE" "$1" "$TMP/port" "$LOG" 2>>"$TMP/fake.err" &
  FAKE_PID=$!
  for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
  ENDPOINT="http://127.0.0.1:$(cat "$TMP/port")"
}
stop_fake() { if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true; FAKE_PID=""; fi; }
trap 'stop_fake; rm -rf "$TMP"' EXIT
requests() { grep -c . "$LOG" || true; }
# req N EXPR: python expression on the N-th logged request r (0-based), printed; `key` is $KEY.
req() { python3 -c "import json,sys; key=sys.argv[3]; r=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])]; print($2)" "$LOG" "$1" "$KEY"; }
check() {  # check LABEL ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}
no_key_in_output() {
  if grep -qF -- "$KEY" "$TMP/out"; then fail "$1: the key is in the output"; else pass "$1: no key in the output"; fi
}
# advise [options]: elv advise with the key, on $RUN_DIR (default $RUN), against the fake.
advise() { GEMINI_API_KEY="$KEY" "$ELV" advise --run-dir "${RUN_DIR:-$RUN}" --endpoint "$ENDPOINT" --quiet "$@"; }

# --- a plain request --------------------------------------------------------------------
start_fake ok
if expect_exit 0 -- advise --offer "Home solar panels, free survey" --audience "Homeowners 35-65" --model gemini-test-model; then
  expect_in_output "## Quick diagnosis"
  expect_in_output "## 7-day experiment plan"
fi
no_key_in_output "ok"
check "one request" "$(requests)" 1
check "request path" "$(req 0 'r["method"] + " " + r["path"]')" "POST /v1beta/models/gemini-test-model:generateContent"
check "key in x-goog-api-key" "$(req 0 'r["headers"].get("x-goog-api-key")')" "$KEY"
check "key not in the URL" "$(req 0 'key in r["path"]')" "False"
python3 -c "import json,sys; r=json.loads(open(sys.argv[1]).readline()); open(sys.argv[2],'w').write(r['body'])" "$LOG" "$TMP/body.json"
check "body is generateContent JSON" "$(python3 -c '
import json,sys; b=json.load(open(sys.argv[1]))
t=b["contents"][0]["parts"][0]["text"]
print(b["contents"][0]["role"], "systemInstruction" in b, "Home solar panels" in t, "Homeowners 35-65" in t, "top_campaigns" in t)' "$TMP/body.json")" "user True True True True"
if grep -qF -f "$TMP/lead_ids" "$TMP/body.json"; then fail "a lead id is in the request body"; else pass "no lead id in the body"; fi
if grep -q "secret.person" "$TMP/body.json"; then fail "a dropped column's value is in the body"; else pass "no dropped column value in the body"; fi
if grep -qF "$(sed -n 2p "$DATA/leads.csv" | cut -d, -f1-3)" "$TMP/body.json"; then fail "a lead row is in the body"; else pass "no lead row in the body"; fi

# GEMINI_MODEL, then the default model
start_fake ok
GEMINI_MODEL=gemini-env-model expect_exit 0 -- advise --offer "Solar" && check "GEMINI_MODEL" "$(req 0 'r["path"]')" "/v1beta/models/gemini-env-model:generateContent"
start_fake ok
expect_exit 0 -- advise --offer "Solar" && check "default model" "$(req 0 'r["path"]')" "/v1beta/models/gemini-2.0-flash:generateContent"
# GOOGLE_API_KEY works too
start_fake ok
GOOGLE_API_KEY="$KEY" expect_exit 0 -- "$ELV" advise --run-dir "$RUN" --endpoint "$ENDPOINT" --quiet --offer "Solar" &&
  check "GOOGLE_API_KEY" "$(req 0 'r["headers"].get("x-goog-api-key")')" "$KEY"

# --- media ----------------------------------------------------------------------------
python3 -c "import sys; open(sys.argv[1],'wb').write(b'\x89PNG\r\n\x1a\n' + bytes(range(256))*4)" "$TMP/creative.jpg"  # a PNG named .jpg
start_fake ok
expect_exit 0 -- advise --offer "Solar" --media "$TMP/creative.jpg"
check "image inline as PNG (from its bytes)" "$(req 0 'json.loads(r["body"])["contents"][0]["parts"][1]["inline_data"]["mime_type"]')" "image/png"
check "image bytes base64" "$(req 0 'json.loads(r["body"])["contents"][0]["parts"][1]["inline_data"]["data"]')" "$(base64 -w0 "$TMP/creative.jpg")"

python3 -c "import sys; open(sys.argv[1],'wb').write(b'\0\0\0\x20ftypisom\0\0\x02\0isomiso2mp41' + b'\xff'*5000)" "$TMP/creative.mp4"
start_fake video
expect_exit 0 -- advise --offer "Solar" --media "$TMP/creative.mp4" && expect_in_output "## Creative suggestions"
check "video: five requests" "$(requests)" 5
check "video: upload start" "$(req 0 'r["method"], r["path"], r["headers"].get("x-goog-upload-protocol"), r["headers"].get("x-goog-upload-command"), r["headers"].get("x-goog-upload-header-content-length"), r["headers"].get("x-goog-upload-header-content-type")')" \
  "POST /upload/v1beta/files resumable start 5028 video/mp4"
check "video: upload and finalize" "$(req 1 'r["headers"].get("x-goog-upload-command"), r["headers"].get("x-goog-upload-offset"), r["body"]')" "upload, finalize 0 <5028 bytes>"
check "video: PROCESSING then ACTIVE" "$(req 2 'r["method"], r["path"]') $(req 3 'r["path"]')" "GET /v1beta/files/fake-1 /v1beta/files/fake-1"
check "video: referenced by URI" "$(req 4 'json.loads(r["body"])["contents"][0]["parts"][1]["file_data"]["mime_type"], json.loads(r["body"])["contents"][0]["parts"][1]["file_data"]["file_uri"]')" \
  "video/mp4 $ENDPOINT/v1beta/files/fake-1"

# --- retries and failures ---------------------------------------------------------------
start_fake retry_429
START=$(date +%s%N)
expect_exit 0 -- advise --offer "Solar" && expect_in_output "## Quick diagnosis"
ELAPSED_MS=$(( ($(date +%s%N) - START) / 1000000 ))
check "429 retried once" "$(requests)" 2
if [ "$ELAPSED_MS" -ge 950 ]; then pass "Retry-After: 1 honoured (${ELAPSED_MS} ms)"; else fail "Retry-After ignored: ${ELAPSED_MS} ms"; fi

fails_with() {  # fails_with SCENARIO TEXT [advise options]: exit 1, one error line naming TEXT
  local scenario="$1" text="$2"; shift 2
  start_fake "$scenario"
  if expect_exit 1 -- advise --offer "Solar" "$@"; then
    expect_in_output "$text"
    check "$scenario: one line" "$(grep -c . "$TMP/out")" 1
  fi
  no_key_in_output "$scenario"
}
fails_with blocked "blocked the request (promptFeedback.blockReason SAFETY)"
fails_with safety "stopped the answer for safety (finishReason SAFETY)"
fails_with forbidden_403 "rejected the API key (HTTP 403"
expect_in_output "Got: \[API key\]"  # the server echoed the key: scrubbed
fails_with error_500 "server error after 4 attempts"
check "500: 1 try + 3 retries" "$(requests)" 4
fails_with empty "returned an empty answer"
fails_with slow "within 1 s" --timeout 1
RUN_DIR="$TMP/missing-run" fails_with ok "run folder not found"

# --- --save, --dry-run, no key, refused media, missing artifacts -----------------------------
start_fake ok_with_script
if expect_exit 0 -- advise --offer "Solar" --save; then
  expect_in_output "saved: $RUN/advice.md"
  grep -qF "<script>alert(1)</script>" "$RUN/advice.md" && pass "advice.md holds the answer as given" || fail "advice.md lacks the answer"
  check "advice.json" "$(json_get "$RUN/advice.json" 'd["model"], d["template_version"], d["usage"]["totalTokenCount"], "top_campaigns" in d["brief"], d["offer"]')" \
    "gemini-2.0-flash prompt_v1 200 True Solar"
  expect_in_output "updated: $RUN/report.html"
  grep -qF 'id="advice"' "$RUN/report.html" && pass "report.html shows the advice" || fail "report.html has no advice section"
  grep -qF "<script>alert(1)</script>" "$RUN/report.html" && fail "report.html holds the answer's script as HTML" || pass "report.html escapes the answer's script"
fi
if grep -rqF -- "$KEY" "$RUN"; then fail "the key is in the run folder"; else pass "no key anywhere in the run folder"; fi

start_fake ok
if expect_exit 0 -- env -u GEMINI_API_KEY "$ELV" advise --run-dir "$RUN" --endpoint "$ENDPOINT" --offer "Solar" --media "$TMP/creative.jpg" --dry-run; then
  expect_in_output "POST $ENDPOINT/v1beta/models/gemini-2.0-flash:generateContent"
  expect_in_output "1032 bytes of image/png"
  expect_in_output '"systemInstruction"'
fi
check "--dry-run sends nothing" "$(requests)" 0

if expect_exit 1 -- "$ELV" advise --run-dir "$RUN" --endpoint "$ENDPOINT" --offer "Solar"; then
  expect_in_output "set GEMINI_API_KEY (or GOOGLE_API_KEY)"
fi
printf '\0\0\0\x20ftypisom' >"$TMP/huge.mp4"; truncate -s 51M "$TMP/huge.mp4"
if expect_exit 1 -- advise --offer "Solar" --media "$TMP/huge.mp4"; then expect_in_output "over the limit of 50.0 MB"; fi
echo "just text" >"$TMP/notes.png"
if expect_exit 1 -- advise --offer "Solar" --media "$TMP/notes.png"; then expect_in_output "not a PNG, JPEG or WebP image"; fi
check "refused media: no request" "$(requests)" 0

mkdir "$TMP/partial"
cp "$RUN/metadata.json" "$RUN/metrics.json" "$TMP/partial/"
if RUN_DIR="$TMP/partial" expect_exit 1 -- advise --offer "Solar"; then
  expect_in_output "leaderboard_campaign.csv not found in the run folder; elv train, elv score and elv demo write it"
fi
check "missing artifact: no request" "$(requests)" 0


# A run holding the saved advice (advice.md, advice.json) is still elv's: --overwrite replaces it.
[ -f "$RUN/advice.md" ] || fail "no advice.md to overwrite"
if expect_exit 0 -- "$ELV" train --data "$DATA" --out-dir "$RUN" --overwrite --threads 1 --quiet; then
  [ -f "$RUN/advice.md" ] && fail "advice.md survived the overwrite" || pass "--overwrite replaced the run with its saved advice"
fi

finish
