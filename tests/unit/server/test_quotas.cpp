// The quotas of elv serve over HTTP (docs/SERVE.md, "Limits"): --max-jobs queues the second
// of two clients' jobs behind the first, the per-client limits answer 429 with Retry-After,
// and --max-runs keeps the newest runs the server made and every run it did not make.
#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "serve_test_util.h"
#include "server/access.h"

namespace elv::server {
namespace {

class OneJobAtATime : public ServeTest {
 protected:
  void configure(ServerOptions& o) override { o.max_jobs = 1; }
};

TEST_F(OneJobAtATime, TheSecondClientsJobWaitsItsTurn) {
  // Two clients, one connection each, start a demo job at about the same time.
  httplib::Client other("127.0.0.1", port_);
  const std::string first = start_demo();
  auto res = other.Post("/api/jobs/demo", "{}", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202);
  const std::string second = json::parse(res->body)["job_id"];
  bool both_running = false, second_seen_waiting = false;
  for (int i = 0; i < 4000; ++i) {
    const json a = get_json("/api/jobs/" + first), b = get_json("/api/jobs/" + second);
    both_running |= a["state"] == "running" && b["state"] == "running";
    if (b["state"] == "queued" && b["queue_position"] == 1) second_seen_waiting = true;
    const auto ended = [](const json& j) {
      return j["state"] != "queued" && j["state"] != "running";
    };
    if (ended(a) && ended(b)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(both_running);
  EXPECT_TRUE(second_seen_waiting);
  EXPECT_EQ(wait_for_job(first)["state"], "succeeded");
  EXPECT_EQ(wait_for_job(second)["state"], "succeeded");
}

class RateLimited : public ServeTest {
 protected:
  void configure(ServerOptions& o) override {
    o.max_jobs_per_minute = 2;
    o.max_requests_per_minute = 40;  // a burst of 20, then one every 1.5 s
  }
};

TEST_F(RateLimited, TooManyJobsOrRequestsFromOneAddressGet429) {
  const std::string a = start_demo(), b = start_demo();
  auto third = client_->Post("/api/jobs/demo", "{}", "application/json");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 429);
  EXPECT_NE(third->body.find("too many jobs"), std::string::npos);
  const int retry = std::stoi(third->get_header_value("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 30);
  // Requests: the burst is spent by the job starts and a few reads, then 429.
  int refused = 0, answered = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = get("/api/info");
    ASSERT_TRUE(r);
    (r->status == 429 ? refused : answered) += 1;
  }
  EXPECT_GE(answered, 10);
  EXPECT_GE(refused, 15);
  // Health checks from a load balancer are never refused.
  auto health = get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_NE(health->status, 429);
}

TEST(ClientAddress, TheProxysLastEntryOnlyWhenTrusted) {
  EXPECT_EQ(client_address("10.0.0.9", "203.0.113.7", false), "10.0.0.9");
  EXPECT_EQ(client_address("10.0.0.9", "203.0.113.7", true), "203.0.113.7");
  // A client may send its own header: only the entry the proxy appended (the last) counts.
  EXPECT_EQ(client_address("10.0.0.9", "1.2.3.4, 198.51.100.2", true), "198.51.100.2");
  EXPECT_EQ(client_address("10.0.0.9", "1.2.3.4,2001:db8::1 ", true), "2001:db8::1");
  EXPECT_EQ(client_address("10.0.0.9", "", true), "10.0.0.9");
  EXPECT_EQ(client_address("10.0.0.9", "evil\nline", true), "10.0.0.9");
  EXPECT_EQ(client_address("10.0.0.9", std::string(100, '1'), true), "10.0.0.9");
}

// Behind a proxy every request comes from its address: with --trust-proxy each visitor has
// a budget of their own; without it, the header is ignored and all share one.
class BehindAProxy : public ServeTest {
 protected:
  void configure(ServerOptions& o) override {
    o.max_jobs_per_minute = 1;
    o.trust_proxy = trusted;
  }
  int start_as(const std::string& visitor) {
    httplib::Headers headers = {{"X-Forwarded-For", "1.1.1.1, " + visitor}};
    auto res = client_->Post("/api/jobs/demo", headers, "{}", "application/json");
    EXPECT_TRUE(res);
    if (res && res->status == 202) wait_for_job(json::parse(res->body)["job_id"]);
    return res ? res->status : 0;
  }
  bool trusted = true;
};

TEST_F(BehindAProxy, EachVisitorHasABudgetOnlyWhenTheProxyIsTrusted) {
  EXPECT_EQ(start_as("203.0.113.1"), 202);
  EXPECT_EQ(start_as("203.0.113.2"), 202);
  EXPECT_EQ(start_as("203.0.113.1"), 429);
  stop_server();
  trusted = false;
  start_server(200);
  EXPECT_EQ(start_as("203.0.113.3"), 202);
  EXPECT_EQ(start_as("203.0.113.4"), 429);  // the header is ignored: one budget for all
}

class FewRuns : public ServeTest {
 protected:
  void configure(ServerOptions& o) override { o.max_runs = 3; }
};

TEST_F(FewRuns, FiveDemoJobsLeaveTheThreeNewestServerRunsAndEveryCliRun) {
  // Two runs made by the command line (or by hand) before the server started.
  for (const std::string id : {"20250101T000000Z-cli001", "20991231T000000Z-cli002"}) {
    fs::create_directories(root_ / "runs" / id);
    std::ofstream(root_ / "runs" / id / "metadata.json")
        << R"({"command": "elv demo", "created_at_utc": "2025-01-01T00:00:00Z"})";
  }
  std::vector<std::string> made;
  for (int i = 0; i < 5; ++i) {
    const json job = wait_for_job(start_demo());
    ASSERT_EQ(job["state"], "succeeded") << job.dump();
    made.push_back(job["run_id"]);
  }
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(root_ / "runs")) {
    const std::string name = e.path().filename().string();
    if (name.front() != '.') left.insert(name);
  }
  EXPECT_EQ(left, (std::set<std::string>{"20250101T000000Z-cli001", "20991231T000000Z-cli002",
                                         made[2], made[3], made[4]}));
}

}  // namespace
}  // namespace elv::server
