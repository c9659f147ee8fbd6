// A run's name, as people read it in the run list ("Spring campaigns, trained, 12,000
// leads"): given with --name or the web app's "Run name", else made from what the run did
// and how many leads it had. Recorded in metadata.json as "name"; the timestamp id stays
// the folder's name and the run's key.
#pragma once
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace elv::run {

// The most characters a name may have.
inline constexpr size_t kMaxRunNameChars = 120;

// A user's name for a run, trimmed of surrounding spaces. Throws UsageError (HTTP 400) for
// control characters, malformed UTF-8 or more than kMaxRunNameChars characters. Empty stays
// empty (the default is used).
std::string checked_run_name(const std::string& name);

// "Demo, scored, 5,400 leads", "Trained, 12,000 leads", "Batch scored, 310 leads", from a
// run's metadata.json (run_kind, model, scoring, table.rows).
std::string default_run_name(const nlohmann::json& metadata);

// The recorded name when there is one, else the default (runs made before names were
// recorded get one too).
std::string run_name(const nlohmann::json& metadata);

}  // namespace elv::run
