// The rules on one file at a time: IDs in scientific notation, empty
// required cells, repeated keys, renamed and dropped columns, a file with no rows.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "base/format.h"
#include "contracts/checks_parts.h"
#include "contracts/first_row_index.h"
#include "contracts/loader.h"
#include "io/parse.h"

namespace elv::contracts::detail {

// ---- values -------------------------------------------------------------------------

namespace {

// The cell text of the first scientific-notation ID, for the message (it is the ID as the
// spreadsheet wrote it, not private data: IDs are in the contract).
std::string scientific_example(const Frame& frame, const std::string& column,
                               const ColumnIssues& issues, const Dictionaries& dicts) {
  if (issues.first_scientific_lines.empty()) return {};
  const auto row_it = std::lower_bound(frame.lines.begin(), frame.lines.end(),
                                       issues.first_scientific_lines.front());
  const auto* codes = codes_of(frame, column);
  if (row_it == frame.lines.end() || !codes) return {};
  const int32_t code = (*codes)[static_cast<size_t>(row_it - frame.lines.begin())];
  return code == kNullCode ? std::string{} : dicts.for_column(column).str(code);
}

// Line of the first empty cell of a column. Unparseable numbers/dates are also null in the
// frame, so a line is given only when the column has none of those.
int64_t first_null_line(const Frame& frame, const ColumnSpec& col, const ColumnIssues& issues) {
  if (issues.invalid > 0) return -1;
  auto first = [&](const auto& values, auto is_null) -> int64_t {
    for (size_t i = 0; i < values.size(); ++i)
      if (is_null(values[i])) return frame.lines[i];
    return -1;
  };
  switch (col.type) {
    case ColType::Id:
    case ColType::Text:
      return first(frame.codes.at(col.name), [](int32_t c) { return c == kNullCode; });
    case ColType::Number:
      return first(frame.numbers.at(col.name), [](double v) { return std::isnan(v); });
    case ColType::Date:
      return first(frame.dates.at(col.name), [](int32_t d) { return d == kNullDate; });
    case ColType::Timestamp:
      return first(frame.times.at(col.name), [](int64_t t) { return t == kNullTime; });
  }
  return -1;
}

// Scientific IDs are errors; empty required cells are warnings.
void check_column_issues(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                         Findings& findings) {
  for (const auto& name : frame.present_columns) {
    const ColumnSpec& col = *spec.find(name);
    auto it = frame.issues.find(name);
    if (it == frame.issues.end()) continue;
    const ColumnIssues& issues = it->second;
    // Unreadable values are set_aside_unreadable_values's (checks_set_aside.cpp).
    if (issues.scientific > 0) {
      const std::string example = scientific_example(frame, name, issues, dicts);
      findings.add(
          Severity::Error, frame.path, name,
          issues.first_scientific_lines.empty() ? -1 : issues.first_scientific_lines.front(),
          plural(issues.scientific, "ID", "IDs") + " in scientific notation" +
              (example.empty() ? "" : " (e.g. " + example + ")") +
              ": digits were lost, re-export the column as text" +
              first_lines_text(issues.first_scientific_lines, issues.scientific));
    }
    // An empty qualified_time is the contract's way to say "never qualified".
    const bool empty_is_meaningful = name == "qualified_time";
    if (col.required && !empty_is_meaningful && issues.nulls > 0 && frame.n_rows > 0) {
      const double share = static_cast<double>(issues.nulls) / static_cast<double>(frame.n_rows);
      const int64_t line = first_null_line(frame, col, issues);
      findings.add(Severity::Warning, frame.path, name, line,
                   percent(share) + " of the values are empty (" + std::to_string(issues.nulls) +
                       " of " + std::to_string(frame.n_rows) + " rows" +
                       (line >= 0 ? ", first at line " + std::to_string(line) : "") + ")");
    }
  }
}

}  // namespace

// ---- duplicate keys -----------------------------------------------------------------

namespace {

// The key columns that must be unique. ads.csv is unique by date and its finest entity
// key: ad_id, else adset_id, else campaign_id.
std::vector<std::string> unique_key_of(const FileSpec& spec, const Frame& frame) {
  if (spec.kind == "ads") {
    for (const char* entity : {"ad_id", "adset_id", "campaign_id"})
      if (frame.has(entity)) return {"date", entity};
    return {};
  }
  for (const auto& column : spec.unique_key)
    if (!frame.has(column)) return {};  // a missing key column is reported already
  return spec.unique_key;
}

// The key column as int32 values (codes or dates), null as the matching sentinel.
const std::vector<int32_t>* key_values(const Frame& frame, const std::string& column) {
  if (auto it = frame.codes.find(column); it != frame.codes.end()) return &it->second;
  if (auto it = frame.dates.find(column); it != frame.dates.end()) return &it->second;
  return nullptr;
}

// Same value in every loaded column (nulls equal to nulls).
bool rows_equal(const Frame& frame, size_t a, size_t b) {
  for (const auto& [name, v] : frame.codes)
    if (v[a] != v[b]) return false;
  for (const auto& [name, v] : frame.dates)
    if (v[a] != v[b]) return false;
  for (const auto& [name, v] : frame.times)
    if (v[a] != v[b]) return false;
  for (const auto& [name, v] : frame.numbers)
    if (v[a] != v[b] && !(std::isnan(v[a]) && std::isnan(v[b]))) return false;
  return true;
}

struct DuplicateHits {
  int64_t count = 0;
  int64_t line = -1, original_line = -1;  // the first duplicate and the row it repeats
  void hit(int64_t dup_line, int64_t orig_line) {
    if (count++ == 0) {
      line = dup_line;
      original_line = orig_line;
    }
  }
};

// Daily metric files are summed: any repeated key counts the metrics twice, so it is an
// error. Elsewhere a row repeated exactly is harmless (a warning), one with different data
// is ambiguous (an error).
void check_unique_key(const FileSpec& spec, const Frame& frame, Findings& findings) {
  const std::vector<std::string> key = unique_key_of(spec, frame);
  if (key.empty() || key.size() > 3) return;
  std::vector<const std::vector<int32_t>*> columns;
  for (const auto& k : key) {
    columns.push_back(key_values(frame, k));
    if (!columns.back()) return;
  }
  const bool additive =
      spec.kind == "ads" || spec.kind == "ads_placement" || spec.kind == "ads_geo";
  FirstRowIndex first_rows(columns, static_cast<size_t>(frame.n_rows));
  DuplicateHits conflicting, exact;
  for (size_t i = 0; i < static_cast<size_t>(frame.n_rows); ++i) {
    KeyValue value{0, 0, 0};
    bool has_null = false;
    for (size_t c = 0; c < columns.size(); ++c) {
      value[c] = (*columns[c])[i];
      has_null = has_null || is_null_key_part(value[c]);
    }
    if (has_null) continue;
    const size_t j = first_rows.first_row(value, i);
    if (j == i) continue;
    if (!additive && rows_equal(frame, i, j))
      exact.hit(frame.lines[i], frame.lines[j]);
    else
      conflicting.hit(frame.lines[i], frame.lines[j]);
  }
  const std::string key_name = join(key, "+");
  if (conflicting.count > 0) {
    const std::string what =
        key.size() == 1 ? plural(conflicting.count, "duplicate " + key_name + " value",
                                 "duplicate " + key_name + " values")
                        : plural(conflicting.count, "duplicate (" + join(key, ", ") + ") row",
                                 "duplicate (" + join(key, ", ") + ") rows");
    // Daily metrics would be summed twice: an error. Elsewhere one row is chosen, and said.
    const std::string kept = frame.kind == "outcomes" ? "; the earliest qualified_time counts"
                                                      : "; the first row is used";
    findings.add(additive ? Severity::Error : Severity::Warning, frame.path, key_name,
                 conflicting.line,
                 what + (additive ? "" : " with different data") + " (first at line " +
                     std::to_string(conflicting.line) + ", duplicate of line " +
                     std::to_string(conflicting.original_line) + ")" +
                     (additive ? ": daily metrics would be counted twice" : kept));
  }
  if (exact.count > 0) {
    findings.add(Severity::Warning, frame.path, key_name, exact.line,
                 plural(exact.count, "row repeats", "rows repeat") +
                     " an earlier row exactly (same " + key_name + ", same data; first at line " +
                     std::to_string(exact.line) + ", same as line " +
                     std::to_string(exact.original_line) + ")");
  }
}

// Renames and privacy drops, from the loader. Dropped columns are named, their values
// never appear (lead forms carry e-mails and phone numbers), and a name that looks like
// data is described (the frame holds labels, io/contact_data.h).
void report_load_warnings(const Frame& frame, Findings& findings) {
  for (const auto& [canonical, original] : frame.renamed)
    findings.add(Severity::Warning, frame.path, canonical, 1,
                 "renamed column '" + original + "' to " + canonical);
  // A lead download (it has form_id) drops its form questions too: say how to use them.
  const bool lead_download = frame.kind == "leads" && frame.has("form_id");
  if (!frame.dropped_columns.empty())
    findings.add(Severity::Warning, frame.path, join(frame.dropped_columns, ", "), 1,
                 dropped_columns_warning(frame) +
                     (lead_download ? "; the form's questions among them can be features: list "
                                      "them under lead_fields (docs/LEAD_FORMS.md)"
                                    : ""));
  for (const auto& w : frame.warnings) {
    // The two kinds above are reported from the structured fields, with their columns.
    if (w.rfind("renamed column", 0) == 0 || w.rfind(kUnusedColumnsWarning, 0) == 0) continue;
    findings.add(Severity::Warning, frame.path, "", -1, w);
  }
}

void check_has_rows(const Frame& frame, Findings& findings) {
  if (frame.n_rows > 0) return;
  const bool essential = frame.kind == "ads" || frame.kind == "leads";
  findings.add(essential ? Severity::Error : Severity::Warning, frame.path, "", -1,
               "the file has a header but no data rows");
}

}  // namespace

void check_file(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                Findings& findings) {
  check_has_rows(frame, findings);
  report_load_warnings(frame, findings);
  check_column_issues(spec, frame, dicts, findings);
  check_unique_key(spec, frame, findings);
}

// ---- dates and times ----------------------------------------------------------------

void check_ads_span(const Frame& ads, Findings& findings) {
  auto it = ads.dates.find("date");
  if (it == ads.dates.end()) return;
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  for (int32_t d : it->second) {
    if (d == kNullDate) continue;
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  if (lo == hi)
    findings.add(Severity::Warning, ads.path, "date", -1,
                 "ads.csv covers a single day (" + parse::format_date(lo) +
                     "): rolling features need daily rows over the feature window");
}

// Timestamps without an offset are read in csv.timezone, else as UTC: said once per column.
void note_timestamps_without_offset(const Frame& frame, Findings& findings) {
  if (!frame.format.timezone.empty()) return;
  for (const auto& [column, issues] : frame.issues) {
    if (issues.without_offset == 0) continue;
    findings.add(
        Severity::Warning, frame.path, column, -1,
        plural(issues.without_offset, "timestamp has", "timestamps have") + " no UTC offset and " +
            (issues.without_offset == 1 ? "was" : "were") +
            " read as UTC; if the export is in the ad account's time zone, set csv.timezone "
            "(e.g. Europe/Berlin) in the config");
  }
}

}  // namespace elv::contracts::detail
