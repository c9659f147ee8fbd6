// Every media type creative analysis reads, made by the test (OpenCV's writers, Debian's
// ffmpeg): sniffed, sized from the header, decoded and embedded; a clip's embedding is the
// normalised mean of its sampled frames' descriptors, recomputed here from frames read by hand.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "creative/embed.h"
#include "creative/embed_parts.h"
#include "creative_test_util.h"
#include "io/media_type.h"

namespace elv::creative {
namespace {

using test_util::MediaDir;

cv::Mat poster(int width, int height) {
  cv::Mat m(height, width, CV_8UC3, cv::Scalar(240, 200, 40));
  cv::circle(m, {width / 3, height / 2}, height / 4, cv::Scalar(20, 40, 230), cv::FILLED);
  cv::rectangle(m, cv::Rect(width / 2, height / 4, width / 3, height / 2), cv::Scalar(30, 160, 30),
                cv::FILLED);
  return m;
}

std::string read_all(const std::string& path) { return demo::test_util::read_file(path); }

TEST(CreativeMedia, SamplePositionsAreTheMiddlesOfEqualParts) {
  EXPECT_EQ(detail::sample_positions(24, 4), (std::vector<int64_t>{3, 9, 15, 21}));
  EXPECT_EQ(detail::sample_positions(10, 1), (std::vector<int64_t>{5}));
  EXPECT_EQ(detail::sample_positions(3, 4), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(detail::sample_positions(7, 3), (std::vector<int64_t>{1, 3, 5}));
  EXPECT_TRUE(detail::sample_positions(0, 4).empty());
}

TEST(CreativeMedia, PicturesOfEveryTypeAreSniffedSizedAndDecoded) {
  MediaDir dir;
  const cv::Mat p = poster(200, 120);
  dir.write_picture("p.png", p);
  dir.write_picture("p.jpg", p);
  dir.write_picture("p.webp", p, {cv::IMWRITE_WEBP_QUALITY, 90});
  dir.write_picture("p.bmp", p);
  dir.ffmpeg("-f lavfi -i testsrc=size=200x120:rate=5 -frames:v 3", "p.gif");
  // Names lie: the type comes from the bytes.
  std::filesystem::copy_file(dir.media() / "p.jpg", dir.media() / "jpeg_named.png");

  const std::vector<std::pair<std::string, std::string>> files = {
      {"p.png", "image/png"}, {"p.jpg", "image/jpeg"}, {"p.webp", "image/webp"},
      {"p.bmp", "image/bmp"}, {"p.gif", "image/gif"},  {"jpeg_named.png", "image/jpeg"}};
  std::vector<std::string> paths;
  for (const auto& [name, mime] : files) {
    const std::string bytes = read_all(dir.at(name));
    const auto type = io::sniff_media_type(bytes.substr(0, io::kMediaSniffBytes));
    ASSERT_TRUE(type) << name;
    EXPECT_EQ(type->mime, mime) << name;
    const auto size = io::picture_dimensions(bytes);
    ASSERT_TRUE(size) << name;
    EXPECT_EQ(size->width, 200) << name;
    EXPECT_EQ(size->height, 120) << name;
    paths.push_back(name);
  }
  const EmbedResult r = embed_creatives(dir.map(paths), {});
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].reason;
  ASSERT_EQ(r.creatives.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(r.creatives[i].media_type, files[i].second);
    EXPECT_EQ(r.creatives[i].width, 200);
    EXPECT_EQ(r.creatives[i].height, 120);
    EXPECT_EQ(r.creatives[i].frames_used, 1);
  }
  // Lossless PNG, BMP and WebP-at-90 and JPEG decode to nearly the same picture.
  EXPECT_GT(test_util::cosine(r.creatives[0].embedding, r.creatives[3].embedding), 0.9999);
  EXPECT_GT(test_util::cosine(r.creatives[0].embedding, r.creatives[1].embedding), 0.98);
  EXPECT_GT(test_util::cosine(r.creatives[0].embedding, r.creatives[2].embedding), 0.98);
  // The GIF's first frame is testsrc's first frame: the same as decoding it by hand.
  cv::VideoCapture gif(dir.at("p.gif"), cv::CAP_FFMPEG);
  cv::Mat first;
  ASSERT_TRUE(gif.read(first));
  const auto by_hand =
      detail::builtin_descriptor(detail::shrink_to(first, {detail::kBuiltinSide, 0}), nullptr);
  std::vector<float> expected = by_hand;
  detail::l2_normalise(expected);
  ASSERT_EQ(r.creatives[4].embedding.size(), expected.size());
  for (size_t j = 0; j < expected.size(); ++j)
    EXPECT_NEAR(r.creatives[4].embedding[j], expected[j], 1e-6) << j;
}

// Frames [positions] of a clip, read one by one from its start.
std::vector<cv::Mat> frames_by_hand(const std::string& path, const std::vector<int64_t>& at,
                                    int64_t* count) {
  cv::VideoCapture cap(path, cv::CAP_FFMPEG);
  EXPECT_TRUE(cap.isOpened()) << path;
  std::vector<cv::Mat> all;
  for (cv::Mat f; cap.read(f);) all.push_back(f.clone());
  *count = static_cast<int64_t>(all.size());
  std::vector<cv::Mat> out;
  for (int64_t p : at)
    if (p < *count) out.push_back(all[static_cast<size_t>(p)]);
  return out;
}

TEST(CreativeMedia, ClipsEmbedAsTheMeanOfTheirSampledFrames) {
  MediaDir dir;
  // 24 frames of testsrc (moving), 160 x 120, in each container and codec.
  const std::string src = "-f lavfi -i testsrc=size=160x120:rate=12 -frames:v 24 ";
  dir.ffmpeg(src + "-c:v libx264 -pix_fmt yuv420p", "clip.mp4");
  dir.ffmpeg(src + "-c:v libx264 -pix_fmt yuv420p -f mov", "clip.mov");
  dir.ffmpeg(src + "-c:v libvpx -b:v 500k", "clip.webm");
  dir.ffmpeg(src + "-c:v libx264 -pix_fmt yuv420p", "clip.mkv");
  {  // and OpenCV's own MPEG-4 writer
    cv::VideoWriter w(dir.at("cv.mp4"), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('m', 'p', '4', 'v'),
                      12, {160, 120});
    ASSERT_TRUE(w.isOpened()) << "OpenCV cannot write mp4v";
    for (int i = 0; i < 24; ++i) {
      cv::Mat f(120, 160, CV_8UC3, cv::Scalar(40, 40, 40));
      cv::circle(f, {20 + 5 * i, 60}, 18, cv::Scalar(30, 30, 230), cv::FILLED);
      w.write(f);
    }
  }
  const std::vector<std::pair<std::string, std::string>> clips = {{"clip.mp4", "video/mp4"},
                                                                  {"clip.mov", "video/quicktime"},
                                                                  {"clip.webm", "video/webm"},
                                                                  {"clip.mkv", "video/x-matroska"},
                                                                  {"cv.mp4", "video/mp4"}};
  std::vector<std::string> paths;
  for (const auto& c : clips) paths.push_back(c.first);
  EmbedOptions options;
  options.num_video_frames = 4;
  const EmbedResult r = embed_creatives(dir.map(paths), options);
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].reason;
  ASSERT_EQ(r.creatives.size(), clips.size());

