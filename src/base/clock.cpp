#include "base/clock.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/error.h"

namespace elv {

int64_t now_seconds() {
  const char* fixed = std::getenv("SOURCE_DATE_EPOCH");
  if (fixed == nullptr)
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  const std::string_view text(fixed);
  int64_t seconds = -1;
  // Digits only: from_chars alone would take a leading '-'.
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (!digits || ec != std::errc() || end != text.data() + text.size() ||
      seconds > kMaxSourceDateEpoch)
    throw Error(
        "the environment variable SOURCE_DATE_EPOCH must be a whole number of seconds "
        "since 1970-01-01T00:00:00Z, at most " +
        std::to_string(kMaxSourceDateEpoch) + " (got '" + std::string(text) + "')");
  return seconds;
}

}  // namespace elv
