#include "scoring/drift_policy.h"

#include <cmath>

#include "base/format.h"

namespace elv::scoring {

DriftLevel drift_level(double psi) {
  if (!std::isfinite(psi)) return DriftLevel::kNotComputable;
  if (psi > kPsiMajor) return DriftLevel::kMajor;
  if (psi >= kPsiModerate) return DriftLevel::kModerate;
  return DriftLevel::kStable;
}

std::string level_name(DriftLevel level) {
  switch (level) {
    case DriftLevel::kStable:
      return "stable";
    case DriftLevel::kModerate:
      return "moderate";
    case DriftLevel::kMajor:
      return "major";
    case DriftLevel::kNotComputable:
      break;
  }
  return "not computable";
}

DriftJudgement judge_drift(const std::string& feature, double psi, double expected_psi) {
  const FeatureWords words = describe_feature(feature);
  DriftJudgement j;
  j.feature = feature;
  j.label = words.label;
  j.psi = psi;
  j.expected_psi = expected_psi;
  j.level = drift_level(psi);
  j.expected_to_move = words.moves_with_time;
  // Within training the feature already moved this much: a move now that exceeds it by less
  // than a major move is the account's ordinary change over time (the half-vs-half PSI is
  // itself noisy: on the demo data a rate moved 0.45 within training and 0.53 at test).
  const bool within_training_move = std::isfinite(expected_psi) && psi <= expected_psi + kPsiMajor;
  switch (j.level) {
    case DriftLevel::kNotComputable:
      j.verdict = "not computable";
      j.next_step = "check that the column is filled in the scored data";
      break;
    case DriftLevel::kStable:
      j.verdict = "stable";
      break;
    case DriftLevel::kModerate:
      j.verdict = j.expected_to_move ? "moved, as expected over time" : "moved a little";
      if (!j.expected_to_move) j.next_step = "nothing now; watch it in the next runs";
      break;
    case DriftLevel::kMajor:
      if (j.expected_to_move) {
        j.verdict = "moved, as expected over time";
        j.next_step = "nothing needed: " + words.why;
      } else if (within_training_move) {
        j.verdict = "moved, about as much as during training";
        j.next_step = "nothing needed: it moved about as much within the training period (PSI " +
                      fixed(expected_psi, 2) + ")";
      } else {
        j.alarm = true;
        j.verdict = "moved a lot";
        j.next_step =
            "check the export of ads.csv (clicks, impressions, spend) for this period; if the "
            "ads really changed, retrain with recent data (elv train)";
      }
      break;
  }
  if (j.level == DriftLevel::kModerate && j.expected_to_move) j.next_step = "nothing needed";
  return j;
}

std::string drift_headline(const std::vector<DriftJudgement>& judgements) {
  std::vector<std::string> alarms;
  size_t moved = 0, unknown = 0;
  for (const auto& j : judgements) {
    if (j.alarm)
      alarms.push_back(j.label);
    else if (j.level == DriftLevel::kMajor || j.level == DriftLevel::kModerate)
      ++moved;
    else if (j.level == DriftLevel::kNotComputable)
      ++unknown;
  }
  if (!alarms.empty())
    return std::to_string(alarms.size()) + (alarms.size() == 1 ? " feature" : " features") +
           " moved a lot: " + join(alarms, ", ") +
           ". The model sees leads unlike those it learned from, so its probabilities may be "
           "off; see the next step for each.";
  if (judgements.empty()) return "No drift alarm: no feature was compared.";
  const std::string n = std::to_string(judgements.size());
  std::string out = "No drift alarm: ";
  if (moved > 0)
    out += std::to_string(moved) + " of " + n +
           " watched features moved, none beyond what is expected (see each one); nothing "
           "needs action now.";
  else if (unknown == 0)
    out += "all " + n + " watched features are stable (PSI below " + fixed(kPsiModerate, 2) + ").";
  else
    out += std::to_string(judgements.size() - unknown) + " of " + n +
           " watched features are stable (PSI below " + fixed(kPsiModerate, 2) + ").";
  if (unknown > 0)
    out += " " + std::to_string(unknown) + (unknown == 1 ? " feature" : " features") +
           " could not be compared.";
  return out;
}

}  // namespace elv::scoring
