#include "run/creative_summary.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "base/calendar.h"
#include "base/error.h"
#include "config/config.h"
#include "contracts/loader.h"
#include "contracts/schema.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "io/parse.h"
#include "run/overwrite_check.h"
#include "table/window_features.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The key an ad id is matched on: predictions.csv holds ids as the loader normalised them
// (trimmed, Meta's prefixes stripped), so the creative map's ids are normalised the same way.
std::string id_key(const std::string& text) {
  std::string out;
  parse::normalize_id(text, out);
  return out;
}

int column_of(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

// p_qualified_<W>d: the one column of predictions.csv that starts with p_qualified_.
int p_column_of(const std::vector<std::string>& header) {
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c].rfind("p_qualified_", 0) == 0) return static_cast<int>(c);
  return -1;
}

// The run's settings: config.yaml's min_segment_leads (default 30 without one) and its
// csv.* options for the ads file. A config the run wrote itself that no longer loads is
// worth a warning, not a refusal: the summary only needs these two settings.
Config run_config(const fs::path& run_dir, std::vector<std::string>& warnings) {
  const fs::path path = run_dir / "config.yaml";
  if (!fs::is_regular_file(path)) return Config{};
  try {
    return load_config(path.string());
  } catch (const Error& e) {
    warnings.push_back(std::string(e.what()) + " — using the default min_segment_leads (30)");
    return Config{};
  }
}

// Per ad, its spend in [first_day, last_day] from the run's ads.csv, read by the contracts
// loader with the run's csv options (so decimal marks, aliases and dates are read exactly as
// the run read them) and summed through the same daily cubes as the leaderboards.
struct AdSpend {
  bool available = false;
  std::string path;
  contracts::Dictionaries dicts;
  table::AdsCubes cubes;
};

AdSpend load_ad_spend(const json& metadata, const Config& config, int threads,
                      std::vector<std::string>& warnings) {
  AdSpend out;
  const json* ads = nullptr;
  if (metadata.is_object() && metadata.contains("inputs") && metadata["inputs"].is_object() &&
      metadata["inputs"].contains("ads") && metadata["inputs"]["ads"].is_object())
    ads = &metadata["inputs"]["ads"];
  if (!ads || !ads->contains("path") || !(*ads)["path"].is_string()) {
    warnings.push_back("the run records no ads.csv: spend and elv_per_spend are left empty");
    return out;
  }
  out.path = (*ads)["path"].get<std::string>();
  std::error_code ec;
  if (!fs::is_regular_file(out.path, ec)) {
    warnings.push_back(out.path + ": the run's ads.csv is gone: spend and elv_per_spend are " +
                       "left empty");
    return out;
  }
  contracts::LoadOptions options;
  options.threads = threads;
  options.csv = config.csv.for_path_key("ads_path");
  contracts::LoadResult loaded =
      contracts::load_file(contracts::ads_spec(), out.path, out.dicts, options);
  out.cubes = table::build_ads_cubes(loaded.frame, out.dicts);
  out.available = true;
  return out;
}

}  // namespace

void require_predictions(const std::string& run_dir) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec))
    throw Error("the --run-dir is not a folder; give a train or score run's folder", run_dir);
  const fs::path path = fs::path(run_dir) / "predictions.csv";
  if (!fs::is_regular_file(path, ec))
    throw Error(
        "predictions.csv not found: --run-dir needs a train, score or batch-score run "
        "(one that scored leads)",
        path.string());
}

