#include "server/uploads.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "base/error.h"
#include "base/format.h"
#include "contracts/schema.h"
#include "io/contact_data.h"
#include "io/files.h"
#include "server/safe_paths.h"

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

bool is_list_field(const std::string& name) {
  return name == "lead_fields_categorical" || name == "lead_fields_numeric";
}

// The name a dropped file is saved under: the browser's base name with characters outside
// [A-Za-z0-9._-] made '_' (spaces and brackets are common in export names), or "" when the
// name must be refused: a path, "..", a hidden or over-long name. The result is checked by
// is_safe_name, so it can never leave the upload folder.
std::string saved_name(const std::string& given) {
  if (given.empty() || given.size() > 128) return "";
  if (given.find_first_of("/\\") != std::string::npos) return "";
  if (given.front() == '.' || given.find("..") != std::string::npos) return "";
  std::string out = given;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return is_safe_name(out) ? out : "";
}

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
    else if (field != "files")
      up.files[field] = path;
  };
  reader(
      [&](const httplib::MultipartFormData& part) {
        close_file();
        field = part.name;
        written = 0;
        dropping = false;
        if (part.filename.empty()) {
          if (is_list_field(field)) {
            auto& list = up.lists[field];
            if (list.size() >= kMaxLeadFields) {
              if (up.problem.empty())
                up.problem = field + ": at most " + std::to_string(kMaxLeadFields) + " columns";
              return true;
            }
            list.emplace_back();
            return true;
          }
          up.fields[field].clear();
          return true;
        }
        if (field == "files") {
          // The drop zone: any number of exports under their own names, roles decided later.
          const std::string name = saved_name(part.filename);
          const fs::path sub = fs::path(dir) / kDroppedSubdir;
          path = (sub / name).string();
          file_name = part.filename;
          std::string refused;
          if (name.empty())
            refused = "file name not accepted: '" + part.filename +
                      "' (no folders, no leading dot, at most 128 characters)";
          else if (up.dropped.size() >= kMaxDroppedFiles)
            refused = "at most " + std::to_string(kMaxDroppedFiles) + " files at once";
          else if (up.dropped.count(path))
            refused = "two files are both saved as " + name + "; rename one";
          if (!refused.empty()) {
            if (up.problem.empty()) up.problem = refused;
            dropping = true;
            return true;
          }
          fs::create_directories(sub);
          up.dropped[path] = part.filename;
          out.reset(std::fopen(path.c_str(), "wb"));
          if (!out) {
            up.problem = "cannot save the upload of " + file_name;
            dropping = true;
          }
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
          if (is_list_field(field)) {
            // One byte over the limit is kept, so assign_roles can say the name is too long.
            auto& list = up.lists[field];
            if (!list.empty() && list.back().size() <= kMaxLeadFieldBytes)
              list.back().append(data,
                                 std::min(length, kMaxLeadFieldBytes + 1 - list.back().size()));
            return true;
          }
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

std::string shown_name(const Upload& upload, const std::string& saved_path) {
  const auto it = upload.dropped.find(saved_path);
  return it != upload.dropped.end() ? it->second : fs::path(saved_path).filename().string();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string with_upload_names(const Upload& upload, std::string text) {
  // Longest paths first, so "a.csv.txt" is not half-replaced as "a.csv".
  std::vector<std::pair<std::string, std::string>> pairs(upload.dropped.begin(),
                                                         upload.dropped.end());
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [path, name] : pairs) text = replace_all(std::move(text), path, name);
  return text;
}

void assign_roles(Upload& upload) {
  if (!upload.dropped.empty()) {
    for (const auto& [field, path] : upload.files)
      if (field != "model")
        throw UsageError(
            "send the files either in the drop zone's field 'files' or one per "
            "role ('" +
            field + "', ...), not both");
    const std::string sub = (fs::path(upload.dir) / kDroppedSubdir).string();
    try {
      upload.discovered = contracts::discover_inputs(sub);
    } catch (const Error& e) {
      // discover's messages name files by path and speak of --data: say it for the upload.
      std::string message = with_upload_names(upload, e.what());
      auto replace = [&](const std::string& from, const std::string& to) {
        message = replace_all(std::move(message), from, to);
      };
      replace(sub + ": ", "");
      replace(sub, "the upload");
      replace("--data: ", "");
      replace(" and move the other out of the folder, or use --config", ", or leave the other out");
      replace(" or use --config", " or leave it out");
      throw UsageError(message);
    }
    for (const auto& f : upload.discovered->found) upload.files[f.spec->kind] = f.path;
  }
  // The form questions to use: named as the leads file's header names them.
  std::vector<std::string> header;
  const auto leads = upload.files.find("leads");
  for (const auto& [field, list] : upload.lists) {
    if (list.empty()) continue;
    if (header.empty() && leads != upload.files.end())
      header = contracts::read_header_cells(leads->second);
    for (const std::string& name : list) {
      if (name.empty() || name.size() > kMaxLeadFieldBytes)
        throw UsageError(field + ": each column name must be 1 to " +
                         std::to_string(kMaxLeadFieldBytes) + " characters");
      const bool known = std::any_of(header.begin(), header.end(), [&](const std::string& h) {
        return lowercase_trimmed(h) == lowercase_trimmed(name);
      });
      // The name is echoed only when it is a name (never a value pasted by mistake).
      if (!known)
        throw UsageError(field + ": '" + io::safe_column_label(name) +
                         "' is not a column of the leads file");
    }
  }
}

std::vector<std::string> question_columns(const Upload& upload) {
  const auto leads = upload.files.find("leads");
  if (leads == upload.files.end()) return {};
  std::vector<std::string> header;
  try {
    header = contracts::read_header_cells(leads->second);
  } catch (const Error&) {
    return {};  // validation names what is wrong with the file; there is nothing to offer
  }
  // Only a real header is offered: when the first line is a lead's data (a headerless
  // export), its cells are a person's answers and name, not questions.
  const auto fits = contracts::header_roles(header).matches;
  if (std::none_of(fits.begin(), fits.end(),
                   [](const auto& m) { return m.spec == &contracts::leads_spec(); }))
    return {};
  std::vector<std::string> out;
  for (const std::string& cell : header) {
    if (lowercase_trimmed(cell).empty()) continue;
    if (!contracts::canonical_column(contracts::leads_spec(), cell).empty()) continue;
    if (contracts::is_contact_field(cell)) continue;
    // Columns of Meta's lead download about the form, not answers on it: form_name repeats
    // what form_id says (already a feature), inbox_url is a link per lead.
    const std::string folded = lowercase_trimmed(cell);
    if (folded == "form_name" || folded == "inbox_url") continue;
    if (!io::data_description(cell).empty()) continue;
    out.push_back(cell);
  }
  return out;
}

Config config_for_upload(const Upload& upload, std::optional<double> value_per_qualified,
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
  // A CRM export recognised by its header brings its outcomes.preset settings.
  if (upload.discovered && !upload.discovered->outcomes.preset.empty())
    config.outcomes = upload.discovered->outcomes;
  for (const auto& [field, list] : upload.lists)
    for (const std::string& name : list)
      (field == "lead_fields_numeric" ? config.lead_fields.numeric : config.lead_fields.categorical)
          .push_back(name);
  if (value_per_qualified) {
    config.business.value_per_qualified = *value_per_qualified;
    config.business.value_source = ValueSource::kForm;
  }
  if (!model_type.empty()) config.model.model_type = model_type;
  return config;
}

}  // namespace elv::server
