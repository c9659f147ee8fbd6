#include "table/outcome_history.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/calendar.h"
#include "contracts/frame.h"
#include "table/labels.h"

namespace elv::table {

namespace {

constexpr std::array<const char*, 3> kLevels = {"campaign", "adset", "ad"};
constexpr size_t kFeaturesPerLevel = 2;  // rate, known leads

const std::vector<int32_t>& level_codes(const LeadTable& t, size_t level) {
  return level == 0 ? t.campaign_id : level == 1 ? t.adset_id : t.ad_id;
}

std::string id_dictionary(size_t level) { return std::string(kLevels[level]) + "_id"; }

// One lead's outcome as the history counts it: 1 qualified inside the window, 0 not, -1 never
// known (unreadable, or qualified before it was created: the labels leave both unknown).
int outcome_of(int64_t created, int64_t qualified, int64_t window_seconds) {
  if (qualified == kUnreadableOutcome) return -1;
  if (qualified == contracts::kNullTime) return 0;
  if (qualified < created) return -1;
  return qualified <= created + window_seconds ? 1 : 0;
}

// Per level, counts indexed by the level's ID code.
struct Counters {
  HistoryCounts account;
  std::array<std::vector<HistoryCounts>, 3> by_code;

  explicit Counters(const LeadTable& t) {
    for (size_t level = 0; level < kLevels.size(); ++level) {
      const auto& codes = level_codes(t, level);
      // Codes run from 0; kNullCode (negative) needs no slot.
      const int32_t max_code = codes.empty() ? -1 : *std::max_element(codes.begin(), codes.end());
      by_code[level].resize(max_code < 0 ? size_t{0} : static_cast<size_t>(max_code) + 1);
    }
  }
  void add(const LeadTable& t, size_t lead, int outcome) {
    account.known += 1;
    account.qualified += outcome;
    for (size_t level = 0; level < kLevels.size(); ++level) {
      const int32_t code = level_codes(t, level)[lead];
      if (code == contracts::kNullCode) continue;
      HistoryCounts& c = by_code[level][static_cast<size_t>(code)];
      c.known += 1;
      c.qualified += outcome;
    }
  }
  HistoryCounts of(const LeadTable& t, size_t level, size_t lead) const {
    const int32_t code = level_codes(t, level)[lead];
    return code == contracts::kNullCode ? HistoryCounts{}
                                        : by_code[level][static_cast<size_t>(code)];
  }
};

// The leads whose outcome will be known, with the time it is (created + window) and the
// outcome, in time order.
struct KnownOutcome {
  int64_t known_after;  // seconds: known at any time strictly later
  int64_t lead;
  int outcome;
};
std::vector<KnownOutcome> known_outcomes(const HistoryInputs& in, const LeadTable& t) {
  const int64_t window = static_cast<int64_t>(in.label_window_days) * kSecondsPerDay;
  std::vector<KnownOutcome> out;
  out.reserve(static_cast<size_t>(t.n));
  for (int64_t i = 0; i < t.n; ++i) {
    const int outcome =
        outcome_of(t.created_time[static_cast<size_t>(i)], (*in.qualified_time)[i], window);
    if (outcome >= 0) out.push_back({t.created_time[static_cast<size_t>(i)] + window, i, outcome});
  }
  std::stable_sort(out.begin(), out.end(), [](const KnownOutcome& a, const KnownOutcome& b) {
    return a.known_after < b.known_after;
  });
  return out;
}

int64_t end_of_day(int32_t day) { return (static_cast<int64_t>(day) + 1) * kSecondsPerDay; }

// The feature columns of t, appended the first time, all null.
std::vector<std::vector<double>*> history_columns(LeadTable& t) {
  const std::vector<std::string> names = outcome_history_feature_names();
  for (const auto& name : names)
    if (t.feature_index(name) < 0) {
      t.feature_names.push_back(name);
      t.features.emplace_back();
    }
  // Pointers taken once every column exists: appending moves the columns.
  std::vector<std::vector<double>*> columns;
  for (const auto& name : names) {
    auto& column = t.features[static_cast<size_t>(t.feature_index(name))].values();
    column.assign(static_cast<size_t>(t.n), std::numeric_limits<double>::quiet_NaN());
    columns.push_back(&column);
  }
  return columns;
}

void write_lead(const std::vector<std::vector<double>*>& columns, size_t lead,
                const std::array<HistoryCounts, 3>& entity, const HistoryCounts& account,
                double prior) {
  for (size_t level = 0; level < kLevels.size(); ++level) {
    (*columns[level * kFeaturesPerLevel])[lead] = smoothed_rate(entity[level], account, prior);
    (*columns[level * kFeaturesPerLevel + 1])[lead] = static_cast<double>(entity[level].known);
  }
}

}  // namespace

std::vector<std::string> outcome_history_feature_names() {
  std::vector<std::string> names;
  for (const char* level : kLevels) {
    names.push_back(std::string(level) + "_past_qualified_rate");
    names.push_back(std::string(level) + "_past_known_leads");
  }
  return names;
}

double smoothed_rate(const HistoryCounts& entity, const HistoryCounts& account, double prior) {
  if (account.known <= 0) return std::numeric_limits<double>::quiet_NaN();
  const double account_rate =
      static_cast<double>(account.qualified) / static_cast<double>(account.known);
  return (static_cast<double>(entity.qualified) + prior * account_rate) /
         (static_cast<double>(entity.known) + prior);
}

void add_outcome_history(const HistoryInputs& in, LeadTable& t) {
  const auto columns = history_columns(t);
  const std::vector<KnownOutcome> known = known_outcomes(in, t);
  // Each lead's knowledge time C, and the leads in order of it: one sweep adds the outcomes
  // known before each C to the counters.
  const int64_t visible_until = end_of_day(in.as_of_date);
  std::vector<int64_t> knowledge(static_cast<size_t>(t.n));
  for (size_t i = 0; i < knowledge.size(); ++i)
    knowledge[i] = std::min(end_of_day(t.feature_end_date[i]), visible_until);
  std::vector<size_t> order(knowledge.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return knowledge[a] < knowledge[b]; });
  Counters counters(t);
  size_t next = 0;
  for (size_t lead : order) {
    while (next < known.size() && known[next].known_after < knowledge[lead]) {
      counters.add(t, static_cast<size_t>(known[next].lead), known[next].outcome);
      ++next;
    }
    write_lead(columns, lead,
               {counters.of(t, 0, lead), counters.of(t, 1, lead), counters.of(t, 2, lead)},
               counters.account, in.prior);
  }
  t.narrow_features();  // a back-test recomputes these columns on a built table
}

