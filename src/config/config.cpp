// Loading, checking and writing back the run configuration (docs/CONTRACT.md §3).
//
// The reader walks the YAML tree section by section against fixed key lists, so an
// unknown key, a wrong type or an out-of-range value is reported with its full key path
// ("model.logreg_params.C: must be > 0"). Type checks are strict on purpose: a config is
// written by hand, and "1.5" silently becoming 1 or "yes" becoming true hides mistakes.
#include "config/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/error.h"
#include "base/format.h"
#include "io/files.h"
#include "io/parse.h"
#include "io/timezone.h"
#include "io/utf8.h"

namespace elv {
namespace {

namespace fs = std::filesystem;

// What every reader needs to report an error and resolve a path; passed down explicitly.
struct Context {
  std::string file;   // the name errors carry
  fs::path base_dir;  // relative paths resolve against it
};

[[noreturn]] void fail(const Context& ctx, const std::string& key_path, const std::string& what) {
  throw Error(key_path + ": " + what, ctx.file);
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// How a wrong value is shown in a message: scalars quoted, the rest by kind.
std::string describe(const YAML::Node& node) {
  if (node.IsNull()) return "null";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

// 1-based line of the first byte that is not part of well-formed UTF-8 (Unicode Table 3-7)
// or is a control character YAML does not allow (all of C0 but tab, LF and CR, and DEL);
// 0 when the text is clean. yaml-cpp mishandles NUL bytes (found by fuzzing), so they
// never reach it.
int64_t first_invalid_utf8_line(std::string_view s, bool allow_controls = false) {
  int64_t line = 1;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!allow_controls && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F))
        return line;
      line += c == '\n';
      ++i;
      continue;
    }
    const size_t n = io::utf8::sequence_length(s, i);
    if (n == 0) return line;
    i += n;
  }
  return 0;
}

// Case-insensitive Levenshtein distance, for "did you mean" hints.
size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string unknown_key_message(const std::string& key,
                                const std::vector<std::string_view>& known) {
  std::string message = "unknown key";
  size_t best = 3;  // only suggest within distance 2
  std::string_view suggestion;
  for (std::string_view k : known) {
    const size_t d = edit_distance(key, k);
    if (d < best) {
      best = d;
      suggestion = k;
    }
  }
  if (!suggestion.empty()) message += " (did you mean " + std::string(suggestion) + "?)";
  return message;
}

// One mapping of the config (the top level, a section, or a nested params block). Built
// from a node that must be a mapping or null (null = all defaults); every key is checked
// against the known list on construction, so readers only see known keys.
class Section {
 public:
  Section(const YAML::Node& node, std::string path, std::vector<std::string_view> known,
          const Context& ctx)
      : path_(std::move(path)), ctx_(ctx) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) {
      fail(ctx_, where(), "expected a mapping, got " + describe(node));
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) fail(ctx_, where(), "keys must be plain names");
      const std::string key = it->first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        fail(ctx_, key_path(key), unknown_key_message(key, known));
      }
      if (find(key) != nullptr) fail(ctx_, key_path(key), "duplicate key");
      entries_.emplace_back(key, it->second);
    }
  }

  // nullptr when the key is absent (the caller keeps its default).
  const YAML::Node* find(std::string_view key) const {
    for (const auto& [k, v] : entries_) {
      if (k == key) return &v;
    }
    return nullptr;
  }

  Section child(std::string_view key, std::vector<std::string_view> known) const {
    const YAML::Node* node = find(key);
    return Section(node ? *node : YAML::Node(), key_path(key), std::move(known), ctx_);
  }

  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::string where() const { return path_.empty() ? "config" : path_; }
  const Context& ctx() const { return ctx_; }

 private:
  std::string path_;
  const Context& ctx_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// The file is checked to be UTF-8, but yaml-cpp can still hand back a string that is not
// (a NUL byte inside a plain scalar came out as a lone 0xA0), which config.yaml could not
// record faithfully (found by fuzzing).
void require_utf8(const Section& s, std::string_view key, const std::string& text) {
  // Controls are allowed here: a double-quoted "\t" is a legitimate value.
  if (first_invalid_utf8_line(text, /*allow_controls=*/true) > 0)
    fail(s.ctx(), s.key_path(key), "not valid UTF-8 text");
}

// ---- scalar readers: each leaves `out` untouched when the key is absent -------------

// Numbers and booleans must be written bare: a quoted "14" is a string in YAML.
std::string_view bare_scalar(const Section& s, std::string_view key, const YAML::Node& node,
                             const char* expected) {
  if (!node.IsScalar()) {
    fail(s.ctx(), s.key_path(key), std::string(expected) + ", got " + describe(node));
  }
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
    fail(s.ctx(), s.key_path(key),
         std::string(expected) + ", got the quoted string " + describe(node));
  }
  return node.Scalar();
}

int64_t integer_value(const Section& s, std::string_view key, const YAML::Node& node) {
  std::string_view text = bare_scalar(s, key, node, "expected an integer");
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) fail(s.ctx(), s.key_path(key), "integer out of range");
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    fail(s.ctx(), s.key_path(key), "expected an integer, got " + describe(node));
  }
  return value;
}

