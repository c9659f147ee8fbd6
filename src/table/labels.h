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

}  // namespace elv::table
