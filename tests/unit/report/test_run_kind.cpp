// report/run_kind.h: every kind has a name that reads back as itself.
#include <string>

#include <gtest/gtest.h>

#include "report/run_kind.h"

namespace elv::report {
namespace {

TEST(RunKind, NamesReadBack) {
  for (const RunKind kind :
       {RunKind::kBuildTable, RunKind::kTrain, RunKind::kScore, RunKind::kBatchScore,
        RunKind::kDemo, RunKind::kCreativeAnalyze, RunKind::kBacktest})
    EXPECT_EQ(run_kind_from_name(run_kind_name(kind)), kind) << run_kind_name(kind);
  EXPECT_EQ(std::string(run_kind_name(RunKind::kBatchScore)), "batch-score");
  EXPECT_EQ(std::string(run_kind_name(RunKind::kCreativeAnalyze)), "creative-analyze");
  EXPECT_EQ(std::string(run_kind_name(RunKind::kBacktest)), "backtest");
  EXPECT_EQ(run_kind_from_name("Train"), std::nullopt);
  EXPECT_EQ(run_kind_from_name(""), std::nullopt);
}

}  // namespace
}  // namespace elv::report
