// gbdt on small data (docs/CONTRACT.md §5): the validation slice comes from the newest train
// rows only, early stopping stops before the cap where more rounds overfit, the tree size
// scales with the training rows, and all of it is deterministic for a seed.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/bundle.h"
#include "model/gbdt.h"
#include "model/gbdt_training.h"
#include "model/split.h"

namespace elv::model {
namespace {

using table::LabelStatus;

// n leads one minute apart: one weak signal feature (P(y=1) = logistic(a)) and five noise
// features, so a large learning rate with big trees overfits within a few dozen rounds.
table::LeadTable noisy_table(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto& dict = t.dicts->for_column("lead_id");
  t.feature_names = {"a", "n1", "n2", "n3", "n4", "n5"};
  t.features.assign(t.feature_names.size(), {});
  for (int i = 0; i < n; ++i) {
    t.lead_id.push_back(dict.intern("l" + std::to_string(100000 + i)));
    t.created_time.push_back(1'700'000'000 + 60 * i);
    t.is_mature.push_back(1);
    for (auto& col : t.features) col.push_back(normal(rng));
    const double a = t.features[0].back();
    t.label_status.push_back(coin(rng) < 1.0 / (1.0 + std::exp(-a)) ? LabelStatus::Positive
                                                                    : LabelStatus::Negative);
  }
  t.n = n;
  return t;
}

std::vector<int64_t> first_rows(int64_t n) {
  std::vector<int64_t> rows(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
  return rows;
}

GbdtSettings overfitting_settings() {
  GbdtSettings g;
  g.n_estimators = 300;
  g.learning_rate = 0.3;
  g.num_leaves = 31;
  g.min_child_samples = 0;
  g.early_stopping_rounds = 20;
  g.validation_frac = 0.2;
  g.scale_to_data = false;
  return g;
}

TEST(ValidationSlice, IsTheNewestTrainRowsOnly) {
  const auto t = noisy_table(1000, 1);
  const TimeSplit split = time_split(t, SplitsConfig{0.6, 0.2, 0.2});
  const ValidationSlice s = validation_slice(t, split.train, 0.2);
  ASSERT_EQ(split.train.size(), 600u);
  ASSERT_EQ(s.validation.size(), 120u);  // ⌈600 · 0.2⌉
  ASSERT_EQ(s.fit.size(), 480u);
  // fit followed by validation is train, in order: the slice is train's newest end.
  std::vector<int64_t> joined = s.fit;
  joined.insert(joined.end(), s.validation.begin(), s.validation.end());
  EXPECT_EQ(joined, split.train);
  EXPECT_EQ(s.validation.front(), split.train[480]);
  EXPECT_EQ(s.validation.back(), split.train.back());
  // Never a calib or test lead.
  for (int64_t r : s.validation) {
    EXPECT_EQ(std::count(split.calib.begin(), split.calib.end(), r), 0);
    EXPECT_EQ(std::count(split.test.begin(), split.test.end(), r), 0);
    EXPECT_LE(t.created_time[r], split.train_end_time);
  }
  EXPECT_GT(t.created_time[s.validation.front()], t.created_time[s.fit.back()]);
}

TEST(ValidationSlice, NoneWhenTrainCannotSpareOne) {
  const auto t = noisy_table(400, 2);
  // 200 rows · 0.2 = 40 < kMinValidationRows.
  const ValidationSlice small = validation_slice(t, first_rows(200), 0.2);
  EXPECT_TRUE(small.validation.empty());
  EXPECT_EQ(small.fit, first_rows(200));
  // 250 · 0.2 = 50: just enough.
  EXPECT_EQ(validation_slice(t, first_rows(250), 0.2).validation.size(), 50u);
  // A slice with one class only is no slice.
  auto one_class = noisy_table(400, 3);
  for (int64_t i = 300; i < 400; ++i) one_class.label_status[i] = LabelStatus::Negative;
  EXPECT_TRUE(validation_slice(one_class, first_rows(400), 0.2).validation.empty());
}

TEST(GbdtEarlyStopping, StopsBeforeTheCapWhereMoreRoundsOverfit) {
  const auto t = noisy_table(1500, 4);
  const auto rows = first_rows(1500);
  const ValidationSlice s = validation_slice(t, rows, 0.2);
  const GbdtParams params = translate_lgbm(overfitting_settings(), 7, 1);
  std::vector<double> seen;
  const RoundSearch r = search_gbdt_rounds(
      feature_matrix(t, t.feature_names, &s.fit), labels_of(t, s.fit),
      feature_matrix(t, t.feature_names, &s.validation), labels_of(t, s.validation), params, 20,
      [&](double done) { seen.push_back(done); });
  EXPECT_EQ(r.rounds_requested, 300);
  EXPECT_LT(r.rounds_run, 300);
  EXPECT_EQ(r.rounds_run - r.best_rounds, 20);  // stopped after 20 rounds without improvement
  EXPECT_GE(r.best_rounds, 1);
  EXPECT_LT(r.best_validation_log_loss, std::log(2.0));  // it learned something first
  // Progress went up to 1 although the search stopped early.
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(r.rounds_run) + 1);
}

TEST(GbdtEarlyStopping, TrainGbdtRefitsOnTheWholeTrainSplitWithTheBestRounds) {
  const auto t = noisy_table(1500, 5);
  const auto train = first_rows(1200);
  std::vector<double> seen;
  const GbdtTraining g = train_gbdt(t, t.feature_names, train, overfitting_settings(), 7, 1,
                                    [&](double done) { seen.push_back(done); });
  const auto& info = g.info;
  EXPECT_TRUE(info["early_stopping"].get<bool>());
  EXPECT_EQ(info["validation_rows"].get<int64_t>(), 240);
  EXPECT_EQ(info["fit_rows"].get<int64_t>(), 960);
  EXPECT_EQ(info["refit_rows"].get<int64_t>(), 1200);
  EXPECT_EQ(info["rounds_requested"].get<int>(), 300);
  const int best = info["best_rounds"].get<int>();
  EXPECT_LT(best, 300);
  EXPECT_EQ(info["rounds_used"].get<int>(), best);
  EXPECT_EQ(g.model.params().n_estimators, best);  // the refit's trees, as model.json records
  EXPECT_EQ(info["validation_start_time"].get<std::string>(), "2023-11-15T14:13:20+00:00");
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_GT(seen.front(), 0.0);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
}

TEST(GbdtEarlyStopping, SameSeedSameModel) {
  const auto t = noisy_table(1500, 6);
  const auto train = first_rows(1200);
  GbdtSettings g = overfitting_settings();
  g.subsample = 0.8;  // the seed matters
  const GbdtTraining a = train_gbdt(t, t.feature_names, train, g, 11, 1);
  const GbdtTraining b = train_gbdt(t, t.feature_names, train, g, 11, 1);
  EXPECT_EQ(a.info, b.info);
  EXPECT_EQ(a.model.to_json().dump(), b.model.to_json().dump());
}

TEST(GbdtEarlyStopping, OffMeansTheConfiguredRounds) {
  const auto t = noisy_table(600, 7);
  GbdtSettings g = overfitting_settings();
  g.n_estimators = 25;
  g.early_stopping_rounds = 0;
  const GbdtTraining off = train_gbdt(t, t.feature_names, first_rows(600), g, 7, 1);
  EXPECT_FALSE(off.info["early_stopping"].get<bool>());
  EXPECT_NE(off.info["early_stopping_note"].get<std::string>().find("early_stopping_rounds: 0"),
            std::string::npos);
  EXPECT_EQ(off.info["rounds_used"].get<int>(), 25);
  EXPECT_FALSE(off.info.contains("validation_rows"));
  // Too few rows for a slice: trained all the same, saying why.
  g.early_stopping_rounds = 10;
  const GbdtTraining tiny = train_gbdt(t, t.feature_names, first_rows(150), g, 7, 1);
  EXPECT_FALSE(tiny.info["early_stopping"].get<bool>());
  EXPECT_NE(tiny.info["early_stopping_note"].get<std::string>().find("too small"),
            std::string::npos);
  EXPECT_EQ(tiny.model.params().n_estimators, 25);
}

TEST(GbdtEarlyStopping, RejectsAPatienceBelowOne) {
  const auto t = noisy_table(300, 8);
  const auto rows = first_rows(300);
  const auto X = feature_matrix(t, t.feature_names, &rows);
  const auto y = labels_of(t, rows);
  EXPECT_THROW(search_gbdt_rounds(X, y, X, y, translate_lgbm(GbdtSettings{}, 7, 1), 0), Error);
}

TEST(GbdtScaleToData, FewerLeavesForFewRows) {
  GbdtParams p;
  p.max_leaves = 31;
  EXPECT_EQ(scale_to_data(p, 5400).max_leaves, 4);    // 5400 / 1500 = 3 -> at least 4
  EXPECT_EQ(scale_to_data(p, 9000).max_leaves, 6);    // 9000 / 1500
  EXPECT_EQ(scale_to_data(p, 72000).max_leaves, 31);  // the configured value caps it
  EXPECT_EQ(scale_to_data(p, 100).max_leaves, 4);
  p.max_leaves = 3;
  EXPECT_EQ(scale_to_data(p, 100000).max_leaves, 3);  // never more than configured
  // Only the tree size and the learning rate change.
  GbdtParams q;
  const GbdtParams s = scale_to_data(q, 5400);
  EXPECT_EQ(s.min_child_weight, q.min_child_weight);
  EXPECT_EQ(s.reg_lambda, q.reg_lambda);
  EXPECT_EQ(s.n_estimators, q.n_estimators);
}

TEST(GbdtScaleToData, SmallerStepsForFewRows) {
  GbdtParams p;
  p.learning_rate = 0.05;
  EXPECT_DOUBLE_EQ(scale_to_data(p, 5400).learning_rate, 0.05 * 0.4);    // 5400 / 13500
  EXPECT_DOUBLE_EQ(scale_to_data(p, 10125).learning_rate, 0.05 * 0.75);  // 10125 / 13500
  EXPECT_DOUBLE_EQ(scale_to_data(p, 100).learning_rate, 0.05 * 0.4);     // never below 0.4
  EXPECT_DOUBLE_EQ(scale_to_data(p, 13500).learning_rate, 0.05);
  EXPECT_DOUBLE_EQ(scale_to_data(p, 72000).learning_rate, 0.05);  // never above configured
}

TEST(GbdtScaleToData, RecordedNextToTheConfiguredValues) {
  const auto t = noisy_table(600, 9);
  GbdtSettings g = overfitting_settings();
  g.n_estimators = 10;
  g.scale_to_data = true;
  const GbdtTraining fitted = train_gbdt(t, t.feature_names, first_rows(600), g, 7, 1);
  EXPECT_EQ(fitted.info["regularisation"]["max_leaves"].get<int>(), 4);
  EXPECT_EQ(fitted.info["regularisation_configured"]["max_leaves"].get<int>(), 31);
  EXPECT_EQ(fitted.model.params().max_leaves, 4);
}

}  // namespace
}  // namespace elv::model
