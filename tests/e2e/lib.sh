# Shared helpers for the end-to-end tests. Usage: source "$(dirname "$0")/lib.sh" "$@"
set -euo pipefail
ELV="$1"
ROOT="$2"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/elv-e2e.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }

# expect_exit CODE -- command...   (stdout+stderr saved in $TMP/out)
expect_exit() {
  local want="$1"; shift; [ "$1" = "--" ] && shift
  set +e; "$@" >"$TMP/out" 2>&1; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then fail "exit $got (want $want): $*"; sed 's/^/    /' "$TMP/out" | head -20 >&2; return 1; fi
  return 0
}
expect_in_output() {
  if grep -q -- "$1" "$TMP/out"; then pass "output mentions '$1'"; else fail "output lacks '$1'"; sed 's/^/    /' "$TMP/out" | head -20 >&2; fi
}
json_get() {  # json_get FILE PYTHON_EXPR_ON_d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}
write_config() {  # write_config DATA_DIR CONFIG_PATH [extra yaml lines]
  local data="$1" cfg="$2"; shift 2
  cat >"$cfg" <<YAML
schema_version: 1
paths:
  ads_path: $data/ads.csv
  leads_path: $data/leads.csv
  outcomes_path: $data/outcomes.csv
  ads_placement_path: $data/ads_placement.csv
  ads_geo_path: $data/ads_geo.csv
  adset_targeting_path: $data/adset_targeting.csv
  ad_creatives_path: $data/ad_creatives.csv
YAML
  for line in "$@"; do echo "$line" >>"$cfg"; done
}
# start_server LOGFILE RUNS_DIR [serve args...] → starts `elv serve` on a free port in the
# background and sets SERVER_PID and PORT (empty, with a failure and the log, when it printed
# no address within 10 s).
start_server() {
  local log="$1" runs="$2"; shift 2
  : >"$log"  # the server's shell opens it a moment later
  "$ELV" serve --port 0 --runs-dir "$runs" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 100); do
    PORT=$(sed -n 's|.*http://[^:]*:\([0-9]*\)/.*|\1|p' "$log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { fail "elv serve printed no address"; cat "$log" >&2; }
}
finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS failure(s)" >&2; exit 1; fi
  echo "all passed"
}
