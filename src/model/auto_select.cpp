#include "model/auto_select.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/calibration.h"
#include "model/metrics.h"

namespace elv::model {

namespace {

// Mean and standard error of the paired per-lead differences a − b.
std::pair<double, double> paired_difference(const std::vector<double>& a,
                                            const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  if (a.size() < 2) return {0.0, 0.0};
  double sum = 0.0, sum_sq = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = a[i] - b[i];
    sum += d;
    sum_sq += d * d;
  }
  const double mean = sum / n;
  const double variance = std::max(0.0, (sum_sq - n * mean * mean) / (n - 1));
  return {mean, std::sqrt(variance / n)};
}

}  // namespace

AutoChoice choose_by_calib_log_loss(const std::vector<std::string>& model_types,
                                    const std::vector<std::vector<double>>& raw_calib,
                                    const std::vector<double>& y_calib) {
  if (model_types.empty() || model_types.size() != raw_calib.size())
    throw Error("auto: needs one set of calib scores per candidate model");
  AutoChoice choice;
  std::vector<double> first_losses;
  for (size_t i = 0; i < model_types.size(); ++i) {
    if (raw_calib[i].size() != y_calib.size())
      throw Error("auto: " + model_types[i] + " scored " + std::to_string(raw_calib[i].size()) +
                  " calib leads, expected " + std::to_string(y_calib.size()));
    const std::vector<double> p =
        Calibrator::fit_sigmoid(raw_calib[i], y_calib).apply(raw_calib[i]);
    std::vector<double> losses(p.size());
    for (size_t k = 0; k < p.size(); ++k) losses[k] = lead_log_loss(y_calib[k], p[k]);
    AutoCandidateScore score{model_types[i], log_loss(y_calib, p), log_loss(y_calib, raw_calib[i])};
    if (i == 0) {
      first_losses = std::move(losses);
    } else {
      std::tie(score.difference_vs_first, score.difference_standard_error) =
          paired_difference(losses, first_losses);
      score.clearly_better =
          score.difference_vs_first < -kClearlyBetter * score.difference_standard_error;
    }
    choice.candidates.push_back(score);
    if (score.clearly_better &&
        score.calib_log_loss < choice.candidates[choice.chosen].calib_log_loss)
      choice.chosen = i;
  }
  return choice;
}

nlohmann::json to_json(const AutoChoice& choice) {
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : choice.candidates)
    candidates.push_back({{"model_type", c.model_type},
                          {"calib_log_loss", c.calib_log_loss},
                          {"calib_log_loss_raw", c.calib_log_loss_raw},
                          {"difference_vs_first", c.difference_vs_first},
                          {"difference_standard_error", c.difference_standard_error},
                          {"clearly_better", c.clearly_better}});
  return {{"chosen", choice.candidates.at(choice.chosen).model_type},
          {"criterion",
           "calib-split log loss after a sigmoid (Platt) fit; the first candidate is kept "
           "unless another is lower by more than 2 standard errors of the per-lead difference"},
          {"candidates", std::move(candidates)}};
}

}  // namespace elv::model
