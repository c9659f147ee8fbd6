#include "server/creatives.h"

#include <zip.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "base/error.h"
#include "base/format.h"
#include "creative/creative_files.h"
#include "io/csv_reader.h"
#include "io/files.h"
#include "report/creatives.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

namespace {

constexpr size_t kMaxNeighbors = 10;
constexpr size_t kMaxNameBytes = 255;  // a zip entry's part, or a media file's name
constexpr size_t kMaxPathBytes = 1024;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// Why an entry name may not be unpacked, or "" when it may. Checked as written in the zip,
// before any path is built from it.
std::string bad_entry_name(std::string_view name) {
  if (name.empty()) return "it has no name";
  if (name.size() > kMaxPathBytes) return "its name is too long";
  if (has_control(name)) return "its name holds a control character";
  if (name.find('\\') != std::string_view::npos) return "its name holds a backslash";
  if (name.front() == '/') return "it is an absolute path";
  if (name.size() >= 2 && name[1] == ':') return "it names a drive";
  std::string_view rest = name;
  if (rest.back() == '/') rest.remove_suffix(1);  // a folder
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part.empty()) return "its name has an empty folder (//)";
    if (part == "." || part == "..") return "its name has a '" + std::string(part) + "' part";
    if (part.size() > kMaxNameBytes) return "a part of its name is too long";
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return "";
}

// Files macOS's Finder adds to every zip it makes: metadata, never media.
bool is_finder_litter(std::string_view name) {
  if (name.rfind("__MACOSX/", 0) == 0) return true;
  const size_t slash = name.rfind('/', name.size() > 1 ? name.size() - 2 : 0);
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  return base == ".DS_Store" || base.rfind("._", 0) == 0;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

[[noreturn]] void refuse(const std::string& entry, const std::string& why) {
  throw UsageError("the zip's entry '" + entry + "' " + why);
}

std::string megabytes(uint64_t bytes) {
  return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MB";
}

}  // namespace

std::optional<json> creatives_json(const std::string& run_dir, const std::string& run_id) {
  const auto dir = report::creative_folder(run_dir);
  if (!dir) return std::nullopt;
  const report::Creatives c = report::load_creatives(*dir, run_dir, kMaxNeighbors);
  const std::string base = "/api/runs/" + run_id + "/creatives/thumbnails/";
  json assets = json::array();
  for (size_t k = 0; k < c.assets.size(); ++k) {
    const auto& a = c.assets[k];
    assets.push_back(
        {{"ad_id", a.ad_id},
         {"cluster_id", a.cluster_id},
         {"media_type", a.media_type},
         {"width", a.width},
         {"height", a.height},
         {"frames_used", a.frames_used},
         {"thumbnail",
          a.thumbnail.empty() ? json(nullptr) : json(base + std::to_string(k) + ".jpg")}});
  }
  json clusters = json::array();
  for (size_t i = 0; i < c.clusters.size(); ++i) {
    const auto& cl = c.clusters[i];
    json members = json::array();
    for (size_t m : cl.members) members.push_back(c.assets[m].ad_id);
    json j = {{"id", cl.id}, {"rank", i + 1}, {"members", members}, {"low_volume", false}};
    if (cl.figures) {
      const auto& f = *cl.figures;
      j["creatives"] = number_or_null(f.creatives);
      j["leads"] = number_or_null(f.leads);
      j["mean_p_qualified"] = number_or_null(f.mean_p_qualified);
      j["predicted_elv"] = number_or_null(f.predicted_elv);
      j["spend"] = number_or_null(f.spend);
      j["elv_per_spend"] = number_or_null(f.elv_per_spend);
      j["labeled_leads"] = number_or_null(f.labeled_leads);
      j["qualified_rate_labeled"] = number_or_null(f.qualified_rate_labeled);
      j["low_volume"] = f.low_volume;
    }
    clusters.push_back(std::move(j));
  }
  json neighbors = json::object();
  for (const auto& [ad, list] : c.neighbors) {
    json l = json::array();
    for (const auto& n : list)
      l.push_back(
          {{"ad_id", n.ad_id}, {"rank", n.rank}, {"similarity", number_or_null(n.similarity)}});
    neighbors[ad] = std::move(l);
  }
  const fs::path errors = fs::path(*dir).lexically_relative(run_dir) / creative::kErrorsFile;
  return json{
      {"creatives", c.assets.size()},
      {"encoder", text_or_null(c.encoder)},
      {"currency", text_or_null(c.currency)},
      {"has_summary", c.has_summary},
      {"errors", c.errors},
      {"errors_file", c.errors > 0 ? json(errors.lexically_normal().string()) : json(nullptr)},
      {"clusters", clusters},
      {"assets", assets},
      {"neighbors", neighbors}};
}

