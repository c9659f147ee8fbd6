#include "run/pipelines.h"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "demo/generator.h"
#include "io/error.h"
#include "io/parse.h"
#include "run/run_folder.h"
#include "table/build.h"
#include "table/profile.h"
#include "table/table_writer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  return parse::format_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

// Writes the build-table artifacts into the (temporary) run folder.
std::vector<std::string> write_build_artifacts(const Config& config, const table::BuildResult& built,
                                               const RunFolder& run, const RunOptions& options) {
  table::write_table_csv(built.table, run.file("table.csv.gz"));
  const json profile = table::profile_json(built);
  write_text_file(run.file("data_profile.json"), profile.dump(2) + "\n");
  write_text_file(run.file("data_profile.md"), table::profile_markdown(profile));
  write_text_file(run.file("config.yaml"), to_yaml(config));

  json inputs = json::object();
  for (const auto& in : built.info.inputs)
    inputs[in.kind] = {{"path", in.path}, {"rows", in.rows}, {"size_mb", in.size_mb}};
  json meta = {{"run_id", run.id()},
               {"command", options.command_line},
               {"elv_version", ELV_VERSION},
               {"created_at_utc", utc_now()},
               {"config_path", config.source_path},
               {"inputs", inputs},
               {"table", {{"rows", built.table.n}, {"path", "table.csv.gz"}}}};
  meta.update(table::build_facts_json(built.info));
  write_text_file(run.file("metadata.json"), meta.dump(2) + "\n");
  return {"table.csv.gz", "data_profile.json", "data_profile.md", "metadata.json", "config.yaml"};
}

RunOutputs finish(RunFolder& run, const std::vector<std::string>& names) {
  run.commit();
  RunOutputs out{run.final_path(), {}};
  for (const auto& n : names) out.files.push_back((fs::path(run.final_path()) / n).string());
  return out;
}

}  // namespace

RunOutputs build_table_run(const Config& config, const RunOptions& options) {
  // Build first: a failure leaves nothing behind, not even a temporary folder.
  table::BuildOptions build_options;
  build_options.threads = options.threads;
  const table::BuildResult built = table::build_table(config, build_options);
  RunFolder run = RunFolder::create(options.out_dir, options.overwrite, options.runs_root);
  const auto names = write_build_artifacts(config, built, run, options);
  return finish(run, names);
}

RunOutputs demo_run(const DemoOptions& options) {
  RunFolder run = RunFolder::create(options.run.out_dir, options.run.overwrite, options.run.runs_root);
  const std::string data_dir = run.file("data");
  demo::DemoDataSpec spec;
  spec.seed = options.seed;
  spec.end_date = options.end_date;
  spec.threads = options.run.threads;
  demo::generate_demo_data(data_dir, spec);

  // The config points at the data's final location (inside the committed run folder).
  const fs::path final_data = fs::absolute(fs::path(run.final_path()) / "data");
  const fs::path work_data = fs::absolute(fs::path(data_dir));
  Config config;
  auto set = [&](std::string& field, const char* name) {
    field = (work_data / name).string();
  };
  set(config.paths.ads_path, "ads.csv");
  set(config.paths.leads_path, "leads.csv");
  set(config.paths.outcomes_path, "outcomes.csv");
  set(config.paths.ads_placement_path, "ads_placement.csv");
  set(config.paths.ads_geo_path, "ads_geo.csv");
  set(config.paths.adset_targeting_path, "adset_targeting.csv");
  set(config.paths.ad_creatives_path, "ad_creatives.csv");
  config.business.value_per_qualified = options.value_per_qualified;

  table::BuildOptions build_options;
  build_options.threads = options.run.threads;
  table::BuildResult built = table::build_table(config, build_options);

  // Record the paths as they will be once the run is in place.
  Config recorded = config;
  for (std::string* p : {&recorded.paths.ads_path, &recorded.paths.leads_path,
                         &recorded.paths.outcomes_path, &recorded.paths.ads_placement_path,
                         &recorded.paths.ads_geo_path, &recorded.paths.adset_targeting_path,
                         &recorded.paths.ad_creatives_path}) {
    *p = (final_data / fs::path(*p).filename()).string();
  }
  for (auto& in : built.info.inputs) in.path = (final_data / fs::path(in.path).filename()).string();
  for (auto& e : built.info.enrichments) e.path = (final_data / fs::path(e.path).filename()).string();
  auto names = write_build_artifacts(recorded, built, run, options.run);
  names.push_back("data");
  return finish(run, names);
}

}  // namespace elv::run
