#!/usr/bin/env bash
# elv against the reference Python tool on the reference's own synthetic data (issue 19):
# build-table and train logreg, whole process, the median of N runs under /usr/bin/time -v.
#   bench/vs_reference.sh DATA_DIR [--runs N] [--build DIR]
# Then one more run of each prints its stage times (the profile).
# DATA_DIR holds the reference generator's files (gzipped or not) and its config.yaml
# (paths relative to it). The reference's own times are quoted in bench/RESULTS.md
# ("Against the reference"), with the machine they were measured on: this script measures elv
# only, and prints the ratio to those quoted times.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=""
RUNS=5
BUILD_DIR=build
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --build) BUILD_DIR="$2"; shift 2 ;;
    -*) echo "usage: bench/vs_reference.sh DATA_DIR [--runs N] [--build DIR]" >&2; exit 2 ;;
    *) DATA="$1"; shift ;;
  esac
done
[ -n "$DATA" ] && [ -f "$DATA/config.yaml" ] ||
  { echo "usage: bench/vs_reference.sh DATA_DIR [--runs N] [--build DIR] (DATA_DIR/config.yaml needed)" >&2; exit 2; }
ELV="$(realpath "$BUILD_DIR/elv")"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
WORK="$(mktemp -d /tmp/elv-vs-reference.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# The data, unpacked next to its config (the config's paths are relative to it).
cp "$DATA"/* "$WORK/"
chmod u+w "$WORK"/*
for f in "$WORK"/*.gz; do [ -e "$f" ] && gunzip -f "$f"; done
CFG="$WORK/config.yaml"
leads=$(($(wc -l <"$WORK/leads.csv") - 1))

# The reference's quoted times (s) for the same stages: bench/RESULTS.md.
declare -A REFERENCE=([build-table]=34.8 [train logreg]=113)

# median_of NAME -- command... → "wall user+sys rss_mb" of the median run (by wall time)
median_of() {
  shift 2
  local results=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" ||
      { echo "failed: $*" >&2; cat "$WORK/stderr.txt" >&2; exit 1; }
    results+=("$(awk -F': ' '
      /Elapsed \(wall clock\)/ {n = split($2, a, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + a[i]}
      /User time/ {u = $2} /System time/ {s = $2} /Maximum resident/ {r = $2 / 1024}
      END {printf "%.3f %.2f %.0f", w, u + s, r}' "$WORK/time.txt")")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

echo "$("$ELV" --version | head -1) ($ELV, commit $(git -C "$(dirname "$ELV")" describe --always --dirty))," \
  "$(nproc) cores, $leads leads, median of $RUNS"
echo "| stage | reference s | elv wall s | elv user+sys s | elv peak RSS MB | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for stage in "build-table" "train logreg"; do
  case "$stage" in
    build-table) cmd=("$ELV" build-table --config "$CFG" --out-dir "$WORK/out" --quiet) ;;
    "train logreg") cmd=("$ELV" train --config "$CFG" --out-dir "$WORK/out" --quiet) ;;
  esac
  read -r wall cpu rss < <(median_of "$stage" -- "${cmd[@]}")
  printf '| %s | %s | %.3f | %.2f | %s | %.0f× |\n' "$stage" "${REFERENCE[$stage]}" "$wall" "$cpu" "$rss" \
    "$(echo "${REFERENCE[$stage]} / $wall" | bc -l)"
done

# The profile: elv's own stage times (what it prints without --quiet), from one more run each.
echo
echo "Stage times of one more run each (elv's progress output):"
for stage in build-table train; do
  rm -rf "$WORK/out"
  "$ELV" "$stage" --config "$CFG" --out-dir "$WORK/out" 2>&1 >/dev/null | sed -n "s/^stages: /- $stage: /p"
done
