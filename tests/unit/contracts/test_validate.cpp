#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/config.h"
#include "contracts/checks.h"
#include "contracts/validate.h"

namespace elv::contracts {
namespace {

namespace fs = std::filesystem;

// A clean data set: two ads over three days, three leads that all match ads.csv, outcomes
// for two of them. Each test breaks one thing.
const char* kAds =
    "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,spend\n"
    "2026-06-01,100000000000001,Camp A,200000000000001,Set A,300000000000001,Ad 1,1000,20,15.5\n"
    "2026-06-01,100000000000001,Camp A,200000000000001,Set A,300000000000002,Ad 2,800,10,9.25\n"
    "2026-06-02,100000000000001,Camp A,200000000000001,Set A,300000000000001,Ad 1,1100,25,16\n"
    "2026-06-02,100000000000001,Camp A,200000000000001,Set A,300000000000002,Ad 2,700,8,8\n"
    "2026-06-03,100000000000001,Camp A,200000000000001,Set A,300000000000001,Ad 1,900,12,11\n";

const char* kLeads =
    "lead_id,created_time,ad_id\n"
    "900000000000001,2026-06-02T10:00:00Z,300000000000001\n"
    "900000000000002,2026-06-02T11:30:00+02:00,300000000000002\n"
    "900000000000003,2026-06-03T09:00:00Z,300000000000001\n";

const char* kOutcomes =
    "lead_id,qualified_time\n"
    "900000000000001,2026-06-04T10:00:00Z\n"
    "900000000000002,\n";

class ValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("elv_validate_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    files_ = {{"ads_path", {"ads.csv", kAds}},
              {"leads_path", {"leads.csv", kLeads}},
              {"outcomes_path", {"outcomes.csv", kOutcomes}}};
  }
  void TearDown() override { fs::remove_all(dir_); }

