#include "server/jobs.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/random_id.h"
#include "io/files.h"
#include "run/artifacts.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

// Outside the anonymous namespace: JobRegistry::Job, declared in the header, holds one.
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

namespace {

// As the web app reads it (docs/SERVE.md): "queued", "running", "succeeded", "failed",
// "cancelled".
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
    case JobState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

std::optional<JobState> state_from_name(const std::string& name) {
  for (JobState s : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed,
                     JobState::kCancelled})
    if (name == state_name(s)) return s;
  return std::nullopt;
}

bool ended(JobState s) { return s != JobState::kQueued && s != JobState::kRunning; }

// Thrown by a cancelled job's progress listener. Not an elv::Error nor a std::exception, so
// no handler meant for data errors takes it for one; run_workers carries it across threads.
struct JobCancelled {};

constexpr const char* kInterrupted = "interrupted: the server stopped";
constexpr size_t kMaxLogLines = 300;

std::string text_at(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

struct JobRegistry::Job {
  std::string id, kind, name, created_at, finished_at;
  int64_t number = 0;
  int expected_stages = 1;
  JobState state = JobState::kQueued;
  std::string stage, error, run_id;
  double stage_fraction = 0;  // of the current stage (trees grown, blocks written)
  Progress::StageTimes stages;
  std::vector<std::string> notes, log;
  // What to remove if the server dies while the job runs (see JobSpec, JobContext).
  std::string temp_folder, planned_run;
  bool cancellable = true;
  std::atomic<bool> cancel_requested{false};
  std::mutex persist_mutex;  // one writer of <id>.json at a time, newest snapshot last
};

class JobRegistry::Context : public JobContext {
 public:
  Context(JobRegistry& registry, std::shared_ptr<Job> job)
      : registry_(registry), job_(std::move(job)), progress_(true) {
    progress_.set_listener(
        [this](const std::string& current, double fraction, const Progress::StageTimes& done) {
          bool new_stage = false;
          {
            std::lock_guard lock(registry_.mutex_);
            new_stage = current != job_->stage;
            job_->stage = current;
            job_->stage_fraction = fraction;
            job_->stages = done;
            if (new_stage && !current.empty()) registry_.add_log(*job_, "stage: " + current);
          }
          if (new_stage) registry_.persist(*job_);
          // The one place a job stops early: every stage start and every percent of one.
          if (armed_ && job_->cancel_requested.load()) throw JobCancelled{};
        });
  }
  Progress& progress() override { return progress_; }
  void note(const std::string& text) override {
    {
      std::lock_guard lock(registry_.mutex_);
      job_->notes.push_back(text);
      registry_.add_log(*job_, "note: " + text);
    }
    registry_.persist(*job_);
  }
  void will_create_run(const std::string& run_id) override {
    {
      std::lock_guard lock(registry_.mutex_);
      job_->planned_run = run_id;
    }
    registry_.persist(*job_);
  }
  // The work is over: its closing progress report must not throw.
  void disarm() { armed_ = false; }

 private:
  JobRegistry& registry_;
  std::shared_ptr<Job> job_;
  Progress progress_;
  bool armed_ = true;
};

JobRegistry::JobRegistry(std::string store_dir, int max_running)
    : store_dir_(std::move(store_dir)), max_running_(std::max(0, max_running)) {
  if (!store_dir_.empty()) load();
}

JobRegistry::~JobRegistry() {
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;  // jobs still waiting for a slot end cancelled
    workers.swap(workers_);
  }
  slot_freed_.notify_all();
  for (auto& w : workers) w.thread.join();
}

// A queued job starts when a slot is free and no job that came before it is still waiting.
bool JobRegistry::may_start(const Job& job) const {
  if (max_running_ == 0) return true;
  return holding_slots_ < max_running_ && queue_position(job) == 1;
}

