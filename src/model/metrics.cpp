#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace elv::model {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLogLossFloor = 1e-15;

// Caller bugs (not data problems) would otherwise give silently wrong numbers, and a NaN
// score would break the strict weak ordering the sorts below rely on.
void check_inputs(const std::vector<double>& y, const std::vector<double>& p) {
  if (y.size() != p.size())
    throw Error("metrics: " + std::to_string(y.size()) + " labels but " + std::to_string(p.size()) +
                " scores");
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0.0 && y[i] != 1.0)
      throw Error("metrics: label at index " + std::to_string(i) + " is not 0 or 1");
    if (std::isnan(p[i])) throw Error("metrics: score at index " + std::to_string(i) + " is NaN");
  }
}

// Row indices by score descending, ties by index ascending: a total order, so the result
// equals a stable sort and is reproducible.
std::vector<size_t> descending_order(const std::vector<double>& p) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return p[a] != p[b] ? p[a] > p[b] : a < b; });
  return order;
}

int64_t count_positives(const std::vector<double>& y) {
  return std::count(y.begin(), y.end(), 1.0);
}

// Calls visit(group_positives, group_negatives) for each run of equal scores, walking the
// ranking from the highest score down. Both ROC-AUC and AP treat a tie as one threshold.
template <typename Visit>
void for_each_tie_group(const std::vector<double>& y, const std::vector<double>& p,
                        const std::vector<size_t>& order, Visit visit) {
  size_t start = 0;
  while (start < order.size()) {
    int64_t pos = 0, neg = 0;
    size_t end = start;
    const double score = p[order[start]];
    for (; end < order.size() && p[order[end]] == score; ++end)
      (y[order[end]] == 1.0 ? pos : neg)++;
    visit(pos, neg);
    start = end;
  }
}

// Pairs (positive, negative) where the positive scores higher count 1, ties 1/2. Walking
// down, every negative in a group is beaten by all positives seen in earlier groups.
double roc_auc_ranked(const std::vector<double>& y, const std::vector<double>& p,
                      const std::vector<size_t>& order) {
  const int64_t positives = count_positives(y);
  const int64_t negatives = static_cast<int64_t>(y.size()) - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  double correct_pairs = 0.0;
  int64_t positives_above = 0;
  for_each_tie_group(y, p, order, [&](int64_t pos, int64_t neg) {
    correct_pairs += static_cast<double>(neg) * static_cast<double>(positives_above) +
                     0.5 * static_cast<double>(pos) * static_cast<double>(neg);
    positives_above += pos;
  });
  return correct_pairs / (static_cast<double>(positives) * static_cast<double>(negatives));
}

double average_precision_ranked(const std::vector<double>& y, const std::vector<double>& p,
                                const std::vector<size_t>& order) {
  const int64_t positives = count_positives(y);
  if (positives == 0) return kNaN;
  double ap = 0.0, previous_recall = 0.0;
  int64_t true_pos = 0, false_pos = 0;
  for_each_tie_group(y, p, order, [&](int64_t pos, int64_t neg) {
    true_pos += pos;
    false_pos += neg;
    const double recall = static_cast<double>(true_pos) / static_cast<double>(positives);
    const double precision =
        static_cast<double>(true_pos) / static_cast<double>(true_pos + false_pos);
    ap += (recall - previous_recall) * precision;
    previous_recall = recall;
  });
  return ap;
}

// ceil(topk_frac · n) with a relative tolerance: 0.07 · 100 is 7.000000000000001 in
// doubles and must still give 7.
int64_t top_k_size(double topk_frac, int64_t n) {
  if (!(topk_frac > 0.0 && topk_frac <= 1.0))
    throw Error("metrics: topk_frac must be in (0, 1], got " + std::to_string(topk_frac));
  if (n == 0) return 0;
  const double exact = topk_frac * static_cast<double>(n);
  const auto k = static_cast<int64_t>(std::ceil(exact - 1e-12 * std::max(1.0, exact)));
  return std::clamp<int64_t>(k, 1, n);
}

