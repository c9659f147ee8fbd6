// creative_media.csv: which picture or video each ad showed (docs/CREATIVES.md, "Inputs").
// Columns ad_id and media_path are required, creative_type is optional; any other column is
// ignored. A media path is resolved against the media folder and must stay inside it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace elv::creative {

struct CreativeRow {
  int64_t line = 0;  // 1-based line of the CSV where the row starts (header = 1)
  std::string ad_id;
  std::string media_path;     // as written in the CSV
  std::string creative_type;  // "" when the column is absent or the cell empty
};

struct CreativeMap {
  std::string csv_path;
  std::string media_root;         // absolute, symlinks resolved: --media-dir, else the CSV's folder
  std::vector<CreativeRow> rows;  // in file order
};

// Reads the map through io's CSV reader (any delimiter, BOM, UTF-16). Throws elv::Error
// naming the file (and line and column where there is one) when: a required column is
// missing, an ad_id or media_path cell is empty, ad_ids repeat (every repeated id named,
// with its lines), the file has no rows, or media_dir is not a folder.
CreativeMap read_creative_map(const std::string& csv_path, const std::string& media_dir);

// The file a row points at, or why it cannot be used. Relative paths resolve against
// map.media_root; the result, with symlinks followed, must lie inside media_root
// ("path leaves the media folder"), exist ("file not found") and be a regular file.
struct ResolvedMedia {
  std::string path;     // absolute; empty when problem is set
  std::string problem;  // "" when path is usable
};
ResolvedMedia resolve_media(const CreativeMap& map, const CreativeRow& row);

}  // namespace elv::creative
