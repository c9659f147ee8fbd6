// libelv_codecs.so: OpenCV's imgcodecs and videoio, the two OpenCV modules whose libraries
// (FFmpeg, GDAL, GStreamer, libheif, ... about 220 in all) made every start of elv 0.085 s
// slower while the binary linked them (bench/RESULTS.md, "Against the reference"). elv loads
// this module the first time it decodes or encodes a picture or a video (creative/codecs.cpp).
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "creative/codecs_api.h"

namespace {

using elv::creative::codecs::Api;

cv::Mat decode_image(const cv::Mat& bytes, int flags) { return cv::imdecode(bytes, flags); }

bool encode_image(const char* extension, const cv::Mat& image, std::vector<uchar>& out,
                  const std::vector<int>& params) {
  return cv::imencode(extension, image, out, params);
}

void* open_video(const char* path) {
  auto* capture = new cv::VideoCapture();
  if (capture->open(path, cv::CAP_FFMPEG)) return capture;
  delete capture;
  return nullptr;
}

bool grab(void* video) { return static_cast<cv::VideoCapture*>(video)->grab(); }
bool read(void* video, cv::Mat& frame) {
  return static_cast<cv::VideoCapture*>(video)->read(frame);
}
double get(void* video, int property) {
  return static_cast<cv::VideoCapture*>(video)->get(property);
}
void close_video(void* video) { delete static_cast<cv::VideoCapture*>(video); }

const Api kApi = {Api::kVersion, decode_image, encode_image, open_video,
                  grab,          read,         get,          close_video};

}  // namespace

extern "C" __attribute__((visibility("default"))) const Api* elv_codecs_api() { return &kApi; }
