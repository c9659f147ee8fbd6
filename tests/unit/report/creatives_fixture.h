// A creative analysis written by hand (docs/CREATIVES.md's files, small JPEG thumbnails made
// with OpenCV), for the report's Creatives section and the web app's routes to read, without
// running the pipeline.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace elv::test {

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A 32x32 JPEG of one colour (BGR).
inline std::string jpeg_of(const cv::Scalar& colour) {
  const cv::Mat picture(32, 32, CV_8UC3, colour);
  std::vector<uchar> bytes;
  cv::imencode(".jpg", picture, bytes);
  return std::string(bytes.begin(), bytes.end());
}

struct FixtureCreative {
  std::string ad_id, cluster_id;
  std::string media_path;  // as the user's CSV named it: must never be shown
};

// Writes creative_assets.csv (with a thumbnail per row), creative_clusters.csv and the
// thumbnails into dir. Returns each thumbnail's bytes, by row.
inline std::vector<std::string> write_creative_assets(const std::filesystem::path& dir,
                                                      const std::vector<FixtureCreative>& rows) {
  std::string assets =
      "ad_id,media_path,media_type,cluster_id,frames_used,width,height,thumbnail\n";
  std::string clusters = "ad_id,cluster_id,distance_to_centroid\n";
  std::vector<std::string> thumbs;
  for (size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    auto quoted = [](const std::string& s) {
      std::string q = "\"";
      for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    assets += quoted(r.ad_id) + "," + quoted(r.media_path) + ",image/png," + r.cluster_id +
              ",1,64,48,thumbnails/" + std::to_string(k) + ".jpg\n";
    clusters += quoted(r.ad_id) + "," + r.cluster_id + ",0.1\n";
    thumbs.push_back(jpeg_of(cv::Scalar(static_cast<double>(k * 20 % 256), 80, 200)));
    write_text(dir / "thumbnails" / (std::to_string(k) + ".jpg"), thumbs.back());
  }
  write_text(dir / "creative_assets.csv", assets);
  write_text(dir / "creative_clusters.csv", clusters);
  return thumbs;
}

}  // namespace elv::test
