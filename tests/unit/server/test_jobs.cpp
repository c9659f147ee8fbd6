// Jobs that survive the server and can be cancelled (docs/SERVE.md, "Jobs"): the registry
// on its own (records read back, interrupted jobs, cancel at a progress check) and through
// the HTTP API (a restart keeps the job list; a cancelled demo leaves nothing behind).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "run/run_folder.h"
#include "serve_test_util.h"
#include "server/jobs.h"

namespace elv::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class JobRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    runs_ = fs::path(::testing::TempDir()) /
            ("elv-jobs-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(runs_);
    fs::create_directories(runs_);
  }
  void TearDown() override { fs::remove_all(runs_); }

  std::string store() const { return (runs_ / ".jobs").string(); }

  static json wait_until_ended(const JobRegistry& jobs, const std::string& id) {
    for (int i = 0; i < 2000; ++i) {
      const json job = *jobs.get(id);
      const std::string state = job["state"];
      if (state != "queued" && state != "running") return job;
      std::this_thread::sleep_for(5ms);
    }
    ADD_FAILURE() << "job " << id << " did not end";
    return nullptr;
  }

  fs::path runs_;
};

TEST_F(JobRegistryTest, BeyondMaxRunningJobsWaitInOrderWithTheirPlaceAndCanBeCancelled) {
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  auto blocking = [&](JobContext& job) {
    ++ran;
    job.progress().stage("work");
    while (!release.load()) std::this_thread::sleep_for(2ms);
    return std::string("run");
  };
  JobRegistry jobs(store(), /*max_running=*/1);
  const std::string a = jobs.start("demo", 1, blocking);
  const std::string b = jobs.start("demo", 1, blocking);
  const std::string c = jobs.start("demo", 1, blocking);
  for (int i = 0; i < 1000 && (*jobs.get(a))["state"] != "running"; ++i)
    std::this_thread::sleep_for(2ms);
  std::this_thread::sleep_for(50ms);  // time for b or c to start, were the limit not kept
  EXPECT_EQ((*jobs.get(a))["state"], "running");
  EXPECT_EQ((*jobs.get(a))["queue_position"], 0);
  EXPECT_EQ((*jobs.get(b))["state"], "queued");
  EXPECT_EQ((*jobs.get(b))["queue_position"], 1);
  EXPECT_EQ((*jobs.get(c))["queue_position"], 2);
  EXPECT_EQ(ran.load(), 1);
  // c is cancelled while it waits: it ends without running, and b stays first.
  EXPECT_EQ(jobs.cancel(c), CancelOutcome::kRequested);
  EXPECT_EQ(wait_until_ended(jobs, c)["state"], "cancelled");
  EXPECT_EQ((*jobs.get(b))["queue_position"], 1);
  release = true;
  EXPECT_EQ(wait_until_ended(jobs, a)["state"], "succeeded");
  EXPECT_EQ(wait_until_ended(jobs, b)["state"], "succeeded");
  EXPECT_EQ(ran.load(), 2);
}

TEST_F(JobRegistryTest, JobsStillQueuedWhenTheRegistryEndsAreCancelled) {
  std::atomic<bool> release{false};
  std::atomic<bool> queued_ran{false};
  std::string running_id, queued_id;
  std::thread releaser;
  {
    JobRegistry jobs(store(), 1);
    running_id = jobs.start("demo", 1, [&](JobContext&) {
      while (!release.load()) std::this_thread::sleep_for(2ms);
      return std::string("run");
    });
    queued_id = jobs.start("demo", 1, [&](JobContext&) {
      queued_ran = true;
      return std::string("never");
    });
    for (int i = 0; i < 1000 && (*jobs.get(running_id))["state"] != "running"; ++i)
      std::this_thread::sleep_for(2ms);
    // The running job ends well after the registry's end has begun (its destructor waits
    // for it): by then the queued one has been told to stop.
    releaser = std::thread([&] {
      std::this_thread::sleep_for(300ms);
      release = true;
    });
  }
  releaser.join();
  JobRegistry again(store());
  EXPECT_EQ((*again.get(running_id))["state"], "succeeded");
  EXPECT_EQ((*again.get(queued_id))["state"], "cancelled");
  EXPECT_FALSE(queued_ran.load());
}

