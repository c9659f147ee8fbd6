#include "table/daily_cube.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace elv::table {

namespace {

// Builds the SpanTooLong for entity-days over the bound: the longest span's outlying end
// (the one farther from the median date of all rows) and a row holding it. Error path
// only, so a copy of the dates is fine.
[[noreturn]] void throw_span_too_long(int64_t n_rows, const std::vector<int32_t>& lo,
                                      const std::vector<int32_t>& hi, int64_t entity_days,
                                      const std::function<int32_t(int64_t)>& entity_of,
                                      const std::function<int32_t(int64_t)>& day_of) {
  SpanTooLong err;
  err.entity_days = entity_days;
  err.limit = DailyCube::max_entity_days(n_rows);
  int64_t longest = -1;
  for (size_t e = 0; e < lo.size(); ++e) {
    if (lo[e] <= hi[e] && int64_t{hi[e]} - lo[e] > longest) {
      longest = int64_t{hi[e]} - lo[e];
      err.entity = static_cast<int32_t>(e);
    }
  }
  std::vector<int32_t> days;
  for (int64_t i = 0; i < n_rows; ++i)
    if (entity_of(i) >= 0) days.push_back(day_of(i));
  std::nth_element(days.begin(), days.begin() + static_cast<std::ptrdiff_t>(days.size() / 2),
                   days.end());
  err.typical_day = days[days.size() / 2];
  err.first = lo[err.entity];
  err.last = hi[err.entity];
  err.wrong_day = std::abs(int64_t{err.last} - err.typical_day) >=
                          std::abs(int64_t{err.first} - err.typical_day)
                      ? err.last
                      : err.first;
  for (int64_t i = 0; i < n_rows && err.row < 0; ++i)
    if (entity_of(i) == err.entity && day_of(i) == err.wrong_day) err.row = i;
  throw err;
}

}  // namespace

std::optional<std::pair<int32_t, int32_t>> CoveredSpan::clip(int32_t from, int32_t to) const {
  const int32_t a = std::max(from, first);
  const int32_t b = std::min(to, last);
  if (a > b) return std::nullopt;
  return std::make_pair(a, b);
}

DailyCube DailyCube::build(int64_t n_rows, int32_t n_entities, int n_metrics,
                           const std::function<int32_t(int64_t)>& entity_of,
                           const std::function<int32_t(int64_t)>& day_of,
                           const std::function<double(int64_t, int)>& value_of,
                           int active_from_metric) {
  DailyCube cube;
  const bool with_active = active_from_metric >= 0;
  cube.k_ = n_metrics + (with_active ? 1 : 0);
  const int k = cube.k_;
  const auto n = static_cast<size_t>(n_entities);
  std::vector<int32_t> lo(n, std::numeric_limits<int32_t>::max());
  std::vector<int32_t> hi(n, std::numeric_limits<int32_t>::min());

  // Pass 1: each entity's own span of days.
  for (int64_t i = 0; i < n_rows; ++i) {
    const int32_t e = entity_of(i);
    if (e < 0) continue;
    const int32_t d = day_of(i);
    lo[e] = std::min(lo[e], d);
    hi[e] = std::max(hi[e], d);
  }
  cube.first_day_.assign(n, 0);
  cube.span_len_.assign(n, 0);
  cube.offset_.assign(n, 0);
  int64_t total_rows = 0;
  for (size_t e = 0; e < n; ++e) {
    cube.offset_[e] = total_rows;
    if (lo[e] > hi[e]) continue;
    cube.first_day_[e] = lo[e];
    cube.span_len_[e] = hi[e] - lo[e] + 1;
    total_rows += cube.span_len_[e] + 1;  // +1: prefix row 0 is all zeros
  }
  // Checked before allocating: the spans come from the input's dates, and one mistyped
  // year must not turn a few rows into gigabytes of days.
  if (total_rows > max_entity_days(n_rows))
    throw_span_too_long(n_rows, lo, hi, total_rows, entity_of, day_of);
  cube.prefix_.assign(static_cast<size_t>(total_rows) * k, 0.0);

  // Pass 2: daily totals, stored one row after their day so the prefix pass is in place.
  for (int64_t i = 0; i < n_rows; ++i) {
    const int32_t e = entity_of(i);
    if (e < 0) continue;
    const int64_t row = cube.offset_[e] + (day_of(i) - cube.first_day_[e]) + 1;
    double* cell = &cube.prefix_[static_cast<size_t>(row) * k];
    for (int m = 0; m < n_metrics; ++m) {
      const double v = value_of(i, m);
      if (v == v) cell[m] += v;  // nulls (NaN) add nothing
    }
  }
  // Pass 3: active-day flags from the daily totals, then prefix sums per entity.
  for (size_t e = 0; e < n; ++e) {
    const int64_t base = cube.offset_[e];
    for (int32_t d = 1; d <= cube.span_len_[e]; ++d) {
      double* cell = &cube.prefix_[static_cast<size_t>(base + d) * k];
      const double* prev = cell - k;
      if (with_active) cell[n_metrics] = cell[active_from_metric] > 0 ? 1.0 : 0.0;
      for (int m = 0; m < k; ++m) cell[m] += prev[m];
    }
  }
  return cube;
}

double DailyCube::sum(int32_t entity, int metric, int32_t from, int32_t to) const {
  if (!has(entity)) return 0.0;
  const int32_t first = first_day_[entity];
  const int32_t len = span_len_[entity];
  // Clamp to the entity's own span; index d - first + 1 holds the sum through day d.
  const int32_t a = std::max(from, first) - first;  // days before a are excluded
  const int32_t b = std::min(to, first + len - 1) - first + 1;
  if (a >= b) return 0.0;
  const size_t base = static_cast<size_t>(offset_[entity]);
  return prefix_[(base + b) * k_ + metric] - prefix_[(base + a) * k_ + metric];
}

}  // namespace elv::table
