#include "io/media_type.h"

#include <fstream>

#include "base/error.h"

namespace elv::io {

namespace {

// Whether s holds prefix at offset at.
bool bytes_at(std::string_view s, std::string_view prefix, size_t at = 0) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

uint32_t byte_at(std::string_view s, size_t at) { return static_cast<unsigned char>(s[at]); }

// Little- and big-endian unsigned integers of n bytes at offset at (the caller checks size).
uint32_t le(std::string_view s, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | byte_at(s, at + static_cast<size_t>(i));
  return v;
}
uint32_t be(std::string_view s, size_t at, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | byte_at(s, at + static_cast<size_t>(i));
  return v;
}

// BMP's magic is only "BM", which text may start with too, so the DIB header's own size
// (one of the versions Windows and OS/2 defined) must follow at offset 14.
bool is_bmp(std::string_view head) {
  if (!bytes_at(head, "BM") || head.size() < 18) return false;
  const uint32_t dib = le(head, 14, 4);
  return dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 ||
         dib == 124;
}

std::optional<PixelSize> png_size(std::string_view b) {
  // Signature (8), IHDR's length (4) and type (4), then width and height, big-endian.
  if (b.size() < 24 || !bytes_at(b, "IHDR", 12)) return std::nullopt;
  return PixelSize{be(b, 16, 4), be(b, 20, 4)};
}

std::optional<PixelSize> jpeg_size(std::string_view b) {
  size_t at = 2;  // after SOI
  while (at + 4 <= b.size()) {
    if (byte_at(b, at) != 0xff) return std::nullopt;  // not at a marker: damaged
    const uint32_t marker = byte_at(b, at + 1);
    if (marker == 0xff) {  // fill byte before a marker
      ++at;
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI; EOI or SOS before any SOFn means no size.
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    if (marker == 0xd9 || marker == 0xda) return std::nullopt;
    const uint32_t length = be(b, at + 2, 2);
    if (length < 2) return std::nullopt;
    // SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
      if (at + 9 > b.size() || length < 7) return std::nullopt;
      const uint32_t height = be(b, at + 5, 2), width = be(b, at + 7, 2);
      if (height == 0) return std::nullopt;  // height given later (DNL): not worth trusting
      return PixelSize{width, height};
    }
    at += 2 + length;
  }
  return std::nullopt;
}

std::optional<PixelSize> webp_size(std::string_view b) {
  if (b.size() < 30) return std::nullopt;
  if (bytes_at(b, "VP8 ", 12)) {  // lossy: a key frame's start code, then 14-bit sizes
    if (!bytes_at(b, "\x9d\x01\x2a", 23)) return std::nullopt;
    return PixelSize{le(b, 26, 2) & 0x3fff, le(b, 28, 2) & 0x3fff};
  }
  if (bytes_at(b, "VP8L", 12)) {  // lossless: signature 0x2f, then width-1 and height-1
    if (byte_at(b, 20) != 0x2f) return std::nullopt;
    const uint32_t bits = le(b, 21, 4);
    return PixelSize{(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
  }
  if (bytes_at(b, "VP8X", 12))  // extended: the canvas, 24-bit width-1 and height-1
    return PixelSize{le(b, 24, 3) + 1, le(b, 27, 3) + 1};
  return std::nullopt;
}

std::optional<PixelSize> bmp_size(std::string_view b) {
  if (!is_bmp(b)) return std::nullopt;
  if (le(b, 14, 4) == 12) return PixelSize{le(b, 18, 2), le(b, 20, 2)};  // OS/2 core header
  if (b.size() < 26) return std::nullopt;
  // Signed: a negative height marks a top-down bitmap.
  const auto width = static_cast<int32_t>(le(b, 18, 4));
  const auto height = static_cast<int32_t>(le(b, 22, 4));
  if (width <= 0 || height == 0 || height == INT32_MIN) return std::nullopt;
  return PixelSize{width, height < 0 ? -static_cast<int64_t>(height) : height};
}

}  // namespace

std::optional<MediaType> sniff_media_type(std::string_view head) {
  using namespace std::string_view_literals;
  if (bytes_at(head, "\x89PNG\r\n\x1a\n"sv)) return MediaType{MediaKind::Image, "image/png"};
  if (bytes_at(head, "\xff\xd8\xff"sv)) return MediaType{MediaKind::Image, "image/jpeg"};
  if (bytes_at(head, "RIFF"sv) && bytes_at(head, "WEBP"sv, 8))
    return MediaType{MediaKind::Image, "image/webp"};
  if (bytes_at(head, "GIF87a"sv) || bytes_at(head, "GIF89a"sv))
    return MediaType{MediaKind::Image, "image/gif"};
  if (is_bmp(head)) return MediaType{MediaKind::Image, "image/bmp"};
  // ISO base media files (MP4, MOV) start with a box: 4 bytes of size, then its type.
  // The first box is "ftyp", whose major brand "qt  " marks QuickTime; older QuickTime
  // files start directly with a movie, data or padding box.
  if (bytes_at(head, "ftyp"sv, 4)) {
    if (bytes_at(head, "qt  "sv, 8)) return MediaType{MediaKind::Video, "video/quicktime"};
    return MediaType{MediaKind::Video, "video/mp4"};
  }
  for (std::string_view box : {"moov"sv, "mdat"sv, "wide"sv, "free"sv})
    if (bytes_at(head, box, 4)) return MediaType{MediaKind::Video, "video/quicktime"};
  // Matroska starts with an EBML header; WebM is Matroska whose DocType, near the start,
  // is "webm".
  if (bytes_at(head, "\x1a\x45\xdf\xa3"sv)) {
    if (head.find("webm") != std::string_view::npos)
      return MediaType{MediaKind::Video, "video/webm"};
    if (head.find("matroska") != std::string_view::npos)
      return MediaType{MediaKind::Video, "video/x-matroska"};
  }
  return std::nullopt;
}

std::string media_type_label(const std::string& mime) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"image/png", "PNG"},       {"image/jpeg", "JPEG"}, {"image/webp", "WebP"},
      {"image/bmp", "BMP"},       {"image/gif", "GIF"},   {"video/mp4", "MP4"},
      {"video/quicktime", "MOV"}, {"video/webm", "WebM"}, {"video/x-matroska", "MKV"}};
  for (const auto& [m, label] : kLabels)
    if (mime == m) return label;
  return mime;
}

std::string read_media_head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open file", path);
  std::string head(kMediaSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (in.bad()) throw Error("cannot read file", path);
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

std::optional<PixelSize> picture_dimensions(std::string_view bytes) {
  const auto type = sniff_media_type(bytes);
  if (!type || type->kind != MediaKind::Image) return std::nullopt;
  std::optional<PixelSize> size;
  if (type->mime == "image/png") size = png_size(bytes);
  if (type->mime == "image/jpeg") size = jpeg_size(bytes);
  if (type->mime == "image/webp") size = webp_size(bytes);
  if (type->mime == "image/bmp") size = bmp_size(bytes);
  if (type->mime == "image/gif" && bytes.size() >= 10)
    size = PixelSize{le(bytes, 6, 2), le(bytes, 8, 2)};
  if (size && (size->width <= 0 || size->height <= 0)) return std::nullopt;
  return size;
}

}  // namespace elv::io
