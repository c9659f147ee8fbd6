#include <vector>

#include <gtest/gtest.h>

#include "table/daily_cube.h"

namespace elv::table {
namespace {

struct Rows {
  std::vector<int32_t> entity, day;
  std::vector<double> value;
  DailyCube build() const {
    return DailyCube::build(
        static_cast<int64_t>(entity.size()), 3, 1, [&](int64_t i) { return entity[i]; },
        [&](int64_t i) { return day[i]; }, [&](int64_t i, int) { return value[i]; });
  }
};

TEST(DailyCube, SumsOverTheEntitysOwnSpan) {
  const Rows rows{{0, 0, 1}, {100, 102, 5}, {1.0, 2.0, 4.0}};
  const DailyCube cube = rows.build();
  EXPECT_DOUBLE_EQ(cube.sum(0, 0, 0, 1000), 3.0);
  EXPECT_DOUBLE_EQ(cube.sum(0, 0, 101, 102), 2.0);
  EXPECT_DOUBLE_EQ(cube.sum(1, 0, 5, 5), 4.0);
  EXPECT_FALSE(cube.has(2));
}

// A mistyped year (9999-12-31 among rows of 2026) would stretch the spans over millions of
// days: refused before allocating, naming the row with the outlying date.
TEST(DailyCube, SpanBeyondTheBoundIsRefused) {
  constexpr int32_t k2026 = 20605, k9999 = 2932896;  // days since 1970 of 2026-06-01, 9999-12-31
  Rows rows;
  for (int e = 0; e < 3; ++e) {
    for (int d = 0; d < 30; ++d)
      rows.entity.push_back(e), rows.day.push_back(k2026 + d), rows.value.push_back(1);
  }
  rows.entity.push_back(2), rows.day.push_back(k9999), rows.value.push_back(1);
  rows.entity.push_back(1), rows.day.push_back(k9999), rows.value.push_back(1);
  try {
    rows.build();
    FAIL() << "no SpanTooLong";
  } catch (const SpanTooLong& e) {
    EXPECT_EQ(e.entity, 1);  // the first of the longest spans
    EXPECT_EQ(e.wrong_day, k9999);
    EXPECT_EQ(e.first, k2026);
    EXPECT_EQ(e.row, 91);
    EXPECT_GT(e.entity_days, e.limit);
    EXPECT_EQ(e.limit, DailyCube::max_entity_days(92));
    EXPECT_GE(e.typical_day, k2026);
    EXPECT_LT(e.typical_day, k2026 + 30);
  }
  // One far date alone fits (2.9 M days < 5 M): the bound is a backstop, not a date check.
  rows.entity.pop_back(), rows.day.pop_back(), rows.value.pop_back();
  EXPECT_NO_THROW(rows.build());
}

}  // namespace
}  // namespace elv::table
