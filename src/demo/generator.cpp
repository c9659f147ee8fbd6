#include "demo/generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numbers>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/logistic.h"
#include "base/parallel.h"
#include "demo/random.h"
#include "io/csv_writer.h"

namespace elv::demo {

namespace {

namespace fs = std::filesystem;

// One RNG stream family per purpose, so switching enrichments or truth on or off never
// changes ads.csv, leads.csv or outcomes.csv. Values are part of the output contract:
// changing one changes the data a seed produces.
enum Purpose : uint64_t {
  kEntities = 1,
  kAdsDaily = 2,
  kLeads = 3,
  kOutcomes = 4,
  kCreatives = 5,
  kTargeting = 6,
  kTargetingTheme = 7,
  kGeoBase = 8,
  kPlacement = 9,
  kGeo = 10,
};

constexpr int kClickWeightDays = 7;  // leads follow the last week's clicks (reference)

// Sanity caps: far above any demo, low enough that a typo (an extra zero or three) gets a
// clear message instead of filling the disk or memory (ads metrics are kept in memory,
// 16 bytes per ad-day).
constexpr int64_t kMaxDays = 36'500;
constexpr int64_t kMaxAds = 1'000'000;
constexpr int64_t kMaxAdRows = 20'000'000;
constexpr int64_t kMaxLeads = 50'000'000;
constexpr int64_t kMaxLeadsPerDay = 10'000'000;

constexpr std::array<std::string_view, 3> kPlacements = {"feed", "stories", "reels"};
constexpr std::array<double, 3> kPlacementAlpha = {2.0, 1.6, 1.3};
constexpr std::array<std::string_view, 5> kGeos = {"US-CA", "US-TX", "US-NY", "US-FL", "US-IL"};
constexpr double kGeoBaseAlpha = 2.0;
constexpr double kGeoNoiseAlpha = 1.5;
constexpr double kGeoBaseWeight = 0.75;

constexpr std::array<std::string_view, 34> kKeywordPool = {"small business",
                                                           "entrepreneurship",
                                                           "marketing",
                                                           "digital marketing",
                                                           "lead generation",
                                                           "facebook ads",
                                                           "instagram",
                                                           "ecommerce",
                                                           "shopify",
                                                           "real estate",
                                                           "mortgage",
                                                           "home improvement",
                                                           "fitness",
                                                           "personal training",
                                                           "weight loss",
                                                           "nutrition",
                                                           "dentist",
                                                           "chiropractor",
                                                           "med spa",
                                                           "cosmetic surgery",
                                                           "wedding",
                                                           "travel",
                                                           "insurance",
                                                           "accounting",
                                                           "law firm",
                                                           "solar",
                                                           "roofing",
                                                           "plumbing",
                                                           "hair salon",
                                                           "yoga",
                                                           "saas",
                                                           "crm",
                                                           "online course",
                                                           "coaching"};
constexpr int kThemeSize = 8;

// Qualification model of the reference generator.
constexpr double kLogitIntercept = -1.8;
constexpr double kLogitQuality = 0.9;
constexpr double kBusinessHoursBoost = 0.25;  // created 09:00–17:59 UTC
constexpr double kOffHoursBoost = -0.05;
constexpr double kLogitNoiseSd = 0.6;
constexpr int kTruthQuadraturePoints = 32;

// ---------------------------------------------------------------------------------------
// Dates (days since 1970-01-01, proleptic Gregorian; H. Hinnant's algorithms). Kept here
// rather than borrowed from io/parse so the generator stands alone.

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

int weekday_monday0(int64_t days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

// Strict "YYYY-MM-DD"; nullopt for anything else or an impossible date (2026-02-30).
std::optional<int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> std::optional<unsigned> {
    unsigned value = 0;
    auto res = std::from_chars(text.data() + pos, text.data() + pos + len, value);
    if (res.ec != std::errc() || res.ptr != text.data() + pos + len) return std::nullopt;
    return value;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  const int64_t days = days_from_civil(*y, *m, *d);
  int64_t yy;
  unsigned mm, dd;
  civil_from_days(days, yy, mm, dd);
  if (yy != *y || mm != *m || dd != *d) return std::nullopt;
  return days;
}

int64_t today_utc_days() {
  const int64_t now = now_seconds();
  return now >= 0 ? now / kSecondsPerDay : (now - kSecondsPerDay + 1) / kSecondsPerDay;
}

std::string format_date(int64_t days) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
  return buf;
}

// ---------------------------------------------------------------------------------------
// Text. The hot path formats straight into per-day std::string buffers with to_chars:
// one append per cell, no allocation per row.

void append_int(std::string& out, int64_t value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

// Python's f"{value:0{width}d}" for value >= 0: zero-padded to at least width digits.
void append_padded(std::string& out, int64_t value, int width) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  const int len = static_cast<int>(res.ptr - buf);
  if (len < width) out.append(static_cast<size_t>(width - len), '0');
  out.append(buf, res.ptr);
}

std::string padded(int64_t value, int width) {
  std::string out;
  append_padded(out, value, width);
  return out;
}

// Money as pandas prints a float rounded to cents: shortest form, always with a decimal
// point ("0.0", "12.5", "103.27"). Integer cents avoid any binary rounding on the way.
void append_cents(std::string& out, int64_t cents) {
  append_int(out, cents / 100);
  const int frac = static_cast<int>(cents % 100);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 10));
  if (frac % 10 != 0) out.push_back(static_cast<char>('0' + frac % 10));
}

