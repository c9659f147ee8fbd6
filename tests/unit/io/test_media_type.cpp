// io/media_type: the signatures creative analysis added (BMP, GIF, Matroska) and the
// picture sizes read from headers, on bytes crafted here (real files: tests/unit/creative).
#include <gtest/gtest.h>

#include "io/media_type.h"

namespace elv::io {
namespace {

using namespace std::string_literals;

std::string mime_of(const std::string& head) {
  const auto t = sniff_media_type(head);
  return t ? t->mime : "none";
}

std::string le16(uint32_t v) { return {static_cast<char>(v & 0xff), static_cast<char>(v >> 8)}; }
std::string le32(uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }
std::string be16(uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; }
std::string be32(uint32_t v) { return be16(v >> 16) + be16(v & 0xffff); }

std::string bmp(int32_t width, int32_t height, uint32_t dib = 40) {
  std::string s = "BM"s + le32(70) + le32(0) + le32(54) + le32(dib);
  if (dib == 12)
    return s + le16(static_cast<uint32_t>(width)) + le16(static_cast<uint32_t>(height)) + le16(1) +
           le16(24);
  return s + le32(static_cast<uint32_t>(width)) + le32(static_cast<uint32_t>(height)) + le16(1) +
         le16(24) + std::string(24, '\0');
}

std::string png(uint32_t width, uint32_t height) {
  return "\x89PNG\r\n\x1a\n"s + be32(13) + "IHDR" + be32(width) + be32(height) + "\x08\x02\0\0\0"s;
}

// SOI, an APP1 (EXIF) segment of `exif` bytes, a DQT, then SOFn.
std::string jpeg(uint32_t width, uint32_t height, size_t exif, uint8_t sof = 0xc0) {
  std::string s = "\xff\xd8"s;
  s += "\xff\xe1"s + be16(static_cast<uint32_t>(exif + 2)) + std::string(exif, 'E');
  s += "\xff\xdb"s + be16(67) + std::string(65, '\x01');
  s += "\xff"s + static_cast<char>(sof) + be16(17) + "\x08"s + be16(height) + be16(width) +
       "\x03"s + std::string(9, '\x11');
  s += "\xff\xda"s;
  return s;
}

TEST(MediaTypeSniff, NewPicturesAndMatroska) {
  EXPECT_EQ(mime_of("GIF89a\x10\0\x10\0"s), "image/gif");
  EXPECT_EQ(mime_of("GIF87a\x10\0\x10\0"s), "image/gif");
  EXPECT_EQ(mime_of("GIF88a\x10\0\x10\0"s), "none");
  EXPECT_EQ(mime_of(bmp(4, 4)), "image/bmp");
  EXPECT_EQ(mime_of(bmp(4, 4, 124)), "image/bmp");
  EXPECT_EQ(mime_of(bmp(4, 4, 12)), "image/bmp");
  EXPECT_EQ(mime_of("BMW,Audi,Volvo\n1,2,3\n"), "none");  // text starting with BM
  EXPECT_EQ(mime_of(bmp(4, 4, 41)), "none");
  EXPECT_EQ(mime_of("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska"s),
            "video/x-matroska");
  EXPECT_EQ(mime_of("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm"s), "video/webm");
  EXPECT_EQ(sniff_media_type("GIF89a"s)->kind, MediaKind::Image);
  EXPECT_EQ(sniff_media_type("\x1a\x45\xdf\xa3matroska"s)->kind, MediaKind::Video);
}

TEST(MediaTypeSniff, LabelsInUsersWords) {
  EXPECT_EQ(media_type_label("image/webp"), "WebP");
  EXPECT_EQ(media_type_label("video/quicktime"), "MOV");
  EXPECT_EQ(media_type_label("video/x-matroska"), "MKV");
  EXPECT_EQ(media_type_label("audio/x-wav"), "audio/x-wav");
}

void expect_size(const std::string& bytes, int64_t w, int64_t h) {
  const auto s = picture_dimensions(bytes);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->width, w);
  EXPECT_EQ(s->height, h);
}

TEST(PictureDimensions, FromEachHeader) {
  expect_size(png(640, 480), 640, 480);
  expect_size(png(100000, 100000), 100000, 100000);  // a bomb is sized, not decoded
  EXPECT_EQ(picture_dimensions(png(100000, 100000))->pixels(), 10'000'000'000);
  expect_size(jpeg(1080, 1350, 10), 1080, 1350);
  expect_size(jpeg(1080, 1350, 3000), 1080, 1350);  // SOF far past the first 64 bytes
  expect_size(jpeg(33, 44, 10, 0xc2), 33, 44);      // progressive
  expect_size(
      "\xff\xd8\xff\xff\xff\xc0"s + be16(17) + "\x08"s + be16(7) + be16(9) + std::string(10, '\0'),
      9, 7);  // fill bytes before the marker
  expect_size(bmp(300, 200), 300, 200);
  expect_size(bmp(300, -200), 300, 200);  // top-down
  expect_size(bmp(300, 200, 12), 300, 200);
  expect_size("GIF89a"s + le16(320) + le16(50) + "\0\0\0"s, 320, 50);
  // WebP, lossy: frame tag, start code, 14-bit sizes (the top 2 bits are scaling).
  expect_size("RIFF"s + le32(100) + "WEBPVP8 " + le32(80) + "\x10\x02\x00"s + "\x9d\x01\x2a"s +
                  le16(0x4000 | 400) + le16(300) + std::string(10, '\0'),
              400, 300);
  // Lossless: signature 0x2f, then 14 bits of width-1 and 14 of height-1.
  expect_size("RIFF"s + le32(100) + "WEBPVP8L" + le32(80) + "\x2f"s + le32((511u) | (255u << 14)) +
                  std::string(10, '\0'),
              512, 256);
  // Extended: flags, then 24-bit canvas width-1 and height-1.
  expect_size(
      "RIFF"s + le32(100) + "WEBPVP8X" + le32(10) + le32(0) + "\x7f\x96\x98"s + "\x0f\x00\x00"s,
      0x98967f + 1, 16);
}

TEST(PictureDimensions, DamagedOrCutShortIsUnknown) {
  EXPECT_FALSE(picture_dimensions(png(640, 480).substr(0, 20)));
  EXPECT_FALSE(picture_dimensions(png(0, 480)));
  EXPECT_FALSE(picture_dimensions("\x89PNG\r\n\x1a\n"s + std::string(40, 'z')));
  EXPECT_FALSE(picture_dimensions(jpeg(1080, 1350, 3000).substr(0, 2000)));  // SOF cut off
  EXPECT_FALSE(picture_dimensions(jpeg(1080, 0, 10)));                       // height via DNL
  EXPECT_FALSE(picture_dimensions("\xff\xd8\xff\xe0garbage that is no segment"s));
  EXPECT_FALSE(picture_dimensions("\xff\xd8\xff\xda"s + std::string(30, '\0')));  // SOS first
  EXPECT_FALSE(picture_dimensions(bmp(0, 10)));
  EXPECT_FALSE(picture_dimensions("RIFF"s + le32(100) + "WEBPVP8 " + le32(80) +
                                  std::string(20, '\0')));  // no start code
  EXPECT_FALSE(picture_dimensions("GIF89a\x10"s));
  EXPECT_FALSE(
      picture_dimensions("\0\0\0\x20"
                         "ftypisom\0\0\x02\0"s));  // a video
  EXPECT_FALSE(picture_dimensions(""));
}

}  // namespace
}  // namespace elv::io
