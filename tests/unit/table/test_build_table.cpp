// build-table behaviour on tiny hand-made accounts: labels, the leakage guard, calendar
// windows, join fallbacks and enrichment features (docs/CONTRACT.md §4).
#include <cmath>

#include <gtest/gtest.h>

#include "base/error.h"
#include "table/build.h"
#include "table_fixture.h"

namespace elv::table {
namespace {

using testing_support::Scenario;

// ---------------------------------------------------------------- labels (§4.2)

class Labels : public ::testing::Test {
 protected:
  // as_of 2026-03-31, window 14 days -> maturity cutoff 2026-03-17T00:00Z.
  void SetUp() override {
    s.config.paths.ads_path =
        s.write("ads.csv",
                std::string(Scenario::kAdsHeader) +
                    Scenario::daily_rows("2026-02-20", "2026-03-31", "c1", "s1", "a1", 100, 5, 10));
    s.config.paths.leads_path = s.write("leads.csv",
                                        "lead_id,created_time,ad_id\n"
                                        "recent,2026-03-25T10:00:00Z,a1\n"
                                        "mature_unqualified,2026-03-01T10:00:00Z,a1\n"
                                        "qualified_in_window,2026-03-01T10:00:00Z,a1\n"
                                        "qualified_after_window,2026-03-01T10:00:00Z,a1\n"
                                        "recent_qualified,2026-03-28T10:00:00Z,a1\n"
                                        "qualified_after_as_of,2026-03-25T10:00:00Z,a1\n"
                                        "qualified_before_created,2026-03-01T10:00:00Z,a1\n");
    s.config.paths.outcomes_path = s.write("outcomes.csv",
                                           "lead_id,qualified_time\n"
                                           "recent,\n"
                                           "mature_unqualified,\n"
                                           "qualified_in_window,2026-03-05T09:00:00Z\n"
                                           "qualified_after_window,2026-03-20T09:00:00Z\n"
                                           "recent_qualified,2026-03-29T09:00:00Z\n"
                                           "qualified_after_as_of,2026-04-02T09:00:00Z\n"
                                           "qualified_before_created,2026-02-27T09:00:00Z\n");
  }
  Scenario s;
};

TEST_F(Labels, RecentUnqualifiedLeadIsUnknownAndImmature) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "recent"), LabelStatus::Unknown);
  EXPECT_EQ(r.table.is_mature[Scenario::row(r, "recent")], 0);
}

TEST_F(Labels, MatureUnqualifiedLeadIsNegative) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "mature_unqualified"), LabelStatus::Negative);
  EXPECT_EQ(r.table.is_mature[Scenario::row(r, "mature_unqualified")], 1);
}

TEST_F(Labels, QualifiedWithinWindowIsPositive) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "qualified_in_window"), LabelStatus::Positive);
  // A recent lead that already qualified is positive too, but not mature.
  EXPECT_EQ(Scenario::status(r, "recent_qualified"), LabelStatus::Positive);
  EXPECT_EQ(r.table.is_mature[Scenario::row(r, "recent_qualified")], 0);
}

TEST_F(Labels, QualifiedAfterWindowAndMatureIsNegative) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "qualified_after_window"), LabelStatus::Negative);
}

TEST_F(Labels, OutcomeAfterAsOfDateIsInvisible) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "qualified_after_as_of"), LabelStatus::Unknown);
  EXPECT_EQ(r.info.labels.outcomes_after_as_of, 1);
  // A back-test: with as_of on 2026-03-10 the qualification of 2026-03-20 is not seen,
  // and the lead of 2026-03-01 is not mature yet.
  s.config.label.as_of_date = parse::date_days("2026-03-10");
  const auto back = s.build();
  EXPECT_EQ(Scenario::status(back, "qualified_in_window"), LabelStatus::Positive);
  EXPECT_EQ(Scenario::status(back, "qualified_after_window"), LabelStatus::Unknown);
}

