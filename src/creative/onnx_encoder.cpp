// The ONNX encoder: any image encoder exported to ONNX (a CLIP image tower, for example), run
// by OpenCV's dnn module. Its preprocessing comes from a small JSON file (docs/CREATIVES.md,
// "Encoders"); its output, flattened, is the embedding.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "base/error.h"
#include "creative/embed_parts.h"
#include "creative/opencv_threads.h"
#include "io/files.h"
#include "io/json_fields.h"

namespace elv::creative::detail {

namespace {

std::string read_bytes(const std::string& path, const std::string& what) {
  io::require_regular_file(path, what);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw Error("cannot read the " + what, path);
  return std::move(bytes).str();
}

// Three finite numbers, R, G, B.
void read_rgb(const io::JsonFields& f, const char* key, double* out, bool positive) {
  const auto v = f.finite_numbers(key, 3);
  for (size_t i = 0; i < 3; ++i) {
    if (positive && !(v[i] > 0))
      throw Error(f.where() + ": field '" + key + "' must hold 3 numbers above 0");
    out[i] = v[i];
  }
}

class OnnxEncoder : public FrameEncoder {
 public:
  // A Net is a shared handle: each encoder gets a net of its own from make_onnx_encoders.
  OnnxEncoder(const cv::dnn::Net& net, const OnnxPreprocess& pre) : net_(net), pre_(pre) {}

  std::vector<float> embed_frame(const cv::Mat& bgr, const cv::Mat*) override {
    net_.setInput(onnx_input_blob(bgr, pre_));
    const cv::Mat out = pre_.output.empty() ? net_.forward() : net_.forward(pre_.output);
    cv::Mat values;
    out.reshape(1, 1).convertTo(values, CV_32F);
    std::vector<float> e(values.begin<float>(), values.end<float>());
    if (!l2_normalise(e)) throw MediaFailure("the ONNX model gave a zero or non-finite output");
    return e;
  }

