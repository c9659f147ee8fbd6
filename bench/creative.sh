#!/usr/bin/env bash
# The creative analysis' two performance targets (issue 15), on this machine:
#   1. 1,000 JPEG pictures of 1080 x 1080 embedded with the builtin encoder: the whole
#      `elv creative-analyze` process under /usr/bin/time -v (target <= 30 s);
#   2. neighbours (k = 10) and clustering (k = 12, 8 restarts) of 10,000 random normalised
#      embeddings of the builtin dimension, without decoding (target <= 5 s).
#   bench/creative.sh [--build DIR] [--count N]
# Prints the figures; bench/RESULTS.md, "Creative analysis", records them by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build
COUNT=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD_DIR="$2"; shift 2 ;;
    --count) COUNT="$2"; shift 2 ;;
    *) echo "usage: bench/creative.sh [--build DIR] [--count N]" >&2; exit 2 ;;
  esac
done
ELV="$(realpath "$BUILD_DIR/elv")"
MAKE="$(realpath "$BUILD_DIR/make_creatives")"
BENCH="$(realpath "$BUILD_DIR/elv_bench_creative")"
for b in "$ELV" "$MAKE" "$BENCH"; do
  [ -x "$b" ] || { echo "build first: ninja -C $BUILD_DIR elv make_creatives elv_bench_creative" >&2; exit 1; }
done
WORK="${BENCH_WORK:-$(mktemp -d /tmp/elv-creative-bench.XXXXXX)}"
mkdir -p "$WORK/media"
trap '[ -z "${BENCH_KEEP:-}" ] && rm -rf "$WORK"' EXIT

echo "making $COUNT pictures of 1080 x 1080 in $WORK/media ..."
"$MAKE" photos "$WORK/media" "$COUNT" 1080
{ echo "ad_id,media_path"; for f in "$WORK"/media/p*.jpg; do b="$(basename "$f" .jpg)"; echo "ad_$b,$b.jpg"; done; } \
  >"$WORK/media/creative_media.csv"
du -sh "$WORK/media" | sed 's/^/media: /'

/usr/bin/time -v "$ELV" creative-analyze --creative-map "$WORK/media/creative_media.csv" \
  --out-dir "$WORK/out" --quiet 2>"$WORK/time.txt" >/dev/null
wall="$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}')"
user="$(grep 'User time' "$WORK/time.txt" | awk '{print $NF}')"
sys="$(grep 'System time' "$WORK/time.txt" | awk '{print $NF}')"
rss="$(grep 'Maximum resident' "$WORK/time.txt" | awk '{print $NF}')"
dim="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['dimension'])" "$WORK/out/metadata.json")"
echo "creative-analyze, $COUNT pictures 1080x1080 (builtin, d=$dim): wall $wall, user $user s, sys $sys s, peak RSS $((rss / 1024)) MB"
"$BENCH" 10000 "$dim"
