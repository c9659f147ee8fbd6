// Leaderboards on a hand-computed account: spend over the leads' date range, cpl, roi,
// expected profit, low volume and the ordering; no ad set board without ad set keys.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "../table/table_fixture.h"
#include "scoring/leaderboard.h"

namespace elv::scoring {
namespace {

using table::testing_support::Scenario;

class Leaderboards : public ::testing::Test {
 protected:
  void SetUp() override {
    s.config.paths.ads_path = s.write(
        "ads.csv",
        std::string(Scenario::kAdsHeader) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s2", "a2", 100, 5, 1) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c2", "s3", "a3", 100, 5, 100) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c3", "s4", "a4", 100, 5, 5));
    s.config.paths.leads_path = s.write("leads.csv",
                                        "lead_id,created_time,ad_id\n"
                                        "L1,2026-03-05T10:00:00Z,a1\n"
                                        "L2,2026-03-06T10:00:00Z,a1\n"
                                        "L3,2026-03-06T11:00:00Z,a1\n"
                                        "L4,2026-03-05T10:00:00Z,a2\n"
                                        "L5,2026-03-05T10:00:00Z,a3\n"
                                        "L6,2026-03-06T10:00:00Z,a3\n");
    s.config.paths.outcomes_path =
        s.write("outcomes.csv",
                "lead_id,qualified_time\nL1,2026-03-07T10:00:00Z\nL2,\nL3,\nL4,\nL5,\nL6,\n");
    built = s.build();
    // p per lead, in table order (L1 … L6).
    p = {0.5, 0.5, 0.2, 0.8, 0.1, 0.3};
  }
  std::vector<LeaderboardRow> board(SegmentLevel level) {
    return leaderboard({&built, &p, /*value_per_qualified=*/100.0, /*min_segment_leads=*/2}, level);
  }
  std::string id(const LeaderboardRow& r, SegmentLevel level) {
    return level == SegmentLevel::Campaign ? built.table.str("campaign_id", r.campaign_id)
                                           : built.table.str("adset_id", r.adset_id);
  }
  Scenario s;
  table::BuildResult built;
  std::vector<double> p;
};

TEST_F(Leaderboards, CampaignFiguresAndOrder) {
  const auto rows = board(SegmentLevel::Campaign);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(id(rows[0], SegmentLevel::Campaign), "c1");
  EXPECT_EQ(id(rows[1], SegmentLevel::Campaign), "c2");
  EXPECT_EQ(id(rows[2], SegmentLevel::Campaign), "c3");  // spent, no leads: low volume, last

  const LeaderboardRow& c1 = rows[0];
  EXPECT_DOUBLE_EQ(c1.spend, 22.0);  // (10 + 1) a day over 03-05 … 03-06
  EXPECT_EQ(c1.lead_count, 4);
  EXPECT_DOUBLE_EQ(c1.predicted_elv, 200.0);
  EXPECT_DOUBLE_EQ(c1.avg_p, 0.5);
  EXPECT_DOUBLE_EQ(c1.avg_elv, 50.0);
  EXPECT_EQ(c1.labeled_count, 4);
  EXPECT_DOUBLE_EQ(c1.positive_rate_labeled, 0.25);
  EXPECT_FALSE(c1.low_volume);
  EXPECT_DOUBLE_EQ(c1.elv_per_spend, 200.0 / 22.0);
  EXPECT_DOUBLE_EQ(c1.cpl, 5.5);
  EXPECT_DOUBLE_EQ(c1.expected_profit, 178.0);
  EXPECT_DOUBLE_EQ(c1.roi, 178.0 / 22.0);
  EXPECT_DOUBLE_EQ(c1.expected_profit_per_lead, 44.5);

  const LeaderboardRow& c2 = rows[1];
  EXPECT_DOUBLE_EQ(c2.spend, 200.0);
  EXPECT_NEAR(c2.predicted_elv, 40.0, 1e-9);
  EXPECT_NEAR(c2.roi, -0.8, 1e-12);
  EXPECT_DOUBLE_EQ(c2.cpl, 100.0);

  const LeaderboardRow& c3 = rows[2];
  EXPECT_DOUBLE_EQ(c3.spend, 10.0);
  EXPECT_EQ(c3.lead_count, 0);
  EXPECT_TRUE(c3.low_volume);
  EXPECT_TRUE(std::isnan(c3.cpl));
  EXPECT_DOUBLE_EQ(c3.expected_profit, -10.0);
  EXPECT_EQ(built.table.str("campaign_name", c3.campaign_name), "Campaign c3");
}

TEST_F(Leaderboards, AdsetBoardPutsLowVolumeLastDespiteHigherValue) {
  const auto rows = board(SegmentLevel::Adset);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(id(rows[0], SegmentLevel::Adset), "s1");  // 120 / 20 = 6
  EXPECT_EQ(id(rows[1], SegmentLevel::Adset), "s3");  // 40 / 200 = 0.2
  EXPECT_EQ(id(rows[2], SegmentLevel::Adset), "s2");  // 80 / 2 = 40 but one lead: low volume
  EXPECT_EQ(id(rows[3], SegmentLevel::Adset), "s4");  // no leads
  EXPECT_TRUE(rows[2].low_volume);
  EXPECT_DOUBLE_EQ(rows[2].elv_per_spend, 40.0);
  EXPECT_EQ(built.table.str("campaign_id", rows[0].campaign_id), "c1");
}

TEST_F(Leaderboards, CsvHasTheContractColumns) {
  const std::string path = ::testing::TempDir() + "elv_lb_test.csv";
  write_leaderboard_csv(board(SegmentLevel::Campaign), SegmentLevel::Campaign, built.table, 14, "",
                        path);
  std::ifstream in(path);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header,
            "campaign_id,campaign_name,spend,lead_count,predicted_elv,avg_p_qualified_14d,avg_elv,"
            "labeled_count,positive_rate_labeled,low_volume,elv_per_spend,cpl,expected_profit,roi,"
            "expected_profit_per_lead");
  EXPECT_EQ(first.rfind("c1,Campaign c1,22.00,4,200,0.5,50,4,0.25,false,", 0), 0u) << first;
  std::remove(path.c_str());
}

TEST_F(Leaderboards, CsvNamesTheRunsCurrency) {
  const std::string path = ::testing::TempDir() + "elv_lb_currency.csv";
  write_leaderboard_csv(board(SegmentLevel::Campaign), SegmentLevel::Campaign, built.table, 14,
                        "EUR", path);
  std::ifstream in(path);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header.substr(header.size() - std::string(",expected_profit_per_lead,currency").size()),
            ",expected_profit_per_lead,currency");
  EXPECT_EQ(first.substr(first.size() - 4), ",EUR") << first;
  std::remove(path.c_str());
}

TEST(LeaderboardKeys, NoAdsetBoardWithoutAdsetKeys) {
  Scenario s;
  s.config.paths.ads_path = s.write("ads.csv",
                                    "date,campaign_id,impressions,clicks,spend\n"
                                    "2026-03-01,c1,100,5,10\n");
  s.config.paths.leads_path =
      s.write("leads.csv", "lead_id,created_time,campaign_id\nL1,2026-03-02T10:00:00Z,c1\n");
  const auto built = s.build();
  EXPECT_FALSE(has_adset_keys(built.table));
}

}  // namespace
}  // namespace elv::scoring
