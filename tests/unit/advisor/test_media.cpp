// Media checks of elv advise: types from magic bytes (io/media_type.h), the size limits and
// the base64 encoding of advisor/media.cpp.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "../demo/demo_test_util.h"
#include "advisor/advisor_parts.h"
#include "base/base64.h"
#include "base/error.h"
#include "io/media_type.h"

namespace elv::advisor {
namespace {

using demo::test_util::TempDir;
using namespace std::string_literals;

std::string mime_of(const std::string& head) {
  const auto t = io::sniff_media_type(head);
  return t ? t->mime : "none";
}

TEST(MediaType, ImagesFromTheirMagicBytes) {
  EXPECT_EQ(mime_of("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s), "image/png");
  EXPECT_EQ(mime_of("\xff\xd8\xff\xe0\0\x10JFIF"s), "image/jpeg");
  EXPECT_EQ(mime_of("RIFF\x24\0\0\0WEBPVP8 "s), "image/webp");
  EXPECT_EQ(io::sniff_media_type("\xff\xd8\xff\xdb"s)->kind, io::MediaKind::Image);
}

TEST(MediaType, VideosFromTheirMagicBytes) {
  EXPECT_EQ(mime_of("\0\0\0\x20"
                    "ftypisom\0\0\x02\0"s),
            "video/mp4");
  EXPECT_EQ(mime_of("\0\0\0\x14"
                    "ftypqt  \0\0\0\0"s),
            "video/quicktime");
  EXPECT_EQ(mime_of("\0\0\0\x08wide\0\0\0\0mdat"s), "video/quicktime");
  EXPECT_EQ(mime_of("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm"s), "video/webm");
  EXPECT_EQ(io::sniff_media_type("\0\0\0\x20"
                                 "ftypmp42"s)
                ->kind,
            io::MediaKind::Video);
}

TEST(MediaType, OtherBytesAreRefused) {
  EXPECT_EQ(mime_of("lead_id,email\n1,a@b.c\n"), "none");
  EXPECT_EQ(mime_of(""), "none");
  EXPECT_EQ(mime_of("\x89PN"), "none");                                     // cut short
  EXPECT_EQ(mime_of("RIFF\x24\0\0\0WAVEfmt "s), "none");                    // audio, not WebP
  EXPECT_EQ(mime_of("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01mkv2"s), "none");  // EBML, no DocType
}

void write(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string check_error(const std::filesystem::path& p) {
  try {
    detail::check_media(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Media, TypeComesFromContentNotName) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  const auto jpeg_named_png = dir.path() / "ad.png";
  write(jpeg_named_png, "\xff\xd8\xff\xe0 some jpeg bytes"s);
  const detail::Media m = detail::check_media(jpeg_named_png);
  EXPECT_EQ(m.type.mime, "image/jpeg");
  EXPECT_EQ(m.size, 20u);  // 4 bytes of magic + 16
  const auto text_named_mp4 = dir.path() / "ad.mp4";
  write(text_named_mp4, "not a video at all");
  EXPECT_NE(check_error(text_named_mp4).find("not a PNG, JPEG or WebP image"), std::string::npos)
      << check_error(text_named_mp4);
}

// io/media_type knows BMP, GIF and Matroska (for creative analysis); Gemini does not take
// them, so --media refuses them as before.
TEST(Media, TypesGeminiDoesNotTakeAreRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  const std::pair<const char*, std::string> files[] = {
      {"ad.gif", "GIF89a\x10\0\x10\0\0\0\0"s},
      {"ad.bmp", "BM\x46\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x02\0\0\0\x02\0\0\0"s},
      {"ad.mkv", "\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"s}};
  for (const auto& [name, bytes] : files) {
    write(dir.path() / name, bytes);
    EXPECT_TRUE(io::sniff_media_type(bytes).has_value()) << name;
    EXPECT_NE(check_error(dir.path() / name).find("not a PNG, JPEG or WebP image nor an MP4"),
              std::string::npos)
        << name << ": " << check_error(dir.path() / name);
  }
}

TEST(Media, SizeLimits) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  const auto big_video = dir.path() / "big.mp4";
  write(big_video,
        "\0\0\0\x20"
        "ftypisom"s);
  std::filesystem::resize_file(big_video, detail::kMaxMediaBytes + 1);
  EXPECT_NE(check_error(big_video).find("over the limit of 50.0 MB"), std::string::npos)
      << check_error(big_video);
  std::filesystem::resize_file(big_video, detail::kMaxMediaBytes);
  EXPECT_EQ(detail::check_media(big_video).type.mime, "video/mp4");

  const auto big_image = dir.path() / "big.png";
  write(big_image, "\x89PNG\r\n\x1a\n"s);
  std::filesystem::resize_file(big_image, detail::kMaxInlineImageBytes + 1);
  EXPECT_NE(check_error(big_image).find("over the limit of 15.0 MB for images"), std::string::npos)
      << check_error(big_image);
  EXPECT_NE(check_error(dir.path() / "missing.png").find("not found"), std::string::npos);
}

TEST(Media, Base64IsStandardAndPadded) {
  EXPECT_EQ(elv::base64(""), "");
  EXPECT_EQ(elv::base64("f"), "Zg==");
  EXPECT_EQ(elv::base64("fo"), "Zm8=");
  EXPECT_EQ(elv::base64("foo"), "Zm9v");
  EXPECT_EQ(elv::base64("\xff\xd8\xff"s), "/9j/");
  EXPECT_EQ(elv::base64(std::string(100, 'a')).size(), 136u);  // no line breaks
}

TEST(Media, PreviewShowsTypeAndSizeNotBytes) {
  detail::Media image{"x.png", {io::MediaKind::Image, "image/png"}, 1234};
  const auto part = detail::media_part_preview(image);
  EXPECT_EQ(part["inline_data"]["mime_type"], "image/png");
  EXPECT_NE(part["inline_data"]["data"].get<std::string>().find("1234 bytes of image/png"),
            std::string::npos);
  detail::Media video{"x.mp4", {io::MediaKind::Video, "video/mp4"}, 99};
  EXPECT_EQ(detail::media_part_preview(video)["file_data"]["mime_type"], "video/mp4");
}

}  // namespace
}  // namespace elv::advisor
