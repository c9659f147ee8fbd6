#include "contracts/schema.h"

#include <algorithm>
#include <cctype>

#include "base/format.h"

namespace elv::contracts {

namespace {

// The alias table, kept as data in one place. Spellings are compared after lowercasing,
// trimming and removing a trailing "(currency)" suffix. Add new export spellings here.
const std::vector<AliasEntry> kAliases = {
    // A "Day" column makes a row daily. Without one, Ads Manager's "Reporting starts" is the
    // row's date, and its "Reporting ends" must be the same day (contracts/checks.cpp).
    {"date", {"date", "day"}},
    {"period_start", {"reporting starts", "reporting_starts", "date_start", "date start"}},
    {"period_end",
     {"reporting ends", "reporting_ends", "date_stop", "date_end", "date stop", "date end"}},
    {"campaign_id", {"campaign_id", "campaign id", "campaignid"}},
    {"campaign_name", {"campaign_name", "campaign name", "campaign"}},
    {"adset_id", {"adset_id", "ad set id", "adset id", "ad_set_id", "adsetid"}},
    {"adset_name", {"adset_name", "ad set name", "adset name", "ad_set_name", "ad set"}},
    {"ad_id", {"ad_id", "ad id", "adid"}},
    {"ad_name", {"ad_name", "ad name", "ad"}},
    {"impressions", {"impressions", "impr", "impr."}},
    {"clicks", {"clicks", "link clicks", "link_clicks", "clicks (all)", "inline_link_clicks"}},
    {"spend", {"spend", "amount spent", "amount_spent", "spend_amount", "cost"}},
    {"lead_id", {"lead_id", "lead id", "leadid", "id"}},
    {"created_time",
     {"created_time", "created time", "created_at", "created", "lead created time"}},
    {"qualified_time",
     {"qualified_time", "qualified time", "qualified_at", "qualified_timestamp", "qualified"}},
    {"placement", {"placement", "platform_position", "platform position"}},
    {"geo", {"geo", "region", "country", "dma"}},
    {"audience_keywords", {"audience_keywords", "audience keywords", "keywords", "interests"}},
    {"creative_type", {"creative_type", "creative type", "format", "ad format", "media type"}},
    // Meta's lead download (docs/LEAD_FORMS.md).
    {"form_id", {"form_id", "form id"}},
    {"is_organic", {"is_organic", "is organic"}},
    {"platform", {"platform"}},
};

using C = ColType;

FileSpec make(std::string kind, std::string label, std::string key, std::vector<ColumnSpec> cols,
              std::vector<std::string> unique_key) {
  return FileSpec{std::move(kind), std::move(label), std::move(key), std::move(cols),
                  std::move(unique_key)};
}

std::string normalise_header(std::string_view cell) {
  std::string s = lowercase_trimmed(cell);
  // "amount spent (usd)" -> "amount spent"; keeps "clicks (all)", which is an alias itself.
  if (!s.empty() && s.back() == ')' && s != "clicks (all)") {
    auto open = s.rfind('(');
    if (open != std::string::npos && open > 0) {
      s.erase(open);
      while (!s.empty() && s.back() == ' ') s.pop_back();
    }
  }
  return s;
}

}  // namespace

const ColumnSpec* FileSpec::find(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

const std::vector<AliasEntry>& alias_table() { return kAliases; }

std::string header_currency(std::string_view header_cell) {
  const std::string cell = lowercase_trimmed(header_cell);
  if (cell.size() < 5 || cell.back() != ')') return "";
  const size_t open = cell.size() - 5;
  if (cell[open] != '(') return "";
  std::string code;
  for (size_t i = open + 1; i < open + 4; ++i) {
    if (cell[i] < 'a' || cell[i] > 'z') return "";
    code.push_back(static_cast<char>(cell[i] - 'a' + 'A'));
  }
  return code;
}

std::string canonical_column(const FileSpec& spec, std::string_view header_cell) {
  const std::string cell = normalise_header(header_cell);
  for (const auto& entry : kAliases) {
    if (!spec.find(entry.canonical)) continue;
    for (const auto& spelling : entry.spellings)
      if (cell == spelling) return entry.canonical;
  }
  return {};
}

const FileSpec& ads_spec() {
  static const FileSpec spec =
      make("ads", "ads.csv", "paths.ads_path",
           {{"date", C::Date, true},
            {"period_start", C::Date, false},
            {"period_end", C::Date, false},
            {"campaign_id", C::Id, true},
            {"campaign_name", C::Text, false},
            {"adset_id", C::Id, false},
            {"adset_name", C::Text, false},
            {"ad_id", C::Id, false},
            {"ad_name", C::Text, false},
            {"impressions", C::Number, true},
            {"clicks", C::Number, true},
            {"spend", C::Number, true}},
           {"date", "ad_id"});  // ad_id falls back to adset_id, then campaign_id
  return spec;
}

const FileSpec& leads_spec() {
  static const FileSpec spec = make("leads", "leads.csv", "paths.leads_path",
                                    {{"lead_id", C::Id, true},
                                     {"created_time", C::Timestamp, true},
                                     {"campaign_id", C::Id, false},
                                     {"campaign_name", C::Text, false},
                                     {"adset_id", C::Id, false},
                                     {"adset_name", C::Text, false},
                                     {"ad_id", C::Id, false},
                                     {"ad_name", C::Text, false},
                                     // Meta's lead download: features (docs/LEAD_FORMS.md)
                                     {"form_id", C::Id, false},
                                     {"is_organic", C::Text, false},
                                     {"platform", C::Text, false}},
                                    {"lead_id"});
  return spec;
}

std::string lead_field_column(std::string_view header) { return "lf_" + lowercase_trimmed(header); }

FileSpec leads_spec_with_fields(const LeadFieldsConfig& fields) {
  FileSpec spec = leads_spec();
  for (const auto& header : fields.categorical)
    spec.columns.push_back({lead_field_column(header), C::Text, true, true});
  for (const auto& header : fields.numeric)
    spec.columns.push_back({lead_field_column(header), C::Number, true, true});
  return spec;
}

const FileSpec& outcomes_spec() {
  static const FileSpec spec =
      make("outcomes", "outcomes.csv", "paths.outcomes_path",
           {{"lead_id", C::Id, true}, {"qualified_time", C::Timestamp, true}}, {"lead_id"});
  return spec;
}

const FileSpec& outcome_stages_spec() {
  static const FileSpec spec = make(
      "outcomes", "outcomes.csv", "paths.outcomes_path",
      {{"lead_id", C::Id, true}, {"stage", C::Text, true}, {"stage_time", C::Timestamp, true}}, {});
  return spec;
}

const FileSpec& lead_map_spec() {
  static const FileSpec spec =
      make("lead_to_ad_map", "lead_to_ad_map.csv", "paths.lead_to_ad_map_path",
           {{"lead_id", C::Id, true},
            {"ad_id", C::Id, false},
            {"adset_id", C::Id, false},
            {"campaign_id", C::Id, false}},
           {"lead_id"});
  return spec;
}

const FileSpec& placement_spec() {
  static const FileSpec spec =
      make("ads_placement", "ads_placement.csv", "paths.ads_placement_path",
           {{"date", C::Date, true},
            {"period_start", C::Date, false},
            {"period_end", C::Date, false},
            {"ad_id", C::Id, true},
            {"placement", C::Text, true},
            {"impressions", C::Number, false},
            {"clicks", C::Number, false},
            {"spend", C::Number, true}},
           {"date", "ad_id", "placement"});
  return spec;
}

const FileSpec& geo_spec() {
  static const FileSpec spec = make("ads_geo", "ads_geo.csv", "paths.ads_geo_path",
                                    {{"date", C::Date, true},
                                     {"period_start", C::Date, false},
                                     {"period_end", C::Date, false},
                                     {"ad_id", C::Id, true},
                                     {"geo", C::Text, true},
                                     {"impressions", C::Number, false},
                                     {"clicks", C::Number, false},
                                     {"spend", C::Number, true}},
                                    {"date", "ad_id", "geo"});
  return spec;
}

const FileSpec& targeting_spec() {
  static const FileSpec spec =
      make("adset_targeting", "adset_targeting.csv", "paths.adset_targeting_path",
           {{"adset_id", C::Id, true}, {"audience_keywords", C::Text, true}}, {"adset_id"});
  return spec;
}

const FileSpec& creatives_spec() {
  static const FileSpec spec =
      make("ad_creatives", "ad_creatives.csv", "paths.ad_creatives_path",
           {{"ad_id", C::Id, true}, {"creative_type", C::Text, true}}, {"ad_id"});
  return spec;
}

}  // namespace elv::contracts
