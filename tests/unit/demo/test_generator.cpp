// Tests of `elv demo-data`: the samplers, the files' shape and invariants, determinism.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/error.h"
#include "demo/generator.h"
#include "demo/random.h"
#include "demo_test_util.h"

namespace elv::demo {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// Helpers

using test_util::read_file;
using test_util::read_lines;
using test_util::TempDir;

// Splits a line without quoted fields.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::stringstream ss(line);
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

// Data rows of a file without quoted fields.
std::vector<std::vector<std::string>> read_rows(const fs::path& path) {
  auto lines = read_lines(path);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 1; i < lines.size(); ++i) rows.push_back(split(lines[i]));
  return rows;
}

// "2026-01-02T03:04:05+00:00" -> seconds since the epoch.
int64_t parse_timestamp(const std::string& text) {
  using namespace std::chrono;
  const int y = std::stoi(text.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  const sys_days day{year{y} / month{m} / std::chrono::day{d}};
  return day.time_since_epoch().count() * 86400LL + std::stoi(text.substr(11, 2)) * 3600LL +
         std::stoi(text.substr(14, 2)) * 60LL + std::stoi(text.substr(17, 2));
}

// Spend text ("12.5") to integer cents.
int64_t cents(const std::string& text) { return std::llround(std::stod(text) * 100.0); }

DemoDataSpec small_spec() {
  DemoDataSpec spec;
  spec.days = 20;
  spec.end_date = "2026-01-31";
  spec.campaigns = 3;
  spec.adsets_per_campaign = 2;
  spec.ads_per_adset = 3;
  spec.leads_per_day = 150;
  spec.truth = true;
  return spec;
}

const std::vector<std::string> kAllFiles = {
    "ads.csv",     "leads.csv",           "outcomes.csv",     "ads_placement.csv",
    "ads_geo.csv", "adset_targeting.csv", "ad_creatives.csv", "truth.csv"};

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

struct Moments {
  double mean = 0.0, variance = 0.0;
};

template <class Draw>
Moments moments(int n, Draw draw) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  Moments m;
  m.mean = sum / n;
  m.variance = sum_sq / n - m.mean * m.mean;
  return m;
}

// ---------------------------------------------------------------------------------------
// Samplers

TEST(DemoRandom, StreamsAreReproducibleAndIndependent) {
  Rng a(7, 1, 0), b(7, 1, 0), c(7, 1, 1), d(8, 1, 0), e(7, 2, 0);
  const uint64_t first = a.next_u64();
  EXPECT_EQ(first, b.next_u64());
  EXPECT_NE(first, c.next_u64());
  EXPECT_NE(first, d.next_u64());
  EXPECT_NE(first, e.next_u64());
}

