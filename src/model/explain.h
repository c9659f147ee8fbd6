// Why a model scored a lead as it did (docs/CONTRACT.md §6 `top_reasons`): per-feature signed
// contributions in log-odds and a base value that add up to the model's raw (uncalibrated)
// margin, for both model kinds:
//  - gbdt: XGBoost's own SHAP values (TreeSHAP, GbdtModel::contributions); the base is the
//    bias column (base_score included);
//  - logreg: coefficient × standardised value per numeric feature (the Scaler: NaN → the
//    training median, so an imputed value contributes as the median does), the campaign's
//    and the ad set's one-hot coefficient as one contribution each ("campaign_id",
//    "adset_id"); the base is the intercept.
// Calibration is monotone and applied after the margin, so it does not change the order of
// the reasons; they explain the margin, not the calibrated probability.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/bundle.h"
#include "scoring/reasons.h"

namespace elv::model {

struct ContributionMatrix {
  std::vector<std::string> names;  // contribution columns
  int64_t rows = 0;
  std::vector<double> values;  // rows × names.size(), row-major
  std::vector<double> base;    // per row

  double at(int64_t i, size_t k) const { return values[static_cast<size_t>(i) * names.size() + k]; }
  double margin(int64_t i) const;  // base + Σ contributions of row i
};

ContributionMatrix logreg_contributions(const LogregModel& m, const FeatureMatrix& X,
                                        const std::vector<std::string>& campaign,
                                        const std::vector<std::string>& adset);
ContributionMatrix gbdt_contributions(const GbdtModel& m, const FeatureMatrix& X,
                                      bool approximate = false);

// Exact TreeSHAP costs about trees · leaves · depth² per row: with the default 400
// leaf-wise trees, milliseconds per lead, hours for a million leads. So a gbdt explains
// with exact SHAP values while rows × trees stays within this budget (625 leads at 400
// trees), and with XGBoost's approximate contributions (Saabas) beyond; both add up to the
// margin. TopContributions::method records which.
inline constexpr int64_t kExactShapBudget = 250'000;

// The bundle's model on rows of the table (all when `rows` is null).
ContributionMatrix contributions(const ModelBundle& b, const table::LeadTable& t,
                                 const std::vector<int64_t>* rows = nullptr,
                                 bool approximate = false);

// The three largest and three most negative contributions per row (all rows of the table,
// or `rows`), with the mean |contribution| per column; worked in blocks of rows so memory
// stays small whatever the table's size. A logreg's blocks are worked on `threads` threads
// (0: all cores); the result does not depend on the count.
scoring::TopContributions top_contributions(const ModelBundle& b, const table::LeadTable& t,
                                            const std::vector<int64_t>* rows = nullptr,
                                            int threads = 0);

// The contribution columns of the bundle's model: its features, then "campaign_id" and
// "adset_id" for logreg.
std::vector<std::string> contribution_names(const ModelBundle& b);
// Per contribution column, what "high"/"low" is judged against: logreg's training means (its
// contributions are signed against them), gbdt's recorded feature_medians; NaN when unknown.
std::vector<double> reference_values(const ModelBundle& b);

// Median per column (NaN ignored; NaN when the column has no value): ModelBundle's
// feature_medians.
std::vector<double> column_medians(const FeatureMatrix& X);

}  // namespace elv::model
