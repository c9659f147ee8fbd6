// Time zones by IANA name (csv.timezone), from the system's tz database.
#include <gtest/gtest.h>

#include "io/parse.h"
#include "io/timezone.h"

namespace elv::tz {
namespace {

int64_t local(const char* text) {
  return *parse::timestamp_seconds(text);
}  // the wall clock, as if UTC

TEST(Zone, ConvertsWallClockToUtcWithDaylightSaving) {
  const auto berlin = Zone::load("Europe/Berlin");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(berlin->name(), "Europe/Berlin");
  EXPECT_EQ(berlin->local_to_utc(local("2026-01-15T10:00:00")),
            local("2026-01-15T09:00:00"));  // CET
  EXPECT_EQ(berlin->local_to_utc(local("2026-07-15T10:00:00")),
            local("2026-07-15T08:00:00"));  // CEST
  const auto new_york = Zone::load("America/New_York");
  ASSERT_TRUE(new_york);
  EXPECT_EQ(new_york->local_to_utc(local("2026-07-15T20:30:00")), local("2026-07-16T00:30:00"));
}

TEST(Zone, SkippedAndRepeatedTimesAreReadAsDocumented) {
  const auto berlin = Zone::load("Europe/Berlin");
  ASSERT_TRUE(berlin);
  // 2026-03-29 02:30 does not exist in Berlin: read with the offset before the jump (+01).
  EXPECT_EQ(berlin->local_to_utc(local("2026-03-29T02:30:00")), local("2026-03-29T01:30:00"));
  // 2026-10-25 02:30 happens twice: the first occurrence (+02).
  EXPECT_EQ(berlin->local_to_utc(local("2026-10-25T02:30:00")), local("2026-10-25T00:30:00"));
}

TEST(Zone, UnknownNamesAndPathsAreRefused) {
  EXPECT_FALSE(Zone::load("Europe/Berln"));
  EXPECT_FALSE(Zone::load(""));
  EXPECT_FALSE(Zone::load("../../etc/passwd"));
  EXPECT_FALSE(Zone::load("/etc/localtime"));
  EXPECT_TRUE(Zone::load("UTC"));
}

}  // namespace
}  // namespace elv::tz
