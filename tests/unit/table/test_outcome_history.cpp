// Outcome history features (table/outcome_history.h) on hand-built timelines: a lead sees an
// earlier lead's outcome only once that lead's label window closed before the lead's feature
// date ended, never its own, never an outcome after as_of_date; the smoothing's limits; the
// snapshot batch scoring uses.
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/calendar.h"
#include "contracts/frame.h"
#include "table/labels.h"
#include "table/outcome_history.h"

namespace elv::table {
namespace {

using contracts::kNullTime;

constexpr int kWindowDays = 14;
constexpr int kLagDays = 1;

// A lead of the hand-built timeline: when it came in, its campaign / ad set / ad, and when
// it qualified (kNullTime: never).
struct Lead {
  int64_t created;  // seconds
  std::string campaign, adset, ad;
  int64_t qualified = kNullTime;
};

int64_t at(int day, int hour = 0) {
  return static_cast<int64_t>(day) * kSecondsPerDay + static_cast<int64_t>(hour) * 3600;
}

struct Timeline {
  LeadTable t;
  std::vector<int64_t> qualified;

  explicit Timeline(const std::vector<Lead>& leads) {
    t.dicts = std::make_shared<contracts::Dictionaries>();
    t.n = static_cast<int64_t>(leads.size());
    for (const Lead& l : leads) {
      const auto code = [&](const char* dict, const std::string& id) {
        return id.empty() ? contracts::kNullCode : t.dicts->for_column(dict).intern(id);
      };
      t.campaign_id.push_back(code("campaign_id", l.campaign));
      t.adset_id.push_back(code("adset_id", l.adset));
      t.ad_id.push_back(code("ad_id", l.ad));
      t.created_time.push_back(l.created);
      const auto day = static_cast<int32_t>(floor_div(l.created, kSecondsPerDay));
      t.lead_date.push_back(day);
      t.feature_end_date.push_back(day - kLagDays);
      qualified.push_back(l.qualified);
    }
  }
  HistoryInputs inputs(int32_t as_of_date, double prior = kDefaultHistoryPrior) const {
    return {&qualified, as_of_date, kWindowDays, prior};
  }
  double feature(const std::string& name, size_t lead) const {
    return t.features[static_cast<size_t>(t.feature_index(name))][lead];
  }
};

TEST(OutcomeHistory, FeatureNamesComeInLevelOrder) {
  EXPECT_EQ(outcome_history_feature_names(),
            (std::vector<std::string>{"campaign_past_qualified_rate", "campaign_past_known_leads",
                                      "adset_past_qualified_rate", "adset_past_known_leads",
                                      "ad_past_qualified_rate", "ad_past_known_leads"}));
}

TEST(OutcomeHistory, AnOutcomeCountsOnlyOnceItsWindowClosedBeforeTheFeatureDateEnded) {
  // Lead 0 qualified on day 2, but its window closes on day 14 at 10:00: a lead whose feature
  // date (its day - 1) ends on day 14 at 00:00 does not see it, one whose ends on day 15 at
  // 00:00 does. Lead 1 (day 5) does not see it although the qualification had happened.
  Timeline tl({{at(0, 10), "c1", "s1", "a1", at(2)},
               {at(5, 9), "c1", "s1", "a1"},
               {at(14, 12), "c1", "s1", "a1"},
               {at(15, 9), "c1", "s1", "a1"},
               {at(15, 9), "c1", "s1", "a2"}});
  add_outcome_history(tl.inputs(40, 20.0), tl.t);
  for (size_t lead : {0u, 1u, 2u}) {
    EXPECT_EQ(tl.feature("ad_past_known_leads", lead), 0.0) << lead;
    // Nothing is known account-wide yet: no rate to smooth toward.
    EXPECT_TRUE(std::isnan(tl.feature("ad_past_qualified_rate", lead))) << lead;
  }
  // Lead 3 sees lead 0 (qualified) at every level; the account rate is 1/1.
  EXPECT_EQ(tl.feature("ad_past_known_leads", 3), 1.0);
  EXPECT_EQ(tl.feature("adset_past_known_leads", 3), 1.0);
  EXPECT_EQ(tl.feature("campaign_past_known_leads", 3), 1.0);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 3), 1.0);
  // Lead 4 is another ad of the same ad set: its ad has no history (the account's rate), its
  // ad set and campaign have lead 0's.
  EXPECT_EQ(tl.feature("ad_past_known_leads", 4), 0.0);
  EXPECT_EQ(tl.feature("adset_past_known_leads", 4), 1.0);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 4), 1.0);
}

