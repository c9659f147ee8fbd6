#include "model/bundle.h"

#include <fstream>
#include <sstream>

#include "io/error.h"
#include "run/run_folder.h"

namespace elv::model {

using nlohmann::json;

FeatureMatrix feature_matrix(const table::LeadTable& t, const std::vector<std::string>& features,
                             const std::vector<int64_t>* rows) {
  FeatureMatrix X;
  X.rows = rows ? static_cast<int64_t>(rows->size()) : t.n;
  X.names = features;
  X.columns.reserve(features.size());
  for (const auto& name : features) {
    const int f = t.feature_index(name);
    if (f < 0) throw Error("the table has no feature '" + name + "'", {}, -1, name);
    const auto& src = t.features[static_cast<size_t>(f)];
    if (!rows) {
      X.columns.push_back(src);
      continue;
    }
    std::vector<double> col(rows->size());
    for (size_t i = 0; i < rows->size(); ++i) col[i] = src[(*rows)[i]];
    X.columns.push_back(std::move(col));
  }
  return X;
}

std::vector<std::string> id_strings(const table::LeadTable& t, const char* column,
                                    const std::vector<int64_t>* rows) {
  const std::vector<int32_t>& codes = std::string(column) == "campaign_id" ? t.campaign_id : t.adset_id;
  const size_t n = rows ? rows->size() : static_cast<size_t>(t.n);
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = t.str(column, codes[rows ? (*rows)[i] : static_cast<int64_t>(i)]);
  return out;
}

std::vector<double> ModelBundle::predict_raw(const table::LeadTable& t,
                                             const std::vector<int64_t>* rows) const {
  const FeatureMatrix X = feature_matrix(t, features, rows);
  if (model_type == "logreg")
    return logreg->predict(X, id_strings(t, "campaign_id", rows), id_strings(t, "adset_id", rows));
  return gbdt->predict(X);
}

std::vector<double> ModelBundle::predict(const table::LeadTable& t,
                                         const std::vector<int64_t>* rows) const {
  return calibrator.apply(predict_raw(t, rows));
}

json to_json(const ModelBundle& b) {
  json drift = json::array();
  for (const auto& ref : b.drift_reference) drift.push_back(scoring::to_json(ref));
  return {{"format", kBundleFormat},
          {"format_version", kBundleFormatVersion},
          {"model_type", b.model_type},
          {"features", b.features},
          {"model", b.model_type == "logreg" ? b.logreg->to_json() : b.gbdt->to_json()},
          {"calibrator", b.calibrator.to_json()},
          {"drift_reference", {{"psi_threshold", b.psi_threshold}, {"columns", drift}}},
          {"training", b.training}};
}

void save_bundle(const ModelBundle& b, const std::string& path) {
  run::write_text_file(path, to_json(b).dump(1) + "\n");
}

ModelBundle load_bundle(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read model file", path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_bundle(text.str(), path);
}

ModelBundle parse_bundle(const std::string& text, const std::string& path) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(std::string("not a valid model file (damaged or truncated JSON: ") + e.what() + ")", path);
  }
  if (!j.is_object() || !j.contains("format"))
    throw Error("not an elv model file (no \"format\" field)", path);
  if (j["format"] != kBundleFormat || j.value("format_version", -1) != kBundleFormatVersion)
    throw Error("unsupported model format " + j["format"].dump() + " version " +
                    j.value("format_version", json(nullptr)).dump() + "; this elv reads " +
                    kBundleFormat + " version " + std::to_string(kBundleFormatVersion) +
                    " (retrain the model with this version)",
                path);
  try {
    ModelBundle b;
    b.model_type = j.at("model_type").get<std::string>();
    b.features = j.at("features").get<std::vector<std::string>>();
    if (b.model_type == "logreg") {
      b.logreg = std::make_shared<LogregModel>(LogregModel::from_json(j.at("model")));
    } else if (b.model_type == "gbdt") {
      b.gbdt = std::make_shared<GbdtModel>(GbdtModel::from_json(j.at("model")));
    } else {
      throw Error("unknown model_type '" + b.model_type + "'");
    }
    b.calibrator = Calibrator::from_json(j.at("calibrator"));
    const json& drift = j.at("drift_reference");
    b.psi_threshold = drift.value("psi_threshold", 0.2);
    for (const auto& ref : drift.at("columns")) b.drift_reference.push_back(scoring::psi_reference_from_json(ref));
    b.training = j.value("training", json::object());
    return b;
  } catch (const Error& e) {
    throw Error("damaged model file: " + e.message(), path);
  } catch (const json::exception& e) {
    throw Error(std::string("damaged model file: ") + e.what(), path);
  }
}

std::string feature_source(const std::string& f) {
  auto starts = [&](const char* p) { return f.rfind(p, 0) == 0; };
  if (starts("placement_")) return "ads_placement.csv (paths.ads_placement_path)";
  if (starts("geo_")) return "ads_geo.csv (paths.ads_geo_path)";
  if (starts("aud_kw_")) return "adset_targeting.csv (paths.adset_targeting_path)";
  if (starts("creative_")) return "ad_creatives.csv (paths.ad_creatives_path)";
  if (starts("lead_")) return "leads.csv (paths.leads_path)";
  return "ads.csv (paths.ads_path), with the same features.feature_window_days";
}

void check_features(const ModelBundle& b, const table::LeadTable& t) {
  for (const auto& f : b.features) {
    if (t.feature_index(f) < 0)
      throw Error("the model needs feature '" + f + "', which this data does not have; it comes from " +
                  feature_source(f) + ". Provide that file (the model was trained with it) or retrain");
  }
}

}  // namespace elv::model

extern const char elv_demo_model_json[];
extern const std::size_t elv_demo_model_json_size;

namespace elv::model {

ModelBundle bundled_demo_model() {
  if (elv_demo_model_json_size == 0)
    throw Error("this build has no bundled demo model; run scripts/build-demo-model.sh, or pass "
                "--model or --train");
  return parse_bundle(std::string(elv_demo_model_json, elv_demo_model_json_size),
                      "assets/demo_model.json (bundled)");
}

}  // namespace elv::model