 private:
  cv::dnn::Net net_;
  OnnxPreprocess pre_;
};

}  // namespace

OnnxPreprocess read_onnx_preprocess(const std::string& json_path) {
  const std::string text = read_bytes(json_path, "ONNX preprocessing file");
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    throw Error(
        "not valid JSON; the ONNX preprocessing file holds one object, for example "
        "{\"input_size\": [224, 224], \"mean\": [0.481, 0.458, 0.408], ...}",
        json_path);
  OnnxPreprocess p;
  try {
    const io::JsonFields f(j, "ONNX preprocessing");
    static const std::set<std::string> kKnown = {"input_size", "resize", "channel_order", "scale",
                                                 "mean",       "std",    "output"};
    for (const auto& [key, value] : j.items())
      if (!kKnown.count(key))
        throw Error("ONNX preprocessing: unknown field '" + key +
                    "' (known: input_size, resize, channel_order, scale, mean, std, output)");
    const auto size = f.finite_numbers("input_size", 2);
    for (double s : size)
      if (s != std::floor(s) || s < 1 || s > 4096)
        throw Error(
            "ONNX preprocessing: field 'input_size' must be [height, width], two "
            "whole numbers from 1 to 4096");
    p.input_height = static_cast<int>(size[0]);
    p.input_width = static_cast<int>(size[1]);
    if (j.contains("resize")) {
      const std::string r = f.string("resize");
      if (r != "shorter_side_center_crop" && r != "stretch")
        throw Error(
            "ONNX preprocessing: field 'resize' must be \"shorter_side_center_crop\" "
            "or \"stretch\", not \"" +
            r + "\"");
      p.center_crop = r == "shorter_side_center_crop";
    }
    if (j.contains("channel_order")) {
      const std::string c = f.string("channel_order");
      if (c != "RGB" && c != "BGR")
        throw Error(
            "ONNX preprocessing: field 'channel_order' must be \"RGB\" or \"BGR\", "
            "not \"" +
            c + "\"");
      p.rgb = c == "RGB";
    }
    if (j.contains("scale")) {
      p.scale = f.finite_number("scale");
      if (!(p.scale > 0)) throw Error("ONNX preprocessing: field 'scale' must be above 0");
    }
    if (j.contains("mean")) read_rgb(f, "mean", p.mean, false);
    if (j.contains("std")) read_rgb(f, "std", p.std, true);
    if (j.contains("output")) p.output = f.string("output");
  } catch (const Error& e) {
    throw Error(e.message(), json_path);
  }
  return p;
}

cv::Mat onnx_input_blob(const cv::Mat& bgr, const OnnxPreprocess& pre) {
  const int h = pre.input_height, w = pre.input_width;
  cv::Mat sized;
  if (pre.center_crop) {
    // Scale so the picture covers the input, then cut the middle.
    const double s = std::max(static_cast<double>(w) / bgr.cols, static_cast<double>(h) / bgr.rows);
    const cv::Size covered(std::max(w, static_cast<int>(std::lround(bgr.cols * s))),
                           std::max(h, static_cast<int>(std::lround(bgr.rows * s))));
    cv::Mat resized;
    cv::resize(bgr, resized, covered, 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    sized = resized(cv::Rect((covered.width - w) / 2, (covered.height - h) / 2, w, h));
  } else {
    const bool shrinking = w <= bgr.cols && h <= bgr.rows;
    cv::resize(bgr, sized, {w, h}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  const int dims[] = {1, 3, h, w};
  cv::Mat blob(4, dims, CV_32F);
  float* out = blob.ptr<float>();
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  for (int c = 0; c < 3; ++c) {
    const int rgb_index = pre.rgb ? c : 2 - c;  // mean and std are given as R, G, B
    const int bgr_index = 2 - rgb_index;
    const double scale = pre.scale / pre.std[rgb_index];
    const double offset = pre.mean[rgb_index] / pre.std[rgb_index];
    float* dst = out + static_cast<size_t>(c) * plane;
    for (int y = 0; y < h; ++y) {
      const auto* row = sized.ptr<cv::Vec3b>(y);
      for (int x = 0; x < w; ++x)
        dst[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] =
            static_cast<float>(row[x][bgr_index] * scale - offset);
    }
  }
  return blob;
}

EncoderSet make_onnx_encoders(const EncoderOptions& options, int workers) {
  const std::string& model = options.onnx_model;
  if (model.empty()) throw Error("the ONNX encoder needs a model: give --onnx-model M.onnx");
  std::string json_path = options.onnx_preprocess;
  if (json_path.empty()) {
    std::filesystem::path p(model);
    json_path = p.replace_extension(".json").string();
  }
  const OnnxPreprocess pre = read_onnx_preprocess(json_path);
  const std::string bytes = read_bytes(model, "ONNX model");

  EncoderSet set;
  set.name = "onnx:" + std::filesystem::path(model).filename().string();
  set.work = {0, std::max(pre.input_height, pre.input_width)};
  single_threaded_opencv();
  for (int t = 0; t < workers; ++t) {
    cv::dnn::Net net;
    try {
      net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
      if (t == 0) {  // a trial run, so a model that does not take this input fails here
        net.setInput(cv::Mat(std::vector<int>{1, 3, pre.input_height, pre.input_width}, CV_32F,
                             cv::Scalar(0)));
        if (pre.output.empty())
          net.forward();
        else
          net.forward(pre.output);
      }
    } catch (const cv::Exception& e) {
      throw Error("OpenCV cannot load or run this ONNX model on a 1x3x" +
                      std::to_string(pre.input_height) + "x" + std::to_string(pre.input_width) +
                      " input (the size " + json_path + " gives): " + e.err,
                  model);
    }
    set.encoders.push_back(std::make_unique<OnnxEncoder>(net, pre));
  }
  return set;
}

}  // namespace elv::creative::detail
