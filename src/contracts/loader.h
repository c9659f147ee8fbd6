// Loaders: a CSV file -> a typed Frame per its FileSpec, with the privacy drop of
// columns outside the contract, alias renames and per-column issue counts.
#pragma once
#include <string>

#include "config/config.h"
#include "contracts/frame.h"
#include "contracts/schema.h"

namespace elv::contracts {

struct LoadOptions {
  int threads = 0;  // 0 = all cores; used for files big enough to pay for it
  // When false, a missing required column is recorded in missing_required instead of
  // throwing (validate wants to report every problem, not the first).
  bool throw_on_missing_required = true;
  // How to read the file (csv.* for its path key); empty fields are decided from the file.
  CsvOptions csv;
};

struct LoadResult {
  Frame frame;
  std::vector<std::string> missing_required;
};

// Throws elv::Error (naming the file, and the line/column where there is one) for
// unreadable or malformed files, an empty file, duplicated columns, or a missing
// required column.
LoadResult load_file(const FileSpec& spec, const std::string& path, Dictionaries& dicts,
                     const LoadOptions& options = {});

int default_threads();

}  // namespace elv::contracts
