#!/usr/bin/env bash
# Installs what the browser tests of `elv serve` need (tests/browser), only what is missing:
#   - Debian's chromium (/usr/bin/chromium): Playwright drives it; we never download a browser
#   - node and npm, from Debian, when node is missing
#   - tests/browser/node_modules, with `npm ci` from the committed package-lock.json
# Idempotent: a second run installs nothing. Run as root (CI and the dev machine are root);
# otherwise it uses sudo when available.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
  echo "install-browser-deps: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y --no-install-recommends "$@"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "$@"
  fi
}

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
if [ ${#packages[@]} -gt 0 ]; then apt_install "${packages[@]}"; fi

# Every package of tests/browser/package.json (Playwright, axe-core for the accessibility
# checks, ESLint for make lint): a missing one means node_modules predates the lock file, so
# npm ci again.
missing_package=$(cd "$ROOT/tests/browser" && node -e '
  const fs = require("fs");
  const deps = Object.keys(require("./package.json").devDependencies || {});
  console.log(deps.filter((d) => !fs.existsSync("node_modules/" + d + "/package.json")).join(" "));')
if [ -n "$missing_package" ]; then
  echo "install-browser-deps: npm ci in tests/browser (missing: $missing_package)"
  # The tests use Debian's chromium; Playwright must not try to download its own browser.
  (cd "$ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
else
  echo "install-browser-deps: chromium, node and tests/browser/node_modules present"
fi
