#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace elv::server {

namespace {

// A sweep every this many requests keeps the table from growing with every address ever
// seen: a bucket that has refilled to full says nothing a new bucket would not.
constexpr size_t kSweepEvery = 1024;

}  // namespace

RateLimiter::RateLimiter(double per_minute, double burst)
    : per_minute_(per_minute), burst_(std::max(1.0, burst)) {}

double RateLimiter::refilled(const Bucket& b, Clock::time_point now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.updated).count();
  return std::min(burst_, b.tokens + std::max(0.0, minutes) * per_minute_);
}

RateLimiter::Decision RateLimiter::take(const std::string& client, Clock::time_point now) {
  if (!limited()) return {};
  std::lock_guard<std::mutex> lock(mutex_);
  if (++takes_since_sweep_ >= kSweepEvery) forget_full(now);
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) b = {refilled(b, now), now};
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double seconds = (1.0 - b.tokens) / per_minute_ * 60.0;
  return {false, std::max(1, static_cast<int>(std::ceil(seconds)))};
}

size_t RateLimiter::clients() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forget_full(Clock::time_point now) {
  takes_since_sweep_ = 0;
  for (auto it = buckets_.begin(); it != buckets_.end();)
    it = refilled(it->second, now) >= burst_ ? buckets_.erase(it) : std::next(it);
}

}  // namespace elv::server
