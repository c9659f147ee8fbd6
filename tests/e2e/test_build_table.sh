# build-table end to end: the artifacts of a run, the run folder rules (temp folder, refusal
# of a non-empty --out-dir, --overwrite) and exit codes.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 40 --end-date 2026-06-30 >/dev/null 2>&1
write_config "$TMP/data" "$TMP/run.yaml"

expect_exit 0 -- "$ELV" build-table --config "$TMP/run.yaml" --out-dir "$TMP/run1" && pass "build-table exits 0"
[ "$(json_get "$TMP/run1/metadata.json" 'd["run_kind"]')" = build-table ] \
  && pass "metadata.json records run_kind build-table" || fail "run_kind of a build-table run"
for f in table.csv.gz data_profile.json data_profile.md metadata.json config.yaml; do
  [ -s "$TMP/run1/$f" ] && pass "$f written" || fail "$f missing"
done
expect_in_output "$TMP/run1/table.csv.gz"

# The table: header order of docs/CONTRACT.md §4.6 and one row per lead.
header=$(zcat "$TMP/run1/table.csv.gz" | sed -n 1p)
case "$header" in
  lead_id,created_time,lead_date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,lead_dow,lead_hour,feature_end_date,label_status,label,is_mature,lead_office_hours,impressions_sum_7d,*)
    pass "table header order" ;;
  *) fail "table header: $header" ;;
esac
rows=$(zcat "$TMP/run1/table.csv.gz" | tail -n +2 | wc -l)
leads=$(tail -n +2 "$TMP/data/leads.csv" | wc -l)
[ "$rows" -eq "$leads" ] && pass "one row per lead ($rows)" || fail "rows $rows != leads $leads"
for col in placement_entropy_7d geo_top1_share_7d aud_kw_hash_063 creative_is_video placement_top1; do
  case ",$header," in *",$col,"*) pass "column $col" ;; *) fail "no column $col" ;; esac
done

# metadata.json carries the facts the issue lists.
[ "$(json_get "$TMP/run1/metadata.json" 'd["join"]["strategy"]')" = "id" ] && pass "join strategy" || fail "join strategy"
[ "$(json_get "$TMP/run1/metadata.json" 'd["join"]["match_rate"]')" = "1.0" ] && pass "match rate" || fail "match rate"
[ "$(json_get "$TMP/run1/metadata.json" 'd["labeling"]["as_of_date"]')" = "2026-06-30" ] && pass "as_of" || fail "as_of"
[ "$(json_get "$TMP/run1/metadata.json" 'd["labeling"]["maturity_cutoff_utc"]')" = "2026-06-16T00:00:00+00:00" ] && pass "cutoff" || fail "cutoff"
[ "$(json_get "$TMP/run1/metadata.json" 'd["features"]["feature_lag_days"]')" = "1" ] && pass "lag" || fail "lag"
[ "$(json_get "$TMP/run1/metadata.json" 'len(d["enrichments"])')" = "4" ] && pass "4 enrichments" || fail "enrichments"
pos=$(json_get "$TMP/run1/metadata.json" 'd["labeling"]["counts"]["positive"]')
pos_table=$(zcat "$TMP/run1/table.csv.gz" | awk -F, 'NR>1 && $13=="positive"' | wc -l)
[ "$pos" -eq "$pos_table" ] && pass "label counts match the table" || fail "positive $pos vs table $pos_table"
grep -q "ads_path: $TMP/data/ads.csv" "$TMP/run1/config.yaml" && pass "effective config written" || fail "config.yaml"

# Progress (issue 5): on a terminal, stage names and a bar on stderr (script(1) gives the
# command a pseudo-terminal); not on a terminal, only the final stage-times line (then the
# run's data warnings, one "warning:" line each).
script -qefc "'$ELV' build-table --config '$TMP/run.yaml' --out-dir '$TMP/tty-run'" /dev/null >"$TMP/tty.txt" 2>&1 || true
grep -aq "write table.csv.gz \[#*\] 100%" "$TMP/tty.txt" \
  && pass "progress bar on a terminal" || { fail "no progress bar on a terminal"; cat -v "$TMP/tty.txt" | head -5 >&2; }
