#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/metrics.h"

namespace elv::model {
namespace {

using Vec = std::vector<double>;

TEST(ModelMetrics, RocAucCountsCorrectlyOrderedPairs) {
  // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs (pos > neg): 0.35>0.1 yes, 0.35>0.4 no,
  // 0.8>0.1 yes, 0.8>0.4 yes → 3 of 4 = 0.75.
  EXPECT_DOUBLE_EQ(roc_auc({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 0.75);
}

TEST(ModelMetrics, RocAucCountsTiedPairsAsHalf) {
  // Positives 0.5, 0.9; negatives 0.5, 0.2. Pairs: (0.5,0.5) tie = 1/2, (0.5,0.2) = 1,
  // (0.9,0.5) = 1, (0.9,0.2) = 1 → 3.5 / 4 = 0.875. Same via average ranks: ranks 0.2→1,
  // 0.5→2.5 (twice), 0.9→4; positives' rank sum 6.5 − 2·3/2 = 3.5.
  EXPECT_DOUBLE_EQ(roc_auc({0, 1, 0, 1}, {0.5, 0.5, 0.2, 0.9}), 0.875);
}

TEST(ModelMetrics, RocAucIsNaNWithOneClass) {
  EXPECT_TRUE(std::isnan(roc_auc({0, 0, 0}, {0.1, 0.5, 0.9})));
  EXPECT_TRUE(std::isnan(roc_auc({1, 1}, {0.1, 0.5})));
  EXPECT_TRUE(std::isnan(roc_auc({}, {})));
}

TEST(ModelMetrics, RocAucMatchesPairCountingWithManyTies) {
  // The sort-based computation must equal the O(n²) definition: over all (positive,
  // negative) pairs, 1 if the positive scores higher, 1/2 if tied. Scores on a coarse grid
  // (10 values) so most pairs are ties; labels from a fixed linear congruential sequence.
  Vec y, p;
  uint32_t state = 12345;
  for (int i = 0; i < 300; ++i) {
    state = state * 1664525u + 1013904223u;
    p.push_back(static_cast<double>((state >> 8) % 10) / 10.0);
    state = state * 1664525u + 1013904223u;
    y.push_back(((state >> 8) % 100) < 30 + 40 * p.back() ? 1.0 : 0.0);
  }
  double pairs = 0, credit = 0;
  for (size_t i = 0; i < y.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        credit += p[i] > p[j] ? 1.0 : p[i] == p[j] ? 0.5 : 0.0;
      }
  EXPECT_NEAR(roc_auc(y, p), credit / pairs, 1e-12);
}

TEST(ModelMetrics, AveragePrecisionMatchesScikitLearnExample) {
  // Thresholds descending: 0.8 → TP 1, FP 0: P 1, R 1/2; 0.4 → P 1/2, R 1/2 (no recall
  // gain); 0.35 → P 2/3, R 1. AP = 1/2·1 + 0 + 1/2·2/3 = 5/6 (scikit-learn doc: 0.83).
  EXPECT_DOUBLE_EQ(average_precision({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 5.0 / 6.0);
}

TEST(ModelMetrics, AveragePrecisionTreatsTiesAsOneThreshold) {
  // y=[1,0,1,0,1], p=[0.9,0.8,0.8,0.3,0.1]; 3 positives. Thresholds:
  //   0.9: TP 1 FP 0 → P 1,   R 1/3
  //   0.8: TP 2 FP 1 → P 2/3, R 2/3 (both tied rows at once)
  //   0.3: TP 2 FP 2 → P 1/2, R 2/3 (no gain)
  //   0.1: TP 3 FP 2 → P 3/5, R 1
  // AP = 1/3·1 + 1/3·2/3 + 0 + 1/3·3/5 = 15/45 + 10/45 + 9/45 = 34/45.
  // (Splitting the tie as 1-then-0 would give 1/3 + 1/3·1 + … — a different, wrong value.)
  EXPECT_DOUBLE_EQ(average_precision({1, 0, 1, 0, 1}, {0.9, 0.8, 0.8, 0.3, 0.1}), 34.0 / 45.0);
}

TEST(ModelMetrics, AveragePrecisionIsNaNWithoutPositives) {
  EXPECT_TRUE(std::isnan(average_precision({0, 0}, {0.3, 0.6})));
}

TEST(ModelMetrics, Brier) {
  // (0.9−1)² + (0.2−0)² + (0.6−1)² + (0.5−0)² = 0.01 + 0.04 + 0.16 + 0.25 = 0.46; / 4.
  EXPECT_NEAR(brier({1, 0, 1, 0}, {0.9, 0.2, 0.6, 0.5}), 0.115, 1e-15);
}

TEST(ModelMetrics, LogLossOnOrdinaryProbabilities) {
  // (−ln 0.8 − ln(1 − 0.4)) / 2.
  EXPECT_NEAR(log_loss({1, 0}, {0.8, 0.4}), (-std::log(0.8) - std::log(0.6)) / 2, 1e-15);
}

TEST(ModelMetrics, LogLossClipsCertainPredictions) {
  // Two confident misses (y=1,p=0 and y=0,p=1) each cost −ln(1e-15) = 15·ln 10; two
  // confident hits cost ≈0 (−ln(1 − 1e-15) ≈ 1e-15). Mean = 2·15·ln 10 / 4 = 7.5·ln 10.
  const double value = log_loss({1, 0, 1, 0}, {0, 1, 1, 0});
  EXPECT_TRUE(std::isfinite(value));
  EXPECT_NEAR(value, 7.5 * std::log(10.0), 1e-12);
}

TEST(ModelMetrics, CalibrationBinsAndEceByHand) {
  // 2 bins: [0, 0.5) gets p 0.1, 0.3 (y 0, 1): mean_pred 0.2, frac_pos 0.5, gap 0.3.
  // [0.5, 1] gets p 0.6, 0.7, 0.9 (y 1, 0, 1): mean_pred 2.2/3, frac_pos 2/3, gap 0.2/3.
  // ECE = 2/5·0.3 + 3/5·0.2/3 = 0.12 + 0.04 = 0.16.
  const Calibration c = calibration_bins({0, 1, 1, 0, 1}, {0.1, 0.3, 0.6, 0.7, 0.9}, 2);
  ASSERT_EQ(c.bins.size(), 2u);
  EXPECT_EQ(c.bins[0].count, 2);
  EXPECT_DOUBLE_EQ(c.bins[0].lower, 0.0);
  EXPECT_DOUBLE_EQ(c.bins[0].upper, 0.5);
  EXPECT_NEAR(c.bins[0].mean_pred, 0.2, 1e-15);
  EXPECT_DOUBLE_EQ(c.bins[0].frac_pos, 0.5);
  EXPECT_EQ(c.bins[1].count, 3);
  EXPECT_NEAR(c.bins[1].mean_pred, 2.2 / 3, 1e-15);
  EXPECT_DOUBLE_EQ(c.bins[1].frac_pos, 2.0 / 3);
  EXPECT_NEAR(c.ece, 0.16, 1e-12);
}

TEST(ModelMetrics, CalibrationBinBoundariesGoUpAndOneIsInLastBin) {
  // 0.5 is the lower bound of bin 1; 1.0 belongs to the last bin (closed on the right).
  const Calibration c = calibration_bins({0, 1}, {0.5, 1.0}, 2);
  EXPECT_EQ(c.bins[0].count, 0);
  EXPECT_EQ(c.bins[1].count, 2);
}

TEST(ModelMetrics, EmptyCalibrationBinIsReportedWithCountZero) {
  // 4 bins of width 0.25; nothing lands in [0.25, 0.5) or [0.5, 0.75).
  const Calibration c = calibration_bins({0, 1, 1}, {0.1, 0.8, 0.9}, 4);
  ASSERT_EQ(c.bins.size(), 4u);
  EXPECT_EQ(c.bins[1].count, 0);
  EXPECT_DOUBLE_EQ(c.bins[1].lower, 0.25);
  EXPECT_DOUBLE_EQ(c.bins[1].upper, 0.5);
  EXPECT_TRUE(std::isnan(c.bins[1].mean_pred));
  EXPECT_TRUE(std::isnan(c.bins[1].frac_pos));
  EXPECT_EQ(c.bins[2].count, 0);
  // ECE only over non-empty bins: 1/3·|0 − 0.1| + 2/3·|1 − 0.85| = 0.1/3 + 0.1 = 0.4/3.
  EXPECT_NEAR(c.ece, 0.4 / 3, 1e-12);
}

// 10 rows, positives at indexes 0, 2, 7 (overall rate 0.3). Ranking by p descending with
// ties by index: i0 (0.9, y1), i1 (0.8, y0), i2 (0.8, y1), i7 (0.75, y1), i4, i9, i6, i3,
// i5, i8.
const Vec kTenY = {1, 0, 1, 0, 0, 0, 0, 1, 0, 0};
const Vec kTenP = {0.9, 0.8, 0.8, 0.2, 0.7, 0.1, 0.3, 0.75, 0.05, 0.4};

TEST(ModelMetrics, LiftAtKOnTenRows) {
  // k = ceil(0.3·10) = 3: i0, i1, i2 → 2 positives. topk_rate 2/3, lift (2/3)/0.3 = 20/9,
  // capture 2/3.
  const LiftAtK l = lift_at_k(kTenY, kTenP, 0.3);
  EXPECT_EQ(l.k, 3);
  EXPECT_DOUBLE_EQ(l.topk_frac, 0.3);
  EXPECT_DOUBLE_EQ(l.overall_rate, 0.3);
  EXPECT_DOUBLE_EQ(l.topk_rate, 2.0 / 3);
  EXPECT_NEAR(l.lift, 20.0 / 9, 1e-12);
  EXPECT_DOUBLE_EQ(l.capture, 2.0 / 3);
}

TEST(ModelMetrics, LiftAtKBreaksTiesByIndex) {
  // k = 2: i0 then, of the tied i1 (y0) and i2 (y1), the lower index i1 → 1 positive.
  // (Taking i2 would give 2.) topk_rate 1/2, lift 0.5/0.3 = 5/3, capture 1/3.
  const LiftAtK l = lift_at_k(kTenY, kTenP, 0.2);
  EXPECT_EQ(l.k, 2);
  EXPECT_DOUBLE_EQ(l.topk_rate, 0.5);
  EXPECT_NEAR(l.lift, 5.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(l.capture, 1.0 / 3);
}

TEST(ModelMetrics, LiftAtKSizeRoundsUpAndAtLeastOne) {
  EXPECT_EQ(lift_at_k(kTenY, kTenP, 0.05).k, 1);  // ceil(0.5) = 1
  EXPECT_EQ(lift_at_k(kTenY, kTenP, 0.01).k, 1);  // ceil(0.1) = 1
  EXPECT_EQ(lift_at_k(kTenY, kTenP, 0.25).k, 3);  // ceil(2.5) = 3
  EXPECT_EQ(lift_at_k(kTenY, kTenP, 1.0).k, 10);
  // 0.07·100 is 7.000000000000001 in doubles; k must still be 7.
  const Vec y(100, 0.0), p(100, 0.5);
  EXPECT_EQ(lift_at_k(y, p, 0.07).k, 7);
  EXPECT_THROW(lift_at_k(kTenY, kTenP, 0.0), elv::Error);
  EXPECT_THROW(lift_at_k(kTenY, kTenP, 1.5), elv::Error);
}

TEST(ModelMetrics, LiftIsNaNWithoutPositives) {
  const LiftAtK l = lift_at_k({0, 0, 0}, {0.1, 0.2, 0.3}, 0.5);
  EXPECT_DOUBLE_EQ(l.overall_rate, 0.0);
  EXPECT_TRUE(std::isnan(l.lift));
  EXPECT_TRUE(std::isnan(l.capture));
}

TEST(ModelMetrics, CaptureCurveByHand) {
  // 5 points on 10 rows → top 2, 4, 6, 8, 10 rows: positives 1 (i0), 3 (i0, i2, i7),
  // 3, 3, 3 of 3.
  const std::vector<CurvePoint> curve = capture_curve(kTenY, kTenP, 5);
  ASSERT_EQ(curve.size(), 6u);
  const Vec expected_leads = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
  const Vec expected_pos = {0, 1.0 / 3, 1, 1, 1, 1};
  for (size_t i = 0; i < curve.size(); ++i) {
    EXPECT_DOUBLE_EQ(curve[i].frac_leads, expected_leads[i]) << i;
    EXPECT_DOUBLE_EQ(curve[i].frac_positives, expected_pos[i]) << i;
  }
}

TEST(ModelMetrics, CaptureCurveStartsAtZeroEndsAtOneAndIsMonotone) {
  const std::vector<CurvePoint> curve = capture_curve(kTenY, kTenP);  // 50 points
  ASSERT_EQ(curve.size(), 51u);
  EXPECT_DOUBLE_EQ(curve.front().frac_leads, 0.0);
  EXPECT_DOUBLE_EQ(curve.front().frac_positives, 0.0);
  EXPECT_DOUBLE_EQ(curve.back().frac_leads, 1.0);
  EXPECT_DOUBLE_EQ(curve.back().frac_positives, 1.0);
  for (size_t i = 1; i < curve.size(); ++i) {
    EXPECT_GT(curve[i].frac_leads, curve[i - 1].frac_leads) << i;
    EXPECT_GE(curve[i].frac_positives, curve[i - 1].frac_positives) << i;
  }
}

TEST(ModelMetrics, MismatchedOrInvalidInputsThrow) {
  EXPECT_THROW(roc_auc({0, 1}, {0.5}), elv::Error);
  EXPECT_THROW(brier({0, 2}, {0.5, 0.5}), elv::Error);
  EXPECT_THROW(average_precision({0, 1}, {0.5, std::nan("")}), elv::Error);
}

TEST(ModelMetrics, CoreMetricsJsonHasAllKeysAndNullForNaN) {
  // One class only: roc_auc, pr_auc, lift and capture are undefined → null.
  const CoreMetrics m = core_metrics({0, 0, 0, 0}, {0.1, 0.2, 0.3, 0.9}, 0.5, 2);
  const nlohmann::json j = to_json(m);
  EXPECT_TRUE(j.at("roc_auc").is_null());
  EXPECT_TRUE(j.at("pr_auc").is_null());
  EXPECT_TRUE(j.at("lift_at_k").at("lift").is_null());
  EXPECT_TRUE(j.at("lift_at_k").at("capture").is_null());
  EXPECT_EQ(j.at("lift_at_k").at("k"), 2);
  // Brier = (0.01 + 0.04 + 0.09 + 0.81) / 4 = 0.2375.
  EXPECT_NEAR(j.at("brier").get<double>(), 0.2375, 1e-15);
  EXPECT_TRUE(j.at("log_loss").is_number());
  EXPECT_EQ(j.at("lift_curve").size(), 51u);
  EXPECT_TRUE(j.at("lift_curve")[1].at("frac_positives").is_null());
  ASSERT_EQ(j.at("calibration").at("bins").size(), 2u);
  EXPECT_EQ(j.at("calibration").at("bins")[1].at("count"), 1);
  EXPECT_TRUE(j.at("calibration").at("ece").is_number());
  // The text form carries null too (no "NaN" token, which would be invalid JSON).
  EXPECT_EQ(j.dump().find("NaN"), std::string::npos);
}

TEST(ModelMetrics, CoreMetricsJsonEmptyBinHasNullMeans) {
  const nlohmann::json j = to_json(core_metrics({0, 1}, {0.1, 0.2}, 0.5, 2));
  const nlohmann::json& empty_bin = j.at("calibration").at("bins")[1];
  EXPECT_EQ(empty_bin.at("count"), 0);
  EXPECT_TRUE(empty_bin.at("mean_pred").is_null());
  EXPECT_TRUE(empty_bin.at("frac_pos").is_null());
  EXPECT_DOUBLE_EQ(j.at("roc_auc").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j.at("lift_at_k").at("capture").get<double>(), 1.0);  // top 1 = i1
}

}  // namespace
}  // namespace elv::model
