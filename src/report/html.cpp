#include "report/html.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/error.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "io/files.h"
#include "io/parse.h"
#include "report/svg.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::report {

namespace {

constexpr const char* kDash = "\xE2\x80\x94";  // em dash: a value that is not there
constexpr const char* kNbsp = "\xC2\xA0";      // keeps "34.2 %" on one line
constexpr const char* kTimes = "\xC3\x97";     // the × of "3.4× random"
constexpr int kLeaderboardRows = 20;
constexpr int kHistogramBins = 20;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------
// Number formats

// "1234567.5" -> "1,234,567.5": separators in the integer part only.
std::string group_thousands(const std::string& number) {
  const size_t sign = !number.empty() && number[0] == '-' ? 1 : 0;
  size_t int_end = number.find('.');
  if (int_end == std::string::npos) int_end = number.size();
  std::string out = number.substr(0, sign);
  for (size_t i = sign; i < int_end; ++i) {
    if (i > sign && (int_end - i) % 3 == 0) out += ',';
    out += number[i];
  }
  return out + number.substr(int_end);
}

std::string format_metric(double v) { return std::isfinite(v) ? svg::fixed(v, 3) : kDash; }
std::string format_lift(double v) { return std::isfinite(v) ? svg::fixed(v, 1) + kTimes : kDash; }

// ---------------------------------------------------------------------------------------
// Artifacts: each loaded independently; a missing or damaged one never stops the report.

enum class State { Ok, Missing, Unreadable };

struct Status {
  State state = State::Missing;
  std::string problem;  // why an Unreadable artifact could not be read
  bool ok() const { return state == State::Ok; }
};

struct JsonArtifact {
  Status status;
  json value;
};

bool file_exists(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

JsonArtifact load_json(const fs::path& dir, const std::string& name) {
  JsonArtifact a;
  const fs::path path = dir / name;
  if (!file_exists(path)) return a;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    a.status = {State::Unreadable, "it cannot be opened"};
    return a;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    a.value = json::parse(text.str());
    a.status.state = a.value.is_object() ? State::Ok : State::Unreadable;
    if (!a.status.ok()) a.status.problem = "it is not a JSON object";
  } catch (const json::exception& e) {
    a.status = {State::Unreadable, e.what()};
  }
  return a;
}

// The first max_rows records of a CSV (leaderboards are already sorted), and how many
// records it has in all.
struct CsvHead {
  Status status;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int64_t total = 0;

  // Index of the column named key, or of the first starting with key when key ends in
  // '*' (the label window is part of some names: avg_p_qualified_14d); -1 if absent.
  int column(std::string_view key) const {
    const bool prefix = !key.empty() && key.back() == '*';
    if (prefix) key.remove_suffix(1);
    for (size_t i = 0; i < header.size(); ++i)
      if (prefix ? header[i].rfind(key, 0) == 0 : header[i] == key) return static_cast<int>(i);
    return -1;
  }
};

CsvHead load_csv_head(const fs::path& dir, const std::string& name, int max_rows) {
  CsvHead t;
  const fs::path path = dir / name;
  if (!file_exists(path)) return t;
  try {
    const csv::Reader reader = csv::Reader::open(path.string());
    t.header = reader.header();
    reader.for_each([&](int64_t, const std::vector<std::string_view>& fields) {
      if (t.total++ >= max_rows) return;
      // Names as the input spelled them: the ' written before =HYPERLINK(…) is elv's own.
      auto& row = t.rows.emplace_back();
      for (std::string_view cell : fields) row.emplace_back(csv::without_formula_guard(cell));
    });
    t.status.state = State::Ok;
  } catch (const std::exception& e) {
    t = CsvHead{};
    t.status = {State::Unreadable, e.what()};
  }
  return t;
}

// What predictions.csv says about the scores: their histogram and totals.
struct ScoreSummary {
  Status status;
  std::string column;  // p_qualified_<window>d
  int64_t n = 0, invalid = 0, at_least_half = 0;
  double sum_p = 0, sum_elv = 0;
  bool has_elv = false;
  std::vector<int64_t> bins = std::vector<int64_t>(kHistogramBins, 0);
};

void add_score(ScoreSummary& s, double p) {
  ++s.n;
  s.sum_p += p;
  if (p >= 0.5) ++s.at_least_half;
  const int bin = static_cast<int>(std::floor(std::clamp(p, 0.0, 1.0) * kHistogramBins));
  ++s.bins[static_cast<size_t>(std::min(bin, kHistogramBins - 1))];
}

ScoreSummary load_scores(const fs::path& dir) {
  ScoreSummary s;
  const fs::path path = dir / "predictions.csv";
  if (!file_exists(path)) return s;
  try {
    const csv::Reader reader = csv::Reader::open(path.string());
    CsvHead names;
    names.header = reader.header();
    const int p_col = names.column("p_qualified_*");
    const int elv_col = names.column("elv");
    if (p_col < 0) {
      s.status = {State::Unreadable, "it has no p_qualified_* column"};
      return s;
    }
    s.column = names.header[static_cast<size_t>(p_col)];
    s.has_elv = elv_col >= 0;
    reader.for_each([&](int64_t, const std::vector<std::string_view>& f) {
      double p = 0, elv = 0;
      if (parse::number(f[static_cast<size_t>(p_col)], p) != parse::NumberStatus::Ok) {
        ++s.invalid;
        return;
      }
      add_score(s, p);
      if (s.has_elv &&
          parse::number(f[static_cast<size_t>(elv_col)], elv) == parse::NumberStatus::Ok)
        s.sum_elv += elv;
    });
    s.status.state = State::Ok;
  } catch (const std::exception& e) {
    // A fresh summary, its fields set one by one: assigning a braced Status to a reused one
    // made GCC 12 warn falsely (-Wmaybe-uninitialized) at -O3.
    ScoreSummary failed;
    failed.status.state = State::Unreadable;
    failed.status.problem = e.what();
    return failed;
  }
  return s;
}

// The two settings of config.yaml the report explains; absent when unreadable.
struct ReportSettings {
  std::optional<int64_t> min_segment_leads;
  std::optional<double> value_per_qualified;
};

ReportSettings load_settings(const fs::path& dir) {
  ReportSettings s;
  if (!file_exists(dir / "config.yaml")) return s;
  try {
    const YAML::Node config = YAML::LoadFile((dir / "config.yaml").string());
    if (config["reporting"] && config["reporting"]["min_segment_leads"])
      s.min_segment_leads = config["reporting"]["min_segment_leads"].as<int64_t>();
    if (config["business"] && config["business"]["value_per_qualified"])
      s.value_per_qualified = config["business"]["value_per_qualified"].as<double>();
  } catch (const std::exception&) {
    // Only explanatory figures come from here; the report reads fine without them.
  }
  return s;
}

enum class Kind { Train, Score, BatchScore, BuildTable, Unknown };

struct Run {
  fs::path dir;
  JsonArtifact metadata, profile, metrics, drift;
  CsvHead campaign, adset;
  ScoreSummary scores;
  ReportSettings settings;
  Kind kind = Kind::Unknown;
};

// ---------------------------------------------------------------------------------------
// JSON access that never throws: artifacts may be hand-edited or from another version.

const json* at(const json* j, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (!j || !j->is_object()) return nullptr;
    const auto it = j->find(std::string(key));
    if (it == j->end()) return nullptr;
    j = &*it;
  }
  return j;
}

