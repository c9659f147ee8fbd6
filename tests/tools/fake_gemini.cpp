// A fake Gemini API on 127.0.0.1, for the tests of `elv advise` (tests/e2e/test_advise.sh)
// and of the web app's Advisor tab. Test-only: built as build/fake_gemini, never installed.
//
// Usage:  fake_gemini SCENARIO PORT_FILE LOG_FILE
//   Listens on a free port of 127.0.0.1 and writes the port number (and a newline) to
//   PORT_FILE once it accepts connections; point elv at it with
//   `--endpoint http://127.0.0.1:<port>`. Every request is appended to LOG_FILE as one JSON
//   line: {"method", "path" (with the query), "headers": {lowercased name: value}, "body"}
//   (bodies that are not UTF-8, such as a video, are logged as "<N bytes>"). Runs until
//   killed (SIGTERM or SIGINT).
//
// SCENARIO decides how POST /v1beta/models/<model>:generateContent answers:
//   ok              200, Markdown advice in the four sections, usageMetadata 120/80/200
//   ok_with_script  200, advice whose text holds <script>alert(1)</script> (escaping tests)
//   retry_429       429 with Retry-After: 1 the first time, then as ok
//   blocked         200 with promptFeedback.blockReason SAFETY and no candidates
//   safety          200 with a candidate whose finishReason is SAFETY and no text
//   forbidden_403   403 "API key not valid" that echoes the key it was sent (scrubbing tests)
//   error_500       500 every time
//   empty           200 with a candidate whose text is empty
//   slow            sleeps 5 s before answering as ok (past a client --timeout of 1-4 s)
//   video           as ok; named for the upload flow, which every scenario serves:
// The Files API, in every scenario:
//   POST /upload/v1beta/files, X-Goog-Upload-Command: start
//        -> 200, header x-goog-upload-url:
//        http://127.0.0.1:<port>/upload/v1beta/files?upload_id=fake-1
//   POST /upload/v1beta/files?upload_id=fake-1, X-Goog-Upload-Command: upload, finalize
//        -> {"file": {"name": "files/fake-1", "uri": ".../v1beta/files/fake-1",
//                     "state": "PROCESSING", "mimeType": <the start's
//                     X-Goog-Upload-Header-Content-Type>}}
//   GET /v1beta/files/fake-1 -> PROCESSING the first time, ACTIVE afterwards
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

// Exits at once, even with a "slow" answer asleep: the log is flushed line by line.
void on_signal(int) { std::_Exit(0); }

const char* kAdvice =
    "## Quick diagnosis\n- Campaign 01 buys qualified leads at the best ELV per spend.\n\n"
    "## Audience and targeting suggestions\n- Move budget from low ELV ad sets.\n\n"
    "## Creative suggestions\n- Lead with the offer's price.\n\n"
    "## 7-day experiment plan\n- Days 1-7: test two headlines; decide on ELV per spend.\n";

