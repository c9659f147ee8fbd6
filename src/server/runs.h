// The run browser's data: the finished run folders under a runs folder, read from their
// artifacts (metadata.json, metrics.json, the leaderboards). Read-only.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace elv::server {

// Finished runs, newest first: [{"id", "name", "created_at", "kind", "command", "leads",
// "model_type", "has_predictions"}]. Hidden folders (unfinished runs, uploads) and folders
// without metadata.json are skipped.
nlohmann::json list_runs(const std::string& runs_dir);

// {"id", "name", "kind", "created_at", "metadata", "metrics" (or null), "files": [{"name",
// "bytes"}], "warnings"}. files lists the run's artifacts and one level of subfolders.
nlohmann::json run_details(const std::string& run_dir);

// A leaderboard CSV as {"columns": [...], "rows": [[...]]}: numbers as numbers, empty
// cells as null, other cells as strings. nullopt when the file is absent.
std::optional<nlohmann::json> leaderboard_json(const std::string& csv_path);

}  // namespace elv::server
