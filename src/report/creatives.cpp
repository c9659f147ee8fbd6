#include "report/creatives.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string_view>

#include "base/error.h"
#include "creative/creative_files.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "io/parse.h"
#include "report/run_files.h"

namespace fs = std::filesystem;

namespace elv::report {

namespace {

using detail::at;
using detail::file_exists;
using detail::json;
using detail::load_json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Column positions by name, so the files may gain columns (or reorder them) without breaking
// their readers.
struct Columns {
  std::vector<std::string> header;
  int operator()(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
};

std::string cell(const std::vector<std::string_view>& f, int col) {
  if (col < 0 || static_cast<size_t>(col) >= f.size()) return "";
  return std::string(csv::without_formula_guard(f[static_cast<size_t>(col)]));
}

double number(const std::vector<std::string_view>& f, int col) {
  double v = 0;
  return parse::number(cell(f, col), v) == parse::NumberStatus::Ok ? v : kNaN;
}

int64_t count(const std::vector<std::string_view>& f, int col) {
  const double v = number(f, col);
  return std::isfinite(v) ? std::llround(v) : 0;
}

// Calls row(columns, fields) for each record of dir/name; false when the file is absent.
bool read_csv(
    const fs::path& path,
    const std::function<void(const Columns&, const std::vector<std::string_view>&)>& row) {
  if (!file_exists(path)) return false;
  const csv::Reader reader = csv::Reader::open(path.string());
  Columns cols{reader.header()};
  reader.for_each([&](int64_t, const std::vector<std::string_view>& f) { row(cols, f); });
  return true;
}

// "12" before "3" would read oddly: ids that are numbers compare as numbers.
bool id_less(const std::string& a, const std::string& b) {
  double x = 0, y = 0;
  if (parse::number(a, x) == parse::NumberStatus::Ok &&
      parse::number(b, y) == parse::NumberStatus::Ok && x != y)
    return x < y;
  return a < b;
}

// Larger first, NaN (unknown) after every known value.
int compare_desc(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) - std::isnan(b);
  return a > b ? -1 : a < b ? 1 : 0;
}

void rank(std::vector<CreativeCluster>& clusters) {
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const CreativeCluster& a, const CreativeCluster& b) {
                     if (a.figures && b.figures) {
                       const auto &x = *a.figures, &y = *b.figures;
                       if (x.low_volume != y.low_volume) return y.low_volume;
                       if (int c = compare_desc(x.elv_per_spend, y.elv_per_spend)) return c < 0;
                       if (int c = compare_desc(x.predicted_elv, y.predicted_elv)) return c < 0;
                     } else if (a.figures.has_value() != b.figures.has_value()) {
                       return a.figures.has_value();
                     }
                     if (a.members.size() != b.members.size())
                       return a.members.size() > b.members.size();
                     return id_less(a.id, b.id);
                   });
}

bool is_true(std::string_view v) { return v == "true" || v == "1" || v == "True" || v == "TRUE"; }

}  // namespace

std::optional<fs::path> creative_folder(const fs::path& run_dir) {
  const fs::path inside = run_dir / creative::kCreativesFolder;
  if (file_exists(inside / creative::kAssetsFile)) return inside;
  const auto meta = load_json(run_dir, "metadata.json");
  const json* kind = at(&meta.value, {"run_kind"});
  if (meta.status.ok() && kind && kind->is_string() &&
      kind->get<std::string>() == "creative-analyze" &&
      file_exists(run_dir / creative::kAssetsFile))
    return run_dir;
  return std::nullopt;
}

Creatives load_creatives(const fs::path& dir, const fs::path& run_dir, size_t max_neighbors) {
  Creatives c;
  c.dir = dir;
  const fs::path assets_path = dir / creative::kAssetsFile;
  std::map<std::string, size_t> cluster_of_id;  // cluster id → index into c.clusters
  try {
    const bool found =
        read_csv(assets_path, [&](const Columns& col, const std::vector<std::string_view>& f) {
          CreativeAsset a;
          a.ad_id = cell(f, col("ad_id"));
          a.media_type = cell(f, col("media_type"));
          a.cluster_id = cell(f, col("cluster_id"));
          a.frames_used = count(f, col("frames_used"));
          a.width = count(f, col("width"));
          a.height = count(f, col("height"));
          // Only the path this row must have: a thumbnail column naming anything else is not
          // followed (the files may have been edited by hand).
          const std::string expected = std::string(creative::kThumbnailsFolder) + "/" +
                                       std::to_string(c.assets.size()) + ".jpg";
          if (cell(f, col("thumbnail")) == expected) a.thumbnail = expected;
          auto [it, added] = cluster_of_id.try_emplace(a.cluster_id, c.clusters.size());
          if (added) c.clusters.push_back({a.cluster_id, {}, std::nullopt});
          c.clusters[it->second].members.push_back(c.assets.size());
          c.assets.push_back(std::move(a));
        });
    if (!found)
      throw Error(std::string(creative::kAssetsFile) +
                      " is missing: run elv creative-analyze again to make it",
                  assets_path.string());
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(std::string("cannot read it: ") + e.what(), assets_path.string());
  }

  // The rest is optional: a damaged file costs its part (figures, neighbours), not the view.
  try {
    c.has_summary =
        read_csv(dir / creative::kClusterSummaryFile, [&](const Columns& col, const auto& f) {
          const auto it = cluster_of_id.find(cell(f, col("cluster_id")));
          if (col("currency") >= 0 && c.currency.empty()) c.currency = cell(f, col("currency"));
          if (it == cluster_of_id.end()) return;  // a cluster without creatives left
          c.clusters[it->second].figures =
              CreativeClusterFigures{number(f, col("creatives")),
                                     number(f, col("leads")),
                                     number(f, col("mean_p_qualified")),
                                     number(f, col("predicted_elv")),
                                     number(f, col("spend")),
                                     number(f, col("elv_per_spend")),
                                     number(f, col("labeled_leads")),
                                     number(f, col("qualified_rate_labeled")),
                                     is_true(cell(f, col("low_volume")))};
        });
  } catch (const std::exception&) {
    c.has_summary = false;
    for (auto& cl : c.clusters) cl.figures.reset();
  }
  rank(c.clusters);

  try {
    read_csv(dir / creative::kNeighborsFile, [&](const Columns& col, const auto& f) {
      auto& list = c.neighbors[cell(f, col("ad_id"))];
      list.push_back(
          {cell(f, col("neighbor_ad_id")), count(f, col("rank")), number(f, col("similarity"))});
    });
  } catch (const std::exception&) {
    c.neighbors.clear();
  }
  for (auto& [ad, list] : c.neighbors) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.rank < b.rank; });
    if (list.size() > max_neighbors) list.resize(max_neighbors);
  }

  try {
    read_csv(dir / creative::kErrorsFile, [&](const Columns&, const auto&) { ++c.errors; });
  } catch (const std::exception&) {
    c.errors = 0;
  }

  const auto meta = load_json(dir, "metadata.json");
  const json* encoder = at(&meta.value, {"encoder"});
  if (encoder && encoder->is_object()) encoder = at(encoder, {"name"});
  if (encoder && encoder->is_string()) c.encoder = encoder->get<std::string>();
  if (c.currency.empty()) {
    const auto run_meta = load_json(run_dir, "metadata.json");
    const json* currency = at(&run_meta.value, {"currency"});
    if (currency && currency->is_string()) c.currency = currency->get<std::string>();
  }
  return c;
}

}  // namespace elv::report