json answer(const std::string& text, const std::string& finish = "STOP") {
  return {
      {"candidates",
       json::array({{{"content", {{"role", "model"}, {"parts", json::array({{{"text", text}}})}}},
                     {"finishReason", finish}}})},
      {"usageMetadata",
       {{"promptTokenCount", 120}, {"candidatesTokenCount", 80}, {"totalTokenCount", 200}}},
      {"modelVersion", "fake"}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: fake_gemini SCENARIO PORT_FILE LOG_FILE\n";
    return 2;
  }
  const std::string scenario = argv[1], port_file = argv[2], log_file = argv[3];
  std::mutex log_mutex;
  std::ofstream log(log_file, std::ios::app);
  std::atomic<int> generate_calls{0}, status_checks{0};
  std::string upload_mime = "video/mp4";
  int port = 0;

  httplib::Server server;
  // Each handler logs its request first, before it answers: a logger (set_logger) runs after
  // the answer is sent, when the client's next request may already have been logged, and the
  // order is what the tests check. Requests no handler takes are logged by the logger.
  auto record = [&](const httplib::Request& req) {
    json headers = json::object();
    for (const auto& [k, v] : req.headers) {
      std::string name = k;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name.rfind("remote_", 0) == 0 || name.rfind("local_", 0) == 0) continue;  // httplib's own
      headers[name] = v;
    }
    std::string path = req.path;
    if (!req.params.empty()) {
      std::string q;
      for (const auto& [k, v] : req.params) q += (q.empty() ? "?" : "&") + k + "=" + v;
      path += q;
    }
    json line = {{"method", req.method}, {"path", path}, {"headers", headers}, {"body", req.body}};
    std::string text;
    try {
      text = line.dump();
    } catch (const json::exception&) {  // not UTF-8: a video
      line["body"] = "<" + std::to_string(req.body.size()) + " bytes>";
      text = line.dump();
    }
    std::lock_guard<std::mutex> lock(log_mutex);
    log << text << "\n" << std::flush;
  };
  server.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) record(req);
  });

  server.Post(R"(/v1beta/models/([^/]+):generateContent)", [&](const httplib::Request& req,
                                                               httplib::Response& res) {
    record(req);
    const int call = generate_calls++;
    auto send = [&](int status, const json& body) {
      res.status = status;
      res.set_content(body.dump(), "application/json");
    };
    if (scenario == "retry_429" && call == 0) {
      res.set_header("Retry-After", "1");
      return send(429, {{"error",
                         {{"code", 429},
                          {"message", "Resource has been exhausted"},
                          {"status", "RESOURCE_EXHAUSTED"}}}});
    }
    if (scenario == "blocked") return send(200, {{"promptFeedback", {{"blockReason", "SAFETY"}}}});
    if (scenario == "safety")
      return send(200, {{"candidates", json::array({{{"finishReason", "SAFETY"}}})}});
    if (scenario == "forbidden_403")
      return send(403, {{"error",
                         {{"code", 403},
                          {"message", "API key not valid. Please pass a valid API key. Got: " +
                                          req.get_header_value("x-goog-api-key")},
                          {"status", "PERMISSION_DENIED"}}}});
    if (scenario == "error_500")
      return send(
          500,
          {{"error",
            {{"code", 500}, {"message", "Internal error encountered."}, {"status", "INTERNAL"}}}});
    if (scenario == "empty") return send(200, answer(""));
    if (scenario == "slow") std::this_thread::sleep_for(std::chrono::seconds(5));
    if (scenario == "ok_with_script")
      return send(200,
                  answer(std::string(kAdvice) + "\nSee <script>alert(1)</script> for details.\n"));
    send(200, answer(kAdvice));
  });

  server.Post("/upload/v1beta/files", [&](const httplib::Request& req, httplib::Response& res) {
    record(req);
    const std::string command = req.get_header_value("X-Goog-Upload-Command");
    if (command == "start") {
      upload_mime = req.get_header_value("X-Goog-Upload-Header-Content-Type");
      res.set_header("x-goog-upload-url",
                     "http://127.0.0.1:" + std::to_string(port) +
                         "/upload/v1beta/files?upload_id=fake-1&upload_protocol=resumable");
      res.set_header("x-goog-upload-status", "active");
      res.set_content("", "text/plain");
      return;
    }
    if (command == "upload, finalize" && req.get_param_value("upload_id") == "fake-1") {
      json file = {{"name", "files/fake-1"},
                   {"uri", "http://127.0.0.1:" + std::to_string(port) + "/v1beta/files/fake-1"},
                   {"state", "PROCESSING"},
                   {"mimeType", upload_mime},
                   {"sizeBytes", std::to_string(req.body.size())}};
      res.set_header("x-goog-upload-status", "final");
      res.set_content(json{{"file", file}}.dump(), "application/json");
      return;
    }
    res.status = 400;
    res.set_content(R"({"error":{"code":400,"message":"bad upload command"}})", "application/json");
  });

  server.Get("/v1beta/files/fake-1", [&](const httplib::Request& req, httplib::Response& res) {
    record(req);
    const bool ready = status_checks++ > 0;
    json file = {{"name", "files/fake-1"},
                 {"uri", "http://127.0.0.1:" + std::to_string(port) + "/v1beta/files/fake-1"},
                 {"state", ready ? "ACTIVE" : "PROCESSING"},
                 {"mimeType", upload_mime}};
    res.set_content(file.dump(), "application/json");
  });

  port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::cerr << "fake_gemini: cannot bind 127.0.0.1\n";
    return 1;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  {
    // Written through a temporary file and a rename, so a reader never sees half a number.
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  server.listen_after_bind();
  return 0;
}
