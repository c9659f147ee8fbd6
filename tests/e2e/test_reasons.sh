# e2e: a reason for every score (docs/CONTRACT.md §6 top_reasons). train, score and
# batch-score write predictions.csv with a last column top_reasons holding 1 to 6 reasons per
# lead in the documented format, for both model kinds; no name, e-mail or phone of a lead
# reaches it; metrics.json has the global drivers and report.html the section on them.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 45 --end-date 2026-06-30 --seed 5 --lead-form \
  >/dev/null 2>&1 || { fail "demo-data"; finish; }
write_config "$TMP/data" "$TMP/logreg.yaml"
# gbdt reads Meta's lead download (fake contact columns, form answers as features).
write_config "$TMP/data" "$TMP/gbdt.yaml" "model:" "  model_type: gbdt" "  nthread: 1" \
  "  lgbm_params: {n_estimators: 40}" "lead_fields:" \
  '  categorical: ["what_is_your_budget?", "when_do_you_want_to_start?"]' \
  '  numeric: ["how_many_employees?"]'
sed -i "s#leads_path: .*#leads_path: $TMP/data/lead_download.csv#" "$TMP/gbdt.yaml"

# check_reasons PREDICTIONS LEADS: the column, its format, 1..6 reasons, no contact data.
check_reasons() {
  python3 - "$1" "$2" <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "no rows"
assert list(rows[0].keys())[-1] == "top_reasons", list(rows[0].keys())
reason = re.compile(r"^[^;]+ \(([+-]\d+\.\d\d)\)$")
contact = set()
with open(sys.argv[2], newline="") as f:
    for r in csv.DictReader(f):
        for k, v in r.items():
            if k in ("full_name", "email", "phone_number") and v and len(v) > 5:
                contact.add(v)
assert contact, "the demo leads have no contact columns to look for"
for r in rows:
    text = r["top_reasons"]
    parts = text.split("; ")
    assert 1 <= len(parts) <= 6, (r["lead_id"], text)
    values = [float(reason.match(p).group(1)) for p in parts]
    ups = [v for v in values if v > 0]
    downs = [v for v in values if v < 0]
    assert values == ups + downs and len(ups) <= 3 and len(downs) <= 3, text
    assert ups == sorted(ups, reverse=True) and downs == sorted(downs), text
    # Every lead's contact values, looked up by word windows (a substring search per value
    # would take minutes): no e-mail, no phone digits, no full name.
    assert "@" not in text, "an e-mail in top_reasons"
    assert not re.search(r"\d[\d ()+-]{6,}\d", text), "phone-like digits in top_reasons"
    words = text.replace(";", " ").split()
    grams = {" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words))}
    assert not (grams & contact), "contact data in top_reasons"
PY
}

for m in logreg gbdt; do
  expect_exit 0 -- "$ELV" train --config "$TMP/$m.yaml" --out-dir "$TMP/train_$m" --threads 1 --quiet \
    && pass "train $m"
  check_reasons "$TMP/train_$m/predictions.csv" "$TMP/data/lead_download.csv" \
    && pass "$m: train's predictions.csv has 1-6 reasons per lead, no contact data" || fail "$m: top_reasons"
  n=$(json_get "$TMP/train_$m/metrics.json" 'len(d["drivers"])')
  ok=$(json_get "$TMP/train_$m/metrics.json" 'all(x["mean_abs_contribution"] >= y["mean_abs_contribution"] for x, y in zip(d["drivers"], d["drivers"][1:])) and all(x["label"] for x in d["drivers"])')
  [ "$n" -ge 5 ] && [ "$n" -le 15 ] && [ "$ok" = "True" ] && pass "$m: metrics.json drivers ($n, largest first)" \
    || fail "$m: drivers n=$n sorted=$ok"
  grep -q '<section id="drivers"' "$TMP/train_$m/report.html" && grep -q "What drives the score" "$TMP/train_$m/report.html" \
    && pass "$m: report.html has What drives the score" || fail "$m: no drivers section"
done
[ "$(json_get "$TMP/train_gbdt/model.json" 'len(d["feature_medians"]) == len(d["features"])')" = "True" ] \
  && pass "gbdt model.json records feature_medians" || fail "feature_medians"
grep -q " high (+\| low (+\| high (-\| low (-" "$TMP/train_gbdt/predictions.csv" \
  && pass "gbdt reasons say high/low" || fail "gbdt reasons without high/low"

expect_exit 0 -- "$ELV" score --config "$TMP/gbdt.yaml" --model "$TMP/train_gbdt/model.json" \
  --out-dir "$TMP/score" --threads 1 --quiet && pass "score gbdt"
check_reasons "$TMP/score/predictions.csv" "$TMP/data/lead_download.csv" && pass "score writes the reasons" || fail "score top_reasons"
cmp <(python3 -c 'import csv,sys; [print(r["top_reasons"]) for r in csv.DictReader(open(sys.argv[1]))]' "$TMP/score/predictions.csv") \
    <(python3 -c 'import csv,sys; [print(r["top_reasons"]) for r in csv.DictReader(open(sys.argv[1]))]' "$TMP/train_gbdt/predictions.csv") \
  && pass "same data, same model: score's reasons are train's" || fail "score's reasons differ from train's"

# An older model.json (written before feature_medians) still scores, with reasons.
python3 - "$TMP/train_gbdt/model.json" "$TMP/old_model.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["feature_medians"]; json.dump(d, open(sys.argv[2], "w"))
PY
head -1 "$TMP/data/lead_download.csv" >"$TMP/new_leads.csv"
tail -n 300 "$TMP/data/lead_download.csv" >>"$TMP/new_leads.csv"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/gbdt.yaml" --model "$TMP/old_model.json" \
  --leads-path "$TMP/new_leads.csv" --out-dir "$TMP/batch" --threads 1 --quiet \
  && pass "batch-score with an older model.json"
check_reasons "$TMP/batch/predictions.csv" "$TMP/data/lead_download.csv" && pass "batch-score writes the reasons" \
  || fail "batch top_reasons"
finish
