#!/usr/bin/env bash
# e2e: refactors keep elv's outputs byte for byte. The demo data of a fixed seed and end
# date, the lead table built from it, and a logreg trained on it (one thread) are pinned by
# MD5. A change that alters any of them on purpose updates the sums here and says why in its
# commit; an accidental one fails. (report.html and model.json are not pinned: they hold the time of the run.)
# Usage: bash tests/e2e/test_pinned_outputs.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

# pinned KIND LABEL WANT: compares the MD5 of stdin with WANT.
pinned() {
  local label="$1" want="$2" got
  got="$(md5sum | cut -d' ' -f1)"
  if [ "$got" = "$want" ]; then pass "$label: unchanged"; else fail "$label: md5 $got, pinned $want"; fi
}

DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 30 --end-date 2026-06-30 --seed 7 >/dev/null 2>&1 \
  || { fail "demo-data"; finish; }
(cd "$DATA" && md5sum ./*.csv) | pinned "demo-data files" f4f41a9031226a6e2d897ba8b76a8da5

write_config "$DATA" "$TMP/c.yaml"
"$ELV" build-table --config "$TMP/c.yaml" --out-dir "$TMP/table" --quiet --threads 1 >/dev/null \
  || { fail "build-table"; finish; }
zcat "$TMP/table/table.csv.gz" | pinned "table.csv.gz content" b758468b5209b5d08e4f8ac8c787305c

"$ELV" train --config "$TMP/c.yaml" --out-dir "$TMP/train" --quiet --threads 1 >/dev/null \
  || { fail "train"; finish; }
# Changed on purpose once (issue 12): one sigmoid for logreg and calibration (Platt scaling
# had its own, e^x / (1 + e^x) below 0), so 965 of 6000 probabilities moved by one ulp.
pinned "predictions.csv" 0d8696d2f43c6402f2891a86bf8d6789 <"$TMP/train/predictions.csv"
pinned "leaderboard_campaign.csv" 0a1ab7e0393fb8200452e50e3caa6e9e <"$TMP/train/leaderboard_campaign.csv"
finish
