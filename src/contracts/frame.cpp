#include "contracts/frame.h"

#include <algorithm>

#include "io/parse.h"

namespace elv::contracts {

std::pair<std::string, std::string> date_range(const Frame& frame) {
  // The first date column, else the first timestamp column, in file order.
  for (const auto& name : frame.present_columns) {
    if (auto it = frame.dates.find(name); it != frame.dates.end()) {
      int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
      for (int32_t d : it->second)
        if (d != kNullDate) lo = std::min(lo, d), hi = std::max(hi, d);
      if (lo > hi) return {};
      return {parse::format_date(lo), parse::format_date(hi)};
    }
  }
  for (const auto& name : frame.present_columns) {
    if (auto it = frame.times.find(name); it != frame.times.end()) {
      int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
      for (int64_t t : it->second)
        if (t != kNullTime) lo = std::min(lo, t), hi = std::max(hi, t);
      if (lo > hi) return {};
      return {parse::format_timestamp(lo), parse::format_timestamp(hi)};
    }
  }
  return {};
}

}  // namespace elv::contracts
