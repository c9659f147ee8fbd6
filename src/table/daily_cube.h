// Per-entity daily totals over a calendar index, stored as prefix sums so the sum over any
// window of days is O(1) (docs/CONTRACT.md §4.4). Each entity spans only the days between its own
// first and last row, so sparse accounts do not pay for the whole calendar.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

namespace elv::table {

// The span of days a daily file covers: [first, last]. Days outside it are unknown.
struct CoveredSpan {
  int32_t first = 0, last = -1;
  bool empty() const { return last < first; }
  // The part of [from, to] that is covered; nullopt when none of it is.
  std::optional<std::pair<int32_t, int32_t>> clip(int32_t from, int32_t to) const;
};

// Thrown by DailyCube::build when the entities' spans would need more entity-days than
// the bound allows (a row dated 9999-12-31 stretches its entity over 2.9 M days). Carries
// what the caller needs to name the file, line and entity: the row holding the date that
// looks wrong (the end of the longest span farther from the median date of all rows).
struct SpanTooLong : std::runtime_error {
  SpanTooLong() : std::runtime_error("daily span too long") {}
  int64_t row = -1;                        // index of a row dated `wrong_day`
  int32_t entity = -1;                     // the entity with the longest span
  int32_t first = 0, last = 0;             // its span
  int32_t wrong_day = 0, typical_day = 0;  // the outlying end, and the median date
  int64_t entity_days = 0, limit = 0;      // what was needed, and the bound
};

class DailyCube {
 public:
  // Entity-days (one row of prefix sums per entity and day of its span) allowed for
  // n_rows input rows: 5 M + 8 per row. At 4 metrics of 8 bytes that is 160 MB + 256 bytes
  // per row per cube, inside the rule of 1 GB + 40 x input bytes (docs/LIMITS.md) for the
  // three levels together; real spans (rows on most days of an entity's life) stay far
  // below, since then entity-days are about the row count.
  static int64_t max_entity_days(int64_t n_rows) { return 5'000'000 + 8 * n_rows; }

  // Rows are given by accessors: entity_of(i) (negative = skip the row), day_of(i),
  // value_of(i, metric). n_entities bounds entity codes. When active_from_metric >= 0 an
  // extra metric (index n_metrics) counts days where that metric's daily total is > 0.
  // Throws SpanTooLong when the spans need more than max_entity_days(n_rows).
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
