// The numeric input of every model: a dense, column-major feature matrix. Either it owns its
// columns (prediction blocks, tests) or it is a view of the lead table's columns at some rows:
// the fit reads the train split in place, since a copy of it was 1.9 GB at xl (issue 19).
// Categorical inputs (campaign, ad set) travel separately, as the models need them.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "base/error.h"
#include "table/feature_column.h"

namespace elv::model {

// Reads value i of a column: the stored type is a template parameter, so the hot loops of
// the models compile once per layout rather than branching per value.
template <class T>
struct DirectColumn {
  const T* values;
  double operator()(int64_t i) const { return values[i]; }
};
template <class T>
struct IndexedColumn {
  const T* values;
  const int64_t* rows;
  double operator()(int64_t i) const { return values[rows[i]]; }
};

struct FeatureMatrix {
  int64_t rows = 0;
  std::vector<std::string> names;            // one per column, in model order
  std::vector<std::vector<double>> columns;  // owned: columns[j][i]; NaN = missing
  // A view instead (columns empty): row i of column j is (*view[j])[(*view_rows)[i]], or
  // (*view[j])[i] when view_rows is null. The table and the rows must outlive the matrix.
  std::vector<const table::FeatureColumn*> view;
  const std::vector<int64_t>* view_rows = nullptr;

  bool is_view() const { return !view.empty(); }
  int64_t cols() const { return static_cast<int64_t>(is_view() ? view.size() : columns.size()); }

  // f(reader) with reader(i) = row i of column j as a double (DirectColumn or IndexedColumn).
  template <class F>
  decltype(auto) with_column(size_t j, F&& f) const {
    if (!is_view()) return f(DirectColumn<double>{columns[j].data()});
    return view[j]->visit([&](const auto* values) -> decltype(auto) {
      using T = std::remove_const_t<std::remove_pointer_t<decltype(values)>>;
      if (view_rows) return f(IndexedColumn<T>{values, view_rows->data()});
      return f(DirectColumn<T>{values});
    });
  }

  // Column j as doubles (a copy of one column: what medians and sorts need).
  std::vector<double> column_values(size_t j) const {
    return with_column(j, [&](auto at) {
      std::vector<double> out(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) out[static_cast<size_t>(i)] = at(i);
      return out;
    });
  }

  // Every column has `rows` entries and a name; throws elv::Error otherwise.
  void check_shape() const {
    if (rows < 0) throw Error("feature matrix: negative row count");
    if (static_cast<int64_t>(names.size()) != cols())
      throw Error("feature matrix: " + std::to_string(names.size()) + " names for " +
                  std::to_string(cols()) + " columns");
    if (is_view() && !columns.empty()) throw Error("feature matrix: both owned columns and a view");
    for (size_t j = 0; j < static_cast<size_t>(cols()); ++j) {
      const size_t stored = is_view() ? view[j]->size() : columns[j].size();
      const bool fits = is_view() && view_rows ? static_cast<int64_t>(view_rows->size()) == rows
                                               : static_cast<int64_t>(stored) == rows;
      if (!fits)
        throw Error("feature matrix: " + std::to_string(stored) + " values, expected " +
                        std::to_string(rows),
                    {}, -1, names[j]);
    }
  }

  // Models only know NaN as "missing"; ±inf would silently become 0/1 predictions (logreg)
  // or an XGBoost failure, so it is rejected with the column named.
  void check_finite_or_nan() const {
    for (size_t j = 0; j < static_cast<size_t>(cols()); ++j)
      with_column(j, [&](auto at) {
        for (int64_t i = 0; i < rows; ++i)
          if (std::isinf(at(i))) throw Error("infinite value in a model feature", {}, -1, names[j]);
      });
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