LiftAtK lift_at_k_ranked(const std::vector<double>& y, const std::vector<size_t>& order,
                         double topk_frac) {
  const auto n = static_cast<int64_t>(y.size());
  LiftAtK out{topk_frac, top_k_size(topk_frac, n), kNaN, kNaN, kNaN, kNaN};
  if (n == 0) return out;
  const int64_t positives = count_positives(y);
  int64_t top_positives = 0;
  for (int64_t i = 0; i < out.k; ++i) top_positives += y[order[i]] == 1.0;
  out.overall_rate = static_cast<double>(positives) / static_cast<double>(n);
  out.topk_rate = static_cast<double>(top_positives) / static_cast<double>(out.k);
  if (positives > 0) {
    out.lift = out.topk_rate / out.overall_rate;
    out.capture = static_cast<double>(top_positives) / static_cast<double>(positives);
  }
  return out;
}

std::vector<CurvePoint> capture_curve_ranked(const std::vector<double>& y,
                                             const std::vector<size_t>& order, int points) {
  if (points < 1) throw Error("metrics: capture curve needs at least 1 point");
  const auto n = static_cast<int64_t>(y.size());
  const int64_t positives = count_positives(y);
  std::vector<CurvePoint> curve{{0.0, 0.0}};
  int64_t rows_taken = 0, positives_taken = 0;
  for (int i = 1; i <= points; ++i) {
    const int64_t rows_wanted = (i * n + points - 1) / points;  // ceil(i · n / points)
    for (; rows_taken < rows_wanted; ++rows_taken) positives_taken += y[order[rows_taken]] == 1.0;
    const double captured =
        positives > 0 ? static_cast<double>(positives_taken) / static_cast<double>(positives)
                      : kNaN;
    curve.push_back({static_cast<double>(i) / points, captured});
  }
  return curve;
}

// floor(p · n_bins) can disagree with the reported bounds i / n_bins by one ulp; nudging
// the index makes membership match [lower, upper) exactly as reported.
int calibration_bin_of(double p, int n_bins) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return n_bins - 1;
  int bin = std::clamp(static_cast<int>(p * n_bins), 0, n_bins - 1);
  if (bin > 0 && p < static_cast<double>(bin) / n_bins) --bin;
  if (bin < n_bins - 1 && p >= static_cast<double>(bin + 1) / n_bins) ++bin;
  return bin;
}

nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

double roc_auc(const std::vector<double>& y, const std::vector<double>& p) {
  check_inputs(y, p);
  return roc_auc_ranked(y, p, descending_order(p));
}

double average_precision(const std::vector<double>& y, const std::vector<double>& p) {
  check_inputs(y, p);
  return average_precision_ranked(y, p, descending_order(p));
}

double brier(const std::vector<double>& y, const std::vector<double>& p) {
  check_inputs(y, p);
  if (y.empty()) return kNaN;
  double sum = 0.0;
  for (size_t i = 0; i < y.size(); ++i) sum += (p[i] - y[i]) * (p[i] - y[i]);
  return sum / static_cast<double>(y.size());
}

double log_loss(const std::vector<double>& y, const std::vector<double>& p) {
  check_inputs(y, p);
  if (y.empty()) return kNaN;
  double sum = 0.0;
  for (size_t i = 0; i < y.size(); ++i) sum += lead_log_loss(y[i], p[i]);
  return sum / static_cast<double>(y.size());
}

double lead_log_loss(double y, double p) {
  // Flooring the probability of the observed outcome (not 1 − p after rounding 1 − 1e-15)
  // keeps a confident miss at exactly −ln(1e-15) on both sides.
  const double prob_observed = y == 1.0 ? p : 1.0 - p;
  return -std::log(std::clamp(prob_observed, kLogLossFloor, 1.0));
}

