#include "table/table_writer.h"

#include "io/csv_writer.h"
#include "io/parse.h"

namespace elv::table {

void write_table_csv(const LeadTable& t, const std::string& path, bool gzip) {
  csv::Writer out(path, gzip);
  for (const char* name : {"lead_id", "created_time", "lead_date", "campaign_id", "campaign_name",
                           "adset_id", "adset_name", "ad_id", "ad_name", "lead_dow", "lead_hour",
                           "feature_end_date", "label_status", "label", "is_mature"})
    out.field(name);
  // lead_hour and lead_dow are already among the leading columns.
  for (size_t f = 2; f < t.feature_names.size(); ++f) out.field(t.feature_names[f]);
  for (const auto& name : t.text_names) out.field(name);
  out.end_row();

  // Dictionaries looked up once, not per cell.
  const auto& d = *t.dicts;
  const contracts::Dictionary* lead = &d.for_column("lead_id");
  const contracts::Dictionary* campaign = &d.for_column("campaign_id");
  const contracts::Dictionary* campaign_name = &d.for_column("campaign_name");
  const contracts::Dictionary* adset = &d.for_column("adset_id");
  const contracts::Dictionary* adset_name = &d.for_column("adset_name");
  const contracts::Dictionary* ad = &d.for_column("ad_id");
  const contracts::Dictionary* ad_name = &d.for_column("ad_name");
  std::vector<const contracts::Dictionary*> text_dicts;
  for (const auto& name : t.text_dictionaries) text_dicts.push_back(&d.for_column(name));
  auto text = [](const contracts::Dictionary* dict, int32_t code) -> std::string_view {
    return code == contracts::kNullCode ? std::string_view{} : std::string_view(dict->str(code));
  };

  for (int64_t i = 0; i < t.n; ++i) {
    out.field(text(lead, t.lead_id[i]));
    out.field(parse::format_timestamp(t.created_time[i]));
    out.field(parse::format_date(t.lead_date[i]));
    out.field(text(campaign, t.campaign_id[i]));
    out.field(text(campaign_name, t.campaign_name[i]));
    out.field(text(adset, t.adset_id[i]));
    out.field(text(adset_name, t.adset_name[i]));
    out.field(text(ad, t.ad_id[i]));
    out.field(text(ad_name, t.ad_name[i]));
    out.field(static_cast<int64_t>(t.lead_dow[i]));
    out.field(static_cast<int64_t>(t.lead_hour[i]));
    out.field(parse::format_date(t.feature_end_date[i]));
    out.field(label_status_name(t.label_status[i]));
    if (t.label_status[i] == LabelStatus::Positive) out.field(int64_t{1});
    else if (t.label_status[i] == LabelStatus::Negative) out.field(int64_t{0});
    else out.empty();
    out.field(static_cast<int64_t>(t.is_mature[i]));
    for (size_t f = 2; f < t.features.size(); ++f) out.field(t.features[f][i]);
    for (size_t k = 0; k < t.texts.size(); ++k) out.field(text(text_dicts[k], t.texts[k][i]));
    out.end_row();
  }
  out.close();
}

}  // namespace elv::table
