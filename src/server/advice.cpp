#include "server/advice.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "io/files.h"

namespace fs = std::filesystem;

namespace elv::server {

namespace {

// ".PNG" -> ".png"; "" when the name has no extension, or one that is not short and plain.
std::string plain_extension(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || name.size() - dot > 6 || name.size() - dot < 2) return "";
  std::string ext = ".";
  for (size_t i = dot + 1; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) return "";
    ext += static_cast<char>(std::tolower(c));
  }
  return ext;
}

size_t text_limit(const std::string& field) {
  if (field == "offer" || field == "audience") return kMaxAdviceTextBytes;
  if (field == "model") return kMaxAdviceShortBytes;
  if (field == "api_key") return kMaxApiKeyBytes;
  return 0;  // not a field of this form
}

std::string* text_field(AdviceForm& form, const std::string& field) {
  if (field == "offer") return &form.offer;
  if (field == "audience") return &form.audience;
  if (field == "model") return &form.model;
  if (field == "api_key") return &form.api_key;
  return nullptr;
}

}  // namespace

AdviceForm receive_advice_form(const httplib::Request& request,
                               const httplib::ContentReader& reader, const std::string& dir,
                               uint64_t max_media_bytes) {
  AdviceForm form;
  if (!request.is_multipart_form_data()) {
    form.problem = "expected a multipart/form-data form";
    reader([](const char*, size_t) { return true; });  // drain: the connection stays usable
    return form;
  }
  io::UniqueFile out;
  std::string field, path;
  std::string* text = nullptr;
  bool dropping = false;
  auto fail = [&](const std::string& message) {
    if (form.problem.empty()) form.problem = message;
    dropping = true;
  };
  auto close_file = [&] {
    if (!out) return;
    if (!io::close_checked(out) && !dropping) fail("cannot save the uploaded file (disk full?)");
    if (dropping || form.too_large) {
      std::error_code ec;
      fs::remove(path, ec);
      form.media.reset();
    }
  };
  reader(
      [&](const httplib::MultipartFormData& part) {
        close_file();
        field = part.name;
        text = nullptr;
        dropping = false;
        if (field == "media" && !part.filename.empty()) {
          if (form.media) {
            fail("send at most one file");
            return true;
          }
          fs::create_directories(dir);
          path = (fs::path(dir) / ("media" + plain_extension(part.filename))).string();
          out.reset(std::fopen(path.c_str(), "wb"));
          if (!out) {
            fail("cannot save the uploaded file");
            return true;
          }
          form.media = path;
          form.media_name = part.filename;
          return true;
        }
        if (field == "media") {  // the file input left empty
          dropping = true;
          return true;
        }
        text = part.filename.empty() ? text_field(form, field) : nullptr;
        if (!text) {
          fail("unknown form field '" + field + "'");
          return true;
        }
        text->clear();
        return true;
      },
      [&](const char* data, size_t length) {
        if (dropping) return true;
        if (text) {
          if (text->size() + length > text_limit(field))
            fail(field + " is longer than " + std::to_string(text_limit(field)) +
                 " characters; shorten it");
          else
            text->append(data, length);
          return true;
        }
        if (!out || form.too_large) return true;
        form.media_bytes += length;
        if (form.media_bytes > max_media_bytes) {
          // Keep reading, so the client sees the 413 and its message rather than a reset.
          form.too_large = true;
          return true;
        }
        if (std::fwrite(data, 1, length, out.get()) != length)
          fail("cannot save the uploaded file (disk full?)");
        return true;
      });
  close_file();
  return form;
}

KeyChoice choose_key(const std::string& pasted, const std::optional<std::string>& env_key,
                     bool lend_server_key) {
  if (!pasted.empty()) return {pasted, ""};
  if (env_key && !env_key->empty() && lend_server_key) return {*env_key, ""};
  if (env_key && !env_key->empty())
    return {"",
            "paste your own Gemini API key: this server is shared (reachable from the network, "
            "or a public demo), so it does not lend out the key it was started with"};
  return {"",
          "paste a Gemini API key (from Google AI Studio), or restart elv serve with "
          "GEMINI_API_KEY set"};
}

}  // namespace elv::server
