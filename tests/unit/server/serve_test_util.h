// The in-process elv serve the server tests drive (test_server.cpp, test_advice_routes.cpp):
// a server on a free port under a temporary folder, a cpp-httplib client, and helpers to
// start demo runs and wait for jobs.
#pragma once
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run/run_folder.h"
#include "server/jobs.h"
#include "server/server.h"

namespace elv::server {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A job that makes its run folder, writes a file in it, then works through kSteps progress
// checks 5 ms apart (20 s at most) before committing: long enough to be cancelled or shut
// down half-way. `started` turns true once the half-written file is there; `steps` counts
// the checks passed.
struct HalfWayJob {
  static constexpr int kSteps = 4000;
  std::atomic<bool> started{false};
  std::atomic<int> steps{0};

  JobRegistry::Work work(const fs::path& final_dir, const fs::path& runs) {
    return [this, final_dir, runs](JobContext& job) {
      job.will_create_run(final_dir.filename().string());
      run::RunFolder run = run::RunFolder::create(final_dir.string(), false, runs.string());
      std::ofstream(run.file("half-written.csv")) << "a,b\n";
      started = true;
      for (int i = 0; i < kSteps; ++i) {
        job.progress().stage("step " + std::to_string(i));
        ++steps;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      run.commit();
      return final_dir.filename().string();
    };
  }
  void wait_until_started() const {
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("elv-serve-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "runs");
    // A file beside the runs folder that no request may ever return.
    std::ofstream(root_ / "secret.txt") << "TOP-SECRET-LEADS\n";
    start_server(200);
  }
  void TearDown() override {
    stop_server();
    fs::remove_all(root_);
  }

  // A test's own settings (host, advisor endpoint…), applied before each start.
  virtual void configure(ServerOptions&) {}

  void start_server(uint64_t max_upload_mb) {
    ServerOptions o;
    o.port = 0;
    o.runs_dir = (root_ / "runs").string();
    o.max_upload_mb = max_upload_mb;
    o.max_train_leads = 3000;
    o.threads = 1;
    configure(o);
    server_ = std::make_unique<Server>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    for (int i = 0; i < 200 && !server_->is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
  }
  void stop_server() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();  // waits for running jobs
  }

  httplib::Result get(const std::string& path) { return client_->Get(path.c_str()); }

  json get_json(const std::string& path, int expected_status = 200) {
    auto res = get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  // Polls a job until it ends; returns its last state.
  json wait_for_job(const std::string& id) {
    for (int i = 0; i < 1200; ++i) {
      const json job = get_json("/api/jobs/" + id);
      if (job["state"] == "succeeded" || job["state"] == "failed" || job["state"] == "cancelled")
        return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << id << " did not end";
    return nullptr;
  }

  std::string start_demo(const json& body = json::object()) {
    auto res = client_->Post("/api/jobs/demo", body.dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 202) << res->body;
    return json::parse(res->body)["job_id"];
  }

  // A finished demo run (its data folder holds the demo CSVs).
  std::string demo_run_id(bool train = false) {
    const json job = wait_for_job(start_demo({{"train", train}}));
    EXPECT_EQ(job["state"], "succeeded") << job.dump();
    return job["run_id"].get<std::string>();
  }
  fs::path data_of(const std::string& run_id) { return root_ / "runs" / run_id / "data"; }

  static httplib::MultipartFormData file_part(const std::string& field, const fs::path& path) {
    return {field, read_file(path), path.filename().string(), "text/csv"};
  }
  static httplib::MultipartFormData text_part(const std::string& field, const std::string& value) {
    return {field, value, "", ""};
  }

  fs::path root_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace elv::server
