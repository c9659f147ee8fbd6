// `elv validate --config C | --data DIR [--json] [--threads N]`: reports every problem of the input
// files at once; exit 1 when the data cannot be used (the report is printed first).
#include <iostream>
#include <memory>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config.h"
#include "contracts/validate.h"
#include "table/preflight.h"

namespace elv::cli {

namespace {

struct ValidateOptions {
  InputOptions inputs;
  bool json = false;
  int threads = 0;
};

void run_validate(const ValidateOptions& options) {
  // The lines saying which file was taken for which role go to stderr, so --json stays JSON.
  const Config config = input_config(options.inputs, /*quiet=*/false);
  const contracts::ValidationReport report = table::validate_inputs(config, options.threads);
  if (options.json)
    std::cout << contracts::to_json(report).dump(2) << "\n";
  else
    std::cout << contracts::render_text(report);
  std::cout.flush();  // the report must be out before main() prints the error line
  if (!report.usable()) {
    // The one error line names the first problem's file, line and column, so a script (or
    // a user reading only stderr) sees what to fix without the report.
    const int64_t n = report.count(contracts::Severity::Error);
    std::string first;
    for (const auto& f : report.findings) {
      if (f.severity != contracts::Severity::Error) continue;
      first = Error(f.message, f.file, f.line, f.column).what();
      break;
    }
    throw Error("validation failed: " + std::to_string(n) + (n == 1 ? " error" : " errors") +
                    "; the first: " + first,
                input_source(options.inputs));
  }
}

}  // namespace

void add_validate_command(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check the configured input files against the data contract (exit 1 on errors)");
  add_input_options(cmd, options->inputs);
  cmd->add_flag("--json", options->json, "Print the report as JSON");
  cmd->add_option("--threads", options->threads, "Threads for loading big files (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([options] { run_validate(*options); });
}

}  // namespace elv::cli
