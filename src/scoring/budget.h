// The budget opportunity of the overview (docs/CALIBRATION_AND_ELV.md, "Where the budget
// goes"): which campaigns buy expected qualified leads cheaper than the account as a whole,
// which dearer, and how much of the spend sits in each group.
//
// These are averages, not marginal returns: a campaign's next euro does not buy qualified
// leads at its average rate (audiences saturate, auctions get dearer), so the groups say
// where to look and test budget moves, not how many leads a move would buy.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace elv::scoring {

// One leaderboard row as the budget sees it.
struct BudgetSegment {
  std::string id, name;
  double spend = 0;  // >= 0
  int64_t lead_count = 0;
  double expected_qualified = 0;  // sum of the leads' P(qualified): lead_count × avg_p
  double predicted_value = 0;     // sum of their ELV
  bool low_volume = false;
};

enum class BudgetGroup {
  kCheaper,    // cost per expected qualified lead below the account's
  kDearer,     // above it (spend with no expected qualified lead is dearest)
  kAtAverage,  // exactly the account's, or no account figure to compare with
  kLowVolume,  // too few leads to judge (low_volume), though it spent
  kNoSpend,    // leads without spend in the period: no budget to move
};
const char* budget_group_name(BudgetGroup g);  // "cheaper", "dearer", …

struct BudgetLine {
  size_t segment = 0;  // index into the input
  BudgetGroup group = BudgetGroup::kAtAverage;
  // spend / expected_qualified: +inf for spend without expected qualified leads, NaN without
  // spend.
  double cost_per_expected_qualified = 0;
  double value_per_spend = 0;  // predicted_value / spend; NaN without spend
  // cost / the account's cost − 1 (−0.25: a quarter cheaper); NaN unless cheaper or dearer
  // with a finite cost.
  double vs_account = 0;
};

struct GroupTotals {
  int64_t segments = 0, lead_count = 0;
  double spend = 0, expected_qualified = 0, predicted_value = 0;
  double share_of_spend = 0;               // of the account's spend; NaN when it has none
  double cost_per_expected_qualified = 0;  // the group's own average; NaN / +inf as above
};

struct BudgetOpportunity {
  // The account: every segment, low-volume ones and those without spend included.
  GroupTotals account;
  // One line per segment: cheaper ones first (cheapest first), then at average, dearer
  // (least dear first, +inf last), low volume, no spend; input order within ties.
  std::vector<BudgetLine> lines;
  GroupTotals cheaper, dearer, at_average, low_volume, no_spend;
};

BudgetOpportunity budget_opportunity(const std::vector<BudgetSegment>& segments);

}  // namespace elv::scoring
