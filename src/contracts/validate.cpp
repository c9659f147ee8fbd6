#include "contracts/validate.h"

#include <tuple>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <unordered_map>

#include "contracts/loader.h"
#include "io/error.h"
#include "io/parse.h"

namespace elv::contracts {

bool ValidationReport::usable() const { return count(Severity::Error) == 0; }

int64_t ValidationReport::count(Severity severity) const {
  return std::count_if(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.severity == severity; });
}

namespace {

// ---- small helpers ------------------------------------------------------------------

void add(ValidationReport& report, Severity severity, const std::string& file,
         const std::string& column, int64_t line, std::string message) {
  report.findings.push_back(Finding{severity, file, column, line, std::move(message)});
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string percent(double share) { return fixed(share * 100.0, 1) + " %"; }

// " (at line 5)" / " (first at lines 5, 9, …)", or "" without lines: the loader keeps only
// a few lines, so the ellipsis says there are more than the ones listed.
std::string first_lines_text(const std::vector<int64_t>& lines, int64_t count) {
  if (lines.empty()) return {};
  if (count == 1) return " (at line " + std::to_string(lines.front()) + ")";
  std::string out = " (first at lines ";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i]);
  if (static_cast<int64_t>(lines.size()) < count) out += ", …";
  return out + ")";
}

// Collects up to kMaxExampleLines lines of the rows where pred(row) holds, and counts them.
struct RowHits {
  int64_t count = 0;
  std::vector<int64_t> lines;
  void hit(int64_t line) {
    ++count;
    if (lines.size() < ColumnIssues::kMaxExampleLines) lines.push_back(line);
  }
  int64_t first_line() const { return lines.empty() ? -1 : lines.front(); }
};

std::string plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A bitmap over a shared dictionary's codes: which codes a frame's column holds.
std::vector<char> codes_present(const Frame& frame, const std::string& column, size_t dict_size) {
  std::vector<char> present(dict_size, 0);
  auto it = frame.codes.find(column);
  if (it == frame.codes.end()) return present;
  for (int32_t code : it->second)
    if (code != kNullCode) present[static_cast<size_t>(code)] = 1;
  return present;
}

const std::vector<int32_t>* codes_of(const Frame& frame, const std::string& column) {
  auto it = frame.codes.find(column);
  return it == frame.codes.end() ? nullptr : &it->second;
}

// ---- configured files ---------------------------------------------------------------

struct ConfiguredFile {
  const FileSpec* spec;
  std::string path;
};

std::vector<ConfiguredFile> configured_files(const PathsConfig& p) {
  return {{&ads_spec(), p.ads_path},
          {&leads_spec(), p.leads_path},
          {&outcomes_spec(), p.outcomes_path},
          {&lead_map_spec(), p.lead_to_ad_map_path},
          {&placement_spec(), p.ads_placement_path},
          {&geo_spec(), p.ads_geo_path},
          {&targeting_spec(), p.adset_targeting_path},
          {&creatives_spec(), p.ad_creatives_path}};
}

void check_required_paths(const Config& config, ValidationReport& report) {
  const std::string& where = config.source_path;
  if (config.paths.ads_path.empty())
    add(report, Severity::Error, where, "paths.ads_path", -1,
        "ads_path is not configured: ads.csv is required");
  if (config.paths.leads_path.empty())
    add(report, Severity::Error, where, "paths.leads_path", -1,
        "leads_path is not configured: leads.csv is required");
  if (config.paths.outcomes_path.empty())
    add(report, Severity::Warning, where, "paths.outcomes_path", -1,
        "outcomes_path is not configured: fine for scoring, but training needs outcomes");
}

