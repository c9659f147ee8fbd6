// Rows that cannot be embedded become MediaProblems with a reason a marketer can act on,
// and the other rows still embed.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "creative/embed.h"
#include "creative_test_util.h"

namespace elv::creative {
namespace {

using namespace std::string_literals;
using test_util::MediaDir;

// A PNG signature and an IHDR claiming width x height, with no pixel data after it.
std::string png_header(uint32_t width, uint32_t height) {
  std::string s = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"s;
  for (uint32_t v : {width, height})
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
  s += "\x08\x02\0\0\0"s;  // 8-bit RGB
  s += "\0\0\0\0"s;        // CRC (wrong, never reached)
  return s;
}

TEST(CreativeProblems, EachBadRowIsSkippedWithItsReason) {
  MediaDir dir;
  dir.write_picture("good.png", cv::Mat(60, 80, CV_8UC3, cv::Scalar(10, 200, 30)));
  dir.write_bytes("garbage.png", "\x89PNG\r\n\x1a\n"s + std::string(200, '\x5a'));
  dir.write_bytes("bomb.png", png_header(100000, 100000));
  std::ofstream(dir.root() / "outside.png", std::ios::binary)
      << demo::test_util::read_file(dir.at("good.png"));
  std::filesystem::create_symlink(dir.root() / "outside.png", dir.media() / "link.png");
  dir.write_bytes("empty.mp4", "");
  std::mt19937 rng(5);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  dir.write_bytes("noise.jpg", noise);
  dir.write_bytes("fake.mp4",
                  "\0\0\0\x20"
                  "ftypisom\0\0\x02\0"s +
                      std::string(500, '\x11'));
  dir.write_picture("good2.jpg", cv::Mat(50, 50, CV_8UC3, cv::Scalar(200, 20, 30)));
  // A clip whose index (moov, first) is intact but whose frames are zeroed: it opens, and
  // no frame decodes.
  dir.ffmpeg(
      "-f lavfi -i testsrc=size=160x120:rate=12 -frames:v 24 -c:v libx264 "
      "-pix_fmt yuv420p -movflags +faststart",
      "blank.mp4");
  std::string clip = demo::test_util::read_file(dir.at("blank.mp4"));
  const size_t mdat = clip.find("mdat");
  ASSERT_NE(mdat, std::string::npos);
  std::fill(clip.begin() + static_cast<std::ptrdiff_t>(mdat) + 4, clip.end(), '\0');
  dir.write_bytes("blank.mp4", clip);

  const std::vector<std::string> paths = {
      "good.png",  "missing.png", "garbage.png", "bomb.png",  "../outside.png", "link.png",
      "empty.mp4", "noise.jpg",   "fake.mp4",    "blank.mp4", "good2.jpg"};
  const EmbedResult r = embed_creatives(dir.map(paths), {});
  ASSERT_EQ(r.creatives.size(), 2u);
  EXPECT_EQ(r.creatives[0].row, 0u);
  EXPECT_EQ(r.creatives[1].row, 10u);

  const std::vector<std::pair<size_t, std::string>> expected = {
      {1, "file not found"},
      {2, "cannot decode the picture: the file is damaged or not a PNG"},
      {3,
       "the picture is 100000x100000 pixels (10000.0 megapixels), over the limit of 40.0 "
       "megapixels"},
      {4, "path leaves the media folder"},
      {5, "path leaves the media folder"},
      {6, "the file is empty"},
      {7, "not a picture or video elv reads"},
      {8, "cannot decode the video: the file is damaged or not an MP4"},
      {9, "video has no frames"}};
  ASSERT_EQ(r.problems.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.problems[i].row, expected[i].first);
    EXPECT_NE(r.problems[i].reason.find(expected[i].second), std::string::npos)
        << "row " << r.problems[i].row << ": " << r.problems[i].reason;
  }
}

TEST(CreativeProblems, PixelLimitIsTheOption) {
  MediaDir dir;
  dir.write_picture("a.png", cv::Mat(100, 200, CV_8UC3, cv::Scalar(1, 2, 3)));
  EmbedOptions options;
  options.max_pixels = 200 * 100;
  EXPECT_EQ(embed_creatives(dir.map({"a.png"}), options).creatives.size(), 1u);
  options.max_pixels = 200 * 100 - 1;
  const EmbedResult r = embed_creatives(dir.map({"a.png"}), options);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].reason.find("200x100 pixels"), std::string::npos) << r.problems[0].reason;
}

}  // namespace
}  // namespace elv::creative
