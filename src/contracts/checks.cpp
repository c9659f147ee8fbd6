#include "contracts/checks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "base/calendar.h"
#include "base/format.h"
#include "contracts/loader.h"
#include "contracts/schema.h"
#include "io/parse.h"

namespace elv::contracts {

namespace {

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

// ---- per-file checks ----------------------------------------------------------------

std::string invalid_message(ColType type, int64_t n) {
  switch (type) {
    case ColType::Number:
      return plural(n, "value is not a number", "values are not numbers") +
             " (remove currency symbols and units; csv.decimal sets the decimal mark)";
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
                         Findings& findings) {
  for (const auto& name : frame.present_columns) {
    const ColumnSpec& col = *spec.find(name);
    auto it = frame.issues.find(name);
    if (it == frame.issues.end()) continue;
    const ColumnIssues& issues = it->second;
    if (issues.invalid > 0) {
      // Numbers and dates feed sums: a guess or a gap would be a wrong total, so they stop
      // the run. A lead or outcome timestamp only concerns its own row, which is set aside.
      // ... unless more than half the column is unreadable: then its format is wrong, not a row.
      const int64_t filled = frame.n_rows - issues.nulls;
      const bool row_only = col.type == ColType::Timestamp && issues.invalid * 2 <= filled;
      std::string consequence;
      if (row_only && name == "created_time") consequence = "; those leads are left out";
      if (row_only && name == "qualified_time")
        consequence = "; those leads stay unknown (neither label)";
      findings.add(row_only ? Severity::Warning : Severity::Error, frame.path, name,
                   issues.first_invalid_lines.empty() ? -1 : issues.first_invalid_lines.front(),
                   invalid_message(col.type, issues.invalid) +
                       (col.type == ColType::Number && !issues.first_invalid_text.empty()
                            ? " (e.g. '" + issues.first_invalid_text + "')"
                            : "") +
                       first_lines_text(issues.first_invalid_lines, issues.invalid) + consequence);
    }
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
  if (!frame.dropped_columns.empty())
    findings.add(Severity::Warning, frame.path, join(frame.dropped_columns, ", "), 1,
                 dropped_columns_warning(frame));
  for (const auto& w : frame.warnings) {
    // The two kinds above are reported from the structured fields, with their columns.
    if (w.rfind("renamed column", 0) == 0 || w.rfind("dropped columns", 0) == 0) continue;
    findings.add(Severity::Warning, frame.path, "", -1, w);
  }
}

void check_has_rows(const Frame& frame, Findings& findings) {
  if (frame.n_rows > 0) return;
  const bool essential = frame.kind == "ads" || frame.kind == "leads";
  findings.add(essential ? Severity::Error : Severity::Warning, frame.path, "", -1,
               "the file has a header but no data rows");
}

void check_file(const FileSpec& spec, const Frame& frame, const Dictionaries& dicts,
                Findings& findings) {
  check_has_rows(frame, findings);
  report_load_warnings(frame, findings);
  check_column_issues(spec, frame, dicts, findings);
  check_unique_key(spec, frame, findings);
}

// ---- cross-file checks --------------------------------------------------------------

const std::array<const char*, 3> kEntityIds = {"ad_id", "adset_id", "campaign_id"};
const std::array<const char*, 3> kEntityNames = {"campaign_name", "adset_name", "ad_name"};

bool has_any(const Frame& frame, const std::array<const char*, 3>& columns) {
  return std::any_of(columns.begin(), columns.end(), [&](const char* c) { return frame.has(c); });
}

void check_lead_join_keys(const Frame& leads, bool map_configured, Findings& findings) {
  if (has_any(leads, kEntityIds) || map_configured) return;
  if (has_any(leads, kEntityNames)) {
    findings.add(
        Severity::Warning, leads.path, "ad_id", 1,
        "no ID columns (ad_id, adset_id, campaign_id): leads are joined to ads.csv by names, "
        "best-effort (each name maps to its most frequent ID)");
    return;
  }
  findings.add(Severity::Error, leads.path, "ad_id", 1,
               "no join key: leads.csv needs ad_id (preferred), adset_id or campaign_id, or a "
               "lead_to_ad_map_path in the config, or at least campaign names");
}

void check_lead_map_keys(const Frame& map, Findings& findings) {
  if (has_any(map, kEntityIds)) return;
  findings.add(Severity::Error, map.path, "ad_id", 1,
               "no join key: lead_to_ad_map.csv needs ad_id, adset_id or campaign_id");
}

// Outcomes must refer to known leads, and cannot qualify a lead before it was created.
void check_outcomes_vs_leads(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings) {
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
    if (q != kNullTime && created[code] != kUnknown && q < created[code])
      before.hit(outcomes.lines[i]);
  }
  if (with_id > 0)
    findings.coverage["outcomes_in_leads"] =
        static_cast<double>(with_id - unknown.count) / static_cast<double>(with_id);
  if (unknown.count > 0)
    findings.add(Severity::Warning, outcomes.path, "lead_id", unknown.first_line(),
                 plural(unknown.count, "outcome refers", "outcomes refer") + " to unknown leads" +
                     first_lines_text(unknown.lines, unknown.count));
  if (before.count > 0)
    findings.add(
        Severity::Warning, outcomes.path, "qualified_time", before.first_line(),
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
                      const Dictionaries& dicts, Findings& findings) {
  auto lookups_for = [&](const std::array<const char*, 3>& columns, const Frame& source,
                         bool via_map) {
    std::vector<KeyLookup> out;
    for (const char* c : columns) {
      if (!source.has(c) || !ads.has(c)) continue;
      out.push_back(
          {c, codes_of(source, c), via_map, codes_present(ads, c, dicts.for_column(c).size())});
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
  findings.coverage["leads_in_ads"] = share;
  if (!map_row_of.empty()) findings.coverage["leads_in_map"] = static_cast<double>(mapped) / n;
  if (share >= 0.9) return;
  std::string column = "ad_id";
  if (!own_ids.empty())
    column = own_ids.front().column;
  else if (!map_ids.empty())
    column = "lead_id";  // resolved through lead_to_ad_map.csv
  else if (!names.empty())
    column = names.front().column;
  findings.add(
      Severity::Warning, leads.path, column, unmatched.first_line(),
      "only " + percent(share) + " of leads (" + std::to_string(leads.n_rows - unmatched.count) +
          " of " + std::to_string(leads.n_rows) +
          ") match ads.csv by ad_id, adset_id or campaign_id (below 90 %): the others get no "
          "ad features" +
          first_lines_text(unmatched.lines, unmatched.count));
}

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

// Share of ads.csv's ads (or ad sets) that an enrichment file describes; below 50 % the
// enrichment's features are mostly zeros.
void check_enrichment_coverage(const Frame& ads, const Frame& enrichment, const std::string& label,
                               const Dictionaries& dicts, Findings& findings) {
  const std::string column = enrichment.kind == "adset_targeting" ? "adset_id" : "ad_id";
  const auto* ads_codes = codes_of(ads, column);
  if (!ads_codes || !enrichment.has(column)) {
    if (!ads_codes)
      findings.add(Severity::Warning, enrichment.path, column, -1,
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
  findings.coverage[enrichment.kind] = share;
  if (share < 0.5) {
    const std::string things = column == "adset_id" ? "ad sets" : "ads";
    findings.add(Severity::Warning, enrichment.path, column, -1,
                 "only " + percent(share) + " of the " + things + " in ads.csv (" +
                     std::to_string(covered) + " of " + std::to_string(total) + ") appear in " +
                     label + " (below 50 %): its features are zeros for the rest");
  }
}

std::string label_of(const std::string& kind) {
  for (const FileSpec* spec :
       {&ads_spec(), &leads_spec(), &outcomes_spec(), &lead_map_spec(), &placement_spec(),
        &geo_spec(), &targeting_spec(), &creatives_spec()})
    if (spec->kind == kind) return spec->file_label;
  return kind;
}

// ---- daily files: one row per day and entity ------------------------------------------

bool is_daily_file(const Frame& f) {
  return f.kind == "ads" || f.kind == "ads_placement" || f.kind == "ads_geo";
}

int32_t code_at(const Frame& f, const char* column, size_t row) {
  const auto* codes = codes_of(f, column);
  return codes ? (*codes)[row] : kNullCode;
}

// A row that names no campaign, ad set or ad cannot be placed, and Ads Manager's totals row
// (its first data row, the sum of all others) is such a row: summed, it would double the
// spend. Both are set aside; the message says which it was.
void drop_rows_without_entity(Frame& frame, Findings& findings) {
  static constexpr std::array<const char*, 6> kEntityColumns = {
      "campaign_id", "adset_id", "ad_id", "campaign_name", "adset_name", "ad_name"};
  std::vector<uint8_t> keep(static_cast<size_t>(frame.n_rows), 1);
  RowHits rows;
  for (size_t i = 0; i < keep.size(); ++i) {
    bool named = false;
    for (const char* c : kEntityColumns) named = named || code_at(frame, c, i) != kNullCode;
    if (named) continue;
    keep[i] = 0;
    rows.hit(frame.lines[i]);
  }
  if (rows.count == 0) return;
  // A totals row's spend equals the sum of the others (to the cent, or to rounding).
  int64_t totals = 0;
  if (auto spend = frame.numbers.find("spend"); spend != frame.numbers.end()) {
    double others = 0;
    for (size_t i = 0; i < keep.size(); ++i)
      if (keep[i] && !std::isnan(spend->second[i])) others += spend->second[i];
    for (size_t i = 0; i < keep.size(); ++i) {
      const double v = spend->second[i];
      if (!keep[i] && !std::isnan(v) && v > 0 &&
          std::fabs(v - others) <= std::max(0.01, 0.005 * others))
        ++totals;
    }
  }
  frame.keep_rows(keep);
  const std::string label = label_of(frame.kind);
  findings.add(Severity::Warning, frame.path, "", rows.first_line(),
               totals > 0
                   ? plural(rows.count, "totals row", "totals rows") +
                         " (no campaign, ad set or ad; the sum of the other rows, as Ads Manager "
                         "exports it) left out, never summed" +
                         rows.lines_text()
                   : plural(rows.count, "row names", "rows name") +
                         " no campaign, ad set or ad and " + (rows.count == 1 ? "was" : "were") +
                         " left out" + rows.lines_text());
}

// `Reporting starts` / `Reporting ends` without a "Day" column: a row is daily only when the
// two are the same day. A longer period (a monthly or whole-range export) cannot be spread
// over days without guessing.
void check_daily_periods(const Frame& frame, Findings& findings) {
  if (!frame.has("period_end") || frame.has("period_start")) return;  // a Day column decides
  const auto& start = frame.dates.at("date");
  const auto& end = frame.dates.at("period_end");
  RowHits longer;
  size_t first = 0;
  for (size_t i = 0; i < start.size(); ++i) {
    if (start[i] == kNullDate || end[i] == kNullDate || start[i] == end[i]) continue;
    if (longer.count == 0) first = i;
    longer.hit(frame.lines[i]);
  }
  if (longer.count == 0) return;
  findings.add(Severity::Error, frame.path, "period_end", longer.first_line(),
               plural(longer.count, "row covers", "rows cover") + " more than one day (line " +
                   std::to_string(longer.first_line()) + ": " + parse::format_date(start[first]) +
                   " to " + parse::format_date(end[first]) + "): " + label_of(frame.kind) +
                   " needs one row per day; export it again from Ads Manager with Breakdown → By "
                   "time → Day");
}

// Counts cannot be negative, and clicks cannot exceed impressions: such cells are treated as
// unknown (empty). Negative spend is a refund or an adjustment: kept, as a credit. Spend with
// no impressions happens (late charges): kept. Every case is counted in a warning.
void apply_number_policies(Frame& frame, Findings& findings) {
  auto column = [&](const char* name) -> std::vector<double>* {
    auto it = frame.numbers.find(name);
    return it == frame.numbers.end() ? nullptr : &it->second;
  };
  std::vector<double>* impressions = column("impressions");
  std::vector<double>* clicks = column("clicks");
  std::vector<double>* spend = column("spend");
  for (auto [name, values] : {std::pair{"impressions", impressions}, std::pair{"clicks", clicks}}) {
    if (!values) continue;
    RowHits negative;
    for (size_t i = 0; i < values->size(); ++i)
      if ((*values)[i] < 0) negative.hit(frame.lines[i]), (*values)[i] = std::nan("");
    if (negative.count > 0)
      findings.add(Severity::Warning, frame.path, name, negative.first_line(),
                   plural(negative.count, "negative value", "negative values") +
                       negative.lines_text() + ": a count cannot be negative, so " +
                       (negative.count == 1 ? "it is" : "they are") +
                       " treated as empty (unknown)");
  }
  if (clicks && impressions) {
    RowHits over;
    for (size_t i = 0; i < clicks->size(); ++i)
      if ((*clicks)[i] > (*impressions)[i]) over.hit(frame.lines[i]), (*clicks)[i] = std::nan("");
    if (over.count > 0)
      findings.add(Severity::Warning, frame.path, "clicks", over.first_line(),
                   plural(over.count, "row has", "rows have") + " more clicks than impressions" +
                       over.lines_text() +
                       ": those clicks are treated as empty (unknown); check that "
                       "the columns are not shifted");
  }
  if (!spend) return;
  RowHits negative, unseen;
  for (size_t i = 0; i < spend->size(); ++i) {
    if ((*spend)[i] < 0) negative.hit(frame.lines[i]);
    // (Breakdowns split spend and impressions by placement or region, so a small share of
    // spend without impressions there is rounding, not news.)
    if ((*spend)[i] > 0 && impressions && (*impressions)[i] == 0 && frame.kind == "ads")
      unseen.hit(frame.lines[i]);
  }
  if (negative.count > 0)
    findings.add(Severity::Warning, frame.path, "spend", negative.first_line(),
                 plural(negative.count, "negative spend value", "negative spend values") +
                     negative.lines_text() +
                     " (refunds or adjustments?): kept as credits that lower " +
                     "their day's spend, and the spend of their ad, ad set and campaign");
  if (unseen.count > 0)
    findings.add(Severity::Warning, frame.path, "spend", unseen.first_line(),
                 plural(unseen.count, "row has", "rows have") + " spend but no impressions" +
                     unseen.lines_text() + ": kept as spend");
}

// ---- implausible dates ----------------------------------------------------------------

constexpr int32_t kMinOutlierGapDays = 90;

std::string describe_outliers(const std::vector<int32_t>& days, const std::vector<uint8_t>& outlier,
                              const std::vector<int64_t>& lines, RowHits& hits) {
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  size_t example = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    if (outlier[i]) {
      if (hits.count == 0) example = i;
      hits.hit(lines[i]);
    } else if (days[i] != kNullDate) {
      lo = std::min(lo, days[i]), hi = std::max(hi, days[i]);
    }
  }
  if (hits.count == 0) return {};
  return plural(hits.count, "date lies", "dates lie") + " far outside the rest of the file (" +
         (lo <= hi ? parse::format_date(lo) + " to " + parse::format_date(hi)
                   : std::string("no other dates")) +
         ") and look" + (hits.count == 1 ? "s" : "") + " mistyped (e.g. " +
         parse::format_date(days[example]) + " at line " + std::to_string(lines[example]) + ")";
}

std::vector<int32_t> days_of(const std::vector<int64_t>& times) {
  std::vector<int32_t> days(times.size(), kNullDate);
  for (size_t i = 0; i < times.size(); ++i)
    if (times[i] != kNullTime) days[i] = day_of(times[i]);
  return days;
}

// Daily files: rows at mistyped dates are left out (they would also stretch every daily
// cube across the centuries in between).
void drop_implausible_dates(Frame& frame, Findings& findings) {
  auto it = frame.dates.find("date");
  if (it == frame.dates.end()) return;
  const std::vector<uint8_t> outlier = implausible_days(it->second);
  RowHits hits;
  const std::string text = describe_outliers(it->second, outlier, frame.lines, hits);
  if (hits.count == 0) return;
  std::vector<uint8_t> keep(outlier.size());
  for (size_t i = 0; i < keep.size(); ++i) keep[i] = !outlier[i];
  frame.keep_rows(keep);
  findings.add(Severity::Warning, frame.path, "date", hits.first_line(),
               text + "; those rows are left out" + hits.lines_text());
}

// A lead created at a mistyped date would move as_of_date (the latest lead's day) and with it
// every other lead's label: its created_time becomes unknown, so the lead is left out.
void drop_implausible_leads(Frame& leads, Findings& findings) {
  auto it = leads.times.find("created_time");
  if (it == leads.times.end()) return;
  const std::vector<int32_t> days = days_of(it->second);
  const std::vector<uint8_t> outlier = implausible_days(days);
  RowHits hits;
  const std::string text = describe_outliers(days, outlier, leads.lines, hits);
  if (hits.count == 0) return;
  for (size_t i = 0; i < outlier.size(); ++i)
    if (outlier[i]) it->second[i] = kNullTime;
  findings.add(Severity::Warning, leads.path, "created_time", hits.first_line(),
               text +
                   "; those leads are left out, so they cannot move as_of_date or anyone's label" +
                   hits.lines_text());
}

// An outcome whose qualified_time cannot be read, or is implausible, says nothing reliable:
// its lead is neither positive nor negative (never "not qualified" by default).
void set_aside_unreadable_outcomes(InputFiles& inputs, Findings& findings) {
  Frame* outcomes = inputs.get("outcomes");
  if (!outcomes || !outcomes->has("qualified_time") || !outcomes->has("lead_id")) return;
  auto& times = outcomes->times.at("qualified_time");
  const auto& ids = outcomes->codes.at("lead_id");
  const std::vector<int32_t> days = days_of(times);
  const std::vector<uint8_t> outlier = implausible_days(days);
  RowHits hits;
  const std::string text = describe_outliers(days, outlier, outcomes->lines, hits);
  std::vector<uint8_t> unreadable(outlier);
  if (auto issues = outcomes->issues.find("qualified_time"); issues != outcomes->issues.end())
    for (int64_t line : issues->second.invalid_lines)
      if (const int64_t row = outcomes->row_of_line(line); row >= 0)
        unreadable[static_cast<size_t>(row)] = 1;
  for (size_t i = 0; i < unreadable.size(); ++i) {
    if (!unreadable[i]) continue;
    times[i] = kNullTime;
    if (ids[i] != kNullCode) inputs.unreadable_outcome_leads.push_back(ids[i]);
  }
  if (hits.count > 0)
    findings.add(Severity::Warning, outcomes->path, "qualified_time", hits.first_line(),
                 text + "; those leads stay unknown (neither label)" + hits.lines_text());
}

void check_as_of_date(const Config& config, const Frame& leads, Findings& findings) {
  if (!config.label.as_of_date) return;
  auto it = leads.times.find("created_time");
  if (it == leads.times.end()) return;
  int32_t last = std::numeric_limits<int32_t>::min();
  for (int32_t d : days_of(it->second))
    if (d != kNullDate) last = std::max(last, d);
  if (last == std::numeric_limits<int32_t>::min()) return;
  const int32_t as_of = *config.label.as_of_date;
  const int32_t beyond = as_of - last;
  if (beyond <= std::max(30, config.label.label_window_days)) return;
  findings.add(Severity::Warning, config.source_path, "label.as_of_date", -1,
               "as_of_date " + parse::format_date(as_of) + " is " + std::to_string(beyond) +
                   " days after the latest lead (" + parse::format_date(last) +
                   "): every lead counts as mature, and a lead not yet qualified counts as never "
                   "qualified; leave as_of_date empty to use the latest lead's day");
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

// ---- outcome IDs that match only loosely ------------------------------------------------

// An ID as a CRM might respell it: lower case, and a non-digit prefix before an all-digit
// rest dropped ("LEAD-00123" -> "00123").
std::string loose_id(std::string_view id) {
  std::string s;
  for (char c : id) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const size_t digits = s.find_first_of("0123456789");
  if (digits != std::string::npos && digits > 0 &&
      s.find_first_not_of("0123456789", digits) == std::string::npos)
    s.erase(0, digits);
  return s;
}

// When few outcome IDs match leads.csv as written but most match loosely, the labels would be
// silently wrong (every lead "not qualified"): refuse, with both match rates.
void check_loose_outcome_ids(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings) {
  const auto* outcome_ids = codes_of(outcomes, "lead_id");
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (!outcome_ids || !lead_ids) return;
  const Dictionary& dict = dicts.for_column("lead_id");
  std::vector<char> is_lead(dict.size(), 0);
  std::unordered_map<std::string, int32_t> loose;
  for (int32_t code : *lead_ids) {
    if (code == kNullCode || is_lead[code]) continue;
    is_lead[code] = 1;
    loose.emplace(loose_id(dict.str(code)), code);
  }
  int64_t with_id = 0, exact = 0, loosely = 0;
  int32_t example = kNullCode, example_lead = kNullCode;
  for (int32_t code : *outcome_ids) {
    if (code == kNullCode) continue;
    ++with_id;
    if (is_lead[code]) {
      ++exact;
      continue;
    }
    auto it = loose.find(loose_id(dict.str(code)));
    if (it == loose.end()) continue;
    ++loosely;
    if (example == kNullCode) example = code, example_lead = it->second;
  }
  if (with_id == 0) return;
  const double exact_rate = static_cast<double>(exact) / static_cast<double>(with_id);
  const double loose_rate = static_cast<double>(exact + loosely) / static_cast<double>(with_id);
  if (exact_rate >= 0.9 || loose_rate < 0.9) return;
  findings.add(Severity::Error, outcomes.path, "lead_id", -1,
               "only " + percent(exact_rate) +
                   " of outcome lead_ids match leads.csv as written, but " + percent(loose_rate) +
                   " match when letter case and prefixes are ignored (e.g. '" + dict.str(example) +
                   "' and '" + dict.str(example_lead) +
                   "'): make the IDs identical in both exports, or labels would be wrong");
}

}  // namespace

std::vector<uint8_t> implausible_days(const std::vector<int32_t>& days) {
  std::vector<uint8_t> outlier(days.size(), 0);
  std::vector<int32_t> v;
  v.reserve(days.size());
  for (int32_t d : days)
    if (d != kNullDate) v.push_back(d);
  const size_t n = v.size();
  if (n < 10) return outlier;
  const size_t k = std::max<size_t>(1, n / 20);  // at most the lowest and highest 5 %
  // Only the two tails are sorted: O(n), not a sort of millions of leads.
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  std::sort(v.begin(), v.begin() + static_cast<long>(k) + 1);
  std::nth_element(v.begin() + static_cast<long>(k) + 1, v.end() - static_cast<long>(k) - 1,
                   v.end());
  std::sort(v.end() - static_cast<long>(k) - 1, v.end());
  const int32_t bulk_lo = v[k], bulk_hi = v[n - k - 1];
  int32_t keep_from = std::numeric_limits<int32_t>::min(),
          keep_to = std::numeric_limits<int32_t>::max();
  for (size_t i = n - k - 1; i + 1 < n; ++i) {  // upward from the top of the bulk
    const int64_t gap = static_cast<int64_t>(v[i + 1]) - v[i];
    if (gap > std::max<int64_t>(kMinOutlierGapDays, static_cast<int64_t>(v[i]) - bulk_lo)) {
      keep_to = v[i];
      break;
    }
  }
  for (size_t i = k; i > 0; --i) {  // downward from the bottom of the bulk
    const int64_t gap = static_cast<int64_t>(v[i]) - v[i - 1];
    if (gap > std::max<int64_t>(kMinOutlierGapDays, static_cast<int64_t>(bulk_hi) - v[i])) {
      keep_from = v[i];
      break;
    }
  }
  for (size_t i = 0; i < days.size(); ++i)
    outlier[i] = days[i] != kNullDate && (days[i] < keep_from || days[i] > keep_to);
  return outlier;
}

void check_inputs(const Config& config, InputFiles& inputs, Findings& findings) {
  const Dictionaries& dicts = *inputs.dicts;
  const FileSpec* specs[] = {&leads_spec(),     &ads_spec(), &outcomes_spec(),  &lead_map_spec(),
                             &placement_spec(), &geo_spec(), &targeting_spec(), &creatives_spec()};
  for (const FileSpec* spec : specs) {
    Frame* frame = inputs.get(spec->kind);
    if (!frame) continue;
    // A totals row is set aside first, so its empty cells are not reported as gaps; a
    // monthly export is named as such before its repeated days are.
    // Rows at mistyped dates go before the duplicate check too (garbage rows repeat).
    if (is_daily_file(*frame)) {
      drop_rows_without_entity(*frame, findings);
      check_daily_periods(*frame, findings);
      drop_implausible_dates(*frame, findings);
    }
    check_file(*spec, *frame, dicts, findings);
    note_timestamps_without_offset(*frame, findings);
    if (is_daily_file(*frame)) apply_number_policies(*frame, findings);
  }
  Frame* leads = inputs.get("leads");
  if (leads) drop_implausible_leads(*leads, findings);
  set_aside_unreadable_outcomes(inputs, findings);

  const Frame* ads = inputs.get("ads");
  const Frame* outcomes = inputs.get("outcomes");
  const Frame* map = inputs.get("lead_to_ad_map");
  if (leads) check_lead_join_keys(*leads, !config.paths.lead_to_ad_map_path.empty(), findings);
  if (map) check_lead_map_keys(*map, findings);
  if (outcomes && leads) {
    check_outcomes_vs_leads(*outcomes, *leads, dicts, findings);
    check_loose_outcome_ids(*outcomes, *leads, dicts, findings);
  }
  if (ads && leads) check_match_rate(*leads, *ads, map, dicts, findings);
  if (ads) check_ads_span(*ads, findings);
  for (const char* kind : {"ads_placement", "ads_geo", "adset_targeting", "ad_creatives"}) {
    const Frame* enrichment = inputs.get(kind);
    if (ads && enrichment)
      check_enrichment_coverage(*ads, *enrichment, label_of(kind), dicts, findings);
  }
  if (leads) check_as_of_date(config, *leads, findings);
}

}  // namespace elv::contracts