double num(const json* j) { return j && j->is_number() ? j->get<double>() : kNaN; }

std::string str(const json* j) {
  if (!j) return "";
  if (j->is_string()) return j->get<std::string>();
  if (j->is_boolean()) return j->get<bool>() ? "yes" : "no";
  if (j->is_number_integer()) return format_count(j->get<int64_t>());
  if (j->is_number_unsigned()) return format_count(static_cast<int64_t>(j->get<uint64_t>()));
  if (j->is_number()) return j->dump();
  return "";
}

std::string count_of(const json* j) {
  return j && j->is_number() ? format_count(static_cast<int64_t>(std::llround(j->get<double>())))
                             : "";
}

// Run facts (inputs, join, labels, warnings): metadata.json, else the data profile, which
// repeats most of them.
const json* facts(const Run& r) {
  if (r.metadata.status.ok()) return &r.metadata.value;
  if (r.profile.status.ok()) return &r.profile.value;
  return nullptr;
}

const json* meta(const Run& r) { return r.metadata.status.ok() ? &r.metadata.value : nullptr; }

// metadata.json's run id, else the folder's name.
std::string run_id(const Run& r) {
  if (std::string id = str(at(meta(r), {"run_id"})); !id.empty()) return id;
  fs::path p = fs::absolute(r.dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "runs/x/" names x
  return p.filename().string();
}

Kind detect_kind(const Run& r) {
  if (r.metadata.status.ok()) {
    const json* m = &r.metadata.value;
    if (const json* batch = at(m, {"scoring", "batch"});
        batch && batch->is_boolean() && batch->get<bool>())
      return Kind::BatchScore;
    if (at(m, {"scoring"})) return Kind::Score;
    if (at(m, {"model"})) return Kind::Train;
    return Kind::BuildTable;
  }
  // No metadata: judge by the files only a given kind of run writes.
  if (file_exists(r.dir / "metrics.json") || file_exists(r.dir / "model.json")) return Kind::Train;
  if (file_exists(r.dir / "predictions.csv") || file_exists(r.dir / "drift.json"))
    return Kind::Score;
  return Kind::Unknown;
}

Run load_run(const std::string& run_dir) {
  Run r;
  r.dir = run_dir;
  r.metadata = load_json(r.dir, "metadata.json");
  r.profile = load_json(r.dir, "data_profile.json");
  r.metrics = load_json(r.dir, "metrics.json");
  r.drift = load_json(r.dir, "drift.json");
  r.campaign = load_csv_head(r.dir, "leaderboard_campaign.csv", kLeaderboardRows);
  r.adset = load_csv_head(r.dir, "leaderboard_adset.csv", kLeaderboardRows);
  r.scores = load_scores(r.dir);
  r.settings = load_settings(r.dir);
  r.kind = detect_kind(r);
  return r;
}

bool scored(Kind k) { return k == Kind::Train || k == Kind::Score || k == Kind::BatchScore; }

std::string kind_name(Kind k) {
  switch (k) {
    case Kind::Train:
      return "train";
    case Kind::Score:
      return "score";
    case Kind::BatchScore:
      return "batch-score";
    case Kind::BuildTable:
      return "build-table";
    case Kind::Unknown:
      break;
  }
  return "unknown";
}

std::string kind_description(Kind k) {
  switch (k) {
    case Kind::Train:
      return "trains and calibrates a model, measures it on the most recent labeled leads, then "
             "scores every lead";
    case Kind::Score:
      return "applies an existing model to the leads; nothing is trained or evaluated";
    case Kind::BatchScore:
      return "applies an existing model to new leads; outcomes are ignored, so no lead is labeled";
    case Kind::BuildTable:
      return "builds the lead table only; nothing is trained or scored";
    case Kind::Unknown:
      break;
  }
  return "metadata.json is missing, so the kind of run cannot be told";
}

// ---------------------------------------------------------------------------------------
// HTML pieces. Arguments named *_html are markup already; everything else is escaped.

std::string esc(std::string_view s) { return escape_html(s); }
std::string or_dash(const std::string& html) { return html.empty() ? kDash : html; }
std::string code(std::string_view s) { return s.empty() ? "" : "<code>" + esc(s) + "</code>"; }
// Timestamps break badly at their hyphens: kept on one line.
std::string when(const json* j) {
  const std::string t = str(j);
  return t.empty() ? "" : "<span class=\"nowrap\">" + esc(t) + "</span>";
}
std::string absent(const std::string& html) { return "<p class=\"absent\">" + html + "</p>\n"; }
std::string problem(const std::string& html) { return "<p class=\"problem\">" + html + "</p>\n"; }
std::string para(const std::string& html) { return "<p>" + html + "</p>\n"; }
std::string h3(std::string_view id, std::string_view title) {
  return "<h3 id=\"" + esc(id) + "\">" + esc(title) + "</h3>\n";
}

using Rows = std::vector<std::pair<std::string, std::string>>;  // label text, value html

std::string kv_table(const Rows& rows) {
  std::string s = "<table class=\"kv\"><tbody>\n";
  for (const auto& [label, value_html] : rows)
    s += "<tr><th scope=\"row\">" + esc(label) + "</th><td>" + or_dash(value_html) + "</td></tr>\n";
  return s + "</tbody></table>\n";
}

// A table with a header row; cells are markup. Columns listed in numeric are right-aligned.
std::string grid_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric,
                       const std::vector<std::string>& row_classes = {}) {
  auto cls = [&](size_t i) { return i < numeric.size() && numeric[i] ? " class=\"num\"" : ""; };
  std::string s = "<table><thead><tr>";
  for (size_t i = 0; i < header.size(); ++i)
    s += std::string("<th") + cls(i) + ">" + esc(header[i]) + "</th>";
  s += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string rc = r < row_classes.size() && !row_classes[r].empty()
                               ? " class=\"" + row_classes[r] + "\""
                               : "";
    s += "<tr" + rc + ">";
    for (size_t i = 0; i < rows[r].size(); ++i)
      s += std::string("<td") + cls(i) + ">" + or_dash(rows[r][i]) + "</td>";
    s += "</tr>\n";
  }
  return s + "</tbody></table>\n";
}

// Two blocks side by side on a wide screen, stacked on a narrow one.
std::string pair(const std::string& left_html, const std::string& right_html) {
  return "<div class=\"pair\">\n<div>\n" + left_html + "</div>\n<div>\n" + right_html +
         "</div>\n</div>\n";
}

std::string figure(const std::string& svg_markup, const std::string& caption_html) {
  return "<figure>" + svg_markup + "<figcaption>" + caption_html + "</figcaption></figure>\n";
}

std::string section(std::string_view id, std::string_view title, const std::string& body_html) {
  return "<section id=\"" + esc(id) + "\">\n<h2>" + esc(title) + "</h2>\n" + body_html +
         "</section>\n";
}

// One section; a bug or an artifact shaped in a way we did not foresee costs that section,
// not the report.
std::string guarded(std::string_view id, std::string_view title,
                    const std::function<std::string()>& body) {
  try {
    return section(id, title, body());
  } catch (const std::exception& e) {
    return section(id, title, problem("This section could not be shown: " + esc(e.what())));
  }
}

