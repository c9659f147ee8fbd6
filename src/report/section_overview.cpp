// The overview: "where should my budget go?" — KPI tiles, campaigns and ad sets by value
// per spend (SVG), the budget opportunity panel (scoring/budget.h) and what the numbers
// mean (scoring/metric_definitions.h); and the banner shown while the value of a qualified
// lead is the placeholder. Everything comes from the leaderboard CSVs and metadata.json.
#include <cmath>

#include "io/parse.h"
#include "report/html_parts.h"
#include "report/svg.h"
#include "scoring/budget.h"
#include "scoring/metric_definitions.h"

namespace elv::report::detail {

namespace {

constexpr size_t kChartRows = 10;  // top campaigns and ad sets in each chart

double or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

// Every row of a leaderboard as the budget sees it, in the file's order (value per spend,
// low volume last). expected qualified = lead_count × avg_p_qualified_<N>d, as the page's
// leaderboard derives it.
std::vector<scoring::BudgetSegment> segments_of(const CsvHead& t, bool adset) {
  const std::string level = adset ? "adset" : "campaign";
  const int id = t.column(level + "_id"), name = t.column(level + "_name"),
            spend = t.column("spend"), leads = t.column("lead_count"),
            avg_p = t.column("avg_p_qualified_*"), elv = t.column("predicted_elv"),
            low = t.column("low_volume");
  std::vector<scoring::BudgetSegment> out;
  for (const auto& row : t.rows) {
    scoring::BudgetSegment s;
    s.id = id >= 0 && static_cast<size_t>(id) < row.size() ? row[static_cast<size_t>(id)] : "";
    s.name =
        name >= 0 && static_cast<size_t>(name) < row.size() ? row[static_cast<size_t>(name)] : "";
    if (s.name.empty()) s.name = s.id;
    s.spend = or_zero(number_in(row, spend));
    s.lead_count = std::llround(or_zero(number_in(row, leads)));
    s.expected_qualified = static_cast<double>(s.lead_count) * or_zero(number_in(row, avg_p));
    s.predicted_value = or_zero(number_in(row, elv));
    const std::string flag =
        low >= 0 && static_cast<size_t>(low) < row.size() ? row[static_cast<size_t>(low)] : "";
    s.low_volume = flag == "true" || flag == "1" || flag == "True" || flag == "TRUE";
    out.push_back(std::move(s));
  }
  return out;
}

// The definition of a metric as a title attribute's text.
std::string definition_of(std::string_view column) {
  const scoring::MetricDefinition* d = scoring::metric_definition(column);
  return d ? std::string(d->definition) : "";
}
std::string label_of(std::string_view column) {
  const scoring::MetricDefinition* d = scoring::metric_definition(column);
  return d ? std::string(d->label) : std::string(column);
}

// "0.1234" with enough digits for a test to compare; "" for a non-finite value.
std::string raw(double v) { return std::isfinite(v) ? svg::fixed(v, 6) : ""; }

std::string tile(std::string_view column, const std::string& value_html, double value) {
  return "<div class=\"tile\" data-metric=\"" + esc(column) + "\" data-value=\"" + raw(value) +
         "\" title=\"" + esc(definition_of(column)) + "\"><span class=\"tile-label\">" +
         esc(label_of(column)) + "</span><span class=\"tile-value\">" + or_dash(value_html) +
         "</span></div>";
}

std::string ratio(double v) { return std::isfinite(v) ? svg::fixed(v, 2) : ""; }

std::string tiles_html(const Run& r, const scoring::BudgetOpportunity& b) {
  const scoring::GroupTotals& a = b.account;
  const double per_spend = a.spend > 0 ? a.predicted_value / a.spend : kNaN;
  return "<div class=\"tiles\" id=\"overview-tiles\">" +
         tile("lead_count", esc(format_count(a.lead_count)), static_cast<double>(a.lead_count)) +
         tile("expected_qualified",
              std::isfinite(a.expected_qualified)
                  ? group_thousands(svg::fixed(a.expected_qualified, 1))
                  : "",
              a.expected_qualified) +
         tile("predicted_elv", money(r, a.predicted_value), a.predicted_value) +
         tile("spend", money(r, a.spend), a.spend) +
         tile("elv_per_spend", ratio(per_spend), per_spend) +
         tile("cost_per_expected_qualified", money(r, a.cost_per_expected_qualified),
              a.cost_per_expected_qualified) +
         "</div>\n";
}

std::vector<svg::SpendBar> bars_of(const Run& r, const std::vector<scoring::BudgetSegment>& segs) {
  std::vector<svg::SpendBar> bars;
  for (size_t i = 0; i < segs.size() && i < kChartRows; ++i) {
    const scoring::BudgetSegment& s = segs[i];
    const double v = s.spend > 0 ? s.predicted_value / s.spend : kNaN;
    bars.push_back({s.name, v, ratio(v), s.spend, money_text(r, s.spend), s.low_volume});
  }
  return bars;
}

std::string charts_html(const Run& r, const std::vector<scoring::BudgetSegment>& campaigns,
                        double account_per_spend) {
  std::string s = h3("overview-chart", "Campaigns and ad sets by value per spend");
  std::string figures =
      figure(svg::value_per_spend_bars(bars_of(r, campaigns), account_per_spend,
                                       campaigns.size() > kChartRows
                                           ? "Top " + std::to_string(kChartRows) + " campaigns"
                                           : std::string("Campaigns")),
             "Predicted value per unit of spend (blue) and spend (grey), in the leaderboard's "
             "order; the dashed line is the account's value per spend.");
  if (r.adset.status.ok() && r.adset.total > 0) {
    const auto adsets = segments_of(r.adset, true);
    figures +=
        figure(svg::value_per_spend_bars(bars_of(r, adsets), account_per_spend,
                                         adsets.size() > kChartRows
                                             ? "Top " + std::to_string(kChartRows) + " ad sets"
                                             : std::string("Ad sets")),
               "The same for ad sets.");
  }
  return s + "<div class=\"charts bars\">" + figures + "</div>\n";
}

// ---- budget opportunity -------------------------------------------------------------

std::string group_row(const Run& r, std::string_view key, std::string_view label,
                      const scoring::GroupTotals& g) {
  return "<tr data-group=\"" + esc(key) + "\" data-spend=\"" + raw(g.spend) +
         "\"><th scope=\"row\">" + esc(label) + "</th><td class=\"num\">" +
         esc(format_count(g.segments)) + "</td><td class=\"num\">" + or_dash(money(r, g.spend)) +
         "</td><td class=\"num\">" + format_percent(g.share_of_spend) + "</td><td class=\"num\">" +
         group_thousands(svg::fixed(g.expected_qualified, 1)) + "</td><td class=\"num\">" +
         or_dash(money(r, g.cost_per_expected_qualified)) + "</td></tr>\n";
}

std::string group_label(scoring::BudgetGroup g) {
  switch (g) {
    case scoring::BudgetGroup::kCheaper:
      return "cheaper";
    case scoring::BudgetGroup::kDearer:
      return "dearer";
    case scoring::BudgetGroup::kAtAverage:
      return "at the average";
    case scoring::BudgetGroup::kLowVolume:
      return "low volume: not judged";
    case scoring::BudgetGroup::kNoSpend:
      return "no spend";
  }
  return "";
}

std::string vs_account(double v) {
  if (!std::isfinite(v)) return "";
  const std::string pct = svg::fixed(std::abs(v) * 100.0, 0) + kNbsp + "%";
  return v < 0 ? pct + " cheaper" : pct + " dearer";
}

std::string campaign_lines(const Run& r, const scoring::BudgetOpportunity& b,
                           const std::vector<scoring::BudgetSegment>& segs) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const scoring::BudgetLine& line : b.lines) {
    const scoring::BudgetSegment& s = segs[line.segment];
    std::string cost = money(r, line.cost_per_expected_qualified);
    if (std::isinf(line.cost_per_expected_qualified)) cost = "no expected qualified lead";
    rows.push_back({esc(s.name), esc(group_label(line.group)), money(r, s.spend),
                    group_thousands(svg::fixed(s.expected_qualified, 1)), cost,
                    esc(vs_account(line.vs_account))});
    classes.push_back(line.group == scoring::BudgetGroup::kCheaper  ? "cheaper"
                      : line.group == scoring::BudgetGroup::kDearer ? "dearer"
                                                                    : "low-volume");
  }
  return "<div class=\"scroll\">" +
         grid_table({"campaign", "compared with the account", "spend", "expected qualified",
                     "cost per expected qualified lead", "difference"},
                    rows, {false, false, true, true, true, true}, classes) +
         "</div>\n";
}

