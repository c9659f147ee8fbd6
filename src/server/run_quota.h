// Disk quota for the runs a server makes (docs/SERVE.md, "Limits"): with --max-runs and/or
// --max-runs-gb, the oldest runs the server made are removed once a new one is in place.
// Runs it did not make (elv's command line, another tool, a user's own folder) are never
// touched, and neither is the run just made.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace elv::server {

struct RunQuota {
  int64_t max_runs = 0;    // 0 = no limit
  uint64_t max_bytes = 0;  // of the server's runs together; 0 = no limit
  bool limited() const { return max_runs > 0 || max_bytes > 0; }
};

// Removes the oldest runs made by the server (metadata.json's "command" begins "elv serve")
// (created_at, then id) until at most max_runs remain and they hold at most max_bytes; `keep` (a
// run id) is never removed. Each is first renamed to a hidden folder, so a half-removed run is
// never listed. Returns the removed ids, oldest first.
std::vector<std::string> enforce_run_quota(const std::string& runs_dir, const RunQuota& quota,
                                           const std::string& keep = {});

}  // namespace elv::server
