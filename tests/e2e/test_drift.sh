# e2e: drift worth reading (docs/DRIFT.md). A healthy run raises no drift alarm: `elv demo`
# (the bundled model on its own synthetic account) and `elv demo --train` on several seeds,
# whose data has no change over time at all. The verdicts are in drift.json / metrics.json
# with readable names and the headline the report shows.
# Usage: bash tests/e2e/test_drift.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

check_calm() {  # check_calm LABEL DRIFT_JSON PYTHON_PATH_TO_DRIFT
  local label="$1" file="$2" at="$3"
  python3 - "$file" "$at" <<'PY' && pass "$label: no drift alarm" || fail "$label: a drift alarm on a healthy run"
import json, sys
d = json.load(open(sys.argv[1]))
for key in filter(None, sys.argv[2].split('.')):
    d = d[key]
assert d['n_flagged'] == 0 and d['flagged_columns'] == [], d['flagged_columns']
assert d['headline'].startswith('No drift alarm: '), d['headline']
assert d['psi_threshold'] == 0.25 and d['psi_moderate'] == 0.1
cols = d['columns']
assert cols['ctr_7d']['label'] == '7-day click-through rate of the ad', cols['ctr_7d']
assert cols['spend_sum_7d']['expected_to_move'] is True
for name, c in cols.items():
    assert c['flagged'] is False and c['level'] in ('stable', 'moderate', 'major', 'not computable'), (name, c)
    assert c['level'] == 'stable' or c['next_step'], (name, c)  # every move has a next step
PY
}

expect_exit 0 -- "$ELV" demo --out-dir "$TMP/demo" --end-date 2026-06-30 --quiet --threads 1 || finish
check_calm "demo (bundled model)" "$TMP/demo/drift.json" ""
grep -q 'No drift alarm: ' "$TMP/demo/report.html" && pass "demo: the report's headline" || fail "demo: report.html lacks the headline"

for seed in 7 11 23; do
  expect_exit 0 -- "$ELV" demo --train --seed "$seed" --out-dir "$TMP/train$seed" --end-date 2026-06-30 --quiet --threads 1 || continue
  check_calm "demo --train --seed $seed" "$TMP/train$seed/metrics.json" "drift"
  # The training recorded how far each feature moves on its own (model.json).
  python3 - "$TMP/train$seed/model.json" <<'PY' && pass "seed $seed: expected_psi recorded" || fail "seed $seed: no expected_psi in model.json"
import json, sys
refs = json.load(open(sys.argv[1]))['drift_reference']['columns']
assert refs and all(r['expected_psi'] >= 0 for r in refs), refs
PY
done
finish
