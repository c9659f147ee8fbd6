// Per-entity daily totals over a calendar index, stored as prefix sums so the sum over any
// window of days is O(1) (SPEC §4.4). Each entity spans only the days between its own
// first and last row, so sparse accounts do not pay for the whole calendar.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace elv::table {

// The span of days a daily file covers: [first, last]. Days outside it are unknown.
struct CoveredSpan {
  int32_t first = 0, last = -1;
  bool empty() const { return last < first; }
  // The part of [from, to] that is covered; nullopt when none of it is.
  std::optional<std::pair<int32_t, int32_t>> clip(int32_t from, int32_t to) const;
};

class DailyCube {
 public:
  // Rows are given by accessors: entity_of(i) (negative = skip the row), day_of(i),
  // value_of(i, metric). n_entities bounds entity codes. When active_from_metric >= 0 an
  // extra metric (index n_metrics) counts days where that metric's daily total is > 0.
  static DailyCube build(int64_t n_rows, int32_t n_entities, int n_metrics,
                         const std::function<int32_t(int64_t)>& entity_of,
                         const std::function<int32_t(int64_t)>& day_of,
                         const std::function<double(int64_t, int)>& value_of,
                         int active_from_metric = -1);

  int n_metrics() const { return k_; }
  bool has(int32_t entity) const {
    return entity >= 0 && entity < static_cast<int32_t>(first_day_.size()) && span_len_[entity] > 0;
  }
  // Sum of the metric over days [from, to]; days outside the entity's own rows count 0.
  double sum(int32_t entity, int metric, int32_t from, int32_t to) const;

 private:
  int k_ = 0;
  std::vector<int32_t> first_day_;  // per entity
  std::vector<int32_t> span_len_;   // per entity, 0 = entity has no rows
  std::vector<int64_t> offset_;     // per entity, into prefix_ (in rows of k_ values)
  std::vector<double> prefix_;      // (span_len + 1) rows of k_ values per entity
};

}  // namespace elv::table
