// The shared helpers of base/: one formatter, one calendar, one logistic, one parallel-for.
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "base/calendar.h"
#include "base/format.h"
#include "base/logistic.h"
#include "base/parallel.h"

namespace elv {
namespace {

TEST(Format, FixedRoundsCorrectlyAndNeverPrintsMinusZero) {
  EXPECT_EQ(fixed(2.5, 2), "2.50");
  EXPECT_EQ(fixed(0.125, 2), "0.12");  // the exact binary value is just below 0.125
  EXPECT_EQ(fixed(-0.0001, 1), "0.0");
  EXPECT_EQ(fixed(-1.25, 1), "-1.2");
  EXPECT_EQ(fixed(std::nan(""), 1), "");
  EXPECT_EQ(fixed(1e300, 0).size(), 301u);
}

TEST(Format, PercentAndJoin) {
  EXPECT_EQ(percent(0.123), "12.3 %");
  EXPECT_EQ(percent(1.0), "100.0 %");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join({}, ", "), "");
}

TEST(Calendar, DaysRoundTowardMinusInfinity) {
  EXPECT_EQ(day_of(0), 0);
  EXPECT_EQ(day_of(-1), -1);
  EXPECT_EQ(day_of(kSecondsPerDay), 1);
  EXPECT_EQ(day_of(-kSecondsPerDay), -1);
  EXPECT_EQ(day_of(-kSecondsPerDay - 1), -2);
  EXPECT_EQ(floor_div(7, 2), 3);
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(floor_div(7, -2), -4);
}

TEST(Logistic, StableAtTheExtremes) {
  EXPECT_DOUBLE_EQ(sigmoid(0), 0.5);
  EXPECT_NEAR(sigmoid(2) + sigmoid(-2), 1.0, 1e-15);
  EXPECT_GE(sigmoid(-800), 0.0);
  EXPECT_FALSE(std::isnan(sigmoid(-800)));
  EXPECT_EQ(sigmoid(800), 1.0);
  EXPECT_NEAR(softplus(0), std::log(2.0), 1e-15);
  EXPECT_DOUBLE_EQ(softplus(1000), 1000.0);  // no overflow
  EXPECT_GT(softplus(-50), 0.0);             // no underflow to zero yet
}

TEST(Parallel, ZeroThreadsMeansAllCoresAndNeverBelowOne) {
  EXPECT_GE(resolve_threads(0), 1);
  EXPECT_EQ(resolve_threads(-3), resolve_threads(0));
  EXPECT_EQ(resolve_threads(3), 3);
}

TEST(Parallel, EveryItemOnceWhateverTheThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<std::atomic<int>> seen(1000);
    for_each_interleaved(1000, threads, [&](int64_t k) { seen[static_cast<size_t>(k)]++; });
    for (const auto& s : seen) ASSERT_EQ(s.load(), 1) << threads << " threads";
    std::vector<std::atomic<int>> covered(100000);
    parallel_ranges(100000, threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) covered[static_cast<size_t>(i)]++;
    });
    for (const auto& c : covered) ASSERT_EQ(c.load(), 1) << threads << " threads";
  }
}

TEST(Parallel, TheLowestWorkersErrorIsRethrownAfterAllFinish) {
  std::atomic<int> finished{0};
  try {
    run_workers(4, [&](int t) {
      finished++;
      if (t == 1 || t == 3) throw std::runtime_error("worker " + std::to_string(t));
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "worker 1");
  }
  EXPECT_EQ(finished.load(), 4);
}

}  // namespace
}  // namespace elv
