// The web app's Creatives tab (docs/SERVE.md): a run's creative analysis as JSON, its
// thumbnails, and the upload that starts one: creative_media.csv with the media files, or one
// zip of them, unpacked here under limits (a zip is a user's file, so its names and sizes are
// checked before a byte is written).
#pragma once
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace elv::server {

// {"creatives", "encoder", "currency", "has_summary", "errors", "errors_file", "clusters":
// [{"id", "rank", figures…, "low_volume", "members": [ad_id…]}], "assets": [{"ad_id",
// "cluster_id", "media_type", "width", "height", "frames_used", "thumbnail"}], "neighbors":
// {ad_id: [{"ad_id", "rank", "similarity"}]}}; thumbnail URLs under /api/runs/<run_id>/.
// nullopt when the run has no creative analysis; throws elv::Error when it is unreadable.
std::optional<nlohmann::json> creatives_json(const std::string& run_dir, const std::string& run_id);

// The thumbnail file of row k of the run's creative_assets.csv, when k is 1 to 9 digits, a
// row of that file, and its thumbnail a regular file (no symlink) in the thumbnails folder.
std::optional<std::string> creative_thumbnail(const std::string& run_dir, const std::string& k);

// What a zip upload may unpack to; a zip over any of them is refused.
struct ZipLimits {
  uint64_t max_entries = 5000;
  uint64_t max_entry_bytes = 200ull << 20;  // uncompressed, per file
  uint64_t max_total_bytes = 400ull << 20;  // uncompressed, all files
  // An entry over 1 MB may be at most this many times larger than its compressed bytes:
  // pictures and videos are compressed already, so a file that shrinks more is a zip bomb.
  uint64_t max_ratio = 100;
};

// Unpacks the zip at zip_path into dest (an empty folder), keeping its folders. Refuses, with
// a UsageError (HTTP 400) naming the entry, a zip that is damaged or has too many entries, an
// entry that is encrypted, a symlink, too large (declared or actual) or compressed beyond
// max_ratio, a name that is absolute, has a backslash, a drive letter, a control character or
// a "." or ".." part, and two entries of the same name. macOS's __MACOSX/ and .DS_Store
// entries are skipped. Returns the number of files written.
uint64_t extract_zip(const std::string& zip_path, const std::string& dest, const ZipLimits& limits);

// The Creatives tab's form: the field creative_media (the CSV) and the repeated field media
// (the pictures and videos, or one .zip of them).
inline constexpr size_t kMaxCreativeMediaFiles = 5000;

struct CreativeUpload {
  std::string csv;        // the saved creative_media.csv, "" when none came
  std::string media_dir;  // the media files, or the zip unpacked: <dir>/media
  std::string zip;        // the saved zip, "" when none came
  uint64_t files = 0;     // media files saved (not counting the zip)
  std::string too_large;  // the file over max_file_bytes, if any (nothing more was kept)
  std::string problem;    // a malformed request: unknown field, bad name, two zips…
};

// Streams the form into dir (created): the CSV as creative_media.csv, each media file under
// its browser name (refused when it has a path part or starts with a dot), a zip as
// upload.zip, to be unpacked by extract_zip. A file over max_file_bytes, or media files over
// max_total_bytes together, are named in too_large and nothing more is kept.
CreativeUpload receive_creative_upload(const httplib::Request& request,
                                       const httplib::ContentReader& reader, const std::string& dir,
                                       uint64_t max_file_bytes, uint64_t max_total_bytes);

}  // namespace elv::server
