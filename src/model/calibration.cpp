#include "model/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/logistic.h"
#include "io/json_fields.h"

namespace elv::model {
namespace {

constexpr double kProbFloor = 1e-6;  // both for the logit input and for every output
constexpr int kMaxNewtonIterations = 100;
constexpr double kTolerance = 1e-10;

double clip_probability(double p) { return std::clamp(p, kProbFloor, 1.0 - kProbFloor); }

double logit(double p) {
  const double q = clip_probability(p);
  return std::log(q / (1.0 - q));
}

void check_fit_inputs(const std::vector<double>& raw_p, const std::vector<double>& y,
                      const char* method) {
  const std::string where = std::string("calibration (") + method + "): ";
  if (raw_p.size() != y.size())
    throw Error(where + std::to_string(raw_p.size()) + " scores but " + std::to_string(y.size()) +
                " labels");
  if (raw_p.empty()) throw Error(where + "no rows to fit on");
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0.0 && y[i] != 1.0)
      throw Error(where + "label at index " + std::to_string(i) + " is not 0 or 1");
    if (std::isnan(raw_p[i]))
      throw Error(where + "score at index " + std::to_string(i) + " is NaN");
  }
}

// ---- Platt scaling -------------------------------------------------------------------

struct PlattProblem {
  std::vector<double> z;       // logits of the raw probabilities
  std::vector<double> target;  // Platt's smoothed 0/1 labels
};

PlattProblem make_platt_problem(const std::vector<double>& raw_p, const std::vector<double>& y) {
  const auto positives = static_cast<double>(std::count(y.begin(), y.end(), 1.0));
  const double negatives = static_cast<double>(y.size()) - positives;
  // Smoothed targets keep a separable calib set from driving a to infinity.
  const double t_pos = (positives + 1.0) / (positives + 2.0);
  const double t_neg = 1.0 / (negatives + 2.0);
  PlattProblem problem;
  problem.z.reserve(y.size());
  problem.target.reserve(y.size());
  for (size_t i = 0; i < y.size(); ++i) {
    problem.z.push_back(logit(raw_p[i]));
    problem.target.push_back(y[i] == 1.0 ? t_pos : t_neg);
  }
  return problem;
}

double platt_loss(const PlattProblem& problem, double a, double b) {
  double loss = 0.0;
  for (size_t i = 0; i < problem.z.size(); ++i) {
    const double f = a * problem.z[i] + b;
    const double t = problem.target[i];
    loss += t * softplus(-f) + (1.0 - t) * softplus(f);
  }
  return loss;
}

struct GradientHessian {
  double ga = 0, gb = 0;             // gradient
  double haa = 0, hab = 0, hbb = 0;  // Hessian (symmetric)
};

GradientHessian platt_derivatives(const PlattProblem& problem, double a, double b) {
  GradientHessian d;
  for (size_t i = 0; i < problem.z.size(); ++i) {
    const double z = problem.z[i];
    const double p = sigmoid(a * z + b);
    const double residual = p - problem.target[i];
    const double weight = p * (1.0 - p);
    d.ga += residual * z;
    d.gb += residual;
    d.haa += weight * z * z;
    d.hab += weight * z;
    d.hbb += weight;
  }
  return d;
}

// Newton's method with Armijo backtracking; the loss is convex, so this reaches the unique
// minimum from any start. A tiny ridge keeps the 2×2 solve defined when every z is equal.
std::pair<double, double> fit_platt(const PlattProblem& problem, double a, double b) {
  const auto n = static_cast<double>(problem.z.size());
  double loss = platt_loss(problem, a, b);
  for (int iteration = 0; iteration < kMaxNewtonIterations; ++iteration) {
    const GradientHessian d = platt_derivatives(problem, a, b);
    if (std::max(std::abs(d.ga), std::abs(d.gb)) / n < kTolerance) break;
    const double haa = d.haa + 1e-12, hbb = d.hbb + 1e-12;
    const double det = haa * hbb - d.hab * d.hab;
    const double step_a = -(hbb * d.ga - d.hab * d.gb) / det;
    const double step_b = -(-d.hab * d.ga + haa * d.gb) / det;
    const double slope = d.ga * step_a + d.gb * step_b;  // < 0 for a descent direction
    // Near the minimum the decrease of a Newton step falls below the rounding noise of a
    // sum over many rows; tolerating that noise lets the last steps through.
    const double rounding_noise = 1e-12 * std::abs(loss);
    double scale = 1.0;
    bool accepted = false;
    for (; scale >= kTolerance; scale /= 2) {
      const double new_loss = platt_loss(problem, a + scale * step_a, b + scale * step_b);
      if (new_loss <= loss + 1e-4 * scale * slope + rounding_noise) {
        a += scale * step_a;
        b += scale * step_b;
        loss = new_loss;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;  // no further decrease representable: at the minimum numerically
    if (std::max(std::abs(scale * step_a), std::abs(scale * step_b)) < kTolerance) break;
  }
  return {a, b};
}

// ---- Isotonic regression -------------------------------------------------------------

struct WeightedPoint {
  double x, y_sum, weight;
};

// Sorted by x, one point per distinct x carrying the sum of its labels and its count.
std::vector<WeightedPoint> merge_ties(const std::vector<double>& raw_p,
                                      const std::vector<double>& y) {
  std::vector<size_t> order(raw_p.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return raw_p[i] < raw_p[j]; });
  std::vector<WeightedPoint> points;
  for (size_t i : order) {
    if (!points.empty() && points.back().x == raw_p[i]) {
      points.back().y_sum += y[i];
      points.back().weight += 1.0;
    } else {
      points.push_back({raw_p[i], y[i], 1.0});
    }
  }
  return points;
}

// Pool-adjacent-violators: returns the fitted (non-decreasing) value of every point.
// Blocks are merged only on a strict decrease, so equal neighbouring means stay apart (the
// fitted values are the same either way).
std::vector<double> pool_adjacent_violators(const std::vector<WeightedPoint>& points) {
  struct Block {
    double y_sum, weight;
    size_t size;
    double mean() const { return y_sum / weight; }
  };
  std::vector<Block> blocks;
  for (const WeightedPoint& point : points) {
    blocks.push_back({point.y_sum, point.weight, 1});
    while (blocks.size() >= 2 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      const Block last = blocks.back();
      blocks.pop_back();
      blocks.back().y_sum += last.y_sum;
      blocks.back().weight += last.weight;
      blocks.back().size += last.size;
    }
  }
  std::vector<double> fitted;
  fitted.reserve(points.size());
  for (const Block& block : blocks) fitted.insert(fitted.end(), block.size, block.mean());
  return fitted;
}

void check_isotonic_thresholds(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || x.size() != y.size())
    throw Error("calibrator: isotonic 'x' and 'y' must be non-empty and of equal length");
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw Error("calibrator: isotonic thresholds must be finite numbers");
    if (i > 0 && !(x[i] > x[i - 1]))
      throw Error("calibrator: isotonic 'x' must be strictly increasing");
    if (i > 0 && y[i] < y[i - 1]) throw Error("calibrator: isotonic 'y' must be non-decreasing");
  }
}

}  // namespace

