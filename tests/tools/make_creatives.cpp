// Test pictures for tests/e2e/test_creative_analyze.sh and the creative bench (test-only).
//
//   make_creatives families OUT_DIR FAMILIES PER_FAMILY
//     OUT_DIR/f<F>_<I>.png: FAMILIES families of pictures that differ in colour and layout
//     (family 0 red with a white disc, 1 blue with horizontal stripes, 2 green with a
//     checkerboard, 3 yellow with a diagonal band, 4 dark with a centred square, then the
//     cycle again with shifted hues), each picture of a family jittered in position, size and
//     shade; plus OUT_DIR/near_dup.jpg, f0_0 with a small mark added, saved as JPEG.
//   make_creatives photos OUT_DIR COUNT SIZE
//     COUNT JPEG pictures of SIZE x SIZE (the bench's 1080 x 1080 "photos"): gradients, shapes
//     and noise, so decoding costs what a real photo does.
// Deterministic: the same arguments give the same files.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

// A small fixed generator, so the pictures do not depend on the standard library.
uint64_t state = 12345;
double uniform() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
double jitter(double spread) { return (uniform() * 2 - 1) * spread; }

cv::Mat family_picture(int family, int w, int h) {
  const int kind = family % 5;
  const double hue_shift = 40.0 * (family / 5);
  const cv::Scalar base[] = {
      {40, 40, 200}, {190, 70, 30}, {50, 170, 50}, {40, 210, 230}, {60, 50, 40}};
  cv::Scalar background = base[kind];
  for (int c = 0; c < 3; ++c)
    background[c] = std::clamp(background[c] + jitter(12) + (c == 0 ? hue_shift : 0), 0.0, 255.0);
  cv::Mat m(h, w, CV_8UC3, background);
  const cv::Scalar white(245, 245, 245);
  switch (kind) {
    case 0:
      cv::circle(m, {int(w * (0.5 + jitter(0.06))), int(h * (0.5 + jitter(0.06)))},
                 int(w * (0.25 + jitter(0.04))), white, cv::FILLED, cv::LINE_AA);
      break;
    case 1:
      for (int y = int(h * 0.1 + jitter(4)); y < h; y += h / 6)
        cv::rectangle(m, cv::Rect(0, y, w, h / 14), white, cv::FILLED);
      break;
    case 2: {
      const int cell = w / 8 + int(jitter(2));
      for (int y = 0; y < h; y += cell)
        for (int x = ((y / cell) % 2) * cell; x < w; x += 2 * cell)
          cv::rectangle(m, cv::Rect(x, y, cell, cell), cv::Scalar(20, 60, 20), cv::FILLED);
      break;
    }
    case 3:
      cv::line(m, {0, int(h * (0.1 + jitter(0.05)))}, {w, int(h * (0.9 + jitter(0.05)))},
               cv::Scalar(30, 30, 30), h / 8, cv::LINE_AA);
      break;
    default:
      cv::rectangle(m,
                    cv::Rect(int(w * (0.3 + jitter(0.03))), int(h * (0.3 + jitter(0.03))),
                             w * 2 / 5, h * 2 / 5),
                    cv::Scalar(0, 140, 255), cv::FILLED);
      break;
  }
  return m;
}

int usage() {
  std::fprintf(stderr,
               "usage: make_creatives families OUT_DIR FAMILIES PER_FAMILY\n"
               "       make_creatives photos OUT_DIR COUNT SIZE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return usage();
  cv::setNumThreads(1);
  const std::string mode = argv[1], out = argv[2];
  const int a = std::atoi(argv[3]), b = std::atoi(argv[4]);
  if (mode == "families") {
    for (int f = 0; f < a; ++f)
      for (int i = 0; i < b; ++i) {
        const cv::Mat m = family_picture(f, 320 + int(jitter(40)), 320 + int(jitter(40)));
        if (!cv::imwrite(out + "/f" + std::to_string(f) + "_" + std::to_string(i) + ".png", m))
          return 1;
      }
    // The near-duplicate: f0_0 again with a small mark, re-encoded as JPEG.
    cv::Mat twin = cv::imread(out + "/f0_0.png", cv::IMREAD_COLOR);
    if (twin.empty()) return 1;
    cv::rectangle(twin, cv::Rect(8, 8, 14, 10), cv::Scalar(255, 255, 255), cv::FILLED);
    return cv::imwrite(out + "/near_dup.jpg", twin, {cv::IMWRITE_JPEG_QUALITY, 90}) ? 0 : 1;
  }
  if (mode == "photos") {
    for (int k = 0; k < a; ++k) {
      cv::Mat m(b, b, CV_8UC3);
      for (int y = 0; y < b; ++y) {
        auto* row = m.ptr<cv::Vec3b>(y);
        for (int x = 0; x < b; ++x)
          row[x] = cv::Vec3b(uchar((x + k * 7) & 255), uchar((y + k * 13) & 255),
                             uchar(((x ^ y) + k) & 255));
      }
      for (int s = 0; s < 6; ++s)
        cv::circle(m, {int(uniform() * b), int(uniform() * b)}, int(b * (0.05 + uniform() * 0.2)),
                   cv::Scalar(uniform() * 255, uniform() * 255, uniform() * 255), cv::FILLED);
      cv::Mat noise(b, b, CV_8UC3);
      cv::randu(noise, 0, 24);
      m += noise;
      char name[32];
      std::snprintf(name, sizeof name, "/p%04d.jpg", k);
      if (!cv::imwrite(out + name, m, {cv::IMWRITE_JPEG_QUALITY, 90})) return 1;
    }
    return 0;
  }
  return usage();
}
