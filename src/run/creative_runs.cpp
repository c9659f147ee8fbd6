#include "run/creative_runs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/format.h"
#include "creative/contact_sheet.h"
#include "creative/creative_files.h"
#include "creative/npz.h"
#include "creative/similarity.h"
#include "io/csv_writer.h"
#include "io/files.h"
#include "report/html.h"
#include "report/run_kind.h"
#include "run/artifacts.h"
#include "run/creative_summary.h"
#include "run/run_folder.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

namespace {

using creative::CreativeMap;
using creative::EmbedResult;

// How many unreadable rows the refusal names before "and N more".
constexpr size_t kReasonsShown = 3;

std::string row_label(const CreativeMap& map, size_t row) {
  const auto& r = map.rows[row];
  return fs::path(map.csv_path).filename().string() + ":" + std::to_string(r.line) + ": ad " +
         r.ad_id;
}

[[noreturn]] void refuse_nothing_read(const CreativeMap& map, const EmbedResult& embedded) {
  std::string reasons;
  for (size_t i = 0; i < embedded.problems.size() && i < kReasonsShown; ++i) {
    const auto& p = embedded.problems[i];
    reasons += (i ? "; " : "") + std::string("line ") + std::to_string(map.rows[p.row].line) +
               " (ad " + map.rows[p.row].ad_id + "): " + p.reason;
  }
  if (embedded.problems.size() > kReasonsShown)
    reasons += "; and " + std::to_string(embedded.problems.size() - kReasonsShown) + " more";
  throw Error("none of the " + std::to_string(map.rows.size()) + " creatives could be read: " +
                  reasons + "; nothing was written — check the media paths and --media-dir",
              map.csv_path);
}

std::string six_decimals(float s) { return fixed(static_cast<double>(s), 6); }

void write_neighbors(const std::string& path, const CreativeMap& map, const EmbedResult& e,
                     const std::vector<std::vector<creative::Neighbor>>& neighbors) {
  csv::Writer out(path);
  out.field("ad_id").field("neighbor_ad_id").field("rank").field("similarity").end_row();
  for (size_t i = 0; i < e.creatives.size(); ++i)
    for (size_t r = 0; r < neighbors[i].size(); ++r) {
      const auto& n = neighbors[i][r];
      out.field(map.rows[e.creatives[i].row].ad_id)
          .field(map.rows[e.creatives[n.index].row].ad_id)
          .field(static_cast<int64_t>(r + 1))
          .field(six_decimals(n.similarity))
          .end_row();
    }
  out.close();
}

void write_clusters(const std::string& path, const CreativeMap& map, const EmbedResult& e,
                    const creative::Clustering& c) {
  csv::Writer out(path);
  out.field("ad_id").field("cluster_id").field("distance_to_centroid").end_row();
  for (size_t i = 0; i < e.creatives.size(); ++i)
    out.field(map.rows[e.creatives[i].row].ad_id)
        .field(c.cluster[i])
        .field(six_decimals(c.distance_to_centroid[i]))
        .end_row();
  out.close();
}

std::string thumbnail_name(size_t k) {
  return std::string(creative::kThumbnailsFolder) + "/" + std::to_string(k) + ".jpg";
}

void write_assets(const RunFolder& run, const CreativeMap& map, const EmbedResult& e,
                  const creative::Clustering& c) {
  fs::create_directories(run.file(creative::kThumbnailsFolder));
  csv::Writer out(run.file(creative::kAssetsFile));
  for (const char* name : {"ad_id", "media_path", "media_type", "cluster_id", "frames_used",
                           "width", "height", "thumbnail"})
    out.field(name);
  out.end_row();
  for (size_t i = 0; i < e.creatives.size(); ++i) {
    const auto& x = e.creatives[i];
    const auto& row = map.rows[x.row];
    io::write_file_atomically(run.file(thumbnail_name(i)), x.thumbnail_jpeg);
    out.field(row.ad_id).field(row.media_path).field(x.media_type).field(c.cluster[i]);
    out.field(x.frames_used).field(x.width).field(x.height).field(thumbnail_name(i)).end_row();
  }
  out.close();
}

void write_errors(const std::string& path, const CreativeMap& map, const EmbedResult& e) {
  csv::Writer out(path);
  out.field("line").field("ad_id").field("media_path").field("reason").end_row();
  for (const auto& p : e.problems) {
    const auto& row = map.rows[p.row];
    out.field(row.line).field(row.ad_id).field(row.media_path).field(p.reason).end_row();
  }
  out.close();
}

// Rows of the contact sheet: by ELV per spend when the summary has it (clusters without
// spend last, then by predicted ELV), else by size (cluster id order).
std::vector<creative::ContactSheetRow> sheet_rows(const EmbedResult& e,
                                                  const creative::Clustering& c,
                                                  const detail::ClusterSummary* summary) {
  std::vector<size_t> order(c.k);
  std::iota(order.begin(), order.end(), 0);
  if (summary) {
    const auto& rows = summary->rows;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const double x = rows[a].elv_per_spend, y = rows[b].elv_per_spend;
      if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
      if (!std::isnan(x) && x != y) return x > y;
      return rows[a].predicted_elv > rows[b].predicted_elv;
    });
  }
  std::vector<creative::ContactSheetRow> out;
  for (size_t m : order) {
    creative::ContactSheetRow row;
    size_t size = 0;
    for (size_t i = 0; i < e.creatives.size(); ++i)
      if (static_cast<size_t>(c.cluster[i]) == m) {
        ++size;
        row.thumbnails_jpeg.push_back(&e.creatives[i].thumbnail_jpeg);
      }
    row.label = "Cluster " + std::to_string(m) + " - " + std::to_string(size) +
                (size == 1 ? " creative" : " creatives");
    if (summary) {
      const auto& s = summary->rows[m];
      row.label +=
          " - " + std::to_string(s.leads) + " leads - predicted ELV " + fixed(s.predicted_elv, 1);
      row.label += std::isnan(s.elv_per_spend) ? std::string(" - ELV per spend n/a")
                                               : " - ELV per spend " + fixed(s.elv_per_spend, 2);
      if (s.low_volume) row.label += " (low volume)";
    }
    out.push_back(std::move(row));
  }
  return out;
}

