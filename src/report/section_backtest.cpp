// Backtest: how the model held over time (elv backtest, docs/CONTRACT.md §7.1). The verdict on
// stability, a chart of ROC-AUC per fold for the model and the campaign-rate baseline, and
// the folds' table, all from backtest.csv (metadata.json → backtest for the settings). The
// section exists only in back-test runs, so every other report is unchanged, byte for byte.
#include <algorithm>
#include <cmath>

#include "report/backtest_verdict.h"
#include "report/html_parts.h"
#include "report/svg.h"

namespace elv::report::detail {

namespace {

constexpr const char* kBacktestCsv = "backtest.csv";

struct FoldRow {
  int fold = 0;
  std::string cutoff, test_start, test_end, status, reason;
  double n_train = kNaN, n_test_leads = kNaN, n_test = kNaN, positives = kNaN;
  double roc_auc = kNaN, pr_auc = kNaN, brier = kNaN, ece = kNaN, lift = kNaN;
  double baseline_roc_auc = kNaN;
  bool ran() const { return status == "ok"; }
};

std::vector<FoldRow> folds_of(const CsvHead& t) {
  auto text = [&t](const std::vector<std::string>& row, const char* name) {
    const int c = t.column(name);
    return c >= 0 && static_cast<size_t>(c) < row.size() ? row[static_cast<size_t>(c)]
                                                         : std::string();
  };
  auto number = [&t](const std::vector<std::string>& row, const char* name) {
    return number_in(row, t.column(name));
  };
  std::vector<FoldRow> out;
  for (const auto& row : t.rows) {
    FoldRow f;
    const double fold = number(row, "fold");
    f.fold = std::isfinite(fold) ? static_cast<int>(fold) : static_cast<int>(out.size()) + 1;
    f.cutoff = text(row, "cutoff_date");
    f.test_start = text(row, "test_start_date");
    f.test_end = text(row, "test_end_date");
    f.status = text(row, "status");
    f.reason = text(row, "reason");
    f.n_train = number(row, "n_train");
    f.n_test_leads = number(row, "n_test_leads");
    f.n_test = number(row, "n_test");
    f.positives = number(row, "positives");
    f.roc_auc = number(row, "roc_auc");
    f.pr_auc = number(row, "pr_auc");
    f.brier = number(row, "brier");
    f.ece = number(row, "ece");
    f.lift = number(row, "lift_at_k");
    f.baseline_roc_auc = number(row, "baseline_roc_auc");
    out.push_back(std::move(f));
  }
  return out;
}

std::string count_cell(double v) {
  return std::isfinite(v) ? esc(format_count(std::llround(v))) : std::string(kDash);
}

// "03-02" from "2026-03-02": the chart's x labels must fit under each fold.
std::string month_day(const std::string& date) { return date.size() == 10 ? date.substr(5) : date; }

std::string chart_html(const std::vector<FoldRow>& folds) {
  std::vector<std::string> labels;
  svg::Series model{"model", "#1d4ed8", {}}, baseline{"campaign-rate baseline", "#d97706", {}};
  double lo = 1, hi = 0;
  for (size_t i = 0; i < folds.size(); ++i) {
    const FoldRow& f = folds[i];
    labels.push_back(month_day(f.test_start));
    const double x = static_cast<double>(i);
    model.points.push_back({x, f.ran() ? f.roc_auc : kNaN});
    baseline.points.push_back({x, f.ran() ? f.baseline_roc_auc : kNaN});
    for (double v : {f.roc_auc, f.baseline_roc_auc})
      if (f.ran() && std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  }
  if (hi < lo) {
    lo = 0;
    hi = 1;
  }
  // From a multiple of 0.05 below the values, a span in steps of 0.2 (so the four grid steps
  // are multiples of 0.05) with room at the top for the legend.
  double y_lo = std::max(0.0, std::floor((lo - 0.02) * 20) / 20);
  const double needed = std::max(0.2, (std::ceil((hi + 0.02) * 20) / 20 - y_lo) / 0.7);
  const double span = std::min(1.0, std::ceil(needed / 0.2 - 1e-9) * 0.2);
  double y_hi = y_lo + span;
  if (y_hi > 1.0) {
    y_hi = 1.0;
    y_lo = 1.0 - span;
  }
  return "<div class=\"charts\">\n" +
         figure(svg::per_fold_chart(labels, {model, baseline}, y_lo, y_hi,
                                    "ROC-AUC per fold, on the leads after each cut-off",
                                    "first day of the fold's test period", "ROC-AUC"),
                "Reading: a flat line well above the baseline is a model to trust over time; a "
                "line that falls or dips below the baseline means the ranking does not hold "
                "from one period to the next. A fold that could not run leaves a gap.") +
         "</div>\n";
}

std::string table_html(const std::vector<FoldRow>& folds, const std::string& k) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const FoldRow& f : folds) {
    const std::string period = "<span class=\"nowrap\">" + esc(f.test_start) +
                               "</span> to <span class=\"nowrap\">" + esc(f.test_end) + "</span>";
    const bool above = f.ran() && f.roc_auc > f.baseline_roc_auc;
    rows.push_back(
        {std::to_string(f.fold), "<span class=\"nowrap\">" + esc(f.cutoff) + "</span>", period,
         count_cell(f.n_train), count_cell(f.n_test) + " of " + count_cell(f.n_test_leads),
         count_cell(f.positives),
         above ? "<strong>" + format_metric(f.roc_auc) + "</strong>" : format_metric(f.roc_auc),
         format_metric(f.baseline_roc_auc), format_metric(f.pr_auc), format_metric(f.brier),
         format_metric(f.ece), format_lift(f.lift), f.ran() ? "ran" : "skipped: " + esc(f.reason)});
    classes.push_back(f.ran() ? "" : "flagged");
  }
  return grid_table(
      {"fold", "cut-off", "test period", "trained on", "test leads judged", "qualified", "ROC-AUC",
       "baseline ROC-AUC", "PR-AUC", "Brier", "ECE", "lift @ " + k, "status"},
      rows, {true, false, false, true, true, true, true, true, true, true, true, true, false},
      classes,
      {"", "The fold's as-of date: outcomes after it were invisible to its model",
       "Leads created in these days were scored by the fold's model",
       "Labeled leads the fold's model was fitted on (its train split)",
       std::string("Leads of the test period whose label window had passed by the final "
                   "date, of all leads created in it"),
       "Qualified among the leads judged", "", "Each campaign's past rate", "", "", "", "", ""});
}

}  // namespace

