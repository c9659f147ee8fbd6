#include "contracts/validate.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/format.h"
#include "contracts/checks.h"

namespace elv::contracts {

bool ValidationReport::usable() const { return count(Severity::Error) == 0; }

int64_t ValidationReport::count(Severity severity) const {
  return std::count_if(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.severity == severity; });
}

namespace {

// ---- facts --------------------------------------------------------------------------

FileFacts facts_of(const Frame& frame) {
  FileFacts facts;
  facts.kind = frame.kind;
  facts.path = frame.path;
  facts.rows = frame.n_rows;
  facts.size_mb = frame.size_mb;
  facts.columns = frame.present_columns;
  for (const auto& name : frame.present_columns) {
    auto it = frame.issues.find(name);
    const int64_t nulls = it == frame.issues.end() ? 0 : it->second.nulls;
    facts.null_pct[name] =
        frame.n_rows > 0 ? 100.0 * static_cast<double>(nulls) / static_cast<double>(frame.n_rows)
                         : 0;
  }
  std::tie(facts.date_min, facts.date_max) = date_range(frame);
  facts.format = frame.format.describe();
  return facts;
}

}  // namespace

ValidationReport validate(const Config& config, int threads, InputFiles* keep_inputs) {
  LoadInputsOptions options;
  options.threads = threads;
  options.collect_errors = true;
  Findings findings;
  InputFiles inputs = load_inputs(config, options, findings);
  check_inputs(config, inputs, findings);
  ValidationReport report;
  report.findings = std::move(findings.items);
  report.coverage = std::move(findings.coverage);
  for (const char* kind : {"ads", "leads", "outcomes", "lead_to_ad_map", "ads_placement", "ads_geo",
                           "adset_targeting", "ad_creatives"})
    if (const Frame* frame = inputs.get(kind)) report.files.push_back(facts_of(*frame));
  if (keep_inputs) *keep_inputs = std::move(inputs);
  return report;
}

// ---- rendering ----------------------------------------------------------------------

namespace {

void render_findings(const ValidationReport& report, Severity severity, const std::string& title,
                     std::string& out) {
  const int64_t n = report.count(severity);
  out += title + " (" + std::to_string(n) + ")" + (n ? ":\n" : ": none\n");
  for (const auto& f : report.findings)
    if (f.severity == severity) out += "  " + finding_line(f) + "\n";
}

void render_file(const FileFacts& f, std::string& out) {
  out += "  " + f.kind + ": " + f.path + "\n";
  out += "    " + f.format + "\n";
  out += "    " + std::to_string(f.rows) + " rows, " + fixed(f.size_mb, 2) + " MB";
  if (!f.date_min.empty()) out += ", " + f.date_min + " to " + f.date_max;
  out += "\n    columns: " + join(f.columns, ", ") + "\n";
  std::string empties;
  for (const auto& column : f.columns) {
    const double pct = f.null_pct.at(column);
    if (pct > 0) empties += (empties.empty() ? "" : ", ") + column + " " + fixed(pct, 1) + " %";
  }
  out += "    empty cells: " + (empties.empty() ? std::string("none") : empties) + "\n";
}

nlohmann::json finding_json(const Finding& f) {
  return {{"file", f.file},
          {"column", f.column},
          {"line", f.line >= 0 ? nlohmann::json(f.line) : nlohmann::json(nullptr)},
          {"message", f.message}};
}

nlohmann::json optional_text(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

std::string render_text(const ValidationReport& report) {
  std::string out;
  render_findings(report, Severity::Error, "Errors", out);
  render_findings(report, Severity::Warning, "Warnings", out);
  out += "Files:\n";
  if (report.files.empty()) out += "  none loaded\n";
  for (const auto& f : report.files) render_file(f, out);
  if (!report.coverage.empty()) {
    out += "Coverage:\n";
    for (const auto& [name, share] : report.coverage)
      out += "  " + name + ": " + percent(share) + "\n";
  }
  const int64_t errors = report.count(Severity::Error), warnings = report.count(Severity::Warning);
  out += std::string(report.usable() ? "Result: usable" : "Result: NOT usable") + " (" +
         plural(errors, "error", "errors") + ", " + plural(warnings, "warning", "warnings") + ")\n";
  return out;
}

nlohmann::json to_json(const ValidationReport& report) {
  nlohmann::json errors = nlohmann::json::array(), warnings = nlohmann::json::array();
  for (const auto& f : report.findings)
    (f.severity == Severity::Error ? errors : warnings).push_back(finding_json(f));
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : report.files) {
    files.push_back({{"kind", f.kind},
                     {"path", f.path},
                     {"rows", f.rows},
                     {"size_mb", f.size_mb},
                     {"columns", f.columns},
                     {"null_pct", f.null_pct},
                     {"format", f.format},
                     {"date_min", optional_text(f.date_min)},
                     {"date_max", optional_text(f.date_max)}});
  }
  nlohmann::json coverage = nlohmann::json::object();
  for (const auto& [name, share] : report.coverage) coverage[name] = share;
  return {{"ok", report.usable()},
          {"errors", errors},
          {"warnings", warnings},
          {"files", files},
          {"coverage", coverage}};
}

}  // namespace elv::contracts