std::optional<std::string> creative_thumbnail(const std::string& run_dir, const std::string& k) {
  if (k.empty() || k.size() > 9 || k.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const auto dir = report::creative_folder(run_dir);
  if (!dir) return std::nullopt;
  const uint64_t row = std::stoull(k);
  uint64_t rows = 0;
  try {
    csv::Reader::open((*dir / creative::kAssetsFile).string())
        .for_each([&](int64_t, const std::vector<std::string_view>&) { ++rows; });
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (row >= rows) return std::nullopt;
  const fs::path path = *dir / creative::kThumbnailsFolder / (std::to_string(row) + ".jpg");
  std::error_code ec;
  if (fs::is_symlink(*dir, ec) || fs::is_symlink(*dir / creative::kThumbnailsFolder, ec) ||
      fs::is_symlink(path, ec) || !fs::is_regular_file(path, ec))
    return std::nullopt;
  return path.string();
}

uint64_t extract_zip(const std::string& zip_path, const std::string& dest,
                     const ZipLimits& limits) {
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open(zip_path.c_str(), ZIP_RDONLY, &error));
  if (!archive) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw UsageError("the zip cannot be opened (" + why + "): send a .zip file made by a zip tool");
  }
  const zip_int64_t n = zip_get_num_entries(archive.get(), 0);
  if (n < 0 || static_cast<uint64_t>(n) > limits.max_entries)
    throw UsageError("the zip has " + std::to_string(n) + " entries; at most " +
                     std::to_string(limits.max_entries) + " are accepted");

  // Every name and declared size first: a refused zip writes nothing.
  std::set<std::string> seen;
  uint64_t declared_total = 0;
  std::vector<zip_uint64_t> files;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(n); ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), i, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      throw UsageError("the zip is damaged: entry " + std::to_string(i + 1) + " cannot be read");
    const std::string name = st.name;
    const std::string shown = has_control(name) ? "entry " + std::to_string(i + 1) : name;
    if (const std::string why = bad_entry_name(name); !why.empty())
      refuse(shown, "is refused: " + why);
    if (!seen.insert(name).second) refuse(shown, "appears twice");
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(archive.get(), i, 0, &opsys, &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX && S_ISLNK(attributes >> 16))
      refuse(shown, "is a symbolic link: links are not accepted");
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      refuse(shown, "is encrypted: send a zip without a password");
    if (name.back() == '/' || is_finder_litter(name)) continue;
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
      refuse(shown, "has no recorded size: the zip is damaged");
    if (st.size > limits.max_entry_bytes)
      refuse(shown, "unpacks to " + megabytes(st.size) + ", over the limit of " +
                        megabytes(limits.max_entry_bytes) + " per file");
    if (st.size > (1u << 20) &&
        st.size / std::max<zip_uint64_t>(st.comp_size, 1) > limits.max_ratio)
      refuse(shown, "is compressed " +
                        std::to_string(st.size / std::max<zip_uint64_t>(st.comp_size, 1)) +
                        " times, more than pictures or videos can be: it looks like a zip bomb");
    declared_total += st.size;
    if (declared_total > limits.max_total_bytes)
      refuse(shown, "takes the unpacked size over the limit of " +
                        megabytes(limits.max_total_bytes) + " for one upload");
    files.push_back(i);
  }

  fs::create_directories(dest);
  uint64_t total = 0;
  std::vector<char> buffer(1 << 16);
  for (zip_uint64_t i : files) {
    const std::string name = zip_get_name(archive.get(), i, ZIP_FL_ENC_RAW);
    const fs::path target = fs::path(dest) / name;
    fs::create_directories(target.parent_path());
    std::unique_ptr<zip_file_t, ZipFileCloser> in(zip_fopen_index(archive.get(), i, 0));
    if (!in) refuse(name, "cannot be unpacked: the zip is damaged or uses an unknown compression");
    // "x": never replaces a file (two names that differ only in ways the disk ignores).
    io::UniqueFile out(std::fopen(target.c_str(), "wbx"));
    if (!out) refuse(name, "cannot be written (does another entry have the same name?)");
    uint64_t written = 0;
    for (;;) {
      const zip_int64_t got = zip_fread(in.get(), buffer.data(), buffer.size());
      if (got < 0) refuse(name, "cannot be unpacked: the zip is damaged");
      if (got == 0) break;
      written += static_cast<uint64_t>(got);
      total += static_cast<uint64_t>(got);
      // The sizes were declared by the zip's maker; what counts is what comes out.
      if (written > limits.max_entry_bytes || total > limits.max_total_bytes)
        refuse(name, "unpacks to more than the zip declared, over the upload's limits");
      if (std::fwrite(buffer.data(), 1, static_cast<size_t>(got), out.get()) !=
          static_cast<size_t>(got))
        throw Error("cannot save the unpacked file " + name + " (disk full?)");
    }
    if (!io::close_checked(out))
      throw Error("cannot save the unpacked file " + name + " (disk full?)");
  }
  return files.size();
}

