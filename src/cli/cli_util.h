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

inline void print_outputs(const run::RunOutputs& out) {
  std::cout << "run: " << out.run_dir << "\n";
  for (const auto& f : out.files) std::cout << "  " << f << "\n";
}

}  // namespace elv::cli
