// Findings: what the rules of contracts/checks.h say about a run's inputs. `validate` prints
// them all; the pipelines stop at an error and record the warnings, in the same words, so the
// two never disagree (docs/LIMITS.md, "What happens on bad input").
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/format.h"

namespace elv::contracts {

enum class Severity { Error, Warning };

struct Finding {
  Severity severity;
  std::string file;    // the file's path (the config file for configuration problems)
  std::string column;  // canonical column, "date+ad_id" for a key, or a config key path
  int64_t line = -1;   // first offending physical line (header = 1); -1 if none
  std::string message;
};

// "file:line: column 'c': message", the layout of elv::Error's message.
std::string finding_line(const Finding& f);

struct Findings {
  std::vector<Finding> items;
  // Shares in [0, 1]: "leads_in_ads", "outcomes_in_leads", "ads_placement", "ads_geo",
  // "ad_creatives", "adset_targeting", "leads_in_map".
  std::map<std::string, double> coverage;

  void add(Severity severity, const std::string& file, const std::string& column, int64_t line,
           std::string message);
  int64_t count(Severity severity) const;
  // Pipelines: the first error as elv::Error, saying how many more there are.
  void throw_if_errors() const;
  std::vector<std::string> warning_lines() const;  // finding_line of each warning, in order
};

// ---- wording shared by every rule ----------------------------------------------------
std::string plural(int64_t n, const std::string& one, const std::string& many);
// " (at line 5)" / " (first at lines 5, 9, …)", or "" without lines.
std::string first_lines_text(const std::vector<int64_t>& lines, int64_t count);

// How many line numbers a message shows as examples ("first at lines 5, 9, …").
inline constexpr size_t kMaxExampleLines = 5;
inline void keep_example_line(std::vector<int64_t>& lines, int64_t line) {
  if (lines.size() < kMaxExampleLines) lines.push_back(line);
}

// Counts rows that break a rule and keeps the first few lines for the message.
struct RowHits {
  int64_t count = 0;
  std::vector<int64_t> lines;
  void hit(int64_t line) {
    ++count;
    keep_example_line(lines, line);
  }
  int64_t first_line() const { return lines.empty() ? -1 : lines.front(); }
  std::string lines_text() const { return first_lines_text(lines, count); }
};

}  // namespace elv::contracts
