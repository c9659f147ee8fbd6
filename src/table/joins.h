// Joins (docs/CONTRACT.md §4.1): leads -> ad / ad set / campaign, by IDs on leads.csv, then the
// lead_to_ad_map.csv file, then names (best effort), and the hierarchy from ads.csv.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "contracts/frame.h"

namespace elv::table {

// The entity hierarchy as ads.csv states it; for each ID, the row with the latest date wins.
struct AdsHierarchy {
  // Indexed by ad code: the ad's ad set, campaign and names (kNullCode when unknown).
  std::vector<int32_t> ad_adset, ad_campaign, ad_name, ad_adset_name, ad_campaign_name;
  std::vector<uint8_t> ad_known;
  // Indexed by ad set code.
  std::vector<int32_t> adset_campaign, adset_name, adset_campaign_name;
  std::vector<uint8_t> adset_known;
  // Indexed by campaign code.
  std::vector<int32_t> campaign_name;
  std::vector<uint8_t> campaign_known;

  bool has_ad(int32_t c) const { return c >= 0 && c < (int32_t)ad_known.size() && ad_known[c]; }
  bool has_adset(int32_t c) const {
    return c >= 0 && c < (int32_t)adset_known.size() && adset_known[c];
  }
  bool has_campaign(int32_t c) const {
    return c >= 0 && c < (int32_t)campaign_known.size() && campaign_known[c];
  }
};

AdsHierarchy build_hierarchy(const contracts::Frame& ads, const contracts::Dictionaries& dicts);

// Per lead (aligned with the rows kept from leads.csv): resolved codes.
struct ResolvedLeads {
  std::vector<int32_t> campaign_id, adset_id, ad_id, campaign_name, adset_name, ad_name;
  // id | mapping | name_fallback, or several joined by '+' (most leads first) when leads
  // needed different joins.
  std::string strategy;
  int64_t leads_by_id = 0, leads_by_mapping = 0, leads_by_name = 0;
  double match_rate = 0;
  std::vector<std::string> warnings;
};

// rows: indices into the leads frame of the leads kept. lead_map may be null.
ResolvedLeads resolve_leads(const contracts::Frame& leads, const std::vector<int64_t>& rows,
                            const contracts::Frame* lead_map, const contracts::Frame& ads,
                            const AdsHierarchy& hierarchy, const contracts::Dictionaries& dicts);

}  // namespace elv::table
