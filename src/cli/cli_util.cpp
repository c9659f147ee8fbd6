#include "cli/cli_util.h"

namespace elv::cli {

namespace {
std::string& storage() {
  static std::string line;  // set once in main() before parsing; read-only afterwards
  return line;
}
}  // namespace

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i) line += ' ';
    line += i == 0 ? std::string("elv") : std::string(argv[i]);
  }
  return line;
}

void set_command_line(int argc, char** argv) { storage() = command_line(argc, argv); }
const std::string& recorded_command_line() { return storage(); }

}  // namespace elv::cli