TEST_F(Labels, QualifiedBeforeCreatedIsADataError) {
  const auto r = s.build();
  EXPECT_EQ(Scenario::status(r, "qualified_before_created"), LabelStatus::Unknown);
  EXPECT_EQ(r.info.labels.qualified_before_created, 1);
  bool warned = false;
  for (const auto& w : r.info.warnings)
    warned |= w.find("before the lead's created_time") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(Labels, CountsAndCutoff) {
  const auto r = s.build();
  EXPECT_EQ(r.info.labels.positive, 2);
  EXPECT_EQ(r.info.labels.negative, 2);
  EXPECT_EQ(r.info.labels.unknown, 3);
  EXPECT_EQ(parse::format_timestamp(r.info.labels.maturity_cutoff), "2026-03-17T00:00:00+00:00");
}

TEST_F(Labels, WithoutOutcomesEveryLeadIsUnknown) {
  s.config.paths.outcomes_path.clear();
  const auto r = s.build();
  EXPECT_EQ(r.table.n, 7);
  EXPECT_EQ(r.info.labels.unknown, 7);
  EXPECT_EQ(r.info.labels.positive + r.info.labels.negative, 0);
  EXPECT_FALSE(r.info.labels.outcomes_available);
}

TEST_F(Labels, AsOfDefaultsToLatestLeadDate) {
  s.config.label.as_of_date.reset();
  const auto r = s.build();
  EXPECT_EQ(parse::format_date(r.info.labels.as_of_date), "2026-03-28");
}

// ---------------------------------------------------------------- leakage (§4.3)

TEST(Leakage, HugeSpendOnTheLeadsOwnDayDoesNotChangeFeatures) {
  Scenario s;
  std::string ads = std::string(Scenario::kAdsHeader) +
                    Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10);
  s.config.paths.leads_path =
      s.write("leads.csv", "lead_id,created_time,ad_id\nL,2026-03-10T12:00:00Z,a1\n");
  s.config.paths.ads_path =
      s.write("ads.csv",
              ads + Scenario::daily_rows("2026-03-10", "2026-03-10", "c1", "s1", "a1", 100, 5, 10));
  s.config.paths.ads_placement_path =
      s.write("placement.csv",
              "date,ad_id,placement,impressions,clicks,spend\n"
              "2026-03-05,a1,feed,1,1,10\n2026-03-10,a1,stories,1,1,1000000\n");
  const auto normal = s.build();
  s.config.paths.ads_path = s.write(
      "ads.csv",
      ads + Scenario::daily_rows("2026-03-10", "2026-03-10", "c1", "s1", "a1", 100, 5, 1e6));
  const auto huge = s.build();
  // Window with lag 1: 2026-03-03 … 2026-03-09, 7 days of 10.
  EXPECT_DOUBLE_EQ(Scenario::feature(normal, "L", "spend_sum_7d"), 70.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(huge, "L", "spend_sum_7d"), 70.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(huge, "L", "spend_sum_2d"), 20.0);
  // The breakdown's own-day spend is invisible too: only feed's 10 counts.
  EXPECT_DOUBLE_EQ(Scenario::feature(huge, "L", "placement_total_spend_7d"), 10.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(huge, "L", "placement_top1_share_7d"), 1.0);
  // With lag 0 the own day is in the window.
  s.config.features.feature_lag_days = 0;
  const auto no_lag = s.build();
  EXPECT_DOUBLE_EQ(Scenario::feature(no_lag, "L", "spend_sum_7d"), 60.0 + 1e6);
}

// ---------------------------------------------------------------- calendar windows (§4.4)

class CalendarWindows : public ::testing::Test {
 protected:
  void SetUp() override {
    // a1 runs 03-01 … 03-09 but has no row on 03-05; a2 stops after 03-06. ads.csv covers
    // 03-01 … 03-09.
    s.config.paths.ads_path =
        s.write("ads.csv",
                std::string(Scenario::kAdsHeader) +
                    Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10,
                                         "2026-03-05") +
                    Scenario::daily_rows("2026-03-01", "2026-03-06", "c1", "s1", "a2", 200, 4, 8));
    s.config.paths.leads_path = s.write("leads.csv",
                                        "lead_id,created_time,ad_id\n"
                                        "gap,2026-03-10T08:00:00Z,a1\n"
                                        "stopped,2026-03-10T08:00:00Z,a2\n"
                                        "after,2026-03-20T08:00:00Z,a1\n"
                                        "partly,2026-03-12T08:00:00Z,a2\n"
                                        "before,2026-02-20T08:00:00Z,a1\n");
  }
  Scenario s;
};

