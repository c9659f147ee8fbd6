#include "contracts/discover.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "base/error.h"
#include "base/format.h"
#include "io/contact_data.h"
#include "io/csv_reader.h"

namespace elv::contracts {

namespace {

namespace fs = std::filesystem;

// The roles in the contract's order (docs/CONTRACT.md §2); a spec's kind is also the stem of
// the file name elv gives that input ("leads" -> leads.csv).
const std::array<const FileSpec*, 8>& roles() {
  static const std::array<const FileSpec*, 8> all = {
      &ads_spec(),       &leads_spec(), &outcomes_spec(),  &lead_map_spec(),
      &placement_spec(), &geo_spec(),   &targeting_spec(), &creatives_spec()};
  return all;
}

// What the CSV reader reads as text. Compressed files are not read (io has no gzip reader),
// so they are named as such rather than as "not a CSV".
constexpr std::array<std::string_view, 3> kExtensions = {".csv", ".tsv", ".txt"};
constexpr std::array<std::string_view, 4> kCompressed = {".gz", ".zip", ".bz2", ".xz"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// How specific a role is, for a header that fits several: a longer unique key first (a
// placement breakdown has many rows per day and ad, so a file with a placement column is not
// ads.csv even when it holds every ads column), then more required columns (lead_id and
// created_time make leads.csv, where lead_id and an ad_id alone would make the map).
std::pair<size_t, size_t> rank(const FileSpec& spec) {
  size_t required = 0;
  for (const auto& c : spec.columns) required += c.required ? 1 : 0;
  return {spec.unique_key.size(), required};
}

// The required columns of spec the canonical names hold, or nullopt when one is missing.
std::optional<std::vector<std::string>> required_matched(const FileSpec& spec,
                                                         const std::vector<std::string>& canon) {
  auto has = [&](std::string_view name) {
    return std::find(canon.begin(), canon.end(), name) != canon.end();
  };
  std::vector<std::string> matched;
  for (const auto& c : spec.columns) {
    if (!c.required) continue;
    if (has(c.name)) {
      matched.push_back(c.name);
    } else if (c.name == "date" && has("period_start")) {
      matched.push_back("period_start");  // Ads Manager's "Reporting starts" is the date then
    } else {
      return std::nullopt;
    }
  }
  // lead_to_ad_map.csv needs one ID to map to (docs/CONTRACT.md §2).
  if (&spec == &lead_map_spec()) {
    const auto id = std::find_if(canon.begin(), canon.end(), [](const std::string& n) {
      return n == "ad_id" || n == "adset_id" || n == "campaign_id";
    });
    if (id == canon.end()) return std::nullopt;
    matched.push_back(*id);
  }
  return matched;
}

// The header cells of a file, read with the project's reader (BOM, UTF-16, "sep=" line and
// delimiter detection apply). Only a prefix is read: the reader checks the whole text it is
// given, and a folder may hold big files that are no input at all.
std::vector<std::string> read_header(const std::string& path) {
  constexpr size_t kPrefix = 1 << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot be opened", path);
  std::string bytes(kPrefix, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  const bool whole = in.peek() == std::ifstream::traits_type::eof();
  if (!whole) {
    // Cut after the last line end, so no record is cut in two; in UTF-16LE the '\n' byte is
    // followed by its 0 byte.
    size_t cut = bytes.rfind('\n');
    if (cut == std::string::npos) return csv::Reader::open(path).header();  // one huge line
    const bool utf16le = bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE';
    if (utf16le && cut + 1 < bytes.size()) ++cut;
    bytes.resize(cut + 1);
  }
  try {
    return csv::Reader::from_string(std::move(bytes), path).header();
  } catch (const Error&) {
    if (whole) throw;
    // The cut fell inside a quoted cell (a newline in quotes): read the whole file.
    return csv::Reader::open(path).header();
  }
}

bool is_contract_column(std::string_view cell) {
  for (const FileSpec* spec : roles())
    if (!canonical_column(*spec, cell).empty()) return true;
  return false;
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(sep)) + item;
  return out;
}

// "leads.csv, leads.tsv or leads.txt"
std::string names_for(const FileSpec& spec) {
  std::string out;
  for (size_t i = 0; i < kExtensions.size(); ++i)
    out += (i == 0                        ? ""
            : i + 1 == kExtensions.size() ? " or "
                                          : ", ") +
           spec.kind + std::string(kExtensions[i]);
  return out;
}

std::string required_list(const FileSpec& spec) {
  std::vector<std::string> names;
  for (const auto& c : spec.columns)
    if (c.required) names.push_back(c.name);
  if (&spec == &lead_map_spec()) names.push_back("one of ad_id, adset_id, campaign_id");
  return join(names);
}

std::string what_to_do(const FileSpec& spec) {
  return "rename the one to use to " + spec.file_label +
         " and move the other out of the folder, or use --config";
}

}  // namespace

std::vector<std::string> read_header_cells(const std::string& path) { return read_header(path); }

HeaderRoles header_roles(const std::vector<std::string>& header_cells) {
  HeaderRoles out;
  for (const FileSpec* spec : roles()) {
    std::vector<std::string> canon;
    for (const auto& cell : header_cells) canon.push_back(canonical_column(*spec, cell));
    if (auto matched = required_matched(*spec, canon)) {
      out.matches.push_back({spec, std::move(*matched), {}, {}});
      continue;
    }
    if (spec != &outcomes_spec()) continue;
    // A CRM export read with an outcomes.preset: its documented qualified_time header, and a
    // lead id column the alias table knows (the preset needs that column named).
    const auto lead_id = std::find(canon.begin(), canon.end(), "lead_id");
    if (lead_id == canon.end()) continue;
    const std::string& lead_id_header = header_cells[size_t(lead_id - canon.begin())];
    for (const OutcomesPreset& preset : outcomes_presets()) {
      const std::string wanted = lowercase_trimmed(preset.qualified_time_column);
      for (const auto& cell : header_cells) {
        if (lowercase_trimmed(cell) != wanted) continue;
        out.matches.push_back({spec,
                               {"lead_id", std::string(preset.qualified_time_column)},
                               std::string(preset.name),
                               lead_id_header});
        break;
      }
      if (!out.matches.empty() && out.matches.back().spec == spec) break;
    }
  }
  std::stable_sort(out.matches.begin(), out.matches.end(),
                   [](const auto& a, const auto& b) { return rank(*a.spec) > rank(*b.spec); });
  out.best_is_tied =
      out.matches.size() >= 2 && rank(*out.matches[0].spec) == rank(*out.matches[1].spec);
  return out;
}

std::vector<std::string> DataDirInputs::describe() const {
  std::vector<std::string> lines;
  for (const auto& f : found)
    lines.push_back("data: " + f.spec->kind + " = " + f.path + " (" + f.how + ")");
  for (const auto& i : ignored) lines.push_back("data: ignored " + i.path + ": " + i.reason);
  return lines;
}

void DataDirInputs::apply_to(Config& config) const {
  for (const auto& f : found)
    for (auto& [key, value] : path_fields(config.paths))
      if (f.spec->config_key == std::string("paths.") + key) *value = f.path;
  if (!outcomes.preset.empty()) config.outcomes = outcomes;
}

DataDirInputs discover_inputs(const std::string& dir) {
  std::error_code ec;
  fs::path root = fs::absolute(fs::path(dir), ec).lexically_normal();
  if (!root.has_filename()) root = root.parent_path();  // "data/" -> "data"
  if (ec || !fs::is_directory(root, ec))
    throw Error("--data: not a folder (give the folder that holds the CSV exports)", dir);

  std::vector<fs::path> entries;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  if (ec) throw Error("--data: the folder cannot be read: " + ec.message(), root.string());
  std::sort(entries.begin(), entries.end());

  DataDirInputs out;
  out.dir = root.string();
  std::map<const FileSpec*, std::vector<FoundInput>> by_name, by_header;
  std::vector<fs::path> unnamed;
  for (const fs::path& p : entries) {
    const std::string path = p.string();
    if (fs::is_directory(p, ec)) {
      out.ignored.push_back({path, "a folder (only the files directly in --data are read)"});
      continue;
    }
    if (!fs::is_regular_file(p, ec)) {
      out.ignored.push_back({path, "not a regular file"});
      continue;
    }
    const std::string name = lowercase_trimmed(p.filename().string());
    const auto ext = std::find_if(kExtensions.begin(), kExtensions.end(),
                                  [&](std::string_view e) { return ends_with(name, e); });
    if (ext == kExtensions.end()) {
      const bool packed = std::any_of(kCompressed.begin(), kCompressed.end(),
                                      [&](std::string_view e) { return ends_with(name, e); });
      out.ignored.push_back({path, packed ? "compressed (elv reads .csv, .tsv and .txt files as "
                                            "they are; extract it into the folder)"
                                          : "not a .csv, .tsv or .txt file"});
      continue;
    }
    const std::string stem = name.substr(0, name.size() - ext->size());
    const auto role = std::find_if(roles().begin(), roles().end(),
                                   [&](const FileSpec* s) { return s->kind == stem; });
    if (role != roles().end())
      by_name[*role].push_back({*role, path, "by name"});
    else
      unnamed.push_back(p);
  }
  for (const auto& [spec, files] : by_name)
    if (files.size() > 1)
      throw Error("two files could be " + spec->file_label + " by their names: " + files[0].path +
                      " and " + files[1].path + "; " + what_to_do(*spec),
                  out.dir);

  for (const fs::path& p : unnamed) {
    const std::string path = p.string();
    std::vector<std::string> header;
    try {
      header = read_header(path);
    } catch (const Error& e) {
      out.ignored.push_back({path, "cannot be read as CSV: " + e.message()});
      continue;
    }
    if (header.empty()) {
      out.ignored.push_back({path, "empty"});
      continue;
    }
    const HeaderRoles fits = header_roles(header);
    if (fits.matches.empty()) {
      std::vector<std::string> labels = io::header_labels(header, is_contract_column);
      constexpr size_t kShown = 8;
      const size_t n = labels.size();
      if (n > kShown) labels.resize(kShown);
      out.ignored.push_back({path, "its header fits no input (columns: " + join(labels) +
                                       (n > kShown ? ", …" : "") + ")"});
      continue;
    }
    const HeaderMatch& best = fits.matches[0];
    if (fits.best_is_tied)
      throw Error("its header fits both " + best.spec->file_label + " and " +
                      fits.matches[1].spec->file_label + "; rename it to the one it is, or use " +
                      "--config",
                  path);
    if (by_name.count(best.spec)) {
      out.ignored.push_back({path, "its header fits " + best.spec->file_label + ", but " +
                                       by_name[best.spec][0].path + " has that name"});
      continue;
    }
    std::string how = "by headers: " + join(best.matched);
    if (!best.preset.empty())
      how += "; outcomes.preset " + best.preset + ", lead id column '" +
             io::safe_column_label(best.lead_id_header) + "'";
    auto& files = by_header[best.spec];
    files.push_back({best.spec, path, how});
    if (files.size() > 1)
      throw Error("two files could be " + best.spec->file_label + " by their headers: " +
                      files[0].path + " and " + files[1].path + "; " + what_to_do(*best.spec),
                  out.dir);
    if (!best.preset.empty()) {
      for (const OutcomesPreset& preset : outcomes_presets())
        if (preset.name == best.preset)
          out.outcomes.qualified_time_column = std::string(preset.qualified_time_column);
      out.outcomes.preset = best.preset;
      out.outcomes.lead_id_column = best.lead_id_header;
    }
  }

  std::vector<std::string> missing;
  for (const FileSpec* spec : roles()) {
    for (auto* files : {&by_name, &by_header})
      if (auto it = files->find(spec); it != files->end()) out.found.push_back(it->second[0]);
    const bool needed = spec == &ads_spec() || spec == &leads_spec();
    if (needed && (out.found.empty() || out.found.back().spec != spec))
      missing.push_back("no " + spec->kind + " file: looked for " + names_for(*spec) +
                        ", or a .csv, .tsv or .txt file whose header holds " +
                        required_list(*spec));
  }
  if (!missing.empty()) throw Error(join(missing, "; "), out.dir);
  return out;
}

}  // namespace elv::contracts
