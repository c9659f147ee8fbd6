// L2-regularised logistic regression (docs/CONTRACT.md §5 `logreg`), the reference tool's pipeline:
// median imputation -> standardisation of the numeric features, one-hot campaign_id and
// adset_id, then scikit-learn's LogisticRegression(C, penalty="l2") objective
//     minimise  ½‖w‖² + C · Σᵢ logloss(yᵢ, b + xᵢ·w)      (intercept b not penalised)
// solved with Newton's method, which is deterministic and converges in a handful of
// iterations (the objective is smooth and strictly convex).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"
#include "model/matrix.h"

namespace elv::model {

// Preprocessing fitted on the training rows. Categories are the IDs as strings (not
// dictionary codes), so a saved model works with any later table. An empty string is a
// missing category; missing and unseen categories both get an all-zero one-hot block.
struct LogregPreprocess {
  std::vector<std::string> feature_names;
  std::vector<double> medians;  // NaN ignored; an all-NaN column gets 0
  std::vector<double> means;    // of the imputed column
  std::vector<double> stds;     // population std of the imputed column; constant column -> 1
  std::vector<std::string> campaign_vocab, adset_vocab;  // sorted, unique, no ""

  static LogregPreprocess fit(const FeatureMatrix& X, const std::vector<std::string>& campaign,
                              const std::vector<std::string>& adset, int threads = 1);

  // Imputation and standardisation of one column, as a value type so that hot loops keep
  // the three constants in registers. The one definition used by fit and predict alike.
  struct Scaler {
    double median, mean, std;
    double operator()(double raw) const { return ((std::isnan(raw) ? median : raw) - mean) / std; }
  };
  Scaler scaler(size_t j) const { return {medians[j], means[j], stds[j]}; }

  // The standardised value of numeric feature j for a raw value (NaN -> median).
  double transform(size_t j, double raw) const { return scaler(j)(raw); }

  size_t n_numeric() const { return feature_names.size(); }
  size_t n_coefficients() const {
    return feature_names.size() + campaign_vocab.size() + adset_vocab.size();
  }
  // Numeric features, then "campaign_id=<id>" per campaign, then "adset_id=<id>".
  std::vector<std::string> coefficient_names() const;
};

class LogregModel {
 public:
  // Rows of X, campaign, adset and y must line up; y holds 0/1 and both classes.
  // `threads` (< 1 = 1) only speeds up the Hessian; the result is the same for any value.
  static LogregModel fit(const FeatureMatrix& X, const std::vector<std::string>& campaign,
                         const std::vector<std::string>& adset, const std::vector<double>& y,
                         const LogregParams& params, int threads = 1);

  // P(y = 1) per row. X must carry the model's features in the model's order.
  std::vector<double> predict(const FeatureMatrix& X, const std::vector<std::string>& campaign,
                              const std::vector<std::string>& adset) const;

  // Human-readable and exact: doubles are written so that they read back bit-identically.
  nlohmann::json to_json() const;
  // Validates the shape and names; throws elv::Error on any mismatch or damage.
  static LogregModel from_json(const nlohmann::json& j);

  const LogregPreprocess& preprocess() const { return pre_; }
  // Order of LogregPreprocess::coefficient_names(); in standardised units.
  const std::vector<double>& coefficients() const { return coef_; }
  double intercept() const { return intercept_; }
  const LogregParams& params() const { return params_; }
  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }

 private:
  LogregPreprocess pre_;
  std::vector<double> coef_;
  double intercept_ = 0.0;
  LogregParams params_;
  int iterations_ = 0;
  bool converged_ = false;
};

}  // namespace elv::model
