#!/usr/bin/env bash
# Runs the Playwright tests of the elv serve web app against a fresh server.
#
#   bash tests/browser/run.sh <elv binary> <repo root> <artifact dir> [<fake_gemini binary>]
#
# Makes temporary runs and data folders and a free port, starts the fake Gemini API
# (tests/tools/fake_gemini.cpp; by default the fake_gemini beside the elv binary) for the
# Advisor tab (Playwright's webServer starts `elv serve`, pointed at the fake and with a test
# key in its environment), keeps screenshots, traces, server.log and output.txt in the
# artifact dir, and ends with a line "N passed, N failed". Exit status is non-zero when any
# test fails or the tests could not run.
set -uo pipefail

if [ $# -ne 3 ] && [ $# -ne 4 ]; then
  echo "usage: $0 <elv binary> <repo root> <artifact dir> [<fake_gemini binary>]" >&2
  exit 2
fi

abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }

ELV_BIN=$(abspath "$1") || { echo "browser tests: no such binary: $1" >&2; exit 2; }
REPO_ROOT=$(cd "$2" && pwd -P) || { echo "browser tests: no such repo root: $2" >&2; exit 2; }
mkdir -p "$3" && ELV_ARTIFACTS=$(cd "$3" && pwd -P) || { echo "browser tests: cannot make artifact dir $3" >&2; exit 2; }
TESTS_DIR="$REPO_ROOT/tests/browser"

if [ ! -x "$ELV_BIN" ]; then
  echo "browser tests: $ELV_BIN is not an executable (build the elv target first)" >&2
  exit 2
fi
FAKE_GEMINI=${4:-$(dirname "$ELV_BIN")/fake_gemini}
if [ ! -x "$FAKE_GEMINI" ]; then
  echo "browser tests: $FAKE_GEMINI is not an executable (build the fake_gemini target first)" >&2
  exit 2
fi
if [ ! -d "$TESTS_DIR/node_modules/@playwright/test" ] || [ ! -d "$TESTS_DIR/node_modules/@axe-core/playwright" ]; then
  echo "browser tests: tests/browser/node_modules is missing: run scripts/install-deps.sh" >&2
  echo "0 passed, 0 failed (not run)"
  exit 1
fi
CHROMIUM=${ELV_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "browser tests: $CHROMIUM is missing: run scripts/install-deps.sh" >&2
  echo "0 passed, 0 failed (not run)"
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/elv-browser.XXXXXX")
FAKE_PID=""
cleanup() {
  if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ELV_RUNS_DIR="$WORK/runs"
ELV_DATA_DIR="$WORK/data"
mkdir -p "$ELV_RUNS_DIR" "$ELV_DATA_DIR"

ELV_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])') || {
  echo "browser tests: could not find a free port" >&2; exit 2; }

# The fake Gemini API: its answer holds a <script> (the page must show it as text). Its log of
# requests (with the test keys) stays in the temporary folder.
ELV_FAKE_GEMINI_LOG="$WORK/fake_gemini.log"
"$FAKE_GEMINI" ok_with_script "$WORK/fake_gemini.port" "$ELV_FAKE_GEMINI_LOG" 2>"$WORK/fake_gemini.err" &
FAKE_PID=$!
for _ in $(seq 100); do [ -s "$WORK/fake_gemini.port" ] && break; sleep 0.1; done
[ -s "$WORK/fake_gemini.port" ] || { echo "browser tests: the fake Gemini server did not start" >&2; exit 2; }
ELV_ADVISOR_ENDPOINT="http://127.0.0.1:$(tr -d '[:space:]' < "$WORK/fake_gemini.port")"
# The server's own key (Playwright's webServer passes it on as GEMINI_API_KEY).
ELV_ADVISOR_ENV_KEY="ENV-KEY-of-the-server-$(date +%s)-$$"

# Artifacts of this run only.
rm -rf "$ELV_ARTIFACTS/screenshots" "$ELV_ARTIFACTS/test-results" "$ELV_ARTIFACTS/results.json" \
  "$ELV_ARTIFACTS/server.log" "$ELV_ARTIFACTS/output.txt"

export ELV_BIN ELV_PORT ELV_RUNS_DIR ELV_DATA_DIR ELV_ARTIFACTS ELV_CHROMIUM="$CHROMIUM"
export ELV_ADVISOR_ENDPOINT ELV_ADVISOR_ENV_KEY ELV_FAKE_GEMINI_LOG
# Never let Playwright try to download a browser; keep its caches out of $HOME.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI=1
export PLAYWRIGHT_BROWSERS_PATH="$WORK/no-browsers"

echo "browser tests: elv=$ELV_BIN port=$ELV_PORT artifacts=$ELV_ARTIFACTS"
cd "$TESTS_DIR" || exit 2
# ELV_BROWSER_SPECS="specs/a.spec.js specs/b.spec.js" runs only those (while working on them).
# shellcheck disable=SC2086
npx --no-install playwright test --workers=1 ${ELV_BROWSER_SPECS:-} 2>&1 | tee "$ELV_ARTIFACTS/output.txt"
status=${PIPESTATUS[0]}

# The last line: counts from Playwright's JSON report (written by playwright.config.js).
summary=$(node -e '
  const fs = require("fs");
  try {
    const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).stats;
    const failed = (s.unexpected || 0) + (s.flaky || 0);
    let line = `${s.expected || 0} passed, ${failed} failed`;
    if (s.skipped) line += `, ${s.skipped} skipped`;
    console.log(line);
  } catch (e) {
    console.log("0 passed, 0 failed (Playwright wrote no report: see output.txt and server.log)");
  }' "$ELV_ARTIFACTS/results.json")
case "$summary" in
  *"(Playwright wrote no report"*) [ "$status" -eq 0 ] && status=1 ;;
  *skipped*) status=1 ;;  # a skipped test is not a passing one
  *" 0 failed"*) ;;
  *) [ "$status" -eq 0 ] && status=1 ;;
esac
echo "browser tests: screenshots, traces and server.log in $ELV_ARTIFACTS"
echo "$summary"
exit "$status"
