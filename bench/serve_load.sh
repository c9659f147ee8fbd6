#!/usr/bin/env bash
# elv serve under load (issue 18): runs tests/e2e/test_serve_load.sh (200 clients at once,
# each sending ROUNDS requests for the page and a run's API while a training job runs) N
# times and prints one Markdown row per run: requests, wall time, latency p50/p95/max, the
# answers' statuses, failures and the server's peak RSS. Recorded by hand in bench/RESULTS.md,
# "Serving under load".
#   bench/serve_load.sh [--runs N] [--rounds R] [--clients C] [--build DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=3
BUILD_DIR=build
export LOAD_ROUNDS=20 LOAD_CLIENTS=200
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --rounds) LOAD_ROUNDS="$2"; shift 2 ;;
    --clients) LOAD_CLIENTS="$2"; shift 2 ;;
    --build) BUILD_DIR="$2"; shift 2 ;;
    *) echo "usage: bench/serve_load.sh [--runs N] [--rounds R] [--clients C] [--build DIR]" >&2; exit 2 ;;
  esac
done
ELV="$(realpath "$BUILD_DIR/elv")"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT

echo "| run | requests | s | p50 ms | p95 ms | max ms | statuses | failures | server peak RSS MB |"
echo "|---:|---:|---:|---:|---:|---:|---|---|---:|"
for i in $(seq "$RUNS"); do
  bash tests/e2e/test_serve_load.sh "$ELV" "$(pwd)" >"$OUT" 2>&1 || true
  python3 - "$OUT" "$i" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
line = next((l for l in text.splitlines() if l.startswith("{")), None)
if line is None:
    sys.exit(f"run {sys.argv[2]}: the test gave no load summary:\n{text}")
d = json.loads(line)
peak = re.search(r"server peak RSS (\d+) MB", text)
lat = d["latency_ms"]
print(f"| {sys.argv[2]} | {d['sent']} | {d['seconds']} | {lat['p50']} | {lat['p95']} | {lat['max']} "
      f"| {d['statuses']} | {d['failures'] or 'none'} | {peak.group(1) if peak else '?'} |")
PY
done