TEST_F(CalendarWindows, MissingDayDoesNotWidenTheWindow) {
  const auto r = s.build();
  // 03-03 … 03-09 without 03-05: six days. A row-based window would reach back to 03-02.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "spend_sum_7d"), 60.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "active_days_7d"), 6.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "impressions_sum_7d"), 600.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "ctr_7d"), 30.0 / 600.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "cpc_7d"), 2.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "cpm_7d"), 100.0);
}

TEST_F(CalendarWindows, AdWithoutARowOnTheEndDayStillGetsItsSums) {
  const auto r = s.build();
  // a2's last row is 03-06; the window 03-03 … 03-09 holds four of its days.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "spend_sum_7d"), 32.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "active_days_7d"), 4.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "spend_sum_2d"), 0.0);  // paused: zeros
  // trend: (0/2) / (32/5 + 1e-6) = 0
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "spend_trend_ratio_2vprev"), 0.0);
}

TEST_F(CalendarWindows, TrendRatioUsesTheWindowsEarlierDays) {
  const auto r = s.build();
  // gap: 2d = 03-08 + 03-09 = 20; earlier days sum 40 over W-2 = 5 days.
  EXPECT_NEAR(Scenario::feature(r, "gap", "spend_trend_ratio_2vprev"), 10.0 / (40.0 / 5.0 + 1e-6),
              1e-12);
  EXPECT_NEAR(Scenario::feature(r, "gap", "clicks_trend_ratio_2vprev"), 5.0 / (20.0 / 5.0 + 1e-6),
              1e-12);
}

TEST_F(CalendarWindows, WindowOutsideCoveredDaysGivesNulls) {
  const auto r = s.build();
  for (const char* lead : {"after", "before"}) {
    EXPECT_TRUE(std::isnan(Scenario::feature(r, lead, "spend_sum_7d"))) << lead;
    EXPECT_TRUE(std::isnan(Scenario::feature(r, lead, "active_days_7d"))) << lead;
    EXPECT_TRUE(std::isnan(Scenario::feature(r, lead, "ctr_7d"))) << lead;
    EXPECT_TRUE(std::isnan(Scenario::feature(r, lead, "spend_trend_ratio_2vprev"))) << lead;
  }
}

TEST_F(CalendarWindows, LongWindowRatesReachFurtherBack) {
  const auto r = s.build();
  // gap: 90 days back from 03-09, clipped to 03-01 … 03-09, eight active days of a1.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "impressions_per_day_long_90d"), 100.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "ctr_long_90d"), 40.0 / 800.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "gap", "cpc_long_90d"), 2.0);
  // stopped: a2's six days, per active day (not per calendar day of the window).
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "impressions_per_day_long_90d"), 200.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "stopped", "cpc_long_90d"), 2.0);
  // after: its 7-day window (03-13 … 03-19) is past the file, the long one is not.
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "after", "ctr_7d")));
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "after", "ctr_long_90d"), 40.0 / 800.0);
  // before: both end before the file starts.
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "before", "ctr_long_90d")));
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "before", "impressions_per_day_long_90d")));
}

TEST_F(CalendarWindows, KnownEntityWithoutRowsInACoveredWindowHasZeros) {
  const auto r = s.build();
  // partly: window 03-05 … 03-11; covered part 03-05 … 03-09; a2 ran 03-05 and 03-06.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "partly", "spend_sum_7d"), 16.0);
  // Its 2-day window 03-10 … 03-11 lies outside the covered days: unknown.
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "partly", "spend_sum_2d")));
}

// ---------------------------------------------------------------- joins (§4.1)

class Joins : public ::testing::Test {
 protected:
  void SetUp() override {
    s.config.paths.ads_path = s.write(
        "ads.csv",
        std::string(Scenario::kAdsHeader) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s2", "a2", 100, 5, 1) +
            Scenario::daily_rows("2026-03-01", "2026-03-09", "c2", "s3", "a3", 100, 5, 100));
  }
  Scenario s;
};

