#include "scoring/budget.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace elv::scoring {

namespace {

// A figure that does not exist (a ratio over nothing), as NaN; named apart from
// leaderboard.cpp's kNaN, with which this file shares a unity build.
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// What a unit of spend buys, as a cost: NaN without spend (nothing was bought), +inf for
// spend that bought no expected qualified lead.
double cost_of(double spend, double expected_qualified) {
  if (!(spend > 0)) return kUndefined;
  return expected_qualified > 0 ? spend / expected_qualified : kInf;
}

void add(GroupTotals& g, const BudgetSegment& s) {
  ++g.segments;
  g.lead_count += s.lead_count;
  g.spend += s.spend;
  g.expected_qualified += s.expected_qualified;
  g.predicted_value += s.predicted_value;
}

void finish(GroupTotals& g, double account_spend) {
  g.share_of_spend = account_spend > 0 ? g.spend / account_spend : kUndefined;
  g.cost_per_expected_qualified = cost_of(g.spend, g.expected_qualified);
}

int rank(BudgetGroup g) {
  switch (g) {
    case BudgetGroup::kCheaper:
      return 0;
    case BudgetGroup::kAtAverage:
      return 1;
    case BudgetGroup::kDearer:
      return 2;
    case BudgetGroup::kLowVolume:
      return 3;
    case BudgetGroup::kNoSpend:
      return 4;
  }
  return 5;
}

}  // namespace

const char* budget_group_name(BudgetGroup g) {
  switch (g) {
    case BudgetGroup::kCheaper:
      return "cheaper";
    case BudgetGroup::kDearer:
      return "dearer";
    case BudgetGroup::kAtAverage:
      return "at average";
    case BudgetGroup::kLowVolume:
      return "low volume";
    case BudgetGroup::kNoSpend:
      return "no spend";
  }
  return "";
}

BudgetOpportunity budget_opportunity(const std::vector<BudgetSegment>& segments) {
  BudgetOpportunity out;
  for (const BudgetSegment& s : segments) add(out.account, s);
  finish(out.account, out.account.spend);
  const double account_cost = out.account.cost_per_expected_qualified;
  const bool comparable = std::isfinite(account_cost);

  for (size_t i = 0; i < segments.size(); ++i) {
    const BudgetSegment& s = segments[i];
    BudgetLine line;
    line.segment = i;
    line.cost_per_expected_qualified = cost_of(s.spend, s.expected_qualified);
    line.value_per_spend = s.spend > 0 ? s.predicted_value / s.spend : kUndefined;
    line.vs_account = kUndefined;
    const double cost = line.cost_per_expected_qualified;
    if (!(s.spend > 0)) {
      line.group = BudgetGroup::kNoSpend;
    } else if (s.low_volume) {
      line.group = BudgetGroup::kLowVolume;
    } else if (!comparable || cost == account_cost) {
      line.group = BudgetGroup::kAtAverage;
    } else {
      line.group = cost < account_cost ? BudgetGroup::kCheaper : BudgetGroup::kDearer;
      if (std::isfinite(cost)) line.vs_account = cost / account_cost - 1.0;
    }
    out.lines.push_back(line);
  }

  for (const BudgetLine& line : out.lines) {
    GroupTotals* g = nullptr;
    switch (line.group) {
      case BudgetGroup::kCheaper:
        g = &out.cheaper;
        break;
      case BudgetGroup::kDearer:
        g = &out.dearer;
        break;
      case BudgetGroup::kAtAverage:
        g = &out.at_average;
        break;
      case BudgetGroup::kLowVolume:
        g = &out.low_volume;
        break;
      case BudgetGroup::kNoSpend:
        g = &out.no_spend;
        break;
    }
    add(*g, segments[line.segment]);
  }
  for (GroupTotals* g :
       {&out.cheaper, &out.dearer, &out.at_average, &out.low_volume, &out.no_spend})
    finish(*g, out.account.spend);

  // Cheapest first within the judged groups; NaN costs (no spend) compare as equal, so the
  // stable sort keeps the input order among them.
  std::stable_sort(out.lines.begin(), out.lines.end(),
                   [](const BudgetLine& a, const BudgetLine& b) {
                     if (a.group != b.group) return rank(a.group) < rank(b.group);
                     return a.cost_per_expected_qualified < b.cost_per_expected_qualified;
                   });
  return out;
}

}  // namespace elv::scoring
