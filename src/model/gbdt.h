// Gradient-boosted trees through XGBoost's C API (docs/CONTRACT.md §5 `gbdt`, and `lgbm` as an
// alias with its LightGBM parameters translated). Missing values (NaN) are handled natively by
// XGBoost's learned default directions; the saved model is XGBoost's own JSON.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"
#include "model/matrix.h"

namespace elv::model {

struct GbdtParams {
  int n_estimators = 400;          // boosting rounds
  double learning_rate = 0.05;     // eta
  int max_leaves = 31;             // with grow_policy=lossguide, max_depth=0 (unlimited)
  double min_child_weight = 12.5;  // hessian sum per leaf (see translate_lgbm)
  double subsample = 0.9;
  double colsample_bytree = 0.9;
  double reg_lambda = 1.0;
  int max_bin = 256;
  int64_t seed = 7;
  int nthread = 1;  // 0 = XGBoost's default (all cores)

  bool operator==(const GbdtParams&) const = default;
};

// The reference tool's LightGBM parameters in XGBoost terms (table in gbdt.cpp).
GbdtParams translate_lgbm(const GbdtSettings& lgbm, int64_t seed, int nthread);

// The key/value pairs handed to XGBoosterSetParam, in order (fixed settings included:
// objective, tree_method=hist, grow_policy=lossguide, ...). base_score is set separately
// from the training labels.
std::vector<std::pair<std::string, std::string>> xgboost_params(const GbdtParams& params);

nlohmann::json gbdt_params_to_json(const GbdtParams& params);
GbdtParams gbdt_params_from_json(const nlohmann::json& j);  // throws elv::Error

// What early stopping found (docs/CONTRACT.md §5, "Early stopping").
struct RoundSearch {
  int rounds_requested = 0;  // the cap: params.n_estimators
  int rounds_run = 0;        // boosted before `patience` rounds in a row brought no improvement
  int best_rounds = 0;       // the round count with the lowest validation log loss
  double best_validation_log_loss = 0.0;
};

// Boosts on (X_fit, y_fit) for at most params.n_estimators rounds, evaluating the log loss
// on (X_valid, y_valid) after each round (XGBoost's own eval), and stops once `patience`
// rounds in a row did not lower it. Both label sets need both classes; patience >= 1.
// on_round (optional) is told the share of the cap done; it ends at 1 also when stopping
// early. Deterministic as GbdtModel::fit.
RoundSearch search_gbdt_rounds(const FeatureMatrix& X_fit, const std::vector<double>& y_fit,
                               const FeatureMatrix& X_valid, const std::vector<double>& y_valid,
                               const GbdtParams& params, int patience,
                               const std::function<void(double)>& on_round = {});

class GbdtModel {
 public:
  // y holds 0/1 and both classes. Same data + params (seed, nthread) -> same model.
  // on_round (optional) is told the share of boosting rounds done after each round.
  static GbdtModel fit(const FeatureMatrix& X, const std::vector<double>& y,
                       const GbdtParams& params, const std::function<void(double)>& on_round = {});

  // P(y = 1) per row. X must carry the model's features in the model's order.
  std::vector<double> predict(const FeatureMatrix& X) const;
  // The raw margin (log-odds before the sigmoid) per row, base_score included.
  std::vector<double> predict_margin(const FeatureMatrix& X) const;
  // XGBoost's own per-feature contributions: rows × (features + 1), row-major; the last
  // column of a row is the bias (base_score's log-odds included), and a row sums to its
  // margin. Exact SHAP values (TreeSHAP, O(trees · leaves · depth²) per row), or with
  // `approximate` Saabas' path attribution (XGBoost's approx_contribs, O(trees · depth)).
  std::vector<float> contributions(const FeatureMatrix& X, bool approximate = false) const;
  int64_t n_trees() const;

  // {"feature_names": [...], "params": {...}, "xgboost": <XGBoost's JSON model>}
  nlohmann::json to_json() const;
  // Throws elv::Error on a damaged document or one XGBoost refuses.
  static GbdtModel from_json(const nlohmann::json& j);

  // Threads for predict (initially params().nthread; 0 = all cores). Predictions do not
  // depend on it. predict is not meant to be called concurrently on one model.
  void set_nthread(int nthread);

  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const GbdtParams& params() const { return params_; }

  GbdtModel(GbdtModel&& other) noexcept;
  GbdtModel& operator=(GbdtModel&& other) noexcept;
  GbdtModel(const GbdtModel&) = delete;
  GbdtModel& operator=(const GbdtModel&) = delete;
  ~GbdtModel();

 private:
  GbdtModel() = default;

  void* booster_ = nullptr;  // BoosterHandle; kept opaque so callers need no XGBoost header
  std::vector<std::string> feature_names_;
  GbdtParams params_;  // as trained (what the bundle records)
  int nthread_ = 1;    // for predict
};

}  // namespace elv::model
