// The one definition of a day: elv counts time in seconds and days since 1970-01-01 UTC
// (negative before it). Civil dates (year, month, day) are in io/parse.h.
#pragma once
#include <cstdint>

namespace elv {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerHour = 3600;

// Division rounding toward minus infinity: -1 second is on day -1 (1969-12-31), not day 0.
constexpr int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// The day (since 1970-01-01) a UTC timestamp falls on.
constexpr int32_t day_of(int64_t seconds) {
  return static_cast<int32_t>(floor_div(seconds, kSecondsPerDay));
}

static_assert(day_of(-1) == -1 && day_of(0) == 0 && day_of(kSecondsPerDay - 1) == 0);

}  // namespace elv
