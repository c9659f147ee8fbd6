#include "model/gbdt.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>

#include <nlohmann/json.hpp>
#include <xgboost/c_api.h>

#include "io/json_fields.h"
#include "model/limits.h"

namespace elv::model {
namespace {

using nlohmann::json;

// XGBoost's messages start with a timestamp and end with a stack trace; errors here are
// one line, so keep the first line without the "[hh:mm:ss] " prefix.
std::string one_line(std::string msg) {
  msg = msg.substr(0, msg.find('\n'));
  if (msg.size() > 11 && msg[0] == '[' && msg[9] == ']' && msg[10] == ' ') msg.erase(0, 11);
  return msg;
}

// Every C API call returns 0 on success; XGBoost keeps the reason for the last failure.
void check(int rc, const char* what) {
  if (rc != 0) throw Error(std::string("xgboost ") + what + ": " + one_line(XGBGetLastError()));
}

struct DMatrixFree {
  void operator()(void* h) const { XGDMatrixFree(h); }
};
struct BoosterFree {
  void operator()(void* h) const { XGBoosterFree(h); }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixFree>;
using BoosterPtr = std::unique_ptr<void, BoosterFree>;

// Decimal text that reads back to the same double (XGBoost parses parameters as text).
std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_params(const GbdtParams& p) {
  auto fail = [](const std::string& what) { throw Error("gbdt params: " + what); };
  if (p.n_estimators < 1) fail("n_estimators must be >= 1");
  if (!(p.learning_rate > 0.0)) fail("learning_rate must be > 0");
  if (p.max_leaves < 2) fail("max_leaves must be >= 2");
  if (!(p.min_child_weight >= 0.0)) fail("min_child_weight must be >= 0");
  if (!(p.subsample > 0.0 && p.subsample <= 1.0)) fail("subsample must be in (0, 1]");
  if (!(p.colsample_bytree > 0.0 && p.colsample_bytree <= 1.0))
    fail("colsample_bytree must be in (0, 1]");
  if (!(p.reg_lambda >= 0.0)) fail("reg_lambda must be >= 0");
  if (p.max_bin < 2) fail("max_bin must be >= 2");
  if (p.nthread < 0) fail("nthread must be >= 0");
}

// XGBoost takes a dense row-major float buffer; our matrix is column-major double. NaN
// stays NaN (= missing); a finite double beyond float range would turn into inf, which
// XGBoost rejects with a vaguer message, so it is named here. Rows go in blocks so the
// block being written stays in cache while each column is read sequentially.
std::vector<float> row_major_floats(const FeatureMatrix& X) {
  constexpr int64_t kBlock = 256;
  const int64_t n = X.rows, p = X.cols();
  std::vector<float> out(static_cast<size_t>(n * p));
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t end = std::min(n, begin + kBlock);
    for (int64_t j = 0; j < p; ++j) {
      float* dst = out.data() + j;
      X.with_column(static_cast<size_t>(j), [&](auto col) {
        for (int64_t i = begin; i < end; ++i) {
          const double v = col(i);
          if (std::abs(v) > FLT_MAX)
            throw Error("value too large for the gbdt model (float range)", {}, -1, X.names[j]);
          dst[i * p] = static_cast<float>(v);
        }
      });
    }
  }
  return out;
}

DMatrixPtr make_dmatrix(const FeatureMatrix& X, int nthread) {
  const std::vector<float> data = row_major_floats(X);
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromMat_omp(data.data(), static_cast<bst_ulong>(X.rows),
                                   static_cast<bst_ulong>(X.cols()), NAN, &h, nthread),
        "creating the data matrix");
  return DMatrixPtr(h);
}

// A split condition is compared with the feature as a float: beyond float range XGBoost
// would read it as ±inf. A leaf value is added to the log-odds: bounded (model/limits.h) so
// that the sum over all trees stays finite.
void check_node_value(const json& value, bool leaf, int64_t node, const std::string& where) {
  const std::string what =
      where + ": " + (leaf ? "leaf value" : "split condition") + " of node " + std::to_string(node);
  if (!value.is_number() || !std::isfinite(value.get<double>()))
    throw Error(what + " is not a finite number (got " + value.dump() + ")");
  const double v = std::abs(value.get<double>());
  const double limit = leaf ? kMaxLeafValue : static_cast<double>(FLT_MAX);
  if (v > limit)
    throw Error(what + " is " + limit_text(value.get<double>()) + ", above the limit of " +
                limit_text(limit));
}

// XGBoost 1.7 trusts the tree arrays it loads: a child index out of range crashes it and
// a cycle hangs it. So before loading, every tree must be a proper binary tree from node 0
// (children in range, each node reached once) splitting only on known features, within
// the size and depth limits (model/limits.h), with finite values. Returns its node count.
int64_t check_tree(const json& tree, size_t n_features, size_t t) {
  const std::string where = "gbdt model: tree " + std::to_string(t);
  const io::JsonFields fields(tree, where);
  const json& left = fields.at("left_children");
  const json& right = fields.at("right_children");
  const json& split = fields.at("split_indices");
  const json& cond = fields.at("split_conditions");
  const json& dleft = fields.at("default_left");
  const size_t n = left.is_array() ? left.size() : 0;
  for (const json* a : {&left, &right, &split, &cond, &dleft})
    if (!a->is_array() || a->size() != n || n == 0)
      throw Error(where + ": node arrays are missing or of different lengths");
  if (static_cast<int64_t>(n) > kMaxTreeNodes)
    throw Error(where + ": " + std::to_string(n) + " nodes, above the limit of " +
                std::to_string(kMaxTreeNodes) + " per tree");
  std::vector<char> seen(n, 0);
  struct Visit {
    int64_t node;
    int depth;  // the root is at depth 0
  };
  std::vector<Visit> stack = {{0, 0}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (node < 0 || node >= static_cast<int64_t>(n) || seen[node])
      throw Error(where + ": broken node links");
    seen[node] = 1;
    if (depth > kMaxTreeDepth)
      throw Error(where + ": deeper than the limit of " + std::to_string(kMaxTreeDepth) +
                  " levels");
    const json &l = left[node], &r = right[node];
    if (!l.is_number_integer() || !r.is_number_integer())
      throw Error(where + ": broken node links");
    const bool leaf = l.get<int64_t>() == -1 && r.get<int64_t>() == -1;
    check_node_value(cond[node], leaf, node, where);
    if (leaf) continue;
    const json& f = split[node];
    if (!f.is_number_unsigned() || f.get<uint64_t>() >= n_features)
      throw Error(where + ": split on an unknown feature");
    stack.push_back({l.get<int64_t>(), depth + 1});
    stack.push_back({r.get<int64_t>(), depth + 1});
  }
  return static_cast<int64_t>(n);
}

void check_xgboost_model(const json& xgb, size_t n_features) {
  const io::JsonFields booster =
      io::JsonFields(xgb, "gbdt model: 'xgboost'").object("learner").object("gradient_booster");
  if (booster.string("name") != "gbtree")
    throw Error("gbdt model: 'xgboost' must hold a gbtree booster");
  const json& trees = booster.object("model").at("trees");
  if (!trees.is_array()) throw Error("gbdt model: 'xgboost' trees must be an array");
  int64_t total_nodes = 0;
  for (size_t t = 0; t < trees.size(); ++t) {
    total_nodes += check_tree(trees[t], n_features, t);
    if (total_nodes > kMaxTotalTreeNodes)
      throw Error("gbdt model: more than " + std::to_string(kMaxTotalTreeNodes) +
                  " tree nodes in all (the limit), reached at tree " + std::to_string(t));
  }
}

void check_fit_inputs(const FeatureMatrix& X, const std::vector<double>& y,
                      const GbdtParams& params) {
  check_params(params);
  X.check_shape();
  X.check_finite_or_nan();
  if (X.cols() == 0) throw Error("gbdt: needs at least one feature");
  check_training_labels(y, X.rows, "gbdt");
}

DMatrixPtr labeled_dmatrix(const FeatureMatrix& X, const std::vector<double>& y, int nthread) {
  DMatrixPtr m = make_dmatrix(X, nthread);
  const std::vector<float> labels(y.begin(), y.end());
  check(
      XGDMatrixSetFloatInfo(m.get(), "label", labels.data(), static_cast<bst_ulong>(labels.size())),
      "setting labels");
  return m;
}

// A booster with elv's parameters over the given matrices (the first is the one trained on;
// the others are cached for evaluation). Starts from the base rate of y (LightGBM's
// boost_from_average) rather than XGBoost 1.7's fixed 0.5, so early rounds are not spent on
// moving the intercept.
BoosterPtr new_booster(std::vector<DMatrixHandle> cache, const GbdtParams& params,
                       const std::vector<double>& y) {
  BoosterHandle h = nullptr;
  check(XGBoosterCreate(cache.data(), static_cast<bst_ulong>(cache.size()), &h),
        "creating the booster");
  BoosterPtr booster(h);
  for (const auto& [key, value] : xgboost_params(params))
    check(XGBoosterSetParam(h, key.c_str(), value.c_str()), ("setting " + key).c_str());
  const double base = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  check(XGBoosterSetParam(h, "base_score", exact(base).c_str()), "setting base_score");
  return booster;
}

// The number after `key` in XGBoost's evaluation line ("[12]\tvalid-logloss:0.612345").
double eval_value(const char* text, const std::string& key) {
  const std::string line = text ? text : "";
  const size_t at = line.find(key);
  if (at != std::string::npos) {
    const char* begin = line.c_str() + at + key.size();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end != begin && std::isfinite(v)) return v;
  }
  throw Error("xgboost evaluating: no " + key + " number in '" + line + "'");
}

}  // namespace

