// Internal to report/: the small HTML builders every section uses, and the sections of
// report.html (section_*.cpp), which html.cpp puts together into the page and the web app's
// fragments. Each section reads only the run's files (report/run_files.h).
//
// Arguments named *_html are markup already; everything else is escaped.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/html.h"
#include "report/run_files.h"

namespace elv::report::detail {

inline constexpr const char* kDash = "\xE2\x80\x94";  // em dash: a value that is not there
inline constexpr const char* kNbsp = "\xC2\xA0";      // keeps "34.2 %" on one line
inline constexpr const char* kTimes = "\xC3\x97";     // the × of "3.4× random"

// ---------------------------------------------------------------------------------------
// Number formats (the public ones, format_count and the like, are in report/html.h)

// "1234567.5" -> "1,234,567.5": separators in the integer part only.
std::string group_thousands(const std::string& number);
std::string format_metric(double v);  // "0.731", or an em dash
std::string format_lift(double v);    // "3.4×", or an em dash
// The number in a CSV row's cell col (a leaderboard's, backtest.csv's); NaN when the cell is
// missing, empty or not a number.
double number_in(const std::vector<std::string>& row, int col);

// ---------------------------------------------------------------------------------------
// HTML pieces

std::string esc(std::string_view s);
std::string or_dash(const std::string& html);  // an em dash for ""
std::string code(std::string_view s);          // <code>s</code>, or "" for ""
// Timestamps break badly at their hyphens: kept on one line.
std::string when(const json* j);
std::string absent(const std::string& html);   // <p class="absent">: what is not shown, why
std::string problem(const std::string& html);  // <p class="problem">: something is wrong
std::string para(const std::string& html);
std::string h3(std::string_view id, std::string_view title);

using Rows = std::vector<std::pair<std::string, std::string>>;  // label text, value html

std::string kv_table(const Rows& rows);
// A table with a header row; cells are markup. Columns listed in numeric are right-aligned;
// a header cell with a non-empty entry in header_titles gets it as its title (a tooltip).
std::string grid_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric,
                       const std::vector<std::string>& row_classes = {},
                       const std::vector<std::string>& header_titles = {});
// Two blocks side by side on a wide screen, stacked on a narrow one.
std::string pair(const std::string& left_html, const std::string& right_html);
std::string figure(const std::string& svg_markup, const std::string& caption_html);
std::string section(std::string_view id, std::string_view title, const std::string& body_html);
// One section; a bug or an artifact shaped in a way we did not foresee costs that section,
// not the report.
std::string guarded(std::string_view id, std::string_view title,
                    const std::function<std::string()>& body);
// Why an artifact the section needs is not usable, or "" when it is.
std::string unusable(const Status& status, std::string_view name, std::string_view consequence);
std::string basename(const std::string& path);
// A model kind as a marketer reads it: "logistic regression (logreg)", "gradient-boosted
// trees (gbdt)"; other text as it is. Escaped.
std::string model_type_words(const std::string& model_type);

// ---------------------------------------------------------------------------------------
// The sections: the body of each <section>, for guarded()

// section_summary.cpp
std::string summary_html(const Run& r);
std::string data_health_html(const Run& r);
// Every warning of the run: metadata.json's, then any only the profile has.
std::vector<std::string> warnings_of(const Run& r);

// section_quality.cpp
std::string quality_html(const Run& r);
std::string scores_html(const Run& r);
// "Contacting the top 10.0 % of leads ranked by this model captures 34.2 % of qualified
// leads, 3.4× random." — or "" when the test split had no qualified lead.
std::string lift_sentence(const json& metrics);

// section_leaderboards.cpp
std::string leaderboards_html(const Run& r);
// The glance's line on the best campaign by value per spend, or "".
std::string best_campaign_item(const CsvHead& t);

// section_drift.cpp
std::string drift_html(const Run& r);
// The glance's line on how many watched features drifted, or "".
std::string drift_item(const Run& r);

// section_creatives.cpp
// section_drivers.cpp: "What drives the score" (train runs whose metrics.json has drivers).
bool has_drivers(const Run& r);
std::string drivers_html(const Run& r);
bool has_creatives(const Run& r);  // a creative analysis (report/creatives.h) is in the run
std::string creatives_html(const Run& r);

// section_overview.cpp
// Money with the run's currency: "1,234.50 EUR" (text, then escaped markup); "" when not finite.
std::string money_text(const Run& r, double v);
std::string money(const Run& r, double v);
// The overview: KPI tiles, the value-per-spend charts, the budget opportunity, definitions.
std::string overview_html(const Run& r);
// The banner at the top of the page while the value of a qualified lead is the placeholder
// (scored runs only), or "".
std::string value_banner_html(const Run& r);
// "Assumed: a qualified lead is worth 150.00 EUR (the demo's default)…", or "" (unknown, or
// the placeholder, which the banner covers).
std::string value_statement_html(const Run& r);

// section_backtest.cpp
bool has_backtest(const Run& r);  // a back-test's run (or a backtest.csv in the folder)
// The verdict on stability, the ROC-AUC per fold (model and baseline) as a chart, and the
// folds' table, from backtest.csv and metadata.json → backtest.
std::string backtest_html(const Run& r);

// section_advice.cpp
bool has_advice(const Run& r);  // advice.md is in the run folder
std::string advice_html(const Run& r);

}  // namespace elv::report::detail
