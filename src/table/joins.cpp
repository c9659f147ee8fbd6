#include "table/joins.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace elv::table {

using contracts::Dictionaries;
using contracts::Frame;
using contracts::kNullCode;
using contracts::kNullDate;

namespace {

const std::vector<int32_t>* codes_or_null(const Frame& f, const std::string& column) {
  auto it = f.codes.find(column);
  return it == f.codes.end() ? nullptr : &it->second;
}

int32_t code_at(const std::vector<int32_t>* col, int64_t row) {
  return col ? (*col)[static_cast<size_t>(row)] : kNullCode;
}

// Each name maps to its most frequent ID in ads.csv; ties go to the smallest ID string.
std::unordered_map<int32_t, int32_t> name_to_id(const Frame& ads, const std::string& name_col,
                                                const std::string& id_col,
                                                const Dictionaries& dicts) {
  std::unordered_map<int32_t, int32_t> result;
  const auto* names = codes_or_null(ads, name_col);
  const auto* ids = codes_or_null(ads, id_col);
  if (!names || !ids) return result;
  std::map<std::pair<int32_t, int32_t>, int64_t> counts;
  for (int64_t i = 0; i < ads.n_rows; ++i) {
    const int32_t n = (*names)[i], id = (*ids)[i];
    if (n != kNullCode && id != kNullCode) ++counts[{n, id}];
  }
  const auto& id_dict = dicts.for_column(id_col);
  std::unordered_map<int32_t, int64_t> best_count;
  for (const auto& [key, count] : counts) {
    const auto [name, id] = key;
    auto it = result.find(name);
    if (it == result.end()) {
      result[name] = id;
      best_count[name] = count;
    } else if (count > best_count[name] ||
               (count == best_count[name] && id_dict.str(id) < id_dict.str(it->second))) {
      it->second = id;
      best_count[name] = count;
    }
  }
  return result;
}

}  // namespace

AdsHierarchy build_hierarchy(const Frame& ads, const Dictionaries& dicts) {
  AdsHierarchy h;
  const size_t n_ads = dicts.for_column("ad_id").size();
  const size_t n_adsets = dicts.for_column("adset_id").size();
  const size_t n_campaigns = dicts.for_column("campaign_id").size();
  h.ad_adset.assign(n_ads, kNullCode);
  h.ad_campaign = h.ad_name = h.ad_adset_name = h.ad_campaign_name = h.ad_adset;
  h.ad_known.assign(n_ads, 0);
  h.adset_campaign.assign(n_adsets, kNullCode);
  h.adset_name = h.adset_campaign_name = h.adset_campaign;
  h.adset_known.assign(n_adsets, 0);
  h.campaign_name.assign(n_campaigns, kNullCode);
  h.campaign_known.assign(n_campaigns, 0);

  const auto* ad = codes_or_null(ads, "ad_id");
  const auto* adset = codes_or_null(ads, "adset_id");
  const auto* campaign = codes_or_null(ads, "campaign_id");
  const auto* ad_name = codes_or_null(ads, "ad_name");
  const auto* adset_name = codes_or_null(ads, "adset_name");
  const auto* campaign_name = codes_or_null(ads, "campaign_name");
  const auto& dates = ads.dates.at("date");

  std::vector<int32_t> ad_date(n_ads, kNullDate), adset_date(n_adsets, kNullDate),
      campaign_date(n_campaigns, kNullDate);
  for (int64_t i = 0; i < ads.n_rows; ++i) {
    const int32_t d = dates[i];
    const int32_t a = code_at(ad, i), s = code_at(adset, i), c = code_at(campaign, i);
    // ">=": among rows of the same date, the later row in the file wins.
    if (a != kNullCode && d >= ad_date[a]) {
      ad_date[a] = d;
      h.ad_known[a] = 1;
      h.ad_adset[a] = s;
      h.ad_campaign[a] = c;
      h.ad_name[a] = code_at(ad_name, i);
      h.ad_adset_name[a] = code_at(adset_name, i);
      h.ad_campaign_name[a] = code_at(campaign_name, i);
    }
    if (s != kNullCode && d >= adset_date[s]) {
      adset_date[s] = d;
      h.adset_known[s] = 1;
      h.adset_campaign[s] = c;
      h.adset_name[s] = code_at(adset_name, i);
      h.adset_campaign_name[s] = code_at(campaign_name, i);
    }
    if (c != kNullCode && d >= campaign_date[c]) {
      campaign_date[c] = d;
      h.campaign_known[c] = 1;
      h.campaign_name[c] = code_at(campaign_name, i);
    }
  }
  return h;
}

