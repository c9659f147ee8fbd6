# train / score / batch-score / demo end to end on generated data: every artifact exists
# and parses, metrics.json has exactly the keys of docs/CONTRACT.md §5, and the failure modes exit 1
# with a message that names what is wrong.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 90 --end-date 2026-06-30 >/dev/null 2>&1
write_config "$TMP/data" "$TMP/logreg.yaml"
write_config "$TMP/data" "$TMP/gbdt.yaml" "model:" "  model_type: lgbm" "  calibration_method: isotonic" \
  "  nthread: 1" "  lgbm_params: {n_estimators: 60}"

# ---- train, both model types
for m in logreg gbdt; do
  expect_exit 0 -- "$ELV" train --config "$TMP/$m.yaml" --out-dir "$TMP/train_$m" --threads 1 && pass "train $m"
  for f in config.yaml metadata.json data_profile.json data_profile.md table.csv.gz metrics.json \
           model.json predictions.csv leaderboard_campaign.csv leaderboard_adset.csv; do
    [ -s "$TMP/train_$m/$f" ] || fail "train $m: $f missing"
  done
done
keys=$(json_get "$TMP/train_logreg/metrics.json" '",".join(sorted(d))')
[ "$keys" = "baseline_campaign_rate,calibration_method,data,drift,drivers,drivers_method,model,model_type,split" ] \
  && pass "metrics.json top-level keys" || fail "metrics keys: $keys"
mkeys=$(json_get "$TMP/train_logreg/metrics.json" '",".join(sorted(d["model"]))')
[ "$mkeys" = "brier,calibration,lift_at_k,lift_curve,log_loss,pr_auc,roc_auc" ] && pass "model metric keys" || fail "model keys: $mkeys"
lkeys=$(json_get "$TMP/train_logreg/metrics.json" '",".join(sorted(d["model"]["lift_at_k"]))')
[ "$lkeys" = "capture,k,lift,overall_rate,topk_frac,topk_rate" ] && pass "lift keys" || fail "lift keys: $lkeys"
dkeys=$(json_get "$TMP/train_logreg/metrics.json" '",".join(sorted(d["data"]))')
[ "$dkeys" = "n_calib,n_labeled,n_test,n_train,positive_rate_labeled" ] && pass "data keys" || fail "data keys: $dkeys"
[ "$(json_get "$TMP/train_gbdt/metrics.json" 'd["model_type"]')" = "gbdt" ] && pass "lgbm is an alias of gbdt" || fail "model_type"
[ "$(json_get "$TMP/train_gbdt/model.json" 'd["format"]')" = "elv-model/1" ] && pass "bundle format" || fail "format"
[ "$(json_get "$TMP/train_gbdt/model.json" '"learner" in d["model"]["xgboost"]')" = "True" ] && pass "XGBoost's own JSON inside" || fail "xgboost json"
# The model beats the campaign-rate baseline on this data.
better=$(json_get "$TMP/train_logreg/metrics.json" 'd["model"]["roc_auc"] > d["baseline_campaign_rate"]["roc_auc"]')
[ "$better" = "True" ] && pass "logreg beats the baseline" || fail "logreg AUC not above baseline"
# predictions.csv: every lead, unknowns included, ranks 1..n.
n_leads=$(tail -n +2 "$TMP/data/leads.csv" | wc -l)
python3 - "$TMP/train_logreg/predictions.csv" "$n_leads" <<'PY' && pass "predictions.csv consistent" || fail "predictions.csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == int(sys.argv[2]), len(rows)
assert sorted(int(r["score_rank"]) for r in rows) == list(range(1, len(rows) + 1))
assert any(r["label_status"] == "unknown" for r in rows)
for r in rows:
    p = float(r["p_qualified_14d"]); assert 0 < p < 1
    assert abs(float(r["elv"]) - p * float(r["value_per_qualified"])) < 1e-12
best = min(rows, key=lambda r: int(r["score_rank"]))
assert float(best["p_qualified_14d"]) == max(float(r["p_qualified_14d"]) for r in rows)
PY

