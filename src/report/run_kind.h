// What made a run folder. The pipeline that writes a run records it in metadata.json as
// "run_kind"; the report and the web app's run list read it from there (never from the
// command line, whose words may be anything: a config file named train.yaml).
#pragma once
#include <optional>
#include <string_view>

namespace elv::report {

enum class RunKind { kBuildTable, kTrain, kScore, kBatchScore, kDemo, kCreativeAnalyze, kBacktest };

// "build-table", "train", "score", "batch-score", "demo", "creative-analyze", "backtest": the
// command's name.
const char* run_kind_name(RunKind kind);
// The kind of a recorded name; nullopt for any other text.
std::optional<RunKind> run_kind_from_name(std::string_view name);

}  // namespace elv::report