TEST(OutcomeHistory, ALeadOfTheSameDayAsTheWindowsCloseIsTheEdge) {
  // Lead 0's window closes at day 15 00:00 exactly. Known strictly after: a lead whose
  // feature date ends at day 15 00:00 (a lead of day 15) does not see it; one of day 16 does.
  Timeline tl({{at(1), "c1", "s1", "a1"},  // never qualified: a known negative once mature
               {at(15, 23), "c1", "s1", "a1"},
               {at(16, 0), "c1", "s1", "a1"}});
  add_outcome_history(tl.inputs(40), tl.t);
  EXPECT_EQ(tl.feature("ad_past_known_leads", 1), 0.0);
  EXPECT_EQ(tl.feature("ad_past_known_leads", 2), 1.0);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 2), 0.0);  // 0 of 1, account 0 of 1
}

TEST(OutcomeHistory, NoLeadEverSeesAnOutcomeThatWasNotKnownAtItsFeatureDate) {
  // A random timeline checked against the rule written out by brute force: for every lead and
  // level, the counted leads are exactly those of the same entity whose window closed
  // before the lead's feature date ended (and before the end of as_of_date).
  std::mt19937_64 rng(7);
  std::vector<Lead> leads;
  const char* campaigns[] = {"c1", "c2"};
  for (int i = 0; i < 400; ++i) {
    const int c = static_cast<int>(rng() % 2), s = static_cast<int>(rng() % 3),
              a = static_cast<int>(rng() % 2);
    Lead l{at(static_cast<int>(rng() % 90), static_cast<int>(rng() % 24)), campaigns[c],
           std::string(campaigns[c]) + "s" + std::to_string(s),
           std::string(campaigns[c]) + "s" + std::to_string(s) + "a" + std::to_string(a)};
    const int kind = static_cast<int>(rng() % 4);  // never, inside the window, after it
    if (kind == 1) l.qualified = l.created + static_cast<int64_t>(rng() % (13 * kSecondsPerDay));
    if (kind == 2) l.qualified = l.created + at(15 + static_cast<int>(rng() % 20));
    leads.push_back(l);
  }
  const int32_t as_of = 70;  // leads after it see only what was known by its end
  Timeline tl(leads);
  add_outcome_history(tl.inputs(as_of), tl.t);
  const int64_t window = kWindowDays * kSecondsPerDay;
  for (size_t i = 0; i < leads.size(); ++i) {
    const int64_t knowledge =
        std::min(at(tl.t.feature_end_date[i] + 1), at(static_cast<int>(as_of) + 1));
    const std::vector<int32_t>* codes[] = {&tl.t.campaign_id, &tl.t.adset_id, &tl.t.ad_id};
    const char* levels[] = {"campaign", "adset", "ad"};
    for (int level = 0; level < 3; ++level) {
      int64_t known = 0;
      for (size_t j = 0; j < leads.size(); ++j) {
        if ((*codes[level])[j] != (*codes[level])[i]) continue;
        if (leads[j].created + window < knowledge) ++known;
      }
      EXPECT_EQ(tl.feature(std::string(levels[level]) + "_past_known_leads", i), known)
          << "lead " << i << " level " << levels[level];
    }
  }
}

TEST(OutcomeHistory, OutcomesAfterAsOfDateAreNeverSeen) {
  // as_of = day 20: lead 0's window closed on day 14, lead 1's on day 25. A lead of day 60
  // sees lead 0 only, and lead 0 as qualified only if it qualified inside its window.
  Timeline tl({{at(0), "c1", "s1", "a1", at(3)},
               {at(11), "c1", "s1", "a1", at(12)},
               {at(60), "c1", "s1", "a1"}});
  add_outcome_history(tl.inputs(20, 1.0), tl.t);
  EXPECT_EQ(tl.feature("ad_past_known_leads", 2), 1.0);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 2), 1.0);
  // The same table as of day 40 sees both (computed again in place: no duplicate columns).
  const size_t columns = tl.t.features.size();
  add_outcome_history(tl.inputs(40, 1.0), tl.t);
  EXPECT_EQ(tl.t.features.size(), columns);
  EXPECT_EQ(tl.feature("ad_past_known_leads", 2), 2.0);
}

