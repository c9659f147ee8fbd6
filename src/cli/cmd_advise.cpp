// elv advise --run-dir R --offer TEXT: suggestions from Google's Gemini API for a finished
// run (advisor/advisor.h, docs/ADVISOR.md). The answer goes to stdout as Markdown; --save
// also keeps it in the run folder; --dry-run shows the request and sends nothing.
#include <iostream>
#include <memory>

#include "advisor/advisor.h"
#include "base/error.h"
#include "base/progress.h"
#include "cli/commands.h"
#include "run/overwrite_check.h"

namespace elv::cli {

void add_advise_command(CLI::App& app) {
  struct Options {
    std::string run_dir, media, model;
    advisor::AdviceRequest request;
    bool save = false, dry_run = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "advise",
      "Ask Google's Gemini API for audience, creative and experiment suggestions from a run's "
      "aggregates (never its leads); needs GEMINI_API_KEY");
  cmd->add_option("--run-dir", o->run_dir, "Run folder of a train, score or demo run")->required();
  cmd->add_option("--offer", o->request.offer, "What the campaign sells, in a sentence")
      ->required();
  cmd->add_option("--audience", o->request.audience, "Who it is meant for (optional)");
  cmd->add_option("--media", o->media,
                  "A creative to comment on: PNG, JPEG or WebP image (at most 15 MB) or MP4, MOV "
                  "or WebM video (at most 50 MB)");
  cmd->add_option(
      "--model", o->model,
      std::string("Gemini model (default: $GEMINI_MODEL, else ") + advisor::kDefaultModel + ")");
  cmd->add_option("--endpoint", o->request.endpoint,
                  "Base URL of the API, for a proxy or a test server")
      ->capture_default_str();
  cmd->add_option("--timeout", o->request.timeout_seconds,
                  "Seconds to wait for each answer, and for an uploaded video to be ready")
      ->capture_default_str();
  cmd->add_flag("--save", o->save, "Also write advice.md and advice.json into the run folder");
  cmd->add_flag("--dry-run", o->dry_run,
                "Print the request that would be sent (media as type and size) and send nothing");
  cmd->add_flag("--quiet", o->quiet, "No progress or stage times on stderr");
  cmd->callback([o] {
    advisor::AdviceRequest& req = o->request;
    req.model = advisor::resolve_model(o->model);
    if (!o->media.empty()) req.media = o->media;
    std::error_code ec;
    if (!std::filesystem::is_directory(o->run_dir, ec))
      throw Error("run folder not found", o->run_dir);
    if (o->dry_run) {
      std::cout << advisor::request_preview(o->run_dir, req);
      return;
    }
    // advice.md and advice.json go only into a folder elv wrote as a run.
    if (o->save && !run::is_elv_metadata(run::read_metadata(o->run_dir)))
      throw Error(
          "not an elv run folder (no metadata.json written by elv), so --save writes "
          "nothing; give a run folder such as runs/<run id>",
          o->run_dir);
    const std::optional<std::string> key = advisor::key_from_environment();
    if (!key)
      throw Error(
          "no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY); docs/ADVISOR.md "
          "says how to get one, and --dry-run shows the request without one");
    req.api_key = *key;
    Progress progress(o->quiet);
    const advisor::Advice advice = advisor::advise(o->run_dir, req, &progress);
    progress.finish();
    std::cout << advice.markdown;
    if (!advice.markdown.empty() && advice.markdown.back() != '\n') std::cout << "\n";
    if (o->save) {
      const bool report_rebuilt = advisor::save_advice(o->run_dir, advice);
      const std::filesystem::path dir(o->run_dir);
      std::cerr << "saved: " << (dir / advisor::kAdviceMarkdown).string() << ", "
                << (dir / advisor::kAdviceRecord).string() << "\n";
      if (report_rebuilt) std::cerr << "updated: " << (dir / "report.html").string() << "\n";
    }
  });
}

}  // namespace elv::cli
