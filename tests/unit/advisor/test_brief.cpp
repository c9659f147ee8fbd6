// The brief elv advise sends: aggregates from the run's artifacts, never a lead.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../demo/demo_test_util.h"
#include "advisor/advisor.h"
#include "advisor/advisor_parts.h"
#include "base/error.h"

namespace elv::advisor {
namespace {

using demo::test_util::TempDir;
using nlohmann::json;

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

// A small run: 12 campaigns (so the top 10 is a cut), a lead id in predictions.csv and a
// dropped column whose "name" is a lead's e-mail (a headerless leads file).
void write_run(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  json meta = {
      {"run_kind", "train"},
      {"created_at_utc", "2026-01-02T03:04:05+00:00"},
      {"command", "elv train --config /home/alice/client-x/config.yaml"},
      {"join", {{"strategy", "id"}, {"match_rate", 0.987654321}, {"rows", 500}}},
      {"labeling", {{"label_window_days", 14}, {"counts", {{"positive", 40}, {"negative", 60}}}}},
      {"inputs", {{"leads", {{"path", "/home/alice/client-x/leads.csv"}, {"rows", 500}}}}},
      {"model", {{"model_type", "gbdt"}, {"features", 12}}},
      {"warnings",
       {"columns elv does not use were left out unread (a lead download can hold names, "
        "e-mails and phone numbers; elv never reads them): jane@example.com",
        "outcomes.csv: 3 qualifications dated after as_of_date are not visible"}}};
  write(dir / "metadata.json", meta.dump());
  const json metrics = json::parse(R"({
    "model": {"roc_auc": 0.81234, "calibration": {"ece": 0.03}},
    "baseline_campaign_rate": {"roc_auc": 0.7},
    "drift": {"psi_threshold": 0.2,
              "columns": {"cpc_7d": {"flagged": true, "psi": 0.45},
                          "lead_hour": {"flagged": false, "psi": 0.01}}}})");
  write(dir / "metrics.json", metrics.dump());
  std::string campaigns =
      "campaign_id,campaign_name,spend,lead_count,predicted_elv,avg_p_qualified_14d,avg_elv,"
      "labeled_count,positive_rate_labeled,low_volume,elv_per_spend,cpl\n";
  for (int i = 1; i <= 12; ++i)
    campaigns += "cmp_" + std::to_string(i) + ",Campaign " + std::to_string(i) + ",100.5," +
                 std::to_string(100 - i) + ",50.25,0.5,0.5,10,0.4," + (i == 12 ? "true" : "false") +
                 ",0.5,1.0\n";
  write(dir / "leaderboard_campaign.csv", campaigns);
  write(dir / "leaderboard_adset.csv",
        "campaign_id,campaign_name,adset_id,adset_name,spend,lead_count,predicted_elv,low_volume\n"
        "cmp_1,Campaign 1,as_1,2024,10,5,2.5,true\n");
  write(dir / "predictions.csv", "lead_id,p_qualified_14d\nLEAD-SECRET-0001,0.9\n");
}

TEST(Brief, AggregatesOnlyNeverLeads) {
  TempDir dir;
  write_run(dir.path());
  const json brief = build_brief(dir.path());
  const std::string text = brief.dump();
  EXPECT_EQ(text.find("LEAD-SECRET-0001"), std::string::npos);
  EXPECT_EQ(text.find("jane@example.com"), std::string::npos);  // a dropped "column name"
  EXPECT_EQ(text.find("/home/alice"), std::string::npos);       // paths and command line
  EXPECT_NE(text.find("qualifications dated after as_of_date"), std::string::npos);

  ASSERT_EQ(brief["top_campaigns"].size(), 10u);
  EXPECT_EQ(brief["campaigns_total"], 12);
  EXPECT_EQ(brief["top_campaigns"][0]["campaign_name"], "Campaign 1");
  EXPECT_EQ(brief["top_campaigns"][0]["spend"], 100.5);
  EXPECT_EQ(brief["top_campaigns"][0]["lead_count"], 99);
  EXPECT_EQ(brief["top_campaigns"][0]["avg_p_qualified_14d"], 0.5);
  EXPECT_EQ(brief["top_campaigns"][0]["low_volume"], false);
  EXPECT_EQ(brief["top_adsets"][0]["adset_name"], "2024");  // a name stays text
  EXPECT_EQ(brief["top_adsets"][0]["low_volume"], true);

  EXPECT_EQ(brief["data"]["join"]["match_rate"], 0.9877);  // 4 significant digits
  EXPECT_EQ(brief["data"]["inputs"]["leads"]["rows"], 500);
  EXPECT_EQ(brief["model"]["test_metrics"]["roc_auc"], 0.8123);
  EXPECT_EQ(brief["model"]["test_metrics"]["ece"], 0.03);
  EXPECT_EQ(brief["model"]["baseline_campaign_rate_metrics"]["roc_auc"], 0.7);
  ASSERT_EQ(brief["drift"]["flagged"].size(), 1u);
  EXPECT_EQ(brief["drift"]["flagged"][0]["feature"], "cpc_7d");
}

std::string brief_error(const std::filesystem::path& dir) {
  try {
    build_brief(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Brief, MissingArtifactsAreNamed) {
  TempDir dir;
  write_run(dir.path());
  std::filesystem::remove(dir.path() / "leaderboard_campaign.csv");
  EXPECT_NE(brief_error(dir.path()).find("leaderboard_campaign.csv not found"), std::string::npos)
      << brief_error(dir.path());
  EXPECT_NE(brief_error(dir.path()).find("elv train"), std::string::npos);
  std::filesystem::remove(dir.path() / "metadata.json");
  EXPECT_NE(brief_error(dir.path()).find("metadata.json not found"), std::string::npos);
}

TEST(Brief, RequestBodyHasTheGenerateContentShape) {
  TempDir dir;
  write_run(dir.path());
  AdviceRequest req;
  req.offer = "Solar panels for homeowners";
  req.model = "gemini-test";
  const json body = detail::request_body(build_brief(dir.path()), req, nullptr);
  ASSERT_EQ(body["contents"].size(), 1u);
  EXPECT_EQ(body["contents"][0]["role"], "user");
  const std::string text = body["contents"][0]["parts"][0]["text"];
  EXPECT_NE(text.find("Offer: Solar panels for homeowners"), std::string::npos);
  EXPECT_NE(text.find("Audience: (not given)"), std::string::npos);
  const std::string system = body["systemInstruction"]["parts"][0]["text"];
  EXPECT_NE(system.find("## 7-day experiment plan"), std::string::npos);
  EXPECT_NE(system.find("low_volume"), std::string::npos);
}

TEST(Brief, ModelAndKeyFromTheEnvironment) {
  setenv("GEMINI_MODEL", "gemini-env", 1);
  EXPECT_EQ(resolve_model("gemini-flag"), "gemini-flag");
  EXPECT_EQ(resolve_model(""), "gemini-env");
  unsetenv("GEMINI_MODEL");
  EXPECT_EQ(resolve_model(""), "gemini-2.0-flash");
  unsetenv("GEMINI_API_KEY");
  setenv("GOOGLE_API_KEY", "g-key", 1);
  EXPECT_EQ(key_from_environment(), "g-key");
  setenv("GEMINI_API_KEY", "gem-key", 1);
  EXPECT_EQ(key_from_environment(), "gem-key");
  setenv("GEMINI_API_KEY", "", 1);
  EXPECT_EQ(key_from_environment(), "g-key");
  unsetenv("GEMINI_API_KEY");
  unsetenv("GOOGLE_API_KEY");
  EXPECT_FALSE(key_from_environment());
}

}  // namespace
}  // namespace elv::advisor
