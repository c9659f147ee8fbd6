#!/usr/bin/env bash
# elv serve as a process (issue 7): prints its address, lists runs made by the CLI but not
# unfinished (hidden) ones, refuses to be bound beyond this machine unprotected (issue 18),
# refuses a busy port,
# stops cleanly on SIGTERM. The bring-your-own drop zone (issue 13): files under any names
# recognised as the CLI's --data does, ambiguity refused, form questions offered and trained.
source "$(dirname "$0")/lib.sh" "$@"

start_server "$TMP/serve.log" "$TMP/runs"
curl -sf "http://127.0.0.1:$PORT/api/info" >"$TMP/info.json" && pass "answers /api/info" || fail "/api/info"
[ "$(json_get "$TMP/info.json" 'd["max_upload_mb"]')" = 200 ] && pass "default upload limit 200 MB" || fail "upload limit"
grep -q "warning" "$TMP/serve.log" && fail "warned on 127.0.0.1" || pass "no warning on 127.0.0.1"

# A run made by the CLI while the server runs is listed; an unfinished (hidden) one is not.
"$ELV" demo --out-dir "$TMP/runs/cli-run" --quiet >/dev/null 2>&1
mkdir -p "$TMP/runs/.cli-run2.tmp-999" && cp "$TMP/runs/cli-run/metadata.json" "$TMP/runs/.cli-run2.tmp-999/"
curl -sf "http://127.0.0.1:$PORT/api/runs" >"$TMP/runs.json"
[ "$(json_get "$TMP/runs.json" '[r["id"] for r in d]')" = "['cli-run']" ] && pass "lists the CLI run only" \
  || { fail "run list"; cat "$TMP/runs.json" >&2; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/runs/.cli-run2.tmp-999")
[ "$status" = 404 ] && pass "hidden run folder is 404" || fail "hidden run folder gave $status"

# ---- The drop zone: the repeated field `files`, roles by name or header (issue 13) ----
API="http://127.0.0.1:$PORT/api"
"$ELV" demo-data --lead-form --out "$TMP/lf" --days 40 --end-date 2026-06-30 --no-enrichments \
  --leads-per-day 60 >/dev/null 2>&1 || fail "demo-data --lead-form"
# post URL OUT -F... → prints the HTTP status, the body in OUT
post() { local url="$1" out="$2"; shift 2; curl -s -o "$out" -w '%{http_code}' "$@" "$url"; }

status=$(post "$API/validate" "$TMP/v1.json" \
  -F "files=@$TMP/lf/ads.csv;filename=Meta ads export (May).csv" \
  -F "files=@$TMP/lf/leads.csv;filename=my_leads_export.csv" \
  -F "files=@$TMP/lf/outcomes.csv;filename=crm.csv")
[ "$status" = 200 ] && pass "validate with files: 200" || { fail "validate with files gave $status"; cat "$TMP/v1.json" >&2; }
got=$(json_get "$TMP/v1.json" 'sorted((r["role"], r["file"], r["how"].split(":")[0]) for r in d["recognised"])')
want="[('ads', 'Meta ads export (May).csv', 'by headers'), ('leads', 'my_leads_export.csv', 'by headers'), ('outcomes', 'crm.csv', 'by headers')]"
[ "$got" = "$want" ] && pass "recognised roles by header, under the browser's names" || fail "recognised: $got"
[ "$(json_get "$TMP/v1.json" 'd["ok"], d["ignored"], d["question_columns"]')" = "True [] []" ] \
  && pass "usable, nothing ignored, no questions in a plain leads.csv" || fail "v1: $(json_get "$TMP/v1.json" 'd["ok"], d["ignored"], d["question_columns"]')"
grep -q "\.upload-" "$TMP/v1.json" && fail "the answer names the upload folder" || pass "no server path in the answer"

# Two files that could both be leads.csv: 400 naming both.
status=$(post "$API/validate" "$TMP/v2.json" -F "files=@$TMP/lf/ads.csv" \
  -F "files=@$TMP/lf/leads.csv;filename=first leads.csv" -F "files=@$TMP/lf/lead_download.csv;filename=second.csv")
msg=$(json_get "$TMP/v2.json" 'd["error"]')
[ "$status" = 400 ] && pass "two leads files: 400" || fail "two leads files gave $status: $msg"
case "$msg" in *"first leads.csv"*"second.csv"*|*"second.csv"*"first leads.csv"*) pass "names both files" ;; *) fail "message: $msg" ;; esac
case "$msg" in *".upload-"*|*"--data"*) fail "message speaks of the server: $msg" ;; *) pass "message in the upload's terms" ;; esac

