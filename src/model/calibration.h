// Post-hoc calibration of a model's raw probability (docs/CONTRACT.md §5), fitted on the calib
// split. Both methods take and return probabilities; outputs are clipped to [1e-6, 1 − 1e-6] so
// a calibrated probability never claims certainty (log loss and logits stay finite).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::model {

// Both fits throw elv::Error on empty input, a size mismatch, a label other than 0/1 or a
// NaN score.
class Calibrator {
 public:
  // Unfitted placeholder (so a bundle can hold one before fitting or loading): method() is
  // empty and apply/to_json throw elv::Error rather than pass scores through silently.
  Calibrator() = default;

  // Platt scaling on z = logit(raw_p clipped to [1e-6, 1 − 1e-6]): p = 1/(1 + exp(−(a·z + b))).
  // a, b minimise the log loss against Platt's smoothed targets (t+ = (N+ + 1)/(N+ + 2),
  // t− = 1/(N− + 2)), as scikit-learn's _sigmoid_calibration does, by damped Newton steps
  // from a = 0, b = ln((N+ + 1)/(N− + 1)); stops when the mean gradient or the step is
  // below 1e-10, or after 100 iterations. Deterministic.
  static Calibrator fit_sigmoid(const std::vector<double>& raw_p, const std::vector<double>& y);

  // Isotonic regression (pool-adjacent-violators, non-decreasing) on points sorted by raw_p;
  // tied raw_p values are first merged into one weighted point with their mean y. Like
  // scikit-learn's IsotonicRegression(out_of_bounds='clip'): the fitted steps are kept as
  // thresholds (interior points of flat runs dropped), prediction interpolates linearly
  // between thresholds and is constant outside their range.
  static Calibrator fit_isotonic(const std::vector<double>& raw_p, const std::vector<double>& y);

  // Calibrated probability in [1e-6, 1 − 1e-6]; NaN in gives NaN out.
  double apply(double raw_p) const;
  std::vector<double> apply(const std::vector<double>& raw_p) const;

  // {"method":"sigmoid","a":..,"b":..} or {"method":"isotonic","x":[..],"y":[..]}.
  nlohmann::json to_json() const;
  // Throws elv::Error naming what is wrong on a malformed object.
  static Calibrator from_json(const nlohmann::json& j);

  const std::string& method() const { return method_; }

 private:
  enum class Kind { kUnfitted, kSigmoid, kIsotonic };
  void require_fitted() const;
  double apply_fitted(double raw_p) const;
  double apply_sigmoid(double raw_p) const;
  double apply_isotonic(double raw_p) const;

  Kind kind_ = Kind::kUnfitted;
  std::string method_;         // "sigmoid", "isotonic", or empty when unfitted
  double a_ = 1.0, b_ = 0.0;   // sigmoid
  std::vector<double> x_, y_;  // isotonic thresholds, x strictly increasing
};

}  // namespace elv::model
