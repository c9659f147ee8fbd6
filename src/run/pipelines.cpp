#include "run/pipelines.h"

#include <chrono>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "demo/generator.h"
#include "io/parse.h"
#include "model/bundle.h"
#include "run/artifacts.h"
#include "run/model_runs.h"
#include "run/run_folder.h"
#include "table/build.h"
#include "table/profile.h"
#include "table/table_writer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

namespace {

// A bad SOURCE_DATE_EPOCH is refused before any work, not when the run records its time.
void check_clock() { (void)now_seconds(); }

}  // namespace

RunOutputs build_table_run(const Config& config, const RunOptions& given) {
  RunOptions options = given;
  options.kind = report::RunKind::kBuildTable;
  check_clock();
  const std::vector<KeptPath> kept = kept_paths_of(config);
  RunFolder::check_out_dir(options.out_dir, options.overwrite, kept);
  // Build first: a failure leaves nothing behind, not even a temporary folder.
  table::BuildOptions build_options;
  build_options.threads = options.threads;
  build_options.progress = options.progress;
  const table::BuildResult built = table::build_table(config, build_options);
  RunFolder run = RunFolder::create(options.out_dir, options.overwrite, options.runs_root, kept);
  const auto names = write_build_artifacts(config, built, run, options);
  return finish(run, names, options);
}

RunOutputs demo_run(const DemoOptions& options) {
  check_clock();
  std::vector<KeptPath> kept;  // the demo reads its own data; only a --model is the user's
  if (!options.model_path.empty()) kept.push_back({"the --model bundle", options.model_path});
  RunFolder::check_out_dir(options.run.out_dir, options.run.overwrite, kept);
  // Load the model first: a bad --model fails before any work.
  std::optional<model::ModelBundle> bundle;
  if (!options.train) {
    bundle = options.model_path.empty() ? model::bundled_demo_model()
                                        : model::load_bundle(options.model_path);
  }
  RunFolder run =
      RunFolder::create(options.run.out_dir, options.run.overwrite, options.run.runs_root, kept);
  const std::string data_dir = run.file("data");
  demo::DemoDataSpec spec;
  spec.seed = options.seed;
  spec.end_date = options.end_date;
  spec.threads = options.run.threads;
  stage(options.run.progress, "generate demo data");
  demo::generate_demo_data(data_dir, spec);

  // The data is read inside the temporary folder but recorded where it will be once the
  // run is in place.
  const fs::path work_data = fs::absolute(fs::path(data_dir));
  const fs::path final_data = fs::absolute(fs::path(run.final_path()) / "data");
  Config config;
  auto& p = config.paths;
  const std::pair<std::string*, const char*> files[] = {
      {&p.ads_path, "ads.csv"},
      {&p.leads_path, "leads.csv"},
      {&p.outcomes_path, "outcomes.csv"},
      {&p.ads_placement_path, "ads_placement.csv"},
      {&p.ads_geo_path, "ads_geo.csv"},
      {&p.adset_targeting_path, "adset_targeting.csv"},
      {&p.ad_creatives_path, "ad_creatives.csv"}};
  for (const auto& [field, name] : files) *field = (work_data / name).string();
  config.business.value_per_qualified = options.value_per_qualified;
  config.business.value_source = options.value_source;
  // The synthetic spend carries no currency in its header: the demo's value is in EUR, and
  // so is its spend.
  config.business.currency = std::string(kDemoCurrency);
  if (!options.model_type.empty()) config.model.model_type = options.model_type;

  RunOptions run_options = options.run;
  run_options.kind = report::RunKind::kDemo;
  run_options.recorded_path = [work_data, final_data](const std::string& path) {
    const fs::path p(path);
    return p.parent_path() == work_data ? (final_data / p.filename()).string() : path;
  };
  const RunFolderFactory same_run = [&]() -> RunFolder& { return run; };
  std::vector<std::string> names;
  if (options.train) {
    names = train_into(config, run_options, same_run);
  } else {
    ScoreOptions so;
    so.run = run_options;
    so.model_path = options.model_path;
    names = score_into(config, so, *bundle, same_run);
  }
  names.push_back("data");
  return finish(run, names, options.run);
}

RunOutputs train_run(const Config& config, const RunOptions& given) {
  RunOptions options = given;
  options.kind = report::RunKind::kTrain;
  check_clock();
  const std::vector<KeptPath> kept = kept_paths_of(config);
  RunFolder::check_out_dir(options.out_dir, options.overwrite, kept);
  std::optional<RunFolder> run;
  const auto names = train_into(config, options, [&]() -> RunFolder& {
    run.emplace(RunFolder::create(options.out_dir, options.overwrite, options.runs_root, kept));
    return *run;
  });
  return finish(*run, names, options);
}

RunOutputs score_run(const Config& config, const ScoreOptions& given) {
  ScoreOptions options = given;
  options.run.kind = options.batch ? report::RunKind::kBatchScore : report::RunKind::kScore;
  check_clock();
  std::vector<KeptPath> kept = kept_paths_of(config);
  kept.push_back({"the --model bundle", options.model_path});
  if (!options.leads_path.empty()) kept.push_back({"the --leads-path file", options.leads_path});
  RunFolder::check_out_dir(options.run.out_dir, options.run.overwrite, kept);
  std::error_code ec;  // a symlink loop goes on to the reader, which names it
  if (!options.leads_path.empty() && !fs::exists(options.leads_path, ec) && !ec)
    throw Error("file not found (given by --leads-path)", options.leads_path);
  // The model first: a bad model file fails before any data work.
  const model::ModelBundle bundle = model::load_bundle(options.model_path);
  std::optional<RunFolder> run;
  const auto names = score_into(config, options, bundle, [&]() -> RunFolder& {
    run.emplace(
        RunFolder::create(options.run.out_dir, options.run.overwrite, options.run.runs_root, kept));
    return *run;
  });
  return finish(*run, names, options.run);
}

}  // namespace elv::run
