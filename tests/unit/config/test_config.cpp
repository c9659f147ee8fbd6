// Run configuration: the reference tool's config loads unchanged, every problem names its
// key path, and the effective config written back reads as the same config.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "config/config.h"
#include "config_test_util.h"
#include "io/parse.h"

#ifndef ELV_FIXTURES_DIR
#error "ELV_FIXTURES_DIR must be defined by the build (absolute path of tests/fixtures)"
#endif

namespace elv {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(ELV_FIXTURES_DIR);
const fs::path kReference = kFixtures / "config" / "reference_run.yaml";
const fs::path kShipped = kFixtures / ".." / ".." / "configs" / "run.yaml";

using test_util::config_error;

#define EXPECT_CONFIG_ERROR(yaml, substring) \
  EXPECT_NE(config_error(yaml).find(substring), std::string::npos) << "got: " << config_error(yaml)

std::string abs_in(const fs::path& dir, const std::string& rel) {
  return fs::absolute(dir / rel).lexically_normal().string();
}

// ---- loading the reference config ---------------------------------------------------------

TEST(Config, ReferenceConfigLoadsWithExpectedValues) {
  const Config c = load_config(kReference.string());
  const fs::path dir = kReference.parent_path();
  EXPECT_EQ(c.source_path, fs::absolute(kReference).lexically_normal().string());
  EXPECT_EQ(c.schema_version, 1);
  EXPECT_EQ(c.paths.ads_path, abs_in(dir, "data/byo/ads.csv"));
  EXPECT_EQ(c.paths.leads_path, abs_in(dir, "data/byo/leads.csv"));
  EXPECT_EQ(c.paths.outcomes_path, abs_in(dir, "data/byo/outcomes.csv"));
  EXPECT_TRUE(fs::path(c.paths.ads_path).is_absolute());
  EXPECT_EQ(c.paths.lead_to_ad_map_path, "");
  EXPECT_EQ(c.paths.ads_placement_path, "");
  EXPECT_EQ(c.paths.ads_geo_path, "");
  EXPECT_EQ(c.paths.adset_targeting_path, "");
  EXPECT_EQ(c.paths.ad_creatives_path, "");
  EXPECT_EQ(c.label.label_window_days, 14);
  EXPECT_FALSE(c.label.as_of_date.has_value());
  EXPECT_TRUE(c.label.require_label_maturity);
  EXPECT_EQ(c.features.ads_granularity, "daily");
  EXPECT_EQ(c.features.feature_window_days, 7);
  EXPECT_EQ(c.features.feature_lag_days, 1);
  EXPECT_DOUBLE_EQ(c.business.value_per_qualified, 1.0);
  EXPECT_DOUBLE_EQ(c.splits.train_frac, 0.6);
  EXPECT_DOUBLE_EQ(c.splits.calib_frac, 0.2);
  EXPECT_DOUBLE_EQ(c.splits.test_frac, 0.2);
  EXPECT_EQ(c.model.model_type, "logreg");
  EXPECT_EQ(c.model.calibration_method, "sigmoid");
  EXPECT_EQ(c.model.random_seed, 7);
  EXPECT_EQ(c.model.lgbm_params.n_estimators, 400);
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.learning_rate, 0.05);
  EXPECT_EQ(c.model.lgbm_params.num_leaves, 31);
  EXPECT_EQ(c.model.lgbm_params.min_child_samples, 50);
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.subsample, 0.9);
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.colsample_bytree, 0.9);
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.reg_lambda, 1.0);
  EXPECT_EQ(c.model.lgbm_params.early_stopping_rounds, 50);
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.validation_frac, 0.2);
  EXPECT_TRUE(c.model.lgbm_params.scale_to_data);
  EXPECT_DOUBLE_EQ(c.model.logreg_params.C, 1.0);
  EXPECT_EQ(c.model.logreg_params.max_iter, 2000);
  EXPECT_EQ(c.model.nthread, 0);
  EXPECT_DOUBLE_EQ(c.reporting.topk_frac, 0.10);
  EXPECT_EQ(c.reporting.ece_bins, 10);
  EXPECT_EQ(c.reporting.min_segment_leads, 30);
}

