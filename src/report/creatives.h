// A run's creative analysis (docs/CREATIVES.md), as report.html's Creatives section and the
// web app's Creatives tab read it: where its files are, and what they say, read once here so
// the page and the app cannot tell different stories. The originals' paths
// (creative_assets.csv → media_path) are never read into memory: neither shows them.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace elv::report {

// The folder holding a run's creative analysis: <run>/creatives/ (creative-analyze --run-dir)
// when it has creative_assets.csv, else the run folder itself when its metadata.json says
// "run_kind": "creative-analyze"; nullopt when the run has none.
std::optional<std::filesystem::path> creative_folder(const std::filesystem::path& run_dir);

struct CreativeAsset {
  std::string ad_id, media_type, cluster_id;
  int64_t frames_used = 0, width = 0, height = 0;
  // thumbnails/<k>.jpg with k this asset's 0-based row of creative_assets.csv; "" when the
  // row names another path (never followed).
  std::string thumbnail;
};

struct CreativeNeighbor {
  std::string ad_id;
  int64_t rank = 0;
  double similarity = 0;  // cosine, in [-1, 1]
};

// A cluster's line of creative_cluster_summary.csv; NaN where a cell is empty (no spend
// without ads.csv, no rate without labeled leads).
struct CreativeClusterFigures {
  double creatives, leads, mean_p_qualified, predicted_elv, spend, elv_per_spend, labeled_leads,
      qualified_rate_labeled;
  bool low_volume = false;
};

struct CreativeCluster {
  std::string id;
  std::vector<size_t> members;                    // indices into Creatives::assets, in file order
  std::optional<CreativeClusterFigures> figures;  // absent without a summary
};

struct Creatives {
  std::filesystem::path dir;
  std::vector<CreativeAsset> assets;
  // Ranked as a marketer reads them: by ELV per spend (then predicted ELV), low-volume
  // clusters last; by size when there is no summary; ties by cluster id.
  std::vector<CreativeCluster> clusters;
  bool has_summary = false;
  // Each ad's neighbours, best first, at most max_neighbors of them.
  std::map<std::string, std::vector<CreativeNeighbor>> neighbors;
  int64_t errors = 0;    // rows of creative_errors.csv
  std::string encoder;   // metadata.json's encoder name, "" when unknown
  std::string currency;  // the summary's currency column, else the run's; "" when none
};

// Reads the analysis in dir (from creative_folder); run_dir supplies the run's currency when
// the summary has none. Throws elv::Error naming the file when creative_assets.csv is missing
// or unreadable; the other files are optional.
Creatives load_creatives(const std::filesystem::path& dir, const std::filesystem::path& run_dir,
                         size_t max_neighbors);

}  // namespace elv::report
