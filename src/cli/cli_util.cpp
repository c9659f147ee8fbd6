#include "cli/cli_util.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

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

void print_outputs(const run::RunOutputs& out, bool quiet) {
  std::cout << "run: " << out.run_dir << "\n";
  for (const auto& f : out.files) std::cout << "  " << f << "\n";
  std::cout.flush();
  if (quiet) return;
  std::ifstream in(std::filesystem::path(out.run_dir) / "metadata.json");
  const nlohmann::json meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("warnings") || !meta["warnings"].is_array()) return;
  constexpr size_t kMaxShown = 20;
  const auto& warnings = meta["warnings"];
  for (size_t i = 0; i < warnings.size() && i < kMaxShown; ++i)
    if (warnings[i].is_string()) std::cerr << "warning: " << warnings[i].get<std::string>() << "\n";
  if (warnings.size() > kMaxShown)
    std::cerr << "warning: … " << warnings.size() - kMaxShown << " more in data_profile.md\n";
}

void set_command_line(int argc, char** argv) { storage() = command_line(argc, argv); }
const std::string& recorded_command_line() { return storage(); }

}  // namespace elv::cli
