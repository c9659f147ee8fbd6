#include "advisor/gemini_client.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/format.h"

namespace elv::advisor::detail {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  const std::string_view line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = lowercase_trimmed(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = std::string(value);
  }
  return size * n;
}

bool retryable(long status) { return status == 429 || status >= 500; }

std::string seconds_text(double s) { return s == std::floor(s) ? fixed(s, 0) : fixed(s, 1); }

}  // namespace

RetryPolicy retry_policy_from_environment() {
  RetryPolicy policy;
  if (const char* ms = std::getenv("ELV_ADVISOR_BACKOFF_MS"); ms && *ms) {
    int value = 0;
    const char* end = ms + std::char_traits<char>::length(ms);
    if (auto [p, ec] = std::from_chars(ms, end, value);
        ec == std::errc() && p == end && value >= 0) {
      policy.first_backoff_seconds = value / 1000.0;
    }
  }
  return policy;
}

std::optional<double> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty() || value.size() > 9) return std::nullopt;
  int seconds = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || p != value.data() + value.size() || seconds < 0) return std::nullopt;
  return static_cast<double>(seconds);
}

std::string scrub_key(std::string text, const std::string& key) {
  if (key.empty()) return text;
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
    text.replace(at, key.size(), "[API key]");
  return text;
}

std::string quote_response(const std::string& body, const std::string& key) {
  std::string text = body;
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].contains("message") && parsed["error"]["message"].is_string())
    text = parsed["error"]["message"].get<std::string>();
  // Scrub before cutting, so a cut cannot leave half a key behind.
  text = scrub_key(std::move(text), key);
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  constexpr size_t kMax = 200;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

void wait_seconds(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

GeminiClient::GeminiClient(std::string endpoint, std::string key, double timeout_seconds,
                           RetryPolicy retry)
    : endpoint_(std::move(endpoint)),
      key_(std::move(key)),
      timeout_seconds_(timeout_seconds),
      retry_(retry) {
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

std::string GeminiClient::url(std::string_view path) const { return endpoint_ + std::string(path); }

HttpResponse GeminiClient::exchange(const HttpRequest& request) const {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw Error("cannot start an HTTP client (libcurl)");

  // The key goes only where the endpoint is: an upload URL handed back by a server
  // elsewhere must not receive it. Compared with the endpoint plus '/', so a look-alike
  // host (endpoint.evil.example) does not match.
  const bool to_endpoint = request.url.rfind(endpoint_ + "/", 0) == 0;
  if (!to_endpoint)
    throw Error("refusing to send the API key to " + request.url + ", outside " + endpoint_);
  curl_slist* raw = nullptr;
  for (const std::string& h : request.headers) raw = curl_slist_append(raw, h.c_str());
  raw = curl_slist_append(raw, ("x-goog-api-key: " + key_).c_str());
  // libcurl sends "Expect: 100-continue" before big bodies; some proxies stall on it.
  raw = curl_slist_append(raw, "Expect:");
  const std::unique_ptr<curl_slist, SlistDeleter> headers(raw);

  HttpResponse response;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_seconds_ * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(timeout_seconds_, 30.0) * 1000));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: safe in threads
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // Verification is libcurl's default; set anyway so no one reads it as forgotten.
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "elv/" ELV_VERSION);

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw Error("no answer from the Gemini API at " + endpoint_ + " within " +
                seconds_text(timeout_seconds_) + " s; try again, or allow longer with --timeout");
  if (rc != CURLE_OK)
    throw Error("cannot reach the Gemini API at " + endpoint_ + ": " + curl_easy_strerror(rc) +
                "; check the network, --endpoint and any HTTPS_PROXY setting");
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

HttpResponse GeminiClient::call(const HttpRequest& request, const std::string& what) const {
  HttpResponse response;
  int attempt = 0;
  for (;; ++attempt) {
    response = exchange(request);
    if (!retryable(response.status) || attempt >= retry_.max_retries) break;
    double wait = retry_.first_backoff_seconds * std::pow(2.0, attempt);
    if (auto it = response.headers.find("retry-after"); it != response.headers.end())
      if (auto after = parse_retry_after(it->second)) wait = *after;
    wait_seconds(std::min(wait, retry_.max_wait_seconds));
  }
  const long s = response.status;
  if (s >= 200 && s < 300) return response;
  const std::string quoted = quote_response(response.body, key_);
  const std::string status = "HTTP " + std::to_string(s) + (quoted.empty() ? "" : ": " + quoted);
  const std::string tries =
      attempt > 0 ? " after " + std::to_string(attempt + 1) + " attempts" : "";
  if (s == 401 || s == 403)
    throw Error("the Gemini API rejected the API key (" + status +
                "); check GEMINI_API_KEY (or GOOGLE_API_KEY) and that the key's project has the "
                "Generative Language API enabled");
  if (s == 429)
    throw Error("the Gemini API quota or rate limit was reached" + tries + " (" + status +
                "); wait a minute and try again, or check the quota of the key's project");
  if (s >= 500)
    throw Error("the Gemini API had a server error" + tries + " during " + what + " (" + status +
                "); try again later");
  throw Error("the Gemini API refused " + what + " (" + status + ")");
}

}  // namespace elv::advisor::detail