void read(const Section& s, std::string_view key, int64_t& out) {
  if (const YAML::Node* node = s.find(key)) out = integer_value(s, key, *node);
}

void read(const Section& s, std::string_view key, int& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  const int64_t value = integer_value(s, key, *node);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    fail(s.ctx(), s.key_path(key), "integer out of range");
  }
  out = static_cast<int>(value);
}

void read(const Section& s, std::string_view key, double& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  std::string_view text = bare_scalar(s, key, *node, "expected a number");
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() ||
      !std::isfinite(value)) {
    fail(s.ctx(), s.key_path(key), "expected a number, got " + describe(*node));
  }
  out = value;
}

void read(const Section& s, std::string_view key, bool& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  const std::string_view text = bare_scalar(s, key, *node, "expected true or false");
  if (text == "true" || text == "True" || text == "TRUE") {
    out = true;
  } else if (text == "false" || text == "False" || text == "FALSE") {
    out = false;
  } else {
    fail(s.ctx(), s.key_path(key), "expected true or false, got " + describe(*node));
  }
}

void read(const Section& s, std::string_view key, std::string& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  if (!node->IsScalar()) {
    fail(s.ctx(), s.key_path(key), "expected a string, got " + describe(*node));
  }
  require_utf8(s, key, node->Scalar());
  out = node->Scalar();
}

// null or "" -> "" (not given); otherwise absolute and normalised, relative to the
// config file's folder so a config works from any working directory.
void read_path(const Section& s, std::string_view key, std::string& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  if (node->IsNull()) {
    out.clear();
    return;
  }
  if (!node->IsScalar()) {
    fail(s.ctx(), s.key_path(key), "expected a file path, got " + describe(*node));
  }
  const std::string& text = node->Scalar();
  if (text.empty()) {
    out.clear();
    return;
  }
  require_utf8(s, key, text);
  fs::path p(text);
  if (p.is_relative()) p = s.ctx().base_dir / p;
  out = fs::absolute(p).lexically_normal().string();
}

void read_date(const Section& s, std::string_view key, std::optional<int32_t>& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  if (node->IsNull()) {
    out.reset();
    return;
  }
  // date_days also takes timestamps; a config date must be exactly a date.
  const std::optional<int32_t> days = (node->IsScalar() && node->Scalar().size() == 10)
                                          ? parse::date_days(node->Scalar())
                                          : std::nullopt;
  if (!days) {
    fail(s.ctx(), s.key_path(key), "expected a date YYYY-MM-DD, got " + describe(*node));
  }
  out = days;
}

// ---- sections ---------------------------------------------------------------------

void read_paths(const Section& top, PathsConfig& p) {
  const Section s = top.child(
      "paths", {"ads_path", "leads_path", "outcomes_path", "lead_to_ad_map_path",
                "ads_placement_path", "ads_geo_path", "adset_targeting_path", "ad_creatives_path"});
  read_path(s, "ads_path", p.ads_path);
  read_path(s, "leads_path", p.leads_path);
  read_path(s, "outcomes_path", p.outcomes_path);
  read_path(s, "lead_to_ad_map_path", p.lead_to_ad_map_path);
  read_path(s, "ads_placement_path", p.ads_placement_path);
  read_path(s, "ads_geo_path", p.ads_geo_path);
  read_path(s, "adset_targeting_path", p.adset_targeting_path);
  read_path(s, "ad_creatives_path", p.ad_creatives_path);
}

void read_label(const Section& top, LabelConfig& l) {
  const Section s =
      top.child("label", {"label_window_days", "as_of_date", "require_label_maturity"});
  read(s, "label_window_days", l.label_window_days);
  read_date(s, "as_of_date", l.as_of_date);
  read(s, "require_label_maturity", l.require_label_maturity);
}

void read_features(const Section& top, FeaturesConfig& f) {
  const Section s =
      top.child("features", {"ads_granularity", "feature_window_days", "feature_lag_days",
                             "outcome_history", "outcome_history_prior"});
  read(s, "ads_granularity", f.ads_granularity);
  read(s, "feature_window_days", f.feature_window_days);
  read(s, "feature_lag_days", f.feature_lag_days);
  read(s, "outcome_history", f.outcome_history);
  read(s, "outcome_history_prior", f.outcome_history_prior);
}

void read_business(const Section& top, BusinessConfig& b) {
  const Section s = top.child("business", {"value_per_qualified", "currency"});
  read(s, "value_per_qualified", b.value_per_qualified);
  if (s.find("value_per_qualified")) b.value_source = ValueSource::kConfig;
  read(s, "currency", b.currency);
}

void read_splits(const Section& top, SplitsConfig& sp) {
  const Section s = top.child("splits", {"train_frac", "calib_frac", "test_frac"});
  read(s, "train_frac", sp.train_frac);
  read(s, "calib_frac", sp.calib_frac);
  read(s, "test_frac", sp.test_frac);
}

