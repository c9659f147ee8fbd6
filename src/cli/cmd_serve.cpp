// elv serve: the local web app (docs/SERVE.md). Parses flags, warns when the address is
// reachable from other machines, serves until Ctrl-C, then lets running jobs finish.
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
  cmd->callback([opts] {
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
    if (!server::is_loopback_host(opts->host))
      std::cerr << "warning: listening on " << opts->host
                << ": anyone who can reach this machine can see your runs and upload files. "
                   "Use --host 127.0.0.1 unless you mean it.\n";
    const std::string shown_host =
        opts->host.find(':') != std::string::npos ? "[" + opts->host + "]" : opts->host;
    std::cerr << "elv serve: http://" << shown_host << ":" << port
              << "/  (runs folder: " << opts->runs_dir << "; Ctrl-C to stop)" << std::endl;
    std::atomic<bool> stopping{false};
    std::thread stopper([&server, &stopping, stop_signals] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      if (sig == SIGUSR1) return;  // the listener ended by itself
      stopping = true;
      std::cerr << "elv serve: stopping (running jobs finish first)\n";
      server.stop();
    });
    server.run();
    if (!stopping) pthread_kill(stopper.native_handle(), SIGUSR1);
    stopper.join();
  });
}

}  // namespace elv::cli
