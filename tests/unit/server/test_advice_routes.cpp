// The Advisor tab's routes (docs/SERVE.md): whose key the server may use (its own only when
// it listens on this machine alone), the preview of what would be sent, the form's refusals
// (no offer, a file over the limit, an unknown field), and a question answered by a fake
// Gemini server: the answer is saved in the run and served as safe HTML, and the key is in
// no file of the runs folder and in no job record.
#include <stdlib.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"
#include "server/advice.h"

namespace elv::server {
namespace {

// Sets (or unsets) an environment variable for one test, and puts it back.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~EnvVar() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(AdviceKey, PastedFirstThenTheServersOwnOnlyOnThisMachine) {
  EXPECT_EQ(choose_key("pasted", std::string("env"), true).key, "pasted");
  EXPECT_EQ(choose_key("pasted", std::string("env"), false).key, "pasted");
  EXPECT_EQ(choose_key("", std::string("env"), true).key, "env");
  const KeyChoice shared = choose_key("", std::string("env"), false);
  EXPECT_EQ(shared.key, "");
  EXPECT_NE(shared.problem.find("paste your own Gemini API key"), std::string::npos)
      << shared.problem;
  const KeyChoice none = choose_key("", std::nullopt, true);
  EXPECT_EQ(none.key, "");
  EXPECT_NE(none.problem.find("GEMINI_API_KEY"), std::string::npos) << none.problem;
}

class AdviceRoutesTest : public ServeTest {
 protected:
  void configure(ServerOptions& o) override {
    o.max_advisor_media_mb = 1;
    if (!host_.empty()) o.host = host_;
    if (!endpoint_.empty()) o.advisor_endpoint = endpoint_;
  }
  void restart() {
    stop_server();
    start_server(200);
  }

  httplib::Result post_form(const std::string& path, const httplib::MultipartFormDataItems& items) {
    return client_->Post(path, items);
  }

