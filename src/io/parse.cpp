// Scalar parsing for export cells. These functions run once per cell on files with
// millions of rows, so they work on string_views, never allocate on the hot path (except
// for the output string of normalize_id) and never touch the locale or regex.
#include "io/parse.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <fast_float/fast_float.h>

#include "base/calendar.h"

namespace elv::parse {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Cells come with stray spaces (and tabs from hand-edited files); they never matter.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads exactly n digits starting at s[pos]; false if the text is too short or any
// character is not a digit.
bool read_digits(std::string_view s, size_t pos, size_t n, int& value) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  value = v;
  return true;
}

size_t skip_digits(std::string_view s, size_t pos) {
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return pos;
}

// Exactly "YYYY-MM-DD" (already trimmed), calendar-checked.
std::optional<int32_t> strict_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  namespace chr = std::chrono;
  const chr::year_month_day date{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                                 chr::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;  // month 13, 2026-02-30, day 0
  return static_cast<int32_t>(chr::sys_days{date}.time_since_epoch().count());
}

// "HH:MM[:SS[.fff]]" at s[pos]; advances pos. Fractional seconds are truncated.
bool read_clock(std::string_view s, size_t& pos, int64_t& seconds_of_day) {
  int hh = 0, mm = 0, ss = 0;
  if (!read_digits(s, pos, 2, hh) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !read_digits(s, pos + 3, 2, mm)) {
    return false;
  }
  pos += 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_digits(s, pos + 1, 2, ss)) return false;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      const size_t end = skip_digits(s, pos + 1);
      if (end == pos + 1) return false;  // a separator with no digits is not a fraction
      pos = end;
    }
  }
  // A leap second (60) is rejected rather than silently folded into the next minute.
  if (hh > 23 || mm > 59 || ss > 59) return false;
  seconds_of_day = hh * 3600 + mm * 60 + ss;
  return true;
}