void read_model(const Section& top, ModelConfig& m) {
  const Section s = top.child("model", {"model_type", "calibration_method", "random_seed",
                                        "lgbm_params", "logreg_params", "nthread"});
  read(s, "model_type", m.model_type);
  read(s, "calibration_method", m.calibration_method);
  read(s, "random_seed", m.random_seed);
  read(s, "nthread", m.nthread);

  const Section lgbm =
      s.child("lgbm_params", {"n_estimators", "learning_rate", "num_leaves", "min_child_samples",
                              "subsample", "colsample_bytree", "reg_lambda",
                              "early_stopping_rounds", "validation_frac", "scale_to_data"});
  GbdtSettings& g = m.lgbm_params;
  read(lgbm, "n_estimators", g.n_estimators);
  read(lgbm, "learning_rate", g.learning_rate);
  read(lgbm, "num_leaves", g.num_leaves);
  read(lgbm, "min_child_samples", g.min_child_samples);
  read(lgbm, "subsample", g.subsample);
  read(lgbm, "colsample_bytree", g.colsample_bytree);
  read(lgbm, "reg_lambda", g.reg_lambda);
  read(lgbm, "early_stopping_rounds", g.early_stopping_rounds);
  read(lgbm, "validation_frac", g.validation_frac);
  read(lgbm, "scale_to_data", g.scale_to_data);

  const Section logreg = s.child("logreg_params", {"C", "max_iter"});
  read(logreg, "C", m.logreg_params.C);
  read(logreg, "max_iter", m.logreg_params.max_iter);
}

void read_reporting(const Section& top, ReportingConfig& r) {
  const Section s = top.child("reporting", {"topk_frac", "ece_bins", "min_segment_leads"});
  read(s, "topk_frac", r.topk_frac);
  read(s, "ece_bins", r.ece_bins);
  read(s, "min_segment_leads", r.min_segment_leads);
}

// The keys of the paths section: csv options may be given per file under the same names.
const std::vector<std::string_view> kPathKeys = {
    "ads_path",           "leads_path",   "outcomes_path",        "lead_to_ad_map_path",
    "ads_placement_path", "ads_geo_path", "adset_targeting_path", "ad_creatives_path"};

// csv.delimiter: "," ";" or a tab, also spelled comma / semicolon / tab; auto = detect.
void read_csv_options(const Section& s, CsvOptions& o) {
  std::string delimiter, decimal;
  read(s, "delimiter", delimiter);
  if (delimiter == "comma") delimiter = ",";
  if (delimiter == "semicolon") delimiter = ";";
  if (delimiter == "tab") delimiter = "\t";
  if (delimiter == "auto") delimiter.clear();
  if (!delimiter.empty() && delimiter != "," && delimiter != ";" && delimiter != "\t")
    fail(s.ctx(), s.key_path("delimiter"),
         "must be one of ',', ';', tab or auto (got '" + delimiter + "')");
  read(s, "decimal", decimal);
  if (decimal == "auto") decimal.clear();
  if (!decimal.empty() && decimal != "." && decimal != ",")
    fail(s.ctx(), s.key_path("decimal"), "must be '.', ',' or auto (got '" + decimal + "')");
  std::string timezone;
  read(s, "timezone", timezone);
  if (!timezone.empty() && !tz::Zone::load(timezone))
    fail(s.ctx(), s.key_path("timezone"),
         "unknown time zone '" + timezone +
             "' (use an IANA name such as Europe/Berlin, "
             "America/New_York or UTC)");
  if (s.find("delimiter")) o.delimiter = delimiter;
  if (s.find("decimal")) o.decimal = decimal;
  if (s.find("timezone")) o.timezone = timezone;
}

void read_csv(const Section& top, CsvConfig& c) {
  std::vector<std::string_view> known = {"delimiter", "decimal", "timezone"};
  known.insert(known.end(), kPathKeys.begin(), kPathKeys.end());
  const Section s = top.child("csv", known);
  read_csv_options(s, c.all);
  for (std::string_view key : kPathKeys) {
    if (!s.find(key)) continue;
    CsvOptions own;
    read_csv_options(s.child(key, {"delimiter", "decimal", "timezone"}), own);
    c.by_path_key[std::string(key)] = own;
  }
}

// ---- outcomes: CRM exports (docs/CRM_EXPORTS.md) -------------------------------------

const OutcomesPreset* find_outcomes_preset(std::string_view name) {
  for (const auto& p : outcomes_presets())
    if (p.name == name) return &p;
  return nullptr;
}

// A header name: a non-empty string (compared trimmed and case-insensitively at load).
void read_header_name(const Section& s, std::string_view key, std::string& out) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  if (!node->IsScalar() || node->IsNull())
    fail(s.ctx(), s.key_path(key), "expected a column name, got " + describe(*node));
  std::string text;
  read(s, key, text);
  if (text.find_first_not_of(" \t") == std::string::npos)
    fail(s.ctx(), s.key_path(key), "expected a column name, got an empty string");
  out = text;
}

