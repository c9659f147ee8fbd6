// A reason for every score (model/explain.h): contributions plus the base value are the
// model's raw margin for both kinds, the top reason of a lead that differs in one feature
// names that feature, and an older model.json without feature_medians still explains.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bundle_test_util.h"
#include "model/explain.h"
#include "scoring/reasons.h"

namespace elv::model {
namespace {

using testing::fit;
using testing::make_table;

double logit(double p) { return std::log(p / (1 - p)); }

TEST(Explain, LogregContributionsPlusBaseAreTheRawMargin) {
  const table::LeadTable t = make_table();
  const ModelBundle b = fit(t, "logreg");
  const ContributionMatrix c = contributions(b, t);
  const std::vector<double> raw = b.predict_raw(t);
  ASSERT_EQ(c.rows, t.n);
  ASSERT_EQ(c.names, (std::vector<std::string>{"spend_sum_7d", "placement_entropy_7d",
                                               "campaign_id", "adset_id"}));
  const auto& lr = *std::get<std::shared_ptr<const LogregModel>>(b.model);
  for (int64_t i = 0; i < t.n; ++i) {
    EXPECT_NEAR(c.margin(i), logit(raw[i]), 1e-6) << "row " << i;
    EXPECT_EQ(c.base[i], lr.intercept());
  }
  // The campaign block is one contribution: c1 and c2 are both seen in training, so some
  // lead's campaign term is not zero.
  double campaign_abs = 0;
  for (int64_t i = 0; i < t.n; ++i) campaign_abs += std::abs(c.at(i, 2));
  EXPECT_GT(campaign_abs, 0);
}

TEST(Explain, GbdtShapValuesPlusBiasAreTheRawMarginBaseScoreIncluded) {
  const table::LeadTable t = make_table();
  const ModelBundle b = fit(t, "gbdt");
  const ContributionMatrix c = contributions(b, t);
  const auto& gb = *std::get<std::shared_ptr<const GbdtModel>>(b.model);
  const std::vector<double> margin = gb.predict_margin(feature_matrix(t, b.features));
  const std::vector<double> raw = b.predict_raw(t);
  ASSERT_EQ(c.names, b.features);
  for (int64_t i = 0; i < t.n; ++i) {
    // XGBoost works in float: its SHAP values and its margin agree to float precision.
    EXPECT_NEAR(c.margin(i), margin[i], 1e-6 * std::max(1.0, std::abs(margin[i]))) << i;
    EXPECT_NEAR(c.margin(i), logit(raw[i]), 1e-5) << i;
  }
  // The bias is the same for every row and holds the base score (log-odds of the training
  // positive rate, about 0 here) plus the trees' expected output.
  for (int64_t i = 1; i < t.n; ++i) EXPECT_EQ(c.base[i], c.base[0]);
}

// Scores and reasons are worked in blocks of rows on several threads (issue 19): the answer
// must be the one thread's, to the last bit, across more blocks than threads.
TEST(Explain, ScoresAndReasonsDoNotDependOnTheThreadCount) {
  const ModelBundle b = fit(make_table(), "logreg");
  const table::LeadTable t = make_table(140000);  // three blocks of scoring, nine of reasons
  const std::vector<double> one = b.predict(t, nullptr, 1);
  for (int threads : {2, 3}) {
    const std::vector<double> many = b.predict(t, nullptr, threads);
    ASSERT_EQ(many.size(), one.size());
    EXPECT_EQ(std::memcmp(many.data(), one.data(), one.size() * sizeof(double)), 0) << threads;
  }
  const scoring::TopContributions alone = top_contributions(b, t, nullptr, 1);
  const scoring::TopContributions shared = top_contributions(b, t, nullptr, 3);
  ASSERT_EQ(shared.slots.size(), alone.slots.size());
  for (size_t k = 0; k < alone.slots.size(); ++k) {
    ASSERT_EQ(shared.slots[k].column, alone.slots[k].column) << k;
    ASSERT_EQ(shared.slots[k].value, alone.slots[k].value) << k;
  }
  EXPECT_EQ(shared.mean_abs, alone.mean_abs);  // summed row after row either way
  // Rows picked out of order are explained as the rows they are.
  const std::vector<int64_t> rows = {139999, 5, 70000};
  const scoring::TopContributions picked = top_contributions(b, t, &rows, 2);
  for (size_t i = 0; i < rows.size(); ++i)
    for (int s = 0; s < 2 * scoring::kReasonsPerSide; ++s) {
      const size_t k = static_cast<size_t>(rows[i]) * 2 * scoring::kReasonsPerSide + s;
      EXPECT_EQ(picked.row(static_cast<int64_t>(i))[s].column, alone.slots[k].column);
      EXPECT_EQ(picked.row(static_cast<int64_t>(i))[s].value, alone.slots[k].value);
    }
}

// A lead like the typical training lead in every feature but spend_sum_7d (the feature the
// label follows): its top reason names spend, up for high spend, down for low.
table::LeadTable with_probe_leads(double typical_entropy) {
  table::LeadTable t = make_table();
  auto& leads = t.dicts->for_column("lead_id");
  auto& campaigns = t.dicts->for_column("campaign_id");
  auto& adsets = t.dicts->for_column("adset_id");
  for (double spend : {9.9, 0.1}) {
    t.lead_id.push_back(leads.intern("probe" + std::to_string(t.n)));
    t.campaign_id.push_back(campaigns.intern("unseen"));  // no campaign term
    t.adset_id.push_back(adsets.intern("unseen"));
    t.features[0].push_back(spend);
    t.features[1].push_back(typical_entropy);
    t.label_status.push_back(table::LabelStatus::Unknown);
    ++t.n;
  }
  return t;
}

void expect_spend_is_the_top_reason(const std::string& kind) {
  const table::LeadTable train = make_table();
  ModelBundle b = fit(train, kind);
  b.feature_medians = column_medians(feature_matrix(train, b.features));
  const std::vector<double> ref = reference_values(b);
  const table::LeadTable t = with_probe_leads(ref[1]);
  const std::vector<int64_t> probes = {t.n - 2, t.n - 1};
  const scoring::TopContributions top = top_contributions(b, t, &probes);
  ASSERT_EQ(top.rows, 2);
  const scoring::Contribution* high = top.row(0);
  EXPECT_EQ(top.names[high[0].column], "spend_sum_7d") << kind;
  EXPECT_GT(high[0].value, 0) << kind;
  const scoring::Contribution* low = top.row(1);
  EXPECT_EQ(top.names[low[scoring::kReasonsPerSide].column], "spend_sum_7d") << kind;
  EXPECT_LT(low[scoring::kReasonsPerSide].value, 0) << kind;
  EXPECT_EQ(
      scoring::reasons_text(top, 0, t, t.n - 2).rfind("ad spend over the last 7 days high (+", 0),
      0u)
      << scoring::reasons_text(top, 0, t, t.n - 2);
  EXPECT_NE(scoring::reasons_text(top, 1, t, t.n - 1).find("ad spend over the last 7 days low (-"),
            std::string::npos)
      << scoring::reasons_text(top, 1, t, t.n - 1);
}

TEST(Explain, TopReasonOfALeadThatDiffersInOneFeatureNamesItLogreg) {
  expect_spend_is_the_top_reason("logreg");
}

TEST(Explain, TopReasonOfALeadThatDiffersInOneFeatureNamesItGbdt) {
  expect_spend_is_the_top_reason("gbdt");
}

TEST(Explain, LogregMissingValueContributesAsTheTrainingMedian) {
  const table::LeadTable t = make_table();
  const ModelBundle b = fit(t, "logreg");
  const auto& lr = *std::get<std::shared_ptr<const LogregModel>>(b.model);
  const LogregPreprocess& pre = lr.preprocess();
  const ContributionMatrix c = contributions(b, t);
  const double expected = lr.coefficients()[1] * (pre.medians[1] - pre.means[1]) / pre.stds[1];
  ASSERT_TRUE(std::isnan(t.features[1][0]));  // row 0: i % 7 == 0 has a gap
  EXPECT_DOUBLE_EQ(c.at(0, 1), expected);
  EXPECT_NE(expected, 0.0);
}

TEST(Explain, OlderModelJsonWithoutMediansStillScoresAndExplains) {
  const table::LeadTable t = make_table();
  ModelBundle b = fit(t, "gbdt");
  b.feature_medians = column_medians(feature_matrix(t, b.features));
  nlohmann::json j = to_json(b);
  ASSERT_TRUE(j.contains("feature_medians"));
  const ModelBundle round_trip = parse_bundle(j.dump(), "model.json");
  EXPECT_EQ(round_trip.feature_medians, b.feature_medians);
  j.erase("feature_medians");
  const ModelBundle old = parse_bundle(j.dump(), "old model.json");
  EXPECT_TRUE(old.feature_medians.empty());
  EXPECT_EQ(old.predict(t), b.predict(t));
  const scoring::TopContributions top = top_contributions(old, t);
  for (double r : top.reference) EXPECT_TRUE(std::isnan(r));
  const std::string text = scoring::reasons_text(top, 0, t, 0);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.find(" high ("), std::string::npos) << text;
  EXPECT_EQ(text.find(" low ("), std::string::npos) << text;
}

TEST(Explain, DamagedMediansAreAClearError) {
  const table::LeadTable t = make_table();
  ModelBundle b = fit(t, "logreg");
  b.feature_medians = {1.0};  // one entry for two features
  EXPECT_THROW(parse_bundle(to_json(b).dump(), "model.json"), Error);
}

TEST(Explain, ColumnMediansIgnoreMissingValues) {
  FeatureMatrix X;
  X.rows = 5;
  X.names = {"a", "b"};
  X.columns = {{3, NAN, 1, 2, NAN}, {NAN, NAN, NAN, NAN, NAN}};
  const std::vector<double> m = column_medians(X);
  EXPECT_EQ(m[0], 2.0);
  EXPECT_TRUE(std::isnan(m[1]));
}

TEST(Explain, MeanAbsoluteContributionIsTheGlobalPicture) {
  const table::LeadTable t = make_table();
  const ModelBundle b = fit(t, "logreg");
  const ContributionMatrix c = contributions(b, t);
  const scoring::TopContributions top = top_contributions(b, t);
  for (size_t k = 0; k < c.names.size(); ++k) {
    double sum = 0;
    for (int64_t i = 0; i < c.rows; ++i) sum += std::abs(c.at(i, k));
    EXPECT_NEAR(top.mean_abs[k], sum / static_cast<double>(c.rows), 1e-12);
  }
  const auto drivers = scoring::top_drivers(top);
  ASSERT_FALSE(drivers.empty());
  EXPECT_EQ(drivers[0].feature, "spend_sum_7d");  // the label follows it
  EXPECT_EQ(drivers[0].label, "ad spend over the last 7 days");
}

}  // namespace
}  // namespace elv::model
