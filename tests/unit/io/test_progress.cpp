// Progress: what a listener (the web app's jobs) is told, and the stage-times line.
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "base/progress.h"

namespace elv {
namespace {

TEST(Progress, ListenerSeesStagesPercentStepsAndTheEnd) {
  Progress progress(/*quiet=*/true);
  std::vector<std::tuple<std::string, double, size_t>> calls;  // stage, fraction, stages done
  progress.set_listener(
      [&](const std::string& stage, double fraction, const Progress::StageTimes& done) {
        calls.emplace_back(stage, fraction, done.size());
      });
  progress.stage("read");
  progress.fraction(0.5);
  progress.fraction(0.504);  // the same percent: not repeated
  progress.fraction(2.0);    // clamped
  progress.stage("write");
  progress.finish();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[0], std::make_tuple(std::string("read"), 0.0, size_t{0}));
  EXPECT_EQ(calls[1], std::make_tuple(std::string("read"), 0.5, size_t{0}));
  EXPECT_EQ(calls[2], std::make_tuple(std::string("read"), 1.0, size_t{0}));
  EXPECT_EQ(calls[3], std::make_tuple(std::string("write"), 0.0, size_t{1}));
  EXPECT_EQ(calls[4], std::make_tuple(std::string(""), 1.0, size_t{2}));
  const std::string line = progress.summary();
  EXPECT_EQ(line.rfind("stages: read ", 0), 0u) << line;
  EXPECT_NE(line.find(" · write "), std::string::npos) << line;
  EXPECT_NE(line.find(" · total "), std::string::npos) << line;
}

TEST(Progress, FractionOutsideAStageIsIgnored) {
  Progress progress(true);
  int calls = 0;
  progress.set_listener([&](const std::string&, double, const Progress::StageTimes&) { ++calls; });
  progress.fraction(0.5);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace elv
