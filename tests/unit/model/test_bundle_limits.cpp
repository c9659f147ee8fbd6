// What a loaded bundle may hold (model/limits.h, docs/LIMITS.md): weights, leaves and
// calibrators a training run could have produced, trees of bounded size and depth. Beyond
// that a bundle is refused with the file and the part named; real bundles (the bundled demo
// model, freshly trained logreg and gbdt) still load. And a probability that is not a
// finite number is an error, never an empty cell.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "bundle_test_util.h"
#include "model/bundle.h"
#include "model/limits.h"

namespace elv::model {
namespace {

using nlohmann::json;
using namespace elv::model::testing;

// The error parse_bundle gives for the document (as the user sees it: "file: message"),
// or "" when it loads.
std::string load_error(const std::string& text) {
  try {
    parse_bundle(text, "model.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "model.json");
    return e.what();
  }
  return "";
}

#define EXPECT_REFUSED(text, words)                                    \
  do {                                                                 \
    const std::string msg_ = load_error(text);                         \
    EXPECT_NE(msg_.find(words), std::string::npos) << "got: " << msg_; \
  } while (0)

json trained(const std::string& type) { return to_json(fit(make_table(), type)); }

// ---- logreg ----

TEST(BundleLimits, LogregWeightAboveTheLimitIsRefused) {
  json j = trained("logreg");
  j["model"]["coefficients"][0]["value"] = 1e308;
  EXPECT_EQ(load_error(j.dump()),
            "model.json: damaged model file: logreg model: weight for 'spend_sum_7d' is 1e+308, "
            "above the limit of 10000 (log-odds per standard deviation)");
  // One-hot weights and the intercept too, negative ones alike.
  j = trained("logreg");
  j["model"]["coefficients"][2]["value"] = -2e4;
  EXPECT_REFUSED(j.dump(), "weight for 'campaign_id=c1' is -20000, above the limit of 10000");
  j = trained("logreg");
  j["model"]["intercept"] = 1e5;
  EXPECT_REFUSED(j.dump(), "logreg model: the intercept is 100000, above the limit of 10000");
  // At the limit it loads.
  j = trained("logreg");
  j["model"]["coefficients"][0]["value"] = kMaxLogregWeight;
  EXPECT_EQ(load_error(j.dump()), "");
}

TEST(BundleLimits, LogregNonFiniteWeightIsRefused) {
  // NaN cannot be written in JSON: nlohmann writes it as null, and a literal beyond double
  // (1e999, how other writers spell infinity) fails to parse.
  json j = trained("logreg");
  j["model"]["coefficients"][1]["value"] = std::nan("");
  EXPECT_REFUSED(j.dump(),
                 "model.json: damaged model file: logreg model: weight for "
                 "'placement_entropy_7d' is not a finite number (got null)");
  std::string text = trained("logreg").dump();
  const std::string intercept = "\"intercept\":";
  const size_t at = text.find(intercept);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + intercept.size(), "1e999,\"x\":");
  EXPECT_REFUSED(text, "model.json: not a valid model file (damaged or truncated JSON");
  EXPECT_REFUSED(text, "number overflow");
}

TEST(BundleLimits, StandardisationAndCalibratorMustBeFinite) {
  json j = trained("logreg");
  j["model"]["stds"][0] = nullptr;
  EXPECT_REFUSED(j.dump(), "damaged model file: logreg model: field 'stds' must be an array of " +
                               std::to_string(j["features"].size()) + " finite numbers");
  j = trained("logreg");
  j["calibrator"] = {{"method", "sigmoid"}, {"a", nullptr}, {"b", 0.0}};
  EXPECT_REFUSED(j.dump(), "damaged model file: calibrator: field 'a' must be a finite number");
  j = trained("logreg");
  j["drift_reference"]["columns"][0]["edges"][0] = nullptr;
  EXPECT_REFUSED(j.dump(), "psi reference: field 'edges' must be an array of finite numbers");
}

TEST(BundleLimits, IsotonicThresholdsMustBeSorted) {
  json j = trained("logreg");
  json& x = j["calibrator"]["x"];
  ASSERT_GE(x.size(), 2u);
  std::swap(x[0], x[1]);
  EXPECT_REFUSED(
      j.dump(),
      "model.json: damaged model file: calibrator: isotonic 'x' must be strictly increasing");
  j = trained("logreg");
  j["calibrator"]["y"][0] = nullptr;
  EXPECT_REFUSED(j.dump(), "calibrator: field 'y' must be an array of finite numbers");
}

// ---- gbdt ----

// A tree of `splits` split nodes in a chain, each with a leaf on its right and the last
// with a leaf on its left too: 2·splits + 1 nodes, splits levels deep.
json chain_tree(int splits, int id, size_t n_features) {
  const int n = 2 * splits + 1;
  json left = json::array(), right = json::array(), parents = json::array(),
       conditions = json::array();
  for (int i = 0; i < n; ++i) {
    const bool split = i < splits;
    left.push_back(split ? (i + 1 < splits ? i + 1 : 2 * splits) : -1);
    right.push_back(split ? splits + i : -1);
    conditions.push_back(split ? 0.5 : 0.01);
    parents.push_back(i == 0 ? 2147483647
                             : (i < splits ? i - 1 : (i == 2 * splits ? splits - 1 : i - splits)));
  }
  return {{"base_weights", json(std::vector<double>(n, 0.0))},
          {"categories", json::array()},
          {"categories_nodes", json::array()},
          {"categories_segments", json::array()},
          {"categories_sizes", json::array()},
          {"default_left", json(std::vector<int>(n, 0))},
          {"id", id},
          {"left_children", left},
          {"loss_changes", json(std::vector<double>(n, 0.0))},
          {"parents", parents},
          {"right_children", right},
          {"split_conditions", conditions},
          {"split_indices", json(std::vector<int>(n, 0))},
          {"split_type", json(std::vector<int>(n, 0))},
          {"sum_hessian", json(std::vector<double>(n, 1.0))},
          {"tree_param",
           {{"num_deleted", "0"},
            {"num_feature", std::to_string(n_features)},
            {"num_nodes", std::to_string(n)},
            {"size_leaf_vector", "0"}}}};
}

json& first_tree(json& bundle) {
  return bundle["model"]["xgboost"]["learner"]["gradient_booster"]["model"]["trees"][0];
}

TEST(BundleLimits, ChainTreeWithinTheLimitsLoads) {
  // The test's own tree builder makes trees XGBoost accepts: the refusals below are the limits.
  json j = trained("gbdt");
  first_tree(j) = chain_tree(kMaxTreeDepth, 0, 2);
  EXPECT_EQ(load_error(j.dump()), "");
}

TEST(BundleLimits, TooDeepTreeIsRefused) {
  json j = trained("gbdt");
  first_tree(j) = chain_tree(kMaxTreeDepth + 1, 0, 2);
  EXPECT_REFUSED(
      j.dump(),
      "model.json: damaged model file: gbdt model: tree 0: deeper than the limit of 4096 levels");
}

TEST(BundleLimits, TreeWithTooManyNodesIsRefused) {
  json j = trained("gbdt");
  first_tree(j) = chain_tree(static_cast<int>(kMaxTreeNodes / 2), 0, 2);  // kMaxTreeNodes + 1 nodes
  EXPECT_REFUSED(j.dump(),
                 "model.json: damaged model file: gbdt model: tree 0: 16385 nodes, above the limit "
                 "of 16384 per tree");
}

TEST(BundleLimits, TreeValuesMustBeFiniteAndBounded) {
  json j = trained("gbdt");
  first_tree(j) = chain_tree(2, 0, 2);
  first_tree(j)["split_conditions"][4] = 1e30;  // node 4 is the last leaf
  EXPECT_REFUSED(j.dump(),
                 "gbdt model: tree 0: leaf value of node 4 is 1e+30, above the limit of 1e+06");
  first_tree(j)["split_conditions"][4] = nullptr;
  EXPECT_REFUSED(j.dump(),
                 "gbdt model: tree 0: leaf value of node 4 is not a finite number (got null)");
  first_tree(j)["split_conditions"][4] = 0.01;
  first_tree(j)["split_conditions"][1] = -1e300;  // a split beyond float range
  EXPECT_REFUSED(
      j.dump(),
      "gbdt model: tree 0: split condition of node 1 is -1e+300, above the limit of 3.40282e+38");
}

// ---- real bundles still load ----

TEST(BundleLimits, RealBundlesLoad) {
  const ModelBundle demo = bundled_demo_model();
  double largest = 0.0;
  for (double w : std::get<std::shared_ptr<const LogregModel>>(demo.model)->coefficients())
    largest = std::max(largest, std::abs(w));
  EXPECT_LT(largest, kMaxLogregWeight / 1000) << "the limit should be far above real weights";
  for (const std::string type : {"logreg", "gbdt"})
    EXPECT_EQ(load_error(trained(type).dump()), "") << type;
  // A gbdt with many leaves per tree, as num_leaves allows.
  const auto t = make_table();
  GbdtParams params;
  params.n_estimators = 10;
  params.max_leaves = 255;
  params.min_child_weight = 0;
  ModelBundle b;
  b.features = t.feature_names;
  b.model = std::make_shared<const GbdtModel>(
      GbdtModel::fit(feature_matrix(t, b.features), labels(t), params));
  b.calibrator = Calibrator::fit_sigmoid(b.predict_raw(t), labels(t));
  b.training = json::object();
  EXPECT_EQ(load_error(to_json(b).dump()), "");
}

// ---- predictions ----

TEST(BundlePredict, NonFiniteProbabilityIsAnErrorNamingModelAndLead) {
  // Weights at the limit are allowed, but a lead whose values overflow the linear score
  // (+inf from one feature, -inf from the other) would get NaN.
  json j = trained("logreg");
  j["model"]["coefficients"][0]["value"] = kMaxLogregWeight;
  j["model"]["coefficients"][1]["value"] = kMaxLogregWeight;
  const ModelBundle b = parse_bundle(j.dump(), "model.json");
  auto t = make_table();
  EXPECT_NO_THROW(b.predict(t));
  t.features[0].values()[3] = 1e308;
  t.features[1].values()[3] = -1e308;
  try {
    b.predict(t);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "model.json: the model gives no probability (NaN) for lead 'lead3': its weights or this "
        "lead's feature values overflow; nothing was written");
  }
  // Also for a subset of rows, naming the lead (not the position in the subset).
  const std::vector<int64_t> rows = {5, 3};
  try {
    b.predict_raw(t, &rows);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lead 'lead3'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace elv::model
