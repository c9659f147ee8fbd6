#include "table/table_writer.h"

#include <algorithm>
#include <thread>

#include "io/csv_writer.h"
#include "io/gzip_members.h"
#include "io/parse.h"

namespace elv::table {

namespace {

constexpr int64_t kRowsPerBlock = 8192;  // ~5 MB of text: compresses well, bounded memory
constexpr int kFeatureDigits = 12;

// Dictionaries looked up once, not per cell.
struct RowFormatter {
  const LeadTable& t;
  const contracts::Dictionary* lead;
  const contracts::Dictionary* keys[6];  // campaign, campaign name, adset, adset name, ad, ad name
  const std::vector<int32_t>* key_codes[6];
  std::vector<const contracts::Dictionary*> text_dicts;

  explicit RowFormatter(const LeadTable& table) : t(table) {
    const auto& d = *t.dicts;
    lead = &d.for_column("lead_id");
    const char* names[6] = {"campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name"};
    const std::vector<int32_t>* codes[6] = {&t.campaign_id, &t.campaign_name, &t.adset_id,
                                            &t.adset_name,  &t.ad_id,         &t.ad_name};
    for (int k = 0; k < 6; ++k) {
      keys[k] = &d.for_column(names[k]);
      key_codes[k] = codes[k];
    }
    for (const auto& name : t.text_dictionaries) text_dicts.push_back(&d.for_column(name));
  }

  static void text(std::string& out, const contracts::Dictionary* dict, int32_t code) {
    if (code != contracts::kNullCode) csv::append_quoted(out, dict->str(code));
  }

  void header(std::string& out) const {
    out += "lead_id,created_time,lead_date,campaign_id,campaign_name,adset_id,adset_name,ad_id,"
           "ad_name,lead_dow,lead_hour,feature_end_date,label_status,label,is_mature";
    // lead_hour and lead_dow are already among the leading columns.
    for (size_t f = 2; f < t.feature_names.size(); ++f) {
      out.push_back(',');
      csv::append_quoted(out, t.feature_names[f]);
    }
    for (const auto& name : t.text_names) {
      out.push_back(',');
      csv::append_quoted(out, name);
    }
    out.push_back('\n');
  }

  void row(std::string& out, int64_t i) const {
    text(out, lead, t.lead_id[i]);
    out.push_back(',');
    out += parse::format_timestamp(t.created_time[i]);
    out.push_back(',');
    out += parse::format_date(t.lead_date[i]);
    for (int k = 0; k < 6; ++k) {
      out.push_back(',');
      text(out, keys[k], (*key_codes[k])[i]);
    }
    out.push_back(',');
    out += std::to_string(t.lead_dow[i]);
    out.push_back(',');
    out += std::to_string(t.lead_hour[i]);
    out.push_back(',');
    out += parse::format_date(t.feature_end_date[i]);
    out.push_back(',');
    out += label_status_name(t.label_status[i]);
    out.push_back(',');
    if (t.label_status[i] == LabelStatus::Positive) out.push_back('1');
    else if (t.label_status[i] == LabelStatus::Negative) out.push_back('0');
    out.push_back(',');
    out.push_back(t.is_mature[i] ? '1' : '0');
    for (size_t f = 2; f < t.features.size(); ++f) {
      out.push_back(',');
      // 12 significant digits: exact for counts and money, far finer than any ratio needs,
      // and the dropped noise digits were most of the bytes to compress.
      csv::append_double_digits(out, t.features[f][i], kFeatureDigits);
    }
    for (size_t k = 0; k < t.texts.size(); ++k) {
      out.push_back(',');
      text(out, text_dicts[k], t.texts[k][i]);
    }
    out.push_back('\n');
  }
};

}  // namespace

void write_table_csv(const LeadTable& t, const std::string& path, int threads) {
  const RowFormatter formatter(t);
  const int64_t n_blocks = std::max<int64_t>(1, (t.n + kRowsPerBlock - 1) / kRowsPerBlock);
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  io::write_gzip_blocks(
      path, static_cast<size_t>(n_blocks),
      [&](size_t block, std::string& out) {
        if (block == 0) formatter.header(out);
        const int64_t begin = static_cast<int64_t>(block) * kRowsPerBlock;
        const int64_t end = std::min(t.n, begin + kRowsPerBlock);
        for (int64_t i = begin; i < end; ++i) formatter.row(out, i);
      },
      threads);
}

}  // namespace elv::table
