// build-table (docs/CONTRACT.md §4): joins, labels, leakage-safe calendar-window features and
// enrichment features, computed from the configured CSV files.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/progress.h"
#include "config/config.h"
#include "contracts/findings.h"
#include "contracts/frame.h"
#include "contracts/inputs.h"
#include "table/daily_cube.h"
#include "table/joins.h"
#include "table/lead_form.h"
#include "table/lead_table.h"
#include "table/outcome_history.h"
#include "table/window_features.h"

namespace elv::table {

struct BuildOptions {
  int threads = 0;               // 0 = all cores
  bool ignore_outcomes = false;  // batch-score: never label anything, even with outcomes
  Progress* progress = nullptr;  // stage names and times; may be null
  // Scoring: the lead form encoding of the model's training (model.json); null = fit one
  // from these leads (training, build-table).
  const LeadFormEncoding* lead_form = nullptr;
  // Scoring without outcomes: the outcome history a model was trained with (model.json);
  // null = none. With outcomes read, the history is computed from them instead.
  const OutcomeHistorySnapshot* outcome_history = nullptr;
};

// What a loaded input looked like; feeds the profile and the metadata.
struct InputFacts {
  std::string kind, path;
  int64_t rows = 0;
  double size_mb = 0;
  std::vector<std::string> columns;
  std::map<std::string, contracts::ColumnIssues> issues;
  std::string first_date, last_date;  // date or timestamp range, when the file has one
};

struct EnrichmentFacts {
  std::string kind, path;
  int64_t rows = 0;
  double lead_coverage = 0;  // share of leads whose ad (or ad set) has a row in the file
  std::vector<std::string> features;
};

struct LabelFacts {
  bool outcomes_available = false;
  int32_t as_of_date = 0;       // days
  int64_t maturity_cutoff = 0;  // seconds, UTC
  int label_window_days = 14;
  bool require_label_maturity = true;
  int64_t positive = 0, negative = 0, unknown = 0, mature = 0;
  int64_t qualified_before_created = 0;  // data errors, left unknown
  int64_t unreadable_outcomes = 0;       // qualified_time unreadable or implausible: unknown
  int64_t outcomes_after_as_of = 0;      // not visible to this run
  int64_t outcomes_for_unknown_leads = 0;
  int64_t duplicate_outcomes = 0;
  // Outcome rows by how their lead_id matched leads.csv (contracts::InputFiles::OutcomeIdMatch).
  int64_t ids_exact = 0, ids_case_insensitive = 0, ids_unmatched = 0;
  // Rows whose lead_id carried Meta's "l:" prefix, stripped before matching, per file.
  int64_t lead_ids_meta_prefixed = 0, outcome_ids_meta_prefixed = 0;
};

struct JoinFacts {
  std::string strategy;  // id | mapping | name_fallback, or a '+' list of those used
  int64_t leads_by_id = 0, leads_by_mapping = 0, leads_by_name = 0;
  double match_rate = 0;  // leads resolved to a campaign that exists in ads.csv
  int64_t leads_in_file = 0, leads_kept = 0;
  int64_t dropped_missing_id = 0, dropped_bad_created = 0, duplicate_lead_ids = 0;
  int64_t feature_level_ad = 0, feature_level_adset = 0, feature_level_campaign = 0,
          feature_level_none = 0;
};

struct BuildInfo {
  std::vector<InputFacts> inputs;
  JoinFacts join;
  LabelFacts labels;
  int feature_window_days = 7, feature_lag_days = 1;
  CoveredSpan ads_span;
  std::vector<EnrichmentFacts> enrichments;
  std::vector<std::string> model_features;  // numeric features a model may use
  std::string currency;        // ISO 4217 code of spend and value (contracts::InputFiles::currency)
  LeadFormEncoding lead_form;  // the lead download's features (table/lead_form.h)
  int64_t organic_leads = 0;   // kept leads marked is_organic
  // Where the outcome history features came from (§4.8): "outcomes", "snapshot" (model.json)
  // or "" (none: no outcomes, or features.outcome_history off), and their smoothing.
  std::string outcome_history_source;
  double outcome_history_prior = kDefaultHistoryPrior;
  std::vector<std::string> warnings;
};

struct BuildResult {
  LeadTable table;
  BuildInfo info;
  // Kept for scoring: spend per campaign / ad set over any date range (leaderboards) and
  // the names of entities that spent but got no leads.
  std::shared_ptr<const AdsCubes> ads_cubes;
  std::shared_ptr<const AdsHierarchy> hierarchy;
  // Per lead, the earliest qualified_time the labels read (kNullTime = none); empty without
  // outcomes. Kept so a back-test can label the same table again as of earlier dates
  // (table/labels.h, relabel_as_of) instead of building it once per cut-off.
  std::vector<int64_t> qualified_time;
};

// Loads and checks the inputs (contracts/checks.h; an error finding throws elv::Error with
// validate's words), then builds. The warnings of the checks come first in info.warnings.
BuildResult build_table(const Config& config, const BuildOptions& options = {});
// The build from inputs already loaded and checked without errors (validate's preflight uses
// it to report what only the build sees).
BuildResult build_table_from(const Config& config, contracts::InputFiles inputs,
                             const contracts::Findings& findings, const BuildOptions& options = {});

}  // namespace elv::table