// The zone designator that ends the text: "", "Z", "±hh", "±hhmm" or "±hh:mm" (one
// space before it is tolerated). Gives the offset of local time from UTC in seconds.
bool read_offset(std::string_view s, size_t pos, int64_t& offset, bool& had_offset) {
  offset = 0;
  had_offset = pos != s.size();
  if (pos == s.size()) return true;
  if (s[pos] == ' ') ++pos;
  if (pos == s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  const int sign = s[pos] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  if (!read_digits(s, pos + 1, 2, oh)) return false;
  pos += 3;
  if (pos < s.size()) {
    if (s[pos] == ':') ++pos;
    if (!read_digits(s, pos, 2, om)) return false;
    pos += 2;
  }
  if (pos != s.size() || oh > 23 || om > 59) return false;
  offset = sign * (oh * 3600 + om * 60);
  return true;
}

// Any letter other than an exponent marker means nan/inf/currency/units: fast_float
// would happily take "nan" and "inf", which are not numbers an export means.
bool only_number_chars(std::string_view s) {
  for (char c : s) {
    if (!(is_digit(c) || c == '.' || c == ',' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  return true;
}

// "1,234,567.89" -> "1234567.89" into buf. Accepts only [-]d{1,3}(,ddd)+[.d*], the way
// exports group thousands; "1,2" and "12,34" are rejected rather than guessed at.
bool ungroup(std::string_view s, char* buf, size_t cap, std::string_view& result) {
  if (s.size() > cap) return false;
  size_t pos = 0, n = 0;
  if (pos < s.size() && s[pos] == '-') buf[n++] = s[pos++];
  const size_t lead_end = skip_digits(s, pos);
  // "0,123" is not a thousands group: only a decimal comma reads it.
  if (lead_end == pos || lead_end - pos > 3 || s[pos] == '0') return false;
  for (; pos < lead_end; ++pos) buf[n++] = s[pos];
  int groups = 0;
  while (pos < s.size() && s[pos] == ',') {
    const size_t group_end = skip_digits(s, pos + 1);
    if (group_end - (pos + 1) != 3) return false;
    for (size_t i = pos + 1; i < group_end; ++i) buf[n++] = s[i];
    pos = group_end;
    ++groups;
  }
  if (groups == 0) return false;
  if (pos < s.size()) {
    if (s[pos] != '.') return false;
    buf[n++] = s[pos++];
    const size_t frac_end = skip_digits(s, pos);
    for (; pos < frac_end; ++pos) buf[n++] = s[pos];
    if (pos != s.size()) return false;
  }
  result = std::string_view(buf, n);
  return true;
}

// Meta's lead downloads write IDs as "l:123", "ag:123", ... Only one prefix is removed.
std::string_view strip_meta_prefix(std::string_view s) {
  for (std::string_view prefix : {"l:", "ag:", "as:", "c:", "f:"}) {
    if (s.substr(0, prefix.size()) == prefix) return s.substr(prefix.size());
  }
  return s;
}

// digits+ [. digits*] (e|E) [+|-] digits+ : how spreadsheets display long numbers.
bool looks_scientific(std::string_view s) {
  size_t pos = skip_digits(s, 0);
  if (pos == 0) return false;
  if (pos < s.size() && s[pos] == '.') pos = skip_digits(s, pos + 1);
  if (pos >= s.size() || (s[pos] != 'e' && s[pos] != 'E')) return false;
  ++pos;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) ++pos;
  const size_t exp_end = skip_digits(s, pos);
  return exp_end > pos && exp_end == s.size();
}

// "123.0" / "123.000" -> "123": the ID went through a float column somewhere but kept
// its digits. Anything else is returned unchanged.
std::string_view drop_zero_fraction(std::string_view s) {
  const size_t int_end = skip_digits(s, 0);
  if (int_end == 0 || int_end + 1 >= s.size() || s[int_end] != '.') return s;
  for (size_t i = int_end + 1; i < s.size(); ++i) {
    if (s[i] != '0') return s;
  }
  return s.substr(0, int_end);
}

}  // namespace

int32_t days_from_civil(int y, unsigned m, unsigned d) {
  namespace chr = std::chrono;
  const chr::sys_days day{chr::year{y} / chr::month{m} / chr::day{d}};
  return static_cast<int32_t>(day.time_since_epoch().count());
}

// Not <chrono>: chrono::year stops at ±32767, and any int32 day count (dates of ±5.8 million
// years, which a stored day column may hold) must come back as a date, for messages.
// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"; 64-bit intermediates keep
// the extreme day counts from overflowing.
void civil_from_days(int32_t days, int& y, unsigned& m, unsigned& d) {
  const int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

int weekday_monday0(int32_t days) {
  namespace chr = std::chrono;
  // ISO numbering is Monday = 1 … Sunday = 7. chrono::weekday takes any day count.
  return static_cast<int>(chr::weekday{chr::sys_days{chr::days{days}}}.iso_encoding()) - 1;
}

std::optional<int32_t> date_days(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.size() == 10) return strict_date(s);
  if (s.size() < 10) return std::nullopt;
  const std::optional<int64_t> seconds = timestamp_seconds(s);
  if (!seconds) return std::nullopt;
  return static_cast<int32_t>(floor_div(*seconds, kSecondsPerDay));
}

std::optional<int64_t> timestamp_seconds(std::string_view text) {
  bool had_offset = false;
  return timestamp_seconds(text, had_offset);
}

std::optional<int64_t> timestamp_seconds(std::string_view text, bool& had_offset) {
  const std::string_view s = trim(text);
  had_offset = false;
  const std::optional<int32_t> day = strict_date(s.substr(0, 10));
  if (!day) return std::nullopt;  // also rejects bare epoch digits: we don't guess units
  const int64_t midnight = static_cast<int64_t>(*day) * kSecondsPerDay;
  if (s.size() == 10) return midnight;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  size_t pos = 11;
  int64_t clock = 0, offset = 0;
  if (!read_clock(s, pos, clock) || !read_offset(s, pos, offset, had_offset)) return std::nullopt;
  // "+05:30" means local = UTC + 5:30, so UTC = local - offset.
  return midnight + clock - offset;
}

namespace {

// Fixed-width digits without printf: these run once or twice per lead when artifacts are
// written, and snprintf was a measured cost there.
char* put_digits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
}

// "YYYY-MM-DD" into p (10 chars; years outside 0..9999 fall back to printf).
size_t put_date(char* p, int32_t days) {
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999)
    return static_cast<size_t>(std::snprintf(p, 32, "%04d-%02u-%02u", y, m, d));
  char* q = put_digits(p, static_cast<unsigned>(y), 4);
  *q++ = '-';
  q = put_digits(q, m, 2);
  *q++ = '-';
  q = put_digits(q, d, 2);
  return static_cast<size_t>(q - p);
}

}  // namespace

