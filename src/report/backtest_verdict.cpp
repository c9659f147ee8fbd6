#include "report/backtest_verdict.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/format.h"

namespace elv::report {

const char* stability_name(Stability level) {
  switch (level) {
    case Stability::kNotEnoughFolds:
      return "not enough folds";
    case Stability::kStable:
      return "stable";
    case Stability::kUnstable:
      return "unstable";
    case Stability::kInconclusive:
      return "inconclusive";
  }
  return "not enough folds";
}

double auc_standard_error(double auc, int64_t positives, int64_t negatives) {
  if (!std::isfinite(auc) || positives <= 0 || negatives <= 0)
    return std::numeric_limits<double>::quiet_NaN();
  const double a = auc, n1 = static_cast<double>(positives), n2 = static_cast<double>(negatives);
  const double q1 = a / (2 - a), q2 = 2 * a * a / (1 + a);
  const double var = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2);
  return std::sqrt(std::max(0.0, var));
}

namespace {

// "Calibration was poor in fold 1 (ECE 0.45): …", or "".
std::string calibration_note(const std::vector<FoldAuc>& ran) {
  std::vector<std::string> poor;
  for (const FoldAuc& f : ran)
    if (f.ece > kPoorCalibrationEce)
      poor.push_back(std::to_string(f.fold) + " (ECE " + fixed(f.ece, 2) + ")");
  if (poor.empty()) return "";
  return " Calibration was poor in fold" + std::string(poor.size() == 1 ? " " : "s ") +
         join(poor, ", ") +
         ": there the probabilities were far from the observed rates, whatever the ranking.";
}

}  // namespace

StabilityVerdict stability_verdict(const std::vector<FoldAuc>& ran, int skipped) {
  // What follows every verdict: poor calibration, then the folds that could not run.
  const std::string skipped_note =
      calibration_note(ran) +
      (skipped > 0 ? " " + std::to_string(skipped) + (skipped == 1 ? " fold" : " folds") +
                         " could not run (see the table)."
                   : std::string());
  const int n = static_cast<int>(ran.size());
  if (n < kMinFoldsForVerdict)
    return {Stability::kNotEnoughFolds,
            "Not enough folds: " + std::to_string(n) + " of " + std::to_string(n + skipped) +
                (n + skipped == 1 ? " fold" : " folds") + " could run; stability needs at least " +
                std::to_string(kMinFoldsForVerdict) + "." + skipped_note};
  const auto [lo_it, hi_it] = std::minmax_element(
      ran.begin(), ran.end(), [](const FoldAuc& a, const FoldAuc& b) { return a.model < b.model; });
  const double spread = hi_it->model - lo_it->model;
  const std::string range = "ROC-AUC " + fixed(lo_it->model, 2) + "\xE2\x80\x93" +
                            fixed(hi_it->model, 2) + " over " + std::to_string(n) + " folds";
  std::vector<std::string> below;
  for (const FoldAuc& f : ran)
    if (!(f.model > f.baseline)) below.push_back(std::to_string(f.fold));
  if (!below.empty())
    return {Stability::kUnstable,
            "Unstable: " + range + ", at or below the campaign-rate baseline in fold" +
                (below.size() == 1 ? " " : "s ") + join(below, ", ") +
                ": in those periods ranking by each campaign's past rate did as well." +
                skipped_note};
  if (spread <= kStableAucSpread + 1e-12)
    return {Stability::kStable,
            "Stable: " + range + ", always above the campaign-rate baseline." + skipped_note};
  const double se_hi = auc_standard_error(hi_it->model, hi_it->positives, hi_it->negatives);
  const double se_lo = auc_standard_error(lo_it->model, lo_it->positives, lo_it->negatives);
  const double noise = 2 * std::sqrt(se_hi * se_hi + se_lo * se_lo);
  const std::string spread_text =
      "a spread of " + fixed(spread, 2) + ", more than " + fixed(kStableAucSpread, 2);
  if (std::isfinite(noise) && spread <= noise)
    return {Stability::kInconclusive,
            "Inconclusive: " + range + " (" + spread_text +
                "), always above the campaign-rate baseline; the folds are too small to tell a "
                "real change from chance (two standard errors: " +
                fixed(noise, 2) + ")." + skipped_note};
  return {Stability::kUnstable, "Unstable: " + range + " (" + spread_text +
                                    "): the model ranks leads better in some periods than in "
                                    "others; retrain often and watch the drift section." +
                                    skipped_note};
}

}  // namespace elv::report
