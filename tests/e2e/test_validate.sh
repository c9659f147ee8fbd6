#!/usr/bin/env bash
# e2e: `elv validate` on a demo data set (exit 0, JSON "ok": true), then on a copy whose
# ads.csv lost its spend column (exit 1, the report names spend).
# Usage: bash tests/e2e/test_validate.sh <path-to-elv> <repo-root>
set -euo pipefail

ELV="$1"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$ELV" demo-data --out "$TMP/data" --days 30 --end-date 2026-06-30 >/dev/null 2>&1 \
  || fail "demo-data failed"

write_config() {  # $1 = config path, $2 = data folder
  cat >"$1" <<EOF
schema_version: 1
paths:
  ads_path: $2/ads.csv
  leads_path: $2/leads.csv
  outcomes_path: $2/outcomes.csv
  lead_to_ad_map_path: null
  ads_placement_path: $2/ads_placement.csv
  ads_geo_path: $2/ads_geo.csv
  adset_targeting_path: $2/adset_targeting.csv
  ad_creatives_path: $2/ad_creatives.csv
EOF
}

# ---- clean data: exit 0, text and JSON reports ----------------------------------------
write_config "$TMP/clean.yaml" "$TMP/data"
status=0
"$ELV" validate --config "$TMP/clean.yaml" >"$TMP/clean.out" 2>"$TMP/clean.err" || status=$?
[ "$status" -eq 0 ] || { cat "$TMP/clean.out" "$TMP/clean.err" >&2; fail "clean data: exit $status"; }
grep -q "Result: usable" "$TMP/clean.out" || fail "clean data: no 'Result: usable' line"

status=0
"$ELV" validate --config "$TMP/clean.yaml" --json >"$TMP/clean.json" 2>"$TMP/clean.err" || status=$?
[ "$status" -eq 0 ] || fail "clean data --json: exit $status"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$TMP/clean.json" || fail "--json output is not JSON"
python3 - "$TMP/clean.json" <<'EOF' || fail "clean JSON: unexpected content"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["ok"] is True, report["errors"]
assert report["errors"] == [], report["errors"]
kinds = [f["kind"] for f in report["files"]]
assert kinds == ["ads", "leads", "outcomes", "ads_placement", "ads_geo", "adset_targeting",
                 "ad_creatives"], kinds
for key in ["leads_in_ads", "ads_placement", "ads_geo", "adset_targeting", "ad_creatives"]:
    assert key in report["coverage"], key
assert report["coverage"]["leads_in_ads"] >= 0.9, report["coverage"]
EOF

# ---- broken copy: ads.csv without spend -> exit 1, names spend --------------------------
mkdir -p "$TMP/broken"
cp "$TMP/data"/*.csv "$TMP/broken/"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "spend") col = i; if (!col) exit 3 }
         { out = ""; for (i = 1; i <= NF; i++) if (i != col) out = out (out == "" ? "" : ",") $i; print out }' \
  "$TMP/data/ads.csv" >"$TMP/broken/ads.csv" || fail "could not remove the spend column"
# (No "… | grep -q" under pipefail: grep exiting at the first match can fail the pipe.)
if sed -n 1p "$TMP/broken/ads.csv" | grep spend >/dev/null; then fail "spend still in the broken ads.csv"; fi
write_config "$TMP/broken.yaml" "$TMP/broken"

status=0
"$ELV" validate --config "$TMP/broken.yaml" >"$TMP/broken.out" 2>"$TMP/broken.err" || status=$?
[ "$status" -eq 1 ] || { cat "$TMP/broken.out" "$TMP/broken.err" >&2; fail "broken data: exit $status, expected 1"; }
grep -q "spend" "$TMP/broken.out" "$TMP/broken.err" || fail "broken data: report does not mention spend"
grep -q "^error: .*validation failed" "$TMP/broken.err" || fail "broken data: no 'error: … validation failed' line"

status=0
"$ELV" validate --config "$TMP/broken.yaml" --json >"$TMP/broken.json" 2>/dev/null || status=$?
[ "$status" -eq 1 ] || fail "broken data --json: exit $status, expected 1"
python3 - "$TMP/broken.json" <<'EOF' || fail "broken JSON: unexpected content"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["ok"] is False
assert any(e["column"] == "spend" for e in report["errors"]), report["errors"]
EOF

# ---- usage: --config (or --data) is required (exit 2) -----------------------------------
status=0
"$ELV" validate >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "validate without --config: exit $status, expected 2"

echo "PASS: validate e2e"
