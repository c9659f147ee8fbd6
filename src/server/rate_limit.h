// A per-client request budget (docs/SERVE.md, "Limits"): each client address has a bucket of
// `burst` tokens that refills at `per_minute` tokens a minute; a request takes one, and a
// client with an empty bucket is told how long to wait. Thread-safe: the HTTP server's
// worker threads share one limiter.
#pragma once
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace elv::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // per_minute <= 0: no limit (every request allowed).
  RateLimiter(double per_minute, double burst);

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: until one token is back (at least 1)
  };
  Decision take(const std::string& client, Clock::time_point now = Clock::now());

  bool limited() const { return per_minute_ > 0; }
  size_t clients() const;  // buckets held (full ones are dropped now and then)

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  double refilled(const Bucket& b, Clock::time_point now) const;
  void forget_full(Clock::time_point now);  // with mutex_ held

  double per_minute_, burst_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  size_t takes_since_sweep_ = 0;
};

}  // namespace elv::server
