// Shared by the creative tests: a media folder with a creative_media.csv, pictures drawn with
// OpenCV, clips made with Debian's ffmpeg, and cosine similarity.
#pragma once
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "../demo/demo_test_util.h"
#include "creative/creative_map.h"

namespace elv::creative::test_util {

using demo::test_util::TempDir;

// A media folder `media` inside a fresh temporary folder.
class MediaDir {
 public:
  MediaDir() { std::filesystem::create_directories(media()); }
  std::filesystem::path root() const { return tmp_.path(); }
  std::filesystem::path media() const { return tmp_.path() / "media"; }
  std::string at(const std::string& name) const { return (media() / name).string(); }

  void write_bytes(const std::string& name, const std::string& bytes) const {
    std::ofstream(media() / name, std::ios::binary) << bytes;
  }
  void write_picture(const std::string& name, const cv::Mat& image,
                     const std::vector<int>& params = {}) const {
    ASSERT_TRUE(cv::imwrite(at(name), image, params)) << "OpenCV cannot write " << name;
  }
  // Runs ffmpeg; a missing encoder fails the test (nothing is skipped silently).
  void ffmpeg(const std::string& args, const std::string& out_name) const {
    const std::string cmd = "cd '" + media().string() + "' && ffmpeg -nostdin -y -loglevel error " +
                            args + " '" + out_name + "' 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "ffmpeg failed: " << cmd;
    ASSERT_TRUE(std::filesystem::file_size(media() / out_name) > 0) << out_name;
  }

  // creative_media.csv in the media folder, ad ids a0, a1, ... for the paths given.
  CreativeMap map(const std::vector<std::string>& paths) const {
    const auto csv = media() / "creative_media.csv";
    std::ofstream out(csv);
    out << "ad_id,media_path\n";
    for (size_t i = 0; i < paths.size(); ++i) out << "a" << i << "," << paths[i] << "\n";
    out.close();
    return read_creative_map(csv.string(), "");
  }

 private:
  TempDir tmp_;
};

inline double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  return dot / std::sqrt(na * nb);
}

inline double norm(const std::vector<float>& a) {
  double s = 0;
  for (float x : a) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

}  // namespace elv::creative::test_util
