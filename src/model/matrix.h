// The numeric input of every model: a dense, column-major feature matrix (the lead table is
// column-major too, so building one is a cheap copy or a move of the selected columns).
// Categorical inputs (campaign, ad set) travel separately, as the models need them.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace elv::model {

struct FeatureMatrix {
  int64_t rows = 0;
  std::vector<std::string> names;            // one per column, in model order
  std::vector<std::vector<double>> columns;  // columns[j][i]; NaN = missing

  int64_t cols() const { return static_cast<int64_t>(columns.size()); }

  // Every column has `rows` entries and a name; throws elv::Error otherwise.
  void check_shape() const {
    if (rows < 0) throw Error("feature matrix: negative row count");
    if (names.size() != columns.size())
      throw Error("feature matrix: " + std::to_string(names.size()) + " names for " +
                  std::to_string(columns.size()) + " columns");
    for (size_t j = 0; j < columns.size(); ++j)
      if (static_cast<int64_t>(columns[j].size()) != rows)
        throw Error("feature matrix: " + std::to_string(columns[j].size()) + " values, expected " +
                        std::to_string(rows),
                    {}, -1, names[j]);
  }

  // Models only know NaN as "missing"; ±inf would silently become 0/1 predictions (logreg)
  // or an XGBoost failure, so it is rejected with the column named.
  void check_finite_or_nan() const {
    for (size_t j = 0; j < columns.size(); ++j)
      for (double v : columns[j])
        if (std::isinf(v)) throw Error("infinite value in a model feature", {}, -1, names[j]);
  }

  // A fitted model reads columns by position, so the matrix must carry exactly the
  // model's features in the model's order. The error names the first feature that is not
  // where the model expects it (or the first extra column).
  void check_names(const std::vector<std::string>& expected, const std::string& model) const {
    for (size_t j = 0; j < expected.size(); ++j) {
      if (j < names.size() && names[j] == expected[j]) continue;
      for (size_t k = 0; k < names.size(); ++k)
        if (names[k] == expected[j])
          throw Error(model + ": feature '" + expected[j] + "' is at position " +
                      std::to_string(k) + ", the model expects it at " + std::to_string(j));
      throw Error(model + ": missing feature '" + expected[j] + "'");
    }
    if (names.size() != expected.size())
      throw Error(model + ": unexpected feature '" + names[expected.size()] + "' (the model has " +
                  std::to_string(expected.size()) + " features)");
  }
};

// The labels a model trains on: one per row, each 0 or 1, with both classes present (with
// one class logreg's unpenalised intercept has no finite optimum, and XGBoost's base
// score would be 0 or 1). `model` starts the message: "logreg", "gbdt".
inline void check_training_labels(const std::vector<double>& y, int64_t rows,
                                  const std::string& model) {
  if (static_cast<int64_t>(y.size()) != rows)
    throw Error(model + ": " + std::to_string(y.size()) + " labels for " + std::to_string(rows) +
                " rows");
  bool has0 = false, has1 = false;
  for (double v : y) {
    if (v == 0.0)
      has0 = true;
    else if (v == 1.0)
      has1 = true;
    else
      throw Error(model + ": labels must be 0 or 1");
  }
  if (!has0 || !has1) throw Error(model + ": the training rows need both classes");
}

}  // namespace elv::model