// Why an artifact the section needs is not usable, or "" when it is.
std::string unusable(const Status& status, std::string_view name, std::string_view consequence) {
  if (status.state == State::Missing)
    return esc(name) + " is missing from this run folder, so " + esc(consequence) + ".";
  if (status.state == State::Unreadable)
    return esc(name) + " could not be read (" + esc(status.problem) + "), so " + esc(consequence) +
           ".";
  return "";
}

std::string basename(const std::string& path) { return fs::path(path).filename().string(); }

// ---------------------------------------------------------------------------------------
// Run summary

Rows run_rows(const Run& r) {
  const json* m = meta(r);
  const std::string id = run_id(r);
  return {
      {"Run id", code(id)},
      {"Kind", "<strong>" + esc(kind_name(r.kind)) + "</strong>: " + esc(kind_description(r.kind))},
      {"Command", m ? code(str(at(m, {"command"}))) : ""},
      {"elv version", esc(str(at(m, {"elv_version"})))},
      {"Created (UTC)", esc(str(at(m, {"created_at_utc"})))}};
}

std::string value_per_qualified_html(const Run& r) {
  return r.settings.value_per_qualified ? format_money(*r.settings.value_per_qualified) : "";
}

Rows model_rows(const Run& r) {
  const json* m = at(meta(r), {"model"});
  Rows rows;
  if (r.kind == Kind::Score || r.kind == Kind::BatchScore) {
    const json* t = at(m, {"training"});
    rows.push_back({"Model file", code(str(at(m, {"path"})))});
    rows.push_back({"Model type", esc(str(at(m, {"model_type"})))});
    rows.push_back({"Calibration", esc(str(at(t, {"calibration_method"})))});
    rows.push_back(
        {"Model trained",
         esc(str(at(t, {"created_at_utc"}))) +
             (at(t, {"as_of_date"}) ? " (data as of " + esc(str(at(t, {"as_of_date"}))) + ")"
                                    : "")});
  } else {
    std::string type = esc(str(at(m, {"model_type"})));
    const std::string requested = str(at(m, {"model_type_requested"}));
    if (!requested.empty() && requested != str(at(m, {"model_type"})))
      type += " (requested as " + esc(requested) + ")";
    rows.push_back({"Model type", type});
    rows.push_back({"Calibration", esc(str(at(m, {"calibration_method"})))});
    rows.push_back({"Features", esc(str(at(m, {"features"})))});
  }
  rows.push_back({"Value per qualified lead", value_per_qualified_html(r)});
  return rows;
}

std::string days(const json* j) {
  const std::string n = str(j);
  return n.empty() ? "" : esc(n) + (n == "1" ? " day" : " days");
}

// The split of a train run, or the one the model of a score run was trained with.
std::string split_html(const Run& r) {
  const json* m = meta(r);
  if (r.kind == Kind::Train) {
    const json* s = at(m, {"split"});
    if (!s && r.metrics.status.ok()) s = at(&r.metrics.value, {"split"});
    const json* d = r.metrics.status.ok() ? at(&r.metrics.value, {"data"}) : nullptr;
    if (!s) return "";
    auto n = [&](const char* key) {
      const std::string c = count_of(at(d, {key}));
      return c.empty() ? std::string() : " (" + c + " leads)";
    };
    return "train: leads up to " + when(at(s, {"train_end_time"})) + n("n_train") +
           "<br/>calibration: up to " + when(at(s, {"calib_end_time"})) + n("n_calib") +
           "<br/>test: after that" + n("n_test");
  }
  const json* t = at(m, {"model", "training"});
  if (!t) return "";
  return "the model was trained on leads up to " + when(at(t, {"train_end_time"})) +
         " and calibrated on leads up to " + when(at(t, {"calib_end_time"}));
}

Rows window_rows(const Run& r) {
  const json* f = facts(r);
  const json* lab = at(f, {"labeling"});
  const json* feat = at(f, {"features"});
  std::string covered;
  if (const json* c = at(feat, {"ads_covered_days"}))
    covered = esc(str(at(c, {"first"}))) + " to " + esc(str(at(c, {"last"})));
  return {{"as_of_date", esc(str(at(lab, {"as_of_date"})))},
          {"Maturity cutoff", at(lab, {"maturity_cutoff_utc"})
                                  ? when(at(lab, {"maturity_cutoff_utc"})) +
                                        " <span class=\"small\">(leads created before it have had "
                                        "the whole label window)</span>"
                                  : ""},
          {"Label window", days(at(lab, {"label_window_days"}))},
          {"Feature window", days(at(feat, {"feature_window_days"}))},
          {"Feature lag", at(feat, {"feature_lag_days"})
                              ? days(at(feat, {"feature_lag_days"})) +
                                    " <span class=\"small\">(features use ads data up to the "
                                    "lead's date minus the lag)</span>"
                              : ""},
          {"Ads data covers", covered},
          {"Split", split_html(r)}};
}

// Input files in the order a reader thinks of them; unknown kinds after, alphabetically.
std::vector<std::string> input_order(const json& inputs) {
  static const char* const kOrder[] = {"leads",           "ads",           "outcomes",
                                       "lead_to_ad_map",  "ads_placement", "ads_geo",
                                       "adset_targeting", "ad_creatives"};
  std::vector<std::string> keys;
  for (const char* k : kOrder)
    if (inputs.contains(k)) keys.emplace_back(k);
  for (const auto& [k, v] : inputs.items())
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  return keys;
}

std::string inputs_table(const Run& r) {
  const json* inputs = at(facts(r), {"inputs"});
  if (!inputs || !inputs->is_object() || inputs->empty())
    return absent("No input files are recorded.");
  std::vector<std::vector<std::string>> rows;
  for (const std::string& kind : input_order(*inputs)) {
    const json* in = at(inputs, {kind});
    const std::string path = str(at(in, {"path"}));
    const double mb = num(at(in, {"size_mb"}));
    rows.push_back({esc(kind),
                    "<strong>" + esc(basename(path)) + "</strong><br/><span class=\"small\">" +
                        code(path) + "</span>",
                    esc(count_of(at(in, {"rows"}))), std::isfinite(mb) ? svg::fixed(mb, 2) : ""});
  }
  return grid_table({"input", "file", "rows", "size (MB)"}, rows, {false, false, true, true});
}

std::string summary_html(const Run& r) {
  std::string s = kv_table(run_rows(r));
  if (!r.metadata.status.ok())
    s += problem(unusable(r.metadata.status, "metadata.json",
                          "the command, version and model details are unknown"));
  const std::string windows =
      h3("summary-windows", "Labels, features and split") + kv_table(window_rows(r));
  s += scored(r.kind) ? pair(h3("summary-model", "Model") + kv_table(model_rows(r)), windows)
                      : windows;
  s += h3("summary-inputs", "Input files") + inputs_table(r);
  return s;
}

// ---------------------------------------------------------------------------------------
// Data health

std::string join_strategy(const std::string& s) {
  if (s == "id") return "by IDs on leads.csv";
  if (s == "map") return "through lead_to_ad_map.csv";
  if (s == "name") return "by names (each name to its most frequent ID)";
  return s;
}

