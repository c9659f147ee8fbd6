// Outcome history features (docs/CONTRACT.md §4.8): per campaign, ad set and ad, the qualified
// rate of its earlier leads whose outcome was known at the lead's feature date, smoothed toward
// the account's rate, and how many such leads there were.
//
// The leakage rule: lead j's outcome is known at time C when its label window has closed,
// created_j + label window < C. Then a qualification inside the window has happened and is
// visible (it is before C), and a lead that did not qualify in it is a known negative. A lead
// i's C is the end of its feature date (feature_end_date, the last day its ads features see),
// and never later than the end of as_of_date, whose later outcomes no run may see. Since C is
// at most a day after the lead, a lead never sees its own outcome (the window is a day or more).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "table/lead_table.h"

namespace elv::table {

// Strength of the smoothing, in leads: an entity with this many known outcomes gets half its
// own rate and half the account's (features.outcome_history_prior).
inline constexpr double kDefaultHistoryPrior = 20.0;

// The features, in table order: <level>_past_qualified_rate and <level>_past_known_leads for
// campaign, ad set and ad.
std::vector<std::string> outcome_history_feature_names();

struct HistoryCounts {
  int64_t known = 0;      // leads whose outcome was known
  int64_t qualified = 0;  // of them, qualified inside the label window
  bool operator==(const HistoryCounts&) const = default;
};

// What was known when a model was trained (model.json "outcome_history"): the counts per
// entity ID at the end of as_of_date. Batch scoring, which reads no outcomes, takes every
// lead's history from it (docs/BATCH_SCORING.md).
struct OutcomeHistorySnapshot {
  int32_t as_of_date = 0;  // days
  double prior = kDefaultHistoryPrior;
  HistoryCounts account;
  std::map<std::string, HistoryCounts> campaign, adset, ad;  // by campaign_id, adset_id, ad_id
  bool operator==(const OutcomeHistorySnapshot&) const = default;
};

struct HistoryInputs {
  // Per lead of the table: the earliest qualified_time (contracts::kNullTime = none,
  // kUnreadableOutcome = unreadable: such a lead's outcome is never known).
  const std::vector<int64_t>* qualified_time = nullptr;
  int32_t as_of_date = 0;
  int label_window_days = 14;
  double prior = kDefaultHistoryPrior;
};

// Appends the features to `t` (or, when `t` has them already, recomputes their values: a
// back-test's cut-off changes as_of_date). Needs t's keys, created_time and feature_end_date.
void add_outcome_history(const HistoryInputs& in, LeadTable& t);

// The counts known at the end of as_of_date, for model.json.
OutcomeHistorySnapshot outcome_history_snapshot(const HistoryInputs& in, const LeadTable& t);

// Appends the features computed from a snapshot: every lead gets its entities' counts.
void add_outcome_history_from_snapshot(const OutcomeHistorySnapshot& snapshot, LeadTable& t);

// The smoothed rate: (qualified + prior·account rate) / (known + prior); NaN while the
// account has no known outcome.
double smoothed_rate(const HistoryCounts& entity, const HistoryCounts& account, double prior);

}  // namespace elv::table
