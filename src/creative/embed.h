// From media files to embeddings (docs/CREATIVES.md, "Encoders"): each creative's picture,
// or a few frames of its video, decoded with OpenCV and turned into one L2-normalised
// vector by the builtin descriptor or an ONNX image encoder.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "creative/creative_map.h"

namespace elv::creative {

enum class EncoderKind { Builtin, Onnx };

struct EncoderOptions {
  EncoderKind kind = EncoderKind::Builtin;
  std::string onnx_model;       // --onnx-model (Onnx only)
  std::string onnx_preprocess;  // JSON of the model's preprocessing; "" = the model's path
                                // with ".onnx" replaced by ".json"
};

struct EmbedOptions {
  EncoderOptions encoder;
  int num_video_frames = 4;         // frames evenly spaced over a clip, embeddings mean-pooled
  int threads = 0;                  // 0 = all cores
  int64_t max_pixels = 40'000'000;  // larger pictures are refused before decoding (bombs)
  int thumbnail_size = 160;         // longest side of each stored thumbnail, in pixels
};

struct EmbeddedCreative {
  size_t row = 0;                // index into CreativeMap::rows
  std::string media_type;        // MIME type told from the bytes: "image/png", "video/mp4", ...
  int width = 0, height = 0;     // of the picture, or of the video's frames
  int frames_used = 0;           // 1 for a picture
  std::vector<float> embedding;  // EmbedResult::dimension values, L2 norm 1
  std::string thumbnail_jpeg;    // JPEG bytes of the picture (or first sampled frame)
};

// A row that was skipped, and why, in words a marketer can act on.
struct MediaProblem {
  size_t row = 0;  // index into CreativeMap::rows
  std::string reason;
};

struct EmbedResult {
  std::string encoder;  // "builtin-v1", or "onnx:<model file name>"
  size_t dimension = 0;
  std::vector<EmbeddedCreative> creatives;  // in row order, one per decodable row
  std::vector<MediaProblem> problems;       // in row order
};

// Embeds every row of the map on options.threads threads; a row whose file is missing,
// outside the media folder, of an unknown type, undecodable, empty (a video with no frame)
// or above max_pixels becomes a MediaProblem. Throws elv::Error only when the encoder
// cannot be set up (ONNX model or preprocessing file missing or invalid); an empty
// `creatives` is for the caller to refuse. progress gets the fraction of rows done; it is
// called under a lock, one call at a time, from whichever worker thread finished a row.
EmbedResult embed_creatives(const CreativeMap& map, const EmbedOptions& options,
                            const std::function<void(double)>& progress = {});

}  // namespace elv::creative
