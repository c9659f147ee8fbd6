// The ONNX encoder on a tiny model the test builds with Debian's python3-onnx (Conv 3->4,
// 3x3, pad 1 -> GlobalAveragePool -> Flatten; opset 11, IR version 8, fixed weights): its
// output equals the same computation done here by hand, and bad preprocessing files are
// refused naming them.
#include <cstdlib>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/error.h"
#include "creative/embed.h"
#include "creative/embed_parts.h"
#include "creative_test_util.h"

namespace elv::creative {
namespace {

using test_util::MediaDir;

// The weights, the same formula in Python and here.
float weight(int o, int c, int i, int j) {
  return static_cast<float>(((o * 27 + c * 9 + i * 3 + j) % 7) - 3) / 10.0f;
}
float bias(int o) { return 0.1f * static_cast<float>(o) - 0.15f; }

const char* kBuildModel = R"PY(
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper
w = np.array([[[[((o * 27 + c * 9 + i * 3 + j) % 7 - 3) / 10.0 for j in range(3)]
                for i in range(3)] for c in range(3)] for o in range(4)], dtype=np.float32)
b = np.array([0.1 * o - 0.15 for o in range(4)], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Conv", ["input", "w", "b"], ["conv"], kernel_shape=[3, 3],
                      pads=[1, 1, 1, 1]),
     helper.make_node("GlobalAveragePool", ["conv"], ["pooled"]),
     helper.make_node("Flatten", ["pooled"], ["embedding"], axis=1)],
    "tiny", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 24, 32])],
    [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.flatten().tolist()),
     helper.make_tensor("b", TensorProto.FLOAT, b.shape, b.flatten().tolist())])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
)PY";

void build_model(const std::filesystem::path& dir) {
  std::ofstream(dir / "build_model.py") << kBuildModel;
  const std::string cmd = "/usr/bin/python3 '" + (dir / "build_model.py").string() + "' '" +
                          (dir / "tiny.onnx").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "python3 with onnx and numpy is needed: " << cmd;
}

const char* kPreprocess = R"({"input_size": [24, 32], "resize": "shorter_side_center_crop",
  "channel_order": "RGB", "scale": 0.00392156862745098, "mean": [0.5, 0.4, 0.3],
  "std": [0.2, 0.25, 0.3], "output": "embedding"})";

TEST(CreativeOnnx, TinyModelGivesTheHandComputedEmbedding) {
  MediaDir dir;
  build_model(dir.root());
  std::ofstream(dir.root() / "tiny.json") << kPreprocess;
  // 50 x 30: scaled by 0.8 to 40 x 24 (covering 32 x 24), then the middle 32 columns.
  cv::Mat picture(30, 50, CV_8UC3);
  for (int y = 0; y < 30; ++y)
    for (int x = 0; x < 50; ++x)
      picture.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(5 * x), static_cast<uchar>(8 * y),
                                              static_cast<uchar>((x * y) % 256));
  dir.write_picture("p.png", picture);
  dir.write_picture("q.png", picture(cv::Rect(0, 0, 30, 30)).clone());

  EmbedOptions options;
  options.encoder.kind = EncoderKind::Onnx;
  options.encoder.onnx_model = (dir.root() / "tiny.onnx").string();
  const EmbedResult r = embed_creatives(dir.map({"p.png", "q.png"}), options);
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].reason;
  EXPECT_EQ(r.encoder, "onnx:tiny.onnx");
  EXPECT_EQ(r.dimension, 4u);
  ASSERT_EQ(r.creatives.size(), 2u);

  cv::Mat resized;
  cv::resize(picture, resized, {40, 24}, 0, 0, cv::INTER_AREA);
  const cv::Mat input = resized(cv::Rect(4, 0, 32, 24));
  const double mean[3] = {0.5, 0.4, 0.3}, sd[3] = {0.2, 0.25, 0.3};
  // x[c][y][x], c in R, G, B order.
  auto value = [&](int c, int y, int x) -> double {
    if (y < 0 || y >= 24 || x < 0 || x >= 32) return 0.0;  // zero padding
    return (input.at<cv::Vec3b>(y, x)[2 - c] / 255.0 - mean[c]) / sd[c];
  };
  std::vector<float> expected(4);
  for (int o = 0; o < 4; ++o) {
    double sum = 0;
    for (int y = 0; y < 24; ++y)
      for (int x = 0; x < 32; ++x) {
        double v = bias(o);
        for (int c = 0; c < 3; ++c)
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) v += weight(o, c, i, j) * value(c, y + i - 1, x + j - 1);
        sum += v;
      }
    expected[static_cast<size_t>(o)] = static_cast<float>(sum / (24 * 32));
  }
  ASSERT_TRUE(detail::l2_normalise(expected));
  const auto& got = r.creatives[0].embedding;
  ASSERT_EQ(got.size(), 4u);
  for (size_t o = 0; o < 4; ++o) EXPECT_NEAR(got[o], expected[o], 1e-4) << o;
  EXPECT_NEAR(test_util::norm(got), 1.0, 1e-5);
  EXPECT_GT(std::abs(test_util::cosine(got, r.creatives[1].embedding) - 1.0), 1e-6);
}

