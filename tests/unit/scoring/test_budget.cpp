// The budget opportunity on a hand-computed account (figures worked out on paper, written
// here as numbers, not recomputed by the code under test).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "scoring/budget.h"

namespace elv::scoring {
namespace {

constexpr double kTol = 1e-12;

// value of a qualified lead: 150.
//   campaign  spend  leads  expected qualified  value   cost per exp. qualified
//   A         1000   100    25                  3750    40
//   B         2000   150    25                  3750    80
//   C          600    60    20                  3000    30
//   D (low)    400    10     2                   300   200
//   E            0    40     8                  1200   (no spend)
//   account   4000   360    80                 12000    50
std::vector<BudgetSegment> account() {
  return {{"a", "A", 1000, 100, 25, 3750, false},
          {"b", "B", 2000, 150, 25, 3750, false},
          {"c", "C", 600, 60, 20, 3000, false},
          {"d", "D", 400, 10, 2, 300, true},
          {"e", "E", 0, 40, 8, 1200, false}};
}

TEST(BudgetOpportunity, AccountFiguresCountEverySegment) {
  const BudgetOpportunity b = budget_opportunity(account());
  EXPECT_EQ(b.account.segments, 5);
  EXPECT_EQ(b.account.lead_count, 360);
  EXPECT_NEAR(b.account.spend, 4000, kTol);
  EXPECT_NEAR(b.account.expected_qualified, 80, kTol);
  EXPECT_NEAR(b.account.predicted_value, 12000, kTol);
  EXPECT_NEAR(b.account.cost_per_expected_qualified, 50, kTol);
  EXPECT_NEAR(b.account.share_of_spend, 1, kTol);
}

TEST(BudgetOpportunity, GroupsCampaignsAgainstTheAccountCost) {
  const BudgetOpportunity b = budget_opportunity(account());
  // Cheaper: C (30) and A (40), cheapest first; dearer: B (80); D low volume; E no spend.
  ASSERT_EQ(b.lines.size(), 5u);
  const size_t order[] = {2, 0, 1, 3, 4};
  const BudgetGroup groups[] = {BudgetGroup::kCheaper, BudgetGroup::kCheaper, BudgetGroup::kDearer,
                                BudgetGroup::kLowVolume, BudgetGroup::kNoSpend};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(b.lines[i].segment, order[i]) << i;
    EXPECT_EQ(b.lines[i].group, groups[i]) << i;
  }
  EXPECT_NEAR(b.lines[0].cost_per_expected_qualified, 30, kTol);
  EXPECT_NEAR(b.lines[0].vs_account, -0.4, kTol);
  EXPECT_NEAR(b.lines[0].value_per_spend, 5, kTol);
  EXPECT_NEAR(b.lines[1].cost_per_expected_qualified, 40, kTol);
  EXPECT_NEAR(b.lines[1].vs_account, -0.2, kTol);
  EXPECT_NEAR(b.lines[1].value_per_spend, 3.75, kTol);
  EXPECT_NEAR(b.lines[2].cost_per_expected_qualified, 80, kTol);
  EXPECT_NEAR(b.lines[2].vs_account, 0.6, kTol);
  EXPECT_NEAR(b.lines[2].value_per_spend, 1.875, kTol);
  // Low volume: its cost is shown, but it is not compared.
  EXPECT_NEAR(b.lines[3].cost_per_expected_qualified, 200, kTol);
  EXPECT_TRUE(std::isnan(b.lines[3].vs_account));
  // No spend: nothing was bought, so no cost and no value per spend.
  EXPECT_TRUE(std::isnan(b.lines[4].cost_per_expected_qualified));
  EXPECT_TRUE(std::isnan(b.lines[4].value_per_spend));
  EXPECT_TRUE(std::isnan(b.lines[4].vs_account));
}

TEST(BudgetOpportunity, GroupTotalsAndShareOfSpend) {
  const BudgetOpportunity b = budget_opportunity(account());
  EXPECT_EQ(b.cheaper.segments, 2);
  EXPECT_EQ(b.cheaper.lead_count, 160);
  EXPECT_NEAR(b.cheaper.spend, 1600, kTol);
  EXPECT_NEAR(b.cheaper.expected_qualified, 45, kTol);
  EXPECT_NEAR(b.cheaper.predicted_value, 6750, kTol);
  EXPECT_NEAR(b.cheaper.share_of_spend, 0.4, kTol);
  EXPECT_NEAR(b.cheaper.cost_per_expected_qualified, 35.555555555555557, kTol);

  EXPECT_EQ(b.dearer.segments, 1);
  EXPECT_NEAR(b.dearer.spend, 2000, kTol);
  EXPECT_NEAR(b.dearer.share_of_spend, 0.5, kTol);
  EXPECT_NEAR(b.dearer.cost_per_expected_qualified, 80, kTol);

  EXPECT_EQ(b.low_volume.segments, 1);
  EXPECT_NEAR(b.low_volume.spend, 400, kTol);
  EXPECT_NEAR(b.low_volume.share_of_spend, 0.1, kTol);

  EXPECT_EQ(b.no_spend.segments, 1);
  EXPECT_EQ(b.no_spend.lead_count, 40);
  EXPECT_NEAR(b.no_spend.expected_qualified, 8, kTol);
  EXPECT_NEAR(b.no_spend.share_of_spend, 0, kTol);
  EXPECT_TRUE(std::isnan(b.no_spend.cost_per_expected_qualified));

  EXPECT_EQ(b.at_average.segments, 0);
}

TEST(BudgetOpportunity, SpendWithoutExpectedQualifiedLeadsIsDearest) {
  // F spent 500 on leads the model expects none of to qualify (a campaign with leads that
  // all scored 0, or spend with no lead at all and min_segment_leads 0).
  // account: spend 1500, expected 20 -> 75 per expected qualified lead.
  const std::vector<BudgetSegment> s = {{"g", "G", 1000, 100, 20, 3000, false},
                                        {"f", "F", 500, 0, 0, 0, false}};
  const BudgetOpportunity b = budget_opportunity(s);
  EXPECT_NEAR(b.account.cost_per_expected_qualified, 75, kTol);
  ASSERT_EQ(b.lines.size(), 2u);
  EXPECT_EQ(b.lines[0].segment, 0u);
  EXPECT_EQ(b.lines[0].group, BudgetGroup::kCheaper);
  EXPECT_NEAR(b.lines[0].vs_account, 50.0 / 75.0 - 1.0, kTol);
  EXPECT_EQ(b.lines[1].segment, 1u);
  EXPECT_EQ(b.lines[1].group, BudgetGroup::kDearer);
  EXPECT_TRUE(std::isinf(b.lines[1].cost_per_expected_qualified));
  EXPECT_TRUE(std::isnan(b.lines[1].vs_account));  // "infinitely dearer" is not a figure
  EXPECT_NEAR(b.dearer.share_of_spend, 1.0 / 3.0, kTol);
  EXPECT_TRUE(std::isinf(b.dearer.cost_per_expected_qualified));
}

TEST(BudgetOpportunity, ACampaignAtTheAccountCostAndAnAccountWithoutSpend) {
  // One campaign is the account: it is at the average, neither cheaper nor dearer.
  const BudgetOpportunity one = budget_opportunity({{"a", "A", 900, 90, 18, 2700, false}});
  ASSERT_EQ(one.lines.size(), 1u);
  EXPECT_EQ(one.lines[0].group, BudgetGroup::kAtAverage);
  EXPECT_NEAR(one.at_average.share_of_spend, 1, kTol);
  EXPECT_EQ(one.cheaper.segments + one.dearer.segments, 0);

  // No spend anywhere: no account cost, no share, every campaign "no spend".
  const BudgetOpportunity none =
      budget_opportunity({{"a", "A", 0, 10, 2, 300, false}, {"b", "B", 0, 5, 1, 150, true}});
  EXPECT_TRUE(std::isnan(none.account.cost_per_expected_qualified));
  EXPECT_TRUE(std::isnan(none.account.share_of_spend));
  EXPECT_EQ(none.no_spend.segments, 2);
  EXPECT_EQ(none.lines[0].segment, 0u);  // input order kept among equals
  EXPECT_EQ(none.lines[1].segment, 1u);

  EXPECT_TRUE(budget_opportunity({}).lines.empty());
}

}  // namespace
}  // namespace elv::scoring