std::string join_html(const json* f) {
  const json* j = at(f, {"join"});
  if (!j) return absent("No join facts are recorded.");
  const double rate = num(at(j, {"match_rate"}));
  std::string rate_html = format_percent(rate);
  if (std::isfinite(rate) && rate < 0.9)
    rate_html += " <span class=\"badge flag\">below 90 %</span>";
  std::string levels;
  if (const json* lv = at(j, {"feature_level"}); lv && lv->is_object())
    for (const auto& [level, n] : lv->items())
      levels += (levels.empty() ? "" : ", ") + esc(level) + " " + esc(count_of(&n));
  return kv_table(
      {{"Strategy", esc(join_strategy(str(at(j, {"strategy"}))))},
       {"Match rate", rate_html},
       {"Leads in the file", esc(count_of(at(j, {"leads_in_file"})))},
       {"Leads in the table", esc(count_of(at(j, {"rows"})))},
       {"Dropped: no lead_id", esc(count_of(at(j, {"dropped_missing_lead_id"})))},
       {"Dropped: bad created_time", esc(count_of(at(j, {"dropped_bad_created_time"})))},
       {"Duplicate lead IDs", esc(count_of(at(j, {"duplicate_lead_ids"})))},
       {"Ads features from level", levels}});
}

std::string labels_html(const json* f) {
  const json* l = at(f, {"labeling"});
  if (!l) return absent("No label facts are recorded.");
  const double pos = num(at(l, {"counts", "positive"})), neg = num(at(l, {"counts", "negative"}));
  const json* errors = at(l, {"data_errors"});
  std::string errors_html;
  if (errors && errors->is_object())
    for (const auto& [name, n] : errors->items())
      errors_html += (errors_html.empty() ? "" : ", ") + esc(name) + " " + esc(count_of(&n));
  return kv_table(
      {{"Qualified (positive)", esc(count_of(at(l, {"counts", "positive"})))},
       {"Not qualified (negative)", esc(count_of(at(l, {"counts", "negative"})))},
       {"Unknown (too recent, or no outcomes)", esc(count_of(at(l, {"counts", "unknown"})))},
       {"Qualified share of labeled leads", pos + neg > 0 ? format_percent(pos / (pos + neg)) : ""},
       {"Outcomes file used", esc(str(at(l, {"outcomes_available"})))},
       {"Qualifications after as_of_date (not visible)",
        esc(count_of(at(l, {"outcomes_after_as_of_date"})))},
       {"Outcome data errors", errors_html}});
}

std::string enrichments_html(const json* f) {
  const json* e = at(f, {"enrichments"});
  if (!e || !e->is_array() || e->empty()) return absent("No enrichment files were used.");
  std::vector<std::vector<std::string>> rows;
  for (const json& item : *e) {
    const json* features = at(&item, {"features"});
    rows.push_back(
        {esc(str(at(&item, {"kind"}))), esc(basename(str(at(&item, {"path"})))),
         esc(count_of(at(&item, {"rows"}))), format_percent(num(at(&item, {"lead_coverage"}))),
         features && features->is_array() ? format_count(static_cast<int64_t>(features->size()))
                                          : ""});
  }
  return grid_table({"enrichment", "file", "rows", "leads covered", "features"}, rows,
                    {false, false, true, true, true});
}

// Every warning of the run: metadata.json's, then any only the profile has.
std::vector<std::string> warnings_of(const Run& r) {
  std::vector<std::string> out;
  for (const JsonArtifact* a : {&r.metadata, &r.profile}) {
    if (!a->status.ok()) continue;
    const json* w = at(&a->value, {"warnings"});
    if (!w || !w->is_array()) continue;
    for (const json& item : *w) {
      const std::string text = item.is_string() ? item.get<std::string>() : item.dump();
      if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
    }
  }
  return out;
}

std::string warnings_html(const Run& r) {
  const std::vector<std::string> warnings = warnings_of(r);
  if (warnings.empty()) return para("No warnings.");
  std::string s = "<ul class=\"warnings\">\n";
  for (const auto& w : warnings) s += "<li>" + esc(w) + "</li>\n";
  return s + "</ul>\n";
}

std::string data_health_html(const Run& r) {
  const json* f = facts(r);
  if (!f)
    return absent(
        "metadata.json and data_profile.json are both missing or unreadable, so the join, "
        "label and enrichment facts are unknown.");
  return pair(h3("health-join", "Join of leads to ads") + join_html(f),
              h3("health-labels", "Labels") + labels_html(f)) +
         h3("health-enrichments", "Enrichment coverage") + enrichments_html(f) +
         h3("health-warnings", "Warnings") + warnings_html(r);
}

// ---------------------------------------------------------------------------------------
// Model quality

std::string quality_absent_reason(const Run& r) {
  switch (r.kind) {
    case Kind::Score:
      return "No model quality section: a score run applies an existing model without evaluating "
             "it, "
             "so it has no quality metrics (no metrics.json). The model's quality on its own test "
             "split "
             "is in the report of the train run that produced it.";
    case Kind::BatchScore:
      return "No model quality section: batch-score ignores outcomes, so these leads have no "
             "labels to "
             "measure the model against (and there is no metrics.json). The model's quality is in "
             "the "
             "report of the train run that produced it.";
    case Kind::BuildTable:
      return "No model quality section: build-table does not train a model.";
    default:
      break;
  }
  return "";
}

// "Contacting the top 10.0 % of leads ranked by this model captures 34.2 % of qualified
// leads, 3.4× random." — or "" when the test split had no qualified lead.
std::string lift_sentence(const json& metrics) {
  const json* lift = at(&metrics, {"model", "lift_at_k"});
  const double frac = num(at(lift, {"topk_frac"})), capture = num(at(lift, {"capture"}));
  if (!std::isfinite(frac) || !std::isfinite(capture)) return "";
  return "Contacting the top " + format_percent(frac) +
         " of leads ranked by this model captures <strong>" + format_percent(capture) +
         "</strong> of qualified leads, <strong>" + format_lift(num(at(lift, {"lift"}))) +
         "</strong> random.";
}

std::string headline_html(const json& metrics) {
  std::string s = lift_sentence(metrics);
  if (s.empty())
    return absent(
        "Lift at the top of the ranking could not be computed (the test split has no qualified "
        "leads).");
  const json* base = at(&metrics, {"baseline_campaign_rate", "lift_at_k"});
  if (std::isfinite(num(at(base, {"capture"}))))
    s += " Ranking by each campaign's past qualification rate (the baseline) captures " +
         format_percent(num(at(base, {"capture"}))) + ", " + format_lift(num(at(base, {"lift"}))) +
         " random.";
  return "<p class=\"headline\">" + s + "</p>\n";
}

std::string test_split_html(const json& metrics) {
  const std::string n = count_of(at(&metrics, {"data", "n_test"}));
  const double rate = num(at(&metrics, {"model", "lift_at_k", "overall_rate"}));
  std::string s =
      "Measured on the test split: the " + (n.empty() ? std::string("") : esc(n) + " ") +
      "most recent labeled leads, which the model never saw while it was trained or calibrated";
  if (std::isfinite(rate)) s += "; " + format_percent(rate) + " of them qualified";
  s += ". Model: " + esc(str(at(&metrics, {"model_type"}))) + ", " +
       esc(str(at(&metrics, {"calibration_method"}))) +
       " calibration. Baseline: each campaign's qualification rate in the train window.";
  return para(s);
}

