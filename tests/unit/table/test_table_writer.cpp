// table.csv.gz: the exact text of rows (quoting, empty cells for nulls, number formats
// shared with csv::append_double_digits) and the same file for any thread count.
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <gtest/gtest.h>

#include "io/csv_writer.h"
#include "io/parse.h"
#include "table/table_writer.h"

namespace fs = std::filesystem;

namespace elv::table {
namespace {

std::string gunzip(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) return "";
  std::string out;
  char buf[1 << 16];
  int got;
  while ((got = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(got));
  gzclose(gz);
  return out;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

LeadTable make_table(int64_t n) {
  LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto code = [&](const char* dict, const std::string& s) {
    return t.dicts->for_column(dict).intern(s);
  };
  t.feature_names = {"lead_hour", "lead_dow", "spend_sum_7d", "ctr_7d"};
  t.features.assign(4, {});
  t.text_names = {"placement_top1_7d"};
  t.text_dictionaries = {"placement"};
  t.texts.assign(1, {});
  for (int64_t i = 0; i < n; ++i) {
    t.lead_id.push_back(code("lead_id", "L" + std::to_string(i)));
    t.created_time.push_back(*parse::timestamp_seconds("2026-03-03T00:04:30") + i * 61);
    t.lead_date.push_back(static_cast<int32_t>(t.created_time.back() / 86400));
    t.feature_end_date.push_back(t.lead_date.back() - 1);
    t.campaign_id.push_back(code("campaign_id", "c1"));
    t.campaign_name.push_back(code("campaign_name", i % 2 ? "Spring, \"big\" sale" : "Plain"));
    t.adset_id.push_back(code("adset_id", "as1"));
    t.adset_name.push_back(contracts::kNullCode);
    t.ad_id.push_back(code("ad_id", "123456789012345678"));
    t.ad_name.push_back(code("ad_name", "Ad\nwith newline"));
    t.lead_dow.push_back(static_cast<int8_t>(i % 7));
    t.lead_hour.push_back(static_cast<int8_t>(i % 24));
    t.label_status.push_back(static_cast<LabelStatus>(i % 3));
    t.is_mature.push_back(i % 2);
    t.features[0].push_back(i % 24);
    t.features[1].push_back(i % 7);
    t.features[2].push_back(i % 5 == 0 ? kNaN : 1234.5 + i);
    t.features[3].push_back(i % 4 == 0 ? 0.0 : 1.0 / (3.0 + i));
    t.texts[0].push_back(i % 3 == 0 ? contracts::kNullCode : code("placement", "feed"));
  }
  t.n = n;
  return t;
}

class TableWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("elv-table-writer-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TableWriter, RowsHaveTheExactText) {
  const LeadTable t = make_table(2);
  write_table_csv(t, (dir_ / "t.csv.gz").string(), 1);
  const std::string text = gunzip((dir_ / "t.csv.gz").string());
  const std::string header =
      "lead_id,created_time,lead_date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,"
      "lead_dow,lead_hour,feature_end_date,label_status,label,is_mature,spend_sum_7d,ctr_7d,"
      "placement_top1_7d\n";
  const std::string row0 =
      "L0,2026-03-03T00:04:30+00:00,2026-03-03,c1,Plain,as1,,123456789012345678,\"Ad\nwith "
      "newline\","
      "0,0,2026-03-02,unknown,,0,,0,\n";
  const std::string row1 =
      "L1,2026-03-03T00:05:31+00:00,2026-03-03,c1,\"Spring, \"\"big\"\" "
      "sale\",as1,,123456789012345678,"
      "\"Ad\nwith newline\",1,1,2026-03-02,positive,1,1,1235.5,0.25,feed\n";
  EXPECT_EQ(text, header + row0 + row1);
}

// Names are the advertiser's text: a spreadsheet must not run them (csv::write_text_cell).
TEST_F(TableWriter, FormulaNamesAreWrittenAsText) {
  LeadTable t = make_table(1);
  t.campaign_name[0] =
      t.dicts->for_column("campaign_name").intern("=HYPERLINK(\"http://x\",\"x\")");
  t.ad_name[0] = t.dicts->for_column("ad_name").intern("@risk");
  t.adset_name[0] = t.dicts->for_column("adset_name").intern("-5");
  write_table_csv(t, (dir_ / "t.csv.gz").string(), 1);
  const std::string text = gunzip((dir_ / "t.csv.gz").string());
  EXPECT_NE(
      text.find(
          ",c1,\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\",as1,-5,123456789012345678,'@risk,"),
      std::string::npos)
      << text;
}

TEST_F(TableWriter, NumbersMatchTheCsvWriterFormat) {
  const LeadTable t = make_table(300);
  write_table_csv(t, (dir_ / "t.csv.gz").string(), 1);
  const std::string text = gunzip((dir_ / "t.csv.gz").string());
  // ctr_7d of row 299 (the 17th column), written as csv::append_double_digits writes it.
  std::string expected;
  csv::append_double_digits(expected, 1.0 / (3.0 + 299), 12);
  const size_t last = text.rfind("\nL299,");
  ASSERT_NE(last, std::string::npos);
  EXPECT_NE(text.find("," + expected + ",", last), std::string::npos) << expected;
}

TEST_F(TableWriter, SameFileForAnyThreadCount) {
  const LeadTable t = make_table(20000);  // several blocks
  write_table_csv(t, (dir_ / "one.csv.gz").string(), 1);
  write_table_csv(t, (dir_ / "two.csv.gz").string(), 2);
  const std::string one = gunzip((dir_ / "one.csv.gz").string());
  EXPECT_EQ(one, gunzip((dir_ / "two.csv.gz").string()));
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'),
            20001 + 20000);  // header, rows, ad_name newlines
}

TEST_F(TableWriter, ReportsTheShareWrittenInOrder) {
  const LeadTable t = make_table(40000);  // 5 blocks of 8,192 rows
  std::vector<double> seen;
  write_table_csv(t, (dir_ / "t.csv.gz").string(), 2, [&](double done) { seen.push_back(done); });
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_DOUBLE_EQ(seen.front(), 0.2);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

}  // namespace
}  // namespace elv::table
