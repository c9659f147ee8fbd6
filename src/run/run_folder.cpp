#include "run/run_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "base/clock.h"
#include "base/error.h"
#include "base/random_id.h"

namespace fs = std::filesystem;

namespace elv::run {

namespace {

// Temporary folders of runs that were killed (SIGKILL, power loss: no destructor ran) are
// hidden siblings ".<name>.tmp-<pid>". Those of the same run name whose process is gone are
// removed when the name is used again, so they do not pile up. A live pid (another run of
// the same name, or a reused pid) keeps its folder.
void remove_stale_work_folders(const fs::path& parent, const std::string& name) {
  std::error_code ec;
  const std::string prefix = "." + name + ".tmp-";
  fs::directory_iterator it(parent.empty() ? fs::path(".") : parent, ec);
  if (ec) return;
  for (const auto& entry : it) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = file.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or unknown
    std::error_code ignore;
    fs::remove_all(entry.path(), ignore);
  }
}

// Swaps two paths atomically (Linux renameat2 RENAME_EXCHANGE): at every instant the final
// path holds a complete run, the old one or the new one. False when the filesystem does
// not support it (the caller falls back to two renames).
bool exchange_paths(const std::string& a, const std::string& b) {
#ifdef RENAME_EXCHANGE
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

}  // namespace

std::string new_run_id() {
  const auto now = static_cast<std::time_t>(now_seconds());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(stamp) + "-" + random_hex(6);
}

void RunFolder::check_out_dir(const std::string& out_dir, bool overwrite,
                              const std::vector<KeptPath>& kept) {
  if (out_dir.empty()) return;
  std::error_code ec;
  const fs::path target = fs::path(out_dir).lexically_normal();
  if (!fs::exists(target, ec)) return;
  if (!fs::is_directory(target, ec)) throw Error("--out-dir exists and is not a folder", out_dir);
  if (!overwrite) {
    if (!fs::is_empty(target, ec))
      throw Error("--out-dir is not empty; choose another folder or pass --overwrite", out_dir);
    // An empty folder may be renamed over, except where no run can go: the current
    // folder, an ancestor of it, the root.
    if (const std::string why = location_refusal(inspect_out_dir(out_dir, {})); !why.empty())
      throw Error("--out-dir refused: " + why + "; choose another --out-dir", out_dir);
    return;
  }
  if (const std::string why = overwrite_refusal(inspect_out_dir(out_dir, kept)); !why.empty())
    throw Error("--overwrite refused: " + why + "; choose an empty or new --out-dir", out_dir);
}

RunFolder RunFolder::create(const std::string& out_dir, bool overwrite,
                            const std::string& runs_root, std::vector<KeptPath> kept) {
  RunFolder run;
  run.overwrite_ = overwrite;
  run.kept_ = std::move(kept);
  std::error_code ec;
  if (out_dir.empty()) {
    run.id_ = new_run_id();
    run.final_path_ = (fs::path(runs_root) / run.id_).string();
  } else {
    fs::path target = fs::path(out_dir).lexically_normal();
    if (target.filename().empty()) target = target.parent_path();
    check_out_dir(out_dir, overwrite, run.kept_);
    run.id_ = target.filename().string();
    run.final_path_ = target.string();
  }
  const fs::path parent = fs::path(run.final_path_).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw Error("cannot create folder: " + ec.message(), parent.string());
  }
  // ".<name>.tmp-<pid>" beside the final folder: same filesystem, so rename is atomic; the
  // leading dot and the suffix mark it incomplete.
  const std::string name = fs::path(run.final_path_).filename().string();
  run.work_path_ = (parent / ("." + name + ".tmp-" + std::to_string(::getpid()))).string();
  remove_stale_work_folders(parent, name);
  fs::remove_all(run.work_path_, ec);
  fs::create_directories(run.work_path_, ec);
  if (ec) {
    throw Error("cannot create run folder: " + ec.message() + " (is " +
                    (parent.empty() ? std::string("the current folder") : parent.string()) +
                    " writable?)",
                run.work_path_);
  }
  if (::access(run.work_path_.c_str(), W_OK) != 0)
    throw Error("run folder is not writable", run.work_path_);
  return run;
}

RunFolder::RunFolder(RunFolder&& other) noexcept
    : id_(std::move(other.id_)),
      final_path_(std::move(other.final_path_)),
      work_path_(std::move(other.work_path_)),
      overwrite_(other.overwrite_),
      kept_(std::move(other.kept_)),
      committed_(other.committed_) {
  other.committed_ = true;  // the moved-from object must not delete anything
}

RunFolder::~RunFolder() {
  if (!committed_ && !work_path_.empty()) {
    std::error_code ec;
    fs::remove_all(work_path_, ec);
  }
}

void RunFolder::commit() {
  std::error_code ec;
  const fs::path final_path(final_path_);
  // The folder may have changed since create(): someone's files added, or a folder created
  // where there was none. Whatever may not be replaced now is left as it is.
  check_out_dir(final_path_, overwrite_, kept_);
  if (fs::exists(final_path, ec) && exchange_paths(work_path_, final_path_)) {
    // Overwrite, atomically: the new run is in place and the old one sits in the hidden work
    // folder, deleted now. A kill before the swap keeps the old run; after it, the new one.
    fs::remove_all(work_path_, ec);
  } else if (fs::exists(final_path, ec)) {
    // Overwrite without RENAME_EXCHANGE: move the old run aside first, then move the new
    // one in, then delete. (A kill between the two renames leaves the old run in the
    // hidden ".<name>.old-<pid>" folder and none at the final path: never a partial one.)
    std::string old_name = ".";
    old_name.append(final_path.filename().string())
        .append(".old-")
        .append(std::to_string(::getpid()));
    const fs::path old = final_path.parent_path() / old_name;
    fs::remove_all(old, ec);
    fs::rename(final_path, old, ec);
    if (ec) throw Error("cannot replace old run folder: " + ec.message(), final_path_);
    fs::rename(work_path_, final_path, ec);
    if (ec) {
      std::error_code ignore;
      fs::rename(old, final_path, ignore);  // put the old run back
      throw Error("cannot move run into place: " + ec.message(), final_path_);
    }
    fs::remove_all(old, ec);
  } else {
    fs::rename(work_path_, final_path, ec);
    if (ec) throw Error("cannot move run into place: " + ec.message(), final_path_);
  }
  committed_ = true;
  work_path_ = final_path_;
}

}  // namespace elv::run