  void set_file(const std::string& key, const std::string& name, const std::string& content) {
    files_[key] = {name, content};
  }
  void drop_file(const std::string& key) { files_.erase(key); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes the files and a config.yaml that names them (relative paths), then validates.
  // extra_paths: config entries whose files are not written (e.g. a missing file).
  ValidationReport run(const std::map<std::string, std::string>& extra_paths = {}) {
    std::string yaml = "schema_version: 1\npaths:\n";
    for (const auto& [key, file] : files_) {
      std::ofstream(dir_ / file.first, std::ios::binary) << file.second;
      yaml += "  " + key + ": " + file.first + "\n";
    }
    for (const auto& [key, name] : extra_paths) yaml += "  " + key + ": " + name + "\n";
    std::ofstream(dir_ / "config.yaml") << yaml;
    return validate(load_config((dir_ / "config.yaml").string()), 1);
  }

  fs::path dir_;
  std::map<std::string, std::pair<std::string, std::string>> files_;  // key -> (name, content)
};

std::vector<Finding> of(const ValidationReport& r, Severity s) {
  std::vector<Finding> out;
  for (const auto& f : r.findings)
    if (f.severity == s) out.push_back(f);
  return out;
}

// The finding of this severity about this column, if any.
std::optional<Finding> find(const ValidationReport& r, Severity s, const std::string& column) {
  for (const auto& f : r.findings)
    if (f.severity == s && f.column == column) return f;
  return std::nullopt;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string dump(const ValidationReport& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += f.file + " | " + f.column + " | " + std::to_string(f.line) + " | " + f.message + "\n";
  return out;
}

// ---- the clean case -------------------------------------------------------------------

TEST_F(ValidateTest, CleanFilesAreUsableWithoutErrors) {
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_EQ(r.count(Severity::Error), 0) << dump(r);
  EXPECT_EQ(r.count(Severity::Warning), 0) << dump(r);
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_EQ(r.files[0].kind, "ads");
  EXPECT_EQ(r.files[0].rows, 5);
  EXPECT_EQ(r.files[0].date_min, "2026-06-01");
  EXPECT_EQ(r.files[0].date_max, "2026-06-03");
  EXPECT_EQ(r.files[1].kind, "leads");
  EXPECT_EQ(r.files[1].columns, (std::vector<std::string>{"lead_id", "created_time", "ad_id"}));
  EXPECT_EQ(r.files[1].date_min, "2026-06-02T09:30:00+00:00");
  EXPECT_EQ(r.files[2].kind, "outcomes");
  EXPECT_DOUBLE_EQ(r.files[2].null_pct.at("qualified_time"), 50.0);
  EXPECT_DOUBLE_EQ(r.coverage.at("leads_in_ads"), 1.0);
  EXPECT_DOUBLE_EQ(r.coverage.at("outcomes_in_leads"), 1.0);
}

TEST_F(ValidateTest, JsonHasTheDocumentedShape) {
  const nlohmann::json j = to_json(run());
  EXPECT_EQ(j.at("ok"), true);
  EXPECT_TRUE(j.at("errors").is_array());
  EXPECT_TRUE(j.at("warnings").is_array());
  ASSERT_EQ(j.at("files").size(), 3u);
  EXPECT_EQ(j.at("files")[0].at("rows"), 5);
  EXPECT_EQ(j.at("files")[0].at("kind"), "ads");
  EXPECT_DOUBLE_EQ(j.at("coverage").at("leads_in_ads").get<double>(), 1.0);
}

TEST_F(ValidateTest, TextReportListsErrorsThenWarningsThenFiles) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n900000000000001,2026-06-02T10:00:00Z,999\n");
  set_file(
      "ads_path", "ads.csv",
      "date,campaign_id,ad_id,impressions,clicks,spend\n2026-06-01,1,300000000000001,ten,1,-1\n");
  const std::string text = render_text(run());
  const auto errors = text.find("Errors"), warnings = text.find("Warnings"),
             files = text.find("Files");
  ASSERT_NE(errors, std::string::npos) << text;
  ASSERT_NE(warnings, std::string::npos) << text;
  ASSERT_NE(files, std::string::npos) << text;
  EXPECT_LT(errors, warnings);
  EXPECT_LT(warnings, files);
  // The file's only row: leaving it out would leave no file (contracts/row_policy.h).
  EXPECT_NE(text.find("ads.csv:2: column 'impressions': 1 row with an unreadable number in "
                      "impressions (ads.csv line 2, column impressions): too many to leave out"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ads.csv:2: column 'spend': 1 negative spend value"), std::string::npos)
      << text;
  EXPECT_NE(text.find("NOT usable"), std::string::npos) << text;
  EXPECT_LT(text.find("unreadable number"), text.find("negative spend"));
}

// ---- configuration and file-level errors ------------------------------------------------

TEST_F(ValidateTest, MissingFileIsAnError) {
  drop_file("outcomes_path");
  const ValidationReport r = run({{"outcomes_path", "nothing.csv"}});
  EXPECT_FALSE(r.usable());
  const auto errors = of(r, Severity::Error);
  ASSERT_EQ(errors.size(), 1u) << dump(r);
  EXPECT_TRUE(ends_with(errors[0].file, "nothing.csv")) << errors[0].file;
  EXPECT_NE(errors[0].message.find("file not found"), std::string::npos);
  EXPECT_NE(errors[0].message.find("paths.outcomes_path"), std::string::npos);
}

TEST_F(ValidateTest, LeadsPathNotConfiguredIsAnError) {
  drop_file("leads_path");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  EXPECT_NE(
      dump(r).find("no leads file was given: elv needs the leads export (leads.csv; in a config, "
                   "paths.leads_path)"),
      std::string::npos)
      << dump(r);
}

TEST_F(ValidateTest, OutcomesNotConfiguredIsOnlyAWarning) {
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto w = find(r, Severity::Warning, "");
  ASSERT_TRUE(w) << dump(r);
  EXPECT_NE(w->message.find("no outcomes file: no lead has a known result"), std::string::npos)
      << w->message;
}

TEST_F(ValidateTest, MissingRequiredColumnSpendIsAnError) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks\n"
           "2026-06-01,100000000000001,300000000000001,1000,20\n"
           "2026-06-02,100000000000001,300000000000002,1000,20\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto f = find(r, Severity::Error, "spend");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->message, "missing required column 'spend'");
  EXPECT_TRUE(ends_with(f->file, "ads.csv"));
}

TEST_F(ValidateTest, EveryMissingRequiredColumnIsReported) {
  set_file("ads_path", "ads.csv", "date,campaign_id,ad_id\n2026-06-01,1,300000000000001\n");
  const ValidationReport r = run();
  for (const char* column : {"impressions", "clicks", "spend"})
    EXPECT_TRUE(find(r, Severity::Error, column)) << column << "\n" << dump(r);
}

TEST_F(ValidateTest, LoadFailureBecomesAFindingAndOtherFilesAreStillChecked) {
  // A ragged row: the loader throws; the outcomes defect must still be found.
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n900000000000001,2026-06-02T10:00:00Z\n");
  set_file("outcomes_path", "outcomes.csv", "lead_id,qualified_time\n900000000000001,not a time\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto errors = of(r, Severity::Error);
  const bool leads_error = std::any_of(errors.begin(), errors.end(), [](const Finding& f) {
    return ends_with(f.file, "leads.csv") && f.line == 2;
  });
  EXPECT_TRUE(leads_error) << dump(r);
  // Every qualified_time unreadable: the column's format is wrong, an error (one stray cell
  // would be a warning, its lead unknown).
  EXPECT_TRUE(find(r, Severity::Error, "qualified_time")) << dump(r);
}

TEST_F(ValidateTest, EmptyFileIsAnError) {
  set_file("outcomes_path", "outcomes.csv", "");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto errors = of(r, Severity::Error);
  ASSERT_EQ(errors.size(), 1u) << dump(r);
  EXPECT_TRUE(ends_with(errors[0].file, "outcomes.csv"));
}

// ---- values -----------------------------------------------------------------------------

// Unreadable values follow the one rule of contracts/row_policy.h: up to 1 % of a file's rows
// (at least 1) are left out with a warning; more refuse the file.
TEST_F(ValidateTest, UnparseableNumbersAboveTheToleranceAreAnError) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000002,lots,20,1\n"
           "2026-06-02,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-02,100000000000001,300000000000002,n/a,20,1\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto f = find(r, Severity::Error, "impressions");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
  EXPECT_EQ(f->message,
            "2 rows with an unreadable number in impressions (ads.csv lines 3, 5, column "
            "impressions): too many to leave out (elv leaves out at most 1 % of a file's rows, at "
            "least 1 and at most 1000: here 1 of 4), so the file is refused; not a number (e.g. "
            "'lots'): remove currency symbols and units; csv.decimal sets the decimal mark");
}

TEST_F(ValidateTest, OneUnparseableNumberLeavesItsDailyRowOut) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000002,1000,20,$1\n"
           "2026-06-02,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-02,100000000000001,300000000000002,1000,20,1\n");
  InputFiles inputs;
  const ValidationReport r = [&] {
    run();  // writes the files and config
    return validate(load_config((dir_ / "config.yaml").string()), 1, &inputs);
  }();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "spend");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->message,
            "1 row with an unreadable number in spend will be left out (none of its metrics are "
            "counted) (ads.csv line 3, column spend); not a number (e.g. '$1'): remove currency "
            "symbols and units; csv.decimal sets the decimal mark");
  ASSERT_TRUE(inputs.get("ads"));
  EXPECT_EQ(inputs.get("ads")->n_rows, 3);
  EXPECT_EQ(inputs.get("ads")->lines, (std::vector<int64_t>{2, 4, 5}));
  EXPECT_EQ(inputs.get("ads")->issues.at("spend").nulls, 0);  // the row left out is not a gap
}

