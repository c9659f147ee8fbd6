#include "server/runs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "report/html.h"
#include "report/run_kind.h"
#include "run/run_name.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

namespace {

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  // A damaged artifact must not take the run list down: it reads as absent.
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string string_at(const json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return "";
}

// What made the run, as its pipeline recorded it in metadata.json; for a run folder written
// before elv recorded it, what report.html infers from its files, so the run list and the
// report never disagree.
std::string run_kind(const json& meta, const fs::path& dir) {
  if (const auto kind = report::run_kind_from_name(string_at(meta, "run_kind")))
    return report::run_kind_name(*kind);
  return report::run_kind(dir.string());
}

json summary(const fs::path& dir, const json& meta) {
  json leads = nullptr;
  if (meta.is_object() && meta.contains("table") && meta["table"].is_object() &&
      meta["table"].contains("rows"))
    leads = meta["table"]["rows"];
  std::string model_type;
  if (meta.is_object() && meta.contains("model") && meta["model"].is_object())
    model_type = string_at(meta["model"], "model_type");
  return {{"id", dir.filename().string()},
          {"name", run::run_name(meta)},
          {"created_at", string_at(meta, "created_at_utc")},
          {"kind", run_kind(meta, dir)},
          {"command", string_at(meta, "command")},
          {"leads", leads},
          {"model_type", model_type},
          {"has_predictions", fs::exists(dir / "predictions.csv")}};
}

}  // namespace

json list_runs(const std::string& runs_dir) {
  json runs = json::array();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(runs_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    const json meta = read_json(entry.path() / "metadata.json");
    if (!meta.is_object()) continue;
    runs.push_back(summary(entry.path(), meta));
  }
  // Newest first; run ids start with a UTC timestamp, so they break ties in time order.
  std::sort(runs.begin(), runs.end(), [](const json& a, const json& b) {
    const auto ka = a["created_at"].get<std::string>(), kb = b["created_at"].get<std::string>();
    if (ka != kb) return ka > kb;
    return a["id"].get<std::string>() > b["id"].get<std::string>();
  });
  return runs;
}

json run_details(const std::string& run_dir) {
  const fs::path dir(run_dir);
  const json meta = read_json(dir / "metadata.json");
  json files = json::array();
  std::vector<fs::path> entries;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (fs::is_regular_file(fs::symlink_status(p, ec))) {
      files.push_back({{"name", name}, {"bytes", fs::file_size(p, ec)}});
    } else if (fs::is_directory(fs::symlink_status(p, ec))) {
      std::vector<fs::path> inner;
      for (const auto& e : fs::directory_iterator(p, ec)) inner.push_back(e.path());
      std::sort(inner.begin(), inner.end());
      for (const auto& q : inner)
        if (fs::is_regular_file(fs::symlink_status(q, ec)) && q.filename().string()[0] != '.')
          files.push_back(
              {{"name", name + "/" + q.filename().string()}, {"bytes", fs::file_size(q, ec)}});
    }
  }
  json out = summary(dir, meta.is_object() ? meta : json::object());
  out["metadata"] = meta;
  out["metrics"] = read_json(dir / "metrics.json");
  out["files"] = files;
  out["warnings"] =
      meta.is_object() && meta.contains("warnings") ? meta["warnings"] : json::array();
  return out;
}

std::optional<json> leaderboard_json(const std::string& csv_path) {
  if (!fs::is_regular_file(csv_path)) return std::nullopt;
  const csv::Reader reader = csv::Reader::open(csv_path);
  // IDs and names stay text: an 18-digit ad id would lose digits as a JSON number.
  std::vector<bool> is_text;
  for (const auto& column : reader.header()) {
    const bool id_or_name =
        column.size() >= 3 && (column.ends_with("_id") || column.ends_with("_name"));
    is_text.push_back(id_or_name);
  }
  json rows = json::array();
  reader.for_each([&](int64_t, const std::vector<std::string_view>& fields) {
    json row = json::array();
    for (size_t c = 0; c < fields.size(); ++c) {
      // Names as the input spelled them: the ' written before =HYPERLINK(…) is elv's own.
      const std::string_view cell = csv::without_formula_guard(fields[c]);
      double number = 0;
      if (cell.empty()) {
        row.push_back(nullptr);
      } else if (!is_text[c] &&
                 std::from_chars(cell.data(), cell.data() + cell.size(), number).ptr ==
                     cell.data() + cell.size() &&
                 std::isfinite(number)) {
        row.push_back(number);
      } else {
        row.push_back(std::string(cell));
      }
    }
    rows.push_back(std::move(row));
  });
  return json{{"columns", reader.header()}, {"rows", rows}};
}

}  // namespace elv::server
