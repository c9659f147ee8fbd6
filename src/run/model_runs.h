// The train and score steps, writing into a run folder the caller provides (so the demo
// can put its data in the same folder first).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/bundle.h"
#include "run/pipelines.h"
#include "run/run_folder.h"

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

}  // namespace elv::run
