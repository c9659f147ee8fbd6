// elv backtest (run/backtest.h): the cut-off rule, that no fold sees an outcome dated after
// its cut-off (the fold's labels checked against a table built directly as of that date),
// that the folds' counts add up, that a one-fold back-test measures exactly the model
// `train` fits with the same as_of_date, and that folds too small are skipped with a reason.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/calendar.h"
#include "base/error.h"
#include "contracts/frame.h"
#include "demo/generator.h"
#include "io/parse.h"
#include "model/bundle.h"
#include "model/metrics.h"
#include "run/backtest.h"
#include "run/pipelines.h"
#include "table/build.h"
#include "table/labels.h"

namespace elv::run {
namespace {

namespace fs = std::filesystem;
using table::LabelStatus;

// One synthetic account for the whole suite (generated once: ~8,000 leads over 60 days).
class BacktestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::path(::testing::TempDir()) /
                        ("elv_backtest_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    demo::DemoDataSpec spec;
    spec.seed = 11;
    spec.days = 60;
    spec.end_date = "2026-03-31";
    spec.leads_per_day = 130;
    spec.enrichments = false;
    spec.threads = 1;
    demo::generate_demo_data((*dir_ / "data").string(), spec);
    config_ = new Config();
    config_->paths.ads_path = (*dir_ / "data" / "ads.csv").string();
    config_->paths.leads_path = (*dir_ / "data" / "leads.csv").string();
    config_->paths.outcomes_path = (*dir_ / "data" / "outcomes.csv").string();
    config_->model.model_type = "logreg";
    // The one feature family that reads outcomes: each cut-off must compute it again.
    config_->features.outcome_history = true;
    built_ = new table::BuildResult(build(*config_));
  }
  static void TearDownTestSuite() {
    delete built_;
    delete config_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  static table::BuildResult build(const Config& config) {
    table::BuildOptions o;
    o.threads = 1;
    return table::build_table(config, o);
  }
  static int32_t final_date() { return built_->info.labels.as_of_date; }

  static fs::path* dir_;
  static Config* config_;
  static table::BuildResult* built_;
};

// Equal column by column, a null (NaN) equal to a null.
bool same_features(const std::vector<table::FeatureColumn>& a,
                   const std::vector<table::FeatureColumn>& b) {
  if (a.size() != b.size()) return false;
  for (size_t f = 0; f < a.size(); ++f) {
    if (a[f].size() != b[f].size()) return false;
    for (size_t i = 0; i < a[f].size(); ++i)
      if (!(a[f][i] == b[f][i] || (std::isnan(a[f][i]) && std::isnan(b[f][i])))) return false;
  }
  return true;
}

fs::path* BacktestTest::dir_ = nullptr;
Config* BacktestTest::config_ = nullptr;
table::BuildResult* BacktestTest::built_ = nullptr;

TEST(BacktestCutoffs, LastFoldEndsBeforeTheFinalDatesLabelWindow) {
  // final 100, window 14, step 7: the last test period is days 79..85, and a lead of day 85
  // (created up to the end of it) is mature on day 100: 85 + 1 + 14 <= 100.
  EXPECT_EQ(backtest_cutoffs(100, 14, 3, 7), (std::vector<int32_t>{64, 71, 78}));
  EXPECT_EQ(backtest_cutoffs(100, 14, 1, 14), (std::vector<int32_t>{71}));
}

TEST_F(BacktestTest, NoFoldSeesAnOutcomeDatedAfterItsCutoff) {
  const std::vector<int32_t> cutoffs =
      backtest_cutoffs(final_date(), config_->label.label_window_days, 3, 7);
  table::BuildResult relabeled = build(*config_);
  int64_t hidden_somewhere = 0;
  for (const int32_t cutoff : cutoffs) {
    // The fold's table as a build with as_of_date = cut-off makes it, and as the back-test
    // makes it (one build, labeled again): the same labels, maturity and features.
    Config as_of = *config_;
    as_of.label.as_of_date = cutoff;
    const table::BuildResult direct = build(as_of);
    table::relabel_as_of(relabeled, cutoff, config_->label);
    const table::LeadTable& t = relabeled.table;
    ASSERT_EQ(t.n, direct.table.n);
    EXPECT_EQ(t.label_status, direct.table.label_status) << parse::format_date(cutoff);
    EXPECT_EQ(t.is_mature, direct.table.is_mature);
    EXPECT_TRUE(same_features(t.features, direct.table.features));
    EXPECT_EQ(relabeled.info.labels.positive, direct.info.labels.positive);
    EXPECT_EQ(relabeled.info.labels.as_of_date, cutoff);
    // No label of the fold rests on an outcome dated after the cut-off's day.
    const int64_t visible_until = (static_cast<int64_t>(cutoff) + 1) * kSecondsPerDay;
    int64_t labeled = 0;
    for (int64_t i = 0; i < t.n; ++i) {
      const int64_t q = relabeled.qualified_time[static_cast<size_t>(i)];
      if (t.label_status[i] == LabelStatus::Positive) {
        ASSERT_NE(q, contracts::kNullTime);
        EXPECT_LT(q, visible_until) << "row " << i;
      }
      if (t.label_status[i] != LabelStatus::Unknown) {
        ++labeled;
        EXPECT_LT(t.created_time[i], visible_until);  // no lead from after the cut-off
      }
      // Mature as of the cut-off: created a whole label window before it.
      if (t.is_mature[i]) {
        EXPECT_LE(
            t.created_time[i],
            (static_cast<int64_t>(cutoff) - config_->label.label_window_days) * kSecondsPerDay);
      }
      // A lead positive on the final date but qualified after the cut-off is not positive.
      if (built_->table.label_status[i] == LabelStatus::Positive && q >= visible_until) {
        EXPECT_NE(t.label_status[i], LabelStatus::Positive) << "row " << i;
        ++hidden_somewhere;
      }
    }
    EXPECT_GT(labeled, 0);
  }
  EXPECT_GT(hidden_somewhere, 0) << "the data should hold outcomes the early folds must not see";
}

TEST_F(BacktestTest, FoldCountsAddUpAndTheFinalLabelsComeBack) {
  table::BuildResult built = build(*config_);
  const auto status_before = built.table.label_status;
  const auto facts_before = built.info.labels.positive;
  const std::vector<BacktestFold> folds = evaluate_folds(*config_, built, 3, 7, 1, nullptr);
  ASSERT_EQ(folds.size(), 3u);
  EXPECT_EQ(built.table.label_status, status_before);
  EXPECT_EQ(built.info.labels.positive, facts_before);
  EXPECT_EQ(built.info.labels.as_of_date, final_date());
  int64_t leads_in_folds = 0, judged_in_folds = 0;
  for (size_t k = 0; k < folds.size(); ++k) {
    const BacktestFold& f = folds[k];
    EXPECT_TRUE(f.ran) << f.skipped_reason;
    EXPECT_EQ(f.number, static_cast<int>(k) + 1);
    EXPECT_EQ(f.test_start, f.cutoff + 1);
    EXPECT_EQ(f.test_end, f.cutoff + 7);
    if (k > 0) {
      EXPECT_EQ(f.test_start, folds[k - 1].test_end + 1);
    }
    EXPECT_EQ(f.n_test, static_cast<int64_t>(f.test_rows.size()));
    EXPECT_LE(f.n_test, f.n_test_leads);
    EXPECT_GT(f.positives, 0);
    EXPECT_LT(f.positives, f.n_test);
    EXPECT_GT(f.n_train, 0);
    EXPECT_GT(f.n_calib, 0);
    // Trained only on leads mature at the cut-off: fewer than there are at the final date.
    EXPECT_LT(f.n_train + f.n_calib, built.info.labels.positive + built.info.labels.negative);
    for (double v : {f.metrics.roc_auc, f.metrics.pr_auc, f.metrics.brier,
                     f.metrics.calibration.ece, f.baseline.roc_auc}) {
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
    }
    EXPECT_GT(f.metrics.roc_auc, 0.55) << "fold " << f.number;  // the demo's signal is real
    leads_in_folds += f.n_test_leads;
    judged_in_folds += f.n_test;
  }
  // Every lead created in the folds' periods is counted once, and judged when its final
  // label is known and mature.
  int64_t leads = 0, judged = 0;
  for (int64_t i = 0; i < built.table.n; ++i) {
    if (built.table.lead_date[i] < folds.front().test_start ||
        built.table.lead_date[i] > folds.back().test_end)
      continue;
    ++leads;
    judged += built.table.label_status[i] != LabelStatus::Unknown && built.table.is_mature[i];
  }
  EXPECT_EQ(leads_in_folds, leads);
  EXPECT_EQ(judged_in_folds, judged);
  EXPECT_EQ(judged, leads) << "the last fold's leads are all mature on the final date";
}

TEST_F(BacktestTest, OneFoldMeasuresTheModelTrainFitsWithTheSameAsOfDate) {
  table::BuildResult built = build(*config_);
  const std::vector<BacktestFold> folds = evaluate_folds(*config_, built, 1, 14, 1, nullptr);
  ASSERT_EQ(folds.size(), 1u);
  const BacktestFold& fold = folds[0];
  ASSERT_TRUE(fold.ran) << fold.skipped_reason;

  Config as_of = *config_;
  as_of.label.as_of_date = fold.cutoff;
  RunOptions ro;
  ro.out_dir = (*dir_ / "train_as_of").string();
  ro.threads = 1;
  const RunOutputs trained = train_run(as_of, ro);
  const model::ModelBundle bundle = model::load_bundle(trained.run_dir + "/model.json");
  std::vector<double> y;
  for (int64_t r : fold.test_rows)
    y.push_back(built.table.label_status[r] == LabelStatus::Positive ? 1.0 : 0.0);
  const model::CoreMetrics m =
      model::core_metrics(y, bundle.predict(built.table, &fold.test_rows),
                          config_->reporting.topk_frac, config_->reporting.ece_bins);
  EXPECT_DOUBLE_EQ(m.roc_auc, fold.metrics.roc_auc);
  EXPECT_DOUBLE_EQ(m.pr_auc, fold.metrics.pr_auc);
  EXPECT_NEAR(m.brier, fold.metrics.brier, 1e-12);
  EXPECT_NEAR(m.calibration.ece, fold.metrics.calibration.ece, 1e-12);
  EXPECT_DOUBLE_EQ(m.lift.lift, fold.metrics.lift.lift);
  std::ifstream in(trained.run_dir + "/metrics.json");
  const nlohmann::json metrics = nlohmann::json::parse(in);
  EXPECT_EQ(metrics["data"]["n_train"].get<int64_t>(), fold.n_train);
  EXPECT_EQ(metrics["data"]["n_calib"].get<int64_t>(), fold.n_calib);
  EXPECT_EQ(bundle.training["as_of_date"].get<std::string>(), parse::format_date(fold.cutoff));
}

TEST_F(BacktestTest, FoldsTooEarlyAreSkippedWithTheirReason) {
  table::BuildResult built = build(*config_);
  // 60 days of leads, window 14, step 14, 5 folds: cut-offs 85, 71, 57, 43 and 29 days before
  // the final date. Fold 1 tests days with no lead at all; folds 2 and 3 have nothing mature
  // to train on as of their cut-off (the first lead is 59 days before the final date).
  const std::vector<BacktestFold> folds = evaluate_folds(*config_, built, 5, 14, 1, nullptr);
  ASSERT_EQ(folds.size(), 5u);
  EXPECT_EQ(folds[0].cutoff, final_date() - 85);
  EXPECT_FALSE(folds[0].ran);
  EXPECT_EQ(folds[0].n_test_leads, 0);
  EXPECT_NE(folds[0].skipped_reason.find("only 0 of the test period's 0 leads"), std::string::npos)
      << folds[0].skipped_reason;
  for (int k : {1, 2}) {
    EXPECT_FALSE(folds[k].ran);
    EXPECT_GT(folds[k].n_test, 0);
    EXPECT_NE(folds[k].skipped_reason.find("as of the cut-off, only 0 leads"), std::string::npos)
        << folds[k].skipped_reason;
  }
  EXPECT_TRUE(folds[4].ran) << folds[4].skipped_reason;
  for (const BacktestFold& f : folds) EXPECT_EQ(f.ran, f.skipped_reason.empty());
  // Not one fold can run: a clear error naming each fold's reason.
  try {
    evaluate_folds(*config_, built, 1, 60, 1, nullptr);
    ADD_FAILURE() << "expected elv::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no fold of the back-test could run"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("fold 1 (cut-off"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace elv::run
