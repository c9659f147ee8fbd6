// elv serve at the HTTP level (issue 7): the server runs in-process on a free port and is
// driven with cpp-httplib's client. Traversal never reads outside the runs folder,
// oversized uploads get 413 with a message, unknown runs 404, a failed job reports its
// error and the server keeps serving, jobs run side by side.
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run/pipelines.h"
#include "serve_test_util.h"
#include "server/runs.h"
#include "server/server.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {
namespace {

// The run browser's leaderboards show names as the input spelled them: the ' that
// csv::write_text_cell put before "=HYPERLINK(…)" is elv's own. Numbers stay numbers.
TEST(LeaderboardJson, NamesLoseTheFormulaGuardNumbersStayNumbers) {
  const fs::path path =
      fs::path(::testing::TempDir()) / ("elv_lb_guard_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << "campaign_id,campaign_name,expected_profit\n"
                         "cmp_1,\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\",-12.5\n"
                         "cmp_2,'plain,3\n";
  const auto board = leaderboard_json(path.string());
  fs::remove(path);
  ASSERT_TRUE(board);
  EXPECT_EQ((*board)["rows"][0][1], "=HYPERLINK(\"http://x\",\"x\")");
  EXPECT_EQ((*board)["rows"][0][2], -12.5);
  EXPECT_EQ((*board)["rows"][1][1], "'plain");
}

TEST_F(ServeTest, InfoAndTheEmbeddedApp) {
  const json info = get_json("/api/info");
  EXPECT_EQ(info["max_upload_mb"], 200);
  EXPECT_EQ(info["max_train_leads"], 3000);
  // The metric definitions the page's tooltips and tiles use (scoring/metric_definitions.h).
  ASSERT_TRUE(info["metrics"].is_object());
  EXPECT_EQ(info["metrics"].size(), 15u);
  EXPECT_EQ(info["metrics"]["elv_per_spend"]["label"], "Value per spend");
  EXPECT_NE(info["metrics"]["elv_per_spend"]["definition"].get<std::string>().find("spend"),
            std::string::npos);
  EXPECT_EQ(info["metrics"]["cost_per_expected_qualified"]["label"],
            "Cost per expected qualified lead");
  for (const auto& [column, m] : info["metrics"].items()) {
    EXPECT_TRUE(m["label"].is_string()) << column;
    EXPECT_TRUE(m["definition"].is_string()) << column;
  }
  auto page = get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<html"), std::string::npos);
  EXPECT_NE(page->body.find("main.js"), std::string::npos);
  auto script = get("/assets/main.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_GT(script->body.size(), 100u);
  EXPECT_NE(script->body.find("/api/"), std::string::npos);
  // Nothing from the internet: the page and script name no remote address.
  for (const std::string& body : {page->body, script->body}) {
    EXPECT_EQ(body.find("http://"), std::string::npos);
    EXPECT_EQ(body.find("https://"), std::string::npos);
  }
}

// The app is a set of modules (src/server/web/): every import of every module, followed from
// main.js, is served as JavaScript, and a name the app does not have is a 404.
TEST_F(ServeTest, EveryModuleTheAppImportsIsServed) {
  std::vector<std::string> pending = {"main.js"};
  std::set<std::string> seen;
  const std::regex import_from(R"(from '\./([A-Za-z0-9_-]+\.js)')");
  while (!pending.empty()) {
    const std::string name = pending.back();
    pending.pop_back();
    if (!seen.insert(name).second) continue;
    auto res = get("/assets/" + name);
    ASSERT_TRUE(res) << name;
    ASSERT_EQ(res->status, 200) << name;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/javascript; charset=utf-8") << name;
    for (std::sregex_iterator it(res->body.begin(), res->body.end(), import_from), end; it != end;
         ++it)
      pending.push_back((*it)[1].str());
  }
  EXPECT_GE(seen.size(), 10u);  // main, state, dom, format, api and the views
  EXPECT_TRUE(seen.count("leaderboard.js"));
  auto css = get("/assets/app.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  auto missing = get("/assets/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto outside = get("/assets/..%2Fserver.cpp");
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 404);
}

TEST_F(ServeTest, TraversalNeverReadsOutsideTheRunsFolder) {
  const std::string run = demo_run_id();
  const std::vector<std::string> attempts = {
      "/api/runs/../secret.txt",
      "/api/runs/..%2Fsecret.txt",
      "/api/runs/%2e%2e/files/secret.txt",
      "/api/runs/%2E%2E/files/secret.txt",
      "/api/runs/" + run + "/files/../../secret.txt",
      "/api/runs/" + run + "/files/..%2F..%2Fsecret.txt",
      "/api/runs/" + run + "/files/%2e%2e/%2e%2e/secret.txt",
      "/api/runs/" + run + "/files/data/..%2f..%2f..%2fsecret.txt",
      "/api/runs/" + run + "/files/" + (root_ / "secret.txt").string(),
      "/api/runs/" + run + "/files/%2F" + (root_ / "secret.txt").string().substr(1),
      "/api/runs/" + run + "/files/%2Fetc%2Fpasswd",
      "/api/runs/" + run + "/leaderboard/..%2F..%2F..%2Fsecret",
      "/api/runs/" + run + "/section/..%2F..%2Fsecret.txt",
      "/api/runs/%2Fetc/files/passwd",
      "/api/runs/.upload-x/files/leads.csv",
  };
  for (const auto& path : attempts) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 400 || res->status == 404) << path << " → " << res->status;
    EXPECT_EQ(res->body.find("TOP-SECRET"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
  }
  // The same route does serve what is inside the run.
  auto ok = get("/api/runs/" + run + "/files/predictions.csv");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.rfind("lead_id,", 0), 0u);
  EXPECT_NE(ok->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(ok->get_header_value("Content-Security-Policy").find("sandbox"), std::string::npos);
  auto inline_report = get("/api/runs/" + run + "/files/report.html?inline=1");
  ASSERT_TRUE(inline_report);
  EXPECT_EQ(inline_report->status, 200);
  EXPECT_TRUE(inline_report->get_header_value("Content-Disposition").empty());
  auto nested = get("/api/runs/" + run + "/files/data/ads.csv");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->status, 200);
}

TEST_F(ServeTest, UnknownRunsJobsAndSectionsAre404) {
  EXPECT_EQ(get_json("/api/runs/20990101T000000Z-000000", 404)["error"], "no such run");
  get_json("/api/runs/20990101T000000Z-000000/leaderboard/campaign", 404);
  get_json("/api/jobs/j99-abcdef", 404);
  const std::string run = demo_run_id();
  get_json("/api/runs/" + run + "/leaderboard/ad", 404);
  get_json("/api/runs/" + run + "/section/secrets", 404);
  get_json("/api/runs/" + run + "/files/missing.csv", 404);
  get_json("/api/nothing-here", 404);
}

// A run's file damaged by hand is the user's data problem, not a server bug: 422 with the
// reader's message naming the file (the server answered 500 "internal error" before).
TEST_F(ServeTest, ADamagedRunFileIsA4xxThatNamesTheFile) {
  const std::string run = demo_run_id();
  {
    std::ofstream out(root_ / "runs" / run / "leaderboard_campaign.csv", std::ios::binary);
    out << "campaign_id,elv_sum\n\"c1,2\n";  // a quote that never closes
  }
  auto res = get("/api/runs/" + run + "/leaderboard/campaign");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  const json body = json::parse(res->body, nullptr, false);
  const std::string message = body.value("error", "");
  EXPECT_NE(message.find("leaderboard_campaign.csv"), std::string::npos) << message;
  EXPECT_EQ(message.find("internal error"), std::string::npos) << message;
}

TEST_F(ServeTest, OversizedUploadIsRefusedWith413AndAMessage) {
  stop_server();
  start_server(1);  // 1 MB per file
  const fs::path big = root_ / "leads.csv";
  {
    std::ofstream out(big);
    out << "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name\n";
    for (int i = 0; out.tellp() < 1300 * 1024; ++i)
      out << "L" << i << ",2026-01-01T00:00:00,c1,C,a1,A,d1,D\n";
  }
  std::ofstream(root_ / "ads.csv") << "date,ad_id,impressions,clicks,spend\n2026-01-01,d1,1,1,1\n";
  for (const char* path : {"/api/validate", "/api/jobs/byo"}) {
    auto res =
        client_->Post(path, httplib::MultipartFormDataItems{file_part("ads", root_ / "ads.csv"),
                                                            file_part("leads", big)});
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 413) << path;
    const json body = json::parse(res->body);
    EXPECT_NE(body["error"].get<std::string>().find("leads.csv"), std::string::npos) << res->body;
    EXPECT_NE(body["error"].get<std::string>().find("1 MB"), std::string::npos) << res->body;
  }
  // Nothing of the refused uploads is left behind, and the server still answers.
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    if (e.path().filename() != ".jobs") ADD_FAILURE() << "left: " << e.path();
  get_json("/api/info");
}

TEST_F(ServeTest, AFailedJobReportsItsErrorAndTheServerKeepsServing) {
  const std::string run = demo_run_id();
  const fs::path broken = root_ / "leads.csv";
  std::ofstream(broken)
      << "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name\n"
         "L1,2026-01-01T00:00:00,c1,C,a1,A,d1\n";
  auto res = client_->Post(
      "/api/jobs/byo",
      httplib::MultipartFormDataItems{
          file_part("ads", data_of(run) / "ads.csv"), file_part("leads", broken),
          file_part("outcomes", data_of(run) / "outcomes.csv"), text_part("train", "true")});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json job = wait_for_job(json::parse(res->body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  const std::string error = job["error"];
  // Names the file (not the hidden upload folder) and the line.
  EXPECT_NE(error.find("leads.csv:2"), std::string::npos) << error;
  EXPECT_EQ(error.find(".upload-"), std::string::npos) << error;
  EXPECT_TRUE(job["run_id"].is_null());
  // The server still answers, runs another job, and the failed one left no folder.
  get_json("/api/info");
  demo_run_id();
  int hidden = 0, runs = 0;
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    if (e.path().filename() != ".jobs")  // the job records (docs/SERVE.md)
      (e.path().filename().string()[0] == '.' ? hidden : runs)++;
  EXPECT_EQ(hidden, 0);
  EXPECT_EQ(runs, 2);
}

TEST_F(ServeTest, MalformedRequestsGet4xx) {
  auto bad_json = client_->Post("/api/jobs/demo", "{not json", "application/json");
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400);
  auto bad_type = client_->Post("/api/jobs/demo", R"({"train": true, "model_type": "svm"})",
                                "application/json");
  ASSERT_TRUE(bad_type);
  EXPECT_EQ(bad_type->status, 400);
  EXPECT_NE(bad_type->body.find("model_type must be logreg, gbdt, lgbm or auto"), std::string::npos)
      << bad_type->body;
  auto bad_value =
      client_->Post("/api/jobs/demo", R"({"value_per_qualified": "lots"})", "application/json");
  ASSERT_TRUE(bad_value);
  EXPECT_EQ(bad_value->status, 400);
  auto not_multipart = client_->Post("/api/validate", "ads=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(not_multipart);
  EXPECT_EQ(not_multipart->status, 400);
  auto missing_leads =
      client_->Post("/api/validate", httplib::MultipartFormDataItems{text_part("x", "1")});
  ASSERT_TRUE(missing_leads);
  EXPECT_EQ(missing_leads->status, 400);
  EXPECT_NE(missing_leads->body.find("leads.csv"), std::string::npos);
  // A foreign Host header (DNS rebinding) is refused.
  auto foreign = client_->Get("/api/info", {{"Host", "attacker.example:8501"}});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  get_json("/api/info");
}

TEST_F(ServeTest, DemoRunIsListedWithLeaderboardsAndReportSections) {
  const std::string run = demo_run_id(/*train=*/true);
  const json runs = get_json("/api/runs");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["id"], run);
  EXPECT_EQ(runs[0]["kind"], "demo");
  EXPECT_EQ(runs[0]["leads"], 12000);
  const json details = get_json("/api/runs/" + run);
  EXPECT_TRUE(details["metrics"].is_object());
  std::set<std::string> files;
  for (const auto& f : details["files"]) files.insert(f["name"]);
  for (const char* name :
       {"predictions.csv", "leaderboard_campaign.csv", "model.json", "report.html", "data/ads.csv"})
    EXPECT_TRUE(files.count(name)) << name;
  const json board = get_json("/api/runs/" + run + "/leaderboard/campaign");
  ASSERT_GT(board["rows"].size(), 0u);
  EXPECT_EQ(board["columns"][0], "campaign_id");
  EXPECT_TRUE(board["rows"][0][0].is_string());  // ids stay text
  const auto spend = std::find(board["columns"].begin(), board["columns"].end(), "spend") -
                     board["columns"].begin();
  EXPECT_TRUE(board["rows"][0][spend].is_number());
  auto model = get("/api/runs/" + run + "/section/model");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->status, 200);
  EXPECT_NE(model->body.find("<svg"), std::string::npos);  // the report's charts
  auto overview = get("/api/runs/" + run + "/section/overview");
  ASSERT_TRUE(overview);
  EXPECT_NE(overview->body.find("Run summary"), std::string::npos);
  // The overview's tiles, chart and budget panel, money in the demo's EUR.
  EXPECT_NE(overview->body.find("class=\"tiles\""), std::string::npos);
  EXPECT_NE(overview->body.find("data-metric=\"cost_per_expected_qualified\""), std::string::npos);
  EXPECT_NE(overview->body.find("id=\"overview-budget\""), std::string::npos);
  EXPECT_NE(overview->body.find("\xC2\xA0"
                                "EUR"),
            std::string::npos);
  EXPECT_NE(overview->body.find("the demo's default"), std::string::npos);
}

TEST_F(ServeTest, RunKindComesFromTheMetadataNotFromWordsInTheCommand) {
  // The pipeline records the kind; the command line's words (a config named train.yaml,
  // "elv demo" in a path) never decide it.
  const std::string demo = demo_run_id();
  EXPECT_EQ(json::parse(read_file(root_ / "runs" / demo / "metadata.json"))["run_kind"], "demo");
  EXPECT_EQ(get_json("/api/runs/" + demo)["kind"], "demo");

  const fs::path copy = root_ / "runs" / "scored-copy";
  fs::copy(root_ / "runs" / demo, copy, fs::copy_options::recursive);
  json meta = json::parse(read_file(copy / "metadata.json"));
  meta["command"] = "elv demo --config my train.yaml";
  meta["run_kind"] = "score";
  std::ofstream(copy / "metadata.json") << meta.dump();
  EXPECT_EQ(get_json("/api/runs/scored-copy")["kind"], "score");

  // A run folder from before elv recorded its kind: read from its files, as report.html does.
  meta.erase("run_kind");
  std::ofstream(copy / "metadata.json") << meta.dump();
  EXPECT_EQ(get_json("/api/runs/scored-copy")["kind"], "score");
}

TEST_F(ServeTest, ValidateNamesTheMissingColumnAndTheUploadedFile) {
  const std::string run = demo_run_id();
  const fs::path leads = root_ / "leads.csv";
  {
    std::ifstream in(data_of(run) / "leads.csv");
    std::ofstream out(leads);
    std::string line;
    // Drop the second column (created_time) from every line.
    while (std::getline(in, line)) {
      const size_t a = line.find(','), b = line.find(',', a + 1);
      out << line.substr(0, a) << line.substr(b) << "\n";
    }
  }
  auto res = client_->Post(
      "/api/validate", httplib::MultipartFormDataItems{file_part("ads", data_of(run) / "ads.csv"),
                                                       file_part("leads", leads)});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json report = json::parse(res->body);
  EXPECT_FALSE(report["ok"].get<bool>());
  ASSERT_FALSE(report["errors"].empty());
  EXPECT_EQ(report["errors"][0]["column"], "created_time");
  EXPECT_EQ(report["errors"][0]["file"], "leads.csv");
  EXPECT_EQ(res->body.find(".upload-"), std::string::npos);
  // The good file validates.
  auto good = client_->Post("/api/validate", httplib::MultipartFormDataItems{
                                                 file_part("ads", data_of(run) / "ads.csv"),
                                                 file_part("leads", data_of(run) / "leads.csv")});
  ASSERT_TRUE(good);
  EXPECT_TRUE(json::parse(good->body)["ok"].get<bool>()) << good->body;
}

// The drop zone (field `files`): names that could leave the upload folder, or hide in it, are
// refused before anything is written; more than 16 files too; an accepted name with spaces
// is saved sanitised but answered as the browser gave it.
TEST_F(ServeTest, DroppedFilesAreNamedSafelyAndRecognisedByHeader) {
  const std::string run = demo_run_id();
  auto dropped = [&](const std::string& name, const fs::path& path) {
    return httplib::MultipartFormData{"files", read_file(path), name, "text/csv"};
  };
  const fs::path ads = data_of(run) / "ads.csv", leads = data_of(run) / "leads.csv";
  for (const std::string& bad :
       std::vector<std::string>{"../ads.csv", "a/ads.csv", "a\\ads.csv", ".ads.csv", "ads..csv",
                                std::string(200, 'a') + ".csv"}) {
    auto res = client_->Post("/api/validate", httplib::MultipartFormDataItems{
                                                  dropped(bad, ads), dropped("l.csv", leads)});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_NE(res->body.find("file name not accepted"), std::string::npos) << res->body;
  }
  httplib::MultipartFormDataItems many;
  for (int i = 0; i < 17; ++i) many.push_back(dropped("f" + std::to_string(i) + ".csv", ads));
  auto too_many = client_->Post("/api/validate", many);
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 400);
  EXPECT_NE(too_many->body.find("at most 16 files"), std::string::npos) << too_many->body;

