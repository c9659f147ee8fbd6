#include "scoring/drift_policy.h"

#include <array>
#include <cmath>
#include <string_view>

#include "base/format.h"

namespace elv::scoring {

namespace {

// One row per watched feature family; {N} is the window in days ("spend_sum_7d": N = 7).
struct FeatureRow {
  std::string_view prefix;  // the name before "_<N>d", or the whole name
  bool windowed;
  std::string_view label;  // with {N}
  bool moves_with_time;
  std::string_view why;
};

constexpr std::string_view kGrowing =
    "sums follow budgets and delivery, which grow or shrink with the account, and are "
    "shorter for leads early in the data";
constexpr std::string_view kCalendar = "it follows the calendar";

constexpr std::array<FeatureRow, 11> kFeatures{{
    {"spend_sum", true, "ad spend over the last {N} days", true, kGrowing},
    {"clicks_sum", true, "clicks on the ad over the last {N} days", true, kGrowing},
    {"impressions_sum", true, "impressions of the ad over the last {N} days", true, kGrowing},
    {"active_days", true, "days the ad ran in the last {N} days", true,
     "a day counter: it is low while an ad is new and at the start of the data"},
    {"ctr", true, "{N}-day click-through rate of the ad", false, ""},
    {"cpc", true, "{N}-day cost per click of the ad", false, ""},
    {"cpm", true, "{N}-day cost per 1,000 impressions of the ad", false, ""},
    {"spend_trend_ratio_2vprev", false, "spend trend of the ad (last 2 days vs the days before)",
     true, "a trend: it changes whenever budgets are raised or cut"},
    {"clicks_trend_ratio_2vprev", false, "click trend of the ad (last 2 days vs the days before)",
     true, "a trend: it changes whenever budgets are raised or cut"},
    {"lead_hour", false, "hour of the day the lead came in", true, kCalendar},
    {"lead_dow", false, "day of the week the lead came in", true,
     "it follows the calendar (a period that is not whole weeks shifts it)"},
}};

// "ctr_7d" -> ("ctr", "7"); "lead_hour" -> ("lead_hour", "").
std::pair<std::string, std::string> split_window(const std::string& feature) {
  const size_t us = feature.rfind('_');
  if (us == std::string::npos || feature.size() < us + 3 || feature.back() != 'd')
    return {feature, ""};
  const std::string days = feature.substr(us + 1, feature.size() - us - 2);
  for (char c : days)
    if (c < '0' || c > '9') return {feature, ""};
  return {feature.substr(0, us), days};
}

std::string with_window(std::string_view label, const std::string& days) {
  std::string out(label);
  const size_t at = out.find("{N}");
  if (at != std::string::npos) out.replace(at, 3, days);
  return out;
}

}  // namespace

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

FeatureWords describe_feature(const std::string& feature) {
  for (const FeatureRow& row : kFeatures)
    if (!row.windowed && feature == row.prefix)
      return {std::string(row.label), row.moves_with_time, std::string(row.why)};
  const auto [prefix, days] = split_window(feature);
  if (!days.empty())
    for (const FeatureRow& row : kFeatures)
      if (row.windowed && prefix == row.prefix)
        return {with_window(row.label, days), row.moves_with_time, std::string(row.why)};
  return {feature, false, ""};
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
