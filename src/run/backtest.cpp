// elv backtest: the folds (run/backtest.h) and the pipeline (run/pipelines.h, backtest_run).
#include "run/backtest.h"

#include <cstdlib>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/format.h"
#include "base/parallel.h"
#include "io/csv_writer.h"
#include "io/parse.h"
#include "model/bundle.h"
#include "model/split.h"
#include "report/backtest_verdict.h"
#include "report/html.h"
#include "run/artifacts.h"
#include "run/model_runs.h"
#include "run/pipelines.h"
#include "run/run_folder.h"
#include "table/labels.h"

using nlohmann::json;

namespace elv::run {

std::vector<int32_t> backtest_cutoffs(int32_t final_date, int label_window_days, int folds,
                                      int step_days) {
  std::vector<int32_t> cutoffs;
  const int32_t last = final_date - label_window_days - step_days - 1;
  for (int k = folds - 1; k >= 0; --k) cutoffs.push_back(last - k * step_days);
  return cutoffs;
}

namespace {

// The table's labels as of the final date, put back when the folds are done (or fail): the
// caller's table must come out as it went in.
class FinalLabels {
 public:
  explicit FinalLabels(table::BuildResult& built)
      : built_(built),
        status_(built.table.label_status),
        mature_(built.table.is_mature),
        facts_(built.info.labels) {}
  FinalLabels(const FinalLabels&) = delete;
  FinalLabels& operator=(const FinalLabels&) = delete;
  ~FinalLabels() {
    built_.table.label_status = status_;
    built_.table.is_mature = mature_;
    built_.info.labels = facts_;
  }
  bool judged(int64_t row) const {
    return status_[row] != table::LabelStatus::Unknown && mature_[row];
  }
  bool positive(int64_t row) const { return status_[row] == table::LabelStatus::Positive; }
  int32_t as_of_date() const { return facts_.as_of_date; }