void append_two_digits(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// Dates of every day a file can mention (the data range plus the label window after it),
// formatted once.
class DateTexts {
 public:
  DateTexts(int64_t first_day, int64_t n_days) : first_day_(first_day) {
    text_.reserve(static_cast<size_t>(n_days));
    for (int64_t i = 0; i < n_days; ++i) text_.push_back(format_date(first_day + i));
  }
  const std::string& date(int64_t day) const {
    return text_[static_cast<size_t>(day - first_day_)];
  }
  // "2026-01-02T03:04:05+00:00", the form of Python's datetime.isoformat() in UTC.
  void append_timestamp(std::string& out, int64_t seconds) const {
    const int64_t day = seconds / kSecondsPerDay;  // never before 1970: validated
    const int64_t sec = seconds - day * kSecondsPerDay;
    out.append(date(day));
    out.push_back('T');
    append_two_digits(out, sec / 3600);
    out.push_back(':');
    append_two_digits(out, sec / 60 % 60);
    out.push_back(':');
    append_two_digits(out, sec % 60);
    out.append("+00:00");
  }

 private:
  int64_t first_day_;
  std::vector<std::string> text_;
};

// ---------------------------------------------------------------------------------------
// Entities: campaigns → ad sets → ads, each with a latent quality.

struct Entities {
  std::vector<std::string> campaign_id;
  std::vector<std::string> adset_id;
  std::vector<int64_t> adset_campaign;
  std::vector<std::string> ad_id;
  std::vector<int64_t> ad_campaign;
  std::vector<double> ad_quality;
  // "campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name", shared by ads.csv and
  // leads.csv rows. IDs and names never need CSV quoting.
  std::vector<std::string> ad_key_columns;
  size_t n_ads() const { return ad_id.size(); }
};

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
// Daily ads metrics, kept in memory: leads need the last week's clicks and the
// breakdowns need each row's totals. Index: day * n_ads + ad.

struct AdsCube {
  size_t n_ads = 0;
  std::vector<int32_t> impressions, clicks;
  std::vector<int64_t> spend_cents;
  size_t at(int64_t day, size_t ad) const { return static_cast<size_t>(day) * n_ads + ad; }
};

void generate_ads_day(const Entities& e, uint64_t seed, int64_t day_index, int64_t day,
                      AdsCube& cube) {
  Rng rng(seed, kAdsDaily, static_cast<uint64_t>(day_index));
  const int weekday = weekday_monday0(day);
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

// Days are independent streams, so they split over threads in any way without changing
// a single draw.
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

// p_true = E[sigmoid(μ + ε)], ε ~ N(0, 0.6²), by 32-point Gauss–Hermite quadrature
// (error far below 1e-10 for this smooth integrand), per ad and hour class.
std::vector<std::array<double, 2>> truth_table(const Entities& e) {
  std::vector<double> nodes, weights;
  gauss_hermite(kTruthQuadraturePoints, nodes, weights);
  auto expected_sigmoid = [&](double mu) {
    double sum = 0.0;
    for (size_t i = 0; i < nodes.size(); ++i)
      sum += weights[i] * sigmoid(mu + std::sqrt(2.0) * kLogitNoiseSd * nodes[i]);
    return sum / std::sqrt(std::numbers::pi);
  };
  std::vector<std::array<double, 2>> table(e.n_ads());
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    const double mu = kLogitIntercept + kLogitQuality * e.ad_quality[ad];
    table[ad] = {expected_sigmoid(mu + kOffHoursBoost), expected_sigmoid(mu + kBusinessHoursBoost)};
  }
  return table;
}

// Splits integer cents by shares. Each part is a difference of rounded cumulative shares,
// so no part is negative and the parts add up exactly. (The reference rounds each share
// and puts the remainder in the last part, which can come out at -0.01.)
template <size_t K>
void split_cents(int64_t cents, const std::array<double, K>& shares, std::array<int64_t, K>& out) {
  double cumulative = 0.0;
  int64_t previous = 0;
  for (size_t i = 0; i + 1 < K; ++i) {
    cumulative += shares[i];
    const int64_t upto =
        std::clamp<int64_t>(std::llround(cumulative * static_cast<double>(cents)), previous, cents);
    out[i] = upto - previous;
    previous = upto;
  }
  out[K - 1] = cents - previous;
}

// ---------------------------------------------------------------------------------------
// One day's output, produced on a worker and written in day order by the main thread.

struct LeadDraw {
  int32_t second;  // of the day
  int32_t ad;
};

struct DayChunk {
  std::string ads, leads, outcomes, truth, placement, geo;
  int64_t n_qualified = 0;
  std::vector<LeadDraw> draws;  // scratch, kept to reuse its capacity
  void clear() {
    for (auto* s : {&ads, &leads, &outcomes, &truth, &placement, &geo}) s->clear();
    n_qualified = 0;
  }
};

class DayGenerator {
 public:
  DayGenerator(const DemoDataSpec& spec, const Entities& e, const AdsCube& cube,
               const DateTexts& dates, int64_t first_day, int64_t n_days)
      : spec_(spec), e_(e), cube_(cube), dates_(dates), first_day_(first_day) {
    allocation_cdf_ = lead_allocation_cdf(cube, n_days);
    if (spec.truth) truth_ = truth_table(e);
    if (spec.enrichments) geo_base_ = geo_base_mixtures(spec.seed, spec.campaigns);
  }

  void produce(int64_t day_index, DayChunk& out) const {
    out.clear();
    append_ads_rows(day_index, out.ads);
    if (spec_.enrichments) {
      append_placement_rows(day_index, out.placement);
      append_geo_rows(day_index, out.geo);
    }
    append_leads(day_index, out);
  }

 private:
  static std::vector<std::array<double, 5>> geo_base_mixtures(uint64_t seed, int64_t campaigns) {
    Rng rng(seed, kGeoBase, 0);
    std::vector<std::array<double, 5>> base(static_cast<size_t>(campaigns));
    std::array<double, 5> alpha;
    alpha.fill(kGeoBaseAlpha);
    for (auto& b : base) rng.dirichlet(alpha, b);
    return base;
  }

  void append_ads_rows(int64_t day_index, std::string& out) const {
    const std::string& date = dates_.date(first_day_ + day_index);
    for (size_t ad = 0; ad < e_.n_ads(); ++ad) {
      const size_t i = cube_.at(day_index, ad);
      out.append(date);
      out.push_back(',');
      out.append(e_.ad_key_columns[ad]);
      out.push_back(',');
      append_int(out, cube_.impressions[i]);
      out.push_back(',');
      append_int(out, cube_.clicks[i]);
      out.push_back(',');
      append_cents(out, cube_.spend_cents[i]);
      out.push_back('\n');
    }
  }

  // Clicks follow the impressions of each part (a click needs an impression), so no part
  // has more clicks than impressions: sequential binomials over the remaining impressions,
  // clamped to what the remaining parts can still hold.
  template <size_t K>
  static void split_clicks(Rng& rng, int64_t total_clicks,
                           const std::array<int64_t, K>& impressions,
                           std::array<int64_t, K>& clicks) {
    int64_t clicks_left = total_clicks;
    int64_t impressions_left = 0;
    for (int64_t v : impressions) impressions_left += v;
    for (size_t k = 0; k < K; ++k) {
      if (k + 1 == K || impressions_left == 0) {
        clicks[k] = k + 1 == K ? clicks_left : 0;
        continue;
      }
      const double share =
          static_cast<double>(impressions[k]) / static_cast<double>(impressions_left);
      int64_t c = rng.binomial(clicks_left, share);
      c = std::max(c, clicks_left - (impressions_left - impressions[k]));
      c = std::min({c, clicks_left, impressions[k]});
      clicks[k] = c;
      clicks_left -= c;
      impressions_left -= impressions[k];
    }
  }

  // Splits one ads row into K dimension rows by shares: impressions by a multinomial draw,
  // clicks by split_clicks, spend by split_cents.
  template <size_t K>
  void append_breakdown(Rng& rng, const std::string& date, size_t i, const std::string& ad_id,
                        const std::array<std::string_view, K>& dims,
                        const std::array<double, K>& shares, std::string& out) const {
    std::array<int64_t, K> impressions{}, clicks{}, cents{};
    rng.multinomial(cube_.impressions[i], shares, impressions);
    split_clicks(rng, cube_.clicks[i], impressions, clicks);
    split_cents(cube_.spend_cents[i], shares, cents);
    for (size_t k = 0; k < K; ++k) {
      out.append(date);
      out.push_back(',');
      out.append(ad_id);
      out.push_back(',');
      out.append(dims[k]);
      out.push_back(',');
      append_int(out, impressions[k]);
      out.push_back(',');
      append_int(out, clicks[k]);
      out.push_back(',');
      append_cents(out, cents[k]);
      out.push_back('\n');
    }
  }

  void append_placement_rows(int64_t day_index, std::string& out) const {
    Rng rng(spec_.seed, kPlacement, static_cast<uint64_t>(day_index));
    const std::string& date = dates_.date(first_day_ + day_index);
    std::array<double, 3> shares;
    for (size_t ad = 0; ad < e_.n_ads(); ++ad) {
      rng.dirichlet(kPlacementAlpha, shares);
      append_breakdown(rng, date, cube_.at(day_index, ad), e_.ad_id[ad], kPlacements, shares, out);
    }
  }

  // Mostly the campaign's own geo mixture, with a little per-row noise.
  void append_geo_rows(int64_t day_index, std::string& out) const {
    Rng rng(spec_.seed, kGeo, static_cast<uint64_t>(day_index));
    const std::string& date = dates_.date(first_day_ + day_index);
    std::array<double, 5> alpha, noise, shares;
    alpha.fill(kGeoNoiseAlpha);
    for (size_t ad = 0; ad < e_.n_ads(); ++ad) {
      rng.dirichlet(alpha, noise);
      const auto& base = geo_base_[static_cast<size_t>(e_.ad_campaign[ad])];
      double sum = 0.0;
      for (size_t k = 0; k < shares.size(); ++k)
        sum += shares[k] = kGeoBaseWeight * base[k] + (1.0 - kGeoBaseWeight) * noise[k];
      for (auto& s : shares) s /= sum;
      append_breakdown(rng, date, cube_.at(day_index, ad), e_.ad_id[ad], kGeos, shares, out);
    }
  }

  // The day's leads (ad by last week's clicks, uniform second of the day), sorted by
  // time so lead ids increase with created_time, then their outcomes from a separate
  // stream.
  void append_leads(int64_t day_index, DayChunk& out) const {
    Rng rng(spec_.seed, kLeads, static_cast<uint64_t>(day_index));
    const int64_t total_weight = allocation_cdf_.back();
    auto& draws = out.draws;
    draws.resize(static_cast<size_t>(spec_.leads_per_day));
    for (auto& draw : draws) {
      const int64_t r = static_cast<int64_t>(rng.uniform_int(static_cast<uint64_t>(total_weight)));
      draw.ad =
          static_cast<int32_t>(std::upper_bound(allocation_cdf_.begin(), allocation_cdf_.end(), r) -
                               allocation_cdf_.begin());
      draw.second = static_cast<int32_t>(rng.uniform_int(kSecondsPerDay));
    }
    std::stable_sort(draws.begin(), draws.end(),
                     [](const LeadDraw& a, const LeadDraw& b) { return a.second < b.second; });

    Rng outcome_rng(spec_.seed, kOutcomes, static_cast<uint64_t>(day_index));
    const int64_t day_start = (first_day_ + day_index) * kSecondsPerDay;
    const int64_t first_seq = day_index * spec_.leads_per_day;
    char lead_id[32];
    for (size_t j = 0; j < draws.size(); ++j) {
      const size_t id_len = format_lead_id(first_seq + static_cast<int64_t>(j), lead_id);
      const std::string_view id(lead_id, id_len);
      const size_t ad = static_cast<size_t>(draws[j].ad);
      const int64_t created = day_start + draws[j].second;
      const int hour = draws[j].second / 3600;
      const bool business_hours = hour >= 9 && hour <= 17;

      out.leads.append(id);
      out.leads.push_back(',');
      dates_.append_timestamp(out.leads, created);
      out.leads.push_back(',');
      out.leads.append(e_.ad_key_columns[ad]);
      out.leads.push_back('\n');

      const double logit = kLogitIntercept + kLogitQuality * e_.ad_quality[ad] +
                           (business_hours ? kBusinessHoursBoost : kOffHoursBoost) +
                           outcome_rng.normal(0.0, kLogitNoiseSd);
      const bool qualified = outcome_rng.uniform() < sigmoid(logit);
      out.outcomes.append(id);
      out.outcomes.push_back(',');
      if (qualified) {
        ++out.n_qualified;
        dates_.append_timestamp(out.outcomes, qualified_time(outcome_rng, created));
      }
      out.outcomes.push_back('\n');

      if (spec_.truth) {
        out.truth.append(id);
        out.truth.push_back(',');
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, truth_[ad][business_hours ? 1 : 0]);
        out.truth.append(buf, res.ptr);
        out.truth.push_back('\n');
      }
    }
  }

  // Reference: created + U{0..14} days + U{0..23} hours, capped at the window's end.
  static int64_t qualified_time(Rng& rng, int64_t created) {
    const int64_t delta_days = static_cast<int64_t>(rng.uniform_int(kDemoLabelWindowDays + 1));
    const int64_t delta_hours = static_cast<int64_t>(rng.uniform_int(24));
    return std::min(created + delta_days * kSecondsPerDay + delta_hours * 3600,
                    created + int64_t{kDemoLabelWindowDays} * kSecondsPerDay);
  }

  // "lead_" + 9-digit zero-padded sequence, into buf; returns the length.
  static size_t format_lead_id(int64_t seq, char* buf) {
    std::string_view prefix = "lead_";
    std::copy(prefix.begin(), prefix.end(), buf);
    char digits[24];
    auto res = std::to_chars(digits, digits + sizeof digits, seq);
    const size_t len = static_cast<size_t>(res.ptr - digits);
    size_t pos = prefix.size();
    for (size_t k = len; k < 9; ++k) buf[pos++] = '0';
    std::copy(digits, res.ptr, buf + pos);
    return pos + len;
  }

  const DemoDataSpec& spec_;
  const Entities& e_;
  const AdsCube& cube_;
  const DateTexts& dates_;
  int64_t first_day_;
  std::vector<int64_t> allocation_cdf_;
  std::vector<std::array<double, 2>> truth_;     // [ad][business hours]
  std::vector<std::array<double, 5>> geo_base_;  // [campaign]
};

