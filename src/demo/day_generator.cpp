// One day of the daily files: the ads rows and their placement and geo breakdowns, the
// day's leads (allocated by the last week's clicks) and their outcomes, the CRM's
// qualification events (and truth.csv). Runs on worker threads: every draw comes from a
// stream of the day's own.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/logistic.h"
#include "demo/generator_parts.h"

namespace elv::demo::detail {

namespace {

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

}  // namespace

DayGenerator::DayGenerator(const DemoDataSpec& spec, const Entities& e, const AdsCube& cube,
                           const DateTexts& dates, int64_t first_day, int64_t n_days)
    : spec_(spec), e_(e), cube_(cube), dates_(dates), first_day_(first_day) {
  allocation_cdf_ = lead_allocation_cdf(cube, n_days);
  intercept_ = qualification_intercept(e, allocation_cdf_, spec.qualified_share);
  if (spec.truth) truth_ = truth_table(e, intercept_);
  if (spec.enrichments) geo_base_ = geo_base_mixtures(spec.seed, spec.campaigns);
  if (spec.lead_form) lead_download_.emplace(e);
}

void DayGenerator::produce(int64_t day_index, DayChunk& out) const {
  out.clear();
  append_ads_rows(day_index, out.ads);
  if (spec_.enrichments) {
    append_placement_rows(day_index, out.placement);
    append_geo_rows(day_index, out.geo);
  }
  append_leads(day_index, out);
}

std::vector<std::array<double, 5>> DayGenerator::geo_base_mixtures(uint64_t seed,
                                                                   int64_t campaigns) {
  Rng rng(seed, kGeoBase, 0);
  std::vector<std::array<double, 5>> base(static_cast<size_t>(campaigns));
  std::array<double, 5> alpha;
  alpha.fill(kGeoBaseAlpha);
  for (auto& b : base) rng.dirichlet(alpha, b);
  return base;
}

void DayGenerator::append_ads_rows(int64_t day_index, std::string& out) const {
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
void DayGenerator::split_clicks(Rng& rng, int64_t total_clicks,
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
void DayGenerator::append_breakdown(Rng& rng, const std::string& date, size_t i,
                                    const std::string& ad_id,
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

void DayGenerator::append_placement_rows(int64_t day_index, std::string& out) const {
  Rng rng(spec_.seed, kPlacement, static_cast<uint64_t>(day_index));
  const std::string& date = dates_.date(first_day_ + day_index);
  std::array<double, 3> shares;
  for (size_t ad = 0; ad < e_.n_ads(); ++ad) {
    rng.dirichlet(kPlacementAlpha, shares);
    append_breakdown(rng, date, cube_.at(day_index, ad), e_.ad_id[ad], kPlacements, shares, out);
  }
}

// Mostly the campaign's own geo mixture, with a little per-row noise.
void DayGenerator::append_geo_rows(int64_t day_index, std::string& out) const {
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
void DayGenerator::append_leads(int64_t day_index, DayChunk& out) const {
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
  std::optional<Rng> form_rng;
  if (lead_download_) form_rng.emplace(spec_.seed, kLeadForm, static_cast<uint64_t>(day_index));
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

    const double logit = intercept_ + kLogitQuality * e_.ad_quality[ad] +
                         (business_hours ? kBusinessHoursBoost : kOffHoursBoost) +
                         outcome_rng.normal(0.0, kLogitNoiseSd);
    const bool qualified = outcome_rng.uniform() < sigmoid(logit);
    out.outcomes.append(id);
    out.outcomes.push_back(',');
    if (qualified) {
      const int64_t when = qualified_time(outcome_rng, created);
      ++out.n_qualified;
      if (when <= created + int64_t{kDemoLabelWindowDays} * kSecondsPerDay)
        ++out.n_qualified_in_window;
      dates_.append_timestamp(out.outcomes, when);
    }
    out.outcomes.push_back('\n');
    if (lead_download_)
      lead_download_->append_row(*form_rng, id, first_seq + static_cast<int64_t>(j), created, ad,
                                 qualified, dates_, out.lead_download);

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

// Created + D days + U{0..23} hours, D ~ geometric(kDelayDailyHazard) by inversion, capped
// at kMaxDelayDays: most leads qualify within days, a long tail after the label window.
int64_t DayGenerator::qualified_time(Rng& rng, int64_t created) {
  const double u = rng.uniform();  // [0, 1)
  const double days = std::floor(std::log1p(-u) / std::log1p(-kDelayDailyHazard));
  const int64_t delta_days = std::min<int64_t>(static_cast<int64_t>(days), kMaxDelayDays);
  const int64_t delta_hours = static_cast<int64_t>(rng.uniform_int(24));
  return created + delta_days * kSecondsPerDay + delta_hours * 3600;
}

// "lead_" + 9-digit zero-padded sequence, into buf; returns the length.
size_t DayGenerator::format_lead_id(int64_t seq, char* buf) {
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

}  // namespace elv::demo::detail