// ---- parameters ----

// LightGBM (the reference's lgbm_params)  ->  XGBoost
//   n_estimators       400   ->  num_boost_round 400 (one UpdateOneIter per round)
//   learning_rate      0.05  ->  eta 0.05
//   num_leaves         31    ->  max_leaves 31, grow_policy=lossguide, max_depth=0:
//                                leaf-wise growth bounded by leaves, as LightGBM grows
//   min_child_samples  50    ->  min_child_weight = 50 × 0.25 = 12.5 (see below)
//   subsample          0.9   ->  subsample 0.9 (row sampling per tree; note LightGBM only
//                                bags when subsample_freq > 0, XGBoost always does)
//   colsample_bytree   0.9   ->  colsample_bytree 0.9
//   reg_lambda         1.0   ->  lambda 1.0 (L2 on leaf weights in both)
//   (fixed)                  ->  tree_method=hist, max_bin=256, objective=binary:logistic,
//                                eval_metric=logloss, base_score = mean(y) (LightGBM's
//                                boost_from_average), seed, nthread
//
// min_child_samples counts rows per leaf; XGBoost's min_child_weight bounds the leaf's
// hessian sum, Σ p(1−p) for logloss. Every row contributes at most 0.25 (at p = 0.5), so
// min_child_weight = 0.25 × min_child_samples guarantees what LightGBM guarantees — no
// leaf with fewer than min_child_samples rows — without depending on the data. For rare
// positives (p(1−p) < 0.25) it is stricter than a row count, i.e. errs on the side of
// smoother trees; a data-dependent factor ȳ(1−ȳ) would match more closely on average but
// would make the same config mean different trees on different data.
GbdtParams translate_lgbm(const GbdtSettings& lgbm, int64_t seed, int nthread) {
  GbdtParams p;
  p.n_estimators = lgbm.n_estimators;
  p.learning_rate = lgbm.learning_rate;
  p.max_leaves = lgbm.num_leaves;
  p.min_child_weight = 0.25 * lgbm.min_child_samples;
  p.subsample = lgbm.subsample;
  p.colsample_bytree = lgbm.colsample_bytree;
  p.reg_lambda = lgbm.reg_lambda;
  p.max_bin = 256;
  p.seed = seed;
  p.nthread = nthread;
  return p;
}

