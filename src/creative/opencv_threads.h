// OpenCV's own thread pool, switched off in one place: elv parallelises over creatives with
// base/parallel.h, and a second pool inside each decode or resize would oversubscribe the
// cores and show up as races under ThreadSanitizer (which cannot see into OpenCV's pool).
#pragma once

namespace elv::creative::detail {

// cv::setNumThreads(1) and FFmpeg's logging quiet, once per process; every entry point of the
// module that calls OpenCV calls this first. Safe to call from several threads.
void single_threaded_opencv();

}  // namespace elv::creative::detail
