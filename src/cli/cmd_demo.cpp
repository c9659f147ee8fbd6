// elv demo: synthetic data in a new run folder, then its lead table. Score-first with the
// bundled model arrives with the models issue; until then the demo says so and does not
// pretend to score.
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "io/error.h"
#include "run/pipelines.h"

namespace elv::cli {

void add_demo_command(CLI::App& app) {
  struct Opts {
    std::string out_dir, end_date;
    bool overwrite = false;
    double value_per_qualified = 1.0;
    uint64_t seed = 7;
    int threads = 0;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Generate a synthetic data set in a new run folder and build its lead table");
  cmd->add_option("--out-dir", opts->out_dir, "Run folder to write (default runs/<run id>)");
  cmd->add_flag("--overwrite", opts->overwrite, "Replace a non-empty --out-dir once the run completes");
  cmd->add_option("--value-per-qualified", opts->value_per_qualified,
                  "Value of one qualified lead (ELV = p x value)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", opts->seed, "Random seed of the synthetic data");
  cmd->add_option("--end-date", opts->end_date, "Last day of the synthetic data (default today, UTC)");
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores)");
  cmd->callback([opts] {
    run::DemoOptions d;
    d.run.out_dir = opts->out_dir;
    d.run.overwrite = opts->overwrite;
    d.run.threads = opts->threads;
    d.run.command_line = recorded_command_line();
    d.value_per_qualified = opts->value_per_qualified;
    d.seed = opts->seed;
    d.end_date = opts->end_date;
    const run::RunOutputs out = run::demo_run(d);
    print_outputs(out);
    std::cerr << "demo: data generated and lead table built. Scoring (predictions, "
                 "leaderboards) is not available yet in this version.\n";
  });
}

}  // namespace elv::cli
