// report.html (docs/CONTRACT.md §8): one self-contained page a marketer can read, rebuilt from a
// run folder's artifacts alone. No network references of any kind (no CDN, no web fonts, no
// scripts): CSS is embedded and charts are inline SVG from report/svg.h.
//
// Every artifact is optional to the renderer: a missing file, or one that cannot be
// parsed, turns its section into a sentence saying what is absent and why. All text that
// comes from the data (campaign names, file paths, warnings) is escaped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace elv::report {

// HTML-escapes text for element content and attribute values (see svg::escape_xml:
// invalid UTF-8 and control characters become U+FFFD).
std::string escape_html(std::string_view text);

// Deterministic number formats used across the report (and by the web UI).
std::string format_count(int64_t n);       // 12,345
std::string format_money(double v);        // 27,689.19 (thousands separators, 2 decimals)
std::string format_percent(double share);  // 0.3417 -> "34.2 %" (one decimal, no-break space)
// Non-finite values format as an em dash.

// The whole page for the run folder run_dir. Never throws for missing or damaged
// artifacts; each section states what it could not show.
// The predicted probabilities of the run, from the command that just wrote predictions.csv:
// the report then summarises them instead of reading the file back (2.1 GB at 4.4 M leads,
// mapped whole: the peak memory of train and score, issue 19). The figures are the same, as
// predictions.csv holds each probability and ELV in shortest round-trip form.
struct ScoresInMemory {
  const std::vector<double>* p = nullptr;
  double value_per_qualified = 0;
  int label_window_days = 0;
};

std::string render_report(const std::string& run_dir, const ScoresInMemory* scores = nullptr);

// What made the run, as report.html tells it: "train", "score", "batch-score",
// "build-table" or "unknown" (from metadata.json; from the files when it is missing).
std::string run_kind(const std::string& run_dir);

// One part of the report, as an HTML fragment (same markup and charts), for the web app's
// run tabs: "overview" (glance, KPI tiles, value-per-spend charts, budget opportunity,
// definitions, summary, data health and warnings), "model" (quality,
// lift and reliability charts, score distribution; a back-test's Backtest section instead) or
// "drift". "" for any other name.
std::string render_section(const std::string& run_dir, std::string_view name);

// Writes run_dir/report.html atomically. Throws elv::Error when it cannot be written.
void write_report(const std::string& run_dir, const ScoresInMemory* scores = nullptr);

}  // namespace elv::report
