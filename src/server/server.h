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
  // Serving beyond this machine (issue 18, docs/SERVE.md). auth_token: "" = no login asked;
  // otherwise every /api/ request needs it (Bearer) or a session cookie from /login.
  std::string auth_token;
  // A deliberately open demo: may listen beyond this machine without a token, and refuses
  // uploads and training (403), so visitors can only score with the bundled demo.
  bool is_public = false;
  uint64_t min_free_disk_mb = 500;  // GET /healthz is unhealthy below this
  std::string log_format = "text";  // the access log on stderr: "text", "json" or "off"
  int read_timeout_seconds = 30;    // a client silent this long is dropped
  // Quotas (docs/SERVE.md, "Limits"). max_jobs: jobs running at once, the rest wait in line
  // (0 = no limit). Per client address: requests and job starts a minute (0 = no limit;
  // --public turns both on unless given). The runs the server made: at most max_runs and
  // max_runs_gb together, the oldest removed first (0 = no limit); never another run.
  int max_jobs = 2;
  int max_requests_per_minute = 0;
  int max_jobs_per_minute = 0;
  int64_t max_runs = 0;
  double max_runs_gb = 0;
  // Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry
  // (server/access.h client_address), so per-client limits and the log see visitors, not the
  // proxy. Only with a proxy that sets it: otherwise clients could choose their address.
  bool trust_proxy = false;
};

// --public's quotas when none were given: a visitor may browse freely and start a few jobs.
inline constexpr int kPublicRequestsPerMinute = 300;
inline constexpr int kPublicJobsPerMinute = 4;

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
  // After stop(): lets running jobs finish for up to grace_seconds, then cancels the rest
  // (their unfinished run folders remove themselves) and waits for them. Returns how many
  // were cancelled.
  int finish_jobs(int grace_seconds);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost": the addresses only this machine can reach.
bool is_loopback_host(const std::string& host);
// Why these options must not be served ("" when they may): see server/access.h.
std::string bind_refusal(const ServerOptions& options);

}  // namespace elv::server
