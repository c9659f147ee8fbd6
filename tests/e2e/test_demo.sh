# elv demo: data, table and scores with the bundled demo model in one new run folder.
source "$(dirname "$0")/lib.sh" "$@"

expect_exit 0 -- "$ELV" demo --out-dir "$TMP/demo" --end-date 2026-06-30 && pass "demo exits 0"
expect_in_output "scored the synthetic data"
for f in predictions.csv leaderboard_campaign.csv leaderboard_adset.csv drift.json data/ads.csv data/leads.csv data/outcomes.csv data/ads_placement.csv data/ads_geo.csv \
         data/adset_targeting.csv data/ad_creatives.csv table.csv.gz metadata.json data_profile.json \
         data_profile.md config.yaml; do
  [ -s "$TMP/demo/$f" ] && pass "$f" || fail "$f missing"
done
json_get "$TMP/demo/data_profile.json" 'd["table"]["rows"]' >/dev/null && pass "profile parses"
[ "$(json_get "$TMP/demo/metadata.json" 'd["table"]["rows"]')" -eq 12000 ] && pass "12000 leads" || fail "rows"
# The recorded config points at the data inside the run, and builds the same table again.
grep -q "$TMP/demo/data/ads.csv" "$TMP/demo/config.yaml" && pass "config points into the run" || fail "config paths"
expect_exit 0 -- "$ELV" build-table --config "$TMP/demo/config.yaml" --out-dir "$TMP/again" && pass "rebuild from run config"
cmp <(zcat "$TMP/demo/table.csv.gz") <(zcat "$TMP/again/table.csv.gz") && pass "same table" || fail "tables differ"
# Score-first: predictions from the bundled model, recorded as such.
[ -s "$TMP/demo/predictions.csv" ] && pass "predictions.csv" || fail "no predictions"
[ "$(json_get "$TMP/demo/metadata.json" 'd["model"]["path"]')" = "(bundled demo model)" ] && pass "bundled model recorded" || fail "model path"
[ "$(json_get "$TMP/demo/metadata.json" 'd["model"]["training"]["created_at_utc"]')" = "2026-01-31T00:00:00+00:00" ] && pass "bundled model is the pinned asset" || fail "bundled model"
finish
