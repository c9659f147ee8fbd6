#include "report/run_kind.h"

namespace elv::report {
namespace {

constexpr RunKind kAllKinds[] = {RunKind::kBuildTable, RunKind::kTrain, RunKind::kScore,
                                 RunKind::kBatchScore, RunKind::kDemo,  RunKind::kCreativeAnalyze,
                                 RunKind::kBacktest};

}  // namespace

const char* run_kind_name(RunKind kind) {
  switch (kind) {
    case RunKind::kBuildTable:
      return "build-table";
    case RunKind::kTrain:
      return "train";
    case RunKind::kScore:
      return "score";
    case RunKind::kBatchScore:
      return "batch-score";
    case RunKind::kDemo:
      return "demo";
    case RunKind::kCreativeAnalyze:
      return "creative-analyze";
    case RunKind::kBacktest:
      return "backtest";
  }
  return "unknown";
}

std::optional<RunKind> run_kind_from_name(std::string_view name) {
  for (const RunKind kind : kAllKinds)
    if (name == run_kind_name(kind)) return kind;
  return std::nullopt;
}

}  // namespace elv::report
