# Meta's lead download read as downloaded (issue 13, item 1; docs/LEAD_FORMS.md): CSV and
# UTF-16 TSV with Meta's ID prefixes, is_organic / platform / form_id as features, organic
# leads out of the leaderboards, form answers listed in lead_fields one-hot or numeric, the
# encoding stored in model.json and reproduced by scoring, contact data never in an output,
# and listed columns that hold contact data or free text refused.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/d" --days 40 --end-date 2026-06-30 --no-enrichments \
  --leads-per-day 60 >/dev/null 2>&1

# leads.csv + outcomes.csv -> a lead download: the budget answer depends on the outcome, the
# employee count a little, the start date not at all; 3 % organic; fake contact columns. A
# few employee answers are phone-like in a second file only (the refusal case).
python3 - "$TMP/d" <<'PY'
import csv, random, sys
d = sys.argv[1]
rng = random.Random(11)
leads = list(csv.DictReader(open(f"{d}/leads.csv", newline="")))
qualified = {r["lead_id"]: bool(r["qualified_time"]) for r in csv.DictReader(open(f"{d}/outcomes.csv", newline=""))}
header = ["id", "created_time", "ad_id", "ad_name", "adset_id", "adset_name", "campaign_id",
          "campaign_name", "form_id", "form_name", "is_organic", "platform",
          "what_is_your_budget?", "when_do_you_want_to_start?", "how_many_employees?",
          "full_name", "email", "phone_number", "city"]
rows = []
for i, r in enumerate(leads):
    q = qualified.get(r["lead_id"], False)
    organic = i % 33 == 5
    budget = rng.choices(["under_1000", "1000_to_5000", "over_5000"],
                         [1, 3, 6] if q else [6, 3, 1])[0]
    start = rng.choice(["this_month", "in_3_months", "just_looking"])
    employees = str(rng.randint(20, 200) if q else rng.randint(1, 60))
    ad = ["", "", "", "", "", ""] if organic else [
        "ag:" + r["ad_id"], r["ad_name"], "as:" + r["adset_id"], r["adset_name"],
        "c:" + r["campaign_id"], r["campaign_name"]]
    rows.append(["l:" + r["lead_id"], r["created_time"].replace("+00:00", "+0000")] + ad +
                ["f:" + ("555000111" if i % 2 else "555000222"), "Quote form",
                 "1" if organic else "0", "ig" if i % 3 == 0 else "fb",
                 budget, start, employees,
                 f"Demo Person {i}", f"person{i}@example.com", f"+1 555 01{i % 100:02d} {i:04d}", "Springfield"])
