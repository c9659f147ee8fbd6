// Loaders: a CSV file -> a typed Frame per its FileSpec, with the privacy drop of
// columns outside the contract, alias renames and per-column issue counts.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "contracts/frame.h"
#include "contracts/schema.h"

namespace elv::contracts {

// A column named by the config rather than by the alias table (outcomes.columns.lead_id:
// "Facebook Lead ID"): the header cell equal to `header` (trimmed, case-insensitive) is read
// as `canonical`, and cells that would alias to `canonical` are dropped instead.
struct HeaderOverride {
  std::string canonical;   // "lead_id"
  std::string header;      // "Facebook Lead ID"
  std::string config_key;  // "outcomes.columns.lead_id", for the message when it is absent
};

struct LoadOptions {
  int threads = 0;  // 0 = all cores; used for files big enough to pay for it
  // When false, a missing required column is recorded in missing_required instead of
  // throwing (validate wants to report every problem, not the first).
  bool throw_on_missing_required = true;
  // How to read the file (csv.* for its path key); empty fields are decided from the file.
  CsvOptions csv;
  std::vector<HeaderOverride> headers;
};

struct LoadResult {
  Frame frame;
  std::vector<std::string> missing_required;
  // When required columns are missing because the first line is data (no header line):
  // the one message that says so, instead of one per missing column. Empty otherwise.
  std::string missing_header;
};

// How the warning on columns outside the contract starts (the advisor withholds such
// warnings: a header may be data).
inline constexpr std::string_view kUnusedColumnsWarning =
    "columns elv does not use were left out unread";
// The warning listing a frame's dropped columns (labels, never values), or "" for none.
std::string dropped_columns_warning(const Frame& frame);

// Throws elv::Error (naming the file, and the line/column where there is one) for
// unreadable or malformed files, an empty file, duplicated columns, or a missing
// required column. Header names in messages and in the frame are labels
// (io::header_labels): a name that looks like contact data is described, never shown.
LoadResult load_file(const FileSpec& spec, const std::string& path, Dictionaries& dicts,
                     const LoadOptions& options = {});

}  // namespace elv::contracts
