// The `outcomes:` section (docs/CRM_EXPORTS.md): column mapping, stage mode, presets, and
// the errors, each naming its key path.
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "config/config.h"
#include "config_test_util.h"

namespace elv {
namespace {

using test_util::config_error;

TEST(ConfigOutcomes, AbsentMeansTheContractNames) {
  const Config c = parse_config("schema_version: 1\n", "/base");
  EXPECT_EQ(c.outcomes, OutcomesConfig{});
  EXPECT_FALSE(c.outcomes.stage_mode());
}

TEST(ConfigOutcomes, ColumnMapping) {
  const Config c = parse_config(
      "outcomes:\n  columns:\n    lead_id: Facebook Lead ID\n"
      "    qualified_time: Became a Sales Qualified Lead Date\n",
      "/base");
  EXPECT_EQ(c.outcomes.lead_id_column, "Facebook Lead ID");
  EXPECT_EQ(c.outcomes.qualified_time_column, "Became a Sales Qualified Lead Date");
  EXPECT_EQ(parse_config(to_yaml(c), "/base"), parse_config(to_yaml(c), "/base"));
  Config back = parse_config(to_yaml(c), "/base");
  back.source_path = c.source_path;
  EXPECT_EQ(back.outcomes, c.outcomes);
}

TEST(ConfigOutcomes, StageMode) {
  const Config c = parse_config(
      "outcomes:\n  stage_column: Lead Status\n  stage_time_column: Last Modified Date\n"
      "  qualified_stages: [Qualified, Converted]\n",
      "/base");
  EXPECT_TRUE(c.outcomes.stage_mode());
  EXPECT_EQ(c.outcomes.stage_column, "Lead Status");
  EXPECT_EQ(c.outcomes.stage_time_column, "Last Modified Date");
  EXPECT_EQ(c.outcomes.qualified_stages, (std::vector<std::string>{"Qualified", "Converted"}));
  EXPECT_EQ(parse_config(to_yaml(c), "/base").outcomes, c.outcomes);
}

TEST(ConfigOutcomes, PresetsFillTheColumnsAndExplicitKeysOverride) {
  const Config h = parse_config(
      "outcomes:\n  preset: hubspot\n  columns: {lead_id: Facebook Lead ID}\n", "/base");
  EXPECT_EQ(h.outcomes.preset, "hubspot");
  EXPECT_EQ(h.outcomes.lead_id_column, "Facebook Lead ID");
  EXPECT_EQ(h.outcomes.qualified_time_column, "Became a Sales Qualified Lead Date");
  EXPECT_EQ(parse_config(to_yaml(h), "/base").outcomes, h.outcomes);

  const Config s = parse_config(
      "outcomes:\n  preset: salesforce\n  columns: {lead_id: Meta Lead ID}\n", "/base");
  EXPECT_EQ(s.outcomes.qualified_time_column, "Converted Date");

  const Config o = parse_config(
      "outcomes:\n  preset: salesforce\n  columns: {lead_id: x, qualified_time: My Date}\n",
      "/base");
  EXPECT_EQ(o.outcomes.qualified_time_column, "My Date");

  // Stage mode given explicitly replaces the preset's qualified_time column.
  const Config st = parse_config(
      "outcomes:\n  preset: salesforce\n  columns: {lead_id: x}\n  stage_column: Lead Status\n"
      "  stage_time_column: Last Modified Date\n  qualified_stages: [Qualified]\n",
      "/base");
  EXPECT_TRUE(st.outcomes.stage_mode());
  EXPECT_EQ(st.outcomes.qualified_time_column, "");
  EXPECT_EQ(parse_config(to_yaml(st), "/base").outcomes, st.outcomes);
}

TEST(ConfigOutcomesErrors, NameTheKeyPath) {
  EXPECT_EQ(config_error("outcomes:\n  preset: pipedrive\n"),
            "outcomes.preset: must be one of hubspot, salesforce (got 'pipedrive')");
  EXPECT_EQ(config_error("outcomes:\n  preset: hubspot\n")
                .rfind("outcomes.columns.lead_id: required with preset hubspot: HubSpot's contacts "
                       "export has no standard column for Meta's lead id",
                       0),
            0u);
  EXPECT_EQ(config_error("outcomes:\n  columns:\n    lead_idd: x\n"),
            "outcomes.columns.lead_idd: unknown key (did you mean lead_id?)");
  EXPECT_EQ(config_error("outcomes:\n  columns:\n    lead_id: ''\n"),
            "outcomes.columns.lead_id: expected a column name, got an empty string");
  EXPECT_EQ(config_error("outcomes:\n  columns:\n    lead_id: [a, b]\n"),
            "outcomes.columns.lead_id: expected a column name, got a list");
  EXPECT_EQ(config_error("outcomes:\n  stage_column: Lead Status\n  qualified_stages: [Q]\n")
                .rfind("outcomes.stage_time_column: required with outcomes.stage_column", 0),
            0u);
  EXPECT_EQ(config_error("outcomes:\n  stage_time_column: T\n  qualified_stages: [Q]\n"),
            "outcomes.stage_column: required with outcomes.stage_time_column");
  EXPECT_EQ(config_error("outcomes:\n  stage_column: S\n  stage_time_column: T\n"
                         "  qualified_stages: []\n"),
            "outcomes.qualified_stages: must list at least one stage");
  EXPECT_EQ(config_error("outcomes:\n  stage_column: S\n  stage_time_column: T\n")
                .rfind("outcomes.qualified_stages: required with outcomes.stage_column", 0),
            0u);
  EXPECT_EQ(config_error("outcomes:\n  stage_column: S\n  stage_time_column: T\n"
                         "  qualified_stages: Qualified\n"),
            "outcomes.qualified_stages: expected a list of stage names, got 'Qualified'");
  EXPECT_EQ(config_error("outcomes:\n  stage_column: S\n  stage_time_column: T\n"
                         "  qualified_stages: [Q, '']\n"),
            "outcomes.qualified_stages[1]: expected a stage name, got ''");
  EXPECT_EQ(config_error("outcomes:\n  qualified_stages: [Q]\n"),
            "outcomes.qualified_stages: needs outcomes.stage_column and "
            "outcomes.stage_time_column");
  EXPECT_EQ(config_error("outcomes:\n  columns: {qualified_time: Q}\n  stage_column: S\n"
                         "  stage_time_column: T\n  qualified_stages: [Q]\n")
                .rfind("outcomes.columns.qualified_time: cannot be used with "
                       "outcomes.stage_column",
                       0),
            0u);
}

}  // namespace
}  // namespace elv
