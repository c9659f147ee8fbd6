// The rules that set rows or cells aside, changing the frames in place, and say so in a
// warning: totals rows and monthly periods of the daily files, impossible counts, dates far
// outside the rest of a file.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "base/calendar.h"
#include "base/format.h"
#include "contracts/checks.h"
#include "contracts/checks_parts.h"
#include "contracts/row_policy.h"
#include "io/parse.h"

namespace elv::contracts::detail {

// ---- daily files: one row per day and entity ----------------------------------------

bool is_daily_file(const Frame& f) {
  return f.kind == "ads" || f.kind == "ads_placement" || f.kind == "ads_geo";
}

namespace {

int32_t code_at(const Frame& f, const char* column, size_t row) {
  const auto* codes = codes_of(f, column);
  return codes ? (*codes)[row] : kNullCode;
}

}  // namespace

// A row that names no campaign, ad set or ad cannot be placed, and Ads Manager's totals row
// (its first data row, the sum of all others) is such a row: summed, it would double the
// spend. Both are set aside; the message says which it was.
void drop_rows_without_entity(Frame& frame, Findings& findings) {
  static constexpr std::array<const char*, 6> kEntityColumns = {
      "campaign_id", "adset_id", "ad_id", "campaign_name", "adset_name", "ad_name"};
  std::vector<uint8_t> keep(static_cast<size_t>(frame.n_rows), 1);
  RowHits rows;
  for (size_t i = 0; i < keep.size(); ++i) {
    bool named = false;
    for (const char* c : kEntityColumns) named = named || code_at(frame, c, i) != kNullCode;
    if (named) continue;
    keep[i] = 0;
    rows.hit(frame.lines[i]);
  }
  if (rows.count == 0) return;
  // A totals row's spend equals the sum of the others (to the cent, or to rounding).
  int64_t totals = 0;
  if (auto spend = frame.numbers.find("spend"); spend != frame.numbers.end()) {
    double others = 0;
    for (size_t i = 0; i < keep.size(); ++i)
      if (keep[i] && !std::isnan(spend->second[i])) others += spend->second[i];
    for (size_t i = 0; i < keep.size(); ++i) {
      const double v = spend->second[i];
      if (!keep[i] && !std::isnan(v) && v > 0 &&
          std::fabs(v - others) <= std::max(0.01, 0.005 * others))
        ++totals;
    }
  }
  frame.keep_rows(keep);
  const std::string label = label_of(frame.kind);
  findings.add(Severity::Warning, frame.path, "", rows.first_line(),
               totals > 0
                   ? plural(rows.count, "totals row", "totals rows") +
                         " (no campaign, ad set or ad; the sum of the other rows, as Ads Manager "
                         "exports it) left out, never summed" +
                         rows.lines_text()
                   : plural(rows.count, "row names", "rows name") +
                         " no campaign, ad set or ad and " + (rows.count == 1 ? "was" : "were") +
                         " left out" + rows.lines_text());
}

// `Reporting starts` / `Reporting ends` without a "Day" column: a row is daily only when the
// two are the same day. A longer period (a monthly or whole-range export) cannot be spread
// over days without guessing.
void check_daily_periods(const Frame& frame, Findings& findings) {
  if (!frame.has("period_end") || frame.has("period_start")) return;  // a Day column decides
  const auto& start = frame.dates.at("date");
  const auto& end = frame.dates.at("period_end");
  RowHits longer;
  size_t first = 0;
  for (size_t i = 0; i < start.size(); ++i) {
    if (start[i] == kNullDate || end[i] == kNullDate || start[i] == end[i]) continue;
    if (longer.count == 0) first = i;
    longer.hit(frame.lines[i]);
  }
  if (longer.count == 0) return;
  findings.add(Severity::Error, frame.path, "period_end", longer.first_line(),
               plural(longer.count, "row covers", "rows cover") + " more than one day (line " +
                   std::to_string(longer.first_line()) + ": " + parse::format_date(start[first]) +
                   " to " + parse::format_date(end[first]) + "): " + label_of(frame.kind) +
                   " needs one row per day; export it again from Ads Manager with Breakdown → By "
                   "time → Day");
}

// Counts cannot be negative, and clicks cannot exceed impressions: such cells are treated as
// unknown (empty). Negative spend is a refund or an adjustment: kept, as a credit. Spend with
// no impressions happens (late charges): kept. Every case is counted in a warning.
void apply_number_policies(Frame& frame, Findings& findings) {
  auto column = [&](const char* name) -> std::vector<double>* {
    auto it = frame.numbers.find(name);
    return it == frame.numbers.end() ? nullptr : &it->second;
  };
  std::vector<double>* impressions = column("impressions");
  std::vector<double>* clicks = column("clicks");
  std::vector<double>* spend = column("spend");
  for (auto [name, values] : {std::pair{"impressions", impressions}, std::pair{"clicks", clicks}}) {
    if (!values) continue;
    RowHits negative;
    for (size_t i = 0; i < values->size(); ++i)
      if ((*values)[i] < 0) negative.hit(frame.lines[i]), (*values)[i] = std::nan("");
    if (negative.count > 0)
      findings.add(Severity::Warning, frame.path, name, negative.first_line(),
                   plural(negative.count, "negative value", "negative values") +
                       negative.lines_text() + ": a count cannot be negative, so " +
                       (negative.count == 1 ? "it is" : "they are") +
                       " treated as empty (unknown)");
  }
  if (clicks && impressions) {
    RowHits over;
    for (size_t i = 0; i < clicks->size(); ++i)
      if ((*clicks)[i] > (*impressions)[i]) over.hit(frame.lines[i]), (*clicks)[i] = std::nan("");
    if (over.count > 0)
      findings.add(Severity::Warning, frame.path, "clicks", over.first_line(),
                   plural(over.count, "row has", "rows have") + " more clicks than impressions" +
                       over.lines_text() +
                       ": those clicks are treated as empty (unknown); check that "
                       "the columns are not shifted");
  }
  if (!spend) return;
  RowHits negative, unseen;
  for (size_t i = 0; i < spend->size(); ++i) {
    if ((*spend)[i] < 0) negative.hit(frame.lines[i]);
    // (Breakdowns split spend and impressions by placement or region, so a small share of
    // spend without impressions there is rounding, not news.)
    if ((*spend)[i] > 0 && impressions && (*impressions)[i] == 0 && frame.kind == "ads")
      unseen.hit(frame.lines[i]);
  }
  if (negative.count > 0)
    findings.add(Severity::Warning, frame.path, "spend", negative.first_line(),
                 plural(negative.count, "negative spend value", "negative spend values") +
                     negative.lines_text() +
                     " (refunds or adjustments?): kept as credits that lower " +
                     "their day's spend, and the spend of their ad, ad set and campaign");
  if (unseen.count > 0)
    findings.add(Severity::Warning, frame.path, "spend", unseen.first_line(),
                 plural(unseen.count, "row has", "rows have") + " spend but no impressions" +
                     unseen.lines_text() + ": kept as spend");
}

// ---- unreadable values --------------------------------------------------------------

namespace {

// What happens to a row whose value in `column` cannot be read, in words (row_policy.h).
RowDefect unreadable_defect(const Frame& frame, const ColumnSpec& col, const ColumnIssues& issues) {
  RowDefect d{col.name, "an unreadable " + col.name, "will be left out", ""};
  switch (col.type) {
    case ColType::Number:
      d.what = "an unreadable number in " + col.name;
      d.fix =
          std::string("not a number") +
          (issues.first_invalid_text.empty() ? "" : " (e.g. '" + issues.first_invalid_text + "')") +
          ": remove currency symbols and units; csv.decimal sets the decimal mark";
      // A daily row is left out whole: its other metrics would otherwise be summed without it.
      if (is_daily_file(frame))
        d.outcome = "will be left out (none of its metrics are counted)";
      else
        d.outcome = "will be read with that answer unknown";
      break;
    case ColType::Date:
      d.fix = "expected a date as YYYY-MM-DD";
      d.outcome = "will be left out (none of its metrics are counted)";
      break;
    case ColType::Timestamp:
      d.fix = "expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z";
      if (col.name == "qualified_time")
        d.outcome = "will leave its lead unknown (neither qualified nor not)";
      else if (col.name != "created_time")
        d.outcome = "will be ignored";
      break;
    default:
      break;
  }
  return d;
}

}  // namespace

// Unreadable numbers, dates and timestamps: a few rows are set aside, with a warning that says
// what happens to them; more than row_policy.h tolerates refuses the file. Daily rows are left
// out whole; a lead's unreadable created_time is already empty, so the build leaves it out; an
// outcome's qualified_time is set aside by set_aside_unreadable_outcomes.
void set_aside_unreadable_values(const FileSpec& spec, Frame& frame, Findings& findings) {
  std::vector<uint8_t> keep(static_cast<size_t>(frame.n_rows), 1);
  bool leave_out = false;
  const int64_t file_rows = frame.n_rows;
  for (const auto& name : frame.present_columns) {
    auto it = frame.issues.find(name);
    if (it == frame.issues.end() || it->second.invalid == 0) continue;
    const ColumnIssues& issues = it->second;
    const ColumnSpec& col = *spec.find(name);
    RowHits hits;
    hits.count = issues.invalid;
    hits.lines = issues.first_invalid_lines;
    const bool set_aside = add_row_defect(findings, frame.path, frame.kind, file_rows, hits,
                                          unreadable_defect(frame, col, issues));
    if (!set_aside || !is_daily_file(frame)) continue;
    for (int64_t line : issues.invalid_lines)
      if (const int64_t row = frame.row_of_line(line); row >= 0) {
        keep[static_cast<size_t>(row)] = 0;
        leave_out = true;
      }
  }
  if (!leave_out) return;
  // Unreadable cells are empty in the frame but were never counted as empty cells; keep_rows
  // forgets the empty cells of the rows it drops, so count these first.
  for (auto& [name, issues] : frame.issues)
    for (int64_t line : issues.invalid_lines)
      if (const int64_t row = frame.row_of_line(line); row >= 0 && !keep[static_cast<size_t>(row)])
        ++issues.nulls;
  frame.keep_rows(keep);
}

// ---- implausible dates --------------------------------------------------------------

namespace {

std::string describe_outliers(const std::vector<int32_t>& days, const std::vector<uint8_t>& outlier,
                              const std::vector<int64_t>& lines, RowHits& hits) {
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  size_t example = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    if (outlier[i]) {
      if (hits.count == 0) example = i;
      hits.hit(lines[i]);
    } else if (days[i] != kNullDate) {
      lo = std::min(lo, days[i]), hi = std::max(hi, days[i]);
    }
  }
  if (hits.count == 0) return {};
  return plural(hits.count, "date lies", "dates lie") + " far outside the rest of the file (" +
         (lo <= hi ? parse::format_date(lo) + " to " + parse::format_date(hi)
                   : std::string("no other dates")) +
         ") and look" + (hits.count == 1 ? "s" : "") + " mistyped (e.g. " +
         parse::format_date(days[example]) + " at line " + std::to_string(lines[example]) + ")";
}

// The mistyped-date rules share row_policy.h's tolerance: a few such rows are set aside with
// a warning saying what happens to them; more refuse the file, in the same words everywhere.
bool add_outlier_finding(Findings& findings, const Frame& frame, const std::string& column,
                         const RowHits& hits, const std::string& text,
                         const std::string& consequence) {
  const Severity severity = row_defect_severity(hits.count, frame.n_rows);
  findings.add(severity, frame.path, column, hits.first_line(),
               severity == Severity::Warning
                   ? text + "; " + consequence + hits.lines_text()
                   : text + hits.lines_text() + ": too many to leave out (" +
                         tolerance_text(frame.n_rows) +
                         "), so the file is refused; correct the dates and validate again");
  return severity == Severity::Warning;
}

}  // namespace

