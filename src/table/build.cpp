#include "table/build.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>
#include <unordered_map>

#include "base/calendar.h"
#include "base/error.h"
#include "base/parallel.h"
#include "contracts/checks.h"
#include "contracts/inputs.h"
#include "contracts/loader.h"
#include "contracts/schema.h"
#include "io/parse.h"
#include "table/enrichment_features.h"
#include "table/joins.h"
#include "table/labels.h"
#include "table/lead_form.h"
#include "table/outcome_history.h"
#include "table/window_features.h"

namespace elv::table {

using contracts::Dictionaries;
using contracts::Dictionary;
using contracts::FileSpec;
using contracts::Frame;
using contracts::kNullCode;
using contracts::kNullTime;

namespace {

InputFacts facts_of(const Frame& f) {
  InputFacts facts;
  facts.kind = f.kind;
  facts.path = f.path;
  facts.rows = f.n_rows;
  facts.size_mb = f.size_mb;
  facts.columns = f.present_columns;
  facts.issues = f.issues;
  std::tie(facts.first_date, facts.last_date) = contracts::date_range(f);
  return facts;
}

// The leads kept: a lead_id and a parseable created_time, first occurrence of each id.
// (Each kind of row left out is reported by the input checks, in validate's words.)
std::vector<int64_t> select_leads(const Frame& leads, JoinFacts& join) {
  const auto& ids = leads.codes.at("lead_id");
  const auto& created = leads.times.at("created_time");
  std::vector<uint8_t> seen;
  std::vector<int64_t> rows;
  rows.reserve(static_cast<size_t>(leads.n_rows));
  for (int64_t i = 0; i < leads.n_rows; ++i) {
    if (ids[i] == kNullCode) {
      ++join.dropped_missing_id;
      continue;
    }
    if (created[i] == kNullTime) {
      ++join.dropped_bad_created;
      continue;
    }
    if (seen.size() <= static_cast<size_t>(ids[i])) seen.resize(static_cast<size_t>(ids[i]) + 1, 0);
    if (seen[ids[i]]) {
      ++join.duplicate_lead_ids;
      continue;
    }
    seen[ids[i]] = 1;
    rows.push_back(i);
  }
  join.leads_in_file = leads.n_rows;
  join.leads_kept = static_cast<int64_t>(rows.size());
  return rows;
}

// Per kept lead: its earliest qualified_time in outcomes.csv (kNullTime when none).
std::vector<int64_t> qualified_times(const Frame& outcomes, const std::vector<int32_t>& lead_codes,
                                     const Dictionaries& dicts, LabelFacts& facts,
                                     const std::vector<int32_t>& unreadable_leads) {
  const size_t n_codes = dicts.for_column("lead_id").size();
  std::vector<int64_t> by_code(n_codes, kNullTime);
  std::vector<uint8_t> seen(n_codes, 0), is_lead(n_codes, 0);
  for (int32_t c : lead_codes) is_lead[c] = 1;
  const auto& ids = outcomes.codes.at("lead_id");
  const auto& q = outcomes.times.at("qualified_time");
  for (int64_t i = 0; i < outcomes.n_rows; ++i) {
    const int32_t c = ids[i];
    if (c == kNullCode) continue;
    if (!is_lead[c]) {
      ++facts.outcomes_for_unknown_leads;
      continue;
    }
    if (seen[c]) ++facts.duplicate_outcomes;
    seen[c] = 1;
    // A lead qualifies once: with several rows, the earliest qualification counts.
    if (q[i] != kNullTime && (by_code[c] == kNullTime || q[i] < by_code[c])) by_code[c] = q[i];
  }
  // An outcome that cannot be read says nothing: its lead stays unknown, whatever other rows say.
  for (int32_t c : unreadable_leads)
    if (static_cast<size_t>(c) < n_codes && is_lead[c]) by_code[c] = kUnreadableOutcome;
  std::vector<int64_t> result(lead_codes.size());
  for (size_t i = 0; i < lead_codes.size(); ++i) result[i] = by_code[lead_codes[i]];
  return result;
}

void add_targeting_features(const Frame& targeting, const std::vector<int32_t>& lead_adsets,
                            const Dictionaries& dicts, LeadTable& table, EnrichmentFacts& facts) {
  const auto& adsets = targeting.codes.at("adset_id");
  const auto& texts = targeting.codes.at("audience_keywords");
  const Dictionary& text_dict = dicts.for_column("audience_keywords");
  std::unordered_map<int32_t, TargetingFeatures> by_adset;
  for (int64_t i = 0; i < targeting.n_rows; ++i) {
    if (adsets[i] == kNullCode || by_adset.count(adsets[i])) continue;  // first row wins
    by_adset[adsets[i]] =
        texts[i] == kNullCode ? TargetingFeatures{} : targeting_features(text_dict.str(texts[i]));
  }
  const size_t first = table.features.size();
  for (const char* name : {"aud_kw_count", "aud_kw_present", "aud_kw_avg_len"}) {
    table.feature_names.push_back(name);
    facts.features.push_back(name);
  }
  for (int b = 0; b < kTargetingBuckets; ++b) {
    table.feature_names.push_back(targeting_hash_column(b));
    facts.features.push_back(table.feature_names.back());
  }
  // Each lead's ad set features, found once; then the 67 columns are filled one at a time
  // (filling them row by row wrote 67 scattered cache lines per lead: perf, issue 5).
  const TargetingFeatures none{};
  std::vector<const TargetingFeatures*> per_lead(static_cast<size_t>(table.n), &none);
  int64_t covered = 0;
  for (int64_t i = 0; i < table.n; ++i) {
    auto it = by_adset.find(lead_adsets[i]);
    if (it == by_adset.end()) continue;
    per_lead[static_cast<size_t>(i)] = &it->second;
    ++covered;
  }
  table.features.resize(first + 3 + kTargetingBuckets);
  auto fill = [&](size_t column, auto value_of) {
    std::vector<double>& out = table.features[column].values();
    out.resize(static_cast<size_t>(table.n));
    for (size_t i = 0; i < out.size(); ++i) out[i] = value_of(*per_lead[i]);
    table.features[column].narrow();  // one column of doubles at a time, not 67
  };
  fill(first, [](const TargetingFeatures& f) { return static_cast<double>(f.kw_count); });
  fill(first + 1, [](const TargetingFeatures& f) { return static_cast<double>(f.kw_present); });
  fill(first + 2, [](const TargetingFeatures& f) { return static_cast<double>(f.kw_avg_len); });
  for (int b = 0; b < kTargetingBuckets; ++b)
    fill(first + 3 + static_cast<size_t>(b),
         [b](const TargetingFeatures& f) { return static_cast<double>(f.hash[b]); });
  facts.lead_coverage = table.n ? static_cast<double>(covered) / static_cast<double>(table.n) : 0;
}

void add_creative_features(const Frame& creatives, const std::vector<int32_t>& lead_ads,
                           const Dictionaries& dicts, LeadTable& table, EnrichmentFacts& facts) {
  const auto& ads = creatives.codes.at("ad_id");
  const auto& types = creatives.codes.at("creative_type");
  const Dictionary& type_dict = dicts.for_column("creative_type");
  std::unordered_map<int32_t, CreativeFlags> by_ad;
  for (int64_t i = 0; i < creatives.n_rows; ++i) {
    if (ads[i] == kNullCode || by_ad.count(ads[i])) continue;
    by_ad[ads[i]] =
        creative_flags(types[i] == kNullCode ? std::string_view{} : type_dict.str(types[i]));
  }
  const char* names[5] = {"creative_present", "creative_is_video", "creative_is_image",
                          "creative_is_carousel", "creative_is_other"};
  const size_t first = table.features.size();
  for (const char* name : names) {
    table.feature_names.push_back(name);
    facts.features.push_back(name);
  }
  table.features.resize(first + 5, FeatureColumn(static_cast<size_t>(table.n), 0.0));
  std::vector<double>* columns[5];
  for (int k = 0; k < 5; ++k) columns[k] = &table.features[first + k].values();
  int64_t covered = 0;
  for (int64_t i = 0; i < table.n; ++i) {
    auto it = by_ad.find(lead_ads[i]);
    if (it == by_ad.end()) continue;  // no creative row: all zeros
    ++covered;
    const CreativeFlags& f = it->second;
    const double values[5] = {f.present, f.is_video, f.is_image, f.is_carousel, f.is_other};
    for (int k = 0; k < 5; ++k) (*columns[k])[i] = values[k];
  }
  table.narrow_features();
  facts.lead_coverage = table.n ? static_cast<double>(covered) / static_cast<double>(table.n) : 0;
}

// A feature family that is empty for every lead (the window and lag reach only days the file
// does not cover) trains a model on nothing: said loudly, naming the settings to change.
void warn_if_all_empty(const LeadTable& table, size_t first_feature, const std::string& file,
                       const CoveredSpan& span, const Config& config,
                       std::vector<std::string>& warnings) {
  if (table.n == 0 || first_feature >= table.features.size()) return;
  for (size_t f = first_feature; f < table.features.size(); ++f) {
    const FeatureColumn& column = table.features[f];
    for (size_t i = 0; i < column.size(); ++i)
      if (!std::isnan(column[i])) return;
  }
  const auto& fc = config.features;
  warnings.push_back("EMPTY FEATURES: every " + file +
                     " feature is empty for every lead: the feature window "
                     "(features.feature_window_days = " +
                     std::to_string(fc.feature_window_days) +
                     ") ending features.feature_lag_days = " + std::to_string(fc.feature_lag_days) +
                     " days before each lead never overlaps the days " + file + " covers" +
                     (span.empty() ? std::string()
                                   : " (" + parse::format_date(span.first) + " to " +
                                         parse::format_date(span.last) + ")") +
                     "; lower the lag or export " + file + " for the days before the leads");
}

}  // namespace

BuildResult build_table(const Config& config, const BuildOptions& options) {
  contracts::LoadInputsOptions load_options;
  load_options.threads = options.threads;
  load_options.ignore_outcomes = options.ignore_outcomes;
  load_options.progress = options.progress;
  contracts::Findings findings;
  contracts::InputFiles inputs = contracts::load_inputs(config, load_options, findings);
  // Its own stage, so its time is not counted as the last file's read.
  stage(options.progress, "check the inputs");
  contracts::check_inputs(config, inputs, findings);
  findings.throw_if_errors();  // the same words validate prints
  return build_table_from(config, std::move(inputs), findings, options);
}

BuildResult build_table_from(const Config& config, contracts::InputFiles inputs,
                             const contracts::Findings& findings, const BuildOptions& options) {
  BuildResult result;
  BuildInfo& info = result.info;
  LeadTable& table = result.table;
  table.dicts = inputs.dicts;
  Dictionaries& dicts = *table.dicts;
  const int threads = resolve_threads(options.threads);
  const auto& paths = config.paths;
  info.warnings = findings.warning_lines();
  info.currency = inputs.currency;
  for (const char* kind : {"leads", "ads", "outcomes", "lead_to_ad_map", "ads_placement", "ads_geo",
                           "adset_targeting", "ad_creatives"})
    if (const Frame* f = inputs.get(kind)) info.inputs.push_back(facts_of(*f));

  const Frame& leads = *inputs.get("leads");
  const Frame& ads = *inputs.get("ads");
  const bool use_outcomes = inputs.get("outcomes") != nullptr;
  const Frame* lead_map = inputs.get("lead_to_ad_map");

  // Leads kept and their join to ads.csv.
  stage(options.progress, "join and label");
  std::vector<int64_t> rows = select_leads(leads, info.join);
  auto hierarchy_ptr = std::make_shared<const AdsHierarchy>(build_hierarchy(ads, dicts));
  const AdsHierarchy& hierarchy = *hierarchy_ptr;
  result.hierarchy = hierarchy_ptr;
  ResolvedLeads resolved = resolve_leads(leads, rows, lead_map, ads, hierarchy, dicts);
  info.join.strategy = resolved.strategy;
  info.join.leads_by_id = resolved.leads_by_id;
  info.join.leads_by_mapping = resolved.leads_by_mapping;
  info.join.leads_by_name = resolved.leads_by_name;
  info.join.match_rate = resolved.match_rate;
  for (auto& w : resolved.warnings) info.warnings.push_back(std::move(w));

  const size_t n = rows.size();
  table.n = static_cast<int64_t>(n);
  table.lead_id.resize(n);
  table.created_time.resize(n);
  table.lead_date.resize(n);
  table.feature_end_date.resize(n);
  table.lead_dow.resize(n);
  table.lead_hour.resize(n);
  const auto& lead_codes = leads.codes.at("lead_id");
  const auto& created = leads.times.at("created_time");
  const int lag = config.features.feature_lag_days;
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = created[rows[i]];
    table.lead_id[i] = lead_codes[rows[i]];
    table.created_time[i] = t;
    const auto day = static_cast<int32_t>(floor_div(t, kSecondsPerDay));
    table.lead_date[i] = day;
    // Leakage guard: daily ads totals include activity after the lead, so stop `lag` days early.
    table.feature_end_date[i] = day - lag;
    table.lead_dow[i] = static_cast<int8_t>(parse::weekday_monday0(day));
    table.lead_hour[i] =
        static_cast<int8_t>((t - static_cast<int64_t>(day) * kSecondsPerDay) / kSecondsPerHour);
  }
  // Organic leads (Meta's lead download): scored, kept out of the leaderboards.
  if (leads.has("is_organic")) {
    const auto& codes = leads.codes.at("is_organic");
    const Dictionary& dict = dicts.for_column("is_organic");
    table.is_organic.resize(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const int32_t code = codes[rows[i]];
      table.is_organic[i] = code != kNullCode && parse::flag(dict.str(code)) == 1;
      info.organic_leads += table.is_organic[i];
    }
  }
  table.campaign_id = std::move(resolved.campaign_id);
  table.adset_id = std::move(resolved.adset_id);
  table.ad_id = std::move(resolved.ad_id);
  table.campaign_name = std::move(resolved.campaign_name);
  table.adset_name = std::move(resolved.adset_name);
  table.ad_name = std::move(resolved.ad_name);