ClusterSummary summarise_clusters(const std::string& run_dir,
                                  const std::vector<std::string>& ad_ids,
                                  const std::vector<int>& cluster, size_t k, int threads) {
  ClusterSummary s;
  const fs::path dir(run_dir);
  const std::optional<json> metadata = read_metadata(dir);
  s.source = {{"path", fs::absolute(dir).lexically_normal().string()}, {"run_id", nullptr}};
  if (metadata && metadata->is_object()) {
    if (metadata->contains("run_id")) s.source["run_id"] = (*metadata)["run_id"];
    if (metadata->contains("currency") && (*metadata)["currency"].is_string())
      s.currency = (*metadata)["currency"].get<std::string>();
  }
  const Config config = run_config(dir, s.warnings);
  s.min_segment_leads = config.reporting.min_segment_leads;

  std::unordered_map<std::string, int> cluster_of_ad;
  s.rows.resize(k);
  for (size_t m = 0; m < k; ++m) s.rows[m].cluster_id = static_cast<int>(m);
  for (size_t i = 0; i < ad_ids.size(); ++i) {
    cluster_of_ad.emplace(id_key(ad_ids[i]), cluster[i]);
    ++s.rows[static_cast<size_t>(cluster[i])].creatives;
  }

  // predictions.csv, one pass: per cluster sums, and the scored leads' date range.
  const std::string predictions = (dir / "predictions.csv").string();
  const auto reader = csv::Reader::open(predictions);
  const auto& header = reader.header();
  const int ad_col = column_of(header, "ad_id"), elv_col = column_of(header, "elv"),
            p_col = p_column_of(header), time_col = column_of(header, "created_time"),
            status_col = column_of(header, "label_status"),
            mature_col = column_of(header, "is_mature");
  for (auto [col, name] :
       {std::pair{ad_col, "ad_id"}, std::pair{elv_col, "elv"}, std::pair{p_col, "p_qualified_<W>d"},
        std::pair{time_col, "created_time"}})
    if (col < 0)
      throw Error(std::string("column '") + name + "' is missing; is this elv's predictions.csv?",
                  predictions, reader.header_line());
  int32_t first_day = std::numeric_limits<int32_t>::max(),
          last_day = std::numeric_limits<int32_t>::min();
  std::vector<double> p_sum(k, 0);
  std::vector<int64_t> positives(k, 0);
  reader.for_each([&](int64_t line, const std::vector<std::string_view>& f) {
    const auto number = [&](int col) {
      double v = 0;
      if (parse::number(f[static_cast<size_t>(col)], v) != parse::NumberStatus::Ok)
        throw Error("not a number", predictions, line, header[static_cast<size_t>(col)]);
      return v;
    };
    if (const auto t = parse::timestamp_seconds(f[static_cast<size_t>(time_col)])) {
      const int32_t day = day_of(*t);
      first_day = std::min(first_day, day);
      last_day = std::max(last_day, day);
    }
    // elv's CSVs put a ' before a cell that a spreadsheet would run as a formula.
    const auto it = cluster_of_ad.find(
        id_key(std::string(csv::without_formula_guard(f[static_cast<size_t>(ad_col)]))));
    if (it == cluster_of_ad.end()) {
      ++s.leads_without_creative;
      return;
    }
    const auto m = static_cast<size_t>(it->second);
    ClusterSummaryRow& r = s.rows[m];
    ++r.leads;
    ++s.leads_counted;
    r.predicted_elv += number(elv_col);
    p_sum[m] += number(p_col);
    // Mature leads with a known outcome only, as the leaderboards count them.
    if (status_col >= 0 && mature_col >= 0) {
      const std::string_view status = f[static_cast<size_t>(status_col)];
      if (status != "unknown" && !status.empty() &&
          parse::flag(f[static_cast<size_t>(mature_col)]) == 1) {
        ++r.labeled_leads;
        if (status == "positive") ++positives[m];
      }
    }
  });

  AdSpend spend = metadata ? load_ad_spend(*metadata, config, threads, s.warnings) : AdSpend{};
  if (!metadata) s.warnings.push_back("the run has no metadata.json: spend is left empty");
  if (spend.available) s.spend_source = spend.path;
  const auto& ad_cube = spend.cubes.level[table::kAdLevel];
  const contracts::Dictionary* ad_dict =
      spend.available ? &spend.dicts.for_column("ad_id") : nullptr;
  for (size_t m = 0; m < k; ++m) s.rows[m].spend = spend.available ? 0.0 : kNaN;
  if (spend.available && first_day <= last_day)
    for (const auto& [key, m] : cluster_of_ad) {
      const int32_t code = ad_dict->find(key);
      if (code != contracts::kNullCode && ad_cube.has(code))
        s.rows[static_cast<size_t>(m)].spend +=
            ad_cube.sum(code, table::kSpend, first_day, last_day);
    }

  for (size_t m = 0; m < k; ++m) {
    ClusterSummaryRow& r = s.rows[m];
    r.mean_p_qualified = r.leads ? p_sum[m] / static_cast<double>(r.leads) : kNaN;
    r.qualified_rate_labeled =
        r.labeled_leads ? static_cast<double>(positives[m]) / static_cast<double>(r.labeled_leads)
                        : kNaN;
    r.elv_per_spend = std::isnan(r.spend) || r.spend == 0 ? kNaN : r.predicted_elv / r.spend;
    r.low_volume = r.leads < s.min_segment_leads;
  }
  if (s.leads_without_creative > 0)
    s.warnings.push_back(std::to_string(s.leads_without_creative) + " of " +
                         std::to_string(s.leads_without_creative + s.leads_counted) +
                         " leads in predictions.csv came from ads with no analysed creative "
                         "and are in no cluster");
  return s;
}

void write_cluster_summary_csv(const ClusterSummary& s, const std::string& path) {
  csv::Writer out(path);
  for (const char* name :
       {"cluster_id", "creatives", "leads", "mean_p_qualified", "predicted_elv", "spend",
        "elv_per_spend", "labeled_leads", "qualified_rate_labeled", "low_volume"})
    out.field(name);
  if (!s.currency.empty()) out.field("currency");
  out.end_row();
  for (const auto& r : s.rows) {
    out.field(r.cluster_id).field(r.creatives).field(r.leads).field(r.mean_p_qualified);
    out.field(r.predicted_elv).fixed(r.spend, 2).field(r.elv_per_spend).field(r.labeled_leads);
    out.field(r.qualified_rate_labeled).field(r.low_volume ? "true" : "false");
    if (!s.currency.empty()) out.field(s.currency);
    out.end_row();
  }
  out.close();
}

}  // namespace elv::run::detail