void read_outcomes(const Section& top, const Context& ctx, OutcomesConfig& o) {
  const Section s = top.child(
      "outcomes", {"preset", "columns", "stage_column", "stage_time_column", "qualified_stages"});
  const Section columns = s.child("columns", {"lead_id", "qualified_time"});
  read(s, "preset", o.preset);
  const OutcomesPreset* preset = nullptr;
  if (s.find("preset")) {
    preset = find_outcomes_preset(o.preset);
    std::string names;
    for (const auto& p : outcomes_presets())
      names += (names.empty() ? "" : ", ") + std::string(p.name);
    if (!preset)
      fail(ctx, "outcomes.preset", "must be one of " + names + " (got '" + o.preset + "')");
  }
  OutcomesConfig given;
  read_header_name(columns, "lead_id", given.lead_id_column);
  read_header_name(columns, "qualified_time", given.qualified_time_column);
  read_header_name(s, "stage_column", given.stage_column);
  read_header_name(s, "stage_time_column", given.stage_time_column);
  if (const YAML::Node* node = s.find("qualified_stages")) {
    if (!node->IsSequence())
      fail(ctx, "outcomes.qualified_stages",
           "expected a list of stage names, got " + describe(*node));
    for (size_t i = 0; i < node->size(); ++i) {
      const YAML::Node item = (*node)[i];
      const std::string where = "outcomes.qualified_stages[" + std::to_string(i) + "]";
      if (!item.IsScalar() || item.Scalar().find_first_not_of(" \t") == std::string::npos)
        fail(ctx, where, "expected a stage name, got " + describe(item));
      if (first_invalid_utf8_line(item.Scalar(), true) > 0)
        fail(ctx, where, "not valid UTF-8 text");
      given.qualified_stages.push_back(item.Scalar());
    }
    if (given.qualified_stages.empty())
      fail(ctx, "outcomes.qualified_stages", "must list at least one stage");
  }

  const bool stage_given = !given.stage_column.empty() || !given.stage_time_column.empty();
  if (!given.stage_column.empty() && given.stage_time_column.empty())
    fail(ctx, "outcomes.stage_time_column",
         "required with outcomes.stage_column: the column that says when each row's stage was "
         "reached");
  if (given.stage_column.empty() && !given.stage_time_column.empty())
    fail(ctx, "outcomes.stage_column", "required with outcomes.stage_time_column");
  if (stage_given && given.qualified_stages.empty())
    fail(ctx, "outcomes.qualified_stages",
         "required with outcomes.stage_column: the stages that mean qualified");
  if (!stage_given && !given.qualified_stages.empty())
    fail(ctx, "outcomes.qualified_stages",
         "needs outcomes.stage_column and outcomes.stage_time_column");
  if (stage_given && !given.qualified_time_column.empty())
    fail(ctx, "outcomes.columns.qualified_time",
         "cannot be used with outcomes.stage_column: in stage mode qualified_time is the first "
         "time a lead reached one of outcomes.qualified_stages; remove one of them");

  // The preset first, then the keys given over it; stage mode replaces a preset's
  // qualified_time column.
  if (preset && !stage_given) o.qualified_time_column = preset->qualified_time_column;
  if (!given.qualified_time_column.empty()) o.qualified_time_column = given.qualified_time_column;
  o.lead_id_column = given.lead_id_column;
  o.stage_column = given.stage_column;
  o.stage_time_column = given.stage_time_column;
  o.qualified_stages = given.qualified_stages;
  if (preset && o.lead_id_column.empty())
    fail(ctx, "outcomes.columns.lead_id",
         "required with preset " + o.preset + ": " + std::string(preset->product) +
             " has no standard column for Meta's lead id (it is a custom property); set "
             "outcomes.columns.lead_id to the header of the column that holds it");
}

// ---- lead_fields: form answers as features (docs/LEAD_FORMS.md) ----------------------

// A list of header names; a column listed twice (in either list, compared trimmed and
// case-insensitively) is an error, since its features would be made twice.
void read_header_list(const Section& s, std::string_view key, std::vector<std::string>& out,
                      std::vector<std::string>& seen) {
  const YAML::Node* node = s.find(key);
  if (!node) return;
  if (!node->IsSequence())
    fail(s.ctx(), s.key_path(key), "expected a list of column names, got " + describe(*node));
  for (size_t i = 0; i < node->size(); ++i) {
    const YAML::Node item = (*node)[i];
    const std::string where = s.key_path(key) + "[" + std::to_string(i) + "]";
    if (!item.IsScalar() || item.Scalar().find_first_not_of(" \t") == std::string::npos)
      fail(s.ctx(), where, "expected a column name, got " + describe(item));
    if (first_invalid_utf8_line(item.Scalar(), true) > 0)
      fail(s.ctx(), where, "not valid UTF-8 text");
    const std::string folded = lowercase_trimmed(item.Scalar());
    if (std::find(seen.begin(), seen.end(), folded) != seen.end())
      fail(s.ctx(), where, "column '" + item.Scalar() + "' is listed twice in lead_fields");
    seen.push_back(folded);
    out.push_back(item.Scalar());
  }
}

void read_lead_fields(const Section& top, LeadFieldsConfig& f) {
  const Section s = top.child("lead_fields", {"categorical", "numeric", "max_categories"});
  std::vector<std::string> seen;
  read_header_list(s, "categorical", f.categorical, seen);
  read_header_list(s, "numeric", f.numeric, seen);
  read(s, "max_categories", f.max_categories);
}

// ---- range checks (after reading, so each rule sees the final values) ---------------

void require(bool ok, const Context& ctx, const std::string& key_path, const std::string& rule,
             const std::string& got) {
  if (!ok) fail(ctx, key_path, rule + " (got " + got + ")");
}

