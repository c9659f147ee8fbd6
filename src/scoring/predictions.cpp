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
  // Dictionaries looked up once, not per cell (a measured cost at a million leads).
  const auto& d = *t.dicts;
  const contracts::Dictionary* dicts[7] = {&d.for_column("lead_id"),   &d.for_column("campaign_id"),
                                           &d.for_column("campaign_name"), &d.for_column("adset_id"),
                                           &d.for_column("adset_name"), &d.for_column("ad_id"),
                                           &d.for_column("ad_name")};
  const std::vector<int32_t>* codes[7] = {&t.lead_id,  &t.campaign_id, &t.campaign_name, &t.adset_id,
                                          &t.adset_name, &t.ad_id,     &t.ad_name};
  auto text = [&](int k, int64_t i) -> std::string_view {
    const int32_t code = (*codes[k])[i];
    return code == contracts::kNullCode ? std::string_view{} : std::string_view(dicts[k]->str(code));
  };
  for (int64_t i = 0; i < t.n; ++i) {
    out.field(text(0, i));
    out.field(parse::format_timestamp(t.created_time[i]));
    for (int k = 1; k < 7; ++k) out.field(text(k, i));
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