  // Labels.
  int32_t as_of = 0;
  if (config.label.as_of_date) {
    as_of = *config.label.as_of_date;
  } else if (n > 0) {
    as_of = *std::max_element(table.lead_date.begin(), table.lead_date.end());
  }
  std::vector<int64_t> qualified;
  if (use_outcomes)
    qualified = qualified_times(*inputs.get("outcomes"), table.lead_id, dicts, info.labels,
                                inputs.unreadable_outcome_leads);
  LabelFacts outcome_counts = info.labels;
  info.labels = assign_labels({&table.created_time, use_outcomes ? &qualified : nullptr, as_of,
                               config.label.label_window_days, config.label.require_label_maturity},
                              table.label_status, table.is_mature);
  carry_outcome_counts(outcome_counts, info.labels);
  info.labels.ids_exact = inputs.outcome_id_match.exact;
  info.labels.ids_case_insensitive = inputs.outcome_id_match.case_insensitive;
  info.labels.ids_unmatched = inputs.outcome_id_match.unmatched;
  info.labels.lead_ids_meta_prefixed = leads.issues.at("lead_id").meta_prefixed;
  if (use_outcomes)
    info.labels.outcome_ids_meta_prefixed =
        inputs.get("outcomes")->issues.at("lead_id").meta_prefixed;
  result.qualified_time = std::move(qualified);
  // (Outcomes for unknown leads, duplicates and qualifications before creation are reported
  // by the input checks; what only the labelling sees is reported here.)
  const LabelFacts& lf = info.labels;
  if (lf.outcomes_after_as_of)
    info.warnings.push_back("outcomes.csv: " + std::to_string(lf.outcomes_after_as_of) +
                            " qualifications dated after as_of_date are not visible to this run");
  if (options.ignore_outcomes)
    info.warnings.push_back("batch scoring: outcomes are ignored; every lead is unknown");

