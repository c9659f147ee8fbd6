#include "contracts/inputs.h"

#include <filesystem>

#include "base/error.h"
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
  LoadResult loaded = load_file(*cf.spec, cf.path, dicts, load_options);
  // A first line of data (no header) misses every column: one message says why.
  if (!loaded.missing_header.empty())
    findings.add(Severity::Error, cf.path, "", 1, loaded.missing_header);
  else
    for (const auto& column : loaded.missing_required)
      findings.add(Severity::Error, cf.path, column, 1, "missing required column '" + column + "'");
  return std::move(loaded.frame);
}

void check_required_paths(const Config& config, const LoadInputsOptions& options,
                          Findings& findings) {
  const std::string& where = config.source_path;
  if (config.paths.ads_path.empty())
    findings.add(Severity::Error, where, "", -1,
                 "paths.ads_path is not configured: ads.csv is required");
  if (config.paths.leads_path.empty())
    findings.add(Severity::Error, where, "", -1,
                 "paths.leads_path is not configured: leads.csv is required");
  if (config.paths.outcomes_path.empty() && !options.ignore_outcomes)
    findings.add(Severity::Warning, where, "", -1,
                 "no outcomes file (paths.outcomes_path): every lead is unknown; scoring works, "
                 "training needs outcomes");
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
  return inputs;
}

}  // namespace elv::contracts
