// Background jobs of the web app: each job runs a pipeline on its own thread and reports
// its stages through elv::Progress, so a page can poll it (and find it again after a
// reload). Jobs share nothing but this registry; a failed job records its error and
// leaves the server serving.
//
// Jobs survive the server: with a store folder (<runs>/.jobs), every change of a job's
// state, stage or notes is written there atomically, one <id>.json per job, and a new
// registry on the same folder lists them again. A job that was running when the server
// stopped is read back as failed ("interrupted: the server stopped"), and the temporary
// folders it had (its uploads, its unfinished run folder) are removed then.
//
// A running job can be cancelled: its progress listener throws at the next stage or
// percent, the pipeline unwinds (an unfinished run folder removes itself), and the job
// ends "cancelled".
//
// With a limit on running jobs (--max-jobs), the others wait "queued", in the order they
// came, each with its place in the queue; a queued job can be cancelled too, and the
// registry's end cancels the jobs still queued.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
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
  // The id of the run folder this job is about to create under the runs folder: should the
  // server die before the run is in place, the next start removes its temporary folder.
  virtual void will_create_run(const std::string& run_id) = 0;
};

// What the registry needs to know of a job besides its work.
struct JobSpec {
  std::string kind;  // "demo", "train", "score", "advice", "creatives"
  int expected_stages = 1;
  std::string name;  // the run's name, when the user gave one (shown with the job)
  // Runs after the work, whatever happened (deleting uploads).
  std::function<void()> cleanup;
  // Text substitutions applied to error messages (hiding a temporary upload folder).
  std::function<std::string(const std::string&)> filter;
  // A hidden folder of the runs folder that cleanup removes (the request's uploads):
  // recorded, so that it is removed at the next start if the server dies first.
  std::string temp_folder;
  // False for work whose last steps change a finished run (a creative analysis rebuilds
  // the run's report.html after committing its folder): stopping there would leave it
  // half-changed.
  bool cancellable = true;
};

enum class CancelOutcome { kRequested, kNoSuchJob, kAlreadyEnded, kNotCancellable };

class JobRegistry {
 public:
  // Returns the id of the run the work made. Throwing fails the job with the message.
  using Work = std::function<std::string(JobContext&)>;
  using ErrorFilter = std::function<std::string(const std::string&)>;

  // store_dir empty: jobs live in memory only. Otherwise the folder is created, the jobs
  // recorded there are read back (interrupted ones marked failed, their temporary folders
  // removed when they sit directly in the store's parent folder and are hidden).
  // max_running: how many jobs may run at once (0 = no limit).
  explicit JobRegistry(std::string store_dir = {}, int max_running = 0);
  ~JobRegistry();  // waits for running jobs: their run folders must not be cut short
  JobRegistry(const JobRegistry&) = delete;
  JobRegistry& operator=(const JobRegistry&) = delete;

  std::string start(JobSpec spec, Work work);
  // The older form: expected_stages sizes the progress estimate; cleanup runs after the
  // work, whatever happened.
  std::string start(const std::string& kind, int expected_stages, Work work,
                    std::function<void()> cleanup = {}, ErrorFilter filter = {});

  // Asks a queued or running job to stop at its next progress check.
  CancelOutcome cancel(const std::string& id);

  // Shutting down: waits up to `grace` for running jobs to end, then cancels those that may
  // be cancelled, and returns how many it asked to stop (the destructor then waits for them).
  int drain(std::chrono::milliseconds grace);

  std::optional<nlohmann::json> get(const std::string& id) const;
  nlohmann::json list() const;  // newest first
  int running() const;          // queued or running

  // How many finished jobs the store keeps; older records are deleted at start-up.
  static constexpr size_t kKeptJobs = 200;

 private:
  struct Job;
  class Context;
  nlohmann::json snapshot(const Job& job) const;  // with mutex_ held
  void persist(Job& job);                         // without mutex_ held
  void load();
  void add_log(Job& job, const std::string& line);  // with mutex_ held
  bool may_start(const Job& job) const;             // with mutex_ held
  int64_t queue_position(const Job& job) const;     // with mutex_ held; 0 = not queued

  std::string store_dir_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_;  // finished ones are joined at the next start()
  int64_t next_number_ = 1;
  int max_running_ = 0;
  int holding_slots_ = 0;  // jobs that took a running slot and have not ended
  bool stopping_ = false;  // the registry is ending: queued jobs are cancelled
  std::condition_variable slot_freed_;
};

}  // namespace elv::server