  // Features: lead time of day first, then the windows. Office hours as a flag too: a linear
  // model cannot draw a bump in the middle of the day from the hour alone.
  table.feature_names = {"lead_hour", "lead_dow", "lead_office_hours"};
  table.features.assign(3, FeatureColumn(n, 0.0));
  std::vector<double>& hour = table.features[0].values();
  std::vector<double>& dow = table.features[1].values();
  std::vector<double>& office = table.features[2].values();
  for (size_t i = 0; i < n; ++i) {
    hour[i] = table.lead_hour[i];
    dow[i] = table.lead_dow[i];
    office[i] = table.lead_hour[i] >= 9 && table.lead_hour[i] <= 17;
  }
  table.narrow_features();
  const WindowSpec window{config.features.feature_window_days, threads};
  info.feature_window_days = window.window_days;
  info.feature_lag_days = lag;
  const LeadKeys keys{&table.ad_id, &table.adset_id, &table.campaign_id, &table.feature_end_date};
  stage(options.progress, "ads window features");
  auto cubes_ptr = std::make_shared<const AdsCubes>(build_ads_cubes(ads, dicts));
  const AdsCubes& ads_cubes = *cubes_ptr;
  result.ads_cubes = cubes_ptr;
  info.ads_span = ads_cubes.span;
  const size_t ads_first = table.features.size();
  const LevelCounts levels = add_ads_features(ads_cubes, keys, window, table);
  table.narrow_features();
  if (levels.none < table.n)
    warn_if_all_empty(table, ads_first, "ads.csv", ads_cubes.span, config, info.warnings);
  info.join.feature_level_ad = levels.ad;
  info.join.feature_level_adset = levels.adset;
  info.join.feature_level_campaign = levels.campaign;
  info.join.feature_level_none = levels.none;
  if (levels.none > 0)
    info.warnings.push_back(
        std::to_string(levels.none) + " leads match no ad, ad set or campaign in ads.csv" +
        (info.organic_leads ? " (organic leads among them: they have no ad)" : "") +
        "; their ads features are null");

