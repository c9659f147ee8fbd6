// The duplicate-key check's index (contracts/first_row_index.h): the flat table and the hash
// map give the same first row for every key, with nulls, repeats and one to three columns.
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/first_row_index.h"

namespace elv::contracts::detail {
namespace {

// Random key columns: codes in [0, range) with some nulls, dates near 20,000 days.
std::vector<std::vector<int32_t>> random_columns(size_t n_columns, size_t rows, int range,
                                                 uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<int32_t>> columns(n_columns, std::vector<int32_t>(rows));
  for (size_t c = 0; c < n_columns; ++c)
    for (auto& v : columns[c]) {
      const int r = static_cast<int>(rng() % static_cast<uint32_t>(range));
      if (rng() % 50 == 0)
        v = c == 0 ? kNullDate : kNullCode;
      else
        v = c == 0 ? 20000 + r : r;  // the first column a date, the others codes
    }
  return columns;
}

// What every row's key was first seen at, by each index and by a plain ordered map.
void expect_same_first_rows(const std::vector<std::vector<int32_t>>& columns) {
  std::vector<const std::vector<int32_t>*> pointers;
  for (const auto& c : columns) pointers.push_back(&c);
  const size_t rows = columns[0].size();
  FirstRowIndex dense(pointers, rows);
  FirstRowIndex sparse(pointers, rows, /*dense_limit=*/1);
  ASSERT_TRUE(dense.is_dense());
  ASSERT_FALSE(sparse.is_dense());
  std::map<KeyValue, size_t> reference;
  size_t repeats = 0;
  for (size_t i = 0; i < rows; ++i) {
    KeyValue key{0, 0, 0};
    bool has_null = false;
    for (size_t c = 0; c < columns.size(); ++c) {
      key[c] = columns[c][i];
      has_null = has_null || is_null_key_part(key[c]);
    }
    if (has_null) continue;
    const size_t expected = reference.emplace(key, i).first->second;
    repeats += expected != i;
    EXPECT_EQ(dense.first_row(key, i), expected) << "row " << i;
    EXPECT_EQ(sparse.first_row(key, i), expected) << "row " << i;
  }
  EXPECT_GT(repeats, 0u);  // the data has repeated keys to find
}

TEST(FirstRowIndex, FlatTableAndHashMapAgreeOnEveryRow) {
  expect_same_first_rows(random_columns(1, 5000, 3000, 1));
  expect_same_first_rows(random_columns(2, 5000, 60, 2));
  expect_same_first_rows(random_columns(3, 5000, 20, 3));
}

TEST(FirstRowIndex, AWideBoxFallsBackToTheHashMap) {
  // Two codes a billion apart: a flat table would need a billion places for two rows.
  const std::vector<int32_t> ids = {0, 1000000000, 0};
  FirstRowIndex index({&ids}, ids.size());
  EXPECT_FALSE(index.is_dense());
  EXPECT_EQ(index.first_row({0, 0, 0}, 0), 0u);
  EXPECT_EQ(index.first_row({1000000000, 0, 0}, 1), 1u);
  EXPECT_EQ(index.first_row({0, 0, 0}, 2), 0u);
}

}  // namespace
}  // namespace elv::contracts::detail
