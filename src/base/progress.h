// Stage timing and progress for long work (issue 5): stage names on stderr while it runs
// (only when stderr is a terminal), and one final line with the time of every stage
// (unless quiet). Safe to pass around as a pointer that may be null.
#pragma once
#include <chrono>
#include <functional>
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

  // Called (on the working thread) at every stage start, every percent of fraction() and
  // at finish, with the current stage (empty at finish), the fraction of it done and the
  // stages done with their seconds. The web server's jobs use it to show progress; quiet
  // progress objects still call it.
  using StageTimes = std::vector<std::pair<std::string, double>>;
  using Listener =
      std::function<void(const std::string& current, double fraction, const StageTimes& done)>;
  void set_listener(Listener listener) { listener_ = std::move(listener); }

 private:
  void end_stage();
  using Clock = std::chrono::steady_clock;
  bool quiet_, terminal_;
  std::string current_;
  Clock::time_point stage_start_, start_;
  StageTimes done_;
  int last_percent_ = -1;
  Listener listener_;
};

// Null-safe helpers so library code can report without caring whether anyone listens.
inline void stage(Progress* p, const std::string& name) {
  if (p) p->stage(name);
}
// fraction() as a plain callback (empty when p is null), for code below run/ that knows
// nothing of Progress: gbdt rounds, table blocks.
inline std::function<void(double)> fraction_callback(Progress* p) {
  if (!p) return {};
  return [p](double done) { p->fraction(done); };
}

}  // namespace elv
