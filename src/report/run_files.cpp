#include "report/run_files.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "io/parse.h"
#include "report/html.h"
#include "report/run_kind.h"

namespace fs = std::filesystem;

namespace elv::report::detail {

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

namespace {

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

}  // namespace

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

const json* facts(const Run& r) {
  if (r.metadata.status.ok()) return &r.metadata.value;
  if (r.profile.status.ok()) return &r.profile.value;
  return nullptr;
}

const json* meta(const Run& r) { return r.metadata.status.ok() ? &r.metadata.value : nullptr; }

std::string run_id(const Run& r) {
  if (std::string id = str(at(meta(r), {"run_id"})); !id.empty()) return id;
  fs::path p = fs::absolute(r.dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "runs/x/" names x
  return p.filename().string();
}

std::optional<RunKind> detect_kind(const Run& r) {
  if (r.metadata.status.ok()) {
    const json* m = &r.metadata.value;
    // What the pipeline recorded (metadata.json → run_kind). A demo run scores or trains:
    // its sections are those of what it did, read below from the metadata's parts.
    const json* recorded = at(m, {"run_kind"});
    const auto kind = run_kind_from_name(
        recorded && recorded->is_string() ? recorded->get<std::string>() : std::string());
    if (kind && *kind != RunKind::kDemo) return kind;
    if (const json* batch = at(m, {"scoring", "batch"});
        batch && batch->is_boolean() && batch->get<bool>())
      return RunKind::kBatchScore;
    if (at(m, {"scoring"})) return RunKind::kScore;
    if (at(m, {"model"})) return RunKind::kTrain;
    return RunKind::kBuildTable;
  }
  // No metadata: judge by the files only a given kind of run writes.
  if (file_exists(r.dir / "metrics.json") || file_exists(r.dir / "model.json"))
    return RunKind::kTrain;
  if (file_exists(r.dir / "predictions.csv") || file_exists(r.dir / "drift.json"))
    return RunKind::kScore;
  return std::nullopt;
}

ScoreSummary summarize_scores(const std::vector<double>& p, double value_per_qualified,
                              int label_window_days) {
  ScoreSummary s;
  s.column = "p_qualified_" + std::to_string(label_window_days) + "d";
  s.has_elv = true;
  for (double v : p) {
    add_score(s, v);
    s.sum_elv += v * value_per_qualified;
  }
  s.status.state = State::Ok;
  return s;
}

Run load_run(const std::string& run_dir, const ScoreSummary* scores) {
  Run r;
  r.dir = run_dir;
  r.metadata = load_json(r.dir, "metadata.json");
  r.profile = load_json(r.dir, "data_profile.json");
  r.metrics = load_json(r.dir, "metrics.json");
  r.drift = load_json(r.dir, "drift.json");
  r.campaign = load_csv_head(r.dir, "leaderboard_campaign.csv", kAllRows);
  r.adset = load_csv_head(r.dir, "leaderboard_adset.csv", kAllRows);
  r.scores = scores ? *scores : load_scores(r.dir);
  r.settings = load_settings(r.dir);
  const json* m = meta(r);
  if (const double v = num(at(m, {"value_per_qualified"})); std::isfinite(v))
    r.settings.value_per_qualified = v;
  r.settings.value_source = str(at(m, {"value_per_qualified_source"}));
  r.settings.currency = str(at(m, {"currency"}));
  r.kind = detect_kind(r);
  return r;
}

bool scored(std::optional<RunKind> k) {
  return k == RunKind::kTrain || k == RunKind::kScore || k == RunKind::kBatchScore;
}

std::string kind_name(std::optional<RunKind> k) { return k ? run_kind_name(*k) : "unknown"; }

bool made_by_demo(const Run& r) {
  if (!r.metadata.status.ok()) return false;
  const json* recorded = at(&r.metadata.value, {"run_kind"});
  return recorded && recorded->is_string() &&
         run_kind_from_name(recorded->get<std::string>()) == RunKind::kDemo;
}

std::string shown_kind_name(const Run& r) {
  return made_by_demo(r) ? run_kind_name(RunKind::kDemo) : kind_name(r.kind);
}

std::string shown_kind_description(const Run& r) {
  if (!made_by_demo(r)) return kind_description(r.kind);
  return "the built-in demo on synthetic data, which " + kind_description(r.kind);
}

std::string kind_description(std::optional<RunKind> k) {
  if (!k) return "metadata.json is missing, so the kind of run cannot be told";
  switch (*k) {
    case RunKind::kTrain:
      return "trains and calibrates a model, measures it on the most recent labeled leads, then "
             "scores every lead";
    case RunKind::kScore:
      return "applies an existing model to the leads; nothing is trained or evaluated";
    case RunKind::kBatchScore:
      return "applies an existing model to new leads; outcomes are ignored, so no lead is labeled";
    case RunKind::kBuildTable:
      return "builds the lead table only; nothing is trained or scored";
    case RunKind::kCreativeAnalyze:
      return "embeds each ad's creative, finds look-alikes and clusters them; nothing is scored";
    case RunKind::kBacktest:
      return "evaluates the configured model back in time: trained as of each cut-off, then "
             "measured on the leads of the following weeks; no model is kept and nothing is "
             "scored for use";
    case RunKind::kDemo:  // never detected: a demo run is told by what it did
      break;
  }
  return "a demo run";
}

}  // namespace elv::report::detail
