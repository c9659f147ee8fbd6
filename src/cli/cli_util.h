// Small helpers shared by the command files.
#pragma once
#include <iostream>
#include <string>

#include "io/progress.h"
#include "run/pipelines.h"

namespace elv::cli {

// The command line as typed, for metadata.json.
std::string command_line(int argc, char** argv);
void set_command_line(int argc, char** argv);
const std::string& recorded_command_line();

// The run folder and its files on stdout; the run's data warnings (metadata.json) on
// stderr, so a problem elv worked around is never silent in a terminal.
void print_outputs(const run::RunOutputs& out);

}  // namespace elv::cli
