// elv serve: the local web app (docs/SERVE.md). Parses flags, refuses an address reachable
// from other machines without a token or --public, serves until Ctrl-C or SIGTERM, then lets
// running jobs finish for a grace period and cancels the rest.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "advisor/advisor.h"
#include "base/error.h"
#include "cli/commands.h"
#include "server/server.h"

namespace elv::cli {

void add_serve_command(CLI::App& app) {
  auto opts = std::make_shared<server::ServerOptions>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Start the local web app (demo, upload your CSVs, browse runs)");
  cmd->add_option("--host", opts->host, "Address to listen on (127.0.0.1 keeps it on this machine)")
      ->capture_default_str();
  cmd->add_option("--port", opts->port, "Port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--runs-dir", opts->runs_dir, "Folder of run folders to write and browse")
      ->capture_default_str();
  cmd->add_option("--max-upload-mb", opts->max_upload_mb, "Largest uploaded file, in MB")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--max-train-leads", opts->max_train_leads,
                  "Most labeled leads a training job in the app may use (the most recent are kept)")
      ->check(CLI::Range(int64_t{50}, int64_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--threads", opts->threads, "Worker threads per job (default: all cores)");
  opts->advisor_endpoint = advisor::kDefaultEndpoint;
  cmd->add_option("--advisor-endpoint", opts->advisor_endpoint,
                  "Base URL of the Gemini API the Advisor tab asks (tests use a fake server)")
      ->capture_default_str();
  // Serving beyond this machine (docs/SERVE.md "On a server"). The token is better given by
  // the environment: a command line is visible to every user of the machine (ps).
  cmd->add_option("--auth-token", opts->auth_token,
                  "Require this access token: the page asks for it once, API clients send "
                  "Authorization: Bearer TOKEN (or set ELV_AUTH_TOKEN)")
      ->envname("ELV_AUTH_TOKEN");
  cmd->add_flag("--public", opts->is_public,
                "A deliberately open demo: may listen beyond this machine without a token; "
                "uploads and training are refused");
  cmd->add_option("--min-free-disk-mb", opts->min_free_disk_mb,
                  "GET /healthz reports unhealthy when the runs folder's disk has less free")
      ->capture_default_str();
  cmd->add_option("--log-format", opts->log_format,
                  "Access log on stderr, one line per request: text, json or off")
      ->check(CLI::IsMember({"text", "json", "off"}))
      ->capture_default_str();
  cmd->add_option("--read-timeout-seconds", opts->read_timeout_seconds,
                  "Drop a client that sends (or takes) nothing for this long")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  // Quotas (docs/SERVE.md "Limits").
  cmd->add_option("--max-jobs", opts->max_jobs,
                  "Jobs running at once; more wait in line, each shown its place (0 = no limit)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  CLI::Option* requests_option =
      cmd->add_option("--max-requests-per-minute", opts->max_requests_per_minute,
                      "Requests a minute from one client address, then 429 (0 = no limit; "
                      "--public: " +
                          std::to_string(server::kPublicRequestsPerMinute) + ")")
          ->check(CLI::Range(0, 1000000));
  CLI::Option* jobs_option =
      cmd->add_option("--max-jobs-per-minute", opts->max_jobs_per_minute,
                      "Jobs one client address may start a minute, then 429 (0 = no limit; "
                      "--public: " +
                          std::to_string(server::kPublicJobsPerMinute) + ")")
          ->check(CLI::Range(0, 100000));
  cmd->add_option("--max-runs", opts->max_runs,
                  "Keep at most this many runs made by the server; the oldest go first (runs "
                  "it did not make are never removed; 0 = no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--max-runs-gb", opts->max_runs_gb,
                  "Keep the runs made by the server within this many GB, oldest removed first "
                  "(0 = no limit)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_flag("--trust-proxy", opts->trust_proxy,
                "Behind a reverse proxy that sets X-Forwarded-For: count each visitor by the "
                "address the proxy saw, not the proxy's own (only with such a proxy)");
  auto grace = std::make_shared<int>(30);
  cmd->add_option("--shutdown-grace-seconds", *grace,
                  "On Ctrl-C or SIGTERM, how long running jobs may finish before they are "
                  "cancelled")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cmd->callback([opts, grace, requests_option, jobs_option] {
    // A public demo is open to anyone: it limits each visitor unless told otherwise.
    if (opts->is_public && requests_option->count() == 0)
      opts->max_requests_per_minute = server::kPublicRequestsPerMinute;
    if (opts->is_public && jobs_option->count() == 0)
      opts->max_jobs_per_minute = server::kPublicJobsPerMinute;
    const std::string refusal = server::bind_refusal(*opts);
    if (!refusal.empty()) throw Error(refusal);
    // Ctrl-C and kill stop the listener from a thread of our own (sigwait), so the jobs
    // still running can finish and rename their run folders into place.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGUSR1);  // sent by ourselves when the listener ends alone
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    server::Server server(*opts);
    const int port = server.bind();
    if (!server::is_loopback_host(opts->host) && opts->auth_token.empty())
      std::cerr << "warning: listening on " << opts->host
                << " as a public demo: anyone who can reach this machine can see its runs "
                   "(uploads and training are off).\n";
    const std::string shown_host =
        opts->host.find(':') != std::string::npos ? "[" + opts->host + "]" : opts->host;
    std::cerr << "elv serve: http://" << shown_host << ":" << port
              << "/  (runs folder: " << opts->runs_dir << "; Ctrl-C to stop)" << std::endl;
    std::atomic<bool> stopping{false};
    std::thread stopper([&server, &stopping, stop_signals, grace] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      if (sig == SIGUSR1) return;  // the listener ended by itself
      stopping = true;
      std::cerr << "elv serve: stopping (running jobs get up to " << *grace
                << " s to finish, then are cancelled)\n";
      server.stop();
    });
    server.run();
    if (!stopping) pthread_kill(stopper.native_handle(), SIGUSR1);
    stopper.join();
    const int cancelled = server.finish_jobs(*grace);
    if (cancelled > 0)
      std::cerr << "elv serve: cancelled " << cancelled
                << " job(s) still running after the grace period; their runs were not kept\n";
  });
}

}  // namespace elv::cli
