// model_type auto (docs/CONTRACT.md §5): both candidates recorded, the lower calib log loss
// (after a Platt fit) kept, a tie to the first.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/auto_select.h"
#include "model/calibration.h"
#include "model/metrics.h"

namespace elv::model {
namespace {

struct Calib {
  std::vector<double> y, informative, noise;
};

// Labels drawn from a known probability; `informative` scores with it, `noise` does not.
Calib calib_set(int n) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Calib c;
  for (int i = 0; i < n; ++i) {
    const double p = 0.1 + 0.8 * unit(rng);
    c.y.push_back(unit(rng) < p ? 1.0 : 0.0);
    c.informative.push_back(p);
    c.noise.push_back(0.1 + 0.8 * unit(rng));
  }
  return c;
}

TEST(AutoSelect, KeepsTheLowerCalibLogLossAndRecordsBoth) {
  const Calib c = calib_set(2000);
  for (const bool informative_first : {true, false}) {
    const std::vector<std::string> types = informative_first
                                               ? std::vector<std::string>{"logreg", "gbdt"}
                                               : std::vector<std::string>{"gbdt", "logreg"};
    const std::vector<std::vector<double>> raw =
        informative_first ? std::vector<std::vector<double>>{c.informative, c.noise}
                          : std::vector<std::vector<double>>{c.noise, c.informative};
    const AutoChoice choice = choose_by_calib_log_loss(types, raw, c.y);
    ASSERT_EQ(choice.candidates.size(), 2u);
    EXPECT_EQ(choice.chosen, informative_first ? 0u : 1u);
    EXPECT_EQ(choice.candidates[0].model_type, types[0]);
    EXPECT_EQ(choice.candidates[1].model_type, types[1]);
    EXPECT_LT(choice.candidates[choice.chosen].calib_log_loss,
              choice.candidates[1 - choice.chosen].calib_log_loss);
    // The criterion is the log loss after a Platt fit on the same rows; raw is recorded too.
    for (size_t i = 0; i < 2; ++i) {
      const Calibrator platt = Calibrator::fit_sigmoid(raw[i], c.y);
      EXPECT_DOUBLE_EQ(choice.candidates[i].calib_log_loss, log_loss(c.y, platt.apply(raw[i])));
      EXPECT_DOUBLE_EQ(choice.candidates[i].calib_log_loss_raw, log_loss(c.y, raw[i]));
    }
    const nlohmann::json j = to_json(choice);
    EXPECT_EQ(j["chosen"].get<std::string>(), types[informative_first ? 0 : 1]);
    ASSERT_EQ(j["candidates"].size(), 2u);
    EXPECT_EQ(j["candidates"][1]["model_type"].get<std::string>(), types[1]);
    EXPECT_DOUBLE_EQ(j["candidates"][1]["calib_log_loss"].get<double>(),
                     choice.candidates[1].calib_log_loss);
  }
}

TEST(AutoSelect, JudgesAfterCalibrationNotOnRawScores) {
  // `overconfident` ranks exactly as the true probability but with three times its
  // log-odds: a bad raw log loss, which the calibrator (Platt: a = 1/3) removes entirely.
  // `blurred` is calibrated-ish but ranks worse (half noise). On raw scores blurred would
  // win; after calibration, which is what the kept model delivers, overconfident is better.
  const Calib c = calib_set(2000);
  std::vector<double> overconfident, blurred;
  for (size_t i = 0; i < c.y.size(); ++i) {
    const double p = c.informative[i];
    overconfident.push_back(1.0 / (1.0 + std::pow((1 - p) / p, 3.0)));
    blurred.push_back(0.5 * (p + c.noise[i]));
  }
  const AutoChoice choice =
      choose_by_calib_log_loss({"blurred", "overconfident"}, {blurred, overconfident}, c.y);
  EXPECT_GT(choice.candidates[1].calib_log_loss_raw, choice.candidates[0].calib_log_loss_raw);
  EXPECT_EQ(choice.chosen, 1u);
}

TEST(AutoSelect, ATieKeepsTheFirst) {
  const Calib c = calib_set(500);
  const AutoChoice choice =
      choose_by_calib_log_loss({"logreg", "gbdt"}, {c.informative, c.informative}, c.y);
  EXPECT_EQ(choice.chosen, 0u);
}

TEST(AutoSelect, RejectsMismatchedInput) {
  const Calib c = calib_set(100);
  EXPECT_THROW(choose_by_calib_log_loss({}, {}, c.y), Error);
  EXPECT_THROW(choose_by_calib_log_loss({"logreg"}, {c.informative, c.noise}, c.y), Error);
  EXPECT_THROW(choose_by_calib_log_loss({"logreg"}, {std::vector<double>(99, 0.5)}, c.y), Error);
}

}  // namespace
}  // namespace elv::model