Calibrator Calibrator::fit_sigmoid(const std::vector<double>& raw_p, const std::vector<double>& y) {
  check_fit_inputs(raw_p, y, "sigmoid");
  const auto positives = static_cast<double>(std::count(y.begin(), y.end(), 1.0));
  const double negatives = static_cast<double>(y.size()) - positives;
  const auto [a, b] =
      fit_platt(make_platt_problem(raw_p, y), 0.0, std::log((positives + 1.0) / (negatives + 1.0)));
  Calibrator c;
  c.kind_ = Kind::kSigmoid;
  c.method_ = "sigmoid";
  c.a_ = a;
  c.b_ = b;
  return c;
}

Calibrator Calibrator::fit_isotonic(const std::vector<double>& raw_p,
                                    const std::vector<double>& y) {
  check_fit_inputs(raw_p, y, "isotonic");
  const std::vector<WeightedPoint> points = merge_ties(raw_p, y);
  const std::vector<double> fitted = pool_adjacent_violators(points);
  Calibrator c;
  c.kind_ = Kind::kIsotonic;
  c.method_ = "isotonic";
  // Interior points of a flat run add nothing to the interpolation (scikit-learn drops
  // them too); keeping both ends of each run preserves the step shape.
  for (size_t i = 0; i < points.size(); ++i) {
    const bool first = i == 0, last = i + 1 == points.size();
    if (first || last || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1]) {
      c.x_.push_back(points[i].x);
      c.y_.push_back(fitted[i]);
    }
  }
  return c;
}

double Calibrator::apply_sigmoid(double raw_p) const { return sigmoid(a_ * logit(raw_p) + b_); }

double Calibrator::apply_isotonic(double raw_p) const {
  if (raw_p <= x_.front()) return y_.front();
  if (raw_p >= x_.back()) return y_.back();
  const size_t hi = std::upper_bound(x_.begin(), x_.end(), raw_p) - x_.begin();
  const size_t lo = hi - 1;
  const double weight = (raw_p - x_[lo]) / (x_[hi] - x_[lo]);
  return y_[lo] + weight * (y_[hi] - y_[lo]);
}

void Calibrator::require_fitted() const {
  if (kind_ == Kind::kUnfitted) throw Error("calibrator: used before being fitted or loaded");
}

double Calibrator::apply_fitted(double raw_p) const {
  if (std::isnan(raw_p)) return raw_p;
  return clip_probability(kind_ == Kind::kSigmoid ? apply_sigmoid(raw_p) : apply_isotonic(raw_p));
}

double Calibrator::apply(double raw_p) const {
  require_fitted();
  return apply_fitted(raw_p);
}

std::vector<double> Calibrator::apply(const std::vector<double>& raw_p) const {
  require_fitted();
  std::vector<double> out;
  out.reserve(raw_p.size());
  for (double p : raw_p) out.push_back(apply_fitted(p));
  return out;
}

nlohmann::json Calibrator::to_json() const {
  require_fitted();
  if (kind_ == Kind::kSigmoid) return {{"method", method_}, {"a", a_}, {"b", b_}};
  return {{"method", method_}, {"x", x_}, {"y", y_}};
}

Calibrator Calibrator::from_json(const nlohmann::json& document) {
  const io::JsonFields j(document, "calibrator");
  Calibrator c;
  c.method_ = j.string("method");
  if (c.method_ == "sigmoid") {
    c.kind_ = Kind::kSigmoid;
    c.a_ = j.finite_number("a");
    c.b_ = j.finite_number("b");
  } else if (c.method_ == "isotonic") {
    c.kind_ = Kind::kIsotonic;
    c.x_ = j.finite_numbers("x");
    c.y_ = j.finite_numbers("y");
    check_isotonic_thresholds(c.x_, c.y_);
  } else {
    throw Error("calibrator: unknown method '" + c.method_ + "' (expected sigmoid or isotonic)");
  }
  return c;
}

}  // namespace elv::model