OutcomeHistorySnapshot outcome_history_snapshot(const HistoryInputs& in, const LeadTable& t) {
  OutcomeHistorySnapshot s;
  s.as_of_date = in.as_of_date;
  s.prior = in.prior;
  const int64_t visible_until = end_of_day(in.as_of_date);
  Counters counters(t);
  for (const KnownOutcome& k : known_outcomes(in, t)) {
    if (k.known_after >= visible_until) break;
    counters.add(t, static_cast<size_t>(k.lead), k.outcome);
  }
  // By ID rather than code: the snapshot outlives this table's dictionaries.
  s.account = counters.account;
  std::array<std::map<std::string, HistoryCounts>*, 3> maps = {&s.campaign, &s.adset, &s.ad};
  for (size_t level = 0; level < kLevels.size(); ++level) {
    const std::string dictionary = id_dictionary(level);
    const auto& counts = counters.by_code[level];
    for (size_t code = 0; code < counts.size(); ++code)
      if (counts[code].known > 0)
        (*maps[level])[t.str(dictionary.c_str(), static_cast<int32_t>(code))] = counts[code];
  }
  return s;
}

void add_outcome_history_from_snapshot(const OutcomeHistorySnapshot& snapshot, LeadTable& t) {
  const auto columns = history_columns(t);
  // The snapshot's counts by ID code, looked up once per entity rather than once per lead.
  const std::array<const std::map<std::string, HistoryCounts>*, 3> maps = {
      &snapshot.campaign, &snapshot.adset, &snapshot.ad};
  Counters by_entity(t);
  for (size_t level = 0; level < kLevels.size(); ++level) {
    auto& counts = by_entity.by_code[level];
    const std::string dictionary = id_dictionary(level);
    for (size_t code = 0; code < counts.size(); ++code) {
      auto it = maps[level]->find(t.str(dictionary.c_str(), static_cast<int32_t>(code)));
      if (it != maps[level]->end()) counts[code] = it->second;
    }
  }
  for (size_t lead = 0; lead < static_cast<size_t>(t.n); ++lead)
    write_lead(columns, lead,
               {by_entity.of(t, 0, lead), by_entity.of(t, 1, lead), by_entity.of(t, 2, lead)},
               snapshot.account, snapshot.prior);
  t.narrow_features();
}

}  // namespace elv::table
