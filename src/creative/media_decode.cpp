// From a media file to a few 8-bit BGR frames, with OpenCV: imgcodecs for pictures,
// videoio's FFmpeg backend for GIFs (their first frame) and videos, both through
// creative/codecs.h. Every refusal is a
// MediaFailure whose words end up in creative_errors.csv.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "base/format.h"
#include "creative/codecs.h"
#include "creative/embed_parts.h"

namespace elv::creative::detail {

namespace {

// Pictures are read whole into memory (their header is checked on the same bytes that are
// decoded); a picture file beyond this is refused rather than read.
constexpr uintmax_t kMaxPictureFileBytes = 256ull * 1024 * 1024;
// Counting a clip's frames by reading it through stops here (an hour at 30 frames/s): ads
// are short, and a longer file is sampled over its first hour.
constexpr int64_t kMaxCountedFrames = 108'000;

std::string with_article(const std::string& label) {
  return (label.rfind("MP4", 0) == 0 || label.rfind("MKV", 0) == 0 ? "an " : "a ") + label;
}

std::string damaged(const char* what, const io::MediaType& type) {
  return std::string("cannot decode the ") + what + ": the file is damaged or not " +
         with_article(io::media_type_label(type.mime));
}

std::string megapixels(int64_t pixels) { return fixed(static_cast<double>(pixels) / 1e6, 1); }

void check_pixels(const char* what, int64_t width, int64_t height, int64_t max_pixels) {
  if (width * height <= max_pixels) return;
  throw MediaFailure(std::string("the ") + what + " is " + std::to_string(width) + "x" +
                     std::to_string(height) + " pixels (" + megapixels(width * height) +
                     " megapixels), over the limit of " + megapixels(max_pixels) +
                     " megapixels; use a smaller version of it");
}

std::string read_picture_bytes(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw MediaFailure("cannot read the file (" + ec.message() + ")");
  if (size > kMaxPictureFileBytes)
    throw MediaFailure("the picture file is over " +
                       std::to_string(kMaxPictureFileBytes / (1024 * 1024)) +
                       " MB; use a smaller version of it");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw MediaFailure("cannot read the file");
  return std::move(bytes).str();
}

// The largest libjpeg reduction (1/2, 1/4, 1/8 while decoding, much faster than decoding
// in full and shrinking) that keeps the picture at or above the work size.
int jpeg_reduced_flag(int64_t width, int64_t height, WorkSize ws) {
  const int64_t longest = std::max(width, height), shorter = std::min(width, height);
  for (auto [factor, flag] :
       {std::pair{8, cv::IMREAD_REDUCED_COLOR_8}, std::pair{4, cv::IMREAD_REDUCED_COLOR_4},
        std::pair{2, cv::IMREAD_REDUCED_COLOR_2}}) {
    if ((longest + factor - 1) / factor >= ws.longest &&
        (shorter + factor - 1) / factor >= ws.shorter)
      return flag;
  }
  return cv::IMREAD_COLOR;
}

DecodedMedia decode_picture(const std::string& path, const io::MediaType& type, int64_t max_pixels,
                            WorkSize ws) {
  const std::string bytes = read_picture_bytes(path);
  const auto size = io::picture_dimensions(bytes);
  if (!size) throw MediaFailure(damaged("picture", type));
  // Before any decoding: the header's claim is what a decompression bomb inflates to.
  check_pixels("picture", size->width, size->height, max_pixels);
  cv::Mat image;
  if (type.mime == "image/gif") {  // imgcodecs has no GIF reader in OpenCV 4.6
    codecs::Video video(path);
    if (video.is_open()) video.read(image);
  } else {
    const int flags = type.mime == "image/jpeg" ? jpeg_reduced_flag(size->width, size->height, ws)
                                                : cv::IMREAD_COLOR;
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    image = codecs::decode_image(raw, flags);
  }
  if (image.empty() || image.type() != CV_8UC3) throw MediaFailure(damaged("picture", type));
  // Belt and braces: a decoder that grew the picture beyond its header's claim.
  check_pixels("picture", image.cols, image.rows, max_pixels);
  DecodedMedia out;
  out.type = type;
  out.width = static_cast<int>(size->width);
  out.height = static_cast<int>(size->height);
  out.frames.push_back(shrink_to(image, ws));
  return out;
}

codecs::Video open_video(const std::string& path, const io::MediaType& type) {
  codecs::Video video(path);
  if (!video.is_open()) throw MediaFailure(damaged("video", type));
  return video;
}

int64_t count_frames(const std::string& path, const io::MediaType& type) {
  auto cap = open_video(path, type);
  int64_t n = 0;
  while (n < kMaxCountedFrames && cap.grab()) ++n;
  return n;
}

// Reads the clip through, keeping the frames at `positions` (increasing). Decoding every
// frame in order costs little more than seeking (which decodes from the previous key frame
// anyway) and gives exactly the frames asked for, whatever the container's timestamps.
std::vector<cv::Mat> frames_at(const std::string& path, const io::MediaType& type,
                               const std::vector<int64_t>& positions, WorkSize ws) {
  auto cap = open_video(path, type);
  std::vector<cv::Mat> frames;
  int64_t at = 0;
  cv::Mat frame;
  for (int64_t wanted : positions) {
    while (at < wanted && cap.grab()) ++at;
    if (at < wanted || !cap.read(frame) || frame.empty()) break;
    ++at;
    // The capture decodes the next frame into the same buffer: keep a copy of this one.
    cv::Mat kept = shrink_to(frame, ws);
    frames.push_back(kept.data == frame.data ? kept.clone() : kept);
  }
  return frames;
}

DecodedMedia decode_video(const std::string& path, const io::MediaType& type, int k,
                          int64_t max_pixels, WorkSize ws) {
  DecodedMedia out;
  out.type = type;
  {
    auto cap = open_video(path, type);
    out.width = static_cast<int>(cap.get(cv::CAP_PROP_FRAME_WIDTH));
    out.height = static_cast<int>(cap.get(cv::CAP_PROP_FRAME_HEIGHT));
  }
  check_pixels("video's frame", out.width, out.height, max_pixels);
  // MP4 and MOV index their frames; WebM and Matroska often do not, and OpenCV then
  // estimates the count from the duration, so those are counted by reading them through.
  const bool indexed = type.mime == "video/mp4" || type.mime == "video/quicktime";
  int64_t count = 0;
  if (indexed) {
    auto cap = open_video(path, type);
    count = static_cast<int64_t>(cap.get(cv::CAP_PROP_FRAME_COUNT));
  }
  if (count <= 0) count = count_frames(path, type);
  out.frames = frames_at(path, type, sample_positions(count, k), ws);
  if (out.frames.size() < sample_positions(count, k).size() && indexed) {
    // The index promised more frames than the stream holds: count them for real.
    count = count_frames(path, type);
    out.frames = frames_at(path, type, sample_positions(count, k), ws);
  }
  if (out.frames.empty()) throw MediaFailure("video has no frames");
  if (out.width <= 0 || out.height <= 0) {
    out.width = out.frames[0].cols;
    out.height = out.frames[0].rows;
  }
  return out;
}

}  // namespace

cv::Mat shrink_to(const cv::Mat& bgr, WorkSize ws) {
  const int longest = std::max(bgr.cols, bgr.rows), shorter = std::min(bgr.cols, bgr.rows);
  if (longest <= 0) return bgr;
  const double f = std::max(static_cast<double>(ws.longest) / longest,
                            static_cast<double>(ws.shorter) / shorter);
  if (f >= 1.0) return bgr;
  const cv::Size size(std::max(1, static_cast<int>(std::lround(bgr.cols * f))),
                      std::max(1, static_cast<int>(std::lround(bgr.rows * f))));
  cv::Mat out;
  cv::resize(bgr, out, size, 0, 0, cv::INTER_AREA);
  return out;
}

std::vector<int64_t> sample_positions(int64_t frame_count, int k) {
  std::vector<int64_t> out;
  const int64_t parts = std::min<int64_t>(std::max(k, 1), frame_count);
  for (int64_t i = 0; i < parts; ++i) out.push_back((2 * i + 1) * frame_count / (2 * parts));
  return out;
}

DecodedMedia decode_media(const std::string& path, int num_video_frames, int64_t max_pixels,
                          WorkSize ws) {
  std::string head;
  try {
    head = io::read_media_head(path);
  } catch (const std::exception&) {
    throw MediaFailure("cannot read the file");
  }
  if (head.empty()) throw MediaFailure("the file is empty");
  const auto type = io::sniff_media_type(head);
  if (!type)
    throw MediaFailure(
        "not a picture or video elv reads (PNG, JPEG, WebP, BMP, GIF; MP4, MOV, WebM, MKV), "
        "told from its content, not its name");
  try {
    if (type->kind == io::MediaKind::Image) return decode_picture(path, *type, max_pixels, ws);
    return decode_video(path, *type, num_video_frames, max_pixels, ws);
  } catch (const cv::Exception& e) {
    throw MediaFailure(damaged(type->kind == io::MediaKind::Image ? "picture" : "video", *type) +
                       " (OpenCV: " + e.err + ")");
  }
}

}  // namespace elv::creative::detail
