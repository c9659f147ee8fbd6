// How a feature's PSI is judged, in one place (docs/DRIFT.md): stated thresholds, features
// that are expected to move with time, readable names and a next step for every flag. The
// report's Drift section (and with it the web app's Drift tab) and drift.json use it.
//
//   PSI < 0.1 stable · 0.1 to 0.25 moderate · above 0.25 major.
//   A feature raises an alarm only when its move is major, it is not expected to move with
//   time, and it moved more than it did within the training period itself by more than a
//   major move (psi > expected_psi + 0.25; expected_psi: the first half of the training leads
//   vs the second, when the model recorded it).
#pragma once
#include <string>
#include <vector>

#include "scoring/feature_words.h"

namespace elv::scoring {

inline constexpr double kPsiModerate = 0.1;
inline constexpr double kPsiMajor = 0.25;

enum class DriftLevel { kStable, kModerate, kMajor, kNotComputable };
DriftLevel drift_level(double psi);        // NaN or ±inf: kNotComputable
std::string level_name(DriftLevel level);  // "stable", "moderate", "major", "not computable"

struct DriftJudgement {
  std::string feature, label;
  double psi = 0;
  double expected_psi = 0;  // NaN when unknown
  DriftLevel level = DriftLevel::kNotComputable;
  bool expected_to_move = false;
  bool alarm = false;
  std::string verdict;    // "stable", "moved, as expected over time", "moved a lot", …
  std::string next_step;  // what to do; "" when nothing is needed
};

// expected_psi: how much the feature moved within the training period (NaN = unknown).
DriftJudgement judge_drift(const std::string& feature, double psi, double expected_psi);

// "No drift alarm: …" or "2 features moved a lot: 7-day click-through rate of the ad, …".
std::string drift_headline(const std::vector<DriftJudgement>& judgements);

}  // namespace elv::scoring
