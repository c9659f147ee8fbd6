#include "server/jobs.h"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "base/error.h"
#include "base/random_id.h"
#include "run/artifacts.h"

using nlohmann::json;

namespace elv::server {

// Outside the anonymous namespace: JobRegistry::Job, declared in the header, holds one.
enum class JobState { kQueued, kRunning, kSucceeded, kFailed };

namespace {

// As the web app reads it (docs/SERVE.md): "queued", "running", "succeeded", "failed".
const char* state_name(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kSucceeded:
      return "succeeded";
    case JobState::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace

struct JobRegistry::Job {
  std::string id, kind, created_at;
  int64_t number = 0;
  int expected_stages = 1;
  JobState state = JobState::kQueued;
  std::string stage, error, run_id;
  double stage_fraction = 0;  // of the current stage (trees grown, blocks written)
  Progress::StageTimes stages;
  std::vector<std::string> notes;
};

JobRegistry::~JobRegistry() {
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.thread.join();
}

std::string JobRegistry::start(const std::string& kind, int expected_stages, Work work,
                               std::function<void()> cleanup, ErrorFilter filter) {
  auto job = std::make_shared<Job>();
  job->kind = kind;
  job->created_at = run::utc_now();  // the clock and format of run folders
  job->expected_stages = std::max(1, expected_stages);
  {
    std::lock_guard lock(mutex_);
    job->number = next_number_++;
    // Not secrets (the server is local), but not guessable across restarts either.
    job->id = "j" + std::to_string(job->number) + "-" + random_hex(6);
    jobs_[job->id] = job;
  }

  class Context : public JobContext {
   public:
    Context(std::shared_ptr<Job> job, std::mutex& mutex)
        : job_(std::move(job)), mutex_(mutex), progress_(true) {
      progress_.set_listener(
          [this](const std::string& current, double fraction, const Progress::StageTimes& done) {
            std::lock_guard lock(mutex_);
            job_->stage = current;
            job_->stage_fraction = fraction;
            job_->stages = done;
          });
    }
    Progress& progress() override { return progress_; }
    void note(const std::string& text) override {
      std::lock_guard lock(mutex_);
      job_->notes.push_back(text);
    }

   private:
    std::shared_ptr<Job> job_;
    std::mutex& mutex_;
    Progress progress_;
  };

  auto done = std::make_shared<std::atomic<bool>>(false);
  auto body = [this, job, done, work = std::move(work), cleanup = std::move(cleanup),
               filter = std::move(filter)] {
    {
      std::lock_guard lock(mutex_);
      job->state = JobState::kRunning;
    }
    std::string run_id, error;
    try {
      Context context(job, mutex_);
      run_id = work(context);
      context.progress().finish();
    } catch (...) {
      error = error_outcome(std::current_exception()).message;
    }
    if (cleanup) {
      try {
        cleanup();
      } catch (...) {
        // Leftover uploads are hidden folders; never let them fail a finished job.
      }
    }
    if (filter && !error.empty()) error = filter(error);
    std::lock_guard lock(mutex_);
    job->stage.clear();
    if (error.empty()) {
      job->state = JobState::kSucceeded;
      job->run_id = run_id;
    } else {
      job->state = JobState::kFailed;
      job->error = error;
    }
    std::fprintf(stderr, "elv serve: job %s (%s) %s%s%s\n", job->id.c_str(), job->kind.c_str(),
                 state_name(job->state), error.empty() ? "" : ": ", error.c_str());
    done->store(true);
  };
  std::lock_guard lock(mutex_);
  // Join the threads of finished jobs, so a long-lived server does not collect them.
  std::erase_if(workers_, [](Worker& w) {
    if (!w.done->load()) return false;
    w.thread.join();
    return true;
  });
  workers_.push_back({std::thread(std::move(body)), done});
  return job->id;
}

json JobRegistry::snapshot(const Job& job) const {
  json stages = json::array();
  for (const auto& [name, seconds] : job.stages)
    stages.push_back({{"name", name}, {"seconds", seconds}});
  double progress = 1.0;
  if (job.state == JobState::kQueued)
    progress = 0.0;
  else if (job.state != JobState::kSucceeded)  // running, or failed: how far it got
    progress = std::min(
        0.95, (static_cast<double>(job.stages.size()) + job.stage_fraction) / job.expected_stages);
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"state", state_name(job.state)},
            {"stage", job.stage},
            {"progress", progress},
            {"stage_progress", job.stage_fraction},
            {"stages", stages},
            {"created_at", job.created_at},
            {"notes", job.notes}};
  j["error"] = job.error.empty() ? json(nullptr) : json(job.error);
  j["run_id"] = job.run_id.empty() ? json(nullptr) : json(job.run_id);
  return j;
}

std::optional<json> JobRegistry::get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return snapshot(*it->second);
}

json JobRegistry::list() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Job>> all;
  for (const auto& [id, job] : jobs_) all.push_back(job);
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a->number > b->number; });
  json out = json::array();
  for (const auto& job : all) out.push_back(snapshot(*job));
  return out;
}

int JobRegistry::running() const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& [id, job] : jobs_)
    n += job->state == JobState::kRunning || job->state == JobState::kQueued;
  return n;
}

}  // namespace elv::server
