// The lead explorer (GET /api/runs/<id>/leads, server/leads.h): the top and bottom leads of a
// hand-made predictions.csv in the right order with ties in file order, the limit, the reasons
// parsed into words and signed numbers, an older file without top_reasons, a column the route
// does not know never passed through, and bad parameters refused with 400.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "serve_test_util.h"
#include "server/leads.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {
namespace {

// Six leads: L3 and L5 tie on p (L3 comes first in the file), L6 has no reasons.
constexpr const char* kHeader =
    "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,"
    "label_status,label,is_mature,p_qualified_14d,value_per_qualified,elv,score_rank";
constexpr const char* kRows[] = {
    "L1,2026-06-01T10:00:00Z,c1,Spring,as1,Broad,ad1,Video A,unknown,,0,0.10,40,4,5",
    "L2,2026-06-02T11:00:00Z,c1,Spring,as1,Broad,ad2,Video B,positive,1,1,0.90,40,36,1",
    "L3,2026-06-03T12:00:00Z,c2,\"'=Summer, big\",as2,Lookalike,ad3,Photo,unknown,,0,0.50,40,20,2",
    "L4,2026-06-04T13:00:00Z,c2,Summer,as2,Lookalike,ad4,Photo,negative,0,1,0.05,40,2,6",
    "L5,2026-06-05T14:00:00Z,c2,Summer,as2,,ad5,Photo,unknown,,0,0.50,40,20,3",
    "L6,2026-06-06T15:00:00Z,c3,Autumn,as3,Retarget,ad6,Carousel,unknown,,0,0.20,40,8,4",
};
constexpr const char* kReasons[] = {
    "\"the ad is a video no (-0.31); 7-day spend of the ad low (-0.12)\"",
    "\"7-day click-through rate of the ad high (+0.42); hour of the day the lead came in 23h "
    "(+0.18); the lead's campaign (+0.05); the ad is a video no (-0.31)\"",
    "\"the lead's ad set (+0.20)\"",
    "\"weekday the lead came in Sunday (-0.90)\"",
    "\"the lead's campaign (+0.01)\"",
    "",
};

class LeadsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("elv-leads-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // predictions.csv with or without top_reasons, plus any extra columns at the end.
  std::string write(bool with_reasons, const std::string& extra_header = "",
                    const std::string& extra_cell = "") {
    const fs::path path = dir_ / "predictions.csv";
    std::ofstream out(path, std::ios::binary);
    out << kHeader << (with_reasons ? ",top_reasons" : "") << extra_header << "\n";
    for (size_t i = 0; i < std::size(kRows); ++i)
      out << kRows[i] << (with_reasons ? std::string(",") + kReasons[i] : "") << extra_cell << "\n";
    return path.string();
  }
  static std::vector<std::string> ids(const json& j) {
    std::vector<std::string> out;
    for (const auto& row : j["rows"]) out.push_back(row["lead_id"]);
    return out;
  }

  fs::path dir_;
};

TEST_F(LeadsFile, TopIsHighestFirstWithTiesInFileOrder) {
  const auto j = leads_json(write(true), {true, 20});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["order"], "top");
  EXPECT_EQ((*j)["limit"], 20);
  EXPECT_EQ((*j)["total"], 6);
  EXPECT_EQ((*j)["window_days"], 14);
  EXPECT_EQ((*j)["has_reasons"], true);
  EXPECT_EQ(ids(*j), (std::vector<std::string>{"L2", "L3", "L5", "L6", "L1", "L4"}));
  const json& first = (*j)["rows"][0];
  EXPECT_EQ(first["p"], 0.9);
  EXPECT_EQ(first["elv"], 36.0);
  EXPECT_EQ(first["score_rank"], 1);
  EXPECT_EQ(first["created_time"], "2026-06-02T11:00:00Z");
  EXPECT_EQ(first["campaign_name"], "Spring");
  EXPECT_EQ(first["adset_name"], "Broad");
  EXPECT_EQ(first["ad_name"], "Video B");
}

