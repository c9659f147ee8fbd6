// The back-test's verdict rule (report/backtest_verdict.h) and its section of report.html,
// rendered from a hand-written back-test run folder: the verdict, the chart, the folds' table,
// the navigation link, and the web app's "model" fragment.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <libxml/parser.h>

#include "report/backtest_verdict.h"
#include "report/html.h"
#include "report/svg.h"

namespace elv::report {
namespace {

namespace fs = std::filesystem;

TEST(BacktestVerdict, StandardErrorIsHanleyMcNeil) {
  EXPECT_NEAR(auc_standard_error(0.75, 50, 50), 0.048836, 1e-6);
  EXPECT_TRUE(std::isnan(auc_standard_error(0.75, 0, 50)));
  EXPECT_TRUE(std::isnan(auc_standard_error(NAN, 10, 50)));
}

TEST(BacktestVerdict, FewerThanTwoFoldsSayNothingAboutStability) {
  const StabilityVerdict v = stability_verdict({{1, 0.70, 0.60, 300, 700}}, 3);
  EXPECT_EQ(v.level, Stability::kNotEnoughFolds);
  EXPECT_EQ(v.text,
            "Not enough folds: 1 of 4 folds could run; stability needs at least 2. 3 folds could "
            "not run (see the table).");
}

TEST(BacktestVerdict, StableWhenTheSpreadIsSmallAndTheBaselineAlwaysBeaten) {
  const StabilityVerdict v = stability_verdict(
      {{1, 0.68, 0.60, 300, 700}, {2, 0.71, 0.62, 300, 700}, {3, 0.70, 0.61, 300, 700}}, 0);
  EXPECT_EQ(v.level, Stability::kStable);
  EXPECT_EQ(v.text,
            "Stable: ROC-AUC 0.68\xE2\x80\x93"
            "0.71 over 3 folds, always above the "
            "campaign-rate baseline.");
  // Exactly at the limit is still stable.
  EXPECT_EQ(stability_verdict({{1, 0.65, 0.5, 300, 700}, {2, 0.70, 0.5, 300, 700}}, 0).level,
            Stability::kStable);
}

TEST(BacktestVerdict, UnstableWhenAFoldIsNotAboveTheBaseline) {
  const StabilityVerdict v = stability_verdict(
      {{1, 0.70, 0.60, 300, 700}, {2, 0.69, 0.69, 300, 700}, {3, 0.70, 0.72, 300, 700}}, 1);
  EXPECT_EQ(v.level, Stability::kUnstable);
  EXPECT_NE(v.text.find("at or below the campaign-rate baseline in folds 2, 3"), std::string::npos)
      << v.text;
  EXPECT_NE(v.text.find("1 fold could not run"), std::string::npos) << v.text;
}

TEST(BacktestVerdict, ALargeSpreadIsUnstableOnLargeFoldsAndInconclusiveOnSmallOnes) {
  // 0.62 to 0.70: two standard errors of the difference are 0.055 with 1,000 leads per fold
  // (a real change) and 0.17 with 100 (chance could do it).
  const StabilityVerdict large =
      stability_verdict({{1, 0.70, 0.55, 300, 700}, {2, 0.62, 0.55, 300, 700}}, 0);
  EXPECT_EQ(large.level, Stability::kUnstable);
  EXPECT_NE(large.text.find("a spread of 0.08, more than 0.05"), std::string::npos) << large.text;
  const StabilityVerdict small =
      stability_verdict({{1, 0.70, 0.55, 30, 70}, {2, 0.62, 0.55, 30, 70}}, 0);
  EXPECT_EQ(small.level, Stability::kInconclusive);
  EXPECT_NE(small.text.find("two standard errors: 0.17"), std::string::npos) << small.text;
  EXPECT_STREQ(stability_name(Stability::kInconclusive), "inconclusive");
}

TEST(BacktestVerdict, PoorCalibrationIsNamedWhateverTheRanking) {
  const StabilityVerdict v = stability_verdict(
      {{1, 0.63, 0.60, 1269, 1531, 0.445}, {2, 0.68, 0.60, 1239, 1561, 0.021}}, 0);
  EXPECT_EQ(v.level, Stability::kStable);  // the verdict is on the ranking: a spread of 0.05
  EXPECT_EQ(v.text.rfind("Stable: ROC-AUC 0.63", 0), 0u) << v.text;
  EXPECT_NE(v.text.find("Calibration was poor in fold 1 (ECE 0.45): there the probabilities "
                        "were far from the observed rates"),
            std::string::npos)
      << v.text;
  EXPECT_EQ(v.text.find("fold 2 (ECE"), std::string::npos) << v.text;
  const StabilityVerdict calibrated =
      stability_verdict({{1, 0.66, 0.60, 1269, 1531, 0.02}, {2, 0.68, 0.60, 1239, 1561, 0.021}}, 0);
  EXPECT_EQ(calibrated.level, Stability::kStable);
  EXPECT_EQ(calibrated.text.find("Calibration"), std::string::npos) << calibrated.text;
}

TEST(PerFoldChart, DrawsAPointPerFoldThatRanAndIsWellFormed) {
  const std::string svg =
      svg::per_fold_chart({"01-05", "01-19", "02-02"},
                          {{"model", "#1d4ed8", {{0, 0.7}, {1, NAN}, {2, 0.72}}},
                           {"baseline", "#d97706", {{0, 0.6}, {1, NAN}, {2, 0.61}}}},
                          0.4, 0.9, "ROC-AUC <per> fold", "x", "y");
  size_t circles = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1))
    ++circles;
  EXPECT_EQ(circles, 4u);  // the skipped fold has no dot
  EXPECT_NE(svg.find("ROC-AUC &lt;per&gt; fold"), std::string::npos);
  EXPECT_NE(svg.find("0.5: a random ranking"), std::string::npos);
  EXPECT_NE(svg.find(">02-02<"), std::string::npos);
  xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "chart.svg", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  EXPECT_NE(doc, nullptr) << svg;
  if (doc) xmlFreeDoc(doc);
}

class BacktestSectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("elv_bt_report_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "metadata.json") << R"({"run_id": "bt1", "run_kind": "backtest",
      "created_at_utc": "2026-04-01T00:00:00Z", "table": {"rows": 9000},
      "model": {"model_type": "logreg", "model_type_requested": "logreg"},
      "backtest": {"folds": 3, "folds_run": 2, "step_days": 14, "label_window_days": 14,
                   "final_date": "2026-03-31", "topk_frac": 0.1}})";
    std::ofstream(dir_ / "backtest.csv")
        << "fold,cutoff_date,test_start_date,test_end_date,status,reason,model_type,n_train,"
           "n_calib,n_test_leads,n_test,positives,roc_auc,pr_auc,brier,ece,lift_at_k,"
           "baseline_roc_auc\n"
           "1,2026-01-18,2026-01-19,2026-02-01,skipped,\"as of the cut-off, only 0 leads <b>\","
           ",,,1500,1500,300,,,,,,\n"
           "2,2026-02-01,2026-02-02,2026-02-15,ok,,logreg,2000,400,1510,1510,310,0.701,0.41,"
           "0.15,0.02,2.1,0.611\n"
           "3,2026-02-15,2026-02-16,2026-03-01,ok,,logreg,2700,570,1490,1490,290,0.689,0.40,"
           "0.16,0.03,2.0,0.605\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BacktestSectionTest, ShowsTheVerdictTheChartAndTheFolds) {
  const std::string page = render_report(dir_.string());
  const size_t at = page.find("<section id=\"backtest\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = page.substr(at, page.find("</section>", at) - at);
  EXPECT_NE(section.find("data-verdict=\"stable\""), std::string::npos);
  EXPECT_NE(section.find("Stable: ROC-AUC 0.69\xE2\x80\x93"
                         "0.70 over 2 folds"),
            std::string::npos);
  EXPECT_NE(section.find("1 fold could not run"), std::string::npos);
  EXPECT_NE(section.find("<svg"), std::string::npos);
  EXPECT_NE(section.find("skipped: as of the cut-off, only 0 leads &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(section.find("<b>"), std::string::npos);
  EXPECT_NE(section.find("1,510 of 1,510"), std::string::npos);
  EXPECT_NE(section.find("lift @ 10.0"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"#backtest\">Backtest</a>"), std::string::npos);
  EXPECT_EQ(run_kind(dir_.string()), "backtest");
  // No sections of other kinds pretend to be there: quality and drift say where to look.
  EXPECT_NE(page.find("how each did is in the Backtest section"), std::string::npos);
  EXPECT_NE(page.find("a back-test keeps no model"), std::string::npos);
  EXPECT_EQ(page.find("backtest.csv</code> is missing"), std::string::npos);
  // The whole page is well-formed XML.
  xmlDocPtr doc = xmlReadMemory(page.data(), static_cast<int>(page.size()), "report.html", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  EXPECT_NE(doc, nullptr);
  if (doc) xmlFreeDoc(doc);
  // The web app's Model tab of a back-test shows the same section.
  const std::string model_tab = render_section(dir_.string(), "model");
  EXPECT_NE(model_tab.find("<section id=\"backtest\">"), std::string::npos);
  EXPECT_NE(model_tab.find("data-verdict=\"stable\""), std::string::npos);
}

TEST_F(BacktestSectionTest, AMissingBacktestCsvIsSaidNotHidden) {
  fs::remove(dir_ / "backtest.csv");
  const std::string page = render_report(dir_.string());
  EXPECT_NE(page.find("<section id=\"backtest\">"), std::string::npos);
  EXPECT_NE(page.find("the back-test&#39;s folds cannot be shown"), std::string::npos) << page;
  EXPECT_NE(page.find("<code>backtest.csv</code> is missing"), std::string::npos);
}

TEST_F(BacktestSectionTest, OtherRunsHaveNoBacktestSection) {
  fs::remove(dir_ / "backtest.csv");
  std::ofstream(dir_ / "metadata.json") << R"({"run_id": "t1", "run_kind": "train"})";
  const std::string page = render_report(dir_.string());
  EXPECT_EQ(page.find("id=\"backtest\""), std::string::npos);
  EXPECT_EQ(page.find("#backtest"), std::string::npos);
}

}  // namespace
}  // namespace elv::report
