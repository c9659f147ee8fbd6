# Real exports, never silently wrong (issue 11): files as Excel in Europe and Ads Manager
# write them are read to the same figures as the plain files; files elv cannot read for sure
# are refused by validate and by build-table with the same words; implausible values are set
# aside with a warning that names their lines.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/plain" --days 40 --end-date 2026-06-30 --no-enrichments >/dev/null 2>&1

# A copy of the plain data set with ads.csv replaced (and other files as they are).
variant() {  # variant NAME -> $TMP/NAME with the plain files and a config
  rm -rf "${TMP:?}/$1"; cp -r "$TMP/plain" "$TMP/$1"
  printf 'schema_version: 1\npaths:\n  ads_path: ads.csv\n  leads_path: leads.csv\n  outcomes_path: outcomes.csv\n' >"$TMP/$1/run.yaml"
}
# column VALUES of the lead table, "lead_id=value" per line, sorted
column_of() {  # column_of RUN_DIR COLUMN
  python3 - "$1/table.csv.gz" "$2" <<'PY'
import csv, gzip, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
with gzip.open(sys.argv[1], "rt", newline="") as f:
    rows = list(csv.DictReader(f))
for r in sorted(rows, key=lambda r: r["lead_id"]):
    print(r["lead_id"] + "=" + r[sys.argv[2]])
PY
}
variant plain_run
"$ELV" build-table --config "$TMP/plain_run/run.yaml" --out-dir "$TMP/out_plain" --quiet >/dev/null 2>&1 \
  && pass "plain build-table" || fail "plain build-table"

# ---- Excel in Europe: ';'-separated, decimal comma, "sep=;" first line, CRLF -------------
variant euro
python3 - "$TMP/plain/ads.csv" "$TMP/euro/ads.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
with open(sys.argv[2], "w", newline="") as out:
    out.write("sep=;\r\n")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(rows[0])
    for r in rows[1:]:
        r[7] = f"{int(r[7]):,}".replace(",", ".")   # impressions with a dot grouping thousands
        r[9] = r[9].replace(".", ",")               # spend with a decimal comma
        w.writerow(r)
PY
expect_exit 0 -- "$ELV" validate --config "$TMP/euro/run.yaml" && pass "validate reads the European file"
expect_in_output "';'-separated (sep= line), decimal comma"
expect_exit 0 -- "$ELV" build-table --config "$TMP/euro/run.yaml" --out-dir "$TMP/out_euro" --quiet
for col in spend_sum_7d impressions_sum_7d cpc_7d; do
  if [ "$(column_of "$TMP/out_euro" $col)" = "$(column_of "$TMP/out_plain" $col)" ]; then
    pass "European file: $col equals the plain file's for every lead"
  else
    fail "European file: $col differs from the plain file's"
  fi
done

# ---- Ads Manager: "Reporting starts"/"Reporting ends" per day, and its totals row --------
variant adsmanager
python3 - "$TMP/plain/ads.csv" "$TMP/adsmanager/ads.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
body = rows[1:]
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    w.writerow(["Reporting starts", "Reporting ends", "Campaign ID", "Campaign name", "Ad set ID",
                "Ad set name", "Ad ID", "Ad name", "Impressions", "Link clicks", "Amount spent (USD)"])
    spend = sum(float(r[9]) for r in body)
    w.writerow([body[0][0], body[-1][0], "", "", "", "", "", "", sum(int(r[7]) for r in body),
                sum(int(r[8]) for r in body), f"{spend:.2f}"])
    for r in body:
        w.writerow([r[0], r[0]] + r[1:])
PY
expect_exit 0 -- "$ELV" build-table --config "$TMP/adsmanager/run.yaml" --out-dir "$TMP/out_am" --quiet
if [ "$(column_of "$TMP/out_am" spend_sum_7d)" = "$(column_of "$TMP/out_plain" spend_sum_7d)" ]; then
  pass "Ads Manager export with a totals row: spend_sum_7d equals the plain file's"
else
  fail "Ads Manager export: spend_sum_7d differs (the totals row summed?)"
fi
grep -q "1 totals row" "$TMP/out_am/metadata.json" && pass "totals row named in metadata.json warnings" \
  || fail "totals row warning missing"

# ---- A monthly export: refused by validate and build-table, in the same words ------------
variant monthly
python3 - "$TMP/plain/ads.csv" "$TMP/monthly/ads.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["Reporting starts", "Reporting ends"] + rows[0][1:])
    for r in rows[1:]:
        w.writerow(["2026-05-22", "2026-06-30"] + r[1:])
