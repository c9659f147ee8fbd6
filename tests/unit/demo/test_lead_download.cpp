// Tests of `elv demo-data --lead-form`: lead_download.csv, the leads as Meta's "Download
// leads" CSV, with form answers that depend on the outcome and fake contact columns.
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/error.h"
#include "demo/generator.h"
#include "demo_test_util.h"

namespace elv::demo {
namespace {

namespace fs = std::filesystem;

using test_util::read_file;
using test_util::read_lines;
using test_util::TempDir;

// Splits a line without quoted fields, keeping empty cells (a trailing one too).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

std::vector<std::vector<std::string>> read_rows(const fs::path& path) {
  const auto lines = read_lines(path);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 1; i < lines.size(); ++i) rows.push_back(split(lines[i]));
  return rows;
}

const std::string kHeader =
    "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,"
    "form_name,is_organic,platform,what_is_your_budget?,when_do_you_want_to_start?,"
    "how_many_employees?,full_name,email,phone_number,city";
enum Col {
  kId,
  kCreated,
  kAdId,
  kAdName,
  kAdsetId,
  kAdsetName,
  kCampaignId,
  kCampaignName,
  kFormId,
  kFormName,
  kOrganic,
  kPlatform,
  kBudget,
  kStart,
  kEmployees,
  kFullName,
  kEmail,
  kPhone,
  kCity,
  kNCols
};

DemoDataSpec lead_form_spec() {
  DemoDataSpec spec;
  spec.days = 20;
  spec.end_date = "2026-01-31";
  spec.campaigns = 3;
  spec.adsets_per_campaign = 2;
  spec.ads_per_adset = 3;
  spec.leads_per_day = 300;
  spec.lead_form = true;
  return spec;
}

// The data set of lead_form_spec(), generated once for the tests that only read it.
class LeadDownloadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    generate_demo_data(dir_->str(), lead_form_spec());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path file(const std::string& name) { return dir_->path() / name; }
  static TempDir* dir_;
};
TempDir* LeadDownloadTest::dir_ = nullptr;

TEST_F(LeadDownloadTest, HeaderIsMetasLayoutAndFileIsListed) {
  const auto lines = read_lines(file("lead_download.csv"));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], kHeader);
  EXPECT_EQ(split(kHeader).size(), size_t{kNCols});
  for (size_t i = 1; i < lines.size(); ++i)
    ASSERT_EQ(split(lines[i]).size(), size_t{kNCols}) << "line " << i + 1 << ": " << lines[i];
  const auto names = demo_data_file_names(lead_form_spec());
  EXPECT_EQ(names.back(), "lead_download.csv");
  EXPECT_NE(read_file(file("demo_data.json")).find("\"lead_download.csv\""), std::string::npos);
  EXPECT_FALSE(fs::exists(file("lead_download.csv.tmp")));
}

TEST_F(LeadDownloadTest, IdsAndTimesMatchLeadsCsvWithMetasPrefixesAndOffset) {
  const auto leads = read_rows(file("leads.csv"));
  const auto download = read_rows(file("lead_download.csv"));
  ASSERT_EQ(download.size(), leads.size());
  ASSERT_EQ(leads.size(), size_t{20 * 300});
  for (size_t i = 0; i < leads.size(); ++i) {
    const auto& l = leads[i];  // lead_id,created_time,campaign_id,campaign_name,adset_id,...
    const auto& d = download[i];
    ASSERT_EQ(d[kId], "l:" + l[0]) << "row " << i;
    // "2026-01-02T03:04:05+00:00" in leads.csv, "2026-01-02T03:04:05+0000" here.
    ASSERT_EQ(d[kCreated], l[1].substr(0, 19) + "+0000") << "row " << i;
    const std::string& campaign = l[2];
    EXPECT_EQ(d[kFormId], "f:form_" + campaign.substr(4));
    EXPECT_EQ(d[kFormName], "Lead Form " + campaign.substr(5));
    EXPECT_TRUE(d[kPlatform] == "fb" || d[kPlatform] == "ig") << d[kPlatform];
    if (d[kOrganic] == "0") {
      EXPECT_EQ(d[kAdId], "ag:" + l[6]);
      EXPECT_EQ(d[kAdName], l[7]);
      EXPECT_EQ(d[kAdsetId], "as:" + l[4]);
      EXPECT_EQ(d[kAdsetName], l[5]);
      EXPECT_EQ(d[kCampaignId], "c:" + l[2]);
      EXPECT_EQ(d[kCampaignName], l[3]);
    }
  }
}

TEST_F(LeadDownloadTest, AboutThreePercentAreOrganicWithEmptyAdFields) {
  const auto download = read_rows(file("lead_download.csv"));
  size_t organic = 0, facebook = 0;
  for (const auto& d : download) {
    ASSERT_TRUE(d[kOrganic] == "0" || d[kOrganic] == "1") << d[kOrganic];
    if (d[kPlatform] == "fb") ++facebook;
    if (d[kOrganic] != "1") continue;
    ++organic;
    for (int c : {kAdId, kAdName, kAdsetId, kAdsetName, kCampaignId, kCampaignName})
      EXPECT_EQ(d[static_cast<size_t>(c)], "") << d[kId];
    EXPECT_FALSE(d[kFormId].empty());
  }
  const double n = static_cast<double>(download.size());
  EXPECT_NEAR(static_cast<double>(organic) / n, 0.03, 0.008);  // 6000 leads: sd 0.0022
  EXPECT_NEAR(static_cast<double>(facebook) / n, 0.65, 0.03);
}

