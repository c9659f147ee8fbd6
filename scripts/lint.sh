#!/usr/bin/env bash
# make lint: the layer rule (scripts/check-layers.sh), the style (.clang-format, checked, not
# applied: `make format` applies it), ESLint on the web app's modules and the focused bug
# checks of .clang-tidy on every .cpp under src/. Any finding fails.
# Usage: scripts/lint.sh <configured-build-dir> [jobs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: scripts/lint.sh <configured-build-dir> [jobs]}"
jobs="${2:-$(nproc)}"
cd "$root"

bash scripts/check-layers.sh "$root"

# A merge's conflict markers left in a tracked file (a README once kept them for weeks).
if git grep -nE '^(<<<<<<<|>>>>>>>)( |$)' -- . ':!tests/browser/package-lock.json'; then
  echo "lint: merge conflict markers above" >&2
  exit 1
fi
echo "conflict markers: none"

mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/unit/*.cpp' 'tests/unit/*.h' \
                                     'fuzz/*.cpp' 'bench/*.cpp')
clang-format --dry-run --Werror "${sources[@]}"
echo "clang-format: ${#sources[@]} files follow .clang-format"

# The web app's modules: ESLint (installed with the browser tests by install-deps) finds a name
# that is not defined, imported or used before a browser does.
eslint="tests/browser/node_modules/.bin/eslint"
[ -x "$eslint" ] || { echo "lint: no $eslint (run scripts/install-deps.sh)" >&2; exit 1; }
"$eslint" --max-warnings 0 --config tests/browser/eslint.config.mjs src/server/web
echo "eslint: $(git ls-files 'src/server/web/*.js' | wc -l) web modules, no finding"

[ -f "$build/compile_commands.json" ] || { echo "lint: no $build/compile_commands.json (configure first)" >&2; exit 1; }
mapfile -t units < <(git ls-files 'src/*.cpp')
# run-clang-tidy prints each file's findings; its exit status is non-zero on any of them.
run-clang-tidy -quiet -p "$build" -j "$jobs" "${units[@]/#/$root/}" >"$build/clang-tidy.log" 2>&1 || {
  grep -E "(error|warning):" "$build/clang-tidy.log" | sort -u >&2 || cat "$build/clang-tidy.log" >&2
  echo "clang-tidy: findings above (full log: $build/clang-tidy.log)" >&2
  exit 1
}
echo "clang-tidy: ${#units[@]} files, no finding"