// A lead whose created_time cannot be read is left out, in validate and in the pipelines.
TEST_F(ValidateTest, UnparseableTimestampLeavesItsLeadOutWithAWarning) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001\n"
           "900000000000002,02/03/2026,300000000000002\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "created_time");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
  EXPECT_EQ(f->message,
            "1 lead with an unreadable created_time will be left out (leads.csv line 3, column "
            "created_time); expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z");
}

TEST_F(ValidateTest, UnparseableAdsDatesAboveTheToleranceAreAnError) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,1,300000000000001,10,1,1\n"
           "2026-02-30,1,300000000000001,10,1,1\n"
           "2026-06-31,1,300000000000001,10,1,1\n");
  const auto f = find(run(), Severity::Error, "date");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->line, 3);
  EXPECT_NE(f->message.find("2 rows with an unreadable date"), std::string::npos) << f->message;
}

TEST_F(ValidateTest, NegativeSpendIsKeptAsACreditWithAWarning) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000002,1000,20,2\n"
           "2026-06-02,100000000000001,300000000000001,1000,20,-5\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "spend");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 4);
  EXPECT_EQ(f->message.rfind(
                "1 negative spend value (at line 4) (refunds or adjustments?): kept as credits", 0),
            0u)
      << f->message;
}

TEST_F(ValidateTest, ClicksAboveImpressionsAreTreatedAsUnknownWithAWarning) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,10,50,1\n"
           "2026-06-02,100000000000001,300000000000002,1000,20,2\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "clicks");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 2);
  EXPECT_NE(f->message.find(
                "more clicks than impressions (at line 2): those clicks are treated as empty"),
            std::string::npos)
      << f->message;
}

TEST_F(ValidateTest, ClicksAboveImpressionsInABreakdownIsOnlyAWarning) {
  // Breakdown features use spend only, so the table is not corrupted.
  set_file("ads_placement_path", "ads_placement.csv",
           "date,ad_id,placement,impressions,clicks,spend\n"
           "2026-06-01,300000000000001,feed,0,1,0.5\n"
           "2026-06-01,300000000000002,feed,10,1,0.5\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "clicks");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 2);
  EXPECT_TRUE(ends_with(f->file, "ads_placement.csv"));
}

TEST_F(ValidateTest, ScientificNotationIdInLeadsIsAnError) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00Z,3.00000E+14\n"
           "900000000000002,2026-06-02T11:00:00Z,300000000000002\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto f = find(r, Severity::Error, "ad_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 2);
  EXPECT_TRUE(ends_with(f->file, "leads.csv"));
  EXPECT_NE(f->message.find("1 ID in scientific notation (e.g. 3.00000E+14)"), std::string::npos)
      << f->message;
  EXPECT_NE(f->message.find("re-export the column as text"), std::string::npos);
}