// Runs produce(i, slot) for i in [0, n) on `threads` workers while the calling thread
// runs consume(i, slot) strictly in order of i. At most `window` items are in flight, so
// memory stays bounded however many days there are. The first exception (from either
// side) stops the workers and is rethrown here.
template <class Slot, class Produce, class Consume>
void run_ordered(int64_t n, int threads, int window, const Produce& produce,
                 const Consume& consume) {
  std::vector<Slot> slots(static_cast<size_t>(window));
  std::vector<char> ready(static_cast<size_t>(window), 0);
  std::mutex mu;
  std::condition_variable cv;
  int64_t next = 0, consumed = 0;
  bool stop = false;
  std::exception_ptr error;

  auto worker = [&] {
    for (;;) {
      int64_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      try {
        produce(i, slots[static_cast<size_t>(i % window)]);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        stop = true;
        cv.notify_all();
        return;
      }
      {
        std::lock_guard lock(mu);
        ready[static_cast<size_t>(i % window)] = 1;
      }
      cv.notify_all();
    }
  };
  // A pipeline, not a parallel-for (base/parallel.h): the workers fill a window of days
  // while this thread writes them out in order, so it keeps its own threads.
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  auto stop_workers = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& th : pool) th.join();
  };

  try {
    for (int64_t i = 0; i < n; ++i) {
      const size_t s = static_cast<size_t>(i % window);
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return ready[s] || error; });
        if (error) break;
      }
      consume(i, slots[s]);
      {
        std::lock_guard lock(mu);
        ready[s] = 0;
        ++consumed;
      }
      cv.notify_all();
    }
  } catch (...) {
    stop_workers();
    throw;
  }
  stop_workers();
  if (error) std::rethrow_exception(error);
}

