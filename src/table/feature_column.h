// One numeric feature column of the lead table, stored in the narrowest type that holds every
// value exactly (issue 19, item 2: the xl table's ~100 columns of doubles were 3.3 GB).
// Flags, one-hots, hours and small counts fit a signed byte; other counts and most shares fit
// a float; a column with any value a float would round (a ratio, a spend) stays double.
// Reading any of them gives the same doubles, so tables, models and predictions are
// unchanged to the last bit.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <utility>
#include <vector>

namespace elv::table {

class FeatureColumn {
 public:
  enum class Storage : int8_t { Double, Float, Int8 };

  FeatureColumn() = default;
  FeatureColumn(size_t n, double fill) : wide_(n, fill) {}
  explicit FeatureColumn(std::vector<double> values) : wide_(std::move(values)) {}
  FeatureColumn(std::initializer_list<double> values) : wide_(values) {}

  Storage storage() const { return storage_; }
  size_t size() const {
    switch (storage_) {
      case Storage::Int8:
        return bytes_.size();
      case Storage::Float:
        return floats_.size();
      default:
        return wide_.size();
    }
  }
  bool empty() const { return size() == 0; }
  size_t memory_bytes() const {
    return wide_.size() * sizeof(double) + floats_.size() * sizeof(float) + bytes_.size();
  }

  double operator[](size_t i) const {
    switch (storage_) {
      case Storage::Int8:
        return bytes_[i];
      case Storage::Float:
        return floats_[i];
      default:
        return wide_[i];
    }
  }
  double back() const { return (*this)[size() - 1]; }

  // The values as doubles, for writing: a narrow column is widened first, so the writer
  // may store anything (narrow() again afterwards to give the memory back).
  std::vector<double>& values() {
    if (storage_ != Storage::Double) {
      std::vector<double> wide = to_vector();
      std::vector<float>().swap(floats_);
      std::vector<int8_t>().swap(bytes_);
      wide_ = std::move(wide);
      storage_ = Storage::Double;
    }
    known_wide_ = false;  // the caller may write values a narrower type holds
    return wide_;
  }
  void push_back(double v) { values().push_back(v); }
  void assign(size_t n, double v) { values().assign(n, v); }

  // Stores the column in the narrowest type that holds each value exactly (NaN needs a
  // float: it only ever means "null"); otherwise leaves it as it is.
  void narrow() {
    if (storage_ != Storage::Double || known_wide_) return;
    const Fit fit = narrowest(wide_.data(), wide_.size());
    if (fit.int8) {
      bytes_.assign(wide_.size(), 0);
      for (size_t i = 0; i < wide_.size(); ++i) bytes_[i] = static_cast<int8_t>(wide_[i]);
      storage_ = Storage::Int8;
    } else if (fit.floats) {
      floats_.assign(wide_.begin(), wide_.end());
      storage_ = Storage::Float;
    } else {
      known_wide_ = true;  // not scanned again by the build's later narrow_features()
      return;
    }
    std::vector<double>().swap(wide_);
  }

  // f(const int8_t*), f(const float*) or f(const double*): hot loops read the stored type
  // without a branch per value.
  template <class F>
  decltype(auto) visit(F&& f) const {
    switch (storage_) {
      case Storage::Int8:
        return f(bytes_.data());
      case Storage::Float:
        return f(floats_.data());
      default:
        return f(wide_.data());
    }
  }

  // The values of `rows` (all when null) as doubles.
  std::vector<double> to_vector(const std::vector<int64_t>* rows = nullptr) const {
    return visit([&](const auto* v) {
      if (!rows) return std::vector<double>(v, v + size());
      std::vector<double> out(rows->size());
      for (size_t i = 0; i < rows->size(); ++i) out[i] = v[(*rows)[i]];
      return out;
    });
  }

  // Whether every one of values[0, n) fits_int8, and whether every one fits_float.
  struct Fit {
    bool int8, floats;
  };
  static Fit narrowest(const double* values, size_t n);

  static bool fits_float(double v) {
    if (std::isnan(v)) return true;
    // Beyond float's range the conversion is undefined, not merely inexact.
    if (!(std::fabs(v) <= static_cast<double>(std::numeric_limits<float>::max()))) return false;
    return static_cast<double>(static_cast<float>(v)) == v;
  }
  // A whole number in [-128, 127]; not -0.0, whose sign a byte would lose.
  static bool fits_int8(double v) {
    return v >= -128.0 && v <= 127.0 && v == std::trunc(v) && !(v == 0.0 && std::signbit(v));
  }

 private:
  std::vector<double> wide_;
  std::vector<float> floats_;
  std::vector<int8_t> bytes_;
  Storage storage_ = Storage::Double;
  bool known_wide_ = false;
};

}  // namespace elv::table
