// `elv advise` (issue 14): suggestions from a generative model (Google's Gemini API) for a
// finished run. The model sees only a brief built from the run's aggregate artifacts
// (metadata.json, metrics.json, data_profile.json, the leaderboards, drift.json), never a
// lead id, a lead row or a dropped column; docs/ADVISOR.md says what is sent and what is not.
// The API key is used for the request only: it is never written to disk, a log, a progress
// line or an error message (text taken from a response is scrubbed of it).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace elv {
class Progress;
}

namespace elv::advisor {

inline constexpr const char* kDefaultEndpoint = "https://generativelanguage.googleapis.com";
inline constexpr const char* kDefaultModel = "gemini-2.0-flash";

struct AdviceRequest {
  std::string offer;                           // required, non-empty
  std::string audience;                        // optional
  std::optional<std::filesystem::path> media;  // optional image or video
  std::string model;                           // already resolved (resolve_model)
  std::string endpoint = kDefaultEndpoint;     // no trailing slash needed
  double timeout_seconds = 120;                // per HTTP exchange, and for a video to be ready
  std::string api_key;                         // used for the request only; never written
};

// The flag, else $GEMINI_MODEL, else kDefaultModel.
std::string resolve_model(const std::string& flag);
// $GEMINI_API_KEY, else $GOOGLE_API_KEY (the first non-empty one); nullopt if neither.
std::optional<std::string> key_from_environment();

// The aggregates the model sees. Throws elv::Error naming a missing artifact and the command
// that writes it.
nlohmann::json build_brief(const std::filesystem::path& run_dir);

// What `--dry-run` prints: the exact generateContent body as pretty JSON, with any media
// shown by type and size instead of its bytes. Checks the media (type, size) as advise does;
// needs no key and makes no network call.
std::string request_preview(const std::filesystem::path& run_dir, const AdviceRequest& req);

struct Advice {
  std::string markdown;     // the model's answer, as it gave it
  std::string record_json;  // advice.json's content: model, template version, time, usage, brief
};

// Builds the brief, uploads or inlines the media, calls generateContent and returns the
// answer. Throws elv::Error (one line, never holding the key) on every failure: no key,
// key rejected, quota, server errors, timeout, a blocked or empty answer, bad media.
Advice advise(const std::filesystem::path& run_dir, const AdviceRequest& req,
              Progress* progress = nullptr);

// The files save_advice writes into a run folder, after the run (like report.html): a later
// `--overwrite` of that run counts them as elv's (run/overwrite_check.cpp).
inline constexpr const char* kAdviceMarkdown = "advice.md";
inline constexpr const char* kAdviceRecord = "advice.json";

// advice.md and advice.json in the run folder, each written atomically; then the run's
// report.html, when it has one, is rebuilt so its Advice section shows the answer (a run
// without a report keeps none). Returns whether report.html was rebuilt.
bool save_advice(const std::filesystem::path& run_dir, const Advice& advice);

}  // namespace elv::advisor