# Refused requests: both styles at once, a path as a name, a question that is not a header.
status=$(post "$API/validate" "$TMP/v3.json" -F "files=@$TMP/lf/ads.csv" -F "leads=@$TMP/lf/leads.csv")
[ "$status" = 400 ] && grep -q "not both" "$TMP/v3.json" && pass "files and per-role fields together: 400" || fail "mixed styles gave $status"
status=$(post "$API/validate" "$TMP/v4.json" -F "files=@$TMP/lf/ads.csv;filename=../ads.csv" -F "files=@$TMP/lf/leads.csv")
[ "$status" = 400 ] && grep -q "file name not accepted" "$TMP/v4.json" && pass "a '..' name: 400" || fail "'..' name gave $status"
status=$(post "$API/validate" "$TMP/v5.json" -F "files=@$TMP/lf/ads.csv" -F "files=@$TMP/lf/leads.csv" \
  -F "lead_fields_categorical=not_a_column")
[ "$status" = 400 ] && grep -q "not a column of the leads file" "$TMP/v5.json" && pass "unknown question: 400" || fail "unknown question gave $status"
status=$(post "$API/validate" "$TMP/v5b.json" -F "ads=@$TMP/lf/ads.csv" -F "leads=@$TMP/lf/leads.csv")
[ "$status" = 200 ] && [ "$(json_get "$TMP/v5b.json" 'sorted(r["role"] for r in d["recognised"])')" = "['ads', 'leads']" ] \
  && pass "per-role fields still work, and are listed" || fail "per-role fields gave $status"

# A lead download: the form questions are offered, the contact columns are not.
LF=(-F "files=@$TMP/lf/ads.csv" -F "files=@$TMP/lf/lead_download.csv;filename=form export.csv" -F "files=@$TMP/lf/outcomes.csv")
status=$(post "$API/validate" "$TMP/v6.json" "${LF[@]}")
got=$(json_get "$TMP/v6.json" 'd["question_columns"]')
[ "$got" = "['what_is_your_budget?', 'when_do_you_want_to_start?', 'how_many_employees?']" ] \
  && pass "question_columns: the three questions, nothing personal" || { fail "question_columns: $got ($status)"; head -c 600 "$TMP/v6.json" >&2; }
# A lead download without its header line: its first line is a lead, never offered as questions.
tail -n +2 "$TMP/lf/lead_download.csv" >"$TMP/headerless.csv"
status=$(post "$API/validate" "$TMP/v6b.json" -F "ads=@$TMP/lf/ads.csv" -F "leads=@$TMP/headerless.csv")
[ "$status" = 200 ] && [ "$(json_get "$TMP/v6b.json" 'd["question_columns"]')" = "[]" ] \
  && pass "headerless leads: no question columns" || fail "headerless leads: $status $(json_get "$TMP/v6b.json" 'd.get("question_columns")')"
grep -q "example.com\|Demo Person" "$TMP/v6b.json" && fail "a lead's contact data in the answer" || pass "no contact data from a headerless file"
# A contact column ticked anyway is refused by validate, as with a config.
status=$(post "$API/validate" "$TMP/v7.json" "${LF[@]}" -F "lead_fields_categorical=email")
[ "$status" = 200 ] && [ "$(json_get "$TMP/v7.json" 'd["ok"]')" = False ] && grep -q "contact" "$TMP/v7.json" \
  && pass "email as a question: the usual validate error" || fail "email as a question: $status"
grep -q "@example.com" "$TMP/v7.json" && fail "a lead's e-mail address in the answer" || pass "no lead value in the answer"

# Run: trains with the ticked question; model.json has its one-hot features.
status=$(post "$API/jobs/byo" "$TMP/j.json" "${LF[@]}" -F "train=true" \
  -F "lead_fields_categorical=what_is_your_budget?" -F "lead_fields_numeric=how_many_employees?")
[ "$status" = 202 ] && pass "run with lead_fields: 202" || { fail "run gave $status"; cat "$TMP/j.json" >&2; }
job=$(json_get "$TMP/j.json" 'd.get("job_id", "")')
state=""
for _ in $(seq 600); do
  curl -s "$API/jobs/$job" >"$TMP/job.json"
  state=$(json_get "$TMP/job.json" 'd["state"]')
  case "$state" in succeeded|failed) break ;; esac
  sleep 0.2
