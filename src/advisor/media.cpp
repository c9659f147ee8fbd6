// --media: the creative sent with the brief. Checked in full before any network call.
#include <fstream>
#include <sstream>

#include "advisor/advisor_parts.h"
#include "base/base64.h"
#include "base/error.h"
#include "base/format.h"
#include "base/progress.h"
#include "io/files.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::advisor::detail {

namespace {

std::string megabytes(uint64_t bytes) {
  return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MB";
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open the media file", path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error("cannot read the media file", path.string());
  return std::move(bytes).str();
}

std::string header_value(const HttpResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

// The "file" object of an upload or files.get answer; throws unless it has a name.
json file_object(const HttpResponse& r, const std::string& key) {
  json parsed = json::parse(r.body, nullptr, false);
  if (parsed.is_object() && parsed.contains("file")) parsed = parsed["file"];
  if (!parsed.is_object() || !parsed.contains("name") || !parsed["name"].is_string())
    throw Error("the Gemini Files API answered without a file name: " +
                quote_response(r.body, key));
  return parsed;
}

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The picture and video types elv sends to Gemini (docs/ADVISOR.md, --media).
bool gemini_takes(const std::string& mime) {
  for (const char* m :
       {"image/png", "image/jpeg", "image/webp", "video/mp4", "video/quicktime", "video/webm"})
    if (mime == m) return true;
  return false;
}

}  // namespace

Media check_media(const fs::path& path) {
  io::require_regular_file(path.string(), "media file");
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec) throw Error("cannot read the media file's size", path.string());
  if (size > kMaxMediaBytes)
    throw Error("the media file is " + megabytes(size) + ", over the limit of " +
                    megabytes(kMaxMediaBytes) + "; send a shorter or smaller cut",
                path.string());
  auto type = io::sniff_media_type(io::read_media_head(path.string()));
  // io knows more types than Gemini takes (BMP, GIF, Matroska): those are refused here.
  if (type && !gemini_takes(type->mime)) type.reset();
  if (!type)
    throw Error(
        "not a PNG, JPEG or WebP image nor an MP4, MOV or WebM video (told from its "
        "content, not its name); convert it to one of these",
        path.string());
  if (type->kind == io::MediaKind::Image && size > kMaxInlineImageBytes)
    throw Error("the image is " + megabytes(size) + ", over the limit of " +
                    megabytes(kMaxInlineImageBytes) + " for images; resize or compress it",
                path.string());
  return Media{path, *type, size};
}

json media_part_preview(const Media& media) {
  const std::string what = "<" + std::to_string(media.size) + " bytes of " + media.type.mime;
  if (media.type.kind == io::MediaKind::Image)
    return {
        {"inline_data", {{"mime_type", media.type.mime}, {"data", what + ", sent as base64>"}}}};
  return {{"file_data",
           {{"mime_type", media.type.mime},
            {"file_uri", what + ", uploaded first through the Files API; its URI goes here>"}}}};
}

json media_part(const Media& media, const GeminiClient& client, Progress* progress) {
  const std::string bytes = read_all(media.path);
  if (media.type.kind == io::MediaKind::Image)
    return {{"inline_data", {{"mime_type", media.type.mime}, {"data", base64(bytes)}}}};

  // A video: the Files API's resumable upload (start, then upload and finalize at once),
  // then files.get until the file is ACTIVE.
  stage(progress, "upload video");
  HttpRequest start;
  start.url = client.url("/upload/v1beta/files");
  start.headers = {"X-Goog-Upload-Protocol: resumable", "X-Goog-Upload-Command: start",
                   "X-Goog-Upload-Header-Content-Length: " + std::to_string(bytes.size()),
                   "X-Goog-Upload-Header-Content-Type: " + media.type.mime,
                   "Content-Type: application/json"};
  start.body = json{{"file", {{"display_name", "elv-advise-creative"}}}}.dump();
  const HttpResponse started = client.call(start, "the video upload");
  const std::string upload_url = header_value(started, "x-goog-upload-url");
  if (upload_url.empty())
    throw Error(
        "the Gemini Files API did not say where to upload the video (no "
        "x-goog-upload-url header); check --endpoint");

  HttpRequest upload;
  upload.url = upload_url;
  upload.headers = {"X-Goog-Upload-Command: upload, finalize", "X-Goog-Upload-Offset: 0",
                    "Content-Type: " + media.type.mime};
  upload.body = bytes;
  json file = file_object(client.call(upload, "the video upload"), client.key());

  stage(progress, "wait for the video");
  const RetryPolicy poll_policy = retry_policy_from_environment();
  const double poll_every = std::min(2.0, std::max(poll_policy.first_backoff_seconds, 0.01));
  double waited = 0;
  for (;;) {
    const std::string state = string_field(file, "state");
    if (state == "ACTIVE") break;
    if (state == "FAILED")
      throw Error(
          "Gemini could not process the video (file state FAILED); check that it plays, "
          "or convert it to MP4 (H.264)",
          media.path.string());
    if (waited >= client.timeout_seconds())
      throw Error("the uploaded video was not ready within " + fixed(client.timeout_seconds(), 0) +
                      " s (state " + (state.empty() ? "unknown" : state) +
                      "); try again, or allow longer with --timeout",
                  media.path.string());
    wait_seconds(poll_every);
    waited += poll_every;
    HttpRequest get;
    get.method = "GET";
    get.url = client.url("/v1beta/" + string_field(file, "name"));
    file = file_object(client.call(get, "the video status check"), client.key());
  }
  const std::string uri = string_field(file, "uri");
  if (uri.empty()) throw Error("the Gemini Files API gave the video no URI; try again");
  const std::string mime = string_field(file, "mimeType");
  return {{"file_data", {{"mime_type", mime.empty() ? media.type.mime : mime}, {"file_uri", uri}}}};
}

}  // namespace elv::advisor::detail
