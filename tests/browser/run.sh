#!/usr/bin/env bash
# Runs the Playwright tests of the elv serve web app against a fresh server.
#
#   bash tests/browser/run.sh <elv binary> <repo root> <artifact dir>
#
# Makes temporary runs and data folders and a free port, starts nothing itself (Playwright's
# webServer starts `elv serve`), keeps screenshots, traces, server.log and output.txt in the
# artifact dir, and ends with a line "N passed, N failed". Exit status is non-zero when any
# test fails or the tests could not run.
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 <elv binary> <repo root> <artifact dir>" >&2
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
if [ ! -d "$TESTS_DIR/node_modules/@playwright/test" ]; then
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
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
ELV_RUNS_DIR="$WORK/runs"
ELV_DATA_DIR="$WORK/data"
mkdir -p "$ELV_RUNS_DIR" "$ELV_DATA_DIR"

ELV_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])') || {
  echo "browser tests: could not find a free port" >&2; exit 2; }

# Artifacts of this run only.
rm -rf "$ELV_ARTIFACTS/screenshots" "$ELV_ARTIFACTS/test-results" "$ELV_ARTIFACTS/results.json" \
  "$ELV_ARTIFACTS/server.log" "$ELV_ARTIFACTS/output.txt"

export ELV_BIN ELV_PORT ELV_RUNS_DIR ELV_DATA_DIR ELV_ARTIFACTS ELV_CHROMIUM="$CHROMIUM"
# Never let Playwright try to download a browser; keep its caches out of $HOME.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI=1
export PLAYWRIGHT_BROWSERS_PATH="$WORK/no-browsers"

echo "browser tests: elv=$ELV_BIN port=$ELV_PORT artifacts=$ELV_ARTIFACTS"
cd "$TESTS_DIR" || exit 2
npx --no-install playwright test --workers=1 2>&1 | tee "$ELV_ARTIFACTS/output.txt"
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
