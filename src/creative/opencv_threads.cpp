#include "creative/opencv_threads.h"

#include <stdlib.h>

#include <mutex>

#include <opencv2/core.hpp>

namespace elv::creative::detail {

void single_threaded_opencv() {
  static std::once_flag once;
  std::call_once(once, [] {
    cv::setNumThreads(1);
    // FFmpeg (videoio) prints every damaged packet of a broken clip to stderr; the row's
    // problem already says it in creative_errors.csv. OpenCV reads this each time a capture
    // opens; a value the user set (to debug a clip) is kept.
    ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET
  });
}

}  // namespace elv::creative::detail
