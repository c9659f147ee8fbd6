#include "table/window_features.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "base/error.h"
#include "base/parallel.h"
#include "io/parse.h"
#include "table/enrichment_features.h"

namespace elv::table {

using contracts::Frame;
using contracts::kNullCode;

namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

const std::vector<int32_t>* codes_or_null(const Frame& f, const char* column) {
  auto it = f.codes.find(column);
  return it == f.codes.end() ? nullptr : &it->second;
}

double ratio(double num, double den) { return den == 0 ? kNull : num / den; }

CoveredSpan span_of(const std::vector<int32_t>& dates) {
  CoveredSpan span{std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()};
  for (int32_t d : dates) {
    if (d == contracts::kNullDate) continue;
    span.first = std::min(span.first, d);
    span.last = std::max(span.last, d);
  }
  if (span.first > span.last) return CoveredSpan{};
  return span;
}

// The level whose cube knows the lead's key: ad, else ad set, else campaign; -1 if none.
template <typename HasFn>
int pick_level(const LeadKeys& keys, int64_t i, HasFn&& has, int32_t& entity) {
  const int32_t candidates[3] = {(*keys.ad)[i], (*keys.adset)[i], (*keys.campaign)[i]};
  for (int level = 0; level < 3; ++level) {
    if (candidates[level] != kNullCode && has(level, candidates[level])) {
      entity = candidates[level];
      return level;
    }
  }
  return -1;
}

// The cube's bound breached: an error at the line of the row whose date looks wrong,
// naming the entity (`who`, e.g. "ad_id 'a17'") and its span.
[[noreturn]] void throw_span_error(const SpanTooLong& e, const Frame& frame,
                                   const std::string& who) {
  const int64_t line =
      e.row >= 0 && e.row < static_cast<int64_t>(frame.lines.size()) ? frame.lines[e.row] : -1;
  throw Error(
      who + " has rows from " + parse::format_date(e.first) + " to " + parse::format_date(e.last) +
          ", so its daily totals would span " + std::to_string(int64_t{e.last} - e.first + 1) +
          " days (all entities together: " + std::to_string(e.entity_days) +
          " entity-days, above the limit of " + std::to_string(e.limit) + " for " +
          std::to_string(frame.n_rows) + " rows; docs/LIMITS.md); most rows are dated around " +
          parse::format_date(e.typical_day) + ", so " + parse::format_date(e.wrong_day) +
          " looks wrong: fix or remove the rows with that date",
      frame.path, line);
}

std::vector<double>& new_feature(LeadTable& table, const std::string& name) {
  table.feature_names.push_back(name);
  table.features.emplace_back(static_cast<size_t>(table.n), kNull);
  return table.features.back().values();
}

}  // namespace

AdsCubes build_ads_cubes(const Frame& ads, const contracts::Dictionaries& dicts) {
  AdsCubes cubes;
  const auto& dates = ads.dates.at("date");
  cubes.span = span_of(dates);
  const double* metric[3] = {ads.numbers.at("impressions").data(), ads.numbers.at("clicks").data(),
                             ads.numbers.at("spend").data()};
  const char* key_columns[3] = {"ad_id", "adset_id", "campaign_id"};
  for (int level = 0; level < 3; ++level) {
    const auto* keys = codes_or_null(ads, key_columns[level]);
    const auto n_entities = static_cast<int32_t>(dicts.for_column(key_columns[level]).size());
    if (!keys) {
      cubes.level[level] =
          DailyCube::build(0, n_entities, 3, nullptr, nullptr, nullptr, kImpressions);
      continue;
    }
    try {
      cubes.level[level] = DailyCube::build(
          ads.n_rows, n_entities, 3,
          [&](int64_t i) { return dates[i] == contracts::kNullDate ? -1 : (*keys)[i]; },
          [&](int64_t i) { return dates[i]; }, [&](int64_t i, int m) { return metric[m][i]; },
          kImpressions);
    } catch (const SpanTooLong& e) {
      const std::string name = dicts.for_column(key_columns[level]).str(e.entity);
      throw_span_error(e, ads, std::string(key_columns[level]) + " '" + name + "'");
    }
  }
  return cubes;
}

