// Labels (docs/CONTRACT.md §4.2): positive / negative / unknown per lead, honest about maturity and
// about what was known on as_of_date.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "table/build.h"
#include "table/lead_table.h"

namespace elv::table {

// A lead's qualified_time when its outcome row cannot be read (contracts::InputFiles::
// unreadable_outcome_leads): the lead is neither positive nor negative.
inline constexpr int64_t kUnreadableOutcome = std::numeric_limits<int64_t>::min() + 1;

struct LabelInputs {
  const std::vector<int64_t>* created = nullptr;  // per lead, seconds
  const std::vector<int64_t>* qualified_time =
      nullptr;             // per lead, kNullTime = none; null ptr = no outcomes file
  int32_t as_of_date = 0;  // days
  int label_window_days = 14;
  bool require_label_maturity = true;
};

// Fills status and is_mature per lead; returns the counts (as_of and cutoff included).
LabelFacts assign_labels(const LabelInputs& in, std::vector<LabelStatus>& status,
                         std::vector<int8_t>& is_mature);

// The counts that describe outcomes.csv itself rather than one labelling of it (outcomes for
// unknown leads, duplicates, how the IDs matched): copied from one labelling's facts to
// another's.
void carry_outcome_counts(const LabelFacts& from, LabelFacts& to);

// Labels a built table again as of another date, exactly as a build with label.as_of_date =
// as_of_date would: the same assign_labels over the qualified times the build kept, and the
// outcome history features (the one family that reads outcomes, table/outcome_history.h)
// computed again with what was known by then. No other feature depends on outcomes or on
// as_of_date (docs/CONTRACT.md §4.3), so the back-test's cut-offs reuse one build.
void relabel_as_of(BuildResult& built, int32_t as_of_date, const LabelConfig& label);

}  // namespace elv::table