TEST(DemoRandom, UniformAndUniformIntStayInRange) {
  Rng rng(1, 1, 1);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const uint64_t k = rng.uniform_int(6);
    ASSERT_LT(k, 6u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(DemoRandom, NormalHasMeanZeroVarianceOne) {
  Rng rng(2, 1, 1);
  const auto m = moments(200000, [&] { return rng.normal(); });
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.02);
  const auto scaled = moments(100000, [&] { return rng.normal(3.0, 0.5); });
  EXPECT_NEAR(scaled.mean, 3.0, 0.01);
  EXPECT_NEAR(scaled.variance, 0.25, 0.01);
}

TEST(DemoRandom, PoissonMatchesMeanAndVariance) {
  Rng rng(3, 1, 1);
  for (double lambda : {0.3, 5.0, 9.9, 10.0, 37.0, 800.0}) {
    const auto m = moments(100000, [&] { return static_cast<double>(rng.poisson(lambda)); });
    EXPECT_NEAR(m.mean, lambda, 0.02 * lambda + 0.02) << "lambda " << lambda;
    EXPECT_NEAR(m.variance, lambda, 0.05 * lambda + 0.02) << "lambda " << lambda;
  }
  EXPECT_EQ(rng.poisson(0.0), 0);
}

TEST(DemoRandom, BinomialMatchesMeanAndVariance) {
  Rng rng(4, 1, 1);
  struct Case {
    int64_t n;
    double p;
  };
  for (Case c : {Case{800, 0.008}, Case{20, 0.3}, Case{1000, 0.4}, Case{900, 0.7}, Case{5000, 0.05},
                 Case{3, 0.5}}) {
    const double mean = c.n * c.p, var = c.n * c.p * (1 - c.p);
    const auto m = moments(100000, [&] { return static_cast<double>(rng.binomial(c.n, c.p)); });
    EXPECT_NEAR(m.mean, mean, 0.02 * mean + 0.02) << c.n << " " << c.p;
    EXPECT_NEAR(m.variance, var, 0.05 * var + 0.02) << c.n << " " << c.p;
  }
  EXPECT_EQ(rng.binomial(0, 0.5), 0);
  EXPECT_EQ(rng.binomial(10, 0.0), 0);
  EXPECT_EQ(rng.binomial(10, 1.0), 10);
  for (int i = 0; i < 1000; ++i) {
    const int64_t k = rng.binomial(50, 0.45);
    ASSERT_GE(k, 0);
    ASSERT_LE(k, 50);
  }
}

TEST(DemoRandom, GammaAndDirichletMeans) {
  Rng rng(5, 1, 1);
  for (double shape : {0.5, 1.3, 2.0, 7.5}) {
    const auto m = moments(100000, [&] { return rng.gamma(shape); });
    EXPECT_NEAR(m.mean, shape, 0.02 * shape) << shape;
    EXPECT_NEAR(m.variance, shape, 0.06 * shape) << shape;
  }
  const std::array<double, 3> alpha = {2.0, 1.6, 1.3};
  std::array<double, 3> sum{}, p{};
  const int n = 50000;
  for (int i = 0; i < n; ++i) {
    rng.dirichlet(alpha, p);
    ASSERT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
    for (int k = 0; k < 3; ++k) sum[k] += p[k];
  }
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(sum[k] / n, alpha[k] / 4.9, 0.005);
}

TEST(DemoRandom, MultinomialSumsExactlyAndFollowsShares) {
  Rng rng(6, 1, 1);
  const std::array<double, 3> p = {0.5, 0.3, 0.2};
  std::array<int64_t, 3> out{};
  std::array<double, 3> sum{};
  for (int i = 0; i < 20000; ++i) {
    rng.multinomial(800, p, out);
    ASSERT_EQ(out[0] + out[1] + out[2], 800);
    for (int k = 0; k < 3; ++k) sum[k] += static_cast<double>(out[k]);
  }
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(sum[k] / 20000 / 800, p[k], 0.002);
}

TEST(DemoRandom, LogFactorialAndGaussHermite) {
  for (double k : {0.0, 1.0, 2.0, 5.0, 17.0, 250.0, 1e5})
    EXPECT_NEAR(log_factorial(k), std::lgamma(k + 1.0), 1e-9 * (1.0 + std::lgamma(k + 1.0))) << k;
  std::vector<double> x, w;
  gauss_hermite(32, x, w);
  double w_sum = 0.0, second = 0.0, fourth = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    w_sum += w[i];
    second += w[i] * x[i] * x[i];
    fourth += w[i] * std::pow(x[i], 4);
  }
  const double sqrt_pi = std::sqrt(std::numbers::pi);
  EXPECT_NEAR(w_sum, sqrt_pi, 1e-12);
  EXPECT_NEAR(second, sqrt_pi / 2.0, 1e-12);
  EXPECT_NEAR(fourth, 3.0 * sqrt_pi / 4.0, 1e-11);
}

// ---------------------------------------------------------------------------------------
// Files

TEST(DemoData, SameSpecGivesIdenticalBytesOnAnyThreadCount) {
  TempDir a, b, c;
  DemoDataSpec spec = small_spec();
  spec.threads = 1;
  generate_demo_data(a.str(), spec);
  spec.threads = 2;
  generate_demo_data(b.str(), spec);
  spec.threads = 3;
  generate_demo_data(c.str(), spec);
  for (const auto& name : kAllFiles) {
    const std::string bytes = read_file(a.path() / name);
    EXPECT_FALSE(bytes.empty()) << name;
    EXPECT_EQ(bytes, read_file(b.path() / name)) << name;
    EXPECT_EQ(bytes, read_file(c.path() / name)) << name;
  }
}