int64_t JobRegistry::queue_position(const Job& job) const {
  if (job.state != JobState::kQueued || job.cancel_requested.load()) return 0;
  int64_t ahead = 0;
  for (const auto& [id, other] : jobs_)
    ahead += other->state == JobState::kQueued && !other->cancel_requested.load() &&
             other->number < job.number;
  return ahead + 1;
}

void JobRegistry::add_log(Job& job, const std::string& line) {
  if (job.log.size() >= kMaxLogLines) return;
  job.log.push_back(run::utc_now() + " " + line);
}

std::string JobRegistry::start(const std::string& kind, int expected_stages, Work work,
                               std::function<void()> cleanup, ErrorFilter filter) {
  JobSpec spec;
  spec.kind = kind;
  spec.expected_stages = expected_stages;
  spec.cleanup = std::move(cleanup);
  spec.filter = std::move(filter);
  return start(std::move(spec), std::move(work));
}

std::string JobRegistry::start(JobSpec spec, Work work) {
  auto job = std::make_shared<Job>();
  job->kind = spec.kind;
  job->name = spec.name;
  job->created_at = run::utc_now();  // the clock and format of run folders
  job->expected_stages = std::max(1, spec.expected_stages);
  job->temp_folder = spec.temp_folder;
  job->cancellable = spec.cancellable;
  {
    std::lock_guard lock(mutex_);
    job->number = next_number_++;
    // Not secrets (the server is local), but not guessable across restarts either.
    job->id = "j" + std::to_string(job->number) + "-" + random_hex(6);
    add_log(*job, "queued");
    jobs_[job->id] = job;
  }
  persist(*job);

  auto done = std::make_shared<std::atomic<bool>>(false);
  auto body = [this, job, done, work = std::move(work), cleanup = std::move(spec.cleanup),
               filter = std::move(spec.filter)] {
    bool holds_slot = false;
    {
      std::unique_lock lock(mutex_);
      slot_freed_.wait(
          lock, [&] { return job->cancel_requested.load() || stopping_ || may_start(*job); });
      if (stopping_ && !job->cancel_requested.exchange(true))
        add_log(*job, "cancelled: the server stopped before the job's turn");
      if (!job->cancel_requested.load()) {
        holds_slot = true;
        ++holding_slots_;
        job->state = JobState::kRunning;
        add_log(*job, "started");
      }
    }
    persist(*job);
    std::string run_id, error;
    bool cancelled = false;
    try {
      Context context(*this, job);
      if (job->cancel_requested.load()) throw JobCancelled{};  // cancelled while queued
      run_id = work(context);
      context.disarm();
      context.progress().finish();
    } catch (const JobCancelled&) {
      cancelled = true;
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
    {
      std::lock_guard lock(mutex_);
      job->stage.clear();
      job->finished_at = run::utc_now();
      if (cancelled) {
        job->state = JobState::kCancelled;
        add_log(*job, "cancelled: stopped before its run was complete; nothing was kept");
      } else if (error.empty()) {
        job->state = JobState::kSucceeded;
        job->run_id = run_id;
        if (job->cancel_requested.load())
          job->notes.push_back("the cancel came too late: the run was already complete");
        add_log(*job, "succeeded: run " + run_id);
      } else {
        job->state = JobState::kFailed;
        job->error = error;
        add_log(*job, "failed: " + error);
      }
      std::fprintf(stderr, "elv serve: job %s (%s) %s%s%s\n", job->id.c_str(), job->kind.c_str(),
                   state_name(job->state), error.empty() ? "" : ": ", error.c_str());
    }
    persist(*job);
    {
      std::lock_guard lock(mutex_);
      if (holds_slot) --holding_slots_;
    }
    slot_freed_.notify_all();  // the next queued job, and the positions of the others
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

CancelOutcome JobRegistry::cancel(const std::string& id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) return CancelOutcome::kNoSuchJob;
    job = it->second;
    if (ended(job->state)) return CancelOutcome::kAlreadyEnded;
    if (!job->cancellable) return CancelOutcome::kNotCancellable;
    if (!job->cancel_requested.exchange(true)) add_log(*job, "cancel requested");
  }
  slot_freed_.notify_all();  // a queued job wakes to end
  persist(*job);
  return CancelOutcome::kRequested;
}

json JobRegistry::snapshot(const Job& job) const {
  json stages = json::array();
  for (const auto& [name, seconds] : job.stages)
    stages.push_back({{"name", name}, {"seconds", seconds}});
  double progress = 1.0;
  if (job.state == JobState::kQueued)
    progress = 0.0;
  else if (job.state != JobState::kSucceeded)  // running, failed or cancelled: how far it got
    progress = std::min(
        0.95, (static_cast<double>(job.stages.size()) + job.stage_fraction) / job.expected_stages);
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"name", job.name},
            {"state", state_name(job.state)},
            {"stage", job.stage},
            {"progress", progress},
            {"stage_progress", job.stage_fraction},
            {"stages", stages},
            {"created_at", job.created_at},
            {"notes", job.notes},
            {"log", job.log},
            {"cancellable", job.cancellable && !ended(job.state)},
            {"cancel_requested", job.cancel_requested.load()},
            {"queue_position", queue_position(job)}};
  j["finished_at"] = job.finished_at.empty() ? json(nullptr) : json(job.finished_at);
  j["error"] = job.error.empty() ? json(nullptr) : json(job.error);
  j["run_id"] = job.run_id.empty() ? json(nullptr) : json(job.run_id);
  return j;
}