TEST_F(Joins, AdThenAdSetThenCampaignFallback) {
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,campaign_id,adset_id,ad_id\n"
                                      "by_ad,2026-03-10T08:00:00Z,,,a1\n"
                                      "by_adset,2026-03-10T08:00:00Z,,s2,unknown_ad\n"
                                      "by_campaign,2026-03-10T08:00:00Z,c1,unknown_set,unknown_ad\n"
                                      "nothing,2026-03-10T08:00:00Z,cX,,\n");
  const auto r = s.build();
  EXPECT_EQ(r.info.join.strategy, "id");
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "by_ad", "spend_sum_7d"), 70.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "by_adset", "spend_sum_7d"), 7.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "by_campaign", "spend_sum_7d"), 77.0);
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "nothing", "spend_sum_7d")));
  // The hierarchy comes from ads.csv.
  EXPECT_EQ(Scenario::str(r, "adset_id", "by_ad"), "s1");
  EXPECT_EQ(Scenario::str(r, "campaign_id", "by_ad"), "c1");
  EXPECT_EQ(Scenario::str(r, "campaign_name", "by_adset"), "Campaign c1");
  EXPECT_EQ(r.info.join.feature_level_ad, 1);
  EXPECT_EQ(r.info.join.feature_level_adset, 1);
  EXPECT_EQ(r.info.join.feature_level_campaign, 1);
  EXPECT_EQ(r.info.join.feature_level_none, 1);
  EXPECT_DOUBLE_EQ(r.info.join.match_rate, 0.75);
  bool warned = false;
  for (const auto& w : r.info.warnings)
    warned |= w.find("of leads (3 of 4) match ads.csv") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(Joins, MappingFileWhenLeadsHaveNoIds) {
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,email\n"
                                      "m1,2026-03-10T08:00:00Z,a@b.c\n"
                                      "m2,2026-03-10T09:00:00Z,d@e.f\n");
  s.config.paths.lead_to_ad_map_path = s.write("map.csv", "lead_id,ad_id\nl:m1,a3\nm2,a2\n");
  const auto r = s.build();
  EXPECT_EQ(r.info.join.strategy, "mapping");
  EXPECT_EQ(Scenario::str(r, "campaign_id", "m1"), "c2");
  EXPECT_EQ(Scenario::str(r, "adset_id", "m2"), "s2");
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "m1", "spend_sum_7d"), 700.0);
  EXPECT_DOUBLE_EQ(r.info.join.match_rate, 1.0);
}

TEST_F(Joins, EachLeadFallsBackOnItsOwn) {
  // Mixed export: some leads carry an ad_id, others only appear in the mapping file, one
  // only has a campaign name.
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,ad_id,campaign_name\n"
                                      "with_id,2026-03-10T08:00:00Z,a1,\n"
                                      "mapped,2026-03-10T08:00:00Z,,\n"
                                      "named,2026-03-10T08:00:00Z,,Campaign c2\n");
  s.config.paths.lead_to_ad_map_path = s.write("map.csv", "lead_id,ad_id\nmapped,a2\nwith_id,a3\n");
  const auto r = s.build();
  EXPECT_EQ(Scenario::str(r, "ad_id", "with_id"), "a1");  // its own ID wins over the map
  EXPECT_EQ(Scenario::str(r, "adset_id", "mapped"), "s2");
  EXPECT_EQ(Scenario::str(r, "campaign_id", "named"), "c2");
  EXPECT_EQ(r.info.join.strategy, "id+mapping+name_fallback");
  EXPECT_EQ(r.info.join.leads_by_id, 1);
  EXPECT_EQ(r.info.join.leads_by_mapping, 1);
  EXPECT_EQ(r.info.join.leads_by_name, 1);
  EXPECT_DOUBLE_EQ(r.info.join.match_rate, 1.0);
}

TEST_F(Joins, NameFallbackWarnsAndReportsMatchRate) {
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,Campaign name\n"
                                      "n1,2026-03-10T08:00:00Z,Campaign c2\n"
                                      "n2,2026-03-10T08:00:00Z,No Such Campaign\n");
  const auto r = s.build();
  EXPECT_EQ(r.info.join.strategy, "name_fallback");
  EXPECT_EQ(Scenario::str(r, "campaign_id", "n1"), "c2");
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "n1", "spend_sum_7d"), 700.0);
  EXPECT_DOUBLE_EQ(r.info.join.match_rate, 0.5);
  bool loud = false;
  for (const auto& w : r.info.warnings) loud |= w.find("JOIN BY NAMES") != std::string::npos;
  EXPECT_TRUE(loud);
}

