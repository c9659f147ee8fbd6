// elv train / score / batch-score / backtest: thin wrappers over run::train_run,
// run::score_run and run::backtest_run.
#include <unistd.h>  // isatty

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config.h"
#include "io/files.h"
#include "model/split.h"
#include "run/backtest.h"
#include "run/pipelines.h"
#include "run/run_name.h"
#include "scoring/predictions.h"

namespace elv::cli {

namespace fs = std::filesystem;

namespace {

struct CommonOpts {
  InputOptions inputs;
  std::string out_dir, name;
  bool overwrite = false;
  int threads = 0;
  bool quiet = false;
};

void add_common(CLI::App* cmd, CommonOpts& o) {
  add_input_options(cmd, o.inputs);
  cmd->add_option("--out-dir", o.out_dir, "Run folder to write (default runs/<run id>)");
  cmd->add_option("--name", o.name,
                  "A name for the run, shown in the web app's run list (default: what it did "
                  "and how many leads, e.g. \"Trained, 12,000 leads\")");
  cmd->add_flag("--overwrite", o.overwrite, kOverwriteHelp);
  cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
  cmd->add_flag(
      "--quiet", o.quiet,
      "No progress, stage times or data warnings on stderr (warnings stay in the run folder)");
}

run::RunOptions run_options(const CommonOpts& o, Progress& progress) {
  run::RunOptions ro;
  ro.out_dir = o.out_dir;
  ro.overwrite = o.overwrite;
  ro.threads = o.threads;
  ro.command_line = recorded_command_line();
  ro.name = run::checked_run_name(o.name);
  ro.progress = &progress;
  return ro;
}

}  // namespace

void add_train_command(CLI::App& app) {
  struct Opts : CommonOpts {
    int64_t max_labeled_leads = 0;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Build the table, train and calibrate a model, evaluate it and score every lead");
  add_common(cmd, *opts);
  CLI::Option* cap =
      cmd->add_option("--max-labeled-leads", opts->max_labeled_leads,
                      "Fit on at most this many labeled leads, the most recent (default: all)");
  cmd->callback([opts, cap] {
    // Inside the pipeline 0 means "no cap"; given here, 0 would silently mean "all".
    if (cap->count() > 0 && opts->max_labeled_leads < model::kMinLabeledRows)
      throw UsageError("--max-labeled-leads must be >= " + std::to_string(model::kMinLabeledRows) +
                       " (a model needs that many labeled leads) or omitted (all of them); got " +
                       std::to_string(opts->max_labeled_leads));
    Progress progress(opts->quiet);
    const Config config = input_config(opts->inputs, opts->quiet);
    run::RunOptions options = run_options(*opts, progress);
    options.max_labeled_leads = opts->max_labeled_leads;
    const run::RunOutputs out = run::train_run(config, options);
    progress.finish();
    print_outputs(out, opts->quiet);
  });
}

namespace {

// batch-score --leads-path -: standard input copied into scratch (the CSV reader needs a
// regular file), recorded in the run as "-".
void read_leads_from_stdin(const io::OwnedFolder& scratch, run::ScoreOptions& so) {
  if (::isatty(STDIN_FILENO))
    throw UsageError(
        "--leads-path -: standard input is a terminal; pipe the leads CSV in, e.g. "
        "'elv batch-score ... --leads-path - < leads.csv'");
  const std::string copy = fs::absolute(fs::path(scratch.path()) / "standard-input.csv").string();
  io::copy_stream_to_file(std::cin, copy);
  so.leads_path = copy;
  so.run.recorded_path = [copy](const std::string& p) { return p == copy ? std::string("-") : p; };
}

// score_run, with an error in the copy of standard input reported as "standard input:LINE"
// (its line numbers are the input's own).
run::RunOutputs score_naming_stdin(const Config& config, const run::ScoreOptions& so,
                                   bool leads_from_stdin) {
  try {
    return run::score_run(config, so);
  } catch (const Error& e) {
    if (!leads_from_stdin || e.file() != so.leads_path) throw;
    if (dynamic_cast<const UsageError*>(&e))
      throw UsageError(e.message(), "standard input", e.row(), e.column());
    throw Error(e.message(), "standard input", e.row(), e.column());
  }
}

// batch-score --predictions-out FILE, checked before any work: an existing file is replaced
// only with --overwrite, and only when it is a predictions file (its header is elv's), so
// that an input or anything else elv did not write is never lost.
void check_predictions_target(const std::string& target, bool overwrite) {
  std::error_code ec;
  if (target == "-" || !fs::exists(fs::symlink_status(target, ec))) return;
  if (!overwrite)
    throw UsageError("--predictions-out " + target +
                     ": the file exists; give --overwrite to replace it, or another path");
  std::ifstream in(target, std::ios::binary);
  std::string header;
  std::getline(in, header);
  if (!fs::is_regular_file(target, ec) || header.rfind(scoring::kPredictionsHeaderStart, 0) != 0)
    throw UsageError("--predictions-out " + target +
                     ": the file exists and is not a predictions file elv wrote; elv never "
                     "replaces it, give another path");
}

// batch-score --predictions-out: predictions.csv of the finished run to standard output
// ("-") or to a file (written beside it and renamed into place).
void write_predictions_out(const std::string& run_dir, const std::string& target) {
  const fs::path predictions = fs::path(run_dir) / "predictions.csv";
  std::ifstream in(predictions, std::ios::binary);
  if (!in) throw Error("cannot read the run's predictions", predictions.string());
  if (target == "-") {
    std::cout << in.rdbuf();
    std::cout.flush();
    if (!std::cout) throw Error("writing the predictions to standard output failed", "-");
    return;
  }
  io::copy_stream_atomically(in, target);
}

void add_score_like(CLI::App& app, bool batch) {
  struct Opts : CommonOpts {
    std::string model, leads, predictions_out;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      batch ? "batch-score" : "score",
      batch ? "Score new leads with a trained model (inference only: outcomes are ignored)"
            : "Score the configured leads with a trained model (model.json)");
  add_common(cmd, *opts);
  cmd->add_option("--model", opts->model, "Model bundle (model.json from a train run)")->required();
  if (batch) {
    cmd->add_option("--leads-path", opts->leads,
                    "Leads CSV to score instead of paths.leads_path; - reads it from standard "
                    "input");
    cmd->add_option("--predictions-out", opts->predictions_out,
                    "Write predictions.csv to this file, or - for standard output (the run's "
                    "listing then goes to stderr); the run folder is then temporary unless "
                    "--out-dir is given");
  }
  cmd->callback([opts, batch] {
    Progress progress(opts->quiet);
    const Config config = input_config(opts->inputs, opts->quiet);
    run::ScoreOptions so;
    so.run = run_options(*opts, progress);
    so.model_path = opts->model;
    so.batch = batch;
    so.leads_path = opts->leads;
    check_predictions_target(opts->predictions_out, opts->overwrite);
    // Removed, with whatever elv put in it, when the command ends.
    std::optional<io::OwnedFolder> scratch;
    const bool temporary_run = !opts->predictions_out.empty() && opts->out_dir.empty();
    if (opts->leads == "-" || temporary_run)
      scratch.emplace(io::OwnedFolder::create_temporary("batch-score"));
    if (opts->leads == "-") read_leads_from_stdin(*scratch, so);
    if (temporary_run) so.run.out_dir = (fs::path(scratch->path()) / "run").string();
    const run::RunOutputs out = score_naming_stdin(config, so, opts->leads == "-");
    progress.finish();
    const bool to_stdout = opts->predictions_out == "-";
    print_outputs(out, opts->quiet,
                  temporary_run ? nullptr : (to_stdout ? &std::cerr : &std::cout));
    if (!opts->predictions_out.empty()) write_predictions_out(out.run_dir, opts->predictions_out);
  });
}

}  // namespace

void add_score_command(CLI::App& app) { add_score_like(app, false); }
void add_batch_score_command(CLI::App& app) { add_score_like(app, true); }

void add_backtest_command(CLI::App& app) {
  struct Opts : CommonOpts {
    int folds = 4;
    int step_days = 14;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "backtest",
      "Rolling-origin evaluation: train as of each cut-off, score the leads of the next step, "
      "judge them by their outcomes as of the final date (backtest.csv, a verdict on stability)");
  add_common(cmd, *opts);
  cmd->add_option("--folds", opts->folds,
                  "Number of cut-offs (folds), at most " + std::to_string(run::kMaxBacktestFolds) +
                      " (default 4)");
  cmd->add_option("--step-days", opts->step_days,
                  "Days between cut-offs, and the length of each fold's test period, at most " +
                      std::to_string(run::kMaxBacktestStepDays) +
                      " (default 14). The last cut-off is the final date (label.as_of_date, "
                      "else the latest lead's day) minus the label window, one step and a day");
  cmd->callback([opts] {
    Progress progress(opts->quiet);
    const Config config = input_config(opts->inputs, opts->quiet);
    run::BacktestOptions bo;
    bo.run = run_options(*opts, progress);
    bo.folds = opts->folds;
    bo.step_days = opts->step_days;
    std::string verdict;
    const run::RunOutputs out = run::backtest_run(config, bo, &verdict);
    progress.finish();
    print_outputs(out, opts->quiet);
    std::cout << "verdict: " << verdict << "\n";
  });
}

}  // namespace elv::cli
