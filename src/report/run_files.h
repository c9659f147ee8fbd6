// Internal to report/: the run folder as the report reads it. Each artifact is loaded on its
// own, and a missing or damaged one never stops the report: its Status says why, and the
// sections turn that into a sentence. JSON is read through at/num/str, which never throw:
// artifacts may be hand-edited or from another version of elv.
#pragma once
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_kind.h"

namespace elv::report::detail {

using nlohmann::json;

constexpr int kLeaderboardRows = 20;  // rows of each leaderboard the report shows
// Rows of a leaderboard the report reads: all of them (the overview's totals and budget
// need every campaign); bounded by the input, as segments come from ads.csv and leads.csv.
constexpr int kAllRows = 1 << 30;
constexpr int kHistogramBins = 20;  // of the predicted probabilities
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------
// Artifacts

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

// What predictions.csv says about the scores: their histogram and totals.
struct ScoreSummary {
  Status status;
  std::string column;  // p_qualified_<window>d
  int64_t n = 0, invalid = 0, at_least_half = 0;
  double sum_p = 0, sum_elv = 0;
  bool has_elv = false;
  std::vector<int64_t> bins = std::vector<int64_t>(kHistogramBins, 0);
};

// The settings the report explains: min_segment_leads from config.yaml; the value of a
// qualified lead from metadata.json (else config.yaml), with who set it and the currency.
struct ReportSettings {
  std::optional<int64_t> min_segment_leads;
  std::optional<double> value_per_qualified;
  // metadata.json → value_per_qualified_source: "placeholder", "config", "demo default",
  // "command line" or "form"; empty for a run of an elv that did not record it.
  std::string value_source;
  std::string currency;  // metadata.json → currency (ISO 4217), or empty
  // True while ELV, ROI and profit rest on the placeholder value of 1: recorded as such, or
  // (older runs) a value of exactly 1 with no source recorded.
  bool value_is_placeholder() const {
    if (!value_source.empty()) return value_source == "placeholder";
    return value_per_qualified && *value_per_qualified == 1.0;
  }
};

struct Run {
  std::filesystem::path dir;
  JsonArtifact metadata, profile, metrics, drift;
  CsvHead campaign, adset;
  ScoreSummary scores;
  ReportSettings settings;
  // Whose sections the report shows: never kDemo (a demo run shows those of what it did,
  // training or scoring); nullopt when neither metadata.json nor the files tell.
  std::optional<RunKind> kind;
};

bool file_exists(const std::filesystem::path& p);  // a regular file (or a link to one)
JsonArtifact load_json(const std::filesystem::path& dir, const std::string& name);
// The first max_rows records of dir/name (a leaderboard); also read by advisor/'s brief.
CsvHead load_csv_head(const std::filesystem::path& dir, const std::string& name, int max_rows);
// Every artifact the report reads, and the kind of run; the score summary is `scores` when
// given rather than read from predictions.csv.
Run load_run(const std::string& run_dir, const ScoreSummary* scores = nullptr);
// What load_scores reads from a predictions.csv holding these probabilities, p * value as
// elv and the column p_qualified_<label_window_days>d.
ScoreSummary summarize_scores(const std::vector<double>& p, double value_per_qualified,
                              int label_window_days);
// From metadata.json; without it, from the files only a given kind of run writes.
std::optional<RunKind> detect_kind(const Run& r);

bool scored(std::optional<RunKind> k);            // train, score and batch-score runs score leads
std::string kind_name(std::optional<RunKind> k);  // run_kind_name, or "unknown"
std::string kind_description(std::optional<RunKind> k);
// What the page calls the run: "demo" when the demo made it (metadata.json → run_kind), even
// though its sections are those of what it did (r.kind, score or train); else kind_name.
bool made_by_demo(const Run& r);
std::string shown_kind_name(const Run& r);
std::string shown_kind_description(const Run& r);

// ---------------------------------------------------------------------------------------
// JSON access that never throws

// The value at path under j, or null when any step is missing or not an object.
const json* at(const json* j, std::initializer_list<std::string_view> path);
double num(const json* j);       // NaN unless a number
std::string str(const json* j);  // strings as they are, yes/no, counts with separators
std::string count_of(const json* j);

// Run facts (inputs, join, labels, warnings): metadata.json, else the data profile, which
// repeats most of them.
const json* facts(const Run& r);
const json* meta(const Run& r);  // metadata.json, or null
// metadata.json's run id, else the folder's name.
std::string run_id(const Run& r);

}  // namespace elv::report::detail