TEST_F(Joins, NameMapsToItsMostFrequentIdTiesToSmallest) {
  // "Shared" names campaign c9 on 2 rows and c8 on 2 rows (tie -> c8), "Mostly" is c7 on 2
  // rows and c6 on 1.
  s.config.paths.ads_path = s.write("ads.csv", std::string(Scenario::kAdsHeader) +
                                                   "2026-03-01,c9,Shared,,,,,1,1,1\n"
                                                   "2026-03-02,c9,Shared,,,,,1,1,1\n"
                                                   "2026-03-01,c8,Shared,,,,,1,1,1\n"
                                                   "2026-03-02,c8,Shared,,,,,1,1,1\n"
                                                   "2026-03-01,c7,Mostly,,,,,1,1,1\n"
                                                   "2026-03-02,c7,Mostly,,,,,1,1,1\n"
                                                   "2026-03-01,c6,Mostly,,,,,1,1,1\n");
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,campaign_name\n"
                                      "t,2026-03-03T08:00:00Z,Shared\n"
                                      "m,2026-03-03T08:00:00Z,Mostly\n");
  const auto r = s.build();
  EXPECT_EQ(Scenario::str(r, "campaign_id", "t"), "c8");
  EXPECT_EQ(Scenario::str(r, "campaign_id", "m"), "c7");
}

TEST_F(Joins, MetaStyleHeadersAndPrefixedIds) {
  s.config.paths.ads_path = s.write("ads.csv",
                                    "Day,Campaign ID,Campaign name,Ad Set ID,Ad set name,Ad ID,Ad "
                                    "name,Impressions,Link clicks,Amount spent (USD),Notes\n"
                                    "2026-03-08,c:120200000000000001,Spring,as:120200000000000002,"
                                    "Set,120200000000000003.0,Ad,\"1,000\",5,10.5,x\n"
                                    "2026-03-09,c:120200000000000001,Spring,as:120200000000000002,"
                                    "Set,120200000000000003.0,Ad,\"1,000\",5,10.5,x\n");
  s.config.paths.leads_path =
      s.write("leads.csv",
              "id,Created Time,Ad ID,Full name\n"
              "l:900000000000000001,2026-03-10T08:00:00+0000,120200000000000003,Jane Doe\n");
  const auto r = s.build();
  EXPECT_EQ(Scenario::str(r, "campaign_id", "900000000000000001"), "120200000000000001");
  EXPECT_EQ(Scenario::str(r, "ad_id", "900000000000000001"), "120200000000000003");
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "900000000000000001", "impressions_sum_7d"), 2000.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "900000000000000001", "spend_sum_7d"), 21.0);
  bool dropped = false, leaked = false;
  for (const auto& w : r.info.warnings) {
    dropped |= w.find("Full name") != std::string::npos;
    leaked |= w.find("Jane") != std::string::npos;
  }
  EXPECT_TRUE(dropped);
  EXPECT_FALSE(leaked);
}

// ---------------------------------------------------------------- enrichments (§4.5)

