// Run configuration (docs/CONTRACT.md §3): YAML with the reference tool's shape, so its
// configs/run.yaml loads unchanged. Every problem names the key path.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace elv {

struct PathsConfig {
  // Absolute after loading (relative ones resolve against the config file's folder).
  // Empty = not given (YAML null or absent).
  std::string ads_path, leads_path, outcomes_path, lead_to_ad_map_path;
  std::string ads_placement_path, ads_geo_path, adset_targeting_path, ad_creatives_path;

  bool operator==(const PathsConfig&) const = default;
};

// Every paths.* field with its key ("ads_path"), for code that treats them all alike.
std::vector<std::pair<const char*, std::string*>> path_fields(PathsConfig& p);
std::vector<std::pair<const char*, const std::string*>> path_fields(const PathsConfig& p);

struct LabelConfig {
  int label_window_days = 14;         // >= 1
  std::optional<int32_t> as_of_date;  // days since epoch; nullopt = auto
  bool require_label_maturity = true;

  bool operator==(const LabelConfig&) const = default;
};

struct FeaturesConfig {
  std::string ads_granularity = "daily";  // only "daily" is supported
  int feature_window_days = 7;            // >= 3 (the 2-day trend needs W - 2 > 0)
  int feature_lag_days = 1;               // >= 0 and < feature_window_days
  // The outcome history features (docs/CONTRACT.md §4.8), when outcomes are read. Off by
  // default: on the benchmark data they did not help and hurt small accounts (bench/
  // RESULTS.md, "Outcome history"). The prior is the smoothing strength in leads (> 0).
  bool outcome_history = false;
  double outcome_history_prior = 20.0;

  bool operator==(const FeaturesConfig&) const = default;
};

