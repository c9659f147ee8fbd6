#include "scoring/predictions.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <thread>

#include "base/error.h"
#include "base/parallel.h"
#include "io/csv_writer.h"
#include "io/gzip_members.h"
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

namespace {

void check_inputs(const table::LeadTable& t, const std::vector<double>& p,
                  double value_per_qualified) {
  if (static_cast<int64_t>(p.size()) != t.n)
    throw Error("predictions: " + std::to_string(p.size()) + " probabilities for " +
                std::to_string(t.n) + " leads");
  if (!(value_per_qualified > 0) || !std::isfinite(value_per_qualified))
    throw Error("predictions: value_per_qualified must be a finite number > 0");
  for (int64_t i = 0; i < t.n; ++i)
    if (!std::isfinite(p[i]))
      throw Error("predictions: the probability for lead '" + t.str("lead_id", t.lead_id[i]) +
                  "' is not a finite number");
}

}  // namespace

void write_predictions_csv(const table::LeadTable& t, const std::vector<double>& p,
                           double value_per_qualified, int label_window_days,
                           const std::string& path, const TopContributions* reasons) {
  check_inputs(t, p, value_per_qualified);
  if (reasons && reasons->rows != t.n)
    throw Error("predictions: reasons for " + std::to_string(reasons->rows) +
                " leads, the table has " + std::to_string(t.n));
  const std::vector<int64_t> rank = score_ranks(p);
  // Dictionaries looked up once, not per cell (a measured cost at a million leads).
  const auto& d = *t.dicts;
  const contracts::Dictionary* dicts[7] = {
      &d.for_column("lead_id"),  &d.for_column("campaign_id"), &d.for_column("campaign_name"),
      &d.for_column("adset_id"), &d.for_column("adset_name"),  &d.for_column("ad_id"),
      &d.for_column("ad_name")};
  const std::vector<int32_t>* codes[7] = {&t.lead_id,  &t.campaign_id, &t.campaign_name,
                                          &t.adset_id, &t.adset_name,  &t.ad_id,
                                          &t.ad_name};
  std::optional<ReasonsText> reasons_text;
  if (reasons) reasons_text.emplace(*reasons, t);
  auto row = [&](std::string& out, int64_t i) {
    for (int k = 0; k < 7; ++k) {
      const int32_t code = (*codes[k])[i];
      if (code != contracts::kNullCode) csv::append_quoted(out, dicts[k]->str(code));
      out.push_back(',');
      if (k == 0) out += parse::format_timestamp(t.created_time[i]) + ",";
    }
    out += table::label_status_name(t.label_status[i]);
    out.push_back(',');
    if (t.label_status[i] == table::LabelStatus::Positive)
      out.push_back('1');
    else if (t.label_status[i] == table::LabelStatus::Negative)
      out.push_back('0');
    out.push_back(',');
    out.push_back(t.is_mature[i] ? '1' : '0');
    out.push_back(',');
    csv::append_double(out, p[i]);
    out.push_back(',');
    csv::append_double(out, value_per_qualified);
    out.push_back(',');
    csv::append_double(out, p[i] * value_per_qualified);
    out.push_back(',');
    out += std::to_string(rank[i]);
    if (reasons) {
      out.push_back(',');
      csv::append_quoted(out, (*reasons_text)(i, i));
    }
    out.push_back('\n');
  };
  constexpr int64_t kRowsPerBlock = 16384;
  const int64_t n_blocks = std::max<int64_t>(1, (t.n + kRowsPerBlock - 1) / kRowsPerBlock);
  const std::string w = std::to_string(label_window_days) + "d";
  io::write_gzip_blocks(
      path, static_cast<size_t>(n_blocks),
      [&](size_t block, std::string& out) {
        if (block == 0)
          out += std::string(kPredictionsHeaderStart) +
                 "label_status,label,is_mature,p_qualified_" + w +
                 ",value_per_qualified,elv,score_rank" + (reasons ? ",top_reasons\n" : "\n");
        const int64_t begin = static_cast<int64_t>(block) * kRowsPerBlock;
        for (int64_t i = begin; i < std::min(t.n, begin + kRowsPerBlock); ++i) row(out, i);
      },
      resolve_threads(0), /*level=*/-1);
}

}  // namespace elv::scoring
