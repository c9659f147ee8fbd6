#include "server/uploads.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "io/files.h"

namespace fs = std::filesystem;

namespace elv::server {

const std::map<std::string, std::string>& upload_file_names() {
  static const std::map<std::string, std::string> names = {
      {"ads", "ads.csv"},
      {"leads", "leads.csv"},
      {"outcomes", "outcomes.csv"},
      {"lead_to_ad_map", "lead_to_ad_map.csv"},
      {"ads_placement", "ads_placement.csv"},
      {"ads_geo", "ads_geo.csv"},
      {"adset_targeting", "adset_targeting.csv"},
      {"ad_creatives", "ad_creatives.csv"},
      {"model", "model.json"}};
  return names;
}

namespace {

constexpr size_t kMaxFieldBytes = 4096;

}  // namespace

Upload receive_upload(const httplib::Request& request, const httplib::ContentReader& reader,
                      const std::string& dir, uint64_t max_file_bytes) {
  Upload up;
  up.dir = dir;
  if (!request.is_multipart_form_data()) {
    up.problem = "expected a multipart/form-data upload";
    // Drain the body so the connection stays usable.
    reader([](const char*, size_t) { return true; });
    return up;
  }
  fs::create_directories(dir);
  // The part being received: a file (out set) or a text field (field set).
  io::UniqueFile out;
  std::string field, file_name, path;
  uint64_t written = 0;
  bool dropping = false;
  auto close_file = [&] {
    if (!out) return;
    if (!io::close_checked(out) && !dropping) {
      up.problem = "cannot save the upload of " + file_name + " (disk full?)";
      dropping = true;
    }
    if (dropping)
      fs::remove(path);
    else
      up.files[field] = path;
  };
  reader(
      [&](const httplib::MultipartFormData& part) {
        close_file();
        field = part.name;
        written = 0;
        dropping = false;
        if (part.filename.empty()) {
          up.fields[field].clear();
          return true;
        }
        const auto known = upload_file_names().find(field);
        if (known == upload_file_names().end()) {
          if (up.problem.empty()) up.problem = "unknown upload field '" + field + "'";
          dropping = true;
          return true;
        }
        file_name = known->second;
        path = (fs::path(dir) / file_name).string();
        out.reset(std::fopen(path.c_str(), "wb"));
        if (!out) {
          up.problem = "cannot save the upload of " + file_name;
          dropping = true;
        }
        return true;
      },
      [&](const char* data, size_t length) {
        if (!out) {
          if (!dropping && up.fields.count(field) &&
              up.fields[field].size() + length <= kMaxFieldBytes)
            up.fields[field].append(data, length);
          return true;
        }
        if (dropping) return true;
        written += length;
        if (written > max_file_bytes) {
          // Keep reading (a client still sending would otherwise see a reset instead of
          // the 413 and its message), but store nothing more.
          dropping = true;
          if (up.too_large.empty()) up.too_large = file_name;
          return true;
        }
        if (std::fwrite(data, 1, length, out.get()) != length) {
          up.problem = "cannot save the upload of " + file_name + " (disk full?)";
          dropping = true;
        }
        return true;
      });
  close_file();
  return up;
}

Config config_for_upload(const Upload& upload, double value_per_qualified,
                         const std::string& model_type) {
  Config config;
  auto& p = config.paths;
  const std::pair<const char*, std::string*> slots[] = {
      {"ads", &p.ads_path},
      {"leads", &p.leads_path},
      {"outcomes", &p.outcomes_path},
      {"lead_to_ad_map", &p.lead_to_ad_map_path},
      {"ads_placement", &p.ads_placement_path},
      {"ads_geo", &p.ads_geo_path},
      {"adset_targeting", &p.adset_targeting_path},
      {"ad_creatives", &p.ad_creatives_path}};
  for (const auto& [field, slot] : slots) {
    const auto it = upload.files.find(field);
    if (it != upload.files.end()) *slot = it->second;
  }
  config.business.value_per_qualified = value_per_qualified;
  if (!model_type.empty()) config.model.model_type = model_type;
  return config;
}

}  // namespace elv::server
