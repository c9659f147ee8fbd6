// The time split (docs/CONTRACT.md §5): mature labeled leads only, in created_time order (ties by
// lead_id), cut into train / calib / test by the configured fractions.
#pragma once
#include <cstdint>
#include <vector>

#include "config/config.h"
#include "table/lead_table.h"

namespace elv::model {

inline constexpr int64_t kMinLabeledRows = 50;

struct TimeSplit {
  std::vector<int64_t> train, calib, test;  // row indices into the table, in time order
  int64_t train_end_time = 0;               // created_time of the last train row
  int64_t calib_end_time = 0;               // created_time of the last calib row
  int64_t n_labeled() const {
    return static_cast<int64_t>(train.size() + calib.size() + test.size());
  }
  int64_t n_labeled_before_cap = 0;  // mature labeled leads before max_labeled was applied
};

// Throws elv::Error with a plain message when there are fewer than kMinLabeledRows mature
// labeled leads, or when any split holds only one class.
// max_labeled > 0 keeps only the most recent max_labeled of them (the web app's training
// cap), so the split still ends at the newest data.
TimeSplit time_split(const table::LeadTable& table, const SplitsConfig& splits,
                     int64_t max_labeled = 0);

// Early stopping's validation slice (docs/CONTRACT.md §5): the train rows (in time order)
// cut into the part the rounds are fitted on and the newest ⌈n · validation_frac⌉, on which
// the number of rounds is chosen. Carved from train only: calib and test stay unseen.
struct ValidationSlice {
  std::vector<int64_t> fit, validation;  // fit followed by validation is `train`
};
inline constexpr int64_t kMinValidationRows = 50;

// `validation` is empty when train cannot spare a slice: fewer than kMinValidationRows
// rows in it or in the rest, or either part with one class (the caller then trains without
// early stopping and says so). validation_frac in (0, 1).
ValidationSlice validation_slice(const table::LeadTable& table, const std::vector<int64_t>& train,
                                 double validation_frac);

// 1.0 for positive, 0.0 for negative rows (callers pass labeled rows only).
std::vector<double> labels_of(const table::LeadTable& table, const std::vector<int64_t>& rows);

}  // namespace elv::model
