#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/logreg.h"

namespace elv::model {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Strings = std::vector<std::string>;

FeatureMatrix matrix(std::vector<std::string> names, std::vector<std::vector<double>> columns) {
  FeatureMatrix X;
  X.rows = columns.empty() ? 0 : static_cast<int64_t>(columns[0].size());
  X.names = std::move(names);
  X.columns = std::move(columns);
  return X;
}

FeatureMatrix one_row(const FeatureMatrix& like, std::vector<double> values) {
  FeatureMatrix X;
  X.rows = 1;
  X.names = like.names;
  for (double v : values) X.columns.push_back({v});
  return X;
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A noisy two-feature problem with campaigns and ad sets, NaNs in the second feature.
struct Synthetic {
  FeatureMatrix X;
  Strings campaign, adset;
  std::vector<double> y;
};

Synthetic synthetic(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit;
  Synthetic s;
  std::vector<double> x1, x2;
  const Strings campaigns = {"c1", "c2", "c3"};
  for (int i = 0; i < n; ++i) {
    const double a = normal(rng), b = 3.0 + 2.0 * normal(rng);
    const int c = static_cast<int>(unit(rng) * 3);
    const int ad = static_cast<int>(unit(rng) * 4);
    x1.push_back(a);
    x2.push_back(unit(rng) < 0.1 ? kNaN : b);
    s.campaign.push_back(unit(rng) < 0.05 ? "" : campaigns[c]);
    s.adset.push_back("a" + std::to_string(ad));
    const double z = -0.5 + 1.2 * a - 0.3 * (b - 3.0) + (c == 1 ? 0.8 : 0.0) + 0.2 * ad;
    s.y.push_back(unit(rng) < sigmoid(z) ? 1.0 : 0.0);
  }
  s.X = matrix({"x1", "x2"}, {x1, x2});
  return s;
}

// ---- fitting ----

TEST(Logreg, OneFeatureGetsTheRightSign) {
  // Mostly y = 1 for large x, with overlap so the optimum is finite even without penalty.
  std::vector<double> x = {-3, -2, -1.5, -1, -0.5, 0, 0.2, 0.5, 1, 1.5, 2, 3};
  std::vector<double> y = {0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1};
  const FeatureMatrix X = matrix({"x"}, {x});
  const Strings none(x.size());
  // A light penalty: on twelve points the default C (0.1) shrinks the weight toward 0.
  LogregParams params;
  params.C = 1.0;
  const auto m = LogregModel::fit(X, none, none, y, params);
  ASSERT_EQ(m.coefficients().size(), 1u);
  EXPECT_GT(m.coefficients()[0], 0.5);
  EXPECT_TRUE(m.converged());

  // Mirrored labels flip the sign.
  std::vector<double> flipped;
  for (double v : y) flipped.push_back(1.0 - v);
  const auto m2 = LogregModel::fit(X, none, none, flipped, params);
  EXPECT_NEAR(m2.coefficients()[0], -m.coefficients()[0], 1e-9);
}

// At the optimum of ½‖w‖² + C·Σ logloss: w_j = C · Σᵢ (yᵢ − pᵢ)·x̃ᵢⱼ for every penalised
// coefficient (x̃ = standardised / one-hot column) and Σᵢ (yᵢ − pᵢ) = 0 for the intercept.
TEST(Logreg, SolutionSatisfiesTheOptimalityConditions) {
  const Synthetic s = synthetic(3000, 11);
  LogregParams params;
  params.C = 0.05;  // strong enough for the penalty to matter
  const auto m = LogregModel::fit(s.X, s.campaign, s.adset, s.y, params);
  ASSERT_TRUE(m.converged());
  EXPECT_LE(m.iterations(), 10);  // Newton: a handful of steps, or the Hessian is wrong

  const auto p = m.predict(s.X, s.campaign, s.adset);
  const auto& pre = m.preprocess();
  const auto names = pre.coefficient_names();
  ASSERT_EQ(names.size(), 2u + 3u + 4u);
  EXPECT_EQ(names[2], "campaign_id=c1");
  EXPECT_EQ(names[5], "adset_id=a0");

  std::vector<double> rhs(names.size(), 0.0);
  double intercept_grad = 0.0;
  for (size_t i = 0; i < s.y.size(); ++i) {
    const double res = s.y[i] - p[i];
    intercept_grad += res;
    for (size_t j = 0; j < 2; ++j) rhs[j] += res * pre.transform(j, s.X.columns[j][i]);
    for (size_t k = 0; k < pre.campaign_vocab.size(); ++k)
      if (s.campaign[i] == pre.campaign_vocab[k]) rhs[2 + k] += res;
    for (size_t k = 0; k < pre.adset_vocab.size(); ++k)
      if (s.adset[i] == pre.adset_vocab[k]) rhs[5 + k] += res;
  }
  // The solver's contract: max |∇(Σ logloss + ‖w‖²/2C)| ≤ 1e-8·n; in practice the last
  // Newton step lands well inside it, so the coefficients also agree to 1e-6 relative.
  const double grad_tol = 1e-8 * static_cast<double>(s.y.size());
  for (size_t k = 0; k < names.size(); ++k) {
    const double w = m.coefficients()[k];
    EXPECT_NEAR(w, params.C * rhs[k], params.C * grad_tol) << names[k];
    EXPECT_NEAR(w, params.C * rhs[k], 1e-6 * std::abs(w)) << names[k];
  }
  EXPECT_NEAR(intercept_grad, 0.0, grad_tol);
  // The true signs come through.
  EXPECT_GT(m.coefficients()[0], 0.0);
  EXPECT_LT(m.coefficients()[1], 0.0);
}

TEST(Logreg, InterceptOnlyIsTheLogitOfTheMean) {
  const std::vector<double> y = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0};  // mean 0.3
  FeatureMatrix X;
  X.rows = static_cast<int64_t>(y.size());
  const Strings none(y.size());
  const auto m = LogregModel::fit(X, none, none, y, LogregParams{});
  EXPECT_TRUE(m.coefficients().empty());
  EXPECT_NEAR(m.intercept(), std::log(0.3 / 0.7), 1e-12);
  EXPECT_TRUE(m.converged());
}

TEST(Logreg, ConstantColumnGetsZeroWeightAndUnitScale) {
  const std::vector<double> y = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  const FeatureMatrix X = matrix({"k"}, {std::vector<double>(y.size(), 0.1)});
  const Strings none(y.size());
  const auto m = LogregModel::fit(X, none, none, y, LogregParams{});
  EXPECT_EQ(m.preprocess().stds[0], 1.0);
  EXPECT_EQ(m.preprocess().means[0], 0.1);
  EXPECT_EQ(m.coefficients()[0], 0.0);
  EXPECT_NEAR(m.intercept(), std::log(0.3 / 0.7), 1e-12);
}

TEST(Logreg, RejectsBadLabelsAndShapes) {
  const FeatureMatrix X = matrix({"x"}, {{1, 2, 3}});
  const Strings none(3);
  EXPECT_THROW(LogregModel::fit(X, none, none, {0, 1, 2}, LogregParams{}), Error);
  EXPECT_THROW(LogregModel::fit(X, none, none, {1, 1, 1}, LogregParams{}), Error);
  EXPECT_THROW(LogregModel::fit(X, none, none, {0, 1}, LogregParams{}), Error);
  EXPECT_THROW(LogregModel::fit(X, Strings(2), none, {0, 1, 0}, LogregParams{}), Error);
  LogregParams bad;
  bad.C = 0.0;
  EXPECT_THROW(LogregModel::fit(X, none, none, {0, 1, 0}, bad), Error);
  const FeatureMatrix inf = matrix({"x"}, {{1, INFINITY, 3}});
  EXPECT_THROW(LogregModel::fit(inf, none, none, {0, 1, 0}, LogregParams{}), Error);
}

// ---- preprocessing ----

TEST(Logreg, MedianImputationMatchesPredictingTheMedian) {
  // Train column {1, NaN, 4, 10, 2}: median of {1, 2, 4, 10} = 3 (mean of the middle two).
  const FeatureMatrix X = matrix({"a", "b"}, {{1, kNaN, 4, 10, 2}, {0, 1, 1, 0, 1}});
  const Strings none(5);
  const auto m = LogregModel::fit(X, none, none, {0, 1, 1, 0, 1}, LogregParams{});
  EXPECT_EQ(m.preprocess().medians[0], 3.0);
  // Mean and std are of the imputed column {1, 3, 4, 10, 2}.
  EXPECT_DOUBLE_EQ(m.preprocess().means[0], 4.0);
  EXPECT_DOUBLE_EQ(m.preprocess().stds[0], std::sqrt((9 + 1 + 0 + 36 + 4) / 5.0));

  const Strings one(1);
  const auto with_nan = m.predict(one_row(X, {kNaN, 1.0}), one, one);
  const auto with_median = m.predict(one_row(X, {3.0, 1.0}), one, one);
  EXPECT_EQ(with_nan[0], with_median[0]);
  EXPECT_NE(with_nan[0], m.predict(one_row(X, {4.0, 1.0}), one, one)[0]);
}

TEST(Logreg, AllNaNColumnImputesZero) {
  const FeatureMatrix X = matrix({"a", "b"}, {{kNaN, kNaN, kNaN, kNaN}, {1, 2, 3, 4}});
  const Strings none(4);
  const auto m = LogregModel::fit(X, none, none, {0, 1, 0, 1}, LogregParams{});
  EXPECT_EQ(m.preprocess().medians[0], 0.0);
  EXPECT_EQ(m.coefficients()[0], 0.0);
}

TEST(Logreg, UnseenAndMissingCategoriesGetAllZeroOneHot) {
  const Synthetic s = synthetic(800, 5);
  const auto m = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{});
  EXPECT_EQ(m.preprocess().campaign_vocab, (Strings{"c1", "c2", "c3"}));  // "" is not a category
  const FeatureMatrix row = one_row(s.X, {0.3, 2.0});
  const auto unseen = m.predict(row, {"never-seen"}, {"a1"});
  const auto missing = m.predict(row, {""}, {"a1"});
  EXPECT_EQ(unseen[0], missing[0]);
  // And all-zero means: intercept + numeric part + the ad set's weight only.
  const auto& pre = m.preprocess();
  const double z = m.intercept() + m.coefficients()[0] * pre.transform(0, 0.3) +
                   m.coefficients()[1] * pre.transform(1, 2.0) + m.coefficients()[2 + 3 + 1];
  EXPECT_NEAR(missing[0], sigmoid(z), 1e-15);
  EXPECT_NE(m.predict(row, {"c2"}, {"a1"})[0], missing[0]);
}

