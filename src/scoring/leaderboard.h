// Campaign and ad set leaderboards (docs/CONTRACT.md §6): predicted value against spend, so
// budget can move to what produces qualified leads, not just leads.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "table/build.h"

namespace elv::scoring {

enum class SegmentLevel { Campaign, Adset };

struct LeaderboardRow {
  int32_t campaign_id = -1, adset_id = -1;      // codes; adset -1 on the campaign board
  int32_t campaign_name = -1, adset_name = -1;  // codes
  double spend = 0;                             // ads.csv spend over the leads' date range
  int64_t lead_count = 0;
  double predicted_elv = 0, avg_p = 0, avg_elv = 0;  // averages NaN when no leads
  int64_t labeled_count = 0;                         // mature leads with a known outcome
  double positive_rate_labeled = 0;                  // NaN when nothing is labeled
  bool low_volume = false;                           // lead_count < min_segment_leads
  double elv_per_spend = 0, cpl = 0, expected_profit = 0, roi = 0, expected_profit_per_lead = 0;
};

struct LeaderboardInputs {
  const table::BuildResult* built = nullptr;
  const std::vector<double>* p = nullptr;  // calibrated probability per lead
  double value_per_qualified = 1.0;
  int min_segment_leads = 30;
};

// Rows for every segment with leads or with spend in the leads' date range, sorted
// low-volume last, then elv_per_spend, predicted_elv, spend (descending; NaN last).
std::vector<LeaderboardRow> leaderboard(const LeaderboardInputs& in, SegmentLevel level);

// True when the table has ad set keys (the ad set board is written only then).
bool has_adset_keys(const table::LeadTable& t);

// With a currency (the run's ISO 4217 code, contracts::InputFiles::currency), a last column
// `currency` says what spend, ELV and profit are counted in; without one the columns are as
// docs/CONTRACT.md §6 lists them.
void write_leaderboard_csv(const std::vector<LeaderboardRow>& rows, SegmentLevel level,
                           const table::LeadTable& t, int label_window_days,
                           const std::string& currency, const std::string& path);

}  // namespace elv::scoring
