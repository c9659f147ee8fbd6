# model_type auto and gbdt's early stopping end to end (docs/CONTRACT.md §5): auto trains
# logreg and gbdt, keeps gbdt only when its calib log loss is clearly lower, records both
# candidates in metrics.json and model.json; the kept model scores and the report renders;
# gbdt records its validation slice and rounds, and early_stopping_rounds: 0 turns it off.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 45 --end-date 2026-06-30 --seed 5 >/dev/null 2>&1
write_config "$TMP/data" "$TMP/auto.yaml" "model:" "  model_type: auto" "  nthread: 1"
write_config "$TMP/data" "$TMP/gbdt_off.yaml" "model:" "  model_type: gbdt" "  nthread: 1" \
  "  lgbm_params: {n_estimators: 30, early_stopping_rounds: 0}"

# ---- auto: trains, chooses, records both
expect_exit 0 -- "$ELV" train --config "$TMP/auto.yaml" --out-dir "$TMP/auto" --threads 1 && pass "train auto"
python3 - "$TMP/auto" <<'PY' && pass "auto: both candidates recorded, the lower calib log loss kept" || fail "auto metrics"
import json, math, sys
run = sys.argv[1]
m = json.load(open(f"{run}/metrics.json"))
b = json.load(open(f"{run}/model.json"))
a = m["auto"]
cands = a["candidates"]
assert [c["model_type"] for c in cands] == ["logreg", "gbdt"], cands
for c in cands:
    assert 0 < c["calib_log_loss"] < 1 and 0 < c["calib_log_loss_raw"] < 2, c
    assert 0.5 < c["test"]["roc_auc"] < 1, c
    assert set(c["test"]) == {"roc_auc", "pr_auc", "brier", "log_loss", "ece"}, c
# logreg is kept unless gbdt's calib log loss is lower by more than two standard errors of
# the per-lead difference (not recorded): gbdt is kept only when lower, logreg on close calls.
best = next(c for c in cands if c["model_type"] == a["chosen"])
assert a["chosen"] == m["model_type"] == b["model_type"], (a["chosen"], m["model_type"])
if a["chosen"] == "gbdt":
    assert cands[1]["calib_log_loss"] < cands[0]["calib_log_loss"], cands
# The kept model's test figures are the run's own.
assert math.isclose(best["test"]["roc_auc"], m["model"]["roc_auc"], rel_tol=0, abs_tol=1e-12)
assert math.isclose(best["test"]["log_loss"], m["model"]["log_loss"], rel_tol=0, abs_tol=1e-12)
assert b["training"]["model_type_requested"] == "auto"
assert b["training"]["auto"]["chosen"] == a["chosen"]
assert len(b["training"]["auto"]["candidates"]) == 2
# The gbdt candidate's early stopping, on a slice of the train split only.
g = cands[1]["gbdt"]
n_train = m["data"]["n_train"]
assert g["early_stopping"] is True
assert g["fit_rows"] + g["validation_rows"] == g["refit_rows"] == n_train, g
assert g["validation_rows"] == math.ceil(0.2 * n_train), g
assert g["validation_start_time"] <= m["split"]["train_end_time"], g
assert 1 <= g["best_rounds"] == g["rounds_used"] <= g["rounds_run"] <= g["rounds_requested"] == 400, g
assert g["rounds_run"] == 400 or g["rounds_run"] - g["best_rounds"] == 50, g
PY
grep -q "chosen by auto" "$TMP/auto/report.html" && pass "report names auto's choice" || fail "report.html: no auto"
grep -q "requested as" "$TMP/auto/report.html" && fail "report says 'requested as' for auto" || pass "no 'requested as' for auto"
# The kept model scores new data, as any bundle.
expect_exit 0 -- "$ELV" score --config "$TMP/auto.yaml" --model "$TMP/auto/model.json" --out-dir "$TMP/score" && pass "score with auto's model"
cmp <(cut -d, -f12 "$TMP/score/predictions.csv") <(cut -d, -f12 "$TMP/auto/predictions.csv") \
  && pass "score == train predictions" || fail "score differs from train"
[ -s "$TMP/score/report.html" ] && pass "score report renders" || fail "score report.html missing"

# ---- gbdt with early stopping off: the configured rounds, said so
expect_exit 0 -- "$ELV" train --config "$TMP/gbdt_off.yaml" --out-dir "$TMP/off" --threads 1 && pass "train gbdt, early stopping off"
[ "$(json_get "$TMP/off/metrics.json" 'd["gbdt"]["early_stopping"], d["gbdt"]["rounds_used"], "validation_rows" in d["gbdt"]')" = "False 30 False" ] \
  && pass "early_stopping_rounds: 0 trains the configured rounds" || fail "off: $(json_get "$TMP/off/metrics.json" 'd["gbdt"]')"
[ "$(json_get "$TMP/off/model.json" 'd["model"]["params"]["n_estimators"], d["training"]["gbdt"]["early_stopping"]')" = "30 False" ] \
  && pass "model.json records it" || fail "off model.json"
grep -q "early_stopping_rounds: 0" "$TMP/off/config.yaml" && pass "config.yaml writes the key back" || fail "config.yaml"

# ---- the config names the allowed model types
write_config "$TMP/data" "$TMP/bad.yaml" "model:" "  model_type: best"
expect_exit 1 -- "$ELV" train --config "$TMP/bad.yaml" --out-dir "$TMP/bad" && expect_in_output "must be one of logreg, gbdt, lgbm, auto"
write_config "$TMP/data" "$TMP/bad2.yaml" "model:" "  lgbm_params: {validation_frac: 0.9}"
expect_exit 1 -- "$ELV" train --config "$TMP/bad2.yaml" --out-dir "$TMP/bad2" && expect_in_output "model.lgbm_params.validation_frac: must be > 0 and <= 0.5"
finish
