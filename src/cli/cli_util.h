// Small helpers shared by the command files.
#pragma once
#include <iostream>
#include <string>

#include "base/progress.h"
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

// The run folder and its files on stdout; the run's data warnings (metadata.json) on
// stderr (unless quiet), so a problem elv worked around is never silent in a terminal.
void print_outputs(const run::RunOutputs& out, bool quiet);

}  // namespace elv::cli