PY
expect_exit 1 -- "$ELV" validate --config "$TMP/monthly/run.yaml"
validate_line=$(grep '^error:' "$TMP/out" | sed 's/.*; the first: //')
expect_exit 1 -- "$ELV" build-table --config "$TMP/monthly/run.yaml" --out-dir "$TMP/out_monthly"
build_line=$(grep '^error:' "$TMP/out" | sed 's/^error: //; s/ (and [0-9]* more error.*//')
case "$build_line" in
  *"rows cover more than one day (line 2: 2026-05-22 to 2026-06-30)"*"By time → Day"*) pass "monthly export refused naming the Day breakdown" ;;
  *) fail "monthly export: $build_line" ;;
esac
[ -n "$validate_line" ] && [ "$validate_line" = "$build_line" ] && pass "validate and build-table say the same words" \
  || fail "validate says '$validate_line', build-table '$build_line'"
[ ! -e "$TMP/out_monthly" ] && pass "nothing written" || fail "a run folder was written"

# ---- A mistyped year moves nothing --------------------------------------------------------
variant typo
python3 - "$TMP/typo/leads.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(True)
lines[5] = lines[5].replace("2026-", "9999-", 1)
open(sys.argv[1], "w").write("".join(lines))
PY
expect_exit 0 -- "$ELV" validate --config "$TMP/typo/run.yaml"
expect_in_output "leads.csv:6: column 'created_time': 1 date lies far outside the rest of the file"
expect_exit 0 -- "$ELV" build-table --config "$TMP/typo/run.yaml" --out-dir "$TMP/out_typo" --quiet
[ "$(json_get "$TMP/out_typo/metadata.json" 'd["labeling"]["as_of_date"]')" = "2026-06-30" ] \
  && pass "as_of_date stays 2026-06-30" || fail "as_of_date moved"
[ "$(json_get "$TMP/out_typo/metadata.json" 'd["labeling"]["counts"]')" = "$(json_get "$TMP/out_plain/metadata.json" 'd["labeling"]["counts"]')" ] \
  && fail "label counts should differ only by the one lead left out" || true
plain_neg=$(json_get "$TMP/out_plain/metadata.json" 'd["labeling"]["counts"]["negative"]')
typo_neg=$(json_get "$TMP/out_typo/metadata.json" 'd["labeling"]["counts"]["negative"]')
[ $((plain_neg - typo_neg)) -le 1 ] && pass "no lead became negative because of the typo" \
  || fail "negatives $plain_neg -> $typo_neg"

# ---- Feature window beyond the data: loud -------------------------------------------------
variant lag
printf 'features:\n  feature_window_days: 45\n  feature_lag_days: 44\n' >>"$TMP/lag/run.yaml"
expect_exit 0 -- "$ELV" build-table --config "$TMP/lag/run.yaml" --out-dir "$TMP/out_lag"
expect_in_output "warning: EMPTY FEATURES: every ads.csv feature is empty for every lead"
expect_in_output "features.feature_lag_days = 44"
expect_exit 0 -- "$ELV" validate --config "$TMP/lag/run.yaml"
expect_in_output "EMPTY FEATURES"

# ---- csv.timezone: local times become UTC --------------------------------------------------
variant local_times
sed -i 's/+00:00//' "$TMP/local_times/leads.csv"
printf 'csv:\n  leads_path:\n    timezone: America/New_York\n' >>"$TMP/local_times/run.yaml"
expect_exit 0 -- "$ELV" build-table --config "$TMP/local_times/run.yaml" --out-dir "$TMP/out_local" --quiet
first_plain=$(column_of "$TMP/out_plain" created_time | sed -n 1p)
first_local=$(column_of "$TMP/out_local" created_time | sed -n 1p)
python3 - "$first_plain" "$first_local" <<'PY' && pass "America/New_York times read 4 h later in UTC" || fail "timezone: $first_plain vs $first_local"
import sys, datetime
a = datetime.datetime.fromisoformat(sys.argv[1].split("=")[1]); b = datetime.datetime.fromisoformat(sys.argv[2].split("=")[1])
sys.exit(0 if (b - a) == datetime.timedelta(hours=4) else 1)
PY
variant no_offset
sed -i 's/+00:00//' "$TMP/no_offset/leads.csv"
expect_exit 0 -- "$ELV" validate --config "$TMP/no_offset/run.yaml"
expect_in_output "no UTC offset and were read as UTC; if the export is in the ad account's time zone, set csv.timezone"

finish