TEST(DemoData, DifferentSeedGivesDifferentData) {
  TempDir a, b;
  DemoDataSpec spec = small_spec();
  generate_demo_data(a.str(), spec);
  spec.seed = 8;
  generate_demo_data(b.str(), spec);
  for (const char* name :
       {"ads.csv", "leads.csv", "outcomes.csv", "ads_placement.csv", "ads_geo.csv"})
    EXPECT_NE(read_file(a.path() / name), read_file(b.path() / name)) << name;
}

TEST(DemoData, CoreFilesDoNotDependOnEnrichmentsOrTruth) {
  TempDir a, b;
  DemoDataSpec spec = small_spec();
  generate_demo_data(a.str(), spec);
  spec.enrichments = false;
  spec.truth = false;
  generate_demo_data(b.str(), spec);
  for (const char* name : {"ads.csv", "leads.csv", "outcomes.csv"})
    EXPECT_EQ(read_file(a.path() / name), read_file(b.path() / name)) << name;
}

TEST(DemoData, HeaderLinesAreExact) {
  TempDir dir;
  const auto result = generate_demo_data(dir.str(), small_spec());
  const std::map<std::string, std::string> headers = {
      {"ads.csv",
       "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,spend"},
      {"leads.csv",
       "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name"},
      {"outcomes.csv", "lead_id,qualified_time"},
      {"ads_placement.csv", "date,ad_id,placement,impressions,clicks,spend"},
      {"ads_geo.csv", "date,ad_id,geo,impressions,clicks,spend"},
      {"adset_targeting.csv", "adset_id,audience_keywords"},
      {"ad_creatives.csv", "ad_id,creative_type"},
      {"truth.csv", "lead_id,p_true"}};
  ASSERT_EQ(result.files_written.size(), headers.size());
  for (const auto& [name, header] : headers)
    EXPECT_EQ(read_lines(dir.path() / name).at(0), header) << name;
  for (size_t i = 0; i < kAllFiles.size(); ++i)
    EXPECT_EQ(result.files_written[i], (dir.path() / kAllFiles[i]).string());
}

TEST(DemoData, RowCountsFollowTheSizes) {
  TempDir dir;
  const DemoDataSpec spec = small_spec();
  const auto result = generate_demo_data(dir.str(), spec);
  const int64_t n_ads = 3 * 2 * 3, ads_rows = 20 * n_ads, leads = 20 * 150;
  EXPECT_EQ(result.n_ads, n_ads);
  EXPECT_EQ(result.n_ads_rows, ads_rows);
  EXPECT_EQ(result.n_leads, leads);
  EXPECT_EQ(result.n_placement_rows, 3 * ads_rows);
  EXPECT_EQ(result.n_geo_rows, 5 * ads_rows);
  EXPECT_EQ(result.start_date, "2026-01-12");
  EXPECT_EQ(result.end_date, "2026-01-31");
  auto data_rows = [&](const char* name) {
    return static_cast<int64_t>(read_lines(dir.path() / name).size()) - 1;
  };
  EXPECT_EQ(data_rows("ads.csv"), ads_rows);
  EXPECT_EQ(data_rows("leads.csv"), leads);
  EXPECT_EQ(data_rows("outcomes.csv"), leads);
  EXPECT_EQ(data_rows("truth.csv"), leads);
  EXPECT_EQ(data_rows("ads_placement.csv"), 3 * ads_rows);
  EXPECT_EQ(data_rows("ads_geo.csv"), 5 * ads_rows);
  EXPECT_EQ(data_rows("adset_targeting.csv"), 3 * 2);
  EXPECT_EQ(data_rows("ad_creatives.csv"), n_ads);
}

