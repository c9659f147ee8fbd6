// elv advise: the brief, the prompt and the answer put together (issue 14).
#include "advisor/advisor.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "advisor/advisor_parts.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/progress.h"
#include "io/files.h"
#include "io/parse.h"
#include "report/html.h"

// src/advisor/prompt_v1.md, compiled in by elv_embed (CMakeLists.txt).
extern const char elv_advisor_prompt_v1[];
extern const std::size_t elv_advisor_prompt_v1_size;

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::advisor {

namespace detail {

std::string_view prompt_template() { return {elv_advisor_prompt_v1, elv_advisor_prompt_v1_size}; }

json request_body(const json& brief, const AdviceRequest& req, const json& media) {
  std::string text = "Offer: " + req.offer + "\n";
  text += "Audience: " + (req.audience.empty() ? std::string("(not given)") : req.audience) + "\n";
  if (!media.is_null()) text += "The attached creative belongs to this campaign.\n";
  text += "\nRun summary (JSON):\n" + brief.dump() + "\n";
  json parts = json::array({{{"text", text}}});
  if (!media.is_null()) parts.push_back(media);
  return {
      {"systemInstruction", {{"parts", json::array({{{"text", std::string(prompt_template())}}})}}},
      {"contents", json::array({{{"role", "user"}, {"parts", std::move(parts)}}})},
      // Advice, not creativity: a moderate temperature, and room for the four sections.
      {"generationConfig", {{"temperature", 0.4}, {"maxOutputTokens", 2048}}}};
}

Answer parse_answer(const std::string& body, const std::string& key) {
  const json r = json::parse(body, nullptr, false);
  if (!r.is_object())
    throw Error("the Gemini API answered with something that is not JSON: " +
                quote_response(body, key));
  if (const json* pf = r.contains("promptFeedback") ? &r["promptFeedback"] : nullptr;
      pf && pf->is_object() && pf->contains("blockReason"))
    throw Error("the Gemini API blocked the request (promptFeedback.blockReason " +
                quote_response((*pf)["blockReason"].is_string()
                                   ? (*pf)["blockReason"].get<std::string>()
                                   : (*pf)["blockReason"].dump(),
                               key) +
                "); reword --offer or --audience, or try without --media");
  Answer a;
  if (r.contains("usageMetadata") && r["usageMetadata"].is_object())
    for (const char* k : {"promptTokenCount", "candidatesTokenCount", "totalTokenCount"})
      if (auto it = r["usageMetadata"].find(k);
          it != r["usageMetadata"].end() && it->is_number_integer())
        a.usage[k] = *it;
  const json* candidate = nullptr;
  if (r.contains("candidates") && r["candidates"].is_array() && !r["candidates"].empty() &&
      r["candidates"][0].is_object())
    candidate = &r["candidates"][0];
  if (candidate) {
    if (auto it = candidate->find("finishReason"); it != candidate->end() && it->is_string())
      a.finish_reason = it->get<std::string>();
    const json* parts = nullptr;
    if (auto c = candidate->find("content"); c != candidate->end() && c->is_object())
      if (auto p = c->find("parts"); p != c->end() && p->is_array()) parts = &*p;
    if (parts)
      for (const json& part : *parts)
        if (part.is_object() && part.contains("text") && part["text"].is_string())
          a.markdown += part["text"].get<std::string>();
  }
  if (a.finish_reason == "SAFETY" || a.finish_reason == "PROHIBITED_CONTENT" ||
      a.finish_reason == "BLOCKLIST" || a.finish_reason == "SPII")
    throw Error("the Gemini API stopped the answer for safety (finishReason " +
                quote_response(a.finish_reason, key) +
                "); reword --offer or --audience, or try without --media");
  if (a.markdown.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error("the Gemini API returned an empty answer" +
                (a.finish_reason.empty()
                     ? std::string()
                     : " (finishReason " + quote_response(a.finish_reason, key) + ")") +
                "; try again, or try another --model");
  // The model's own words may quote back what it was sent; the key was never in the prompt,
  // but scrub anyway so advice.md can never hold it.
  a.markdown = scrub_key(std::move(a.markdown), key);
  return a;
}

}  // namespace detail

namespace {

void check_request(const AdviceRequest& req) {
  if (req.offer.find_first_not_of(" \t\r\n") == std::string::npos)
    throw UsageError("--offer is required: describe what the campaign sells, in a sentence");
  if (req.model.empty()) throw UsageError("no model named; give --model or set GEMINI_MODEL");
  if (!(req.timeout_seconds > 0))
    throw UsageError("--timeout must be a positive number of seconds");
  if (req.endpoint.rfind("https://", 0) != 0 && req.endpoint.rfind("http://", 0) != 0)
    throw UsageError("--endpoint must start with https:// (or http:// for a local test server)");
}

std::string generate_path(const std::string& model) {
  return "/v1beta/models/" + model + ":generateContent";
}

}  // namespace

std::string resolve_model(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("GEMINI_MODEL"); env && *env) return env;
  return kDefaultModel;
}

std::optional<std::string> key_from_environment() {
  for (const char* name : {"GEMINI_API_KEY", "GOOGLE_API_KEY"})
    if (const char* v = std::getenv(name); v && *v) return std::string(v);
  return std::nullopt;
}

std::string request_preview(const fs::path& run_dir, const AdviceRequest& req) {
  check_request(req);
  const json brief = build_brief(run_dir);
  json media = nullptr;
  if (req.media) media = detail::media_part_preview(detail::check_media(*req.media));
  return "POST " + std::string(req.endpoint) + generate_path(req.model) + "\n" +
         "x-goog-api-key: (from GEMINI_API_KEY or GOOGLE_API_KEY; not shown)\n\n" +
         detail::request_body(brief, req, media).dump(2) + "\n";
}

Advice advise(const fs::path& run_dir, const AdviceRequest& req, Progress* progress) {
  check_request(req);
  if (req.api_key.empty())
    throw Error(
        "no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY); docs/ADVISOR.md says "
        "how to get one");
  stage(progress, "brief");
  const json brief = build_brief(run_dir);
  // Media is checked before any network call, so a wrong file costs no request.
  std::optional<detail::Media> media;
  if (req.media) media = detail::check_media(*req.media);

  const detail::GeminiClient client(req.endpoint, req.api_key, req.timeout_seconds);
  json media_part = nullptr;
  if (media) media_part = detail::media_part(*media, client, progress);

  stage(progress, "ask " + req.model);
  detail::HttpRequest call;
  call.url = client.url(generate_path(req.model));
  call.headers = {"Content-Type: application/json"};
  call.body = detail::request_body(brief, req, media_part).dump();
  const detail::Answer answer =
      detail::parse_answer(client.call(call, "generateContent").body, req.api_key);

  json record = {{"model", req.model},
                 {"template_version", detail::kTemplateVersion},
                 {"created_at_utc", parse::format_timestamp(now_seconds())},
                 {"finish_reason", answer.finish_reason},
                 {"usage", answer.usage},
                 {"offer", req.offer},
                 {"audience", req.audience},
                 {"media", media ? json{{"mime_type", media->type.mime}, {"bytes", media->size}}
                                 : json(nullptr)},
                 {"brief", brief}};
  return Advice{answer.markdown, detail::scrub_key(record.dump(2) + "\n", req.api_key)};
}

bool save_advice(const fs::path& run_dir, const Advice& advice) {
  io::write_file_atomically((run_dir / kAdviceMarkdown).string(), advice.markdown);
  io::write_file_atomically((run_dir / kAdviceRecord).string(), advice.record_json);
  if (!fs::is_regular_file(run_dir / "report.html")) return false;
  report::write_report(run_dir.string());
  return true;
}

}  // namespace elv::advisor
