// model_type: auto (docs/CONTRACT.md §5, "auto"): of several models fitted on the train
// split, keep the simplest unless another has a clearly lower log loss on the calib split.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::model {

struct AutoCandidateScore {
  std::string model_type;
  // Log loss on the calib split of the model's raw scores after a Platt (sigmoid) fit on
  // that split: the comparison's criterion.
  double calib_log_loss = 0.0;
  double calib_log_loss_raw = 0.0;  // of the raw scores, recorded for reference
  // Against the first candidate (the simplest): the mean per-lead difference of the
  // criterion's log losses (this − first; negative = better) and its standard error.
  double difference_vs_first = 0.0, difference_standard_error = 0.0;
  bool clearly_better = false;  // difference_vs_first < −kClearlyBetter · standard error
};

// How many standard errors of the paired difference a candidate must beat the first by: 2,
// about 97.5 % one-sided. A smaller edge is as likely to be the calib split's noise as a
// better model, and the simpler model is the safer one to keep (small accounts: bench/
// RESULTS.md, "Model quality").
inline constexpr double kClearlyBetter = 2.0;

struct AutoChoice {
  size_t chosen = 0;  // index into candidates
  std::vector<AutoCandidateScore> candidates;
};

// raw_calib[i]: candidate i's uncalibrated P(y = 1) for the calib rows, whose labels are
// y_calib. Why Platt and not the raw or the configured calibration: raw log loss would
// also charge a model for an intercept or slope that the calibrator corrects anyway
// (e.g. a base rate that moved between the train and calib periods), and an isotonic fit
// judged on the rows it was fitted on rewards its own overfitting; a two-parameter Platt
// fit gives each candidate the same small, fair correction. Callers list the simplest model
// first; it is kept unless another is clearly better than it (kClearlyBetter), and of
// those the lowest log loss wins. Throws elv::Error on no candidates or sizes that differ.
AutoChoice choose_by_calib_log_loss(const std::vector<std::string>& model_types,
                                    const std::vector<std::vector<double>>& raw_calib,
                                    const std::vector<double>& y_calib);

// {"chosen": "<type>", "criterion": "...", "candidates": [{model_type, calib_log_loss,
// calib_log_loss_raw}, ...]} (model.json's training.auto; metrics.json's auto adds test
// metrics per candidate).
nlohmann::json to_json(const AutoChoice& choice);

}  // namespace elv::model