TEST(DemoData, IdsDatesAndNumbersHaveTheReferenceFormats) {
  TempDir dir;
  generate_demo_data(dir.str(), small_spec());
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  const std::regex timestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00)");
  const std::regex spend(R"(\d+\.(0|\d?[1-9]))");
  const std::regex count(R"(0|[1-9]\d*)");
  const std::regex key_columns(
      R"(cmp_(\d{3}),Campaign (\d{2}),as_(\d{3})_(\d{3}),Adset (\d{2})-(\d{2}),ad_(\d{3})_(\d{3})_(\d{3}),Ad (\d{2})-(\d{2})-(\d{2}))");
  std::set<std::string> dates;
  for (const auto& r : read_rows(dir.path() / "ads.csv")) {
    ASSERT_EQ(r.size(), 10u);
    ASSERT_TRUE(std::regex_match(r[0], date)) << r[0];
    dates.insert(r[0]);
    const std::string keys = r[1] + "," + r[2] + "," + r[3] + "," + r[4] + "," + r[5] + "," + r[6];
    std::smatch m;
    ASSERT_TRUE(std::regex_match(keys, m, key_columns)) << keys;
    // The campaign index repeats through the ids; names use 2 digits of the same number.
    EXPECT_EQ(std::stoi(m[1]), std::stoi(m[3]));
    EXPECT_EQ(std::stoi(m[1]), std::stoi(m[7]));
    EXPECT_EQ(std::stoi(m[4]), std::stoi(m[8]));
    ASSERT_TRUE(std::regex_match(r[7], count)) << r[7];
    ASSERT_TRUE(std::regex_match(r[8], count)) << r[8];
    ASSERT_TRUE(std::regex_match(r[9], spend)) << r[9];
    EXPECT_LE(std::stoll(r[8]), std::stoll(r[7]));
  }
  EXPECT_EQ(dates.size(), 20u);
  EXPECT_EQ(*dates.begin(), "2026-01-12");
  EXPECT_EQ(*dates.rbegin(), "2026-01-31");

  const std::regex lead_id(R"(lead_\d{9})");
  auto leads = read_rows(dir.path() / "leads.csv");
  for (size_t i = 0; i < leads.size(); ++i) {
    const auto& r = leads[i];
    ASSERT_EQ(r.size(), 8u);
    ASSERT_TRUE(std::regex_match(r[0], lead_id)) << r[0];
    EXPECT_EQ(std::stoll(r[0].substr(5)), static_cast<long long>(i));  // sequential from 0
    ASSERT_TRUE(std::regex_match(r[1], timestamp)) << r[1];
    if (i > 0) {
      EXPECT_LE(parse_timestamp(leads[i - 1][1]), parse_timestamp(r[1]));  // time order
    }
  }
  EXPECT_EQ(leads.front()[1].substr(0, 10), "2026-01-12");
  EXPECT_EQ(leads.back()[1].substr(0, 10), "2026-01-31");

  for (const auto& r : read_rows(dir.path() / "ad_creatives.csv")) {
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[1] == "image" || r[1] == "video" || r[1] == "carousel") << r[1];
  }
  for (const auto& r : read_rows(dir.path() / "truth.csv")) {
    const double p = std::stod(r.at(1));
    EXPECT_GT(p, 0.0);
    EXPECT_LT(p, 1.0);
  }
}

TEST(DemoData, TargetingKeywordsAreQuotedDistinctAndFromTheCampaignTheme) {
  TempDir dir;
  generate_demo_data(dir.str(), small_spec());
  const std::regex row(R"#(as_(\d{3})_\d{3},"([a-z ]+(, [a-z ]+)*)")#");
  std::map<int, std::set<std::string>> theme;
  auto lines = read_lines(dir.path() / "adset_targeting.csv");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i], m, row)) << lines[i];
    std::vector<std::string> keywords;
    std::string text = m[2], kw;
    for (size_t pos = 0;;) {
      const size_t next = text.find(", ", pos);
      keywords.push_back(text.substr(pos, next - pos));
      if (next == std::string::npos) break;
      pos = next + 2;
    }
    EXPECT_GE(keywords.size(), 4u);
    EXPECT_LE(keywords.size(), 8u);
    EXPECT_EQ(std::set<std::string>(keywords.begin(), keywords.end()).size(), keywords.size());
    auto& t = theme[std::stoi(m[1])];
    t.insert(keywords.begin(), keywords.end());
    EXPECT_LE(t.size(), 8u);  // every ad set of a campaign draws from its 8-word theme
  }
}