bool has_backtest(const Run& r) {
  return r.kind == RunKind::kBacktest || file_exists(r.dir / kBacktestCsv);
}

std::string backtest_html(const Run& r) {
  const CsvHead t = load_csv_head(r.dir, kBacktestCsv, kAllRows);
  if (!t.status.ok())
    return absent(unusable(t.status, kBacktestCsv, "the back-test's folds cannot be shown"));
  const std::vector<FoldRow> folds = folds_of(t);
  std::vector<FoldAuc> ran;
  int skipped = 0;
  for (const FoldRow& f : folds) {
    if (!f.ran() || !std::isfinite(f.roc_auc)) {
      ++skipped;
      continue;
    }
    const auto positives = std::isfinite(f.positives) ? std::llround(f.positives) : 0;
    const auto judged = std::isfinite(f.n_test) ? std::llround(f.n_test) : 0;
    ran.push_back({f.fold, f.roc_auc, f.baseline_roc_auc, positives, judged - positives, f.ece});
  }
  const StabilityVerdict verdict = stability_verdict(ran, skipped);
  const json* bt = at(meta(r), {"backtest"});
  const std::string step = str(at(bt, {"step_days"}));
  const std::string final_date = str(at(bt, {"final_date"}));
  const std::string window = str(at(bt, {"label_window_days"}));
  const double topk = num(at(bt, {"topk_frac"}));
  const std::string k = std::isfinite(topk) ? format_percent(topk) : "k";
  std::string how =
      "Rolling-origin evaluation: for each cut-off, the model was trained as the train command "
      "would have trained it on that day (outcomes dated after the cut-off invisible, only "
      "leads older than the label window), then scored the leads created in the following " +
      (step.empty() ? std::string("days") : esc(step) + " days") +
      ". Those leads were judged by their outcomes as of " +
      (final_date.empty() ? std::string("the final date") : when(at(bt, {"final_date"}))) +
      ", only those whose " + (window.empty() ? std::string("") : esc(window) + "-day ") +
      "label window had passed by then. Baseline: each campaign's qualification rate among "
      "the fold's training leads.";
  return "<p class=\"headline\" data-verdict=\"" + esc(stability_name(verdict.level)) + "\">" +
         esc(verdict.text) + "</p>\n" + para(how) + chart_html(folds) + table_html(folds, k) +
         para(
             "The verdict's rule (docs/CONTRACT.md §7.1): stable when every fold's ROC-AUC is "
             "above the baseline's and the highest and lowest differ by at most " +
             svg::fixed(kStableAucSpread, 2) +
             "; unstable when a fold is at or below the baseline, or the spread is larger and "
             "beyond the folds' sampling noise; inconclusive when it is within that noise.");
}

}  // namespace elv::report::detail