// An ISO 4217 currency code as elv accepts it: three capital letters (EUR, USD).
inline bool is_currency_code(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

// Who set value_per_qualified. Until someone does, it is a placeholder of 1, and ELV, ROI
// and profit are not money: each run records the source in metadata.json
// (value_per_qualified_source) so the report and the web app can say so.
enum class ValueSource {
  kPlaceholder,  // nobody set it
  kConfig,       // business.value_per_qualified of a config file
  kDemoDefault,  // the demo's realistic default (kDemoValuePerQualified)
  kCommandLine,  // elv demo --value-per-qualified
  kForm,         // the web app's form
};
// "placeholder", "config", "demo default", "command line", "form".
std::string_view value_source_name(ValueSource source);

// The demo's value of a qualified lead and its currency. Its leads cost 5 to 15 EUR and 30 to
// 80 % qualify, so a qualified lead costs 7 to 50 EUR: at 40, some campaigns pay and some do
// not, as in a real account (docs/QUICKSTART.md §2).
inline constexpr double kDemoValuePerQualified = 40.0;
inline constexpr std::string_view kDemoCurrency = "EUR";

struct BusinessConfig {
  double value_per_qualified = 1.0;  // > 0 and finite: money per qualified lead
  // to_yaml writes value_per_qualified only when it is not the placeholder, so a config.yaml
  // read back keeps saying whether the value was set.
  ValueSource value_source = ValueSource::kPlaceholder;
  // ISO 4217 code of that money and of spend ("EUR"), upper case; empty = not said (the
  // spend headers may say it: "Amount spent (EUR)").
  std::string currency;

  bool operator==(const BusinessConfig&) const = default;
};

struct SplitsConfig {
  double train_frac = 0.6, calib_frac = 0.2, test_frac = 0.2;  // each in (0,1), sum 1 ± 1e-6

  bool operator==(const SplitsConfig&) const = default;
};

// model.lgbm_params.num_leaves at most: every tree a config can grow then fits the model
// bundle's tree limits (model/limits.h).
inline constexpr int kMaxNumLeaves = 4096;

// The gbdt model's settings (XGBoost), written in the LightGBM names of the reference tool's
// `lgbm_params` section so its configs work unchanged; model::translate_lgbm maps them to
// XGBoost's parameters (docs/CALIBRATION_AND_ELV.md).
struct GbdtSettings {
  int n_estimators = 400;
  double learning_rate = 0.05;
  int num_leaves = 31;  // 2 ..= model::kMaxNumLeaves
  int min_child_samples = 50;
  double subsample = 0.9;
  double colsample_bytree = 0.9;
  double reg_lambda = 1.0;
  // elv's additions (docs/CONTRACT.md §5, "gbdt on small data"): stop once this many
  // rounds in a row did not lower the log loss on the newest validation_frac of the train
  // split (0 = off: always n_estimators rounds), and cap the tree size / raise the leaf
  // minimum for small training sets (scale_to_data: false = the values above as given).
  int early_stopping_rounds = 50;  // >= 0 (LightGBM's name)
  double validation_frac = 0.2;    // > 0 and <= 0.5
  bool scale_to_data = true;

  bool operator==(const GbdtSettings&) const = default;
};

struct LogregParams {
  // 0.1, not the reference tool's 1.0: the stronger penalty ranks as well or better on every
  // benchmark set but one (bench/RESULTS.md, "Long-window ads rates").
  double C = 0.1;       // > 0
  int max_iter = 2000;  // >= 1

  bool operator==(const LogregParams&) const = default;
};

struct ModelConfig {
  // logreg | gbdt | lgbm (alias of gbdt) | auto (both, the better on the calib split)
  std::string model_type = "logreg";
  std::string calibration_method = "sigmoid";  // sigmoid | isotonic
  int64_t random_seed = 7;
  GbdtSettings lgbm_params;  // named after its YAML section
  LogregParams logreg_params;
  int nthread = 0;  // XGBoost threads; 0 = all cores (an elv extension, optional key)

  bool operator==(const ModelConfig&) const = default;
};

// How input files are read (the `csv:` section). An empty field means "decide from the
// file's own evidence" (docs/BYO_CSVS.md, "CSV dialect and numbers").
struct CsvOptions {
  std::string delimiter;  // "" = detect, or one of "," ";" "\t"
  std::string decimal;    // "" = detect, or "." or ","
  std::string timezone;   // "" = timestamps without an offset are UTC; else an IANA name

  bool operator==(const CsvOptions&) const = default;
};

struct CsvConfig {
  CsvOptions all;                                 // csv.delimiter, csv.decimal, csv.timezone
  std::map<std::string, CsvOptions> by_path_key;  // csv.ads_path: {...} (a paths.* key name)
  // The options for one file: its own fields where set, else the global ones.
  CsvOptions for_path_key(const std::string& path_key) const;

  bool operator==(const CsvConfig&) const = default;
};

struct ReportingConfig {
  double topk_frac = 0.10;     // (0, 1]
  int ece_bins = 10;           // >= 2
  int min_segment_leads = 30;  // >= 0

  bool operator==(const ReportingConfig&) const = default;
};

// How the outcomes file's columns are found (the `outcomes:` section; docs/CRM_EXPORTS.md).
// Fields hold the effective values: a preset's columns, then the explicit keys over them.
// All empty = the contract's own names and the alias table (docs/CONTRACT.md §2).
struct OutcomesConfig {
  std::string preset;                         // "" | hubspot | salesforce
  std::string lead_id_column;                 // outcomes.columns.lead_id: a header, "" = aliases
  std::string qualified_time_column;          // outcomes.columns.qualified_time
  std::string stage_column;                   // stage mode: a lead's stage, one row per change
  std::string stage_time_column;              // stage mode: when the row's stage was reached
  std::vector<std::string> qualified_stages;  // stage mode: the stages that mean "qualified"

  bool stage_mode() const { return !stage_column.empty(); }
  bool operator==(const OutcomesConfig&) const = default;
};

// Answers on Meta's lead form used as features (the `lead_fields:` section; docs/LEAD_FORMS.md).
// Each entry is a leads-file header as exported ("what_is_your_budget?"), matched trimmed and
// case-insensitively. Opt-in: columns not listed are dropped on load, as every column outside
// the contract is.
struct LeadFieldsConfig {
  std::vector<std::string> categorical;  // one-hot: the most frequent answers, then "other"
  std::vector<std::string> numeric;      // read as numbers, like every number column
  int max_categories = 20;               // answers kept per categorical column, 1..100

  bool empty() const { return categorical.empty() && numeric.empty(); }
  bool operator==(const LeadFieldsConfig&) const = default;
};

// A CRM's export, as its documentation names the columns (docs/CRM_EXPORTS.md): the
// outcomes.preset names, for the config reader and for contracts/discover.cpp, which
// recognises such an export in a --data folder by its qualified_time header.
struct OutcomesPreset {
  std::string_view name;                   // "hubspot"
  std::string_view qualified_time_column;  // the header its product documents
  std::string_view product;                // for messages
};
const std::vector<OutcomesPreset>& outcomes_presets();

struct Config {
  int schema_version = 1;
  PathsConfig paths;
  LabelConfig label;
  FeaturesConfig features;
  BusinessConfig business;
  SplitsConfig splits;
  ModelConfig model;
  ReportingConfig reporting;
  CsvConfig csv;
  OutcomesConfig outcomes;
  LeadFieldsConfig lead_fields;
  std::string source_path;  // the file it was loaded from (empty for defaults)

  // Field-wise, source_path included (used by the round-trip tests).
  bool operator==(const Config&) const = default;
};

// Loads and checks a config file. Throws elv::Error naming the file and the key path
// ("model.calibration_method: must be one of sigmoid, isotonic"; "paths.ads_pth: unknown
// key"). Missing sections and keys take the defaults above.
Config load_config(const std::string& path);
Config parse_config(const std::string& yaml_text, const std::string& base_dir,
                    const std::string& name = "<config>");

// The effective config as YAML (what every run writes back as config.yaml); paths are
// written as absolute paths, nulls as null. parse_config(to_yaml(c)) == c.
std::string to_yaml(const Config& config);

}  // namespace elv