std::vector<std::pair<std::string, std::string>> xgboost_params(const GbdtParams& p) {
  return {
      {"objective", "binary:logistic"},
      {"eval_metric", "logloss"},
      {"tree_method", "hist"},
      {"grow_policy", "lossguide"},
      {"max_depth", "0"},
      {"max_leaves", std::to_string(p.max_leaves)},
      {"eta", exact(p.learning_rate)},
      {"min_child_weight", exact(p.min_child_weight)},
      {"subsample", exact(p.subsample)},
      {"colsample_bytree", exact(p.colsample_bytree)},
      {"lambda", exact(p.reg_lambda)},
      {"max_bin", std::to_string(p.max_bin)},
      {"seed", std::to_string(p.seed)},
      {"nthread", std::to_string(p.nthread)},
      {"verbosity", "1"},  // warnings only
  };
}

json gbdt_params_to_json(const GbdtParams& p) {
  return {{"n_estimators", p.n_estimators},
          {"learning_rate", p.learning_rate},
          {"max_leaves", p.max_leaves},
          {"min_child_weight", p.min_child_weight},
          {"subsample", p.subsample},
          {"colsample_bytree", p.colsample_bytree},
          {"reg_lambda", p.reg_lambda},
          {"max_bin", p.max_bin},
          {"seed", p.seed},
          {"nthread", p.nthread}};
}