LevelCounts add_ads_features(const AdsCubes& cubes, const LeadKeys& keys, const WindowSpec& spec,
                             LeadTable& table) {
  const int W = spec.window_days;
  const std::string w = std::to_string(W) + "d";
  // The references below must survive the later new_feature calls: without room for all
  // fifteen, a push_back reallocates table.features and leaves them dangling (a crash on
  // small tables, found by the bad-input corpus; AddressSanitizer: heap-use-after-free).
  const std::string l = std::to_string(kLongWindowDays) + "d";
  table.features.reserve(table.features.size() + 15);
  auto& impressions = new_feature(table, "impressions_sum_" + w);
  auto& clicks = new_feature(table, "clicks_sum_" + w);
  auto& spend = new_feature(table, "spend_sum_" + w);
  auto& active = new_feature(table, "active_days_" + w);
  auto& ctr = new_feature(table, "ctr_" + w);
  auto& cpc = new_feature(table, "cpc_" + w);
  auto& cpm = new_feature(table, "cpm_" + w);
  auto& impressions2 = new_feature(table, "impressions_sum_2d");
  auto& clicks2 = new_feature(table, "clicks_sum_2d");
  auto& spend2 = new_feature(table, "spend_sum_2d");
  auto& spend_trend = new_feature(table, "spend_trend_ratio_2vprev");
  auto& clicks_trend = new_feature(table, "clicks_trend_ratio_2vprev");
  auto& impressions_long = new_feature(table, "impressions_per_day_long_" + l);
  auto& ctr_long = new_feature(table, "ctr_long_" + l);
  auto& cpc_long = new_feature(table, "cpc_long_" + l);

  std::vector<int8_t> level_of(static_cast<size_t>(table.n), -1);
  auto has = [&](int level, int32_t e) { return cubes.level[level].has(e); };
  parallel_ranges(table.n, spec.threads, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      int32_t e = kNullCode;
      const int level = pick_level(keys, i, has, e);
      level_of[i] = static_cast<int8_t>(level);
      const int32_t last = (*keys.feature_end_date)[i];
      // A window with no covered day is unknown (null); an unknown entity too.
      const auto window = cubes.span.clip(last - W + 1, last);
      if (level < 0) continue;
      const DailyCube& cube = cubes.level[level];
      // The long window on its own: a lead days after the file's last date, or with a window
      // shorter than its lag reaches, may still have covered days in it. Impressions per
      // active day: a rate, like the other two, so an ad with fewer days in the window (a
      // young ad, or a lead early in the file) is not read as a small one.
      if (const auto long_window = cubes.span.clip(last - kLongWindowDays + 1, last)) {
        const double imp_l = cube.sum(e, kImpressions, long_window->first, long_window->second);
        const double clk_l = cube.sum(e, kClicks, long_window->first, long_window->second);
        impressions_long[i] =
            ratio(imp_l, cube.sum(e, kActive, long_window->first, long_window->second));
        ctr_long[i] = ratio(clk_l, imp_l);
        cpc_long[i] = ratio(cube.sum(e, kSpend, long_window->first, long_window->second), clk_l);
      }
      if (!window) continue;
      const double imp = cube.sum(e, kImpressions, window->first, window->second);
      const double clk = cube.sum(e, kClicks, window->first, window->second);
      const double spd = cube.sum(e, kSpend, window->first, window->second);
      impressions[i] = imp;
      clicks[i] = clk;
      spend[i] = spd;
      active[i] = cube.sum(e, kActive, window->first, window->second);
      ctr[i] = ratio(clk, imp);
      cpc[i] = ratio(spd, clk);
      cpm[i] = imp == 0 ? kNull : spd * 1000.0 / imp;
      const auto window2 = cubes.span.clip(last - 1, last);
      if (!window2) continue;
      const double imp2 = cube.sum(e, kImpressions, window2->first, window2->second);
      const double clk2 = cube.sum(e, kClicks, window2->first, window2->second);
      const double spd2 = cube.sum(e, kSpend, window2->first, window2->second);
      impressions2[i] = imp2;
      clicks2[i] = clk2;
      spend2[i] = spd2;
      // Recent 2-day average over the average of the window's earlier days.
      const double earlier_days = W - 2;
      spend_trend[i] = (spd2 / 2.0) / (std::max(0.0, spd - spd2) / earlier_days + 1e-6);
      clicks_trend[i] = (clk2 / 2.0) / (std::max(0.0, clk - clk2) / earlier_days + 1e-6);
    }
  });
  LevelCounts counts;
  for (int8_t l : level_of) {
    if (l == kAdLevel)
      ++counts.ad;
    else if (l == kAdsetLevel)
      ++counts.adset;
    else if (l == kCampaignLevel)
      ++counts.campaign;
    else
      ++counts.none;
  }
  return counts;
}