struct MetricRow {
  std::string label;
  std::vector<std::string_view> path;
  bool higher_is_better;
  std::function<std::string(double)> format;
  std::string meaning;
};

std::string metric_cell(double v, double other, bool higher_is_better,
                        const std::function<std::string(double)>& fmt) {
  const bool better =
      std::isfinite(v) && std::isfinite(other) && (higher_is_better ? v > other : v < other);
  return better ? "<strong>" + fmt(v) + "</strong>" : fmt(v);
}

double metric_at(const json* m, const std::vector<std::string_view>& path) {
  const json* j = m;
  for (std::string_view key : path) j = at(j, {key});
  return num(j);
}

std::string metrics_table(const json& metrics) {
  const json* model = at(&metrics, {"model"});
  const json* base = at(&metrics, {"baseline_campaign_rate"});
  const std::string k = format_percent(num(at(model, {"lift_at_k", "topk_frac"})));
  const std::string positives = format_percent(num(at(model, {"lift_at_k", "overall_rate"})));
  const std::vector<MetricRow> rows = {
      {"ROC-AUC",
       {"roc_auc"},
       true,
       format_metric,
       "Chance that a qualified lead is ranked above an unqualified one (0.5 = random, 1 = "
       "perfect)."},
      {"PR-AUC",
       {"pr_auc"},
       true,
       format_metric,
       "Average precision down the ranking; a random ranking scores the qualified share (" +
           positives + ")."},
      {"Brier score",
       {"brier"},
       false,
       format_metric,
       "Mean squared error of the predicted probability."},
      {"Log loss",
       {"log_loss"},
       false,
       format_metric,
       "Penalty for confident wrong probabilities."},
      {"ECE",
       {"calibration", "ece"},
       false,
       format_metric,
       "Average gap between predicted and observed qualification rates over the probability bins."},
      {"Lift @ " + k,
       {"lift_at_k", "lift"},
       true,
       format_lift,
       "How many times more qualified leads the top " + k + " holds than a random " + k +
           " of leads."},
      {"Capture @ " + k,
       {"lift_at_k", "capture"},
       true,
       format_percent,
       "Share of all qualified leads found in the top " + k +
           " (k = " + count_of(at(model, {"lift_at_k", "k"})) + " leads)."}};
  std::vector<std::vector<std::string>> cells;
  for (const MetricRow& row : rows) {
    const double m = metric_at(model, row.path), b = metric_at(base, row.path);
    cells.push_back({esc(row.label), metric_cell(m, b, row.higher_is_better, row.format),
                     metric_cell(b, m, row.higher_is_better, row.format),
                     esc(row.higher_is_better ? "higher" : "lower"), esc(row.meaning)});
  }
  return grid_table({"metric", "model", "baseline", "better", "what it means"}, cells,
                    {false, true, true, false, false}) +
         "<p class=\"small\">The better of model and baseline is in bold.</p>\n";
}

std::vector<svg::Point> curve_points(const json* curve) {
  std::vector<svg::Point> points;
  if (!curve || !curve->is_array()) return points;
  for (const json& p : *curve)
    points.push_back({num(at(&p, {"frac_leads"})), num(at(&p, {"frac_positives"}))});
  return points;
}

std::vector<svg::ReliabilityBin> reliability_bins(const json* bins) {
  std::vector<svg::ReliabilityBin> out;
  if (!bins || !bins->is_array()) return out;
  for (const json& b : *bins) {
    const double count = num(at(&b, {"count"}));
    out.push_back({num(at(&b, {"lower"})), num(at(&b, {"upper"})), num(at(&b, {"mean_pred"})),
                   num(at(&b, {"frac_pos"})),
                   std::isfinite(count) ? static_cast<int64_t>(count) : 0});
  }
  return out;
}

std::string quality_charts_html(const json& metrics) {
  const std::vector<svg::Series> series = {
      {"model", "#1d4ed8", curve_points(at(&metrics, {"model", "lift_curve"}))},
      {"baseline (campaign rate)", "#d97706",
       curve_points(at(&metrics, {"baseline_campaign_rate", "lift_curve"}))}};
  const std::string capture =
      figure(svg::capture_chart(series, "Cumulative capture (lift) on the test split"),
             "Reading: the higher the line above the dashed diagonal, the more qualified leads you "
             "reach by "
             "contacting the highest-scored leads first.");
  const std::string reliability = figure(
      svg::reliability_diagram(reliability_bins(at(&metrics, {"model", "calibration", "bins"})),
                               "Reliability of the probabilities (test split)"),
      "Reading: points on the diagonal mean a predicted 30 % really qualifies about 30 % of the "
      "time. "
      "ECE " +
          format_metric(num(at(&metrics, {"model", "calibration", "ece"}))) + ".");
  return "<div class=\"charts\">\n" + capture + reliability + "</div>\n";
}

std::string quality_html(const Run& r) {
  if (!r.metrics.status.ok()) {
    const std::string reason = quality_absent_reason(r);
    if (!reason.empty() && r.metrics.status.state == State::Missing) return absent(esc(reason));
    return absent(
        unusable(r.metrics.status, "metrics.json", "the model quality section cannot be shown"));
  }
  const json& m = r.metrics.value;
  return headline_html(m) + test_split_html(m) + metrics_table(m) + quality_charts_html(m);
}

// ---------------------------------------------------------------------------------------
// Predicted probabilities

std::string scores_html(const Run& r) {
  const ScoreSummary& s = r.scores;
  if (s.status.state == State::Missing && !scored(r.kind))
    return absent("No predictions: " + esc(kind_name(r.kind)) + " runs do not score leads.");
  if (!s.status.ok())
    return absent(unusable(s.status, "predictions.csv",
                           "the distribution of predicted probabilities cannot be shown"));
  if (s.n == 0) return absent("predictions.csv holds no scored leads.");
  const double n = static_cast<double>(s.n);
  std::string text =
      esc(format_count(s.n)) + " leads scored (" + code(s.column) +
      "). The model expects <strong>" + esc(format_count(std::llround(s.sum_p))) +
      "</strong> of them to qualify (the sum of their probabilities), an average of " +
      format_percent(s.sum_p / n) + " per lead; " +
      format_percent(static_cast<double>(s.at_least_half) / n) +
      " of leads have a probability of 50 % or more.";
  if (s.has_elv)
    text += " Total expected lead value (ELV): <strong>" + format_money(s.sum_elv) + "</strong>.";
  if (s.invalid > 0)
    text +=
        " " + esc(format_count(s.invalid)) + " rows had no readable probability and are left out.";
  return para(text) + "<div class=\"charts\">\n" +
         figure(svg::histogram(
                    s.bins, 0.0, 1.0, "Predicted probability of qualifying, all scored leads",
                    "predicted probability (" + std::to_string(100 / kHistogramBins) + " % bins)"),
                "Reading: a wide spread means the model separates promising leads from the rest; a "
                "single narrow peak means it sees them as much alike.") +
         "</div>\n";
}

// ---------------------------------------------------------------------------------------
// Leaderboards

enum class Fmt { Money, Count, Percent, Ratio };

