#include "model/logreg.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "base/logistic.h"
#include "base/parallel.h"
#include "io/json_fields.h"
#include "model/limits.h"

namespace elv::model {
namespace {

using nlohmann::json;

// Rows per block when the numeric part of the design matrix is built on the fly: big
// enough for Eigen's blocked kernels, small enough (p × 2048 doubles) to stay in cache and
// to never hold the n × d matrix in memory.
constexpr int64_t kChunkRows = 2048;

// Armijo constant and the number of step halvings before the line search gives up.
constexpr double kArmijo = 1e-4;
constexpr int kMaxHalvings = 40;

// Fixed row parts for parallel sums: the parts do not depend on the thread count and are
// combined in order, so results are bit-identical for any number of threads.
constexpr int kParts = 8;

int64_t part_begin(int64_t n, int k) { return n * k / kParts; }

// ---- preprocessing ----

double median_ignoring_nan(const std::vector<double>& column) {
  std::vector<double> v;
  v.reserve(column.size());
  for (double x : column)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return 0.0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  // Even count: numpy's median averages the two middle values.
  const double lower = *std::max_element(v.begin(), v.begin() + mid);
  return std::midpoint(lower, upper);
}

struct MeanStd {
  double mean, std;
};

// Population mean and std of the column with NaN replaced by `median`. A constant column
// gets std 1 (as scikit-learn's StandardScaler) so it standardises to exactly 0; testing
// min == max is exact where a variance threshold would depend on rounding.
MeanStd mean_std_imputed(const std::vector<double>& column, double median) {
  if (column.empty()) return {0.0, 1.0};
  double sum = 0.0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double x : column) {
    const double v = std::isnan(x) ? median : x;
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double n = static_cast<double>(column.size());
  const double mean = sum / n;
  if (lo == hi) return {lo, 1.0};
  double ss = 0.0;
  for (double x : column) {
    const double d = (std::isnan(x) ? median : x) - mean;
    ss += d * d;
  }
  const double std = std::sqrt(ss / n);
  return {mean, std > 0.0 ? std : 1.0};
}

std::vector<std::string> make_vocab(const std::vector<std::string>& values) {
  std::vector<std::string> vocab;
  for (const auto& v : values)
    if (!v.empty()) vocab.push_back(v);
  std::sort(vocab.begin(), vocab.end());
  vocab.erase(std::unique(vocab.begin(), vocab.end()), vocab.end());
  return vocab;
}

// Per row the vocabulary index, or -1 for a missing ("") or unseen category.
std::vector<int32_t> encode(const std::vector<std::string>& values,
                            const std::vector<std::string>& vocab) {
  std::unordered_map<std::string_view, int32_t> index;
  index.reserve(vocab.size());
  for (size_t k = 0; k < vocab.size(); ++k) index.emplace(vocab[k], static_cast<int32_t>(k));
  std::vector<int32_t> out(values.size(), -1);
  for (size_t i = 0; i < values.size(); ++i) {
    auto it = index.find(values[i]);
    if (it != index.end()) out[i] = it->second;
  }
  return out;
}

void check_inputs(const FeatureMatrix& X, const std::vector<std::string>& campaign,
                  const std::vector<std::string>& adset) {
  X.check_shape();
  X.check_finite_or_nan();
  const auto rows = static_cast<size_t>(X.rows);
  if (campaign.size() != rows)
    throw Error("logreg: " + std::to_string(campaign.size()) + " campaign values for " +
                std::to_string(rows) + " rows");
  if (adset.size() != rows)
    throw Error("logreg: " + std::to_string(adset.size()) + " ad set values for " +
                std::to_string(rows) + " rows");
}

// ---- the design matrix [standardised numeric | campaign one-hot | adset one-hot | 1] ----

// Never materialised: numeric rows are produced block by block, each one-hot group as one
// index per row (at most one active column per group and row).
struct Design {
  const FeatureMatrix& X;
  const LogregPreprocess& pre;
  int64_t n;
  int64_t p;                                 // numeric columns
  std::vector<std::vector<int32_t>> groups;  // campaign, adset: index per row or -1
  std::vector<int64_t> offsets;              // first parameter of each group
  std::vector<int64_t> sizes;                // columns of each group
  int64_t dim;                               // all parameters, intercept last

  Design(const FeatureMatrix& x, const LogregPreprocess& pr,
         const std::vector<std::string>& campaign, const std::vector<std::string>& adset)
      : X(x), pre(pr), n(x.rows), p(static_cast<int64_t>(pr.n_numeric())) {
    add_group(encode(campaign, pre.campaign_vocab), pre.campaign_vocab.size());
    add_group(encode(adset, pre.adset_vocab), pre.adset_vocab.size());
    dim = (offsets.empty() ? p : offsets.back() + sizes.back()) + 1;
  }

