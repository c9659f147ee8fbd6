// Evaluation metrics for a binary score: ranking quality (ROC-AUC, average precision),
// probability quality (Brier, log loss, calibration bins + ECE) and the business view
// (lift/capture at the top k and a cumulative capture curve).
//
// Conventions shared by every function here:
//  - y holds 0/1 labels and p the scores, same length; a size mismatch, a label other than
//    0/1 or a NaN score throws elv::Error (they are caller bugs, not data to score around).
//  - An undefined value (one class only, no positives, empty input) is NaN, never a guess;
//    to_json turns NaN into null.
//  - "Top k" ranks by p descending with ties broken by original index ascending, i.e. a
//    stable sort: the same input always yields the same top k.
#pragma once
#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::model {

// Mann–Whitney U / (n+ · n−) with average ranks, so a tied positive/negative pair counts
// 1/2. NaN if either class is absent.
double roc_auc(const std::vector<double>& y, const std::vector<double>& p);

// scikit-learn's average_precision_score: Σ over distinct thresholds (descending) of
// (R_n − R_{n−1}) · P_n with R_0 = 0; tied scores form one threshold. NaN when no positives.
double average_precision(const std::vector<double>& y, const std::vector<double>& p);

// Mean squared error of the probability. NaN on empty input.
double brier(const std::vector<double>& y, const std::vector<double>& p);

// Mean negative log-likelihood, natural log; p and 1 − p are each floored at 1e-15 (the
// same as clipping p to [1e-15, 1 − 1e-15], but exact on both sides). NaN on empty input.
double log_loss(const std::vector<double>& y, const std::vector<double>& p);
// One lead's part of it: −ln of the probability given to what happened, floored at 1e-15.
double lead_log_loss(double y, double p);

struct LiftAtK {
  double topk_frac;
  int64_t k;            // max(1, ceil(topk_frac · n)), at most n (0 only for empty input)
  double overall_rate;  // positives / n
  double topk_rate;     // positives in top k / k
  double lift;          // topk_rate / overall_rate; NaN if overall_rate is 0
  double capture;       // positives in top k / all positives; NaN if no positives
};
// topk_frac must be in (0, 1]. ceil tolerates floating noise (0.07 · 100 gives k = 7).
LiftAtK lift_at_k(const std::vector<double>& y, const std::vector<double>& p, double topk_frac);

struct CurvePoint {
  double frac_leads, frac_positives;
};
// points + 1 entries: (0, 0), then for i = 1..points the share of all positives found in
// the top ceil(i · n / points) rows, reported at frac_leads = i / points. The last point
// is (1, 1) when there are positives; without positives frac_positives is NaN (except the
// start). Rows are ranked as for lift_at_k.
std::vector<CurvePoint> capture_curve(const std::vector<double>& y, const std::vector<double>& p,
                                      int points = 50);

struct CalibrationBin {
  double lower, upper;  // bin i covers [i/n_bins, (i+1)/n_bins); the last bin includes 1
  int64_t count;
  double mean_pred, frac_pos;  // NaN when count == 0
};
struct Calibration {
  std::vector<CalibrationBin> bins;
  double ece;  // Σ (count/n) · |frac_pos − mean_pred| over non-empty bins; NaN if n == 0
};
// Equal-width bins on [0, 1]; n_bins ≥ 1. A p outside [0, 1] is counted in the nearest end
// bin (its mean_pred still uses the raw value).
Calibration calibration_bins(const std::vector<double>& y, const std::vector<double>& p,
                             int n_bins);

struct CoreMetrics {
  double roc_auc, pr_auc, brier, log_loss;
  LiftAtK lift;
  std::vector<CurvePoint> curve;
  Calibration calibration;
};
// All of the above; the curve has 50 points (docs/CONTRACT.md §5).
CoreMetrics core_metrics(const std::vector<double>& y, const std::vector<double>& p,
                         double topk_frac, int ece_bins);

// {"roc_auc","pr_auc","brier","log_loss","lift_at_k":{…},"lift_curve":[…],
//  "calibration":{"bins":[…],"ece"}}; every NaN or infinity becomes null.
nlohmann::json to_json(const CoreMetrics& metrics);

}  // namespace elv::model
