#!/usr/bin/env bash
# elv serve as a process (issue 7): prints its address, lists runs made by the CLI but not
# unfinished (hidden) ones, warns when bound beyond this machine, refuses a busy port,
# stops cleanly on SIGTERM.
source "$(dirname "$0")/lib.sh" "$@"

# start_server LOGFILE args...  → sets SERVER_PID and PORT
start_server() {
  local log="$1"; shift
  "$ELV" serve --port 0 --runs-dir "$TMP/runs" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 100); do
    PORT=$(sed -n 's|.*http://[^:]*:\([0-9]*\)/.*|\1|p' "$log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { fail "no address printed"; cat "$log" >&2; }
}

start_server "$TMP/serve.log"
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

# A second server on the same port is refused with a clear message.
expect_exit 1 -- "$ELV" serve --port "$PORT" --runs-dir "$TMP/runs" && expect_in_output "cannot listen"

# SIGTERM: stops, says so, exits 0.
kill -TERM "$SERVER_PID"
set +e; wait "$SERVER_PID"; code=$?; set -e
[ "$code" = 0 ] && pass "exit 0 on SIGTERM" || fail "exit $code on SIGTERM"
grep -q "stopping" "$TMP/serve.log" && pass "says it is stopping" || fail "no stopping message"

# Bound beyond this machine: a warning.
start_server "$TMP/serve-any.log" --host 0.0.0.0
grep -q "warning: listening on 0.0.0.0" "$TMP/serve-any.log" && pass "warns on 0.0.0.0" || { fail "no warning on 0.0.0.0"; cat "$TMP/serve-any.log" >&2; }
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true

expect_exit 2 -- "$ELV" serve --max-upload-mb 0 && pass "bad --max-upload-mb is a usage error"
finish
