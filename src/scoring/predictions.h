// predictions.csv (docs/CONTRACT.md §6): one row per lead with its calibrated probability, ELV
// and rank.
#pragma once
#include <string>
#include <vector>

#include "scoring/reasons.h"
#include "table/lead_table.h"

namespace elv::scoring {

// The first columns of predictions.csv's header: what tells a predictions file elv wrote
// (batch-score --predictions-out replaces nothing else).
inline constexpr const char* kPredictionsHeaderStart =
    "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,";

// score_rank: 1 = highest probability; ties keep table order.
std::vector<int64_t> score_ranks(const std::vector<double>& p);

// Throws elv::Error before writing anything when a probability is not a finite number (it
// would be an empty cell ranked anywhere) or value_per_qualified is not finite and > 0;
// ModelBundle::predict already refuses such output, naming the model.
// With `reasons` (one row per lead of t, in table order), a last column top_reasons holds
// each lead's reasons (scoring/reasons.h).
void write_predictions_csv(const table::LeadTable& t, const std::vector<double>& p,
                           double value_per_qualified, int label_window_days,
                           const std::string& path, const TopContributions* reasons = nullptr);

}  // namespace elv::scoring