// Checks that each breakdown file splits each ads.csv row exactly.
void expect_breakdown_sums(const fs::path& dir, const char* name, size_t dims) {
  auto ads = read_rows(dir / "ads.csv");
  auto parts = read_rows(dir / name);
  ASSERT_EQ(parts.size(), dims * ads.size());
  for (size_t i = 0; i < ads.size(); ++i) {
    int64_t impressions = 0, clicks = 0, spend = 0;
    std::set<std::string> seen;
    for (size_t k = 0; k < dims; ++k) {
      const auto& p = parts[i * dims + k];
      ASSERT_EQ(p.size(), 6u);
      ASSERT_EQ(p[0], ads[i][0]);
      ASSERT_EQ(p[1], ads[i][5]);
      seen.insert(p[2]);
      impressions += std::stoll(p[3]);
      clicks += std::stoll(p[4]);
      ASSERT_GE(cents(p[5]), 0) << p[5];
      spend += cents(p[5]);
    }
    EXPECT_EQ(seen.size(), dims);
    ASSERT_EQ(impressions, std::stoll(ads[i][7])) << name << " row " << i;
    ASSERT_EQ(clicks, std::stoll(ads[i][8])) << name << " row " << i;
    ASSERT_NEAR(spend / 100.0, std::stod(ads[i][9]), 0.005) << name << " row " << i;
  }
}

TEST(DemoData, PlacementAndGeoBreakdownsSumToTheAdsRows) {
  TempDir dir;
  generate_demo_data(dir.str(), small_spec());
  expect_breakdown_sums(dir.path(), "ads_placement.csv", 3);
  expect_breakdown_sums(dir.path(), "ads_geo.csv", 5);
  std::set<std::string> placements, geos;
  for (const auto& r : read_rows(dir.path() / "ads_placement.csv")) placements.insert(r[2]);
  for (const auto& r : read_rows(dir.path() / "ads_geo.csv")) geos.insert(r[2]);
  EXPECT_EQ(placements, (std::set<std::string>{"feed", "stories", "reels"}));
  EXPECT_EQ(geos, (std::set<std::string>{"US-CA", "US-TX", "US-NY", "US-FL", "US-IL"}));
}

// Most qualified leads qualify within the label window, a long tail later (never before
// creation, never past the 60-day cap plus a day).
TEST(DemoData, QualificationDelaysHaveALongTailPastTheLabelWindow) {
  TempDir dir;
  DemoDataSpec spec = small_spec();
  spec.days = 30;
  spec.leads_per_day = 400;
  generate_demo_data(dir.str(), spec);
  auto leads = read_rows(dir.path() / "leads.csv");
  auto outcomes = read_rows(dir.path() / "outcomes.csv");
  ASSERT_EQ(leads.size(), outcomes.size());
  int64_t qualified = 0, late = 0;
  for (size_t i = 0; i < leads.size(); ++i) {
    ASSERT_EQ(outcomes[i][0], leads[i][0]);
    ASSERT_EQ(outcomes[i].size(), 2u);
    if (outcomes[i][1].empty()) continue;
    ++qualified;
    const int64_t created = parse_timestamp(leads[i][1]);
    const int64_t at = parse_timestamp(outcomes[i][1]);
    EXPECT_GE(at, created);
    EXPECT_LE(at, created + 61 * 86400);
    late += at > created + 14 * 86400;
  }
  ASSERT_GT(qualified, 500);
  // P(delay past the window) = 0.873^14 - 0.873^14 * 0.127 / 24 = 0.148.
  EXPECT_NEAR(static_cast<double>(late) / static_cast<double>(qualified), 0.148, 0.04);
}

// Share of leads qualified within the label window (as the label counts it), and the mean
// of truth.csv's p_true.
std::pair<double, double> positive_rate_and_mean_truth(const fs::path& dir) {
  auto leads = read_rows(dir / "leads.csv");
  auto outcomes = read_rows(dir / "outcomes.csv");
  auto truth = read_rows(dir / "truth.csv");
  double positives = 0.0, p_sum = 0.0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i][1].empty())
      positives += parse_timestamp(outcomes[i][1]) <= parse_timestamp(leads[i][1]) + 14 * 86400;
    p_sum += std::stod(truth[i][1]);
  }
  return {positives / outcomes.size(), p_sum / truth.size()};
}