# ---- score and batch-score with the trained bundle
expect_exit 0 -- "$ELV" score --config "$TMP/logreg.yaml" --model "$TMP/train_logreg/model.json" --out-dir "$TMP/score" && pass "score"
for f in predictions.csv leaderboard_campaign.csv leaderboard_adset.csv drift.json metadata.json table.csv.gz; do
  [ -s "$TMP/score/$f" ] || fail "score: $f missing"
done
[ "$(json_get "$TMP/score/drift.json" 'sorted(d) == sorted(["method","bins","epsilon","psi_threshold","psi_moderate","headline","columns","flagged_columns","n_flagged"])')" = "True" ] \
  && pass "drift.json keys" || fail "drift.json keys"
# Same data, same model: score reproduces train's predictions.
cmp <(cut -d, -f12 "$TMP/score/predictions.csv") <(cut -d, -f12 "$TMP/train_logreg/predictions.csv") \
  && pass "score == train predictions" || fail "score differs from train"

head -1 "$TMP/data/leads.csv" >"$TMP/new_leads.csv"
tail -n 500 "$TMP/data/leads.csv" >>"$TMP/new_leads.csv"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/logreg.yaml" --model "$TMP/train_logreg/model.json" \
  --leads-path "$TMP/new_leads.csv" --out-dir "$TMP/batch" && pass "batch-score"
[ "$(ls "$TMP/batch" | sort | tr '\n' ' ')" = "$(ls "$TMP/score" | sort | tr '\n' ' ')" ] \
  && pass "batch-score writes the same artifacts as score" || fail "artifacts differ: $(ls "$TMP/batch")"
[ "$(tail -n +2 "$TMP/batch/predictions.csv" | cut -d, -f9 | sort -u)" = "unknown" ] \
  && pass "batch-score labels nothing" || fail "batch-score labeled leads"
[ "$(tail -n +2 "$TMP/batch/predictions.csv" | wc -l)" -eq 500 ] && pass "batch-score scores the new leads" || fail "batch rows"
grep -q "leads_path: $TMP/new_leads.csv" "$TMP/batch/config.yaml" && grep -q "outcomes_path: null" "$TMP/batch/config.yaml" \
  && pass "batch-score records the effective config" || fail "batch config.yaml: $(grep path "$TMP/batch/config.yaml")"
expect_exit 1 -- "$ELV" batch-score --config "$TMP/logreg.yaml" --model "$TMP/train_logreg/model.json" \
  --leads-path "$TMP/nope.csv" --out-dir "$TMP/batch_missing" && expect_in_output "given by --leads-path"
write_config "$TMP/data" "$TMP/lag0.yaml" "features:" "  feature_lag_days: 0"
expect_exit 1 -- "$ELV" score --config "$TMP/lag0.yaml" --model "$TMP/train_logreg/model.json" --out-dir "$TMP/s_lag" \
  && expect_in_output "trained with features.feature_lag_days = 1"
expect_exit 1 -- "$ELV" batch-score --config "$TMP/logreg.yaml" --model "$TMP/train_logreg/model.json" \
  --leads-path "$TMP/new_leads.csv" --out-dir "$TMP/batch" && expect_in_output "not empty"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/logreg.yaml" --model "$TMP/train_logreg/model.json" \
  --leads-path "$TMP/new_leads.csv" --out-dir "$TMP/batch" --overwrite && pass "batch-score --overwrite"

# ---- each pipeline records what made the run (the web app's run list reads it)
for pair in train_logreg:train score:score batch:batch-score; do
  dir="${pair%%:*}" want="${pair#*:}"
  got="$(json_get "$TMP/$dir/metadata.json" 'd["run_kind"]')"
  [ "$got" = "$want" ] && pass "$dir: run_kind $want" || fail "$dir: run_kind '$got', expected $want"
done

# ---- failures name what is wrong
grep -v ads_placement_path "$TMP/logreg.yaml" >"$TMP/no_placement.yaml"
expect_exit 1 -- "$ELV" score --config "$TMP/no_placement.yaml" --model "$TMP/train_logreg/model.json" --out-dir "$TMP/s2" \
  && expect_in_output "ads_placement.csv"
