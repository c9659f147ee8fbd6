// elv build-table --config C | --data DIR [--out-dir D] [--overwrite]
#include <chrono>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config.h"
#include "run/pipelines.h"

namespace elv::cli {

void add_build_table_command(CLI::App& app) {
  struct Opts {
    InputOptions inputs;
    std::string out_dir;
    bool overwrite = false;
    int threads = 0;
    bool quiet = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "build-table",
      "Join leads to ads, label them and compute leakage-safe features (table.csv.gz)");
  add_input_options(cmd, opts->inputs);
  cmd->add_option("--out-dir", opts->out_dir, "Run folder to write (default runs/<run id>)");
  cmd->add_flag("--overwrite", opts->overwrite, kOverwriteHelp);
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores)");
  cmd->add_flag(
      "--quiet", opts->quiet,
      "No progress, stage times or data warnings on stderr (warnings stay in the run folder)");
  cmd->callback([opts] {
    Progress progress(opts->quiet);
    const Config config = input_config(opts->inputs, opts->quiet);
    run::RunOptions ro;
    ro.out_dir = opts->out_dir;
    ro.overwrite = opts->overwrite;
    ro.threads = opts->threads;
    ro.command_line = recorded_command_line();
    ro.progress = &progress;
    const run::RunOutputs out = run::build_table_run(config, ro);
    progress.finish();
    print_outputs(out, opts->quiet);
  });
}

}  // namespace elv::cli
