// The files a creative analysis writes (docs/CREATIVES.md, "Outputs"), named once for the
// pipeline that writes them and the report and web app that read them.
#pragma once

namespace elv::creative {

// The folder, inside a scoring run, where `creative-analyze --run-dir R` writes by default.
inline constexpr const char* kCreativesFolder = "creatives";

inline constexpr const char* kEmbeddingsFile = "creative_embeddings.npz";
inline constexpr const char* kNeighborsFile = "creative_neighbors.csv";
inline constexpr const char* kClustersFile = "creative_clusters.csv";
inline constexpr const char* kAssetsFile = "creative_assets.csv";
inline constexpr const char* kErrorsFile = "creative_errors.csv";
inline constexpr const char* kClusterSummaryFile = "creative_cluster_summary.csv";
inline constexpr const char* kContactSheetFile = "creative_clusters.png";
// Thumbnails: <kThumbnailsFolder>/<k>.jpg, k the 0-based row of creative_assets.csv, whose
// `thumbnail` column holds that relative path.
inline constexpr const char* kThumbnailsFolder = "thumbnails";

}  // namespace elv::creative