TEST(Config, ShippedConfigLoads) {
  ASSERT_TRUE(fs::exists(kShipped)) << kShipped;
  Config shipped = load_config(kShipped.string());
  EXPECT_EQ(shipped.paths.ads_path, abs_in(kShipped.parent_path(), "data/byo/ads.csv"));
  // Same settings as the reference config apart from where the paths resolve.
  Config reference = load_config(kReference.string());
  shipped.paths = reference.paths;
  shipped.source_path = reference.source_path;
  // The value of a qualified lead is the user's to set: the shipped config leaves it out, so
  // a copy used as is makes placeholder runs, which say so (the reference writes 1.0).
  EXPECT_EQ(shipped.business.value_source, ValueSource::kPlaceholder);
  EXPECT_EQ(reference.business.value_source, ValueSource::kConfig);
  shipped.business.value_source = reference.business.value_source;
  EXPECT_EQ(shipped, reference);
}

TEST(Config, MissingFile) {
  try {
    load_config("/nonexistent/dir/run.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "config file not found");
    EXPECT_EQ(e.file(), "/nonexistent/dir/run.yaml");
  }
}

// ---- defaults and values ------------------------------------------------------------------

TEST(Config, DefaultsWhenSectionsAbsentOrNull) {
  const Config c = parse_config("schema_version: 1\npaths:\nlabel: null\n", "/base");
  Config expected;
  EXPECT_EQ(c, expected);
  EXPECT_EQ(c.paths.ads_path, "");
  EXPECT_EQ(c.label.label_window_days, 14);
  EXPECT_EQ(c.model.model_type, "logreg");
  EXPECT_DOUBLE_EQ(c.reporting.topk_frac, 0.10);
  // Keys missing inside a present section keep their defaults too.
  const Config partial = parse_config("model:\n  logreg_params:\n    C: 0.5\n", "/base");
  EXPECT_DOUBLE_EQ(partial.model.logreg_params.C, 0.5);
  EXPECT_EQ(partial.model.logreg_params.max_iter, 2000);
  EXPECT_EQ(partial.model.lgbm_params.n_estimators, 400);
}

TEST(Config, AsOfDateParsed) {
  const Config c = parse_config("label:\n  as_of_date: 2026-01-31\n", "/base");
  ASSERT_TRUE(c.label.as_of_date.has_value());
  EXPECT_EQ(*c.label.as_of_date, parse::days_from_civil(2026, 1, 31));
  const Config quoted = parse_config("label:\n  as_of_date: \"2024-02-29\"\n", "/base");
  EXPECT_EQ(quoted.label.as_of_date, parse::days_from_civil(2024, 2, 29));
}

TEST(Config, PathsResolveAgainstBaseDir) {
  const Config c = parse_config(
      "paths:\n  ads_path: ../data/ads.csv\n  leads_path: /abs/leads.csv\n"
      "  outcomes_path: ''\n  ads_geo_path: ./geo/./g.csv\n",
      "/base/configs");
  EXPECT_EQ(c.paths.ads_path, "/base/data/ads.csv");
  EXPECT_EQ(c.paths.leads_path, "/abs/leads.csv");
  EXPECT_EQ(c.paths.outcomes_path, "");
  EXPECT_EQ(c.paths.ads_geo_path, "/base/configs/geo/g.csv");
}

TEST(Config, ModelExtensionsAndAliases) {
  const Config c = parse_config(
      "model:\n  model_type: lgbm\n  calibration_method: isotonic\n  nthread: 4\n", "/base");
  EXPECT_EQ(c.model.model_type, "lgbm");
  EXPECT_EQ(c.model.calibration_method, "isotonic");
  EXPECT_EQ(c.model.nthread, 4);
  EXPECT_EQ(parse_config("model:\n  model_type: gbdt\n", "/").model.model_type, "gbdt");
  // An integer where a number is expected is fine.
  EXPECT_DOUBLE_EQ(
      parse_config("business:\n  value_per_qualified: 250\n", "/").business.value_per_qualified,
      250.0);
}

// ---- key errors ---------------------------------------------------------------------------

TEST(ConfigErrors, TypoSuggestsKnownKey) {
  const std::string msg = config_error("paths:\n  ads_pth: data/ads.csv\n");
  EXPECT_EQ(msg, "paths.ads_pth: unknown key (did you mean ads_path?)");
}

TEST(ConfigErrors, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(config_error("schema_version: 1\nfoo: 3\n"), "foo: unknown key");
  EXPECT_EQ(config_error("modle:\n  model_type: logreg\n"),
            "modle: unknown key (did you mean model?)");
  EXPECT_EQ(config_error("model:\n  lgbm_params:\n    max_depth: 3\n"),
            "model.lgbm_params.max_depth: unknown key");
  EXPECT_EQ(config_error("model:\n  logreg_params:\n    c: 2\n"),
            "model.logreg_params.c: unknown key (did you mean C?)");
  EXPECT_CONFIG_ERROR("label:\n  label_window_days: 3\n  label_window_days: 4\n",
                      "label.label_window_days: duplicate key");
}

TEST(ConfigErrors, StructureErrors) {
  EXPECT_CONFIG_ERROR("- a\n- b\n", "expected a mapping of sections");
  EXPECT_CONFIG_ERROR("just text\n", "expected a mapping of sections");
  EXPECT_CONFIG_ERROR("", "empty document");
  EXPECT_CONFIG_ERROR("paths: data/ads.csv\n", "paths: expected a mapping, got 'data/ads.csv'");
  EXPECT_CONFIG_ERROR("model:\n  lgbm_params: [1, 2]\n",
                      "model.lgbm_params: expected a mapping, got a list");
}

TEST(ConfigErrors, YamlSyntaxErrorHasLineAndColumn) {
  const std::string msg = config_error("label:\n  label_window_days: [14\nfeatures:\n  x: 1\n");
  EXPECT_NE(msg.find("YAML syntax error at line "), std::string::npos) << msg;
  EXPECT_NE(msg.find(", column "), std::string::npos) << msg;
}

// yaml-cpp's own words for a tab in the indentation ("illegal map value") do not say what
// is wrong; the message names the line and the rule.
TEST(ConfigErrors, TabIndentationNamesTheLine) {
  const std::string rule = "a tab character indents this line; YAML indents with spaces only";
  EXPECT_EQ(config_error("label:\n\tlabel_window_days: 14\n"), "line 2: " + rule);
  EXPECT_EQ(
      config_error(
          "schema_version: 1\nlabel:\n  label_window_days: 14\n  \trequire_label_maturity: true\n"),
      "line 4: " + rule);
  EXPECT_EQ(config_error("label:\n  label_window_days: 14\n\tfoo: 1\n"), "line 3: " + rule);
  // Tabs elsewhere are YAML's business: after a colon, and inside quoted values (even at the
  // start of a quoted value's continuation line), they parse.
  EXPECT_EQ(parse_config("label:\t\n  label_window_days:\t14\n", "/").label.label_window_days, 14);
  EXPECT_EQ(parse_config("paths:\n  ads_path: \"/a\tb.csv\"\n", "/").paths.ads_path, "/a\tb.csv");
  EXPECT_EQ(parse_config("paths:\n  ads_path: \"/a\n\tb.csv\"\n", "/").paths.ads_path, "/a b.csv");
  // Other syntax errors keep yaml-cpp's message with its line and column.
  EXPECT_NE(config_error("label:\n  label_window_days: [14\n").find("YAML syntax error at line "),
            std::string::npos);
}

// ---- type errors --------------------------------------------------------------------------

TEST(ConfigErrors, WrongTypes) {
  EXPECT_EQ(config_error("label:\n  label_window_days: abc\n"),
            "label.label_window_days: expected an integer, got 'abc'");
  EXPECT_CONFIG_ERROR("label:\n  label_window_days: 1.5\n",
                      "label.label_window_days: expected an integer, got '1.5'");
  EXPECT_CONFIG_ERROR("label:\n  label_window_days: \"14\"\n",
                      "label.label_window_days: expected an integer, got the quoted string");
  EXPECT_CONFIG_ERROR("label:\n  label_window_days:\n",
                      "label.label_window_days: expected an integer, got null");
  EXPECT_CONFIG_ERROR("label:\n  require_label_maturity: yes\n",
                      "label.require_label_maturity: expected true or false, got 'yes'");
  EXPECT_CONFIG_ERROR("label:\n  require_label_maturity: 1\n",
                      "label.require_label_maturity: expected true or false");
  EXPECT_CONFIG_ERROR("splits:\n  train_frac: sixty\n",
                      "splits.train_frac: expected a number, got 'sixty'");
  EXPECT_CONFIG_ERROR("business:\n  value_per_qualified: .nan\n",
                      "business.value_per_qualified: expected a number");
  EXPECT_CONFIG_ERROR("business:\n  value_per_qualified: inf\n",
                      "business.value_per_qualified: expected a number");
  EXPECT_CONFIG_ERROR("model:\n  model_type: [logreg]\n",
                      "model.model_type: expected a string, got a list");
  EXPECT_CONFIG_ERROR("paths:\n  ads_path: {a: 1}\n",
                      "paths.ads_path: expected a file path, got a mapping");
  EXPECT_CONFIG_ERROR("model:\n  random_seed: 99999999999999999999999\n",
                      "model.random_seed: integer out of range");
  EXPECT_CONFIG_ERROR("reporting:\n  ece_bins: 3000000000\n",
                      "reporting.ece_bins: integer out of range");
}

TEST(ConfigErrors, AsOfDate) {
  EXPECT_CONFIG_ERROR("label:\n  as_of_date: 2026-02-30\n",
                      "label.as_of_date: expected a date YYYY-MM-DD");
  EXPECT_CONFIG_ERROR("label:\n  as_of_date: 31/01/2026\n",
                      "label.as_of_date: expected a date YYYY-MM-DD");
  EXPECT_CONFIG_ERROR("label:\n  as_of_date: 2026-01-31T10:00:00Z\n",
                      "label.as_of_date: expected a date YYYY-MM-DD");
}

// ---- range errors -------------------------------------------------------------------------

TEST(ConfigErrors, Ranges) {
  EXPECT_CONFIG_ERROR("schema_version: 2\n", "schema_version: must be 1");
  EXPECT_CONFIG_ERROR("label:\n  label_window_days: 0\n", "label.label_window_days: must be >= 1");
  EXPECT_CONFIG_ERROR("features:\n  feature_window_days: 2\n  feature_lag_days: 0\n",
                      "features.feature_window_days: must be >= 3");
  EXPECT_CONFIG_ERROR("features:\n  ads_granularity: hourly\n",
                      "features.ads_granularity: only daily is supported");
  EXPECT_CONFIG_ERROR(
      "business:\n  value_per_qualified: -1\n",
      "business.value_per_qualified: must be > 0: the money one qualified lead is worth (got -1)");
  // 0 would make every ELV 0 and every leaderboard a tie.
  EXPECT_CONFIG_ERROR(
      "business:\n  value_per_qualified: 0\n",
      "business.value_per_qualified: must be > 0: the money one qualified lead is worth (got 0)");
  EXPECT_DOUBLE_EQ(
      parse_config("business:\n  value_per_qualified: 0.01\n", "/").business.value_per_qualified,
      0.01);
  EXPECT_CONFIG_ERROR("model:\n  model_type: xgboost\n",
                      "model.model_type: must be one of logreg, gbdt, lgbm, auto");
  EXPECT_CONFIG_ERROR("model:\n  calibration_method: platt\n",
                      "model.calibration_method: must be one of sigmoid, isotonic (got 'platt')");
  EXPECT_CONFIG_ERROR("model:\n  random_seed: -1\n", "model.random_seed: must be >= 0");
  EXPECT_CONFIG_ERROR("model:\n  nthread: -2\n", "model.nthread: must be >= 0");
  EXPECT_CONFIG_ERROR("reporting:\n  topk_frac: 0\n", "reporting.topk_frac: must be > 0 and <= 1");
  EXPECT_CONFIG_ERROR("reporting:\n  topk_frac: 1.5\n",
                      "reporting.topk_frac: must be > 0 and <= 1");
  EXPECT_CONFIG_ERROR("reporting:\n  ece_bins: 1\n", "reporting.ece_bins: must be >= 2");
  EXPECT_CONFIG_ERROR("reporting:\n  min_segment_leads: -1\n",
                      "reporting.min_segment_leads: must be >= 0");
}

TEST(ConfigErrors, ModelParamRanges) {
  const std::string lg = "model:\n  lgbm_params:\n    ";
  EXPECT_CONFIG_ERROR("model:\n  logreg_params:\n    C: 0\n", "model.logreg_params.C: must be > 0");
  EXPECT_CONFIG_ERROR("model:\n  logreg_params:\n    max_iter: 0\n",
                      "model.logreg_params.max_iter: must be >= 1");
  EXPECT_CONFIG_ERROR(lg + "n_estimators: 0\n", "model.lgbm_params.n_estimators: must be >= 1");
  EXPECT_CONFIG_ERROR(lg + "learning_rate: 0\n", "model.lgbm_params.learning_rate: must be > 0");
  EXPECT_CONFIG_ERROR(lg + "num_leaves: 1\n",
                      "model.lgbm_params.num_leaves: must be >= 2 and <= 4096");
  // Above the bundle's tree limits (model/limits.h): such a model could not be loaded.
  EXPECT_CONFIG_ERROR(lg + "num_leaves: 4097\n",
                      "model.lgbm_params.num_leaves: must be >= 2 and <= 4096 (got 4097)");
  EXPECT_EQ(parse_config(lg + "num_leaves: 4096\n", "/").model.lgbm_params.num_leaves, 4096);
  EXPECT_CONFIG_ERROR(lg + "min_child_samples: -1\n",
                      "model.lgbm_params.min_child_samples: must be >= 0");
  EXPECT_CONFIG_ERROR(lg + "subsample: 1.2\n", "model.lgbm_params.subsample: must be > 0 and <= 1");
  EXPECT_CONFIG_ERROR(lg + "colsample_bytree: 0\n",
                      "model.lgbm_params.colsample_bytree: must be > 0 and <= 1");
  EXPECT_CONFIG_ERROR(lg + "reg_lambda: -0.5\n", "model.lgbm_params.reg_lambda: must be >= 0");
  EXPECT_CONFIG_ERROR(lg + "early_stopping_rounds: -1\n",
                      "model.lgbm_params.early_stopping_rounds: must be >= 0");
  EXPECT_CONFIG_ERROR(lg + "validation_frac: 0\n",
                      "model.lgbm_params.validation_frac: must be > 0 and <= 0.5");
  EXPECT_CONFIG_ERROR(lg + "validation_frac: 0.6\n",
                      "model.lgbm_params.validation_frac: must be > 0 and <= 0.5 (got 0.6)");
  EXPECT_CONFIG_ERROR(lg + "scale_to_data: maybe\n", "model.lgbm_params.scale_to_data");
  EXPECT_EQ(parse_config("model:\n  model_type: auto\n", "/").model.model_type, "auto");
  // Boundaries that are allowed.
  const Config c = parse_config(lg + "subsample: 1\n    reg_lambda: 0\n    num_leaves: 2\n", "/");
  EXPECT_DOUBLE_EQ(c.model.lgbm_params.subsample, 1.0);
  EXPECT_EQ(c.model.lgbm_params.num_leaves, 2);
}

TEST(ConfigErrors, FractionsMustSumToOne) {
  EXPECT_EQ(config_error("splits:\n  train_frac: 0.7\n  calib_frac: 0.2\n  test_frac: 0.2\n"),
            "splits: train_frac + calib_frac + test_frac must be 1 (got 1.1)");
  EXPECT_CONFIG_ERROR("splits:\n  train_frac: 0.5\n", "must be 1 (got 0.9)");
  EXPECT_CONFIG_ERROR("splits:\n  train_frac: 1.0\n  calib_frac: 0\n  test_frac: 0\n",
                      "splits.train_frac: must be > 0 and < 1");
  // 0.7 + 0.1 + 0.2 is not exactly 1.0 in binary; the tolerance accepts it.
  EXPECT_NO_THROW(
      parse_config("splits:\n  train_frac: 0.7\n  calib_frac: 0.1\n  test_frac: 0.2\n", "/"));
}

TEST(ConfigErrors, LagMustBeBelowWindow) {
  EXPECT_CONFIG_ERROR("features:\n  feature_window_days: 7\n  feature_lag_days: 7\n",
                      "features.feature_lag_days: must be >= 0 and < feature_window_days");
  EXPECT_CONFIG_ERROR("features:\n  feature_lag_days: -1\n",
                      "features.feature_lag_days: must be >= 0 and < feature_window_days");
  EXPECT_EQ(parse_config("features:\n  feature_lag_days: 6\n", "/").features.feature_lag_days, 6);
}

// ---- writing back ----------------------------------------------------------------------------

Config unusual_config() {
  Config c;
  c.paths.ads_path = "/data/my ads/ads.csv";  // needs no quoting games from the caller
  c.paths.leads_path = "/data/leads: 2026.csv";
  c.paths.outcomes_path = "/data/outcomes.csv";
  c.paths.lead_to_ad_map_path = "";
  c.paths.ads_placement_path = "/data/placement.csv";
  c.paths.ads_geo_path = "/data/geo.csv";
  c.paths.adset_targeting_path = "/data/#targeting.csv";
  c.paths.ad_creatives_path = "/data/creatives.csv";
  c.label.label_window_days = 21;
  c.label.as_of_date = parse::days_from_civil(2026, 1, 31);
  c.label.require_label_maturity = false;
  c.features.feature_window_days = 14;
  c.features.feature_lag_days = 2;
  c.business.value_per_qualified = 123.45;
  c.business.value_source = ValueSource::kConfig;
  c.splits = {0.7, 0.1, 0.2};
  c.model.model_type = "auto";
  c.model.calibration_method = "isotonic";
  c.model.random_seed = 123456789012;
  c.model.lgbm_params = {250, 0.03, 63, 20, 0.8, 0.7, 2.5, 0, 0.35, false};
  c.model.logreg_params = {0.001, 500};
  c.model.nthread = 3;
  c.reporting = {0.05, 20, 0};
  return c;
}

TEST(ConfigYaml, RoundTripReproducesEveryField) {
  const Config c = unusual_config();
  const std::string text = to_yaml(c);
  const Config back = parse_config(text, "/");
  EXPECT_EQ(back, c) << text;
  // Spot-check fields individually so a failure says which one.
  EXPECT_EQ(back.paths.ads_path, c.paths.ads_path);
  EXPECT_EQ(back.paths.leads_path, c.paths.leads_path);
  EXPECT_EQ(back.paths.adset_targeting_path, c.paths.adset_targeting_path);
  EXPECT_EQ(back.paths.lead_to_ad_map_path, "");
  EXPECT_EQ(back.label.as_of_date, c.label.as_of_date);
  EXPECT_FALSE(back.label.require_label_maturity);
  EXPECT_EQ(back.splits.train_frac, 0.7);
  EXPECT_EQ(back.model.random_seed, 123456789012);
  EXPECT_EQ(back.model.lgbm_params.learning_rate, 0.03);
  EXPECT_EQ(back.model.logreg_params.C, 0.001);
  EXPECT_EQ(back.model.nthread, 3);
  EXPECT_EQ(back.model.model_type, "auto");
  EXPECT_EQ(back.model.lgbm_params.early_stopping_rounds, 0);
  EXPECT_EQ(back.model.lgbm_params.validation_frac, 0.35);
  EXPECT_FALSE(back.model.lgbm_params.scale_to_data);
  EXPECT_EQ(back.reporting.topk_frac, 0.05);
}

TEST(ConfigYaml, RoundTripOfLoadedReference) {
  Config c = load_config(kReference.string());
  Config back = parse_config(to_yaml(c), "/");
  back.source_path = c.source_path;  // parse_config does not know the file
  EXPECT_EQ(back, c);
}

// Whether the value of a qualified lead was set survives config.yaml: a placeholder is left
// out (and read back as a placeholder), a set value is written (and read back as "config").
TEST(ConfigYaml, TheValueOfAQualifiedLeadRemembersWhetherItWasSet) {
  EXPECT_EQ(parse_config("schema_version: 1\n", "/").business.value_source,
            ValueSource::kPlaceholder);
  EXPECT_EQ(parse_config("business:\n  currency: EUR\n", "/").business.value_source,
            ValueSource::kPlaceholder);
  const Config set = parse_config("business:\n  value_per_qualified: 1\n", "/");
  EXPECT_EQ(set.business.value_source, ValueSource::kConfig);  // 1 on purpose is not a placeholder

  const Config placeholder;
  const std::string text = to_yaml(placeholder);
  EXPECT_EQ(text.find("value_per_qualified"), std::string::npos) << text;
  EXPECT_EQ(parse_config(text, "/").business.value_source, ValueSource::kPlaceholder);

  Config demo;
  demo.business.value_per_qualified = kDemoValuePerQualified;
  demo.business.value_source = ValueSource::kDemoDefault;
  const Config back = parse_config(to_yaml(demo), "/");
  EXPECT_EQ(back.business.value_per_qualified, 40.0);
  EXPECT_EQ(back.business.value_source, ValueSource::kConfig);

  EXPECT_EQ(value_source_name(ValueSource::kPlaceholder), "placeholder");
  EXPECT_EQ(value_source_name(ValueSource::kDemoDefault), "demo default");
  EXPECT_EQ(value_source_name(ValueSource::kForm), "form");
}

TEST(ConfigYaml, DoublesPrintShortAndNullsAsNull) {
  Config valued;
  valued.business.value_source = ValueSource::kConfig;
  const std::string text = to_yaml(valued);
  EXPECT_NE(text.find("train_frac: 0.6\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("0.59999"), std::string::npos) << text;
  EXPECT_NE(text.find("topk_frac: 0.1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("value_per_qualified: 1.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ads_path: null\n"), std::string::npos) << text;
  EXPECT_NE(text.find("as_of_date: null\n"), std::string::npos) << text;
  EXPECT_NE(text.find("require_label_maturity: true\n"), std::string::npos) << text;
  Config dated;
  dated.label.as_of_date = parse::days_from_civil(2026, 1, 31);
  dated.model.logreg_params.C = 1e-7;
  const std::string dated_text = to_yaml(dated);
  EXPECT_NE(dated_text.find("as_of_date: 2026-01-31\n"), std::string::npos) << dated_text;
  EXPECT_NE(dated_text.find("C: 1.0e-07\n"), std::string::npos) << dated_text;
  EXPECT_EQ(parse_config(dated_text, "/").model.logreg_params.C, 1e-7);
}

TEST(ConfigYaml, SectionsInReferenceOrder) {
  const std::string text = to_yaml(Config{});
  size_t last = 0;
  for (const char* key : {"schema_version:", "paths:", "ads_path:", "ad_creatives_path:", "label:",
                          "features:", "business:", "splits:", "model:", "model_type:",
                          "lgbm_params:", "logreg_params:", "reporting:", "min_segment_leads:"}) {
    const size_t pos = text.find(key);
    ASSERT_NE(pos, std::string::npos) << key;
    EXPECT_GT(pos, last == 0 ? 0 : last) << key << " out of order in\n" << text;
    last = pos;
  }
}

}  // namespace
}  // namespace elv
