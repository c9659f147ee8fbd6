// Stage timing and progress for long work (issue 5): stage names on stderr while it runs
// (only when stderr is a terminal), and one final line with the time of every stage
// (unless quiet). Safe to pass around as a pointer that may be null.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace elv {

class Progress {
 public:
  explicit Progress(bool quiet = false);
  // Ends the current stage (if any) and starts a new one.
  void stage(const std::string& name);
  // A fraction of the current stage done, for the bar (terminal only).
  void fraction(double done);
  // Ends the last stage and prints "stages: a 1.20 s · b 0.31 s · total 1.51 s".
  void finish();
  std::string summary() const;

 private:
  void end_stage();
  using Clock = std::chrono::steady_clock;
  bool quiet_, terminal_;
  std::string current_;
  Clock::time_point stage_start_, start_;
  std::vector<std::pair<std::string, double>> done_;
  int last_percent_ = -1;
};

// Null-safe helpers so library code can report without caring whether anyone listens.
inline void stage(Progress* p, const std::string& name) {
  if (p) p->stage(name);
}

}  // namespace elv
