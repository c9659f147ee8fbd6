#include "contracts/findings.h"

#include <algorithm>
#include <cstdio>

#include "base/error.h"

namespace elv::contracts {

std::string finding_line(const Finding& f) {
  return Error(f.message, f.file, f.line, f.column).what();
}

void Findings::add(Severity severity, const std::string& file, const std::string& column,
                   int64_t line, std::string message) {
  items.push_back(Finding{severity, file, column, line, std::move(message)});
}

int64_t Findings::count(Severity severity) const {
  return std::count_if(items.begin(), items.end(),
                       [&](const Finding& f) { return f.severity == severity; });
}

void Findings::throw_if_errors() const {
  const int64_t n = count(Severity::Error);
  if (n == 0) return;
  const auto first = std::find_if(items.begin(), items.end(),
                                  [](const Finding& f) { return f.severity == Severity::Error; });
  std::string message = first->message;
  if (n > 1)
    message +=
        " (and " + plural(n - 1, "more error", "more errors") + "; `elv validate` lists them all)";
  throw Error(message, first->file, first->line, first->column);
}

std::vector<std::string> Findings::warning_lines() const {
  std::vector<std::string> out;
  for (const auto& f : items)
    if (f.severity == Severity::Warning) out.push_back(finding_line(f));
  return out;
}

std::string plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string first_lines_text(const std::vector<int64_t>& lines, int64_t count) {
  if (lines.empty()) return {};
  if (count == 1) return " (at line " + std::to_string(lines.front()) + ")";
  std::string out = " (first at lines ";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i]);
  if (static_cast<int64_t>(lines.size()) < count) out += ", …";
  return out + ")";
}

}  // namespace elv::contracts
