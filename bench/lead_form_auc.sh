#!/usr/bin/env bash
# Form answers as features (issue 13, docs/LEAD_FORMS.md): test ROC-AUC of each model trained
# on demo-data's lead download with and without lead_fields, into bench/RESULTS.md (section
# "Lead form answers"). tests/e2e/test_lead_forms.sh asserts the same comparison on smaller
# data. Usage: bench/lead_form_auc.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
ELV="$BUILD_DIR/elv"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

GEN_ARGS="--lead-form --no-enrichments --end-date 2026-06-30"
"$ELV" demo-data --out "$WORK/data" $GEN_ARGS >/dev/null 2>&1

rows=()
for model in logreg gbdt; do
  for answers in without with; do
    cat >"$WORK/$model-$answers.yaml" <<YAML
schema_version: 1
paths:
  ads_path: data/ads.csv
  leads_path: data/lead_download.csv
  outcomes_path: data/outcomes.csv
model:
  model_type: $model
YAML
    [ "$answers" = with ] && cat >>"$WORK/$model-$answers.yaml" <<'YAML'
lead_fields:
  categorical: ["what_is_your_budget?", "when_do_you_want_to_start?"]
  numeric: ["how_many_employees?"]
YAML
    "$ELV" train --config "$WORK/$model-$answers.yaml" --out-dir "$WORK/run-$model-$answers" --quiet >/dev/null
    rows+=("$(python3 - "$WORK/run-$model-$answers" "$model" "$answers" <<'PY'
import json, sys
run, model, answers = sys.argv[1:4]
m = json.load(open(f"{run}/metrics.json"))
b = json.load(open(f"{run}/model.json"))
d = m["model"]
print(f"| {model} | {answers} | {len(b['features'])} | {d['roc_auc']:.4f} | {d['pr_auc']:.4f} | "
      f"{d['brier']:.4f} | {d['lift_at_k']['lift']:.2f} | {m['data']['n_test']} |")
PY
)")
  done
done

{
  echo "## Lead form answers"
  echo
  echo "Command: \`bench/lead_form_auc.sh\` (data: \`elv demo-data $GEN_ARGS\`, read from \`lead_download.csv\`), commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%Y-%m-%d)."
  echo "'with' lists the three questions in \`lead_fields\`; both rows have is_organic, platform and form_id. Test split: last 20 % of mature labeled leads by time."
  echo
  echo "| model | answers | features | ROC-AUC | PR-AUC | Brier | lift@10% | n test |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$WORK/section.md"

RESULTS=bench/RESULTS.md
[ -f "$RESULTS" ] || echo "# Benchmark results" >"$RESULTS"
python3 - "$RESULTS" "$WORK/section.md" <<'PY'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
pattern = re.compile(r"## Lead form answers\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section.rstrip() + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
cat "$WORK/section.md"
