// The pipelines behind the commands. cli/ and server/ both call these; neither
// re-implements a step.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/progress.h"
#include "config/config.h"
#include "report/run_kind.h"

namespace elv::run {

struct RunOptions {
  std::string out_dir;  // empty = runs/<run id>
  bool overwrite = false;
  std::string runs_root = "runs";
  int threads = 0;
  std::string command_line;  // recorded in metadata.json
  // The run's name for people, recorded in metadata.json as "name" (checked with
  // run/run_name.h's checked_run_name); empty = a default from what the run did.
  std::string name;
  // Recorded in metadata.json as "run_kind". Each pipeline sets its own (the demo's is
  // "demo" whether it trains or scores); what a caller puts here is replaced.
  report::RunKind kind = report::RunKind::kBuildTable;
  // Maps an input path to the path recorded in artifacts (config.yaml, metadata). The demo
  // uses it: its data is read inside the temporary run folder but recorded where it will be
  // once the run is in place. Empty = record paths as they are.
  std::function<std::string(const std::string&)> recorded_path;
  Progress* progress = nullptr;  // stage names and times; may be null
  // train: fit on at most this many labeled leads, the most recent ones (0 = all). The web
  // app caps training with it; metrics.json records the cap when it applies.
  int64_t max_labeled_leads = 0;
  // Called with the temporary run folder once every artifact is written, just before the
  // folder is renamed into place; returns the names of any artifacts it added (the web app
  // moves kept uploads into inputs/ here, so they land atomically with the run).
  std::function<std::vector<std::string>(const std::string& work_dir)> before_commit;
};

struct RunOutputs {
  std::string run_dir;
  std::vector<std::string> files;  // artifact paths, in the final run folder
};

// build-table: table.csv.gz, data_profile.json/.md, metadata.json, config.yaml.
RunOutputs build_table_run(const Config& config, const RunOptions& options);

// demo: generates the synthetic data inside a new run folder and, by default, scores it
// with a model bundle (the bundled demo model unless model_path is set); with train, trains
// a model of model_type on it instead.
struct DemoOptions {
  RunOptions run;
  // The demo's realistic default (config::kDemoValuePerQualified, in kDemoCurrency), unless
  // the user gave one: value_source says which, for metadata.json.
  double value_per_qualified = kDemoValuePerQualified;
  ValueSource value_source = ValueSource::kDemoDefault;
  uint64_t seed = 7;
  std::string end_date;  // empty = today (UTC)
  bool train = false;
  std::string model_type;  // with train: logreg | gbdt | lgbm | auto (empty = logreg)
  std::string model_path;  // empty = the bundled demo model
};
RunOutputs demo_run(const DemoOptions& options);

}  // namespace elv::run

namespace elv::run {

// train: build the table, split by time, fit, calibrate, evaluate against the campaign-rate
// baseline, then score every lead. Adds metrics.json, model.json, predictions.csv and the
// leaderboards to the build artifacts.
RunOutputs train_run(const Config& config, const RunOptions& options);

// score / batch-score with an existing model bundle. batch = inference only: outcomes are
// ignored (nothing is labeled) and leads_path (when not empty) replaces paths.leads_path.
struct ScoreOptions {
  RunOptions run;
  std::string model_path;
  bool batch = false;
  std::string leads_path;
};
RunOutputs score_run(const Config& config, const ScoreOptions& options);

// backtest: rolling-origin evaluation of the configured model (run/backtest.h): the build
// artifacts, backtest.csv and report.html with its Backtest section. verdict_text, when
// given, receives the plain verdict on stability (report/backtest_verdict.h).
struct BacktestOptions {
  RunOptions run;
  int folds = 4;
  int step_days = 14;
};
RunOutputs backtest_run(const Config& config, const BacktestOptions& options,
                        std::string* verdict_text = nullptr);

}  // namespace elv::run