// Daily files: rows at mistyped dates are left out (they would also stretch every daily
// cube across the centuries in between).
void drop_implausible_dates(Frame& frame, Findings& findings) {
  auto it = frame.dates.find("date");
  if (it == frame.dates.end()) return;
  const std::vector<uint8_t> outlier = implausible_days(it->second);
  RowHits hits;
  const std::string text = describe_outliers(it->second, outlier, frame.lines, hits);
  if (hits.count == 0) return;
  if (!add_outlier_finding(findings, frame, "date", hits, text, "those rows will be left out"))
    return;
  std::vector<uint8_t> keep(outlier.size());
  for (size_t i = 0; i < keep.size(); ++i) keep[i] = !outlier[i];
  frame.keep_rows(keep);
}

// A lead created at a mistyped date would move as_of_date (the latest lead's day) and with it
// every other lead's label: its created_time becomes unknown, so the lead is left out.
void drop_implausible_leads(Frame& leads, Findings& findings) {
  auto it = leads.times.find("created_time");
  if (it == leads.times.end()) return;
  const std::vector<int32_t> days = days_of(it->second);
  const std::vector<uint8_t> outlier = implausible_days(days);
  RowHits hits;
  const std::string text = describe_outliers(days, outlier, leads.lines, hits);
  if (hits.count == 0) return;
  if (!add_outlier_finding(
          findings, leads, "created_time", hits, text,
          "those leads will be left out, so they cannot move as_of_date or anyone's label"))
    return;
  for (size_t i = 0; i < outlier.size(); ++i)
    if (outlier[i]) it->second[i] = kNullTime;
}