CreativeUpload receive_creative_upload(const httplib::Request& request,
                                       const httplib::ContentReader& reader, const std::string& dir,
                                       uint64_t max_file_bytes, uint64_t max_total_bytes) {
  CreativeUpload up;
  up.media_dir = (fs::path(dir) / "media").string();
  if (!request.is_multipart_form_data()) {
    up.problem = "expected a multipart/form-data upload";
    reader([](const char*, size_t) { return true; });  // drain: the connection stays usable
    return up;
  }
  fs::create_directories(up.media_dir);
  io::UniqueFile out;
  std::string path, shown;
  uint64_t written = 0, total = 0;
  bool dropping = false;
  std::set<std::string> names;
  auto fail = [&](const std::string& message) {
    if (up.problem.empty()) up.problem = message;
    dropping = true;
  };
  auto close_file = [&] {
    if (!out) return;
    if (!io::close_checked(out) && !dropping) fail("cannot save " + shown + " (disk full?)");
  };
  reader(
      [&](const httplib::MultipartFormData& part) {
        close_file();
        written = 0;
        dropping = !up.problem.empty() || !up.too_large.empty();
        if (dropping) return true;
        const std::string& name = part.filename;
        shown = name;
        if (part.name == "creative_media" && !name.empty()) {
          if (!up.csv.empty()) {
            fail("send one creative_media.csv");
            return true;
          }
          up.csv = path = (fs::path(dir) / "creative_media.csv").string();
        } else if (part.name == "media" && !name.empty()) {
          const bool zip = name.size() > 4 && (name.compare(name.size() - 4, 4, ".zip") == 0 ||
                                               name.compare(name.size() - 4, 4, ".ZIP") == 0);
          if (name.size() > kMaxNameBytes || name.front() == '.' ||
              name.find_first_of("/\\") != std::string::npos || has_control(name)) {
            fail("file name not accepted: '" + (has_control(name) ? std::string("?") : name) +
                 "' (no folders, no leading dot, at most 255 bytes)");
            return true;
          }
          if (zip) {
            if (!up.zip.empty() || up.files > 0) {
              fail("send either the media files or one .zip of them, not both or two zips");
              return true;
            }
            up.zip = path = (fs::path(dir) / "upload.zip").string();
          } else {
            if (!up.zip.empty()) {
              fail("send either the media files or one .zip of them, not both");
              return true;
            }
            if (up.files >= kMaxCreativeMediaFiles) {
              fail("at most " + std::to_string(kMaxCreativeMediaFiles) +
                   " media files at once; send a zip, or use elv creative-analyze");
              return true;
            }
            if (!names.insert(name).second) {
              fail("two files are named " + name + "; rename one");
              return true;
            }
            path = (fs::path(up.media_dir) / name).string();
            ++up.files;
          }
        } else if ((part.name == "media" || part.name == "creative_media") && name.empty()) {
          dropping = true;  // a file input left empty
          return true;
        } else {
          fail("unknown upload field '" + part.name + "'");
          return true;
        }
        out.reset(std::fopen(path.c_str(), "wbx"));
        if (!out) fail("cannot save " + name);
        return true;
      },
      [&](const char* data, size_t length) {
        if (dropping || !out) return true;
        written += length;
        total += length;
        if (written > max_file_bytes || total > max_total_bytes) {
          // Keep reading, so the client sees the 413 and its message rather than a reset.
          up.too_large = written > max_file_bytes ? shown : "the media files together";
          dropping = true;
          return true;
        }
        if (std::fwrite(data, 1, length, out.get()) != length)
          fail("cannot save " + shown + " (disk full?)");
        return true;
      });
  close_file();
  return up;
}

}  // namespace elv::server
