#include "creative/creative_map.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/error.h"
#include "io/csv_reader.h"

namespace elv::creative {

namespace fs = std::filesystem;

namespace {

// Index of a header cell, or -1; header cells are already trimmed by the reader.
int column_index(const std::vector<std::string>& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string media_root_of(const std::string& csv_path, const std::string& media_dir) {
  fs::path root = media_dir.empty() ? fs::absolute(csv_path).parent_path() : fs::path(media_dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw Error(
        "the media folder does not exist or is not a folder; give --media-dir the "
        "folder that holds the creatives",
        root.string());
  return fs::canonical(root).string();
}

// "ad 123 on lines 4, 9; ad 77 on lines 5, 6"
std::string describe_repeats(const std::map<std::string, std::vector<int64_t>>& lines_by_id) {
  std::string out;
  for (const auto& [id, lines] : lines_by_id) {
    if (lines.size() < 2) continue;
    if (!out.empty()) out += "; ";
    out += "'" + id + "' on lines ";
    for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i]);
  }
  return out;
}

}  // namespace

CreativeMap read_creative_map(const std::string& csv_path, const std::string& media_dir) {
  CreativeMap map;
  map.csv_path = csv_path;
  auto reader = csv::Reader::open(csv_path);
  const auto& header = reader.header();
  const int ad_col = column_index(header, "ad_id");
  const int path_col = column_index(header, "media_path");
  const int type_col = column_index(header, "creative_type");
  for (auto [col, name] : {std::pair{ad_col, "ad_id"}, std::pair{path_col, "media_path"}}) {
    if (col < 0)
      throw Error(std::string("required column '") + name +
                      "' is missing; creative_media.csv needs ad_id and media_path" +
                      reader.single_column_hint(),
                  csv_path, reader.header_line());
  }
  map.media_root = media_root_of(csv_path, media_dir);

  std::map<std::string, std::vector<int64_t>> lines_by_id;
  reader.for_each([&](int64_t line, const std::vector<std::string_view>& fields) {
    CreativeRow row;
    row.line = line;
    row.ad_id = trimmed(fields[static_cast<size_t>(ad_col)]);
    row.media_path = trimmed(fields[static_cast<size_t>(path_col)]);
    if (type_col >= 0) row.creative_type = trimmed(fields[static_cast<size_t>(type_col)]);
    if (row.ad_id.empty()) throw Error("ad_id is empty", csv_path, line, "ad_id");
    if (row.media_path.empty())
      throw Error("media_path is empty; give the picture or video of this ad", csv_path, line,
                  "media_path");
    lines_by_id[row.ad_id].push_back(line);
    map.rows.push_back(std::move(row));
  });
  if (map.rows.empty()) throw Error("creative_media.csv has no rows", csv_path);
  if (auto repeats = describe_repeats(lines_by_id); !repeats.empty())
    throw Error(
        "each ad_id may appear once, but these repeat: " + repeats + "; keep one media file per ad",
        csv_path, -1, "ad_id");
  return map;
}

ResolvedMedia resolve_media(const CreativeMap& map, const CreativeRow& row) {
  fs::path p(row.media_path);
  if (p.is_relative()) p = fs::path(map.media_root) / p;
  std::error_code ec;
  if (!fs::exists(p, ec)) return {"", "file not found"};
  fs::path real = fs::canonical(p, ec);
  if (ec) return {"", "cannot resolve the path (" + ec.message() + ")"};
  // Inside the root: the root is a prefix of the real path, component by component.
  const fs::path root(map.media_root);
  auto [root_end, real_it] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (root_end != root.end()) return {"", "path leaves the media folder"};
  if (!fs::is_regular_file(real, ec)) return {"", "not a regular file"};
  return {real.string(), ""};
}

}  // namespace elv::creative