// The record of <store>/<id>.json: what the page sees, and what a restart needs.
void JobRegistry::persist(Job& job) {
  if (store_dir_.empty()) return;
  std::lock_guard write_lock(job.persist_mutex);
  json record;
  {
    std::lock_guard lock(mutex_);
    record = snapshot(job);
    record["number"] = job.number;
    record["expected_stages"] = job.expected_stages;
    record["temp_folder"] = job.temp_folder;
    record["planned_run"] = job.planned_run;
    record["cancellable"] = job.cancellable;
    record["server_pid"] = static_cast<int64_t>(::getpid());
  }
  try {
    io::write_file_atomically(store_dir_ + "/" + job.id + ".json", record.dump(2) + "\n");
  } catch (const std::exception& e) {
    // The job goes on: its record is a convenience for after a restart, never its result.
    std::fprintf(stderr, "elv serve: cannot record job %s: %s\n", job.id.c_str(), e.what());
  }
}

namespace {

// A folder an interrupted job left: removed only when it is a hidden entry directly in the
// runs folder (never a path a damaged record could point anywhere else).
void remove_leftover(const fs::path& runs_dir, const std::string& path) {
  if (path.empty()) return;
  const fs::path p = fs::path(path).lexically_normal();
  const std::string name = p.filename().string();
  if (p.parent_path() != runs_dir || name.size() < 2 || name[0] != '.' || name == "..") return;
  std::error_code ec;
  fs::remove_all(p, ec);
}

// True when pid is a live process other than this one: another elv serve on the same runs
// folder, whose running jobs are its own business (the rule of run/run_folder.cpp's stale
// work folders).
bool another_live_process(int64_t pid) {
  if (pid <= 0 || pid == ::getpid()) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

// The temporary folder of a run that never reached its place: ".<run id>.tmp-<pid>".
void remove_unfinished_run(const fs::path& runs_dir, const std::string& run_id) {
  if (run_id.empty() || run_id.find('/') != std::string::npos || run_id[0] == '.') return;
  const std::string prefix = "." + run_id + ".tmp-";
  std::error_code ec;
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(runs_dir, ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) found.push_back(e.path());
  for (const auto& p : found) fs::remove_all(p, ec);
}

}  // namespace

void JobRegistry::load() {
  std::error_code ec;
  fs::create_directories(store_dir_, ec);
  const fs::path runs_dir = fs::absolute(store_dir_).lexically_normal().parent_path();
  std::vector<std::shared_ptr<Job>> loaded;
  for (const auto& e : fs::directory_iterator(store_dir_, ec)) {
    if (e.path().extension() != ".json" || !e.is_regular_file(ec)) continue;
    std::ifstream in(e.path());
    const json r = json::parse(in, nullptr, /*allow_exceptions=*/false);
    // A damaged record is skipped (and left for a person to look at), never fatal.
    if (!r.is_object() || text_at(r, "id") + ".json" != e.path().filename().string()) continue;
    const auto state = state_from_name(text_at(r, "state"));
    if (!state || !r.contains("number") || !r["number"].is_number_integer()) continue;
    next_number_ = std::max(next_number_, r["number"].get<int64_t>() + 1);
    // Running in another server that is still alive: not this one's to judge or show.
    if (!ended(*state) && r.contains("server_pid") && r["server_pid"].is_number_integer() &&
        another_live_process(r["server_pid"].get<int64_t>()))
      continue;
    // A field of the wrong type makes the record damaged too.
    try {
      auto job = std::make_shared<Job>();
      job->id = text_at(r, "id");
      job->kind = text_at(r, "kind");
      job->name = text_at(r, "name");
      job->created_at = text_at(r, "created_at");
      job->finished_at = text_at(r, "finished_at");
      job->number = r["number"].get<int64_t>();
      job->expected_stages = std::max(1, r.value("expected_stages", 1));
      job->state = *state;
      job->stage = text_at(r, "stage");
      job->error = text_at(r, "error");
      job->run_id = text_at(r, "run_id");
      job->stage_fraction = r.value("stage_progress", 0.0);
      job->temp_folder = text_at(r, "temp_folder");
      job->planned_run = text_at(r, "planned_run");
      job->cancellable = r.value("cancellable", true);
      job->cancel_requested = r.value("cancel_requested", false);
      if (r.contains("stages") && r["stages"].is_array())
        for (const auto& s : r["stages"])
          if (s.is_object() && s.contains("seconds") && s["seconds"].is_number())
            job->stages.emplace_back(text_at(s, "name"), s["seconds"].get<double>());
      auto read_lines = [&r](const char* key, std::vector<std::string>& out) {
        if (r.contains(key) && r[key].is_array())
          for (const auto& line : r[key])
            if (line.is_string()) out.push_back(line.get<std::string>());
      };
      read_lines("notes", job->notes);
      read_lines("log", job->log);
      loaded.push_back(job);
    } catch (const json::exception&) {
      continue;
    }
  }
  std::sort(loaded.begin(), loaded.end(),
            [](const auto& a, const auto& b) { return a->number > b->number; });
  for (size_t i = 0; i < loaded.size(); ++i) {
    auto& job = loaded[i];
    if (i >= kKeptJobs && ended(job->state)) {
      fs::remove(fs::path(store_dir_) / (job->id + ".json"), ec);
      continue;
    }
    if (!ended(job->state)) {
      // The server stopped under it: what it had half-made goes, and it says so.
      remove_leftover(runs_dir, job->temp_folder);
      remove_unfinished_run(runs_dir, job->planned_run);
      job->state = JobState::kFailed;
      job->error = kInterrupted;
      job->stage.clear();
      add_log(*job, std::string("failed: ") + kInterrupted);
      jobs_[job->id] = job;
      persist(*job);
      continue;
    }
    jobs_[job->id] = job;
  }
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
  for (const auto& [id, job] : jobs_) n += !ended(job->state);
  return n;
}

int JobRegistry::drain(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (running() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::string> left;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_)
      if (!ended(job->state)) left.push_back(id);
  }
  int cancelled = 0;
  for (const std::string& id : left) cancelled += cancel(id) == CancelOutcome::kRequested;
  return cancelled;
}

}  // namespace elv::server
