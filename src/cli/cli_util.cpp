#include "cli/cli_util.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "contracts/discover.h"

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

void print_outputs(const run::RunOutputs& out, bool quiet, std::ostream* listing) {
  if (listing) {
    *listing << "run: " << out.run_dir << "\n";
    for (const auto& f : out.files) *listing << "  " << f << "\n";
    listing->flush();
  }
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

void add_input_options(CLI::App* cmd, InputOptions& o) {
  cmd->add_option("--config", o.config, "Run configuration (YAML)");
  cmd->add_option("--data", o.data,
                  "Folder of input CSVs to use without a config: files are taken by name "
                  "(leads.csv) or recognised by their header line; prints what it took");
}

Config input_config(const InputOptions& o, bool quiet) {
  if (!o.config.empty() && !o.data.empty())
    throw UsageError(
        "--config and --data cannot be used together: --data finds the input files without a "
        "config; to change settings, run once with --data and edit the config.yaml it writes "
        "into the run folder, then use --config");
  if (o.config.empty() && o.data.empty())
    throw UsageError("give --config C (a run configuration) or --data DIR (a folder of CSVs)");
  if (!o.config.empty()) return load_config(o.config);
  const contracts::DataDirInputs inputs = contracts::discover_inputs(o.data);
  if (!quiet) {
    for (const auto& line : inputs.describe()) std::cerr << line << "\n";
    std::cerr.flush();
  }
  Config config;  // the defaults (docs/CONTRACT.md §3), as a config without those keys
  inputs.apply_to(config);
  return config;
}

const std::string& input_source(const InputOptions& o) {
  return o.config.empty() ? o.data : o.config;
}

void set_command_line(int argc, char** argv) { storage() = command_line(argc, argv); }
const std::string& recorded_command_line() { return storage(); }

}  // namespace elv::cli