[ ! -e "$TMP/s2" ] && pass "failed score leaves no run" || fail "failed score left a folder"
head -c 2000 "$TMP/train_logreg/model.json" >"$TMP/truncated.json"
expect_exit 1 -- "$ELV" score --config "$TMP/logreg.yaml" --model "$TMP/truncated.json" --out-dir "$TMP/s3" && expect_in_output "truncated"
sed 's/"format_version": 1/"format_version": 9/' "$TMP/train_logreg/model.json" >"$TMP/v9.json"
expect_exit 1 -- "$ELV" score --config "$TMP/logreg.yaml" --model "$TMP/v9.json" --out-dir "$TMP/s4" && expect_in_output "unsupported model format"
expect_exit 2 -- "$ELV" score --config "$TMP/logreg.yaml" && pass "score without --model is a usage error"
# Too few labeled leads: a clear refusal.
write_config "$TMP/data" "$TMP/early.yaml" "label:" "  as_of_date: 2026-04-10"
expect_exit 1 -- "$ELV" train --config "$TMP/early.yaml" --out-dir "$TMP/t_early" && expect_in_output "leads have a known result"

# ---- demo: score-first with the bundled model, and --train
expect_exit 0 -- "$ELV" demo --out-dir "$TMP/demo" --end-date 2026-06-30 --value-per-qualified 120 && pass "demo"
for f in data/ads.csv predictions.csv leaderboard_campaign.csv leaderboard_adset.csv drift.json metadata.json \
         data_profile.json table.csv.gz config.yaml; do
  [ -s "$TMP/demo/$f" ] || fail "demo: $f missing"
done
json_get "$TMP/demo/drift.json" 'd["n_flagged"]' >/dev/null && pass "demo drift.json parses"
[ "$(sed -n 2p "$TMP/demo/predictions.csv" | cut -d, -f13)" = "120" ] && pass "value per qualified applied" || fail "value_per_qualified"
expect_exit 0 -- "$ELV" demo --train --model-type gbdt --out-dir "$TMP/demo_train" --end-date 2026-06-30 --threads 1 && pass "demo --train"
for f in metrics.json model.json predictions.csv leaderboard_campaign.csv; do
  [ -s "$TMP/demo_train/$f" ] || fail "demo --train: $f missing"
done
[ "$(json_get "$TMP/demo_train/metrics.json" 'd["model_type"]')" = "gbdt" ] && pass "demo --model-type" || fail "demo model type"
expect_exit 0 -- "$ELV" demo --model "$TMP/train_logreg/model.json" --out-dir "$TMP/demo_model" --end-date 2026-06-30 && pass "demo --model"
expect_exit 2 -- "$ELV" demo --train --model "$TMP/train_logreg/model.json" && pass "--train with --model is a usage error"
# ---- the training cap: the most recent N labeled leads, recorded in metrics.json
expect_exit 0 -- "$ELV" train --config "$TMP/logreg.yaml" --out-dir "$TMP/train_capped" --threads 1 --max-labeled-leads 2000 --quiet \
  && pass "train --max-labeled-leads"
[ "$(json_get "$TMP/train_capped/metrics.json" 'd["data"]["n_labeled"], d["data"]["max_labeled_leads"], d["data"]["n_labeled_before_cap"] > 2000')" = "2000 2000 True" ] \
  && pass "cap recorded in metrics.json" || fail "cap: $(json_get "$TMP/train_capped/metrics.json" 'd["data"]')"
# A cap below the 50 leads a model needs is a usage error (exit 2), before any data work.
expect_exit 2 -- "$ELV" train --config "$TMP/logreg.yaml" --out-dir "$TMP/train_tiny_cap" --max-labeled-leads 10 && expect_in_output "must be >= 50"
[ ! -e "$TMP/train_tiny_cap" ] && pass "no run folder for a usage error" || fail "train_tiny_cap was written"
finish
