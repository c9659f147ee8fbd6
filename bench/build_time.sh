#!/usr/bin/env bash
# Clean Release build time of the elv binary: configure a fresh build folder, then time
# `ninja -j JOBS elv` (wall clock, /usr/bin/time -v). No compiler cache: what a fresh clone
# pays. Results go into bench/RESULTS.md ("Build time").
# Usage: bench/build_time.sh [jobs] [cmake flags...]   (jobs default: all cores), e.g.
#   bench/build_time.sh 2 -DELV_UNITY_BUILD=OFF
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${1:-$(nproc)}"
shift || true
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER= "$@" >/dev/null
/usr/bin/time -v ninja -C "$dir" -j "$jobs" elv >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log"; exit 1; }
echo "clean Release build of elv, -j $jobs: $(grep -o 'Elapsed (wall clock).*' "$dir/build.log" | sed 's/.*: //')"
echo "slowest files (s):"
awk 'NR > 1 { printf "%6.1f %s\n", ($2 - $1) / 1000, $4 }' "$dir/.ninja_log" | sort -rn | head -5
