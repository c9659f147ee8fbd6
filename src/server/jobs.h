// Background jobs of the web app: each job runs a pipeline on its own thread and reports
// its stages through elv::Progress, so a page can poll it (and find it again after a
// reload). Jobs share nothing but this registry; a failed job records its error and
// leaves the server serving.
#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/progress.h"

namespace elv::server {

// What a job's work can tell the page besides its stages.
class JobContext {
 public:
  virtual ~JobContext() = default;
  virtual Progress& progress() = 0;                // pass to RunOptions::progress
  virtual void note(const std::string& text) = 0;  // shown with the job ("training used …")
};

class JobRegistry {
 public:
  // Returns the id of the run the work made. Throwing fails the job with the message.
  using Work = std::function<std::string(JobContext&)>;
  // Text substitutions applied to error messages (hiding a temporary upload folder).
  using ErrorFilter = std::function<std::string(const std::string&)>;

  JobRegistry() = default;
  ~JobRegistry();  // waits for running jobs: their run folders must not be cut short
  JobRegistry(const JobRegistry&) = delete;
  JobRegistry& operator=(const JobRegistry&) = delete;

  // Starts work on a new thread. expected_stages sizes the progress estimate; cleanup runs
  // after the work, whatever happened (deleting uploads).
  std::string start(const std::string& kind, int expected_stages, Work work,
                    std::function<void()> cleanup = {}, ErrorFilter filter = {});

  std::optional<nlohmann::json> get(const std::string& id) const;
  nlohmann::json list() const;  // newest first
  int running() const;

 private:
  struct Job;
  nlohmann::json snapshot(const Job& job) const;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_;  // finished ones are joined at the next start()
  int64_t next_number_ = 1;
};

}  // namespace elv::server