TEST_F(JobRegistryTest, FinishedAndFailedJobsAreReadBackByANewRegistry) {
  std::string ok_id, bad_id;
  {
    JobRegistry jobs(store());
    JobSpec spec;
    spec.kind = "demo";
    spec.name = "Spring campaigns";
    ok_id = jobs.start(spec, [](JobContext& job) {
      job.progress().stage("generate demo data");
      job.progress().stage("score");
      job.note("a note for the page");
      return std::string("20260101T000000Z-abcdef");
    });
    wait_until_ended(jobs, ok_id);
    bad_id = jobs.start("train", 3, [](JobContext&) -> std::string {
      throw elv::Error("leads.csv: column 'lead_id' is missing");
    });
    wait_until_ended(jobs, bad_id);
  }  // the server stops
  ASSERT_TRUE(fs::is_regular_file(runs_ / ".jobs" / (ok_id + ".json")));

  JobRegistry again(store());
  const json list = again.list();
  ASSERT_EQ(list.size(), 2u) << list.dump(2);
  EXPECT_EQ(list[0]["id"], bad_id);  // newest first
  const json ok = *again.get(ok_id);
  EXPECT_EQ(ok["state"], "succeeded");
  EXPECT_EQ(ok["name"], "Spring campaigns");
  EXPECT_EQ(ok["run_id"], "20260101T000000Z-abcdef");
  EXPECT_EQ(ok["progress"], 1.0);
  ASSERT_EQ(ok["stages"].size(), 2u);
  EXPECT_EQ(ok["stages"][1]["name"], "score");
  EXPECT_EQ(ok["notes"], json::array({"a note for the page"}));
  const std::string log = ok["log"].dump();
  EXPECT_NE(log.find("stage: generate demo data"), std::string::npos) << log;
  EXPECT_NE(log.find("succeeded: run 20260101T000000Z-abcdef"), std::string::npos) << log;
  const json bad = *again.get(bad_id);
  EXPECT_EQ(bad["state"], "failed");
  EXPECT_EQ(bad["error"], "leads.csv: column 'lead_id' is missing");
  EXPECT_TRUE(bad["run_id"].is_null());
  EXPECT_EQ(again.running(), 0);
  // Numbers go on from the old ones: the next job is the third.
  const std::string third = again.start("demo", 1, [](JobContext&) { return std::string("r"); });
  EXPECT_EQ(third.rfind("j3-", 0), 0u) << third;
  wait_until_ended(again, third);
}

TEST_F(JobRegistryTest, AJobRunningWhenTheServerDiedReadsAsFailedAndItsFoldersGo) {
  fs::create_directories(runs_ / ".jobs");
  fs::create_directories(runs_ / ".upload-0123456789ab" / "dropped");
  fs::create_directories(runs_ / ".20260102T030405Z-a1b2c3.tmp-999999");
  fs::create_directories(runs_ / "20260101T000000Z-keepme");  // a finished run: untouched
  fs::create_directories(runs_ / ".keep-me-too");             // named by no record
  const json record = {{"id", "j7-aaaaaa"},
                       {"number", 7},
                       {"kind", "train"},
                       {"state", "running"},
                       {"stage", "fit logreg and calibrate"},
                       {"stages", json::array({{{"name", "read ads"}, {"seconds", 0.5}}})},
                       {"created_at", "2026-01-02T03:04:05+00:00"},
                       {"expected_stages", 10},
                       {"temp_folder", (runs_ / ".upload-0123456789ab").string()},
                       {"planned_run", "20260102T030405Z-a1b2c3"}};
  std::ofstream(runs_ / ".jobs" / "j7-aaaaaa.json") << record.dump();
  // A damaged record points outside the runs folder: it is never followed.
  json outside = record;
  outside["id"] = "j8-bbbbbb";
  outside["number"] = 8;
  outside["temp_folder"] = (runs_ / "20260101T000000Z-keepme").string();
  outside["planned_run"] = "../x";
  std::ofstream(runs_ / ".jobs" / "j8-bbbbbb.json") << outside.dump();
  std::ofstream(runs_ / ".jobs" / "j9-cccccc.json") << "{not json";
  // Running in another server that is still alive (here: this test's parent process).
  json alive = record;
  alive["id"] = "j10-dddddd";
  alive["number"] = 10;
  alive["server_pid"] = static_cast<int64_t>(::getppid());
  alive["temp_folder"] = (runs_ / ".upload-other-server").string();
  fs::create_directories(runs_ / ".upload-other-server");
  std::ofstream(runs_ / ".jobs" / "j10-dddddd.json") << alive.dump();

  JobRegistry jobs(store());
  const json job = *jobs.get("j7-aaaaaa");
  EXPECT_EQ(job["state"], "failed");
  EXPECT_EQ(job["error"], "interrupted: the server stopped");
  EXPECT_EQ(job["stage"], "");
  EXPECT_GT(job["progress"].get<double>(), 0.0);  // how far it got
  EXPECT_FALSE(fs::exists(runs_ / ".upload-0123456789ab"));
  EXPECT_FALSE(fs::exists(runs_ / ".20260102T030405Z-a1b2c3.tmp-999999"));
  EXPECT_TRUE(fs::is_directory(runs_ / "20260101T000000Z-keepme"));
  EXPECT_TRUE(fs::is_directory(runs_ / ".keep-me-too"));
  EXPECT_EQ((*jobs.get("j8-bbbbbb"))["state"], "failed");
  EXPECT_FALSE(jobs.get("j9-cccccc"));   // skipped, not fatal
  EXPECT_FALSE(jobs.get("j10-dddddd"));  // the other server's, left alone
  EXPECT_TRUE(fs::is_directory(runs_ / ".upload-other-server"));
  EXPECT_EQ(json::parse(std::ifstream(runs_ / ".jobs" / "j10-dddddd.json"))["state"], "running");
  EXPECT_EQ(jobs.running(), 0);
  // The record on disk says so too: a second restart reads the same.
  std::ifstream in(runs_ / ".jobs" / "j7-aaaaaa.json");
  EXPECT_EQ(json::parse(in)["error"], "interrupted: the server stopped");
}