  int64_t intercept() const { return dim - 1; }

 private:
  void add_group(std::vector<int32_t> idx, size_t size) {
    offsets.push_back(offsets.empty() ? p : offsets.back() + sizes.back());
    sizes.push_back(static_cast<int64_t>(size));
    groups.push_back(std::move(idx));
  }
};

// X·theta for every row (theta's last entry multiplies the constant column). Used for the
// margins, for the Newton direction's effect on them, and by predict.
Eigen::VectorXd linear(const Design& d, const Eigen::VectorXd& theta, int threads) {
  Eigen::VectorXd out = Eigen::VectorXd::Constant(d.n, theta[d.intercept()]);
  for_each_interleaved(kParts, threads, [&](int64_t k) {
    const int64_t lo = part_begin(d.n, static_cast<int>(k));
    const int64_t hi = part_begin(d.n, static_cast<int>(k) + 1);
    double* z = out.data();
    for (int64_t j = 0; j < d.p; ++j) {
      const double w = theta[j];
      const auto scale = d.pre.scaler(j);
      d.X.with_column(static_cast<size_t>(j), [&](auto col) {
        for (int64_t i = lo; i < hi; ++i) z[i] += scale(col(i)) * w;
      });
    }
    for (size_t g = 0; g < d.groups.size(); ++g) {
      const int32_t* idx = d.groups[g].data();
      const double* weights = theta.data() + d.offsets[g];
      for (int64_t i = lo; i < hi; ++i)
        if (idx[i] >= 0) z[i] += weights[idx[i]];
    }
  });
  return out;
}

// Σ logloss + ‖θ without intercept‖² / (2C): scikit-learn's objective divided by C (same
// minimiser, but the gradient's scale no longer depends on C).
double objective(const Design& d, const Eigen::VectorXd& z, const std::vector<double>& y,
                 const Eigen::VectorXd& theta, double C) {
  double loss = 0.0;
  for (int64_t i = 0; i < d.n; ++i) loss += softplus(z[i]) - y[i] * z[i];
  return loss + theta.head(d.intercept()).squaredNorm() / (2.0 * C);
}

// Xᵀ r: the gradient of Σ logloss when r = p − y.
Eigen::VectorXd gradient(const Design& d, const Eigen::VectorXd& residual, int threads) {
  Eigen::VectorXd g = Eigen::VectorXd::Zero(d.dim);
  const double* r = residual.data();
  for_each_interleaved(d.p, threads, [&](int64_t j) {
    const auto scale = d.pre.scaler(j);
    // Four running sums break the add-latency chain (fixed order: still deterministic).
    double sum[4] = {0.0, 0.0, 0.0, 0.0};
    d.X.with_column(static_cast<size_t>(j), [&](auto col) {
      int64_t i = 0;
      for (; i + 4 <= d.n; i += 4)
        for (int k = 0; k < 4; ++k) sum[k] += scale(col(i + k)) * r[i + k];
      for (; i < d.n; ++i) sum[0] += scale(col(i)) * r[i];
    });
    g[j] = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  });
  for (size_t grp = 0; grp < d.groups.size(); ++grp) {
    const auto& idx = d.groups[grp];
    for (int64_t i = 0; i < d.n; ++i)
      if (idx[i] >= 0) g[d.offsets[grp] + idx[i]] += r[i];
  }
  g[d.intercept()] = residual.sum();
  return g;
}

// Xᵀ W X splits into the blocks that touch numeric columns (dense work, by row parts) and
// the one-hot/intercept blocks (weighted category counts, one cheap pass). The numeric
// part over rows [lo, hi): the numeric × numeric block is a symmetric rank update per row
// block, with rows scaled by √w.
struct NumericBlocks {
  Eigen::MatrixXd nn;                  // numeric × numeric, lower triangle
  Eigen::VectorXd bn;                  // intercept × numeric
  std::vector<Eigen::MatrixXd> cross;  // numeric × group g, one column per category
};

NumericBlocks numeric_blocks(const Design& d, const Eigen::VectorXd& w, int64_t lo, int64_t hi) {
  const int64_t p = d.p;
  NumericBlocks out{Eigen::MatrixXd::Zero(p, p), Eigen::VectorXd::Zero(p), {}};
  for (int64_t size : d.sizes) out.cross.push_back(Eigen::MatrixXd::Zero(p, size));
  Eigen::MatrixXd S(p, kChunkRows);  // √wᵢ · x̃ᵢ, one row of X per column
  Eigen::VectorXd sw(kChunkRows);
  for (int64_t begin = lo; begin < hi; begin += kChunkRows) {
    const int64_t m = std::min(kChunkRows, hi - begin);
    for (int64_t i = 0; i < m; ++i) sw[i] = std::sqrt(w[begin + i]);
    for (int64_t j = 0; j < p; ++j) {
      const auto scale = d.pre.scaler(j);
      d.X.with_column(static_cast<size_t>(j), [&](auto col) {
        for (int64_t i = 0; i < m; ++i) S(j, i) = scale(col(begin + i)) * sw[i];
      });
    }
    const auto Sm = S.leftCols(m);
    out.nn.selfadjointView<Eigen::Lower>().rankUpdate(Sm);
    out.bn.noalias() += Sm * sw.head(m);
    for (size_t g = 0; g < d.groups.size(); ++g) {
      const int32_t* idx = d.groups[g].data() + begin;
      for (int64_t i = 0; i < m; ++i)
        if (idx[i] >= 0) out.cross[g].col(idx[i]) += sw[i] * Sm.col(i);
    }
  }
  return out;
}

// Xᵀ W X, symmetric. Parameters are ordered [numeric | groups | intercept], so every block
// is written into the lower triangle and mirrored at the end.
Eigen::MatrixXd hessian(const Design& d, const Eigen::VectorXd& w, int threads) {
  const int64_t p = d.p, b = d.intercept();
  const size_t G = d.groups.size();
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(d.dim, d.dim);

  if (p > 0) {
    std::vector<NumericBlocks> parts(kParts);
    for_each_interleaved(kParts, threads, [&](int64_t k) {
      const int part = static_cast<int>(k);
      parts[part] = numeric_blocks(d, w, part_begin(d.n, part), part_begin(d.n, part + 1));
    });
    NumericBlocks& sum = parts[0];
    for (int k = 1; k < kParts; ++k) {
      sum.nn += parts[k].nn;
      sum.bn += parts[k].bn;
      for (size_t g = 0; g < G; ++g) sum.cross[g] += parts[k].cross[g];
    }
    H.topLeftCorner(p, p).triangularView<Eigen::Lower>() = sum.nn;
    H.block(b, 0, 1, p) = sum.bn.transpose();
    for (size_t g = 0; g < G; ++g)
      H.block(d.offsets[g], 0, d.sizes[g], p) = sum.cross[g].transpose();
  }

  // A row hits at most one column per group, so within a group the block is diagonal;
  // between two groups it weighs the co-occurring categories.
  double wsum = 0.0;
  for (int64_t i = 0; i < d.n; ++i) {
    wsum += w[i];
    for (size_t g = 0; g < G; ++g) {
      const int32_t k = d.groups[g][i];
      if (k < 0) continue;
      const int64_t a = d.offsets[g] + k;
      H(a, a) += w[i];
      H(b, a) += w[i];
      for (size_t h = g + 1; h < G; ++h) {
        const int32_t l = d.groups[h][i];
        if (l >= 0) H(d.offsets[h] + l, a) += w[i];
      }
    }
  }
  H(b, b) = wsum;
  return H.selfadjointView<Eigen::Lower>();
}

struct FitResult {
  Eigen::VectorXd theta;
  int iterations = 0;
  bool converged = false;
};

// Newton's method with a backtracking (Armijo) line search, started from the
// intercept-only optimum. Stops when max |∇| ≤ tol or after max_iter Newton steps.
FitResult newton(const Design& d, const std::vector<double>& y, const LogregParams& params,
                 int threads) {
  const double C = params.C;
  const int64_t b = d.intercept();
  // 1e-8 per row: 100× tighter than "max |∇| < 1e-6·n", so the saved weights are the
  // optimum to ~7 digits (comparable across implementations), yet far above the rounding
  // noise of the sums (~1e-16 per row). Newton's quadratic convergence (typically
  // 1e-5 -> 1e-9 -> 1e-17 per row) means this rarely costs an extra step.
  const double tol = 1e-8 * static_cast<double>(d.n);

  FitResult fit;
  fit.theta = Eigen::VectorXd::Zero(d.dim);
  const double ybar = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(d.n);
  fit.theta[b] = std::log(ybar / (1.0 - ybar));
  Eigen::VectorXd z = linear(d, fit.theta, threads);
  double f = objective(d, z, y, fit.theta, C);

  Eigen::VectorXd w(d.n), r(d.n);
  for (;;) {
    for (int64_t i = 0; i < d.n; ++i) {
      const double pi = sigmoid(z[i]);
      w[i] = pi * (1.0 - pi);
      r[i] = pi - y[i];
    }
    // ∇ and ∇² of Σ logloss + ‖θ without intercept‖² / (2C).
    Eigen::VectorXd g = gradient(d, r, threads);
    g.head(b) += fit.theta.head(b) / C;
    if (g.cwiseAbs().maxCoeff() <= tol) {
      fit.converged = true;
      break;
    }
    if (fit.iterations >= params.max_iter) break;
    Eigen::MatrixXd H = hessian(d, w, threads);
    H.diagonal().head(b).array() += 1.0 / C;

    Eigen::LDLT<Eigen::MatrixXd> ldlt(H);
    const Eigen::VectorXd step = -ldlt.solve(g);
    const double slope = g.dot(step);
    if (ldlt.info() != Eigen::Success || !step.allFinite() || !(slope < 0.0)) break;

    const Eigen::VectorXd dz = linear(d, step, threads);
    double t = 1.0;
    bool accepted = false;
    for (int h = 0; h <= kMaxHalvings && !accepted; ++h, t *= 0.5) {
      const Eigen::VectorXd theta_t = fit.theta + t * step;
      Eigen::VectorXd z_t = z + t * dz;
      const double f_t = objective(d, z_t, y, theta_t, C);
      if (f_t <= f + kArmijo * t * slope) {
        fit.theta = theta_t;
        z = std::move(z_t);
        f = f_t;
        accepted = true;
      }
    }
    if (!accepted) break;  // at the limit of floating-point progress
    ++fit.iterations;
  }
  return fit;
}

// ---- reading model.json ----

// A weight (or the intercept) of a loaded model: a finite number within kMaxLogregWeight.
// JSON has no NaN or infinity (nlohmann writes them as null, and refuses 1e999 while
// parsing), so "not finite" here means null or a non-number where the weight belongs.
double checked_weight(const io::JsonFields& j, const char* key, const std::string& what) {
  const json& v = j.at(key);
  if (!v.is_number() || !std::isfinite(v.get<double>()))
    throw Error("logreg model: " + what + " is not a finite number (got " + v.dump() + ")");
  const double w = v.get<double>();
  if (std::abs(w) > kMaxLogregWeight)
    throw Error("logreg model: " + what + " is " + limit_text(w) + ", above the limit of " +
                limit_text(kMaxLogregWeight) + " (log-odds per standard deviation)");
  return w;
}

void check_vocab(const std::vector<std::string>& vocab, const char* key) {
  for (size_t k = 0; k < vocab.size(); ++k)
    if (vocab[k].empty() || (k > 0 && !(vocab[k - 1] < vocab[k])))
      throw Error(std::string("logreg model: '") + key +
                  "' must be sorted, unique and without empty entries");
}

}  // namespace

// ---- LogregPreprocess ----

LogregPreprocess LogregPreprocess::fit(const FeatureMatrix& X,
                                       const std::vector<std::string>& campaign,
                                       const std::vector<std::string>& adset, int threads) {
  check_inputs(X, campaign, adset);
  LogregPreprocess pre;
  pre.feature_names = X.names;
  const size_t p = static_cast<size_t>(X.cols());
  pre.medians.resize(p);
  pre.means.resize(p);
  pre.stds.resize(p);
  for_each_interleaved(static_cast<int64_t>(p), threads, [&](int64_t j) {
    const std::vector<double> column = X.column_values(static_cast<size_t>(j));
    pre.medians[j] = median_ignoring_nan(column);
    const MeanStd ms = mean_std_imputed(column, pre.medians[j]);
    pre.means[j] = ms.mean;
    pre.stds[j] = ms.std;
  });
  pre.campaign_vocab = make_vocab(campaign);
  pre.adset_vocab = make_vocab(adset);
  return pre;
}

std::vector<std::string> LogregPreprocess::coefficient_names() const {
  std::vector<std::string> names = feature_names;
  for (const auto& c : campaign_vocab) names.push_back("campaign_id=" + c);
  for (const auto& a : adset_vocab) names.push_back("adset_id=" + a);
  return names;
}

// ---- LogregModel ----

LogregModel LogregModel::fit(const FeatureMatrix& X, const std::vector<std::string>& campaign,
                             const std::vector<std::string>& adset, const std::vector<double>& y,
                             const LogregParams& params, int threads) {
  if (!(params.C > 0.0) || !std::isfinite(params.C)) throw Error("logreg: C must be > 0");
  if (params.max_iter < 1) throw Error("logreg: max_iter must be >= 1");
  check_inputs(X, campaign, adset);
  check_training_labels(y, X.rows, "logreg");

  LogregModel model;
  model.params_ = params;
  model.pre_ = LogregPreprocess::fit(X, campaign, adset, threads);
  const Design design(X, model.pre_, campaign, adset);
  const FitResult fit = newton(design, y, params, threads);
  if (!fit.theta.allFinite()) throw Error("logreg: the fit diverged (non-finite weights)");
  // A bundle with such a weight would be refused on loading (model/limits.h): fail now,
  // before a run writes it.
  Eigen::Index largest = 0;
  if (fit.theta.cwiseAbs().maxCoeff(&largest) > kMaxLogregWeight)
    throw Error("logreg: the fit produced a weight of " + limit_text(fit.theta[largest]) +
                ", above the limit of " + limit_text(kMaxLogregWeight) +
                "; the classes are (nearly) separable: lower model.logreg_params.C");
  model.coef_.assign(fit.theta.data(), fit.theta.data() + design.intercept());
  model.intercept_ = fit.theta[design.intercept()];
  model.iterations_ = fit.iterations;
  model.converged_ = fit.converged;
  return model;
}

std::vector<double> LogregModel::predict(const FeatureMatrix& X,
                                         const std::vector<std::string>& campaign,
                                         const std::vector<std::string>& adset) const {
  X.check_shape();
  X.check_names(pre_.feature_names, "logreg");
  check_inputs(X, campaign, adset);
  const Design design(X, pre_, campaign, adset);
  Eigen::VectorXd theta(design.dim);
  for (size_t k = 0; k < coef_.size(); ++k) theta[k] = coef_[k];
  theta[design.intercept()] = intercept_;
  const Eigen::VectorXd z = linear(design, theta, 1);
  std::vector<double> out(z.size());
  for (int64_t i = 0; i < z.size(); ++i) out[i] = sigmoid(z[i]);
  return out;
}

json LogregModel::to_json() const {
  json coefficients = json::array();
  const auto names = pre_.coefficient_names();
  for (size_t k = 0; k < names.size(); ++k)
    coefficients.push_back({{"name", names[k]}, {"value", coef_[k]}});
  return {
      {"params", {{"C", params_.C}, {"max_iter", params_.max_iter}}},
      {"feature_names", pre_.feature_names},
      {"medians", pre_.medians},
      {"means", pre_.means},
      {"stds", pre_.stds},
      {"campaign_vocab", pre_.campaign_vocab},
      {"adset_vocab", pre_.adset_vocab},
      {"coefficients", coefficients},
      {"intercept", intercept_},
      {"iterations", iterations_},
      {"converged", converged_},
  };
}

LogregModel LogregModel::from_json(const json& document) {
  const io::JsonFields j(document, "logreg model");
  LogregModel m;
  const io::JsonFields params = j.object("params");
  m.params_.C = params.finite_number("C");
  m.params_.max_iter = params.int32("max_iter");
  if (!(m.params_.C > 0.0)) throw Error("logreg model: 'C' must be > 0");

  auto& pre = m.pre_;
  pre.feature_names = j.strings("feature_names");
  const size_t p = pre.feature_names.size();
  pre.medians = j.finite_numbers("medians", p);
  pre.means = j.finite_numbers("means", p);
  pre.stds = j.finite_numbers("stds", p);
  for (double s : pre.stds)
    if (!(s > 0.0)) throw Error("logreg model: 'stds' must be > 0");
  pre.campaign_vocab = j.strings("campaign_vocab");
  pre.adset_vocab = j.strings("adset_vocab");
  check_vocab(pre.campaign_vocab, "campaign_vocab");
  check_vocab(pre.adset_vocab, "adset_vocab");

  const json& coefs = j.at("coefficients");
  const auto names = pre.coefficient_names();
  if (!coefs.is_array() || coefs.size() != names.size())
    throw Error("logreg model: 'coefficients' must list " + std::to_string(names.size()) +
                " entries (features, then campaign_id=, then adset_id=)");
  for (size_t k = 0; k < names.size(); ++k) {
    const json& c = coefs[k];
    if (!c.is_object() || !c.contains("name") || c.at("name") != names[k])
      throw Error("logreg model: coefficient " + std::to_string(k) + " should be '" + names[k] +
                  "'");
    m.coef_.push_back(checked_weight(io::JsonFields(c, "logreg model"), "value",
                                     "weight for '" + names[k] + "'"));
  }
  m.intercept_ = checked_weight(j, "intercept", "the intercept");
  m.iterations_ = j.int32("iterations");
  m.converged_ = j.boolean("converged");
  return m;
}

}  // namespace elv::model
