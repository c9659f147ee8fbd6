// lead_download.csv (`demo-data --lead-form`): the leads of leads.csv in the layout of the
// CSV Ads Manager's "Download leads" gives, so the loader's Meta spellings (prefixed IDs,
// `id`, offsets without a colon, question columns, contact columns) get exercised on data
// whose outcomes are known. The form answers are drawn from the lead's outcome, which the
// generator has already drawn, so they carry signal a model can learn; the contact columns
// are fake and carry none.
#include <cmath>
#include <string>
#include <string_view>

#include "demo/generator_parts.h"

namespace elv::demo::detail {

namespace {

// Meta names a question column by its question text, snake-cased, keeping the '?'.
constexpr std::string_view kHeader =
    "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,"
    "form_name,is_organic,platform,what_is_your_budget?,when_do_you_want_to_start?,"
    "how_many_employees?,full_name,email,phone_number,city\n";

// Meta's own share of leads that come from the page rather than an ad is small; 3 % keeps a
// few dozen a day in the default data set, enough to notice.
constexpr double kOrganicShare = 0.03;
constexpr double kFacebookShare = 0.65;  // the rest come from Instagram
constexpr double kEmptyAnswerShare = 0.02;

// Answer distributions given the outcome: [not qualified, qualified]. Strong enough that the
// answers add clearly to what the ad and the hour already tell (see DATA_CARD.md).
constexpr std::array<std::string_view, 3> kBudgets = {"under_1000", "1000_to_5000", "over_5000"};
constexpr std::array<std::array<double, 3>, 2> kBudgetShares = {
    {{0.50, 0.35, 0.15}, {0.15, 0.40, 0.45}}};
constexpr std::array<std::string_view, 3> kStarts = {"this_month", "in_3_months", "just_looking"};
constexpr std::array<std::array<double, 3>, 2> kStartShares = {
    {{0.25, 0.35, 0.40}, {0.50, 0.35, 0.15}}};
// Employees ~ round(lognormal): medians 8 and 25, log-sd 1.
constexpr std::array<double, 2> kEmployeesMedian = {8.0, 25.0};
constexpr double kEmployeesLogSd = 1.0;

// Cities with a real area code each, so the fake phone numbers look like their city's.
struct City {
  std::string_view name;
  int area_code;
};
constexpr std::array<City, 6> kCities = {{{"Austin", 512},
                                          {"Chicago", 312},
                                          {"Denver", 303},
                                          {"Miami", 305},
                                          {"Phoenix", 602},
                                          {"Seattle", 206}}};

template <size_t K>
std::string_view pick(Rng& rng, const std::array<std::string_view, K>& answers,
                      const std::array<double, K>& shares) {
  const double u = rng.uniform();
  double cumulative = 0.0;
  for (size_t k = 0; k + 1 < K; ++k) {
    cumulative += shares[k];
    if (u < cumulative) return answers[k];
  }
  return answers[K - 1];
}

// Splits a line of ad_key_columns (no quoting in it) into its cells.
std::vector<std::string_view> cells(std::string_view line) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

LeadDownload::LeadDownload(const Entities& e) {
  ad_columns_.reserve(e.n_ads());
  form_columns_.reserve(e.n_ads());
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    // campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name → Meta's order, prefixed.
    const auto c = cells(e.ad_key_columns[ad]);
    std::string cols;
    for (std::string_view part : {std::string_view("ag:"), c[4], std::string_view(","), c[5],
                                  std::string_view(",as:"), c[2], std::string_view(","), c[3],
                                  std::string_view(",c:"), c[0], std::string_view(","), c[1]})
      cols.append(part);
    ad_columns_.push_back(std::move(cols));
    // One form per campaign.
    const int64_t campaign = e.ad_campaign[ad];
    form_columns_.push_back("f:form_" + padded(campaign, 3) + ",Lead Form " + padded(campaign, 2));
  }
}

std::string_view LeadDownload::header() { return kHeader; }

void LeadDownload::append_row(Rng& rng, std::string_view lead_id, int64_t seq, int64_t created,
                              size_t ad, bool qualified, const DateTexts& dates,
                              std::string& out) const {
  // Every lead makes the same draws, in the same order, whatever it comes out as.
  const bool organic = rng.uniform() < kOrganicShare;
  const bool facebook = rng.uniform() < kFacebookShare;
  const int q = qualified ? 1 : 0;
  const std::string_view budget = pick(rng, kBudgets, kBudgetShares[q]);
  const bool budget_empty = rng.uniform() < kEmptyAnswerShare;
  const std::string_view start = pick(rng, kStarts, kStartShares[q]);
  const bool start_empty = rng.uniform() < kEmptyAnswerShare;
  const double employees_draw =
      std::exp(rng.normal(std::log(kEmployeesMedian[q]), kEmployeesLogSd));
  const bool employees_empty = rng.uniform() < kEmptyAnswerShare;
  const City& city = kCities[rng.uniform_int(kCities.size())];

  out.append("l:");
  out.append(lead_id);
  out.push_back(',');
  // Meta writes the offset without a colon: 2026-06-01T09:15:00+0000.
  dates.append_timestamp(out, created);
  out.resize(out.size() - 6);
  out.append("+0000,");
  // Meta leaves the ad, ad set and campaign empty for a lead from the page itself.
  out.append(organic ? std::string_view(",,,,,") : std::string_view(ad_columns_[ad]));
  out.push_back(',');
  out.append(form_columns_[ad]);
  out.append(organic ? ",1," : ",0,");
  out.append(facebook ? "fb," : "ig,");
  if (!budget_empty) out.append(budget);
  out.push_back(',');
  if (!start_empty) out.append(start);
  out.push_back(',');
  if (!employees_empty) append_int(out, std::max<int64_t>(1, std::llround(employees_draw)));
  // Fake contact details: example.com mail and the 555-01xx numbers reserved for fiction.
  out.append(",Demo Lead ");
  append_int(out, seq);
  out.append(",lead");
  append_int(out, seq);
  out.append("@example.com,+1 ");
  append_int(out, city.area_code);
  out.append(" 555 01");
  append_two_digits(out, seq % 100);
  out.push_back(',');
  out.append(city.name);
  out.push_back('\n');
}

}  // namespace elv::demo::detail
