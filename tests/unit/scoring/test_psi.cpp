#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "scoring/psi.h"

namespace elv::scoring {
namespace {

using Vec = std::vector<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = 1e-6;

// One PSI term, written out so expectations read like the formula.
double term(double a, double e) { return (a - e) * std::log((a + kEps) / (e + kEps)); }

Vec one_to(int n) {
  Vec v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

TEST(ScoringPsi, DecileEdgesOnOneToTen) {
  // m = 10: edge k = sorted[ceil(k·10/10) − 1] = k, so edges 1..9; bins (−∞,1], (1,2], …,
  // (9,∞) hold one value each → 0.1; missing bin 0.
  const PsiReference ref = psi_reference("x", one_to(10));
  EXPECT_EQ(ref.feature, "x");
  EXPECT_EQ(ref.edges, (Vec{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  ASSERT_EQ(ref.expected.size(), 11u);
  for (size_t i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(ref.expected[i], 0.1) << i;
  EXPECT_DOUBLE_EQ(ref.expected[10], 0.0);
}

TEST(ScoringPsi, DuplicateQuantilesCollapse) {
  // [0×6, 1, 2, 3, 4]: edges k=1..6 → sorted[k−1] = 0 (six times, de-duplicated), k=7 → 1,
  // k=8 → 2, k=9 → 3. Bins (−∞,0]=6/10, (0,1]=1/10, (1,2], (2,3], (3,∞) = 1/10 each.
  const PsiReference ref = psi_reference("x", {0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
  EXPECT_EQ(ref.edges, (Vec{0, 1, 2, 3}));
  EXPECT_EQ(ref.expected, (Vec{0.6, 0.1, 0.1, 0.1, 0.1, 0.0}));
}

TEST(ScoringPsi, IdenticalDistributionsGiveZero) {
  const Vec values = {3.5, 1, 7, 7, 2, kNaN, 9, 4, 4, 4, 12, 0.5};
  const PsiReference ref = psi_reference("x", values);
  EXPECT_DOUBLE_EQ(psi(ref, values), 0.0);
  // Same shares in a different order and twice the size: still 0.
  Vec doubled = values;
  doubled.insert(doubled.begin(), values.rbegin(), values.rend());
  EXPECT_NEAR(psi(ref, doubled), 0.0, 1e-15);
}

TEST(ScoringPsi, ShiftedCaseByHand) {
  // Reference [1,2,3,4], 2 bins: edge = sorted[ceil(1·4/2) − 1] = 2 → bins (−∞,2], (2,∞):
  // expected [0.5, 0.5, 0]. Actual [1,1,1,4] → [0.75, 0.25, 0].
  // PSI = 0.25·ln(0.75/0.5) + (−0.25)·ln(0.25/0.5) = 0.25·(ln 1.5 + ln 2) = 0.25·ln 3 ≈ 0.2747
  // (the ε terms shift this by < 1e-6).
  const PsiReference ref = psi_reference("x", {1, 2, 3, 4}, 2);
  EXPECT_EQ(ref.edges, (Vec{2}));
  const double value = psi(ref, {1, 1, 1, 4});
  EXPECT_DOUBLE_EQ(value, term(0.75, 0.5) + term(0.25, 0.5) + term(0, 0));
  EXPECT_NEAR(value, 0.25 * std::log(3.0), 1e-5);
}

TEST(ScoringPsi, ValueOnAnEdgeGoesToTheLowerBin) {
  // Reference [1,2,2,3], 2 bins: edge = sorted[1] = 2; right-closed bins put both 2s below:
  // expected [3/4, 1/4, 0].
  const PsiReference ref = psi_reference("x", {1, 2, 2, 3}, 2);
  EXPECT_EQ(ref.edges, (Vec{2}));
  EXPECT_EQ(ref.expected, (Vec{0.75, 0.25, 0.0}));
  // Actual [2, 2, 2, 9]: 2 is on the edge → lower bin → [0.75, 0.25, 0] → PSI 0. Were the
  // edge counted upward it would be [0, 1, 0] and far from 0.
  EXPECT_DOUBLE_EQ(psi(ref, {2, 2, 2, 9}), 0.0);
}

TEST(ScoringPsi, ConstantFeatureHasOneValueBin) {
  // Every quantile is 5, which is also the maximum → dropped: no edges, expected
  // [3/4 present, 1/4 missing].
  const PsiReference ref = psi_reference("x", {5, 5, kNaN, 5});
  EXPECT_TRUE(ref.edges.empty());
  EXPECT_EQ(ref.expected, (Vec{0.75, 0.25}));
  EXPECT_DOUBLE_EQ(psi(ref, {5, 5, 5, kNaN}), 0.0);
  // With a single value bin only the missing rate can move: actual all present → [1, 0].
  EXPECT_DOUBLE_EQ(psi(ref, {7, 8}), term(1, 0.75) + term(0, 0.25));
}

TEST(ScoringPsi, AllNullReference) {
  const PsiReference ref = psi_reference("x", {kNaN, kNaN, kNaN});
  EXPECT_TRUE(ref.edges.empty());
  EXPECT_EQ(ref.expected, (Vec{0.0, 1.0}));
  EXPECT_DOUBLE_EQ(psi(ref, {kNaN}), 0.0);
  // Actual all present: [1, 0] vs [0, 1] → 1·ln((1+ε)/ε) + (−1)·ln(ε/(1+ε)) = 2·ln(1e6+1).
  EXPECT_NEAR(psi(ref, {1, 2}), 2 * std::log(1e6 + 1), 1e-9);
}

TEST(ScoringPsi, NullRateShiftRaisesPsi) {
  // Reference [1,2,3,4] (no nulls), 2 bins: expected [0.5, 0.5, 0]. Actual [1, 3, NaN, NaN]
  // → [0.25, 0.25, 0.5]: PSI = 2·(−0.25)·ln(0.25/0.5) + 0.5·ln(0.5/ε) ≈ 0.347 + 6.56.
  const PsiReference ref = psi_reference("x", {1, 2, 3, 4}, 2);
  const double value = psi(ref, {1, 3, kNaN, kNaN});
  EXPECT_DOUBLE_EQ(value, 2 * term(0.25, 0.5) + term(0.5, 0.0));
  EXPECT_GT(value, 0.2);
  // Infinity counts as missing too.
  EXPECT_DOUBLE_EQ(psi(ref, {1, 3, INFINITY, -INFINITY}), value);
}

TEST(ScoringPsi, EmptyInputsGiveNaN) {
  const PsiReference ref = psi_reference("x", one_to(10));
  EXPECT_TRUE(std::isnan(psi(ref, {})));
  const PsiReference empty_ref = psi_reference("x", {});
  EXPECT_EQ(empty_ref.expected, (Vec{0.0, 0.0}));
  EXPECT_TRUE(std::isnan(psi(empty_ref, {1, 2})));
}

TEST(ScoringPsi, InconsistentReferenceThrows) {
  const PsiReference bad{"x", {1, 2}, {0.5, 0.5}};  // needs 4 shares
  EXPECT_THROW(psi(bad, {1}), elv::Error);
  EXPECT_THROW(psi_reference("x", {1, 2}, 0), elv::Error);
}

TEST(ScoringPsi, JsonRoundTrip) {
  const Vec reference = {0.1, 0.7, 0.33333333333333331, 2.5, kNaN, 9, 4.25, 4.25, 1e-9, 3};
  const PsiReference ref = psi_reference("spend_7d", reference);
  const nlohmann::json j = to_json(ref);
  EXPECT_EQ(j.at("feature"), "spend_7d");
  const PsiReference loaded = psi_reference_from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(loaded.feature, ref.feature);
  EXPECT_EQ(loaded.edges, ref.edges);
  EXPECT_EQ(loaded.expected, ref.expected);
  const Vec actual = {0.2, 5, 5, kNaN, kNaN, 0.3333, 100};
  EXPECT_EQ(psi(loaded, actual), psi(ref, actual));
}

TEST(ScoringPsi, FromJsonRejectsMalformedObjects) {
  using nlohmann::json;
  const std::vector<json> bad = {
      json::array(),
      json::parse(R"({"edges": [], "expected": [1, 0]})"),
      json::parse(R"({"feature": "x", "edges": [1], "expected": [1, 0]})"),
      json::parse(R"({"feature": "x", "edges": [2, 1], "expected": [0.2, 0.3, 0.5, 0]})"),
      json::parse(R"({"feature": "x", "edges": "1", "expected": [1, 0]})"),
      json::parse(R"({"feature": "x", "edges": [], "expected": [1.5, -0.5]})"),
      json::parse(R"({"feature": "x", "edges": [null], "expected": [0.5, 0.5, 0]})"),
  };
  for (const json& j : bad) EXPECT_THROW(psi_reference_from_json(j), elv::Error) << j.dump();
}

}  // namespace
}  // namespace elv::scoring
