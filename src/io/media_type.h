// What kind of picture or video a file holds, told from its first bytes (its "magic"),
// never from its name: a creative saved as ad.png may well be a JPEG, and a file named
// .mp4 may be anything. Used by `elv advise --media` (and meant for creative analysis).
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

// PNG, JPEG, WebP, MP4, MOV (QuickTime) or WebM, from the file's first bytes; nullopt for
// anything else (GIF, Matroska that is not WebM, text, ...).
std::optional<MediaType> sniff_media_type(std::string_view head);

// The first kMediaSniffBytes of a file (fewer if it is shorter). Throws elv::Error naming
// the file when it cannot be read.
std::string read_media_head(const std::string& path);

}  // namespace elv::io
