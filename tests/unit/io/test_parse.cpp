// Scalar parsing: dates, timestamps, numbers and IDs as they appear in exports.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "io/parse.h"

namespace elv::parse {
namespace {

// ---- civil dates ----------------------------------------------------------------------

TEST(Civil, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2026, 1, 1), 20454);
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
}

TEST(Civil, RoundTripOverRangeIncludingNegativesAndLeapDays) {
  // Walk day by day from 1899 to 2101 and check continuity of the calendar: each day is
  // the previous one plus one, so month lengths and leap years all get exercised.
  const int32_t first = days_from_civil(1899, 1, 1);
  const int32_t last = days_from_civil(2101, 12, 31);
  int py = 1898;
  unsigned pm = 12, pd = 31;
  int leap_days = 0;
  for (int32_t z = first; z <= last; ++z) {
    int y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(z, y, m, d);
    ASSERT_EQ(days_from_civil(y, m, d), z);
    const bool next_in_month = (y == py && m == pm && d == pd + 1);
    const bool next_month =
        (d == 1 && ((y == py && m == pm + 1) || (y == py + 1 && m == 1 && pm == 12)));
    ASSERT_TRUE(next_in_month || next_month) << y << "-" << m << "-" << d;
    if (m == 2 && d == 29) ++leap_days;
    py = y;
    pm = m;
    pd = d;
  }
  // Leap years in 1899..2101 are 1904..2096 every 4 years (2000 included; 1900 and 2100
  // are not leap): (2096 - 1904) / 4 + 1 = 49.
  EXPECT_EQ(leap_days, 49);
}

TEST(Civil, FarNegativeDays) {
  for (int32_t z : {-1000000, -719468, -719469, -146097, -1}) {
    int y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(z, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), z);
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(-719468, y, m, d);  // the algorithm's epoch shift: 0000-03-01
  EXPECT_EQ(y, 0);
  EXPECT_EQ(m, 3u);
  EXPECT_EQ(d, 1u);
}

TEST(Civil, WeekdayMondayZero) {
  EXPECT_EQ(weekday_monday0(days_from_civil(2026, 11, 23)), 0);  // a Monday
  EXPECT_EQ(weekday_monday0(days_from_civil(2026, 11, 29)), 6);  // Sunday
  EXPECT_EQ(weekday_monday0(0), 3);                              // 1970-01-01, Thursday
  EXPECT_EQ(weekday_monday0(-1), 2);                             // Wednesday
  EXPECT_EQ(weekday_monday0(-4), 6);                             // 1969-12-28, Sunday
  EXPECT_EQ(weekday_monday0(-3), 0);                             // Monday
}

// ---- dates ------------------------------------------------------------------------------

TEST(DateDays, Valid) {
  EXPECT_EQ(date_days("2026-01-02"), days_from_civil(2026, 1, 2));
  EXPECT_EQ(date_days("  2026-01-02 "), days_from_civil(2026, 1, 2));
  EXPECT_EQ(date_days("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_EQ(date_days("2000-02-29"), days_from_civil(2000, 2, 29));
  EXPECT_EQ(date_days("1969-12-31"), -1);
}

TEST(DateDays, Invalid) {
  EXPECT_EQ(date_days("2026-02-30"), std::nullopt);
  EXPECT_EQ(date_days("2023-02-29"), std::nullopt);
  EXPECT_EQ(date_days("1900-02-29"), std::nullopt);
  EXPECT_EQ(date_days("2026-13-01"), std::nullopt);
  EXPECT_EQ(date_days("2026-00-10"), std::nullopt);
  EXPECT_EQ(date_days("2026-04-31"), std::nullopt);
  EXPECT_EQ(date_days("2026-01-00"), std::nullopt);
  EXPECT_EQ(date_days("02/03/2026"), std::nullopt);
  EXPECT_EQ(date_days("2026-1-2"), std::nullopt);
  EXPECT_EQ(date_days("2026/01/02"), std::nullopt);
  EXPECT_EQ(date_days("2026-01-0x"), std::nullopt);
  EXPECT_EQ(date_days(""), std::nullopt);
  EXPECT_EQ(date_days("   "), std::nullopt);
  EXPECT_EQ(date_days("2026-01-02x"), std::nullopt);
}

TEST(DateDays, TimestampGivesItsUtcDate) {
  EXPECT_EQ(date_days("2026-01-02T03:04:05Z"), days_from_civil(2026, 1, 2));
  EXPECT_EQ(date_days("2026-01-01T23:30:00-02:00"), days_from_civil(2026, 1, 2));
  EXPECT_EQ(date_days("2026-01-02T01:00:00+05:00"), days_from_civil(2026, 1, 1));
  // Before the epoch the UTC date must floor, not truncate towards 1970.
  EXPECT_EQ(date_days("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(date_days("1970-01-01T00:30:00+01:00"), -1);
  EXPECT_EQ(date_days("2026-01-02T25:00:00"), std::nullopt);
}

// ---- timestamps -------------------------------------------------------------------------

int64_t at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return int64_t{days_from_civil(y, m, d)} * 86400 + hh * 3600 + mm * 60 + ss;
}

TEST(Timestamp, Offsets) {
  const int64_t base = at(2026, 1, 2, 3, 4, 5);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05"), base);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05Z"), base);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05z"), base);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05+00:00"), base);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05+05:30"), base - (5 * 3600 + 30 * 60));
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05-0800"), base + 8 * 3600);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05+0000"), base);  // Meta's lead exports
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05+05"), base - 5 * 3600);
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05 +01:00"), base - 3600);
}