GbdtParams gbdt_params_from_json(const json& document) {
  const io::JsonFields j(document, "gbdt params");
  GbdtParams p;
  p.n_estimators = j.int32("n_estimators");
  p.learning_rate = j.finite_number("learning_rate");
  p.max_leaves = j.int32("max_leaves");
  p.min_child_weight = j.finite_number("min_child_weight");
  p.subsample = j.finite_number("subsample");
  p.colsample_bytree = j.finite_number("colsample_bytree");
  p.reg_lambda = j.finite_number("reg_lambda");
  p.max_bin = j.int32("max_bin");
  p.seed = j.integer("seed");
  p.nthread = j.int32("nthread");
  check_params(p);
  return p;
}

// ---- GbdtModel ----

GbdtModel GbdtModel::fit(const FeatureMatrix& X, const std::vector<double>& y,
                         const GbdtParams& params, const std::function<void(double)>& on_round) {
  check_fit_inputs(X, y, params);
  const DMatrixPtr dtrain = labeled_dmatrix(X, y, params.nthread);
  BoosterPtr booster = new_booster({dtrain.get()}, params, y);
  for (int round = 0; round < params.n_estimators; ++round) {
    check(XGBoosterUpdateOneIter(booster.get(), round, dtrain.get()), "training");
    if (on_round) on_round(static_cast<double>(round + 1) / params.n_estimators);
  }

  GbdtModel model;
  model.booster_ = booster.release();
  model.feature_names_ = X.names;
  model.params_ = params;
  model.nthread_ = params.nthread;
  return model;
}

