// elv creative-analyze: a thin wrapper over run::creative_analyze (docs/CREATIVES.md).
#include <filesystem>
#include <iostream>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "run/creative_runs.h"

namespace elv::cli {

namespace {

// Bounds that keep a typo from asking for hours of work: a thousand neighbours or clusters
// is already more than a person can look at.
constexpr size_t kMaxNeighbors = 1000, kMaxClusters = 1000;
constexpr int kMaxVideoFrames = 64;

void check_options(const run::CreativeRunOptions& o, const std::string& encoder) {
  if (o.neighbors < 1 || o.neighbors > kMaxNeighbors)
    throw UsageError("--neighbors must be between 1 and " + std::to_string(kMaxNeighbors) +
                     "; got " + std::to_string(o.neighbors));
  if (o.clusters < 1 || o.clusters > kMaxClusters)
    throw UsageError("--clusters must be between 1 and " + std::to_string(kMaxClusters) + "; got " +
                     std::to_string(o.clusters));
  if (o.embed.num_video_frames < 1 || o.embed.num_video_frames > kMaxVideoFrames)
    throw UsageError("--num-video-frames must be between 1 and " + std::to_string(kMaxVideoFrames) +
                     "; got " + std::to_string(o.embed.num_video_frames));
  if (o.embed.threads < 0)
    throw UsageError("--threads must be 0 (all cores) or more; got " +
                     std::to_string(o.embed.threads));
  if (encoder == "onnx" && o.embed.encoder.onnx_model.empty())
    throw UsageError(
        "--encoder onnx needs --onnx-model M.onnx (an image encoder exported to "
        "ONNX; docs/CREATIVES.md)");
  if (encoder != "onnx" &&
      (!o.embed.encoder.onnx_model.empty() || !o.embed.encoder.onnx_preprocess.empty()))
    throw UsageError("--onnx-model and --onnx-preprocess go with --encoder onnx");
}

}  // namespace

void add_creative_analyze_command(CLI::App& app) {
  struct Opts {
    run::CreativeRunOptions run;
    std::string encoder = "builtin";
    bool quiet = false;
  };
  auto opts = std::make_shared<Opts>();
  auto& o = opts->run;
  CLI::App* cmd = app.add_subcommand(
      "creative-analyze",
      "Embed each ad's picture or video, find look-alike creatives, cluster them and, with "
      "--run-dir, say what each cluster earns");
  cmd->add_option("--creative-map", o.creative_map,
                  "creative_media.csv: ad_id, media_path (and optionally creative_type)")
      ->required();
  cmd->add_option("--media-dir", o.media_dir,
                  "Folder the media paths are relative to, and must stay inside (default: the "
                  "map's folder)");
  cmd->add_option("--run-dir", o.run_dir,
                  "A train or score run (with predictions.csv): adds "
                  "creative_cluster_summary.csv and writes into <run-dir>/creatives by default");
  cmd->add_option("--out-dir", o.out_dir,
                  "Folder to write (default <run-dir>/creatives, else runs/<run id>)");
  cmd->add_flag("--overwrite", o.overwrite, kOverwriteHelp);
  cmd->add_option("--neighbors", o.neighbors, "Nearest neighbours listed per creative")
      ->default_val(10);
  cmd->add_option("--clusters", o.clusters, "Clusters (k-means; capped at the creatives read)")
      ->default_val(12);
  cmd->add_option("--num-video-frames", o.embed.num_video_frames,
                  "Frames sampled evenly over each video, their embeddings averaged")
      ->default_val(4);
  cmd->add_option("--encoder", opts->encoder, "builtin (no weights) or onnx (--onnx-model)")
      ->check(CLI::IsMember({"builtin", "onnx"}))
      ->default_val("builtin");
  cmd->add_option("--onnx-model", o.embed.encoder.onnx_model,
                  "An image encoder exported to ONNX (with --encoder onnx)");
  cmd->add_option("--onnx-preprocess", o.embed.encoder.onnx_preprocess,
                  "Its preprocessing JSON (default: the model's path with .json for .onnx)");
  cmd->add_option("--seed", o.seed, "Seed of the k-means++ starts")->default_val(7);
  cmd->add_option("--threads", o.embed.threads, "Worker threads (default: all cores)");
  cmd->add_flag("--quiet", opts->quiet,
                "No progress or warnings on stderr (skipped rows stay in creative_errors.csv)");
  cmd->callback([opts] {
    run::CreativeRunOptions& options = opts->run;
    check_options(options, opts->encoder);
    options.embed.encoder.kind =
        opts->encoder == "onnx" ? creative::EncoderKind::Onnx : creative::EncoderKind::Builtin;
    options.command_line = recorded_command_line();
    Progress progress(opts->quiet);
    const run::CreativeRunResult result = run::creative_analyze(options, &progress);
    progress.finish();
    if (!opts->quiet)
      for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
    std::cout << "run: " << result.out_dir << "\n"
              << "creatives: " << result.analysed << " analysed, " << result.skipped << " skipped, "
              << result.clusters << " clusters\n";
    if (result.report_rebuilt)
      std::cout << "rebuilt: " << (std::filesystem::path(options.run_dir) / "report.html").string()
                << "\n";
  });
}

}  // namespace elv::cli
