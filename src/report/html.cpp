// The page: report.html put together from its sections (section_*.cpp), with the notice of
// missing files, the "at a glance" box, the list of the run's files and the style sheet
// (report.css, compiled in); and the web app's fragments of it.
#include "report/html.h"

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "io/files.h"
#include "report/html_parts.h"

namespace fs = std::filesystem;

// report.css, compiled in by cmake/embed_file.cmake (CMakeLists.txt).
extern const char elv_report_css[];
extern const std::size_t elv_report_css_size;

namespace elv::report {

namespace detail {
namespace {

// ---------------------------------------------------------------------------------------
// Files of the run, and what is missing

struct FileInfo {
  const char* name;
  const char* holds;
  const char* consequence;  // what the report cannot show without it
};

constexpr FileInfo kFiles[] = {
    {"metadata.json", "run facts: command, inputs, join, labels, warnings",
     "the run summary is incomplete"},
    {"data_profile.json", "profile of the inputs and the lead table",
     "data health relies on metadata.json alone"},
    {"data_profile.md", "the same profile, for people", ""},
    {"config.yaml", "the effective configuration",
     "low-volume and value settings are not explained"},
    {"table.csv.gz", "the lead table: labels and features per lead", ""},
    {"metrics.json", "model quality on the test split, next to the baseline",
     "the model quality section cannot be shown"},
    {"model.json", "the model bundle, for score and batch-score", ""},
    {"predictions.csv", "P(qualified) and ELV for every lead",
     "the distribution of predicted probabilities cannot be shown"},
    {"leaderboard_campaign.csv", "campaigns ranked by value per spend",
     "the campaign leaderboard cannot be shown"},
    {"leaderboard_adset.csv", "ad sets ranked by value per spend",
     "the ad set leaderboard cannot be shown"},
    {"drift.json", "feature drift of the scored leads vs the training data",
     "the drift table cannot be shown"},
    {"backtest.csv", "the back-test per fold: dates, counts, ROC-AUC and the other metrics",
     "the Backtest section cannot be shown"},
    // Written by the GenAI advisor (elv advise, the web app's Advisor tab), never by a run:
    // listed only when present.
    {"advice.md", "the GenAI advisor's answer", ""},
    {"advice.json", "what was asked of the advisor, and its answer", ""},
};

// Files every run of this kind writes (optional ones, like drift.json, are not listed).
bool expected(std::optional<RunKind> kind, std::string_view name) {
  static const char* const kBuild[] = {"metadata.json", "data_profile.json", "data_profile.md",
                                       "config.yaml", "table.csv.gz"};
  for (const char* n : kBuild)
    if (name == n) return kind.has_value();
  if (name == "metrics.json" || name == "model.json") return kind == RunKind::kTrain;
  if (name == "backtest.csv") return kind == RunKind::kBacktest;
  if (name == "predictions.csv" || name == "leaderboard_campaign.csv") return scored(kind);
  return false;
}

Status status_of(const Run& r, std::string_view name) {
  if (name == "metadata.json") return r.metadata.status;
  if (name == "data_profile.json") return r.profile.status;
  if (name == "metrics.json") return r.metrics.status;
  if (name == "drift.json") return r.drift.status;
  if (name == "predictions.csv") return r.scores.status;
  if (name == "leaderboard_campaign.csv") return r.campaign.status;
  if (name == "leaderboard_adset.csv") return r.adset.status;
  return {file_exists(r.dir / std::string(name)) ? State::Ok : State::Missing, ""};
}

// The notice at the top of the page: expected files that are missing, and files that could
// not be read, with what that costs the reader.
std::string missing_notice_html(const Run& r) {
  std::string items;
  for (const FileInfo& f : kFiles) {
    const Status st = status_of(r, f.name);
    std::string line;
    if (st.state == State::Missing && expected(r.kind, f.name)) line = code(f.name) + " is missing";
    if (st.state == State::Unreadable)
      line = code(f.name) + " could not be read (" + esc(st.problem) + ")";
    if (line.empty()) continue;
    items +=
        "<li>" + line +
        (*f.consequence ? ": " + esc(f.consequence) : std::string(": not needed by this report")) +
        ".</li>\n";
  }
  if (items.empty()) return "";
  return "<div class=\"problem\" id=\"missing\"><strong>This run folder is "
         "incomplete.</strong>\n<ul>\n" +
         items + "</ul></div>\n";
}

std::string files_html(const Run& r) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const FileInfo& f : kFiles) {
    const Status st = status_of(r, f.name);
    if (st.state == State::Missing && !expected(r.kind, f.name)) continue;
    std::string state = st.state == State::Ok        ? "present"
                        : st.state == State::Missing ? "missing"
                                                     : "could not be read";
    rows.push_back({code(f.name), esc(f.holds), esc(state)});
    classes.push_back(st.state == State::Ok ? "" : "flagged");
  }
  return grid_table({"file", "what it holds", "status"}, rows, {false, false, false}, classes);
}

// ---------------------------------------------------------------------------------------
// At a glance: the few facts a marketer reads first, each pointing to its section.

std::string glance_html(const Run& r) {
  std::vector<std::string> items;
  if (r.metrics.status.ok()) items.push_back(lift_sentence(r.metrics.value));
  if (r.scores.status.ok() && r.scores.n > 0)
    items.push_back(esc(format_count(r.scores.n)) + " leads scored; the model expects <strong>" +
                    esc(format_count(std::llround(r.scores.sum_p))) +
                    "</strong> of them to qualify.");
  items.push_back(best_campaign_item(r.campaign));
  items.push_back(drift_item(r));
  if (const size_t n = warnings_of(r).size(); n > 0)
    items.push_back(std::to_string(n) + (n == 1 ? " warning" : " warnings") +
                    " about the data (see Data health).");
  std::string list;
  for (const auto& item : items)
    if (!item.empty()) list += "<li>" + item + "</li>\n";
  if (list.empty()) return "";
  return "<div class=\"glance\" id=\"glance\"><h2>At a glance</h2>\n<ul>\n" + list +
         "</ul></div>\n";
}

// The glance box is a convenience: if anything in it fails, the page goes on without it.
std::string guarded_glance(const Run& r) {
  try {
    return glance_html(r);
  } catch (const std::exception&) {
    return "";
  }
}

// ---------------------------------------------------------------------------------------
// The page

std::string header_html(const Run& r) {
  const json* m = meta(r);
  const std::string id = run_id(r);
  std::string sub = "Run " + code(id) + " &#183; " + esc(shown_kind_name(r));
  if (const std::string created = str(at(m, {"created_at_utc"})); !created.empty())
    sub += " &#183; " + esc(created);
  static const std::pair<const char*, const char*> kNav[] = {{"overview", "Overview"},
                                                             {"summary", "Run summary"},
                                                             {"data-health", "Data health"},
                                                             {"backtest", "Backtest"},
                                                             {"quality", "Model quality"},
                                                             {"scores", "Predicted probabilities"},
                                                             {"drivers", "What drives the score"},
                                                             {"leaderboards", "Leaderboards"},
                                                             {"creatives", "Creatives"},
                                                             {"drift", "Drift"},
                                                             {"advice", "Advice"},
                                                             {"files", "Files"}};
  std::string nav = "<nav><ul>";
  for (const auto& [anchor, label] : kNav)
    if ((std::string_view(anchor) != "advice" || has_advice(r)) &&
        (std::string_view(anchor) != "creatives" || has_creatives(r)) &&
        (std::string_view(anchor) != "backtest" || has_backtest(r)) &&
        (std::string_view(anchor) != "drivers" || has_drivers(r)))
      nav += "<li><a href=\"#" + std::string(anchor) + "\">" + label + "</a></li>";
  nav += "</ul></nav>\n";
  return "<header>\n<h1>elv run report</h1>\n<p>" + sub + "</p>\n" + nav + "</header>\n";
}

// report.css: no web fonts (the system's sans-serif); in print, no navigation, no
// backgrounds lost, tables and charts kept whole.
std::string page(const Run& r, const std::string& body_html) {
  const std::string id = run_id(r);
  return std::string("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n") +
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>elv "
         "report: " +
         esc(id) + "</title>\n<style>\n" + std::string(elv_report_css, elv_report_css_size) +
         "</style>\n</head>\n<body>\n<main>\n" + body_html +
         "<footer>Generated by elv " ELV_VERSION
         " from the artifacts of this run folder alone "
         "(<code>elv report --run-dir</code> rebuilds it). Self-contained: it loads nothing from "
         "the network.</footer>\n"
         "</main>\n</body>\n</html>\n";
}

}  // namespace
}  // namespace detail

