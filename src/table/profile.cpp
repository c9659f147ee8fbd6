#include "table/profile.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/format.h"
#include "base/parallel.h"
#include "io/parse.h"

namespace elv::table {

using nlohmann::json;

namespace {

double round_to(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

// "12.3%": the profile's Markdown tables write percentages without the space.
std::string percent_tight(double share) { return fixed(100.0 * share, 1) + "%"; }

struct ColumnStats {
  int64_t nulls = 0;
  double sum = 0, lo = INFINITY, hi = -INFINITY;
};

// One column's nulls, sum, min and max, without a branch per value: NaN fails every
// comparison, so min/max skip it by themselves, and it adds 0 to the sum. Four partial
// sums break the addition chain. (The profile was the one single-threaded pass over the
// whole table left in build-table: perf, issue 5.)
// T: float or double, as the column stores it.
template <class T>
ColumnStats column_stats(const T* values, size_t n) {
  ColumnStats s;
  double sums[4] = {0, 0, 0, 0};
  int64_t nulls[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < n; ++i) {
    const double v = values[i];
    const bool null = v != v;
    nulls[i & 3] += null;
    sums[i & 3] += null ? 0.0 : v;
    s.lo = v < s.lo ? v : s.lo;
    s.hi = v > s.hi ? v : s.hi;
  }
  s.nulls = nulls[0] + nulls[1] + nulls[2] + nulls[3];
  s.sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
  return s;
}

json feature_stats(const LeadTable& t) {
  // Columns split between two threads: the pass is memory-bound, one thread per core.
  std::vector<ColumnStats> stats(t.features.size());
  auto range = [&](size_t begin, size_t end) {
    for (size_t f = begin; f < end; ++f)
      stats[f] =
          t.features[f].visit([&](const auto* v) { return column_stats(v, t.features[f].size()); });
  };
  const size_t half = stats.size() / 2;
  run_workers(2, [&](int t) { t == 0 ? range(0, half) : range(half, stats.size()); });
  json out = json::object();
  for (size_t f = 0; f < t.features.size(); ++f) {
    const ColumnStats& c = stats[f];
    const int64_t count = t.n - c.nulls;
    json s = {{"null_share", t.n ? round_to(static_cast<double>(c.nulls) / t.n, 6) : 0.0}};
    if (count > 0) {
      s["min"] = c.lo;
      s["mean"] = round_to(c.sum / count, 6);
      s["max"] = c.hi;
    }
    out[t.feature_names[f]] = s;
  }
  return out;
}

}  // namespace

json build_facts_json(const BuildInfo& info) {
  const JoinFacts& j = info.join;
  const LabelFacts& l = info.labels;
  json enrichments = json::array();
  for (const auto& e : info.enrichments) {
    enrichments.push_back({{"kind", e.kind},
                           {"path", e.path},
                           {"rows", e.rows},
                           {"lead_coverage", round_to(e.lead_coverage, 6)},
                           {"features", e.features}});
  }
  json facts = {
      {"currency", info.currency.empty() ? json(nullptr) : json(info.currency)},
      {"join",
       {{"strategy", j.strategy},
        {"leads_by_strategy",
         {{"id", j.leads_by_id},
          {"mapping", j.leads_by_mapping},
          {"name_fallback", j.leads_by_name}}},
        {"match_rate", round_to(j.match_rate, 6)},
        {"rows", j.leads_kept},
        {"leads_in_file", j.leads_in_file},
        {"dropped_missing_lead_id", j.dropped_missing_id},
        {"dropped_bad_created_time", j.dropped_bad_created},
        {"duplicate_lead_ids", j.duplicate_lead_ids},
        {"feature_level",
         {{"ad", j.feature_level_ad},
          {"adset", j.feature_level_adset},
          {"campaign", j.feature_level_campaign},
          {"none", j.feature_level_none}}}}},
      {"labeling",
       {{"as_of_date", parse::format_date(l.as_of_date)},
        {"label_window_days", l.label_window_days},
        {"require_label_maturity", l.require_label_maturity},
        {"maturity_cutoff_utc", parse::format_timestamp(l.maturity_cutoff)},
        {"outcomes_available", l.outcomes_available},
        {"counts", {{"positive", l.positive}, {"negative", l.negative}, {"unknown", l.unknown}}},
        {"mature", l.mature},
        {"data_errors",
         {{"qualified_before_created", l.qualified_before_created},
          {"unreadable_outcomes", l.unreadable_outcomes},
          {"outcomes_for_unknown_leads", l.outcomes_for_unknown_leads},
          {"duplicate_outcomes", l.duplicate_outcomes}}},
        {"outcomes_after_as_of_date", l.outcomes_after_as_of},
        {"outcome_id_match",
         {{"exact", l.ids_exact},
          {"case_insensitive", l.ids_case_insensitive},
          {"unmatched", l.ids_unmatched}}}}},
      {"features",
       {{"feature_window_days", info.feature_window_days},
        {"feature_lag_days", info.feature_lag_days},
        {"ads_covered_days", info.ads_span.empty()
                                 ? json(nullptr)
                                 : json{{"first", parse::format_date(info.ads_span.first)},
                                        {"last", parse::format_date(info.ads_span.last)}}},
        {"model_features", info.model_features}}},
      {"enrichments", enrichments},
      {"warnings", info.warnings},
  };
  if (!info.outcome_history_source.empty())
    facts["features"]["outcome_history"] = {{"source", info.outcome_history_source},
                                            {"prior", info.outcome_history_prior}};
  // Only when a file wrote Meta's prefixes: other runs' profiles keep their shape.
  if (l.lead_ids_meta_prefixed > 0 || l.outcome_ids_meta_prefixed > 0)
    facts["labeling"]["outcome_id_match"]["meta_prefix_stripped"] = {
        {"leads", l.lead_ids_meta_prefixed}, {"outcomes", l.outcome_ids_meta_prefixed}};
  // Only for a lead download (docs/LEAD_FORMS.md): other runs' profiles keep their shape.
  const LeadFormEncoding& form = info.lead_form;
  if (!form.empty() || info.organic_leads > 0) {
    json categorical = json::object();
    for (const auto& c : form.categorical) categorical[c.column] = c.values;
    json numeric = json::array();
    for (const auto& n : form.numeric) numeric.push_back(n.column);
    facts["lead_form"] = {{"organic_leads", info.organic_leads},
                          {"categorical", categorical},
                          {"numeric", numeric},
                          {"features", form.feature_names()}};
  }
  return facts;
}

json profile_json(const BuildResult& result) {
  json inputs = json::object();
  for (const auto& in : result.info.inputs) {
    json issues = json::object();
    for (const auto& [column, issue] : in.issues) {
      json c = {
          {"null_share", in.rows ? round_to(static_cast<double>(issue.nulls) / in.rows, 6) : 0.0},
          {"unparseable", issue.invalid}};
      if (!issue.first_invalid_lines.empty())
        c["first_unparseable_lines"] = issue.first_invalid_lines;
      if (issue.scientific) c["scientific_ids"] = issue.scientific;
      issues[column] = c;
    }
    inputs[in.kind] = {{"path", in.path},
                       {"rows", in.rows},
                       {"size_mb", round_to(in.size_mb, 3)},
                       {"columns", issues}};
    if (!in.first_date.empty()) inputs[in.kind]["range"] = {in.first_date, in.last_date};
  }
  json profile = build_facts_json(result.info);
  profile["inputs"] = inputs;
  profile["table"] = {{"rows", result.table.n},
                      {"feature_count", result.table.features.size()},
                      {"features", feature_stats(result.table)}};
  return profile;
}

std::string profile_markdown(const json& p) {
  std::ostringstream md;
  md << "# Data profile\n\n## Inputs\n\n| file | rows | size (MB) | range |\n|---|---:|---:|---|\n";
  for (const auto& [kind, in] : p["inputs"].items()) {
    std::string range = in.contains("range") ? in["range"][0].get<std::string>() + " → " +
                                                   in["range"][1].get<std::string>()
                                             : "";
    md << "| " << kind << " | " << in["rows"].get<int64_t>() << " | " << in["size_mb"].get<double>()
       << " | " << range << " |\n";
  }
  const auto& join = p["join"];
  md << "\n## Join\n\n- strategy: **" << join["strategy"].get<std::string>() << "**\n"
     << "- match rate: " << percent_tight(join["match_rate"].get<double>()) << " of "
     << join["rows"].get<int64_t>() << " leads\n"
     << "- features from: ad " << join["feature_level"]["ad"].get<int64_t>() << ", ad set "
     << join["feature_level"]["adset"].get<int64_t>() << ", campaign "
     << join["feature_level"]["campaign"].get<int64_t>() << ", none "
     << join["feature_level"]["none"].get<int64_t>() << "\n";
  const auto& lab = p["labeling"];
  md << "\n## Labels\n\n- as_of_date: " << lab["as_of_date"].get<std::string>()
     << "\n- maturity cutoff (UTC): " << lab["maturity_cutoff_utc"].get<std::string>()
     << "\n- label window: " << lab["label_window_days"].get<int>() << " days"
     << "\n- outcomes available: " << (lab["outcomes_available"].get<bool>() ? "yes" : "no")
     << "\n- positive " << lab["counts"]["positive"].get<int64_t>() << ", negative "
     << lab["counts"]["negative"].get<int64_t>() << ", unknown "
     << lab["counts"]["unknown"].get<int64_t>() << " (mature: " << lab["mature"].get<int64_t>()
     << ")\n";
  if (lab["outcomes_available"].get<bool>() && lab.contains("outcome_id_match")) {
    const auto& m = lab["outcome_id_match"];
    md << "- outcome lead_ids matched: exact " << m["exact"].get<int64_t>() << ", ignoring case "
       << m["case_insensitive"].get<int64_t>() << ", unmatched " << m["unmatched"].get<int64_t>()
       << "\n";
  }
  if (p.contains("lead_form")) {
    const auto& form = p["lead_form"];
    md << "\n## Lead form\n\n- organic leads (scored, not in the leaderboards): "
       << form["organic_leads"].get<int64_t>() << "\n";
    for (const auto& [column, values] : form["categorical"].items())
      md << "- " << column << ": " << values.size() << " answers kept, then other\n";
    for (const auto& column : form["numeric"])
      md << "- " << column.get<std::string>() << ": number\n";
  }
  const auto& f = p["features"];
  md << "\n## Features\n\n- window " << f["feature_window_days"].get<int>() << " days, lag "
     << f["feature_lag_days"].get<int>() << " day(s)\n";
  if (!f["ads_covered_days"].is_null())
    md << "- ads.csv covers " << f["ads_covered_days"]["first"].get<std::string>() << " → "
       << f["ads_covered_days"]["last"].get<std::string>() << "\n";
  md << "\n| feature | null | min | mean | max |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [name, s] : p["table"]["features"].items()) {
    md << "| " << name << " | " << percent_tight(s["null_share"].get<double>()) << " | "
       << (s.contains("min") ? s["min"].dump() : "") << " | "
       << (s.contains("mean") ? s["mean"].dump() : "") << " | "
       << (s.contains("max") ? s["max"].dump() : "") << " |\n";
  }
  if (!p["enrichments"].empty()) {
    md << "\n## Enrichments\n\n| file | rows | lead coverage |\n|---|---:|---:|\n";
    for (const auto& e : p["enrichments"])
      md << "| " << e["kind"].get<std::string>() << " | " << e["rows"].get<int64_t>() << " | "
         << percent_tight(e["lead_coverage"].get<double>()) << " |\n";
  }
  md << "\n## Warnings\n\n";
  if (p["warnings"].empty()) md << "None.\n";
  for (const auto& w : p["warnings"]) md << "- " << w.get<std::string>() << "\n";
  return md.str();
}

}  // namespace elv::table
