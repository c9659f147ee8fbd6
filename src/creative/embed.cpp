// embed_creatives: every row of the creative map resolved, decoded, embedded and
// thumbnailed on our own worker threads (base/parallel.h), results in row order.
#include "creative/embed.h"

#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/parallel.h"
#include "creative/codecs.h"
#include "creative/embed_parts.h"
#include "creative/opencv_threads.h"

namespace elv::creative {

namespace detail {

bool l2_normalise(std::vector<float>& v) {
  double sq = 0;
  for (float x : v) sq += static_cast<double>(x) * x;
  if (!(sq > 0) || !std::isfinite(sq)) return false;
  const double inv = 1.0 / std::sqrt(sq);
  for (float& x : v) x = static_cast<float>(x * inv);
  return true;
}

std::vector<float> embed_frames(FrameEncoder& encoder, const std::vector<cv::Mat>& frames) {
  std::vector<double> sum;
  for (size_t i = 0; i < frames.size(); ++i) {
    const cv::Mat* neighbour = frames.size() < 2 ? nullptr : &frames[i == 0 ? 1 : i - 1];
    const std::vector<float> e = encoder.embed_frame(frames[i], neighbour);
    if (sum.empty()) sum.assign(e.size(), 0.0);
    for (size_t j = 0; j < e.size(); ++j) sum[j] += e[j];
  }
  std::vector<float> mean(sum.size());
  for (size_t j = 0; j < sum.size(); ++j)
    mean[j] = static_cast<float>(sum[j] / static_cast<double>(frames.size()));
  if (!l2_normalise(mean)) throw MediaFailure("the encoder gave no usable embedding for it");
  for (float x : mean)
    if (!std::isfinite(x)) throw MediaFailure("the encoder gave no usable embedding for it");
  return mean;
}

EncoderSet make_encoders(const EncoderOptions& options, int workers) {
  if (options.kind == EncoderKind::Onnx) return make_onnx_encoders(options, workers);
  EncoderSet set;
  set.name = kBuiltinName;
  set.work = {kBuiltinSide, 0};
  for (int t = 0; t < workers; ++t) set.encoders.push_back(make_builtin_encoder());
  return set;
}

}  // namespace detail

namespace {

// JPEG bytes of the frame, its longest side at most `size` pixels.
std::string thumbnail_jpeg(const cv::Mat& frame, int size) {
  std::vector<uchar> out;
  codecs::encode_image(".jpg", detail::shrink_to(frame, {size, 0}), out,
                       {cv::IMWRITE_JPEG_QUALITY, 80});
  return std::string(out.begin(), out.end());
}

// One row's outcome: an embedded creative or the reason it was skipped.
struct RowOutcome {
  std::optional<EmbeddedCreative> creative;
  std::string problem;
};

RowOutcome embed_row(const CreativeMap& map, size_t row, const EmbedOptions& options,
                     detail::FrameEncoder& encoder, detail::WorkSize work) {
  const ResolvedMedia media = resolve_media(map, map.rows[row]);
  if (!media.problem.empty()) return {std::nullopt, media.problem};
  try {
    // The work size also leaves enough pixels for the thumbnail.
    work.longest = std::max(work.longest, options.thumbnail_size);
    const detail::DecodedMedia decoded = detail::decode_media(
        media.path, std::max(options.num_video_frames, 1), options.max_pixels, work);
    EmbeddedCreative c;
    c.row = row;
    c.media_type = decoded.type.mime;
    c.width = decoded.width;
    c.height = decoded.height;
    c.frames_used = static_cast<int>(decoded.frames.size());
    c.embedding = detail::embed_frames(encoder, decoded.frames);
    c.thumbnail_jpeg = thumbnail_jpeg(decoded.frames[0], options.thumbnail_size);
    return {std::move(c), ""};
  } catch (const detail::MediaFailure& e) {
    return {std::nullopt, e.what()};
  } catch (const cv::Exception& e) {
    return {std::nullopt, "cannot decode or embed it (OpenCV: " + e.err + ")"};
  }
}

}  // namespace

EmbedResult embed_creatives(const CreativeMap& map, const EmbedOptions& options,
                            const std::function<void(double)>& progress) {
  detail::single_threaded_opencv();
  const size_t n = map.rows.size();
  const int workers = static_cast<int>(std::clamp<size_t>(
      static_cast<size_t>(resolve_threads(options.threads)), 1, std::max<size_t>(n, 1)));
  detail::EncoderSet set = detail::make_encoders(options.encoder, workers);

  std::vector<RowOutcome> outcomes(n);
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  size_t done = 0;
  // Rows are taken one at a time from a shared counter: a video costs far more than a
  // picture, so a static split would leave a thread idle.
  run_workers(workers, [&](int t) {
    for (size_t row = next++; row < n; row = next++) {
      outcomes[row] = embed_row(map, row, options, *set.encoders[static_cast<size_t>(t)], set.work);
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        progress(static_cast<double>(++done) / static_cast<double>(n));
      }
    }
  });

  EmbedResult result;
  result.encoder = set.name;
  for (size_t row = 0; row < n; ++row) {
    auto& o = outcomes[row];
    if (o.creative && result.dimension == 0) result.dimension = o.creative->embedding.size();
    if (o.creative && o.creative->embedding.size() != result.dimension)
      o = {std::nullopt, "the encoder gave an embedding of another length for it"};
    if (o.creative)
      result.creatives.push_back(std::move(*o.creative));
    else
      result.problems.push_back({row, std::move(o.problem)});
  }
  if (result.dimension == 0 && options.encoder.kind == EncoderKind::Builtin)
    result.dimension = detail::kBuiltinDimension;
  return result;
}

}  // namespace elv::creative