// ---- persistence and contracts ----

TEST(Logreg, JsonRoundTripGivesBitIdenticalPredictions) {
  const Synthetic s = synthetic(1500, 3);
  const auto m = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{});
  const nlohmann::json j = m.to_json();
  const auto back = LogregModel::from_json(nlohmann::json::parse(j.dump()));
  const auto p1 = m.predict(s.X, s.campaign, s.adset);
  const auto p2 = back.predict(s.X, s.campaign, s.adset);
  ASSERT_EQ(p1.size(), p2.size());
  for (size_t i = 0; i < p1.size(); ++i) ASSERT_EQ(p1[i], p2[i]) << "row " << i;
  EXPECT_EQ(back.to_json().dump(), j.dump());
  EXPECT_EQ(j["coefficients"][0]["name"], "x1");
  EXPECT_EQ(j["coefficients"][2]["name"], "campaign_id=c1");
  EXPECT_EQ(j["iterations"], m.iterations());
}

TEST(Logreg, FromJsonRejectsDamage) {
  const Synthetic s = synthetic(300, 9);
  const nlohmann::json good =
      LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{}).to_json();
  auto missing_key = good;
  missing_key.erase("stds");
  EXPECT_THROW(LogregModel::from_json(missing_key), Error);
  auto short_medians = good;
  short_medians["medians"].erase(0);
  EXPECT_THROW(LogregModel::from_json(short_medians), Error);
  auto extra_vocab = good;
  extra_vocab["campaign_vocab"].push_back("c9");  // coefficients no longer line up
  EXPECT_THROW(LogregModel::from_json(extra_vocab), Error);
  auto renamed = good;
  renamed["coefficients"][1]["name"] = "other";
  EXPECT_THROW(LogregModel::from_json(renamed), Error);
  auto not_number = good;
  not_number["intercept"] = "0.5";
  EXPECT_THROW(LogregModel::from_json(not_number), Error);
  auto wrong_type = good;
  wrong_type["iterations"] = "many";
  EXPECT_THROW(LogregModel::from_json(wrong_type), Error);
  EXPECT_THROW(LogregModel::from_json(nlohmann::json::array()), Error);
  EXPECT_NO_THROW(LogregModel::from_json(good));
}