TEST_F(JobRegistryTest, CancelStopsAtTheNextProgressCheckAndTheRunFolderGoes) {
  std::atomic<bool> cleaned{false};
  HalfWayJob half_way;
  std::string id;
  {
    JobRegistry jobs(store());
    JobSpec spec;
    spec.kind = "demo";
    spec.cleanup = [&] { cleaned = true; };
    id = jobs.start(spec, half_way.work(runs_ / "20260103T000000Z-cafe00", runs_));
    half_way.wait_until_started();
    EXPECT_EQ(jobs.cancel(id), CancelOutcome::kRequested);
    EXPECT_TRUE((*jobs.get(id))["cancel_requested"].get<bool>());
    const json job = wait_until_ended(jobs, id);
    EXPECT_EQ(job["state"], "cancelled");
    EXPECT_LT(half_way.steps.load(), HalfWayJob::kSteps);
    EXPECT_TRUE(job["run_id"].is_null());
    EXPECT_TRUE(job["error"].is_null());
    EXPECT_FALSE(job["cancellable"].get<bool>());
    EXPECT_TRUE(cleaned.load());
    // Nothing half-written: no final folder, no temporary sibling.
    for (const auto& e : fs::directory_iterator(runs_))
      EXPECT_EQ(e.path().filename(), ".jobs") << "left: " << e.path();
    EXPECT_EQ(jobs.cancel(id), CancelOutcome::kAlreadyEnded);
    EXPECT_EQ(jobs.cancel("j99-nothere"), CancelOutcome::kNoSuchJob);
  }  // the server stops: its worker has written the job's last record
  // The record says "cancelled" after a restart too.
  JobRegistry again(store());
  EXPECT_EQ((*again.get(id))["state"], "cancelled");
}

TEST_F(JobRegistryTest, AJobThatMayNotStopHalfWayRefusesTheCancel) {
  JobRegistry jobs;  // in memory only
  std::atomic<bool> release{false};
  JobSpec spec;
  spec.kind = "creatives";
  spec.cancellable = false;
  const std::string id = jobs.start(spec, [&](JobContext& job) {
    while (!release) {
      job.progress().stage("embed creatives");
      std::this_thread::sleep_for(2ms);
    }
    return std::string("r");
  });
  EXPECT_EQ(jobs.cancel(id), CancelOutcome::kNotCancellable);
  release = true;
  EXPECT_EQ(wait_until_ended(jobs, id)["state"], "succeeded");
  EXPECT_FALSE(fs::exists(runs_ / ".jobs"));
}