// ---------------------------------------------------------------------------------------
// Output files: written as "<name>.tmp" and renamed together at the end, so a killed or
// failed run never leaves a complete-looking half file. Unfinished temporaries are
// removed on failure.

class OutputFiles {
 public:
  explicit OutputFiles(fs::path dir) : dir_(std::move(dir)) {}
  ~OutputFiles() {
    for (auto& f : files_) {
      if (f.handle) std::fclose(f.handle);
      if (!committed_) {
        std::error_code ec;
        fs::remove(f.tmp, ec);
      }
    }
  }
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  // Registers a file; returns its index. The temporary is opened for write().
  size_t open(const std::string& name) {
    size_t index = reserve(name);
    auto& f = files_[index];
    f.handle = std::fopen(f.tmp.c_str(), "wb");
    if (!f.handle) throw Error("cannot open for writing", f.tmp.string());
    return index;
  }
  // Registers a file that someone else writes at tmp_path(index).
  size_t reserve(const std::string& name) {
    File f;
    f.final_path = dir_ / name;
    f.tmp = dir_ / (name + ".tmp");
    files_.push_back(std::move(f));
    return files_.size() - 1;
  }
  std::string tmp_path(size_t index) const { return files_[index].tmp.string(); }

  void write(size_t index, std::string_view bytes) {
    auto& f = files_[index];
    if (bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), f.handle) != bytes.size())
      throw Error("write failed (disk full?)", f.tmp.string());
  }

  // Closes everything, then renames each temporary onto its final name.
  std::vector<std::string> commit() {
    for (auto& f : files_) {
      if (!f.handle) continue;
      const int rc = std::fclose(f.handle);
      f.handle = nullptr;
      if (rc != 0) throw Error("closing file failed (disk full?)", f.tmp.string());
    }
    std::vector<std::string> paths;
    for (auto& f : files_) {
      std::error_code ec;
      fs::rename(f.tmp, f.final_path, ec);
      if (ec) throw Error("cannot rename into place: " + ec.message(), f.final_path.string());
      paths.push_back(f.final_path.string());
    }
    committed_ = true;
    return paths;
  }

 private:
  struct File {
    fs::path final_path, tmp;
    std::FILE* handle = nullptr;
  };
  fs::path dir_;
  std::vector<File> files_;
  bool committed_ = false;
};

