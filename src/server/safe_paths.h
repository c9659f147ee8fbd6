// Names that come from a URL (run ids, artifact names) are checked here before they reach
// the disk: the web server never builds a path from an unchecked string.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace elv::server {

// [A-Za-z0-9][A-Za-z0-9._-]*, at most 128 characters: no slash, no "..", no leading dot
// (hidden and temporary run folders), no absolute path, no control character.
bool is_safe_name(std::string_view name);

// The folder of run `id` under runs_dir, when id is a safe name and names a finished run
// folder (a real directory, not a symlink, directly inside runs_dir).
std::optional<std::string> run_folder(const std::string& runs_dir, std::string_view id);

// The file `name` inside run_dir: "predictions.csv" or one level down ("data/ads.csv",
// "inputs/leads.csv"), every segment a safe name, a regular file and not a symlink.
std::optional<std::string> artifact_file(const std::string& run_dir, std::string_view name);

}  // namespace elv::server
