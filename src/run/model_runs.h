// The train and score steps, writing into a run folder the caller provides (so the demo
// can put its data in the same folder first).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "base/progress.h"
#include "config/config.h"
#include "model/bundle.h"
#include "model/split.h"
#include "run/pipelines.h"
#include "run/run_folder.h"
#include "table/build.h"

namespace elv::run {

// Called once the data work has succeeded: returns the folder to write into. Creating the
// folder late means a failed build or fit leaves nothing behind.
using RunFolderFactory = std::function<RunFolder&()>;

// Return the artifact names written (the caller commits the folder).
std::vector<std::string> train_into(const Config& config, const RunOptions& options,
                                    const RunFolderFactory& open_run);
std::vector<std::string> score_into(const Config& config, const ScoreOptions& options,
                                    const model::ModelBundle& bundle,
                                    const RunFolderFactory& open_run);

// The fit of `train`: the configured model on the split's train rows, its calibrator on the
// calib rows, the drift reference and the training facts. For model_type auto: logreg and
// gbdt, keeping the one with the lower calib-split log loss (model/auto_select.h), both
// returned in `candidates` when given. The back-test (run/backtest.h) fits it once per
// cut-off, so a fold's model is the one `train` would fit as of that date.
model::ModelBundle fit_bundle(const Config& config, const table::BuildResult& built,
                              const model::TimeSplit& split, int threads, Progress* progress,
                              std::vector<model::ModelBundle>* candidates = nullptr);

// The baseline every evaluation is set against: for each of rows, its campaign's
// qualification rate among the train rows (a campaign unseen there: the overall rate).
std::vector<double> campaign_rate_baseline(const table::LeadTable& t,
                                           const std::vector<int64_t>& train,
                                           const std::vector<int64_t>& rows);

}  // namespace elv::run
