// libFuzzer target: the scalar parsers of src/io/parse.cpp (timestamps, dates, numbers,
// IDs) on arbitrary text. They never throw; a crash, a sanitizer report or a broken
// invariant is a finding. Invariants:
//   - a parsed timestamp or date formats back to text that parses to the same value
//     (within years 0001..9998, which the formatter writes as four digits);
//   - a parsed number is finite; "Empty" only for blank text;
//   - a normalised ID is never longer than the input and never empty when Ok.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/parse.h"

namespace {

constexpr int64_t kMinSeconds = -62135596800LL;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxSeconds = 253370764800LL;  // 9999-01-01T00:00:00Z

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace p = elv::parse;

  if (const auto t = p::timestamp_seconds(text)) {
    if (*t >= kMinSeconds && *t < kMaxSeconds) {
      const auto back = p::timestamp_seconds(p::format_timestamp(*t));
      if (!back || *back != *t) std::abort();
    }
  }
  if (const auto d = p::date_days(text)) {
    const int64_t seconds = static_cast<int64_t>(*d) * 86400;
    if (seconds >= kMinSeconds && seconds < kMaxSeconds) {
      const auto back = p::date_days(p::format_date(*d));
      if (!back || *back != *d) std::abort();
      (void)p::weekday_monday0(*d);
    }
  }

  double value = 0;
  switch (p::number(text, value)) {
    case p::NumberStatus::Ok:
      if (!std::isfinite(value)) std::abort();
      break;
    case p::NumberStatus::Empty:
      if (!blank(text)) std::abort();
      break;
    case p::NumberStatus::Invalid:
      break;
  }

  std::string id;
  const p::IdStatus status = p::normalize_id(text, id);
  if (id.size() > text.size()) std::abort();
  if (status == p::IdStatus::Ok && id.empty()) std::abort();
  return 0;
}
