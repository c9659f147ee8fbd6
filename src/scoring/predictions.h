// predictions.csv (SPEC §6): one row per lead with its calibrated probability, ELV and rank.
#pragma once
#include <string>
#include <vector>

#include "table/lead_table.h"

namespace elv::scoring {

// score_rank: 1 = highest probability; ties keep table order.
std::vector<int64_t> score_ranks(const std::vector<double>& p);

void write_predictions_csv(const table::LeadTable& t, const std::vector<double>& p,
                           double value_per_qualified, int label_window_days,
                           const std::string& path);

}  // namespace elv::scoring