TEST_F(LeadsFile, BottomIsLowestFirstAndTheLimitKeepsTheEnds) {
  const std::string path = write(true);
  const auto bottom = leads_json(path, {false, 3});
  ASSERT_TRUE(bottom);
  EXPECT_EQ((*bottom)["order"], "bottom");
  EXPECT_EQ((*bottom)["total"], 6);  // rows in the file, not rows returned
  EXPECT_EQ(ids(*bottom), (std::vector<std::string>{"L4", "L1", "L6"}));
  // A limit that cuts through a tie keeps the tied lead that comes first in the file.
  const auto top2 = leads_json(path, {true, 2});
  EXPECT_EQ(ids(*top2), (std::vector<std::string>{"L2", "L3"}));
  const auto bottom5 = leads_json(path, {false, 5});
  EXPECT_EQ(ids(*bottom5), (std::vector<std::string>{"L4", "L1", "L6", "L3", "L5"}));
  const auto one = leads_json(path, {true, 1});
  EXPECT_EQ(ids(*one), (std::vector<std::string>{"L2"}));
}

TEST_F(LeadsFile, ReasonsAreWordsAndSignedNumbers) {
  const auto j = leads_json(write(true), {true, 20});
  ASSERT_TRUE(j);
  const json& reasons = (*j)["rows"][0]["reasons"];  // L2
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_EQ(reasons[0]["text"], "7-day click-through rate of the ad high");
  EXPECT_DOUBLE_EQ(reasons[0]["contribution"].get<double>(), 0.42);
  EXPECT_EQ(reasons[1]["text"], "hour of the day the lead came in 23h");
  EXPECT_DOUBLE_EQ(reasons[1]["contribution"].get<double>(), 0.18);
  EXPECT_EQ(reasons[2]["text"], "the lead's campaign");
  EXPECT_DOUBLE_EQ(reasons[2]["contribution"].get<double>(), 0.05);
  EXPECT_EQ(reasons[3]["text"], "the ad is a video no");
  EXPECT_DOUBLE_EQ(reasons[3]["contribution"].get<double>(), -0.31);
  // L6 has an empty top_reasons cell: no reasons, still a row.
  EXPECT_EQ((*j)["rows"][3]["lead_id"], "L6");
  EXPECT_EQ((*j)["rows"][3]["reasons"], json::array());
}

TEST_F(LeadsFile, NamesLoseTheFormulaGuardAndEmptyCellsAreNull) {
  const auto j = leads_json(write(true), {true, 3});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["rows"][1]["campaign_name"], "=Summer, big");  // L3
  EXPECT_TRUE((*j)["rows"][2]["adset_name"].is_null());         // L5
}

TEST_F(LeadsFile, AnOlderFileWithoutReasonsSaysSo) {
  const auto j = leads_json(write(false), {true, 20});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["has_reasons"], false);
  EXPECT_EQ(ids(*j), (std::vector<std::string>{"L2", "L3", "L5", "L6", "L1", "L4"}));
  for (const auto& row : (*j)["rows"]) EXPECT_EQ(row["reasons"], json::array());
}

// Only the named columns leave the file: ids, labels, the value and a column added later
// (here one holding an e-mail) are never in a row.
TEST_F(LeadsFile, OnlyTheNamedColumnsArePassedThrough) {
  const auto j = leads_json(write(true, ",email", ",someone@example.com"), {true, 20});
  ASSERT_TRUE(j);
  EXPECT_EQ(j->dump().find("example.com"), std::string::npos);
  std::vector<std::string> keys;
  for (const auto& [key, value] : (*j)["rows"][0].items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"ad_name", "adset_name", "campaign_name", "created_time",
                                      "elv", "lead_id", "p", "reasons", "score_rank"}));
}