json encoder_options_json(const creative::EmbedOptions& o) {
  const bool onnx = o.encoder.kind == creative::EncoderKind::Onnx;
  return {{"encoder", onnx ? "onnx" : "builtin"},
          {"onnx_model", onnx ? json(o.encoder.onnx_model) : json(nullptr)},
          {"onnx_preprocess", onnx && !o.encoder.onnx_preprocess.empty()
                                  ? json(o.encoder.onnx_preprocess)
                                  : json(nullptr)},
          {"num_video_frames", o.num_video_frames},
          {"max_pixels", o.max_pixels},
          {"thumbnail_size", o.thumbnail_size}};
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

CreativeRunResult creative_analyze(const CreativeRunOptions& options, Progress* progress) {
  (void)now_seconds();  // a bad SOURCE_DATE_EPOCH fails before any work
  if (options.neighbors < 1) throw UsageError("--neighbors must be at least 1");
  if (options.clusters < 1) throw UsageError("--clusters must be at least 1");
  const bool with_run = !options.run_dir.empty();
  if (with_run) detail::require_predictions(options.run_dir);

  // Default folder: <run_dir>/creatives, replaced when an earlier analysis (elv's) is there.
  std::string out_dir = options.out_dir;
  bool overwrite = options.overwrite;
  const bool into_run = with_run && out_dir.empty();
  if (into_run) {
    out_dir = (fs::path(options.run_dir) / creative::kCreativesFolder).string();
    overwrite = true;
  }
  std::vector<KeptPath> kept = {{"the --creative-map", options.creative_map}};
  if (!options.media_dir.empty()) kept.push_back({"the --media-dir", options.media_dir});
  if (with_run)
    kept.push_back({"the --run-dir's predictions.csv",
                    (fs::path(options.run_dir) / "predictions.csv").string()});
  RunFolder::check_out_dir(out_dir, overwrite, kept);

  stage(progress, "read creative map");
  const CreativeMap map = creative::read_creative_map(options.creative_map, options.media_dir);
  stage(progress, "embed creatives");
  const EmbedResult embedded =
      creative::embed_creatives(map, options.embed, fraction_callback(progress));
  if (embedded.creatives.empty()) refuse_nothing_read(map, embedded);

  CreativeRunResult result;
  for (const auto& p : embedded.problems)
    result.warnings.push_back(row_label(map, p.row) + ": " + p.reason + " — skipped");

  creative::Embeddings e;
  e.n = embedded.creatives.size();
  e.d = embedded.dimension;
  e.values.reserve(e.n * e.d);
  std::vector<std::string> ad_ids;
  for (const auto& c : embedded.creatives) {
    if (c.embedding.size() != e.d) throw Error("internal: an embedding of the wrong dimension");
    e.values.insert(e.values.end(), c.embedding.begin(), c.embedding.end());
    ad_ids.push_back(map.rows[c.row].ad_id);
  }
  stage(progress, "neighbours");
  const auto neighbors = creative::nearest_neighbors(e, options.neighbors, options.embed.threads);
  stage(progress, "clusters");
  creative::KMeansOptions km;
  km.k = std::min(options.clusters, e.n);
  km.seed = options.seed;
  km.threads = options.embed.threads;
  const creative::Clustering clusters = creative::kmeans(e, km);

  std::optional<detail::ClusterSummary> summary;
  if (with_run) {
    stage(progress, "cluster summary");
    summary = detail::summarise_clusters(options.run_dir, ad_ids, clusters.cluster, clusters.k,
                                         options.embed.threads);
    for (const auto& w : summary->warnings) result.warnings.push_back(w);
  }

  stage(progress, "write creative artifacts");
  RunFolder run = RunFolder::create(out_dir, overwrite, options.runs_root, kept);
  creative::write_embeddings_npz(run.file(creative::kEmbeddingsFile), ad_ids, e);
  write_neighbors(run.file(creative::kNeighborsFile), map, embedded, neighbors);
  write_clusters(run.file(creative::kClustersFile), map, embedded, clusters);
  write_assets(run, map, embedded, clusters);
  write_errors(run.file(creative::kErrorsFile), map, embedded);
  if (summary) detail::write_cluster_summary_csv(*summary, run.file(creative::kClusterSummaryFile));
  io::write_file_atomically(
      run.file(creative::kContactSheetFile),
      creative::contact_sheet_png(sheet_rows(embedded, clusters, summary ? &*summary : nullptr)));

  json meta = {{"run_id", run.id()},
               {"run_kind", report::run_kind_name(report::RunKind::kCreativeAnalyze)},
               {"command", options.command_line},
               {"elv_version", ELV_VERSION},
               {"created_at_utc", utc_now()},
               {"encoder", embedded.encoder},
               {"dimension", embedded.dimension},
               {"options", encoder_options_json(options.embed)},
               {"inputs",
                {{"creative_map", fs::absolute(options.creative_map).lexically_normal().string()},
                 {"media_dir", map.media_root}}},
               {"counts",
                {{"rows", map.rows.size()},
                 {"analysed", embedded.creatives.size()},
                 {"skipped", embedded.problems.size()},
                 {"clusters", clusters.k},
                 {"inertia", clusters.inertia}}},
               {"source_run", nullptr},
               {"warnings", result.warnings}};
  meta["options"].update(
      {{"neighbors", options.neighbors}, {"clusters", options.clusters}, {"seed", options.seed}});
  if (summary) {
    meta["source_run"] = summary->source;
    meta["summary"] = {
        {"leads_counted", summary->leads_counted},
        {"leads_without_creative", summary->leads_without_creative},
        {"min_segment_leads", summary->min_segment_leads},
        {"spend_source",
         summary->spend_source.empty() ? json(nullptr) : json(summary->spend_source)},
        {"currency", summary->currency.empty() ? json(nullptr) : json(summary->currency)}};
  }
  io::write_file_atomically(run.file("metadata.json"), meta.dump(2) + "\n");
  const RunOutputs written = finish(run, {}, RunOptions{});

  result.out_dir = written.run_dir;
  result.analysed = embedded.creatives.size();
  result.skipped = embedded.problems.size();
  result.clusters = clusters.k;
  // The run's report.html shows the Creatives section once rebuilt, as advise --save does.
  if (into_run ||
      (with_run && same_folder(fs::path(result.out_dir),
                               fs::path(options.run_dir) / creative::kCreativesFolder))) {
    const fs::path report = fs::path(options.run_dir) / "report.html";
    if (fs::is_regular_file(report)) {
      stage(progress, "rebuild report.html");
      report::write_report(options.run_dir);
      result.report_rebuilt = true;
    }
  }
  return result;
}

}  // namespace elv::run