void require(bool ok, const Context& ctx, const std::string& key_path, const std::string& rule,
             double got) {
  require(ok, ctx, key_path, rule, format_number(got));
}

bool in_unit_interval(double v) { return v > 0 && v <= 1; }  // (0, 1]

void validate_splits(const SplitsConfig& s, const Context& ctx) {
  const std::pair<const char*, double> fracs[] = {
      {"train_frac", s.train_frac}, {"calib_frac", s.calib_frac}, {"test_frac", s.test_frac}};
  for (const auto& [name, v] : fracs) {
    require(v > 0 && v < 1, ctx, std::string("splits.") + name, "must be > 0 and < 1", v);
  }
  const double sum = s.train_frac + s.calib_frac + s.test_frac;
  if (std::fabs(sum - 1.0) > 1e-6) {
    fail(ctx, "splits",
         "train_frac + calib_frac + test_frac must be 1 (got " + format_number(sum) + ")");
  }
}

void validate_model(const ModelConfig& m, const Context& ctx) {
  require(m.model_type == "logreg" || m.model_type == "gbdt" || m.model_type == "lgbm" ||
              m.model_type == "auto",
          ctx, "model.model_type", "must be one of logreg, gbdt, lgbm, auto",
          "'" + m.model_type + "'");
  require(m.calibration_method == "sigmoid" || m.calibration_method == "isotonic", ctx,
          "model.calibration_method", "must be one of sigmoid, isotonic",
          "'" + m.calibration_method + "'");
  require(m.random_seed >= 0, ctx, "model.random_seed", "must be >= 0",
          std::to_string(m.random_seed));
  require(m.nthread >= 0, ctx, "model.nthread", "must be >= 0", m.nthread);

  const GbdtSettings& g = m.lgbm_params;
  const std::string lg = "model.lgbm_params.";
  require(g.n_estimators >= 1, ctx, lg + "n_estimators", "must be >= 1", g.n_estimators);
  require(g.learning_rate > 0, ctx, lg + "learning_rate", "must be > 0", g.learning_rate);
  // LightGBM's own range is 2..131072; elv stops at kMaxNumLeaves (4096) so that
  // every tree a config can grow stays within the bundle's tree limits (docs/LIMITS.md).
  require(g.num_leaves >= 2 && g.num_leaves <= kMaxNumLeaves, ctx, lg + "num_leaves",
          "must be >= 2 and <= " + std::to_string(kMaxNumLeaves), g.num_leaves);
  require(g.min_child_samples >= 0, ctx, lg + "min_child_samples", "must be >= 0",
          g.min_child_samples);
  require(in_unit_interval(g.subsample), ctx, lg + "subsample", "must be > 0 and <= 1",
          g.subsample);
  require(in_unit_interval(g.colsample_bytree), ctx, lg + "colsample_bytree",
          "must be > 0 and <= 1", g.colsample_bytree);
  require(g.reg_lambda >= 0, ctx, lg + "reg_lambda", "must be >= 0", g.reg_lambda);
  require(g.early_stopping_rounds >= 0, ctx, lg + "early_stopping_rounds", "must be >= 0",
          g.early_stopping_rounds);
  require(g.validation_frac > 0 && g.validation_frac <= 0.5, ctx, lg + "validation_frac",
          "must be > 0 and <= 0.5", g.validation_frac);

  require(m.logreg_params.C > 0, ctx, "model.logreg_params.C", "must be > 0", m.logreg_params.C);
  require(m.logreg_params.max_iter >= 1, ctx, "model.logreg_params.max_iter", "must be >= 1",
          m.logreg_params.max_iter);
}

void validate(const Config& c, const Context& ctx) {
  require(c.schema_version == 1, ctx, "schema_version", "must be 1", c.schema_version);

  require(c.label.label_window_days >= 1, ctx, "label.label_window_days", "must be >= 1",
          c.label.label_window_days);

  const FeaturesConfig& f = c.features;
  require(f.ads_granularity == "daily", ctx, "features.ads_granularity", "only daily is supported",
          "'" + f.ads_granularity + "'");
  require(f.feature_window_days >= 3, ctx, "features.feature_window_days", "must be >= 3",
          f.feature_window_days);
  require(f.feature_lag_days >= 0 && f.feature_lag_days < f.feature_window_days, ctx,
          "features.feature_lag_days", "must be >= 0 and < feature_window_days",
          f.feature_lag_days);
  require(std::isfinite(f.outcome_history_prior) && f.outcome_history_prior > 0, ctx,
          "features.outcome_history_prior", "must be > 0 (leads of smoothing)",
          f.outcome_history_prior);

  // ELV = p x value: a value of 0 would rank every lead at 0 and make every leaderboard
  // meaningless, and a negative one would invert them.
  require(c.business.value_per_qualified > 0, ctx, "business.value_per_qualified",
          "must be > 0: the money one qualified lead is worth", c.business.value_per_qualified);

  const std::string& cur = c.business.currency;
  require(cur.empty() || is_currency_code(cur), ctx, "business.currency",
          "must be an ISO 4217 code of three capital letters (EUR, USD)", "'" + cur + "'");

  validate_splits(c.splits, ctx);
  validate_model(c.model, ctx);

  const ReportingConfig& r = c.reporting;
  require(in_unit_interval(r.topk_frac), ctx, "reporting.topk_frac", "must be > 0 and <= 1",
          r.topk_frac);
  require(r.ece_bins >= 2, ctx, "reporting.ece_bins", "must be >= 2", r.ece_bins);
  require(r.min_segment_leads >= 0, ctx, "reporting.min_segment_leads", "must be >= 0",
          r.min_segment_leads);
  require(c.lead_fields.max_categories >= 1 && c.lead_fields.max_categories <= 100, ctx,
          "lead_fields.max_categories", "must be 1 to 100", c.lead_fields.max_categories);
}

