#include "io/media_type.h"

#include <fstream>

#include "base/error.h"

namespace elv::io {

namespace {

// Whether s holds prefix at offset at.
bool bytes_at(std::string_view s, std::string_view prefix, size_t at = 0) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

}  // namespace

std::optional<MediaType> sniff_media_type(std::string_view head) {
  using namespace std::string_view_literals;
  if (bytes_at(head, "\x89PNG\r\n\x1a\n"sv)) return MediaType{MediaKind::Image, "image/png"};
  if (bytes_at(head, "\xff\xd8\xff"sv)) return MediaType{MediaKind::Image, "image/jpeg"};
  if (bytes_at(head, "RIFF"sv) && bytes_at(head, "WEBP"sv, 8))
    return MediaType{MediaKind::Image, "image/webp"};
  // ISO base media files (MP4, MOV) start with a box: 4 bytes of size, then its type.
  // The first box is "ftyp", whose major brand "qt  " marks QuickTime; older QuickTime
  // files start directly with a movie, data or padding box.
  if (bytes_at(head, "ftyp"sv, 4)) {
    if (bytes_at(head, "qt  "sv, 8)) return MediaType{MediaKind::Video, "video/quicktime"};
    return MediaType{MediaKind::Video, "video/mp4"};
  }
  for (std::string_view box : {"moov"sv, "mdat"sv, "wide"sv, "free"sv})
    if (bytes_at(head, box, 4)) return MediaType{MediaKind::Video, "video/quicktime"};
  // WebM is Matroska (EBML header) whose DocType, near the start, is "webm".
  if (bytes_at(head, "\x1a\x45\xdf\xa3"sv) && head.find("webm") != std::string_view::npos)
    return MediaType{MediaKind::Video, "video/webm"};
  return std::nullopt;
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

}  // namespace elv::io