with open(f"{d}/lead_download.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(header); w.writerows(rows)
# The API's download: UTF-16 with a BOM, tab-separated.
with open(f"{d}/lead_download.tsv", "w", encoding="utf-16", newline="") as f:
    w = csv.writer(f, delimiter="\t", lineterminator="\r\n"); w.writerow(header); w.writerows(rows)
# One lead in five organic: no ad, so not counted against the match rate.
organic_rows = [row[:2] + ["", "", "", "", "", ""] + row[8:10] + ["1"] + row[11:] if i % 5 == 0 else row
                for i, row in enumerate(rows)]
with open(f"{d}/lead_download_organic.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(header); w.writerows(organic_rows)
# The employee count holds phone numbers on one lead in five.
for i, row in enumerate(rows):
    if i % 5 == 0: row[14] = f"+1 555 01{i % 100:02d} {i:04d}"
with open(f"{d}/lead_download_phones.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(header); w.writerows(rows)
PY

cfg() {  # cfg NAME LEADS_FILE [yaml lines...]
  local name="$1" leads="$2"; shift 2
  cat >"$TMP/$name.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $TMP/d/ads.csv
  leads_path: $TMP/d/$leads
  outcomes_path: $TMP/d/outcomes.csv
YAML
  for line in "$@"; do echo "$line" >>"$TMP/$name.yaml"; done
}
FIELDS=('lead_fields:' '  categorical: ["What_is_your_budget?", "when_do_you_want_to_start?"]' '  numeric: ["how_many_employees?"]')
cfg plain lead_download.csv
cfg fields lead_download.csv "${FIELDS[@]}"
cfg fields_tsv lead_download.tsv "${FIELDS[@]}"

# ---- loads as downloaded, CSV and UTF-16 TSV -------------------------------------------
for name in plain fields fields_tsv; do
  expect_exit 0 -- "$ELV" validate --config "$TMP/$name.yaml" && pass "validate $name"
done
expect_exit 0 -- "$ELV" validate --config "$TMP/plain.yaml"
expect_in_output "the form's questions among them can be features: list them under lead_fields"
expect_exit 0 -- "$ELV" train --config "$TMP/fields.yaml" --out-dir "$TMP/r_fields" --quiet \
  && pass "train with lead_fields"
expect_exit 0 -- "$ELV" train --config "$TMP/fields_tsv.yaml" --out-dir "$TMP/r_tsv" --quiet \
  && pass "train on the UTF-16 TSV"
expect_exit 0 -- "$ELV" train --config "$TMP/plain.yaml" --out-dir "$TMP/r_plain" --quiet \
  && pass "train without lead_fields"

# The features: built-in ones always, the answers only when listed.
features() { json_get "$1/model.json" "'\n'.join(d['features'])"; }
features "$TMP/r_fields" >"$TMP/f_fields"
features "$TMP/r_plain" >"$TMP/f_plain"
for f in is_organic platform=fb platform=ig platform=other form_id=555000111 form_id=555000222 \
  'lf_what_is_your_budget?=over_5000' 'lf_what_is_your_budget?=other' \
  'lf_when_do_you_want_to_start?=just_looking' 'lf_how_many_employees?'; do
  grep -qxF -- "$f" "$TMP/f_fields" && pass "feature $f" || fail "no feature $f"
done
grep -qxF platform=fb "$TMP/f_plain" && pass "platform without lead_fields" || fail "platform needs no listing"
if grep -q '^lf_' "$TMP/f_plain"; then fail "unlisted answers became features"; else pass "unlisted answers dropped"; fi
[ "$(json_get "$TMP/r_fields/model.json" "d['lead_form']['categorical'][2]['values']")" = \
  "['under_1000', '1000_to_5000', 'over_5000']" ] && pass "vocabulary by frequency in model.json" \
  || fail "vocabulary: $(json_get "$TMP/r_fields/model.json" "d['lead_form']['categorical']")"

# The TSV and the CSV are the same data: the same model.
cmp -s <(features "$TMP/r_fields") <(features "$TMP/r_tsv") && pass "TSV reads as the CSV" \
  || fail "TSV features differ"
cmp -s <(cut -d, -f1,12 "$TMP/r_fields/predictions.csv") <(cut -d, -f1,12 "$TMP/r_tsv/predictions.csv") \
  && pass "TSV scores as the CSV" || fail "TSV predictions differ"

# ---- organic leads: scored, out of the leaderboards, counted ---------------------------
organic=$(json_get "$TMP/r_fields/data_profile.json" "d['lead_form']['organic_leads']")
want=$(awk -F, 'NR > 1 && $11 == "1"' "$TMP/d/lead_download.csv" | wc -l)
[ "$organic" = "$want" ] && [ "$want" -gt 50 ] && pass "$want organic leads counted" \
  || fail "organic leads: $organic (want $want)"
python3 - "$TMP/r_fields" "$organic" <<'PY' && pass "organic leads scored, not in leaderboards" || fail "organic leads in leaderboards"
import csv, sys
run, organic = sys.argv[1], int(sys.argv[2])
preds = list(csv.DictReader(open(f"{run}/predictions.csv")))
board = list(csv.DictReader(open(f"{run}/leaderboard_campaign.csv")))
assert len(preds) == 2400, len(preds)
with_campaign = sum(1 for p in preds if p["campaign_id"])
assert sum(int(r["lead_count"]) for r in board) == with_campaign == 2400 - organic
PY
grep -q "organic leads (is_organic = 1) are scored but left out of the leaderboards" \
  "$TMP/r_fields/data_profile.md" && pass "organic warning" || fail "no organic warning"

cfg organic lead_download_organic.csv
expect_exit 0 -- "$ELV" validate --config "$TMP/organic.yaml" && pass "validate, one lead in five organic"
if grep -q "match ads.csv by ad_id" "$TMP/out"; then fail "organic leads counted against the match rate"
else pass "organic leads not counted against the match rate"; fi
expect_in_output "organic leads (is_organic = 1) are scored but left out of the leaderboards"

# ---- the answers help (the budget answer depends on the outcome) -----------------------
auc() { json_get "$1/metrics.json" "d['model']['roc_auc']"; }
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if a > b + 0.05 else 1)" \
  "$(auc "$TMP/r_fields")" "$(auc "$TMP/r_plain")" \
  && pass "answers raise test ROC-AUC ($(auc "$TMP/r_plain") -> $(auc "$TMP/r_fields"))" \
  || fail "ROC-AUC with answers $(auc "$TMP/r_fields") not above $(auc "$TMP/r_plain") + 0.05"

# ---- scoring with the bundle reproduces training's probabilities -----------------------
cfg score lead_download.csv
expect_exit 0 -- "$ELV" score --config "$TMP/score.yaml" --model "$TMP/r_fields/model.json" \
  --out-dir "$TMP/s_fields" --quiet && pass "score with the bundle (config without lead_fields)"
cmp -s <(cut -d, -f1,12 "$TMP/r_fields/predictions.csv") <(cut -d, -f1,12 "$TMP/s_fields/predictions.csv") \
  && pass "scoring reproduces training's probabilities" || fail "scores differ from training"
grep -q '"What_is_your_budget?"' "$TMP/s_fields/config.yaml" && pass "score run records the lead_fields it used" \
  || fail "score config.yaml lacks lead_fields"
cfg score_leads_csv leads.csv
expect_exit 1 -- "$ELV" score --config "$TMP/score_leads_csv.yaml" --model "$TMP/r_fields/model.json" \
  --out-dir "$TMP/s_bad" --quiet && pass "a leads file without the answers is refused"
expect_in_output "lead_fields"

# ---- contact data never reaches an output ----------------------------------------------
leaks=0
for run in r_fields r_tsv r_plain s_fields; do
  for f in "$TMP/$run"/*; do
    if zcat -f "$f" | grep -qE 'example\.com|Demo Person|555 01|Springfield'; then
      fail "contact data in $run/$(basename "$f")"; leaks=1
    fi
  done
done
[ "$leaks" = 0 ] && pass "no e-mail, phone, name or city in any output"

# ---- refusals ----------------------------------------------------------------------------
cfg email lead_download.csv 'lead_fields:' '  categorical: ["email"]'
expect_exit 1 -- "$ELV" validate --config "$TMP/email.yaml" && pass "email listed: refused"
expect_in_output "lead_fields.categorical\[0\]: 'email' is one of the form's contact fields"
cfg contract lead_download.csv 'lead_fields:' '  categorical: ["ad_name"]'
expect_exit 1 -- "$ELV" train --config "$TMP/contract.yaml" --out-dir "$TMP/r_x" --quiet \
  && pass "contract column listed: refused"
expect_in_output "is read by elv already"
cfg phones lead_download_phones.csv 'lead_fields:' '  numeric: ["how_many_employees?"]'
expect_exit 1 -- "$ELV" validate --config "$TMP/phones.yaml" && pass "phone-like answers: refused"
expect_in_output "line 2"
expect_in_output "look like an e-mail address or a phone number"
if grep -q '555 01' "$TMP/out"; then fail "a phone number was printed"; else pass "phone numbers not printed"; fi
cfg names lead_download.csv 'lead_fields:' '  categorical: ["form_name", "Full_Name "]'
expect_exit 1 -- "$ELV" validate --config "$TMP/names.yaml" && pass "full_name listed: refused"
expect_in_output "'Full_Name ' is one of the form's contact fields"
# Free text (unique per lead) under another name: the first-name column renamed.
sed '1s/full_name/your_message/' "$TMP/d/lead_download.csv" >"$TMP/d/lead_download_text.csv"
cfg text lead_download_text.csv 'lead_fields:' '  categorical: ["your_message"]'
expect_exit 1 -- "$ELV" validate --config "$TMP/text.yaml" && pass "free text: refused"
expect_in_output "free text, nearly one per lead"
if grep -q 'Demo Person' "$TMP/out"; then fail "an answer was printed"; else pass "answers not printed"; fi
cfg missing lead_download.csv 'lead_fields:' '  numeric: ["how_many_cars?"]'
expect_exit 1 -- "$ELV" validate --config "$TMP/missing.yaml" && pass "missing listed column: refused"
expect_in_output "lead_fields.numeric: no column 'how_many_cars?'"

# ---- demo-data --lead-form: the demonstration data set ------------------------------------
"$ELV" demo-data --lead-form --out "$TMP/lf" --days 40 --end-date 2026-06-30 --no-enrichments \
  --leads-per-day 80 >/dev/null 2>&1
lf_cfg() {  # lf_cfg NAME [yaml lines...]
  local name="$1"; shift
  printf 'schema_version: 1\npaths:\n  ads_path: %s\n  leads_path: %s\n  outcomes_path: %s\n' \
    "$TMP/lf/ads.csv" "$TMP/lf/lead_download.csv" "$TMP/lf/outcomes.csv" >"$TMP/$name.yaml"
  for line in "$@"; do echo "$line" >>"$TMP/$name.yaml"; done
}
lf_cfg lf_without
lf_cfg lf_with 'lead_fields:' '  categorical: ["what_is_your_budget?", "when_do_you_want_to_start?"]' \
  '  numeric: ["how_many_employees?"]'
for name in lf_without lf_with; do
  expect_exit 0 -- "$ELV" train --config "$TMP/$name.yaml" --out-dir "$TMP/r_$name" --quiet \
    && pass "train $name on demo-data --lead-form"
done
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if a > b + 0.05 else 1)" \
  "$(auc "$TMP/r_lf_with")" "$(auc "$TMP/r_lf_without")" \
  && pass "demo answers raise test ROC-AUC ($(auc "$TMP/r_lf_without") -> $(auc "$TMP/r_lf_with"))" \
  || fail "demo: ROC-AUC with answers $(auc "$TMP/r_lf_with") not above $(auc "$TMP/r_lf_without") + 0.05"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/lf_without.yaml" --model "$TMP/r_lf_with/model.json" \
  --out-dir "$TMP/s_lf" --quiet && pass "batch-score with the demo bundle"
cmp -s <(cut -d, -f1,12 "$TMP/r_lf_with/predictions.csv") <(cut -d, -f1,12 "$TMP/s_lf/predictions.csv") \
  && pass "demo: scoring reproduces training's probabilities" || fail "demo: scores differ"
leaks=0
for run in r_lf_with r_lf_without s_lf; do
  for f in "$TMP/$run"/*; do
    if zcat -f "$f" | grep -qE 'example\.com|Demo Lead|555 01'; then
      fail "contact data in $run/$(basename "$f")"; leaks=1
    fi
  done
done
[ "$leaks" = 0 ] && pass "demo: no contact data in any output"

# ---- fixtures written from Meta's docs load as they are (tests/fixtures/meta) -------------
FIX="$ROOT/tests/fixtures/meta"
for leads in lead_download.csv lead_download_utf16.tsv; do
  cat >"$TMP/fix_$leads.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $FIX/ads_manager_daily.csv
  leads_path: $FIX/$leads
  outcomes_path: $FIX/outcomes.csv
lead_fields:
  categorical: ["what_is_your_budget?"]
  numeric: ["how_many_employees?"]
YAML
  expect_exit 0 -- "$ELV" validate --config "$TMP/fix_$leads.yaml" && pass "fixture $leads validates"
  expect_exit 0 -- "$ELV" build-table --config "$TMP/fix_$leads.yaml" --out-dir "$TMP/fix_$leads" --quiet \
    && pass "fixture $leads builds"
done
cmp -s <(zcat "$TMP/fix_lead_download.csv/table.csv.gz") <(zcat "$TMP/fix_lead_download_utf16.tsv/table.csv.gz") \
  && pass "fixture CSV and UTF-16 TSV give the same table" || fail "fixture tables differ"
[ "$(json_get "$TMP/fix_lead_download.csv/data_profile.json" "d['lead_form']['organic_leads'], d['currency'], d['join']['match_rate']")" = "3 EUR 0.95" ] \
  && pass "fixture: 3 organic leads, EUR, the 57 ad leads joined (0.95)" \
  || fail "fixture profile: $(json_get "$TMP/fix_lead_download.csv/data_profile.json" "d['lead_form']['organic_leads'], d['currency'], d['join']['match_rate']")"
if zcat -f "$TMP"/fix_*/* | grep -qE 'example\.com|Fixture Person|555 01|Washington'; then
  fail "fixture: contact data in an output"
else
  pass "fixture: no contact data in any output"
fi

finish
