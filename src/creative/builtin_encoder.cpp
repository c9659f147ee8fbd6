// builtin-v1: a deterministic descriptor of what marketers mean by "these ads look alike",
// with no weights to download. Each frame is shrunk (INTER_AREA) so its longest side is
// 160 pixels, keeping its aspect ratio, then measured in four blocks, each of L2 norm 1:
//
//   colour   52  Hellinger (square-rooted) histogram of pixel colours in HSV: 48 chromatic
//                bins (12 hues x 2 saturations x 2 values) and 4 grey bins by value (black,
//                dark grey, light grey, white) for pixels of saturation < 0.2 or value < 0.15.
//                Where the ad's colours are, not where they sit.
//   layout  193  8 x 8 thumbnail in CIE Lab (L-50, a, b, each / 50), so a white ad with a red
//                circle on the left differs from one with the circle on the right; the 193rd
//                value stands in for a flat mid-grey frame (otherwise a zero vector).
//   texture  36  Hellinger histogram of Sobel gradients in 2 x 2 cells: per cell, 8 edge
//                orientations (soft-binned, for pixels whose gradient is >= 0.2 on a 0..1
//                grey scale) and 1 bin of flat pixels. Busy product shots against flat
//                colour fields, stripes against circles.
//   global   12  six numbers s in [0, 1], each as (cos(pi s / 2), sin(pi s / 2)) / sqrt(6):
//                brightness (mean L / 100), contrast (std of L / 50), colourfulness (mean
//                chroma / 60), edge density (share of edge pixels), aspect ratio (log(w / h)
//                mapped from [-log 3, log 3]) and motion (mean absolute grey difference of
//                16 x 16 thumbnails of this frame and a neighbouring sampled frame, x 2; 0 for
//                pictures).
//
// The blocks are weighted sqrt(0.3), sqrt(0.3), sqrt(0.2), sqrt(0.2): every block has norm 1,
// so the cosine of two descriptors is 0.3 x colour similarity + 0.3 x layout + 0.2 x texture
// + 0.2 x global, and no block dominates. A video's embedding is the L2-normalised mean of its
// sampled frames' descriptors (embed.cpp). It cannot see what the ad says (text is only
// texture), faces or people as such, brands and logos, products, or the sound of a video.
#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "creative/embed_parts.h"

namespace elv::creative::detail {

namespace {

constexpr size_t kColourBins = 52, kLayoutValues = 193, kTextureBins = 36, kGlobalValues = 12;
static_assert(kColourBins + kLayoutValues + kTextureBins + kGlobalValues == kBuiltinDimension);
constexpr float kWeightColour = 0.5477226f;   // sqrt(0.3)
constexpr float kWeightLayout = 0.5477226f;   // sqrt(0.3)
constexpr float kWeightTexture = 0.4472136f;  // sqrt(0.2)
constexpr float kWeightGlobal = 0.4472136f;   // sqrt(0.2)
constexpr float kEdgeThreshold = 0.2f;
constexpr double kPi = 3.14159265358979323846;

// The frame as 32-bit floats in [0, 1], longest side kBuiltinSide.
cv::Mat work_image(const cv::Mat& bgr) {
  cv::Mat f;
  shrink_to(bgr, {kBuiltinSide, 0}).convertTo(f, CV_32F, 1.0 / 255.0);
  return f;
}

int colour_bin(float h, float s, float v) {
  if (s < 0.2f || v < 0.15f) return 48 + std::min(3, static_cast<int>(v * 4.0f));
  const int hue = std::min(11, static_cast<int>(h / 30.0f));  // h in [0, 360)
  return hue * 4 + (s >= 0.6f ? 2 : 0) + (v >= 0.6f ? 1 : 0);
}

// Square roots of the shares (counts / total): a unit vector whose dot products are the
// Bhattacharyya coefficients of the histograms.
void hellinger(float* bins, size_t n, double total) {
  for (size_t i = 0; i < n; ++i) bins[i] = static_cast<float>(std::sqrt(bins[i] / total));
}

void scale_to_unit(float* v, size_t n, float weight) {
  double sq = 0;
  for (size_t i = 0; i < n; ++i) sq += static_cast<double>(v[i]) * v[i];
  const auto f = static_cast<float>(weight / std::sqrt(sq));
  for (size_t i = 0; i < n; ++i) v[i] *= f;
}

float motion(const cv::Mat& gray_small, const cv::Mat* neighbour) {
  if (neighbour == nullptr) return 0;
  cv::Mat other, other_gray;
  cv::cvtColor(work_image(*neighbour), other_gray, cv::COLOR_BGR2GRAY);
  cv::resize(other_gray, other, {16, 16}, 0, 0, cv::INTER_AREA);
  return static_cast<float>(std::min(1.0, 2.0 * cv::mean(cv::abs(gray_small - other))[0]));
}

class BuiltinEncoder : public FrameEncoder {
 public:
  std::vector<float> embed_frame(const cv::Mat& bgr, const cv::Mat* neighbour) override {
    return builtin_descriptor(bgr, neighbour);
  }
};

}  // namespace

std::vector<float> builtin_descriptor(const cv::Mat& bgr, const cv::Mat* neighbour) {
  std::vector<float> d(kBuiltinDimension, 0.0f);
  float* colour = d.data();
  float* layout = colour + kColourBins;
  float* texture = layout + kLayoutValues;
  float* global = texture + kTextureBins;

  const cv::Mat f = work_image(bgr);
  const double pixels = static_cast<double>(f.total());

  cv::Mat hsv, lab;
  cv::cvtColor(f, hsv, cv::COLOR_BGR2HSV);  // H in [0, 360), S and V in [0, 1]
  cv::cvtColor(f, lab, cv::COLOR_BGR2Lab);  // L in [0, 100], a and b about [-128, 127]
  double sum_l = 0, sum_l2 = 0, sum_chroma = 0;
  for (int y = 0; y < f.rows; ++y) {
    const auto* h = hsv.ptr<cv::Vec3f>(y);
    const auto* l = lab.ptr<cv::Vec3f>(y);
    for (int x = 0; x < f.cols; ++x) {
      colour[colour_bin(h[x][0], h[x][1], h[x][2])] += 1.0f;
      sum_l += l[x][0];
      sum_l2 += static_cast<double>(l[x][0]) * l[x][0];
      sum_chroma += std::hypot(l[x][1], l[x][2]);
    }
  }
  hellinger(colour, kColourBins, pixels);

  cv::Mat small, small_lab;
  cv::resize(f, small, {8, 8}, 0, 0, cv::INTER_AREA);
  cv::cvtColor(small, small_lab, cv::COLOR_BGR2Lab);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) {
      const auto& p = small_lab.at<cv::Vec3f>(y, x);
      float* out = layout + 3 * (8 * y + x);
      out[0] = (p[0] - 50.0f) / 50.0f;
      out[1] = p[1] / 50.0f;
      out[2] = p[2] / 50.0f;
    }
  double layout_sq = 0;
  for (size_t i = 0; i + 1 < kLayoutValues; ++i) layout_sq += layout[i] * layout[i];
  if (layout_sq < 1e-8) layout[kLayoutValues - 1] = 1.0f;