TEST(Logreg, PredictNamesTheMissingFeature) {
  const Synthetic s = synthetic(300, 2);
  const auto m = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{});
  FeatureMatrix renamed = s.X;
  renamed.names[1] = "x2_renamed";
  try {
    m.predict(renamed, s.campaign, s.adset);
    FAIL() << "expected elv::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'x2'"), std::string::npos) << e.what();
  }
  FeatureMatrix swapped = s.X;
  std::swap(swapped.names[0], swapped.names[1]);
  std::swap(swapped.columns[0], swapped.columns[1]);
  try {
    m.predict(swapped, s.campaign, s.adset);
    FAIL() << "expected elv::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'x1'"), std::string::npos) << e.what();
  }
  FeatureMatrix extra = s.X;
  extra.names.push_back("x3");
  extra.columns.push_back(s.X.columns[0]);
  EXPECT_THROW(m.predict(extra, s.campaign, s.adset), Error);
}

TEST(Logreg, FitIsDeterministic) {
  const Synthetic s = synthetic(1000, 21);
  const auto a = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{}).to_json();
  const auto b = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{}).to_json();
  EXPECT_EQ(a.dump(), b.dump());
  // Threads only split fixed row parts, so the result does not depend on their number.
  const auto c = LogregModel::fit(s.X, s.campaign, s.adset, s.y, LogregParams{}, 3).to_json();
  EXPECT_EQ(a.dump(), c.dump());
}

}  // namespace
}  // namespace elv::model
