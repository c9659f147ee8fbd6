// The lead table's feature columns are stored in the narrowest exact type (issue 19, item 2):
// what is read back must be the very doubles that were written.
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "table/feature_column.h"

namespace elv::table {
namespace {

using Storage = FeatureColumn::Storage;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Bit-for-bit equality (NaN equal to NaN: it only means null).
void expect_same(const FeatureColumn& column, const std::vector<double>& written) {
  ASSERT_EQ(column.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    if (std::isnan(written[i])) {
      EXPECT_TRUE(std::isnan(column[i])) << i;
      continue;
    }
    const double read = column[i];
    EXPECT_EQ(std::memcmp(&read, &written[i], sizeof read), 0) << i << ": " << written[i];
  }
  EXPECT_EQ(column.to_vector().size(), written.size());
}

FeatureColumn narrowed(const std::vector<double>& values) {
  FeatureColumn column(values);
  column.narrow();
  return column;
}

TEST(FeatureColumn, FlagsHoursAndSmallCountsTakeAByte) {
  const std::vector<double> values = {0, 1, 23, -128, 127, 6, 0};
  const FeatureColumn column = narrowed(values);
  EXPECT_EQ(column.storage(), Storage::Int8);
  EXPECT_EQ(column.memory_bytes(), values.size());
  expect_same(column, values);
}

TEST(FeatureColumn, NullsLargerCountsAndBinaryFractionsTakeAFloat) {
  for (const std::vector<double>& values :
       {std::vector<double>{1, kNaN, 0}, std::vector<double>{128, 3, 16777216},
        std::vector<double>{0.5, 0.25, -3.75}, std::vector<double>{-0.0, 1}}) {
    const FeatureColumn column = narrowed(values);
    EXPECT_EQ(column.storage(), Storage::Float) << values[0];
    expect_same(column, values);
  }
  // The sign of a negative zero survives (a byte would have dropped it).
  EXPECT_TRUE(std::signbit(narrowed({-0.0, 1})[0]));
}

TEST(FeatureColumn, ValuesAFloatWouldRoundStayDouble) {
  for (const std::vector<double>& values :
       {std::vector<double>{1, 0.1}, std::vector<double>{16777217, 0},
        std::vector<double>{1e300, 1}, std::vector<double>{1e-45, 0},
        std::vector<double>{std::numeric_limits<double>::infinity(), 0}}) {
    const FeatureColumn column = narrowed(values);
    EXPECT_EQ(column.storage(), Storage::Double) << values[0];
    expect_same(column, values);
  }
}

TEST(FeatureColumn, WritingWidensAndNarrowingAgainFitsTheNewValues) {
  FeatureColumn column = narrowed({0, 1, 1});
  ASSERT_EQ(column.storage(), Storage::Int8);
  column.values()[1] = 0.1;  // widened first: the write is kept exactly
  EXPECT_EQ(column.storage(), Storage::Double);
  column.narrow();
  EXPECT_EQ(column.storage(), Storage::Double);
  expect_same(column, {0, 0.1, 1});
  column.values()[1] = 200;  // a column found wide is looked at again after a write
  column.narrow();
  EXPECT_EQ(column.storage(), Storage::Float);
  expect_same(column, {0, 200, 1});
}

TEST(FeatureColumn, RowsAreReadInTheirOrder) {
  const FeatureColumn column = narrowed({5, 6, 7, 8});
  const std::vector<int64_t> rows = {3, 0, 2};
  EXPECT_EQ(column.to_vector(&rows), (std::vector<double>{8, 5, 7}));
}

// narrowest() checks values two at a time (SSE2); its answer must be the one-value rules',
// whatever the value and wherever it sits in the column (either lane, the odd last value,
// past the first run of 1024).
TEST(FeatureColumn, TheFastScanAnswersAsTheRulesDo) {
  const double inf = std::numeric_limits<double>::infinity();
  const double float_max = std::numeric_limits<float>::max();
  const std::vector<double> tricky = {0,
                                      -0.0,
                                      1,
                                      -1,
                                      127,
                                      128,
                                      -128,
                                      -129,
                                      0.5,
                                      -3.75,
                                      0.1,
                                      16777216,
                                      16777217,
                                      2147483648.0,
                                      -2147483648.0,
                                      1e300,
                                      -1e300,
                                      float_max,
                                      float_max * 2,
                                      inf,
                                      -inf,
                                      kNaN,
                                      -kNaN,
                                      1e-45,
                                      1e-320,
                                      126.5,
                                      -127.9999};
  for (double v : tricky) {
    for (size_t n : {1, 2, 3, 4, 5, 2051}) {
      for (size_t at : {size_t{0}, size_t{1}, n - 1}) {
        if (at >= n) continue;
        std::vector<double> values(n, 3.0);  // fits both: the answer is v's
        values[at] = v;
        const FeatureColumn::Fit fit = FeatureColumn::narrowest(values.data(), n);
        EXPECT_EQ(fit.int8, FeatureColumn::fits_int8(v)) << v << " at " << at << " of " << n;
        EXPECT_EQ(fit.floats, FeatureColumn::fits_float(v)) << v << " at " << at << " of " << n;
      }
    }
  }
  // Past the first run, and a column of values that all fit.
  std::vector<double> values(3000, 1.0);
  EXPECT_TRUE(FeatureColumn::narrowest(values.data(), values.size()).int8);
  values[2999] = 0.1;
  const FeatureColumn::Fit fit = FeatureColumn::narrowest(values.data(), values.size());
  EXPECT_FALSE(fit.int8);
  EXPECT_FALSE(fit.floats);
}

}  // namespace
}  // namespace elv::table