std::string budget_html(const Run& r, const scoring::BudgetOpportunity& b,
                        const std::vector<scoring::BudgetSegment>& segs) {
  std::string s = h3("overview-budget", "Budget opportunity");
  if (!std::isfinite(b.account.cost_per_expected_qualified))
    return s + absent(
                   "The account has no spend with expected qualified leads in this period, "
                   "so no campaign can be compared with it.");
  s += para("The account pays <strong data-testid=\"account-cost\">" +
            money(r, b.account.cost_per_expected_qualified) +
            "</strong> per expected qualified lead on average. Campaigns below that buy "
            "qualified leads cheaper than the account does; those above, dearer.");
  std::string groups =
      "<table class=\"budget-groups\"><thead><tr><th>group</th><th "
      "class=\"num\">campaigns</th><th class=\"num\">spend</th><th "
      "class=\"num\">share of spend</th><th class=\"num\">expected "
      "qualified</th><th class=\"num\">cost per expected qualified "
      "lead</th></tr></thead><tbody>\n";
  groups += group_row(r, "cheaper", "Cheaper than the account", b.cheaper);
  if (b.at_average.segments > 0)
    groups += group_row(r, "at-average", "At the account's average", b.at_average);
  groups += group_row(r, "dearer", "Dearer than the account", b.dearer);
  if (b.low_volume.segments > 0)
    groups += group_row(r, "low-volume", "Low volume (too few leads to judge)", b.low_volume);
  if (b.no_spend.segments > 0)
    groups += group_row(r, "no-spend", "Leads without spend in the period", b.no_spend);
  groups += "</tbody></table>\n";
  s += groups + campaign_lines(r, b, segs);
  s += "<p class=\"caveat\" id=\"budget-caveat\"><strong>Averages, not marginal returns.</strong> "
       "A campaign's next euro does not buy qualified leads at its average rate: audiences "
       "saturate and auctions get dearer as a campaign spends more, and a dearer campaign may "
       "feed the cheaper ones. Read the groups as where to test a budget move, in steps, "
       "watching the cost per qualified lead as it changes; not as how many leads a move "
       "would buy.</p>\n";
  return s;
}

