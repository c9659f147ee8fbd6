// Artifacts every run writes (docs/CONTRACT.md §7), shared by the pipelines.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "run/pipelines.h"
#include "run/run_folder.h"
#include "table/build.h"

namespace elv::run {

// The time a run records (created_at_utc), from elv::now_seconds: SOURCE_DATE_EPOCH when set.
std::string utc_now();

// table.csv.gz, data_profile.json/.md, config.yaml and metadata.json (with extra_metadata
// merged in at the top level). Returns the file names written.
std::vector<std::string> write_build_artifacts(
    const Config& config, const table::BuildResult& built, const RunFolder& run,
    const RunOptions& options, const nlohmann::json& extra_metadata = nlohmann::json::object());

// Runs options.before_commit, renames the run into place and lists its files by their
// final paths.
RunOutputs finish(RunFolder& run, std::vector<std::string> names, const RunOptions& options);

}  // namespace elv::run