  auto res = client_->Post("/api/validate",
                           httplib::MultipartFormDataItems{dropped("My ads (May).csv", ads),
                                                           dropped("export 2.csv", leads)});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json report = json::parse(res->body);
  ASSERT_EQ(report["recognised"].size(), 2u) << res->body;
  EXPECT_EQ(report["recognised"][0]["role"], "ads");
  EXPECT_EQ(report["recognised"][0]["file"], "My ads (May).csv");
  EXPECT_EQ(report["recognised"][1]["role"], "leads");
  EXPECT_EQ(report["recognised"][1]["file"], "export 2.csv");
  EXPECT_EQ(report["recognised"][1]["how"].get<std::string>().rfind("by headers: ", 0), 0u);
  EXPECT_EQ(report["question_columns"], json::array());
  EXPECT_EQ(res->body.find(".upload-"), std::string::npos);
  // Nothing is left behind in the runs folder.
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    EXPECT_NE(e.path().filename().string().rfind(".upload-", 0), 0u) << e.path();
}

TEST_F(ServeTest, BringYourOwnTrainingIsCappedAndKeepsUploadsWhenAsked) {
  const std::string demo = demo_run_id();
  const fs::path d = data_of(demo);
  // The value of a qualified lead: "40" from the form, or left empty (the placeholder).
  auto upload = [&](bool keep, const std::string& value) {
    auto res = client_->Post(
        "/api/jobs/byo", httplib::MultipartFormDataItems{
                             file_part("ads", d / "ads.csv"), file_part("leads", d / "leads.csv"),
                             file_part("outcomes", d / "outcomes.csv"), text_part("train", "true"),
                             text_part("value_per_qualified", value),
                             text_part("keep_uploads", keep ? "true" : "")});
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 202) << res->body;
    return wait_for_job(json::parse(res->body)["job_id"]);
  };
  const json kept = upload(true, "40");
  ASSERT_EQ(kept["state"], "succeeded") << kept.dump();
  const fs::path run = root_ / "runs" / kept["run_id"].get<std::string>();
  const json metrics = json::parse(read_file(run / "metrics.json"));
  EXPECT_EQ(metrics["data"]["n_labeled"], 3000);  // the server's cap
  EXPECT_GT(metrics["data"]["n_labeled_before_cap"].get<int>(), 3000);
  ASSERT_EQ(kept["notes"].size(), 1u);
  EXPECT_NE(kept["notes"][0].get<std::string>().find("3000"), std::string::npos);
  EXPECT_TRUE(fs::exists(run / "inputs" / "leads.csv"));
  EXPECT_EQ(read_file(run / "inputs" / "leads.csv"), read_file(d / "leads.csv"));
  EXPECT_NE(read_file(run / "config.yaml").find("value_per_qualified: 40"), std::string::npos);
  const json kept_meta = json::parse(read_file(run / "metadata.json"));
  EXPECT_EQ(kept_meta["value_per_qualified"], 40.0);
  EXPECT_EQ(kept_meta["value_per_qualified_source"], "form");

  const json dropped = upload(false, "");
  ASSERT_EQ(dropped["state"], "succeeded") << dropped.dump();
  // Left empty: the run still happens, on the placeholder, and says so.
  const fs::path placeholder_run = root_ / "runs" / dropped["run_id"].get<std::string>();
  const json meta = json::parse(read_file(placeholder_run / "metadata.json"));
  EXPECT_EQ(meta["value_per_qualified"], 1.0);
  EXPECT_EQ(meta["value_per_qualified_source"], "placeholder");
  EXPECT_EQ(read_file(placeholder_run / "config.yaml").find("value_per_qualified"),
            std::string::npos);
  EXPECT_NE(read_file(placeholder_run / "report.html").find("id=\"value-banner\""),
            std::string::npos);
  EXPECT_EQ(read_file(run / "report.html").find("id=\"value-banner\""), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "runs" / dropped["run_id"].get<std::string>() / "inputs"));
  for (const auto& e : fs::directory_iterator(root_ / "runs")) {
    if (e.path().filename() != ".jobs") {
      EXPECT_NE(e.path().filename().string()[0], '.') << "left: " << e.path();
    }
  }

  // Scoring needs a model; training needs outcomes.
  auto no_model = client_->Post(
      "/api/jobs/byo", httplib::MultipartFormDataItems{file_part("ads", d / "ads.csv"),
                                                       file_part("leads", d / "leads.csv")});
  ASSERT_TRUE(no_model);
  EXPECT_EQ(no_model->status, 400);
  EXPECT_NE(no_model->body.find("model.json"), std::string::npos);
}