"$ELV" build-table --config "$TMP/run.yaml" --out-dir "$TMP/pipe-run" 2>"$TMP/pipe.txt" >/dev/null
[ "$(grep -vc "^warning: " "$TMP/pipe.txt")" = 1 ] && grep -q "^stages: read leads.csv" "$TMP/pipe.txt" && ! grep -q "%" "$TMP/pipe.txt" \
  && pass "one stage-times line when not a terminal" || { fail "stderr not a terminal:"; cat -v "$TMP/pipe.txt" >&2; }
"$ELV" build-table --config "$TMP/run.yaml" --out-dir "$TMP/quiet-run" --quiet 2>"$TMP/quiet.txt" >/dev/null
[ ! -s "$TMP/quiet.txt" ] && pass "--quiet: nothing on stderr" || fail "--quiet printed: $(cat "$TMP/quiet.txt")"

# A non-empty --out-dir is refused, and nothing in it is touched.
expect_exit 1 -- "$ELV" build-table --config "$TMP/run.yaml" --out-dir "$TMP/run1" && expect_in_output "not empty"
# … before any data work: with a broken leads file, the out-dir is still what is reported.
mkdir -p "$TMP/broken" && cp "$TMP/data/"*.csv "$TMP/broken/" && echo "L1,x" >>"$TMP/broken/leads.csv"
write_config "$TMP/broken" "$TMP/broken.yaml"
expect_exit 1 -- "$ELV" build-table --config "$TMP/broken.yaml" --out-dir "$TMP/run1" && expect_in_output "not empty"
# --overwrite replaces it; no temporary folder is left behind.
expect_exit 0 -- "$ELV" build-table --config "$TMP/run.yaml" --out-dir "$TMP/run1" --overwrite && pass "overwrite"
[ -z "$(ls -A "$TMP" | grep '^\.run1' || true)" ] && pass "no temp folders left" || fail "temp folder left: $(ls -A "$TMP")"

# A failing build leaves no run folder at all and exits 1 naming the file and column.
cut -d, -f1-9 "$TMP/data/ads.csv" >"$TMP/ads_nospend.csv"
sed "s#$TMP/data/ads.csv#$TMP/ads_nospend.csv#" "$TMP/run.yaml" >"$TMP/broken.yaml"
expect_exit 1 -- "$ELV" build-table --config "$TMP/broken.yaml" --out-dir "$TMP/run2" && expect_in_output "spend"
[ ! -e "$TMP/run2" ] && pass "failed run leaves no folder" || fail "failed run left $TMP/run2"
expect_in_output "ads_nospend.csv"

# Without --out-dir the run goes to runs/<UTC stamp>-<6 hex>/ under the working directory.
(cd "$TMP" && "$ELV" build-table --config "$TMP/run.yaml" >/dev/null 2>&1)
ls "$TMP/runs" | grep -Eq '^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$' && pass "default run folder name" || fail "runs/: $(ls "$TMP/runs")"

# Usage errors exit 2.
expect_exit 2 -- "$ELV" build-table && pass "missing --config is a usage error"
expect_exit 2 -- "$ELV" biuld-table --config x.yaml && expect_in_output "unknown command 'biuld-table'" && expect_in_output "build-table, train"
expect_exit 1 -- "$ELV" build-table --config "$TMP/nope.yaml" && expect_in_output "nope.yaml"

# No outcomes: still succeeds, every lead unknown.
grep -v outcomes_path "$TMP/run.yaml" >"$TMP/no_outcomes.yaml"
expect_exit 0 -- "$ELV" build-table --config "$TMP/no_outcomes.yaml" --out-dir "$TMP/run3" && pass "no outcomes ok"
[ "$(json_get "$TMP/run3/metadata.json" 'd["labeling"]["counts"]["unknown"]')" -eq "$leads" ] && pass "all unknown" || fail "unknown count"
finish
