// `elv creative-analyze` (docs/CREATIVES.md): embed each ad's creative, find look-alikes,
// cluster them, and, against a scoring run, say what each cluster of creatives earns.
#pragma once
#include <string>
#include <vector>

#include "base/progress.h"
#include "creative/embed.h"

namespace elv::run {

struct CreativeRunOptions {
  std::string creative_map;  // creative_media.csv
  std::string media_dir;     // "" = the map's folder
  std::string run_dir;       // "" = no cluster summary; else a run folder with predictions.csv
  // "" = <run_dir>/creatives when run_dir is given (replacing an earlier analysis there, which
  // elv wrote), else runs_root/<run id>. A given out_dir follows RunFolder's rules.
  std::string out_dir;
  bool overwrite = false;
  std::string runs_root = "runs";
  size_t neighbors = 10;
  size_t clusters = 12;
  uint64_t seed = 7;
  creative::EmbedOptions embed;
  std::string command_line;  // recorded in metadata.json ("" = none)
};

struct CreativeRunResult {
  std::string out_dir;                // the committed folder
  size_t analysed = 0;                // creatives embedded
  size_t skipped = 0;                 // rows in creative_errors.csv
  size_t clusters = 0;                // k used
  bool report_rebuilt = false;        // run_dir's report.html now shows the Creatives section
  std::vector<std::string> warnings;  // one per skipped row, naming file and line
};

// Writes the artifacts of docs/CREATIVES.md into a temporary folder and renames it into
// place. Throws elv::Error (nothing written) when the map is unreadable, the run has no
// predictions.csv, or no creative decodes.
CreativeRunResult creative_analyze(const CreativeRunOptions& options, Progress* progress);

}  // namespace elv::run
