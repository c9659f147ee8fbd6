// creative_clusters.png: a PNG of the expected size, rows in the order given, thumbnails
// where they belong, labels outside ASCII drawn without failing.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "creative/contact_sheet.h"

namespace elv::creative {
namespace {

std::string solid_jpeg(int w, int h, cv::Scalar bgr) {
  cv::Mat m(h, w, CV_8UC3, bgr);
  std::vector<uchar> out;
  cv::imencode(".jpg", m, out);
  return std::string(out.begin(), out.end());
}

TEST(CreativeContactSheet, RowsOfScaledThumbnails) {
  const std::string red = solid_jpeg(300, 150, {0, 0, 255}), blue = solid_jpeg(40, 80, {255, 0, 0});
  const std::vector<ContactSheetRow> rows = {
      {"Cluster 0 \xC2\xB7 2 creatives \xC2\xB7 caf\xC3\xA9", {&red, &blue}},
      {"Cluster 1", {&blue, &blue, &blue}},
  };
  const std::string png = contact_sheet_png(rows, 100, 3);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  const cv::Mat sheet =
      cv::imdecode(cv::Mat(1, int(png.size()), CV_8U, (void*)png.data()), cv::IMREAD_COLOR);
  // Width: gap + 3 cells of 100 + gaps; height: gap + 2 rows of (band 26 + cell 100 + gap).
  EXPECT_EQ(sheet.cols, 6 + 3 * 106);
  EXPECT_EQ(sheet.rows, 6 + 2 * (26 + 100 + 6));
  // Row 0, cell 0: the red picture scaled to 100 x 50, centred vertically.
  const cv::Vec3b centre = sheet.at<cv::Vec3b>(6 + 26 + 50, 6 + 50);
  EXPECT_GT(centre[2], 200);
  EXPECT_LT(centre[0], 60);
  const cv::Vec3b above = sheet.at<cv::Vec3b>(6 + 26 + 10, 6 + 50);  // outside the 50-px band
  EXPECT_GT(above[0], 200);
  EXPECT_GT(above[1], 200);
  // Row 1, cell 2: blue.
  const cv::Vec3b blue_px = sheet.at<cv::Vec3b>(6 + 132 + 26 + 50, 6 + 2 * 106 + 50);
  EXPECT_GT(blue_px[0], 200);
  EXPECT_LT(blue_px[2], 60);
}

TEST(CreativeContactSheet, UndecodableThumbnailIsAGreyCell) {
  const std::string junk = "not a jpeg";
  const std::string png = contact_sheet_png({{"x", {&junk}}}, 50, 1);
  const cv::Mat sheet =
      cv::imdecode(cv::Mat(1, int(png.size()), CV_8U, (void*)png.data()), cv::IMREAD_COLOR);
  EXPECT_EQ(sheet.at<cv::Vec3b>(6 + 26 + 25, 6 + 25), cv::Vec3b(200, 200, 200));
}

}  // namespace
}  // namespace elv::creative
