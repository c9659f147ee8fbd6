// The web app's Advisor tab (docs/SERVE.md, docs/ADVISOR.md): the form that asks the GenAI
// advisor about a run, and the rule for whose API key is used. The key a user pastes is used
// for that one request: it is held in memory by the job, never written to the run folder, a
// job record or a log.
#pragma once
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

namespace elv::server {

// Text fields of the form, and their limits (bytes): a longer field is refused, not cut.
inline constexpr size_t kMaxAdviceTextBytes = 8000;  // offer, audience
inline constexpr size_t kMaxAdviceShortBytes = 200;  // model
inline constexpr size_t kMaxApiKeyBytes = 512;       // api_key

struct AdviceForm {
  std::string offer, audience, model, api_key;
  std::optional<std::string> media;  // where the optional image or video was saved
  std::string media_name;            // the name the browser gave it
  uint64_t media_bytes = 0;
  bool too_large = false;  // the media was over the limit (and was discarded)
  std::string problem;     // a malformed request: unknown field, field too long, not multipart
};

// Reads the multipart form (fields offer, audience, model, api_key and the file media) into
// dir (created when a file comes). The media is saved as "media" plus the lower-cased
// extension the browser gave (the advisor tells images from videos by it); over
// max_media_bytes it is drained and dropped and too_large is set.
AdviceForm receive_advice_form(const httplib::Request& request,
                               const httplib::ContentReader& reader, const std::string& dir,
                               uint64_t max_media_bytes);

// Whose key a request uses: the pasted one when there is one; else the server's own
// ($GEMINI_API_KEY or $GOOGLE_API_KEY), but only when the server may lend it (it listens
// on this machine alone and is not a public demo: a shared paid key on a reachable server is
// a mistake); else none, and problem says what to do.
struct KeyChoice {
  std::string key;
  std::string problem;
};
KeyChoice choose_key(const std::string& pasted, const std::optional<std::string>& env_key,
                     bool lend_server_key);

}  // namespace elv::server