 private:
  table::BuildResult& built_;
  const std::vector<table::LabelStatus> status_;
  const std::vector<int8_t> mature_;
  const table::LabelFacts facts_;
};

// Why a fold's test period cannot be judged, or "" when it can.
std::string test_period_problem(const BacktestFold& f, int32_t final_date) {
  if (f.n_test < model::kMinLabeledRows)
    return "only " + std::to_string(f.n_test) + " of the test period's " +
           std::to_string(f.n_test_leads) + " leads have a known result, old enough to judge, on " +
           parse::format_date(final_date) + "; a fold needs at least " +
           std::to_string(model::kMinLabeledRows);
  if (f.positives == 0 || f.positives == f.n_test)
    return "the test period's " + std::to_string(f.n_test) + " judged leads are all " +
           (f.positives == 0 ? "unqualified" : "qualified") + "; ROC-AUC needs both";
  return "";
}

}  // namespace

std::vector<BacktestFold> evaluate_folds(const Config& config, table::BuildResult& built, int folds,
                                         int step_days, int threads, Progress* progress) {
  const table::LeadTable& t = built.table;
  const FinalLabels final_labels(built);
  const int32_t final_date = final_labels.as_of_date();
  const std::vector<int32_t> cutoffs =
      backtest_cutoffs(final_date, config.label.label_window_days, folds, step_days);
  const double topk = config.reporting.topk_frac;
  const int bins = config.reporting.ece_bins;
  std::vector<BacktestFold> out;
  for (size_t k = 0; k < cutoffs.size(); ++k) {
    BacktestFold f;
    f.number = static_cast<int>(k) + 1;
    f.cutoff = cutoffs[k];
    f.test_start = f.cutoff + 1;
    f.test_end = f.cutoff + step_days;
    stage(progress, "fold " + std::to_string(f.number) + "/" + std::to_string(cutoffs.size()) +
                        ": fit as of " + parse::format_date(f.cutoff) + ", score to " +
                        parse::format_date(f.test_end));
    for (int64_t i = 0; i < t.n; ++i) {
      if (t.lead_date[i] < f.test_start || t.lead_date[i] > f.test_end) continue;
      ++f.n_test_leads;
      if (!final_labels.judged(i)) continue;
      f.test_rows.push_back(i);
      f.positives += final_labels.positive(i);
    }
    f.n_test = static_cast<int64_t>(f.test_rows.size());
    f.skipped_reason = test_period_problem(f, final_date);
    if (f.skipped_reason.empty()) {
      table::relabel_as_of(built, f.cutoff, config.label);
      int64_t trainable = 0;  // what time_split keeps: labeled and mature as of the cut-off
      for (int64_t i = 0; i < t.n; ++i)
        trainable += t.label_status[i] != table::LabelStatus::Unknown && t.is_mature[i];
      std::optional<model::TimeSplit> split;
      if (trainable < model::kMinLabeledRows) {
        // time_split's own words point at outcomes.csv; here the cut-off is the cause.
        f.skipped_reason = "as of the cut-off, only " + std::to_string(trainable) +
                           " leads had a known result and were old enough to judge; a fit "
                           "needs at least " +
                           std::to_string(model::kMinLabeledRows) +
                           ": the cut-off is too early in the history";
      } else {
        try {
          split = model::time_split(t, config.splits);
        } catch (const Error& e) {
          f.skipped_reason = "as of the cut-off, " + e.message();
        }
      }
      if (split) {
        const model::ModelBundle bundle = fit_bundle(config, built, *split, threads, progress);
        std::vector<double> y(f.test_rows.size());
        for (size_t i = 0; i < y.size(); ++i)
          y[i] = final_labels.positive(f.test_rows[i]) ? 1.0 : 0.0;
        // The baseline reads the fold's labels: call it before the next fold relabels.
        f.metrics = model::core_metrics(y, bundle.predict(t, &f.test_rows), topk, bins);
        f.baseline = model::core_metrics(y, campaign_rate_baseline(t, split->train, f.test_rows),
                                         topk, bins);
        f.n_train = static_cast<int64_t>(split->train.size());
        f.n_calib = static_cast<int64_t>(split->calib.size());
        f.model_type = bundle.model_type();
        f.ran = true;
      }
    }
    out.push_back(std::move(f));
  }
  bool any = false;
  std::vector<std::string> reasons;
  for (const BacktestFold& f : out) {
    any = any || f.ran;
    reasons.push_back("fold " + std::to_string(f.number) + " (cut-off " +
                      parse::format_date(f.cutoff) + "): " + f.skipped_reason);
  }
  if (!any)
    throw Error("no fold of the back-test could run: " + join(reasons, "; ") +
                ". Use fewer folds (--folds), a shorter or longer step (--step-days) or more "
                "history");
  return out;
}

void write_backtest_csv(const std::vector<BacktestFold>& folds, const std::string& path) {
  csv::Writer w(path);
  for (const char* h :
       {"fold", "cutoff_date", "test_start_date", "test_end_date", "status", "reason", "model_type",
        "n_train", "n_calib", "n_test_leads", "n_test", "positives", "roc_auc", "pr_auc", "brier",
        "ece", "lift_at_k", "baseline_roc_auc"})
    w.field(std::string_view(h));
  w.end_row();
  for (const BacktestFold& f : folds) {
    w.field(f.number)
        .field(parse::format_date(f.cutoff))
        .field(parse::format_date(f.test_start))
        .field(parse::format_date(f.test_end))
        .field(std::string_view(f.ran ? "ok" : "skipped"))
        .field(f.skipped_reason)
        .field(f.model_type);
    if (f.ran) {
      w.field(f.n_train).field(f.n_calib);
    } else {
      w.field(std::string_view()).field(std::string_view());
    }
    w.field(f.n_test_leads).field(f.n_test).field(f.positives);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (double v : {f.metrics.roc_auc, f.metrics.pr_auc, f.metrics.brier,
                     f.metrics.calibration.ece, f.metrics.lift.lift, f.baseline.roc_auc})
      w.fixed(f.ran ? v : nan, 6);
    w.end_row();
  }
  w.close();
}

namespace {

// A metric as backtest.csv holds it (6 decimals), so the verdict recorded here is the one the
// report computes from the file.
double as_written(double v) {
  const std::string text = fixed(v, 6);
  return text.empty() ? v : std::strtod(text.c_str(), nullptr);
}

std::vector<report::FoldAuc> fold_aucs(const std::vector<BacktestFold>& folds, int& skipped) {
  std::vector<report::FoldAuc> ran;
  skipped = 0;
  for (const BacktestFold& f : folds) {
    if (!f.ran) {
      ++skipped;
      continue;
    }
    ran.push_back({f.number, as_written(f.metrics.roc_auc), as_written(f.baseline.roc_auc),
                   f.positives, f.n_test - f.positives, as_written(f.metrics.calibration.ece)});
  }
  return ran;
}

}  // namespace

RunOutputs backtest_run(const Config& config, const BacktestOptions& given,
                        std::string* verdict_text) {
  BacktestOptions options = given;
  options.run.kind = report::RunKind::kBacktest;
  if (options.folds < 1 || options.folds > kMaxBacktestFolds)
    throw UsageError("--folds must be between 1 and " + std::to_string(kMaxBacktestFolds) +
                     "; got " + std::to_string(options.folds));
  if (options.step_days < 1 || options.step_days > kMaxBacktestStepDays)
    throw UsageError("--step-days must be between 1 and " + std::to_string(kMaxBacktestStepDays) +
                     "; got " + std::to_string(options.step_days));
  (void)now_seconds();  // a bad SOURCE_DATE_EPOCH is refused before any work
  if (config.paths.outcomes_path.empty())
    throw Error(
        "a back-test judges the model by the leads' outcomes, and none are configured: set "
        "paths.outcomes_path (outcomes.csv)",
        config.source_path);
  const std::vector<KeptPath> kept = kept_paths_of(config);
  RunFolder::check_out_dir(options.run.out_dir, options.run.overwrite, kept);
  table::BuildOptions build_options;
  build_options.threads = options.run.threads;
  build_options.progress = options.run.progress;
  table::BuildResult built = table::build_table(config, build_options);
  const std::vector<BacktestFold> folds =
      evaluate_folds(config, built, options.folds, options.step_days,
                     resolve_threads(options.run.threads), options.run.progress);
  int skipped = 0;
  const std::vector<report::FoldAuc> ran = fold_aucs(folds, skipped);  // sets skipped first
  const report::StabilityVerdict verdict = report::stability_verdict(ran, skipped);
  if (verdict_text) *verdict_text = verdict.text;

  std::string model_type;
  for (const BacktestFold& f : folds)
    if (f.ran && model_type.empty()) model_type = f.model_type;
  json cutoffs = json::array();
  for (const BacktestFold& f : folds) cutoffs.push_back(parse::format_date(f.cutoff));
  const json extra = {
      {"model",
       {{"model_type", model_type},
        {"model_type_requested", config.model.model_type},
        {"calibration_method", config.model.calibration_method},
        {"features", built.table.feature_names.size()}}},
      {"backtest",
       {{"folds", options.folds},
        {"folds_run", folds.size() - static_cast<size_t>(skipped)},
        {"step_days", options.step_days},
        {"label_window_days", config.label.label_window_days},
        {"final_date", parse::format_date(built.info.labels.as_of_date)},
        {"cutoffs", cutoffs},
        {"topk_frac", config.reporting.topk_frac},
        {"verdict", {{"level", report::stability_name(verdict.level)}, {"text", verdict.text}}}}}};
  RunFolder run =
      RunFolder::create(options.run.out_dir, options.run.overwrite, options.run.runs_root, kept);
  auto names = write_build_artifacts(config, built, run, options.run, extra);
  stage(options.run.progress, "write backtest.csv and the report");
  write_backtest_csv(folds, run.file("backtest.csv"));
  names.push_back("backtest.csv");
  report::write_report(run.work_path());  // last: it reads the artifacts written above
  names.push_back("report.html");
  return finish(run, names, options.run);
}

}  // namespace elv::run
