# report.html end to end: train, score and batch-score each write one; it has the sections
# that apply and says why the others are absent; it parses as XML, loads nothing from the
# network and shows a hostile campaign name as text; `elv report --run-dir` rebuilds it,
# also when metrics.json is gone; and it renders in headless Chromium (the screenshot is
# kept in build/test-artifacts/report-train.png).
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 90 --end-date 2026-06-30 >/dev/null 2>&1
# A campaign whose name is markup: the report must show it as text, never run it.
EVIL='<script>alert(1)</script>'
for f in ads.csv leads.csv; do sed -i "s|Campaign 01|$EVIL|g" "$TMP/data/$f"; done
write_config "$TMP/data" "$TMP/run.yaml"

expect_exit 0 -- "$ELV" train --config "$TMP/run.yaml" --out-dir "$TMP/train" --threads 1 && pass "train" \
  && expect_in_output "train/report.html"
expect_exit 0 -- "$ELV" score --config "$TMP/run.yaml" --model "$TMP/train/model.json" --out-dir "$TMP/score" && pass "score"
head -1 "$TMP/data/leads.csv" >"$TMP/new_leads.csv"
tail -n 400 "$TMP/data/leads.csv" >>"$TMP/new_leads.csv"
expect_exit 0 -- "$ELV" batch-score --config "$TMP/run.yaml" --model "$TMP/train/model.json" \
  --leads-path "$TMP/new_leads.csv" --out-dir "$TMP/batch" && pass "batch-score"

# check_page RUN: present, listed in the run's output, well-formed, offline, escaped.
check_page() {
  local run="$1" page="$TMP/$1/report.html"
  [ -s "$page" ] || { fail "$run: report.html missing"; return; }
  python3 - "$page" <<'PY' && pass "$run: report.html parses as XML" || fail "$run: report.html does not parse"
import sys, xml.etree.ElementTree as ET
ET.parse(sys.argv[1])  # the report is well-formed XML as well as HTML: strict parser
PY
  if grep -qiE 'https?://' "$page"; then fail "$run: report references http(s)://"; else pass "$run: no http(s):// reference"; fi
  if grep -qi '<script' "$page"; then fail "$run: raw <script in report"; else pass "$run: no <script> tag"; fi
  for id in summary data-health quality scores leaderboards leaderboard-campaign leaderboard-adset drift files; do
    grep -q "id=\"$id\"" "$page" || fail "$run: no #$id"
  done
  grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$page" && pass "$run: hostile campaign name shown as text" \
    || fail "$run: escaped campaign name not found"
}
check_page train
check_page score
check_page batch

# Sections that apply, and why the others are absent.
grep -q 'Contacting the top 10.0' "$TMP/train/report.html" && pass "train: plain-language lift sentence" || fail "train: no lift sentence"
grep -q '<svg ' "$TMP/train/report.html" && [ "$(grep -o '<svg ' "$TMP/train/report.html" | wc -l)" -eq 6 ] \
  && pass "train: campaign and ad set value-per-spend, capture, reliability, score and drivers charts" \
  || fail "train: expected 6 charts"
grep -q 'id="drivers"' "$TMP/train/report.html" && pass "train: what drives the score" \
  || fail "train: no drivers section"
grep -q 'id="budget-caveat"' "$TMP/train/report.html" && grep -q 'class="tiles"' "$TMP/train/report.html" \
  && pass "train: overview tiles and budget opportunity" || fail "train: no overview"
grep -q 'class="absent"' "$TMP/train/report.html" && fail "train: something marked absent" || pass "train: nothing absent"
grep -q 'No model quality section' "$TMP/score/report.html" && grep -q 'no quality metrics' "$TMP/score/report.html" \
  && pass "score: says why there is no quality section" || fail "score: no absence note for quality"
grep -q 'Contacting the top' "$TMP/score/report.html" && fail "score: has a lift sentence" || pass "score: no quality figures"
grep -q 'these leads have no labels' "$TMP/batch/report.html" && pass "batch-score: says there are no labels" \
  || fail "batch-score: no absence note"
grep -q 'the leads scored here' "$TMP/batch/report.html" && pass "batch-score: drift vs training data" || fail "batch-score: drift"

# elv report --run-dir: rebuilds the page; a missing metrics.json is named, not fatal.
cp -r "$TMP/train" "$TMP/no_metrics"
mv "$TMP/no_metrics/metrics.json" "$TMP/metrics.json.away"
rm "$TMP/no_metrics/report.html"
expect_exit 0 -- "$ELV" report --run-dir "$TMP/no_metrics" && pass "report without metrics.json"
expect_in_output "no_metrics/report.html"
grep -q '<code>metrics.json</code> is missing' "$TMP/no_metrics/report.html" \
  && pass "report says metrics.json is missing" || fail "missing metrics.json not reported"
grep -q 'ranked by predicted lead value per unit of spend' "$TMP/no_metrics/report.html" \
  && pass "the rest of the report is still there" || fail "leaderboards gone"
# The run's own report summarises the scores it holds in memory; elv report reads them back
# from predictions.csv (issue 19: no 2 GB re-read at the end of train): the same page.
for run in train score batch; do
  cp "$TMP/$run/report.html" "$TMP/${run}_report_first.html"
  expect_exit 0 -- "$ELV" report --run-dir "$TMP/$run" && cmp -s "$TMP/${run}_report_first.html" "$TMP/$run/report.html" \
    && pass "$run: elv report reproduces the run's own report byte for byte" || fail "$run: regenerated report differs"
done
expect_exit 1 -- "$ELV" report --run-dir "$TMP/nowhere" && expect_in_output "run folder not found"
expect_exit 2 -- "$ELV" report && pass "report without --run-dir is a usage error"

# Headless Chromium renders the train report; install-deps installs it, so absence fails.
if [ ! -x /usr/bin/chromium ]; then
  fail "/usr/bin/chromium not found (scripts/install-deps.sh installs it)"
else
  shot="$TMP/report-train.png"
  timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$TMP/chrome" \
    --screenshot="$shot" --window-size=1280,2400 "file://$TMP/train/report.html" >"$TMP/chrome.log" 2>&1 || true
  size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
  if [ "$size" -gt 20000 ]; then
    mkdir -p "$ROOT/build/test-artifacts"
    cp "$shot" "$ROOT/build/test-artifacts/report-train.png"
    pass "chromium screenshot ($size bytes) kept as build/test-artifacts/report-train.png"
  else
    fail "chromium screenshot missing or too small ($size bytes)"; tail -5 "$TMP/chrome.log" >&2
  fi
fi
finish
