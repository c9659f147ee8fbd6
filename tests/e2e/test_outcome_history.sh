# e2e: outcome history features (docs/CONTRACT.md §4.8). train computes them from the
# outcomes and stores the snapshot in model.json; score with outcomes computes them again;
# batch-score (no outcomes) gives every lead its ad's counts from the snapshot; a config that
# leaves them off (the default) trains a model without them, which batch-scores without one.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 45 --end-date 2026-06-30 --seed 3 \
  >/dev/null 2>&1 || { fail "demo-data"; finish; }
write_config "$TMP/data" "$TMP/on.yaml" "features:" "  outcome_history: true"
write_config "$TMP/data" "$TMP/off.yaml"  # off by default

expect_exit 0 -- "$ELV" train --config "$TMP/on.yaml" --out-dir "$TMP/train" --threads 1 --quiet \
  && pass "train"
src=$(json_get "$TMP/train/metadata.json" 'd["features"]["outcome_history"]["source"]')
[ "$src" = "outcomes" ] && pass "train: history from the outcomes" || fail "train source: $src"
n=$(json_get "$TMP/train/model.json" 'len(d["outcome_history"]["ad"]) if "ad_past_qualified_rate" in d["features"] else 0')
[ "$n" -gt 10 ] && pass "model.json: the feature and a snapshot of $n ads" || fail "snapshot ads: $n"

expect_exit 0 -- "$ELV" batch-score --config "$TMP/on.yaml" --model "$TMP/train/model.json" \
  --out-dir "$TMP/batch" --threads 1 --quiet && pass "batch-score"
src=$(json_get "$TMP/batch/metadata.json" 'd["features"]["outcome_history"]["source"]')
[ "$src" = "snapshot" ] && pass "batch-score: history from the snapshot" || fail "batch source: $src"
# Every batch-scored lead carries its ad's snapshot count and smoothed rate.
python3 - "$TMP/batch/table.csv.gz" "$TMP/train/model.json" <<'PY' && pass "batch-score: each lead has its ad's snapshot counts" || fail "snapshot values"
import csv, gzip, json, sys
snap = json.load(open(sys.argv[2]))["outcome_history"]
acc = snap["account"]
account_rate = acc["qualified"] / acc["known"]
rows = list(csv.DictReader(gzip.open(sys.argv[1], "rt")))
assert rows
for r in rows:
    c = snap["ad"].get(r["ad_id"], {"known": 0, "qualified": 0})
    assert float(r["ad_past_known_leads"]) == c["known"], (r["ad_id"], r["ad_past_known_leads"], c)
    rate = (c["qualified"] + snap["prior"] * account_rate) / (c["known"] + snap["prior"])
    assert abs(float(r["ad_past_qualified_rate"]) - rate) < 1e-9, (r["ad_id"], rate)
PY

expect_exit 0 -- "$ELV" score --config "$TMP/on.yaml" --model "$TMP/train/model.json" \
  --out-dir "$TMP/score" --threads 1 --quiet && pass "score"
# score reads the outcomes: the same features as training, so the same probabilities.
src=$(json_get "$TMP/score/metadata.json" 'd["features"]["outcome_history"]["source"]')
[ "$src" = "outcomes" ] && pass "score: history from the outcomes" || fail "score source: $src"
python3 - "$TMP/train/predictions.csv" "$TMP/score/predictions.csv" <<'PY' \
  && pass "score with outcomes reproduces train's predictions" || fail "score != train"
import csv, sys
def probabilities(path):
    rows = list(csv.DictReader(open(path, newline="")))
    p = [k for k in rows[0] if k.startswith("p_qualified_")][0]
    return {r["lead_id"]: r[p] for r in rows}
a, b = probabilities(sys.argv[1]), probabilities(sys.argv[2])
assert a == b, sum(a[k] != b.get(k) for k in a)
PY

expect_exit 0 -- "$ELV" train --config "$TMP/off.yaml" --out-dir "$TMP/off" --threads 1 --quiet \
  && pass "train with the default (off)"
has=$(json_get "$TMP/off/model.json" '"outcome_history" in d or any("_past_" in f for f in d["features"])')
[ "$has" = "False" ] && pass "off: no history features, no snapshot" || fail "off: $has"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/on.yaml" --model "$TMP/off/model.json" \
  --out-dir "$TMP/off_batch" --threads 1 --quiet && pass "a model without history batch-scores"
finish
