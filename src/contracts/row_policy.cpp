#include "contracts/row_policy.h"

#include <algorithm>
#include <filesystem>

namespace elv::contracts {

namespace {

// "lead" / "leads" for leads.csv, "outcome" for outcomes.csv, "row" elsewhere.
std::string noun(const std::string& kind, int64_t n) {
  const std::string one = kind == "leads" ? "lead" : kind == "outcomes" ? "outcome" : "row";
  return n == 1 ? one : one + "s";
}

std::string lines_of(const RowHits& hits) {
  if (hits.lines.empty()) return {};
  std::string out = hits.count == 1 ? "line " : "lines ";
  for (size_t i = 0; i < hits.lines.size(); ++i)
    out += (i ? ", " : "") + std::to_string(hits.lines[i]);
  if (static_cast<int64_t>(hits.lines.size()) < hits.count) out += ", …";
  return out;
}

}  // namespace

int64_t tolerated_bad_rows(int64_t file_rows) {
  return std::clamp(file_rows * kLeftOutPercent / 100, kMinLeftOutRows, kMaxLeftOutRows);
}

Severity row_defect_severity(int64_t bad_rows, int64_t file_rows) {
  // Never every row: a file left empty is no file.
  if (bad_rows >= file_rows) return Severity::Error;
  return bad_rows <= tolerated_bad_rows(file_rows) ? Severity::Warning : Severity::Error;
}

std::string tolerance_text(int64_t file_rows) {
  return "elv leaves out at most " + std::to_string(kLeftOutPercent) +
         " % of a file's rows, at least " + std::to_string(kMinLeftOutRows) + " and at most " +
         std::to_string(kMaxLeftOutRows) + ": here " +
         std::to_string(tolerated_bad_rows(file_rows)) + " of " + std::to_string(file_rows);
}

bool add_row_defect(Findings& findings, const std::string& path, const std::string& kind,
                    int64_t file_rows, const RowHits& hits, const RowDefect& defect) {
  if (hits.count == 0) return true;
  const Severity severity = row_defect_severity(hits.count, file_rows);
  std::string where = std::filesystem::path(path).filename().string();
  const std::string lines = lines_of(hits);
  if (!lines.empty()) where += " " + lines;
  where += ", column " + defect.column;
  const std::string head =
      std::to_string(hits.count) + " " + noun(kind, hits.count) + " with " + defect.what;
  const std::string fix = defect.fix.empty() ? "" : "; " + defect.fix;
  std::string message = severity == Severity::Warning
                            ? head + " " + defect.outcome + " (" + where + ")" + fix
                            : head + " (" + where + "): too many to leave out (" +
                                  tolerance_text(file_rows) + "), so the file is refused" + fix;
  findings.add(severity, path, defect.column, hits.first_line(), std::move(message));
  return severity == Severity::Warning;
}

}  // namespace elv::contracts
