// The pipelines behind the commands. cli/ and server/ both call these; neither
// re-implements a step.
#pragma once
#include <string>
#include <vector>

#include "config/config.h"

namespace elv::run {

struct RunOptions {
  std::string out_dir;        // empty = runs/<run id>
  bool overwrite = false;
  std::string runs_root = "runs";
  int threads = 0;
  std::string command_line;   // recorded in metadata.json
};

struct RunOutputs {
  std::string run_dir;
  std::vector<std::string> files;  // artifact paths, in the final run folder
};

// build-table: table.csv.gz, data_profile.json/.md, metadata.json, config.yaml.
RunOutputs build_table_run(const Config& config, const RunOptions& options);

// demo (first form): generates the demo data inside a new run, writes a config pointing at
// it, and builds the table. Scoring arrives with the models issue.
struct DemoOptions {
  RunOptions run;
  double value_per_qualified = 1.0;
  uint64_t seed = 7;
  std::string end_date;  // empty = today (UTC)
};
RunOutputs demo_run(const DemoOptions& options);

}  // namespace elv::run
