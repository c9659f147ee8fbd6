# --overwrite only ever replaces an elv run folder (docs/LIMITS.md, "Run folders"). Each
# refusal must exit 1 with one error line naming the reason, and leave every file of the
# test folder as it was (same list, same sha256). Then the positive cases: an earlier run
# is replaced, and `elv report` writes only into a run.
source "$(dirname "$0")/lib.sh" "$@"
ELV="$(cd "$(dirname "$ELV")" && pwd)/$(basename "$ELV")"
W="$TMP/w"
mkdir -p "$W"
cd "$W"

"$ELV" demo-data --out data --days 30 --end-date 2026-06-30 >/dev/null 2>&1
echo "my notes" >data/notes.txt
write_config data c.yaml  # relative paths: they resolve against the config's folder
mkdir cfg && write_config ../data cfg/c.yaml
"$ELV" build-table --config c.yaml --out-dir run1 --quiet >/dev/null
"$ELV" train --config c.yaml --out-dir train1 --quiet >/dev/null
mkdir other && echo "not elv's" >other/notes.txt

# Every entry under $W (folders too) and the sha256 of every file.
snapshot() {
  (cd "$W" && find . | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# refused NAME WORDS DIR -- elv args...: run from DIR (relative to $W), expect a refusal.
refused() {
  local name="$1" words="$2" dir="$3"; shift 3; [ "$1" = "--" ] && shift
  local before after rc
  before="$(snapshot)"
  set +e; (cd "$W/$dir" && "$ELV" "$@") >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?; set -e
  after="$(snapshot)"
  if [ "$rc" -ne 1 ]; then fail "$name: exit $rc, want 1"; head -5 "$TMP/stderr" >&2; return; fi
  if [ "$(grep -c '^error:' "$TMP/stderr")" -ne 1 ]; then fail "$name: not exactly one error: line"; cat "$TMP/stderr" >&2; return; fi
  if ! grep -qF -- "$words" "$TMP/stderr"; then fail "$name: error lacks '$words': $(cat "$TMP/stderr")"; return; fi
  if [ "$before" != "$after" ]; then
    fail "$name: files changed: $(diff <(echo "$before") <(echo "$after") | head -4 | tr '\n' ' ')"; return
  fi
  pass "$name: refused, nothing touched ($(cat "$TMP/stderr"))"
}

refused "the data folder holding the inputs" "data: --overwrite refused: it holds the input paths.ads_path (data/ads.csv)" . \
  -- build-table --config c.yaml --out-dir data --overwrite
refused "the current folder" "--overwrite refused: it is the current folder" run1 \
  -- build-table --config ../c.yaml --out-dir . --overwrite
refused "an ancestor of the current folder" "--overwrite refused: it holds the current folder" run1 \
  -- build-table --config ../c.yaml --out-dir .. --overwrite
refused "a folder holding a file elv did not write" \
  "other: --overwrite refused: this folder is not an elv run (it holds notes.txt, which elv did not write)" . \
  -- build-table --config c.yaml --out-dir other --overwrite
refused "the config's folder" "cfg: --overwrite refused: it holds the config file (cfg/c.yaml)" . \
  -- train --config cfg/c.yaml --out-dir cfg --overwrite
refused "the --model bundle's run" "--overwrite refused: it holds the --model bundle (train1/model.json)" . \
  -- score --config c.yaml --model train1/model.json --out-dir train1 --overwrite
cp data/leads.csv run1/new_leads.csv
refused "the --leads-path file's folder" "--overwrite refused: it holds the --leads-path file (run1/new_leads.csv)" . \
  -- batch-score --config c.yaml --model train1/model.json --leads-path run1/new_leads.csv --out-dir run1 --overwrite
rm run1/new_leads.csv
refused "demo into the data folder" "data: --overwrite refused: this folder is not an elv run" . \
  -- demo --out-dir data --overwrite
refused "the root folder" "/: --overwrite refused: it is the root folder" . \
  -- build-table --config c.yaml --out-dir / --overwrite
echo "my notes" >run1/notes.txt
refused "a run folder the user added a file to" \
  "run1: --overwrite refused: this run folder holds notes.txt, which elv did not write" . \
  -- build-table --config c.yaml --out-dir run1 --overwrite
rm run1/notes.txt
echo '{"run_id": "x"}' >other/metadata.json
refused "a metadata.json elv did not write" "other: --overwrite refused: this folder is not an elv run" . \
  -- build-table --config c.yaml --out-dir other --overwrite
mkdir mine && echo "lead_id,created_time,ad_id" >mine/leads.csv
refused "demo-data over someone's leads.csv" \
  "mine/leads.csv: --overwrite refused: elv demo-data did not write this file" . \
  -- demo-data --out mine --days 5 --end-date 2026-06-30 --overwrite
refused "report into a folder that is not a run" "data: not an elv run folder" . -- report --run-dir data

# ---- what --overwrite may replace: an earlier run, holding only what elv wrote
json_get run1/metadata.json '"table.csv.gz" in d["artifacts"] and "metadata.json" in d["artifacts"]' | grep -qx True \
  && pass "metadata.json lists the run's artifacts" || fail "no artifacts list in metadata.json"
echo "stale" >"$TMP/marker" && cp "$TMP/marker" run1/table.csv.gz  # so "replaced" is visible
expect_exit 0 -- "$ELV" build-table --config c.yaml --out-dir run1 --overwrite --quiet \
  && pass "--overwrite of an earlier run exits 0"
! cmp -s run1/table.csv.gz "$TMP/marker" && [ -s run1/table.csv.gz ] \
  && pass "the old run was replaced" || fail "run1 was not replaced"
expect_exit 0 -- "$ELV" report --run-dir run1 && [ -s run1/report.html ] && pass "report into a run"
# A report added later is elv's too: the run can still be replaced.
expect_exit 0 -- "$ELV" build-table --config c.yaml --out-dir run1 --overwrite --quiet \
  && pass "--overwrite of a run with a regenerated report.html"
# The demo's own folder (data/ inside) can be replaced by the demo.
"$ELV" demo --out-dir demo1 --quiet >/dev/null 2>&1
expect_exit 0 -- "$ELV" demo --out-dir demo1 --overwrite --quiet && pass "--overwrite of a demo run"
# demo-data --overwrite replaces its own earlier data set, and removes only its own files.
expect_exit 0 -- "$ELV" demo-data --out data --days 10 --end-date 2026-06-30 --no-enrichments --overwrite \
  && pass "demo-data --overwrite of its own data set"
[ ! -e data/ads_geo.csv ] && [ "$(cat data/notes.txt)" = "my notes" ] \
  && pass "demo-data removed its stale ads_geo.csv, kept data/notes.txt" || fail "demo-data --overwrite: $(ls data)"
finish
