// What an existing --out-dir may be replaced with --overwrite (docs/LIMITS.md, "Run
// folders"): only a run folder elv wrote, holding nothing elv did not write, and never a
// folder that holds a file the run reads, the current folder or one of its ancestors.
// Nothing elv did not write is ever deleted.
//
// inspect_out_dir() gathers the facts from the filesystem; overwrite_refusal() decides
// from the facts alone, so the rule is tested without building folders for every case.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace elv::run {

// A file the run reads: a folder holding it (at any depth) is never replaced. `what` names
// it in messages: "the input paths.ads_path", "the config file", "the --model bundle".
struct KeptPath {
  std::string what;
  std::string path;
};

// The config's input files (every paths.* given) and the config file itself.
std::vector<KeptPath> kept_paths_of(const Config& config);

struct OutDirFacts {
  std::filesystem::path folder;            // the --out-dir, weakly canonical (symlinks resolved)
  std::filesystem::path cwd;               // the current folder, canonical
  std::vector<KeptPath> kept;              // paths weakly canonical
  std::optional<nlohmann::json> metadata;  // metadata.json inside, when it parses
  // Relative paths ("data/ads.csv") of the folder's entries, sorted: every entry at any
  // depth when metadata is elv's, else the top level only (enough to name a stranger, and
  // a mistaken --out-dir ~ is not walked).
  std::vector<std::string> entries;
  bool unreadable = false;  // listing the folder failed
  // Entries elv added to the run later, in a sub-run of its own: the `creatives` folder of
  // `elv creative-analyze --run-dir` and the artifacts its own metadata.json lists (relative
  // to this folder). Empty when there is none or it is not elv's.
  std::vector<std::string> nested_artifacts;
};

// The facts about an existing folder.
OutDirFacts inspect_out_dir(const std::string& out_dir, const std::vector<KeptPath>& kept);

// Why the folder may not be replaced, as the end of "--overwrite refused: <reason>"; empty
// when it may. An empty folder is refused only for where it is (location_refusal: the root,
// the current folder or an ancestor of it, which no run can be renamed onto).
std::string location_refusal(const OutDirFacts& facts);
std::string overwrite_refusal(const OutDirFacts& facts);

// metadata.json written by elv: an object with "run_id" and "elv_version".
bool is_elv_metadata(const std::optional<nlohmann::json>& metadata);
// dir/metadata.json parsed, or nullopt when missing or not JSON.
std::optional<nlohmann::json> read_metadata(const std::filesystem::path& dir);

// Every entry under dir, as sorted relative generic paths (folders included, symlinks not
// followed): what a run records as its "artifacts" in metadata.json at commit time.
std::vector<std::string> folder_entries(const std::filesystem::path& dir, bool recursive = true);

}  // namespace elv::run
