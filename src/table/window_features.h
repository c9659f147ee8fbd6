// Calendar-window features (docs/CONTRACT.md §4.4, §4.5): ads metrics and the placement / geo
// breakdowns, each at the lead's ad level, falling back to ad set, then campaign, when the
// lead's key is unknown to the file. Days outside the file's covered span are unknown.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "contracts/frame.h"
#include "table/daily_cube.h"
#include "table/joins.h"
#include "table/lead_table.h"

namespace elv::table {

enum Level { kAdLevel = 0, kAdsetLevel = 1, kCampaignLevel = 2 };
// Metrics of the ads cubes.
enum AdsMetric { kImpressions = 0, kClicks = 1, kSpend = 2, kActive = 3 };

struct LeadKeys {  // per lead, resolved codes
  const std::vector<int32_t>* ad;
  const std::vector<int32_t>* adset;
  const std::vector<int32_t>* campaign;
  const std::vector<int32_t>* feature_end_date;  // days
};

// The long window of the ads rates (impressions per active day, CTR, CPC over up to 90
// days): an ad's delivery over one week is noisy, its quality is not (bench/RESULTS.md,
// "Long-window ads rates").
inline constexpr int kLongWindowDays = 90;

struct WindowSpec {
  int window_days = 7;
  int threads = 1;
};

struct AdsCubes {
  CoveredSpan span;
  std::array<DailyCube, 3> level;  // metrics: impressions, clicks, spend, active day
};
AdsCubes build_ads_cubes(const contracts::Frame& ads, const contracts::Dictionaries& dicts);

struct LevelCounts {
  int64_t ad = 0, adset = 0, campaign = 0, none = 0;
};

// Appends impressions_sum_Wd … clicks_trend_ratio_2vprev, then impressions_per_day_long_90d,
// ctr_long_90d and cpc_long_90d to table.features.
LevelCounts add_ads_features(const AdsCubes& cubes, const LeadKeys& keys, const WindowSpec& spec,
                             LeadTable& table);

// A placement or geo breakdown: per (entity, dimension value) daily spend, at each level.
struct DimCubes {
  std::string prefix;  // "placement" or "geo"
  std::string dim_column;
  CoveredSpan span;
  std::array<DailyCube, 3> level;
  // For each level and entity code: its (dimension code, cube entity) pairs.
  std::array<std::vector<std::vector<std::pair<int32_t, int32_t>>>, 3> pairs;
};
DimCubes build_dim_cubes(const contracts::Frame& breakdown, const std::string& prefix,
                         const std::string& dim_column, const AdsHierarchy& hierarchy);

// Appends {p}_n_unique_Wd, {p}_entropy_Wd, {p}_top1_share_Wd, {p}_total_spend_Wd and the
// text column {p}_top1. Returns the share of leads whose key has rows in the file.
double add_dim_features(const DimCubes& cubes, const LeadKeys& keys, const WindowSpec& spec,
                        LeadTable& table);

}  // namespace elv::table
