#include "model/split.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace elv::model {

using table::LabelStatus;

std::vector<double> labels_of(const table::LeadTable& t, const std::vector<int64_t>& rows) {
  std::vector<double> y(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    y[i] = t.label_status[rows[i]] == LabelStatus::Positive ? 1.0 : 0.0;
  return y;
}

namespace {

void require_both_classes(const table::LeadTable& t, const std::vector<int64_t>& rows,
                          const char* name) {
  int64_t positives = 0;
  for (int64_t r : rows) positives += t.label_status[r] == LabelStatus::Positive;
  const auto n = static_cast<int64_t>(rows.size());
  if (positives == 0 || positives == n) {
    throw Error(std::string("the ") + name + " split (" + std::to_string(n) + " leads) has only " +
                (positives == 0 ? "unqualified" : "qualified") +
                " leads; a model needs both. Use more history, a later as_of_date, or other "
                "split fractions");
  }
}

}  // namespace

TimeSplit time_split(const table::LeadTable& t, const SplitsConfig& splits, int64_t max_labeled) {
  // Only mature leads: early positives among recent leads would over-represent positives.
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < t.n; ++i)
    if (t.label_status[i] != LabelStatus::Unknown && t.is_mature[i]) rows.push_back(i);
  const auto n_before_cap = static_cast<int64_t>(rows.size());
  if (n_before_cap < kMinLabeledRows) {
    throw Error("only " + std::to_string(n_before_cap) +
                " leads have a known result and are old enough to judge (older than the label "
                "window); training needs at least " +
                std::to_string(kMinLabeledRows) +
                ": add the outcomes of more leads (outcomes.csv; in a config, "
                "paths.outcomes_path), or check label.as_of_date");
  }
  const auto& lead_dict = t.dicts->for_column("lead_id");
  std::sort(rows.begin(), rows.end(), [&](int64_t a, int64_t b) {
    if (t.created_time[a] != t.created_time[b]) return t.created_time[a] < t.created_time[b];
    return lead_dict.str(t.lead_id[a]) < lead_dict.str(t.lead_id[b]);
  });
  if (max_labeled > 0 && n_before_cap > max_labeled) {
    if (max_labeled < kMinLabeledRows)
      throw Error("--max-labeled-leads " + std::to_string(max_labeled) +
                  " would train on fewer than the " + std::to_string(kMinLabeledRows) +
                  " leads with a known result a model needs; raise it, or leave it out to use "
                  "them all");
    rows.erase(rows.begin(), rows.end() - max_labeled);
  }
  const auto n = static_cast<int64_t>(rows.size());
  const auto n_train = static_cast<int64_t>(std::floor(static_cast<double>(n) * splits.train_frac));
  const auto n_calib = static_cast<int64_t>(std::floor(static_cast<double>(n) * splits.calib_frac));
  TimeSplit s;
  s.n_labeled_before_cap = n_before_cap;
  s.train.assign(rows.begin(), rows.begin() + n_train);
  s.calib.assign(rows.begin() + n_train, rows.begin() + n_train + n_calib);
  s.test.assign(rows.begin() + n_train + n_calib, rows.end());
  if (s.train.empty() || s.calib.empty() || s.test.empty())
    throw Error("a split is empty (" + std::to_string(s.train.size()) + " train, " +
                std::to_string(s.calib.size()) + " calib, " + std::to_string(s.test.size()) +
                " test); check the split fractions");
  require_both_classes(t, s.train, "train");
  require_both_classes(t, s.calib, "calib");
  require_both_classes(t, s.test, "test");
  s.train_end_time = t.created_time[s.train.back()];
  s.calib_end_time = t.created_time[s.calib.back()];
  return s;
}

ValidationSlice validation_slice(const table::LeadTable& t, const std::vector<int64_t>& train,
                                 double validation_frac) {
  if (!(validation_frac > 0.0 && validation_frac < 1.0))
    throw Error("the validation share must be between 0 and 1");
  const auto n = static_cast<int64_t>(train.size());
  const auto n_valid =
      static_cast<int64_t>(std::ceil(static_cast<double>(n) * validation_frac - 1e-9));
  ValidationSlice s;
  if (n_valid < kMinValidationRows || n - n_valid < kMinValidationRows) {
    s.fit = train;
    return s;
  }
  s.fit.assign(train.begin(), train.end() - n_valid);
  s.validation.assign(train.end() - n_valid, train.end());
  auto both_classes = [&](const std::vector<int64_t>& rows) {
    int64_t positives = 0;
    for (int64_t r : rows) positives += t.label_status[r] == LabelStatus::Positive;
    return positives > 0 && positives < static_cast<int64_t>(rows.size());
  };
  if (!both_classes(s.fit) || !both_classes(s.validation)) {
    s.fit = train;
    s.validation.clear();
  }
  return s;
}

}  // namespace elv::model
