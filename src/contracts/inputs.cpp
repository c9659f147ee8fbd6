#include "contracts/inputs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "base/format.h"
#include "contracts/loader.h"
#include "contracts/schema.h"

namespace elv::contracts {

const Frame* InputFiles::get(const std::string& kind) const {
  auto it = frames.find(kind);
  return it == frames.end() ? nullptr : &it->second;
}

Frame* InputFiles::get(const std::string& kind) {
  auto it = frames.find(kind);
  return it == frames.end() ? nullptr : &it->second;
}

namespace {

struct ConfiguredFile {
  const FileSpec* spec;
  std::string path;
};

std::vector<ConfiguredFile> configured_files(const PathsConfig& p, bool ignore_outcomes) {
  std::vector<ConfiguredFile> files = {{&leads_spec(), p.leads_path},
                                       {&ads_spec(), p.ads_path},
                                       {&outcomes_spec(), ignore_outcomes ? "" : p.outcomes_path},
                                       {&lead_map_spec(), p.lead_to_ad_map_path},
                                       {&placement_spec(), p.ads_placement_path},
                                       {&geo_spec(), p.ads_geo_path},
                                       {&targeting_spec(), p.adset_targeting_path},
                                       {&creatives_spec(), p.ad_creatives_path}};
  std::erase_if(files, [](const ConfiguredFile& f) { return f.path.empty(); });
  return files;
}

// "paths.ads_path" -> "ads_path", the key csv options are given under.
std::string path_key(const FileSpec& spec) {
  return spec.config_key.substr(spec.config_key.find('.') + 1);
}

// Stage mode (docs/CRM_EXPORTS.md): the (lead_id, qualified_time) frame of the contract,
// one row per lead in the order of first appearance, its qualified_time the earliest
// stage_time of a row whose stage is listed (trimmed, case-insensitive); rows of other stages
// only say the lead is known. A listed stage whose time cannot be read leaves the lead
// unknown, as an unreadable qualified_time does.
Frame outcomes_from_stages(const Frame& in, const std::vector<std::string>& qualified_stages,
                           const Dictionaries& dicts) {
  std::vector<std::string> wanted;
  for (const auto& s : qualified_stages) wanted.push_back(lowercase_trimmed(s));
  const Dictionary& stage_dict = dicts.for_column("stage");
  std::vector<uint8_t> qualifies(stage_dict.size(), 0);
  for (size_t c = 0; c < stage_dict.size(); ++c)
    qualifies[c] =
        std::find(wanted.begin(), wanted.end(),
                  lowercase_trimmed(stage_dict.str(static_cast<int32_t>(c)))) != wanted.end();

  const auto& ids = in.codes.at("lead_id");
  const auto& stages = in.codes.at("stage");
  const auto& times = in.times.at("stage_time");
  const ColumnIssues& time_issues = in.issues.at("stage_time");
  std::vector<uint8_t> unreadable(static_cast<size_t>(in.n_rows), 0);
  for (int64_t line : time_issues.invalid_lines)
    if (const int64_t r = in.row_of_line(line); r >= 0) unreadable[static_cast<size_t>(r)] = 1;

  struct PerLead {
    int64_t row = -1;  // the row the lead's outcome is taken from
    int64_t time = kNullTime;
    bool unreadable = false;
  };
  std::vector<int32_t> order;
  std::unordered_map<int32_t, PerLead> by_lead;
  for (int64_t i = 0; i < in.n_rows; ++i) {
    const int32_t id = ids[i];
    if (id == kNullCode) continue;
    auto [it, added] = by_lead.try_emplace(id);
    PerLead& p = it->second;
    if (added) order.push_back(id), p.row = i;
    const int32_t stage = stages[i];
    if (stage == kNullCode || !qualifies[stage] || p.unreadable) continue;
    if (unreadable[static_cast<size_t>(i)]) {
      p = {i, kNullTime, true};
    } else if (times[i] != kNullTime && (p.time == kNullTime || times[i] < p.time)) {
      p = {i, times[i], false};
    }
  }

  Frame out;
  out.kind = in.kind;
  out.path = in.path;
  out.size_mb = in.size_mb;
  out.format = in.format;
  out.header_looks_like_data = in.header_looks_like_data;
  out.dropped_columns = in.dropped_columns;
  out.warnings = in.warnings;
  out.present_columns = {"lead_id", "qualified_time"};
  if (auto it = in.renamed.find("lead_id"); it != in.renamed.end())
    out.renamed["lead_id"] = it->second;
  auto& out_ids = out.codes["lead_id"];
  auto& out_times = out.times["qualified_time"];
  ColumnIssues& q_issues = out.issues["qualified_time"];
  q_issues.without_offset = time_issues.without_offset;
  out.issues["lead_id"] = in.issues.at("lead_id");
  for (int32_t id : order) {
    const PerLead& p = by_lead.at(id);
    const int64_t line = in.lines[static_cast<size_t>(p.row)];
    out.lines.push_back(line);
    out_ids.push_back(id);
    out_times.push_back(p.time);
    if (p.time == kNullTime) ++q_issues.nulls;
    if (p.unreadable) {
      --q_issues.nulls;
      ++q_issues.invalid;
      keep_example_line(q_issues.first_invalid_lines, line);
      q_issues.invalid_lines.push_back(line);
    }
  }
  out.n_rows = static_cast<int64_t>(out.lines.size());
  // Lines are ascending in every frame (Frame::row_of_line).
  std::vector<size_t> idx(out.lines.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(),
            [&](size_t a, size_t b) { return out.lines[a] < out.lines[b]; });
  std::vector<int64_t> lines(idx.size()), ts(idx.size());
  std::vector<int32_t> codes(idx.size());
  for (size_t i = 0; i < idx.size(); ++i)
    lines[i] = out.lines[idx[i]], codes[i] = out_ids[idx[i]], ts[i] = out_times[idx[i]];
  out.lines = std::move(lines);
  out_ids = std::move(codes);
  out_times = std::move(ts);
  std::sort(q_issues.invalid_lines.begin(), q_issues.invalid_lines.end());
  std::sort(q_issues.first_invalid_lines.begin(), q_issues.first_invalid_lines.end());
  return out;
}

// Outcome lead_ids that match no lead exactly but exactly one lead when letter case is
// ignored take that lead's code; counts in inputs.outcome_id_match.
void match_outcome_ids(InputFiles& inputs) {
  Frame* outcomes = inputs.get("outcomes");
  const Frame* leads = inputs.get("leads");
  if (!outcomes || !leads || !outcomes->has("lead_id") || !leads->has("lead_id")) return;
  const Dictionary& dict = inputs.dicts->for_column("lead_id");
  std::vector<uint8_t> is_lead(dict.size(), 0);
  for (int32_t code : leads->codes.at("lead_id"))
    if (code != kNullCode) is_lead[code] = 1;
  auto& m = inputs.outcome_id_match;
  std::vector<int32_t*> inexact;  // outcomes whose ID is no lead's, as written
  for (int32_t& code : outcomes->codes.at("lead_id")) {
    if (code == kNullCode) continue;
    if (is_lead[code])
      ++m.exact;
    else
      inexact.push_back(&code);
  }
  if (inexact.empty()) return;  // the usual case: no lead ID needs folding (0.05 s at 120 k)
  std::unordered_map<std::string, int32_t> folded;  // kNullCode: two leads fold alike
  for (int32_t code = 0; code < static_cast<int32_t>(is_lead.size()); ++code) {
    if (!is_lead[code]) continue;
    auto [it, added] = folded.try_emplace(lowercase_trimmed(dict.str(code)), code);
    if (!added && it->second != code) it->second = kNullCode;
  }
  for (int32_t* code : inexact) {
    auto it = folded.find(lowercase_trimmed(dict.str(*code)));
    if (it == folded.end() || it->second == kNullCode) {
      ++m.unmatched;
      continue;
    }
    if (m.case_insensitive++ == 0) {
      m.example_outcome = dict.str(*code);
      m.example_lead = dict.str(it->second);
    }
    *code = it->second;
  }
}

Frame load_one(const ConfiguredFile& cf, const Config& config, Dictionaries& dicts,
               const LoadInputsOptions& options, Findings& findings) {
  namespace fs = std::filesystem;
  // With an error_code, a symlink loop is not "not found": it goes on to the reader, which
  // names it ("too many levels of symbolic links").
  std::error_code ec;
  if (!fs::exists(cf.path, ec) && !ec)
    throw Error("file not found (" + cf.spec->config_key + ")", cf.path);
  if (fs::is_directory(cf.path, ec))
    throw Error("is a folder, not a file (" + cf.spec->config_key + ")", cf.path);
  LoadOptions load_options;
  load_options.threads = options.threads;
  load_options.throw_on_missing_required = !options.collect_errors;
  load_options.csv = config.csv.for_path_key(path_key(*cf.spec));
  const bool is_outcomes = cf.spec->kind == "outcomes";
  const OutcomesConfig& oc = config.outcomes;
  if (is_outcomes) {
    if (!oc.lead_id_column.empty())
      load_options.headers.push_back({"lead_id", oc.lead_id_column, "outcomes.columns.lead_id"});
    if (!oc.qualified_time_column.empty())
      load_options.headers.push_back(
          {"qualified_time", oc.qualified_time_column, "outcomes.columns.qualified_time"});
    if (oc.stage_mode()) {
      load_options.headers.push_back({"stage", oc.stage_column, "outcomes.stage_column"});
      load_options.headers.push_back(
          {"stage_time", oc.stage_time_column, "outcomes.stage_time_column"});
    }
  }
  const bool is_leads = cf.spec->kind == "leads";
  if (is_leads) {
    for (const auto& header : config.lead_fields.categorical)
      load_options.headers.push_back(
          {lead_field_column(header), header, "lead_fields.categorical"});
    for (const auto& header : config.lead_fields.numeric)
      load_options.headers.push_back({lead_field_column(header), header, "lead_fields.numeric"});
  }
  const FileSpec spec = is_outcomes && oc.stage_mode() ? outcome_stages_spec()
                        : is_leads                     ? leads_spec_with_fields(config.lead_fields)
                                                       : *cf.spec;
  LoadResult loaded = load_file(spec, cf.path, dicts, load_options);
  // A first line of data (no header) misses every column: one message says why.
  if (!loaded.missing_header.empty())
    findings.add(Severity::Error, cf.path, "", 1, loaded.missing_header);
  else
    for (const auto& column : loaded.missing_required)
      findings.add(Severity::Error, cf.path, column, 1, "missing required column '" + column + "'");
  if (is_outcomes && oc.stage_mode() && loaded.missing_required.empty() &&
      loaded.missing_header.empty())
    return outcomes_from_stages(loaded.frame, oc.qualified_stages, dicts);
  return std::move(loaded.frame);
}

void check_required_paths(const Config& config, const LoadInputsOptions& options,
                          Findings& findings) {
  const std::string& where = config.source_path;
  if (config.paths.ads_path.empty())
    findings.add(Severity::Error, where, "", -1,
                 "no ads file was given: elv needs the daily ads export (ads.csv; in a config, "
                 "paths.ads_path)");
  if (config.paths.leads_path.empty())
    findings.add(Severity::Error, where, "", -1,
                 "no leads file was given: elv needs the leads export (leads.csv; in a config, "
                 "paths.leads_path)");
  if (config.paths.outcomes_path.empty() && !options.ignore_outcomes)
    findings.add(Severity::Warning, where, "", -1,
                 "no outcomes file: no lead has a known result, so leads can be scored with an "
                 "existing model but no model can be trained; add your CRM's qualified leads as "
                 "outcomes.csv to train (in a config, paths.outcomes_path)");
  if (!options.collect_errors) findings.throw_if_errors();
}

}  // namespace

InputFiles load_inputs(const Config& config, const LoadInputsOptions& options, Findings& findings) {
  check_required_paths(config, options, findings);
  InputFiles inputs;
  for (const ConfiguredFile& cf : configured_files(config.paths, options.ignore_outcomes)) {
    stage(options.progress, "read " + cf.spec->file_label);
    try {
      inputs.frames.emplace(cf.spec->kind, load_one(cf, config, *inputs.dicts, options, findings));
    } catch (const Error& e) {
      if (!options.collect_errors) throw;
      findings.add(Severity::Error, e.file().empty() ? cf.path : e.file(), e.column(), e.row(),
                   e.message());
    }
  }
  match_outcome_ids(inputs);
  return inputs;
}

}  // namespace elv::contracts
