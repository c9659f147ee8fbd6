// Internal to creative/: the pieces embed.cpp puts together. Decoding (media_decode.cpp),
// the builtin descriptor (builtin_encoder.cpp) and the ONNX encoder (onnx_encoder.cpp).
// OpenCV types appear here and in the .cpp files only, never in the module's public headers.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "creative/embed.h"
#include "io/media_type.h"

namespace elv::creative::detail {

// Why one row cannot be embedded, in a marketer's words (becomes a MediaProblem).
class MediaFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How small a decoded frame may be shrunk before the encoder sees it: the longest side
// at least `longest`, the shorter side at least `shorter` (0: no bound). Frames are never
// enlarged.
struct WorkSize {
  int longest = 0;
  int shorter = 0;
};
// The frame shrunk with INTER_AREA to the smallest size that still meets ws (itself when
// already small enough).
cv::Mat shrink_to(const cv::Mat& bgr, WorkSize ws);

struct DecodedMedia {
  io::MediaType type;
  int width = 0, height = 0;    // of the original picture or video frames
  std::vector<cv::Mat> frames;  // 8-bit BGR, shrunk to the work size; 1 for a picture
};

// Decodes a picture (its first frame for a GIF) or `num_video_frames` frames of a video,
// evenly spaced (sample_positions). Throws MediaFailure for a file of an unknown type,
// empty, damaged, above max_pixels (pictures: told from the header, before decoding) or a
// video without a decodable frame.
DecodedMedia decode_media(const std::string& path, int num_video_frames, int64_t max_pixels,
                          WorkSize ws);

// The 0-based frame numbers sampled from a clip of frame_count frames: the middles of k
// equal parts, so the first and last (often black or a fade) are avoided. At most
// frame_count, increasing, no repeats.
std::vector<int64_t> sample_positions(int64_t frame_count, int k);

// One encoder per worker thread (an ONNX net is not thread-safe).
class FrameEncoder {
 public:
  virtual ~FrameEncoder() = default;
  // The L2-normalised embedding of one frame. `neighbour` is another sampled frame of the
  // same clip (the previous one; the next for the first), nullptr for a picture.
  virtual std::vector<float> embed_frame(const cv::Mat& bgr, const cv::Mat* neighbour) = 0;
};

// The encoders of one call: a name for EmbedResult::encoder, the work size its frames need
// and `workers` independent encoders. Throws elv::Error when the encoder cannot be set up.
struct EncoderSet {
  std::string name;
  WorkSize work;
  std::vector<std::unique_ptr<FrameEncoder>> encoders;
};
EncoderSet make_encoders(const EncoderOptions& options, int workers);

// A clip's (or picture's) embedding: the L2-normalised mean of its frames' embeddings.
std::vector<float> embed_frames(FrameEncoder& encoder, const std::vector<cv::Mat>& frames);

// Scales v to L2 norm 1 in place; false (v unchanged) when its norm is 0 or not finite.
bool l2_normalise(std::vector<float>& v);

// ---- builtin-v1 (builtin_encoder.cpp) ----
inline constexpr const char* kBuiltinName = "builtin-v1";
// The side, in pixels, the descriptor measures every frame at (longest side).
inline constexpr int kBuiltinSide = 160;
inline constexpr size_t kBuiltinDimension = 293;
// The descriptor of one frame (L2 norm 1); see builtin_encoder.cpp for its blocks.
std::vector<float> builtin_descriptor(const cv::Mat& bgr, const cv::Mat* neighbour);
std::unique_ptr<FrameEncoder> make_builtin_encoder();

// ---- ONNX (onnx_encoder.cpp) ----
// The preprocessing a model expects, from its JSON file (docs/CREATIVES.md, "Encoders").
struct OnnxPreprocess {
  int input_height = 224, input_width = 224;
  bool center_crop = true;  // "shorter_side_center_crop"; false: "stretch"
  bool rgb = true;          // channel order the model takes
  double scale = 1.0 / 255.0;
  double mean[3] = {0, 0, 0};  // R, G, B, after scale
  double std[3] = {1, 1, 1};   // R, G, B
  std::string output;          // "" = the net's default output
};
// Throws elv::Error naming json_path for a missing file, bad JSON or a bad field.
OnnxPreprocess read_onnx_preprocess(const std::string& json_path);
// The NCHW float blob (1 x 3 x H x W) a frame becomes.
cv::Mat onnx_input_blob(const cv::Mat& bgr, const OnnxPreprocess& pre);
// Loads the model `workers` times (one net per thread). Throws elv::Error naming the file.
EncoderSet make_onnx_encoders(const EncoderOptions& options, int workers);

}  // namespace elv::creative::detail
