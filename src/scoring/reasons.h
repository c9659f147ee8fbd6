// The reasons of a score (docs/CONTRACT.md §6 `top_reasons`): for each lead, the features
// that pushed its log-odds up most and down most, with their signed contributions, in words.
// model/explain.h computes the numbers (it sits above this layer); this file only holds them
// and writes them out.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scoring/feature_words.h"
#include "table/lead_table.h"

namespace elv::scoring {

inline constexpr int kReasonsPerSide = 3;
// Contributions smaller than this print as ±0.00 and say nothing: left out.
inline constexpr double kMinReasonContribution = 0.005;

struct Contribution {
  int32_t column = -1;  // index into TopContributions::names; -1 = empty slot
  float value = 0;      // log-odds
};

struct TopContributions {
  // Contribution columns: the model's features, and for logreg "campaign_id" and "adset_id"
  // (each one-hot block as one contribution).
  std::vector<std::string> names;
  // Per column, the training value a lead's value is called high or low against (NaN: none,
  // e.g. an older gbdt model.json, or the ID blocks).
  std::vector<double> reference;
  int64_t rows = 0;
  // rows × 2·kReasonsPerSide slots: the largest positive contributions (descending), then
  // the most negative ones (ascending); unused slots have column -1.
  std::vector<Contribution> slots;
  // Per column, the mean |contribution| over the rows (the global picture).
  std::vector<double> mean_abs;
  // How the contributions were computed: "linear" (logreg), "tree_shap" (gbdt, exact SHAP
  // values) or "saabas" (gbdt, XGBoost's approximate contributions; model/explain.h).
  std::string method;

  const Contribution* row(int64_t i) const { return slots.data() + i * 2 * kReasonsPerSide; }
};

// One lead's reasons: "<words>[ <value>] (<+0.42>)" joined by "; ", the ups first. `row` is
// the row of `t` the contributions of row `i` describe (the lead's feature values are read
// from t). Words never contain ';'. Empty when no contribution reaches kMinReasonContribution.
// Each column's words and table column are worked out once, when it is made: predictions.csv
// asks for six reasons per lead, and describing the feature and finding its column each time
// was most of writing it (issue 19).
class ReasonsText {
 public:
  ReasonsText(const TopContributions& top, const table::LeadTable& t);
  std::string operator()(int64_t i, int64_t row) const;

 private:
  struct Column {
    std::string label;  // the feature's words, ';' made ','
    FeatureWords words;
    const table::FeatureColumn* values = nullptr;  // null: not a column of the table
    double reference = 0;
  };
  const TopContributions& top_;
  std::vector<Column> columns_;
};

// One lead's reasons, for a single lead (ReasonsText for many).
std::string reasons_text(const TopContributions& top, int64_t i, const table::LeadTable& t,
                         int64_t row);

// The global picture: the columns with the largest mean |contribution|, largest first
// (ties by name), at most `max`, with their words.
struct Driver {
  std::string feature, label;
  double mean_abs_contribution = 0;
};
inline constexpr size_t kMaxDrivers = 15;
std::vector<Driver> top_drivers(const TopContributions& top, size_t max = kMaxDrivers);

// Keeps the k largest and k most negative of one row's contributions (k = kReasonsPerSide)
// in `out` (2k slots), in the order TopContributions::slots documents.
void pick_top(const double* contributions, int32_t n_columns, Contribution* out);

}  // namespace elv::scoring
