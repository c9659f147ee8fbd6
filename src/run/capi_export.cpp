#include "run/capi_export.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/error.h"
#include "config/config.h"
#include "io/csv_reader.h"
#include "io/files.h"
#include "io/parse.h"
#include "run/overwrite_check.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {
namespace {

// Meta's lead IDs are 15 or 16 digits (the Conversion Leads payload specification); a
// download may write them with an "l:" prefix, which io::normalize_id strips.
std::optional<int64_t> meta_lead_id(std::string_view cell) {
  std::string id;
  if (parse::normalize_id(cell, id) != parse::IdStatus::Ok) return std::nullopt;
  if (id.size() < 15 || id.size() > 16) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (ec != std::errc() || end != id.data() + id.size()) return std::nullopt;
  return value;
}

void check_options(const CapiExportOptions& o) {
  const std::string& c = o.currency;
  if (c.empty()) return;  // the run's, checked once it is read
  if (!is_currency_code(c))
    throw UsageError(
        "export-capi: --currency must be an ISO 4217 code of three capital letters "
        "(EUR, USD, GBP), got '" +
        c + "'");
  if (!(o.min_p >= 0.0 && o.min_p <= 1.0))
    throw UsageError("export-capi: --min-p must be a probability from 0 to 1");
  if (o.event_name.empty()) throw UsageError("export-capi: --event-name must not be empty");
  if (o.lead_event_source.empty())
    throw UsageError("export-capi: --lead-event-source must not be empty");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(o.out_path, ec)))
    throw Error(
        "the output file exists; elv does not overwrite it: give a new --out path or "
        "remove the file",
        o.out_path);
}

// The run's metadata.json, refusing a folder elv did not write as a run.
json run_metadata(const std::string& run_dir) {
  std::optional<json> meta = read_metadata(run_dir);
  if (!is_elv_metadata(meta))
    throw Error(
        "not an elv run folder (no metadata.json written by elv); give a run folder "
        "such as runs/<run id>",
        run_dir);
  return std::move(*meta);
}

// The run's time (metadata.json → created_at_utc): when elv gave its verdict.
int64_t run_time(const json& meta, const std::string& run_dir) {
  const json created = meta.contains("created_at_utc") ? meta["created_at_utc"] : json();
  const std::optional<int64_t> seconds =
      created.is_string() ? parse::timestamp_seconds(created.get<std::string>()) : std::nullopt;
  if (!seconds)
    throw Error("metadata.json has no readable created_at_utc; re-run score for this data",
                (fs::path(run_dir) / "metadata.json").string());
  return *seconds;
}

// Index of the column named `name`, or, for a name ending in '_', the first column whose
// name starts with it (p_qualified_14d); throws naming the file.
size_t column(const csv::Reader& reader, std::string_view name, std::string_view what) {
  const auto& header = reader.header();
  for (size_t i = 0; i < header.size(); ++i)
    if (name.back() == '_' ? header[i].rfind(name, 0) == 0 : header[i] == name) return i;
  throw Error("no " + std::string(what) + " column; is this a predictions.csv written by elv?",
              reader.name());
}

}  // namespace

CapiExportSummary export_capi(const CapiExportOptions& options) {
  check_options(options);
  CapiExportSummary summary;
  const json meta = run_metadata(options.run_dir);
  summary.event_time = run_time(meta, options.run_dir);
  // The money's currency: --currency, else the run's (business.currency or the spend
  // headers, metadata.json → currency); the two must agree.
  const std::string recorded = meta.contains("currency") && meta["currency"].is_string()
                                   ? meta["currency"].get<std::string>()
                                   : "";
  const std::string currency = !options.currency.empty() ? options.currency : recorded;
  if (currency.empty())
    throw UsageError(
        "export-capi: give --currency (ISO 4217, e.g. EUR): neither the run's config "
        "(business.currency) nor its spend headers (\"Amount spent (EUR)\") say "
        "which currency value_per_qualified is in");
  if (!recorded.empty() && recorded != currency)
    throw UsageError("export-capi: --currency " + currency + " differs from the run's currency, " +
                     recorded + " (metadata.json → currency)");
  const int64_t now = options.now != 0 ? options.now : now_seconds();
  summary.age_days = floor_div(now - summary.event_time, kSecondsPerDay);

  const std::string predictions = (fs::path(options.run_dir) / "predictions.csv").string();
  std::error_code ec;
  if (!fs::exists(predictions, ec))
    throw Error(
        "this run has no predictions.csv (a build-table run scores nothing); export a "
        "train, score or batch-score run",
        predictions);
  const csv::Reader reader = csv::Reader::open(predictions);
  const size_t id_col = column(reader, "lead_id", "lead_id");
  const size_t p_col = column(reader, "p_qualified_", "p_qualified_<days>d");
  const size_t elv_col = column(reader, "elv", "elv");

  const std::string tmp = options.out_path + ".tmp";
  io::UniqueFile out(std::fopen(tmp.c_str(), "wb"));
  if (!out) throw Error("cannot open for writing", tmp);
  try {
    std::string line;
    reader.for_each([&](int64_t row, const std::vector<std::string_view>& fields) {
      double p = 0.0, elv = 0.0;
      if (parse::number(fields[p_col], p) != parse::NumberStatus::Ok ||
          parse::number(fields[elv_col], elv) != parse::NumberStatus::Ok)
        throw Error("the probability or ELV is not a number", predictions, row);
      if (p < options.min_p) {
        ++summary.below_min_p;
        return;
      }
      const std::optional<int64_t> lead = meta_lead_id(fields[id_col]);
      if (!lead) {
        if (summary.without_meta_id++ == 0) summary.example_non_meta_id = fields[id_col];
        return;
      }
      const json event = {{"event_name", options.event_name},
                          {"event_time", summary.event_time},
                          {"action_source", "system_generated"},
                          {"user_data", {{"lead_id", *lead}}},
                          {"custom_data",
                           {{"event_source", "crm"},
                            {"lead_event_source", options.lead_event_source},
                            {"value", elv},
                            {"currency", currency},
                            {"predicted_probability", p}}}};
      line = event.dump();
      line.push_back('\n');
      if (std::fwrite(line.data(), 1, line.size(), out.get()) != line.size())
        throw Error("write failed (disk full?)", tmp);
      ++summary.events;
    });
    if (!io::close_checked(out)) throw Error("closing file failed (disk full?)", tmp);
    fs::rename(tmp, options.out_path);
  } catch (...) {
    out.reset();
    fs::remove(tmp, ec);
    throw;
  }
  return summary;
}

}  // namespace elv::run