TEST_F(ValidateTest, EmptyRequiredCellsAreAWarningWithPercent) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001\n"
           "900000000000002,,300000000000002\n"
           "900000000000003,2026-06-02T10:00:00Z,300000000000001\n"
           "900000000000004,2026-06-02T10:00:00Z,300000000000001\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "created_time");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
  EXPECT_NE(f->message.find("25.0 %"), std::string::npos) << f->message;
}

// ---- duplicates -------------------------------------------------------------------------

// One row is chosen, and the warning says which.
TEST_F(ValidateTest, DuplicateLeadIdInLeadsIsAWarningNamingTheRowUsed) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001\n"
           "900000000000002,2026-06-02T11:00:00Z,300000000000002\n"
           "900000000000001,2026-06-02T12:00:00Z,300000000000002\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "lead_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_TRUE(ends_with(f->file, "leads.csv"));
  EXPECT_EQ(f->line, 4);
  EXPECT_NE(f->message.find("1 duplicate lead_id value"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("first at line 4, duplicate of line 2); the first row is used"),
            std::string::npos);
}

TEST_F(ValidateTest, DuplicateLeadIdInOutcomesIsAWarningTheEarliestCounts) {
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\n"
           "900000000000001,2026-06-04T10:00:00Z\n"
           "900000000000002,\n"
           "900000000000001,2026-06-05T10:00:00Z\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "lead_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_TRUE(ends_with(f->file, "outcomes.csv"));
  EXPECT_EQ(f->line, 4);
  EXPECT_NE(f->message.find("duplicate of line 2); the earliest qualified_time counts"),
            std::string::npos);
}

TEST_F(ValidateTest, OutcomeIdsThatMatchOnlyLooselyAreAnErrorWithTheFirstExample) {
  // A CRM that respelled the IDs: one outcome as written, two with a prefix and in capitals.
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\n"
           "900000000000001,2026-06-04T10:00:00Z\n"
           "LEAD-900000000000003,2026-06-04T11:00:00Z\n"
           "LEAD-900000000000002,\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Error, "lead_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_TRUE(ends_with(f->file, "outcomes.csv"));
  EXPECT_NE(f->message.find("only 33.3 % of outcome lead_ids match leads.csv as written, but "
                            "100.0 % match when letter case and prefixes are ignored (e.g. "
                            "'LEAD-900000000000003' and '900000000000003')"),
            std::string::npos)
      << f->message;
}

TEST_F(ValidateTest, OutcomeIdsThatMostlyMatchExactlyAreNotComparedLoosely) {
  // Nine of ten as written: the loose comparison is not made, whatever the tenth is.
  std::string leads = "lead_id,created_time,ad_id\n", outcomes = "lead_id,qualified_time\n";
  for (int i = 1; i <= 10; ++i) {
    const std::string id = std::to_string(900000000000000 + i);
    leads += id + ",2026-06-02T10:00:00Z,300000000000001\n";
    outcomes += (i == 10 ? "LEAD-" + id : id) + ",\n";
  }
  set_file("leads_path", "leads.csv", leads);
  set_file("outcomes_path", "outcomes.csv", outcomes);
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
}

TEST_F(ValidateTest, ExactlyRepeatedOutcomeRowIsOnlyAWarning) {
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\n"
           "900000000000001,2026-06-04T10:00:00Z\n"
           "900000000000001,2026-06-04T10:00:00Z\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "lead_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
}

TEST_F(ValidateTest, DuplicateDateAndAdIdInAdsIsAnError) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-02,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000002,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto f = find(r, Severity::Error, "date+ad_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 5);
  EXPECT_NE(f->message.find("duplicate of line 2"), std::string::npos) << f->message;
}

TEST_F(ValidateTest, AdsWithoutAdIdAreUniqueByDateAndAdset) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,adset_id,impressions,clicks,spend\n"
           "2026-06-01,1,200000000000001,1000,20,1\n"
           "2026-06-01,1,200000000000001,1000,20,1\n");
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,adset_id\n900000000000001,2026-06-02T10:00:00Z,200000000000001\n");
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_TRUE(find(r, Severity::Error, "date+adset_id")) << dump(r);
}

// ---- joins and coverage -----------------------------------------------------------------

TEST_F(ValidateTest, LowMatchRateIsAWarning) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001\n"
           "900000000000002,2026-06-02T11:00:00Z,399999999999999\n"
           "900000000000003,2026-06-02T12:00:00Z,399999999999998\n");
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "ad_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
  EXPECT_NE(f->message.find("33.3 %"), std::string::npos) << f->message;
  EXPECT_NEAR(r.coverage.at("leads_in_ads"), 1.0 / 3.0, 1e-12);
}

