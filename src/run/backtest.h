// elv backtest (docs/CONTRACT.md §7.1): rolling-origin evaluation of the configured model.
// For each cut-off the model is fitted as `train` would have fitted it that day (outcomes
// after the cut-off invisible, only mature leads), scored on the leads of the following step
// and judged by their outcomes as of the final date.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "base/progress.h"
#include "config/config.h"
#include "model/metrics.h"
#include "table/build.h"

namespace elv::run {

// Bounds on the command's options: every fold is a full fit, so their number is bounded.
inline constexpr int kMaxBacktestFolds = 52;
inline constexpr int kMaxBacktestStepDays = 366;

struct BacktestFold {
  int number = 0;                        // 1 = the oldest cut-off
  int32_t cutoff = 0;                    // days: the fold's as_of_date
  int32_t test_start = 0, test_end = 0;  // days, inclusive: the leads the fold scores
  bool ran = false;
  std::string skipped_reason;        // why not, when !ran
  int64_t n_train = 0, n_calib = 0;  // the fold's fit (its time split as of the cut-off)
  int64_t n_test_leads = 0;          // leads created in the test period
  int64_t n_test = 0;                // of them, labeled and mature on the final date: judged
  int64_t positives = 0;             // qualified among the judged
  std::string model_type;            // of the fold's fitted model (model.json's model_type)
  model::CoreMetrics metrics{}, baseline{};  // the model's and the baseline's (ran only)
  std::vector<int64_t> test_rows;            // the judged leads, rows of the table
};

// The cut-offs, oldest first. The last is final_date − label_window_days − step_days − 1:
// its test period then ends label_window_days + 1 days before final_date, so every lead in
// it (created at any time of its day) is mature on final_date. The others are step_days
// apart.
std::vector<int32_t> backtest_cutoffs(int32_t final_date, int label_window_days, int folds,
                                      int step_days);

// Runs every fold on `built`, whose labels are as of the final date (a normal build): the
// table is labeled again as of each cut-off to fit (table::relabel_as_of; its features do
// not depend on outcomes) and its final labels are restored before returning, also on an
// exception. A fold whose test period has fewer than model::kMinLabeledRows judged leads or
// one class, or whose fit cannot split (time_split's reason), is skipped with its reason.
// Throws elv::Error when no fold can run.
std::vector<BacktestFold> evaluate_folds(const Config& config, table::BuildResult& built, int folds,
                                         int step_days, int threads, Progress* progress);

// backtest.csv, one row per fold (columns: docs/CONTRACT.md §7.1).
void write_backtest_csv(const std::vector<BacktestFold>& folds, const std::string& path);

}  // namespace elv::run