std::string setup_error(const EmbedOptions& options, const MediaDir& dir) {
  try {
    embed_creatives(dir.map({"p.png"}), options);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(CreativeOnnx, BadPreprocessingOrModelIsAnErrorNamingTheFile) {
  MediaDir dir;
  build_model(dir.root());
  dir.write_picture("p.png", cv::Mat(30, 30, CV_8UC3, cv::Scalar(1, 2, 3)));
  EmbedOptions options;
  options.encoder.kind = EncoderKind::Onnx;
  options.encoder.onnx_model = (dir.root() / "tiny.onnx").string();
  const std::string json = (dir.root() / "tiny.json").string();

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "ONNX preprocessing file not found"},
      {"{not json", "not valid JSON"},
      {R"({"resize": "stretch"})", "missing field 'input_size'"},
      {R"({"input_size": [24]})", "'input_size' must be an array of 2 finite numbers"},
      {R"({"input_size": [24, 0.5]})", "two whole numbers from 1 to 4096"},
      {R"({"input_size": [24, 32], "resize": "fit"})", "'resize' must be"},
      {R"({"input_size": [24, 32], "channel_order": "RGBA"})", "'channel_order' must be"},
      {R"({"input_size": [24, 32], "scale": -1})", "'scale' must be above 0"},
      {R"({"input_size": [24, 32], "std": [1, 0, 1]})", "'std' must hold 3 numbers above 0"},
      {R"({"input_size": [24, 32], "mean": [1, 2]})", "'mean' must be an array of 3"},
      {R"({"input_size": [24, 32], "Mean": [1, 2, 3]})", "unknown field 'Mean'"},
      {R"({"input_size": [24, 32], "output": 3})", "'output' must be a string"},
      {R"({"input_size": [24, 32], "output": "nowhere"})", "cannot load or run this ONNX"}};
  for (const auto& [text, words] : cases) {
    std::filesystem::remove(json);
    if (!text.empty()) std::ofstream(json) << text;
    const std::string e = setup_error(options, dir);
    EXPECT_NE(e.find(words), std::string::npos) << text << " -> " << e;
    EXPECT_NE(e.find("tiny."), std::string::npos) << text << " -> " << e;
  }
  // An explicit preprocessing file, and a model that is not one.
  std::ofstream(dir.root() / "other.json") << R"({"input_size": [24, 32]})";
  options.encoder.onnx_preprocess = (dir.root() / "other.json").string();
  EXPECT_EQ(setup_error(options, dir), "no error");
  std::ofstream(dir.root() / "broken.onnx") << "not a model";
  options.encoder.onnx_model = (dir.root() / "broken.onnx").string();
  const std::string e = setup_error(options, dir);
  EXPECT_NE(e.find("broken.onnx"), std::string::npos) << e;
}

}  // namespace
}  // namespace elv::creative
