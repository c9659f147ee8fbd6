// elv: Expected Lead Value for Meta Lead Ads. Thin entry point: parse, dispatch, map
// errors to exit codes (0 ok, 1 data or user error, 2 usage).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"

namespace {

// The commands that may train or apply a gbdt, the only users of OpenMP threads (XGBoost's).
bool may_run_xgboost(int argc, char** argv) {
  if (argc < 2) return false;
  for (const char* command : {"train", "score", "batch-score", "backtest", "demo", "serve"})
    if (std::strcmp(argv[1], command) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // XGBoost's OpenMP threads spin while idle; on 2 cores that starves the other thread
  // (nthread=2 measured 8x slower than nthread=1 here). libgomp reads OMP_WAIT_POLICY when
  // it is loaded, before main(), so setting it now is too late: re-execute once with
  // passive waiting unless the user chose a policy. Only for the commands that may run
  // XGBoost: loading elv's libraries takes about 0.09 s, which the other commands (validate,
  // build-table, ...) would pay twice for nothing (bench/RESULTS.md, "Against the reference").
  if (may_run_xgboost(argc, argv) && std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: then carry on as we are
  }
  CLI::App app{"elv " ELV_VERSION
               " - predicts which Meta Lead Ads leads become qualified and which campaigns buy "
               "them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("elv ") + ELV_VERSION);
  elv::cli::add_demo_command(app);
  elv::cli::add_demo_data_command(app);
  elv::cli::add_validate_command(app);
  elv::cli::add_build_table_command(app);
  elv::cli::add_train_command(app);
  elv::cli::add_score_command(app);
  elv::cli::add_batch_score_command(app);
  elv::cli::add_backtest_command(app);
  elv::cli::add_report_command(app);
  elv::cli::add_export_capi_command(app);
  elv::cli::add_advise_command(app);
  elv::cli::add_creative_analyze_command(app);
  elv::cli::add_serve_command(app);
  elv::cli::set_command_line(argc, argv);
  // CLI11 reports a mistyped command as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << "error: unknown command '" << argv[1] << "'; the commands are: " << names << "\n"
                << "Run with --help for usage.\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n"
              << "Run with --help for usage.\n";
    return 2;
  } catch (...) {
    const elv::ErrorOutcome outcome = elv::error_outcome(std::current_exception());
    std::cerr << "error: " << outcome.message << "\n";
    return outcome.exit_code;
  }
  return 0;
}
