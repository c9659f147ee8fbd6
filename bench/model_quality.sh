#!/usr/bin/env bash
# Model quality benchmark (issues 3 and 17): trains each model type with each calibration
# method on two fixed synthetic data sets — "medium" (120 days, 1,000 leads a day) and
# "small" (seed 11, 60 days, 200 leads a day: 5,400 training leads, where gbdt used to
# overfit) — and writes the test-split figures next to the campaign-rate baseline, plus the
# best ROC-AUC any model could reach (from the generator's truth.csv), into bench/RESULTS.md
# (section "Model quality").
# Usage: bench/model_quality.sh [build dir]
#   MODELS="logreg gbdt auto" (default) and DATASETS="medium small" (default) choose the runs.
#   HISTORY=true turns on the outcome history features (docs/CONTRACT.md §4.8) and writes the
#   section "Outcome history" instead, to compare with "Model quality" (off, the default).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
ELV="$BUILD_DIR/elv"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
MODELS="${MODELS:-logreg gbdt auto}"
DATASETS="${DATASETS:-medium small}"
HISTORY="${HISTORY:-false}"
SECTION="Model quality"
[ "$HISTORY" = "true" ] && SECTION="Outcome history"

declare -A GEN_ARGS=(
  [medium]="--days 120 --campaigns 10 --adsets-per-campaign 5 --ads-per-adset 5 --leads-per-day 1000 --end-date 2026-06-30"
  [small]="--seed 11 --days 60 --end-date 2026-06-30"
)
rows=()
for data in $DATASETS; do
"$ELV" demo-data --out "$WORK/$data" ${GEN_ARGS[$data]} --truth >/dev/null 2>&1
for model in $MODELS; do
  for calib in sigmoid isotonic; do
    name="$data-$model-$calib"
    cat >"$WORK/$name.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $data/ads.csv
  leads_path: $data/leads.csv
  outcomes_path: $data/outcomes.csv
  ads_placement_path: $data/ads_placement.csv
  ads_geo_path: $data/ads_geo.csv
  adset_targeting_path: $data/adset_targeting.csv
  ad_creatives_path: $data/ad_creatives.csv
features:
  outcome_history: $HISTORY
model:
  model_type: $model
  calibration_method: $calib
YAML
    start=$(date +%s.%N)
    "$ELV" train --config "$WORK/$name.yaml" --out-dir "$WORK/run-$name" >/dev/null 2>&1
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    rows+=("$(python3 - "$WORK/run-$name" "$model" "$calib" "$secs" "$WORK/$data/truth.csv" "$data" <<'PY'
import csv, json, sys
run, model, calib, secs, truth_path, data = sys.argv[1:7]
m = json.load(open(f"{run}/metrics.json"))
# Best achievable ROC-AUC on the same test leads: the generator's noise-free probability.
truth = {r["lead_id"]: float(r["p_true"]) for r in csv.DictReader(open(truth_path))}
test_end = m["split"]["calib_end_time"]
preds = [r for r in csv.DictReader(open(f"{run}/predictions.csv"))
         if r["label_status"] != "unknown" and r["is_mature"] == "1" and r["created_time"] > test_end]
def auc(y, s):
    pairs = sorted(zip(s, y)); n1 = sum(y); n0 = len(y) - n1; rank_sum = 0.0; i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]: j += 1
        avg = (i + j + 1) / 2.0
        rank_sum += avg * sum(p[1] for p in pairs[i:j]); i = j
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)
y = [int(r["label"]) for r in preds]
oracle = auc(y, [truth[r["lead_id"]] for r in preds])
f = lambda d: "| {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.2f} |".format(
    d["roc_auc"], d["pr_auc"], d["brier"], d["log_loss"], d["calibration"]["ece"], d["lift_at_k"]["lift"])
# What was kept: auto's choice, gbdt's round count (used of requested) and leaves per tree.
kept = m["model_type"] + (" (auto)" if "auto" in m else "")
if "gbdt" in m:
    g = m["gbdt"]
    kept += f", {g['rounds_used']}/{g['rounds_requested']} rounds, {g['regularisation']['max_leaves']} leaves"
elif m["model_type"] == "gbdt":
    kept += ", all rounds"
print(f"| {data} | {model} | {calib} " + f(m["model"]) + f" {m['baseline_campaign_rate']['roc_auc']:.4f} | {m['baseline_campaign_rate']['calibration']['ece']:.4f} | {oracle:.4f} | {m['data']['n_train']} | {m['data']['n_test']} | {float(secs):.1f} | {kept} |")
PY
)")
  done
done
done

{
  echo "## $SECTION"
  echo
  [ "$HISTORY" = "true" ] && echo "With \`features.outcome_history: true\` (docs/CONTRACT.md §4.8); the same runs without it are in \"Model quality\"." && echo
  echo "Command: \`$([ "$HISTORY" = "true" ] && echo "HISTORY=true ")bench/model_quality.sh\`, commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%Y-%m-%d). Data:"
  for data in $DATASETS; do echo "- $data: \`elv demo-data ${GEN_ARGS[$data]}\`"; done
  echo
  echo "Test split (last 20 % of mature labeled leads by time). Baseline = campaign's qualification rate in the train window."
  echo "'truth AUC' = ROC-AUC of the generator's noise-free probability on the same test leads: the ceiling for any model."
  echo "'train s' = wall time of the whole \`elv train\` (table build included). 'kept' = the model kept (auto's choice), gbdt's rounds used of requested and leaves per tree."
  echo
  echo "| data | model | calibration | ROC-AUC | PR-AUC | Brier | log loss | ECE | lift@10% | baseline ROC-AUC | baseline ECE | truth AUC | n train | n test | train s | kept |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
} >"$WORK/section.md"

RESULTS=bench/RESULTS.md
[ -f "$RESULTS" ] || echo "# Benchmark results" >"$RESULTS"
python3 - "$RESULTS" "$WORK/section.md" "$SECTION" <<'PY'
import re, sys
path, section, title = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
text = open(path).read()
pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section.rstrip() + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
cat "$WORK/section.md"