RoundSearch search_gbdt_rounds(const FeatureMatrix& X_fit, const std::vector<double>& y_fit,
                               const FeatureMatrix& X_valid, const std::vector<double>& y_valid,
                               const GbdtParams& params, int patience,
                               const std::function<void(double)>& on_round) {
  if (patience < 1) throw Error("gbdt: early stopping needs a patience of at least 1 round");
  check_fit_inputs(X_fit, y_fit, params);
  X_valid.check_shape();
  X_valid.check_names(X_fit.names, "gbdt validation");
  X_valid.check_finite_or_nan();
  check_training_labels(y_valid, X_valid.rows, "gbdt validation");
  const DMatrixPtr dfit = labeled_dmatrix(X_fit, y_fit, params.nthread);
  const DMatrixPtr dvalid = labeled_dmatrix(X_valid, y_valid, params.nthread);
  // Both matrices in the booster's cache: XGBoost then updates their predictions tree by
  // tree, so evaluating after every round costs one tree's traversal, not the whole model.
  const BoosterPtr booster = new_booster({dfit.get(), dvalid.get()}, params, y_fit);
  DMatrixHandle eval_sets[] = {dvalid.get()};
  const char* eval_names[] = {"valid"};
  RoundSearch r;
  r.rounds_requested = params.n_estimators;
  for (int round = 0; round < params.n_estimators; ++round) {
    check(XGBoosterUpdateOneIter(booster.get(), round, dfit.get()), "training");
    const char* text = nullptr;
    check(XGBoosterEvalOneIter(booster.get(), round, eval_sets, eval_names, 1, &text),
          "evaluating");
    const double loss = eval_value(text, "valid-logloss:");
    r.rounds_run = round + 1;
    // Strictly lower: a plateau does not move the best round later.
    if (r.best_rounds == 0 || loss < r.best_validation_log_loss) {
      r.best_rounds = round + 1;
      r.best_validation_log_loss = loss;
    }
    if (on_round) on_round(static_cast<double>(round + 1) / params.n_estimators);
    if (r.rounds_run - r.best_rounds >= patience) break;
  }
  if (on_round && r.rounds_run < params.n_estimators) on_round(1.0);
  return r;
}

std::vector<double> GbdtModel::predict(const FeatureMatrix& X) const {
  X.check_shape();
  X.check_names(feature_names_, "gbdt");
  X.check_finite_or_nan();
  if (X.rows == 0) return {};
  // In-place prediction from the dense buffer: no DMatrix copy of the data. The buffer is
  // described by a NumPy-style array interface; type 0 = probabilities, iteration_end 0 =
  // all trees; 1.7 needs "cache_id" to be present.
  const std::vector<float> data = row_major_floats(X);
  const std::string array = R"({"data":[)" +
                            std::to_string(reinterpret_cast<uintptr_t>(data.data())) +
                            R"(,true],"shape":[)" + std::to_string(X.rows) + "," +
                            std::to_string(X.cols()) + R"(],"typestr":"<f4","version":3})";
  const char* config = R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,)"
                       R"("strict_shape":false,"cache_id":0,"missing":NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDense(booster_, array.c_str(), config, nullptr, &shape, &dim, &result),
        "predicting");
  if (dim != 1 || shape[0] != static_cast<bst_ulong>(X.rows))
    throw Error("xgboost predicting: unexpected output shape");
  // The buffer belongs to the booster and is reused by its next call: copy it out now.
  return std::vector<double>(result, result + X.rows);
}

json GbdtModel::to_json() const {
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(booster_, R"({"format":"json"})", &len, &buf), "saving");
  json model;
  try {
    model = json::parse(buf, buf + len);
  } catch (const json::exception& e) {
    throw Error(std::string("xgboost saving: unreadable JSON: ") + e.what());
  }
  return {{"feature_names", feature_names_},
          {"params", gbdt_params_to_json(params_)},
          {"xgboost", std::move(model)}};
}

