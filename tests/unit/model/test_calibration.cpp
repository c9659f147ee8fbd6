#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/calibration.h"

namespace elv::model {
namespace {

using Vec = std::vector<double>;
constexpr double kLow = 1e-6, kHigh = 1 - 1e-6;

TEST(ModelCalibration, IsotonicPoolsViolatorsAndDropsFlatInteriorPoints) {
  // raw 0.1..0.5, y = 1,0,1,0,1. PAV: [1] then 0 violates → pool {1,0} = 0.5; 1 ok; 0
  // violates → pool {1,0} = 0.5 (equal to the block before: no violation, kept apart); 1 ok.
  // Fitted: 0.5, 0.5, 0.5, 0.5, 1. Flat-run interiors 0.2 and 0.3 are dropped →
  // thresholds x = [0.1, 0.4, 0.5], y = [0.5, 0.5, 1].
  const Calibrator c = Calibrator::fit_isotonic({0.1, 0.2, 0.3, 0.4, 0.5}, {1, 0, 1, 0, 1});
  EXPECT_EQ(c.method(), "isotonic");
  const nlohmann::json j = c.to_json();
  EXPECT_EQ(j.at("x").get<Vec>(), (Vec{0.1, 0.4, 0.5}));
  EXPECT_EQ(j.at("y").get<Vec>(), (Vec{0.5, 0.5, 1.0}));
  EXPECT_DOUBLE_EQ(c.apply(0.3), 0.5);
  EXPECT_DOUBLE_EQ(c.apply(0.45), 0.75);  // halfway between (0.4, 0.5) and (0.5, 1)
  EXPECT_DOUBLE_EQ(c.apply(0.05), 0.5);   // below range: clipped to the first value
  EXPECT_DOUBLE_EQ(c.apply(0.9), kHigh);  // above range: 1, then the output clip
}

TEST(ModelCalibration, IsotonicInterpolatesBetweenThresholds) {
  // raw 0.1..0.5, y = 0,1,0,0,1. PAV: 0; 1; 0 violates → {1,0} = 1/2; 0 violates 1/2 →
  // {1,0,0} = 1/3 (≥ 0, stop); 1. Fitted 0, 1/3, 1/3, 1/3, 1 → thresholds
  // x = [0.1, 0.2, 0.4, 0.5], y = [0, 1/3, 1/3, 1].
  const Calibrator c = Calibrator::fit_isotonic({0.1, 0.2, 0.3, 0.4, 0.5}, {0, 1, 0, 0, 1});
  EXPECT_EQ(c.to_json().at("x").get<Vec>(), (Vec{0.1, 0.2, 0.4, 0.5}));
  EXPECT_DOUBLE_EQ(c.apply(0.1), kLow);        // fitted 0, clipped up
  EXPECT_NEAR(c.apply(0.15), 1.0 / 6, 1e-12);  // halfway 0 → 1/3
  EXPECT_NEAR(c.apply(0.3), 1.0 / 3, 1e-12);
  EXPECT_NEAR(c.apply(0.45), 2.0 / 3, 1e-12);  // halfway 1/3 → 1
}

TEST(ModelCalibration, IsotonicPoolsTiesAsOneWeightedPointFirst) {
  // Unsorted input; raw 0.3 appears twice with y 0, 0 → one point (0.3, mean 0, weight 2).
  // Points: (0.1, 1, w1), (0.3, 0, w2), (0.5, 1, w1). PAV pools the first two with weights:
  // (1 + 0) / 3 = 1/3 (unweighted would be 1/2). Thresholds x = [0.1, 0.3, 0.5],
  // y = [1/3, 1/3, 1]; at 0.4: halfway 1/3 → 1 = 2/3.
  const Calibrator c = Calibrator::fit_isotonic({0.3, 0.1, 0.5, 0.3}, {0, 1, 1, 0});
  EXPECT_EQ(c.to_json().at("x").get<Vec>(), (Vec{0.1, 0.3, 0.5}));
  EXPECT_NEAR(c.apply(0.2), 1.0 / 3, 1e-12);
  EXPECT_NEAR(c.apply(0.4), 2.0 / 3, 1e-12);
}

TEST(ModelCalibration, IsotonicWithASingleDistinctScoreIsConstant) {
  const Calibrator c = Calibrator::fit_isotonic({0.4, 0.4, 0.4, 0.4}, {1, 0, 0, 0});
  EXPECT_DOUBLE_EQ(c.apply(0.0), 0.25);
  EXPECT_DOUBLE_EQ(c.apply(0.4), 0.25);
  EXPECT_DOUBLE_EQ(c.apply(1.0), 0.25);
}

// 9 groups with raw p = 0.1..0.9, 1000 rows each, exactly 1000·p positives: the raw
// probabilities are already calibrated. With z = logit(p), the unsmoothed gradient at
// (a, b) = (1, 0) is Σ_groups z_g · (1000·p_g − positives_g) = 0, so (1, 0) is the exact
// maximum-likelihood fit; Platt's smoothing moves targets by ~1/4500 only.
void calibrated_sample(Vec& raw, Vec& y) {
  for (int g = 1; g <= 9; ++g)
    for (int i = 0; i < 1000; ++i) {
      raw.push_back(g / 10.0);
      y.push_back(i < g * 100 ? 1.0 : 0.0);
    }
}

TEST(ModelCalibration, SigmoidOnCalibratedInputIsNearIdentity) {
  Vec raw, y;
  calibrated_sample(raw, y);
  const Calibrator c = Calibrator::fit_sigmoid(raw, y);
  EXPECT_EQ(c.method(), "sigmoid");
  const nlohmann::json j = c.to_json();
  EXPECT_NEAR(j.at("a").get<double>(), 1.0, 0.01);
  EXPECT_NEAR(j.at("b").get<double>(), 0.0, 0.01);
  for (double p : {0.1, 0.25, 0.5, 0.75, 0.9}) EXPECT_NEAR(c.apply(p), p, 0.005) << p;
}

TEST(ModelCalibration, SigmoidIsMonotoneIncreasingOnMostlySeparableData) {
  // Labels mostly follow raw > 0.5, with one flip on each side so the fit stays finite.
  const Vec raw = {0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95};
  const Vec y = {0, 0, 1, 0, 0, 1, 1, 0, 1, 1};
  const Calibrator c = Calibrator::fit_sigmoid(raw, y);
  EXPECT_GT(c.to_json().at("a").get<double>(), 0.0);
  double previous = 0.0;
  for (int i = 1; i < 100; ++i) {
    const double out = c.apply(i / 100.0);
    EXPECT_GT(out, previous) << i;
    previous = out;
  }
}

TEST(ModelCalibration, OutputsStayStrictlyInsideZeroOne) {
  // Perfectly separable: isotonic fits exactly 0 and 1; Platt's smoothed targets (3/4 and
  // 1/4 here) keep a finite. A hand-made steep sigmoid (a = 50: raw 0 → logit(1e-6) ≈ −13.8
  // → σ(−690) ≈ 1e-300) shows the output clip itself.
  const Vec raw = {0.1, 0.2, 0.8, 0.9}, y = {0, 0, 1, 1};
  const Calibrator steep =
      Calibrator::from_json(nlohmann::json::parse(R"({"method":"sigmoid","a":50,"b":0})"));
  for (const Calibrator& c :
       {Calibrator::fit_sigmoid(raw, y), Calibrator::fit_isotonic(raw, y), steep}) {
    for (double p : {0.0, 1e-12, 0.1, 0.9, 1.0 - 1e-12, 1.0}) {
      const double out = c.apply(p);
      EXPECT_GE(out, kLow) << c.method() << " " << p;
      EXPECT_LE(out, kHigh) << c.method() << " " << p;
    }
  }
  for (const Calibrator& c : {Calibrator::fit_isotonic(raw, y), steep}) {
    EXPECT_DOUBLE_EQ(c.apply(0.0), kLow) << c.method();
    EXPECT_DOUBLE_EQ(c.apply(1.0), kHigh) << c.method();
  }
}

TEST(ModelCalibration, SigmoidFitStaysFiniteOnSeparableData) {
  // Smoothed targets t+ = (2+1)/(2+2) = 3/4 and t− = 1/(2+2) = 1/4 (N+ = N− = 2): by symmetry
  // of the logits (±ln 4, ±ln 9) b = 0, and a stays finite: the fit is pulled toward the
  // targets instead of toward 0/1.
  const Calibrator c = Calibrator::fit_sigmoid({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1});
  const nlohmann::json j = c.to_json();
  EXPECT_TRUE(std::isfinite(j.at("a").get<double>()));
  EXPECT_GT(j.at("a").get<double>(), 0.0);
  EXPECT_NEAR(j.at("b").get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(c.apply(0.5), 0.5, 1e-9);
  EXPECT_GT(c.apply(0.1), 0.1);  // pulled toward 1/4 by the smoothing
  EXPECT_LT(c.apply(0.9), 0.9);
}

TEST(ModelCalibration, VectorApplyMatchesScalarApply) {
  const Calibrator c = Calibrator::fit_isotonic({0.1, 0.2, 0.3, 0.4, 0.5}, {0, 1, 0, 0, 1});
  const Vec in = {0.0, 0.15, 0.33, 0.45, 1.0};
  const Vec out = c.apply(in);
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i], c.apply(in[i]));
}

TEST(ModelCalibration, JsonRoundTripGivesIdenticalOutputs) {
  Vec raw, y;
  calibrated_sample(raw, y);
  raw[3] = 0.123456789012345;  // a value that needs full precision in text
  for (const Calibrator& original :
       {Calibrator::fit_sigmoid(raw, y), Calibrator::fit_isotonic(raw, y)}) {
    const Calibrator loaded =
        Calibrator::from_json(nlohmann::json::parse(original.to_json().dump()));
    EXPECT_EQ(loaded.method(), original.method());
    for (int i = 0; i <= 1000; ++i)
      EXPECT_EQ(loaded.apply(i / 1000.0), original.apply(i / 1000.0)) << original.method() << i;
  }
}

TEST(ModelCalibration, FromJsonRejectsMalformedObjects) {
  using nlohmann::json;
  const std::vector<json> bad = {
      json::array({1, 2}),
      json::parse(R"({"a": 1, "b": 0})"),  // no method
      json::parse(R"({"method": 3, "a": 1, "b": 0})"),
      json::parse(R"({"method": "beta", "a": 1, "b": 0})"),
      json::parse(R"({"method": "sigmoid", "a": "1", "b": 0})"),
      json::parse(R"({"method": "sigmoid", "a": 1})"),
      json::parse(R"({"method": "isotonic", "x": [0.1, 0.2], "y": [0.5]})"),
      json::parse(R"({"method": "isotonic", "x": [], "y": []})"),
      json::parse(R"({"method": "isotonic", "x": [0.2, 0.1], "y": [0.1, 0.5]})"),
      json::parse(R"({"method": "isotonic", "x": [0.1, 0.2], "y": [0.5, 0.1]})"),
      json::parse(R"({"method": "isotonic", "x": [0.1, "a"], "y": [0.1, 0.5]})"),
      json::parse(R"({"method": "isotonic", "x": 0.1, "y": 0.5})"),
  };
  for (const json& j : bad) EXPECT_THROW(Calibrator::from_json(j), elv::Error) << j.dump();
}

TEST(ModelCalibration, UnfittedCalibratorRefusesToWork) {
  const Calibrator unfitted;
  EXPECT_EQ(unfitted.method(), "");
  EXPECT_THROW(unfitted.apply(0.5), elv::Error);
  EXPECT_THROW(unfitted.apply(Vec{0.5}), elv::Error);
  EXPECT_THROW(unfitted.to_json(), elv::Error);
}

TEST(ModelCalibration, FitRejectsBadInputs) {
  EXPECT_THROW(Calibrator::fit_sigmoid({}, {}), elv::Error);
  EXPECT_THROW(Calibrator::fit_isotonic({0.1, 0.2}, {1}), elv::Error);
  EXPECT_THROW(Calibrator::fit_sigmoid({0.1, 0.2}, {1, 3}), elv::Error);
}

}  // namespace
}  // namespace elv::model
