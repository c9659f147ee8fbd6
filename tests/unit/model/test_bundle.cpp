// The model bundle: save -> load gives identical predictions for both model types; damaged,
// foreign and mismatched bundles fail with clear errors.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "base/error.h"
#include "bundle_test_util.h"
#include "model/bundle.h"

namespace elv::model {
namespace {

namespace fs = std::filesystem;
using namespace elv::model::testing;

class BundleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(::testing::TempDir()) / ("elv_bundle_" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string path(const std::string& name) { return (dir / name).string(); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  std::string load_error(const std::string& file) {
    try {
      load_bundle(file);
    } catch (const Error& e) {
      EXPECT_EQ(e.file(), file);
      return e.what();
    }
    return "";
  }
  fs::path dir;
};

TEST_F(BundleFile, SaveLoadGivesIdenticalPredictionsForBothModelTypes) {
  const auto t = make_table();
  for (const std::string type : {"logreg", "gbdt"}) {
    const ModelBundle b = fit(t, type);
    save_bundle(b, path(type + ".json"));
    const ModelBundle loaded = load_bundle(path(type + ".json"));
    EXPECT_EQ(loaded.model_type(), type);
    EXPECT_EQ(loaded.features, b.features);
    const auto before = b.predict(t), after = loaded.predict(t);
    ASSERT_EQ(before.size(), after.size());
    for (size_t i = 0; i < before.size(); ++i)
      ASSERT_EQ(before[i], after[i]) << type << " row " << i;
    EXPECT_EQ(loaded.drift_reference.size(), 1u);
    // The file says what it is.
    std::ifstream in(path(type + ".json"));
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("\"format\": \"elv-model/1\""), std::string::npos);
  }
}

TEST_F(BundleFile, TheOutcomeHistorySnapshotRoundTripsAndIsChecked) {
  ModelBundle b = fit(make_table(), "logreg");
  table::OutcomeHistorySnapshot s;
  s.as_of_date = 20500;
  s.prior = 12.5;
  s.account = {300, 45};
  s.campaign = {{"c1", {200, 40}}, {"c2", {100, 5}}};
  s.adset = {{"s1", {300, 45}}};
  s.ad = {{"ad \"quoted\"", {7, 0}}};
  b.outcome_history = s;
  save_bundle(b, path("history.json"));
  const ModelBundle loaded = load_bundle(path("history.json"));
  ASSERT_TRUE(loaded.outcome_history.has_value());
  EXPECT_EQ(*loaded.outcome_history, s);
  // A bundle without it (older, or trained without outcomes) has none.
  nlohmann::json j = to_json(b);
  j.erase("outcome_history");
  EXPECT_FALSE(parse_bundle(j.dump(), "old.json").outcome_history.has_value());
  // Counts that cannot be (more qualified than known) are refused, naming the entity.
  j = to_json(b);
  j["outcome_history"]["campaign"]["c2"]["qualified"] = 101;
  EXPECT_NE(load_error(write("bad.json", j.dump())).find("outcome_history: campaign 'c2'"),
            std::string::npos);
}

TEST_F(BundleFile, TruncatedFileIsAClearError) {
  save_bundle(fit(make_table(), "logreg"), path("full.json"));
  std::ifstream in(path("full.json"));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string msg = load_error(write("cut.json", text.substr(0, text.size() / 2)));
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
}

TEST_F(BundleFile, WrongFormatVersionIsAClearError) {
  save_bundle(fit(make_table(), "logreg"), path("full.json"));
  nlohmann::json j = nlohmann::json::parse(std::ifstream(path("full.json")));
  j["format_version"] = 2;
  std::string msg = load_error(write("v2.json", j.dump()));
  EXPECT_NE(msg.find("unsupported model format"), std::string::npos) << msg;
  j["format"] = "something-else/1";
  j["format_version"] = 1;
  msg = load_error(write("other.json", j.dump()));
  EXPECT_NE(msg.find("unsupported model format"), std::string::npos) << msg;
  msg = load_error(write("plain.json", "{\"a\": 1}"));
  EXPECT_NE(msg.find("not an elv model file"), std::string::npos) << msg;
}

TEST_F(BundleFile, DamagedModelSectionIsAClearError) {
  save_bundle(fit(make_table(), "logreg"), path("full.json"));
  nlohmann::json j = nlohmann::json::parse(std::ifstream(path("full.json")));
  j["model"] = {{"nothing", "useful"}};
  const std::string msg = load_error(write("damaged.json", j.dump()));
  EXPECT_NE(msg.find("damaged model file"), std::string::npos) << msg;
}

TEST(BundleModel, TheVariantChoosesTheKindAndAnEmptyBundleIsAnError) {
  const auto t = make_table();
  const ModelBundle logreg = fit(t, "logreg"), gbdt = fit(t, "gbdt");
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const LogregModel>>(logreg.model));
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const GbdtModel>>(gbdt.model));
  EXPECT_EQ(std::string(gbdt.model_type()), "gbdt");
  EXPECT_EQ(to_json(gbdt)["model_type"], "gbdt");
  EXPECT_EQ(logreg.model_features(), t.feature_names);
  EXPECT_EQ(gbdt.model_features(), t.feature_names);

  ModelBundle empty;
  empty.features = t.feature_names;
  try {
    (void)empty.predict_raw(t);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the model bundle holds no fitted model");
  }
}

TEST(BundleFeatures, MissingFeatureNamesTheFileThatProvidesIt) {
  const auto t = make_table();
  ModelBundle b = fit(t, "logreg");
  table::LeadTable without = t;
  without.feature_names = {"spend_sum_7d"};
  without.features.resize(1);
  try {
    check_features(b, without);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("placement_entropy_7d"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ads_placement.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("paths.ads_placement_path"), std::string::npos) << msg;
  }
  EXPECT_NE(feature_source("aud_kw_hash_003").find("adset_targeting.csv"), std::string::npos);
  EXPECT_NE(feature_source("creative_is_video").find("ad_creatives.csv"), std::string::npos);
  EXPECT_NE(feature_source("geo_top1_share_7d").find("ads_geo.csv"), std::string::npos);
  EXPECT_NO_THROW(check_features(b, t));
}

TEST(BundledDemoModel, LoadsAndIsALogreg) {
  const ModelBundle b = bundled_demo_model();
  EXPECT_EQ(std::string(b.model_type()), "logreg");
  EXPECT_FALSE(b.features.empty());
  EXPECT_FALSE(b.drift_reference.empty());
}

}  // namespace
}  // namespace elv::model
