#!/usr/bin/env bash
# e2e: a run's currency comes from business.currency or from Ads Manager's spend header
# ("Amount spent (EUR)"); two currencies in one run are an error naming both files, for
# validate and build-table alike; the currency reaches metadata.json, report.html and
# export-capi's events.
# Usage: bash tests/e2e/test_currency.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 20 --end-date 2026-06-30 --seed 3 --leads-per-day 100 \
  >/dev/null 2>&1 || { fail "demo-data"; finish; }
sed -i '1s/,spend$/,Amount spent (EUR)/' "$DATA/ads.csv"
sed -E -i 's/lead_([0-9]{9})/120000\1/g' "$DATA/leads.csv" "$DATA/outcomes.csv"  # Meta's lead IDs
write_config "$DATA" "$TMP/c.yaml"

# ---- the header's currency is the run's
expect_exit 0 -- "$ELV" validate --config "$TMP/c.yaml" && pass "validate accepts 'Amount spent (EUR)'"
expect_exit 0 -- "$ELV" train --config "$TMP/c.yaml" --out-dir "$TMP/run" --quiet && pass "train"
[ "$(json_get "$TMP/run/metadata.json" 'd["currency"]')" = EUR ] \
  && pass "metadata.json records currency EUR" || fail "metadata currency"
grep -q 'Value per qualified lead</th><td>1\.00.*EUR <span class="badge flag">placeholder: not set' "$TMP/run/report.html" \
  && pass "report.html shows the value per qualified lead in EUR, flagged as the placeholder" || fail "report currency"
grep -q 'class="tile-value">[0-9][^<]*EUR</span>' "$TMP/run/report.html" \
  && pass "report.html's overview tiles show money in EUR" || fail "tile currency"
for board in leaderboard_campaign.csv leaderboard_adset.csv; do
  python3 - "$TMP/run/$board" <<'PY' && pass "$board: a currency column, EUR on every row" || fail "$board currency"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and list(rows[0])[-1] == "currency" and {r["currency"] for r in rows} == {"EUR"}
PY
done
# The run's currency is the events' without --currency; a different --currency is refused.
expect_exit 0 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/e.jsonl"
[ "$(head -1 "$TMP/e.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["custom_data"]["currency"])')" = EUR ] \
  && pass "export-capi takes the run's currency" || fail "export-capi currency"
expect_exit 2 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/f.jsonl" --currency USD \
  && expect_in_output "differs from the run's currency, EUR"

# ---- a second currency in one run
sed -i '1s/,spend$/,Amount spent (USD)/' "$DATA/ads_geo.csv"
expect_exit 1 -- "$ELV" validate --config "$TMP/c.yaml" \
  && expect_in_output "ads_geo.csv:1: column 'Amount spent (USD)': the spend column is in USD but ads.csv's 'Amount spent (EUR)' is in EUR"
expect_exit 1 -- "$ELV" build-table --config "$TMP/c.yaml" --out-dir "$TMP/t1" \
  && expect_in_output "one run takes one currency"
[ ! -e "$TMP/t1" ] && pass "no run folder after the error" || fail "t1 written"
sed -i '1s/(USD)/(EUR)/' "$DATA/ads_geo.csv"

# ---- business.currency must agree with the headers, and be a code
write_config "$DATA" "$TMP/usd.yaml" "business:" "  currency: USD"
expect_exit 1 -- "$ELV" validate --config "$TMP/usd.yaml" \
  && expect_in_output "the spend column is in EUR but business.currency is USD"
write_config "$DATA" "$TMP/bad.yaml" "business:" "  currency: euro"
expect_exit 1 -- "$ELV" validate --config "$TMP/bad.yaml" \
  && expect_in_output "business.currency: must be an ISO 4217 code of three capital letters"
sed -i '1s/,Amount spent (EUR)$/,spend/' "$DATA/ads.csv" "$DATA/ads_geo.csv"
write_config "$DATA" "$TMP/gbp.yaml" "business:" "  currency: GBP"
expect_exit 0 -- "$ELV" build-table --config "$TMP/gbp.yaml" --out-dir "$TMP/t2" --quiet
[ "$(json_get "$TMP/t2/metadata.json" 'd["currency"]')" = GBP ] && grep -q "currency: GBP" "$TMP/t2/config.yaml" \
  && pass "business.currency reaches metadata.json and config.yaml" || fail "GBP"
finish
