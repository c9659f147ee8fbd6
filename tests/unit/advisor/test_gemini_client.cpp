// The HTTP side of elv advise that needs no server: Retry-After, key scrubbing, quoting of
// response text in messages, and reading a generateContent answer.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "advisor/advisor_parts.h"
#include "advisor/gemini_client.h"
#include "base/error.h"

namespace elv::advisor::detail {
namespace {

const std::string kKey = "AIzaFAKEKEY-1234567890";

TEST(RetryAfter, DelaySecondsOnly) {
  EXPECT_EQ(parse_retry_after("1"), 1.0);
  EXPECT_EQ(parse_retry_after(" 30 "), 30.0);
  EXPECT_EQ(parse_retry_after("0"), 0.0);
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after("1.5"));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("99999999999"));
}

TEST(RetryPolicy, TestsCanShortenTheBackoff) {
  unsetenv("ELV_ADVISOR_BACKOFF_MS");
  EXPECT_EQ(retry_policy_from_environment().first_backoff_seconds, 1.0);
  EXPECT_EQ(retry_policy_from_environment().max_retries, 3);
  setenv("ELV_ADVISOR_BACKOFF_MS", "20", 1);
  EXPECT_DOUBLE_EQ(retry_policy_from_environment().first_backoff_seconds, 0.02);
  EXPECT_DOUBLE_EQ(retry_policy_from_environment().max_wait_seconds, 30);  // Retry-After's cap
  setenv("ELV_ADVISOR_BACKOFF_MS", "soon", 1);
  EXPECT_EQ(retry_policy_from_environment().first_backoff_seconds, 1.0);
  unsetenv("ELV_ADVISOR_BACKOFF_MS");
}

TEST(Scrub, KeyNeverSurvives) {
  EXPECT_EQ(scrub_key("key " + kKey + " and " + kKey, kKey), "key [API key] and [API key]");
  EXPECT_EQ(scrub_key("nothing here", kKey), "nothing here");
  EXPECT_EQ(scrub_key("text", ""), "text");
  // A server that echoes the key in its error message: quoted, scrubbed, one line.
  const std::string body =
      R"({"error":{"code":403,"message":"API key not valid.\nGot: )" + kKey + R"("}})";
  const std::string quoted = quote_response(body, kKey);
  EXPECT_EQ(quoted, "API key not valid. Got: [API key]");
  // The cut to 200 characters comes after scrubbing: no half key is left at the end.
  const std::string long_body = std::string(190, 'x') + kKey;
  EXPECT_EQ(quote_response(long_body, kKey).find("AIza"), std::string::npos);
}

std::string answer_error(const std::string& body) {
  try {
    parse_answer(body, kKey);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Answer, TextAndUsage) {
  const Answer a = parse_answer(
      R"({"candidates":[{"content":{"parts":[{"text":"## Quick"},{"text":" diagnosis"}]},"finishReason":"STOP"}],
          "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17}})",
      kKey);
  EXPECT_EQ(a.markdown, "## Quick diagnosis");
  EXPECT_EQ(a.finish_reason, "STOP");
  EXPECT_EQ(a.usage["totalTokenCount"], 17);
  EXPECT_EQ(a.usage["promptTokenCount"], 12);
}

TEST(Answer, BlockedSafetyAndEmptyAreErrors) {
  EXPECT_NE(
      answer_error(R"({"promptFeedback":{"blockReason":"SAFETY"}})").find("blocked the request"),
      std::string::npos);
  EXPECT_NE(answer_error(R"({"candidates":[{"finishReason":"SAFETY"}]})").find("for safety"),
            std::string::npos);
  EXPECT_NE(answer_error(
                R"({"candidates":[{"content":{"parts":[{"text":"  "}]},"finishReason":"STOP"}]})")
                .find("empty answer"),
            std::string::npos);
  EXPECT_NE(answer_error(R"({})").find("empty answer"), std::string::npos);
  EXPECT_NE(answer_error("<html>" + kKey).find("not JSON"), std::string::npos);
  EXPECT_EQ(answer_error("<html>" + kKey).find(kKey), std::string::npos);
}

}  // namespace
}  // namespace elv::advisor::detail