DimCubes build_dim_cubes(const Frame& breakdown, const std::string& prefix,
                         const std::string& dim_column, const AdsHierarchy& h) {
  DimCubes cubes;
  cubes.prefix = prefix;
  cubes.dim_column = dim_column;
  const auto& dates = breakdown.dates.at("date");
  const auto& ads = breakdown.codes.at("ad_id");
  const auto& dims = breakdown.codes.at(dim_column);
  const auto& spend = breakdown.numbers.at("spend");
  cubes.span = span_of(dates);

  const size_t n_levels[3] = {h.ad_known.size(), h.adset_known.size(), h.campaign_known.size()};
  for (int level = 0; level < 3; ++level) {
    // Entity at this level for each row: the ad itself, or its ad set / campaign per ads.csv.
    auto entity_of_row = [&](int64_t i) -> int32_t {
      const int32_t ad = ads[i];
      if (ad == kNullCode || dims[i] == kNullCode || dates[i] == contracts::kNullDate) return -1;
      if (level == kAdLevel) return ad;
      if (!h.has_ad(ad)) return -1;
      return level == kAdsetLevel ? h.ad_adset[ad] : h.ad_campaign[ad];
    };
    std::unordered_map<uint64_t, int32_t> pair_index;
    std::vector<int32_t> pair_of_row(static_cast<size_t>(breakdown.n_rows), -1);
    auto& pairs = cubes.pairs[level];
    for (int64_t i = 0; i < breakdown.n_rows; ++i) {
      const int32_t e = entity_of_row(i);
      if (e < 0) continue;
      const uint64_t key =
          (static_cast<uint64_t>(static_cast<uint32_t>(e)) << 32) | static_cast<uint32_t>(dims[i]);
      auto [it, inserted] = pair_index.emplace(key, static_cast<int32_t>(pair_index.size()));
      if (inserted) {
        if (pairs.size() <= static_cast<size_t>(e))
          pairs.resize(std::max(n_levels[level], static_cast<size_t>(e) + 1));
        pairs[e].emplace_back(dims[i], it->second);
      }
      pair_of_row[i] = it->second;
    }
    try {
      cubes.level[level] = DailyCube::build(
          breakdown.n_rows, static_cast<int32_t>(pair_index.size()), 1,
          [&](int64_t i) { return pair_of_row[i]; }, [&](int64_t i) { return dates[i]; },
          [&](int64_t i, int) { return spend[i]; });
    } catch (const SpanTooLong& e) {
      throw_span_error(e, breakdown, "the " + dim_column + " of the ad on this line");
    }
  }
  return cubes;
}

double add_dim_features(const DimCubes& cubes, const LeadKeys& keys, const WindowSpec& spec,
                        LeadTable& table) {
  const std::string w = std::to_string(spec.window_days) + "d";
  const std::string& p = cubes.prefix;
  table.features.reserve(table.features.size() + 4);  // the references below must stay valid
  auto& n_unique = new_feature(table, p + "_n_unique_" + w);
  auto& entropy = new_feature(table, p + "_entropy_" + w);
  auto& top1_share = new_feature(table, p + "_top1_share_" + w);
  auto& total = new_feature(table, p + "_total_spend_" + w);
  table.text_names.push_back(p + "_top1");
  table.text_dictionaries.push_back(cubes.dim_column);
  table.texts.emplace_back(static_cast<size_t>(table.n), kNullCode);
  auto& top1 = table.texts.back();

  auto has = [&](int level, int32_t e) {
    const auto& pairs = cubes.pairs[level];
    return e < static_cast<int32_t>(pairs.size()) && !pairs[e].empty();
  };
  std::vector<uint8_t> covered(static_cast<size_t>(table.n), 0);
  parallel_ranges(table.n, spec.threads, [&](int64_t begin, int64_t end) {
    std::vector<double> spends;
    for (int64_t i = begin; i < end; ++i) {
      int32_t e = kNullCode;
      const int level = pick_level(keys, i, has, e);
      covered[i] = level >= 0 ? 1 : 0;
      const int32_t last = (*keys.feature_end_date)[i];
      const auto window = cubes.span.clip(last - spec.window_days + 1, last);
      if (!window) continue;  // no covered day: unknown
      DimStats stats;
      int32_t top1_code = kNullCode;
      if (level >= 0) {
        const auto& pairs = cubes.pairs[level][e];
        spends.resize(pairs.size());
        for (size_t j = 0; j < pairs.size(); ++j)
          spends[j] = cubes.level[level].sum(pairs[j].second, 0, window->first, window->second);
        stats = dim_stats(spends.data(), static_cast<int>(spends.size()));
        if (stats.top1_index >= 0) top1_code = pairs[stats.top1_index].first;
      }
      // No rows for the lead's keys in a covered window: it had no spend there (zeros).
      n_unique[i] = stats.n_unique;
      entropy[i] = stats.entropy;
      top1_share[i] = stats.top1_share;
      total[i] = stats.total_spend;
      top1[i] = top1_code;
    }
  });
  int64_t n_covered = 0;
  for (uint8_t c : covered) n_covered += c;
  return table.n == 0 ? 0.0 : static_cast<double>(n_covered) / static_cast<double>(table.n);
}

}  // namespace elv::table