TEST(OutcomeHistory, UnreadableOutcomesAndQualificationsBeforeCreationAreNeverKnown) {
  Timeline tl({{at(0), "c1", "s1", "a1", kUnreadableOutcome},
               {at(0), "c1", "s1", "a1", at(0) - 3600},  // qualified before it came in
               {at(0), "c1", "s1", "a1", at(5)},
               {at(30), "c1", "s1", "a1"}});
  add_outcome_history(tl.inputs(40, 1.0), tl.t);
  EXPECT_EQ(tl.feature("ad_past_known_leads", 3), 1.0);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 3), 1.0);
}

TEST(OutcomeHistory, ALeadWithoutAnAdGetsTheAccountRate) {
  Timeline tl({{at(0), "c1", "s1", "a1", at(1)}, {at(0), "c1", "s1", "a1"}, {at(30), "", "", ""}});
  add_outcome_history(tl.inputs(40, 20.0), tl.t);
  EXPECT_EQ(tl.feature("campaign_past_known_leads", 2), 0.0);
  EXPECT_DOUBLE_EQ(tl.feature("campaign_past_qualified_rate", 2), 0.5);
  EXPECT_DOUBLE_EQ(tl.feature("ad_past_qualified_rate", 2), 0.5);
}

TEST(OutcomeHistory, SmoothingLeansOnTheAccountUntilAnEntityHasLeads) {
  const HistoryCounts account{1000, 200};  // 20 %
  EXPECT_DOUBLE_EQ(smoothed_rate({0, 0}, account, 20.0), 0.2);
  EXPECT_DOUBLE_EQ(smoothed_rate({20, 10}, account, 20.0), (10 + 4) / 40.0);  // half and half
  EXPECT_NEAR(smoothed_rate({1000000, 500000}, account, 20.0), 0.5, 1e-4);
  EXPECT_DOUBLE_EQ(smoothed_rate({5, 5}, account, 1e-9), 1.0 - 0.8e-9 / (5 + 1e-9));
  EXPECT_TRUE(std::isnan(smoothed_rate({3, 1}, {0, 0}, 20.0)));
}

TEST(OutcomeHistory, TheSnapshotHoldsWhatWasKnownAtTheEndOfAsOfDate) {
  Timeline tl({{at(0), "c1", "s1", "a1", at(2)},
               {at(3), "c1", "s1", "a2"},
               {at(4), "c2", "s2", "a3", at(4, 5)},
               {at(30), "c2", "s2", "a3", at(31)}});  // window still open on day 35
  const OutcomeHistorySnapshot s = outcome_history_snapshot(tl.inputs(35, 5.0), tl.t);
  EXPECT_EQ(s.as_of_date, 35);
  EXPECT_EQ(s.prior, 5.0);
  EXPECT_EQ(s.account, (HistoryCounts{3, 2}));
  EXPECT_EQ(s.campaign.at("c1"), (HistoryCounts{2, 1}));
  EXPECT_EQ(s.campaign.at("c2"), (HistoryCounts{1, 1}));
  EXPECT_EQ(s.ad.at("a2"), (HistoryCounts{1, 0}));
  EXPECT_EQ(s.ad.size(), 3u);

  // Scoring from it: every lead gets its entities' counts, an ID it does not hold gets none.
  Timeline fresh({{at(50), "c1", "s1", "a1"}, {at(51), "c9", "s9", "a9"}});
  add_outcome_history_from_snapshot(s, fresh.t);
  EXPECT_EQ(fresh.feature("campaign_past_known_leads", 0), 2.0);
  EXPECT_DOUBLE_EQ(fresh.feature("campaign_past_qualified_rate", 0), (1 + 5 * 2.0 / 3) / (2 + 5));
  EXPECT_EQ(fresh.feature("ad_past_known_leads", 0), 1.0);
  EXPECT_EQ(fresh.feature("campaign_past_known_leads", 1), 0.0);
  EXPECT_DOUBLE_EQ(fresh.feature("campaign_past_qualified_rate", 1), 2.0 / 3);
}

}  // namespace
}  // namespace elv::table
