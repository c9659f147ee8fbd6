// Internal to contracts/: the rules behind check_inputs (contracts/checks.h), one file per
// kind: checks_per_file.cpp (one file at a time), checks_set_aside.cpp (rules that set rows
// aside, changing the frames), checks_cross_file.cpp (rules that compare files). check_inputs,
// in checks.cpp, runs them in order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "contracts/findings.h"
#include "contracts/frame.h"
#include "contracts/inputs.h"
#include "contracts/schema.h"

namespace elv::contracts::detail {

// Shared helpers (checks.cpp)

// The codes of a frame's ID column, or null when the frame has no such column.
const std::vector<int32_t>* codes_of(const Frame& frame, const std::string& column);
// The days of timestamps; kNullTime becomes kNullDate.
std::vector<int32_t> days_of(const std::vector<int64_t>& times);

// One file at a time (checks_per_file.cpp)

// No rows, the loader's renames and drops, unreadable values, empty required cells,
// repeated keys.
void check_file(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                Findings& findings);
void check_ads_span(const Frame& ads, Findings& findings);  // a single day of ads

// The form answers lead_fields lists (checks_lead_fields.cpp): not a column elv reads
// already, not one of Meta's contact fields, not mostly contact data, not free text.
void check_lead_fields(const Config& config, const Frame& leads, Findings& findings);
// Timestamps without an offset are read in csv.timezone, else as UTC: said once per column.
void note_timestamps_without_offset(const Frame& frame, Findings& findings);

// Rows and cells set aside (checks_set_aside.cpp)

bool is_daily_file(const Frame& f);  // ads, ads_placement, ads_geo: one row per day and entity
// A row that names no campaign, ad set or ad (Ads Manager's totals row among them).
void drop_rows_without_entity(Frame& frame, Findings& findings);
void check_daily_periods(const Frame& frame, Findings& findings);  // monthly exports
// Negative counts, clicks above impressions, spend without impressions.
void apply_number_policies(Frame& frame, Findings& findings);
// Unreadable numbers, dates and timestamps, under the tolerance of contracts/row_policy.h:
// warned and set aside (daily rows left out), or an error above it.
void set_aside_unreadable_values(const FileSpec& spec, Frame& frame, Findings& findings);
void drop_implausible_dates(Frame& frame, Findings& findings);  // of a daily file
void drop_implausible_leads(Frame& leads, Findings& findings);
void set_aside_unreadable_outcomes(InputFiles& inputs, Findings& findings);

// Files compared (checks_cross_file.cpp)

void check_lead_join_keys(const Frame& leads, bool map_configured, Findings& findings);
void check_lead_map_keys(const Frame& map, Findings& findings);
void check_outcomes_vs_leads(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings);
void check_loose_outcome_ids(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings);
void check_match_rate(const Frame& leads, const Frame& ads, const Frame* map,
                      const Dictionaries& dicts, Findings& findings);
void check_enrichment_coverage(const Frame& ads, const Frame& enrichment, const std::string& label,
                               const Dictionaries& dicts, Findings& findings);
std::string label_of(const std::string& kind);  // "ads.csv" for "ads"
void check_as_of_date(const Config& config, const Frame& leads, Findings& findings);
// One currency per run: the spend headers that name one ("Amount spent (EUR)") agree with each
// other and with business.currency; sets inputs.currency.
void check_currency(const Config& config, InputFiles& inputs, Findings& findings);
// Outcome lead_ids matched to leads only when letter case is ignored (contracts/inputs.cpp
// matches them when the match is unique): said, with an example, never silent.
void note_case_insensitive_outcome_ids(const InputFiles& inputs, Findings& findings);

}  // namespace elv::contracts::detail