  const detail::WorkSize work{std::max(detail::kBuiltinSide, options.thumbnail_size), 0};
  for (size_t i = 0; i < clips.size(); ++i) {
    const EmbeddedCreative& c = r.creatives[i];
    SCOPED_TRACE(clips[i].first);
    EXPECT_EQ(c.media_type, clips[i].second);
    EXPECT_EQ(c.width, 160);
    EXPECT_EQ(c.height, 120);
    EXPECT_EQ(c.frames_used, 4);
    int64_t count = 0;
    const auto frames = frames_by_hand(dir.at(clips[i].first), {3, 9, 15, 21}, &count);
    EXPECT_EQ(count, 24);
    ASSERT_EQ(frames.size(), 4u);
    // Each frame's descriptor, its neighbour the previous sampled frame (the next for the
    // first), then the mean, normalised.
    std::vector<cv::Mat> shrunk;
    for (const auto& f : frames) shrunk.push_back(detail::shrink_to(f, work));
    std::vector<double> sum(detail::kBuiltinDimension, 0.0);
    double motion = 0;
    for (size_t k = 0; k < 4; ++k) {
      const auto d = detail::builtin_descriptor(shrunk[k], &shrunk[k == 0 ? 1 : k - 1]);
      for (size_t j = 0; j < d.size(); ++j) sum[j] += d[j];
      motion += d.back();  // sin(pi s / 2) of the motion measure: above 0 when it moves
    }
    EXPECT_GT(motion, 0.0);
    std::vector<float> expected(sum.size());
    for (size_t j = 0; j < sum.size(); ++j) expected[j] = static_cast<float>(sum[j] / 4);
    ASSERT_TRUE(detail::l2_normalise(expected));
    ASSERT_EQ(c.embedding.size(), expected.size());
    double max_diff = 0;
    for (size_t j = 0; j < expected.size(); ++j)
      max_diff = std::max(max_diff, static_cast<double>(std::abs(c.embedding[j] - expected[j])));
    EXPECT_LT(max_diff, 1e-6);
    EXPECT_NEAR(test_util::norm(c.embedding), 1.0, 1e-5);
    // Unlike a picture of its first frame, whose motion is 0.
    const auto still = detail::builtin_descriptor(shrunk[0], nullptr);
    EXPECT_EQ(still.back(), 0.0f);
  }
}

}  // namespace
}  // namespace elv::creative
