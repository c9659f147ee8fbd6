// The table of functions libelv_codecs.so (src/creative/codecs_module/) hands to elv: OpenCV's
// picture and video codecs behind plain function pointers. Shared by the module and by
// codecs.cpp, which loads it; kVersion changes whenever the table does, so an old module
// beside a new binary is refused rather than called wrongly.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

namespace elv::creative::codecs {

struct Api {
  static constexpr int kVersion = 1;
  int version;
  // cv::imdecode and cv::imencode.
  cv::Mat (*decode_image)(const cv::Mat& bytes, int flags);
  bool (*encode_image)(const char* extension, const cv::Mat& image, std::vector<uchar>& out,
                       const std::vector<int>& params);
  // A cv::VideoCapture with the FFmpeg backend: null when the file cannot be opened.
  void* (*open_video)(const char* path);
  bool (*grab)(void* video);
  bool (*read)(void* video, cv::Mat& frame);
  double (*get)(void* video, int property);
  void (*close_video)(void* video);
};

// The module's one exported symbol.
using ApiFunction = const Api* (*)();
inline constexpr const char* kApiSymbol = "elv_codecs_api";

}  // namespace elv::creative::codecs
