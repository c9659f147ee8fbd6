// contracts/discover.h: which file of a --data folder is which input, by name, then by
// header; the most specific role wins; ambiguity and missing inputs are refused.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "base/error.h"
#include "contracts/discover.h"

namespace elv::contracts {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> kinds(const HeaderRoles& r) {
  std::vector<std::string> out;
  for (const auto& m : r.matches) out.push_back(m.spec->kind);
  return out;
}

TEST(DiscoverHeaders, RequiredColumnsThroughTheAliasTable) {
  const HeaderRoles ads = header_roles(
      {"Day", "Campaign ID", "Ad ID", "Impressions", "Link clicks", "Amount spent (EUR)"});
  ASSERT_EQ(kinds(ads), std::vector<std::string>{"ads"});
  EXPECT_EQ(ads.matches[0].matched,
            (std::vector<std::string>{"date", "campaign_id", "impressions", "clicks", "spend"}));
  // "Reporting starts" stands for the date, as the loader reads it.
  EXPECT_EQ(kinds(header_roles(
                {"Reporting starts", "Campaign ID", "Impressions", "Clicks (all)", "Cost"})),
            std::vector<std::string>{"ads"});
  EXPECT_TRUE(header_roles({"foo", "bar"}).matches.empty());
  // One required column missing (clicks): not ads.
  EXPECT_TRUE(header_roles({"date", "campaign_id", "impressions", "spend"}).matches.empty());
}

TEST(DiscoverHeaders, MostSpecificRoleFirst) {
  // A placement breakdown that holds every ads column is still the breakdown.
  HeaderRoles r =
      header_roles({"date", "campaign_id", "ad_id", "placement", "impressions", "clicks", "spend"});
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"ads_placement", "ads"}));
  EXPECT_FALSE(r.best_is_tied);
  EXPECT_EQ(kinds(header_roles({"date", "ad_id", "placement", "spend"})),
            std::vector<std::string>{"ads_placement"});
  EXPECT_EQ(kinds(header_roles({"date", "ad_id", "country", "spend"})),
            std::vector<std::string>{"ads_geo"});
  // Meta's lead download names the lead id "id"; with an ad id it would also be a map.
  r = header_roles({"id", "created_time", "ad_id", "email"});
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"leads", "lead_to_ad_map"}));
  EXPECT_FALSE(r.best_is_tied);
  EXPECT_EQ(kinds(header_roles({"lead_id", "qualified_time"})),
            std::vector<std::string>{"outcomes"});
  EXPECT_EQ(kinds(header_roles({"lead_id", "adset_id"})),
            std::vector<std::string>{"lead_to_ad_map"});
  EXPECT_EQ(kinds(header_roles({"adset_id", "audience_keywords"})),
            std::vector<std::string>{"adset_targeting"});
  EXPECT_EQ(kinds(header_roles({"ad_id", "creative_type"})),
            std::vector<std::string>{"ad_creatives"});
}

TEST(DiscoverHeaders, TiesAreReported) {
  // Both breakdowns in one file, or leads and outcomes in one: neither is more specific.
  EXPECT_TRUE(header_roles({"date", "ad_id", "placement", "geo", "spend"}).best_is_tied);
  EXPECT_TRUE(header_roles({"lead_id", "created_time", "qualified_time"}).best_is_tied);
}

TEST(DiscoverHeaders, CrmPresetHeader) {
  const HeaderRoles r =
      header_roles({"lead_id", "Record ID", "Became a Sales Qualified Lead Date"});
  ASSERT_EQ(kinds(r), std::vector<std::string>{"outcomes"});
  EXPECT_EQ(r.matches[0].preset, "hubspot");
  EXPECT_EQ(r.matches[0].lead_id_header, "lead_id");
  EXPECT_EQ(header_roles({"Lead ID", "converted date"}).matches.at(0).preset, "salesforce");
  // Without a lead id column the alias table knows, the preset cannot be used.
  EXPECT_TRUE(header_roles({"Record ID", "Became a Sales Qualified Lead Date"}).matches.empty());
}

class DiscoverDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("elv_discover_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / name, std::ios::binary) << text;
    return (root_ / name).string();
  }
  std::string path_of(const DataDirInputs& d, const std::string& kind) {
    for (const auto& f : d.found)
      if (f.spec->kind == kind) return f.path;
    return "";
  }
  fs::path root_;
};

constexpr const char* kAdsHeader = "date,campaign_id,impressions,clicks,spend\n";

