// Quotas of `elv serve` (docs/SERVE.md, "Limits"): the per-client rate limiter's budget and
// refill, and the run quota removing the oldest runs the server made, never another run.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/rate_limit.h"
#include "server/run_quota.h"

namespace elv::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

TEST(RateLimiter, ABurstThenOneRequestPerRefill) {
  RateLimiter limiter(/*per_minute=*/6, /*burst=*/3);  // a token every 10 s
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("10.0.0.1", t0).allowed) << i;
  const auto refused = limiter.take("10.0.0.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 10);
  // Another client has its own budget.
  EXPECT_TRUE(limiter.take("10.0.0.2", t0).allowed);
  // After 4 s a token is not back yet (6 s to go); after 10 s it is, and only one.
  const auto early = limiter.take("10.0.0.1", t0 + seconds(4));
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after_seconds, 6);
  EXPECT_TRUE(limiter.take("10.0.0.1", t0 + seconds(10)).allowed);
  EXPECT_FALSE(limiter.take("10.0.0.1", t0 + seconds(10)).allowed);
  // A long pause refills to the burst, not beyond.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("10.0.0.1", t0 + seconds(3600)).allowed);
  EXPECT_FALSE(limiter.take("10.0.0.1", t0 + seconds(3600)).allowed);
}

TEST(RateLimiter, NoLimitAllowsEverything) {
  RateLimiter limiter(0, 1);
  EXPECT_FALSE(limiter.limited());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.take("c").allowed);
  EXPECT_EQ(limiter.clients(), 0u);
}

TEST(RateLimiter, FullBucketsAreForgotten) {
  RateLimiter limiter(60, 2);
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 1000; ++i) limiter.take("client-" + std::to_string(i), t0);
  EXPECT_EQ(limiter.clients(), 1000u);
  // Much later every bucket has refilled; the next sweep drops them.
  for (int i = 0; i < 1100; ++i) limiter.take("late", t0 + std::chrono::hours(2));
  EXPECT_LE(limiter.clients(), 2u);
}

class RunQuotaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(::testing::TempDir()) / ("elv_quota_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  // A finished run folder with metadata.json and a payload of `bytes`.
  void make_run(const std::string& id, const std::string& command, const std::string& created,
                size_t bytes = 10) {
    fs::create_directories(dir / id);
    std::ofstream(dir / id / "metadata.json")
        << R"({"command": ")" << command << R"(", "created_at_utc": ")" << created << "\"}";
    std::ofstream(dir / id / "predictions.csv") << std::string(bytes, 'x');
  }
  std::vector<std::string> left() const {
    std::vector<std::string> ids;
    for (const auto& e : fs::directory_iterator(dir)) ids.push_back(e.path().filename().string());
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  fs::path dir;
};

TEST_F(RunQuotaTest, KeepsTheNewestServerRunsAndEveryOtherRun) {
  for (int i = 1; i <= 5; ++i)
    make_run("s" + std::to_string(i), "elv serve (web: demo)",
             "2026-11-30T10:0" + std::to_string(i) + ":00Z");
  make_run("cli-old", "elv train --config run.yaml", "2026-01-01T00:00:00Z");
  make_run("cli-new", "elv demo", "2026-12-01T00:00:00Z");
  const auto removed = enforce_run_quota(dir.string(), {3, 0});
  EXPECT_EQ(removed, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(left(), (std::vector<std::string>{"cli-new", "cli-old", "s3", "s4", "s5"}));
  // Within the quota nothing more goes.
  EXPECT_TRUE(enforce_run_quota(dir.string(), {3, 0}).empty());
}

TEST_F(RunQuotaTest, BytesLimitRemovesOldestUntilUnderButNeverTheRunJustMade) {
  make_run("a", "elv serve (web: train)", "2026-11-30T10:01:00Z", 1000);
  make_run("b", "elv serve (web: train)", "2026-11-30T10:02:00Z", 1000);
  make_run("c", "elv serve (web: train)", "2026-11-30T10:03:00Z", 5000);
  make_run("mine", "my own notes", "2026-11-29T00:00:00Z", 100000);
  // 7 KB of server runs plus metadata, 3 KB allowed: a and b go, and c, over the quota on
  // its own, stays because it is the run just made.
  const auto removed = enforce_run_quota(dir.string(), {0, 3000}, "c");
  EXPECT_EQ(removed, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(left(), (std::vector<std::string>{"c", "mine"}));
  EXPECT_TRUE(enforce_run_quota(dir.string(), {0, 0}).empty());  // no quota, nothing goes
}

}  // namespace
}  // namespace elv::server
