// Model quality on the test split (headline, metrics next to the baseline, capture and
// reliability charts) and the distribution of the predicted probabilities.
#include <cmath>
#include <functional>

#include "report/html_parts.h"
#include "report/svg.h"

namespace elv::report::detail {

// ---------------------------------------------------------------------------------------
// Model quality

namespace {

std::string quality_absent_reason(const Run& r) {
  if (!r.kind) return "";
  switch (*r.kind) {
    case RunKind::kScore:
      return "No model quality section: a score run applies an existing model without evaluating "
             "it, "
             "so it has no quality metrics (no metrics.json). The model's quality on its own test "
             "split "
             "is in the report of the train run that produced it.";
    case RunKind::kBatchScore:
      return "No model quality section: batch-score ignores outcomes, so these leads have no "
             "labels to "
             "measure the model against (and there is no metrics.json). The model's quality is in "
             "the "
             "report of the train run that produced it.";
    case RunKind::kBuildTable:
      return "No model quality section: build-table does not train a model.";
    case RunKind::kBacktest:
      return "No model quality section on one test split: a back-test trains one model per "
             "cut-off, and how each did is in the Backtest section.";
    default:
      break;
  }
  return "";
}

}  // namespace

// "Contacting the top 10.0 % of leads ranked by this model captures 34.2 % of qualified
// leads, 3.4× random." — or "" when the test split had no qualified lead.
std::string lift_sentence(const json& metrics) {
  const json* lift = at(&metrics, {"model", "lift_at_k"});
  const double frac = num(at(lift, {"topk_frac"})), capture = num(at(lift, {"capture"}));
  if (!std::isfinite(frac) || !std::isfinite(capture)) return "";
  return "Contacting the top " + format_percent(frac) +
         " of leads ranked by this model captures <strong>" + format_percent(capture) +
         "</strong> of qualified leads, <strong>" + format_lift(num(at(lift, {"lift"}))) +
         "</strong> random.";
}

namespace {

std::string headline_html(const json& metrics) {
  std::string s = lift_sentence(metrics);
  if (s.empty())
    return absent(
        "Lift at the top of the ranking could not be computed (the test split has no qualified "
        "leads).");
  const json* base = at(&metrics, {"baseline_campaign_rate", "lift_at_k"});
  if (std::isfinite(num(at(base, {"capture"}))))
    s += " Ranking by each campaign's past qualification rate (the baseline) captures " +
         format_percent(num(at(base, {"capture"}))) + ", " + format_lift(num(at(base, {"lift"}))) +
         " random.";
  return "<p class=\"headline\">" + s + "</p>\n";
}

std::string test_split_html(const json& metrics) {
  const std::string n = count_of(at(&metrics, {"data", "n_test"}));
  const double rate = num(at(&metrics, {"model", "lift_at_k", "overall_rate"}));
  std::string s =
      "Measured on the test split: the " + (n.empty() ? std::string("") : esc(n) + " ") +
      "most recent labeled leads, which the model never saw while it was trained or calibrated";
  if (std::isfinite(rate)) s += "; " + format_percent(rate) + " of them qualified";
  s += ". Model: " + model_type_words(str(at(&metrics, {"model_type"}))) + ", " +
       esc(str(at(&metrics, {"calibration_method"}))) +
       " calibration. Baseline: each campaign's qualification rate in the train window.";
  return para(s);
}

struct MetricRow {
  std::string label;
  std::vector<std::string_view> path;
  bool higher_is_better;
  std::function<std::string(double)> format;
  std::string meaning;
};

std::string metric_cell(double v, double other, bool higher_is_better,
                        const std::function<std::string(double)>& fmt) {
  const bool better =
      std::isfinite(v) && std::isfinite(other) && (higher_is_better ? v > other : v < other);
  return better ? "<strong>" + fmt(v) + "</strong>" : fmt(v);
}

double metric_at(const json* m, const std::vector<std::string_view>& path) {
  const json* j = m;
  for (std::string_view key : path) j = at(j, {key});
  return num(j);
}

std::string metrics_table(const json& metrics) {
  const json* model = at(&metrics, {"model"});
  const json* base = at(&metrics, {"baseline_campaign_rate"});
  const std::string k = format_percent(num(at(model, {"lift_at_k", "topk_frac"})));
  const std::string positives = format_percent(num(at(model, {"lift_at_k", "overall_rate"})));
  const std::vector<MetricRow> rows = {
      {"ROC-AUC",
       {"roc_auc"},
       true,
       format_metric,
       "Chance that a qualified lead is ranked above an unqualified one (0.5 = random, 1 = "
       "perfect)."},
      {"PR-AUC",
       {"pr_auc"},
       true,
       format_metric,
       "Average precision down the ranking; a random ranking scores the qualified share (" +
           positives + ")."},
      {"Brier score",
       {"brier"},
       false,
       format_metric,
       "Mean squared error of the predicted probability."},
      {"Log loss",
       {"log_loss"},
       false,
       format_metric,
       "Penalty for confident wrong probabilities."},
      {"ECE",
       {"calibration", "ece"},
       false,
       format_metric,
       "Average gap between predicted and observed qualification rates over the probability bins."},
      {"Lift @ " + k,
       {"lift_at_k", "lift"},
       true,
       format_lift,
       "How many times more qualified leads the top " + k + " holds than a random " + k +
           " of leads."},
      {"Capture @ " + k,
       {"lift_at_k", "capture"},
       true,
       format_percent,
       "Share of all qualified leads found in the top " + k +
           " (k = " + count_of(at(model, {"lift_at_k", "k"})) + " leads)."}};
  std::vector<std::vector<std::string>> cells;
  for (const MetricRow& row : rows) {
    const double m = metric_at(model, row.path), b = metric_at(base, row.path);
    cells.push_back({esc(row.label), metric_cell(m, b, row.higher_is_better, row.format),
                     metric_cell(b, m, row.higher_is_better, row.format),
                     esc(row.higher_is_better ? "higher" : "lower"), esc(row.meaning)});
  }
  return grid_table({"metric", "model", "baseline", "better", "what it means"}, cells,
                    {false, true, true, false, false}) +
         "<p class=\"small\">The better of model and baseline is in bold.</p>\n";
}

std::vector<svg::Point> curve_points(const json* curve) {
  std::vector<svg::Point> points;
  if (!curve || !curve->is_array()) return points;
  for (const json& p : *curve)
    points.push_back({num(at(&p, {"frac_leads"})), num(at(&p, {"frac_positives"}))});
  return points;
}

std::vector<svg::ReliabilityBin> reliability_bins(const json* bins) {
  std::vector<svg::ReliabilityBin> out;
  if (!bins || !bins->is_array()) return out;
  for (const json& b : *bins) {
    const double count = num(at(&b, {"count"}));
    out.push_back({num(at(&b, {"lower"})), num(at(&b, {"upper"})), num(at(&b, {"mean_pred"})),
                   num(at(&b, {"frac_pos"})),
                   std::isfinite(count) ? static_cast<int64_t>(count) : 0});
  }
  return out;
}

std::string quality_charts_html(const json& metrics) {
  const std::vector<svg::Series> series = {
      {"model", "#1d4ed8", curve_points(at(&metrics, {"model", "lift_curve"}))},
      {"baseline (campaign rate)", "#d97706",
       curve_points(at(&metrics, {"baseline_campaign_rate", "lift_curve"}))}};
  const std::string capture =
      figure(svg::capture_chart(series, "Cumulative capture (lift) on the test split"),
             "Reading: the higher the line above the dashed diagonal, the more qualified leads you "
             "reach by "
             "contacting the highest-scored leads first.");
  const std::string reliability = figure(
      svg::reliability_diagram(reliability_bins(at(&metrics, {"model", "calibration", "bins"})),
                               "Reliability of the probabilities (test split)"),
      "Reading: points on the diagonal mean a predicted 30 % really qualifies about 30 % of the "
      "time. "
      "ECE " +
          format_metric(num(at(&metrics, {"model", "calibration", "ece"}))) + ".");
  return "<div class=\"charts\">\n" + capture + reliability + "</div>\n";
}

}  // namespace

std::string quality_html(const Run& r) {
  if (!r.metrics.status.ok()) {
    const std::string reason = quality_absent_reason(r);
    if (!reason.empty() && r.metrics.status.state == State::Missing) return absent(esc(reason));
    return absent(
        unusable(r.metrics.status, "metrics.json", "the model quality section cannot be shown"));
  }
  const json& m = r.metrics.value;
  return headline_html(m) + test_split_html(m) + metrics_table(m) + quality_charts_html(m);
}

// ---------------------------------------------------------------------------------------
// Predicted probabilities

std::string scores_html(const Run& r) {
  const ScoreSummary& s = r.scores;
  if (s.status.state == State::Missing && !scored(r.kind))
    return absent("No predictions: " + esc(kind_name(r.kind)) + " runs do not score leads.");
  if (!s.status.ok())
    return absent(unusable(s.status, "predictions.csv",
                           "the distribution of predicted probabilities cannot be shown"));
  if (s.n == 0) return absent("predictions.csv holds no scored leads.");
  const double n = static_cast<double>(s.n);
  std::string text =
      esc(format_count(s.n)) + " leads scored (" + code(s.column) +
      "). The model expects <strong>" + esc(format_count(std::llround(s.sum_p))) +
      "</strong> of them to qualify (the sum of their probabilities), an average of " +
      format_percent(s.sum_p / n) + " per lead; " +
      format_percent(static_cast<double>(s.at_least_half) / n) +
      " of leads have a probability of 50 % or more.";
  if (s.has_elv)
    text += " Total expected lead value (ELV): <strong>" + format_money(s.sum_elv) + "</strong>.";
  if (s.invalid > 0)
    text +=
        " " + esc(format_count(s.invalid)) + " rows had no readable probability and are left out.";
  return para(text) + "<div class=\"charts\">\n" +
         figure(svg::histogram(
                    s.bins, 0.0, 1.0, "Predicted probability of qualifying, all scored leads",
                    "predicted probability (" + std::to_string(100 / kHistogramBins) + " % bins)"),
                "Reading: a wide spread means the model separates promising leads from the rest; a "
                "single narrow peak means it sees them as much alike.") +
         "</div>\n";
}

}  // namespace elv::report::detail
