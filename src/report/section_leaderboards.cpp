// The campaign and ad set leaderboards: the top rows of leaderboard_*.csv, formatted; and
// the glance's line on the best campaign.
#include <cmath>

#include "io/parse.h"
#include "report/html_parts.h"
#include "report/svg.h"
#include "scoring/metric_definitions.h"

namespace elv::report::detail {

namespace {

enum class Fmt { Money, Count, Percent, Ratio };

// Column labels and their tooltips are scoring/metric_definitions' (the web app's too).
struct Column {
  const char* key;         // in the CSV
  const char* definition;  // its metric_definition
  Fmt fmt;
};

constexpr Column kLeaderboardColumns[] = {
    {"spend", "spend", Fmt::Money},
    {"lead_count", "lead_count", Fmt::Count},
    {"avg_p_qualified_*", "avg_p_qualified", Fmt::Percent},
    {"predicted_elv", "predicted_elv", Fmt::Money},
    {"elv_per_spend", "elv_per_spend", Fmt::Ratio},
    {"cpl", "cpl", Fmt::Money},
    {"expected_profit", "expected_profit", Fmt::Money},
    {"roi", "roi", Fmt::Percent},
    {"positive_rate_labeled", "positive_rate_labeled", Fmt::Percent},
};

std::string format_cell(std::string_view text, Fmt fmt) {
  double v = 0;
  const parse::NumberStatus status = parse::number(text, v);
  if (status == parse::NumberStatus::Empty) return "";
  if (status != parse::NumberStatus::Ok) return esc(text);  // shown as written, never dropped
  switch (fmt) {
    case Fmt::Money:
      return format_money(v);
    case Fmt::Count:
      return format_count(std::llround(v));
    case Fmt::Percent:
      return format_percent(v);
    case Fmt::Ratio:
      return svg::fixed(v, 3);
  }
  return esc(text);
}

std::string cell_text(const std::vector<std::string>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? row[static_cast<size_t>(col)] : "";
}

// A name with its id below it; the id alone when there is no name.
std::string entity_html(const std::string& name, const std::string& id) {
  const std::string id_html = id.empty() ? "" : "<span class=\"id\">" + code(id) + "</span>";
  if (name.empty()) return "<span class=\"name\">" + id_html + "</span>";
  return "<span class=\"name\">" + esc(name) + (id_html.empty() ? "" : "<br/>" + id_html) +
         "</span>";
}

bool is_true(std::string_view v) { return v == "true" || v == "1" || v == "True" || v == "TRUE"; }

std::string leaderboard_table(const Run& r, const CsvHead& t, bool adset) {
  const int low_col = t.column("low_volume");
  std::vector<std::string> header = {"#", adset ? "ad set" : "campaign"};
  std::vector<bool> numeric = {true, false};
  std::vector<std::string> titles = {"", ""};
  if (adset) {
    header.push_back("campaign");
    numeric.push_back(false);
    titles.emplace_back();
  }
  std::vector<std::pair<int, Fmt>> metric_cols;
  for (const Column& c : kLeaderboardColumns) {
    const int col = t.column(c.key);
    if (col < 0) continue;
    metric_cols.emplace_back(col, c.fmt);
    const scoring::MetricDefinition* d = scoring::metric_definition(c.definition);
    std::string label = d ? std::string(d->label) : c.key;
    if (c.fmt == Fmt::Money && !r.settings.currency.empty())
      label += " (" + r.settings.currency + ")";
    header.push_back(label);
    numeric.push_back(true);
    titles.push_back(d ? std::string(d->definition) : "");
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (size_t i = 0; i < t.rows.size() && i < static_cast<size_t>(kLeaderboardRows); ++i) {
    const auto& row = t.rows[i];
    const bool low = is_true(cell_text(row, low_col));
    const std::string level = adset ? "adset" : "campaign";
    std::string name = entity_html(cell_text(row, t.column(level + "_name")),
                                   cell_text(row, t.column(level + "_id")));
    if (low) name += " <span class=\"badge low\">low volume</span>";
    std::vector<std::string> cells = {std::to_string(i + 1), name};
    if (adset) cells.push_back(entity_html(cell_text(row, t.column("campaign_name")), ""));
    for (const auto& [col, fmt] : metric_cols)
      cells.push_back(format_cell(cell_text(row, col), fmt));
    rows.push_back(std::move(cells));
    classes.push_back(low ? "low-volume" : "");
  }
  return grid_table(header, rows, numeric, classes, titles);
}

std::string leaderboard_block(const Run& r, const CsvHead& t, bool adset) {
  const std::string file = adset ? "leaderboard_adset.csv" : "leaderboard_campaign.csv";
  const std::string things = adset ? "ad sets" : "campaigns";
  std::string s =
      h3(adset ? "leaderboard-adset" : "leaderboard-campaign", adset ? "Ad sets" : "Campaigns");
  if (t.status.state == State::Missing && adset && r.campaign.status.ok())
    return s + absent(esc(file) +
                      " is not in this run: elv writes it only when the leads carry ad set IDs.");
  if (!t.status.ok())
    return s + absent(unusable(t.status, file, "the " + things + " cannot be ranked here"));
  if (t.total == 0) return s + absent(esc(file) + " has no rows.");
  s += para((t.total > kLeaderboardRows
                 ? "Top " + std::to_string(kLeaderboardRows) + " of " + format_count(t.total)
                 : "All " + format_count(t.total)) +
            " " + things + ", ranked by predicted lead value per unit of spend.");
  return s + "<div class=\"scroll\">" + leaderboard_table(r, t, adset) + "</div>\n";
}

}  // namespace

std::string leaderboards_html(const Run& r) {
  if (!scored(r.kind) && r.campaign.status.state == State::Missing)
    return absent("No leaderboards: " + esc(kind_name(r.kind)) + " runs do not score leads.");
  std::string low =
      "Rows marked <span class=\"badge low\">low volume</span> have fewer leads than ";
  low += r.settings.min_segment_leads ? esc(format_count(*r.settings.min_segment_leads))
                                      : std::string("min_segment_leads");
  low += ": their figures are noisy, so they are listed last.";
  std::string vpq = r.settings.value_per_qualified
                        ? " Predicted value (ELV) = probability × value per qualified lead (" +
                              money(r, *r.settings.value_per_qualified) +
                              (r.settings.value_is_placeholder() ? ", a placeholder" : "") + ")."
                        : " Predicted value (ELV) = probability × value per qualified lead.";
  const std::string currency =
      r.settings.currency.empty()
          ? " Money is in the currency of the spend in ads.csv (the run does not name it)."
          : " Money is in " + esc(r.settings.currency) + ".";
  return leaderboard_block(r, r.campaign, false) + leaderboard_block(r, r.adset, true) +
         "<p class=\"small\">" + low + vpq + currency +
         " Hover a column's name for what it means; the Overview lists every definition.</p>\n";
}

std::string best_campaign_item(const CsvHead& t) {
  if (!t.status.ok()) return "";
  const int low = t.column("low_volume"), per_spend = t.column("elv_per_spend"),
            cpl = t.column("cpl");
  for (const auto& row : t.rows) {
    if (is_true(cell_text(row, low))) continue;  // sorted last anyway; never "best"
    std::string name = cell_text(row, t.column("campaign_name"));
    if (name.empty()) name = cell_text(row, t.column("campaign_id"));
    std::string s = "Best campaign by value per spend: <strong>" + esc(name) + "</strong>";
    const std::string v = format_cell(cell_text(row, per_spend), Fmt::Ratio),
                      c = format_cell(cell_text(row, cpl), Fmt::Money);
    if (!v.empty()) s += " (value per spend " + v + (c.empty() ? "" : ", cost per lead " + c) + ")";
    return s + ".";
  }
  return "";
}

}  // namespace elv::report::detail
