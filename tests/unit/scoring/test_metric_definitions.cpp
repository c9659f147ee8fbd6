#include <set>
#include <string>

#include <gtest/gtest.h>

#include "scoring/metric_definitions.h"

namespace elv::scoring {
namespace {

// Every figure the leaderboards and the overview show has a label and a definition, and no
// column is defined twice.
TEST(MetricDefinitions, EveryLeaderboardAndOverviewFigureIsDefinedOnce) {
  std::set<std::string> seen;
  for (const MetricDefinition& d : metric_definitions()) {
    EXPECT_TRUE(seen.insert(std::string(d.column)).second) << d.column;
    EXPECT_FALSE(d.label.empty()) << d.column;
    EXPECT_GT(d.definition.size(), 10u) << d.column;
    EXPECT_EQ(d.definition.back(), '.') << d.column;  // a sentence
  }
  for (const char* column :
       {"spend", "lead_count", "predicted_elv", "avg_elv", "labeled_count", "positive_rate_labeled",
        "low_volume", "elv_per_spend", "cpl", "expected_profit", "roi", "expected_profit_per_lead",
        "expected_qualified", "cost_per_expected_qualified"})
    EXPECT_TRUE(seen.count(column)) << column;
  EXPECT_EQ(metric_definitions().size(), 15u);
}

TEST(MetricDefinitions, LooksUpColumnsIncludingTheLabelWindowForm) {
  ASSERT_NE(metric_definition("elv_per_spend"), nullptr);
  EXPECT_EQ(metric_definition("elv_per_spend")->label, "Value per spend");
  ASSERT_NE(metric_definition("avg_p_qualified_14d"), nullptr);
  EXPECT_EQ(metric_definition("avg_p_qualified_14d")->column, "avg_p_qualified");
  EXPECT_NE(metric_definition("avg_p_qualified_30d"), nullptr);
  EXPECT_EQ(metric_definition("avg_p_qualified_"), nullptr);
  EXPECT_EQ(metric_definition("campaign_name"), nullptr);
  EXPECT_EQ(metric_definition(""), nullptr);
}

}  // namespace
}  // namespace elv::scoring