// Loads one file; every failure becomes an Error finding and nullopt.
std::optional<Frame> load_checked(const ConfiguredFile& cf, Dictionaries& dicts, int threads,
                                  ValidationReport& report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(cf.path, ec) && !ec) {  // a symlink loop goes on to the reader, which names it
    add(report, Severity::Error, cf.path, "", -1,
        "file not found (" + cf.spec->config_key + ")");
    return std::nullopt;
  }
  if (fs::is_directory(cf.path, ec)) {
    add(report, Severity::Error, cf.path, "", -1,
        "is a folder, not a file (" + cf.spec->config_key + ")");
    return std::nullopt;
  }
  try {
    LoadResult loaded = load_file(*cf.spec, cf.path, dicts, {threads, false});
    for (const auto& column : loaded.missing_required)
      add(report, Severity::Error, cf.path, column, 1, "missing required column '" + column + "'");
    return std::move(loaded.frame);
  } catch (const elv::Error& e) {
    add(report, Severity::Error, e.file().empty() ? cf.path : e.file(), e.column(), e.row(),
        e.message());
  }
  return std::nullopt;
}

// ---- per-file checks ----------------------------------------------------------------

std::string invalid_message(ColType type, int64_t n) {
  switch (type) {
    case ColType::Number:
      return plural(n, "value is not a number", "values are not numbers");
    case ColType::Date:
      return plural(n, "value is not a date", "values are not dates") + " (expected YYYY-MM-DD)";
    case ColType::Timestamp:
      return plural(n, "value is not an ISO-8601 timestamp", "values are not ISO-8601 timestamps") +
             " (expected e.g. 2026-03-02T14:05:00Z)";
    default:
      return plural(n, "value is invalid", "values are invalid");
  }
}

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