TEST_F(ValidateTest, LeadFallsBackToCampaignWhenItsAdIsUnknown) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id,campaign_id\n"
           "900000000000001,2026-06-02T10:00:00Z,399999999999999,100000000000001\n");
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_DOUBLE_EQ(r.coverage.at("leads_in_ads"), 1.0) << dump(r);
}

TEST_F(ValidateTest, LeadsMatchByCampaignNameWhenTheyHaveOnlyNames) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,campaign_name\n"
           "900000000000001,2026-06-02T10:00:00Z,Camp A\n"
           "900000000000002,2026-06-02T10:00:00Z,Camp Z\n");
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_DOUBLE_EQ(r.coverage.at("leads_in_ads"), 0.5);
  EXPECT_TRUE(find(r, Severity::Warning, "campaign_name")) << dump(r);
}

TEST_F(ValidateTest, LeadsWithoutAnyJoinKeyAreAnError) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time\n900000000000001,2026-06-02T10:00:00Z\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto f = find(r, Severity::Error, "ad_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_TRUE(ends_with(f->file, "leads.csv"));
}

TEST_F(ValidateTest, LeadToAdMapSuppliesTheJoinKey) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time\n"
           "900000000000001,2026-06-02T10:00:00Z\n"
           "900000000000002,2026-06-02T10:00:00Z\n");
  set_file("lead_to_ad_map_path", "map.csv",
           "lead_id,ad_id\n900000000000001,300000000000001\n900000000000002,300000000000002\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_DOUBLE_EQ(r.coverage.at("leads_in_ads"), 1.0);
  EXPECT_DOUBLE_EQ(r.coverage.at("leads_in_map"), 1.0);
}

TEST_F(ValidateTest, OutcomesForUnknownLeadsAreAWarning) {
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\n"
           "900000000000001,2026-06-04T10:00:00Z\n"
           "900000000000077,2026-06-04T10:00:00Z\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "lead_id");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 3);
  EXPECT_NE(f->message.find("1 outcome refers to unknown leads"), std::string::npos);
  EXPECT_DOUBLE_EQ(r.coverage.at("outcomes_in_leads"), 0.5);
}

TEST_F(ValidateTest, QualifiedBeforeCreatedIsAWarning) {
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\n"
           "900000000000001,2026-06-01T10:00:00Z\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "qualified_time");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_EQ(f->line, 2);
}

TEST_F(ValidateTest, AdsCoveringASingleDayIsAWarning) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-01,100000000000001,300000000000002,1000,20,1\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_TRUE(find(r, Severity::Warning, "date")) << dump(r);
}

