// elv demo: synthetic data in a new run folder, scored with the bundled demo model
// (score-first, like the reference tool); --train trains a model on it instead.
#include <cmath>
#include <iostream>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "run/pipelines.h"
#include "run/run_name.h"

namespace elv::cli {

void add_demo_command(CLI::App& app) {
  struct Opts {
    std::string out_dir, end_date, model, model_type, name;
    bool overwrite = false, train = false, quiet = false;
    double value_per_qualified = kDemoValuePerQualified;
    uint64_t seed = 7;
    int threads = 0;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Generate a synthetic data set in a new run folder and score it with the bundled "
      "demo model (or --train a model on it)");
  cmd->add_flag("--train", opts->train,
                "Train a model on the demo data instead of using the bundled one");
  cmd->add_option("--model", opts->model, "Score with this model.json instead of the bundled one");
  cmd->add_option(
         "--model-type", opts->model_type,
         "With --train: logreg, gbdt, lgbm (alias of gbdt) or auto (both, keeps the better)")
      ->check(CLI::IsMember({"logreg", "gbdt", "lgbm", "auto"}));
  CLI::Option* value =
      cmd->add_option("--value-per-qualified", opts->value_per_qualified,
                      "Value of one qualified lead in EUR, the demo's currency (ELV = p x "
                      "value); > 0")
          ->capture_default_str();
  cmd->add_option("--out-dir", opts->out_dir, "Run folder to write (default runs/<run id>)");
  cmd->add_option("--name", opts->name,
                  "A name for the run, shown in the web app's run list (default: \"Demo, "
                  "scored, <n> leads\" or \"Demo, trained, <n> leads\")");
  cmd->add_flag("--overwrite", opts->overwrite, kOverwriteHelp);
  cmd->add_option("--seed", opts->seed, "Random seed of the synthetic data")->capture_default_str();
  cmd->add_option("--end-date", opts->end_date,
                  "Last day of the synthetic data (default today, UTC)");
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores)");
  cmd->add_flag(
      "--quiet", opts->quiet,
      "No progress, stage times or data warnings on stderr (warnings stay in the run folder)");
  cmd->callback([opts, value] {
    // The same rule and words as business.value_per_qualified in a config.
    if (!(opts->value_per_qualified > 0) || !std::isfinite(opts->value_per_qualified))
      throw UsageError("--value-per-qualified must be > 0: the money one qualified lead is worth");
    if (opts->train && !opts->model.empty())
      throw UsageError("--train and --model exclude each other");
    if (!opts->train && !opts->model_type.empty())
      throw UsageError("--model-type applies only with --train");
    Progress progress(opts->quiet);
    run::DemoOptions d;
    d.run.progress = &progress;
    d.run.out_dir = opts->out_dir;
    d.run.overwrite = opts->overwrite;
    d.run.threads = opts->threads;
    d.run.command_line = recorded_command_line();
    d.run.name = run::checked_run_name(opts->name);
    d.value_per_qualified = opts->value_per_qualified;
    d.value_source = value->count() ? ValueSource::kCommandLine : ValueSource::kDemoDefault;
    d.seed = opts->seed;
    d.end_date = opts->end_date;
    d.train = opts->train;
    d.model_type = opts->model_type;
    d.model_path = opts->model;
    const run::RunOutputs out = run::demo_run(d);
    progress.finish();
    print_outputs(out, opts->quiet);
    std::cerr << "demo: " << (opts->train ? "trained a model on" : "scored")
              << " the synthetic data; open leaderboard_campaign.csv first\n";
  });
}

}  // namespace elv::cli
