// Parsing of the scalar values found in exports: timestamps, dates, numbers and IDs.
// All are allocation-free on the hot path. Times are handled in UTC.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace elv::parse {

// Days since 1970-01-01 (can be negative) <-> civil date, proleptic Gregorian.
// days_from_civil takes a valid date of a year within ±32767 (std::chrono's range; every
// date elv parses has a four-digit year); civil_from_days takes any int32.
int32_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int32_t days, int& y, unsigned& m, unsigned& d);
int weekday_monday0(int32_t days);  // Monday = 0 … Sunday = 6

// "YYYY-MM-DD" (surrounding spaces allowed); also accepts an ISO timestamp and keeps its
// UTC date. Invalid calendar dates (2026-02-30) give nullopt.
std::optional<int32_t> date_days(std::string_view text);

// ISO-8601 timestamp to seconds since the epoch, UTC: "2026-01-02T03:04:05",
// with 'T' or a space, optional fractional seconds (truncated), optional "Z", "±hh:mm",
// "±hhmm" or "±hh" offset (none = UTC); a plain date = midnight UTC. nullopt if invalid.
std::optional<int64_t> timestamp_seconds(std::string_view text);
// The same, telling whether the text carried a zone designator ("Z", "+02:00", ...). Without
// one, the result is the wall-clock time read as UTC (a caller that knows the file's time
// zone converts it; io/timezone.h).
std::optional<int64_t> timestamp_seconds(std::string_view text, bool& had_offset);

std::string format_date(int32_t days);          // "2026-01-02"
std::string format_timestamp(int64_t seconds);  // "2026-01-02T03:04:05+00:00"
// The same into a buffer with room for 32 characters; return the end of what they wrote
// (the lead table's writer formats millions of these).
char* write_date(char* out, int32_t days);
char* write_timestamp(char* out, int64_t seconds);

// A number cell. Empty (or only spaces) -> Empty. Accepts thousands separators as
// exports write them ("1,234", "1,234.5"), a leading '+', and "$"-free plain decimals or
// exponents ("1.2e3"). "NaN", "inf", "--5", "1.2.3" -> Invalid.
// The decimal mark decides which grouping marks are accepted: with Point, "1,234.5"; with
// Comma (Excel in most of Europe), "1.234,5", "1 234,5" and "1\u00A0234,5".
enum class NumberStatus { Ok, Empty, Invalid };
enum class DecimalMark : char { Point = '.', Comma = ',' };
NumberStatus number(std::string_view text, double& out, DecimalMark mark = DecimalMark::Point);

// What one cell says about its file's decimal mark, judged alone: None (no '.' or ',', or
// not a number under either reading), Point ("14.5", "1,234.56", "1,234,567"), Comma
// ("14,03", "1.234,56", "1.234.567"), or Ambiguous ("1,234" and "1.234" read either way).
// A file's mark is decided from all its cells together (contracts/loader.cpp).
enum class DecimalEvidence { None, Point, Comma, Ambiguous };
DecimalEvidence decimal_evidence(std::string_view text);

// An ID cell, kept as an exact string: surrounding spaces trimmed, Meta's download
// prefixes (l:, ag:, as:, c:, f:) stripped, a trailing ".0" on an all-digit ID removed.
// "1.23457E+17" (a spreadsheet's scientific notation, digits lost) -> Scientific, and out
// holds the trimmed text.
enum class IdStatus { Ok, Empty, Scientific };
IdStatus normalize_id(std::string_view text, std::string& out);
// A yes/no cell, as Meta writes is_organic: "1", "true", "yes" -> 1; "0", "false", "no" -> 0
// (any case, spaces trimmed); -1 for anything else, an empty cell included.
int8_t flag(std::string_view cell);

// True when normalize_id strips one of Meta's prefixes from this (trimmed) cell.
bool has_meta_prefix(std::string_view trimmed);

}  // namespace elv::parse