TEST_F(DiscoverDir, NamesFirstThenHeaders) {
  const std::string ads = write("ads.csv", kAdsHeader);
  // A UTF-16 TSV with a BOM, as Meta's lead download may be, named by the form.
  const std::string lead_text = "id\tcreated_time\tad_id\n1\t2026-01-01T00:00:00Z\t5\n";
  std::string utf16 = "\xFF\xFE";
  for (char c : lead_text) utf16 += std::string{c, '\0'};
  const std::string leads = write("My Form_leads_2026.tsv", utf16);
  const std::string outcomes = write("crm.txt", "sep=;\nLead ID;Qualified time\n");
  write("notes.md", "hello");
  write("export.csv.gz", "x");
  const std::string other = write("truth.csv", "lead_id,p_true\n");
  fs::create_directories(root_ / "old");

  const DataDirInputs d = discover_inputs(root_.string() + "/");
  EXPECT_EQ(d.dir, root_.string());
  EXPECT_EQ(path_of(d, "ads"), ads);
  EXPECT_EQ(path_of(d, "leads"), leads);
  EXPECT_EQ(path_of(d, "outcomes"), outcomes);
  ASSERT_EQ(d.found.size(), 3u);
  EXPECT_EQ(d.found[0].how, "by name");
  EXPECT_EQ(d.found[1].how, "by headers: lead_id, created_time");
  ASSERT_EQ(d.ignored.size(), 4u);  // name order: export.csv.gz, notes.md, old, truth.csv
  EXPECT_NE(d.ignored[0].reason.find("compressed"), std::string::npos);
  EXPECT_EQ(d.ignored[1].reason, "not a .csv, .tsv or .txt file");
  EXPECT_NE(d.ignored[2].reason.find("a folder"), std::string::npos);
  EXPECT_EQ(d.ignored[3].path, other);
  EXPECT_EQ(d.ignored[3].reason, "its header fits no input (columns: lead_id, p_true)");

  Config config;
  d.apply_to(config);
  EXPECT_EQ(config.paths.ads_path, ads);
  EXPECT_EQ(config.paths.leads_path, leads);
  EXPECT_EQ(config.paths.outcomes_path, outcomes);
  EXPECT_EQ(config.paths.ads_placement_path, "");
  EXPECT_EQ(d.describe().at(0), "data: ads = " + ads + " (by name)");
}

TEST_F(DiscoverDir, ANamedFileWinsOverHeaders) {
  write("ads.csv", kAdsHeader);
  const std::string leads = write("leads.csv", "lead_id,created_time\n");
  const std::string copy = write("leads (1).csv", "lead_id,created_time\n");
  const DataDirInputs d = discover_inputs(root_.string());
  EXPECT_EQ(path_of(d, "leads"), leads);
  ASSERT_EQ(d.ignored.size(), 1u);
  EXPECT_EQ(d.ignored[0].path, copy);
  EXPECT_EQ(d.ignored[0].reason, "its header fits leads.csv, but " + leads + " has that name");
}

TEST_F(DiscoverDir, TwoFilesForOneRoleAreRefused) {
  write("ads.csv", kAdsHeader);
  const std::string a = write("a.csv", "lead_id,created_time\n");
  const std::string b = write("b.tsv", "id\tcreated_time\n");
  try {
    discover_inputs(root_.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("two files could be leads.csv by their headers: " + a + " and " + b),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("--config"), std::string::npos) << what;
  }
  fs::remove(a);
  fs::remove(b);
  write("leads.csv", "lead_id,created_time\n");
  write("leads.txt", "lead_id,created_time\n");
  EXPECT_THROW(discover_inputs(root_.string()), Error);
}

TEST_F(DiscoverDir, AFileThatFitsTwoRolesIsRefused) {
  write("ads.csv", kAdsHeader);
  write("leads.csv", "lead_id,created_time\n");
  const std::string both = write("breakdown.csv", "date,ad_id,placement,geo,spend\n");
  try {
    discover_inputs(root_.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), both +
                                         ": its header fits both ads_placement.csv and "
                                         "ads_geo.csv; rename it to the one it is, or use "
                                         "--config");
  }
}

TEST_F(DiscoverDir, MissingInputsAreNamed) {
  write("leads.csv", "lead_id,created_time\n");
  try {
    discover_inputs(root_.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "no ads file: looked for ads.csv, ads.tsv or ads.txt, or a .csv, .tsv or .txt file "
              "whose header holds date, campaign_id, impressions, clicks, spend");
    EXPECT_EQ(e.file(), root_.string());
  }
  EXPECT_THROW(discover_inputs((root_ / "nope").string()), Error);
}

TEST_F(DiscoverDir, CrmPresetSetsTheOutcomesSection) {
  write("ads.csv", kAdsHeader);
  write("leads.csv", "lead_id,created_time\n");
  const std::string crm =
      write("hubspot-contacts.csv", "Record ID,Lead ID,Became a Sales Qualified Lead Date\n");
  const DataDirInputs d = discover_inputs(root_.string());
  EXPECT_EQ(path_of(d, "outcomes"), crm);
  Config config;
  d.apply_to(config);
  EXPECT_EQ(config.outcomes.preset, "hubspot");
  EXPECT_EQ(config.outcomes.lead_id_column, "Lead ID");
  EXPECT_EQ(config.outcomes.qualified_time_column, "Became a Sales Qualified Lead Date");
  // The effective config written back loads as the same config (the run's config.yaml).
  EXPECT_EQ(parse_config(to_yaml(config), "/").outcomes, config.outcomes);
}

}  // namespace
}  // namespace elv::contracts
