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

namespace elv::contracts {

namespace {
template <typename T>
void compact(std::vector<T>& values, const std::vector<uint8_t>& keep) {
  size_t out = 0;
  for (size_t i = 0; i < values.size(); ++i)
    if (keep[i]) values[out++] = values[i];
  values.resize(out);
}
}  // namespace

void Frame::keep_rows(const std::vector<uint8_t>& keep) {
  // Empty cells of the rows set aside no longer count as empty cells of the file.
  auto forget_nulls = [&](const std::string& name, const auto& values, auto is_null) {
    int64_t dropped = 0;
    for (size_t i = 0; i < values.size(); ++i) dropped += !keep[i] && is_null(values[i]);
    if (auto it = issues.find(name); it != issues.end()) it->second.nulls -= dropped;
  };
  for (const auto& [name, v] : codes)
    forget_nulls(name, v, [](int32_t c) { return c == kNullCode; });
  for (const auto& [name, v] : numbers) forget_nulls(name, v, [](double x) { return x != x; });
  for (const auto& [name, v] : dates)
    forget_nulls(name, v, [](int32_t d) { return d == kNullDate; });
  for (const auto& [name, v] : times)
    forget_nulls(name, v, [](int64_t t) { return t == kNullTime; });
  for (auto& [name, v] : codes) compact(v, keep);
  for (auto& [name, v] : numbers) compact(v, keep);
  for (auto& [name, v] : dates) compact(v, keep);
  for (auto& [name, v] : times) compact(v, keep);
  compact(lines, keep);
  n_rows = static_cast<int64_t>(lines.size());
}

int64_t Frame::row_of_line(int64_t line) const {
  const auto it = std::lower_bound(lines.begin(), lines.end(), line);
  return it != lines.end() && *it == line ? static_cast<int64_t>(it - lines.begin()) : -1;
}

std::string FileFormat::describe() const {
  std::string s = reading;
  s += decimal == ',' ? ", decimal comma" : ", decimal point";
  if (decimal_configured) s += " (csv.decimal)";
  if (!timezone.empty()) s += ", local times in " + timezone;
  return s;
}

}  // namespace elv::contracts