  std::string host_, endpoint_;
  EnvVar gemini_{"GEMINI_API_KEY", nullptr};
  EnvVar google_{"GOOGLE_API_KEY", nullptr};
};

TEST_F(AdviceRoutesTest, StatusSaysWhetherTheServersKeyMayBeUsed) {
  json status = get_json("/api/advisor");
  EXPECT_EQ(status["env_key"], false);
  EXPECT_EQ(status["env_key_usable"], false);
  EXPECT_EQ(status["loopback"], true);
  EXPECT_EQ(status["max_media_mb"], 1);
  EXPECT_FALSE(status["default_model"].get<std::string>().empty());

  const EnvVar key("GOOGLE_API_KEY", "env-key-SECRET-123");
  status = get_json("/api/advisor");
  EXPECT_EQ(status["env_key"], true);
  EXPECT_EQ(status["env_key_usable"], true);
  EXPECT_EQ(status.dump().find("SECRET"), std::string::npos) << "the key itself is never sent";

  // Reachable from the network: the server's key is not lent out.
  host_ = "0.0.0.0";
  restart();
  status = get_json("/api/advisor");
  EXPECT_EQ(status["env_key"], true);
  EXPECT_EQ(status["env_key_usable"], false);
  EXPECT_EQ(status["loopback"], false);
}

TEST_F(AdviceRoutesTest, PreviewShowsTheBriefAndTheOfferWithoutAKey) {
  const std::string run = demo_run_id();
  auto res = post_form("/api/runs/" + run + "/advice/preview",
                       {text_part("offer", "Solar panels <b>installed</b> in two weeks"),
                        text_part("audience", "Homeowners in Bavaria")});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json answer = json::parse(res->body);
  const std::string preview = answer["preview"];
  EXPECT_NE(preview.find("Solar panels <b>installed</b> in two weeks"), std::string::npos)
      << preview.substr(0, 2000);
  EXPECT_NE(preview.find("Homeowners in Bavaria"), std::string::npos);
  EXPECT_NE(preview.find("Campaign 01"), std::string::npos) << "the brief holds the campaigns";
  EXPECT_FALSE(answer["model"].get<std::string>().empty());
  // No upload folder is left behind.
  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    EXPECT_NE(e.path().filename().string().rfind(".upload-", 0), 0u) << e.path();

  auto missing = post_form("/api/runs/no-such-run/advice/preview", {text_part("offer", "x")});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(AdviceRoutesTest, TheFormIsRefusedWithAClearMessage) {
  const std::string run = demo_run_id();
  const std::string path = "/api/runs/" + run + "/advice";
  auto no_offer = post_form(path, {text_part("offer", "  \n"), text_part("api_key", "k")});
  ASSERT_TRUE(no_offer);
  EXPECT_EQ(no_offer->status, 400);
  EXPECT_EQ(json::parse(no_offer->body)["error"],
            "describe your offer first: what you sell, and to whom");

  auto unknown = post_form(path, {text_part("offer", "x"), text_part("password", "k")});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(json::parse(unknown->body)["error"], "unknown form field 'password'");

  auto too_long = post_form(path, {text_part("offer", std::string(kMaxAdviceTextBytes + 1, 'a'))});
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 400);
  EXPECT_NE(too_long->body.find("offer is longer than 8000 characters"), std::string::npos);

  auto not_multipart = client_->Post(path, "offer=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(not_multipart);
  EXPECT_EQ(not_multipart->status, 400);

  // Over the media limit (1 MB here): 413, naming the file and the limit.
  auto big =
      post_form(path, {text_part("offer", "x"),
                       {"media", std::string((1 << 20) + 1, 'x'), "holiday ad.png", "image/png"}});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(json::parse(big->body)["error"],
            "holiday ad.png is larger than 1 MB, the most the advisor takes; send a smaller image "
            "or a shorter video");

  // No key anywhere: the page is told what to do; no job starts.
  auto no_key = post_form(path, {text_part("offer", "Solar panels")});
  ASSERT_TRUE(no_key);
  EXPECT_EQ(no_key->status, 400);
  EXPECT_NE(no_key->body.find("paste a Gemini API key"), std::string::npos) << no_key->body;
  EXPECT_EQ(get_json("/api/jobs").size(), 1u) << "only the demo job";

  // The server's own key on a reachable server: refused, the user must paste theirs.
  const EnvVar key("GEMINI_API_KEY", "env-key-SECRET-123");
  host_ = "0.0.0.0";
  restart();
  auto shared = post_form(path, {text_part("offer", "Solar panels")});
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->status, 400);
  EXPECT_NE(shared->body.find("paste your own Gemini API key"), std::string::npos) << shared->body;
  EXPECT_EQ(shared->body.find("SECRET"), std::string::npos);

  for (const auto& e : fs::directory_iterator(root_ / "runs"))
    EXPECT_NE(e.path().filename().string().rfind(".upload-", 0), 0u) << e.path();
  EXPECT_FALSE(fs::exists(root_ / "runs" / run / "advice.md"));
  auto none = get(path);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(json::parse(none->body)["error"], "this run has no advice yet");
}

// A Gemini API in this process: generateContent answers with advice holding a <script>, or,
// with reject set, 403 with a message that echoes the key it was sent (the advisor must not
// pass it on). Records the key of each call.
class FakeGemini {
 public:
  FakeGemini() {
    http_.Post(R"(/v1beta/models/([^/]+):generateContent)", [this](const httplib::Request& req,
                                                                   httplib::Response& res) {
      std::string key = req.get_header_value("x-goog-api-key");
      if (key.empty()) key = req.get_param_value("key");
      {
        std::lock_guard lock(mutex_);
        keys_.push_back(key);
      }
      if (reject_) {
        res.status = 403;
        res.set_content(
            json({{"error", {{"code", 403}, {"message", "API key not valid: " + key}}}}).dump(),
            "application/json");
        return;
      }
      const json answer = {
          {"candidates",
           json::array({{{"content",
                          {{"role", "model"},
                           {"parts", json::array({{{"text",
                                                    "## Quick diagnosis\n\n"
                                                    "<script>alert(1)</script> "
                                                    "[x](javascript:alert(1))\n"}}})}}},
                         {"finishReason", "STOP"}}})},
          {"usageMetadata",
           {{"promptTokenCount", 1}, {"candidatesTokenCount", 1}, {"totalTokenCount", 2}}}};
      res.set_content(answer.dump(), "application/json");
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    for (int i = 0; i < 200 && !http_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakeGemini() {
    http_.stop();
    thread_.join();
  }
  FakeGemini(const FakeGemini&) = delete;
  FakeGemini& operator=(const FakeGemini&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> keys() {
    std::lock_guard lock(mutex_);
    return keys_;
  }
  void reject(bool r) { reject_ = r; }

 private:
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> keys_;
  std::atomic<bool> reject_{false};
};

// Every file under dir holds no occurrence of text.
void expect_nowhere_under(const fs::path& dir, const std::string& text) {
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(read_file(e.path()).find(text), std::string::npos) << e.path();
  }
  EXPECT_GT(files, 5);
}

TEST_F(AdviceRoutesTest, AQuestionIsAnsweredSavedAndShownAsSafeHtmlAndTheKeyIsKeptNowhere) {
  FakeGemini gemini;
  endpoint_ = gemini.endpoint();
  const std::string env_key = "ENV-KEY-unit-test-5c1d";
  const EnvVar key("GEMINI_API_KEY", env_key.c_str());
  restart();
  const std::string run = demo_run_id();
  const std::string path = "/api/runs/" + run + "/advice";
  const std::string pasted = "PASTED-KEY-unit-test-9e2b";

  auto start = post_form(path, {text_part("offer", "Solar panels"), text_part("api_key", pasted)});
  ASSERT_TRUE(start);
  ASSERT_EQ(start->status, 202) << start->body;
  json job = wait_for_job(json::parse(start->body)["job_id"]);
  EXPECT_EQ(job["state"], "succeeded") << job.dump();
  EXPECT_EQ(job["kind"], "advice");
  EXPECT_EQ(job["run_id"], run);
  EXPECT_EQ(gemini.keys(), std::vector<std::string>{pasted});

  const json advice = get_json(path);
  const std::string html = advice["html"];
  EXPECT_NE(html.find("<h4>Quick diagnosis</h4>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("href"), std::string::npos) << html;
  EXPECT_TRUE(fs::exists(root_ / "runs" / run / "advice.json"));
  const std::string report = read_file(root_ / "runs" / run / "report.html");
  EXPECT_NE(report.find("<section id=\"advice\">"), std::string::npos)
      << "the run's report is rebuilt with the answer";
  EXPECT_EQ(report.find("<script"), std::string::npos);

  // Without a pasted key, the server's own (it listens on 127.0.0.1).
  auto second = post_form(path, {text_part("offer", "Solar panels")});
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 202) << second->body;
  EXPECT_EQ(wait_for_job(json::parse(second->body)["job_id"])["state"], "succeeded");
  EXPECT_EQ(gemini.keys(), (std::vector<std::string>{pasted, env_key}));

  // A refusal that echoes the key: the job's error does not.
  gemini.reject(true);
  auto third = post_form(path, {text_part("offer", "Solar panels"), text_part("api_key", pasted)});
  ASSERT_TRUE(third);
  ASSERT_EQ(third->status, 202) << third->body;
  job = wait_for_job(json::parse(third->body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_FALSE(job["error"].get<std::string>().empty());

  for (const std::string& k : {pasted, env_key}) {
    expect_nowhere_under(root_ / "runs", k);
    EXPECT_EQ(get("/api/jobs")->body.find(k), std::string::npos);
  }
}

}  // namespace
}  // namespace elv::server
