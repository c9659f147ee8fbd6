// Small helpers shared by the command files.
#pragma once
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "base/progress.h"
#include "config/config.h"
#include "run/pipelines.h"

namespace elv::cli {

// The command line as typed, for metadata.json.
std::string command_line(int argc, char** argv);
void set_command_line(int argc, char** argv);
const std::string& recorded_command_line();

// The --overwrite flag of every command that writes a run folder.
inline constexpr const char* kOverwriteHelp =
    "Replace an existing --out-dir once the new run completes; only an elv run folder holding "
    "nothing but what elv wrote, none of this run's inputs, config or model, and not the "
    "current folder or an ancestor of it (anything else is refused, exit 1)";

// Where a command's inputs come from: --config C, or --data DIR (docs/BYO_CSVS.md, "Runs
// without a config"), exactly one of them.
struct InputOptions {
  std::string config, data;
};
void add_input_options(CLI::App* cmd, InputOptions& o);
// The config the command runs with: load_config(--config), or the defaults with the inputs
// contracts::discover_inputs found in --data, whose choices (a line per role and per file
// ignored) are printed on stderr unless quiet. Throws UsageError for both options or neither.
Config input_config(const InputOptions& o, bool quiet);
// What error lines name as the run's source: the config file, or the --data folder.
const std::string& input_source(const InputOptions& o);

// The run folder and its files on listing (stdout; stderr when stdout carries data, none
// for a temporary run folder); the run's data warnings (metadata.json) on stderr (unless
// quiet), so a problem elv worked around is never silent in a terminal.
void print_outputs(const run::RunOutputs& out, bool quiet, std::ostream* listing = &std::cout);

}  // namespace elv::cli
