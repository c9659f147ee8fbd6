#include "contracts/checks.h"

#include "base/calendar.h"
#include "contracts/checks_parts.h"

namespace elv::contracts {

namespace detail {

const std::vector<int32_t>* codes_of(const Frame& frame, const std::string& column) {
  auto it = frame.codes.find(column);
  return it == frame.codes.end() ? nullptr : &it->second;
}

std::vector<int32_t> days_of(const std::vector<int64_t>& times) {
  std::vector<int32_t> days(times.size(), kNullDate);
  for (size_t i = 0; i < times.size(); ++i)
    if (times[i] != kNullTime) days[i] = day_of(times[i]);
  return days;
}

}  // namespace detail

using detail::apply_number_policies;
using detail::check_ads_span;
using detail::check_as_of_date;
using detail::check_currency;
using detail::check_daily_periods;
using detail::check_enrichment_coverage;
using detail::check_file;
using detail::check_lead_fields;
using detail::check_lead_join_keys;
using detail::check_lead_map_keys;
using detail::check_loose_outcome_ids;
using detail::check_match_rate;
using detail::check_outcomes_vs_leads;
using detail::drop_implausible_dates;
using detail::drop_implausible_leads;
using detail::drop_rows_without_entity;
using detail::is_daily_file;
using detail::label_of;
using detail::note_case_insensitive_outcome_ids;
using detail::note_timestamps_without_offset;
using detail::set_aside_unreadable_outcomes;
using detail::set_aside_unreadable_values;

void check_inputs(const Config& config, InputFiles& inputs, Findings& findings) {
  const Dictionaries& dicts = *inputs.dicts;
  const FileSpec leads_with_fields = leads_spec_with_fields(config.lead_fields);
  const FileSpec* specs[] = {&leads_with_fields, &ads_spec(), &outcomes_spec(),  &lead_map_spec(),
                             &placement_spec(),  &geo_spec(), &targeting_spec(), &creatives_spec()};
  for (const FileSpec* spec : specs) {
    Frame* frame = inputs.get(spec->kind);
    if (!frame) continue;
    // A totals row is set aside first, so its empty cells are not reported as gaps; a
    // monthly export is named as such before its repeated days are.
    // Rows at mistyped dates go before the duplicate check too (garbage rows repeat).
    if (is_daily_file(*frame)) {
      drop_rows_without_entity(*frame, findings);
      check_daily_periods(*frame, findings);
      drop_implausible_dates(*frame, findings);
    }
    set_aside_unreadable_values(*spec, *frame, findings);
    check_file(*spec, *frame, dicts, findings);
    note_timestamps_without_offset(*frame, findings);
    if (is_daily_file(*frame)) apply_number_policies(*frame, findings);
  }
  Frame* leads = inputs.get("leads");
  if (leads) check_lead_fields(config, *leads, findings);
  if (leads) drop_implausible_leads(*leads, findings);
  set_aside_unreadable_outcomes(inputs, findings);

  const Frame* ads = inputs.get("ads");
  const Frame* outcomes = inputs.get("outcomes");
  const Frame* map = inputs.get("lead_to_ad_map");
  if (leads) check_lead_join_keys(*leads, !config.paths.lead_to_ad_map_path.empty(), findings);
  if (map) check_lead_map_keys(*map, findings);
  if (outcomes && leads) {
    check_outcomes_vs_leads(*outcomes, *leads, dicts, findings);
    check_loose_outcome_ids(*outcomes, *leads, dicts, findings);
  }
  if (ads && leads) check_match_rate(*leads, *ads, map, dicts, findings);
  if (ads) check_ads_span(*ads, findings);
  for (const char* kind : {"ads_placement", "ads_geo", "adset_targeting", "ad_creatives"}) {
    const Frame* enrichment = inputs.get(kind);
    if (ads && enrichment)
      check_enrichment_coverage(*ads, *enrichment, label_of(kind), dicts, findings);
  }
  if (leads) check_as_of_date(config, *leads, findings);
  check_currency(config, inputs, findings);
  note_case_insensitive_outcome_ids(inputs, findings);
}

}  // namespace elv::contracts