TEST_F(ValidateTest, LowEnrichmentCoverageIsAWarningAndAlwaysReported) {
  set_file("ad_creatives_path", "ad_creatives.csv", "ad_id,creative_type\n300000000000001,video\n");
  set_file("adset_targeting_path", "adset_targeting.csv",
           "adset_id,audience_keywords\n200000000000001,\"crm, small business\"\n");
  set_file("ads_placement_path", "ads_placement.csv",
           "date,ad_id,placement,impressions,clicks,spend\n"
           "2026-06-01,300000000000099,feed,10,1,1\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_DOUBLE_EQ(r.coverage.at("ad_creatives"), 0.5);
  EXPECT_DOUBLE_EQ(r.coverage.at("adset_targeting"), 1.0);
  EXPECT_DOUBLE_EQ(r.coverage.at("ads_placement"), 0.0);
  const auto warnings = of(r, Severity::Warning);
  ASSERT_EQ(warnings.size(), 1u) << dump(r);
  EXPECT_TRUE(ends_with(warnings[0].file, "ads_placement.csv"));
  EXPECT_EQ(warnings[0].column, "ad_id");
}

TEST_F(ValidateTest, DuplicatePlacementRowsAreAnError) {
  set_file("ads_placement_path", "ads_placement.csv",
           "date,ad_id,placement,impressions,clicks,spend\n"
           "2026-06-01,300000000000001,feed,10,1,1\n"
           "2026-06-01,300000000000001,feed,10,1,1\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  EXPECT_TRUE(find(r, Severity::Error, "date+ad_id+placement")) << dump(r);
}

// ---- renames and privacy ----------------------------------------------------------------

TEST_F(ValidateTest, RenamedColumnIsAWarning) {
  set_file("ads_path", "ads.csv",
           "Day,Campaign ID,Ad ID,Impressions,Link clicks,Amount spent (USD)\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,1\n"
           "2026-06-02,100000000000001,300000000000002,1000,20,1\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "spend");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_NE(f->message.find("Amount spent (USD)"), std::string::npos);
}

TEST_F(ValidateTest, DroppedColumnWarningNeverShowsItsValues) {
  const std::string email = "jane.doe@example.com";
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id,email\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001," +
               email +
               "\n"
               "900000000000002,2026-06-02T11:00:00Z,300000000000002,john@example.org\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto f = find(r, Severity::Warning, "email");
  ASSERT_TRUE(f) << dump(r);
  EXPECT_TRUE(ends_with(f->file, "leads.csv"));
  EXPECT_NE(f->message.find("email"), std::string::npos);
  EXPECT_NE(f->message.find("elv never reads them"), std::string::npos);
  const std::string text = render_text(r);
  const std::string json = to_json(r).dump();
  EXPECT_EQ(text.find(email), std::string::npos) << text;
  EXPECT_EQ(json.find(email), std::string::npos) << json;
  EXPECT_EQ(text.find("example.org"), std::string::npos);
  EXPECT_EQ(json.find("example.org"), std::string::npos);
}

// A leads.csv without its header line: its first lead's e-mail address and phone number
// stand where the column names belong, and must not be shown as such.
TEST_F(ValidateTest, HeaderlessLeadsNeverShowTheFirstLeadsContactData) {
  set_file("leads_path", "leads.csv",
           "900000000000001,2026-06-02T10:00:00Z,300000000000001,Ana "
           "Gomez,ana.gomez@example.org,+34 600 123 456\n"
           "900000000000002,2026-06-02T11:00:00Z,300000000000002,Jo Bloggs,jo@example.net,+44 20 "
           "7946 0000\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const std::string text = render_text(r);
  const std::string json = to_json(r).dump();
  for (const char* secret : {"ana.gomez", "example.org", "600 123 456", "Ana Gomez", "Gomez"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << "\n" << text;
    EXPECT_EQ(json.find(secret), std::string::npos) << secret << "\n" << json;
  }
  // One error says why every required column is missing, instead of one per column.
  const auto errors = of(r, Severity::Error);
  const auto missing = std::find_if(errors.begin(), errors.end(), [](const Finding& f) {
    return f.message.find("the first line looks like data") != std::string::npos;
  });
  ASSERT_NE(missing, errors.end()) << dump(r);
  EXPECT_TRUE(ends_with(missing->file, "leads.csv"));
  EXPECT_EQ(
      missing->message,
      "the first line looks like data, not column names (a column whose name is a number, a column "
      "whose name is a date or time, a column whose name looks like an e-mail address, a column "
      "whose "
      "name looks like a phone number): is the header line missing? Add the header line, e.g. "
      "lead_id,created_time,ad_id");
  EXPECT_FALSE(find(r, Severity::Error, "lead_id")) << dump(r);
  EXPECT_NE(text.find("a column whose name looks like an e-mail address"), std::string::npos)
      << text;
  EXPECT_NE(text.find("a column whose name may be data"), std::string::npos) << text;
}

// A header that is a header, with one cell that is someone's e-mail address: the file
// loads, and the warning describes that column instead of naming it.
TEST_F(ValidateTest, ColumnNamedLikeAnEmailAddressIsDescribed) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id,full_name,ana.gomez@example.org\n"
           "900000000000001,2026-06-02T10:00:00Z,300000000000001,x,y\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const std::string text = render_text(r);
  EXPECT_EQ(text.find("ana.gomez"), std::string::npos) << text;
  EXPECT_EQ(to_json(r).dump().find("ana.gomez"), std::string::npos);
  EXPECT_NE(
      text.find(
          "columns elv does not use were left out unread (a lead download can hold names, "
          "e-mails and phone numbers; elv never reads them): a column whose name may be data, "
          "a column whose name looks like an e-mail address; the first line looks like data: is "
          "the header line missing?"),
      std::string::npos)
      << text;
}

// ---- real exports: the rules shared by validate and the pipelines (contracts/checks.h) ----

namespace real_exports {

TEST_F(ValidateTest, AdsManagerTotalsRowIsLeftOutNotSummed) {
  // Ads Manager's first data row: no campaign, ad set or ad, and the sum of the others.
  set_file("ads_path", "ads.csv",
           std::string(kAds).insert(std::string(kAds).find('\n') + 1,
                                    "2026-06-01,,,,,,,4500,75,59.75\n"));
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto w = find(r, Severity::Warning, "");
  ASSERT_TRUE(w) << dump(r);
  EXPECT_NE(w->message.find("1 totals row"), std::string::npos) << w->message;
  EXPECT_EQ(w->line, 2);
  EXPECT_EQ(r.files[0].rows, 5);  // the five real rows
  // Its empty campaign_id is not reported as a gap in the data.
  EXPECT_FALSE(find(r, Severity::Warning, "campaign_id")) << dump(r);
}

TEST_F(ValidateTest, ReportingStartsAndEndsOnOneDayAreDailyRows) {
  set_file("ads_path", "ads.csv",
           "Reporting starts,Reporting ends,Campaign ID,Ad ID,Impressions,Link clicks,Amount spent "
           "(EUR)\n"
           "2026-06-01,2026-06-01,100000000000001,300000000000001,1000,20,15.5\n"
           "2026-06-02,2026-06-02,100000000000001,300000000000001,1100,25,16\n"
           "2026-06-03,2026-06-03,100000000000001,300000000000001,900,12,11\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_EQ(r.files[0].date_min, "2026-06-01");
  EXPECT_EQ(r.files[0].date_max, "2026-06-03");
}

TEST_F(ValidateTest, AMonthlyExportIsRefusedNamingTheLineAndTheDayBreakdown) {
  set_file("ads_path", "ads.csv",
           "Reporting starts,Reporting ends,Campaign ID,Ad ID,Impressions,Link clicks,Amount spent "
           "(EUR)\n"
           "2026-06-01,2026-06-30,100000000000001,300000000000001,31000,620,480.5\n"
           "2026-07-01,2026-07-31,100000000000001,300000000000001,33000,600,501\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const auto e = find(r, Severity::Error, "period_end");
  ASSERT_TRUE(e) << dump(r);
  EXPECT_EQ(e->line, 2);
  EXPECT_NE(e->message.find("2 rows cover more than one day (line 2: 2026-06-01 to 2026-06-30)"),
            std::string::npos)
      << e->message;
  EXPECT_NE(e->message.find("Breakdown → By time → Day"), std::string::npos) << e->message;
}

TEST_F(ValidateTest, DayColumnAndReportingPeriodTogetherAreDaily) {
  set_file(
      "ads_path", "ads.csv",
      "Day,Reporting starts,Reporting ends,Campaign ID,Ad ID,Impressions,Link clicks,Amount spent\n"
      "2026-06-01,2026-06-01,2026-06-03,100000000000001,300000000000001,1000,20,15.5\n"
      "2026-06-02,2026-06-01,2026-06-03,100000000000001,300000000000001,1100,25,16\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
}

TEST_F(ValidateTest, AMistypedYearIsLeftOutAndNamedByLine) {
  std::string leads = "lead_id,created_time,ad_id\n";
  for (int i = 0; i < 30; ++i)
    leads += "9000000000001" + std::to_string(10 + i) + ",2026-06-0" + std::to_string(1 + i % 3) +
             "T10:00:00Z,300000000000001\n";
  leads += "900000000000999,2062-06-02T10:00:00Z,300000000000001\n";  // line 32
  set_file("leads_path", "leads.csv", leads);
  drop_file("outcomes_path");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto w = find(r, Severity::Warning, "created_time");
  ASSERT_TRUE(w) << dump(r);
  EXPECT_EQ(w->line, 32);
  EXPECT_NE(
      w->message.find("1 date lies far outside the rest of the file (2026-06-01 to 2026-06-03)"),
      std::string::npos)
      << w->message;
  EXPECT_NE(w->message.find("e.g. 2062-06-02 at line 32"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("cannot move as_of_date"), std::string::npos) << w->message;
}

TEST_F(ValidateTest, NegativeSpendAndImpossibleCountsAreWarningsWithTheirPolicy) {
  set_file("ads_path", "ads.csv",
           "date,campaign_id,ad_id,impressions,clicks,spend\n"
           "2026-06-01,100000000000001,300000000000001,1000,20,15.5\n"
           "2026-06-02,100000000000001,300000000000001,1100,25,-16\n"  // a refund
           "2026-06-03,100000000000001,300000000000001,900,1200,11\n"  // clicks > impressions
           "2026-06-04,100000000000001,300000000000001,-5,3,2\n"       // negative count
           "2026-06-05,100000000000001,300000000000001,0,0,4\n");      // spend, no impressions
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const std::string all = dump(r);
  EXPECT_NE(
      all.find("1 negative spend value (at line 3) (refunds or adjustments?): kept as credits"),
      std::string::npos)
      << all;
  EXPECT_NE(
      all.find(
          "1 row has more clicks than impressions (at line 4): those clicks are treated as empty"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("1 negative value (at line 5): a count cannot be negative"), std::string::npos)
      << all;
  EXPECT_NE(all.find("1 row has spend but no impressions (at line 6): kept as spend"),
            std::string::npos)
      << all;
}

TEST_F(ValidateTest, OutcomeIdsThatMatchOnlyIgnoringCaseAreMatchedAndSaid) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "LEAD-0001,2026-06-02T10:00:00Z,300000000000001\n"
           "LEAD-0002,2026-06-02T11:00:00Z,300000000000002\n"
           "LEAD-0003,2026-06-03T09:00:00Z,300000000000001\n");
  set_file("outcomes_path", "outcomes.csv",
           "lead_id,qualified_time\nlead-0001,2026-06-04T10:00:00Z\nlead-0002,\nlead-0003,\n");
  // Issue 13: IDs match after normalisation, letter case included, when the match is unique
  // (contracts/inputs.cpp); never silently: a warning names an example.
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  const auto w = find(r, Severity::Warning, "lead_id");
  ASSERT_TRUE(w) << dump(r);
  EXPECT_NE(w->message.find("3 outcome lead_ids match leads.csv only when letter case is ignored "
                            "(e.g. 'lead-0001' and 'LEAD-0001')"),
            std::string::npos)
      << w->message;
}

TEST_F(ValidateTest, TimestampsWithoutOffsetAreNotedOnceWithTheTimezoneKey) {
  set_file("leads_path", "leads.csv",
           "lead_id,created_time,ad_id\n"
           "900000000000001,2026-06-02T10:00:00,300000000000001\n"
           "900000000000002,2026-06-02 11:30:00,300000000000002\n");
  const ValidationReport r = run();
  const auto w = find(r, Severity::Warning, "created_time");
  ASSERT_TRUE(w) << dump(r);
  EXPECT_NE(w->message.find("2 timestamps have no UTC offset and were read as UTC"),
            std::string::npos);
  EXPECT_NE(w->message.find("csv.timezone"), std::string::npos);
}

TEST_F(ValidateTest, DecimalCommaTabFileIsReadAndDescribed) {
  set_file("ads_path", "ads.csv",
           "date\tcampaign_id\tad_id\timpressions\tclicks\tspend\n"
           "2026-06-01\t100000000000001\t300000000000001\t1.000\t20\t15,50\n"
           "2026-06-02\t100000000000001\t300000000000001\t1.100\t25\t16,00\n");
  const ValidationReport r = run();
  EXPECT_TRUE(r.usable()) << dump(r);
  EXPECT_EQ(r.files[0].format, "tab-separated, decimal comma");
}

TEST_F(ValidateTest, NumbersWrittenTwoWaysAreAnErrorNamingBothCells) {
  set_file("ads_path", "ads.csv",
           "date\tcampaign_id\tad_id\timpressions\tclicks\tspend\n"
           "2026-06-01\t100000000000001\t300000000000001\t1000\t20\t15,50\n"
           "2026-06-02\t100000000000001\t300000000000001\t1100\t25\t16.25\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  const std::string all = dump(r);
  EXPECT_NE(
      all.find("numbers are written two ways: '15,50' (line 2, column 'spend') reads only with a "
               "decimal comma, '16.25' (line 3, column 'spend') only with a decimal point"),
      std::string::npos)
      << all;
}

TEST_F(ValidateTest, OnlyAmbiguousNumbersInATabFileNeedCsvDecimal) {
  set_file("ads_path", "ads.csv",
           "date\tcampaign_id\tad_id\timpressions\tclicks\tspend\n"
           "2026-06-01\t100000000000001\t300000000000001\t1000\t20\t1,250\n");
  const ValidationReport r = run();
  EXPECT_FALSE(r.usable());
  EXPECT_NE(dump(r).find("cannot tell the decimal mark: '1,250' (line 2, column 'spend')"),
            std::string::npos)
      << dump(r);
}

TEST(ImplausibleDays, FlagOnlyFarSeparatedTails) {
  std::vector<int32_t> days;
  for (int i = 0; i < 180; ++i) days.push_back(20600 + i);  // six months
  std::vector<uint8_t> flags = implausible_days(days);
  EXPECT_EQ(std::count(flags.begin(), flags.end(), 1), 0);  // nothing in clean data
  days.push_back(20600 + 179 + 336);                        // a year typo, 336 days after the end
  days.push_back(2932896);                                  // 9999-12-31
  days.push_back(kNullDate);
  flags = implausible_days(days);
  EXPECT_EQ(flags[180], 1);
  EXPECT_EQ(flags[181], 1);
  EXPECT_EQ(flags[182], 0);
  EXPECT_EQ(std::count(flags.begin(), flags.end(), 1), 2);
  days.push_back(20600 - 3650);  // ten years early
  flags = implausible_days(days);
  EXPECT_EQ(flags.back(), 1);
}

TEST(ImplausibleDays, SmallFilesAndSteadyGapsAreLeftAlone) {
  EXPECT_EQ(implausible_days({20600, 30000}), (std::vector<uint8_t>{0, 0}));  // too few to judge
  std::vector<int32_t> weekly;
  for (int i = 0; i < 100; ++i) weekly.push_back(20000 + 7 * i);  // regular gaps are not outliers
  const auto flags = implausible_days(weekly);
  EXPECT_EQ(std::count(flags.begin(), flags.end(), 1), 0);
}

}  // namespace real_exports

}  // namespace
}  // namespace elv::contracts
