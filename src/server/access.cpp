#include "server/access.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "base/random_id.h"
#include "report/html.h"
#include "server/server.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

namespace {

std::string sha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

// Session ids must not be guessable: OpenSSL's generator, not random_hex's fast one.
std::string secure_random_hex(int bytes) {
  std::string raw(static_cast<size_t>(bytes), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) != 1)
    throw std::runtime_error("no secure random numbers available for a session id");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (const char c : raw) {
    out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
    out += hex[static_cast<unsigned char>(c) & 0xf];
  }
  return out;
}

// A path as one log field: no spaces or control characters that could forge a line.
std::string log_safe(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '\\') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

AccessControl::AccessControl(const std::string& token)
    : enabled_(!token.empty()), token_digest_(enabled_ ? sha256(token) : std::string()) {}

bool AccessControl::token_matches(const std::string& candidate) const {
  if (!enabled_ || candidate.empty()) return false;
  const std::string d = sha256(candidate);  // same length whatever was sent
  return CRYPTO_memcmp(d.data(), token_digest_.data(), d.size()) == 0;
}

bool AccessControl::bearer_matches(const std::string& header) const {
  if (header.size() < 7) return false;
  std::string scheme = header.substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return false;
  const size_t start = header.find_first_not_of(' ', 7);
  if (start == std::string::npos) return false;
  const size_t end = header.find_last_not_of(' ');
  return token_matches(header.substr(start, end - start + 1));
}

std::string AccessControl::open_session() {
  const std::string id = secure_random_hex(32);
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second < oldest->second) oldest = it;
    sessions_.erase(oldest);
  }
  // Kept as digests: a lookup's timing says nothing about a guessed id.
  sessions_[sha256(id)] = opened_++;
  return id;
}

bool AccessControl::session_valid(const std::string& id) const {
  if (!enabled_ || id.empty()) return false;
  const std::string d = sha256(id);
  std::lock_guard lock(mutex_);
  return sessions_.count(d) > 0;
}

void AccessControl::close_session(const std::string& id) {
  if (id.empty()) return;
  const std::string d = sha256(id);
  std::lock_guard lock(mutex_);
  sessions_.erase(d);
}

std::string cookie_value(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    const size_t first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    const size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) {
      std::string value = part.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.pop_back();
      return value;
    }
    pos = end + 1;
  }
  return "";
}

std::string bind_refusal(const std::string& host, bool has_token, bool is_public) {
  if (is_loopback_host(host) || has_token || is_public) return "";
  return "refusing to listen on " + host +
         " without protection: anyone who can reach this machine could see your runs and "
         "upload files. Pass --auth-token TOKEN (or set ELV_AUTH_TOKEN) to require a login, "
         "or --public for a deliberately open, score-first public demo; or use --host "
         "127.0.0.1 to keep it on this machine";
}

Health check_health(const std::string& runs_dir, uint64_t min_free_disk_mb) {
  Health h;
  // A real write, not a permission bit: read-only mounts, full inode tables and root's
  // bypass of chmod all show here as they would to a job.
  const std::string probe = runs_dir + "/.healthz-" + random_hex(12);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const bool wrote = ::write(fd, "ok", 2) == 2;
    ::close(fd);
    h.runs_dir_writable = wrote && ::unlink(probe.c_str()) == 0;
    if (!wrote) ::unlink(probe.c_str());
  }
  if (!h.runs_dir_writable) h.problem = "the runs folder does not accept new files";
  std::error_code ec;
  const fs::space_info space = fs::space(runs_dir, ec);
  if (!ec) {
    h.free_disk_mb = space.available / (1024 * 1024);
    h.disk_ok = h.free_disk_mb >= min_free_disk_mb;
  }
  if (!h.disk_ok) {
    const std::string disk = ec ? "the free disk space of the runs folder cannot be read"
                                : "free disk space (" + std::to_string(h.free_disk_mb) +
                                      " MB) is below the floor of " +
                                      std::to_string(min_free_disk_mb) + " MB";
    h.problem = h.problem.empty() ? disk : h.problem + "; " + disk;
  }
  return h;
}

json health_json(const Health& h) {
  json out = {{"status", h.ok() ? "ok" : "unhealthy"},
              {"runs_dir_writable", h.runs_dir_writable},
              {"free_disk_mb", h.free_disk_mb},
              {"free_disk_ok", h.disk_ok}};
  if (!h.ok()) out["problem"] = h.problem;
  return out;
}

std::string access_log_line(const AccessRecord& r, const std::string& format) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f", r.duration_ms);
  if (format == "json")
    return json{{"method", r.method},           {"path", r.path},
                {"status", r.status},           {"bytes", r.bytes},
                {"duration_ms", std::stod(ms)}, {"client", r.client}}
        .dump();
  return "access " + log_safe(r.method) + " " + log_safe(r.path) + " " + std::to_string(r.status) +
         " " + std::to_string(r.bytes) + "B " + ms + "ms " + log_safe(r.client);
}

std::string login_page(const std::string& message) {
  const std::string note =
      message.empty() ? ""
                      : "<p class=\"err\" role=\"alert\">" + report::escape_html(message) + "</p>";
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>elv: log in</title><style>"
         "body{font:16px system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}"
         "input{font:inherit;width:100%;box-sizing:border-box;padding:.4rem;margin:.4rem 0}"
         "button{font:inherit;padding:.4rem 1rem}.err{color:#b00020}"
         "</style></head><body><h1>elv</h1>"
         "<p>This server asks for its access token.</p>" +
         note +
         "<form method=\"post\" action=\"/login\">"
         "<label for=\"token\">Access token</label>"
         "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" "
         "required autofocus><button type=\"submit\">Log in</button></form></body></html>";
}

std::string client_address(const std::string& remote_addr, const std::string& forwarded_for,
                           bool trust_proxy) {
  if (!trust_proxy) return remote_addr;
  const size_t comma = forwarded_for.rfind(',');
  std::string last = comma == std::string::npos ? forwarded_for : forwarded_for.substr(comma + 1);
  const auto first = last.find_first_not_of(" \t");
  const auto end = last.find_last_not_of(" \t");
  last = first == std::string::npos ? std::string() : last.substr(first, end - first + 1);
  // An address is short and plain: anything else is not one a proxy wrote.
  const bool plain = !last.empty() && last.size() <= 64 &&
                     last.find_first_not_of("0123456789abcdefABCDEF.:[]") == std::string::npos;
  return plain ? last : remote_addr;
}

}  // namespace elv::server