done
[ "$state" = succeeded ] && pass "the job succeeded" || { fail "job $state"; cat "$TMP/job.json" >&2; }
run=$(json_get "$TMP/job.json" 'd.get("run_id") or ""')
curl -s "$API/runs/$run/files/model.json" >"$TMP/model.json"
grep -q '"lf_what_is_your_budget?=over_5000"' "$TMP/model.json" && pass "model.json has lf_what_is_your_budget?=over_5000" \
  || fail "model.json lacks lf_what_is_your_budget?=over_5000"
grep -q '"lf_how_many_employees?"' "$TMP/model.json" && pass "model.json has the numeric question" \
  || fail "model.json lacks lf_how_many_employees?"
grep -qi "example.com\|Demo Person" "$TMP/model.json" && fail "contact data in model.json" || pass "no contact data in model.json"

# A second server on the same port is refused with a clear message.
expect_exit 1 -- "$ELV" serve --port "$PORT" --runs-dir "$TMP/runs" && expect_in_output "cannot listen"

# SIGTERM: stops, says so, exits 0.
kill -TERM "$SERVER_PID"
set +e; wait "$SERVER_PID"; code=$?; set -e
[ "$code" = 0 ] && pass "exit 0 on SIGTERM" || fail "exit $code on SIGTERM"
grep -q "stopping" "$TMP/serve.log" && pass "says it is stopping" || fail "no stopping message"

# Bound beyond this machine (issue 18): refused without a token or --public, saying what to do.
expect_exit 1 -- "$ELV" serve --host 0.0.0.0 --port 0 --runs-dir "$TMP/runs" \
  && expect_in_output "refusing to listen on 0.0.0.0" && expect_in_output "--auth-token" \
  && expect_in_output "--public" && pass "refuses 0.0.0.0 without a token"

# --public: allowed, with a warning; uploads are refused.
start_server "$TMP/serve-any.log" "$TMP/runs" --host 0.0.0.0 --public
grep -q "warning: listening on 0.0.0.0" "$TMP/serve-any.log" && pass "warns on 0.0.0.0 --public" || { fail "no warning on 0.0.0.0"; cat "$TMP/serve-any.log" >&2; }
code=$(curl -s -o "$TMP/public.json" -w '%{http_code}' -F "leads=@$TMP/runs/cli-run/data/leads.csv" "http://127.0.0.1:$PORT/api/validate")
[ "$code" = 403 ] && grep -q "uploads are off" "$TMP/public.json" && pass "public mode refuses uploads" || fail "public upload: $code"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true

# A token from the environment: the API wants it, /healthz does not, the log never shows it.
ELV_AUTH_TOKEN=e2e-SECRET-token start_server "$TMP/serve-token.log" "$TMP/runs" --host 0.0.0.0
grep -q "warning" "$TMP/serve-token.log" && fail "warned although a token protects it" || pass "no warning with a token"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/info?token=e2e-SECRET-token")
[ "$code" = 401 ] && pass "401 without the token" || fail "no token: $code"
curl -sf -H "Authorization: Bearer e2e-SECRET-token" "http://127.0.0.1:$PORT/api/info" >/dev/null && pass "200 with the token" || fail "bearer refused"
# The login form: the token as a form field, a session cookie back, and the app with it.
curl -s "http://127.0.0.1:$PORT/" | grep -q 'action="/login"' && pass "the page asks to log in" || fail "no login form"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$TMP/jar" --data-urlencode "token=e2e-SECRET-token" "http://127.0.0.1:$PORT/login")
[ "$code" = 303 ] && grep -q "elv_session" "$TMP/jar" && pass "login sets the session cookie" || fail "login: $code"
grep -q "SECRET" "$TMP/jar" && fail "the token is in the cookie" || pass "the cookie is not the token"
curl -sf -b "$TMP/jar" "http://127.0.0.1:$PORT/" | grep -q "main.js" && pass "the app after login" || fail "no app after login"
curl -sf -b "$TMP/jar" "http://127.0.0.1:$PORT/api/runs" >/dev/null && pass "the API with the cookie" || fail "cookie refused"
curl -sf "http://127.0.0.1:$PORT/healthz" >"$TMP/health.json" && [ "$(json_get "$TMP/health.json" 'd["status"]')" = ok ] && pass "/healthz ok" || fail "/healthz"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true
grep -q "access GET /api/info 401" "$TMP/serve-token.log" && pass "access log line" || { fail "no access log line"; cat "$TMP/serve-token.log" >&2; }
grep -q "SECRET" "$TMP/serve-token.log" && fail "the token is in the log" || pass "no token in the log"

expect_exit 2 -- "$ELV" serve --max-upload-mb 0 && pass "bad --max-upload-mb is a usage error"
finish
