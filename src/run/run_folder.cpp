#include "run/run_folder.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "io/error.h"

namespace fs = std::filesystem;

namespace elv::run {

std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  // Random suffix so two runs started in the same second do not collide.
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(rd() & 0xFFFFFFu));
  return std::string(stamp) + "-" + suffix;
}

RunFolder RunFolder::create(const std::string& out_dir, bool overwrite,
                            const std::string& runs_root) {
  RunFolder run;
  std::error_code ec;
  if (out_dir.empty()) {
    run.id_ = new_run_id();
    run.final_path_ = (fs::path(runs_root) / run.id_).string();
  } else {
    fs::path target = fs::path(out_dir).lexically_normal();
    if (target.filename().empty()) target = target.parent_path();
    if (fs::exists(target, ec)) {
      if (!fs::is_directory(target, ec)) throw Error("--out-dir exists and is not a folder", out_dir);
      if (!fs::is_empty(target, ec) && !overwrite)
        throw Error("--out-dir is not empty; choose another folder or pass --overwrite", out_dir);
    }
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
  run.work_path_ = (parent / ("." + fs::path(run.final_path_).filename().string() + ".tmp-" +
                              std::to_string(::getpid())))
                       .string();
  fs::remove_all(run.work_path_, ec);
  fs::create_directories(run.work_path_, ec);
  if (ec) throw Error("cannot create run folder: " + ec.message(), run.work_path_);
  if (::access(run.work_path_.c_str(), W_OK) != 0)
    throw Error("run folder is not writable", run.work_path_);
  return run;
}

RunFolder::RunFolder(RunFolder&& other) noexcept
    : id_(std::move(other.id_)),
      final_path_(std::move(other.final_path_)),
      work_path_(std::move(other.work_path_)),
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
  if (fs::exists(final_path, ec)) {
    // Overwrite: move the old run aside first, then swap in the new one, then delete.
    const fs::path old = final_path.parent_path() /
                         ("." + final_path.filename().string() + ".old-" + std::to_string(::getpid()));
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

void write_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw Error("cannot open for writing", tmp);
    out << text;
    out.flush();
    if (!out) throw Error("write failed (disk full?)", tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error("cannot rename into place: " + ec.message(), path);
}

}  // namespace elv::run
