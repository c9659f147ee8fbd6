# elv backtest end to end (docs/CONTRACT.md §7.1): the folds and their dates, backtest.csv's
# columns, counts that add up against the run's own lead table, metrics in [0, 1], the
# report's Backtest section and the verdict, the refusals, and an atomic run folder.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 90 --end-date 2026-06-30 >/dev/null 2>&1
write_config "$TMP/data" "$TMP/logreg.yaml"
write_config "$TMP/data" "$TMP/gbdt.yaml" "model:" "  model_type: gbdt" "  nthread: 1" \
  "  lgbm_params: {n_estimators: 40}"

# ---- four folds, two weeks apart
expect_exit 0 -- "$ELV" backtest --config "$TMP/logreg.yaml" --out-dir "$TMP/bt" --threads 1 \
  --folds 4 --step-days 14 && pass "backtest runs"
expect_in_output "^verdict: "
for f in backtest.csv metadata.json config.yaml report.html table.csv.gz data_profile.json; do
  [ -s "$TMP/bt/$f" ] || fail "backtest: $f missing"
done
for f in model.json metrics.json predictions.csv; do
  [ -e "$TMP/bt/$f" ] && fail "backtest: $f should not be written"
done
[ "$(json_get "$TMP/bt/metadata.json" 'd["run_kind"]')" = "backtest" ] && pass "run_kind backtest" \
  || fail "run_kind"
stdout_verdict=$(sed -n 's/^verdict: //p' "$TMP/out")
python3 - "$TMP/bt" "$stdout_verdict" <<'PY' && pass "backtest.csv: folds, dates, counts, metrics" || fail "backtest.csv"
import csv, datetime as dt, gzip, json, sys
run, stdout_verdict = sys.argv[1], sys.argv[2]
meta = json.load(open(run + "/metadata.json"))
bt = meta["backtest"]
rows = list(csv.DictReader(open(run + "/backtest.csv")))
cols = ("fold,cutoff_date,test_start_date,test_end_date,status,reason,model_type,n_train,n_calib,"
        "n_test_leads,n_test,positives,roc_auc,pr_auc,brier,ece,lift_at_k,baseline_roc_auc")
assert ",".join(rows[0].keys()) == cols, list(rows[0].keys())
assert len(rows) == 4 == bt["folds"] == bt["folds_run"], (len(rows), bt)
day = lambda s: dt.date.fromisoformat(s)
final = day(bt["final_date"])
table = list(csv.DictReader(gzip.open(run + "/table.csv.gz", "rt")))
assert final == max(day(r["lead_date"]) for r in table)
assert [r["cutoff_date"] for r in rows] == bt["cutoffs"]
# The last cut-off: final date - label window - one step - 1 day; the others a step apart.
assert day(rows[-1]["cutoff_date"]) == final - dt.timedelta(days=14 + 14 + 1), rows[-1]
for i, r in enumerate(rows):
    assert int(r["fold"]) == i + 1 and r["status"] == "ok" and r["reason"] == "", r
    assert r["model_type"] == "logreg"
    c, s, e = day(r["cutoff_date"]), day(r["test_start_date"]), day(r["test_end_date"])
    assert s == c + dt.timedelta(days=1) and e == c + dt.timedelta(days=14), r
    if i: assert s == day(rows[i - 1]["test_end_date"]) + dt.timedelta(days=1)
    # Counts against the run's own lead table (labels as of the final date).
    period = [t for t in table if s <= day(t["lead_date"]) <= e]
    judged = [t for t in period if t["label_status"] != "unknown" and t["is_mature"] == "1"]
    assert int(r["n_test_leads"]) == len(period), (r, len(period))
    assert int(r["n_test"]) == len(judged) == len(period), r  # all mature by the final date
    assert int(r["positives"]) == sum(t["label_status"] == "positive" for t in judged), r
    assert 0 < int(r["positives"]) < int(r["n_test"])
    # Trained on what was mature at the cut-off only.
    mature_then = sum(1 for t in table if day(t["lead_date"]) < c - dt.timedelta(days=14))
    assert 0 < int(r["n_train"]) + int(r["n_calib"]) <= mature_then, (r, mature_then)
    for k in ("roc_auc", "pr_auc", "brier", "ece", "baseline_roc_auc"):
        assert 0 <= float(r[k]) <= 1, (k, r)
    assert float(r["lift_at_k"]) >= 0
    assert float(r["roc_auc"]) > 0.55, r
assert bt["verdict"]["text"] == stdout_verdict, (bt["verdict"], stdout_verdict)
assert bt["verdict"]["level"] in ("stable", "unstable", "inconclusive"), bt["verdict"]
PY

