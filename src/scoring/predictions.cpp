#include "scoring/predictions.h"

#include <algorithm>
#include <numeric>

#include "io/csv_writer.h"
#include "io/parse.h"

namespace elv::scoring {

std::vector<int64_t> score_ranks(const std::vector<double>& p) {
  std::vector<int64_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return p[a] > p[b]; });
  std::vector<int64_t> rank(p.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<int64_t>(r) + 1;
  return rank;
}

void write_predictions_csv(const table::LeadTable& t, const std::vector<double>& p,
                           double value_per_qualified, int label_window_days,
                           const std::string& path) {
  const std::vector<int64_t> rank = score_ranks(p);
  csv::Writer out(path);
  for (const std::string name :
       {std::string("lead_id"), std::string("created_time"), std::string("campaign_id"),
        std::string("campaign_name"), std::string("adset_id"), std::string("adset_name"),
        std::string("ad_id"), std::string("ad_name"), std::string("label_status"),
        std::string("label"), std::string("is_mature"),
        "p_qualified_" + std::to_string(label_window_days) + "d", std::string("value_per_qualified"),
        std::string("elv"), std::string("score_rank")})
    out.field(name);
  out.end_row();
  for (int64_t i = 0; i < t.n; ++i) {
    out.field(t.str("lead_id", t.lead_id[i]));
    out.field(parse::format_timestamp(t.created_time[i]));
    out.field(t.str("campaign_id", t.campaign_id[i])).field(t.str("campaign_name", t.campaign_name[i]));
    out.field(t.str("adset_id", t.adset_id[i])).field(t.str("adset_name", t.adset_name[i]));
    out.field(t.str("ad_id", t.ad_id[i])).field(t.str("ad_name", t.ad_name[i]));
    out.field(table::label_status_name(t.label_status[i]));
    if (t.label_status[i] == table::LabelStatus::Positive) out.field(int64_t{1});
    else if (t.label_status[i] == table::LabelStatus::Negative) out.field(int64_t{0});
    else out.empty();
    out.field(static_cast<int64_t>(t.is_mature[i]));
    out.field(p[i]).field(value_per_qualified).field(p[i] * value_per_qualified).field(rank[i]);
    out.end_row();
  }
  out.close();
}

}  // namespace elv::scoring