// ---------------------------------------------------------------------------------------
// Static enrichments (one row per ad or ad set), small: written with the project's
// csv::Writer.

void write_ad_creatives(const std::string& path, const DemoDataSpec& spec, const Entities& e) {
  Rng rng(spec.seed, kCreatives, 0);
  csv::Writer w(path);
  w.field("ad_id").field("creative_type").end_row();
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    // Higher quality is a little more likely to be video.
    const double p_video = std::clamp(sigmoid(e.ad_quality[ad]), 0.15, 0.85);
    std::string_view type = rng.uniform() < p_video ? "video" : "image";
    if (rng.uniform() < 0.05) type = "carousel";
    w.field(e.ad_id[ad]).field(type).end_row();
  }
  w.close();
}

// k distinct items of `pool`, in draw order (a partial Fisher–Yates shuffle).
template <class T>
std::vector<T> choose_distinct(Rng& rng, std::vector<T> pool, size_t k) {
  k = std::min(k, pool.size());
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + static_cast<size_t>(rng.uniform_int(pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

// FNV-1a: a stable hash of the campaign id, so a campaign's keyword theme depends on its
// id alone (as the reference's md5-seeded theme does), not on the seed.
uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void write_adset_targeting(const std::string& path, const DemoDataSpec& spec, const Entities& e) {
  const std::vector<std::string_view> pool(kKeywordPool.begin(), kKeywordPool.end());
  std::vector<std::vector<std::string_view>> themes;
  for (const auto& cid : e.campaign_id) {
    Rng theme_rng(fnv1a(cid), kTargetingTheme, 0);
    themes.push_back(choose_distinct(theme_rng, pool, kThemeSize));
  }
  Rng rng(spec.seed, kTargeting, 0);
  csv::Writer w(path);
  w.field("adset_id").field("audience_keywords").end_row();
  for (size_t as = 0; as < e.adset_id.size(); ++as) {
    const size_t k = 4 + static_cast<size_t>(rng.uniform_int(6));  // 4..9, as the reference
    const auto& theme = themes[static_cast<size_t>(e.adset_campaign[as])];
    std::string joined;
    for (auto kw : choose_distinct(rng, theme, k)) {
      if (!joined.empty()) joined += ", ";
      joined += kw;
    }
    w.field(e.adset_id[as]).field(joined).end_row();
  }
  w.close();
}

// ---------------------------------------------------------------------------------------

struct DateRange {
  int64_t first_day, last_day;
};

void check_positive(int64_t value, const char* option) {
  if (value < 1)
    throw UsageError(std::string("demo-data: ") + option + " must be at least 1 (got " +
                     std::to_string(value) + ")");
}

void check_cap(int64_t value, int64_t cap, const std::string& what) {
  if (value > cap)
    throw UsageError("demo-data: " + what + " would be " + std::to_string(value) +
                     ", above the cap of " + std::to_string(cap) + "; lower --days or the sizes");
}

// Validates sizes (each first against a per-option cap, so the products cannot
// overflow) and resolves the date range.
DateRange validate(const DemoDataSpec& spec) {
  check_positive(spec.days, "--days");
  check_positive(spec.campaigns, "--campaigns");
  check_positive(spec.adsets_per_campaign, "--adsets-per-campaign");
  check_positive(spec.ads_per_adset, "--ads-per-adset");
  check_positive(spec.leads_per_day, "--leads-per-day");
  check_cap(spec.days, kMaxDays, "--days");
  check_cap(spec.campaigns, kMaxAds, "--campaigns");
  check_cap(spec.adsets_per_campaign, kMaxAds, "--adsets-per-campaign");
  check_cap(spec.ads_per_adset, kMaxAds, "--ads-per-adset");
  check_cap(spec.leads_per_day, kMaxLeadsPerDay, "--leads-per-day");
  check_cap(spec.campaigns * spec.adsets_per_campaign, kMaxAds, "the number of ad sets");
  const int64_t n_ads = spec.campaigns * spec.adsets_per_campaign * spec.ads_per_adset;
  check_cap(n_ads, kMaxAds, "the number of ads");
  check_cap(n_ads * spec.days, kMaxAdRows, "the number of ads.csv rows (days x ads)");
  check_cap(spec.leads_per_day * spec.days, kMaxLeads,
            "the number of leads (days x leads per day)");

  int64_t last_day = today_utc_days();
  if (!spec.end_date.empty()) {
    auto parsed = parse_date(spec.end_date);
    if (!parsed)
      throw UsageError("demo-data: --end-date must be a valid date YYYY-MM-DD (got '" +
                       spec.end_date + "')");
    last_day = *parsed;
  }
  const int64_t first_day = last_day - (spec.days - 1);
  // Timestamps are formatted for years 1970..9999 (qualified times run up to 15 days
  // past the end).
  if (first_day < 0 || last_day > days_from_civil(9999, 12, 1))
    throw UsageError("demo-data: the dates must lie between 1970-01-01 and 9999-12-01 (start " +
                     format_date(first_day) + ", end " + format_date(last_day) + ")");
  return {first_day, last_day};
}

// demo-data's record of the files it wrote into a folder. --overwrite replaces, and
// removes, only files an earlier demo-data listed there: never a file of the same name that
// someone else put there (their own ads.csv, say).
constexpr const char* kManifest = "demo_data.json";

// The file names an earlier demo-data recorded in dir (the manifest itself included), or
// nullopt when dir holds no manifest of demo-data's. Only names demo-data can write count,
// so an edited manifest cannot make it touch anything else.
std::optional<std::set<std::string>> recorded_files(const fs::path& dir) {
  std::ifstream in(dir / kManifest, std::ios::binary);
  if (!in) return std::nullopt;
  const nlohmann::json m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!m.is_object() || m.value("written_by", "") != "elv demo-data" || !m.contains("files") ||
      !m["files"].is_array())
    return std::nullopt;
  DemoDataSpec everything;
  everything.enrichments = everything.truth = true;
  const std::vector<std::string> ours = demo_data_file_names(everything);
  std::set<std::string> names = {kManifest};
  for (const auto& f : m["files"])
    if (f.is_string() && std::find(ours.begin(), ours.end(), f.get<std::string>()) != ours.end())
      names.insert(f.get<std::string>());
  return names;
}

void write_manifest(const fs::path& dir, const std::vector<std::string>& names) {
  const nlohmann::json m = {{"written_by", "elv demo-data"}, {"files", names}};
  const fs::path tmp = dir / (std::string(kManifest) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << m.dump(2) << "\n";
    if (!out.flush()) throw Error("write failed (disk full?)", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, dir / kManifest, ec);
  if (ec) throw Error("cannot rename into place: " + ec.message(), (dir / kManifest).string());
}

void prepare_out_dir(const fs::path& dir, const std::vector<std::string>& names, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error("output path exists and is not a folder", dir.string());
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create output folder: " + ec.message(), dir.string());
  const std::set<std::string> replaceable =
      overwrite ? recorded_files(dir).value_or(std::set<std::string>{}) : std::set<std::string>{};
  std::vector<std::string> to_write = names;
  to_write.push_back(kManifest);
  for (const auto& name : to_write) {
    if (!fs::exists(dir / name, ec) || replaceable.count(name)) continue;
    if (!overwrite)
      throw Error("already exists; pass --overwrite to replace it", (dir / name).string());
    throw Error(std::string("--overwrite refused: elv demo-data did not write this file (") +
                    kManifest + " does not list it); move it away or choose an empty or new --out",
                (dir / name).string());
  }
}

// After an --overwrite run, files of the earlier data set that this run did not write
// (say ads_geo.csv when run with --no-enrichments) would no longer match ads.csv: remove
// them so the folder holds one consistent data set. Only files the earlier run recorded.
void remove_stale_outputs(const fs::path& dir, const std::set<std::string>& earlier,
                          const std::vector<std::string>& written) {
  for (const auto& name : earlier) {
    if (name == kManifest || std::find(written.begin(), written.end(), name) != written.end())
      continue;
    std::error_code ec;
    fs::remove(dir / name, ec);
    if (ec)
      throw Error("cannot remove a file of the earlier data set: " + ec.message(),
                  (dir / name).string());
  }
}

}  // namespace

std::vector<std::string> demo_data_file_names(const DemoDataSpec& spec) {
  std::vector<std::string> names = {"ads.csv", "leads.csv", "outcomes.csv"};
  if (spec.enrichments)
    for (const char* n :
         {"ads_placement.csv", "ads_geo.csv", "adset_targeting.csv", "ad_creatives.csv"})
      names.push_back(n);
  if (spec.truth) names.push_back("truth.csv");
  return names;
}

DemoDataResult generate_demo_data(const std::string& out_dir, const DemoDataSpec& spec) {
  const DateRange range = validate(spec);
  const int64_t n_days = range.last_day - range.first_day + 1;
  const std::vector<std::string> names = demo_data_file_names(spec);
  prepare_out_dir(out_dir, names, spec.overwrite);
  const std::set<std::string> earlier = recorded_files(out_dir).value_or(std::set<std::string>{});
  const int threads = resolve_threads(spec.threads);

  const Entities entities = make_entities(spec);
  const AdsCube cube = generate_ads_cube(entities, spec.seed, range.first_day, n_days, threads);
  const DateTexts dates(range.first_day, n_days + kDemoLabelWindowDays + 2);
  const DayGenerator generator(spec, entities, cube, dates, range.first_day, n_days);

  OutputFiles files(out_dir);
  const size_t ads_f = files.open("ads.csv");
  const size_t leads_f = files.open("leads.csv");
  const size_t outcomes_f = files.open("outcomes.csv");
  size_t placement_f = 0, geo_f = 0, truth_f = 0;
  files.write(ads_f,
              "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,"
              "spend\n");
  files.write(leads_f,
              "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name\n");
  files.write(outcomes_f, "lead_id,qualified_time\n");
  if (spec.enrichments) {
    placement_f = files.open("ads_placement.csv");
    geo_f = files.open("ads_geo.csv");
    files.write(placement_f, "date,ad_id,placement,impressions,clicks,spend\n");
    files.write(geo_f, "date,ad_id,geo,impressions,clicks,spend\n");
    const size_t targeting_f = files.reserve("adset_targeting.csv");
    const size_t creatives_f = files.reserve("ad_creatives.csv");
    write_adset_targeting(files.tmp_path(targeting_f), spec, entities);
    write_ad_creatives(files.tmp_path(creatives_f), spec, entities);
  }
  if (spec.truth) {
    truth_f = files.open("truth.csv");
    files.write(truth_f, "lead_id,p_true\n");
  }

  DemoDataResult result;
  auto consume = [&](int64_t, const DayChunk& chunk) {
    files.write(ads_f, chunk.ads);
    files.write(leads_f, chunk.leads);
    files.write(outcomes_f, chunk.outcomes);
    if (spec.enrichments) {
      files.write(placement_f, chunk.placement);
      files.write(geo_f, chunk.geo);
    }
    if (spec.truth) files.write(truth_f, chunk.truth);
    result.n_qualified += chunk.n_qualified;
  };
  auto produce = [&](int64_t day_index, DayChunk& chunk) { generator.produce(day_index, chunk); };
  run_ordered<DayChunk>(n_days, threads, 4 * threads, produce, consume);

  result.files_written = files.commit();
  if (spec.overwrite) remove_stale_outputs(out_dir, earlier, names);
  write_manifest(out_dir, names);
  result.start_date = format_date(range.first_day);
  result.end_date = format_date(range.last_day);
  result.n_ads = static_cast<int64_t>(entities.n_ads());
  result.n_ads_rows = result.n_ads * n_days;
  result.n_leads = spec.leads_per_day * n_days;
  if (spec.enrichments) {
    result.n_placement_rows = result.n_ads_rows * static_cast<int64_t>(kPlacements.size());
    result.n_geo_rows = result.n_ads_rows * static_cast<int64_t>(kGeos.size());
  }
  return result;
}

}  // namespace elv::demo
