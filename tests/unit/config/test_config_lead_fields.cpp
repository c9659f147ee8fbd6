// The `lead_fields:` section (docs/LEAD_FORMS.md): lists of form question headers, the bound
// on answers kept, its round trip through config.yaml and the errors, each naming its key.
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "config/config.h"
#include "config_test_util.h"

namespace elv {
namespace {

using test_util::config_error;

TEST(ConfigLeadFields, AbsentMeansNone) {
  const Config c = parse_config("schema_version: 1\n", "/base");
  EXPECT_TRUE(c.lead_fields.empty());
  EXPECT_EQ(c.lead_fields.max_categories, 20);
  EXPECT_EQ(to_yaml(c).find("lead_fields"), std::string::npos);
}

TEST(ConfigLeadFields, ListsAndRoundTrip) {
  const Config c = parse_config(
      "lead_fields:\n  categorical: [\"what_is_your_budget?\", \"When: start?\"]\n"
      "  numeric: [\"how_many_employees?\"]\n  max_categories: 5\n",
      "/base");
  EXPECT_EQ(c.lead_fields.categorical,
            (std::vector<std::string>{"what_is_your_budget?", "When: start?"}));
  EXPECT_EQ(c.lead_fields.numeric, std::vector<std::string>{"how_many_employees?"});
  EXPECT_EQ(c.lead_fields.max_categories, 5);
  const Config back = parse_config(to_yaml(c), "/base");
  EXPECT_EQ(back.lead_fields, c.lead_fields);
}

TEST(ConfigLeadFields, Errors) {
  EXPECT_EQ(config_error("lead_fields:\n  categorical: budget\n"),
            "lead_fields.categorical: expected a list of column names, got 'budget'");
  EXPECT_EQ(config_error("lead_fields:\n  numeric: [\"  \"]\n"),
            "lead_fields.numeric[0]: expected a column name, got '  '");
  EXPECT_EQ(config_error("lead_fields:\n  categorical: [budget]\n  numeric: [\" Budget\"]\n"),
            "lead_fields.numeric[0]: column ' Budget' is listed twice in lead_fields");
  EXPECT_EQ(config_error("lead_fields:\n  max_categories: 0\n"),
            "lead_fields.max_categories: must be 1 to 100 (got 0)");
  EXPECT_NE(config_error("lead_fields:\n  categorical: [a]\n  extra: 1\n")
                .find("lead_fields.extra: unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace elv
