// elv serve beyond this machine (issue 18): the access token and login sessions, the
// refusal to listen unprotected, GET /healthz, the access log, public mode and the
// shutdown that gives running jobs a grace period, then cancels them.
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "run/run_folder.h"
#include "serve_test_util.h"
#include "server/access.h"
#include "server/jobs.h"
#include "server/server.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace elv::server {
namespace {

constexpr const char* kToken = "s3cret-TOKEN-for-tests";

class TokenServeTest : public ServeTest {
 protected:
  void configure(ServerOptions& o) override { o.auth_token = kToken; }

  // Logs in through the form; returns the Set-Cookie header.
  std::string login(const std::string& token, int expected_status,
                    const httplib::Headers& headers = {}) {
    auto res =
        client_->Post("/login", headers, "token=" + token, "application/x-www-form-urlencoded");
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, expected_status) << res->body;
    return res->get_header_value("Set-Cookie");
  }
  static std::string session_of(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));  // "elv_session=<id>"
  }
};

TEST_F(TokenServeTest, TheApiWantsTheTokenOrASession) {
  auto none = get("/api/runs");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  const json error = json::parse(none->body);
  EXPECT_NE(error["error"].get<std::string>().find("access token"), std::string::npos);
  EXPECT_EQ(none->body.find(kToken), std::string::npos);

  auto wrong = client_->Get("/api/runs", {{"Authorization", "Bearer not-the-token"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  // A prefix of the token is no token either.
  auto prefix = client_->Get("/api/runs", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->status, 401);

  auto right = client_->Get("/api/runs", {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200) << right->body;
  EXPECT_TRUE(json::parse(right->body).is_array());
  // No token in the info the page reads.
  auto info = client_->Get("/api/info", {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_TRUE(info);
  EXPECT_EQ(json::parse(info->body)["auth"], true);
  EXPECT_EQ(info->body.find(kToken), std::string::npos);
}

TEST_F(TokenServeTest, ThePageShowsALoginFormUntilTheTokenIsGiven) {
  auto page = get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("action=\"/login\""), std::string::npos);
  EXPECT_EQ(page->body.find("main.js"), std::string::npos);  // not the app
  EXPECT_EQ(get("/assets/main.js")->status, 401);

  // A wrong token: the form again, with a message, and no cookie.
  const std::string bad = login("wrong", 401);
  EXPECT_EQ(bad, "");
  auto again = client_->Post("/login", "token=wrong", "application/x-www-form-urlencoded");
  EXPECT_NE(again->body.find("not this server"), std::string::npos);

  const std::string cookie = login(kToken, 303);
  EXPECT_EQ(cookie.rfind("elv_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP
  EXPECT_EQ(cookie.find(kToken), std::string::npos);    // a session id, never the token
  const std::string session = session_of(cookie);
  EXPECT_GE(session.size(), std::string("elv_session=").size() + 64);

  // The cookie opens the app and its API, as the page's own fetches send it.
  auto app = client_->Get("/", {{"Cookie", session}});
  EXPECT_EQ(app->status, 200);
  EXPECT_NE(app->body.find("main.js"), std::string::npos);
  EXPECT_EQ(client_->Get("/assets/main.js", {{"Cookie", session}})->status, 200);
  EXPECT_EQ(client_->Get("/api/runs", {{"Cookie", "other=1; " + session}})->status, 200);
  EXPECT_EQ(client_->Get("/api/runs", {{"Cookie", "elv_session=forged"}})->status, 401);

  // Behind an HTTPS proxy the cookie is Secure.
  const std::string tls = login(kToken, 303, {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(tls.find("; Secure"), std::string::npos);

  // Logging out ends the session.
  auto out = client_->Post("/logout", {{"Cookie", session}}, "", "text/plain");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client_->Get("/api/runs", {{"Cookie", session}})->status, 401);
}

TEST_F(TokenServeTest, HealthNeedsNoTokenAndTheLogNeverShowsIt) {
  ::testing::internal::CaptureStderr();
  auto health = get("/healthz");
  auto res = client_->Get("/api/runs?token=SECRET-IN-QUERY",
                          {{"Authorization", "Bearer SECRET-IN-HEADER"}});
  std::this_thread::sleep_for(50ms);  // the logger runs after the answer is sent
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  const json h = json::parse(health->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["runs_dir_writable"], true);
  EXPECT_GT(h["free_disk_mb"].get<uint64_t>(), 0u);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_NE(log.find("access GET /healthz 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("access GET /api/runs 401 "), std::string::npos) << log;
  EXPECT_NE(log.find("127.0.0.1"), std::string::npos) << log;
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << log;
  EXPECT_EQ(log.find("token="), std::string::npos) << log;
  EXPECT_EQ(log.find(kToken), std::string::npos) << log;
  // No leftover probe files in the runs folder.
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    EXPECT_EQ(e.path().filename().string().rfind(".healthz", 0), std::string::npos);
}

TEST(AccessLog, JsonLinesAndNoForgedLines) {
  AccessRecord r;
  r.method = "GET";
  r.path = "/api/runs/a b\nfake 200";
  r.status = 404;
  r.bytes = 12;
  r.duration_ms = 1.25;
  r.client = "10.0.0.7";
  const std::string text = access_log_line(r, "text");
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text, "access GET /api/runs/a%20b%0Afake%20200 404 12B 1.2ms 10.0.0.7");
  const json j = json::parse(access_log_line(r, "json"));
  EXPECT_EQ(j["path"], "/api/runs/a b\nfake 200");
  EXPECT_EQ(j["status"], 404);
  EXPECT_EQ(j["bytes"], 12);
  EXPECT_EQ(j["client"], "10.0.0.7");
}

TEST(AccessControlTest, TokensSessionsAndCookies) {
  AccessControl off("");
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.token_matches(""));
  AccessControl on("abc");
  EXPECT_TRUE(on.token_matches("abc"));
  EXPECT_FALSE(on.token_matches("abcd"));
  EXPECT_FALSE(on.token_matches(""));
  EXPECT_TRUE(on.bearer_matches("Bearer abc"));
  EXPECT_TRUE(on.bearer_matches("bearer  abc "));
  EXPECT_FALSE(on.bearer_matches("Basic abc"));
  EXPECT_FALSE(on.bearer_matches("Bearer "));
  const std::string a = on.open_session(), b = on.open_session();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_TRUE(on.session_valid(a));
  on.close_session(a);
  EXPECT_FALSE(on.session_valid(a));
  EXPECT_TRUE(on.session_valid(b));
  EXPECT_EQ(cookie_value("x=1; elv_session=zz; y=2", "elv_session"), "zz");
  EXPECT_EQ(cookie_value("my_elv_session=zz", "elv_session"), "");
  EXPECT_EQ(cookie_value("", "elv_session"), "");
}

TEST(BindRefusal, OnlyLoopbackOrATokenOrPublic) {
  EXPECT_EQ(bind_refusal("127.0.0.1", false, false), "");
  EXPECT_EQ(bind_refusal("localhost", false, false), "");
  EXPECT_EQ(bind_refusal("0.0.0.0", true, false), "");
  EXPECT_EQ(bind_refusal("0.0.0.0", false, true), "");
  const std::string why = bind_refusal("0.0.0.0", false, false);
  EXPECT_NE(why.find("--auth-token"), std::string::npos);
  EXPECT_NE(why.find("--public"), std::string::npos);
  ServerOptions o;
  o.host = "192.168.1.5";
  EXPECT_NE(bind_refusal(o), "");
  o.auth_token = "t";
  EXPECT_EQ(bind_refusal(o), "");
}

TEST(Health, AnUnwritableRunsFolderOrTooLittleDiskIsUnhealthy) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("elv-health-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_TRUE(check_health(dir.string(), 1).ok());
  const Health full = check_health(dir.string(), uint64_t{1} << 40);
  EXPECT_FALSE(full.ok());
  EXPECT_TRUE(full.runs_dir_writable);
  EXPECT_NE(full.problem.find("free disk"), std::string::npos);
  // A folder no file can be created in: a path through a plain file fails for root too.
  std::ofstream(dir / "plain") << "x";
  const Health blocked = check_health((dir / "plain").string(), 1);
  EXPECT_FALSE(blocked.runs_dir_writable);
  EXPECT_FALSE(blocked.ok());
  EXPECT_EQ(health_json(blocked)["status"], "unhealthy");
  EXPECT_NE(blocked.problem.find("runs folder"), std::string::npos);
  fs::remove_all(dir);
}

// The server's /healthz turns 503 when its runs folder stops taking files.
TEST_F(ServeTest, HealthzIs503WhenTheRunsFolderIsReadOnly) {
  EXPECT_EQ(get_json("/healthz")["status"], "ok");
  const fs::path runs = root_ / "runs";
  fs::permissions(runs, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);  // 0555
  fs::path moved;
  if (geteuid() == 0) {
    // Root writes through 0555: replace the folder with a plain file instead.
    moved = root_ / "runs-away";
    fs::rename(runs, moved);
    std::ofstream(runs) << "not a folder";
  }
  const json h = get_json("/healthz", 503);
  EXPECT_EQ(h["status"], "unhealthy");
  EXPECT_EQ(h["runs_dir_writable"], false);
  EXPECT_NE(h["problem"].get<std::string>().find("runs folder"), std::string::npos);
  if (!moved.empty()) {
    fs::remove(runs);
    fs::rename(moved, runs);
  }
  fs::permissions(runs, fs::perms::owner_all, fs::perm_options::add);
  EXPECT_EQ(get_json("/healthz")["status"], "ok");
}

class PublicServeTest : public ServeTest {
 protected:
  void configure(ServerOptions& o) override { o.is_public = true; }
};

TEST_F(PublicServeTest, UploadsAndTrainingAreRefused) {
  auto byo =
      client_->Post("/api/jobs/byo", httplib::MultipartFormDataItems{text_part("train", "true")});
  ASSERT_TRUE(byo);
  EXPECT_EQ(byo->status, 403);
  EXPECT_NE(byo->body.find("uploads are off"), std::string::npos);
  auto validate = client_->Post("/api/validate", httplib::MultipartFormDataItems{});
  ASSERT_TRUE(validate);
  EXPECT_EQ(validate->status, 403);
  auto train = client_->Post("/api/jobs/demo", json{{"train", true}}.dump(), "application/json");
  ASSERT_TRUE(train);
  EXPECT_EQ(train->status, 403);
  EXPECT_NE(train->body.find("training is off"), std::string::npos);
  EXPECT_EQ(get_json("/api/info")["public"], true);
  // Scoring the demo with the bundled model still works.
  const json job = wait_for_job(start_demo());
  EXPECT_EQ(job["state"], "succeeded") << job.dump();
}

// Shutdown with no grace: a long job is cancelled, its record says so and nothing
// half-written is left in the runs folder.
TEST(JobShutdown, NoGraceCancelsARunningJobAndItsFolderGoes) {
  const fs::path runs = fs::path(::testing::TempDir()) / ("elv-drain-" + std::to_string(getpid()));
  fs::remove_all(runs);
  fs::create_directories(runs);
  HalfWayJob half_way;
  std::string id;
  {
    JobRegistry jobs((runs / ".jobs").string());
    JobSpec spec;
    spec.kind = "demo";
    id = jobs.start(spec, half_way.work(runs / "20260103T000000Z-beef00", runs));
    half_way.wait_until_started();
    EXPECT_EQ(jobs.drain(0ms), 1);
  }  // the registry waits for the job to unwind
  EXPECT_LT(half_way.steps.load(), HalfWayJob::kSteps);
  JobRegistry again((runs / ".jobs").string());
  EXPECT_EQ((*again.get(id))["state"], "cancelled");
  for (const auto& e : fs::directory_iterator(runs))
    EXPECT_EQ(e.path().filename(), ".jobs") << "left: " << e.path();
  fs::remove_all(runs);
}

TEST(JobShutdown, AJobThatEndsWithinTheGraceIsNotCancelled) {
  JobRegistry jobs;
  JobSpec spec;
  spec.kind = "demo";
  const std::string id = jobs.start(spec, [](JobContext& job) {
    job.progress().stage("quick");
    std::this_thread::sleep_for(100ms);
    return std::string("run-1");
  });
  EXPECT_EQ(jobs.drain(10s), 0);
  EXPECT_EQ((*jobs.get(id))["state"], "succeeded");
}

}  // namespace
}  // namespace elv::server
