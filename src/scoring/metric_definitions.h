// What every leaderboard and overview figure means, in a marketer's words: one table, read by
// report.html (column titles and "What the numbers mean") and by the web app through
// GET /api/info ("metrics"), so the page, the report and the docs cannot say different things.
#pragma once
#include <span>
#include <string_view>

namespace elv::scoring {

struct MetricDefinition {
  std::string_view column;      // leaderboard CSV column, or the overview figure's name
  std::string_view label;       // short, for a column header or a KPI tile
  std::string_view definition;  // one sentence, for a tooltip
};

// Every metric, in the order a reader meets them (the leaderboard's default columns first).
// `avg_p_qualified` stands for the CSV's avg_p_qualified_<N>d (N = the label window);
// `expected_qualified` and `cost_per_expected_qualified` are derived (lead_count × avg P,
// spend / that) and are not CSV columns.
std::span<const MetricDefinition> metric_definitions();

// The definition of a column, avg_p_qualified_<N>d included; nullptr for an unknown one.
const MetricDefinition* metric_definition(std::string_view column);

}  // namespace elv::scoring