DemoDataSpec month_of_leads(int seed) {
  DemoDataSpec spec;
  spec.seed = static_cast<uint64_t>(seed);
  spec.days = 30;
  spec.end_date = "2026-01-31";
  spec.enrichments = false;
  spec.truth = true;
  return spec;
}

// Real lead forms qualify roughly 5–30 % of their leads: so does every seed, at the
// requested share, and truth.csv (the generator's own P(qualified within the window))
// agrees with what the outcomes show.
TEST(DemoData, QualifiedShareIsRealisticForEverySeedAndMatchesTruth) {
  for (int seed = 1; seed <= 12; ++seed) {
    TempDir dir;
    generate_demo_data(dir.str(), month_of_leads(seed));
    const auto [rate, mean_truth] = positive_rate_and_mean_truth(dir.path());
    EXPECT_GT(rate, 0.05) << "seed " << seed;
    EXPECT_LT(rate, 0.30) << "seed " << seed;
    // The intercept is solved for the expected share; 6000 leads pin the rate to ±0.015.
    EXPECT_NEAR(rate, 0.15, 0.03) << "seed " << seed;
    EXPECT_NEAR(rate, mean_truth, 0.02) << "seed " << seed;
  }
}

TEST(DemoData, QualifiedShareIsAnOption) {
  for (double share : {0.05, 0.3}) {
    TempDir dir;
    DemoDataSpec spec = month_of_leads(7);
    spec.qualified_share = share;
    generate_demo_data(dir.str(), spec);
    const auto [rate, mean_truth] = positive_rate_and_mean_truth(dir.path());
    EXPECT_NEAR(rate, share, 0.25 * share) << "share " << share;
    EXPECT_NEAR(mean_truth, share, 0.15 * share) << "share " << share;
  }
}

TEST(DemoData, NoEnrichmentsWritesOnlyTheCoreFiles) {
  TempDir dir;
  DemoDataSpec spec = small_spec();
  spec.enrichments = false;
  spec.truth = false;
  const auto result = generate_demo_data(dir.str(), spec);
  EXPECT_EQ(listing(dir.path()),
            (std::set<std::string>{"ads.csv", "leads.csv", "outcomes.csv", "demo_data.json"}));
  EXPECT_EQ(result.files_written.size(), 3u);
  EXPECT_EQ(result.n_placement_rows, 0);
  EXPECT_EQ(result.n_geo_rows, 0);
}

TEST(DemoData, RefusesToOverwriteExistingFilesUnlessAsked) {
  TempDir dir;
  DemoDataSpec spec = small_spec();
  spec.truth = false;
  spec.enrichments = false;
  generate_demo_data(dir.str(), spec);
  const std::string before = read_file(dir.path() / "ads.csv");

  spec.seed = 99;
  EXPECT_THROW(generate_demo_data(dir.str(), spec), elv::Error);
  EXPECT_EQ(read_file(dir.path() / "ads.csv"), before);

  // A single clashing file is enough to refuse.
  TempDir other;
  fs::create_directories(other.path());
  std::ofstream(other.path() / "ad_creatives.csv") << "mine\n";
  EXPECT_THROW(generate_demo_data(other.str(), small_spec()), elv::Error);
  EXPECT_EQ(read_file(other.path() / "ad_creatives.csv"), "mine\n");

  spec.overwrite = true;
  generate_demo_data(dir.str(), spec);
  EXPECT_NE(read_file(dir.path() / "ads.csv"), before);
  EXPECT_EQ(listing(dir.path()),
            (std::set<std::string>{"ads.csv", "leads.csv", "outcomes.csv", "demo_data.json"}));
}

TEST(DemoData, OverwriteReplacesOnlyFilesAnEarlierDemoDataRecorded) {
  // Someone's own ads.csv, no demo_data.json: --overwrite must not replace it.
  TempDir mine;
  fs::create_directories(mine.path());
  std::ofstream(mine.path() / "ads.csv") << "mine\n";
  DemoDataSpec spec = small_spec();
  spec.overwrite = true;
  EXPECT_THROW(generate_demo_data(mine.str(), spec), elv::Error);
  EXPECT_EQ(listing(mine.path()), (std::set<std::string>{"ads.csv"}));
  EXPECT_EQ(read_file(mine.path() / "ads.csv"), "mine\n");

  // An earlier data set without truth.csv, then someone's truth.csv: not replaced either.
  TempDir dir;
  spec.truth = false;
  spec.overwrite = false;
  generate_demo_data(dir.str(), spec);
  std::ofstream(dir.path() / "truth.csv") << "mine\n";
  spec.truth = true;
  spec.overwrite = true;
  EXPECT_THROW(generate_demo_data(dir.str(), spec), elv::Error);
  EXPECT_EQ(read_file(dir.path() / "truth.csv"), "mine\n");
}

