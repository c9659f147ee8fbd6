#include "io/contact_data.h"

#include "io/parse.h"

namespace elv::io {

namespace {

constexpr const char* kEmail = "a column whose name looks like an e-mail address";
constexpr const char* kPhone = "a column whose name looks like a phone number";
constexpr const char* kNumber = "a column whose name is a number";
constexpr const char* kDate = "a column whose name is a date or time";
// Another cell of a line that looks like data: it may be a person's name ("Ana Gomez").
constexpr const char* kMaybeData = "a column whose name may be data";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }  // UTF-8 (IDN)

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The digits at s[i..], at least min and at most max of them; i moves past them.
bool digits(std::string_view s, size_t& i, size_t min, size_t max) {
  size_t n = 0;
  while (i < s.size() && is_digit(s[i]) && n < max) ++i, ++n;
  return n >= min && (i == s.size() || !is_digit(s[i]));
}

bool separator_at(std::string_view s, size_t& i, std::string_view allowed) {
  if (i >= s.size() || allowed.find(s[i]) == std::string_view::npos) return false;
  ++i;
  return true;
}

// Starts like 2026-06-01 (ISO dates and timestamps), 01/06/2026 or 01.06.2026.
bool looks_like_date(std::string_view s) {
  size_t i = 0;
  if (digits(s, i, 4, 4))
    return separator_at(s, i, "-") && digits(s, i, 1, 2) && separator_at(s, i, "-") &&
           digits(s, i, 1, 2);
  i = 0;
  return digits(s, i, 1, 2) && separator_at(s, i, "/.") && digits(s, i, 1, 2) &&
         separator_at(s, i, "/.") && digits(s, i, 2, 4);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// One label of a domain name: letters, digits, dashes (and UTF-8 for international names).
bool domain_label(std::string_view label, bool last) {
  if (label.empty()) return false;
  for (char c : label) {
    const bool ok = last ? is_ascii_letter(c) || is_non_ascii(c)
                         : is_ascii_letter(c) || is_digit(c) || c == '-' || is_non_ascii(c);
    if (!ok) return false;
  }
  return !last || label.size() >= 2;
}

}  // namespace

bool looks_like_email(std::string_view cell) {
  const std::string_view s = trim(cell);
  const size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : s.substr(0, at))
    if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>' || c == '"')
      return false;
  std::string_view domain = s.substr(at + 1);
  size_t labels = 0;
  for (;;) {
    const size_t dot = domain.find('.');
    const bool last = dot == std::string_view::npos;
    if (!domain_label(domain.substr(0, dot), last)) return false;
    ++labels;
    if (last) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2;
}

bool looks_like_phone(std::string_view cell) {
  const std::string_view s = trim(cell);
  if (s.empty() || !(is_digit(s[0]) || s[0] == '+' || s[0] == '(') || looks_like_date(s))
    return false;
  size_t n_digits = 0, dots = 0, others = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c))
      ++n_digits;
    else if (c == '.')
      ++dots;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0))
      ++others;
    else
      return false;
  }
  if (n_digits < 7 || n_digits > 15) return false;
  // One dot between digits and nothing else is an amount (1234567.89), not a phone number.
  return !(dots == 1 && others == 0);
}

std::string data_description(std::string_view cell) {
  const std::string_view s = trim(cell);
  if (s.empty()) return {};
  if (looks_like_email(s)) return kEmail;
  if (looks_like_date(s)) return kDate;
  if (all_digits(s) && s.size() >= 15) return kNumber;  // a Meta ID (before the phone check)
  if (looks_like_phone(s)) return kPhone;
  double value = 0;
  if (parse::number(s, value) == parse::NumberStatus::Ok) return kNumber;
  return {};
}

std::string safe_column_label(std::string_view cell) {
  std::string description = data_description(cell);
  return description.empty() ? std::string(cell) : description;
}

bool header_looks_like_data(const std::vector<std::string>& cells) {
  for (const auto& cell : cells)
    if (!data_description(cell).empty()) return true;
  return false;
}

std::vector<std::string> header_labels(
    const std::vector<std::string>& cells,
    const std::function<bool(std::string_view)>& is_column_name) {
  const bool data_line = header_looks_like_data(cells);
  std::vector<std::string> labels;
  labels.reserve(cells.size());
  for (const auto& cell : cells) {
    std::string description = data_description(cell);
    const bool shown = !data_line || trim(cell).empty() || (is_column_name && is_column_name(cell));
    if (!description.empty())
      labels.push_back(std::move(description));
    else
      labels.push_back(shown ? cell : kMaybeData);
  }
  return labels;
}

}  // namespace elv::io