LiftAtK lift_at_k(const std::vector<double>& y, const std::vector<double>& p, double topk_frac) {
  check_inputs(y, p);
  return lift_at_k_ranked(y, descending_order(p), topk_frac);
}

std::vector<CurvePoint> capture_curve(const std::vector<double>& y, const std::vector<double>& p,
                                      int points) {
  check_inputs(y, p);
  return capture_curve_ranked(y, descending_order(p), points);
}

Calibration calibration_bins(const std::vector<double>& y, const std::vector<double>& p,
                             int n_bins) {
  check_inputs(y, p);
  if (n_bins < 1) throw Error("metrics: calibration needs at least 1 bin");
  std::vector<int64_t> counts(n_bins, 0);
  std::vector<double> pred_sums(n_bins, 0.0), pos_sums(n_bins, 0.0);
  for (size_t i = 0; i < y.size(); ++i) {
    const int bin = calibration_bin_of(p[i], n_bins);
    ++counts[bin];
    pred_sums[bin] += p[i];
    pos_sums[bin] += y[i];
  }
  Calibration out{{}, y.empty() ? kNaN : 0.0};
  for (int b = 0; b < n_bins; ++b) {
    CalibrationBin bin{static_cast<double>(b) / n_bins, static_cast<double>(b + 1) / n_bins,
                       counts[b], kNaN, kNaN};
    if (bin.count > 0) {
      bin.mean_pred = pred_sums[b] / static_cast<double>(bin.count);
      bin.frac_pos = pos_sums[b] / static_cast<double>(bin.count);
      out.ece += static_cast<double>(bin.count) / static_cast<double>(y.size()) *
                 std::abs(bin.frac_pos - bin.mean_pred);
    }
    out.bins.push_back(bin);
  }
  return out;
}

CoreMetrics core_metrics(const std::vector<double>& y, const std::vector<double>& p,
                         double topk_frac, int ece_bins) {
  check_inputs(y, p);
  const std::vector<size_t> order = descending_order(p);  // one sort shared by the rankings
  return CoreMetrics{roc_auc_ranked(y, p, order),
                     average_precision_ranked(y, p, order),
                     brier(y, p),
                     log_loss(y, p),
                     lift_at_k_ranked(y, order, topk_frac),
                     capture_curve_ranked(y, order, 50),
                     calibration_bins(y, p, ece_bins)};
}

nlohmann::json to_json(const CoreMetrics& m) {
  nlohmann::json curve = nlohmann::json::array();
  for (const CurvePoint& point : m.curve)
    curve.push_back({{"frac_leads", number_or_null(point.frac_leads)},
                     {"frac_positives", number_or_null(point.frac_positives)}});
  nlohmann::json bins = nlohmann::json::array();
  for (const CalibrationBin& bin : m.calibration.bins)
    bins.push_back({{"lower", number_or_null(bin.lower)},
                    {"upper", number_or_null(bin.upper)},
                    {"count", bin.count},
                    {"mean_pred", number_or_null(bin.mean_pred)},
                    {"frac_pos", number_or_null(bin.frac_pos)}});
  return {{"roc_auc", number_or_null(m.roc_auc)},
          {"pr_auc", number_or_null(m.pr_auc)},
          {"brier", number_or_null(m.brier)},
          {"log_loss", number_or_null(m.log_loss)},
          {"lift_at_k",
           {{"topk_frac", number_or_null(m.lift.topk_frac)},
            {"k", m.lift.k},
            {"overall_rate", number_or_null(m.lift.overall_rate)},
            {"topk_rate", number_or_null(m.lift.topk_rate)},
            {"lift", number_or_null(m.lift.lift)},
            {"capture", number_or_null(m.lift.capture)}}},
          {"lift_curve", std::move(curve)},
          {"calibration", {{"bins", std::move(bins)}, {"ece", number_or_null(m.calibration.ece)}}}};
}

}  // namespace elv::model
