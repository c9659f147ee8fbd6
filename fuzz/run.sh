#!/usr/bin/env bash
# Runs every libFuzzer target of a build-fuzz folder for a fixed time each, on a copy of its
# seed corpus (fuzz/corpus/<target>/; the seeds are never modified). Fails when a target
# crashes, trips a sanitizer, breaks an invariant or times out on an input; the input is
# kept in <build>/findings/<target>/ — fix the bug, then add it to the seed corpus.
# Usage: fuzz/run.sh <build-fuzz-dir> <seconds-per-target> [target...]
set -euo pipefail
BUILD="$1"
SECONDS_EACH="$2"
shift 2
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for src in "$HERE"/fuzz_*.cpp; do TARGETS+=("$(basename "$src" .cpp)"); done
fi
failed=0
for t in "${TARGETS[@]}"; do
  work="$BUILD/fuzz-corpus/$t"
  findings="$BUILD/findings/$t"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp "$HERE/corpus/$t"/* "$work/"
  echo "== $t: ${SECONDS_EACH} s on $(ls "$work" | wc -l) seed inputs"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: memory blow-ups are
  # findings too. New interesting inputs go to the work copy only.
  if "$BUILD/$t" "$work" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$findings/" >"$BUILD/$t.log" 2>&1; then
    echo "   ok: $(grep -m1 -E '^stat::number_of_executed_units' "$BUILD/$t.log" | awk '{print $2}') runs, corpus $(ls "$work" | wc -l) inputs"
  else
    failed=1
    echo "   FAILED: see $BUILD/$t.log; input in $findings/"
    grep -E 'ERROR|runtime error|Sanitizer|deadly signal|Test unit written' "$BUILD/$t.log" | head -5 | sed 's/^/   /'
  fi
done
exit "$failed"
