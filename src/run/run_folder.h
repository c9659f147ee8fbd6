// The life of a run folder (docs/CONTRACT.md §7): artifacts are written into a temporary sibling
// folder, which is renamed into place only when the run completes, so a failed or killed
// run never looks finished.
#pragma once
#include <string>
#include <vector>

#include "run/overwrite_check.h"

namespace elv::run {

class RunFolder {
 public:
  // out_dir empty: runs/<UTC yyyymmddThhmmssZ>-<6 hex>/ under runs_root (default "runs").
  // out_dir given: refused (elv::Error) when it exists and is not empty, unless overwrite;
  // with overwrite the old folder is kept until the new run completes, and only an elv run
  // folder that holds none of `kept` may be replaced (run/overwrite_check.h).
  static RunFolder create(const std::string& out_dir, bool overwrite,
                          const std::string& runs_root = "runs", std::vector<KeptPath> kept = {});
  // The refusal of create(), done up front: pipelines call it before any data work, so a
  // mistaken --out-dir fails at once instead of after the table is built. commit() checks
  // again, in case the folder changed meanwhile.
  static void check_out_dir(const std::string& out_dir, bool overwrite,
                            const std::vector<KeptPath>& kept = {});
  RunFolder(RunFolder&&) noexcept;
  RunFolder& operator=(RunFolder&&) = delete;
  ~RunFolder();  // an uncommitted run's temporary folder is removed

  const std::string& id() const { return id_; }
  const std::string& final_path() const { return final_path_; }
  // Where artifacts go while the run is in progress.
  const std::string& work_path() const { return work_path_; }
  std::string file(const std::string& name) const { return work_path_ + "/" + name; }

  // Renames the temporary folder into place (replacing an old one when overwriting, after
  // checking again that it may be replaced).
  void commit();

 private:
  RunFolder() = default;
  std::string id_, final_path_, work_path_;
  bool overwrite_ = false;
  std::vector<KeptPath> kept_;
  bool committed_ = false;
};

// A fresh run id: UTC yyyymmddThhmmssZ-<6 hex>.
std::string new_run_id();

}  // namespace elv::run
