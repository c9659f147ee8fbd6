#!/usr/bin/env bash
# e2e: refactors keep elv's outputs byte for byte. The demo data of a fixed seed and end
# date, the lead table built from it, and a logreg trained on it (one thread) are pinned by
# MD5, its report.html and model.json included. A change that alters any of them on purpose
# updates the sums here and says why in its commit; an accidental one fails.
# The time a run records (created_at_utc in metadata.json and model.json, shown in the
# report) is fixed by SOURCE_DATE_EPOCH, the reproducible-builds convention elv honours
# (docs/CONTRACT.md §7). report.html also names the config, the input files and the run
# folder by absolute path, under this script's temporary folder: that prefix is replaced by
# the text $TMP before the sum. The report shows the elv version, so a version bump changes
# its sum.
# Usage: bash tests/e2e/test_pinned_outputs.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"
export SOURCE_DATE_EPOCH=1782864000  # 2026-07-01T00:00:00Z
# `... | pinned` must count its failure: without lastpipe the last command of a pipeline runs
# in a subshell, and a changed sum printed FAIL but left the script passing.
shopt -s lastpipe

# pinned KIND LABEL WANT: compares the MD5 of stdin with WANT.
pinned() {
  local label="$1" want="$2" got
  got="$(md5sum | cut -d' ' -f1)"
  if [ "$got" = "$want" ]; then pass "$label: unchanged"; else fail "$label: md5 $got, pinned $want"; fi
}

# Changed on purpose (issue 17): the demo data has realistic qualified shares (about 15 %
# within the window, the intercept solved per data set) and a long tail of qualifications
# after the window, so every sum below moved; predictions.csv gained top_reasons, model.json
# feature_medians, metrics and report.html the drivers ("What drives the score").
DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 30 --end-date 2026-06-30 --seed 7 >/dev/null 2>&1 \
  || { fail "demo-data"; finish; }
(cd "$DATA" && md5sum ./*.csv) | pinned "demo-data files" caf81d005a85987dc369bc4015c30501

write_config "$DATA" "$TMP/c.yaml"
# Changed on purpose (issue 17): the table has three more ads features, the long-window
# rates impressions_per_day_long_90d, ctr_long_90d and cpc_long_90d (docs/CONTRACT.md §4.4),
# so the table, the logreg trained on it and everything it writes moved.
"$ELV" build-table --config "$TMP/c.yaml" --out-dir "$TMP/table" --quiet --threads 1 >/dev/null \
  || { fail "build-table"; finish; }
zcat "$TMP/table/table.csv.gz" | pinned "table.csv.gz content" f8fef3c0a40f8583ed2b47ecb19fd192

"$ELV" train --config "$TMP/c.yaml" --out-dir "$TMP/train" --quiet --threads 1 >/dev/null \
  || { fail "train"; finish; }
# Changed on purpose once (issue 12): one sigmoid for logreg and calibration (Platt scaling
# had its own, e^x / (1 + e^x) below 0), so 965 of 6000 probabilities moved by one ulp.
# Changed on purpose (issue 17): a last column top_reasons (the reasons of every score).
# Changed on purpose (issue 17): logreg's default C is 0.1 (was 1.0: bench/RESULTS.md, "Model
# quality"), so the model, its predictions, the leaderboards and the report moved; the table
# did not.
pinned "predictions.csv" e21fcc8ac611cf0a7628646d931aa97a <"$TMP/train/predictions.csv"
pinned "leaderboard_campaign.csv" cbd8047c66a0b72a42e21bb1a261a777 <"$TMP/train/leaderboard_campaign.csv"
# Changed on purpose (issue 16): model.json's drift reference records expected_psi per feature;
# report.html gained the overview section (tiles, value-per-spend charts, budget opportunity,
# definitions), the placeholder-value banner (this config sets no value), leaderboard headers
# with their definitions, and a Drift section judged by the policy of docs/DRIFT.md.
# Changed on purpose (issue 17): model.json records feature_medians (what a reason calls high
# or low); report.html gained the section "What drives the score" (and its navigation link).
pinned "model.json" 60b8ac1a14fa26dd2095110eb2b2a630 <"$TMP/train/model.json"
python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().replace(sys.argv[1].encode(), b"$TMP"))' \
  "$TMP" <"$TMP/train/report.html" | pinned "report.html (paths under \$TMP)" da4f5846eae86aa6f437b2d3674f0c15

# A SOURCE_DATE_EPOCH that is not a number of seconds is refused, naming it, before any work.
if SOURCE_DATE_EPOCH=soon expect_exit 1 -- "$ELV" train --config "$TMP/c.yaml" --out-dir "$TMP/bad" \
  --quiet --threads 1; then
  expect_in_output "SOURCE_DATE_EPOCH"
  if [ -e "$TMP/bad" ]; then fail "a refused SOURCE_DATE_EPOCH left $TMP/bad"; else pass "nothing written"; fi
fi
finish
