// The plain verdict on a back-test (elv backtest, docs/CONTRACT.md §7.1): does the model's
// ranking hold from one period to the next, and does it always beat ranking by each
// campaign's past rate? Computed from the folds' ROC-AUCs alone, so the run (metadata.json),
// the command's last line and report.html (from backtest.csv) say the same.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace elv::report {

struct FoldAuc {
  int fold = 0;                          // 1 = the oldest cut-off
  double model = 0;                      // the model's ROC-AUC on the fold's test leads
  double baseline = 0;                   // the campaign-rate baseline's, on the same leads
  int64_t positives = 0, negatives = 0;  // the test leads, for the ROC-AUC's sampling error
  double ece = std::numeric_limits<double>::quiet_NaN();  // the model's calibration error
};

// A spread of ROC-AUC across folds up to this is stable: about what a ranking gains or loses
// from one tuning change, and well below the gap between a useful model and a coin (0.5).
inline constexpr double kStableAucSpread = 0.05;
// An ECE above this in a fold is named after the verdict: the ranking may hold while the
// probabilities are far from the observed rates (a fold fitted on too little or unlike
// history, such as the first days of an account whose window features are still partial).
inline constexpr double kPoorCalibrationEce = 0.10;
// Folds needed before anything is said about stability.
inline constexpr int kMinFoldsForVerdict = 2;

enum class Stability { kNotEnoughFolds, kStable, kUnstable, kInconclusive };

struct StabilityVerdict {
  Stability level = Stability::kNotEnoughFolds;
  std::string text;  // one sentence or two, for people
};

// "stable", "unstable", "inconclusive", "not enough folds".
const char* stability_name(Stability level);

// Hanley & McNeil (1982): the standard error of a ROC-AUC measured on this many positives and
// negatives; NaN when either is zero or the AUC is not finite.
double auc_standard_error(double auc, int64_t positives, int64_t negatives);

// The rule, over the folds that ran (skipped = the folds that could not):
//  - fewer than kMinFoldsForVerdict folds ran: not enough folds;
//  - the model's ROC-AUC is at or below the baseline's in any fold: unstable (it does not
//    always earn its keep);
//  - the spread (highest − lowest ROC-AUC) is at most kStableAucSpread: stable;
//  - the spread is larger than that and larger than two standard errors of the difference
//    between the highest and the lowest fold (sqrt(se_hi² + se_lo²)): unstable;
//  - else the spread is larger than kStableAucSpread but within the folds' sampling noise
//    (small folds): inconclusive.
// The verdict is on the ranking; folds whose ECE is above kPoorCalibrationEce are named in a
// sentence after it, whatever the level.
StabilityVerdict stability_verdict(const std::vector<FoldAuc>& ran, int skipped);

}  // namespace elv::report
