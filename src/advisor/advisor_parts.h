// Internal to advisor/: the pieces advisor.cpp puts together (the brief is in brief.cpp,
// media in media.cpp, HTTP in gemini_client.cpp).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "advisor/advisor.h"
#include "advisor/gemini_client.h"
#include "io/media_type.h"

namespace elv::advisor::detail {

// The prompt template (src/advisor/prompt_v1.md, compiled in) and its version, which
// advice.json records so an answer can be traced to the words that asked for it.
inline constexpr const char* kTemplateVersion = "prompt_v1";
std::string_view prompt_template();

// Media limits. Gemini refuses requests over 20 MB in all; base64 grows bytes by 4/3, so an
// image of 15 MB (20 MB encoded) is the most that can go inline with the brief. Larger files
// (videos) go through the Files API; 50 MB is elv's own cap on what it uploads.
inline constexpr uint64_t kMaxInlineImageBytes = 15ull * 1024 * 1024;
inline constexpr uint64_t kMaxMediaBytes = 50ull * 1024 * 1024;

struct Media {
  std::filesystem::path path;
  io::MediaType type;
  uint64_t size = 0;
};
// Checks --media before any network call: a regular file, at most kMaxMediaBytes, of a
// type sniff_media_type knows (images at most kMaxInlineImageBytes). Throws elv::Error.
Media check_media(const std::filesystem::path& path);
// The request part standing for the media in --dry-run: its type and size, not its bytes.
nlohmann::json media_part_preview(const Media& media);
// The request part itself: an image inline, a video uploaded through the Files API and
// waited for until ACTIVE (at most the client's timeout), then referenced by its URI.
nlohmann::json media_part(const Media& media, const GeminiClient& client, Progress* progress);

// The generateContent body: the template as system instruction, then one user turn holding
// the offer, the audience, the brief and the media part (if not null).
nlohmann::json request_body(const nlohmann::json& brief, const AdviceRequest& req,
                            const nlohmann::json& media);

// The text of a generateContent answer. Throws elv::Error (key scrubbed from any quoted
// text) when the prompt was blocked, the answer was stopped for safety, or it is empty.
struct Answer {
  std::string markdown;
  std::string finish_reason;
  nlohmann::json usage = nlohmann::json::object();  // usageMetadata's token counts
};
Answer parse_answer(const std::string& body, const std::string& key);

}  // namespace elv::advisor::detail
