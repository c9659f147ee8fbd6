#!/usr/bin/env bash
# e2e: runs without a config (`--data DIR`, docs/BYO_CSVS.md "Runs without a config"). A demo
# data set renamed as exports come (a TSV leads download, odd names) is found by name and by
# header, each choice printed; the run's config.yaml names those files and repeats the run
# with --config; two files that could be leads.csv are refused, naming both.
# Usage: bash tests/e2e/test_data_dir.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/demo" --end-date 2026-06-30 --days 30 --leads-per-day 50 \
  >/dev/null 2>&1 || { echo "FAIL: demo-data" >&2; exit 1; }

D="$TMP/exports"
mkdir -p "$D/old"
cp "$TMP/demo/ads.csv" "$D/Meta Ads Report - Jun 2026.csv"
# The lead download as a TSV with an odd name (Meta's download is tab-separated).
python3 - "$TMP/demo/leads.csv" "$D/form_leads_2026-06.tsv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
csv.writer(open(sys.argv[2], "w", newline=""), delimiter="\t").writerows(rows)
PY
# A semicolon CSV with Excel's sep= line.
{ echo "sep=;"; tr ',' ';' <"$TMP/demo/outcomes.csv"; } >"$D/crm export.txt"
cp "$TMP/demo/ads_placement.csv" "$D/breakdown by placement.csv"
cp "$TMP/demo/ads_geo.csv" "$D/ads_geo.csv"                 # elv's own name
cp "$TMP/demo/adset_targeting.csv" "$D/targeting.csv"
cp "$TMP/demo/ad_creatives.csv" "$D/creatives.csv"
cp "$TMP/demo/demo_data.json" "$D/"
printf 'note,text\nhello,world\n' >"$D/notes.csv"
gzip -c "$TMP/demo/leads.csv" >"$D/old leads.csv.gz"

expect_line() {  # expect_line FILE LINE: the exact line is in FILE
  if grep -qxF -- "$2" "$1"; then pass "printed: $2"; else
    fail "missing line: $2"; sed 's/^/    /' "$1" | head -30 >&2; fi
}

# ---- validate --data: which file for which role, and what was ignored -----------------
if expect_exit 0 -- "$ELV" validate --data "$D"; then
  cp "$TMP/out" "$TMP/validate.out"
  expect_in_output "Result: usable"
  O="$TMP/validate.out"
  expect_line "$O" "data: ads = $D/Meta Ads Report - Jun 2026.csv (by headers: date, campaign_id, impressions, clicks, spend)"
  expect_line "$O" "data: leads = $D/form_leads_2026-06.tsv (by headers: lead_id, created_time)"
  expect_line "$O" "data: outcomes = $D/crm export.txt (by headers: lead_id, qualified_time)"
  expect_line "$O" "data: ads_placement = $D/breakdown by placement.csv (by headers: date, ad_id, placement, spend)"
  expect_line "$O" "data: ads_geo = $D/ads_geo.csv (by name)"
  expect_line "$O" "data: adset_targeting = $D/targeting.csv (by headers: adset_id, audience_keywords)"
  expect_line "$O" "data: ad_creatives = $D/creatives.csv (by headers: ad_id, creative_type)"
  expect_line "$O" "data: ignored $D/demo_data.json: not a .csv, .tsv or .txt file"
  expect_line "$O" "data: ignored $D/notes.csv: its header fits no input (columns: note, text)"
  expect_line "$O" "data: ignored $D/old: a folder (only the files directly in --data are read)"
  grep -qF "data: ignored $D/old leads.csv.gz: compressed" "$O" \
    && pass "the .gz file is named as compressed" || fail "no line for the .gz file"
  [ "$(grep -c '^data: ' "$O")" -eq 11 ] && pass "11 data: lines" \
    || fail "expected 11 data: lines, got $(grep -c '^data: ' "$O")"
  # Privacy: no cell of the inputs reaches the terminal (a lead id from the TSV).
  lead=$(sed -n 2p "$TMP/demo/leads.csv" | cut -d, -f1)
  grep -qF -- "$lead" "$O" && fail "a lead id was printed" || pass "no lead id printed"
fi

# ---- train --data, then the run's config.yaml repeats it -------------------------------
R="$TMP/run1"
if expect_exit 0 -- "$ELV" train --data "$D" --out-dir "$R" --threads 1; then
  expect_in_output "data: leads = $D/form_leads_2026-06.tsv"
  C="$R/config.yaml"
  python3 - "$C" "$D" <<'PY' && pass "config.yaml names the files found" || fail "config.yaml paths"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1])); d = sys.argv[2]; p = c["paths"]
want = {"ads_path": "Meta Ads Report - Jun 2026.csv", "leads_path": "form_leads_2026-06.tsv",
        "outcomes_path": "crm export.txt", "ads_placement_path": "breakdown by placement.csv",
        "ads_geo_path": "ads_geo.csv", "adset_targeting_path": "targeting.csv",
        "ad_creatives_path": "creatives.csv", "lead_to_ad_map_path": None}
for k, v in want.items():
    got = p.get(k)
    if got != (None if v is None else d + "/" + v):
        sys.exit(f"{k}: {got!r}")
PY
  if expect_exit 0 -- "$ELV" train --config "$C" --out-dir "$TMP/run2" --threads 1; then
    grep -q '^data: ' "$TMP/out" && fail "--config run printed data: lines" || pass "--config run"
    cmp -s "$R/predictions.csv" "$TMP/run2/predictions.csv" \
      && pass "config.yaml repeats the --data run (same predictions.csv)" \
      || fail "predictions differ between the --data run and its config.yaml"
  fi
  # score needs --model still; with it, --data scores.
  expect_exit 2 -- "$ELV" score --data "$D" --out-dir "$TMP/s0" && expect_in_output "--model"
  expect_exit 0 -- "$ELV" score --data "$D" --model "$R/model.json" --out-dir "$TMP/s1" \
    --quiet && { grep -q '^data: ' "$TMP/out" && fail "--quiet printed data: lines" \
      || pass "score --data --quiet"; }
fi

# ---- usage: both or neither -----------------------------------------------------------
expect_exit 2 -- "$ELV" validate --data "$D" --config "$C" \
  && expect_in_output "--config and --data cannot be used together"
expect_exit 2 -- "$ELV" build-table --out-dir "$TMP/b0" && expect_in_output "give --config C"

# ---- ambiguity and missing inputs: exit 1, naming the files ----------------------------
A="$TMP/ambiguous"
mkdir -p "$A"
cp "$TMP/demo/ads.csv" "$A/ads.csv"
cp "$TMP/demo/leads.csv" "$A/form_a.csv"
cp "$TMP/demo/leads.csv" "$A/form_b.csv"
expect_exit 1 -- "$ELV" train --data "$A" --out-dir "$TMP/r3" \
  && expect_in_output "two files could be leads.csv by their headers: $A/form_a.csv and $A/form_b.csv" \
  && expect_in_output "or use --config"
[ -e "$TMP/r3" ] && fail "a refused run wrote a folder" || pass "nothing written"
rm "$A/ads.csv" "$A/form_b.csv"
expect_exit 1 -- "$ELV" validate --data "$A" && expect_in_output "no ads file: looked for ads.csv"

finish