TEST_F(LeadDownloadTest, AnswersTakeTheirValuesAndCarrySignalAboutTheOutcome) {
  const auto download = read_rows(file("lead_download.csv"));
  const auto outcomes = read_rows(file("outcomes.csv"));
  ASSERT_EQ(outcomes.size(), download.size());
  const std::set<std::string> budgets = {"under_1000", "1000_to_5000", "over_5000", ""};
  const std::set<std::string> starts = {"this_month", "in_3_months", "just_looking", ""};
  const std::regex integer("[1-9][0-9]*");
  // answer -> (leads, qualified)
  std::map<std::string, std::pair<int, int>> by_budget, by_start;
  double employees_sum[2] = {0, 0}, employees_n[2] = {0, 0};
  int empty = 0;
  for (size_t i = 0; i < download.size(); ++i) {
    const auto& d = download[i];
    ASSERT_EQ(d[kId], "l:" + outcomes[i][0]);
    const bool qualified = !outcomes[i][1].empty();
    ASSERT_TRUE(budgets.count(d[kBudget])) << d[kBudget];
    ASSERT_TRUE(starts.count(d[kStart])) << d[kStart];
    for (int c : {kBudget, kStart, kEmployees}) empty += d[static_cast<size_t>(c)].empty();
    auto& b = by_budget[d[kBudget]];
    ++b.first;
    b.second += qualified;
    auto& s = by_start[d[kStart]];
    ++s.first;
    s.second += qualified;
    if (d[kEmployees].empty()) continue;
    ASSERT_TRUE(std::regex_match(d[kEmployees], integer)) << d[kEmployees];
    employees_sum[qualified] += std::log(std::stod(d[kEmployees]));
    employees_n[qualified] += 1;
  }
  auto rate = [](const std::pair<int, int>& p) { return double(p.second) / double(p.first); };
  // Qualified share by answer: over_5000 well above under_1000, this_month above just_looking.
  EXPECT_GE(rate(by_budget["over_5000"]) - rate(by_budget["under_1000"]), 0.15);
  EXPECT_GE(rate(by_start["this_month"]) - rate(by_start["just_looking"]), 0.10);
  // Qualified leads have more employees (log medians 8 and 25: a gap of 1.14).
  EXPECT_GE(employees_sum[1] / employees_n[1] - employees_sum[0] / employees_n[0], 0.8);
  // ~2 % of answers left empty.
  EXPECT_NEAR(empty / (3.0 * static_cast<double>(download.size())), 0.02, 0.006);
}

TEST_F(LeadDownloadTest, ContactColumnsAreObviouslyFake) {
  const auto download = read_rows(file("lead_download.csv"));
  const std::set<std::string> cities = {"Austin", "Chicago", "Denver",
                                        "Miami",  "Phoenix", "Seattle"};
  const std::regex phone(R"(\+1 [0-9]{3} 555 01[0-9]{2})");
  for (size_t i = 0; i < download.size(); ++i) {
    const auto& d = download[i];
    const std::string seq =
        std::to_string(std::stoll(d[kId].substr(std::string("l:lead_").size())));
    ASSERT_EQ(d[kFullName], "Demo Lead " + seq);
    ASSERT_EQ(d[kEmail], "lead" + seq + "@example.com");
    ASSERT_TRUE(std::regex_match(d[kPhone], phone)) << d[kPhone];
    ASSERT_TRUE(cities.count(d[kCity])) << d[kCity];
  }
  EXPECT_EQ(download[0][kFullName], "Demo Lead 0");
  EXPECT_EQ(download[0][kEmail], "lead0@example.com");
}

TEST(LeadDownload, OtherFilesAreByteIdenticalWithAndWithoutTheFlag) {
  TempDir with, without;
  DemoDataSpec spec = lead_form_spec();
  spec.truth = true;
  generate_demo_data(with.str(), spec);
  spec.lead_form = false;
  generate_demo_data(without.str(), spec);
  const auto names = demo_data_file_names(spec);
  EXPECT_EQ(names.size(), 8u);
  for (const auto& name : names)
    EXPECT_EQ(read_file(with.path() / name), read_file(without.path() / name)) << name;
  EXPECT_FALSE(fs::exists(without.path() / "lead_download.csv"));
}

TEST(LeadDownload, SameSpecGivesIdenticalBytesOnOneAndTwoThreads) {
  TempDir one, two;
  DemoDataSpec spec = lead_form_spec();
  spec.days = 9;  // more days than the two threads' window of 8 in flight
  spec.threads = 1;
  generate_demo_data(one.str(), spec);
  spec.threads = 2;
  generate_demo_data(two.str(), spec);
  const std::string a = read_file(one.path() / "lead_download.csv");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, read_file(two.path() / "lead_download.csv"));
}

TEST(LeadDownload, RefusesAForeignFileOfThatNameAndOverwriteRemovesItsOwn) {
  TempDir dir;
  fs::create_directories(dir.path());
  { std::ofstream(dir.path() / "lead_download.csv") << "mine\n"; }
  EXPECT_THROW(generate_demo_data(dir.str(), lead_form_spec()), Error);
  DemoDataSpec spec = lead_form_spec();
  spec.overwrite = true;
  EXPECT_THROW(generate_demo_data(dir.str(), spec), Error);  // not listed in any demo_data.json
  EXPECT_EQ(read_file(dir.path() / "lead_download.csv"), "mine\n");

  TempDir ours;
  generate_demo_data(ours.str(), lead_form_spec());
  ASSERT_TRUE(fs::exists(ours.path() / "lead_download.csv"));
  spec.lead_form = false;
  generate_demo_data(ours.str(), spec);  // an earlier data set's file this run does not write
  EXPECT_FALSE(fs::exists(ours.path() / "lead_download.csv"));
}

}  // namespace
}  // namespace elv::demo
