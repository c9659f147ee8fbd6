// Shared by the bundle tests: a small lead table and bundles trained on it.
#pragma once
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "model/bundle.h"

namespace elv::model::testing {

// 400 leads (or n), two numeric features (one with gaps), two campaigns; the label follows x1.
inline table::LeadTable make_table(int n = 400) {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto& leads = t.dicts->for_column("lead_id");
  auto& campaigns = t.dicts->for_column("campaign_id");
  auto& adsets = t.dicts->for_column("adset_id");
  t.feature_names = {"spend_sum_7d", "placement_entropy_7d"};
  t.features.assign(2, {});
  uint64_t state = 12345;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < n; ++i) {
    const double x1 = uniform() * 10, x2 = uniform();
    t.lead_id.push_back(leads.intern("lead" + std::to_string(i)));
    t.campaign_id.push_back(campaigns.intern(i % 2 ? "c1" : "c2"));
    t.adset_id.push_back(adsets.intern(i % 3 ? "s1" : "s2"));
    t.features[0].push_back(x1);
    t.features[1].push_back(i % 7 == 0 ? NAN : x2);
    t.label_status.push_back(uniform() < 1 / (1 + std::exp(-(x1 - 5)))
                                 ? table::LabelStatus::Positive
                                 : table::LabelStatus::Negative);
  }
  t.n = n;
  return t;
}

inline std::vector<double> labels(const table::LeadTable& t) {
  std::vector<double> y;
  for (auto s : t.label_status) y.push_back(s == table::LabelStatus::Positive ? 1.0 : 0.0);
  return y;
}

inline ModelBundle fit(const table::LeadTable& t, const std::string& type) {
  ModelBundle b;
  b.features = t.feature_names;
  const FeatureMatrix X = feature_matrix(t, b.features);
  if (type == "logreg") {
    b.model = std::make_shared<const LogregModel>(LogregModel::fit(
        X, id_strings(t, "campaign_id"), id_strings(t, "adset_id"), labels(t), LogregParams{}));
  } else {
    GbdtParams params;
    params.n_estimators = 20;
    b.model = std::make_shared<const GbdtModel>(GbdtModel::fit(X, labels(t), params));
  }
  b.calibrator = Calibrator::fit_isotonic(b.predict_raw(t), labels(t));
  b.drift_reference.push_back(scoring::psi_reference("spend_sum_7d", t.features[0].to_vector()));
  b.training = {{"label_window_days", 14}};
  return b;
}

}  // namespace elv::model::testing
