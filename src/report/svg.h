// Small chart builders for the run report (report.html) and, later, the web UI: each one
// returns a self-contained <svg> element as a string. No page assumptions: colours and
// fonts are attributes on the elements (no CSS class needed), sizes come from the viewBox
// so the caller's CSS can scale the chart, and the output is well-formed XML.
//
// Output is deterministic: every number is written with std::to_chars in fixed notation
// (locale-independent), and non-finite values (NaN, ±inf) are skipped, never printed.
// All text (titles, labels, series names) is escaped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/format.h"

namespace elv::report::svg {

// Escapes &, <, >, " and ' for XML/HTML text and attribute values. Invalid UTF-8 and
// control characters other than tab, LF and CR are replaced by U+FFFD, so user text read
// from CSVs can never make the document malformed.
std::string escape_xml(std::string_view text);

// Numbers in charts and tables: base/format.h (one formatter for every output).
using elv::fixed;

// An inline <svg> has no namespace attribute: inside HTML it is not needed, and the report
// must not contain any http:// string. Serving a chart as its own image/svg+xml file does
// need it: this adds it to the root element.
std::string with_xmlns(std::string svg);

struct Point {
  double x = 0, y = 0;
};
struct Series {
  std::string label;
  std::string color;  // any SVG colour, e.g. "#1f6feb"
  std::vector<Point> points;
};

// Cumulative capture (gain) chart on [0,1]×[0,1]: x = share of leads contacted, highest
// score first; y = share of all qualified leads found. Draws each series as a line, the
// diagonal of random ordering as a dashed reference line, and a legend. Points with a
// non-finite coordinate are skipped; with no drawable point the chart says "no data".
std::string capture_chart(const std::vector<Series>& series, std::string_view title);

struct ReliabilityBin {
  double lower = 0, upper = 0;  // the bin's range of predicted probability
  double mean_pred = 0;         // NaN when the bin is empty
  double frac_pos = 0;          // observed share of qualified leads; NaN when empty
  int64_t count = 0;
};
// Reliability diagram: for each bin a bar of the observed rate over the bin's range, a
// point at (mean predicted, observed) joined by a line, the diagonal of perfect
// calibration, and the bin's lead count as a label above the bar.
std::string reliability_diagram(const std::vector<ReliabilityBin>& bins, std::string_view title);

// Histogram of counts over equal-width bins spanning [lo, hi]; x ticks are shown as
// percentages when [lo, hi] = [0, 1] (probabilities), y ticks are "nice" round counts.
std::string histogram(const std::vector<int64_t>& counts, double lo, double hi,
                      std::string_view title, std::string_view x_label);

struct SpendBar {
  std::string label;        // the campaign or ad set name (shortened to fit)
  double value_per_spend;   // NaN: no bar (no spend)
  std::string value_text;   // "3.56", written after the bar
  double spend;             // the thin second bar, on its own scale
  std::string spend_text;   // "1,234.00 EUR"
  bool low_volume = false;  // drawn grey, "(low volume)" after the name
};
// Horizontal bars of value per spend, one row per segment in the given order, each with
// its spend as a thin grey bar below it (scaled to the largest spend) and both figures as
// text; a dashed line marks `reference` (the account's value per spend, when finite) and
// the break-even of 1. The chart grows with the rows; with none it says "no data".
std::string value_per_spend_bars(const std::vector<SpendBar>& bars, double reference,
                                 std::string_view title);

// A score on [0, 1] per fold of a back-test (ROC-AUC), left to right in time: each series a
// line through its folds with a dot on each (a NaN, a fold that did not run, breaks the
// line), the y axis from y_lo to y_hi, one x label per fold (every few folds when there are
// many), a dashed line at 0.5 (random ranking) when it is in range, and a legend.
std::string per_fold_chart(const std::vector<std::string>& fold_labels,
                           const std::vector<Series>& series, double y_lo, double y_hi,
                           std::string_view title, std::string_view x_title,
                           std::string_view y_title);

}  // namespace elv::report::svg
