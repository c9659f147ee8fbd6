// `elv serve`: the local web app (docs/CONTRACT.md §8, docs/SERVE.md). A thin HTTP layer over the
// run/ pipelines: it parses requests, checks every name and size, starts jobs and reads run
// folders. No pipeline step is re-implemented here.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace elv::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8501;  // 0 = any free port (tests)
  std::string runs_dir = "runs";
  uint64_t max_upload_mb = 200;      // per uploaded file
  int64_t max_train_leads = 200000;  // labeled leads a training job may use
  int threads = 0;                   // per job; 0 = all cores
  // The GenAI advisor (Advisor tab): the Gemini API's base URL ("" = advisor's default; tests
  // point it at a fake server) and the largest image or video a user may send with a question.
  std::string advisor_endpoint;
  uint64_t max_advisor_media_mb = 50;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stops listening and waits for running jobs
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket; returns the port (useful with port 0). Throws elv::Error when the
  // address cannot be bound.
  int bind();
  // Serves until stop(); call bind() first.
  void run();
  void stop();
  bool is_running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost": the addresses only this machine can reach.
bool is_loopback_host(const std::string& host);

}  // namespace elv::server
