#include "table/labels.h"

#include "base/calendar.h"
#include "contracts/frame.h"

namespace elv::table {

LabelFacts assign_labels(const LabelInputs& in, std::vector<LabelStatus>& status,
                         std::vector<int8_t>& is_mature) {
  LabelFacts facts;
  facts.as_of_date = in.as_of_date;
  facts.label_window_days = in.label_window_days;
  facts.require_label_maturity = in.require_label_maturity;
  facts.outcomes_available = in.qualified_time != nullptr;
  const int64_t window = static_cast<int64_t>(in.label_window_days) * kSecondsPerDay;
  facts.maturity_cutoff = static_cast<int64_t>(in.as_of_date) * kSecondsPerDay - window;
  // Outcomes are visible through the end of as_of_date: a back-test on an old as_of must
  // not see qualifications that happened later.
  const int64_t visible_until = (static_cast<int64_t>(in.as_of_date) + 1) * kSecondsPerDay;

  const auto& created = *in.created;
  const size_t n = created.size();
  status.assign(n, LabelStatus::Unknown);
  is_mature.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const bool mature = !in.require_label_maturity || created[i] <= facts.maturity_cutoff;
    is_mature[i] = mature ? 1 : 0;
    if (mature) ++facts.mature;
    if (!in.qualified_time) {
      ++facts.unknown;  // without outcomes nothing is labeled; negatives are never invented
      continue;
    }
    int64_t q = (*in.qualified_time)[i];
    if (q == kUnreadableOutcome) {
      ++facts.unreadable_outcomes;
      ++facts.unknown;
      continue;
    }
    if (q != contracts::kNullTime && q >= visible_until) {
      ++facts.outcomes_after_as_of;
      q = contracts::kNullTime;
    }
    if (q != contracts::kNullTime && q < created[i]) {
      ++facts.qualified_before_created;  // a data error: neither label can be trusted
      ++facts.unknown;
      continue;
    }
    LabelStatus s = LabelStatus::Unknown;
    if (q != contracts::kNullTime && q <= created[i] + window) {
      s = LabelStatus::Positive;
    } else if (mature) {
      s = LabelStatus::Negative;  // [fix] includes leads that qualified after the window
    }
    status[i] = s;
    if (s == LabelStatus::Positive)
      ++facts.positive;
    else if (s == LabelStatus::Negative)
      ++facts.negative;
    else
      ++facts.unknown;
  }
  return facts;
}

void carry_outcome_counts(const LabelFacts& from, LabelFacts& to) {
  to.outcomes_for_unknown_leads = from.outcomes_for_unknown_leads;
  to.duplicate_outcomes = from.duplicate_outcomes;
  to.ids_exact = from.ids_exact;
  to.ids_case_insensitive = from.ids_case_insensitive;
  to.ids_unmatched = from.ids_unmatched;
  to.lead_ids_meta_prefixed = from.lead_ids_meta_prefixed;
  to.outcome_ids_meta_prefixed = from.outcome_ids_meta_prefixed;
}

void relabel_as_of(BuildResult& built, int32_t as_of_date, const LabelConfig& label) {
  LeadTable& t = built.table;
  const bool outcomes = built.info.labels.outcomes_available;
  LabelFacts facts =
      assign_labels({&t.created_time, outcomes ? &built.qualified_time : nullptr, as_of_date,
                     label.label_window_days, label.require_label_maturity},
                    t.label_status, t.is_mature);
  carry_outcome_counts(built.info.labels, facts);
  built.info.labels = facts;
  // The one family of features that reads outcomes sees only those known by the new date.
  if (built.info.outcome_history_source == "outcomes")
    add_outcome_history({&built.qualified_time, as_of_date, label.label_window_days,
                         built.info.outcome_history_prior},
                        t);
}

}  // namespace elv::table
