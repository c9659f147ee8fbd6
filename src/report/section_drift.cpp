// Drift: the PSI of the key features, from metrics.json (train) or drift.json (score); and
// the glance's line on it.
#include <algorithm>
#include <cmath>

#include "report/html_parts.h"
#include "report/svg.h"

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

bool is_flagged(const json* column) {
  const json* flag = at(column, {"flagged"});
  return flag && flag->is_boolean() && flag->get<bool>();
}

}  // namespace

std::string drift_html(const Run& r) {
  const DriftSource src = drift_source(r);
  const json* columns = at(src.drift, {"columns"});
  if (!columns || !columns->is_object())
    return absent(src.missing.empty() ? "No drift figures." : src.missing);
  const double threshold = num(at(src.drift, {"psi_threshold"}));
  // Largest PSI first; features whose PSI could not be computed last, by name.
  std::vector<std::pair<std::string, const json*>> items;
  for (const auto& [name, value] : columns->items()) items.emplace_back(name, &value);
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    const double pa = num(at(a.second, {"psi"})), pb = num(at(b.second, {"psi"}));
    if (std::isfinite(pa) != std::isfinite(pb)) return std::isfinite(pa);
    return std::isfinite(pa) && pa > pb;
  });
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  int flagged = 0;
  for (const auto& [name, v] : items) {
    const bool drifted = is_flagged(v);
    flagged += drifted;
    const double psi = num(at(v, {"psi"}));
    rows.push_back({code(name), std::isfinite(psi) ? svg::fixed(psi, 3) : "not computable",
                    drifted ? "<span class=\"badge flag\">drifted</span>" : "stable"});
    classes.push_back(drifted ? "flagged" : "");
  }
  const std::string t = std::isfinite(threshold) ? svg::fixed(threshold, 2) : "the threshold";
  std::string intro =
      "PSI (population stability index) compares the distribution of each key feature in " +
      esc(src.compared) + ". A PSI of " + t +
      " or more is flagged: the model sees data unlike "
      "what it learned from, and its probabilities may be off. ";
  intro += flagged ? "<strong>" + std::to_string(flagged) + " of " + std::to_string(items.size()) +
                         " features drifted.</strong>"
                   : "No feature drifted.";
  return para(intro) +
         grid_table({"feature", "PSI", "status"}, rows, {false, true, false}, classes);
}

std::string drift_item(const Run& r) {
  const json* columns = at(drift_source(r).drift, {"columns"});
  if (!columns || !columns->is_object()) return "";
  int flagged = 0;
  for (const auto& [name, v] : columns->items()) flagged += is_flagged(&v);
  return flagged
             ? "<strong>" + std::to_string(flagged) + " of " + std::to_string(columns->size()) +
                   " watched features drifted</strong>: the probabilities may be off (see Drift)."
             : "No watched feature drifted.";
}

}  // namespace elv::report::detail
