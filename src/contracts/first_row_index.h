// The row where each value of a file's unique key (up to three columns of codes or dates)
// was first seen: what the duplicate-key check (checks_per_file.cpp) asks of every row.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

#include "contracts/frame.h"

namespace elv::contracts::detail {

using KeyValue = std::array<int32_t, 3>;  // up to three key columns, codes or dates

struct KeyValueHash {
  size_t operator()(const KeyValue& k) const {
    uint64_t h = 1469598103934665603ull;  // FNV-1a over the three 32-bit parts
    for (int32_t v : k) {
      h ^= static_cast<uint32_t>(v);
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h);
  }
};

inline bool is_null_key_part(int32_t v) { return v == kNullCode || v == kNullDate; }

// The row where each key value was first seen. Codes and dates are dense ranges, so when
// the box of the key columns' ranges is not much larger than the file, a flat table indexed
// by the key's place in that box replaces the hash map (leads.csv's lead_id at 120,000 rows:
// about 1 ms instead of 12); either gives the same answer.
class FirstRowIndex {
 public:
  // dense_limit: the largest box the flat table may have (0: four times the rows, and at
  // least 65,536 places).
  FirstRowIndex(const std::vector<const std::vector<int32_t>*>& columns, size_t n_rows,
                uint64_t dense_limit = 0) {
    uint64_t extent = 1;
    for (const auto* column : columns) {
      int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
      for (int32_t v : *column)
        if (!is_null_key_part(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      const uint64_t span = lo > hi ? 1 : static_cast<uint64_t>(int64_t{hi} - lo) + 1;
      lows_.push_back(lo > hi ? 0 : lo);
      spans_.push_back(span);
      extent = extent > kMaxDenseExtent / span ? kMaxDenseExtent + 1 : extent * span;
    }
    if (dense_limit == 0)
      dense_limit = std::max<uint64_t>(4 * static_cast<uint64_t>(n_rows), uint64_t{1} << 16);
    if (extent <= dense_limit && n_rows < kNoRow)
      dense_.assign(extent, kNoRow);
    else
      sparse_.reserve(n_rows);
  }

  // The row that first had this key value; `row` itself (now recorded) when it is the first.
  size_t first_row(const KeyValue& value, size_t row) {
    if (dense_.empty()) return sparse_.emplace(value, row).first->second;
    uint64_t place = 0;
    for (size_t c = 0; c < spans_.size(); ++c)
      place = place * spans_[c] + static_cast<uint64_t>(int64_t{value[c]} - lows_[c]);
    uint32_t& first = dense_[place];
    if (first == kNoRow) first = static_cast<uint32_t>(row);
    return first;
  }

  bool is_dense() const { return !dense_.empty(); }

 private:
  static constexpr uint32_t kNoRow = std::numeric_limits<uint32_t>::max();
  static constexpr uint64_t kMaxDenseExtent = uint64_t{1} << 40;
  std::vector<int32_t> lows_;
  std::vector<uint64_t> spans_;
  std::vector<uint32_t> dense_;
  std::unordered_map<KeyValue, size_t, KeyValueHash> sparse_;
};

}  // namespace elv::contracts::detail