# ---- the report: a Backtest section with the verdict, a chart and the folds
python3 - "$TMP/bt" <<'PY' && pass "report.html: Backtest section" || fail "report.html Backtest section"
import html, json, re, sys
run = sys.argv[1]
page = open(run + "/report.html", encoding="utf-8").read()
verdict = json.load(open(run + "/metadata.json"))["backtest"]["verdict"]
m = re.search(r'<section id="backtest">(.*?)</section>', page, re.S)
assert m, "no section"
sec = m.group(1)
assert 'data-verdict="%s"' % verdict["level"] in sec
assert html.escape(verdict["text"], quote=True).replace("&#x27;", "&#39;") in sec, verdict
assert sec.count("<svg") == 1 and "ROC-AUC per fold" in sec
assert sec.count("<tr") == 5, sec.count("<tr")  # the header and four folds
assert '<a href="#backtest">Backtest</a>' in page
assert "is missing" not in page
PY
expect_exit 0 -- "$ELV" report --run-dir "$TMP/bt" && grep -q 'id="backtest"' "$TMP/bt/report.html" \
  && pass "elv report rebuilds the Backtest section" || fail "report rebuild"

# ---- six folds on 90 days: the two oldest cut-offs have nothing mature to fit on
expect_exit 0 -- "$ELV" backtest --config "$TMP/logreg.yaml" --out-dir "$TMP/bt6" --threads 1 \
  --folds 6 --quiet && pass "backtest with folds too early"
stdout_verdict=$(sed -n 's/^verdict: //p' "$TMP/out")
python3 - "$TMP/bt6" "$stdout_verdict" <<'PY' && pass "skipped folds: reasons, counts, one verdict" || fail "skipped folds"
import csv, html, json, re, sys
run, stdout_verdict = sys.argv[1], sys.argv[2]
bt = json.load(open(run + "/metadata.json"))["backtest"]
rows = list(csv.DictReader(open(run + "/backtest.csv")))
assert [r["status"] for r in rows] == ["skipped"] * 2 + ["ok"] * 4, [r["status"] for r in rows]
assert bt["folds"] == 6 and bt["folds_run"] == 4, bt
for r in rows[:2]:
    assert "too early in the history" in r["reason"], r
    assert r["roc_auc"] == r["n_train"] == r["model_type"] == "", r
    assert int(r["n_test"]) > 0, r
assert bt["verdict"]["text"] == stdout_verdict, (bt["verdict"], stdout_verdict)
assert "2 folds could not run" in stdout_verdict, stdout_verdict
page = open(run + "/report.html", encoding="utf-8").read()
sec = re.search(r'<section id="backtest">(.*?)</section>', page, re.S).group(1)
shown = re.search(r'<p class="headline"[^>]*>(.*?)</p>', sec, re.S).group(1)
assert html.unescape(shown) == stdout_verdict, (shown, stdout_verdict)
assert sec.count("skipped: ") == 2
PY

# ---- gbdt, two folds: the model type is the config's
expect_exit 0 -- "$ELV" backtest --config "$TMP/gbdt.yaml" --out-dir "$TMP/bt_gbdt" --threads 1 \
  --folds 2 --step-days 7 --quiet && pass "backtest gbdt"
[ "$(cut -d, -f7 "$TMP/bt_gbdt/backtest.csv" | tail -n +2 | sort -u)" = "gbdt" ] \
  && pass "gbdt folds fit gbdt" || fail "gbdt model_type: $(cut -d, -f7 "$TMP/bt_gbdt/backtest.csv")"

# ---- refusals
expect_exit 2 -- "$ELV" backtest --config "$TMP/logreg.yaml" --folds 0 --out-dir "$TMP/x0" \
  && expect_in_output "--folds must be between 1 and 52" 
expect_exit 2 -- "$ELV" backtest --config "$TMP/logreg.yaml" --step-days 0 --out-dir "$TMP/x1" \
  && expect_in_output "--step-days must be between 1 and 366"
write_config "$TMP/data" "$TMP/no_outcomes.yaml"
sed -i '/outcomes_path/d' "$TMP/no_outcomes.yaml"
expect_exit 1 -- "$ELV" backtest --config "$TMP/no_outcomes.yaml" --out-dir "$TMP/x2" \
  && expect_in_output "paths.outcomes_path"
# One fold whose cut-off is before any lead: nothing to train on, a clear error, no run left.
expect_exit 1 -- "$ELV" backtest --config "$TMP/logreg.yaml" --folds 1 --step-days 90 \
  --out-dir "$TMP/x3" && expect_in_output "no fold of the back-test could run"
[ -z "$(ls -A "$TMP" | grep -E '^\.?x[0-9]' || true)" ] && pass "refused runs leave nothing" \
  || fail "left: $(ls -A "$TMP" | grep -E '^\.?x[0-9]')"

# ---- atomic: killed once its temporary folder exists, no run folder appears
"$ELV" backtest --config "$TMP/logreg.yaml" --out-dir "$TMP/killed" --threads 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 6000); do
  compgen -G "$TMP/.killed.tmp-*" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.005
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ -e "$TMP/killed" ]; then
  [ -s "$TMP/killed/report.html" ] && [ -s "$TMP/killed/backtest.csv" ] \
    && pass "killed backtest: complete run (it finished first)" || fail "killed backtest: partial run folder"
else
  pass "killed backtest: no run folder"
fi
finish
