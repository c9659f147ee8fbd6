// elv's one "now" (base/clock.h): SOURCE_DATE_EPOCH fixes it, a bad value is refused.
#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/error.h"

namespace elv {
namespace {

// Sets SOURCE_DATE_EPOCH (or unsets it) for one test and puts the old value back.
class EpochVariable {
 public:
  explicit EpochVariable(const char* value) {
    if (const char* old = std::getenv("SOURCE_DATE_EPOCH")) old_ = old;
    if (value)
      setenv("SOURCE_DATE_EPOCH", value, 1);
    else
      unsetenv("SOURCE_DATE_EPOCH");
  }
  ~EpochVariable() {
    if (old_)
      setenv("SOURCE_DATE_EPOCH", old_->c_str(), 1);
    else
      unsetenv("SOURCE_DATE_EPOCH");
  }
  EpochVariable(const EpochVariable&) = delete;
  EpochVariable& operator=(const EpochVariable&) = delete;

 private:
  std::optional<std::string> old_;
};

TEST(Clock, SourceDateEpochFixesNow) {
  EpochVariable fixed("1782864000");
  EXPECT_EQ(now_seconds(), 1782864000);
  EpochVariable zero("0");
  EXPECT_EQ(now_seconds(), 0);
  EpochVariable last("253402300799");
  EXPECT_EQ(now_seconds(), kMaxSourceDateEpoch);
}

TEST(Clock, WithoutTheVariableNowIsTheSystemClock) {
  EpochVariable unset(nullptr);
  EXPECT_GT(now_seconds(), 1700000000);  // after 2023-11-14
}

TEST(Clock, AnInvalidValueIsRefusedByName) {
  for (const char* bad :
       {"", "soon", "-1", "+5", "12.5", " 12", "12 ", "253402300800", "99999999999999999999999"}) {
    EpochVariable set(bad);
    try {
      (void)now_seconds();
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("SOURCE_DATE_EPOCH"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace elv