// An outcome whose qualified_time cannot be read, or is implausible, says nothing reliable:
// its lead is neither positive nor negative (never "not qualified" by default).
void set_aside_unreadable_outcomes(InputFiles& inputs, Findings& findings) {
  Frame* outcomes = inputs.get("outcomes");
  if (!outcomes || !outcomes->has("qualified_time") || !outcomes->has("lead_id")) return;
  auto& times = outcomes->times.at("qualified_time");
  const auto& ids = outcomes->codes.at("lead_id");
  const std::vector<int32_t> days = days_of(times);
  const std::vector<uint8_t> outlier = implausible_days(days);
  RowHits hits;
  const std::string text = describe_outliers(days, outlier, outcomes->lines, hits);
  std::vector<uint8_t> unreadable(outlier);
  if (auto issues = outcomes->issues.find("qualified_time"); issues != outcomes->issues.end())
    for (int64_t line : issues->second.invalid_lines)
      if (const int64_t row = outcomes->row_of_line(line); row >= 0)
        unreadable[static_cast<size_t>(row)] = 1;
  for (size_t i = 0; i < unreadable.size(); ++i) {
    if (!unreadable[i]) continue;
    times[i] = kNullTime;
    if (ids[i] != kNullCode) inputs.unreadable_outcome_leads.push_back(ids[i]);
  }
  if (hits.count > 0)
    add_outlier_finding(findings, *outcomes, "qualified_time", hits, text,
                        "their leads will stay unknown (neither qualified nor not)");
}

}  // namespace elv::contracts::detail

