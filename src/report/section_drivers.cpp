// What drives the score: the global picture of the reasons (docs/CONTRACT.md §6
// `top_reasons`), from metrics.json → drivers (train runs): each feature's mean |contribution|
// to the log-odds over the test split, as horizontal bars, largest first.
#include <algorithm>
#include <cmath>

#include "report/html_parts.h"
#include "report/svg.h"

namespace elv::report::detail {

namespace {

struct Driver {
  std::string feature, label;
  double value = 0;
};

std::vector<Driver> drivers_of(const Run& r) {
  std::vector<Driver> out;
  if (r.kind != RunKind::kTrain || !r.metrics.status.ok()) return out;
  const json* list = at(&r.metrics.value, {"drivers"});
  if (!list || !list->is_array()) return out;
  for (const json& d : *list) {
    const double v = num(at(&d, {"mean_abs_contribution"}));
    const std::string feature = str(at(&d, {"feature"}));
    if (!std::isfinite(v) || v < 0 || feature.empty()) continue;
    std::string label = str(at(&d, {"label"}));
    out.push_back({feature, label.empty() ? feature : label, v});
  }
  return out;
}

// One bar per driver: the label on the left, the bar, the figure at its end.
std::string driver_bars(const std::vector<Driver>& drivers) {
  constexpr int kLabelWidth = 330, kBarWidth = 300, kRow = 22, kTop = 8;
  const int height = kTop * 2 + kRow * static_cast<int>(drivers.size());
  const int width = kLabelWidth + kBarWidth + 60;
  double top = 0;
  for (const auto& d : drivers) top = std::max(top, d.value);
  std::string svg = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"mean absolute contribution per feature\" "
                    "font-family=\"sans-serif\" font-size=\"12\">";
  for (size_t i = 0; i < drivers.size(); ++i) {
    const Driver& d = drivers[i];
    const int y = kTop + kRow * static_cast<int>(i);
    const double w = top > 0 ? kBarWidth * d.value / top : 0;
    svg += "<text x=\"" + std::to_string(kLabelWidth - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" text-anchor=\"end\" fill=\"#222\">" + svg::escape_xml(d.label) + "</text>";
    svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + svg::fixed(w, 1) + "\" height=\"14\" fill=\"#1f6feb\"/>";
    svg += "<text x=\"" + svg::fixed(kLabelWidth + w + 4, 1) + "\" y=\"" + std::to_string(y + 15) +
           "\" fill=\"#222\">" + svg::fixed(d.value, 3) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace

bool has_drivers(const Run& r) { return !drivers_of(r).empty(); }

std::string drivers_html(const Run& r) {
  const std::vector<Driver> drivers = drivers_of(r);
  if (drivers.empty()) return absent("metrics.json holds no drivers.");
  return para(
             "How much each feature moves the model's score, on average over the leads of the "
             "test split: the mean absolute contribution to the log-odds (the model's raw "
             "score, before calibration). Every lead's own reasons, the features that pushed "
             "its score up and down most, are in the <code>top_reasons</code> column of "
             "predictions.csv.") +
         figure(driver_bars(drivers),
                "Mean |contribution| (log-odds) per feature, largest first; the top " +
                    std::to_string(drivers.size()) + ".");
}

}  // namespace elv::report::detail