GbdtModel GbdtModel::from_json(const json& j) {
  GbdtModel model;
  try {
    const io::JsonFields fields(j, "gbdt model");
    model.feature_names_ = fields.strings("feature_names");
    model.params_ = gbdt_params_from_json(fields.at("params"));
    const json& xgb = fields.at("xgboost");
    check_xgboost_model(xgb, model.feature_names_.size());

    const std::string text = xgb.dump();
    BoosterHandle h = nullptr;
    check(XGBoosterCreate(nullptr, 0, &h), "creating the booster");
    BoosterPtr booster(h);
    check(XGBoosterLoadModelFromBuffer(h, text.data(), static_cast<bst_ulong>(text.size())),
          "loading the model");
    bst_ulong n_features = 0;
    check(XGBoosterGetNumFeature(h, &n_features), "reading the feature count");
    if (n_features != model.feature_names_.size())
      throw Error("gbdt model: XGBoost model has " + std::to_string(n_features) +
                  " features, 'feature_names' lists " +
                  std::to_string(model.feature_names_.size()));
    model.booster_ = booster.release();
    model.set_nthread(model.params_.nthread);
  } catch (const json::exception& e) {
    throw Error(std::string("gbdt model: ") + e.what());
  }
  return model;
}

void GbdtModel::set_nthread(int nthread) {
  if (nthread < 0) throw Error("gbdt: nthread must be >= 0");
  check(XGBoosterSetParam(booster_, "nthread", std::to_string(nthread).c_str()), "setting nthread");
  nthread_ = nthread;
}

GbdtModel::GbdtModel(GbdtModel&& other) noexcept
    : booster_(std::exchange(other.booster_, nullptr)),
      feature_names_(std::move(other.feature_names_)),
      params_(other.params_),
      nthread_(other.nthread_) {}

GbdtModel& GbdtModel::operator=(GbdtModel&& other) noexcept {
  if (this != &other) {
    if (booster_) XGBoosterFree(booster_);
    booster_ = std::exchange(other.booster_, nullptr);
    feature_names_ = std::move(other.feature_names_);
    params_ = other.params_;
    nthread_ = other.nthread_;
  }
  return *this;
}

GbdtModel::~GbdtModel() {
  if (booster_) XGBoosterFree(booster_);
}

// ---- margins and contributions (model/explain.h) ----

namespace {

// XGBoosterPredictFromDMatrix with the given prediction type (1 = margin, 2 = SHAP values):
// in-place prediction knows only values and margins, so contributions need a DMatrix. The
// result buffer belongs to the booster and is copied out before its next call.
std::vector<float> predict_type(void* booster, const FeatureMatrix& X, int type, int nthread,
                                size_t values_per_row) {
  if (X.rows == 0) return {};
  DMatrixPtr dm = make_dmatrix(X, nthread);
  const std::string config = R"({"type":)" + std::to_string(type) +
                             R"(,"training":false,"iteration_begin":0,"iteration_end":0,)"
                             R"("strict_shape":false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(booster, dm.get(), config.c_str(), &shape, &dim, &result),
        type >= 2 ? "computing contributions" : "predicting margins");
  bst_ulong total = 1;
  for (bst_ulong d = 0; d < dim; ++d) total *= shape[d];
  if (total != static_cast<bst_ulong>(X.rows) * values_per_row)
    throw Error("xgboost predicting: unexpected output shape");
  return std::vector<float>(result, result + total);
}

}  // namespace

std::vector<double> GbdtModel::predict_margin(const FeatureMatrix& X) const {
  X.check_shape();
  X.check_names(feature_names_, "gbdt");
  X.check_finite_or_nan();
  const std::vector<float> m = predict_type(booster_, X, 1, nthread_, 1);
  return std::vector<double>(m.begin(), m.end());
}

std::vector<float> GbdtModel::contributions(const FeatureMatrix& X, bool approximate) const {
  X.check_shape();
  X.check_names(feature_names_, "gbdt");
  X.check_finite_or_nan();
  return predict_type(booster_, X, approximate ? 3 : 2, nthread_, feature_names_.size() + 1);
}

int64_t GbdtModel::n_trees() const {
  int rounds = 0;
  check(XGBoosterBoostedRounds(booster_, &rounds), "counting the trees");
  return rounds;
}

}  // namespace elv::model
