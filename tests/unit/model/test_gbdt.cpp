#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/gbdt.h"

namespace elv::model {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// XOR-like signal on two features (no linear model can learn it), a noise feature, 10%
// label noise and 5% missing values in the first feature.
struct Synthetic {
  FeatureMatrix X;
  std::vector<double> y;
  std::vector<bool> positive_region;
};

Synthetic synthetic(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0), coin(0.0, 1.0);
  Synthetic s;
  s.X.rows = n;
  s.X.names = {"a", "b", "noise"};
  s.X.columns.assign(3, {});
  for (int i = 0; i < n; ++i) {
    const double a = unit(rng), b = unit(rng), noise = unit(rng);
    const bool region = (a > 0) == (b > 0);
    s.X.columns[0].push_back(coin(rng) < 0.05 ? kNaN : a);
    s.X.columns[1].push_back(b);
    s.X.columns[2].push_back(noise);
    s.positive_region.push_back(region);
    s.y.push_back((coin(rng) < 0.9) == region ? 1.0 : 0.0);
  }
  return s;
}

GbdtParams small_params() {
  GbdtParams p;
  p.n_estimators = 60;
  p.learning_rate = 0.1;
  p.min_child_weight = 1.0;
  p.nthread = 1;
  return p;
}

// Probability that a random positive-region row scores above a random negative-region one.
double auc(const std::vector<double>& score, const std::vector<bool>& positive) {
  std::vector<size_t> order(score.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0.0, n_pos = 0.0;
  for (size_t r = 0; r < order.size(); ++r)
    if (positive[order[r]]) {
      rank_sum += static_cast<double>(r + 1);
      n_pos += 1.0;
    }
  const double n_neg = static_cast<double>(score.size()) - n_pos;
  return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

TEST(Gbdt, LearnsANonlinearSignal) {
  const Synthetic train = synthetic(2000, 1), test = synthetic(1000, 2);
  const auto model = GbdtModel::fit(train.X, train.y, small_params());
  const auto p = model.predict(test.X);
  ASSERT_EQ(p.size(), 1000u);
  double pos = 0, neg = 0, n_pos = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_GT(p[i], 0.0);
    EXPECT_LT(p[i], 1.0);
    (test.positive_region[i] ? pos : neg) += p[i];
    n_pos += test.positive_region[i];
  }
  pos /= n_pos;
  neg /= static_cast<double>(p.size()) - n_pos;
  EXPECT_GT(pos, 0.7);
  EXPECT_LT(neg, 0.3);
  EXPECT_GT(auc(p, test.positive_region), 0.9);
}

TEST(Gbdt, ReportsTheShareOfRoundsDone) {
  const auto train = synthetic(500, 3);
  GbdtParams params = small_params();
  std::vector<double> seen;
  GbdtModel::fit(train.X, train.y, params, [&](double done) { seen.push_back(done); });
  ASSERT_EQ(seen.size(), static_cast<size_t>(params.n_estimators));
  EXPECT_DOUBLE_EQ(seen.front(), 1.0 / params.n_estimators);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST(Gbdt, MissingValuesPredictWithoutError) {
  const Synthetic train = synthetic(2000, 3);
  const auto model = GbdtModel::fit(train.X, train.y, small_params());
  FeatureMatrix rows;
  rows.rows = 3;
  rows.names = train.X.names;
  rows.columns = {{kNaN, kNaN, 0.5}, {0.5, kNaN, kNaN}, {kNaN, kNaN, kNaN}};
  const auto p = model.predict(rows);
  ASSERT_EQ(p.size(), 3u);
  for (double v : p) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GT(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
}

// Missing (NaN) rows get their own learned direction, and 0.0 is an ordinary value.
TEST(Gbdt, MissingIsNaNNotZero) {
  FeatureMatrix X;
  X.names = {"x"};
  X.columns.assign(1, {});
  std::vector<double> y;
  for (int i = 0; i < 600; ++i) {
    const int kind = i % 3;  // 0 -> x = 0 (negative), 1 -> NaN (positive), 2 -> x = 1 (mixed)
    X.columns[0].push_back(kind == 0 ? 0.0 : kind == 1 ? kNaN : 1.0);
    y.push_back(kind == 0 ? 0.0 : kind == 1 ? 1.0 : static_cast<double>(i % 2));
  }
  X.rows = static_cast<int64_t>(y.size());
  const auto model = GbdtModel::fit(X, y, small_params());
  FeatureMatrix rows;
  rows.rows = 3;
  rows.names = {"x"};
  rows.columns = {{0.0, kNaN, 1.0}};
  const auto p = model.predict(rows);
  EXPECT_LT(p[0], 0.1);
  EXPECT_GT(p[1], 0.9);
  EXPECT_NEAR(p[2], 0.5, 0.1);
}

TEST(Gbdt, JsonRoundTripGivesIdenticalPredictions) {
  const Synthetic train = synthetic(2000, 4), test = synthetic(500, 5);
  const auto model = GbdtModel::fit(train.X, train.y, small_params());
  const nlohmann::json j = model.to_json();
  ASSERT_TRUE(j["xgboost"].is_object());
  EXPECT_TRUE(j["xgboost"].contains("learner"));
  EXPECT_EQ(j["feature_names"], (std::vector<std::string>{"a", "b", "noise"}));
  EXPECT_EQ(j["params"]["n_estimators"], 60);

  const auto loaded = GbdtModel::from_json(nlohmann::json::parse(j.dump()));
  const auto p1 = model.predict(test.X), p2 = loaded.predict(test.X);
  ASSERT_EQ(p1.size(), p2.size());
  for (size_t i = 0; i < p1.size(); ++i) ASSERT_EQ(p1[i], p2[i]) << "row " << i;
  EXPECT_EQ(loaded.params(), model.params());
  EXPECT_EQ(loaded.to_json().dump(), j.dump());
}

TEST(Gbdt, SameSeedSameModelOtherSeedOtherModel) {
  const Synthetic train = synthetic(2000, 6), test = synthetic(300, 7);
  const auto a = GbdtModel::fit(train.X, train.y, small_params()).predict(test.X);
  const auto b = GbdtModel::fit(train.X, train.y, small_params()).predict(test.X);
  EXPECT_EQ(a, b);
  GbdtParams other = small_params();
  other.seed = 8;  // subsample / colsample draw differently
  const auto c = GbdtModel::fit(train.X, train.y, other).predict(test.X);
  EXPECT_NE(a, c);
}

TEST(Gbdt, MoveKeepsTheBooster) {
  const Synthetic train = synthetic(500, 9);
  auto model = GbdtModel::fit(train.X, train.y, small_params());
  const auto before = model.predict(train.X);
  GbdtModel moved = std::move(model);
  EXPECT_EQ(moved.predict(train.X), before);
  auto other = GbdtModel::fit(train.X, train.y, small_params());
  other = std::move(moved);
  EXPECT_EQ(other.predict(train.X), before);
}

TEST(Gbdt, TranslatesTheReferenceLightGbmDefaults) {
  const GbdtParams p = translate_lgbm(GbdtSettings{}, 7, 2);
  EXPECT_EQ(p.n_estimators, 400);
  EXPECT_EQ(p.learning_rate, 0.05);
  EXPECT_EQ(p.max_leaves, 31);
  EXPECT_EQ(p.min_child_weight, 12.5);  // 50 rows × 0.25, the largest logloss hessian
  EXPECT_EQ(p.subsample, 0.9);
  EXPECT_EQ(p.colsample_bytree, 0.9);
  EXPECT_EQ(p.reg_lambda, 1.0);
  EXPECT_EQ(p.max_bin, 256);
  EXPECT_EQ(p.seed, 7);
  EXPECT_EQ(p.nthread, 2);

  std::map<std::string, std::string> kv;
  for (const auto& [k, v] : xgboost_params(p)) kv[k] = v;
  EXPECT_EQ(kv["grow_policy"], "lossguide");
  EXPECT_EQ(kv["max_depth"], "0");
  EXPECT_EQ(kv["max_leaves"], "31");
  EXPECT_EQ(kv["tree_method"], "hist");
  EXPECT_EQ(kv["objective"], "binary:logistic");
  EXPECT_EQ(kv["eval_metric"], "logloss");
  EXPECT_EQ(kv["max_bin"], "256");
  EXPECT_EQ(std::stod(kv["eta"]), 0.05);
  EXPECT_EQ(std::stod(kv["lambda"]), 1.0);
  EXPECT_EQ(kv["seed"], "7");

  GbdtSettings custom;
  custom.num_leaves = 63;
  custom.min_child_samples = 20;
  custom.n_estimators = 10;
  const GbdtParams q = translate_lgbm(custom, 1, 1);
  EXPECT_EQ(q.max_leaves, 63);
  EXPECT_EQ(q.min_child_weight, 5.0);
  EXPECT_EQ(q.n_estimators, 10);
}

TEST(Gbdt, ParamsJsonRoundTrip) {
  const GbdtParams p = translate_lgbm(GbdtSettings{}, 11, 1);
  EXPECT_EQ(gbdt_params_from_json(gbdt_params_to_json(p)), p);
  auto bad = gbdt_params_to_json(p);
  bad["subsample"] = 1.5;
  EXPECT_THROW(gbdt_params_from_json(bad), Error);
  bad = gbdt_params_to_json(p);
  bad.erase("max_leaves");
  EXPECT_THROW(gbdt_params_from_json(bad), Error);
}

TEST(Gbdt, FromJsonRejectsDamage) {
  const Synthetic train = synthetic(500, 10);
  const nlohmann::json good = GbdtModel::fit(train.X, train.y, small_params()).to_json();

  auto no_model = good;
  no_model.erase("xgboost");
  EXPECT_THROW(GbdtModel::from_json(no_model), Error);

  auto not_xgboost = good;
  not_xgboost["xgboost"] = {{"hello", 1}};
  EXPECT_THROW(GbdtModel::from_json(not_xgboost), Error);

  auto no_booster = good;
  no_booster["xgboost"]["learner"].erase("gradient_booster");
  EXPECT_THROW(GbdtModel::from_json(no_booster), Error);

  auto broken_tree = good;
  auto& tree = broken_tree["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0];
  tree["left_children"] = "oops";
  EXPECT_THROW(GbdtModel::from_json(broken_tree), Error);

  // Links XGBoost itself would follow out of bounds (crash) or around a cycle (hang).
  auto out_of_range = good;
  out_of_range["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0]["left_children"][0] =
      99;
  EXPECT_THROW(GbdtModel::from_json(out_of_range), Error);
  auto cycle = good;
  cycle["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0]["left_children"][0] = 0;
  EXPECT_THROW(GbdtModel::from_json(cycle), Error);
  auto unknown_feature = good;
  unknown_feature["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"]
                 [0] = 7;
  EXPECT_THROW(GbdtModel::from_json(unknown_feature), Error);

  // Errors reported by XGBoost itself come back as one line.
  auto bad_objective = good;
  bad_objective["xgboost"]["learner"]["objective"]["name"] = "nope";
  try {
    GbdtModel::from_json(bad_objective);
    ADD_FAILURE() << "expected elv::Error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("nope"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }

  auto wrong_names = good;
  wrong_names["feature_names"].push_back("extra");
  EXPECT_THROW(GbdtModel::from_json(wrong_names), Error);

  auto bad_names = good;
  bad_names["feature_names"] = 3;
  EXPECT_THROW(GbdtModel::from_json(bad_names), Error);

  EXPECT_THROW(GbdtModel::from_json(nlohmann::json::array()), Error);
  EXPECT_NO_THROW(GbdtModel::from_json(good));
}

TEST(Gbdt, PredictNamesTheMissingFeature) {
  const Synthetic train = synthetic(500, 12);
  const auto model = GbdtModel::fit(train.X, train.y, small_params());
  FeatureMatrix renamed = train.X;
  renamed.names[1] = "bb";
  try {
    model.predict(renamed);
    FAIL() << "expected elv::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'b'"), std::string::npos) << e.what();
  }
}

TEST(Gbdt, RejectsBadInputs) {
  const Synthetic train = synthetic(200, 13);
  EXPECT_THROW(GbdtModel::fit(train.X, std::vector<double>(200, 1.0), small_params()), Error);
  EXPECT_THROW(GbdtModel::fit(train.X, std::vector<double>(10, 1.0), small_params()), Error);
  std::vector<double> y = train.y;
  y[0] = 0.5;
  EXPECT_THROW(GbdtModel::fit(train.X, y, small_params()), Error);
  FeatureMatrix inf = train.X;
  inf.columns[2][5] = INFINITY;
  EXPECT_THROW(GbdtModel::fit(inf, train.y, small_params()), Error);
  GbdtParams bad = small_params();
  bad.max_leaves = 1;
  EXPECT_THROW(GbdtModel::fit(train.X, train.y, bad), Error);
}

}  // namespace
}  // namespace elv::model