TEST(Enrichments, PlacementGeoTargetingAndCreativeOnAHandComputedCase) {
  Scenario s;
  s.config.paths.ads_path =
      s.write("ads.csv",
              std::string(Scenario::kAdsHeader) +
                  Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10) +
                  Scenario::daily_rows("2026-03-01", "2026-03-09", "c2", "s2", "a2", 100, 5, 10));
  s.config.paths.leads_path = s.write("leads.csv",
                                      "lead_id,created_time,ad_id\n"
                                      "L1,2026-03-10T08:00:00Z,a1\n"
                                      "L2,2026-03-10T08:00:00Z,a2\n"
                                      "L3,2026-03-25T08:00:00Z,a1\n");
  s.config.paths.ads_placement_path =
      s.write("placement.csv",
              "date,ad_id,placement,impressions,clicks,spend\n"
              "2026-03-05,a1,feed,1,1,30\n"
              "2026-03-06,a1,feed,1,1,20\n"
              "2026-03-06,a1,stories,1,1,30\n"
              "2026-03-07,a1,reels,1,1,20\n"
              "2026-03-07,a1,audience_network,1,1,0\n"
              "2026-03-01,a1,reels,1,1,999\n");  // outside the window
  s.config.paths.ads_geo_path = s.write("geo.csv",
                                        "date,ad_id,geo,impressions,clicks,spend\n"
                                        "2026-03-08,a1,US-CA,1,1,40\n"
                                        "2026-03-08,a1,US-TX,1,1,40\n");
  s.config.paths.adset_targeting_path = s.write(
      "targeting.csv", "adset_id,audience_keywords\ns1,\"Yoga, CRM; crm|Small Business\"\n");
  s.config.paths.ad_creatives_path = s.write("creatives.csv", "ad_id,creative_type\na1,Video\n");
  const auto r = s.build();

  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "placement_n_unique_7d"), 3.0);
  EXPECT_NEAR(Scenario::feature(r, "L1", "placement_entropy_7d"), 1.0296530140645737, 1e-12);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "placement_top1_share_7d"), 0.5);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "placement_total_spend_7d"), 100.0);
  const int top1 = 0;  // placement_top1 is the first text column
  EXPECT_EQ(r.table.text_names[top1], "placement_top1");
  EXPECT_EQ(r.table.str("placement", r.table.texts[top1][Scenario::row(r, "L1")]), "feed");
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "geo_n_unique_7d"), 2.0);
  EXPECT_NEAR(Scenario::feature(r, "L1", "geo_entropy_7d"), std::log(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "geo_top1_share_7d"), 0.5);
  EXPECT_EQ(r.table.str("geo", r.table.texts[1][Scenario::row(r, "L1")]),
            "US-CA");  // tie: first seen

  // a2 (and its ad set and campaign) has no breakdown rows in a covered window: zeros,
  // not nulls.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L2", "placement_total_spend_7d"), 0.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L2", "placement_entropy_7d"), 0.0);
  // L3's window (03-18 … 03-24) is outside the breakdown's covered days: null.
  EXPECT_TRUE(std::isnan(Scenario::feature(r, "L3", "placement_total_spend_7d")));

  // Targeting: tokens yoga, crm, small business.
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_count"), 3.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_present"), 1.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_avg_len"), (4.0 + 3.0 + 14.0) / 3.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_hash_055"), 1.0);  // md5("small business")
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_hash_041"), 1.0);  // md5("crm")
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "aud_kw_hash_024"), 1.0);  // md5("yoga")
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L2", "aud_kw_count"), 0.0);     // no targeting row

  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "creative_present"), 1.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "creative_is_video"), 1.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L1", "creative_is_image"), 0.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L2", "creative_present"), 0.0);

  ASSERT_EQ(r.info.enrichments.size(), 4u);
  EXPECT_DOUBLE_EQ(r.info.enrichments[0].lead_coverage, 2.0 / 3.0);  // L1 and L3 (a1)
}

TEST(Enrichments, BreakdownFallsBackToAdSetThroughTheAdsHierarchy) {
  Scenario s;
  s.config.paths.ads_path =
      s.write("ads.csv",
              std::string(Scenario::kAdsHeader) +
                  Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a1", 100, 5, 10) +
                  Scenario::daily_rows("2026-03-01", "2026-03-09", "c1", "s1", "a2", 100, 5, 10));
  s.config.paths.leads_path =
      s.write("leads.csv", "lead_id,created_time,adset_id\nL,2026-03-10T08:00:00Z,s1\n");
  s.config.paths.ads_placement_path = s.write("placement.csv",
                                              "date,ad_id,placement,impressions,clicks,spend\n"
                                              "2026-03-05,a1,feed,1,1,30\n"
                                              "2026-03-05,a2,stories,1,1,10\n");
  const auto r = s.build();
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L", "placement_total_spend_7d"), 40.0);
  EXPECT_DOUBLE_EQ(Scenario::feature(r, "L", "placement_top1_share_7d"), 0.75);
}

TEST(BuildErrors, MissingRequiredColumnNamesFileAndColumn) {
  Scenario s;
  s.config.paths.ads_path =
      s.write("ads.csv", "date,campaign_id,impressions,clicks\n2026-03-01,c1,1,1\n");
  s.config.paths.leads_path =
      s.write("leads.csv", "lead_id,created_time,ad_id\nL,2026-03-10T08:00:00Z,a1\n");
  try {
    s.build();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.column(), "spend");
    EXPECT_NE(e.file().find("ads.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace elv::table