TEST_F(LeadsFile, MissingColumnsAreLeftOutAndNoProbabilityIsAnError) {
  const fs::path path = dir_ / "predictions.csv";
  std::ofstream(path) << "lead_id,p_qualified_30d\nA,0.3\nB,0.7\n";
  const auto j = leads_json(path.string(), {true, 20});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["window_days"], 30);
  EXPECT_EQ((*j)["rows"][0], (json{{"lead_id", "B"}, {"p", 0.7}, {"reasons", json::array()}}));

  std::ofstream(path) << "lead_id,score\nA,0.3\n";
  EXPECT_THROW(leads_json(path.string(), {true, 20}), Error);
  std::ofstream(path) << "lead_id,p_qualified_14d\nA,high\n";
  EXPECT_THROW(leads_json(path.string(), {true, 20}), Error);
  EXPECT_FALSE(leads_json((dir_ / "absent.csv").string(), {true, 20}));
}

TEST(ParseReasons, WordsMayHoldBracketsAndUnparsedTextStaysWhole) {
  const auto r = parse_reasons("placement (feed) share high (+1.25);  odd reason ; x (abc)");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].text, "placement (feed) share high");
  ASSERT_TRUE(r[0].contribution);
  EXPECT_DOUBLE_EQ(*r[0].contribution, 1.25);
  EXPECT_EQ(r[1].text, "odd reason");
  EXPECT_FALSE(r[1].contribution);
  EXPECT_EQ(r[2].text, "x (abc)");
  EXPECT_FALSE(r[2].contribution);
  EXPECT_TRUE(parse_reasons("").empty());
}

TEST(ParseLeadsQuery, DefaultsAndBadValues) {
  const auto none = parse_leads_query(std::nullopt, std::nullopt);
  EXPECT_TRUE(none.problem.empty());
  EXPECT_TRUE(none.query.top);
  EXPECT_EQ(none.query.limit, 20);
  const auto bottom = parse_leads_query("bottom", "200");
  EXPECT_TRUE(bottom.problem.empty());
  EXPECT_FALSE(bottom.query.top);
  EXPECT_EQ(bottom.query.limit, 200);
  EXPECT_EQ(parse_leads_query("top", "1").query.limit, 1);
  for (const std::string bad : {"sideways", "", "TOP"})
    EXPECT_NE(parse_leads_query(bad, std::nullopt).problem.find("order must be"), std::string::npos)
        << bad;
  for (const std::string bad : {"0", "201", "-1", "1.5", "ten", "", "10 ", "99999999999"})
    EXPECT_NE(parse_leads_query(std::nullopt, bad).problem.find("limit must be"), std::string::npos)
        << bad;
}

// The route: a run folder made by hand (no pipeline needed), errors with their statuses.
TEST_F(ServeTest, LeadsRouteAnswersAndRefuses) {
  const fs::path run = root_ / "runs" / "20260630T120000Z-abc123";
  fs::create_directories(run);
  std::ofstream(run / "metadata.json") << "{}";
  {
    std::ofstream out(run / "predictions.csv", std::ios::binary);
    out << kHeader << ",top_reasons\n";
    for (size_t i = 0; i < std::size(kRows); ++i) out << kRows[i] << "," << kReasons[i] << "\n";
  }
  const std::string base = "/api/runs/20260630T120000Z-abc123/leads";
  const json top = get_json(base);
  EXPECT_EQ(top["order"], "top");
  EXPECT_EQ(top["limit"], 20);
  EXPECT_EQ(top["rows"].size(), 6u);
  EXPECT_EQ(top["rows"][0]["lead_id"], "L2");
  const json bottom = get_json(base + "?order=bottom&limit=2");
  ASSERT_EQ(bottom["rows"].size(), 2u);
  EXPECT_EQ(bottom["rows"][0]["lead_id"], "L4");
  EXPECT_EQ(bottom["rows"][1]["lead_id"], "L1");

  EXPECT_NE(get_json(base + "?order=sideways", 400)["error"].get<std::string>().find("order"),
            std::string::npos);
  for (const char* limit : {"0", "201", "abc"})
    EXPECT_NE(get_json(base + "?limit=" + limit, 400)["error"].get<std::string>().find("limit"),
              std::string::npos)
        << limit;
  EXPECT_EQ(get_json("/api/runs/20990101T000000Z-000000/leads", 404)["error"], "no such run");
  fs::remove(run / "predictions.csv");
  EXPECT_EQ(get_json(base, 404)["error"], "this run has no predictions");
}

}  // namespace
}  // namespace elv::server
