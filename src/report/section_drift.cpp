// Drift: the PSI of the watched features, from metrics.json (train) or drift.json (score),
// judged by scoring/drift_policy.h (docs/DRIFT.md); and the glance's line on it.
#include <algorithm>
#include <cmath>

#include "report/html_parts.h"
#include "report/svg.h"
#include "scoring/drift_policy.h"

namespace elv::report::detail {

namespace {

struct DriftSource {
  const json* drift = nullptr;
  std::string compared;  // what the PSI compares, in words
  std::string missing;   // why there is none, when drift is null (markup)
};

DriftSource drift_source(const Run& r) {
  if (r.kind == RunKind::kTrain) {
    if (!r.metrics.status.ok())
      return {
          nullptr, "",
          unusable(r.metrics.status, "metrics.json", "the drift of the features cannot be shown")};
    return {at(&r.metrics.value, {"drift"}), "the train split vs the test split",
            "metrics.json holds no drift figures."};
  }
  if (r.kind == RunKind::kBuildTable || (!r.kind && r.drift.status.state == State::Missing))
    return {nullptr, "",
            "No drift table: without a model there is no training data to compare with."};
  if (r.kind == RunKind::kBacktest)
    return {nullptr, "",
            "No drift table: a back-test keeps no model; how the model held over time is in the "
            "Backtest section."};
  if (r.drift.status.state == State::Missing)
    return {
        nullptr, "",
        "drift.json is missing from this run folder: elv writes it when the model bundle holds a "
        "drift reference (models trained by elv do), so the drift of the features cannot be "
        "shown."};
  if (!r.drift.status.ok())
    return {nullptr, "",
            unusable(r.drift.status, "drift.json", "the drift of the features cannot be shown")};
  return {&r.drift.value, "the model's training data vs the leads scored here", ""};
}

// Each feature judged by the policy of scoring/drift_policy.h from its PSI (and, when the model
// recorded it, how much it moved within training): runs written before the policy read the
// same way. Largest PSI first; features whose PSI could not be computed last.
std::vector<scoring::DriftJudgement> judgements_of(const json* columns) {
  std::vector<scoring::DriftJudgement> out;
  if (!columns || !columns->is_object()) return out;
  for (const auto& [name, value] : columns->items())
    out.push_back(
        scoring::judge_drift(name, num(at(&value, {"psi"})), num(at(&value, {"expected_psi"}))));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (std::isfinite(a.psi) != std::isfinite(b.psi)) return std::isfinite(a.psi);
    return std::isfinite(a.psi) && a.psi > b.psi;
  });
  return out;
}

std::string status_cell(const scoring::DriftJudgement& j) {
  if (j.alarm) return "<span class=\"badge flag\">" + esc(j.verdict) + "</span>";
  return esc(j.verdict);
}

}  // namespace

std::string drift_html(const Run& r) {
  const DriftSource src = drift_source(r);
  const json* columns = at(src.drift, {"columns"});
  if (!columns || !columns->is_object())
    return absent(src.missing.empty() ? "No drift figures." : src.missing);
  const std::vector<scoring::DriftJudgement> judgements = judgements_of(columns);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto& j : judgements) {
    rows.push_back(
        {esc(j.label) + (j.label != j.feature ? " <small>" + code(j.feature) + "</small>" : ""),
         std::isfinite(j.psi) ? svg::fixed(j.psi, 3) : "—", esc(scoring::level_name(j.level)),
         status_cell(j), j.next_step.empty() ? "—" : esc(j.next_step)});
    classes.push_back(j.alarm ? "flagged" : "");
  }
  const std::string headline = scoring::drift_headline(judgements);
  const bool alarm =
      std::any_of(judgements.begin(), judgements.end(), [](const auto& j) { return j.alarm; });
  std::string intro =
      "PSI (population stability index) compares the distribution of each watched feature in " +
      esc(src.compared) + ": below " + svg::fixed(scoring::kPsiModerate, 2) + " is stable, " +
      svg::fixed(scoring::kPsiModerate, 2) + " to " + svg::fixed(scoring::kPsiMajor, 2) +
      " moderate, above " + svg::fixed(scoring::kPsiMajor, 2) +
      " major. Sums, day counters, trends and the calendar are expected to move as time passes, "
      "and a feature that moved about as much within the training period is not news either: "
      "only a major move beyond those (more than " +
      svg::fixed(scoring::kPsiMajor, 2) +
      " above its move within training) is an alarm (the policy: docs/DRIFT.md).";
  return "<p class=\"drift-headline\" data-alarm=\"" + std::string(alarm ? "yes" : "no") +
         "\"><strong>" + esc(headline) + "</strong></p>" + para(intro) +
         grid_table({"feature", "PSI", "move", "verdict", "next step"}, rows,
                    {false, true, false, false, false}, classes);
}

std::string drift_item(const Run& r) {
  const json* columns = at(drift_source(r).drift, {"columns"});
  if (!columns || !columns->is_object()) return "";
  const std::vector<scoring::DriftJudgement> judgements = judgements_of(columns);
  const std::string headline = scoring::drift_headline(judgements);
  const bool alarm =
      std::any_of(judgements.begin(), judgements.end(), [](const auto& j) { return j.alarm; });
  return alarm ? "<strong>" + esc(headline) + "</strong> (see Drift)" : esc(headline);
}

}  // namespace elv::report::detail