std::string definitions_html() {
  std::string s =
      h3("overview-definitions", "What the numbers mean") + "<dl class=\"definitions\">\n";
  for (const scoring::MetricDefinition& d : scoring::metric_definitions())
    s += "<dt data-metric=\"" + esc(d.column) + "\">" + esc(d.label) + "</dt><dd>" +
         esc(d.definition) + "</dd>\n";
  return s + "</dl>\n";
}

}  // namespace

std::string money_text(const Run& r, double v) {
  if (!std::isfinite(v)) return "";
  return format_money(v) + (r.settings.currency.empty() ? "" : kNbsp + r.settings.currency);
}

std::string money(const Run& r, double v) { return esc(money_text(r, v)); }

std::string value_statement_html(const Run& r) {
  if (!r.settings.value_per_qualified) return "";
  const std::string value = "<strong>" + money(r, *r.settings.value_per_qualified) + "</strong>";
  const std::string& source = r.settings.value_source;
  if (r.settings.value_is_placeholder()) return "";  // the banner says it
  if (source == "demo default")
    return "Assumed: a qualified lead is worth " + value +
           " (the demo's default). Change it with <code>elv demo --value-per-qualified</code> "
           "or the demo card's value field.";
  std::string who = source == "config"         ? " (business.value_per_qualified of the config)"
                    : source == "command line" ? " (given on the command line)"
                    : source == "form"         ? " (given in the web app's form)"
                                               : "";
  return "A qualified lead is worth " + value + esc(who) + ": value, ROI and profit use it.";
}

std::string value_banner_html(const Run& r) {
  if (!scored(r.kind) || !r.settings.value_is_placeholder()) return "";
  return "<div class=\"value-banner\" id=\"value-banner\" role=\"note\"><strong>ROI and profit "
         "are meaningless until you set what a qualified lead is worth.</strong> This run used a "
         "placeholder of 1 per qualified lead, so predicted value, value per spend, ROI and "
         "expected profit are not money. Ranks and expected qualified leads are right. Set "
         "<code>business.value_per_qualified</code> in the config (or the value field of the web "
         "app's form) and run again.</div>\n";
}

std::string overview_html(const Run& r) {
  if (!scored(r.kind) && r.campaign.status.state == State::Missing)
    return absent("No overview: " + esc(kind_name(r.kind)) + " runs do not score leads.");
  if (!r.campaign.status.ok())
    return absent(
        unusable(r.campaign.status, "leaderboard_campaign.csv", "the overview cannot be shown"));
  const auto campaigns = segments_of(r.campaign, false);
  const scoring::BudgetOpportunity b = scoring::budget_opportunity(campaigns);
  const double per_spend = b.account.spend > 0 ? b.account.predicted_value / b.account.spend : kNaN;
  std::string s;
  if (const std::string v = value_statement_html(r); !v.empty())
    s += "<p class=\"assumption\" id=\"value-assumption\">" + v + "</p>\n";
  s += tiles_html(r, b);
  s += "<p class=\"small\">Paid leads attributed to a campaign (leaderboard_campaign.csv); "
       "organic leads are not set against spend.</p>\n";
  s += charts_html(r, campaigns, per_spend);
  s += budget_html(r, b, campaigns);
  s += definitions_html();
  return s;
}

}  // namespace elv::report::detail