// 1-based number of the first non-blank line up to `last_line` whose indentation holds a
// tab; 0 if none. YAML indents with spaces only, and yaml-cpp's message for a tab ("illegal
// map value", "illegal tab when looking for indentation") does not say so. Only asked after
// yaml-cpp failed: a tab inside a quoted value, even at the start of a continuation line,
// is legal and parses.
int64_t first_tab_indented_line(std::string_view text, int64_t last_line) {
  int64_t line = 1;
  for (size_t start = 0; start < text.size() && line <= last_line; ++line) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view l = text.substr(start, end - start);
    const size_t content = l.find_first_not_of(" \t\r");
    if (content != std::string_view::npos &&
        l.substr(0, content).find('\t') != std::string_view::npos)
      return line;
    start = end + 1;
  }
  return 0;
}

YAML::Node load_yaml(const std::string& text, const Context& ctx) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    if (const int64_t line = first_tab_indented_line(
            text, e.mark.line >= 0 ? e.mark.line + 1 : std::numeric_limits<int64_t>::max());
        line > 0)
      throw Error("line " + std::to_string(line) +
                      ": a tab character indents this line; YAML indents with spaces only",
                  ctx.file);
    // yaml-cpp marks are 0-based; editors count from 1.
    throw Error("YAML syntax error at line " + std::to_string(e.mark.line + 1) + ", column " +
                    std::to_string(e.mark.column + 1) + ": " + e.msg,
                ctx.file);
  } catch (const YAML::Exception& e) {
    throw Error(std::string("YAML error: ") + e.what(), ctx.file);
  }
}

// ---- writing ------------------------------------------------------------------------

// Shortest text that reads back as the same double, always with a '.' in the mantissa so
// YAML 1.1 readers (PyYAML) also see a float: 0.6 -> "0.6", 1 -> "1.0", 1e-07 -> "1.0e-07".
std::string yaml_double(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, ec == std::errc() ? end : buf);
  const size_t exp = s.find_first_of("eE");
  const std::string mantissa = s.substr(0, exp);
  if (mantissa.find('.') == std::string::npos) s.insert(mantissa.size(), ".0");
  return s;
}

// yaml-cpp writes leading or trailing blanks and control characters (CR, tab, ...) plain,
// and a plain scalar loses them when read back (found by fuzzing the to_yaml/parse_config
// round trip). Double quotes keep them, escaped; ordinary paths stay unquoted.
bool needs_double_quotes(const std::string& s) {
  if (s.front() == ' ' || s.back() == ' ') return true;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

void emit_path(YAML::Emitter& out, const char* key, const std::string& path) {
  out << YAML::Key << key << YAML::Value;
  if (path.empty()) {
    out << YAML::Null;
  } else if (needs_double_quotes(path)) {
    out << YAML::DoubleQuoted << path;
  } else {
    out << path;
  }
}

void emit_double(YAML::Emitter& out, const char* key, double v) {
  out << YAML::Key << key << YAML::Value << yaml_double(v);
}

template <typename T>
void emit(YAML::Emitter& out, const char* key, const T& v) {
  out << YAML::Key << key << YAML::Value << v;
}

void emit_paths(YAML::Emitter& out, const PathsConfig& p) {
  out << YAML::Key << "paths" << YAML::Value << YAML::BeginMap;
  emit_path(out, "ads_path", p.ads_path);
  emit_path(out, "leads_path", p.leads_path);
  emit_path(out, "outcomes_path", p.outcomes_path);
  emit_path(out, "lead_to_ad_map_path", p.lead_to_ad_map_path);
  emit_path(out, "ads_placement_path", p.ads_placement_path);
  emit_path(out, "ads_geo_path", p.ads_geo_path);
  emit_path(out, "adset_targeting_path", p.adset_targeting_path);
  emit_path(out, "ad_creatives_path", p.ad_creatives_path);
  out << YAML::EndMap;
}

void emit_model(YAML::Emitter& out, const ModelConfig& m) {
  out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  emit(out, "model_type", m.model_type);
  emit(out, "calibration_method", m.calibration_method);
  emit(out, "random_seed", static_cast<long long>(m.random_seed));
  out << YAML::Key << "lgbm_params" << YAML::Value << YAML::BeginMap;
  emit(out, "n_estimators", m.lgbm_params.n_estimators);
  emit_double(out, "learning_rate", m.lgbm_params.learning_rate);
  emit(out, "num_leaves", m.lgbm_params.num_leaves);
  emit(out, "min_child_samples", m.lgbm_params.min_child_samples);
  emit_double(out, "subsample", m.lgbm_params.subsample);
  emit_double(out, "colsample_bytree", m.lgbm_params.colsample_bytree);
  emit_double(out, "reg_lambda", m.lgbm_params.reg_lambda);
  emit(out, "early_stopping_rounds", m.lgbm_params.early_stopping_rounds);  // elv's additions
  emit_double(out, "validation_frac", m.lgbm_params.validation_frac);
  emit(out, "scale_to_data", m.lgbm_params.scale_to_data);
  out << YAML::EndMap;
  out << YAML::Key << "logreg_params" << YAML::Value << YAML::BeginMap;
  emit_double(out, "C", m.logreg_params.C);
  emit(out, "max_iter", m.logreg_params.max_iter);
  out << YAML::EndMap;
  emit(out, "nthread", m.nthread);  // elv extension, after the reference's keys
  out << YAML::EndMap;
}

// Only the fields set are written: an unset one means "detect", as when absent.
void emit_csv_options(YAML::Emitter& out, const CsvOptions& o) {
  if (!o.delimiter.empty())
    out << YAML::Key << "delimiter" << YAML::Value << YAML::DoubleQuoted << o.delimiter;
  if (!o.decimal.empty())
    out << YAML::Key << "decimal" << YAML::Value << YAML::DoubleQuoted << o.decimal;
  if (!o.timezone.empty()) emit(out, "timezone", o.timezone);
}

void emit_csv(YAML::Emitter& out, const CsvConfig& c) {
  out << YAML::Key << "csv" << YAML::Value << YAML::BeginMap;
  emit_csv_options(out, c.all);
  for (const auto& [key, options] : c.by_path_key) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    emit_csv_options(out, options);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_lead_fields(YAML::Emitter& out, const LeadFieldsConfig& f) {
  if (f == LeadFieldsConfig{}) return;
  out << YAML::Key << "lead_fields" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, list] :
       {std::pair{"categorical", &f.categorical}, {"numeric", &f.numeric}}) {
    if (list->empty()) continue;
    out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const auto& column : *list) out << YAML::DoubleQuoted << column;
    out << YAML::EndSeq;
  }
  emit(out, "max_categories", f.max_categories);
  out << YAML::EndMap;
}

