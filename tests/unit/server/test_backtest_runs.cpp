// A back-test's run folder in the web app's run browser (server/runs.h): listed with its kind
// and a name that says what it did, its files and no predictions, next to a train run.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/runs.h"

namespace elv::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(BacktestRuns, ListedWithTheirKindBesideOtherRuns) {
  const fs::path root =
      fs::path(::testing::TempDir()) / ("elv_bt_runs_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "20260401T000000Z-aaaaaa");
  fs::create_directories(root / "20260401T000100Z-bbbbbb");
  std::ofstream(root / "20260401T000000Z-aaaaaa" / "metadata.json")
      << R"({"run_kind": "train", "created_at_utc": "2026-04-01T00:00:00Z",
            "model": {"model_type": "logreg"}, "table": {"rows": 100}})";
  std::ofstream(root / "20260401T000100Z-bbbbbb" / "metadata.json")
      << R"({"run_kind": "backtest", "created_at_utc": "2026-04-01T00:01:00Z",
            "model": {"model_type": "gbdt"}, "table": {"rows": 9000},
            "backtest": {"folds": 4, "step_days": 14}})";
  std::ofstream(root / "20260401T000100Z-bbbbbb" / "backtest.csv") << "fold\n1\n";
  const json runs = list_runs(root.string());
  ASSERT_EQ(runs.size(), 2u);
  const json& bt = runs[0];  // newest first
  EXPECT_EQ(bt["id"], "20260401T000100Z-bbbbbb");
  EXPECT_EQ(bt["kind"], "backtest");
  EXPECT_EQ(bt["name"], "Back-tested, 9,000 leads");
  EXPECT_EQ(bt["model_type"], "gbdt");
  EXPECT_EQ(bt["has_predictions"], false);
  EXPECT_EQ(runs[1]["kind"], "train");
  const json details = run_details((root / "20260401T000100Z-bbbbbb").string());
  EXPECT_EQ(details["kind"], "backtest");
  EXPECT_TRUE(details["metrics"].is_null());
  bool has_csv = false;
  for (const json& f : details["files"]) has_csv = has_csv || f["name"] == "backtest.csv";
  EXPECT_TRUE(has_csv);
  fs::remove_all(root);
}

}  // namespace
}  // namespace elv::server
