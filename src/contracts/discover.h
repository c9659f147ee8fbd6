// Runs without a config (`--data DIR`, docs/BYO_CSVS.md "Runs without a config"): which file
// of a folder is which input of the contract (docs/CONTRACT.md §2). A file named as elv names
// its inputs (leads.csv) takes that role; the others are recognised by their header line
// alone, through the alias table. Ambiguity is refused rather than guessed.
#pragma once
#include <string>
#include <vector>

#include "config/config.h"
#include "contracts/schema.h"

namespace elv::contracts {

// A file taken for a role.
struct FoundInput {
  const FileSpec* spec = nullptr;  // the role: ads_spec(), leads_spec(), ...
  std::string path;                // absolute
  std::string how;                 // "by name", or "by headers: lead_id, created_time"
};

// A file of the folder that is no input, and why (for the line printed about it).
struct IgnoredInput {
  std::string path;
  std::string reason;
};

// What a header line can be: the roles whose required columns it holds, the most specific
// first (see header_roles), and for each the canonical required columns it matched.
struct HeaderMatch {
  const FileSpec* spec = nullptr;
  std::vector<std::string> matched;  // canonical names, for "by headers: ..."
  // Set when the file is a CRM export recognised by an outcomes.preset's qualified_time
  // header (docs/CRM_EXPORTS.md): the preset, and the header cell that holds the lead id.
  std::string preset;
  std::string lead_id_header;
};

// The roles a header line fits, best first; the first two share a rank when the line is
// ambiguous (best_is_tied). Empty when it fits none. Pure: for the unit tests.
struct HeaderRoles {
  std::vector<HeaderMatch> matches;
  bool best_is_tied = false;
};
HeaderRoles header_roles(const std::vector<std::string>& header_cells);

struct DataDirInputs {
  std::string dir;                    // absolute
  std::vector<FoundInput> found;      // in the contract's order of roles
  std::vector<IgnoredInput> ignored;  // in file name order
  OutcomesConfig outcomes;            // a recognised CRM preset's settings, else empty

  // One line per role taken, then one per file ignored; paths and header names only.
  std::vector<std::string> describe() const;
  // Sets config.paths (and config.outcomes for a CRM preset) from what was found.
  void apply_to(Config& config) const;
};

// The header cells of a CSV/TSV file, read as discover_inputs reads them (only a prefix of a
// big file). Throws elv::Error when it cannot be read as CSV.
std::vector<std::string> read_header_cells(const std::string& path);

// Looks at the regular files directly in dir (not its sub-folders). Throws elv::Error when dir
// is not a readable folder, when two files could be the same input or one file could be two
// (naming both, and what to do), and when no ads or leads file was found (naming what was
// looked for).
DataDirInputs discover_inputs(const std::string& dir);

}  // namespace elv::contracts
