// The drift policy (scoring/drift_policy.h, docs/DRIFT.md): hand-made PSIs to verdicts.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scoring/drift_policy.h"
#include "scoring/psi.h"

namespace elv::scoring {
namespace {

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

TEST(DriftPolicy, LevelsFollowTheStatedThresholds) {
  EXPECT_EQ(drift_level(0.0), DriftLevel::kStable);
  EXPECT_EQ(drift_level(0.099), DriftLevel::kStable);
  EXPECT_EQ(drift_level(0.1), DriftLevel::kModerate);
  EXPECT_EQ(drift_level(0.25), DriftLevel::kModerate);
  EXPECT_EQ(drift_level(0.251), DriftLevel::kMajor);
  EXPECT_EQ(drift_level(kUnknown), DriftLevel::kNotComputable);
  EXPECT_EQ(level_name(DriftLevel::kMajor), "major");
}

TEST(DriftPolicy, ReadableNamesFromOneTable) {
  EXPECT_EQ(describe_feature("ctr_7d").label, "7-day click-through rate of the ad");
  EXPECT_EQ(describe_feature("cpm_14d").label, "14-day cost per 1,000 impressions of the ad");
  EXPECT_EQ(describe_feature("spend_sum_7d").label, "ad spend over the last 7 days");
  EXPECT_EQ(describe_feature("lead_dow").label, "day of the week the lead came in");
  EXPECT_EQ(describe_feature("mystery_feature").label, "mystery_feature");
  EXPECT_TRUE(describe_feature("spend_sum_7d").moves_with_time);
  EXPECT_TRUE(describe_feature("active_days_7d").moves_with_time);
  EXPECT_TRUE(describe_feature("spend_trend_ratio_2vprev").moves_with_time);
  EXPECT_TRUE(describe_feature("lead_hour").moves_with_time);
  EXPECT_FALSE(describe_feature("ctr_7d").moves_with_time);
  EXPECT_FALSE(describe_feature("mystery_feature").moves_with_time);
}

TEST(DriftPolicy, AMajorMoveOfASteadyFeatureIsAnAlarmWithANextStep) {
  const DriftJudgement j = judge_drift("ctr_7d", 0.6, kUnknown);
  EXPECT_EQ(j.level, DriftLevel::kMajor);
  EXPECT_TRUE(j.alarm);
  EXPECT_EQ(j.verdict, "moved a lot");
  EXPECT_NE(j.next_step.find("retrain with recent data"), std::string::npos) << j.next_step;
  EXPECT_NE(j.next_step.find("check the export of ads.csv"), std::string::npos) << j.next_step;
}

TEST(DriftPolicy, FeaturesThatMoveWithTimeNeverAlarm) {
  const DriftJudgement j = judge_drift("spend_sum_7d", 3.0, kUnknown);
  EXPECT_EQ(j.level, DriftLevel::kMajor);
  EXPECT_TRUE(j.expected_to_move);
  EXPECT_FALSE(j.alarm);
  EXPECT_EQ(j.verdict, "moved, as expected over time");
  EXPECT_EQ(j.next_step.rfind("nothing needed", 0), 0u) << j.next_step;
}

TEST(DriftPolicy, AMoveNoLargerThanWithinTrainingIsNoAlarm) {
  const DriftJudgement within = judge_drift("ctr_7d", 0.45, 0.89);
  EXPECT_FALSE(within.alarm);
  EXPECT_EQ(within.verdict, "moved, about as much as during training");
  // A little more than within training is still ordinary (seen on the demo: 0.53 vs 0.45).
  EXPECT_FALSE(judge_drift("cpc_7d", 0.53, 0.45).alarm);
  EXPECT_FALSE(judge_drift("cpc_7d", 0.70, 0.45).alarm);
  // Beyond it by more than a major move: an alarm.
  EXPECT_TRUE(judge_drift("cpc_7d", 0.71, 0.45).alarm);
  EXPECT_TRUE(judge_drift("ctr_7d", 0.30, 0.02).alarm);
}

TEST(DriftPolicy, ModerateAndStableAreNoAlarm) {
  EXPECT_FALSE(judge_drift("ctr_7d", 0.2, kUnknown).alarm);
  EXPECT_EQ(judge_drift("ctr_7d", 0.2, kUnknown).verdict, "moved a little");
  EXPECT_EQ(judge_drift("ctr_7d", 0.05, kUnknown).verdict, "stable");
  EXPECT_TRUE(judge_drift("ctr_7d", 0.05, kUnknown).next_step.empty());
  EXPECT_FALSE(judge_drift("ctr_7d", kUnknown, kUnknown).alarm);
}

TEST(DriftPolicy, Headlines) {
  std::vector<DriftJudgement> calm = {judge_drift("ctr_7d", 0.01, kUnknown),
                                      judge_drift("lead_hour", 0.02, kUnknown)};
  EXPECT_EQ(drift_headline(calm),
            "No drift alarm: all 2 watched features are stable (PSI below 0.10).");
  std::vector<DriftJudgement> moved = {judge_drift("spend_sum_7d", 0.8, kUnknown),
                                       judge_drift("ctr_7d", 0.01, kUnknown)};
  EXPECT_EQ(drift_headline(moved).rfind("No drift alarm: 1 of 2 watched features moved", 0), 0u)
      << drift_headline(moved);
  std::vector<DriftJudgement> alarms = {judge_drift("ctr_7d", 0.8, kUnknown),
                                        judge_drift("cpc_7d", 0.5, 0.1),
                                        judge_drift("spend_sum_7d", 0.8, kUnknown)};
  EXPECT_EQ(drift_headline(alarms).rfind("2 features moved a lot: 7-day click-through rate of "
                                         "the ad, 7-day cost per click of the ad.",
                                         0),
            0u)
      << drift_headline(alarms);
}

TEST(DriftPolicy, PsiOverTimeMeasuresTheSecondHalfAgainstTheFirst) {
  std::vector<double> steady, trending;
  for (int i = 0; i < 1000; ++i) {
    steady.push_back(i % 10);
    trending.push_back(i);  // every later value above every earlier one
  }
  EXPECT_LT(psi_over_time(steady), 1e-9);
  EXPECT_GT(psi_over_time(trending), 5.0);
  EXPECT_TRUE(std::isnan(psi_over_time({1.0})));
}

TEST(DriftPolicy, ExpectedPsiRoundTripsThroughJson) {
  PsiReference ref = psi_reference("ctr_7d", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_TRUE(std::isnan(ref.expected_psi));
  EXPECT_FALSE(to_json(ref).contains("expected_psi"));  // older readers see what they know
  ref.expected_psi = 0.42;
  EXPECT_DOUBLE_EQ(psi_reference_from_json(to_json(ref)).expected_psi, 0.42);
}

}  // namespace
}  // namespace elv::scoring
