// Advice: the GenAI advisor's answer (advice.md, written by `elv advise` or the web app's
// Advisor tab), as safe HTML. The section exists only in runs that have advice.md, so a
// report without advice is unchanged.
#include <cstdint>
#include <fstream>
#include <iterator>

#include "report/html_parts.h"
#include "report/markdown.h"

namespace elv::report::detail {

namespace {

// An answer is a page or two; more is not an answer (and the report must stay readable).
constexpr std::uintmax_t kMaxAdviceBytes = 1 << 20;

}  // namespace

bool has_advice(const Run& r) { return file_exists(r.dir / "advice.md"); }

std::string advice_html(const Run& r) {
  const auto path = r.dir / "advice.md";
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return problem("advice.md could not be read (" + esc(ec.message()) + ").");
  if (size > kMaxAdviceBytes)
    return problem(
        "advice.md is larger than 1 MB, too large to be an answer to show here; open "
        "the file itself.");
  std::ifstream in(path, std::ios::binary);
  const std::string markdown((std::istreambuf_iterator<char>(in)), {});
  if (!in && !in.eof()) return problem("advice.md could not be read.");
  std::string about =
      "Written by a generative AI model from this run's figures and the offer and audience "
      "described to it. It can be wrong: check it against the sections above before acting on "
      "it.";
  const JsonArtifact record = load_json(r.dir, "advice.json");
  if (const std::string model = str(at(&record.value, {"model"}));
      record.status.ok() && !model.empty())
    about += " Model: " + code(model) + ".";
  return para(about) + "<div class=\"advice\">\n" + markdown_to_safe_html(markdown) + "</div>\n";
}

}  // namespace elv::report::detail
