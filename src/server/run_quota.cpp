#include "server/run_quota.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include <nlohmann/json.hpp>

#include "server/runs.h"

namespace fs = std::filesystem;

namespace elv::server {

namespace {

constexpr std::string_view kServerCommand = "elv serve";

uint64_t folder_bytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

struct ServerRun {
  std::string id, created_at;
  fs::file_time_type modified;  // breaks ties: created_at counts whole seconds
  uint64_t bytes;
};

}  // namespace

std::vector<std::string> enforce_run_quota(const std::string& runs_dir, const RunQuota& quota,
                                           const std::string& keep) {
  std::vector<std::string> removed;
  if (!quota.limited()) return removed;
  // The server's own runs, oldest first, are the candidates.
  std::vector<ServerRun> runs;
  uint64_t total = 0;
  for (const auto& run : list_runs(runs_dir)) {
    if (!run["command"].get<std::string>().starts_with(kServerCommand)) continue;
    const fs::path dir = fs::path(runs_dir) / run["id"].get<std::string>();
    std::error_code ec;
    runs.push_back({run["id"], run["created_at"], fs::last_write_time(dir, ec), folder_bytes(dir)});
    total += runs.back().bytes;
  }
  std::sort(runs.begin(), runs.end(), [](const ServerRun& a, const ServerRun& b) {
    return std::tie(a.created_at, a.modified, a.id) < std::tie(b.created_at, b.modified, b.id);
  });
  auto over = [&](size_t remaining) {
    return (quota.max_runs > 0 && static_cast<int64_t>(remaining) > quota.max_runs) ||
           (quota.max_bytes > 0 && total > quota.max_bytes);
  };
  size_t remaining = runs.size();
  for (const ServerRun& run : runs) {
    if (!over(remaining)) break;
    if (run.id == keep) continue;
    const fs::path dir = fs::path(runs_dir) / run.id;
    const fs::path hidden = fs::path(runs_dir) / (".removing-" + run.id);
    std::error_code ec;
    fs::rename(dir, hidden, ec);
    if (ec) continue;  // gone or busy: the next run tries again
    fs::remove_all(hidden, ec);
    removed.push_back(run.id);
    total -= run.bytes;
    --remaining;
  }
  return removed;
}

}  // namespace elv::server