void emit_outcomes(YAML::Emitter& out, const OutcomesConfig& o) {
  if (o == OutcomesConfig{}) return;
  out << YAML::Key << "outcomes" << YAML::Value << YAML::BeginMap;
  if (!o.preset.empty()) emit(out, "preset", o.preset);
  if (!o.lead_id_column.empty() || !o.qualified_time_column.empty()) {
    out << YAML::Key << "columns" << YAML::Value << YAML::BeginMap;
    if (!o.lead_id_column.empty())
      out << YAML::Key << "lead_id" << YAML::Value << YAML::DoubleQuoted << o.lead_id_column;
    if (!o.qualified_time_column.empty())
      out << YAML::Key << "qualified_time" << YAML::Value << YAML::DoubleQuoted
          << o.qualified_time_column;
    out << YAML::EndMap;
  }
  if (o.stage_mode()) {
    out << YAML::Key << "stage_column" << YAML::Value << YAML::DoubleQuoted << o.stage_column;
    out << YAML::Key << "stage_time_column" << YAML::Value << YAML::DoubleQuoted
        << o.stage_time_column;
    out << YAML::Key << "qualified_stages" << YAML::Value << YAML::BeginSeq;
    for (const auto& stage : o.qualified_stages) out << YAML::DoubleQuoted << stage;
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace

CsvOptions CsvConfig::for_path_key(const std::string& path_key) const {
  CsvOptions o = all;
  auto it = by_path_key.find(path_key);
  if (it == by_path_key.end()) return o;
  if (!it->second.delimiter.empty()) o.delimiter = it->second.delimiter;
  if (!it->second.decimal.empty()) o.decimal = it->second.decimal;
  if (!it->second.timezone.empty()) o.timezone = it->second.timezone;
  return o;
}

Config parse_config(const std::string& yaml_text, const std::string& base_dir,
                    const std::string& name) {
  const Context ctx{name, fs::path(base_dir)};
  // YAML is UTF-8 text. yaml-cpp accepts other bytes but writes them back as U+FFFD, so a
  // Windows-1252 path would be recorded wrongly in the run's config.yaml (found by fuzzing);
  // and it misreads NUL bytes.
  if (const int64_t line = first_invalid_utf8_line(yaml_text); line > 0) {
    throw Error("line " + std::to_string(line) +
                    ": not UTF-8 text (an invalid byte or a control character); save the "
                    "config as UTF-8 text",
                ctx.file);
  }
  const YAML::Node root = load_yaml(yaml_text, ctx);
  if (!root.IsMap()) {
    fail(ctx, "config",
         "expected a mapping of sections at the top level, got " +
             (root.IsNull() ? std::string("an empty document") : describe(root)));
  }
  const Section top(root, "",
                    {"schema_version", "paths", "label", "features", "business", "splits", "model",
                     "reporting", "csv", "outcomes", "lead_fields"},
                    ctx);
  Config c;
  read(top, "schema_version", c.schema_version);
  read_paths(top, c.paths);
  read_label(top, c.label);
  read_features(top, c.features);
  read_business(top, c.business);
  read_splits(top, c.splits);
  read_model(top, c.model);
  read_reporting(top, c.reporting);
  read_csv(top, c.csv);
  read_outcomes(top, ctx, c.outcomes);
  read_lead_fields(top, c.lead_fields);
  validate(c, ctx);
  return c;
}

Config load_config(const std::string& path) {
  std::error_code ec;
  io::require_regular_file(path, "config file");  // a FIFO or /dev/zero is never opened
  // A config is a page of YAML; anything this big is the wrong file (docs/LIMITS.md), and
  // reading it whole could exhaust memory.
  constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxConfigBytes)
    throw Error("config file is " + std::to_string(size) +
                    " bytes, above the limit of 1 MiB; "
                    "is this the right file?",
                path);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw Error("cannot read config file", path);
  const fs::path absolute = fs::absolute(path).lexically_normal();
  Config c = parse_config(text.str(), absolute.parent_path().string(), path);
  c.source_path = absolute.string();
  return c;
}

std::string_view value_source_name(ValueSource source) {
  switch (source) {
    case ValueSource::kPlaceholder:
      return "placeholder";
    case ValueSource::kConfig:
      return "config";
    case ValueSource::kDemoDefault:
      return "demo default";
    case ValueSource::kCommandLine:
      return "command line";
    case ValueSource::kForm:
      return "form";
  }
  return "placeholder";
}

std::string to_yaml(const Config& c) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  out << YAML::Comment("Effective configuration written by elv (paths are absolute)");
  out << YAML::BeginMap;
  emit(out, "schema_version", c.schema_version);
  emit_paths(out, c.paths);

  out << YAML::Key << "label" << YAML::Value << YAML::BeginMap;
  emit(out, "label_window_days", c.label.label_window_days);
  out << YAML::Key << "as_of_date" << YAML::Value;
  if (c.label.as_of_date) {
    out << parse::format_date(*c.label.as_of_date);
  } else {
    out << YAML::Null;
  }
  emit(out, "require_label_maturity", c.label.require_label_maturity);
  out << YAML::EndMap;

  out << YAML::Key << "features" << YAML::Value << YAML::BeginMap;
  emit(out, "ads_granularity", c.features.ads_granularity);
  emit(out, "feature_window_days", c.features.feature_window_days);
  emit(out, "feature_lag_days", c.features.feature_lag_days);
  emit(out, "outcome_history", c.features.outcome_history);
  emit_double(out, "outcome_history_prior", c.features.outcome_history_prior);
  out << YAML::EndMap;

  out << YAML::Key << "business" << YAML::Value << YAML::BeginMap;
  if (c.business.value_source != ValueSource::kPlaceholder || c.business.value_per_qualified != 1.0)
    emit_double(out, "value_per_qualified", c.business.value_per_qualified);
  if (!c.business.currency.empty()) emit(out, "currency", c.business.currency);
  out << YAML::EndMap;

  out << YAML::Key << "splits" << YAML::Value << YAML::BeginMap;
  emit_double(out, "train_frac", c.splits.train_frac);
  emit_double(out, "calib_frac", c.splits.calib_frac);
  emit_double(out, "test_frac", c.splits.test_frac);
  out << YAML::EndMap;

  emit_model(out, c.model);

  out << YAML::Key << "reporting" << YAML::Value << YAML::BeginMap;
  emit_double(out, "topk_frac", c.reporting.topk_frac);
  emit(out, "ece_bins", c.reporting.ece_bins);
  emit(out, "min_segment_leads", c.reporting.min_segment_leads);
  out << YAML::EndMap;

  emit_csv(out, c.csv);
  emit_outcomes(out, c.outcomes);
  emit_lead_fields(out, c.lead_fields);

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::vector<std::pair<const char*, std::string*>> path_fields(PathsConfig& p) {
  return {{"ads_path", &p.ads_path},
          {"leads_path", &p.leads_path},
          {"outcomes_path", &p.outcomes_path},
          {"lead_to_ad_map_path", &p.lead_to_ad_map_path},
          {"ads_placement_path", &p.ads_placement_path},
          {"ads_geo_path", &p.ads_geo_path},
          {"adset_targeting_path", &p.adset_targeting_path},
          {"ad_creatives_path", &p.ad_creatives_path}};
}

std::vector<std::pair<const char*, const std::string*>> path_fields(const PathsConfig& p) {
  std::vector<std::pair<const char*, const std::string*>> out;
  for (const auto& [key, field] : path_fields(const_cast<PathsConfig&>(p)))
    out.emplace_back(key, field);
  return out;
}

const std::vector<OutcomesPreset>& outcomes_presets() {
  // Neither product has a standard column for Meta's lead id (it is a custom property or
  // field), so both need outcomes.columns.lead_id.
  static const std::vector<OutcomesPreset> presets = {
      // HubSpot contacts export: the lifecycle stage date property's label.
      {"hubspot", "Became a Sales Qualified Lead Date", "HubSpot's contacts export"},
      // Salesforce Lead: the ConvertedDate field's label (a date without a time).
      {"salesforce", "Converted Date", "Salesforce's lead export"},
  };
  return presets;
}

}  // namespace elv