TEST_F(ServeTest, TwoJobsAtOnceDoNotDisturbEachOther) {
  const std::string a = start_demo({{"seed", 1}});
  const std::string b = start_demo({{"seed", 2}, {"value_per_qualified", 10}});
  const json ja = wait_for_job(a), jb = wait_for_job(b);
  ASSERT_EQ(ja["state"], "succeeded") << ja.dump();
  ASSERT_EQ(jb["state"], "succeeded") << jb.dump();
  EXPECT_NE(ja["run_id"], jb["run_id"]);
  EXPECT_GT(ja["stages"].size(), 10u);
  EXPECT_EQ(ja["progress"], 1.0);
  // Each run has its own data: different seeds, different leads.
  const auto leads_a = read_file(data_of(ja["run_id"]) / "leads.csv");
  const auto leads_b = read_file(data_of(jb["run_id"]) / "leads.csv");
  EXPECT_NE(leads_a, leads_b);
  EXPECT_NE(read_file(root_ / "runs" / jb["run_id"].get<std::string>() / "config.yaml")
                .find("value_per_qualified: 10"),
            std::string::npos);
  // The demo's realistic default, in EUR, unless the body gave a value.
  const json ma =
      json::parse(read_file(root_ / "runs" / ja["run_id"].get<std::string>() / "metadata.json"));
  EXPECT_EQ(ma["value_per_qualified"], 40.0);
  EXPECT_EQ(ma["value_per_qualified_source"], "demo default");
  EXPECT_EQ(ma["currency"], "EUR");
  const json mb =
      json::parse(read_file(root_ / "runs" / jb["run_id"].get<std::string>() / "metadata.json"));
  EXPECT_EQ(mb["value_per_qualified"], 10.0);
  EXPECT_EQ(mb["value_per_qualified_source"], "form");
  EXPECT_EQ(get_json("/api/jobs").size(), 2u);
}

}  // namespace
}  // namespace elv::server