std::string format_date(int32_t days) {
  char buf[32];
  return std::string(buf, put_date(buf, days));
}

char* write_date(char* out, int32_t days) { return out + put_date(out, days); }

std::string format_timestamp(int64_t seconds) {
  char buf[64];
  return std::string(buf, write_timestamp(buf, seconds));
}

char* write_timestamp(char* buf, int64_t seconds) {
  const int64_t day = floor_div(seconds, kSecondsPerDay);
  const auto sod = static_cast<unsigned>(seconds - day * kSecondsPerDay);
  char* p = buf + put_date(buf, static_cast<int32_t>(day));
  *p++ = 'T';
  p = put_digits(p, sod / 3600, 2);
  *p++ = ':';
  p = put_digits(p, sod / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, sod % 60, 2);
  for (char c : std::string_view("+00:00")) *p++ = c;
  return p;
}

namespace {

// Plain decimals of at most 15 digits ("105", "1.44", "-3.5"), most cells of ads exports,
// in one pass: the digits make an exact integer (< 2^53) and dividing it by an exact power
// of ten is correctly rounded by IEEE division, so the result equals fast_float's (Clinger's
// fast path). false = not such a cell; the general path decides.
bool plain_decimal(std::string_view s, double& out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  int64_t digits_value = 0;
  int digits = 0, decimals = -1;  // decimals = digits after the point, -1 = no point
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 15) return false;
      digits_value = digits_value * 10 + (c - '0');
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || decimals == 0) return false;  // "-", ".", "5." go the general way
  double v = static_cast<double>(digits_value);
  if (decimals > 0) v /= kPow10[decimals];
  out = negative ? -v : v;
  return true;
}

// "1.234.567,89" / "1 234,5" -> "1234567.89" / "1234.5" into buf: the decimal-comma
// spelling of a number, with '.', a space, a no-break space (U+00A0) or a narrow no-break
// space (U+202F) grouping thousands, as Excel writes them in Europe. Groups must be exactly
// three digits after a first group of one to three, as in ungroup(); an exponent may follow.
bool comma_decimal(std::string_view s, char* buf, size_t cap, std::string_view& result) {
  if (s.size() >= cap) return false;
  size_t pos = 0, n = 0;
  if (s[pos] == '-') buf[n++] = s[pos++];
  // The length of a grouping mark at p, 0 when there is none.
  auto group_mark = [&](size_t p) -> size_t {
    if (p >= s.size()) return 0;
    if (s[p] == '.' || s[p] == ' ') return 1;
    if (s.substr(p, 2) == "\xC2\xA0") return 2;
    if (s.substr(p, 3) == "\xE2\x80\xAF") return 3;
    return 0;
  };
  const size_t lead_begin = pos, lead_end = skip_digits(s, pos);
  if (lead_end == lead_begin) return false;
  for (; pos < lead_end; ++pos) buf[n++] = s[pos];
  if (group_mark(pos) > 0) {
    // "1234.567" and "0.123" are not grouped thousands.
    if (lead_end - lead_begin > 3 || s[lead_begin] == '0') return false;
    while (const size_t m = group_mark(pos)) {
      const size_t group_end = skip_digits(s, pos + m);
      if (group_end - (pos + m) != 3) return false;
      for (size_t i = pos + m; i < group_end; ++i) buf[n++] = s[i];
      pos = group_end;
    }
  }
  if (pos < s.size() && s[pos] == ',') {
    const size_t frac_end = skip_digits(s, pos + 1);
    if (frac_end == pos + 1) return false;
    buf[n++] = '.';
    for (size_t i = pos + 1; i < frac_end; ++i) buf[n++] = s[i];
    pos = frac_end;
  }
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    buf[n++] = s[pos++];
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) buf[n++] = s[pos++];
    const size_t exp_end = skip_digits(s, pos);
    if (exp_end == pos) return false;
    for (; pos < exp_end; ++pos) buf[n++] = s[pos];
  }
  if (pos != s.size()) return false;
  result = std::string_view(buf, n);
  return true;
}