struct Column {
  const char* key;
  const char* label;
  Fmt fmt;
};

constexpr Column kLeaderboardColumns[] = {
    {"spend", "spend", Fmt::Money},
    {"lead_count", "leads", Fmt::Count},
    {"avg_p_qualified_*", "avg P(qualified)", Fmt::Percent},
    {"predicted_elv", "predicted ELV", Fmt::Money},
    {"elv_per_spend", "ELV per spend", Fmt::Ratio},
    {"cpl", "cost per lead", Fmt::Money},
    {"expected_profit", "expected profit", Fmt::Money},
    {"roi", "ROI", Fmt::Percent},
    {"positive_rate_labeled", "qualified rate (labeled)", Fmt::Percent},
};

std::string format_cell(std::string_view text, Fmt fmt) {
  double v = 0;
  const parse::NumberStatus status = parse::number(text, v);
  if (status == parse::NumberStatus::Empty) return "";
  if (status != parse::NumberStatus::Ok) return esc(text);  // shown as written, never dropped
  switch (fmt) {
    case Fmt::Money:
      return format_money(v);
    case Fmt::Count:
      return format_count(std::llround(v));
    case Fmt::Percent:
      return format_percent(v);
    case Fmt::Ratio:
      return svg::fixed(v, 3);
  }
  return esc(text);
}

std::string cell_text(const std::vector<std::string>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? row[static_cast<size_t>(col)] : "";
}

// A name with its id below it; the id alone when there is no name.
std::string entity_html(const std::string& name, const std::string& id) {
  const std::string id_html = id.empty() ? "" : "<span class=\"id\">" + code(id) + "</span>";
  if (name.empty()) return "<span class=\"name\">" + id_html + "</span>";
  return "<span class=\"name\">" + esc(name) + (id_html.empty() ? "" : "<br/>" + id_html) +
         "</span>";
}

bool is_true(std::string_view v) { return v == "true" || v == "1" || v == "True" || v == "TRUE"; }

std::string leaderboard_table(const CsvHead& t, bool adset) {
  const int low_col = t.column("low_volume");
  std::vector<std::string> header = {"#", adset ? "ad set" : "campaign"};
  std::vector<bool> numeric = {true, false};
  if (adset) {
    header.push_back("campaign");
    numeric.push_back(false);
  }
  std::vector<std::pair<int, Fmt>> metric_cols;
  for (const Column& c : kLeaderboardColumns) {
    const int col = t.column(c.key);
    if (col < 0) continue;
    metric_cols.emplace_back(col, c.fmt);
    header.push_back(c.label);
    numeric.push_back(true);
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    const bool low = is_true(cell_text(row, low_col));
    const std::string level = adset ? "adset" : "campaign";
    std::string name = entity_html(cell_text(row, t.column(level + "_name")),
                                   cell_text(row, t.column(level + "_id")));
    if (low) name += " <span class=\"badge low\">low volume</span>";
    std::vector<std::string> cells = {std::to_string(i + 1), name};
    if (adset) cells.push_back(entity_html(cell_text(row, t.column("campaign_name")), ""));
    for (const auto& [col, fmt] : metric_cols)
      cells.push_back(format_cell(cell_text(row, col), fmt));
    rows.push_back(std::move(cells));
    classes.push_back(low ? "low-volume" : "");
  }
  return grid_table(header, rows, numeric, classes);
}

std::string leaderboard_block(const Run& r, const CsvHead& t, bool adset) {
  const std::string file = adset ? "leaderboard_adset.csv" : "leaderboard_campaign.csv";
  const std::string things = adset ? "ad sets" : "campaigns";
  std::string s =
      h3(adset ? "leaderboard-adset" : "leaderboard-campaign", adset ? "Ad sets" : "Campaigns");
  if (t.status.state == State::Missing && adset && r.campaign.status.ok())
    return s + absent(esc(file) +
                      " is not in this run: elv writes it only when the leads carry ad set IDs.");
  if (!t.status.ok())
    return s + absent(unusable(t.status, file, "the " + things + " cannot be ranked here"));
  if (t.total == 0) return s + absent(esc(file) + " has no rows.");
  s += para((t.total > kLeaderboardRows
                 ? "Top " + std::to_string(kLeaderboardRows) + " of " + format_count(t.total)
                 : "All " + format_count(t.total)) +
            " " + things + ", ranked by predicted lead value per unit of spend.");
  return s + "<div class=\"scroll\">" + leaderboard_table(t, adset) + "</div>\n";
}

std::string leaderboards_html(const Run& r) {
  if (!scored(r.kind) && r.campaign.status.state == State::Missing)
    return absent("No leaderboards: " + esc(kind_name(r.kind)) + " runs do not score leads.");
  std::string low =
      "Rows marked <span class=\"badge low\">low volume</span> have fewer leads than ";
  low += r.settings.min_segment_leads ? esc(format_count(*r.settings.min_segment_leads))
                                      : std::string("min_segment_leads");
  low += ": their figures are noisy, so they are listed last.";
  std::string vpq = r.settings.value_per_qualified
                        ? " ELV = probability × value per qualified lead (" +
                              format_money(*r.settings.value_per_qualified) + ")."
                        : " ELV = probability × value per qualified lead.";
  return leaderboard_block(r, r.campaign, false) + leaderboard_block(r, r.adset, true) +
         "<p class=\"small\">" + low + vpq +
         " Money is in the currency of the spend in ads.csv; ROI = expected "
         "profit / spend.</p>\n";
}

// ---------------------------------------------------------------------------------------
// Drift

struct DriftSource {
  const json* drift = nullptr;
  std::string compared;  // what the PSI compares, in words
  std::string missing;   // why there is none, when drift is null (markup)
};

DriftSource drift_source(const Run& r) {
  if (r.kind == Kind::Train) {
    if (!r.metrics.status.ok())
      return {
          nullptr, "",
          unusable(r.metrics.status, "metrics.json", "the drift of the features cannot be shown")};
    return {at(&r.metrics.value, {"drift"}), "the train split vs the test split",
            "metrics.json holds no drift figures."};
  }
  if (r.kind == Kind::BuildTable ||
      (r.kind == Kind::Unknown && r.drift.status.state == State::Missing))
    return {nullptr, "",
            "No drift table: without a model there is no training data to compare with."};
  if (r.drift.status.state == State::Missing)
    return {
        nullptr, "",
        "drift.json is missing from this run folder: elv writes it when the model bundle holds a "
        "drift reference (models trained by elv do), so the drift of the features cannot be "
        "shown."};
  if (!r.drift.status.ok())
    return {nullptr, "",
            unusable(r.drift.status, "drift.json", "the drift of the features cannot be shown")};
  return {&r.drift.value, "the model's training data vs the leads scored here", ""};
}

bool is_flagged(const json* column) {
  const json* flag = at(column, {"flagged"});
  return flag && flag->is_boolean() && flag->get<bool>();
}

