// Run names (run/run_name.h): the default from what a run did, and the checks on a name
// a user gives.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "run/run_name.h"

namespace elv::run {
namespace {

using nlohmann::json;

json meta(const std::string& kind, int64_t rows) {
  return {{"run_kind", kind}, {"table", {{"rows", rows}, {"path", "table.csv.gz"}}}};
}

TEST(RunName, TheDefaultSaysWhatTheRunDidAndHowManyLeads) {
  json train = meta("train", 12000);
  train["model"] = {{"model_type", "logreg"}};
  EXPECT_EQ(default_run_name(train), "Trained, 12,000 leads");

  json score = meta("score", 5400);
  score["model"] = {{"model_type", "logreg"}};
  score["scoring"] = {{"batch", false}};
  EXPECT_EQ(default_run_name(score), "Scored, 5,400 leads");

  json demo = score;
  demo["run_kind"] = "demo";
  EXPECT_EQ(default_run_name(demo), "Demo, scored, 5,400 leads");
  json demo_trained = train;
  demo_trained["run_kind"] = "demo";
  demo_trained["table"]["rows"] = 1234567;
  EXPECT_EQ(default_run_name(demo_trained), "Demo, trained, 1,234,567 leads");

  json batch = meta("batch-score", 1);
  batch["model"] = json::object();
  batch["scoring"] = {{"batch", true}};
  EXPECT_EQ(default_run_name(batch), "Batch scored, 1 lead");
  EXPECT_EQ(default_run_name(meta("build-table", 999)), "Table built, 999 leads");
  EXPECT_EQ(default_run_name(json{{"run_kind", "creative-analyze"}}), "Creative analysis");
  EXPECT_EQ(default_run_name(json::object()), "Table built");
  EXPECT_EQ(default_run_name(nullptr), "Run");
}

TEST(RunName, ARecordedNameWinsOverTheDefault) {
  json m = meta("train", 10);
  m["model"] = json::object();
  EXPECT_EQ(run_name(m), "Trained, 10 leads");  // a run made before names were recorded
  m["name"] = "Spring campaigns";
  EXPECT_EQ(run_name(m), "Spring campaigns");
  m["name"] = "   ";
  EXPECT_EQ(run_name(m), "Trained, 10 leads");
}

TEST(RunName, AGivenNameIsTrimmedAndChecked) {
  EXPECT_EQ(checked_run_name("  Spring campaigns \t"), "Spring campaigns");
  EXPECT_EQ(checked_run_name("   "), "");
  EXPECT_EQ(checked_run_name("Frühling · Kampagnen"), "Frühling · Kampagnen");
  // 120 characters of two bytes each are fine; 121 are not.
  std::string accents;
  for (int i = 0; i < 120; ++i) accents += "é";
  EXPECT_EQ(checked_run_name(accents), accents);
  EXPECT_THROW(checked_run_name(accents + "é"), UsageError);
  EXPECT_THROW(checked_run_name("two\nlines"), UsageError);
  EXPECT_THROW(checked_run_name("bell\x07"), UsageError);
  EXPECT_THROW(checked_run_name("bad \xC3"), UsageError);
  try {
    checked_run_name(std::string(200, 'x'));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 120 characters"), std::string::npos);
  }
}

}  // namespace
}  // namespace elv::run
