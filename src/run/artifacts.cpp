#include "run/artifacts.h"

#include <filesystem>

#include "base/clock.h"
#include "base/error.h"
#include "io/files.h"
#include "io/parse.h"
#include "run/overwrite_check.h"
#include "run/run_name.h"
#include "table/profile.h"
#include "table/table_writer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

std::string utc_now() { return parse::format_timestamp(now_seconds()); }

// Writes the build-table artifacts into the (temporary) run folder.
std::vector<std::string> write_build_artifacts(const Config& config,
                                               const table::BuildResult& built,
                                               const RunFolder& run, const RunOptions& options,
                                               const nlohmann::json& extra_metadata) {
  stage(options.progress, "write table.csv.gz");
  table::write_table_csv(built.table, run.file("table.csv.gz"), options.threads,
                         fraction_callback(options.progress));
  stage(options.progress, "write profile and metadata");
  json profile = table::profile_json(built);
  Config recorded_config = config;
  table::BuildInfo recorded_info = built.info;
  if (options.recorded_path) {
    const auto& rec = options.recorded_path;
    for (auto& [key, path] : path_fields(recorded_config.paths))
      if (!path->empty()) *path = rec(*path);
    for (auto& in : recorded_info.inputs) in.path = rec(in.path);
    for (auto& e : recorded_info.enrichments) e.path = rec(e.path);
    for (auto& [kind, in] : profile["inputs"].items())
      in["path"] = rec(in["path"].get<std::string>());
    for (auto& e : profile["enrichments"]) e["path"] = rec(e["path"].get<std::string>());
  }
  io::write_file_atomically(run.file("data_profile.json"), profile.dump(2) + "\n");
  io::write_file_atomically(run.file("data_profile.md"), table::profile_markdown(profile));
  io::write_file_atomically(run.file("config.yaml"), to_yaml(recorded_config));

  json inputs = json::object();
  for (const auto& in : recorded_info.inputs)
    inputs[in.kind] = {{"path", in.path}, {"rows", in.rows}, {"size_mb", in.size_mb}};
  json meta = {
      {"run_id", run.id()},
      {"run_kind", report::run_kind_name(options.kind)},
      {"command", options.command_line},
      {"elv_version", ELV_VERSION},
      {"created_at_utc", utc_now()},
      {"config_path", recorded_config.source_path},
      // Whether ELV, ROI and profit are money: "placeholder" until someone sets what
      // a qualified lead is worth (the report and the web app then say so).
      {"value_per_qualified", config.business.value_per_qualified},
      {"value_per_qualified_source", std::string(value_source_name(config.business.value_source))},
      {"inputs", inputs},
      {"table", {{"rows", built.table.n}, {"path", "table.csv.gz"}}}};
  meta.update(table::build_facts_json(recorded_info));
  meta.update(extra_metadata);
  meta["name"] = options.name.empty() ? default_run_name(meta) : options.name;
  io::write_file_atomically(run.file("metadata.json"), meta.dump(2) + "\n");
  return {"table.csv.gz", "data_profile.json", "data_profile.md", "metadata.json", "config.yaml"};
}

namespace {

// Adds to metadata.json the list of every entry of the finished run folder, so that a later
// --overwrite can tell elv's files from any the user added (run/overwrite_check.h).
void record_artifacts(const RunFolder& run) {
  const std::string path = run.file("metadata.json");
  std::optional<json> meta = read_metadata(run.work_path());
  if (!meta || !meta->is_object())
    throw Error("metadata.json of the run cannot be read back", path);
  (*meta)["artifacts"] = folder_entries(run.work_path());
  io::write_file_atomically(path, meta->dump(2) + "\n");
}

}  // namespace

RunOutputs finish(RunFolder& run, std::vector<std::string> names, const RunOptions& options) {
  if (options.before_commit)
    for (auto& name : options.before_commit(run.work_path())) names.push_back(std::move(name));
  record_artifacts(run);
  run.commit();
  RunOutputs out{run.final_path(), {}};
  for (const auto& n : names) out.files.push_back((fs::path(run.final_path()) / n).string());
  return out;
}

}  // namespace elv::run
