// The brief: what the model learns about a run. Built from aggregate artifacts only
// (metadata.json, metrics.json, data_profile.json, the two leaderboards, drift.json), field
// by field from a list, so a field added to an artifact later does not leak into it.
// predictions.csv and table.csv.gz (one row per lead) are never opened here, and neither is
// config.yaml (it names input files and, with lead_fields, lead questions).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/advisor.h"
#include "base/error.h"
#include "contracts/loader.h"
#include "io/parse.h"
#include "report/run_files.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::advisor {

namespace {

namespace rd = report::detail;

constexpr int kTopRows = 10;  // campaigns and ad sets the model sees

// The value at path when it is a number, string or boolean; null otherwise.
json pick(const json& from, std::initializer_list<std::string_view> path) {
  const json* j = rd::at(&from, path);
  if (!j || j->is_object() || j->is_array()) return nullptr;
  return *j;
}

// Copies the listed scalar fields of `from` that are present.
json pick_fields(const json& from, std::initializer_list<const char*> keys) {
  json out = json::object();
  for (const char* k : keys)
    if (json v = pick(from, {k}); !v.is_null()) out[k] = std::move(v);
  return out;
}

// Whole numbers (counts) as integers; others rounded to 4 significant digits: the model
// needs magnitudes, not 17 digits, and every digit costs tokens.
json rounded(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<int64_t>(v);
  const double scale = std::pow(10.0, 3 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

json round_all(json j) {
  if (j.is_number_float()) return rounded(j.get<double>());
  if (j.is_object() || j.is_array())
    for (auto& v : j) v = round_all(std::move(v));
  return j;
}

// A leaderboard's first rows, only the columns worth the model's attention. Cells are
// numbers where they parse as such.
json top_rows(const rd::CsvHead& board, std::initializer_list<const char*> columns) {
  json rows = json::array();
  for (const auto& row : board.rows) {
    if (rows.size() >= static_cast<size_t>(kTopRows)) break;
    json r = json::object();
    for (const char* name : columns) {
      const int c = board.column(name);
      if (c < 0 || static_cast<size_t>(c) >= row.size()) continue;
      std::string key = name;
      if (!key.empty() && key.back() == '*') key = board.header[static_cast<size_t>(c)];
      const std::string& cell = row[static_cast<size_t>(c)];
      double v = 0;
      if (key.ends_with("_name")) {
        r[key] = cell;  // a name stays text even when it reads as a number ("2024")
      } else if (cell == "true" || cell == "false") {
        r[key] = cell == "true";
      } else if (parse::number(cell, v) == parse::NumberStatus::Ok) {
        r[key] = rounded(v);
      } else {
        r[key] = cell.empty() ? json(nullptr) : json(cell);
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

// Warnings as the run wrote them, except those that may quote a header cell: a dropped
// column's name, or a header note, is a value of the lead file when its header line is
// missing (the first lead then reads as the header). Those are counted, not quoted.
json safe_warnings(const json* warnings) {
  json out = json::array();
  if (!warnings || !warnings->is_array()) return out;
  int withheld = 0;
  for (const json& w : *warnings) {
    if (!w.is_string()) continue;
    const std::string text = w.get<std::string>();
    if (text.find(contracts::kUnusedColumnsWarning) != std::string::npos ||
        text.rfind("header '", 0) == 0) {
      ++withheld;
      continue;
    }
    out.push_back(text.size() > 300 ? text.substr(0, 300) + "..." : text);
  }
  if (withheld > 0)
    out.push_back(std::to_string(withheld) +
                  " warning(s) about columns dropped for privacy or header cells are not shown");
  return out;
}

json metric_set(const json* m) {
  if (!m || !m->is_object()) return nullptr;
  json out = pick_fields(*m, {"roc_auc", "pr_auc", "log_loss", "brier"});
  if (json ece = pick(*m, {"calibration", "ece"}); !ece.is_null()) out["ece"] = ece;
  if (const json* lift = rd::at(m, {"lift_at_k"}); lift && lift->is_object())
    out["lift_at_top"] = pick_fields(*lift, {"topk_frac", "lift", "topk_rate", "overall_rate"});
  return out;
}

json drift_summary(const json& drift) {
  json out = pick_fields(drift, {"method", "psi_threshold", "n_flagged"});
  json flagged = json::array();
  if (const json* cols = rd::at(&drift, {"columns"}); cols && cols->is_object()) {
    out["n_checked"] = cols->size();
    for (const auto& [name, c] : cols->items())
      if (c.is_object() && c.value("flagged", false))
        flagged.push_back({{"feature", name}, {"psi", pick(c, {"psi"})}});
  }
  out["flagged"] = std::move(flagged);
  return out;
}

[[noreturn]] void missing(const fs::path& dir, const std::string& name, const std::string& why) {
  throw Error(name + " not found in the run folder; " + why, dir.string());
}

}  // namespace

json build_brief(const fs::path& run_dir) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) throw Error("run folder not found", run_dir.string());
  const rd::JsonArtifact meta = rd::load_json(run_dir, "metadata.json");
  if (meta.status.state == rd::State::Missing)
    missing(run_dir, "metadata.json", "give a folder written by elv train, elv score or elv demo");
  if (!meta.status.ok())
    throw Error("metadata.json cannot be read: " + meta.status.problem, run_dir.string());
  const rd::CsvHead campaigns = rd::load_csv_head(run_dir, "leaderboard_campaign.csv", kTopRows);
  if (campaigns.status.state == rd::State::Missing)
    missing(run_dir, "leaderboard_campaign.csv",
            "elv train, elv score and elv demo write it (elv build-table does not)");
  if (!campaigns.status.ok())
    throw Error("leaderboard_campaign.csv cannot be read: " + campaigns.status.problem,
                run_dir.string());
  const rd::CsvHead adsets = rd::load_csv_head(run_dir, "leaderboard_adset.csv", kTopRows);
  const rd::JsonArtifact metrics = rd::load_json(run_dir, "metrics.json");
  const rd::JsonArtifact profile = rd::load_json(run_dir, "data_profile.json");
  const rd::JsonArtifact drift = rd::load_json(run_dir, "drift.json");
  const json& m = meta.value;

  json brief = json::object();
  brief["run"] = pick_fields(m, {"run_kind", "created_at_utc", "currency"});

  json data = json::object();
  if (const json* join = rd::at(&m, {"join"}); join && join->is_object())
    data["join"] = pick_fields(
        *join, {"strategy", "leads_in_file", "rows", "match_rate", "dropped_missing_lead_id",
                "dropped_bad_created_time", "duplicate_lead_ids"});
  if (const json* labels = rd::at(&m, {"labeling"}); labels && labels->is_object()) {
    json l =
        pick_fields(*labels, {"label_window_days", "as_of_date", "mature", "outcomes_available"});
    if (const json* counts = rd::at(labels, {"counts"}); counts && counts->is_object())
      l["counts"] = pick_fields(*counts, {"positive", "negative", "unknown"});
    data["labels"] = std::move(l);
  }
  // Each input's row count and date range: how much history the numbers stand on. Paths
  // are left out (they can name people or clients).
  const json* inputs =
      profile.status.ok() ? rd::at(&profile.value, {"inputs"}) : rd::at(&m, {"inputs"});
  if (inputs && inputs->is_object()) {
    json in = json::object();
    for (const auto& [name, f] : inputs->items()) {
      if (!f.is_object()) continue;
      json e = pick_fields(f, {"rows"});
      if (const json* range = rd::at(&f, {"range"});
          range && range->is_array() && range->size() == 2 && (*range)[0].is_string() &&
          (*range)[1].is_string())
        e["range"] = *range;
      in[name] = std::move(e);
    }
    data["inputs"] = std::move(in);
  }
  brief["data"] = std::move(data);
  brief["warnings"] = safe_warnings(rd::at(&m, {"warnings"}));

  json model = json::object();
  if (const json* mm = rd::at(&m, {"model"}); mm && mm->is_object())
    model = pick_fields(*mm, {"model_type", "features", "calibration_method"});
  if (metrics.status.ok()) {
    const json& mt = metrics.value;
    if (const json* d = rd::at(&mt, {"data"}); d && d->is_object())
      model["evaluation_data"] =
          pick_fields(*d, {"n_train", "n_calib", "n_test", "positive_rate_labeled"});
    model["test_metrics"] = metric_set(rd::at(&mt, {"model"}));
    model["baseline_campaign_rate_metrics"] = metric_set(rd::at(&mt, {"baseline_campaign_rate"}));
  } else {
    model["test_metrics"] =
        "not available: this run scored with an existing model (no metrics.json)";
  }
  brief["model"] = std::move(model);

  // Drift of the scored leads against the model's training data: drift.json for scoring
  // runs, metrics.json's own section for training runs.
  if (drift.status.ok())
    brief["drift"] = drift_summary(drift.value);
  else if (const json* d = metrics.status.ok() ? rd::at(&metrics.value, {"drift"}) : nullptr;
           d && d->is_object())
    brief["drift"] = drift_summary(*d);

  brief["campaigns_total"] = campaigns.total;
  brief["top_campaigns"] = top_rows(
      campaigns, {"campaign_name", "spend", "lead_count", "predicted_elv", "avg_p_qualified*",
                  "labeled_count", "positive_rate_labeled", "low_volume", "elv_per_spend", "cpl"});
  if (adsets.status.ok()) {
    brief["adsets_total"] = adsets.total;
    brief["top_adsets"] =
        top_rows(adsets, {"campaign_name", "adset_name", "spend", "lead_count", "predicted_elv",
                          "avg_p_qualified*", "labeled_count", "positive_rate_labeled",
                          "low_volume", "elv_per_spend", "cpl"});
  }
  return round_all(std::move(brief));
}

}  // namespace elv::advisor
