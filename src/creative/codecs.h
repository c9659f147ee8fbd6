// Pictures and videos through OpenCV's imgcodecs and videoio, which live in a module of their
// own, libelv_codecs.so, loaded the first time one of these is called: linked into elv, their
// ~220 libraries were loaded and resolved at every start of every command (0.085 s), for the
// one command that decodes media. Each call throws elv::Error, naming where the module was
// looked for, when it is missing or from another build.
#pragma once
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace elv::creative::codecs {

// cv::imdecode and cv::imencode (flags and params as OpenCV's).
cv::Mat decode_image(const cv::Mat& bytes, int flags);
bool encode_image(const std::string& extension, const cv::Mat& image, std::vector<uchar>& out,
                  const std::vector<int>& params = {});

// A clip opened with OpenCV's FFmpeg backend (cv::VideoCapture).
class Video {
 public:
  explicit Video(const std::string& path);  // is_open() says whether it could be opened
  ~Video();
  Video(Video&& other) noexcept;
  Video(const Video&) = delete;
  Video& operator=(const Video&) = delete;
  Video& operator=(Video&&) = delete;
  bool is_open() const { return handle_ != nullptr; }
  bool grab();                // the next frame, not decoded
  bool read(cv::Mat& frame);  // the next frame, decoded (BGR)
  double get(int property);   // cv::CAP_PROP_*

 private:
  void* handle_ = nullptr;
};

// The paths the module is looked for at, in order: beside the running binary, then
// ../lib/elv/ from it (an installation under /usr/local: bin/elv, lib/elv/).
std::vector<std::string> module_candidates();

}  // namespace elv::creative::codecs
