// builtin-v1 on pictures drawn by the test: families of look-alike ads, a near-duplicate,
// determinism, thumbnails and progress.
#include <cstring>
#include <map>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "creative/embed.h"
#include "creative/embed_parts.h"
#include "creative_test_util.h"

namespace elv::creative {
namespace {

using test_util::cosine;
using test_util::MediaDir;

cv::Mat red_circle(cv::Point centre, int radius) {
  cv::Mat m(240, 320, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::circle(m, centre, radius, cv::Scalar(30, 30, 220), cv::FILLED, cv::LINE_AA);
  return m;
}

cv::Mat blue_stripes(int width, int offset) {
  cv::Mat m(240, 320, CV_8UC3, cv::Scalar(250, 245, 240));
  for (int x = offset; x < m.cols; x += 2 * width)
    cv::rectangle(m, cv::Rect(x, 0, width, m.rows), cv::Scalar(200, 80, 20), cv::FILLED);
  return m;
}

// Lines of "words": green blocks of seeded widths on a dark ground, like a text-heavy ad.
cv::Mat green_text(uint64_t seed) {
  cv::Mat m(240, 320, CV_8UC3, cv::Scalar(30, 22, 18));
  cv::RNG rng(seed);
  for (int y = 20; y + 12 < m.rows - 10; y += 22)
    for (int x = 16; x < m.cols - 40;) {
      const int w = rng.uniform(12, 40);
      cv::rectangle(m, cv::Rect(x, y, w, 12), cv::Scalar(60, 200, 70), cv::FILLED);
      x += w + rng.uniform(6, 12);
    }
  return m;
}

// Yellow to orange; `direction` 0 left to right, 1 top to bottom, 2 diagonal.
cv::Mat yellow_gradient(int direction, double end_green) {
  cv::Mat m(240, 320, CV_8UC3);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) {
      const double t = direction == 0   ? x / 319.0
                       : direction == 1 ? y / 239.0
                                        : (x / 319.0 + y / 239.0) / 2;
      m.at<cv::Vec3b>(y, x) =
          cv::Vec3b(20, cv::saturate_cast<uchar>(235 - t * (235 - end_green)), 250);
    }
  return m;
}

// The near-duplicate: moved by (3, 2) pixels and 8 levels brighter.
cv::Mat nudged(const cv::Mat& m) {
  cv::Mat shifted, out;
  const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, 3, 0, 1, 2);
  cv::warpAffine(m, shifted, shift, m.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  shifted.convertTo(out, -1, 1.0, 8.0);
  return out;
}

struct Drawn {
  std::string name;
  int family;
  cv::Mat image;
};

std::vector<Drawn> families() {
  return {{"red0.png", 0, red_circle({100, 120}, 60)},
          {"red1.png", 0, red_circle({220, 100}, 50)},
          {"red2.png", 0, red_circle({160, 130}, 80)},
          {"blue0.png", 1, blue_stripes(16, 0)},
          {"blue1.png", 1, blue_stripes(20, 7)},
          {"blue2.png", 1, blue_stripes(12, 3)},
          {"green0.png", 2, green_text(1)},
          {"green1.png", 2, green_text(2)},
          {"green2.png", 2, green_text(3)},
          {"yellow0.png", 3, yellow_gradient(0, 140)},
          {"yellow1.png", 3, yellow_gradient(1, 120)},
          {"yellow2.png", 3, yellow_gradient(2, 160)},
          {"red0_twin.jpg", 0, nudged(red_circle({100, 120}, 60))}};
}

EmbedResult embed_all(const MediaDir& dir, const std::vector<Drawn>& drawn, int threads = 2) {
  std::vector<std::string> paths;
  for (const auto& d : drawn) {
    dir.write_picture(d.name, d.image);
    paths.push_back(d.name);
  }
  EmbedOptions options;
  options.threads = threads;
  return embed_creatives(dir.map(paths), options);
}

TEST(CreativeBuiltin, NearDuplicateFindsItsTwinAndFamiliesHoldTogether) {
  MediaDir dir;
  const auto drawn = families();
  const EmbedResult r = embed_all(dir, drawn);
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].reason;
  ASSERT_EQ(r.creatives.size(), drawn.size());
  EXPECT_EQ(r.encoder, "builtin-v1");
  EXPECT_EQ(r.dimension, detail::kBuiltinDimension);

  const size_t twin = drawn.size() - 1;
  size_t best = twin;
  double best_sim = -2;
  for (size_t i = 0; i < drawn.size(); ++i) {
    if (i == twin) continue;
    const double s = cosine(r.creatives[twin].embedding, r.creatives[i].embedding);
    if (s > best_sim) best_sim = s, best = i;
  }
  EXPECT_EQ(drawn[best].name, "red0.png") << "similarity " << best_sim;
  EXPECT_GT(best_sim, 0.97);