TEST(DemoData, OverwriteRemovesFilesOfTheEarlierDataSetItDoesNotWrite) {
  TempDir dir;
  generate_demo_data(dir.str(), small_spec());  // all eight files
  fs::create_directories(dir.path());
  std::ofstream(dir.path() / "notes.txt") << "keep me\n";
  DemoDataSpec spec = small_spec();
  spec.enrichments = false;
  spec.truth = false;
  spec.overwrite = true;
  generate_demo_data(dir.str(), spec);
  // A stale ads_geo.csv would no longer sum to the new ads.csv; files not ours stay.
  EXPECT_EQ(listing(dir.path()), (std::set<std::string>{"ads.csv", "leads.csv", "outcomes.csv",
                                                        "notes.txt", "demo_data.json"}));
}

TEST(DemoData, CreatesNestedOutputFolderAndLeavesNoTemporaries) {
  TempDir dir;
  const fs::path nested = dir.path() / "a" / "b";
  generate_demo_data(nested.string(), small_spec());
  const auto names = listing(nested);
  EXPECT_EQ(names.size(), kAllFiles.size() + 1);  // and demo_data.json
  for (const auto& name : names) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

TEST(DemoData, InvalidSpecsAreUsageErrors) {
  TempDir dir;
  auto expect_usage_error = [&](DemoDataSpec spec) {
    EXPECT_THROW(generate_demo_data(dir.str(), spec), elv::UsageError);
  };
  DemoDataSpec spec = small_spec();
  spec.days = 0;
  expect_usage_error(spec);
  spec = small_spec();
  spec.campaigns = -1;
  expect_usage_error(spec);
  spec = small_spec();
  spec.leads_per_day = 0;
  expect_usage_error(spec);
  for (const char* bad :
       {"2026-02-30", "2026-13-01", "26-01-01", "2026-1-01", "yesterday", "2026-01-01x"}) {
    spec = small_spec();
    spec.end_date = bad;
    expect_usage_error(spec);
  }
  spec = small_spec();
  spec.days = 10'000;
  spec.leads_per_day = 1'000'000;  // 10 billion leads
  expect_usage_error(spec);
  spec = small_spec();
  spec.campaigns = 1000;
  spec.adsets_per_campaign = 1000;
  spec.ads_per_adset = 1000;
  expect_usage_error(spec);
  spec = small_spec();
  spec.end_date = "1970-01-05";  // starts before the epoch
  expect_usage_error(spec);
  for (double share : {0.0, 0.005, 0.61, 1.0, std::nan("")}) {
    spec = small_spec();
    spec.qualified_share = share;
    expect_usage_error(spec);
  }
  EXPECT_FALSE(fs::exists(dir.path()));  // nothing is created for an invalid spec
}

TEST(DemoData, DefaultEndDateIsTodayUtc) {
  TempDir dir;
  DemoDataSpec spec;
  spec.days = 2;
  spec.campaigns = 1;
  spec.adsets_per_campaign = 1;
  spec.ads_per_adset = 1;
  spec.leads_per_day = 1;
  spec.enrichments = false;
  const auto result = generate_demo_data(dir.str(), spec);
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{today};
  char expected[16];
  std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  // A run that straddles midnight may see the next day; both are right.
  const auto tomorrow = std::chrono::year_month_day{today + std::chrono::days{1}};
  char alternative[16];
  std::snprintf(alternative, sizeof alternative, "%04d-%02u-%02u",
                static_cast<int>(tomorrow.year()), static_cast<unsigned>(tomorrow.month()),
                static_cast<unsigned>(tomorrow.day()));
  EXPECT_TRUE(result.end_date == expected || result.end_date == alternative) << result.end_date;
}

}  // namespace
}  // namespace elv::demo