NumberStatus finish_number(std::string_view s, double& out) {
  double value = 0;
  const char* last = s.data() + s.size();
  const auto result = fast_float::from_chars(s.data(), last, value);
  if (result.ec != std::errc() || result.ptr != last || !std::isfinite(value)) {
    return NumberStatus::Invalid;
  }
  out = value;
  return NumberStatus::Ok;
}

// The decimal-comma reading of a cell (already trimmed, not empty).
NumberStatus number_with_comma(std::string_view s, double& out) {
  // Neither mark: a plain integer, the same under both readings.
  if (s.find_first_of(".,") == std::string_view::npos && plain_decimal(s, out))
    return NumberStatus::Ok;
  if (s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == '-') return NumberStatus::Invalid;
  }
  char buf[128];
  if (!comma_decimal(s, buf, sizeof buf, s)) return NumberStatus::Invalid;
  return finish_number(s, out);
}

}  // namespace

NumberStatus number(std::string_view text, double& out, DecimalMark mark) {
  std::string_view s = trim(text);
  if (s.empty()) return NumberStatus::Empty;
  if (mark == DecimalMark::Comma) return number_with_comma(s, out);
  if (plain_decimal(s, out)) return NumberStatus::Ok;
  // fast_float follows from_chars and refuses a leading '+'; exports do write one.
  if (s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == '-') return NumberStatus::Invalid;
  }
  if (!only_number_chars(s)) return NumberStatus::Invalid;
  char buf[128];
  if (s.find(',') != std::string_view::npos && !ungroup(s, buf, sizeof buf, s)) {
    return NumberStatus::Invalid;
  }
  return finish_number(s, out);
}

DecimalEvidence decimal_evidence(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.find_first_of(".,") == std::string_view::npos) return DecimalEvidence::None;
  double value = 0;
  const bool as_point = number(s, value, DecimalMark::Point) == NumberStatus::Ok;
  const bool as_comma = number(s, value, DecimalMark::Comma) == NumberStatus::Ok;
  if (as_point && as_comma) return DecimalEvidence::Ambiguous;
  if (as_point) return DecimalEvidence::Point;
  if (as_comma) return DecimalEvidence::Comma;
  return DecimalEvidence::None;
}

int8_t flag(std::string_view cell) {
  const std::string_view t = trim(cell);
  auto is = [&](std::string_view word) {
    return t.size() == word.size() &&
           std::equal(t.begin(), t.end(), word.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  if (is("1") || is("true") || is("yes")) return 1;
  if (is("0") || is("false") || is("no")) return 0;
  return -1;
}

bool has_meta_prefix(std::string_view trimmed) {
  return strip_meta_prefix(trimmed).size() != trimmed.size();
}

IdStatus normalize_id(std::string_view text, std::string& out) {
  const std::string_view trimmed = trim(text);
  const std::string_view id = strip_meta_prefix(trimmed);
  if (id.empty()) {
    out.clear();
    return IdStatus::Empty;
  }
  if (looks_scientific(id)) {
    out.assign(trimmed);
    return IdStatus::Scientific;
  }
  out.assign(drop_zero_fraction(id));
  return IdStatus::Ok;
}

}  // namespace elv::parse