using detail::advice_html;
using detail::backtest_html;
using detail::creatives_html;
using detail::data_health_html;
using detail::detect_kind;
using detail::drift_html;
using detail::drivers_html;
using detail::files_html;
using detail::guarded;
using detail::guarded_glance;
using detail::has_advice;
using detail::has_backtest;
using detail::has_creatives;
using detail::has_drivers;
using detail::header_html;
using detail::kind_name;
using detail::leaderboards_html;
using detail::load_json;
using detail::load_run;
using detail::missing_notice_html;
using detail::overview_html;
using detail::page;
using detail::quality_html;
using detail::Run;
using detail::scores_html;
using detail::summary_html;
using detail::value_banner_html;

std::string render_report(const std::string& run_dir, const ScoresInMemory* scores) {
  const detail::ScoreSummary summary =
      scores ? detail::summarize_scores(*scores->p, scores->value_per_qualified,
                                        scores->label_window_days)
             : detail::ScoreSummary{};
  const Run r = load_run(run_dir, scores ? &summary : nullptr);
  std::string body =
      header_html(r) + missing_notice_html(r) + value_banner_html(r) + guarded_glance(r);
  body += guarded("overview", "Overview: where the budget goes", [&] { return overview_html(r); });
  body += guarded("summary", "Run summary", [&] { return summary_html(r); });
  body += guarded("data-health", "Data health", [&] { return data_health_html(r); });
  if (has_backtest(r))
    body += guarded("backtest", "Backtest: the model over time", [&] { return backtest_html(r); });
  body += guarded("quality", "Model quality on the test split", [&] { return quality_html(r); });
  body += guarded("scores", "Predicted probabilities", [&] { return scores_html(r); });
  if (has_drivers(r))
    body += guarded("drivers", "What drives the score", [&] { return drivers_html(r); });
  body += guarded("leaderboards", "Leaderboards", [&] { return leaderboards_html(r); });
  if (has_creatives(r))
    body += guarded("creatives", "Creatives", [&] { return creatives_html(r); });
  body += guarded("drift", "Drift", [&] { return drift_html(r); });
  if (has_advice(r))
    body += guarded("advice", "Advice from the GenAI advisor", [&] { return advice_html(r); });
  body += guarded("files", "Files in this run", [&] { return files_html(r); });
  return page(r, body);
}

