#!/usr/bin/env bash
# elv serve under a bounded load (issue 18): 200 clients at once, each sending LOAD_ROUNDS
# requests for the page, its assets and a run's API over keep-alive connections, while a
# training job runs. Every request is answered, none with a 5xx, the job still succeeds and
# the server still answers afterwards. Prints the server's peak memory (VmHWM): the figures
# in bench/RESULTS.md, "Serving under load", come from bench/serve_load.sh, which runs this
# test with more rounds.
source "$(dirname "$0")/lib.sh" "$@"
CLIENTS="${LOAD_CLIENTS:-200}"
ROUNDS="${LOAD_ROUNDS:-5}"

"$ELV" demo --out-dir "$TMP/runs/cli-run" --quiet >/dev/null 2>&1 || fail "elv demo"
start_server "$TMP/serve.log" "$TMP/runs" --log-format off
[ -n "$PORT" ] || finish
API="http://127.0.0.1:$PORT/api"

curl -s -o "$TMP/job.json" -X POST -H 'Content-Type: application/json' \
  -d '{"train": true, "model_type": "gbdt"}' "$API/jobs/demo"
JOB=$(json_get "$TMP/job.json" 'd["job_id"]' 2>/dev/null) \
  || { fail "no demo job started: $(cat "$TMP/job.json")"; finish; }

set +e
python3 "$ROOT/tests/e2e/serve_load.py" --port "$PORT" --run cli-run --job "$JOB" \
  --clients "$CLIENTS" --rounds "$ROUNDS" --deadline 120 >"$TMP/load.json"
load_exit=$?
set -e
cat "$TMP/load.json"
[ "$load_exit" = 0 ] && pass "every one of $((CLIENTS * ROUNDS)) requests answered, no 5xx" \
  || fail "the load: $(cat "$TMP/load.json")"
[ "$(json_get "$TMP/load.json" 'list(d["statuses"])')" = "['200']" ] \
  && pass "every answer is 200" || fail "statuses: $(json_get "$TMP/load.json" 'd["statuses"]')"
state=$(json_get "$TMP/load.json" 'd["job_state_at_start"]')
case "$state" in
  queued|running) pass "a job was $state when the load began" ;;
  *) fail "the job was already '$state' when the load began" ;;
esac

# The job still finishes, and the server still answers.
for _ in $(seq 240); do
  state=$(curl -s "$API/jobs/$JOB" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  case "$state" in queued|running) sleep 0.5 ;; *) break ;; esac
done
[ "$state" = succeeded ] && pass "the job succeeded" || fail "the job ended '$state'"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] \
  && pass "healthy after the load" || fail "/healthz after the load"

peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
echo "load: $CLIENTS clients x $ROUNDS requests, $(json_get "$TMP/load.json" 'd["seconds"]') s," \
  "p95 $(json_get "$TMP/load.json" 'd["latency_ms"]["p95"]') ms, server peak RSS $((peak_kb / 1024)) MB"
kill -TERM "$SERVER_PID" && wait "$SERVER_PID" || true
finish
