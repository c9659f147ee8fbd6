// The words of a reason (scoring/feature_words.h, scoring/reasons.h): every family of
// feature the table produces has words, values read as high/low/yes/no, and the six slots
// keep the largest pushes up and down.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scoring/feature_words.h"
#include "scoring/reasons.h"

namespace elv::scoring {
namespace {

TEST(FeatureWords, EveryFamilyOfTheTableHasWords) {
  EXPECT_EQ(describe_feature("ctr_7d").label, "7-day click-through rate of the ad");
  EXPECT_EQ(describe_feature("spend_sum_2d").label, "ad spend over the last 2 days");
  EXPECT_EQ(describe_feature("placement_top1_share_7d").label,
            "share of the ad's spend on its top placement (7 days)");
  EXPECT_EQ(describe_feature("geo_n_unique_14d").label,
            "regions the ad spent in over the last 14 days");
  EXPECT_EQ(describe_feature("aud_kw_hash_007").label, "ad set's audience keywords in group 007");
  EXPECT_EQ(describe_feature("creative_is_video").kind, ValueKind::kFlag);
  EXPECT_EQ(describe_feature("platform=ig").label, "came in on platform ig");
  EXPECT_EQ(describe_feature("form_id=123").label, "came in through lead form 123");
  EXPECT_EQ(describe_feature("lf_budget=10k").label, "answered 10k to form question budget");
  EXPECT_EQ(describe_feature("lf_budget=other").label, "another answer to form question budget");
  EXPECT_EQ(describe_feature("lf_team_size").label, "form answer team_size");
  EXPECT_EQ(describe_feature("lf_team_size").kind, ValueKind::kAmount);
  EXPECT_EQ(describe_feature("campaign_id").label, "the lead's campaign");
  // Unknown names keep their name (a readable fallback, never an empty label).
  EXPECT_EQ(describe_feature("something_new").label, "something_new");
  // Drift's view of the watched features is unchanged.
  EXPECT_TRUE(describe_feature("spend_sum_7d").moves_with_time);
  EXPECT_FALSE(describe_feature("ctr_7d").moves_with_time);
}

TEST(FeatureWords, ValuesInWords) {
  const FeatureWords amount = describe_feature("ctr_7d");
  EXPECT_EQ(describe_value(amount, 0.05, 0.02), "high");
  EXPECT_EQ(describe_value(amount, 0.01, 0.02), "low");
  EXPECT_EQ(describe_value(amount, 0.02, 0.02), "typical");
  EXPECT_EQ(describe_value(amount, NAN, 0.02), "missing");
  EXPECT_EQ(describe_value(amount, 0.05, NAN), "");
  EXPECT_EQ(describe_value(describe_feature("creative_is_video"), 1, NAN), "yes");
  EXPECT_EQ(describe_value(describe_feature("creative_is_video"), 0, 0), "no");
  EXPECT_EQ(describe_value(describe_feature("lead_hour"), 22, 12), "22h");
  EXPECT_EQ(describe_value(describe_feature("lead_dow"), 5, 3), "Saturday");
}

TEST(Reasons, PickTopKeepsTheThreeLargestEachWayAndDropsTinyOnes) {
  const std::vector<double> c = {0.1, -0.5, 0.7, 0.001, -0.2, 0.3, 0.2, -0.004, -0.05};
  Contribution out[2 * kReasonsPerSide];
  pick_top(c.data(), static_cast<int32_t>(c.size()), out);
  EXPECT_EQ(out[0].column, 2);
  EXPECT_EQ(out[1].column, 5);
  EXPECT_EQ(out[2].column, 6);
  EXPECT_EQ(out[3].column, 1);
  EXPECT_EQ(out[4].column, 4);
  EXPECT_EQ(out[5].column, 8);
  const std::vector<double> few = {0.001, -0.3};
  pick_top(few.data(), 2, out);
  EXPECT_EQ(out[0].column, -1);
  EXPECT_EQ(out[3].column, 1);
  EXPECT_EQ(out[4].column, -1);
}

TEST(Reasons, TextIsParseableAndHasNoSemicolonInsideAReason) {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  t.n = 1;
  t.feature_names = {"ctr_7d", "lf_q=a;b", "lead_hour"};
  t.features = {{0.05}, {1}, {23}};
  TopContributions top;
  top.names = {"ctr_7d", "lf_q=a;b", "lead_hour", "campaign_id"};
  top.reference = {0.02, 0.0, 12, NAN};
  top.rows = 1;
  const std::vector<double> c = {0.42, -0.31, 0.18, -0.02};
  top.slots.resize(2 * kReasonsPerSide);
  pick_top(c.data(), 4, top.slots.data());
  EXPECT_EQ(
      reasons_text(top, 0, t, 0),
      "7-day click-through rate of the ad high (+0.42); hour of the day the lead came in "
      "23h (+0.18); answered a,b to form question q yes (-0.31); the lead's campaign (-0.02)");
}

// A reason's contribution is printed as printf's "%+.2f" would (without printf): signs,
// rounding of exact binary ties, negative zero, and values far from ±1.
TEST(Reasons, ContributionsReadAsPrintfWritesThem) {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  t.n = 1;
  TopContributions top;
  top.names = {"x"};
  top.reference = {NAN};
  top.rows = 1;
  top.slots.resize(2 * kReasonsPerSide);
  std::vector<float> values = {0.125f,  0.375f, -0.125f, 2.675f, -0.005f, 0.005f,
                               0.015f,  -0.0f,  0.0f,    1e-8f,  -1e-8f,  1234.5f,
                               -9.995f, 3e38f,  0.42f,   -0.31f, 0.999f,  -0.994999f};
  uint64_t state = 7;
  for (int k = 0; k < 2000; ++k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    values.push_back(static_cast<float>(static_cast<int64_t>(state >> 40) - (1 << 23)) / 4096.0f);
  }
  for (float v : values) {
    top.slots[0] = {0, v};
    char expected[64];
    std::snprintf(expected, sizeof expected, "x (%+.2f)", static_cast<double>(v));
    EXPECT_EQ(reasons_text(top, 0, t, 0), expected) << v;
  }
}

}  // namespace
}  // namespace elv::scoring
