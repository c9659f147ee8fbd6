// The world the demo data describes: its calendar, its campaigns, ad sets and ads (each with
// a latent quality), and their daily delivery (impressions, clicks, spend), from which the
// leads are allocated.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "base/clock.h"
#include "base/logistic.h"
#include "base/parallel.h"
#include "demo/generator_parts.h"
#include "io/parse.h"

namespace elv::demo::detail {

// ---------------------------------------------------------------------------------------
// Entities

Entities make_entities(const DemoDataSpec& spec) {
  Entities e;
  Rng rng(spec.seed, kEntities, 0);
  for (int64_t ci = 0; ci < spec.campaigns; ++ci) {
    const std::string cid = "cmp_" + padded(ci, 3);
    const std::string cname = "Campaign " + padded(ci, 2);
    const double campaign_quality = rng.normal(0.0, 1.0);
    e.campaign_id.push_back(cid);
    for (int64_t asi = 0; asi < spec.adsets_per_campaign; ++asi) {
      const std::string asid = "as_" + padded(ci, 3) + "_" + padded(asi, 3);
      const std::string asname = "Adset " + padded(ci, 2) + "-" + padded(asi, 2);
      const double adset_quality = campaign_quality + rng.normal(0.0, 0.7);
      e.adset_id.push_back(asid);
      e.adset_campaign.push_back(ci);
      for (int64_t ai = 0; ai < spec.ads_per_adset; ++ai) {
        const std::string adid = "ad_" + padded(ci, 3) + "_" + padded(asi, 3) + "_" + padded(ai, 3);
        const std::string adname =
            "Ad " + padded(ci, 2) + "-" + padded(asi, 2) + "-" + padded(ai, 2);
        e.ad_id.push_back(adid);
        e.ad_campaign.push_back(ci);
        e.ad_quality.push_back(adset_quality + rng.normal(0.0, 0.5));
        e.ad_key_columns.push_back(cid + "," + cname + "," + asid + "," + asname + "," + adid +
                                   "," + adname);
      }
    }
  }
  return e;
}

// ---------------------------------------------------------------------------------------
// Daily ads metrics

namespace {

void generate_ads_day(const Entities& e, uint64_t seed, int64_t day_index, int64_t day,
                      AdsCube& cube) {
  Rng rng(seed, kAdsDaily, static_cast<uint64_t>(day_index));
  const int weekday = parse::weekday_monday0(static_cast<int32_t>(day));
  const double day_mult = 1.0 + 0.15 * std::cos(weekday / 7.0 * 2.0 * std::numbers::pi);
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    const double q = e.ad_quality[ad];
    const double imp_lambda =
        day_mult * (800.0 + 250.0 * std::max(q, -1.5) + rng.uniform(-80.0, 80.0));
    const int64_t impressions = rng.poisson(std::max(1.0, imp_lambda));
    const double ctr = std::clamp(0.008 + 0.004 * q + rng.normal(0.0, 0.002), 0.001, 0.05);
    const int64_t clicks = rng.binomial(impressions, ctr);
    const double cpc = std::clamp(2.2 - 0.4 * q + rng.normal(0.0, 0.2), 0.5, 6.0);
    const size_t i = cube.at(day_index, ad);
    cube.impressions[i] = static_cast<int32_t>(impressions);
    cube.clicks[i] = static_cast<int32_t>(clicks);
    cube.spend_cents[i] = std::llround(static_cast<double>(clicks) * cpc * 100.0);
  }
}

}  // namespace

AdsCube generate_ads_cube(const Entities& e, uint64_t seed, int64_t first_day, int64_t n_days,
                          int threads) {
  AdsCube cube;
  cube.n_ads = e.n_ads();
  const size_t total = cube.n_ads * static_cast<size_t>(n_days);
  cube.impressions.resize(total);
  cube.clicks.resize(total);
  cube.spend_cents.resize(total);
  for_each_interleaved(n_days, threads,
                       [&](int64_t d) { generate_ads_day(e, seed, d, first_day + d, cube); });
  return cube;
}

// Cumulative lead-allocation weights: each ad's clicks over the last week of the range,
// as the reference does (uniform when there were none). Integer weights keep the draw
// exact: a uniform integer below the total, then a binary search.
std::vector<int64_t> lead_allocation_cdf(const AdsCube& cube, int64_t n_days) {
  std::vector<int64_t> cdf(cube.n_ads, 0);
  for (int64_t d = std::max<int64_t>(0, n_days - kClickWeightDays); d < n_days; ++d)
    for (size_t ad = 0; ad < cube.n_ads; ++ad) cdf[ad] += cube.clicks[cube.at(d, ad)];
  int64_t running = 0;
  for (auto& w : cdf) running = (w += running);
  if (running == 0)
    for (size_t ad = 0; ad < cdf.size(); ++ad) cdf[ad] = static_cast<int64_t>(ad) + 1;
  return cdf;
}

double share_within_window() {
  const double late = std::pow(1.0 - kDelayDailyHazard, kDemoLabelWindowDays);  // days ≥ 14
  return 1.0 - late + late * kDelayDailyHazard / 24.0;
}

namespace {

// E[sigmoid(μ + ε)], ε ~ N(0, 0.6²), by 32-point Gauss–Hermite quadrature (error far below
// 1e-10 for this smooth integrand).
class ExpectedSigmoid {
 public:
  ExpectedSigmoid() { gauss_hermite(kTruthQuadraturePoints, nodes_, weights_); }
  double operator()(double mu) const {
    double sum = 0.0;
    for (size_t i = 0; i < nodes_.size(); ++i)
      sum += weights_[i] * sigmoid(mu + std::sqrt(2.0) * kLogitNoiseSd * nodes_[i]);
    return sum / std::sqrt(std::numbers::pi);
  }

 private:
  std::vector<double> nodes_, weights_;
};

// P(qualified at all) of an ad's lead, per hour class.
std::array<double, 2> p_qualified(const ExpectedSigmoid& expected, double intercept,
                                  double quality) {
  const double mu = intercept + kLogitQuality * quality;
  return {expected(mu + kOffHoursBoost), expected(mu + kBusinessHoursBoost)};
}

}  // namespace

// The expected share is increasing in the intercept: bisection to the last bit.
double qualification_intercept(const Entities& e, const std::vector<int64_t>& allocation_cdf,
                               double share) {
  const ExpectedSigmoid expected;
  const double total = static_cast<double>(allocation_cdf.back());
  const double target = share / share_within_window();
  auto expected_share = [&](double intercept) {
    double sum = 0.0;
    int64_t previous = 0;
    for (size_t ad = 0; ad < e.n_ads(); ++ad) {
      const double weight = static_cast<double>(allocation_cdf[ad] - previous) / total;
      previous = allocation_cdf[ad];
      if (weight == 0.0) continue;
      const auto p = p_qualified(expected, intercept, e.ad_quality[ad]);
      sum += weight * (kBusinessHoursShare * p[1] + (1.0 - kBusinessHoursShare) * p[0]);
    }
    return sum;
  };
  double lo = -30.0, hi = 30.0;
  for (int i = 0; i < 200 && lo < hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (expected_share(mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<std::array<double, 2>> truth_table(const Entities& e, double intercept) {
  const ExpectedSigmoid expected;
  const double within = share_within_window();
  std::vector<std::array<double, 2>> table(e.n_ads());
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    const auto p = p_qualified(expected, intercept, e.ad_quality[ad]);
    table[ad] = {p[0] * within, p[1] * within};
  }
  return table;
}

}  // namespace elv::demo::detail
