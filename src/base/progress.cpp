#include "base/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace elv {

Progress::Progress(bool quiet)
    : quiet_(quiet), terminal_(!quiet && ::isatty(STDERR_FILENO)), start_(Clock::now()) {}

void Progress::end_stage() {
  if (current_.empty()) return;
  done_.emplace_back(current_, std::chrono::duration<double>(Clock::now() - stage_start_).count());
  current_.clear();
}

void Progress::stage(const std::string& name) {
  end_stage();
  current_ = name;
  stage_start_ = Clock::now();
  last_percent_ = -1;
  if (terminal_) std::fprintf(stderr, "\r\033[K%s …", name.c_str());
  if (listener_) listener_(current_, 0.0, done_);
}

void Progress::fraction(double done) {
  if (current_.empty()) return;
  const int percent = static_cast<int>(std::clamp(done, 0.0, 1.0) * 100);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  if (listener_) listener_(current_, percent / 100.0, done_);
  if (!terminal_) return;
  const int width = 30, filled = percent * width / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '.');
  std::fprintf(stderr, "\r\033[K%s [%s] %3d%%", current_.c_str(), bar.c_str(), percent);
}

std::string Progress::summary() const {
  std::string line = "stages:";
  char buf[64];
  for (size_t i = 0; i < done_.size(); ++i) {
    std::snprintf(buf, sizeof buf, " %.2f s", done_[i].second);
    line += (i ? " · " : " ") + done_[i].first + buf;
  }
  std::snprintf(buf, sizeof buf, " · total %.2f s",
                std::chrono::duration<double>(Clock::now() - start_).count());
  return line + buf;
}

void Progress::finish() {
  end_stage();
  if (listener_) listener_(current_, 1.0, done_);
  if (terminal_) std::fprintf(stderr, "\r\033[K");
  if (!quiet_) std::fprintf(stderr, "%s\n", summary().c_str());
}

}  // namespace elv