namespace elv::contracts {

namespace {
constexpr int32_t kMinOutlierGapDays = 90;
}  // namespace

std::vector<uint8_t> implausible_days(const std::vector<int32_t>& days) {
  std::vector<uint8_t> outlier(days.size(), 0);
  std::vector<int32_t> v;
  v.reserve(days.size());
  for (int32_t d : days)
    if (d != kNullDate) v.push_back(d);
  const size_t n = v.size();
  if (n < 10) return outlier;
  const size_t k = std::max<size_t>(1, n / 20);  // at most the lowest and highest 5 %
  // Only the two tails are sorted: O(n), not a sort of millions of leads.
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  std::sort(v.begin(), v.begin() + static_cast<long>(k) + 1);
  std::nth_element(v.begin() + static_cast<long>(k) + 1, v.end() - static_cast<long>(k) - 1,
                   v.end());
  std::sort(v.end() - static_cast<long>(k) - 1, v.end());
  const int32_t bulk_lo = v[k], bulk_hi = v[n - k - 1];
  int32_t keep_from = std::numeric_limits<int32_t>::min(),
          keep_to = std::numeric_limits<int32_t>::max();
  for (size_t i = n - k - 1; i + 1 < n; ++i) {  // upward from the top of the bulk
    const int64_t gap = static_cast<int64_t>(v[i + 1]) - v[i];
    if (gap > std::max<int64_t>(kMinOutlierGapDays, static_cast<int64_t>(v[i]) - bulk_lo)) {
      keep_to = v[i];
      break;
    }
  }
  for (size_t i = k; i > 0; --i) {  // downward from the bottom of the bulk
    const int64_t gap = static_cast<int64_t>(v[i]) - v[i - 1];
    if (gap > std::max<int64_t>(kMinOutlierGapDays, static_cast<int64_t>(bulk_hi) - v[i])) {
      keep_from = v[i];
      break;
    }
  }
  for (size_t i = 0; i < days.size(); ++i)
    outlier[i] = days[i] != kNullDate && (days[i] < keep_from || days[i] > keep_to);
  return outlier;
}

}  // namespace elv::contracts
