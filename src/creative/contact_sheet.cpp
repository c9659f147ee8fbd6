#include "creative/contact_sheet.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/error.h"
#include "creative/codecs.h"
#include "creative/opencv_threads.h"

namespace elv::creative {

namespace {

constexpr int kGap = 6;          // pixels between cells and around the sheet
constexpr int kBandHeight = 26;  // the label band above each row
const cv::Scalar kBackground(255, 255, 255);
const cv::Scalar kBand(235, 235, 235);
const cv::Scalar kText(40, 40, 40);
const cv::Scalar kMissing(200, 200, 200);

// cv::putText draws ASCII only (its Hershey fonts have no other glyphs): a middle dot becomes
// '-', any other character outside printable ASCII '?' (one per character, not per byte).
std::string ascii_label(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
      ++i;
      continue;
    }
    const bool middle_dot =
        c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xB7;
    out += middle_dot ? '-' : '?';
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

// The thumbnail scaled to fit a cell x cell square, centred on it; a grey square when the
// bytes do not decode (a thumbnail elv wrote always does).
void draw_cell(cv::Mat& sheet, const std::string& jpeg, int x, int y, int cell) {
  cv::Mat cell_area = sheet(cv::Rect(x, y, cell, cell));
  const cv::Mat bytes(1, static_cast<int>(jpeg.size()), CV_8U, const_cast<char*>(jpeg.data()));
  const cv::Mat image = jpeg.empty() ? cv::Mat() : codecs::decode_image(bytes, cv::IMREAD_COLOR);
  if (image.empty() || image.cols == 0 || image.rows == 0) {
    cell_area.setTo(kMissing);
    return;
  }
  const double scale =
      std::min(static_cast<double>(cell) / image.cols, static_cast<double>(cell) / image.rows);
  const int w = std::clamp(static_cast<int>(std::lround(image.cols * scale)), 1, cell);
  const int h = std::clamp(static_cast<int>(std::lround(image.rows * scale)), 1, cell);
  cv::Mat scaled;
  cv::resize(image, scaled, cv::Size(w, h), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  scaled.copyTo(cell_area(cv::Rect((cell - w) / 2, (cell - h) / 2, w, h)));
}

}  // namespace

std::string contact_sheet_png(const std::vector<ContactSheetRow>& rows, int cell_size,
                              int max_per_row) {
  detail::single_threaded_opencv();
  cell_size = std::clamp(cell_size, 16, 1024);
  max_per_row = std::clamp(max_per_row, 1, 100);
  const int width = kGap + max_per_row * (cell_size + kGap);
  const int row_height = kBandHeight + cell_size + kGap;
  const int height = kGap + std::max<int>(static_cast<int>(rows.size()), 1) * row_height;
  cv::Mat sheet(height, width, CV_8UC3, kBackground);
  int y = kGap;
  for (const auto& row : rows) {
    cv::rectangle(sheet, cv::Rect(0, y, width, kBandHeight - 4), kBand, cv::FILLED);
    cv::putText(sheet, ascii_label(row.label), cv::Point(kGap, y + kBandHeight - 10),
                cv::FONT_HERSHEY_SIMPLEX, 0.5, kText, 1, cv::LINE_AA);
    const int shown = std::min<int>(static_cast<int>(row.thumbnails_jpeg.size()), max_per_row);
    for (int c = 0; c < shown; ++c) {
      const std::string* jpeg = row.thumbnails_jpeg[static_cast<size_t>(c)];
      draw_cell(sheet, jpeg ? *jpeg : std::string(), kGap + c * (cell_size + kGap), y + kBandHeight,
                cell_size);
    }
    y += row_height;
  }
  std::vector<uchar> png;
  if (!codecs::encode_image(".png", sheet, png))
    throw Error("internal: OpenCV could not encode the contact sheet as PNG");
  return std::string(png.begin(), png.end());
}

}  // namespace elv::creative
