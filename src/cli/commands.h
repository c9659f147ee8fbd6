// One small file per command. Each add_*_command() adds its subcommand to the app and
// sets a callback that does the work by calling run/ (or demo/) and prints the paths it
// wrote. Callbacks throw elv::Error (exit 1) or elv::UsageError (exit 2); main() maps them.
#pragma once
#include <CLI/CLI.hpp>

namespace elv::cli {

void add_demo_data_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_validate_command(CLI::App& app);
void add_build_table_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_batch_score_command(CLI::App& app);
void add_backtest_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_export_capi_command(CLI::App& app);
void add_advise_command(CLI::App& app);
void add_creative_analyze_command(CLI::App& app);

}  // namespace elv::cli