  cv::Mat gray, gx, gy;
  cv::cvtColor(f, gray, cv::COLOR_BGR2GRAY);
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  double edges = 0;
  for (int y = 0; y < f.rows; ++y) {
    const float* dx = gx.ptr<float>(y);
    const float* dy = gy.ptr<float>(y);
    const int cy = 2 * y >= f.rows ? 1 : 0;
    for (int x = 0; x < f.cols; ++x) {
      float* cell = texture + 9 * (2 * cy + (2 * x >= f.cols ? 1 : 0));
      const float magnitude = std::hypot(dx[x], dy[x]);
      if (magnitude < kEdgeThreshold) {
        cell[8] += 1.0f;
        continue;
      }
      edges += 1;
      // Unsigned orientation in [0, pi), split between the two nearest of 8 bins.
      double angle = std::atan2(dy[x], dx[x]);
      if (angle < 0) angle += kPi;
      const double t = angle / kPi * 8.0 - 0.5;
      const double lo = std::floor(t);
      const auto w = static_cast<float>(t - lo);
      const int b0 = (static_cast<int>(lo) + 8) % 8, b1 = (b0 + 1) % 8;
      cell[b0] += 1.0f - w;
      cell[b1] += w;
    }
  }
  hellinger(texture, kTextureBins, pixels);

  cv::Mat gray_small;
  cv::resize(gray, gray_small, {16, 16}, 0, 0, cv::INTER_AREA);
  const double mean_l = sum_l / pixels;
  const double std_l = std::sqrt(std::max(0.0, sum_l2 / pixels - mean_l * mean_l));
  const double log3 = std::log(3.0);
  const double aspect = std::log(static_cast<double>(bgr.cols) / bgr.rows);
  const std::array<double, 6> scalars = {mean_l / 100.0,
                                         std_l / 50.0,
                                         sum_chroma / pixels / 60.0,
                                         edges / pixels,
                                         (std::clamp(aspect, -log3, log3) / log3 + 1.0) / 2.0,
                                         motion(gray_small, neighbour)};
  for (size_t i = 0; i < scalars.size(); ++i) {
    const double s = std::clamp(scalars[i], 0.0, 1.0);
    global[2 * i] = static_cast<float>(std::cos(kPi / 2 * s) / std::sqrt(6.0));
    global[2 * i + 1] = static_cast<float>(std::sin(kPi / 2 * s) / std::sqrt(6.0));
  }

  scale_to_unit(colour, kColourBins, kWeightColour);
  scale_to_unit(layout, kLayoutValues, kWeightLayout);
  scale_to_unit(texture, kTextureBins, kWeightTexture);
  scale_to_unit(global, kGlobalValues, kWeightGlobal);
  l2_normalise(d);
  return d;
}

std::unique_ptr<FrameEncoder> make_builtin_encoder() { return std::make_unique<BuiltinEncoder>(); }

}  // namespace elv::creative::detail
