// The fit reads the train split from the lead table's narrowed columns in place, where it used
// to fit a copy of them in doubles (issue 19, item 2: the copy and the doubles were 3.8 GB of
// train's 6.0 GB at 4.4 M leads). The stated tolerance against the old path is zero: the same
// doubles reach the same arithmetic in the same order, so the model and every probability
// must be bit-identical to a fit on the double copy, as the old code fitted.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "model/bundle.h"
#include "model/explain.h"
#include "model/split.h"

namespace elv::model {
namespace {

// 3,000 leads with one column of each storage: a flag (byte), a count with gaps (float) and
// a ratio (double); the label depends on all three; three campaigns, five ad sets.
table::LeadTable mixed_table() {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto& leads = t.dicts->for_column("lead_id");
  auto& campaigns = t.dicts->for_column("campaign_id");
  auto& adsets = t.dicts->for_column("adset_id");
  t.feature_names = {"lead_office_hours", "clicks_sum_7d", "ctr_7d"};
  t.features.assign(3, table::FeatureColumn{});
  uint64_t state = 2026;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < 3000; ++i) {
    const double flag = uniform() < 0.4 ? 1 : 0;
    const double clicks = i % 11 == 0 ? NAN : std::floor(uniform() * 500);
    const double ctr = uniform() * 0.07;
    t.lead_id.push_back(leads.intern("lead" + std::to_string(i)));
    t.campaign_id.push_back(campaigns.intern("c" + std::to_string(i % 3)));
    t.adset_id.push_back(adsets.intern("s" + std::to_string(i % 5)));
    t.features[0].push_back(flag);
    t.features[1].push_back(clicks);
    t.features[2].push_back(ctr);
    const double z = -1.5 + flag + (std::isnan(clicks) ? 0 : clicks / 250) + ctr * 20;
    t.label_status.push_back(uniform() < 1 / (1 + std::exp(-z)) ? table::LabelStatus::Positive
                                                                : table::LabelStatus::Negative);
  }
  t.n = 3000;
  t.narrow_features();
  return t;
}

std::vector<int64_t> every_other_row(int64_t n) {
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < n; i += 2) rows.push_back(i);
  return rows;
}

TEST(FeatureView, TheTableKeepsEachColumnInItsNarrowestExactType) {
  const table::LeadTable t = mixed_table();
  using Storage = table::FeatureColumn::Storage;
  EXPECT_EQ(t.features[0].storage(), Storage::Int8);
  EXPECT_EQ(t.features[1].storage(), Storage::Float);
  EXPECT_EQ(t.features[2].storage(), Storage::Double);
}

TEST(FeatureView, LogregFittedOnTheViewEqualsTheFitOnADoubleCopy) {
  const table::LeadTable t = mixed_table();
  const std::vector<int64_t> train = every_other_row(t.n);
  const FeatureMatrix view = feature_view(t, t.feature_names, &train);
  const FeatureMatrix copy = feature_matrix(t, t.feature_names, &train);
  ASSERT_TRUE(view.is_view());
  ASSERT_FALSE(copy.is_view());
  const auto campaign = id_strings(t, "campaign_id", &train);
  const auto adset = id_strings(t, "adset_id", &train);
  const std::vector<double> y = labels_of(t, train);
  for (int threads : {1, 2}) {
    const LogregModel a = LogregModel::fit(view, campaign, adset, y, LogregParams{}, threads);
    const LogregModel b = LogregModel::fit(copy, campaign, adset, y, LogregParams{}, threads);
    EXPECT_EQ(a.to_json().dump(), b.to_json().dump()) << threads << " threads";
    // Every lead's probability, through the bundle's block-wise scoring of the table.
    ModelBundle from_view, from_copy;
    from_view.features = from_copy.features = t.feature_names;
    from_view.model = std::make_shared<const LogregModel>(a);
    from_copy.model = std::make_shared<const LogregModel>(b);
    const std::vector<double> pa = from_view.predict_raw(t), pb = from_copy.predict_raw(t);
    ASSERT_EQ(pa.size(), static_cast<size_t>(t.n));
    for (size_t i = 0; i < pa.size(); ++i) ASSERT_EQ(pa[i], pb[i]) << "lead " << i;
  }
}

TEST(FeatureView, MediansAndGbdtInputAreTheSameFromTheView) {
  const table::LeadTable t = mixed_table();
  const std::vector<int64_t> train = every_other_row(t.n);
  const std::vector<double> a = column_medians(feature_view(t, t.feature_names, &train));
  const std::vector<double> b = column_medians(feature_matrix(t, t.feature_names, &train));
  EXPECT_EQ(a, b);
  GbdtParams params;
  params.n_estimators = 10;
  const GbdtModel ga =
      GbdtModel::fit(feature_view(t, t.feature_names, &train), labels_of(t, train), params);
  const GbdtModel gb =
      GbdtModel::fit(feature_matrix(t, t.feature_names, &train), labels_of(t, train), params);
  EXPECT_EQ(ga.to_json().dump(), gb.to_json().dump());
}

TEST(FeatureView, AViewOfTheWrongLengthIsRefused) {
  const table::LeadTable t = mixed_table();
  FeatureMatrix X = feature_view(t, t.feature_names);
  X.rows = t.n - 1;
  EXPECT_THROW(X.check_shape(), Error);
}

}  // namespace
}  // namespace elv::model