std::string drift_html(const Run& r) {
  const DriftSource src = drift_source(r);
  const json* columns = at(src.drift, {"columns"});
  if (!columns || !columns->is_object())
    return absent(src.missing.empty() ? "No drift figures." : src.missing);
  const double threshold = num(at(src.drift, {"psi_threshold"}));
  // Largest PSI first; features whose PSI could not be computed last, by name.
  std::vector<std::pair<std::string, const json*>> items;
  for (const auto& [name, value] : columns->items()) items.emplace_back(name, &value);
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    const double pa = num(at(a.second, {"psi"})), pb = num(at(b.second, {"psi"}));
    if (std::isfinite(pa) != std::isfinite(pb)) return std::isfinite(pa);
    return std::isfinite(pa) && pa > pb;
  });
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  int flagged = 0;
  for (const auto& [name, v] : items) {
    const bool drifted = is_flagged(v);
    flagged += drifted;
    const double psi = num(at(v, {"psi"}));
    rows.push_back({code(name), std::isfinite(psi) ? svg::fixed(psi, 3) : "not computable",
                    drifted ? "<span class=\"badge flag\">drifted</span>" : "stable"});
    classes.push_back(drifted ? "flagged" : "");
  }
  const std::string t = std::isfinite(threshold) ? svg::fixed(threshold, 2) : "the threshold";
  std::string intro =
      "PSI (population stability index) compares the distribution of each key feature in " +
      esc(src.compared) + ". A PSI of " + t +
      " or more is flagged: the model sees data unlike "
      "what it learned from, and its probabilities may be off. ";
  intro += flagged ? "<strong>" + std::to_string(flagged) + " of " + std::to_string(items.size()) +
                         " features drifted.</strong>"
                   : "No feature drifted.";
  return para(intro) +
         grid_table({"feature", "PSI", "status"}, rows, {false, true, false}, classes);
}

// ---------------------------------------------------------------------------------------
// Files of the run, and what is missing

struct FileInfo {
  const char* name;
  const char* holds;
  const char* consequence;  // what the report cannot show without it
};

constexpr FileInfo kFiles[] = {
    {"metadata.json", "run facts: command, inputs, join, labels, warnings",
     "the run summary is incomplete"},
    {"data_profile.json", "profile of the inputs and the lead table",
     "data health relies on metadata.json alone"},
    {"data_profile.md", "the same profile, for people", ""},
    {"config.yaml", "the effective configuration",
     "low-volume and value settings are not explained"},
    {"table.csv.gz", "the lead table: labels and features per lead", ""},
    {"metrics.json", "model quality on the test split, next to the baseline",
     "the model quality section cannot be shown"},
    {"model.json", "the model bundle, for score and batch-score", ""},
    {"predictions.csv", "P(qualified) and ELV for every lead",
     "the distribution of predicted probabilities cannot be shown"},
    {"leaderboard_campaign.csv", "campaigns ranked by value per spend",
     "the campaign leaderboard cannot be shown"},
    {"leaderboard_adset.csv", "ad sets ranked by value per spend",
     "the ad set leaderboard cannot be shown"},
    {"drift.json", "feature drift of the scored leads vs the training data",
     "the drift table cannot be shown"},
};

// Files every run of this kind writes (optional ones, like drift.json, are not listed).
bool expected(Kind kind, std::string_view name) {
  static const char* const kBuild[] = {"metadata.json", "data_profile.json", "data_profile.md",
                                       "config.yaml", "table.csv.gz"};
  for (const char* n : kBuild)
    if (name == n) return kind != Kind::Unknown;
  if (name == "metrics.json" || name == "model.json") return kind == Kind::Train;
  if (name == "predictions.csv" || name == "leaderboard_campaign.csv") return scored(kind);
  return false;
}

Status status_of(const Run& r, std::string_view name) {
  if (name == "metadata.json") return r.metadata.status;
  if (name == "data_profile.json") return r.profile.status;
  if (name == "metrics.json") return r.metrics.status;
  if (name == "drift.json") return r.drift.status;
  if (name == "predictions.csv") return r.scores.status;
  if (name == "leaderboard_campaign.csv") return r.campaign.status;
  if (name == "leaderboard_adset.csv") return r.adset.status;
  return {file_exists(r.dir / std::string(name)) ? State::Ok : State::Missing, ""};
}

// The notice at the top of the page: expected files that are missing, and files that could
// not be read, with what that costs the reader.
std::string missing_notice_html(const Run& r) {
  std::string items;
  for (const FileInfo& f : kFiles) {
    const Status st = status_of(r, f.name);
    std::string line;
    if (st.state == State::Missing && expected(r.kind, f.name)) line = code(f.name) + " is missing";
    if (st.state == State::Unreadable)
      line = code(f.name) + " could not be read (" + esc(st.problem) + ")";
    if (line.empty()) continue;
    items +=
        "<li>" + line +
        (*f.consequence ? ": " + esc(f.consequence) : std::string(": not needed by this report")) +
        ".</li>\n";
  }
  if (items.empty()) return "";
  return "<div class=\"problem\" id=\"missing\"><strong>This run folder is "
         "incomplete.</strong>\n<ul>\n" +
         items + "</ul></div>\n";
}

std::string files_html(const Run& r) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const FileInfo& f : kFiles) {
    const Status st = status_of(r, f.name);
    if (st.state == State::Missing && !expected(r.kind, f.name)) continue;
    std::string state = st.state == State::Ok        ? "present"
                        : st.state == State::Missing ? "missing"
                                                     : "could not be read";
    rows.push_back({code(f.name), esc(f.holds), esc(state)});
    classes.push_back(st.state == State::Ok ? "" : "flagged");
  }
  return grid_table({"file", "what it holds", "status"}, rows, {false, false, false}, classes);
}

// ---------------------------------------------------------------------------------------
// At a glance: the few facts a marketer reads first, each pointing to its section.

std::string best_campaign_item(const CsvHead& t) {
  if (!t.status.ok()) return "";
  const int low = t.column("low_volume"), per_spend = t.column("elv_per_spend"),
            cpl = t.column("cpl");
  for (const auto& row : t.rows) {
    if (is_true(cell_text(row, low))) continue;  // sorted last anyway; never "best"
    std::string name = cell_text(row, t.column("campaign_name"));
    if (name.empty()) name = cell_text(row, t.column("campaign_id"));
    std::string s =
        "Best campaign by predicted value per unit of spend: <strong>" + esc(name) + "</strong>";
    const std::string v = format_cell(cell_text(row, per_spend), Fmt::Ratio),
                      c = format_cell(cell_text(row, cpl), Fmt::Money);
    if (!v.empty()) s += " (ELV per spend " + v + (c.empty() ? "" : ", cost per lead " + c) + ")";
    return s + ".";
  }
  return "";
}

std::string drift_item(const Run& r) {
  const json* columns = at(drift_source(r).drift, {"columns"});
  if (!columns || !columns->is_object()) return "";
  int flagged = 0;
  for (const auto& [name, v] : columns->items()) flagged += is_flagged(&v);
  return flagged
             ? "<strong>" + std::to_string(flagged) + " of " + std::to_string(columns->size()) +
                   " watched features drifted</strong>: the probabilities may be off (see Drift)."
             : "No watched feature drifted.";
}