ResolvedLeads resolve_leads(const Frame& leads, const std::vector<int64_t>& rows,
                            const Frame* lead_map, const Frame& ads, const AdsHierarchy& h,
                            const Dictionaries& dicts) {
  ResolvedLeads r;
  const size_t n = rows.size();
  r.ad_id.assign(n, kNullCode);
  r.adset_id = r.campaign_id = r.ad_name = r.adset_name = r.campaign_name = r.ad_id;

  const auto* l_ad = codes_or_null(leads, "ad_id");
  const auto* l_adset = codes_or_null(leads, "adset_id");
  const auto* l_campaign = codes_or_null(leads, "campaign_id");
  const auto* l_ad_name = codes_or_null(leads, "ad_name");
  const auto* l_adset_name = codes_or_null(leads, "adset_name");
  const auto* l_campaign_name = codes_or_null(leads, "campaign_name");
  for (size_t i = 0; i < n; ++i) {
    const int64_t row = rows[i];
    r.ad_id[i] = code_at(l_ad, row);
    r.adset_id[i] = code_at(l_adset, row);
    r.campaign_id[i] = code_at(l_campaign, row);
    r.ad_name[i] = code_at(l_ad_name, row);
    r.adset_name[i] = code_at(l_adset_name, row);
    r.campaign_name[i] = code_at(l_campaign_name, row);
  }

  // Per lead, the first join that applies: its own IDs, else lead_to_ad_map.csv, else its
  // names (best effort). The strategy recorded lists what was used, most common first.
  std::vector<uint8_t> has_id(n, 0);
  for (size_t i = 0; i < n; ++i)
    has_id[i] =
        r.ad_id[i] != kNullCode || r.adset_id[i] != kNullCode || r.campaign_id[i] != kNullCode;
  int64_t by_id = 0, by_map = 0, by_name = 0;
  for (size_t i = 0; i < n; ++i) by_id += has_id[i];

  if (lead_map) {
    const auto& map_lead = lead_map->codes.at("lead_id");
    std::unordered_map<int32_t, int64_t> first_row;  // lead code -> first map row for it
    for (int64_t i = 0; i < lead_map->n_rows; ++i)
      if (map_lead[i] != kNullCode) first_row.emplace(map_lead[i], i);
    const auto* m_ad = codes_or_null(*lead_map, "ad_id");
    const auto* m_adset = codes_or_null(*lead_map, "adset_id");
    const auto* m_campaign = codes_or_null(*lead_map, "campaign_id");
    const auto& lead_codes = leads.codes.at("lead_id");
    for (size_t i = 0; i < n; ++i) {
      if (has_id[i]) continue;
      auto it = first_row.find(lead_codes[rows[i]]);
      if (it == first_row.end()) continue;
      r.ad_id[i] = code_at(m_ad, it->second);
      r.adset_id[i] = code_at(m_adset, it->second);
      r.campaign_id[i] = code_at(m_campaign, it->second);
      has_id[i] =
          r.ad_id[i] != kNullCode || r.adset_id[i] != kNullCode || r.campaign_id[i] != kNullCode;
      by_map += has_id[i];
    }
  }

  const std::pair<const char*, const char*> levels[] = {
      {"campaign_name", "campaign_id"}, {"adset_name", "adset_id"}, {"ad_name", "ad_id"}};
  std::vector<uint8_t> named(n, 0);
  for (const auto& [name_col, id_col] : levels) {
    bool needed = false;
    for (size_t i = 0; i < n && !needed; ++i) needed = !has_id[i];
    if (!needed) break;
    const auto lookup = name_to_id(ads, name_col, id_col, dicts);
    const std::string level = name_col;
    auto& names = level == "campaign_name" ? r.campaign_name
                  : level == "adset_name"  ? r.adset_name
                                           : r.ad_name;
    auto& ids = level == "campaign_name" ? r.campaign_id
                : level == "adset_name"  ? r.adset_id
                                         : r.ad_id;
    for (size_t i = 0; i < n; ++i) {
      if (has_id[i] || names[i] == kNullCode) continue;
      auto it = lookup.find(names[i]);
      if (it == lookup.end()) continue;
      ids[i] = it->second;
      named[i] = 1;
    }
  }
  for (size_t i = 0; i < n; ++i) by_name += named[i];

  std::vector<std::pair<int64_t, std::string>> used;
  if (by_id) used.emplace_back(by_id, "id");
  if (by_map) used.emplace_back(by_map, "mapping");
  if (by_name) used.emplace_back(by_name, "name_fallback");
  std::stable_sort(used.begin(), used.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [count, name] : used) r.strategy += (r.strategy.empty() ? "" : "+") + name;
  if (r.strategy.empty()) r.strategy = lead_map ? "mapping" : "id";  // nothing joined at all
  r.leads_by_id = by_id;
  r.leads_by_mapping = by_map;
  r.leads_by_name = by_name;
  if (by_name > 0)
    r.warnings.push_back(
        "JOIN BY NAMES: " + std::to_string(by_name) +
        " leads have no ad_id/adset_id/campaign_id (and no row in lead_to_ad_map.csv), so they are "
        "joined to ads.csv by campaign/ad set/ad names (each name to its most frequent ID). "
        "Results may be unreliable; prefer IDs or a mapping file.");
  if (lead_map) {
    int64_t unmapped = 0;
    for (size_t i = 0; i < n; ++i) unmapped += !has_id[i] && !named[i];
    if (unmapped > 0)
      r.warnings.push_back(
          std::to_string(unmapped) +
          " leads without IDs have no row in lead_to_ad_map.csv; they stay unjoined");
  }

  // Fill the hierarchy and names from ads.csv (the most specific known key wins).
  int64_t matched = 0;
  for (size_t i = 0; i < n; ++i) {
    const int32_t a = r.ad_id[i];
    if (h.has_ad(a)) {
      if (h.ad_adset[a] != kNullCode) r.adset_id[i] = h.ad_adset[a];
      if (h.ad_campaign[a] != kNullCode) r.campaign_id[i] = h.ad_campaign[a];
      if (h.ad_name[a] != kNullCode) r.ad_name[i] = h.ad_name[a];
      if (h.ad_adset_name[a] != kNullCode) r.adset_name[i] = h.ad_adset_name[a];
      if (h.ad_campaign_name[a] != kNullCode) r.campaign_name[i] = h.ad_campaign_name[a];
    } else if (h.has_adset(r.adset_id[i])) {
      const int32_t s = r.adset_id[i];
      if (h.adset_campaign[s] != kNullCode) r.campaign_id[i] = h.adset_campaign[s];
      if (h.adset_name[s] != kNullCode) r.adset_name[i] = h.adset_name[s];
      if (h.adset_campaign_name[s] != kNullCode) r.campaign_name[i] = h.adset_campaign_name[s];
    } else if (h.has_campaign(r.campaign_id[i])) {
      const int32_t c = r.campaign_id[i];
      if (h.campaign_name[c] != kNullCode) r.campaign_name[i] = h.campaign_name[c];
    }
    if (h.has_campaign(r.campaign_id[i])) ++matched;
  }
  r.match_rate = n == 0 ? 0.0 : static_cast<double>(matched) / static_cast<double>(n);
  // A low match rate is reported by the input checks (contracts/checks.cpp), for validate
  // and the pipelines alike.
  return r;
}

}  // namespace elv::table
