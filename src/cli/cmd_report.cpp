// elv report --run-dir R: rebuilds R/report.html from the run's artifacts alone, so an
// older run, or one whose files were edited, gets a current report.
#include <filesystem>
#include <iostream>
#include <memory>

#include "base/error.h"
#include "cli/commands.h"
#include "report/html.h"
#include "run/overwrite_check.h"

namespace elv::cli {

void add_report_command(CLI::App& app) {
  auto run_dir = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("report", "Regenerate report.html from a run folder's artifacts");
  cmd->add_option("--run-dir", *run_dir, "Run folder (runs/<run id>)")->required();
  cmd->callback([run_dir] {
    std::error_code ec;
    if (!std::filesystem::exists(*run_dir, ec)) throw Error("run folder not found", *run_dir);
    if (!std::filesystem::is_directory(*run_dir, ec)) throw Error("not a folder", *run_dir);
    // report.html goes only into a folder elv wrote as a run, never into any folder named.
    if (!run::is_elv_metadata(run::read_metadata(*run_dir)))
      throw Error(
          "not an elv run folder (no metadata.json written by elv), so no report.html is "
          "written; give a run folder such as runs/<run id>",
          *run_dir);
    report::write_report(*run_dir);
    std::cout << (std::filesystem::path(*run_dir) / "report.html").string() << "\n";
  });
}

}  // namespace elv::cli