std::string run_kind(const std::string& run_dir) {
  Run r;
  r.dir = run_dir;
  r.metadata = load_json(r.dir, "metadata.json");
  return kind_name(detect_kind(r));
}

std::string render_section(const std::string& run_dir, std::string_view name) {
  const Run r = load_run(run_dir);
  // The web app shows the value banner itself, above every tab (from metadata.json).
  if (name == "overview")
    return missing_notice_html(r) + guarded_glance(r) +
           guarded("overview", "Where the budget goes", [&] { return overview_html(r); }) +
           guarded("summary", "Run summary", [&] { return summary_html(r); }) +
           guarded("data-health", "Data health", [&] { return data_health_html(r); });
  if (name == "model" && has_backtest(r))
    return guarded("backtest", "Backtest: the model over time", [&] { return backtest_html(r); });
  if (name == "model")
    return guarded("quality", "Model quality on the test split", [&] { return quality_html(r); }) +
           guarded("scores", "Predicted probabilities", [&] { return scores_html(r); }) +
           (has_drivers(r)
                ? guarded("drivers", "What drives the score", [&] { return drivers_html(r); })
                : std::string());
  if (name == "drift") return guarded("drift", "Drift", [&] { return drift_html(r); });
  return "";
}

void write_report(const std::string& run_dir, const ScoresInMemory* scores) {
  io::write_file_atomically((fs::path(run_dir) / "report.html").string(),
                            render_report(run_dir, scores));
}

}  // namespace elv::report