// Through the API: the server's own runs folder holds the records.
TEST_F(ServeTest, AFinishedJobIsListedAgainAfterTheServerRestarts) {
  const std::string job_id = start_demo({{"name", "Before the restart"}});
  const json before = wait_for_job(job_id);
  ASSERT_EQ(before["state"], "succeeded") << before.dump();
  stop_server();
  start_server(200);  // a new server on the same runs folder
  const json jobs = get_json("/api/jobs");
  ASSERT_EQ(jobs.size(), 1u) << jobs.dump(2);
  EXPECT_EQ(jobs[0]["id"], job_id);
  EXPECT_EQ(jobs[0]["state"], "succeeded");
  EXPECT_EQ(jobs[0]["run_id"], before["run_id"]);
  EXPECT_EQ(jobs[0]["name"], "Before the restart");
  const json one = get_json("/api/jobs/" + job_id);
  EXPECT_EQ(one["stages"], before["stages"]);
  EXPECT_EQ(get_json("/api/info")["running_jobs"], 0);
  // Its run is still there, and a new job takes the next number.
  EXPECT_EQ(get_json("/api/runs").size(), 1u);
  const std::string next = start_demo();
  EXPECT_EQ(next.rfind("j2-", 0), 0u) << next;
  EXPECT_EQ(wait_for_job(next)["state"], "succeeded");
  EXPECT_EQ(get_json("/api/jobs").size(), 2u);
}

TEST_F(ServeTest, ACancelledJobLeavesNoRunFolderAndNoTemporaryFolder) {
  // Training on the demo data takes a few seconds on one thread: long enough to cancel.
  const std::string id = start_demo({{"train", true}, {"model_type", "gbdt"}});
  // Cancel once the pipeline is under way: its run folder exists, half-written.
  for (int i = 0; i < 2000 && get_json("/api/jobs/" + id)["stage"] == ""; ++i)
    std::this_thread::sleep_for(2ms);
  ASSERT_EQ(get_json("/api/jobs/" + id)["state"], "running");
  auto res = client_->Post("/api/jobs/" + id + "/cancel");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  EXPECT_TRUE(json::parse(res->body)["cancel_requested"].get<bool>());
  const json job = wait_for_job(id);
  EXPECT_EQ(job["state"], "cancelled") << job.dump();
  EXPECT_TRUE(job["run_id"].is_null());
  EXPECT_EQ(get_json("/api/runs").size(), 0u);
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    EXPECT_EQ(e.path().filename(), ".jobs") << "left: " << e.path();
  // Cancelling again, or a job that does not exist.
  auto again = client_->Delete("/api/jobs/" + id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;
  auto none = client_->Post("/api/jobs/j404-nothere/cancel");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  // The server goes on: the next demo runs to the end.
  demo_run_id();
}

TEST_F(ServeTest, RunsAreNamedByTheUserOrByWhatTheyDid) {
  const json named = wait_for_job(start_demo({{"name", "  Spring campaigns  "}}));
  ASSERT_EQ(named["state"], "succeeded") << named.dump();
  const std::string named_run = named["run_id"];
  EXPECT_EQ(named["name"], "Spring campaigns");
  const json meta = json::parse(read_file(root_ / "runs" / named_run / "metadata.json"));
  EXPECT_EQ(meta["name"], "Spring campaigns");
  EXPECT_EQ(meta["run_kind"], "demo");
  EXPECT_EQ(get_json("/api/runs/" + named_run)["name"], "Spring campaigns");

  const std::string plain = demo_run_id();
  const json plain_meta = json::parse(read_file(root_ / "runs" / plain / "metadata.json"));
  const int64_t rows = plain_meta["table"]["rows"];
  ASSERT_GT(rows, 1000);
  std::string grouped = std::to_string(rows);
  for (int i = static_cast<int>(grouped.size()) - 3; i > 0; i -= 3)
    grouped.insert(static_cast<size_t>(i), ",");
  EXPECT_EQ(plain_meta["name"], "Demo, scored, " + grouped + " leads");
  for (const json& r : get_json("/api/runs")) {
    if (r["id"] == plain) {
      EXPECT_EQ(r["name"], "Demo, scored, " + grouped + " leads");
    }
  }

  // A name with a line break, or too long, is refused before any job starts.
  for (const std::string& bad : {std::string("two\nlines"), std::string(121, 'x')}) {
    auto res = client_->Post("/api/jobs/demo", json{{"name", bad}}.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_NE(res->body.find("run name"), std::string::npos) << res->body;
  }
  EXPECT_EQ(get_json("/api/jobs").size(), 2u);
}

}  // namespace
}  // namespace elv::server
