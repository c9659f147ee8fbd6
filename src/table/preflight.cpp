#include "table/preflight.h"

#include <algorithm>

#include "base/error.h"
#include "table/build.h"

namespace elv::table {

contracts::ValidationReport validate_inputs(const Config& config, int threads) {
  contracts::InputFiles inputs;
  contracts::ValidationReport report = contracts::validate(config, threads, &inputs);
  if (!report.usable() || !inputs.get("leads") || !inputs.get("ads")) return report;
  contracts::Findings checked;
  checked.items = report.findings;
  BuildOptions options;
  options.threads = threads;
  try {
    const BuildResult built = build_table_from(config, std::move(inputs), checked, options);
    // The build's own warnings follow the checks' (which it repeats first, in order).
    const size_t already = checked.warning_lines().size();
    for (size_t i = already; i < built.info.warnings.size(); ++i)
      report.findings.push_back({contracts::Severity::Warning, "", "", -1, built.info.warnings[i]});
  } catch (const Error& e) {
    report.findings.push_back(
        {contracts::Severity::Error, e.file(), e.column(), e.row(), e.message()});
  }
  return report;
}

}  // namespace elv::table