  const std::pair<const std::string*, std::pair<const FileSpec*, const char*>> breakdowns[] = {
      {&paths.ads_placement_path, {&contracts::placement_spec(), "placement"}},
      {&paths.ads_geo_path, {&contracts::geo_spec(), "geo"}}};
  for (const auto& [path, what] : breakdowns) {
    const Frame* loaded = inputs.get(what.first->kind);
    if (!loaded) continue;
    const Frame& frame = *loaded;
    stage(options.progress, std::string(what.second) + " features");
    const DimCubes cubes = build_dim_cubes(frame, what.second, what.second, hierarchy);
    EnrichmentFacts facts{what.first->kind, *path, frame.n_rows, 0, {}};
    const size_t before = table.feature_names.size();
    facts.lead_coverage = add_dim_features(cubes, keys, window, table);
    table.narrow_features();
    if (facts.lead_coverage > 0)
      warn_if_all_empty(table, before, what.first->file_label, ads_cubes.span, config,
                        info.warnings);
    facts.features.assign(table.feature_names.begin() + static_cast<long>(before),
                          table.feature_names.end());
    info.enrichments.push_back(std::move(facts));
  }
  if (const Frame* targeting = inputs.get("adset_targeting")) {
    const Frame& frame = *targeting;
    stage(options.progress, "targeting features");
    EnrichmentFacts facts{"adset_targeting", paths.adset_targeting_path, frame.n_rows, 0, {}};
    add_targeting_features(frame, table.adset_id, dicts, table, facts);
    info.enrichments.push_back(std::move(facts));
  }
  if (const Frame* creatives = inputs.get("ad_creatives")) {
    const Frame& frame = *creatives;
    stage(options.progress, "creative features");
    EnrichmentFacts facts{"ad_creatives", paths.ad_creatives_path, frame.n_rows, 0, {}};
    add_creative_features(frame, table.ad_id, dicts, table, facts);
    info.enrichments.push_back(std::move(facts));
  }
  // Meta's lead download: platform, form and the listed form answers.
  if (info.organic_leads > 0)
    info.warnings.push_back(std::to_string(info.organic_leads) +
                            " organic leads (is_organic = 1) are scored but left out of the "
                            "leaderboards: no ad spend bought them");
  info.lead_form = options.lead_form ? *options.lead_form
                                     : fit_lead_form(leads, rows, dicts, config.lead_fields);
  add_lead_form_features(leads, rows, dicts, info.lead_form, table);
  table.narrow_features();
  // Outcome history last: it reads the keys and feature dates above and, like the labels,
  // only what was known at each lead's feature date.
  if (config.features.outcome_history) {
    info.outcome_history_prior = config.features.outcome_history_prior;
    if (use_outcomes) {
      stage(options.progress, "outcome history features");
      add_outcome_history({&result.qualified_time, as_of, config.label.label_window_days,
                           info.outcome_history_prior},
                          table);
      info.outcome_history_source = "outcomes";
    } else if (options.outcome_history) {
      add_outcome_history_from_snapshot(*options.outcome_history, table);
      info.outcome_history_source = "snapshot";
      info.outcome_history_prior = options.outcome_history->prior;
    }
  }
  info.model_features = table.feature_names;
  return result;
}

}  // namespace elv::table