std::string glance_html(const Run& r) {
  std::vector<std::string> items;
  if (r.metrics.status.ok()) items.push_back(lift_sentence(r.metrics.value));
  if (r.scores.status.ok() && r.scores.n > 0)
    items.push_back(esc(format_count(r.scores.n)) + " leads scored; the model expects <strong>" +
                    esc(format_count(std::llround(r.scores.sum_p))) +
                    "</strong> of them to qualify.");
  items.push_back(best_campaign_item(r.campaign));
  items.push_back(drift_item(r));
  if (const size_t n = warnings_of(r).size(); n > 0)
    items.push_back(std::to_string(n) + (n == 1 ? " warning" : " warnings") +
                    " about the data (see Data health).");
  std::string list;
  for (const auto& item : items)
    if (!item.empty()) list += "<li>" + item + "</li>\n";
  if (list.empty()) return "";
  return "<div class=\"glance\" id=\"glance\"><h2>At a glance</h2>\n<ul>\n" + list +
         "</ul></div>\n";
}

// The glance box is a convenience: if anything in it fails, the page goes on without it.
std::string guarded_glance(const Run& r) {
  try {
    return glance_html(r);
  } catch (const std::exception&) {
    return "";
  }
}

// ---------------------------------------------------------------------------------------
// The page

// Embedded, no web fonts: the system's sans-serif. Print: no navigation, no backgrounds
// lost, tables and charts kept whole.
constexpr const char* kCss = R"CSS(
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f3f4f6;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 36px 40px; background: #ffffff; }
header h1 { font-size: 26px; margin: 0 0 2px; }
header p { margin: 0; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: 12px 0 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav a { color: var(--accent); text-decoration: none; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; font-weight: 600; }
table.kv th { width: 14em; font-weight: 600; color: #374151; }
.nowrap { white-space: nowrap; }
th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 28px; }
.scroll { overflow-x: auto; }
.name { display: inline-block; min-width: 10em; }
.id code { white-space: nowrap; overflow-wrap: normal; color: var(--muted); font-size: 11px; }
.glance { background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 8px; margin-top: 18px; }
.glance h2 { border: none; margin: 10px 0 4px; font-size: 17px; }
.glance ul { margin: 0; padding-left: 20px; }
.glance li { margin: 3px 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.small { color: var(--muted); font-size: 12px; }
.headline { font-size: 17px; background: #eff6ff; border-left: 4px solid var(--accent); padding: 10px 14px; }
.absent { background: #f9fafb; border-left: 4px solid #9ca3af; padding: 8px 12px; color: #374151; }
.problem { background: #fef2f2; border-left: 4px solid #dc2626; padding: 8px 12px; }
.problem ul { margin: 4px 0 0; }
ul.warnings li { margin: 2px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; margin: 10px 0; }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
.badge { display: inline-block; font-size: 11px; font-style: normal; font-weight: 600; padding: 0 6px;
  border: 1px solid; border-radius: 8px; white-space: nowrap; }
.badge.low { color: #92400e; border-color: #f59e0b; background: #fffbeb; }
.badge.flag { color: #991b1b; border-color: #dc2626; background: #fef2f2; }
tr.low-volume td { color: var(--muted); font-style: italic; background: #fafaf9; }
tr.flagged td { background: #fef2f2; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@page { margin: 14mm; }
@media print {
  body { background: #ffffff; font-size: 11px; }
  h2 { font-size: 16px; } h3 { font-size: 13px; }
  table { font-size: 9.5px; } th, td { padding: 2px 5px; }
  table.kv th { width: 40%; }
  .headline { font-size: 13px; }
  code { font-size: 9px; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  tr, figure, table.kv, .headline { break-inside: avoid; }
  thead { display: table-header-group; }
  .charts, .pair { grid-template-columns: 1fr 1fr; }
  .scroll { overflow: visible; }
}
)CSS";

std::string header_html(const Run& r) {
  const json* m = meta(r);
  const std::string id = run_id(r);
  std::string sub = "Run " + code(id) + " &#183; " + esc(kind_name(r.kind));
  if (const std::string created = str(at(m, {"created_at_utc"})); !created.empty())
    sub += " &#183; " + esc(created);
  static const std::pair<const char*, const char*> kNav[] = {{"summary", "Run summary"},
                                                             {"data-health", "Data health"},
                                                             {"quality", "Model quality"},
                                                             {"scores", "Predicted probabilities"},
                                                             {"leaderboards", "Leaderboards"},
                                                             {"drift", "Drift"},
                                                             {"files", "Files"}};
  std::string nav = "<nav><ul>";
  for (const auto& [anchor, label] : kNav)
    nav += "<li><a href=\"#" + std::string(anchor) + "\">" + label + "</a></li>";
  nav += "</ul></nav>\n";
  return "<header>\n<h1>elv run report</h1>\n<p>" + sub + "</p>\n" + nav + "</header>\n";
}

std::string page(const Run& r, const std::string& body_html) {
  const std::string id = run_id(r);
  return std::string("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n") +
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>elv "
         "report: " +
         esc(id) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main>\n" + body_html +
         "<footer>Generated by elv " ELV_VERSION
         " from the artifacts of this run folder alone "
         "(<code>elv report --run-dir</code> rebuilds it). Self-contained: it loads nothing from "
         "the network.</footer>\n"
         "</main>\n</body>\n</html>\n";
}

}  // namespace

std::string escape_html(std::string_view text) { return svg::escape_xml(text); }

std::string format_count(int64_t n) { return group_thousands(std::to_string(n)); }

std::string format_money(double v) {
  return std::isfinite(v) ? group_thousands(svg::fixed(v, 2)) : kDash;
}

std::string format_percent(double share) {
  return std::isfinite(share) ? svg::fixed(share * 100.0, 1) + kNbsp + "%" : kDash;
}

std::string render_report(const std::string& run_dir) {
  const Run r = load_run(run_dir);
  std::string body = header_html(r) + missing_notice_html(r) + guarded_glance(r);
  body += guarded("summary", "Run summary", [&] { return summary_html(r); });
  body += guarded("data-health", "Data health", [&] { return data_health_html(r); });
  body += guarded("quality", "Model quality on the test split", [&] { return quality_html(r); });
  body += guarded("scores", "Predicted probabilities", [&] { return scores_html(r); });
  body += guarded("leaderboards", "Leaderboards", [&] { return leaderboards_html(r); });
  body += guarded("drift", "Drift", [&] { return drift_html(r); });
  body += guarded("files", "Files in this run", [&] { return files_html(r); });
  return page(r, body);
}

std::string run_kind(const std::string& run_dir) {
  Run r;
  r.dir = run_dir;
  r.metadata = load_json(r.dir, "metadata.json");
  return kind_name(detect_kind(r));
}

std::string render_section(const std::string& run_dir, std::string_view name) {
  const Run r = load_run(run_dir);
  if (name == "overview")
    return missing_notice_html(r) + guarded_glance(r) +
           guarded("summary", "Run summary", [&] { return summary_html(r); }) +
           guarded("data-health", "Data health", [&] { return data_health_html(r); });
  if (name == "model")
    return guarded("quality", "Model quality on the test split", [&] { return quality_html(r); }) +
           guarded("scores", "Predicted probabilities", [&] { return scores_html(r); });
  if (name == "drift") return guarded("drift", "Drift", [&] { return drift_html(r); });
  return "";
}

void write_report(const std::string& run_dir) {
  io::write_file_atomically((fs::path(run_dir) / "report.html").string(), render_report(run_dir));
}

}  // namespace elv::report
