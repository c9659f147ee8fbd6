#include "scoring/feature_words.h"

#include <array>
#include <cmath>
#include <string_view>
#include <utility>

namespace elv::scoring {

namespace {

// One row per feature family. `windowed`: the name is "<prefix>_<N>d" and {N} in the label is
// the window in days ("spend_sum_7d": N = 7); otherwise the name is the prefix itself, or,
// with `starts`, any name that begins with it ("aud_kw_hash_" + bucket).
struct FeatureRow {
  std::string_view prefix;
  enum Match { kExact, kWindowed, kStarts } match;
  std::string_view label;  // with {N} (windowed) or {S} (the rest of the name, kStarts)
  bool moves_with_time;
  std::string_view why;
  ValueKind kind = ValueKind::kAmount;
};

constexpr std::string_view kGrowing =
    "sums follow budgets and delivery, which grow or shrink with the account, and are "
    "shorter for leads early in the data";
constexpr std::string_view kCalendar = "it follows the calendar";
constexpr std::string_view kTrend = "a trend: it changes whenever budgets are raised or cut";
constexpr std::string_view kKnownLeads =
    "a counter: it grows as the outcomes of more leads become known";

using R = FeatureRow;
constexpr std::array<FeatureRow, 44> kFeatures{{
    // ads.csv window features (docs/CONTRACT.md §4.4); drift watches these.
    {"spend_sum", R::kWindowed, "ad spend over the last {N} days", true, kGrowing},
    {"clicks_sum", R::kWindowed, "clicks on the ad over the last {N} days", true, kGrowing},
    {"impressions_sum", R::kWindowed, "impressions of the ad over the last {N} days", true,
     kGrowing},
    {"active_days", R::kWindowed, "days the ad ran in the last {N} days", true,
     "a day counter: it is low while an ad is new and at the start of the data"},
    {"ctr", R::kWindowed, "{N}-day click-through rate of the ad", false, ""},
    {"cpc", R::kWindowed, "{N}-day cost per click of the ad", false, ""},
    {"cpm", R::kWindowed, "{N}-day cost per 1,000 impressions of the ad", false, ""},
    {"impressions_per_day_long", R::kWindowed,
     "impressions of the ad per day it ran, over the last {N} days", false, ""},
    {"ctr_long", R::kWindowed, "{N}-day click-through rate of the ad (long window)", false, ""},
    {"cpc_long", R::kWindowed, "{N}-day cost per click of the ad (long window)", false, ""},
    {"spend_trend_ratio_2vprev", R::kExact,
     "spend trend of the ad (last 2 days vs the days before)", true, kTrend},
    {"clicks_trend_ratio_2vprev", R::kExact,
     "click trend of the ad (last 2 days vs the days before)", true, kTrend},
    {"lead_hour", R::kExact, "hour of the day the lead came in", true, kCalendar, ValueKind::kHour},
    {"lead_dow", R::kExact, "day of the week the lead came in", true,
     "it follows the calendar (a period that is not whole weeks shifts it)", ValueKind::kWeekday},
    {"lead_office_hours", R::kExact, "came in during office hours (09:00-17:59 UTC)", true,
     kCalendar, ValueKind::kFlag},
    // Enrichment features (§4.5).
    {"placement_n_unique", R::kWindowed, "placements the ad spent on in the last {N} days", false,
     ""},
    {"placement_entropy", R::kWindowed, "spread of the ad's spend over placements ({N} days)",
     false, ""},
    {"placement_top1_share", R::kWindowed,
     "share of the ad's spend on its top placement ({N} days)", false, ""},
    {"placement_total_spend", R::kWindowed, "ad spend by placement over the last {N} days", true,
     kGrowing},
    {"geo_n_unique", R::kWindowed, "regions the ad spent in over the last {N} days", false, ""},
    {"geo_entropy", R::kWindowed, "spread of the ad's spend over regions ({N} days)", false, ""},
    {"geo_top1_share", R::kWindowed, "share of the ad's spend in its top region ({N} days)", false,
     ""},
    {"geo_total_spend", R::kWindowed, "ad spend by region over the last {N} days", true, kGrowing},
    {"aud_kw_count", R::kExact, "audience keywords of the ad set", false, ""},
    {"aud_kw_present", R::kExact, "ad set targets audience keywords", false, "", ValueKind::kFlag},
    {"aud_kw_avg_len", R::kExact, "length of the ad set's audience keywords", false, ""},
    {"aud_kw_hash_", R::kStarts, "ad set's audience keywords in group {S}", false, ""},
    {"creative_present", R::kExact, "the ad's creative is known", false, "", ValueKind::kFlag},
    {"creative_is_video", R::kExact, "the ad is a video", false, "", ValueKind::kFlag},
    {"creative_is_image", R::kExact, "the ad is an image", false, "", ValueKind::kFlag},
    {"creative_is_carousel", R::kExact, "the ad is a carousel", false, "", ValueKind::kFlag},
    {"creative_is_other", R::kExact, "the ad is another format", false, "", ValueKind::kFlag},
    // Lead download features (§4.7): one-hot columns "<column>=<value>".
    {"is_organic", R::kExact, "organic lead (not from an ad)", false, "", ValueKind::kFlag},
    {"platform=", R::kStarts, "came in on platform {S}", false, "", ValueKind::kFlag},
    {"form_id=", R::kStarts, "came in through lead form {S}", false, "", ValueKind::kFlag},
    // The two contributions of logreg's one-hot ID blocks (model/explain.h).
    {"campaign_id", R::kExact, "the lead's campaign", false, ""},
    {"adset_id", R::kExact, "the lead's ad set", false, ""},
    {"lf_", R::kStarts, "form answer {S}", false, ""},
    // Outcome history (§4.8): what earlier leads of the same entity turned into.
    {"campaign_past_qualified_rate", R::kExact, "qualified rate of the campaign's earlier leads",
     false, ""},
    {"campaign_past_known_leads", R::kExact, "earlier leads of the campaign with a known outcome",
     true, kKnownLeads},
    {"adset_past_qualified_rate", R::kExact, "qualified rate of the ad set's earlier leads", false,
     ""},
    {"adset_past_known_leads", R::kExact, "earlier leads of the ad set with a known outcome", true,
     kKnownLeads},
    {"ad_past_qualified_rate", R::kExact, "qualified rate of the ad's earlier leads", false, ""},
    {"ad_past_known_leads", R::kExact, "earlier leads of the ad with a known outcome", true,
     kKnownLeads},
}};

// "ctr_7d" -> ("ctr", "7"); "lead_hour" -> ("lead_hour", "").
std::pair<std::string, std::string> split_window(const std::string& feature) {
  const size_t us = feature.rfind('_');
  if (us == std::string::npos || feature.size() < us + 3 || feature.back() != 'd')
    return {feature, ""};
  const std::string days = feature.substr(us + 1, feature.size() - us - 2);
  for (char c : days)
    if (c < '0' || c > '9') return {feature, ""};
  return {feature.substr(0, us), days};
}

std::string with(std::string_view label, std::string_view placeholder, const std::string& text) {
  std::string out(label);
  const size_t at = out.find(placeholder);
  if (at != std::string::npos) out.replace(at, placeholder.size(), text);
  return out;
}

FeatureWords words_of(const FeatureRow& row, std::string label) {
  return {std::move(label), row.moves_with_time, std::string(row.why), row.kind};
}

// A form answer column: "lf_budget=10k" is a flag (that answer given), "lf_budget=other" any
// other answer, "lf_team_size" a number.
FeatureWords form_answer(const std::string& feature) {
  const std::string rest = feature.substr(3);
  const size_t eq = rest.find('=');
  if (eq == std::string::npos) return {"form answer " + rest, false, "", ValueKind::kAmount};
  const std::string question = rest.substr(0, eq), answer = rest.substr(eq + 1);
  if (answer == "other")
    return {"another answer to form question " + question, false, "", ValueKind::kFlag};
  return {"answered " + answer + " to form question " + question, false, "", ValueKind::kFlag};
}

}  // namespace

FeatureWords describe_feature(const std::string& feature) {
  for (const FeatureRow& row : kFeatures)
    if (row.match == R::kExact && feature == row.prefix)
      return words_of(row, std::string(row.label));
  const auto [prefix, days] = split_window(feature);
  if (!days.empty())
    for (const FeatureRow& row : kFeatures)
      if (row.match == R::kWindowed && prefix == row.prefix)
        return words_of(row, with(row.label, "{N}", days));
  if (feature.rfind("lf_", 0) == 0) return form_answer(feature);
  for (const FeatureRow& row : kFeatures)
    if (row.match == R::kStarts && feature.rfind(row.prefix, 0) == 0)
      return words_of(row, with(row.label, "{S}", feature.substr(row.prefix.size())));
  return {feature, false, "", ValueKind::kAmount};
}

std::string describe_value(const FeatureWords& words, double value, double reference) {
  if (std::isnan(value)) return "missing";
  switch (words.kind) {
    case ValueKind::kFlag:
      return value != 0 ? "yes" : "no";
    case ValueKind::kHour:
      if (value >= 0 && value < 24) return std::to_string(static_cast<int>(value)) + "h";
      break;
    case ValueKind::kWeekday: {
      static constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                              "Friday", "Saturday", "Sunday"};
      if (value >= 0 && value < 7) return kDays[static_cast<int>(value)];
      break;
    }
    case ValueKind::kAmount:
      break;
  }
  if (std::isnan(reference)) return "";
  if (value > reference) return "high";
  if (value < reference) return "low";
  return "typical";
}

}  // namespace elv::scoring
