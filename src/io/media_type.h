// What kind of picture or video a file holds, told from its first bytes (its "magic"),
// never from its name: a creative saved as ad.png may well be a JPEG, and a file named
// .mp4 may be anything. Used by `elv advise --media` (which accepts only what Gemini takes)
// and by creative analysis (which decodes all of them).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace elv::io {

enum class MediaKind { Image, Video };

struct MediaType {
  MediaKind kind = MediaKind::Image;
  std::string mime;  // "image/png", "image/jpeg", "image/webp", "video/mp4", ...
};

// How many leading bytes sniff_media_type needs to decide; fewer is fine for short files.
inline constexpr size_t kMediaSniffBytes = 64;

// From the file's first bytes: pictures PNG, JPEG, WebP, BMP ("image/bmp"), GIF
// ("image/gif"); videos MP4, MOV (QuickTime), WebM, other Matroska ("video/x-matroska").
// nullopt for anything else (text, audio, archives, a file cut short, ...).
std::optional<MediaType> sniff_media_type(std::string_view head);

// "PNG", "JPEG", "WebP", "BMP", "GIF", "MP4", "MOV", "WebM", "MKV": a type in users' words.
std::string media_type_label(const std::string& mime);

// The first kMediaSniffBytes of a file (fewer if it is shorter). Throws elv::Error naming
// the file when it cannot be read.
std::string read_media_head(const std::string& path);

struct PixelSize {
  int64_t width = 0, height = 0;
  int64_t pixels() const { return width * height; }
};

// A picture's width and height as its header states them, read without decoding it, so a
// decompression bomb (a small file claiming 100000 x 100000 pixels) can be refused before
// any pixel buffer is allocated: PNG's IHDR, JPEG's first SOFn marker (found by walking the
// segments, past any EXIF block), WebP's VP8, VP8L or VP8X chunk, BMP's DIB header, GIF's
// logical screen. `bytes` is the start of the file (the whole file for a JPEG, whose SOFn
// may come late). nullopt when the header is cut short, damaged, or of another type.
std::optional<PixelSize> picture_dimensions(std::string_view bytes);

}  // namespace elv::io
