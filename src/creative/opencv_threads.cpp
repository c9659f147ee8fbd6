#include "creative/opencv_threads.h"

#include <mutex>

#include <opencv2/core.hpp>

namespace elv::creative::detail {

void single_threaded_opencv() {
  static std::once_flag once;
  std::call_once(once, [] { cv::setNumThreads(1); });
}

}  // namespace elv::creative::detail
