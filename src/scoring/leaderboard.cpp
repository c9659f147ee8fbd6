#include "scoring/leaderboard.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "io/csv_writer.h"

namespace elv::scoring {

using contracts::kNullCode;
using table::LabelStatus;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double safe_div(double num, double den) { return den == 0 ? kNaN : num / den; }

// Descending with NaN last, as a spreadsheet user expects.
bool desc_nan_last(double a, double b, bool& decided) {
  const bool an = std::isnan(a), bn = std::isnan(b);
  decided = true;
  if (an != bn) return bn;  // the non-NaN comes first
  if (!an && a != b) return a > b;
  decided = false;
  return false;
}

void finish_row(LeaderboardRow& r, int min_segment_leads) {
  const double n = static_cast<double>(r.lead_count);
  r.avg_p = r.lead_count ? r.avg_p / n : kNaN;
  r.avg_elv = r.lead_count ? r.predicted_elv / n : kNaN;
  r.positive_rate_labeled =
      r.labeled_count ? r.positive_rate_labeled / static_cast<double>(r.labeled_count) : kNaN;
  r.low_volume = r.lead_count < min_segment_leads;
  r.elv_per_spend = safe_div(r.predicted_elv, r.spend);
  r.cpl = safe_div(r.spend, n);
  r.expected_profit = r.predicted_elv - r.spend;
  r.roi = safe_div(r.expected_profit, r.spend);
  r.expected_profit_per_lead = safe_div(r.expected_profit, n);
}

}  // namespace

bool has_adset_keys(const table::LeadTable& t) {
  for (int32_t a : t.adset_id)
    if (a != kNullCode) return true;
  return false;
}

std::vector<LeaderboardRow> leaderboard(const LeaderboardInputs& in, SegmentLevel level) {
  const table::LeadTable& t = in.built->table;
  const bool by_adset = level == SegmentLevel::Adset;
  std::unordered_map<int32_t, size_t> index;  // segment code -> row
  std::vector<LeaderboardRow> rows;
  auto row_for = [&](int32_t key) -> LeaderboardRow& {
    auto [it, inserted] = index.emplace(key, rows.size());
    if (inserted) rows.emplace_back();
    return rows[it->second];
  };

  int32_t first_day = std::numeric_limits<int32_t>::max(),
          last_day = std::numeric_limits<int32_t>::min();
  for (int64_t i = 0; i < t.n; ++i) {
    const int32_t key = by_adset ? t.adset_id[i] : t.campaign_id[i];
    first_day = std::min(first_day, t.lead_date[i]);
    last_day = std::max(last_day, t.lead_date[i]);
    if (key == kNullCode) continue;
    // An organic lead (Meta's is_organic) was not bought by the spend it would be set against.
    if (!t.is_organic.empty() && t.is_organic[i]) continue;
    LeaderboardRow& r = row_for(key);
    r.campaign_id = t.campaign_id[i];
    r.campaign_name = t.campaign_name[i];
    if (by_adset) {
      r.adset_id = key;
      r.adset_name = t.adset_name[i];
    }
    const double p = (*in.p)[i];
    ++r.lead_count;
    r.avg_p += p;  // a sum until finish_row
    r.predicted_elv += p * in.value_per_qualified;
    // Mature leads only, as in training: recent leads that already qualified would inflate
    // the observed rate.
    if (t.label_status[i] != LabelStatus::Unknown && t.is_mature[i]) {
      ++r.labeled_count;
      if (t.label_status[i] == LabelStatus::Positive) r.positive_rate_labeled += 1;
    }
  }

  // Spend over the scored leads' date range, including segments that spent without leads.
  if (t.n > 0 && in.built->ads_cubes) {
    const auto& cube =
        in.built->ads_cubes->level[by_adset ? table::kAdsetLevel : table::kCampaignLevel];
    const auto& h = *in.built->hierarchy;
    const size_t n_entities = by_adset ? h.adset_known.size() : h.campaign_known.size();
    for (size_t e = 0; e < n_entities; ++e) {
      const auto code = static_cast<int32_t>(e);
      if (!cube.has(code)) continue;
      const double spend = cube.sum(code, table::kSpend, first_day, last_day);
      auto it = index.find(code);
      if (it == index.end()) {
        if (spend <= 0) continue;
        LeaderboardRow& r = row_for(code);
        if (by_adset) {
          r.adset_id = code;
          r.adset_name = h.adset_name[e];
          r.campaign_id = h.adset_campaign[e];
          r.campaign_name = h.adset_campaign_name[e];
        } else {
          r.campaign_id = code;
          r.campaign_name = h.campaign_name[e];
        }
        r.spend = spend;
      } else {
        rows[it->second].spend = spend;
      }
    }
  }
  for (auto& r : rows) finish_row(r, in.min_segment_leads);
  std::stable_sort(rows.begin(), rows.end(), [&](const LeaderboardRow& a, const LeaderboardRow& b) {
    if (a.low_volume != b.low_volume) return !a.low_volume;
    bool decided = false;
    bool less = desc_nan_last(a.elv_per_spend, b.elv_per_spend, decided);
    if (decided) return less;
    less = desc_nan_last(a.predicted_elv, b.predicted_elv, decided);
    if (decided) return less;
    less = desc_nan_last(a.spend, b.spend, decided);
    if (decided) return less;
    // Deterministic order for full ties: by ID string.
    const int32_t ka = by_adset ? a.adset_id : a.campaign_id,
                  kb = by_adset ? b.adset_id : b.campaign_id;
    const char* dict = by_adset ? "adset_id" : "campaign_id";
    return t.str(dict, ka) < t.str(dict, kb);
  });
  return rows;
}

void write_leaderboard_csv(const std::vector<LeaderboardRow>& rows, SegmentLevel level,
                           const table::LeadTable& t, int label_window_days,
                           const std::string& currency, const std::string& path) {
  const bool by_adset = level == SegmentLevel::Adset;
  const std::string w = std::to_string(label_window_days) + "d";
  csv::Writer out(path);
  out.field("campaign_id").field("campaign_name");
  if (by_adset) out.field("adset_id").field("adset_name");
  for (const std::string& name :
       {std::string("spend"), std::string("lead_count"), std::string("predicted_elv"),
        "avg_p_qualified_" + w, std::string("avg_elv"), std::string("labeled_count"),
        std::string("positive_rate_labeled"), std::string("low_volume"),
        std::string("elv_per_spend"), std::string("cpl"), std::string("expected_profit"),
        std::string("roi"), std::string("expected_profit_per_lead")})
    out.field(name);
  if (!currency.empty()) out.field("currency");
  out.end_row();
  for (const auto& r : rows) {
    out.field(t.str("campaign_id", r.campaign_id)).field(t.str("campaign_name", r.campaign_name));
    if (by_adset) out.field(t.str("adset_id", r.adset_id)).field(t.str("adset_name", r.adset_name));
    out.fixed(r.spend, 2)
        .field(r.lead_count)
        .field(r.predicted_elv)
        .field(r.avg_p)
        .field(r.avg_elv);
    out.field(r.labeled_count)
        .field(r.positive_rate_labeled)
        .field(r.low_volume ? "true" : "false");
    out.field(r.elv_per_spend).field(r.cpl).field(r.expected_profit).field(r.roi);
    out.field(r.expected_profit_per_lead);
    if (!currency.empty()) out.field(currency);
    out.end_row();
  }
  out.close();
}

}  // namespace elv::scoring
