#!/usr/bin/env bash
# e2e: elv export-capi writes one Conversions API event per scored lead in Meta's Conversion
# Leads payload shape, checked field by field against predictions.csv and metadata.json;
# --min-p filters; leads whose ID is not a Meta lead ID are skipped and counted; bad options,
# a run without predictions and an existing --out are refused.
# Usage: bash tests/e2e/test_export_capi.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

DATA="$TMP/data"
"$ELV" demo-data --out "$DATA" --days 30 --end-date 2026-06-30 --seed 7 >/dev/null 2>&1 \
  || { fail "demo-data"; finish; }
# Meta's lead IDs are 15-digit numbers: rewrite the demo's IDs, but keep the ones ending in 0
# as they are, so some leads have no Meta lead ID; one gets the download's "l:" prefix.
for f in leads.csv outcomes.csv; do
  sed -E -i 's/lead_([0-9]{8}[1-9])/120000\1/g' "$DATA/$f"
done
sed -i '2s/^120000/l:120000/' "$DATA/leads.csv"
write_config "$DATA" "$TMP/c.yaml"
SOURCE_DATE_EPOCH=1782864000 "$ELV" train --config "$TMP/c.yaml" --out-dir "$TMP/run" --quiet \
  >/dev/null || { fail "train"; finish; }

expect_exit 0 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/events.jsonl" \
  --currency EUR --lead-event-source "Acme CRM" && pass "export-capi exits 0"
expect_in_output "leads skipped: their lead_id is not a Meta lead ID"
expect_in_output "days old; Meta discards events"  # the run's clock was set to 2026-07-01

check_events() {  # check_events FILE MIN_P
  python3 - "$1" "$TMP/run/predictions.csv" "$TMP/run/metadata.json" "$2" <<'PY'
import csv, json, sys
from datetime import datetime
events_path, predictions_path, meta_path, min_p = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
meta = json.load(open(meta_path))
run_time = int(datetime.fromisoformat(meta["created_at_utc"]).timestamp())
rows = list(csv.DictReader(open(predictions_path)))
p_col = next(c for c in rows[0] if c.startswith("p_qualified_"))
want = {}
skipped = 0
for r in rows:
    if float(r[p_col]) < min_p:
        continue
    lead = r["lead_id"]
    if lead.isdigit() and len(lead) in (15, 16):
        want[int(lead)] = (float(r["elv"]), float(r[p_col]))
    else:
        skipped += 1
assert skipped > 0, "the fixture should hold leads without a Meta lead ID"
seen = set()
for n, line in enumerate(open(events_path), 1):
    e = json.loads(line)
    assert set(e) == {"event_name", "event_time", "action_source", "user_data", "custom_data"}, (n, e)
    assert e["event_name"] == "elv_predicted_qualified", e
    assert type(e["event_time"]) is int and e["event_time"] == run_time, (e["event_time"], run_time)
    assert e["action_source"] == "system_generated"
    assert set(e["user_data"]) == {"lead_id"}
    lead = e["user_data"]["lead_id"]
    assert type(lead) is int and len(str(lead)) in (15, 16), lead
    c = e["custom_data"]
    assert set(c) == {"event_source", "lead_event_source", "value", "currency", "predicted_probability"}, c
    assert c["event_source"] == "crm" and c["lead_event_source"] == "Acme CRM" and c["currency"] == "EUR"
    assert lead in want, lead
    value, p = want[lead]
    assert abs(c["value"] - value) < 1e-12 and abs(c["predicted_probability"] - p) < 1e-12, (c, value, p)
    assert p >= min_p
    assert lead not in seen
    seen.add(lead)
assert seen == set(want), (len(seen), len(want))
print(len(seen))
PY
}
n_all="$(check_events "$TMP/events.jsonl" 0)" && pass "every event matches predictions.csv field by field ($n_all events)" \
  || fail "events differ from predictions.csv"
grep -q '"lead_id":120000' "$TMP/events.jsonl" && ! grep -q 'l:' "$TMP/events.jsonl" \
  && pass "the download's l: prefix is stripped" || fail "lead ID prefix"

expect_exit 0 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/top.jsonl" --currency EUR \
  --min-p 0.3 --lead-event-source "Acme CRM"
n_top="$(check_events "$TMP/top.jsonl" 0.3)" && [ "$n_top" -lt "$n_all" ] && [ "$n_top" -gt 0 ] \
  && pass "--min-p 0.3 keeps $n_top of $n_all" || fail "--min-p filter ($n_top of $n_all)"
expect_in_output "below --min-p left out"

# ---- refusals
before="$(md5sum <"$TMP/events.jsonl")"
expect_exit 1 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/events.jsonl" --currency EUR \
  && expect_in_output "does not overwrite"
[ "$(md5sum <"$TMP/events.jsonl")" = "$before" ] && pass "an existing --out is untouched" || fail "--out overwritten"
expect_exit 2 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/x.jsonl" --currency eur \
  && expect_in_output "ISO 4217"
expect_exit 2 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/x.jsonl" --currency EUR --min-p 1.5 \
  && expect_in_output "from 0 to 1"
expect_exit 2 -- "$ELV" export-capi --run-dir "$TMP/run" --out "$TMP/x.jsonl" && expect_in_output "currency"
"$ELV" build-table --config "$TMP/c.yaml" --out-dir "$TMP/table" --quiet >/dev/null
expect_exit 1 -- "$ELV" export-capi --run-dir "$TMP/table" --out "$TMP/x.jsonl" --currency EUR \
  && expect_in_output "no predictions.csv"
expect_exit 1 -- "$ELV" export-capi --run-dir "$DATA" --out "$TMP/x.jsonl" --currency EUR \
  && expect_in_output "not an elv run folder"
[ ! -e "$TMP/x.jsonl" ] && [ ! -e "$TMP/x.jsonl.tmp" ] && pass "refusals leave no file" || fail "stray output"
finish
