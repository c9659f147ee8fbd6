// One mapping from a caught exception to the CLI's exit code, the web API's HTTP status and
// the message a job shows (base/error.h).
#include <new>
#include <stdexcept>

#include <gtest/gtest.h>

#include "base/error.h"

namespace elv {
namespace {

template <typename E>
ErrorOutcome outcome_of(const E& e) {
  return error_outcome(std::make_exception_ptr(e));
}

TEST(ErrorOutcome, UsageErrorsExit2AndAnswer400) {
  const ErrorOutcome o = outcome_of(UsageError("--top must be > 0"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.http_status, 400);
  EXPECT_EQ(o.message, "--top must be > 0");
}

TEST(ErrorOutcome, DataErrorsExit1AndAnswer422WithFileLineAndColumn) {
  const ErrorOutcome o = outcome_of(Error("not a number", "ads.csv", 7, "spend"));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.http_status, 422);
  EXPECT_EQ(o.message, "ads.csv:7: column 'spend': not a number");
}

TEST(ErrorOutcome, OutOfMemoryIs503AndSaysWhatToTry) {
  const ErrorOutcome o = outcome_of(std::bad_alloc());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.http_status, 503);
  EXPECT_EQ(o.message.rfind("out of memory", 0), 0u) << o.message;
}

TEST(ErrorOutcome, AnythingElseIsAnInternalError500) {
  const ErrorOutcome o = outcome_of(std::logic_error("vector::at"));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.http_status, 500);
  EXPECT_EQ(o.message, "internal error: vector::at");
  EXPECT_EQ(error_outcome(std::make_exception_ptr(42)).http_status, 500);
}

}  // namespace
}  // namespace elv
