// Who may use elv serve and what it tells the operator (issue 18): the access token and the
// login sessions it opens, the refusal to listen beyond this machine unprotected, the
// health check a load balancer polls and the one-line-per-request access log.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace elv::server {

// The token and the sessions opened with it. The token itself is kept only as its SHA-256
// digest and compared digest to digest in constant time, so neither its value nor its
// length leaks through timing. Sessions are random 256-bit ids held in memory only: a
// restart logs everyone out, and the cookie never carries the token.
class AccessControl {
 public:
  explicit AccessControl(const std::string& token);  // "" = no token: everyone may
  bool enabled() const { return enabled_; }
  bool token_matches(const std::string& candidate) const;
  // "Authorization: Bearer <token>" (case-insensitive scheme).
  bool bearer_matches(const std::string& authorization_header) const;
  std::string open_session();  // a new session id for the cookie
  bool session_valid(const std::string& session_id) const;
  void close_session(const std::string& session_id);

  // Sessions kept at most; a flood of logins drops the oldest rather than grow memory.
  static constexpr size_t kMaxSessions = 1000;

 private:
  bool enabled_;
  std::string token_digest_;
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> sessions_;  // digest of the id → opening order
  uint64_t opened_ = 0;
};

// The value of one cookie in a Cookie header; "" when absent.
std::string cookie_value(const std::string& cookie_header, const std::string& name);

// Why elv serve must not start as asked, or "" when it may: an address other machines can
// reach needs an access token, or --public for a deliberately open, score-only demo.
std::string bind_refusal(const std::string& host, bool has_token, bool is_public);

// GET /healthz: can the server do its work? The runs folder takes a new file, and the disk
// it sits on has more than the floor free.
struct Health {
  bool runs_dir_writable = false;
  uint64_t free_disk_mb = 0;
  bool disk_ok = false;
  std::string problem;  // which check failed, for the operator ("" when healthy)
  bool ok() const { return runs_dir_writable && disk_ok; }
};
Health check_health(const std::string& runs_dir, uint64_t min_free_disk_mb);
nlohmann::json health_json(const Health& h);

// The client a request comes from, for the per-client limits and the access log: the
// connection's address; behind a reverse proxy that the operator trusts (--trust-proxy), the
// last address of X-Forwarded-For instead, the one the proxy itself appended (earlier
// entries are whatever the client sent, so they are never believed). Without trust the
// header is ignored: anyone could send one.
std::string client_address(const std::string& remote_addr, const std::string& forwarded_for,
                           bool trust_proxy);

// One access-log line: method, path (never the query string), status, bytes sent, duration
// and client address. Headers, cookies, tokens and bodies are never passed here.
struct AccessRecord {
  std::string method, path, client;
  int status = 0;
  uint64_t bytes = 0;
  double duration_ms = 0;
};
// format: "text" or "json".
std::string access_log_line(const AccessRecord& r, const std::string& format);

// The page shown instead of the app until the visitor logs in: self-contained (no script,
// no external assets). `message` is ours, never user input.
std::string login_page(const std::string& message);

}  // namespace elv::server
