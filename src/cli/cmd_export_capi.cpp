// elv export-capi --run-dir R --out FILE: the run's verdicts as Conversions API events for
// Meta's Conversion Leads optimisation (run/capi_export.h, docs/CAPI_EXPORT.md).
#include <iostream>
#include <memory>

#include "base/error.h"
#include "cli/commands.h"
#include "run/capi_export.h"

namespace elv::cli {

void add_export_capi_command(CLI::App& app) {
  auto opts = std::make_shared<run::CapiExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export-capi",
      "Write a scored run's leads as Conversions API events (JSON Lines) for Meta's Conversion "
      "Leads optimisation; nothing is sent");
  cmd->add_option("--run-dir", opts->run_dir, "Run folder of a train, score or batch-score run")
      ->required();
  cmd->add_option("--out", opts->out_path, "JSON Lines file to write (must not exist)")->required();
  cmd->add_option("--currency", opts->currency,
                  "ISO 4217 code of value_per_qualified, e.g. EUR (default: the run's, from "
                  "business.currency or the spend header)");
  cmd->add_option("--event-name", opts->event_name,
                  "CRM stage name of the events (default elv_predicted_qualified)");
  cmd->add_option("--min-p", opts->min_p,
                  "Only leads with a predicted probability at or above this (default 0: all)");
  cmd->add_option("--lead-event-source", opts->lead_event_source,
                  "The tool the stage comes from, as Meta asks (default elv)");
  cmd->callback([opts] {
    const run::CapiExportSummary s = run::export_capi(*opts);
    std::cout << opts->out_path << "\n";
    std::cerr << "export-capi: " << s.events << " events";
    if (s.below_min_p > 0) std::cerr << "; " << s.below_min_p << " leads below --min-p left out";
    std::cerr << "\n";
    if (s.without_meta_id > 0)
      std::cerr << "export-capi: warning: " << s.without_meta_id
                << " leads skipped: their lead_id is not a Meta lead ID of 15 or 16 digits "
                   "(first: '"
                << s.example_non_meta_id << "'); Meta matches Conversion Leads events by it\n";
    if (s.age_days > run::kCapiMaxEventAgeDays)
      std::cerr << "export-capi: warning: the run is " << s.age_days
                << " days old; Meta discards events whose event_time is more than "
                << run::kCapiMaxEventAgeDays
                << " days old when they arrive: score the leads again and export that run\n";
  });
}

}  // namespace elv::cli