// Unparseable values and scientific IDs are errors; empty required cells are warnings.
void check_column_issues(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                         ValidationReport& report) {
  for (const auto& name : frame.present_columns) {
    const ColumnSpec& col = *spec.find(name);
    auto it = frame.issues.find(name);
    if (it == frame.issues.end()) continue;
    const ColumnIssues& issues = it->second;
    if (issues.invalid > 0) {
      add(report, Severity::Error, frame.path, name,
          issues.first_invalid_lines.empty() ? -1 : issues.first_invalid_lines.front(),
          invalid_message(col.type, issues.invalid) +
              first_lines_text(issues.first_invalid_lines, issues.invalid));
    }
    if (issues.scientific > 0) {
      const std::string example = scientific_example(frame, name, issues, dicts);
      add(report, Severity::Error, frame.path, name,
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
      add(report, Severity::Warning, frame.path, name, line,
          percent(share) + " of the values are empty (" + std::to_string(issues.nulls) + " of " +
              std::to_string(frame.n_rows) + " rows" +
              (line >= 0 ? ", first at line " + std::to_string(line) : "") + ")");
    }
  }
}

// Every numeric column of the contract is a count or an amount of money: never negative.
void check_negative_numbers(const Frame& frame, ValidationReport& report) {
  for (const auto& name : frame.present_columns) {
    auto it = frame.numbers.find(name);
    if (it == frame.numbers.end()) continue;
    RowHits hits;
    for (size_t i = 0; i < it->second.size(); ++i)
      if (it->second[i] < 0) hits.hit(frame.lines[i]);
    if (hits.count > 0)
      add(report, Severity::Error, frame.path, name, hits.first_line(),
          plural(hits.count, "negative value", "negative values") +
              first_lines_text(hits.lines, hits.count));
  }
}

void check_clicks_vs_impressions(const Frame& frame, ValidationReport& report) {
  auto clicks = frame.numbers.find("clicks");
  auto impressions = frame.numbers.find("impressions");
  if (clicks == frame.numbers.end() || impressions == frame.numbers.end()) return;
  RowHits hits;
  for (size_t i = 0; i < clicks->second.size(); ++i) {
    // Comparisons with NaN are false, so null cells never count.
    if (clicks->second[i] > impressions->second[i]) hits.hit(frame.lines[i]);
  }
  if (hits.count == 0) return;
  // ads.csv clicks feed ctr/cpc features; breakdown features use spend only, so there the
  // inconsistency is worth knowing but does not corrupt the table.
  const bool used_by_features = frame.kind == "ads";
  add(report, used_by_features ? Severity::Error : Severity::Warning, frame.path, "clicks",
      hits.first_line(),
      plural(hits.count, "row has", "rows have") + " more clicks than impressions" +
          first_lines_text(hits.lines, hits.count) +
          (used_by_features ? "" : "; breakdown features use spend only"));
}

// ---- duplicate keys -----------------------------------------------------------------

using KeyValue = std::array<int32_t, 3>;  // up to three key columns, codes or dates

struct KeyValueHash {
  size_t operator()(const KeyValue& k) const {
    uint64_t h = 1469598103934665603ull;  // FNV-1a over the three 32-bit parts
    for (int32_t v : k) {
      h ^= static_cast<uint32_t>(v);
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h);
  }
};

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

bool is_null_key_part(int32_t v) { return v == kNullCode || v == kNullDate; }

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

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
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
void check_unique_key(const FileSpec& spec, const Frame& frame, ValidationReport& report) {
  const std::vector<std::string> key = unique_key_of(spec, frame);
  if (key.empty() || key.size() > 3) return;
  std::vector<const std::vector<int32_t>*> columns;
  for (const auto& k : key) {
    columns.push_back(key_values(frame, k));
    if (!columns.back()) return;
  }
  const bool additive = spec.kind == "ads" || spec.kind == "ads_placement" || spec.kind == "ads_geo";
  std::unordered_map<KeyValue, size_t, KeyValueHash> first_row;
  first_row.reserve(static_cast<size_t>(frame.n_rows));
  DuplicateHits conflicting, exact;
  for (size_t i = 0; i < static_cast<size_t>(frame.n_rows); ++i) {
    KeyValue value{0, 0, 0};
    bool has_null = false;
    for (size_t c = 0; c < columns.size(); ++c) {
      value[c] = (*columns[c])[i];
      has_null = has_null || is_null_key_part(value[c]);
    }
    if (has_null) continue;
    auto [it, inserted] = first_row.emplace(value, i);
    if (inserted) continue;
    const size_t j = it->second;
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
    add(report, Severity::Error, frame.path, key_name, conflicting.line,
        what + (additive ? "" : " with different data") + " (first at line " +
            std::to_string(conflicting.line) + ", duplicate of line " +
            std::to_string(conflicting.original_line) + ")" +
            (additive ? ": daily metrics would be counted twice" : ""));
  }
  if (exact.count > 0) {
    add(report, Severity::Warning, frame.path, key_name, exact.line,
        plural(exact.count, "row repeats", "rows repeat") + " an earlier row exactly (same " +
            key_name + ", same data; first at line " + std::to_string(exact.line) +
            ", same as line " + std::to_string(exact.original_line) + ")");
  }
}

// Renames and privacy drops, from the loader. Dropped columns are named, their values
// never appear (lead forms carry e-mails and phone numbers).
void report_load_warnings(const Frame& frame, ValidationReport& report) {
  for (const auto& [canonical, original] : frame.renamed)
    add(report, Severity::Warning, frame.path, canonical, 1,
        "renamed column '" + original + "' to " + canonical);
  if (!frame.dropped_columns.empty())
    add(report, Severity::Warning, frame.path, join(frame.dropped_columns, ", "), 1,
        "dropped columns outside the data contract (privacy): " +
            join(frame.dropped_columns, ", "));
  for (const auto& w : frame.warnings) {
    // The two kinds above are reported from the structured fields, with their columns.
    if (w.rfind("renamed column", 0) == 0 || w.rfind("dropped columns", 0) == 0) continue;
    add(report, Severity::Warning, frame.path, "", -1, w);
  }
}

void check_has_rows(const Frame& frame, ValidationReport& report) {
  if (frame.n_rows > 0) return;
  const bool essential = frame.kind == "ads" || frame.kind == "leads";
  add(report, essential ? Severity::Error : Severity::Warning, frame.path, "", -1,
      "the file has a header but no data rows");
}

void check_file(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                ValidationReport& report) {
  check_has_rows(frame, report);
  report_load_warnings(frame, report);
  check_column_issues(spec, frame, dicts, report);
  check_negative_numbers(frame, report);
  check_clicks_vs_impressions(frame, report);
  check_unique_key(spec, frame, report);
}

// ---- cross-file checks --------------------------------------------------------------

const std::array<const char*, 3> kEntityIds = {"ad_id", "adset_id", "campaign_id"};
const std::array<const char*, 3> kEntityNames = {"campaign_name", "adset_name", "ad_name"};

bool has_any(const Frame& frame, const std::array<const char*, 3>& columns) {
  return std::any_of(columns.begin(), columns.end(), [&](const char* c) { return frame.has(c); });
}

void check_lead_join_keys(const Frame& leads, bool map_configured, ValidationReport& report) {
  if (has_any(leads, kEntityIds) || map_configured) return;
  if (has_any(leads, kEntityNames)) {
    add(report, Severity::Warning, leads.path, "ad_id", 1,
        "no ID columns (ad_id, adset_id, campaign_id): leads are joined to ads.csv by names, "
        "best-effort (each name maps to its most frequent ID)");
    return;
  }
  add(report, Severity::Error, leads.path, "ad_id", 1,
      "no join key: leads.csv needs ad_id (preferred), adset_id or campaign_id, or a "
      "lead_to_ad_map_path in the config, or at least campaign names");
}

void check_lead_map_keys(const Frame& map, ValidationReport& report) {
  if (has_any(map, kEntityIds)) return;
  add(report, Severity::Error, map.path, "ad_id", 1,
      "no join key: lead_to_ad_map.csv needs ad_id, adset_id or campaign_id");
}

// Outcomes must refer to known leads, and cannot qualify a lead before it was created.
void check_outcomes_vs_leads(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             ValidationReport& report) {
  const auto* outcome_ids = codes_of(outcomes, "lead_id");
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (!outcome_ids || !lead_ids) return;
  constexpr int64_t kUnknown = kNullTime;
  // created_time per lead code; a lead with no time still "exists".
  const size_t n_codes = dicts.for_column("lead_id").size();
  std::vector<char> known(n_codes, 0);
  std::vector<int64_t> created(n_codes, kUnknown);
  const auto created_it = leads.times.find("created_time");
  for (size_t i = 0; i < lead_ids->size(); ++i) {
    const int32_t code = (*lead_ids)[i];
    if (code == kNullCode || known[code]) continue;
    known[code] = 1;
    if (created_it != leads.times.end()) created[code] = created_it->second[i];
  }
  const auto qualified_it = outcomes.times.find("qualified_time");
  RowHits unknown, before;
  int64_t with_id = 0;
  for (size_t i = 0; i < outcome_ids->size(); ++i) {
    const int32_t code = (*outcome_ids)[i];
    if (code == kNullCode) continue;
    ++with_id;
    if (!known[code]) {
      unknown.hit(outcomes.lines[i]);
      continue;
    }
    if (qualified_it == outcomes.times.end()) continue;
    const int64_t q = qualified_it->second[i];
    if (q != kNullTime && created[code] != kUnknown && q < created[code]) before.hit(outcomes.lines[i]);
  }
  if (with_id > 0)
    report.coverage["outcomes_in_leads"] =
        static_cast<double>(with_id - unknown.count) / static_cast<double>(with_id);
  if (unknown.count > 0)
    add(report, Severity::Warning, outcomes.path, "lead_id", unknown.first_line(),
        plural(unknown.count, "outcome refers", "outcomes refer") + " to unknown leads" +
            first_lines_text(unknown.lines, unknown.count));
  if (before.count > 0)
    add(report, Severity::Warning, outcomes.path, "qualified_time", before.first_line(),
        plural(before.count, "outcome has", "outcomes have") +
            " a qualified_time before the lead's created_time; those leads will be unknown" +
            first_lines_text(before.lines, before.count));
}

// Which of a lead's keys can be looked up: its own column (or the map's), and the set of
// codes ads.csv holds for that column.
struct KeyLookup {
  std::string column;
  const std::vector<int32_t>* values = nullptr;  // per lead row, or per map row
  bool via_map = false;
  std::vector<char> in_ads;
};

int32_t lookup_value(const KeyLookup& key, size_t lead_row, int64_t map_row) {
  if (!key.via_map) return (*key.values)[lead_row];
  return map_row < 0 ? kNullCode : (*key.values)[static_cast<size_t>(map_row)];
}

// A lead matches when any of its keys exists in ads.csv (the features fall back from ad to
// ad set to campaign). IDs on leads.csv come first, then lead_to_ad_map.csv, then names.
void check_match_rate(const Frame& leads, const Frame& ads, const Frame* map,
                      const Dictionaries& dicts, ValidationReport& report) {
  auto lookups_for = [&](const std::array<const char*, 3>& columns, const Frame& source,
                         bool via_map) {
    std::vector<KeyLookup> out;
    for (const char* c : columns) {
      if (!source.has(c) || !ads.has(c)) continue;
      out.push_back({c, codes_of(source, c), via_map,
                     codes_present(ads, c, dicts.for_column(c).size())});
    }
    return out;
  };
  const std::vector<KeyLookup> own_ids = lookups_for(kEntityIds, leads, false);
  const std::vector<KeyLookup> map_ids =
      map ? lookups_for(kEntityIds, *map, true) : std::vector<KeyLookup>{};
  const std::vector<KeyLookup> names = lookups_for(kEntityNames, leads, false);

  // Map row per lead code (first row wins), only when the map can be used.
  std::vector<int64_t> map_row_of;
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (map && !map_ids.empty() && lead_ids) {
    map_row_of.assign(dicts.for_column("lead_id").size(), -1);
    const auto* map_leads = codes_of(*map, "lead_id");
    for (size_t r = 0; map_leads && r < map_leads->size(); ++r) {
      const int32_t code = (*map_leads)[r];
      if (code != kNullCode && map_row_of[code] < 0) map_row_of[code] = static_cast<int64_t>(r);
    }
  }

  // 1 = matched, 0 = has a key that is not in ads.csv, -1 = no key of this kind at all.
  auto try_keys = [](const std::vector<KeyLookup>& keys, size_t row, int64_t map_row) {
    int result = -1;
    for (const auto& key : keys) {
      const int32_t code = lookup_value(key, row, map_row);
      if (code == kNullCode) continue;
      if (key.in_ads[code]) return 1;
      result = 0;
    }
    return result;
  };

  RowHits unmatched;
  int64_t mapped = 0;
  for (size_t i = 0; i < static_cast<size_t>(leads.n_rows); ++i) {
    int result = try_keys(own_ids, i, -1);
    if (result < 0 && !map_row_of.empty()) {
      const int32_t lead = (*lead_ids)[i];
      const int64_t map_row = lead == kNullCode ? -1 : map_row_of[lead];
      if (map_row >= 0) ++mapped;
      result = try_keys(map_ids, i, map_row);
    }
    if (result < 0) result = try_keys(names, i, -1);
    if (result != 1) unmatched.hit(leads.lines[i]);
  }
  if (leads.n_rows == 0) return;
  const double n = static_cast<double>(leads.n_rows);
  const double share = static_cast<double>(leads.n_rows - unmatched.count) / n;
  report.coverage["leads_in_ads"] = share;
  if (!map_row_of.empty()) report.coverage["leads_in_map"] = static_cast<double>(mapped) / n;
  if (share >= 0.9) return;
  std::string column = "ad_id";
  if (!own_ids.empty())
    column = own_ids.front().column;
  else if (!map_ids.empty())
    column = "lead_id";  // resolved through lead_to_ad_map.csv
  else if (!names.empty())
    column = names.front().column;
  add(report, Severity::Warning, leads.path, column, unmatched.first_line(),
      "only " + percent(share) + " of leads (" + std::to_string(leads.n_rows - unmatched.count) +
          " of " + std::to_string(leads.n_rows) +
          ") match ads.csv by ad_id, adset_id or campaign_id (below 90 %): the others get no "
          "ad features" + first_lines_text(unmatched.lines, unmatched.count));
}

void check_ads_span(const Frame& ads, ValidationReport& report) {
  auto it = ads.dates.find("date");
  if (it == ads.dates.end()) return;
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  for (int32_t d : it->second) {
    if (d == kNullDate) continue;
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  if (lo == hi)
    add(report, Severity::Warning, ads.path, "date", -1,
        "ads.csv covers a single day (" + parse::format_date(lo) +
            "): rolling features need daily rows over the feature window");
}

// Share of ads.csv's ads (or ad sets) that an enrichment file describes; below 50 % the
// enrichment's features are mostly zeros.
void check_enrichment_coverage(const Frame& ads, const Frame& enrichment, const std::string& label,
                               const Dictionaries& dicts, ValidationReport& report) {
  const std::string column = enrichment.kind == "adset_targeting" ? "adset_id" : "ad_id";
  const auto* ads_codes = codes_of(ads, column);
  if (!ads_codes || !enrichment.has(column)) {
    if (!ads_codes)
      add(report, Severity::Warning, enrichment.path, column, -1,
          "ads.csv has no " + column + " column, so " + label + " cannot be joined");
    return;
  }
  const std::vector<char> in_enrichment =
      codes_present(enrichment, column, dicts.for_column(column).size());
  std::vector<char> seen(in_enrichment.size(), 0);
  int64_t total = 0, covered = 0;
  for (int32_t code : *ads_codes) {
    if (code == kNullCode || seen[code]) continue;
    seen[code] = 1;
    ++total;
    covered += in_enrichment[code];
  }
  if (total == 0) return;
  const double share = static_cast<double>(covered) / static_cast<double>(total);
  report.coverage[enrichment.kind] = share;
  if (share < 0.5) {
    const std::string things = column == "adset_id" ? "ad sets" : "ads";
    add(report, Severity::Warning, enrichment.path, column, -1,
        "only " + percent(share) + " of the " + things + " in ads.csv (" + std::to_string(covered) +
            " of " + std::to_string(total) + ") appear in " + label +
            " (below 50 %): its features are zeros for the rest");
  }
}

// ---- facts --------------------------------------------------------------------------

FileFacts facts_of(const Frame& frame) {
  FileFacts facts;
  facts.kind = frame.kind;
  facts.path = frame.path;
  facts.rows = frame.n_rows;
  facts.size_mb = frame.size_mb;
  facts.columns = frame.present_columns;
  for (const auto& name : frame.present_columns) {
    auto it = frame.issues.find(name);
    const int64_t nulls = it == frame.issues.end() ? 0 : it->second.nulls;
    facts.null_pct[name] =
        frame.n_rows > 0 ? 100.0 * static_cast<double>(nulls) / static_cast<double>(frame.n_rows) : 0;
  }
  std::tie(facts.date_min, facts.date_max) = date_range(frame);
  return facts;
}

std::string label_of(const std::string& kind) {
  for (const FileSpec* spec : {&ads_spec(), &leads_spec(), &outcomes_spec(), &lead_map_spec(),
                               &placement_spec(), &geo_spec(), &targeting_spec(), &creatives_spec()})
    if (spec->kind == kind) return spec->file_label;
  return kind;
}

}  // namespace

ValidationReport validate(const Config& config, int threads) {
  ValidationReport report;
  check_required_paths(config, report);

  // One set of dictionaries for all files, so the same ID has the same code everywhere.
  Dictionaries dicts;
  std::map<std::string, Frame> frames;  // by kind
  for (const ConfiguredFile& cf : configured_files(config.paths)) {
    if (cf.path.empty()) continue;
    std::optional<Frame> frame = load_checked(cf, dicts, threads, report);
    if (!frame) continue;
    check_file(*cf.spec, *frame, dicts, report);
    report.files.push_back(facts_of(*frame));
    frames.emplace(cf.spec->kind, std::move(*frame));
  }

  auto get = [&](const std::string& kind) -> const Frame* {
    auto it = frames.find(kind);
    return it == frames.end() ? nullptr : &it->second;
  };
  const Frame* ads = get("ads");
  const Frame* leads = get("leads");
  const Frame* outcomes = get("outcomes");
  const Frame* map = get("lead_to_ad_map");
  if (leads) check_lead_join_keys(*leads, !config.paths.lead_to_ad_map_path.empty(), report);
  if (map) check_lead_map_keys(*map, report);
  if (outcomes && leads) check_outcomes_vs_leads(*outcomes, *leads, dicts, report);
  if (ads && leads) check_match_rate(*leads, *ads, map, dicts, report);
  if (ads) check_ads_span(*ads, report);
  for (const char* kind : {"ads_placement", "ads_geo", "adset_targeting", "ad_creatives"}) {
    const Frame* enrichment = get(kind);
    if (ads && enrichment) check_enrichment_coverage(*ads, *enrichment, label_of(kind), dicts, report);
  }
  return report;
}

// ---- rendering ----------------------------------------------------------------------

namespace {

// The same layout as elv::Error's message: "file:line: column 'c': message".
std::string finding_line(const Finding& f) {
  std::string out;
  if (!f.file.empty()) {
    out += f.file;
    if (f.line >= 0) out += ":" + std::to_string(f.line);
    out += ": ";
  }
  if (!f.column.empty()) out += "column '" + f.column + "': ";
  return out + f.message;
}

void render_findings(const ValidationReport& report, Severity severity, const std::string& title,
                     std::string& out) {
  const int64_t n = report.count(severity);
  out += title + " (" + std::to_string(n) + ")" + (n ? ":\n" : ": none\n");
  for (const auto& f : report.findings)
    if (f.severity == severity) out += "  " + finding_line(f) + "\n";
}

void render_file(const FileFacts& f, std::string& out) {
  out += "  " + f.kind + ": " + f.path + "\n";
  out += "    " + std::to_string(f.rows) + " rows, " + fixed(f.size_mb, 2) + " MB";
  if (!f.date_min.empty()) out += ", " + f.date_min + " to " + f.date_max;
  out += "\n    columns: " + join(f.columns, ", ") + "\n";
  std::string empties;
  for (const auto& column : f.columns) {
    const double pct = f.null_pct.at(column);
    if (pct > 0) empties += (empties.empty() ? "" : ", ") + column + " " + fixed(pct, 1) + " %";
  }
  out += "    empty cells: " + (empties.empty() ? std::string("none") : empties) + "\n";
}

nlohmann::json finding_json(const Finding& f) {
  return {{"file", f.file},
          {"column", f.column},
          {"line", f.line >= 0 ? nlohmann::json(f.line) : nlohmann::json(nullptr)},
          {"message", f.message}};
}

nlohmann::json optional_text(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

std::string render_text(const ValidationReport& report) {
  std::string out;
  render_findings(report, Severity::Error, "Errors", out);
  render_findings(report, Severity::Warning, "Warnings", out);
  out += "Files:\n";
  if (report.files.empty()) out += "  none loaded\n";
  for (const auto& f : report.files) render_file(f, out);
  if (!report.coverage.empty()) {
    out += "Coverage:\n";
    for (const auto& [name, share] : report.coverage) out += "  " + name + ": " + percent(share) + "\n";
  }
  const int64_t errors = report.count(Severity::Error), warnings = report.count(Severity::Warning);
  out += std::string(report.usable() ? "Result: usable" : "Result: NOT usable") + " (" +
         plural(errors, "error", "errors") + ", " + plural(warnings, "warning", "warnings") + ")\n";
  return out;
}

nlohmann::json to_json(const ValidationReport& report) {
  nlohmann::json errors = nlohmann::json::array(), warnings = nlohmann::json::array();
  for (const auto& f : report.findings)
    (f.severity == Severity::Error ? errors : warnings).push_back(finding_json(f));
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : report.files) {
    files.push_back({{"kind", f.kind},
                     {"path", f.path},
                     {"rows", f.rows},
                     {"size_mb", f.size_mb},
                     {"columns", f.columns},
                     {"null_pct", f.null_pct},
                     {"date_min", optional_text(f.date_min)},
                     {"date_max", optional_text(f.date_max)}});
  }
  nlohmann::json coverage = nlohmann::json::object();
  for (const auto& [name, share] : report.coverage) coverage[name] = share;
  return {{"ok", report.usable()},
          {"errors", errors},
          {"warnings", warnings},
          {"files", files},
          {"coverage", coverage}};
}

}  // namespace elv::contracts
