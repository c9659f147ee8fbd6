# CRM outcomes as exported (docs/CRM_EXPORTS.md): column mapping, presets and stage mode give
# exactly the labels of the equivalent plain lead_id,qualified_time file; a mapped column that
# is absent names the file, the config key and the headers there; validate says the same.
source "$(dirname "$0")/lib.sh" "$@"

FIX="$ROOT/tests/fixtures/crm"
crm_config() {  # crm_config NAME OUTCOMES_FILE [outcomes: yaml lines]
  local cfg="$TMP/$1.yaml" outcomes="$2"; shift 2
  cat >"$cfg" <<YAML
schema_version: 1
paths:
  ads_path: $FIX/ads.csv
  leads_path: $FIX/leads.csv
  outcomes_path: $FIX/$outcomes
label:
  as_of_date: 2026-04-30
YAML
  for line in "$@"; do echo "$line" >>"$cfg"; done
}
labels_of() {  # labels_of RUN_DIR -> "lead_id=label_status" lines, sorted
  zcat "$1/table.csv.gz" | python3 -c '
import csv, sys
r = csv.DictReader(sys.stdin)
print("\n".join(sorted(row["lead_id"] + "=" + row["label_status"] for row in r)))'
}

crm_config plain outcomes.csv
crm_config hubspot hubspot_contacts.csv "outcomes:" "  preset: hubspot" \
  "  columns: {lead_id: Facebook Lead ID}"
crm_config mapped hubspot_contacts.csv "outcomes:" \
  "  columns: {lead_id: '  facebook lead id ', qualified_time: BECAME A SALES QUALIFIED LEAD DATE}"
crm_config salesforce salesforce_leads.csv "outcomes:" "  preset: salesforce" \
  "  columns: {lead_id: Meta Lead ID}"
crm_config stages stage_changes.csv "outcomes:" "  columns: {lead_id: Facebook Lead ID}" \
  "  stage_column: Lead Status" "  stage_time_column: Last Modified Date" \
  "  qualified_stages: [Qualified, Converted]"

for name in plain hubspot mapped salesforce stages; do
  expect_exit 0 -- "$ELV" build-table --config "$TMP/$name.yaml" --out-dir "$TMP/run_$name" \
    && pass "build-table with $name outcomes"
done

want="1001=positive
1002=negative
1003=negative
1005=negative
1006=negative
ab12=positive"
got=$(labels_of "$TMP/run_plain")
[ "$got" = "$want" ] && pass "plain outcomes give the expected labels" \
  || fail "plain labels: $(echo $got)"
for name in hubspot mapped salesforce stages; do
  got=$(labels_of "$TMP/run_$name")
  [ "$got" = "$want" ] && pass "$name outcomes give the plain file's labels" \
    || fail "$name labels: $(echo $got)"
done

# The match strategies: ab12 is written AB12 in the CRM files.
id_matches() {  # id_matches RUN_DIR -> "exact case_insensitive unmatched"
  json_get "$1/data_profile.json" \
    '" ".join(str(d["labeling"]["outcome_id_match"][k]) for k in ("exact", "case_insensitive", "unmatched"))'
}
[ "$(id_matches "$TMP/run_plain")" = "5 0 0" ] \
  && pass "plain: 5 ids match exactly" || fail "plain outcome_id_match: $(id_matches "$TMP/run_plain")"
[ "$(id_matches "$TMP/run_stages")" = "4 1 0" ] \
  && pass "stages: 4 exact, 1 ignoring case" || fail "stages outcome_id_match: $(json_get "$TMP/run_stages/data_profile.json" 'd["labeling"]["outcome_id_match"]')"
[ "$(json_get "$TMP/run_plain/data_profile.json" 'd["labeling"]["outcome_id_match"]["meta_prefix_stripped"]')" = "{'leads': 6, 'outcomes': 0}" ] \
  && pass "plain: the 6 lead ids lost Meta's l: prefix" \
  || fail "meta_prefix_stripped: $(json_get "$TMP/run_plain/data_profile.json" 'd["labeling"]["outcome_id_match"]')"
grep -q "ignoring case 1" "$TMP/run_hubspot/data_profile.md" \
  && pass "data_profile.md lists the id matches" || fail "data_profile.md lacks the id matches"
# The effective config records the preset's columns.
grep -q "Became a Sales Qualified Lead Date" "$TMP/run_hubspot/config.yaml" \
  && pass "config.yaml records the preset's column" || fail "config.yaml lacks the preset column"

# A mapped column that is absent: the file, the key and the headers that are there.
crm_config missing hubspot_contacts.csv "outcomes:" "  columns: {lead_id: Meta Lead ID}"
expect_exit 1 -- "$ELV" build-table --config "$TMP/missing.yaml" --out-dir "$TMP/run_missing" \
  && pass "absent mapped column: exit 1"
expect_in_output "hubspot_contacts.csv"
expect_in_output "outcomes.columns.lead_id: no column 'Meta Lead ID' in this file (found: Record ID, Lifecycle Stage, Facebook Lead ID, Became a Sales Qualified Lead Date)"
expect_exit 1 -- "$ELV" validate --config "$TMP/missing.yaml" && pass "validate: exit 1"
expect_in_output "outcomes.columns.lead_id: no column 'Meta Lead ID' in this file (found: Record ID, Lifecycle Stage, Facebook Lead ID, Became a Sales Qualified Lead Date)"

# Config errors stop validate too, with the key path.
crm_config bad stage_changes.csv "outcomes:" "  stage_column: Lead Status" \
  "  stage_time_column: Last Modified Date" "  qualified_stages: []"
expect_exit 1 -- "$ELV" validate --config "$TMP/bad.yaml" && pass "validate refuses empty stages"
expect_in_output "outcomes.qualified_stages: must list at least one stage"
expect_exit 0 -- "$ELV" validate --config "$TMP/stages.yaml" && pass "validate accepts stage mode"

finish