TEST(Timestamp, Forms) {
  EXPECT_EQ(timestamp_seconds("2026-01-02 03:04:05"), at(2026, 1, 2, 3, 4, 5));
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04"), at(2026, 1, 2, 3, 4, 0));
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04Z"), at(2026, 1, 2, 3, 4, 0));
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05.999"), at(2026, 1, 2, 3, 4, 5));
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05.123456+01:00"), at(2026, 1, 2, 2, 4, 5));
  EXPECT_EQ(timestamp_seconds("2026-01-02"), at(2026, 1, 2));
  EXPECT_EQ(timestamp_seconds("  2026-01-02T03:04:05Z  "), at(2026, 1, 2, 3, 4, 5));
  EXPECT_EQ(timestamp_seconds("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(timestamp_seconds("2024-02-29T23:59:59Z"), at(2024, 2, 29, 23, 59, 59));
}

TEST(Timestamp, Invalid) {
  for (const char* text : {"",
                           "   ",
                           "garbage",
                           "2026-13-02T03:04:05",
                           "2026-02-30T00:00:00",
                           "2026-01-02T24:00:00",
                           "2026-01-02T23:60:00",
                           "2026-01-02T23:59:60",
                           "2026-01-02T3:04:05",
                           "2026-01-02T03",
                           "2026-01-02T",
                           "2026-01-02X03:04:05",
                           "2026-01-02T03:04:05.",
                           "2026-01-02T03:04:05+5",
                           "2026-01-02T03:04:05+05:3",
                           "2026-01-02T03:04:05+0530x",
                           "2026-01-02T03:04:05Zx",
                           "2026-01-02T03:04:05  Z",
                           "2026-01-02T03:04:05+24:00",
                           "2026-01-02T03:04:05+05:60",
                           "1767225600",
                           "1767225600000",
                           "02/01/2026 03:04",
                           "2026-01-02T03:04:05PST"}) {
    EXPECT_EQ(timestamp_seconds(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(Timestamp, OneSpaceBeforeZoneIsTolerated) {
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05 Z"), at(2026, 1, 2, 3, 4, 5));
  EXPECT_EQ(timestamp_seconds("2026-01-02 03:04:05 -0100"), at(2026, 1, 2, 4, 4, 5));
}

TEST(Timestamp, FormatRoundTrip) {
  EXPECT_EQ(format_timestamp(at(2026, 1, 2, 3, 4, 5)), "2026-01-02T03:04:05+00:00");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59+00:00");
  for (int64_t t : {int64_t{0}, int64_t{-1}, int64_t{1767225600}, at(2024, 2, 29, 12, 0, 1),
                    at(1900, 3, 1, 23, 59, 59), int64_t{-86400 * 400 - 7}}) {
    EXPECT_EQ(timestamp_seconds(format_timestamp(t)), t) << format_timestamp(t);
  }
  EXPECT_EQ(format_date(days_from_civil(2026, 1, 2)), "2026-01-02");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(date_days(format_date(20500)), 20500);
}

// ---- numbers ----------------------------------------------------------------------------

double ok_number(const char* text) {
  double v = -12345;
  EXPECT_EQ(number(text, v), NumberStatus::Ok) << "'" << text << "'";
  return v;
}

TEST(Number, Valid) {
  EXPECT_DOUBLE_EQ(ok_number("42"), 42);
  EXPECT_DOUBLE_EQ(ok_number("-3.5"), -3.5);
  EXPECT_DOUBLE_EQ(ok_number("1,234"), 1234);
  EXPECT_DOUBLE_EQ(ok_number("1,234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(ok_number("-1,234,567.25"), -1234567.25);
  EXPECT_DOUBLE_EQ(ok_number("+1,000"), 1000);
  EXPECT_DOUBLE_EQ(ok_number("1.2e3"), 1200);
  EXPECT_DOUBLE_EQ(ok_number("1.5E-2"), 0.015);
  EXPECT_DOUBLE_EQ(ok_number("+3"), 3);
  EXPECT_DOUBLE_EQ(ok_number(" 7 "), 7);
  EXPECT_DOUBLE_EQ(ok_number("0.1"), 0.1);
  EXPECT_DOUBLE_EQ(ok_number(".5"), 0.5);
  EXPECT_DOUBLE_EQ(ok_number("0"), 0);
}

TEST(Number, Empty) {
  double v = 99;
  EXPECT_EQ(number("", v), NumberStatus::Empty);
  EXPECT_EQ(number("   ", v), NumberStatus::Empty);
  EXPECT_EQ(v, 99);  // untouched
}

TEST(Number, Invalid) {
  for (const char* text :
       {"NaN",      "nan",     "inf",   "-inf",  "+inf",   "Infinity",  "--5",      "+-5",
        "++5",      "1.2.3",   "12,34", "1,2",   "1,2345", "1234,567",  ",123",     "1,",
        "1,234,56", "1,234e3", "5-",    "$5",    "5%",     "abc",       "-",        "+",
        ".",        "1e",      "1e999", "1 234", "0x10",   "1,234.5.6", "1,234.5,6"}) {
    double v = 99;
    EXPECT_EQ(number(text, v), NumberStatus::Invalid) << "'" << text << "'";
    EXPECT_EQ(v, 99) << "'" << text << "'";
  }
}

// ---- ids --------------------------------------------------------------------------------

std::string ok_id(const char* text) {
  std::string out = "stale";
  EXPECT_EQ(normalize_id(text, out), IdStatus::Ok) << "'" << text << "'";
  return out;
}

TEST(Id, MetaPrefixesStripped) {
  EXPECT_EQ(ok_id("l:123456789012345678"), "123456789012345678");
  EXPECT_EQ(ok_id("ag:1"), "1");
  EXPECT_EQ(ok_id("as:120201234567890123"), "120201234567890123");
  EXPECT_EQ(ok_id("c:5"), "5");
  EXPECT_EQ(ok_id("f:7"), "7");
  EXPECT_EQ(ok_id("l:l:9"), "l:9");  // stripped once only
  EXPECT_EQ(ok_id("L:9"), "L:9");    // case-sensitive, as Meta writes them
}

TEST(Id, PrefixAloneIsEmpty) {
  std::string out = "stale";
  EXPECT_EQ(normalize_id("as:", out), IdStatus::Empty);
  EXPECT_EQ(out, "");
}

TEST(Id, TrailingZeroFractionDropped) {
  EXPECT_EQ(ok_id("120201234567890123.0"), "120201234567890123");
  EXPECT_EQ(ok_id("42.000"), "42");
  EXPECT_EQ(ok_id("42.5"), "42.5");  // a real fraction is not an integer ID: kept
  EXPECT_EQ(ok_id("42."), "42.");
  EXPECT_EQ(ok_id("ab.0"), "ab.0");
}

TEST(Id, ScientificNotationFlagged) {
  for (const char* text : {"1.23457E+17", "1.2e17", "1E5", " 1.20201E+17 "}) {
    std::string out;
    EXPECT_EQ(normalize_id(text, out), IdStatus::Scientific) << text;
  }
  std::string out;
  ASSERT_EQ(normalize_id("  1.23457E+17 ", out), IdStatus::Scientific);
  EXPECT_EQ(out, "1.23457E+17");
}

TEST(Id, KeptExactly) {
  EXPECT_EQ(ok_id("ad_000_001_002"), "ad_000_001_002");
  EXPECT_EQ(ok_id("  x  "), "x");
  EXPECT_EQ(ok_id("120201234567890123"), "120201234567890123");
  EXPECT_EQ(ok_id("999999999999999999"), "999999999999999999");  // > 2^53: no float
  EXPECT_EQ(ok_id("000123"), "000123");
  EXPECT_EQ(ok_id("e5"), "e5");
  EXPECT_EQ(ok_id("12e"), "12e");
}

TEST(Id, Empty) {
  std::string out = "stale";
  EXPECT_EQ(normalize_id("", out), IdStatus::Empty);
  EXPECT_EQ(normalize_id("   ", out), IdStatus::Empty);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace elv::parse

namespace elv::parse {
namespace {

// number()'s fast path for plain decimals must give the very same double as strtod (the
// correctly rounded value) for every length and point position it takes.
TEST(ParseNumberFastPath, SameBitsAsStrtod) {
  std::mt19937_64 rng(11);
  for (int n = 0; n < 200000; ++n) {
    const int digits = 1 + static_cast<int>(rng() % 17);  // up to 17: past the fast path too
    std::string s;
    if (rng() % 4 == 0) s.push_back('-');
    for (int d = 0; d < digits; ++d) s.push_back(static_cast<char>('0' + rng() % 10));
    if (rng() % 3) s.insert(s.size() - static_cast<size_t>(rng() % digits), ".");
    if (s.back() == '.' || s == "-" || s.find("-.") == 0) continue;
    double got = 0;
    ASSERT_EQ(number(s, got), NumberStatus::Ok) << s;
    const double want = std::strtod(s.c_str(), nullptr);
    ASSERT_EQ(std::memcmp(&got, &want, sizeof got), 0) << s << ": " << got << " vs " << want;
  }
}

TEST(ParseNumberFastPath, EdgeCells) {
  double v = 0;
  EXPECT_EQ(number(".5", v), NumberStatus::Ok);
  EXPECT_EQ(v, 0.5);
  EXPECT_EQ(number("-0", v), NumberStatus::Ok);
  EXPECT_TRUE(std::signbit(v));
  EXPECT_EQ(number("1.2.3", v), NumberStatus::Invalid);
  EXPECT_EQ(number("-", v), NumberStatus::Invalid);
  EXPECT_EQ(number(".", v), NumberStatus::Invalid);
  EXPECT_EQ(number("12a", v), NumberStatus::Invalid);
  EXPECT_EQ(number("1,234.5", v), NumberStatus::Ok);
  EXPECT_EQ(v, 1234.5);
  EXPECT_EQ(number("123456789012345678", v), NumberStatus::Ok);  // 18 digits: general path
  EXPECT_EQ(v, 123456789012345678.0);
}

// ---- decimal comma (Excel in most of Europe) ---------------------------------------------

TEST(NumberComma, ReadsEuropeanSpellings) {
  double v = 0;
  EXPECT_EQ(number("14,03", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, 14.03);
  EXPECT_EQ(number("1.234,56", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, 1234.56);
  EXPECT_EQ(number("1 234,5", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, 1234.5);
  EXPECT_EQ(number("1\xC2\xA0"
                   "234\xC2\xA0"
                   "567,25",
                   v, DecimalMark::Comma),
            NumberStatus::Ok);
  EXPECT_EQ(v, 1234567.25);
  EXPECT_EQ(number("-3,5", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, -3.5);
  EXPECT_EQ(number("105", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, 105);
  EXPECT_EQ(number("1,5E+03", v, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(v, 1500);
  // The same bits as the point spelling: read-as-written, not approximated.
  double a = 0, b = 0;
  EXPECT_EQ(number("0,1", a, DecimalMark::Comma), NumberStatus::Ok);
  EXPECT_EQ(number("0.1", b), NumberStatus::Ok);
  EXPECT_EQ(a, b);
}

TEST(NumberComma, RefusesWhatItCannotReadForSure) {
  double v = 0;
  for (const char* bad :
       {"14.03", "1.23,4", "1,2,3", "1234.567,8", "0.123,4", "12,", ",5", "1..234,5"})
    EXPECT_EQ(number(bad, v, DecimalMark::Comma), NumberStatus::Invalid) << bad;
  // With a decimal point, a first group "0" is no thousands group.
  EXPECT_EQ(number("0,123", v), NumberStatus::Invalid);
}

TEST(DecimalEvidence, EachCellJudgedAlone) {
  EXPECT_EQ(decimal_evidence("105"), DecimalEvidence::None);
  EXPECT_EQ(decimal_evidence("14.5"), DecimalEvidence::Point);
  EXPECT_EQ(decimal_evidence("1,234.56"), DecimalEvidence::Point);
  EXPECT_EQ(decimal_evidence("1,234,567"), DecimalEvidence::Point);
  EXPECT_EQ(decimal_evidence("14,03"), DecimalEvidence::Comma);
  EXPECT_EQ(decimal_evidence("1.234,56"), DecimalEvidence::Comma);
  EXPECT_EQ(decimal_evidence("1.234.567"), DecimalEvidence::Comma);
  EXPECT_EQ(decimal_evidence("0,123"), DecimalEvidence::Comma);
  EXPECT_EQ(decimal_evidence("1,234"), DecimalEvidence::Ambiguous);
  EXPECT_EQ(decimal_evidence("1.234"), DecimalEvidence::Ambiguous);
  EXPECT_EQ(decimal_evidence("$1.5"), DecimalEvidence::None);
}

TEST(TimestampOffset, ToldWhetherTheTextCarriedOne) {
  bool had = true;
  EXPECT_EQ(timestamp_seconds("2026-01-02T03:04:05", had),
            timestamp_seconds("2026-01-02T03:04:05Z"));
  EXPECT_FALSE(had);
  ASSERT_TRUE(timestamp_seconds("2026-01-02T03:04:05+02:00", had));
  EXPECT_TRUE(had);
  ASSERT_TRUE(timestamp_seconds("2026-01-02", had));
  EXPECT_FALSE(had);
}

}  // namespace
}  // namespace elv::parse
