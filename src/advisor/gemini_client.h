// Internal to advisor/: HTTPS to the Gemini API over libcurl. TLS is always verified, the
// proxy variables (HTTPS_PROXY, NO_PROXY, ...) are honoured as libcurl does by default, every
// exchange has a timeout, and 429 and 5xx answers are retried a few times with backoff
// (Retry-After honoured, capped). The key travels only in the x-goog-api-key header, and
// only to URLs under the configured endpoint; it is scrubbed from any response text before
// that text reaches an error message.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elv::advisor::detail {

struct HttpRequest {
  std::string method = "POST";       // POST or GET
  std::string url;                   // absolute
  std::vector<std::string> headers;  // "Name: value", besides the key's
  std::string body;                  // sent for POST
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased; the last of repeated ones
};

struct RetryPolicy {
  int max_retries = 3;               // after the first attempt
  double first_backoff_seconds = 1;  // then doubled at each retry, unless Retry-After says
  double max_wait_seconds = 30;      // cap on any one wait, Retry-After included
};
// The default policy; ELV_ADVISOR_BACKOFF_MS (meant for tests) sets the first backoff to
// that many milliseconds, so retries without Retry-After take milliseconds. Retry-After is
// still honoured (capped at max_wait_seconds).
RetryPolicy retry_policy_from_environment();

// A Retry-After value in its delay-seconds form ("3"); nullopt for anything else (the
// HTTP-date form is not worth a date parser here: the default backoff applies).
std::optional<double> parse_retry_after(std::string_view value);

// text with every occurrence of key replaced by "[API key]"; text itself when key is empty.
std::string scrub_key(std::string text, const std::string& key);

// What an error message may quote of a response body: the API's error.message when the
// body is a Gemini error, else the body; one line, at most 200 characters, key scrubbed.
std::string quote_response(const std::string& body, const std::string& key);

class GeminiClient {
 public:
  GeminiClient(std::string endpoint, std::string key, double timeout_seconds,
               RetryPolicy retry = retry_policy_from_environment());

  // endpoint + path ("/v1beta/models/m:generateContent").
  std::string url(std::string_view path) const;
  const std::string& key() const { return key_; }
  double timeout_seconds() const { return timeout_seconds_; }

  // One exchange, no retries. Throws elv::Error on a timeout or a network failure.
  HttpResponse exchange(const HttpRequest& request) const;
  // exchange() with retries on 429 and 5xx; a final answer outside 2xx throws elv::Error
  // saying what failed (`what`: "generateContent", "the video upload") and what to do.
  HttpResponse call(const HttpRequest& request, const std::string& what) const;

 private:
  std::string endpoint_, key_;
  double timeout_seconds_;
  RetryPolicy retry_;
};

// Sleeps for the given seconds (a function, so it is the one place that waits).
void wait_seconds(double seconds);

}  // namespace elv::advisor::detail