  // Every same-family pair is closer than every cross-family pair (the twin aside).
  double min_same = 2, max_cross = -2;
  std::string min_same_pair, max_cross_pair;
  for (size_t i = 0; i < twin; ++i)
    for (size_t j = i + 1; j < twin; ++j) {
      const double s = cosine(r.creatives[i].embedding, r.creatives[j].embedding);
      const std::string pair = drawn[i].name + " ~ " + drawn[j].name;
      if (drawn[i].family == drawn[j].family && s < min_same) min_same = s, min_same_pair = pair;
      if (drawn[i].family != drawn[j].family && s > max_cross) max_cross = s, max_cross_pair = pair;
    }
  EXPECT_GT(min_same, max_cross) << "least similar same-family pair " << min_same_pair << " "
                                 << min_same << ", most similar cross-family pair "
                                 << max_cross_pair << " " << max_cross;
}

TEST(CreativeBuiltin, DeterministicUnitNormFiniteWhateverTheThreads) {
  MediaDir dir;
  const auto drawn = families();
  const EmbedResult one = embed_all(dir, drawn, 1);
  const EmbedResult two = embed_all(dir, drawn, 2);
  const EmbedResult again = embed_all(dir, drawn, 2);
  ASSERT_EQ(one.creatives.size(), drawn.size());
  for (size_t i = 0; i < drawn.size(); ++i) {
    const auto& e = one.creatives[i].embedding;
    ASSERT_EQ(e.size(), detail::kBuiltinDimension);
    for (float x : e) ASSERT_TRUE(std::isfinite(x)) << drawn[i].name;
    EXPECT_NEAR(test_util::norm(e), 1.0, 1e-5) << drawn[i].name;
    for (const EmbedResult* other : {&two, &again}) {
      ASSERT_EQ(other->creatives[i].row, i);
      EXPECT_EQ(
          0, std::memcmp(e.data(), other->creatives[i].embedding.data(), e.size() * sizeof(float)))
          << drawn[i].name << " differs between runs";
      EXPECT_EQ(one.creatives[i].thumbnail_jpeg, other->creatives[i].thumbnail_jpeg);
    }
  }
}

TEST(CreativeBuiltin, BlocksWeighTheirShare) {
  // A white and a black frame share nothing but aspect ratio, motion, flat texture and a
  // colourless palette: their cosine is known from the block weights.
  const cv::Mat white(90, 160, CV_8UC3, cv::Scalar(255, 255, 255));
  const cv::Mat black(90, 160, CV_8UC3, cv::Scalar(0, 0, 0));
  const auto w = detail::builtin_descriptor(white, nullptr);
  const auto b = detail::builtin_descriptor(black, nullptr);
  // colour 0 (white and black bins), layout -1 (L = +50 vs -50 everywhere), texture 1 (all
  // flat), global: brightness 1 vs 0 (cos 90 degrees = 0), contrast, colourfulness, edges,
  // aspect and motion equal: 5/6.
  EXPECT_NEAR(cosine(w, b), 0.3 * 0 + 0.3 * -1 + 0.2 * 1 + 0.2 * 5.0 / 6.0, 1e-5);
  // A flat mid-grey frame has no layout vector: its stand-in value keeps the norm at 1.
  const cv::Mat grey(90, 160, CV_8UC3, cv::Scalar(119, 119, 119));
  EXPECT_NEAR(test_util::norm(detail::builtin_descriptor(grey, nullptr)), 1.0, 1e-5);
}

TEST(CreativeEmbed, PictureFieldsThumbnailAndProgress) {
  MediaDir dir;
  dir.write_picture("wide.png", blue_stripes(16, 0));
  cv::Mat big;
  cv::resize(green_text(4), big, {1080, 810}, 0, 0, cv::INTER_LINEAR);
  dir.write_picture("big.jpg", big, {cv::IMWRITE_JPEG_QUALITY, 90});
  EmbedOptions options;
  options.thumbnail_size = 100;
  std::vector<double> fractions;
  const EmbedResult r = embed_creatives(dir.map({"wide.png", "big.jpg"}), options,
                                        [&](double f) { fractions.push_back(f); });
  ASSERT_EQ(r.creatives.size(), 2u);
  const EmbeddedCreative& png = r.creatives[0];
  EXPECT_EQ(png.media_type, "image/png");
  EXPECT_EQ(png.width, 320);
  EXPECT_EQ(png.height, 240);
  EXPECT_EQ(png.frames_used, 1);
  const EmbeddedCreative& jpg = r.creatives[1];
  EXPECT_EQ(jpg.media_type, "image/jpeg");
  EXPECT_EQ(jpg.width, 1080);  // the original's size, though it was decoded at 1/4
  EXPECT_EQ(jpg.height, 810);
  for (const auto& c : r.creatives) {
    const std::vector<uchar> bytes(c.thumbnail_jpeg.begin(), c.thumbnail_jpeg.end());
    const cv::Mat thumb = cv::imdecode(bytes, cv::IMREAD_COLOR);
    ASSERT_FALSE(thumb.empty());
    EXPECT_EQ(std::max(thumb.cols, thumb.rows), 100);
    EXPECT_EQ(thumb.cols * 3, thumb.rows * 4);
  }
  ASSERT_EQ(fractions.size(), 2u);
  EXPECT_DOUBLE_EQ(fractions[0], 0.5);
  EXPECT_DOUBLE_EQ(fractions[1], 1.0);
}

}  // namespace
}  // namespace elv::creative
